/* query_eval.h — evaluating filter expressions over events (vectorised) and table rows. */
#ifndef TG_QUERY_EVAL_H
#define TG_QUERY_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "query_ast.h"

/* Resolve the expression's fields against s (extracting path columns on first use) and its
 * times against ctx->now. 0, or -1 with *err filled. */
int qeval_prepare(qnode *e, store *s, int64_t now, qerr *err);
/* Resolve the expression's fields against a table's column names. */
void qeval_prepare_table(qnode *e, char *const *cols, int ncols, int64_t now);

/* out[k] = 1 if event idx[k] matches (idx NULL: event k), for k < n. A comparison on an
 * interned column is decided once per distinct string, then looked up per event. */
void qeval_events(const qnode *e, const store *s, const uint32_t *idx, size_t n, uint8_t *out);

/* 1 if the table row (ncols cells, NULL = absent) matches. */
int qeval_row(const qnode *e, char *const *row);

/* The comparison e applied to one string (NULL = the field is absent). */
int qeval_str(const qnode *e, const char *s, size_t n);

/* The comparison e on an any-element value (a JSON array of strings, store_multi.c; NULL =
 * absent): a positive operator holds when some element satisfies it, a negative one
 * (!=, !~, !=~, not in, not exists) when no element satisfies its positive form. */
int qeval_any(const qnode *e, const char *s, size_t n);

/* query_eval_ref.c: field(PATH) on the right. out[k] for event idx[k] (idx NULL: k). */
void qeval_ref(const qnode *e, const store *s, const uint32_t *idx, size_t n, uint8_t *out);
/* The comparison e between two values (NULL = absent; any-element values by element). */
int qeval_ref_pair(const qnode *e, const char *a, size_t an, const char *b, size_t bn);

/* query_lookback.c: @lists, the window, and the lookback stages. */
struct listset;
/* Resolve every @name in q against ls. 0, or -1 with "unknown list '@x'" at its column. */
int qlists_resolve(query *q, const struct listset *ls, qerr *err);
/* Index range [*lo, *hi) of the store's events with since <= time <= until. */
void qwin_range(const store *s, int64_t since, int64_t until, size_t *lo, size_t *hi);
/* The earliest time any lookback stage of q reads, given the window start; since itself
 * when none does, INT64_MIN (everything) for dormant. */
int64_t qwin_need_from(const query *q, int64_t since);
/* Make r->idx ascending (store order = time order); the stages below rely on it. */
void qidx_sort(result *r);
int qinv_first_seen(const qstage *st, store *s, result *r, const qctx *c, qerr *err);
int qinv_dormant(const qstage *st, store *s, result *r, const qctx *c, qerr *err);
int qinv_spike(const qstage *st, store *s, result *r, const qctx *c, qerr *err);
/* query_sequence.c */
int qseq_run(qstage *st, store *s, result *r, int64_t now, qerr *err);
/* query_threshold.c */
int qthr_run(const qstage *st, store *s, result *r, qerr *err);

#endif

/* query_stats.c: a hash set of fixed-width tuples of 64-bit words (group keys). Each new
 * tuple gets the next group number, in order of first appearance. */
typedef struct qgroups {
	size_t k;          /* words per tuple */
	uint64_t *keys;    /* n * k words */
	size_t n, cap;
	uint32_t *slots;   /* group + 1, 0 = empty */
	size_t nslots;
} qgroups;

void qgroups_init(qgroups *g, size_t k);
void qgroups_free(qgroups *g);
uint32_t qgroups_add(qgroups *g, const uint64_t *key, int *was_new);

/* Run a stats stage: turn r's events into a table. 0, or -1 with *err filled. */
int qstats_run(const qstage *st, store *s, result *r, qerr *err);

/* query_stage.c: stable merge sort of n indices with a comparator. */
void qsort_stable(uint32_t *a, size_t n, int (*cmp)(uint32_t, uint32_t, void *), void *ctx);

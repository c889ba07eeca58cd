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

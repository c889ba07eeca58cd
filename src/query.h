/* query.h — the query language: parse a pipeline, run it over a store.
 *
 *   service = iam and event in (CreateUser, CreateLoginProfile) and not error exists
 *     | stats count() by principal, bin(1h) | sort count desc | head 20
 *
 * See man/trailguide-query.7 for the language. */
#ifndef TG_QUERY_H
#define TG_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"
#include "util.h"

typedef struct query query;

/* An error with the 0-based byte column in the query text where it happened. */
typedef struct qerr {
	int col;
	char msg[256];
} qerr;

/* Parse a query. NULL with *err filled on error. An empty query matches everything. */
query *query_parse(const char *text, qerr *err);
void query_free(query **q);

/* Render an error as two or three lines: the query, a caret under the column, the message:
 *   service = iam and event in (CreateUser
 *                              ^ expected ')' to close the list */
void query_err_format(const char *text, const qerr *e, sbuf *out);

/* 1 if the pipeline ends in a table (it has a stats stage), 0 if it yields events. */
int query_is_table(const query *q);

struct listset; /* @name lists: lists.h */

/* Everything a run needs besides the store. Start from qctx_init. */
typedef struct qctx {
	int64_t now;          /* ms; relative times (-24h) count back from here */
	int64_t since, until; /* the window in ms (TG_TIME_NONE: open). Results are clipped
				 to it; lookback stages (first-seen, dormant, spike) read the
				 events before `since` as their baseline. */
	const struct listset *lists; /* resolves @name; NULL: none loaded */
} qctx;

/* now = the wall clock, no window, no lists. */
void qctx_init(qctx *c);

/* A field reference resolved against a store: an alias (event, principal, ...), a dotted
 * path into the event, or the time. */
enum qfield_kind { QF_TIME, QF_COL };
typedef struct qfield {
	enum qfield_kind kind;
	int col;        /* store column for QF_COL */
	char *name;     /* as the user wrote it, for headings */
} qfield;

/* The canonical path for an alias ("event" -> "eventName", "service" -> "eventSource"),
 * or NULL if name is not an alias. */
const char *query_alias(const char *name);
/* Every alias, NULL-terminated, for completion and the man page. */
extern const char *const query_alias_names[];

/* Resolve a field name for store s (extracting a column on first use). 0, or -1 with msg. */
int qfield_resolve(store *s, const char *name, qfield *f, char *msg, size_t msgn);
void qfield_free(qfield *f);
/* The field's value for event i as text (times formatted as 2026-11-20T02:13:07Z using
 * buf, which must hold 32 bytes), or NULL when absent. */
const char *qfield_value(const store *s, const qfield *f, size_t i, char *buf, size_t *len);

typedef struct result {
	int is_table;
	/* events (is_table == 0): indices into the store, in output order */
	uint32_t *idx;
	size_t n;
	char **fields;  /* names from a `fields` stage, or NULL for the default columns */
	int nfields;
	/* table (is_table == 1): ncols columns, nrows rows, row-major; NULL cell = absent */
	char **cols;
	int ncols;
	char **cells;
	size_t nrows;
	/* time spent, seconds: the leading filter, and the stages after it */
	double t_filter, t_stages;
} result;

/* How far before the window's start (qctx.since) the query reads events, in ms: the
 * longest baseline of its first-seen and spike stages, and for dormant DURATION*2 (at least
 * 30 days) as a hint, since dormant looks back over all loaded data. 0 without lookback
 * stages. Callers load [since - query_lookback(q), until] and pass the window in qctx. */
int64_t query_lookback(const query *q);

/* The values every event the queries match must have in field path (canonical, e.g.
 * "recipientAccountId", "awsRegion"): an equality or in (...) in the filter's top-level
 * conjunction or a leading filter stage, an OR when both sides restrict it. 1 with the
 * values appended to out (no duplicates), 0 when some query leaves the field open
 * (query_scope.c). */
struct strvec;
int query_scope(query *const *qs, int n, const char *path, struct strvec *out);

/* Call fn for every @list the query names, in text order, with the column of its '@'. */
void query_lists(const query *q, void (*fn)(void *ud, const char *name, int col), void *ud);

/* Run q over s. NULL with *err filled (col -1 when not tied to a place in the text) on a
 * runtime error such as an unreadable raw event for a path column. */
result *query_run(query *q, store *s, const qctx *ctx, qerr *err);
void result_free(result **r);

#endif

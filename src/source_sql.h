/* source_sql.h — what athena:// and lake:// share: the events-mode SQL for the queries,
 * JSON 1.1 calls, polling with backoff, and the NDJSON file of rebuilt events. */
#ifndef TG_SOURCE_SQL_H
#define TG_SOURCE_SQL_H

#include <stdio.h>
#include <cjson/cJSON.h>
#include "source.h"
#include "sql.h"

typedef struct sqlsrc {
	const char *spec;          /* for messages */
	const source_opts *o;
	source_stats *st;
	aws_client *aws;
	aws_client own; /* when o->aws is NULL: set up by sqlsrc_init, freed by sqlsrc_free */
	int own_aws;
	FILE *warn;
	const char *service;       /* "athena", "cloudtrail" */
	const char *target_prefix; /* "AmazonAthena.", "com.amazonaws...CloudTrail_20131101." */
	/* the result file */
	sbuf path, tmp;
	FILE *f;
	size_t events;
} sqlsrc;

/* Without o->aws, s->aws is a client of its own (default profile and region). */
void sqlsrc_init(sqlsrc *s, const char *spec, const source_opts *o, source_stats *st,
		 const char *service, const char *target_prefix);
void sqlsrc_free(sqlsrc *s);

/* The string member k of o, or NULL. */
const char *sqlsrc_jstr(const cJSON *o, const char *k);

/* The events-mode statement for o's queries and window into sql; the pushdown summary into
 * st->pushdown. 0, or -1 (message printed). max: the service's statement length limit (a
 * longer statement drops the filter and keeps only the window, a superset). */
int sqlsrc_statement(sqlsrc *s, enum sql_dialect d, const char *table, const char *partition,
		     size_t max, sbuf *sql);

/* One JSON 1.1 call: op ("StartQueryExecution"), body req (not freed). The parsed answer
 * in *out (free with cJSON_Delete). 0, or -1 with the message (aws_explain) in err. */
int sqlsrc_call(sqlsrc *s, const char *op, const cJSON *req, cJSON **out, sbuf *err);

/* Sleep before poll n (0-based): 0.2 s growing to 5 s; stops early on cancel. 1 when
 * cancelled. */
int sqlsrc_wait(sqlsrc *s, int n);
int sqlsrc_cancelled(const sqlsrc *s);
void sqlsrc_progress(sqlsrc *s, const char *phase);

/* Poll query qid with op ({idkey: qid}) until state (called with each answer) says it has
 * ended: state returns 0 succeeded, -1 failed (message printed), 1 still running. Waits
 * with sqlsrc_wait between polls; a cancel calls stop_op and prints that the query was
 * stopped. 0 succeeded, -1 otherwise (message printed). */
int sqlsrc_poll(sqlsrc *s, const char *op, const char *stop_op, const char *idkey, const char *qid,
		int (*state)(sqlsrc *s, const cJSON *resp, const char *qid));

/* Page GetQueryResults ({idkey: qid, maxkey: 1000, NextToken}) until the last page or a
 * cancel, page() called with each answer (it writes the rows). 0 complete, 1 partial
 * (message printed: a failed page or a cancel keeps the events read before). */
int sqlsrc_rows(sqlsrc *s, const char *idkey, const char *maxkey, const char *qid,
		void (*page)(sqlsrc *s, const cJSON *resp, void *ud), void *ud);

/* Start the query: progress "querying", op with req (freed here). The id (member idkey of
 * the answer *resp, free it with cJSON_Delete), or NULL: *resp NULL when the call failed
 * (the message in err, not printed), else the answer held no id (message printed). */
const char *sqlsrc_start(sqlsrc *s, const char *op, cJSON *req, const char *idkey, cJSON **resp,
			 sbuf *err);

/* Open cache/KIND/ID.ndjson (written as .tmp, renamed by sqlsrc_close). id must be
 * [A-Za-z0-9-]. 0, or -1 (message printed). */
int sqlsrc_open(sqlsrc *s, const char *kind, const char *id);
/* One rebuilt event as a line. */
void sqlsrc_write(sqlsrc *s, cJSON *ev);
/* Finish the file and append its path to out (also when partial, if it holds events). */
int sqlsrc_close(sqlsrc *s, strvec *out);
/* After the paging (rc 0 complete, 1 partial): -1 when nothing arrived on a partial read
 * (no file: sqlsrc_free removes it) or the file cannot be closed, else rc. */
int sqlsrc_finish(sqlsrc *s, int rc, strvec *out);

/* trailguide: SPEC: fmt... (server text must already be escaped). */
void sqlsrc_msg(sqlsrc *s, const char *fmt, ...) TG_PRINTF(2, 3);

/* A random ClientRequestToken (64 hex characters) into buf (>= 65 bytes). */
void sqlsrc_token(char *buf);

#endif

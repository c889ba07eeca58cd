/* source.h — sources spelled as URLs: s3://BUCKET/PREFIX, lookup://REGION,
 * athena://WORKGROUP/DATABASE.TABLE, lake://EVENT_DATA_STORE.
 *
 * A remote source fetches into local files under the cache directory and hands their
 * paths to ingest, so the store, the raw-event view and the journal's file hashes work the
 * same for every source:
 *   s3      the trail's .json.gz objects, cached by ETag (a second look is local)
 *   lookup  one NDJSON file of the CloudTrailEvent records of a lookup
 *   athena  one NDJSON file of the events rebuilt from the result rows
 *   lake    the same for CloudTrail Lake
 * Queries are pushed down where they can be (lookup: one lookup attribute; athena/lake:
 * the filter compiled to SQL); everything is still filtered locally afterwards, so a
 * pushed-down source only has to return a superset. */
#ifndef TG_SOURCE_H
#define TG_SOURCE_H

#include <stdint.h>
#include <stdio.h>
#include "aws.h"
#include "util.h"

struct query;

enum source_kind { SRC_LOCAL, SRC_S3, SRC_LOOKUP, SRC_ATHENA, SRC_LAKE };

/* Which kind a source argument is (anything without a known scheme is local). */
enum source_kind source_kind_of(const char *spec);

typedef struct source_progress {
	const char *phase;       /* "listing", "fetching", "querying", "paging" */
	size_t files_done, files_total;
	uint64_t bytes;
	size_t events;           /* events (or rows) received so far */
	double elapsed;
} source_progress;

typedef struct source_opts {
	int64_t since, until;     /* ms, the window to fetch (TG_TIME_NONE: open) */
	int64_t now;              /* ms, for the 90-day LookupEvents limit */
	struct query *const *queries; /* the queries the data is for (query: one; run: the
				     steps); NULL/0 = no pushdown, fetch the whole window */
	int nqueries;
	aws_client *aws;
	const char *cache_dir;    /* NULL: $XDG_CACHE_HOME/trailguide, ~/.cache/trailguide */
	int parallel;             /* S3 transfers at once (default 8) */
	FILE *warn;               /* messages; NULL = stderr */
	FILE *notice;             /* what must be seen before a long fetch starts (the whole
				     bucket without --since); NULL = warn */
	int strict;               /* --strict: refuse what would only be warned about */
	int quiet;
	void (*progress)(const source_progress *p, void *ud);
	void *progress_ud;
	volatile int *cancel;     /* set to non-zero to stop (the console's q) */
} source_opts;

typedef struct source_stats {
	size_t listed, fetched, cached, skipped_digest, failed;
	uint64_t bytes;
	size_t requests, throttled;
	size_t rows;              /* athena/lake rows, lookup events */
	char pushdown[256];       /* what was pushed down, for the summary/--timing */
} source_stats;

typedef struct strvec {
	char **v;
	size_t n, cap;
} strvec;
void strvec_push(strvec *sv, const char *s);
void strvec_free(strvec *sv);

/* The cache directory (created with mode 0700 if missing) into out. 0 or -1 (message in
 * err). */
int source_cache_dir(const source_opts *o, sbuf *out, sbuf *err);

/* call (cleared first) as an AWS JSON 1.1 POST to "/" of service: X-Amz-Target target, the
 * body body (neither copied). */
void source_json_call(aws_call *call, const char *service, const char *target,
		      const char *body);

/* Fetch one remote source, appending local file paths to out. Returns 0 when complete, 1
 * when partial (some objects or pages failed: what arrived is in out and a message said
 * what is missing), -1 when nothing could be fetched (message printed to o->warn). A
 * message says what happened and what to do (aws_explain). */
int source_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st);

/* The kinds, each in its own file. Same contract as source_fetch; spec is the full URL. */
int source_s3_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st);
int source_lookup_fetch(const char *spec, const source_opts *o, strvec *out,
			source_stats *st);
int source_athena_fetch(const char *spec, const source_opts *o, strvec *out,
			source_stats *st);
/* athena:// only: when q's whole pipeline compiles to one statement ending in its stats
 * table (sql_compile_table), Athena computes the table (source_athena_table.c). 1 with
 * *out, 0 when it does not fit (fetch the events instead), -1 failed (message printed). */
struct result;
int source_athena_table(const char *spec, const source_opts *o, struct query *q,
			struct result **out, source_stats *st);
int source_lake_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st);

#endif

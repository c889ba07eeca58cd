/* source_lookup.h — the pieces of the lookup://REGION source (CloudTrail LookupEvents)
 * that the unit tests and the fuzzer reach: which lookup attributes a set of queries
 * pushes down, the request body, the request pacing and the response page parser.
 * source_lookup_fetch itself is declared in source.h. */
#ifndef TG_SOURCE_LOOKUP_H
#define TG_SOURCE_LOOKUP_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct query;

#define LOOKUP_MAX_IN 20          /* an in (...) list longer than this is not pushed down */
#define LOOKUP_MAX_RESULTS 50     /* events per page (the API's maximum) */
#define LOOKUP_MAX_ATTEMPTS 8     /* tries per page when throttled or on transient errors */
#define LOOKUP_DAYS 90            /* LookupEvents keeps this many days */
#define LOOKUP_RATE 2.0           /* requests per second per account and region */

/* One lookup series: one LookupAttributes element (key NULL: the whole window). */
typedef struct lookup_series {
	const char *key;          /* "EventName", ... (static), or NULL */
	char *value;
} lookup_series;

typedef struct lookup_plan {
	lookup_series *s;
	size_t n;                 /* 1 with key NULL when nothing can be pushed down */
} lookup_plan;

/* The series to fetch for queries (each query its own attribute; the union of the
 * distinct (key, value) pairs; one attribute-less series when any query has none, or
 * nq == 0). */
void lookup_plan_make(struct query *const *qs, int nq, lookup_plan *p);
void lookup_plan_free(lookup_plan *p);
/* "EventName=ConsoleLogin", "EventName in (A, B)", "" when nothing is pushed down. */
void lookup_plan_describe(const lookup_plan *p, char *buf, size_t n);

/* The LookupEvents request body (caller frees): the attribute (key NULL: none),
 * StartTime/EndTime in epoch seconds, MaxResults, NextToken (NULL: none). */
char *lookup_request_body(const char *key, const char *value, int64_t start_s,
			  int64_t end_s, const char *next_token);

/* A token bucket: rate tokens per second, at most burst. */
typedef struct lookup_bucket {
	double rate, burst, tokens, last;
	int started;
} lookup_bucket;
void lookup_bucket_init(lookup_bucket *b, double rate, double burst);
/* Take one token for a request wanted at time now (seconds, any monotonic origin):
 * returns how long to wait first (0 when a token is there); the request is accounted
 * at now + the wait. */
double lookup_bucket_take(lookup_bucket *b, double now);

/* Event IDs already written (events fetched by several series are written once). */
typedef struct lookup_seen {
	char **slot;
	size_t cap, n;
} lookup_seen;
void lookup_seen_free(lookup_seen *s);
/* 1 if id was new (and is now remembered), 0 if it was seen before. */
int lookup_seen_add(lookup_seen *s, const char *id);

/* Parse one LookupEvents response page: each event's CloudTrailEvent document is
 * appended to out as one line (re-serialized when it holds a line break); events whose
 * ID is in seen, or whose document is not a JSON object, are passed over (*bad counts
 * the latter). *next gets the NextToken (caller frees) or NULL. 0, or -1 when the body
 * is not a LookupEvents response. */
int lookup_page_parse(const char *body, size_t n, lookup_seen *seen, sbuf *out,
		      size_t *added, size_t *bad, char **next);

#endif

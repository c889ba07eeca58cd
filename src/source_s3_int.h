/* source_s3_int.h — the S3 trail-bucket source's parts: listing (source_s3_list.c),
 * parallel fetching into the cache (source_s3_get.c), the walk (source_s3.c). */
#ifndef TG_SOURCE_S3_INT_H
#define TG_SOURCE_S3_INT_H

#include "source.h"

typedef struct s3_ctx {
	const char *spec;          /* s3://BUCKET/PREFIX as given, for messages */
	char bucket[64];
	char host_prefix[80];      /* "bucket." for virtual-hosted style */
	aws_client *aws;
	char region[64];           /* the region requests go to (after a redirect: the
				      bucket's) */
	sbuf endpoint;             /* base URL for region */
	int custom, path_style, redirected;
	const source_opts *o;
	source_stats *st;
	FILE *warn;
	int max_keys;              /* TRAILGUIDE_S3_MAX_KEYS, default 1000 */
	int list_errors;           /* listings that failed after the first one worked */
	int lists_ok;              /* listings that worked */
	int found_logs;            /* an AWSLogs/ folder was seen */
	int fatal;                 /* stop everything (credentials, no bucket, denied) */
	size_t messages;           /* object failure messages printed */
	sbuf cache;                /* CACHE/s3/BUCKET */
	double t0;
	struct s3_listing *keepp;  /* the log objects kept so far */
	strvec accounts, regions;  /* the only account / region folders the queries can match
				      (query_scope); empty: every one */
	size_t pruned;             /* account and region folders passed over */
} s3_ctx;

typedef struct s3_obj {
	char *key;                 /* decoded */
	char etag[130];
	uint64_t size;
} s3_obj;

typedef struct s3_listing {
	s3_obj *v;
	size_t n, cap;
	strvec prefixes;           /* CommonPrefixes, decoded */
} s3_listing;

void s3_listing_free(s3_listing *l);

/* The listing walk: ListObjectsV2 jobs run with libcurl multi (one at a time until a
 * listing worked, then at most o->parallel), every page (continuation tokens) handed to
 * page(), which may queue more jobs with s3_enqueue (through expand()). A job's failure
 * after retries is explained on c->warn: fatal before any listing worked or for errors
 * nothing else can survive (no bucket, credentials), else counted in c->list_errors. */
typedef struct s3_walker s3_walker;
typedef void (*s3_expand_fn)(s3_ctx *c, s3_walker *w, int level, const char *prefix);
typedef void (*s3_page_fn)(s3_ctx *c, s3_walker *w, int level, const char *prefix,
			   s3_listing *page);
void s3_walk(s3_ctx *c, int level, const char *prefix, s3_expand_fn expand, s3_page_fn page);
/* Queue a listing of prefix (delimiter '/' when delim; start-after start; stop paging once
 * a page ends after stop). */
void s3_enqueue(s3_walker *w, int level, const char *prefix, int delim, const char *start,
		const char *stop);
/* TRAILGUIDE_AWS_TRACE: aws_call_run's line, for requests made with curl multi here. */
void s3_trace(s3_ctx *c, CURL *h, const aws_call *call, const aws_resp *r, double t0,
	      int attempt);

/* Form-URL decoding (%XX, '+' is a space) as S3's encoding-type=url needs. */
void s3_url_decode(const char *s, size_t n, sbuf *out);

/* The wire path of key (path or virtual-hosted style); key NULL: the bucket itself. */
void s3_wire_path(const s3_ctx *c, const char *key, sbuf *out);
/* Fill a call for c's addressing (service, region, host prefix). */
void s3_call_init(const s3_ctx *c, aws_call *call);

/* Print "trailguide: s3://b/p: " + the explanation of r to c->warn. */
void s3_explain(s3_ctx *c, const aws_call *call, const aws_resp *r);
/* After failed attempt number attempt with answer r (why: aws_retryable(r)): 1 when it may
 * be tried again (the client's max attempts, default 5, not reached), with a throttle
 * counted and in *not_before the monotonic time the backoff (or r's Retry-After) ends;
 * else 0. */
int s3_retry(s3_ctx *c, const aws_resp *r, int why, int attempt, double *not_before);

/* The curl multi loops of the listing and the fetch. s3_due: 1 when a transfer waiting
 * until not_before may start at now; else 0, with *soonest (-1: none yet) lowered to it. */
int s3_due(double not_before, double now, double *soonest);
/* curl_multi_perform, then the finished transfers one by one: 1 with the index stored as
 * the handle's CURLINFO_PRIVATE in *i and its result in *res; 0 when none is left. Call
 * with perform 1 the first time of a round, 0 after. */
int s3_multi_done(CURLM *m, int perform, size_t *i, CURLcode *res);
/* Sleep in curl_multi_poll at most 200 ms, less when nothing is active and the soonest
 * waiting transfer (soonest > 0) is due earlier. */
void s3_multi_wait(CURLM *m, int active, double soonest);
void s3_warnf(s3_ctx *c, const char *fmt, ...) TG_PRINTF(2, 3);

/* Fetch objs[0..n) into the cache (ETag-checked; at most o->parallel at once), appending
 * the local paths of those present to out in order. Counts fetched/cached/failed/bytes. */
void s3_fetch_objects(s3_ctx *c, s3_obj *objs, size_t n, strvec *out);

/* Parse one ListBucketResult page into l (keys and prefixes decoded); the next
 * continuation token into next (empty: last page), the page's last key into lastkey. */
void s3_parse_page(const char *xml, size_t n, s3_listing *l, sbuf *next, sbuf *lastkey);
/* The day (days since the epoch) of a key's .../CloudTrail/REGION/YYYY/MM/DD/ folder, or
 * INT64_MIN. */
int64_t s3_key_day(const char *key);
/* 1 if key can name a file below the cache folder (no empty, . or .. component). */
int s3_safe_key(const char *key);
/* The layout level a prefix (ending in '/' or empty) points at (source_s3.c's enum). */
int s3_level_of(const char *prefix);

void s3_progress(s3_ctx *c, const char *phase, size_t done, size_t total);

#endif

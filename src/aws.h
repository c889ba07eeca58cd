/* aws.h — talking to AWS: credentials (the AWS CLI's chain), region, endpoints, and signed
 * HTTPS requests with libcurl (retries, throttling, errors explained).
 *
 * Secrets (secret keys, session tokens) never leave aws_creds: nothing here prints, logs or
 * journals them, and aws_creds_free wipes them. */
#ifndef TG_AWS_H
#define TG_AWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <curl/curl.h>
#include "util.h"

typedef struct aws_creds {
	char *akid, *secret, *token; /* token NULL for long-term keys */
	int64_t expires;             /* seconds since the epoch; 0 = does not expire */
	char from[160];              /* where they came from, for messages: "environment",
					"profile audit (assume role arn:aws:iam::1:role/x)",
					"container credentials", "instance metadata (IMDSv2)" */
} aws_creds;

void aws_creds_free(aws_creds *c); /* wipes the secrets (OPENSSL_cleanse) */

typedef struct aws_client {
	char *profile;          /* --profile, else AWS_PROFILE / AWS_DEFAULT_PROFILE, else NULL
				   ("default") */
	int profile_explicit;   /* --profile given: the environment keys are skipped */
	char region[64];        /* resolved region ("" when none could be found) */
	char region_from[64];   /* "AWS_REGION", "AWS_DEFAULT_REGION", "profile x", "--region" */
	aws_creds creds;
	int have_creds;
	long connect_timeout_ms;  /* default 10 s (at most timeout_ms) */
	long timeout_ms;          /* whole request, default 60 s; TRAILGUIDE_AWS_TIMEOUT=SECS
				     (fractions allowed) overrides it */
	int max_attempts;         /* default 5, or AWS_MAX_ATTEMPTS (1..20) */
	int64_t fixed_time;       /* > 0: sign as if it were this time (seconds); from
				     TRAILGUIDE_AWS_FIXED_TIME, for signature tests */
	FILE *warn;               /* warnings (permissive credentials file, retries); NULL =
				     stderr */
	FILE *trace;              /* TRAILGUIDE_AWS_TRACE=FILE: one line per request (method,
				     URL without query values, status, ms, attempts): never
				     headers or bodies */
	/* counters */
	unsigned long requests, retries, throttled;
	/* internal: the shared files, loaded by aws_client_init (NULL when absent) */
	struct aws_ini *ini_config, *ini_creds;
	char *config_path, *creds_path;
	int trace_own;            /* trace was opened by aws_client_init */
	int files_checked;        /* permission warning given once */
} aws_client;

/* Set up a client: region (explicit, else AWS_REGION, AWS_DEFAULT_REGION, the profile's
 * region) and nothing else; credentials are resolved on first use by aws_call_run, or
 * explicitly with aws_creds_resolve. profile/region may be NULL. */
void aws_client_init(aws_client *c, const char *profile, const char *region);
void aws_client_free(aws_client *c);

/* The credential chain, in the AWS CLI's order: environment (unless --profile), the
 * profile's role_arn + source_profile|credential_source (STS AssumeRole), static keys in
 * the credentials file, credential_process, static keys in the config file, container
 * credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI), IMDSv2 (unless
 * AWS_EC2_METADATA_DISABLED). A credentials or config file readable by group or others
 * gets a warning. 0, or -1 with a message in err saying what was tried and what to do. */
int aws_creds_resolve(aws_client *c, sbuf *err);

/* The endpoint for a service ("s3", "cloudtrail", "athena", "sts") in region: the
 * AWS_ENDPOINT_URL_<SERVICE> variable, AWS_ENDPOINT_URL, the profile's services section,
 * the profile's endpoint_url, else https://SERVICE.REGION.amazonaws.com (.amazonaws.com.cn
 * in cn- regions). AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips the overrides. Writes
 * the base URL without a trailing slash ("http://127.0.0.1:5055") to out; *custom is 1
 * for an override (S3 then uses path style). */
void aws_endpoint(const aws_client *c, const char *service, const char *region, sbuf *out,
		  int *custom);

/* One AWS API request. */
typedef struct aws_call {
	const char *service;      /* endpoint id and signing name: s3, cloudtrail, athena, sts */
	const char *region;       /* NULL: the client's */
	const char *method;       /* GET, POST, PUT */
	const char *host_prefix;  /* S3 virtual-hosted style: "bucket." before the endpoint
				     host (NULL: none) */
	const char *path;         /* wire path, percent-encoded, starts with '/' */
	const char *query;        /* wire query without '?', or NULL */
	const char *content_type; /* NULL: no Content-Type */
	const char *target;       /* X-Amz-Target, or NULL */
	const char *body;
	size_t body_len;
	FILE *sink;               /* write a 2xx body here instead of into resp.body */
	int no_retry;             /* one attempt only (the caller paces and retries) */
	int anonymous;            /* no credentials and no signature (STS
				     AssumeRoleWithWebIdentity, the IAM Identity Center portal) */
	const char *const *headers; /* extra "Name: value" headers, NULL-terminated; they are
				     not signed (the portal's bearer token) and never traced */
} aws_call;

typedef struct aws_resp {
	long status;              /* HTTP status, 0 when no answer came */
	sbuf body;                /* the body (error bodies always land here) */
	char code[96];            /* AWS error code (AccessDenied, ThrottlingException,
				     NoSuchBucket, ExpiredToken, ...), or for transport failures
				     one of: "DNS", "Connect", "TLS", "Timeout", "Network",
				     "Proxy", "Credentials" */
	char message[512];        /* the service's message or curl's error text */
	char request_id[96];      /* x-amzn-RequestId / x-amz-request-id */
	char bucket_region[64];   /* x-amz-bucket-region (S3 redirects) */
	char etag[130];           /* ETag (S3) */
	double retry_after;       /* x-amz-retry-after / Retry-After, seconds; 0 none */
	int attempts;             /* tries made */
	/* internal, for the transfer callbacks */
	FILE *sink_;
	size_t sunk_;
} aws_resp;

void aws_resp_init(aws_resp *r);
void aws_resp_free(aws_resp *r);
void aws_resp_reset(aws_resp *r);

/* Sign and send, retrying throttling and transient failures (5xx, connection errors,
 * timeouts) with exponential backoff and full jitter up to max_attempts (honouring
 * retry-after). Resolves credentials first if needed. TLS verification is always on;
 * proxies come from the environment (libcurl's http_proxy/https_proxy/no_proxy);
 * AWS_CA_BUNDLE adds a CA file. 0 on a 2xx answer, -1 otherwise with r->code/message
 * filled. */
int aws_call_run(aws_client *c, const aws_call *call, aws_resp *r);

/* For parallel transfers (curl multi): a signed easy handle for call, writing into r (or
 * call->sink). r must stay at the same address until aws_easy_finish (the callbacks and
 * curl's error buffer point into it); call->body is copied. A client is for one thread.
 * *hdrs must be freed with curl_slist_free_all after the transfer. NULL with
 * r->code = "Credentials" when there are no credentials. The handle's private pointer is
 * left for the caller. */
CURL *aws_easy_new(aws_client *c, const aws_call *call, aws_resp *r, struct curl_slist **hdrs);
/* After a multi transfer ended with curl code rc: fill r->status, code, message, headers
 * (parsing an XML or JSON error body). 0 for a 2xx answer, -1 otherwise. */
int aws_easy_finish(CURL *h, CURLcode rc, aws_resp *r);

/* 1 if the error is throttling (HTTP 429 or one of botocore's throttling codes), 2 if it is
 * transient (5xx, RequestTimeout, transport failures other than DNS/TLS), else 0. */
int aws_retryable(const aws_resp *r);

/* Backoff before attempt n (1-based) in ms: full jitter over min(20 s, 100 ms * 2^n). */
long aws_backoff_ms(int attempt);

/* One or two sentences: what happened (service, region, code, message, request id) and
 * what to do (refresh credentials, check the bucket's region, the proxy, ...). Never
 * contains a secret. */
void aws_explain(const aws_client *c, const aws_call *call, const aws_resp *r, sbuf *out);

/* Current time for signing: fixed_time when set, else the clock. */
int64_t aws_now(const aws_client *c);

/* Parse an AWS JSON 1.1 error body's __type (namespace and ':' suffix dropped) and
 * message/Message, or an XML <Error><Code>/<Message>. 1 if a code was found. */
int aws_parse_error(const char *body, size_t n, char *code, size_t coden, char *msg,
		    size_t msgn);

#endif

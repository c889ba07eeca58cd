/* jscan.h — a small, validating, single-pass JSON scanner for CloudTrail records.
 *
 * It is the ingest hot path: it walks one record's bytes once, checks that they are
 * well-formed JSON, and records where the fixed fields are, without building a tree.
 * cJSON stays the tool for DOM work (detail pane, API responses); tests compare this
 * scanner with cJSON on every record of every dataset we have. */
#ifndef TG_JSCAN_H
#define TG_JSCAN_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

/* The fixed paths pulled out of every record. */
enum jf {
	JF_EVENTTIME,     /* eventTime */
	JF_EVENTNAME,     /* eventName */
	JF_EVENTSOURCE,   /* eventSource */
	JF_AWSREGION,     /* awsRegion */
	JF_SOURCEIP,      /* sourceIPAddress */
	JF_USERAGENT,     /* userAgent */
	JF_ERRORCODE,     /* errorCode */
	JF_UI_TYPE,       /* userIdentity.type */
	JF_UI_ARN,        /* userIdentity.arn */
	JF_UI_PRINCIPALID,/* userIdentity.principalId */
	JF_UI_ACCOUNTID,  /* userIdentity.accountId */
	JF_UI_ACCESSKEY,  /* userIdentity.accessKeyId */
	JF_UI_INVOKEDBY,  /* userIdentity.invokedBy */
	JF_ISSUER_ARN,    /* userIdentity.sessionContext.sessionIssuer.arn */
	JF_RECIPIENT,     /* recipientAccountId */
	JF_EVENTID,       /* eventID */
	JF_READONLY,      /* readOnly */
	JF_TIMESTAMP,     /* @timestamp (Logstash exports, which may drop eventTime) */
	JF_N
};

/* Dotted path of each JF_ field, e.g. jf_path[JF_ISSUER_ARN]. */
extern const char *const jf_path[JF_N];

enum jkind { JK_ABSENT = 0, JK_STRING, JK_NUMBER, JK_TRUE, JK_FALSE, JK_NULL, JK_OBJECT, JK_ARRAY };

/* Where a value sits, relative to the start of the buffer given to the scanner. For
 * strings, off/len cover the content between the quotes and esc says whether it holds a
 * backslash escape (then use jscan_unescape). For other kinds off/len cover the raw token
 * or the whole object/array text. */
typedef struct jspan {
	uint32_t off, len;
	uint8_t kind; /* enum jkind */
	uint8_t esc;
} jspan;

typedef struct jscan_err {
	size_t off;         /* byte offset of the problem in the buffer */
	const char *reason; /* static string, e.g. "unterminated string" */
} jscan_err;

/* Nesting deeper than this is rejected as malformed (we never recurse, so this is policy,
 * not a stack limit). */
#define JSCAN_MAX_DEPTH 512

/* Scan the object that starts at buf[pos] (pos points at '{'), validating it fully.
 * On success return 0, set *end just past the closing '}', and fill f[] (unset fields get
 * JK_ABSENT). On malformed input return -1 and fill *err. Strings must be valid JSON:
 * raw control bytes (including NUL) inside strings are errors; invalid UTF-8 is accepted
 * here and reported through *bad_utf8 (set to 1 when seen; may be NULL). */
int jscan_record(const char *buf, size_t len, size_t pos, size_t *end, jspan f[JF_N],
		 int *bad_utf8, jscan_err *err);

/* Validate and skip any JSON value starting at buf[pos] (leading whitespace allowed).
 * 0 with *end set, or -1 with *err. */
int jscan_skip(const char *buf, size_t len, size_t pos, size_t *end, jscan_err *err);

/* Skip JSON whitespace from pos; returns the new position (<= len). */
size_t jscan_ws(const char *buf, size_t len, size_t pos);

/* Find the value at a dotted path ("requestParameters.policyArn", "resources.0.ARN":
 * numeric components index arrays) inside the object text rec[0..len). Returns 0 and sets
 * *out (offsets relative to rec) or -1 when absent or malformed. */
int jscan_path(const char *rec, size_t len, const char *path, jspan *out);

/* Append the decoded content of a JSON string body (between the quotes) as UTF-8.
 * Bad \u escapes and lone surrogates become U+FFFD. */
void jscan_unescape(const char *p, size_t n, sbuf *out);

/* Append the value of a span as text: strings decoded, other scalars as their token,
 * objects/arrays as their raw JSON text. Nothing for JK_ABSENT. */
void jscan_text(const char *base, const jspan *s, sbuf *out);

#endif

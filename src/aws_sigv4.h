/* aws_sigv4.h — AWS Signature Version 4 (HMAC-SHA256, OpenSSL EVP).
 *
 * The signer takes a request exactly as it goes on the wire (path and query already
 * percent-encoded the way they are sent, every header to sign) and produces the canonical
 * request, the string to sign, the signature and the Authorization header value. It is
 * checked against the AWS test suites in ../shared/data/sigv4 and against botocore. */
#ifndef TG_AWS_SIGV4_H
#define TG_AWS_SIGV4_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

typedef struct sigv4_header {
	const char *name, *value; /* as sent; repeated names are merged "v1,v2" in order */
} sigv4_header;

typedef struct sigv4_req {
	const char *method;          /* "GET", "POST", ... */
	const char *path;            /* as sent, without the query; "" means "/" */
	const char *query;           /* as sent, without '?'; NULL or "" for none */
	const sigv4_header *hdrs;    /* every header to sign (host and x-amz-date included) */
	size_t nhdrs;
	const void *body;
	size_t body_len;
	const char *payload_hash;    /* hex SHA-256 or "UNSIGNED-PAYLOAD" (S3's
					x-amz-content-sha256); NULL: SHA-256 of the body */
	const char *region, *service;
	const char *amz_date;        /* YYYYMMDDTHHMMSSZ: the X-Amz-Date header's value */
	int s3;                      /* S3 rules: the path is used as sent (no
					normalization, encoded once); otherwise the path is
					normalized (. .. //) and encoded a second time */
} sigv4_req;

typedef struct sigv4_out {
	sbuf creq;            /* canonical request */
	sbuf sts;             /* string to sign */
	sbuf signed_headers;  /* "host;x-amz-date" */
	char signature[65];   /* lower-case hex */
	sbuf authz;           /* "AWS4-HMAC-SHA256 Credential=AKID/SCOPE, SignedHeaders=..,
				 Signature=.." */
} sigv4_out;

void sigv4_out_init(sigv4_out *o);
void sigv4_out_free(sigv4_out *o);

/* Sign r with the key pair. 0, or -1 when the request is malformed (no amz_date, a
 * header name that is not a token); o holds whatever was computed. */
int sigv4_sign(const sigv4_req *r, const char *akid, const char *secret, sigv4_out *o);

/* SigV4's UriEncode: A-Z a-z 0-9 - . _ ~ kept, every other byte %XX (upper-case hex);
 * '/' kept when keep_slash. Appends to out. */
void sigv4_uri_encode(sbuf *out, const char *s, size_t n, int keep_slash);

/* The canonical URI of path (aws.md §5.1): "/" for ""; S3: as sent (existing %XX kept,
 * other bytes outside the unreserved set and '/' encoded); otherwise normalized like
 * botocore (no . .. or empty segments, trailing slash kept) and encoded once more. */
void sigv4_canonical_uri(sbuf *out, const char *path, int s3);

/* The canonical query of a raw query (without '?'): parameters split on '&' and the first
 * '=', percent-decoded, UriEncoded, sorted by name then value; "name=" without value. */
void sigv4_canonical_query(sbuf *out, const char *query);

/* "name:value\n" lines (lower-case names, trimmed and collapsed values, repeats merged
 * "v1,v2", sorted) appended to out, the names joined by ';' to signed_h. -1 when a name is
 * empty or not an HTTP token (the output is still complete), else 0. */
int sigv4_canonical_headers(sbuf *out, sbuf *signed_h, const sigv4_header *h, size_t nh);

/* t (seconds since the epoch, UTC) as YYYYMMDDTHHMMSSZ. */
void sigv4_amz_date(int64_t t, char out[17]);

/* Lower-case hex SHA-256 of p[0..n). */
void sigv4_sha256_hex(const void *p, size_t n, char out[65]);

#endif

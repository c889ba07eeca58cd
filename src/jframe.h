/* jframe.h — recognise a CloudTrail file's shape by content and walk its records. */
#ifndef TG_JFRAME_H
#define TG_JFRAME_H

#include <stddef.h>
#include "jscan.h"

enum jformat {
	JFMT_UNKNOWN = 0, /* not CloudTrail: not JSON, or JSON of another shape */
	JFMT_RECORDS,     /* {"Records":[ {...}, ... ]} as delivered to S3 */
	JFMT_NDJSON,      /* one event object per line */
	JFMT_ARRAY,       /* [ {...}, ... ] */
	JFMT_LOOKUP,      /* aws cloudtrail lookup-events output: {"Events":[{"CloudTrailEvent":"..."}]} */
	JFMT_DIGEST,      /* a CloudTrail-Digest file: valid, but holds no events */
	JFMT_EMPTY        /* empty or whitespace only */
};

const char *jformat_name(enum jformat f);

/* Detect the format of an uncompressed buffer by looking at its content. */
enum jformat jframe_detect(const char *buf, size_t len);

/* For JFMT_LOOKUP: build the "view" that records point into: each CloudTrailEvent string
 * decoded and written on its own line (so the view is NDJSON). Deterministic, so the detail
 * pane can rebuild it later. Returns 0, or -1 with *err when the outer document is bad. */
int jframe_lookup_view(const char *buf, size_t len, sbuf *view, jscan_err *err);

/* Called for each record that scanned cleanly: off/len locate the record's object text in
 * the buffer, f[] its fixed fields (offsets relative to buf + off), bad_utf8 whether it
 * held invalid UTF-8. Return non-zero to stop. */
typedef int (*jframe_rec_fn)(void *ud, size_t off, size_t len, const jspan f[JF_N],
			     int bad_utf8);
/* Called for each problem: the byte offset in the buffer and the reason. The walk goes
 * on with the rest of the buffer where it can (next line for NDJSON, next record in an
 * array), and says how many bytes it had to skip. */
typedef void (*jframe_err_fn)(void *ud, size_t off, const char *reason);

/* Walk every record of buf in format fmt (RECORDS, NDJSON or ARRAY; for LOOKUP pass the
 * view, format NDJSON). Returns the number of records delivered. */
size_t jframe_walk(const char *buf, size_t len, enum jformat fmt, jframe_rec_fn rec,
		   jframe_err_fn errf, void *ud);

#endif

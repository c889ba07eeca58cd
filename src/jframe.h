/* jframe.h — recognise a CloudTrail file's shape by content and walk its records. */
#ifndef TG_JFRAME_H
#define TG_JFRAME_H

#include <stddef.h>
#include <stdint.h>
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

/* ---- walking a big file in chunks (ingest_big.c) ----
 * A walk that can stop at a record boundary and go on later from its state, over a window
 * of the file rather than all of it. Walked from the file's start and then on from each
 * state it stops in, the records, problems and offsets are the same as jframe_walk's over
 * the whole file. */
enum jphase {
	JPH_START,  /* at the start of the file */
	JPH_ARRAY,  /* at an element of the record array (Records, or an array file) */
	JPH_NDJSON, /* before a record of an NDJSON file */
	JPH_DONE    /* the walk is over */
};

typedef struct jframe_state {
	int phase;       /* enum jphase */
	uint64_t pos;    /* file offset of that place */
	size_t recno;    /* records begun before it */
	size_t line;     /* NDJSON: the line number at pos */
	size_t budget;   /* resynchronisation bytes left */
	int got;         /* Records: a Records array was seen */
} jframe_state;

enum jwalk {
	JW_END,       /* the walk is over: the file is done */
	JW_SUSPENDED, /* stopped at a record starting at or past `stop` */
	JW_UNCLEAN,   /* clean mode: stopped before a problem it would have to report */
	JW_SHORT      /* the window ended too soon: walk again from the same state with more */
};

/* The state at the start of a file of filelen bytes. */
void jframe_state_init(jframe_state *st, uint64_t filelen);

/* Walk on from *st over win[0..winlen), the bytes of the file at offset base, to the first
 * record at or past file offset stop (UINT64_MAX: to the end). rec/errf get offsets into
 * win. In clean mode (a chunk whose record count before it is not known) the walk
 * reports nothing: it stops before the first problem (JW_UNCLEAN), and then st->recno and
 * st->line count from the values passed in. On JW_SHORT the records delivered must be
 * dropped and *st is unchanged; otherwise *st is where the walk stopped. Returns an enum
 * jwalk. */
int jframe_walk_chunk(const char *win, size_t winlen, uint64_t base, uint64_t filelen,
		      enum jformat fmt, jframe_state *st, uint64_t stop, int clean,
		      jframe_rec_fn rec, jframe_err_fn errf, void *ud);

/* Like jframe_detect, on the first len bytes of a longer file: a format only when the
 * whole file is surely detected the same way, else JFMT_UNKNOWN. */
enum jformat jframe_detect_prefix(const char *buf, size_t len);

#endif

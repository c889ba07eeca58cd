/* output.h — print query results as table, JSON, NDJSON or CSV. */
#ifndef TG_OUTPUT_H
#define TG_OUTPUT_H

#include <stdint.h>
#include <stdio.h>
#include "query.h"
#include "sha256.h"
#include "store.h"

enum out_format { OUT_TABLE, OUT_JSON, OUT_NDJSON, OUT_CSV };

/* Parse "table", "json", "ndjson", "csv". -1 if unknown. */
int output_format_parse(const char *s);

/* The columns shown for events when the query names none. */
extern const char *const output_default_fields[];

/* Where output goes: a file descriptor (written with write/writev), else a stdio stream;
 * with sha set, every byte is hashed as it is written. */
typedef struct out_sink {
	int fd;          /* -1: fp */
	FILE *fp;
	sha256_ctx *sha; /* NULL: no hash */
	uint64_t bytes;  /* written so far */
	int err;         /* errno of the first failed write (0: none); later writes do nothing */
} out_sink;

/* Append n bytes; 0, or -1 with o->err. */
int out_sink_write(out_sink *o, const void *p, size_t n);

/* r written to o, as output_result; -1 with msg also when a write failed. */
int output_result_sink(out_sink *o, store *s, const result *r, enum out_format fmt,
		       char *msg, size_t msgn);

/* The raw events idx[0..n) as JSON (an array, one event a line) or NDJSON, in that order,
 * every event through output_json_line: store_raw_format's fast path (the workers format,
 * a writer thread writes). 0, or -1 with msg (a file not read back, or a failed write). */
int output_raw_events(out_sink *o, store *s, const uint32_t *idx, size_t n,
		      enum out_format fmt, char *msg, size_t msgn);

/* Write r to fp (to its descriptor, after a flush, when it has one). Event rows without a `fields` stage are the whole raw events in JSON and
 * NDJSON, and the default columns in table and CSV. Everything from an event is escaped
 * for the target. Returns 0, or -1 with msg when a raw event could not be read back. */
int output_result(FILE *fp, store *s, const result *r, enum out_format fmt, char *msg,
		  size_t msgn);

/* Append raw event JSON with any invalid UTF-8 replaced by \ufffd and line breaks between
 * tokens turned into spaces, so that it is one valid JSON line. */
void output_json_line(sbuf *out, const char *raw, size_t n);

#endif

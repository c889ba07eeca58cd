/* output.h — print query results as table, JSON, NDJSON or CSV. */
#ifndef TG_OUTPUT_H
#define TG_OUTPUT_H

#include <stdio.h>
#include "query.h"
#include "store.h"

enum out_format { OUT_TABLE, OUT_JSON, OUT_NDJSON, OUT_CSV };

/* Parse "table", "json", "ndjson", "csv". -1 if unknown. */
int output_format_parse(const char *s);

/* The columns shown for events when the query names none. */
extern const char *const output_default_fields[];

/* Write r to fp. Event rows without a `fields` stage are the whole raw events in JSON and
 * NDJSON, and the default columns in table and CSV. Everything from an event is escaped
 * for the target. Returns 0, or -1 with msg when a raw event could not be read back. */
int output_result(FILE *fp, store *s, const result *r, enum out_format fmt, char *msg,
		  size_t msgn);

/* Append raw event JSON with any invalid UTF-8 replaced by \ufffd and line breaks between
 * tokens turned into spaces, so that it is one valid JSON line. */
void output_json_line(sbuf *out, const char *raw, size_t n);

#endif

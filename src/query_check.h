/* query_check.h — warn about field names that name nothing, with the closest known one.
 *
 * A field the query names that is neither an alias (event, service, ...) nor a path whose
 * first segment is a CloudTrail record field (eventName, userIdentity.arn,
 * requestParameters.anything, ...) would silently match nothing. These calls find such
 * fields after a successful query_parse and before (or instead of) query_run:
 *
 *   sbuf w; sbuf_init(&w);
 *   if (query_field_warnings(q, s, &w) > 0)
 *       fputs(w.s, stderr);   // "unknown field 'servce' (col 1): did you mean 'service'?\n"
 *   sbuf_free(&w);
 *
 * Warnings never block a query: the parse stands and the query may still run. */
#ifndef TG_QUERY_CHECK_H
#define TG_QUERY_CHECK_H

#include "query.h"
#include "store.h"
#include "util.h"

/* Call fn once per unknown field, in text order (the first place each distinct name is
 * written): the name as written, its 0-based byte column in the query text, and the
 * closest known field (for a dotted path: the path with its first segment corrected), or
 * NULL when nothing is close. s may be NULL; when given, a first segment that is a
 * top-level key of the loaded events (a sample of them: Lake or NDJSON exports may carry
 * extra keys) is known too. Stages that run on a table (after stats or spike) name the
 * table's columns, which the parser already checks; they are skipped. Returns the count. */
int query_field_check(const query *q, const store *s,
		      void (*fn)(void *ud, const char *field, int col, const char *suggest),
		      void *ud);

/* A field that names something but crosses an array without "[]" ("resources.ARN", which
 * reaches nothing) is reported through fn too, with suggest = the path with "[]" where the
 * array is ("resources[].ARN"). 1 when (field, suggest) is such a report; callers word it
 * as "field 'resources.ARN' crosses an array: write 'resources[].ARN' to match any element". */
int query_field_array_hint(const char *field, const char *suggest);

/* The same, appended to out as one line per field:
 *   unknown field 'servce' (col 1): did you mean 'service'?
 *   unknown field 'xyzzy' (col 14): not an alias or a CloudTrail record field
 * (col is 1-based). Returns the count; out is untouched when it is 0. The field text is the
 * user's, unescaped: escape it for the terminal where it is shown. */
int query_field_warnings(const query *q, const store *s, sbuf *out);

/* The top-level fields of a CloudTrail record, NULL-terminated (eventVersion, userIdentity,
 * eventTime, ...). */
extern const char *const query_record_fields[];

#endif

/* sql_int.h — what the SQL compiler's files share (not part of sql.h's interface). */
#ifndef TG_SQL_INT_H
#define TG_SQL_INT_H

#include <stddef.h>
#include "query_ast.h"
#include "sql.h"

/* Valid UTF-8 without control bytes: the only text that goes into a literal. */
int sql_text_ok(const char *s, size_t n);

enum fkind {
	FK_PLAIN,  /* a string column: NULL when absent */
	FK_FIXED,  /* a fixed store column: "" counts as absent locally */
	FK_JSON,   /* Athena: a path inside a JSON-string column */
	FK_MAP,    /* Lake: a whole map column (only exists compiles) */
};

typedef struct fexpr {
	enum fkind kind;
	sbuf x;        /* the value as text */
	sbuf jcol;     /* FK_JSON: the column; jpath: the JSONPath */
	sbuf jpath;
	sbuf bare;     /* FK_FIXED: the column without NULLIF */
} fexpr;

/* Resolve a field (alias, derived column, path) into f. 0, or -1 when the table has no such
 * column. sql_fexpr_free in either case. */
int sql_field_resolve(const char *field, enum sql_dialect d, fexpr *f);
void sql_fexpr_free(fexpr *f);

/* sql_pattern.c: a glob as a LIKE pattern (lower case, '\\' escapes; -1 when it has a
 * [set]); 1 when a regex means the same in POSIX ERE and Trino; a CIDR with its host bits
 * cleared ("10.0.0.0/8"). */
int sql_glob_like(const char *p, size_t n, sbuf *out);
int sql_regex_portable(const char *s, size_t n);
int sql_cidr_text(const qval *v, char *buf, size_t n);

/* sql_display.c: display mode's stages as SELECT/GROUP BY/ORDER BY/LIMIT while they fit. */
typedef struct dstate {
	sbuf sel, where, group, order;
	long limit;
	int stats, stopped, nwhere;
} dstate;
/* One stage: 1 when it compiled into SQL. */
int sql_stage(const struct query *q, const qstage *st, const sql_opts *o, dstate *s,
	      sql_info *info);
/* The events a sequence can use: those matching one of its steps (not steps included). 1
 * with the condition in out, 0 when some step matches anything SQL cannot narrow. */
int sql_seq_filter(const struct query *q, const qstage *st, const sql_opts *o, sbuf *out);

#endif

/* sql.h — compile the query language to Athena SQL and CloudTrail Lake SQL.
 *
 * Two modes:
 *   display  what `trailguide sql` prints: the filter, and the stats/sort/head/fields
 *            stages where SQL can express them (GROUP BY, ORDER BY, LIMIT);
 *   events   what the athena:// and lake:// sources run: the filter only, selecting the
 *            columns needed to rebuild each CloudTrail record (sql_row_event); every stage
 *            finishes locally.
 *
 * Whatever does not compile (investigation stages, @lists, a field the table lacks, a
 * regex or glob SQL cannot express exactly, a literal with control bytes) is left to the
 * local evaluator, and the WHERE clause still selects a SUPERSET of the matching events: a
 * conjunct that does not compile becomes TRUE, and a NOT or OR with an uncompilable part
 * inside becomes TRUE as a whole. The local run after the fetch makes the result exact.
 *
 * Literals are always single-quoted with '' doubling; text with control bytes is never
 * put into SQL. Identifiers come from field paths and only [A-Za-z0-9_] segments are
 * used; any other field does not compile. */
#ifndef TG_SQL_H
#define TG_SQL_H

#include <stdint.h>
#include "util.h"

struct query;
struct qnode;
struct cJSON;

enum sql_dialect { SQL_ATHENA, SQL_LAKE };
enum sql_mode { SQL_DISPLAY, SQL_EVENTS };

typedef struct sql_opts {
	enum sql_dialect dialect;
	enum sql_mode mode;
	const char *table;     /* Athena: [catalog.]db.table; Lake: the event data store id */
	int64_t since, until;  /* ms, the window (TG_TIME_NONE: open) */
	int64_t now;           /* ms, for relative times in the query (time > -1h) */
	const char *partition; /* Athena partition columns: NULL, "" or "none" = none (the
				  table the CloudTrail console creates); else a comma list of
				  ROLE[:COLUMN], ROLE account, region or date (yyyy/MM/dd); a bare
				  other name is the date column: "timestamp" for the
				  partition-projection table, "account,region,timestamp" for
				  the organization trail's */
	int dedup;             /* display mode: count() counts distinct eventIDs (a file may
				  repeat an event; the local store keeps one), for a table
				  computed by the service (sql_compile_table) */
} sql_opts;

/* What a compilation left to the local evaluator. */
typedef struct sql_info {
	int conjuncts;         /* top-level conjuncts of the filter compiled to SQL */
	int widened;           /* filter parts replaced by TRUE (or compiled wider) */
	sbuf local;            /* one line per thing finished locally (no "--" prefix) */
} sql_info;

void sql_info_init(sql_info *in);
void sql_info_free(sql_info *in);

/* Compile q into one SELECT statement (no trailing ';', no comments) appended to out. 0,
 * or -1 with a message in err (an unusable table name). */
int sql_compile(const struct query *q, const sql_opts *o, sbuf *out, sql_info *info,
		sbuf *err);

/* Events mode for several queries at once (the steps of a run): the OR of their filters
 * (a query without a compilable filter makes it TRUE). n == 0 selects every event. */
int sql_compile_events(struct query *const *qs, int n, const sql_opts *o, sbuf *out,
		       sql_info *info, sbuf *err);

/* The whole query as one statement that returns its table: 1 when q ends in a stats
 * table and every stage compiled exactly (nothing left to the local run; no bin() keys,
 * whose rendering differs), with the statement in out (display mode, dedup on); 0 when it
 * does not fit (out unchanged); -1 with err for an unusable table name. */
int sql_compile_table(const struct query *q, const sql_opts *o, sbuf *out, sbuf *err);

/* --- pieces, exposed for the tests --- */

/* The filter e as a SQL condition appended to out. Returns 2 when exact, 1 when compiled
 * wider than the filter (a superset), 0 when nothing compiled (out gets TRUE). text is the
 * query text (regexes are read back from it). No filter (NULL) is TRUE, exact. */
int sql_filter(const struct qnode *e, const char *text, const sql_opts *o, sbuf *out,
	       sql_info *info);

/* The SQL expression for a field (alias, derived column or path) appended to out. 0, or
 * -1 when the table has no such column (out unchanged). */
int sql_field(const char *field, enum sql_dialect d, sbuf *out);

/* 'text' with '' doubling. -1 (nothing appended) when text holds a control byte. */
int sql_quote(sbuf *out, const char *s, size_t n);

/* A "quoted identifier" ("" doubling). -1 for control bytes or an empty name. */
int sql_quote_ident(sbuf *out, const char *s);

/* The result columns events mode selects, in order: the aliases sql_row_event maps
 * back. */
int sql_event_ncols(void);
const char *sql_event_alias(int i);
const char *sql_event_path(int i);   /* where it goes in the record */

/* Rebuild a CloudTrail record from one result row: names[i] (column names, matched
 * case-insensitively against the aliases) and vals[i] (NULL for SQL NULL). JSON-string
 * columns (Athena) are parsed back into objects when they hold valid JSON; Lake's map
 * rendering {k=v, k2=v2} becomes an object of strings (values that are valid JSON objects
 * or arrays are parsed). readOnly becomes a boolean; Lake's eventTime timestamp
 * (2026-11-20 02:13:07.000) becomes ISO 8601. NULL values are skipped. */
struct cJSON *sql_row_event(enum sql_dialect d, char *const *names, char *const *vals, int n);

#endif

/* run_output.h — a runbook run's report: table, JSON, NDJSON, CSV, Markdown; alert body. */
#ifndef TG_RUN_OUTPUT_H
#define TG_RUN_OUTPUT_H

#include <stdio.h>
#include "output.h"
#include "query.h"
#include "runbook.h"

enum { RUN_FMT_MD = OUT_CSV + 1 };

/* "table", "json", "ndjson", "csv" (enum out_format) or "md" (RUN_FMT_MD); -1 if unknown. */
int run_format_parse(const char *s);

typedef struct run_step {
	const rb_step *step;
	result *r;      /* the rows shown: for findings under --state, only the new ones */
	size_t total;   /* rows the query returned */
	size_t seen;    /* findings left out because --state had already reported them */
	char **keys;    /* per row of r: the finding's identity (state, dedup) */
	char *error;    /* the step's query failed at run time: why (r is NULL) */
} run_step;

typedef struct run_report {
	const runbook *rb;
	store *s;
	int64_t since, until; /* the window; TG_TIME_NONE = open */
	run_step *steps;
	int nsteps;
} run_report;

/* Rows of findings steps in the report (what --fail-on-findings and --notify count). */
size_t run_findings(const run_report *rep);

/* Print the report in fmt. 0, or -1 with msg when a raw event could not be read back. */
int run_output(FILE *fp, const run_report *rep, int fmt, char *msg, size_t msgn);

/* run_md.c: the Markdown report (RUN_FMT_MD). */
int run_md(FILE *fp, const run_report *rep, char *msg, size_t msgn);
enum { RUN_MD_RESPOND_ROWS = 10 }; /* respond actions are filled for this many rows */

/* The --notify JSON: text (for Slack), runbook{id,title,version,severity},
 * window{since,until}, findings[{step, count, events[{eventID,time,event,principal,ip}]}]
 * (at most RUN_NOTIFY_MAX events per step; "truncated": true when there were more). */
enum { RUN_NOTIFY_MAX = 100 };
void run_notify_body(const run_report *rep, sbuf *out);

/* The identity of row i of r for --state: the eventID for events ("noid:" and a hash of
 * the time and default columns when it has none), "row:" and a hash of the cells for
 * tables. */
char *run_row_key(store *s, const result *r, size_t i);

/* run_rows.c: the cells of a result for display, whether events or a table. */
typedef struct run_grid {
	store *s;
	const result *r;
	int ncols;
	const char **head;
	qfield *fs;
	char tbuf[32];
} run_grid;
int run_grid_open(run_grid *g, store *s, const result *r, char *msg, size_t msgn);
const char *run_grid_cell(run_grid *g, size_t i, int k, size_t *len); /* NULL: absent */
void run_grid_close(run_grid *g);

#endif

/* view.h — the event list as a virtual list over a query result: cursor, scroll, rows
 * formatted on demand. No curses here. */
#ifndef TG_TUI_VIEW_H
#define TG_TUI_VIEW_H

#include <stddef.h>
#include "query.h"
#include "store.h"
#include "util.h"

typedef struct tui_view {
	char *query;    /* the text that produced r */
	char *label;    /* breadcrumb text: "principal=arn:..." or the step title */
	result *r;
	size_t cursor, scroll;
	qfield *cols;   /* chosen columns (columns LIST, or a fields stage); NULL: default */
	int ncols;
	char *sort;     /* the last sort's column, applied again when r is re-run; NULL: none */
	int sort_desc;
	int clip;       /* a pivot: count what the window leaves out of it */
	size_t total;   /* with clip: the query's events over all loaded events */
	/* the detail pane as it was when this view was left (a pivot), restored by back */
	long d_ev;      /* the event shown (-1: none saved) */
	size_t d_cursor, d_scroll;
	unsigned char *d_folds; /* the fold state of its full lines (NULL: none folded) */
	size_t d_nfolds;
	/* column widths by content (tables, chosen columns), cached for cw_r at cw_width */
	int *cw, cw_n, cw_width;
	const result *cw_r;
} tui_view;

/* Rows in the view (events, or table rows). */
size_t tui_view_count(const tui_view *v);
/* The store index of the event under the cursor, or -1 (empty, or a table). */
long tui_view_event(const tui_view *v);
/* Move the cursor by delta rows (clamped) and keep it inside a window of h rows. */
void tui_view_move(tui_view *v, long delta, int h);
void tui_view_to(tui_view *v, size_t row, int h);
/* Scroll so the cursor is visible in h rows (after a resize). */
void tui_view_clamp(tui_view *v, int h);

/* The column heading line for width columns. */
void tui_view_heading(store *s, tui_view *v, int width, sbuf *out);
/* Row i formatted for width columns, every value escaped for the terminal. Tables and
 * chosen columns are as wide as their content (principal ARNs shortened to the user, role
 * or session part), the widest cut first when they do not fit. */
void tui_view_row(store *s, tui_view *v, size_t i, int width, sbuf *out);

void tui_view_free(tui_view *v);

/* Show the columns names[0..n) (any field or dotted path) instead of the default ones;
 * 0, or -1 with msg naming the field that does not resolve. n == 0: the default. */
int tui_view_set_columns(store *s, tui_view *v, char *const *names, int n, char *msg,
			 size_t msgn);
/* Sort the rows by the field (events) or column (tables) named col, stably; desc: high
 * first. Numbers compare as numbers; absent values go last. 0, or -1 with msg. The sort is
 * remembered in v->sort. */
int tui_view_sort(store *s, tui_view *v, const char *col, int desc, char *msg, size_t msgn);

/* Append s[0..n) escaped, cut to at most width display columns ("…" marks a cut when
 * ellipsis is set), padded with spaces to exactly width when pad is set. */
void tui_cell(sbuf *out, const char *s, size_t n, int width, int ellipsis, int pad);
/* The same for text already escaped (or our own). */
void tui_fit(sbuf *out, const char *e, size_t n, int width, int ellipsis, int pad);

#endif

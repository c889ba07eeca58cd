/* rowfind.h — the event list's free-text find, a table row's drill-down query, and the
 * command inside a respond action. No curses here (unit-tested in tests/unit/test_tui.c). */
#ifndef TG_TUI_ROWFIND_H
#define TG_TUI_ROWFIND_H

#include <stddef.h>
#include "store.h"
#include "tui/view.h"
#include "util.h"

/* The row of v nearest after `from` (dir > 0) or before it (dir < 0), wrapping, whose
 * shown columns or raw JSON contain needle, case-insensitive; from itself is tried first
 * when inclusive. -1 when no row matches. Tables: their cells only. */
long tui_view_find(store *s, tui_view *v, const char *needle, size_t from, int dir,
		   int inclusive);

/* Append v[0..n) as a query string literal: quotes and backslashes escaped, controls as
 * \u00XX. Pivots and drill-downs build their filters with it. */
void tui_query_quote(sbuf *q, const char *v, size_t n);

/* The events behind row `row` of the table a stats query made: the query's text before
 * its `| stats` stage with a `| filter` on each `by` key that is a column of the table
 * (an absent cell: `not KEY exists`). Keys made by functions (bin(time, 1h)) are skipped.
 * 0 with *out filled, or -1 with msg (not a stats table, no usable key). */
int tui_drill_query(const char *query, const char *const *cols, int ncols,
		    char *const *cells, sbuf *out, char *msg, size_t msgn);

/* The command of a filled respond action: the text of its ``` fence, else of its `...`
 * spans (one per line), else the whole text trimmed. Appended to out. */
void tui_respond_command(const char *text, sbuf *out);

/* A principal ARN shortened to what follows its last ':' ("user/ci-bot",
 * "assumed-role/Admin/alice"); other text unchanged. */
const char *tui_short_principal(const char *p, size_t *n);

#endif

/* app.h — the console's state, shared by its loop, drawing and command execution. */
#ifndef TG_TUI_APP_H
#define TG_TUI_APP_H

#include <stddef.h>
#include <stdio.h>
#include "case.h"
#include "command.h"
#include "keymap.h"
#include "query.h"
#include "runbook.h"
#include "runbook_lib.h"
#include "store.h"
#include "tui/detail.h"
#include "tui/layout.h"
#include "tui/view.h"
#include "util.h"

enum tui_step_state { TUI_STEP_NOT_RUN, TUI_STEP_DONE, TUI_STEP_FINDINGS, TUI_STEP_FAILED };

/* What a command asks the loop to do, htop style: one redraw per key at most. */
enum { TUI_REDRAW = 1, TUI_RELAYOUT = 2, TUI_QUIT = 4 };

enum tui_overlay { TUI_OV_NONE, TUI_OV_HELP, TUI_OV_PIVOTS, TUI_OV_MARKS };

typedef struct tui_app {
	store *s;
	qctx ctx;
	runbook *rb;            /* NULL: no runbook */
	enum tui_step_state *step_state;
	size_t *step_count;
	int step;               /* the current step (0-based) */
	tgcase *cs;             /* NULL: no case */
	keymap *km;
	tui_layout lay;
	int cols, rows;
	enum pane focus;        /* PANE_STEPS, PANE_EVENTS or PANE_DETAIL */
	tui_view view;          /* the current view */
	tui_view *crumbs;       /* the pivot stack: the views left behind, oldest first */
	int ncrumbs;
	size_t crumbcap;
	tui_lines detail;       /* the selected event's lines (rebuilt when it changes) */
	long detail_ev;         /* -1: none built */
	size_t detail_cursor, detail_scroll;
	tui_lines detail_full;  /* all lines, with fold state, while detail is a projection */
	char *search;           /* the detail pane's search text, highlighted (NULL: none) */
	int zoom;               /* the timeline's zoom: the window is the span / 2^zoom */
	long viewed_ev;         /* the event last journaled as viewed (-1: none) */
	enum tui_overlay overlay;
	size_t overlay_scroll;
	char *pivots[16];       /* the pivot menu's field names */
	int npivots;
	int prompt_open;        /* the : prompt is being edited */
	sbuf prompt;
	char message[512];      /* the last error or result, shown on the prompt line */
	char qwarn[256];        /* the last opened query's first unknown-field warning ("": none) */
	char sources[128];      /* "12 files" */
	int utf8, color;
	int screen_test;        /* headless: OSC 52 goes nowhere, drawing to /dev/null */
	FILE *tty;              /* where OSC 52 is written (NULL: nowhere) */
	rblib *lib;             /* the runbook library the picker lists (NULL: not loaded) */
	int picking;            /* the runbook picker is open (no -r) */
	sbuf pick_filter;
	int pick_cur;           /* the cursor among the filtered runbooks */
	struct tg_session *ss;  /* the session: window, lookback, lists, case (session.h) */
	int load_window;        /* the load kept only a window's events (--since/--until or the
				   runbook's window): widening cannot show the rest */
} tui_app;

/* Run the console (`trailguide [OPTION]... [SOURCE]...`). Returns the exit status. */
int tui_main(int argc, char **argv);

/* Execute one parsed command; returns TUI_* flags. */
int tui_exec(tui_app *a, const cmd_call *c);
/* Parse and execute a command line; errors go to a->message. */
int tui_exec_line(tui_app *a, const char *line);
/* Handle one key (TGK_* code): the prompt's editing, overlays, else the keymap. */
int tui_key(tui_app *a, int key);

/* Replace the current view with the result of text (a query); 0 or -1 with a message.
 * push: keep the current view on the breadcrumb stack. */
int tui_open_query(tui_app *a, const char *text, const char *label, int push);
/* Run step i of the runbook into the view. */
int tui_run_step(tui_app *a, int i);
/* Rebuild the detail lines when the selected event changed. */
void tui_sync_detail(tui_app *a);
void tui_msg(tui_app *a, const char *fmt, ...) TG_PRINTF(2, 3);

/* Pivots, back, marks, respond and copy (actions.c). */
int tui_pivot(tui_app *a, const char *field);
int tui_back(tui_app *a);
int tui_mark(tui_app *a, const char *verdict, const char *reason);
int tui_note(tui_app *a, const char *text);
int tui_respond(tui_app *a, int n);
int tui_copy(tui_app *a, const char *what);
void tui_pivot_menu(tui_app *a);
/* Write text to the clipboard with OSC 52 (tmux passthrough under $TMUX). */
void tui_osc52(tui_app *a, const char *text, size_t n);

/* export FILE / export! FILE (export.c): the view's rows to a file (output_export), and an
 * export entry in the case journal. */
int tui_export(tui_app *a, const char *file, int overwrite);

/* The time window (window_cmd.c): `window [SPAN]` shows or sets it and runs every view
 * again, cursors kept on their events; window-widen grows it to hold the view's events;
 * tui_window_clip counts what the window leaves out of a pivot (v->clip) and says so. */
int tui_window(tui_app *a, const char *span);
int tui_window_widen(tui_app *a);
void tui_window_clip(tui_app *a, tui_view *v);

/* The panes' commands (panes.c): fold, search, sort, columns, zoom; resume and views. */
int tui_fold(tui_app *a, const char *how);
int tui_search(tui_app *a, const char *text); /* text NULL: search-next */
int tui_sort(tui_app *a, const char *col, const char *dir);
int tui_columns(tui_app *a, int argc, char **argv);
int tui_zoom(tui_app *a, const char *how);
/* Journal a view entry when the selected event changed since the last one (debounce:
 * called on non-movement commands and on exit). */
void tui_record_view(tui_app *a);
/* Restore an existing case's step states, last view and viewed event. */
void tui_resume(tui_app *a);
/* The findings rows of the steps run, for the close entry. */
size_t tui_findings(const tui_app *a);

/* Walk rb's steps from now on (the picker's Enter; -r does it at start). */
void tui_open_runbook(tui_app *a, runbook *rb);
/* The runbook picker (picker.c): a key while it is open, and its screen. */
int tui_picker_key(tui_app *a, int key);
void tui_draw_picker(tui_app *a);

/* Drawing (draw.c, draw_panes.c) — the only code that calls curses besides app.c. */
void tui_draw(tui_app *a);
void tui_relayout(tui_app *a, int cols, int rows);

#endif

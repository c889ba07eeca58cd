/* term.h — the terminal side of the console: curses setup, the key loop, signals, and the
 * headless screen-test driver. */
#ifndef TG_TUI_TERM_H
#define TG_TUI_TERM_H

#include "ingest.h"
#include "tui/app.h"

/* Run the console on the controlling terminal until quit or a signal; the terminal is
 * restored on every way out. Returns the exit status. */
int tui_term_run(tui_app *a);

/* Run a screen-test script (see tests/tui_screen.sh) with curses drawing to /dev/null at
 * cols x rows; `dump` lines print the screen's text to stdout. */
int tui_screen_test_run(tui_app *a, const char *script, int cols, int rows);

/* Start curses on out/in (newterm), set modes and colors. 0 or -1. */
int tui_term_start(tui_app *a, FILE *out, FILE *in);
void tui_term_stop(void);

/* Signals that restore the terminal, then curses on the controlling terminal (before the
 * sources load). 0, or 2 after a message. tui_term_run opens it when this was not called. */
int tui_term_open(tui_app *a);

/* An ingest progress callback (ud unused) while curses is open: draws the loading panel
 * and, never blocking, handles what was typed: a resize redraws at the new size; q, C-c
 * or SIGTERM/SIGHUP abandon the load (the terminal restored, exit status 130, or 128+N
 * for signal N; an open case is left without its close record). */
void tui_term_loading(const ingest_progress *p, void *ud);

#endif

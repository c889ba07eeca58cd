/* term.h — the terminal side of the console: curses setup, the key loop, signals, and the
 * headless screen-test driver. */
#ifndef TG_TUI_TERM_H
#define TG_TUI_TERM_H

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

#endif

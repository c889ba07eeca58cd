/* tcurses.h — the one place the console includes curses (wide-character ncurses). */
#ifndef TG_TUI_TCURSES_H
#define TG_TUI_TCURSES_H

#include <curses.h>

#endif

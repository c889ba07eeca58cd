/* draw.h — painting helpers shared by the draw_*.c files (curses only here and below). */
#ifndef TG_TUI_DRAW_H
#define TG_TUI_DRAW_H

#include "ingest.h"
#include "tui/app.h"

/* Put safe (already escaped) text at y,x cut and padded to exactly w columns. */
void tui_put(int y, int x, int w, const char *text, int attr);
/* A pane's title bar. */
void tui_title(const tui_app *a, const tui_rect *r, const char *text, int focused);
/* Rows the event list shows (below its title and column heading). */
int tui_list_h(const tui_app *a);

void tui_draw_steps(tui_app *a);
void tui_draw_detail(tui_app *a);
void tui_draw_overlay(tui_app *a);
/* The centered loading panel over a cleared screen: files done/total with a bar, events,
 * events/s and elapsed seconds (p may be NULL: nothing read yet). */
void tui_draw_loading(const ingest_progress *p, int cols, int rows);

#endif

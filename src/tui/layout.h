/* layout.h — the console's pane rectangles for a terminal size; no curses here. */
#ifndef TG_TUI_LAYOUT_H
#define TG_TUI_LAYOUT_H

/* A rectangle of cells; h or w 0 means the pane is hidden. Each pane's first row is its
 * title bar; its content is the rows below. */
typedef struct tui_rect {
	int y, x, h, w;
} tui_rect;

typedef struct tui_layout {
	int cols, rows;
	tui_rect steps;     /* left column: runbook steps and the current step's guidance */
	int sep_x;          /* the column of the vertical separator (-1: none) */
	tui_rect timeline;  /* one row of events per time bucket, over the event list */
	tui_rect events;    /* the event list (title + rows) */
	tui_rect detail;    /* the selected event's JSON (title + rows) */
	tui_rect status;    /* one row */
	tui_rect prompt;    /* one row */
} tui_layout;

/* Compute the panes for cols x rows. has_steps: a runbook is open. Terminals too small
 * for the panes (under 20x6) get only the status and prompt lines and the event list. */
void tui_layout_compute(tui_layout *l, int cols, int rows, int has_steps);

/* Rows of content (below the title) a pane shows. */
static inline int tui_rect_body(const tui_rect *r)
{
	return r->h > 1 ? r->h - 1 : 0;
}

#endif

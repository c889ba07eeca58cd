/* layout.c — split the terminal into the console's panes (pure arithmetic, unit-tested). */
#include "tui/layout.h"

#include <string.h>

static tui_rect rect(int y, int x, int h, int w)
{
	tui_rect r = { y, x, h < 0 ? 0 : h, w < 0 ? 0 : w };
	if (!r.h || !r.w)
		r.h = r.w = 0;
	return r;
}

void tui_layout_compute(tui_layout *l, int cols, int rows, int has_steps)
{
	memset(l, 0, sizeof *l);
	l->cols = cols < 1 ? 1 : cols;
	l->rows = rows < 1 ? 1 : rows;
	l->sep_x = -1;
	int main_h = l->rows - 2; /* status and prompt lines at the bottom */
	if (main_h < 0)
		main_h = 0;
	l->prompt = rect(l->rows - 1, 0, 1, l->cols);
	if (l->rows >= 2)
		l->status = rect(l->rows - 2, 0, 1, l->cols);
	if (l->cols < 20 || l->rows < 6) {
		l->events = rect(0, 0, main_h, l->cols);
		return;
	}
	/* the steps column: a third of the width, 24..40 columns, only from 60 columns */
	int x = 0;
	if (has_steps && l->cols >= 60) {
		int sw = l->cols / 3;
		sw = sw < 24 ? 24 : sw > 40 ? 40 : sw;
		l->steps = rect(0, 0, main_h, sw);
		l->sep_x = sw;
		x = sw + 1;
	}
	int w = l->cols - x;
	/* events get the upper ~45%, the timeline one row when there is room, the detail
	 * pane the rest (at least its title and 3 rows) */
	int tl = main_h >= 14 ? 1 : 0;
	int ev = (main_h - tl) * 45 / 100;
	if (ev < 3)
		ev = 3;
	int det = main_h - tl - ev;
	if (det < 4) { /* no room for the detail pane: the list takes it all */
		det = 0;
		ev = main_h - tl;
	}
	l->timeline = rect(0, x, tl, w);
	l->events = rect(tl, x, ev, w);
	l->detail = rect(tl + ev, x, det, w);
}

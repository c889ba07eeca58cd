/* picker.c — the runbook picker shown when the console opens without -r: filter, move, open. */
#include "tui/draw.h"

#include "tui/tcurses.h"
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "runbook_lib.h"

/* Does rb match the filter (case-insensitive substring of id, title or a tag)? */
static int pick_match(const runbook *rb, const char *f)
{
	if (!f || !*f)
		return 1;
	if (rb->id && tui_strcasestr(rb->id, strlen(rb->id), f))
		return 1;
	if (rb->title && tui_strcasestr(rb->title, strlen(rb->title), f))
		return 1;
	for (int i = 0; i < rb->ntags; i++)
		if (tui_strcasestr(rb->tags[i], strlen(rb->tags[i]), f))
			return 1;
	return 0;
}

/* The library indexes the filter keeps, in order; returns the count. */
static int pick_list(const tui_app *a, int *out)
{
	int n = 0;
	for (int i = 0; a->lib && i < a->lib->n; i++)
		if (pick_match(a->lib->v[i], a->pick_filter.s))
			out[n++] = i;
	return n;
}

int tui_picker_key(tui_app *a, int key)
{
	int *idx = xcalloc((size_t)(a->lib ? a->lib->n : 0) + 1, sizeof *idx);
	int n = pick_list(a, idx), flags = TUI_REDRAW;
	if (key == TGK_ESC) {
		a->picking = 0;
	} else if (key == TGK_ENTER) {
		if (n > 0) {
			a->picking = 0;
			tui_open_runbook(a, a->lib->v[idx[a->pick_cur < n ? a->pick_cur : 0]]);
			/* the first key answers something: step 1 runs, the steps pane has the
			 * focus so the next Enter runs the selected step, a digit jumps */
			tui_run_step(a, 0);
			a->focus = PANE_STEPS;
			flags |= TUI_RELAYOUT;
		}
	} else if (key == TGK_UP) {
		if (a->pick_cur > 0)
			a->pick_cur--;
	} else if (key == TGK_DOWN) {
		if (a->pick_cur + 1 < n)
			a->pick_cur++;
	} else if (key == TGK_BACKSPACE) {
		if (a->pick_filter.len)
			a->pick_filter.s[--a->pick_filter.len] = 0;
		a->pick_cur = 0;
	} else if (key >= 0x20 && key < 0x7f) {
		sbuf_addc(&a->pick_filter, (char)key);
		a->pick_cur = 0;
	}
	free(idx);
	return flags;
}

void tui_draw_picker(tui_app *a)
{
	int *idx = xcalloc((size_t)(a->lib ? a->lib->n : 0) + 1, sizeof *idx);
	int n = pick_list(a, idx), w = a->cols, h = a->rows - 3;
	int attr = a->color ? (int)COLOR_PAIR(1) : (int)A_REVERSE;
	sbuf t;
	sbuf_init(&t);
	sbuf_addf(&t, " Runbooks %d of %d (type to filter, Enter opens: step 1 runs, Esc: no runbook)", n,
		  a->lib ? a->lib->n : 0);
	tui_put(0, 0, w, t.s, attr | A_BOLD);
	sbuf_reset(&t);
	sbuf_adds(&t, " filter: ");
	esc_tui(&t, a->pick_filter.s ? a->pick_filter.s : "", a->pick_filter.len);
	tui_put(1, 0, w, t.s, A_NORMAL);
	int idw = w / 3, tw = w - idw - 10 - w / 5, top = a->pick_cur >= h ? a->pick_cur - h + 1 : 0;
	for (int k = 0; k < h && top + k < n; k++) {
		const runbook *rb = a->lib->v[idx[top + k]];
		sbuf c;
		sbuf_init(&c);
		sbuf_reset(&t);
		sbuf_addc(&t, ' ');
		esc_tui(&c, rb->id, strlen(rb->id));
		tui_fit(&t, c.s, c.len, idw - 2, 1, 1);
		sbuf_addc(&t, ' ');
		sbuf_reset(&c);
		if (rb->title)
			esc_tui(&c, rb->title, strlen(rb->title));
		tui_fit(&t, c.s ? c.s : "", c.len, tw - 1, 1, 1);
		sbuf_addf(&t, " %-9s", runbook_severity_name(rb->severity));
		for (int i = 0; i < rb->ntags; i++) {
			sbuf_adds(&t, i ? "," : "");
			esc_tui(&t, rb->tags[i], strlen(rb->tags[i]));
		}
		tui_put(2 + k, 0, w, t.s, top + k == a->pick_cur ? (int)A_REVERSE : (int)A_NORMAL);
		sbuf_free(&c);
	}
	if (!n)
		tui_put(2, 0, w, " (no runbook matches)", A_NORMAL);
	sbuf_free(&t);
	free(idx);
}

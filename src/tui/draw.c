/* draw.c — paint the console: the event list, status and prompt lines, the frame. */
#include "journal.h"
#include "tui/draw.h"

#include "tui/tcurses.h"
#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include <string.h>

#include "esc.h"
#include "tui/window.h"

void tui_put(int y, int x, int w, const char *text, int attr)
{
	if (w <= 0)
		return;
	sbuf b;
	sbuf_init(&b);
	tui_fit(&b, text, strlen(text), w, 0, 1);
	attrset(attr);
	mvaddstr(y, x, b.s ? b.s : "");
	attrset(A_NORMAL);
	sbuf_free(&b);
}

void tui_title(const tui_app *a, const tui_rect *r, const char *text, int focused)
{
	if (!r->h)
		return;
	int attr = a->color ? (int)COLOR_PAIR(1) : (int)A_REVERSE;
	if (focused)
		attr |= A_BOLD;
	/* the focused pane's title starts with a marker, so the focus shows without color */
	sbuf t;
	sbuf_init(&t);
	if (focused && text[0] == ' ') {
		sbuf_adds(&t, a->utf8 ? "\xe2\x96\xb8" : ">");
		sbuf_adds(&t, text + 1);
	} else {
		sbuf_adds(&t, text);
	}
	tui_put(r->y, r->x, r->w, t.s, attr);
	sbuf_free(&t);
}

int tui_list_h(const tui_app *a)
{
	int h = tui_rect_body(&a->lay.events) - 1;
	return h < 1 ? 1 : h;
}

void tui_relayout(tui_app *a, int cols, int rows)
{
	a->cols = cols;
	a->rows = rows;
	tui_layout_compute(&a->lay, cols, rows, a->rb != NULL);
	if (a->focus == PANE_STEPS && !a->lay.steps.h) /* too narrow for the steps pane */
		a->focus = PANE_EVENTS;
	tui_view_clamp(&a->view, tui_list_h(a));
}

static void draw_events(tui_app *a)
{
	const tui_rect *r = &a->lay.events;
	if (!r->h)
		return;
	const result *res = a->view.r;
	if (res && !res->is_table && res->fields && !a->view.ncols) { /* a fields stage */
		char msg[256];
		tui_view_set_columns(a->s, &a->view, res->fields, res->nfields, msg, sizeof msg);
	}
	sbuf t;
	sbuf_init(&t);
	size_t n = tui_view_count(&a->view);
	sbuf_addf(&t, " Events %zu of %zu", n ? a->view.cursor + 1 : 0, n);
	if (a->view.clip && a->view.total > n)
		sbuf_addf(&t, "%s%zu of %zu in window", esc_tui_glyph(" \xc2\xb7 ", " | "), n,
			  a->view.total);
	if (a->view.query && *a->view.query) {
		sbuf_adds(&t, esc_tui_glyph(" \xc2\xb7 ", " | "));
		esc_tui(&t, a->view.query, strlen(a->view.query));
	}
	tui_title(a, r, t.s, a->focus == PANE_EVENTS);
	sbuf_reset(&t);
	if (r->h < 2)
		goto out;
	tui_view_heading(a->s, &a->view, r->w, &t);
	tui_put(r->y + 1, r->x, r->w, t.s ? t.s : "", A_BOLD);
	int h = tui_list_h(a);
	for (int k = 0; k < h && k + 2 < r->h; k++) {
		size_t i = a->view.scroll + (size_t)k;
		sbuf_reset(&t);
		if (i < n)
			tui_view_row(a->s, &a->view, i, r->w, &t);
		/* a marked event: a flag in the gap after its first column (a time: ASCII) */
		size_t gap = !a->view.ncols ? 14
			     : a->view.cw && a->view.cols[0].kind == QF_TIME ? (size_t)a->view.cw[0] : 0;
		if (i < n && !res->is_table && gap && t.len > gap + 1 && t.s[gap] == ' ' &&
		    tui_is_marked(a, res->idx[i])) {
			sbuf f;
			sbuf_init(&f);
			sbuf_add(&f, t.s, gap);
			sbuf_adds(&f, a->utf8 ? "\xe2\x9a\x91" : "!");
			sbuf_adds(&f, t.s + gap + 1);
			sbuf_free(&t);
			t = f;
		}
		int attr = i == a->view.cursor && i < n ? (int)A_REVERSE : (int)A_NORMAL;
		tui_put(r->y + 2 + k, r->x, r->w, t.s ? t.s : "", attr);
	}
	if (!n && r->h > 2)
		tui_put(r->y + 2, r->x, r->w, " (no events)", A_DIM);
out:
	sbuf_free(&t);
}

static void draw_status(tui_app *a)
{
	sbuf t;
	sbuf_init(&t);
	const char *dot = esc_tui_glyph("\xc2\xb7", "|");
	char win[64];
	tui_window_label(a->ctx.since, a->ctx.until, a->ctx.now, win, sizeof win);
	sbuf_addf(&t, " %s %s %s %s %zu of %zu", a->sources, dot, win, dot,
		  tui_view_count(&a->view) ? a->view.cursor + 1 : 0, tui_view_count(&a->view));
	if (a->ncrumbs) {
		sbuf_adds(&t, esc_tui_glyph(" \xc2\xb7 ", " | "));
		for (int i = 1; i <= a->ncrumbs; i++) {
			const char *l = i < a->ncrumbs ? a->crumbs[i].label : a->view.label;
			if (i > 1)
				sbuf_adds(&t, a->utf8 ? " \xe2\x80\xba " : " > ");
			esc_tui(&t, l ? l : "", l ? strlen(l) : 0);
		}
	}
	if (a->cs) {
		uint64_t n = a->cs->j ? journal_count(a->cs->j) : 0;
		sbuf_addf(&t, " %s case %s %s %" PRIu64 " action%s", dot, a->cs->id, dot, n,
			  n == 1 ? "" : "s");
	}
	int attr = a->color ? (int)COLOR_PAIR(1) : (int)A_REVERSE;
	tui_put(a->lay.status.y, 0, a->lay.status.w, t.s, attr);
	sbuf_reset(&t);
	if (a->prompt_open) {
		sbuf_addc(&t, ':');
		esc_tui(&t, a->prompt.s ? a->prompt.s : "", a->prompt.len);
	} else {
		esc_tui(&t, a->message, strlen(a->message));
	}
	tui_put(a->lay.prompt.y, 0, a->lay.prompt.w, t.s ? t.s : "", A_NORMAL);
	sbuf_free(&t);
}

/* A span as its largest unit: "3d", "5h", "12m", "40s". */
static void span_label(sbuf *t, int64_t ms)
{
	long long s = (long long)(ms / 1000);
	if (s >= 2 * 86400)
		sbuf_addf(t, "%lldd ", s / 86400);
	else if (s >= 2 * 3600)
		sbuf_addf(t, "%lldh ", s / 3600);
	else if (s >= 120)
		sbuf_addf(t, "%lldm ", s / 60);
	else
		sbuf_addf(t, "%llds ", s);
}

static void draw_timeline(tui_app *a)
{
	const tui_rect *r = &a->lay.timeline;
	if (!r->h)
		return;
	/* events per bucket over the view's time span (narrowed by zoom around the selected
	 * event), as eighth blocks (or ASCII); the selected event's bucket is highlighted */
	const result *res = a->view.r;
	sbuf t;
	sbuf_init(&t);
	sbuf_addc(&t, ' ');
	int64_t t0 = 0, t1 = 0;
	long ev = tui_view_event(&a->view);
	if (res && !res->is_table && res->n) {
		t0 = t1 = a->s->time[res->idx[0]];
		for (size_t i = 0; i < res->n; i++) {
			int64_t tt = a->s->time[res->idx[i]];
			t0 = tt < t0 ? tt : t0;
			t1 = tt > t1 ? tt : t1;
		}
		if (a->zoom && ev >= 0) {
			int64_t span = (t1 - t0) >> a->zoom, c = a->s->time[ev];
			span = span < 60000 ? 60000 : span;
			int64_t w0 = c - span / 2;
			w0 = w0 + span > t1 ? t1 - span : w0;
			w0 = w0 < t0 ? t0 : w0;
			t0 = w0;
			t1 = w0 + span;
			span_label(&t, span);
		}
	}
	int w = r->w - (int)t.len;
	w = w < 1 ? 1 : w;
	size_t *b = xcalloc((size_t)w + 1, sizeof *b), max = 0;
	int sel = -1;
	for (size_t i = 0; res && !res->is_table && i < res->n; i++) {
		int64_t tt = a->s->time[res->idx[i]];
		if (tt < t0 || tt > t1)
			continue;
		size_t k = t1 > t0 ? (size_t)((double)(tt - t0) / (double)(t1 - t0) * (w - 1)) : 0;
		if (++b[k] > max)
			max = b[k];
		if ((long)res->idx[i] == ev)
			sel = (int)k;
	}
	static const char *const bars[] = { " ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
		"\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char *const ascii[] = { " ", ".", ".", ":", ":", "|", "|", "#", "#" };
	int attr = a->color ? (int)COLOR_PAIR(4) : (int)A_NORMAL;
	size_t lead = t.len;
	for (int k = 0; k < w; k++) {
		int lvl = max ? (int)((b[k] * 8 + max - 1) / max) : 0;
		sbuf_adds(&t, a->utf8 ? bars[lvl] : ascii[lvl]);
	}
	tui_put(r->y, r->x, r->w, t.s, attr);
	if (sel >= 0 && (int)lead + sel < r->w) {
		int lvl = max ? (int)((b[sel] * 8 + max - 1) / max) : 0;
		tui_put(r->y, r->x + (int)lead + sel, 1, a->utf8 ? bars[lvl] : ascii[lvl],
			attr | A_REVERSE | A_BOLD);
	}
	sbuf_free(&t);
	free(b);
}

void tui_draw(tui_app *a)
{
	erase();
	if (a->picking) {
		tui_draw_picker(a);
		refresh();
		return;
	}
	tui_sync_detail(a);
	if (a->lay.sep_x >= 0)
		for (int y = 0; y < a->lay.steps.h; y++)
			mvaddstr(y, a->lay.sep_x, a->utf8 ? "\xe2\x94\x82" : "|");
	tui_draw_steps(a);
	draw_timeline(a);
	draw_events(a);
	tui_draw_detail(a);
	draw_status(a);
	tui_draw_overlay(a);
	refresh();
}

/* n with thousands separators. */
static void commas(char *buf, size_t len, size_t n)
{
	char t[32];
	int k = snprintf(t, sizeof t, "%zu", n), o = 0;
	for (int i = 0; i < k && (size_t)o + 2 < len; i++) {
		if (i && (k - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = 0;
}

void tui_draw_loading(const ingest_progress *p, int cols, int rows)
{
	ingest_progress z = { 0 };
	if (!p)
		p = &z;
	erase();
	int w = cols - 4 < 56 ? cols - 4 : 56, h = 6;
	if (w < 20)
		w = cols;
	int x = (cols - w) / 2, y = (rows - h) / 2 > 0 ? (rows - h) / 2 : 0;
	char line[256], a1[32], a2[32], a3[32];
	int bar = w - 4 - 2, fill = 0;
	if (bar > 0 && p->files_total)
		fill = (int)((double)bar * (double)p->files_done / (double)p->files_total);
	tui_put(y, x, w, " Loading", A_REVERSE);
	commas(a1, sizeof a1, p->files_done);
	commas(a2, sizeof a2, p->files_total);
	snprintf(line, sizeof line, "  %s/%s files", a1, a2);
	tui_put(y + 1, x, w, line, A_NORMAL);
	if (bar > 0) {
		sbuf b;
		sbuf_init(&b);
		sbuf_adds(&b, "  [");
		for (int i = 0; i < bar; i++)
			sbuf_addc(&b, i < fill ? '=' : i == fill ? '>' : ' ');
		sbuf_adds(&b, "]");
		tui_put(y + 2, x, w, b.s, A_NORMAL);
		sbuf_free(&b);
	}
	commas(a1, sizeof a1, p->events);
	commas(a3, sizeof a3, p->elapsed > 0 ? (size_t)((double)p->events / p->elapsed) : 0);
	snprintf(line, sizeof line, "  %s events  %s ev/s", a1, a3);
	tui_put(y + 3, x, w, line, A_NORMAL);
	snprintf(line, sizeof line, "  %.1f s elapsed", p->elapsed);
	tui_put(y + 4, x, w, line, A_NORMAL);
	tui_put(y + 5, x, w, "  q abandons the load", A_DIM);
	refresh();
}

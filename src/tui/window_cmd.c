/* window_cmd.c — the console's time window: `window [SPAN]` and window-widen run every
 * view again under the new window (cursors kept on their events, step marks recounted,
 * one journal entry), and a pivot says how many of its events the window leaves out. */
#include "tui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "esc.h"
#include "tgtime.h"
#include "tui/draw.h"
#include "tui/window.h"

/* text run under ctx's lists and now but the window [since, until]; NULL with e set. */
static result *run_in(tui_app *a, const char *text, int64_t since, int64_t until, qerr *e)
{
	query *q = query_parse(text, e);
	if (!q)
		return NULL;
	qctx c = a->ctx;
	c.since = since;
	c.until = until;
	result *r = query_run(q, a->s, &c, e);
	query_free(&q);
	return r;
}

static size_t rows(const result *r)
{
	return !r ? 0 : r->is_table ? r->nrows : r->n;
}

struct find_key {
	const char *cmd;
	int key;
};

static void find_key_fn(void *ud, enum pane p, int key, const char *cmd)
{
	struct find_key *f = ud;
	if (!f->key && (p == PANE_GLOBAL || p == PANE_EVENTS) && !strcmp(cmd, f->cmd))
		f->key = key;
}

/* How to widen, as the user can do it: "W" when a key is bound, else ":window-widen". */
static const char *widen_hint(const tui_app *a, char buf[40])
{
	struct find_key f = { "window-widen", 0 };
	if (a->km)
		keymap_each(a->km, find_key_fn, &f);
	if (!f.key)
		return ":window-widen";
	return keymap_key_name(f.key, buf);
}

void tui_window_clip(tui_app *a, tui_view *v)
{
	qerr e;
	size_t n = tui_view_count(v);
	v->total = n;
	if (!v->clip || !v->r || v->r->is_table ||
	    (a->ctx.since == TG_TIME_NONE && a->ctx.until == TG_TIME_NONE))
		return;
	result *all = run_in(a, v->query ? v->query : "", TG_TIME_NONE, TG_TIME_NONE, &e);
	if (all && !all->is_table && all->n > n)
		v->total = all->n;
	result_free(&all);
	if (v == &a->view && v->total > n) {
		char k[40];
		tui_msg(a, "%zu of %zu events in window %s %s widens", n, v->total,
			esc_tui_glyph("\xe2\x80\x94", "-"), widen_hint(a, k));
	}
}

/* The row of r holding event ev, else the first at or after time t (a time-ordered
 * result), else the old row clamped. */
static size_t find_row(const tui_app *a, const result *r, long ev, int64_t t, size_t old,
		       int sorted)
{
	size_t n = rows(r);
	if (!r->is_table && ev >= 0) {
		for (size_t i = 0; i < n; i++)
			if ((long)r->idx[i] == ev)
				return i;
		for (size_t i = 0; !sorted && i < n; i++)
			if (a->s->time[r->idx[i]] >= t)
				return i;
	}
	return old < n ? old : n ? n - 1 : 0;
}

/* Run v's query again under a->ctx, keeping its columns, sort and selected event. */
static int rerun(tui_app *a, tui_view *v)
{
	qerr e;
	long ev = tui_view_event(v);
	int64_t t = ev >= 0 ? a->s->time[ev] : 0;
	result *r = run_in(a, v->query ? v->query : "", a->ctx.since, a->ctx.until, &e);
	if (!r) {
		tui_msg(a, "window: %s: %s", v->label ? v->label : "the view", e.msg);
		return -1;
	}
	size_t old = v->cursor;
	result_free(&v->r);
	v->r = r;
	v->cursor = 0; /* placed below, once sorted */
	if (v->sort) {
		char msg[256];
		tui_view_sort(a->s, v, v->sort, v->sort_desc, msg, sizeof msg);
	}
	tui_view_to(v, find_row(a, r, ev, t, old, v->sort != NULL), tui_list_h(a));
	if (v->clip)
		tui_window_clip(a, v);
	return 0;
}

/* The steps run before: their marks (findings or not) under the new window. */
static void recount_steps(tui_app *a)
{
	for (int i = 0; a->rb && i < a->rb->nsteps; i++) {
		if (a->step_state[i] != TUI_STEP_DONE && a->step_state[i] != TUI_STEP_FINDINGS)
			continue;
		qerr e;
		result *r = run_in(a, a->rb->steps[i].query, a->ctx.since, a->ctx.until, &e);
		if (!r)
			continue;
		a->step_count[i] = rows(r);
		a->step_state[i] = a->rb->steps[i].kind == RB_FINDINGS && rows(r) ? TUI_STEP_FINDINGS
										 : TUI_STEP_DONE;
		result_free(&r);
	}
}

/* Set the window, run every view again, journal it, and say what it holds. */
static int set_window(tui_app *a, int64_t since, int64_t until, const char *command,
		      int widened)
{
	char label[64], b[32];
	a->ctx.since = since;
	a->ctx.until = until;
	for (int i = 0; i < a->ncrumbs; i++)
		rerun(a, &a->crumbs[i]);
	int bad = rerun(a, &a->view);
	a->detail_ev = -2; /* rebuild */
	recount_steps(a);
	tui_window_label(since, until, a->ctx.now, label, sizeof label);
	size_t n = tui_view_count(&a->view);
	if (a->cs) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "command", command);
		cJSON_AddStringToObject(d, "window", label);
		case_json_time(d, "since", since);
		case_json_time(d, "until", until);
		cJSON_AddStringToObject(d, "query", a->view.query ? a->view.query : "");
		cJSON_AddNumberToObject(d, "count", (double)n);
		case_append(a->cs, CASE_A_WINDOW, d);
		a->viewed_ev = -1;
	}
	if (bad)
		return TUI_REDRAW;
	const char *what = a->view.r && a->view.r->is_table ? "row" : "event";
	/* the load kept only its window's events (less a lookback): say where it starts */
	int beyond = a->load_window && a->s->n && (since == TG_TIME_NONE || since < a->s->tmin);
	if (beyond)
		tgtime_format(a->s->tmin, b);
	sbuf m;
	sbuf_init(&m);
	sbuf_addf(&m, "window %s%s: %s%zu %s%s%s", widened ? "widened to " : "", label,
		  widened ? "all " : "", n, beyond || widened ? "loaded " : "", what,
		  n == 1 ? "" : "s");
	if (beyond)
		sbuf_addf(&m, " (the load starts %.10s %.5s)", b, b + 11);
	tui_msg(a, "%s", m.s);
	sbuf_free(&m);
	return TUI_REDRAW;
}

int tui_window(tui_app *a, const char *span)
{
	char label[64], msg[256];
	int64_t since, until;
	if (!*span) {
		tui_window_label(a->ctx.since, a->ctx.until, a->ctx.now, label, sizeof label);
		tui_msg(a, "window %s; :window 30d, all or FROM..TO changes it", label);
		return TUI_REDRAW;
	}
	if (tui_window_parse(span, a->ctx.now, &since, &until, msg, sizeof msg) < 0) {
		tui_msg(a, "%s", msg);
		return TUI_REDRAW;
	}
	tui_record_view(a);
	sbuf c;
	sbuf_init(&c);
	sbuf_addf(&c, "window %s", span);
	int rc = set_window(a, since, until, c.s, 0);
	sbuf_free(&c);
	return rc;
}

int tui_window_widen(tui_app *a)
{
	int64_t since = a->ctx.since, until = a->ctx.until;
	if (since == TG_TIME_NONE && until == TG_TIME_NONE) {
		tui_msg(a, "window-widen: the window is already all time");
		return TUI_REDRAW;
	}
	qerr e;
	result *r = run_in(a, a->view.query ? a->view.query : "", TG_TIME_NONE, TG_TIME_NONE, &e);
	if (!r) {
		tui_msg(a, "window-widen: %s", e.msg);
		return TUI_REDRAW;
	}
	if (r->is_table) { /* a table's rows have no times to cover: open the window */
		since = until = TG_TIME_NONE;
	} else if (r->n) {
		int64_t t0 = a->s->time[r->idx[0]], t1 = t0;
		for (size_t i = 1; i < r->n; i++) {
			int64_t t = a->s->time[r->idx[i]];
			t0 = t < t0 ? t : t0;
			t1 = t > t1 ? t : t1;
		}
		tui_window_cover(&since, &until, t0, t1);
	}
	result_free(&r);
	if (since == a->ctx.since && until == a->ctx.until) {
		tui_msg(a, "window-widen: every loaded event of this view is in the window");
		return TUI_REDRAW;
	}
	tui_record_view(a);
	return set_window(a, since, until, "window-widen", 1);
}

/* panes.c — the panes' commands: fold, search, sort, columns, zoom; resume and views. */
#include "tui/app.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "case_state.h"
#include "tui/draw.h"

/* Make a->detail a projection of a->detail_full (after the detail was rebuilt). */
static void ensure_full(tui_app *a)
{
	if (a->detail.proj)
		return;
	tui_lines_free(&a->detail_full);
	a->detail_full = a->detail;
	memset(&a->detail, 0, sizeof a->detail);
	tui_lines_project(&a->detail_full, &a->detail, a->utf8);
}

static size_t full_cursor(const tui_app *a)
{
	return a->detail_cursor < a->detail.n ? a->detail.src[a->detail_cursor] : 0;
}

static void reproject(tui_app *a, size_t fi)
{
	tui_lines_free(&a->detail);
	tui_lines_project(&a->detail_full, &a->detail, a->utf8);
	a->detail_cursor = tui_lines_shown(&a->detail, fi);
}

void tui_fold_state(tui_app *a, const unsigned char *folds, size_t n)
{
	if (!a->detail.n)
		return;
	ensure_full(a);
	size_t fi = full_cursor(a);
	for (size_t k = 0; k < a->detail_full.n && k < n; k++)
		a->detail_full.folded[k] = folds[k];
	reproject(a, fi);
}

int tui_fold(tui_app *a, const char *how)
{
	if (!a->detail.n || tui_view_event(&a->view) < 0) {
		tui_msg(a, "fold: no event selected");
		return TUI_REDRAW;
	}
	ensure_full(a);
	tui_lines *f = &a->detail_full;
	size_t fi = full_cursor(a), o = tui_lines_opener(f, fi);
	if (!strcmp(how, "all") || !strcmp(how, "none")) {
		for (size_t k = 1; k < f->n; k++)
			if (f->end[k] > k)
				f->folded[k] = how[0] == 'a';
		reproject(a, fi);
		return TUI_REDRAW;
	}
	if (strcmp(how, "toggle") && strcmp(how, "open") && strcmp(how, "close")) {
		tui_msg(a, "fold: toggle, open, close, all or none");
		return TUI_REDRAW;
	}
	if (o == (size_t)-1) {
		tui_msg(a, "fold: the line is not inside an object or array");
		return TUI_REDRAW;
	}
	if (!strcmp(how, "open"))
		f->folded[o] = o == fi ? 0 : f->folded[o];
	else if (!strcmp(how, "close"))
		f->folded[o] = 1;
	else
		f->folded[o] = o == fi ? !f->folded[o] : 1;
	reproject(a, o);
	return TUI_REDRAW;
}

int tui_search(tui_app *a, const char *text)
{
	if (text) {
		free(a->search);
		a->search = *text ? xstrdup(text) : NULL;
	}
	if (!a->search) {
		tui_msg(a, text ? "search: TEXT" : "search-next: search for something first");
		return TUI_REDRAW;
	}
	if (!a->detail.n || tui_view_event(&a->view) < 0) {
		tui_msg(a, "search: no event selected");
		return TUI_REDRAW;
	}
	ensure_full(a);
	size_t count, fi = full_cursor(a);
	size_t i = tui_lines_find(&a->detail_full, a->search, text ? fi : fi + 1, &count);
	if (i == (size_t)-1) {
		tui_msg(a, "search: no '%s' in this event", a->search);
		return TUI_REDRAW;
	}
	tui_lines_reveal(&a->detail_full, i);
	reproject(a, i);
	a->focus = PANE_DETAIL;
	tui_msg(a, "search: line %zu; %zu line%s match '%s'", i + 1, count, count == 1 ? "" : "s",
		a->search);
	return TUI_REDRAW;
}

int tui_sort(tui_app *a, const char *col, const char *dir)
{
	char msg[256];
	if (!*col || (*dir && strcmp(dir, "asc") && strcmp(dir, "desc"))) {
		tui_msg(a, "sort COLUMN [asc|desc]");
		return TUI_REDRAW;
	}
	int desc = !strcmp(dir, "desc");
	if (tui_view_sort(a->s, &a->view, col, desc, msg, sizeof msg) < 0) {
		tui_msg(a, "sort: %s", msg);
		return TUI_REDRAW;
	}
	tui_view_clamp(&a->view, tui_list_h(a));
	tui_msg(a, "sorted by %s, %s", col, desc ? "descending" : "ascending");
	return TUI_REDRAW;
}

int tui_columns(tui_app *a, int argc, char **argv)
{
	char **names = NULL, msg[256];
	int n = 0;
	size_t cap = 0;
	for (int i = 0; i < argc; i++)
		for (char *p = argv[i]; *p;) {
			size_t k = strcspn(p, ",");
			if (k) {
				xgrow((void **)&names, &cap, (size_t)n + 1, sizeof *names);
				names[n++] = xstrndup(p, k);
			}
			p += k + (p[k] == ',');
		}
	if (!n || (n == 1 && !strcmp(names[0], "default"))) {
		tui_view_set_columns(a->s, &a->view, NULL, 0, msg, sizeof msg);
		tui_msg(a, "columns: the default ones");
	} else if (a->view.r && a->view.r->is_table) {
		tui_msg(a, "columns: a table shows its own columns");
	} else if (tui_view_set_columns(a->s, &a->view, names, n, msg, sizeof msg) < 0) {
		tui_msg(a, "columns: %s", msg);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return TUI_REDRAW;
}

int tui_zoom(tui_app *a, const char *how)
{
	if (!strcmp(how, "in"))
		a->zoom += a->zoom < 20;
	else if (!strcmp(how, "out"))
		a->zoom -= a->zoom > 0;
	else
		tui_msg(a, "zoom: in or out");
	return TUI_REDRAW;
}

void tui_record_view(tui_app *a)
{
	long ev = tui_view_event(&a->view);
	if (!a->cs || ev < 0 || ev == a->viewed_ev)
		return;
	a->viewed_ev = ev;
	size_t n = 0;
	const char *id = store_val(a->s, COL_EVENTID, (size_t)ev, &n);
	if (!id)
		return;
	char *s = xstrndup(id, n);
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "event_id", s);
	case_append(a->cs, CASE_A_VIEW, d);
	free(s);
}

size_t tui_findings(const tui_app *a)
{
	size_t n = 0;
	for (int i = 0; a->rb && i < a->rb->nsteps; i++)
		if (a->step_state[i] == TUI_STEP_FINDINGS)
			n += a->step_count[i];
	return n;
}

/* Put the cursor on the event whose eventID is id. */
static void cursor_to(tui_app *a, const char *id)
{
	const result *r = a->view.r;
	size_t m = strlen(id);
	for (size_t i = 0; r && !r->is_table && i < r->n; i++) {
		size_t n = 0;
		const char *v = store_val(a->s, COL_EVENTID, r->idx[i], &n);
		if (v && n == m && !memcmp(v, id, m)) {
			tui_view_to(&a->view, i, tui_list_h(a));
			a->viewed_ev = (long)r->idx[i];
			return;
		}
	}
}

void tui_resume(tui_app *a)
{
	if (!a->cs)
		return;
	case_state *cs = case_state_load(a->cs->dir, a->cs->key, a->cs->keylen, 0);
	if (cs->opens < 2) { /* a new case: only this console's open */
		case_state_free(&cs);
		return;
	}
	int run = 0;
	for (int i = 0; a->rb && i < a->rb->nsteps; i++) {
		const case_step *st = case_state_step(cs, a->rb->id, a->rb->steps[i].title);
		if (!st || (st->state == CASE_STEP_NOT_RUN && !st->error))
			continue;
		run++;
		a->step_count[i] = st->count;
		a->step_state[i] = st->error ? TUI_STEP_FAILED
				 : st->state == CASE_STEP_FINDINGS ? TUI_STEP_FINDINGS
								    : TUI_STEP_DONE;
	}
	if (cs->window.set) { /* the window the case last chose with :window */
		a->ctx.since = cs->window.since;
		a->ctx.until = cs->window.until;
	}
	const case_view *v = &cs->view;
	if (v->action && v->query) {
		int step = -1;
		for (int i = 0; v->step && a->rb && i < a->rb->nsteps; i++)
			if (!strcmp(a->rb->steps[i].title, v->step))
				step = i;
		if (step >= 0)
			a->step = step;
		tui_open_query(a, v->query, step >= 0 ? v->step : v->query, 0);
		if (v->event_id)
			cursor_to(a, v->event_id);
	}
	tui_msg(a, "resumed case %s: %d step%s run, %zu mark%s, %zu note%s", a->cs->id, run,
		run == 1 ? "" : "s", cs->nmarks, cs->nmarks == 1 ? "" : "s", cs->nnotes,
		cs->nnotes == 1 ? "" : "s");
	case_state_free(&cs);
}

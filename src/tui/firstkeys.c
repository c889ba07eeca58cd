/* firstkeys.c — what issue 13 asked of the first five keys: quit that asks, bracketed
 * paste, open (a table row's events), find over the event list, guidance scroll, the
 * marked-event set, and the detail pane's state kept with a view left behind. */
#include "tui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "case_state.h"
#include "tui/draw.h"
#include "tui/prompt.h"
#include "tui/rowfind.h"

int tui_quit(tui_app *a, int ask)
{
	if (!ask)
		return TUI_QUIT;
	a->asking_quit = 1;
	tui_msg(a, "quit trailguide? y/n");
	return TUI_REDRAW;
}

/* The pasted text as one line: newlines and tabs become spaces, the end trimmed (and the
 * start too when lead is set). */
static char *paste_line(sbuf *p, int lead)
{
	sbuf o;
	sbuf_init(&o);
	for (size_t i = 0; i < p->len; i++) {
		char c = p->s[i];
		sbuf_addc(&o, c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
	}
	while (o.len && o.s[o.len - 1] == ' ')
		o.s[--o.len] = 0;
	size_t skip = 0;
	while (lead && skip < o.len && o.s[skip] == ' ')
		skip++;
	char *r = xstrdup(o.s ? o.s + skip : "");
	sbuf_free(&o);
	return r;
}

/* What a paste opens the prompt with: a command line as it is, a query (it compares
 * something) after "query ", anything else (an address, a key id) after "find ". */
static void paste_prompt(tui_app *a, const char *line)
{
	char word[64];
	size_t n = strcspn(line, " ");
	snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), line);
	sbuf t;
	sbuf_init(&t);
	if (!*line || cmd_by_name(word))
		sbuf_adds(&t, line);
	else
		sbuf_addf(&t, "%s%s", strpbrk(line, "=<>~") ? "query " : "find ", line);
	tui_prompt_open(a, t.s);
	sbuf_free(&t);
}

/* A key's UTF-8 bytes into the paste buffer (Enter as a newline; other keys dropped). */
static void paste_add(tui_app *a, int key)
{
	if (key == TGK_ENTER) {
		sbuf_addc(&a->paste, '\n');
	} else if (key == TGK_TAB) {
		sbuf_addc(&a->paste, '\t');
	} else if (key >= 0x20 && key < TGK_SPECIAL) {
		char u[4];
		int n = key < 0x80 ? 1 : key < 0x800 ? 2 : key < 0x10000 ? 3 : 4;
		if (n == 1)
			u[0] = (char)key;
		else {
			for (int i = n - 1; i > 0; i--, key >>= 6)
				u[i] = (char)(0x80 | (key & 0x3f));
			u[0] = (char)((n == 2 ? 0xc0 : n == 3 ? 0xe0 : 0xf0) | key);
		}
		sbuf_add(&a->paste, u, (size_t)n);
	}
}

int tui_first_key(tui_app *a, int key)
{
	if (key == TGK_PASTE_BEGIN) {
		a->pasting = 1;
		sbuf_reset(&a->paste);
		return 0;
	}
	if (a->pasting && key != TGK_PASTE_END) {
		paste_add(a, key);
		return 0;
	}
	if (key == TGK_PASTE_END) { /* text for the prompt (opened if need be), never keys */
		a->pasting = 0;
		char *line = paste_line(&a->paste, !a->prompt_open);
		sbuf_reset(&a->paste);
		if (a->picking) {
			sbuf_adds(&a->pick_filter, line);
			a->pick_cur = 0;
		} else if (a->prompt_open) {
			tui_prompt_insert(a, line);
		} else {
			paste_prompt(a, line);
		}
		free(line);
		return TUI_REDRAW;
	}
	if (a->asking_quit) {
		a->asking_quit = 0;
		if (key == 'y' || key == 'Y')
			return TUI_QUIT;
		tui_msg(a, "not quitting");
		return TUI_REDRAW;
	}
	return -1;
}

int tui_open_row(tui_app *a)
{
	const result *r = a->view.r;
	if (!r || !tui_view_count(&a->view)) {
		tui_msg(a, "open: no row selected");
		return TUI_REDRAW;
	}
	if (!r->is_table) { /* an event: its detail */
		a->focus = PANE_DETAIL;
		return TUI_REDRAW;
	}
	sbuf q, label;
	sbuf_init(&q);
	sbuf_init(&label);
	char msg[256];
	size_t row = a->view.cursor;
	char *const *cells = r->cells + row * (size_t)r->ncols;
	if (tui_drill_query(a->view.query, (const char *const *)r->cols, r->ncols, cells, &q, msg,
			    sizeof msg) < 0) {
		tui_msg(a, "%s", msg);
	} else {
		for (int c = 0; c < r->ncols; c++) /* the label: the row's first cell */
			if (cells[c]) {
				sbuf_addf(&label, "%s=", r->cols[c]);
				size_t n = strlen(cells[c]);
				const char *v = tui_short_principal(cells[c], &n);
				sbuf_add(&label, v, n);
				break;
			}
		tui_record_view(a);
		if (tui_open_query(a, q.s, label.s ? label.s : q.s, 1) == 0) {
			a->view.clip = 1;
			tui_window_clip(a, &a->view);
			if (a->cs) { /* journaled as a pivot: the row's group */
				cJSON *d = cJSON_CreateObject();
				cJSON_AddStringToObject(d, "query", a->view.query);
				cJSON_AddStringToObject(d, "field", "row");
				cJSON_AddNumberToObject(d, "count", (double)tui_view_count(&a->view));
				cJSON_AddNumberToObject(d, "depth", a->ncrumbs);
				case_append(a->cs, CASE_A_PIVOT, d);
				a->viewed_ev = -1;
			}
			tui_msg(a, "open: %zu event%s of the row (back returns)",
				tui_view_count(&a->view), tui_view_count(&a->view) == 1 ? "" : "s");
		}
	}
	sbuf_free(&q);
	sbuf_free(&label);
	return TUI_REDRAW;
}

int tui_find(tui_app *a, const char *text, int dir)
{
	if (text) {
		free(a->find);
		a->find = *text ? xstrdup(text) : NULL;
	}
	if (!a->find) {
		tui_msg(a, text ? "find: TEXT" : "find-next: find something first (/ finds)");
		return TUI_REDRAW;
	}
	long row = tui_view_find(a->s, &a->view, a->find, a->view.cursor, dir, text != NULL);
	if (row < 0) {
		tui_msg(a, "find: no '%s' in this list", a->find);
		return TUI_REDRAW;
	}
	tui_view_to(&a->view, (size_t)row, tui_list_h(a));
	a->focus = PANE_EVENTS;
	if (a->cs) { /* journaled: what was looked for, and where it was found */
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "text", a->find);
		cJSON_AddStringToObject(d, "query", a->view.query ? a->view.query : "");
		cJSON_AddNumberToObject(d, "row", (double)row + 1);
		long ev = tui_view_event(&a->view);
		size_t n = 0;
		const char *id = ev >= 0 ? store_val(a->s, COL_EVENTID, (size_t)ev, &n) : NULL;
		if (id) {
			char *s = xstrndup(id, n);
			cJSON_AddStringToObject(d, "event_id", s);
			free(s);
		}
		case_append(a->cs, CASE_A_FIND, d);
	}
	tui_msg(a, "find: row %ld has '%s' (n next, N previous)", row + 1, a->find);
	return TUI_REDRAW;
}

int tui_guide_scroll(tui_app *a, const char *how)
{
	long h = a->lay.steps.h > 4 ? a->lay.steps.h / 2 : 2;
	long d = !strcmp(how, "down") ? 1 : !strcmp(how, "up") ? -1
		: !strcmp(how, "page-down") ? h : !strcmp(how, "page-up") ? -h : 0;
	if (a->guide_step != a->step) {
		a->guide_step = a->step;
		a->guide_scroll = 0;
	}
	if (!strcmp(how, "top") || (d < 0 && (size_t)-d > a->guide_scroll))
		a->guide_scroll = 0;
	else
		a->guide_scroll += (size_t)d; /* the drawing clamps it to the text */
	if (!a->rb || !a->lay.steps.h)
		tui_msg(a, "guide-scroll: no guidance is shown");
	return TUI_REDRAW;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

void tui_marks_add(tui_app *a, uint32_t ev)
{
	if (tui_is_marked(a, ev))
		return;
	xgrow((void **)&a->marked, &a->markcap, a->nmarked + 1, sizeof *a->marked);
	a->marked[a->nmarked++] = ev;
	qsort(a->marked, a->nmarked, sizeof *a->marked, cmp_u32);
}

int tui_is_marked(const tui_app *a, uint32_t ev)
{
	return a->nmarked && bsearch(&ev, a->marked, a->nmarked, sizeof ev, cmp_u32);
}

void tui_marks_load(tui_app *a)
{
	if (!a->cs || !a->s)
		return;
	case_state *cs = case_state_load(a->cs->dir, a->cs->key, a->cs->keylen, 0);
	if (cs && cs->nmarks)
		for (size_t i = 0; i < a->s->n; i++) {
			size_t n = 0;
			const char *id = store_val(a->s, COL_EVENTID, i, &n);
			for (size_t m = 0; id && m < cs->nmarks; m++)
				if (strlen(cs->marks[m].event_id) == n &&
				    !memcmp(cs->marks[m].event_id, id, n))
					tui_marks_add(a, (uint32_t)i);
		}
	case_state_free(&cs);
}

void tui_detail_save(tui_app *a, tui_view *v)
{
	free(v->d_folds);
	v->d_folds = NULL;
	v->d_nfolds = 0;
	v->d_ev = a->detail_ev;
	v->d_cursor = a->detail_cursor;
	v->d_scroll = a->detail_scroll;
	if (a->detail.proj && a->detail_full.n) {
		v->d_nfolds = a->detail_full.n;
		v->d_folds = xmalloc(v->d_nfolds);
		memcpy(v->d_folds, a->detail_full.folded, v->d_nfolds);
	}
}

void tui_detail_restore(tui_app *a)
{
	tui_view *v = &a->view;
	tui_sync_detail(a);
	if (v->d_ev < 0 || v->d_ev != a->detail_ev) {
		v->d_ev = -1;
		return;
	}
	if (v->d_folds)
		tui_fold_state(a, v->d_folds, v->d_nfolds);
	a->detail_cursor = v->d_cursor < a->detail.n ? v->d_cursor : 0;
	a->detail_scroll = v->d_scroll;
	free(v->d_folds);
	v->d_folds = NULL;
	v->d_ev = -1;
}

void tui_firstkeys_free(tui_app *a)
{
	sbuf_free(&a->paste);
	free(a->find);
	free(a->marked);
}

/* draw_panes.c — paint the steps pane, the detail pane and the overlays. */
#include "tui/draw.h"

#include "tui/tcurses.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_state.h"
#include "esc.h"
#include "template.h"
#include "tui/mdwrap.h"

/* Paint one guidance line at y,x: its runs with their attributes. */
static void md_line(const tui_app *a, const tui_mdline *l, int y, int x, int w)
{
	int used = 0;
	sbuf b;
	sbuf_init(&b);
	for (int i = 0; i < l->nruns && used < w; i++) {
		const tui_mdrun *r = &l->runs[i];
		int at = A_NORMAL, rw = (int)esc_width(l->s + r->at, r->n);
		if (r->style & TUI_MD_BOLD)
			at |= A_BOLD;
		if (r->style & TUI_MD_EM)
			at |= A_ITALIC;
		if (r->style & TUI_MD_CODE)
			at |= a->color ? (int)COLOR_PAIR(4) : (int)A_UNDERLINE;
		rw = rw < w - used ? rw : w - used;
		sbuf_reset(&b);
		tui_fit(&b, l->s + r->at, r->n, rw, 0, 0);
		tui_put(y, x + used, rw, b.s ? b.s : "", at);
		used += rw;
	}
	sbuf_free(&b);
}

/* The step's respond actions, numbered, filled from the selected event and escaped, cut
 * into lines of w columns (continuations indented under the text). */
static void respond_lines(tui_app *a, const rb_step *st, int w, tui_md *m)
{
	if (!st->nrespond)
		return;
	long ev = tui_view_event(&a->view);
	tui_md_add(m, "", 0, 0);
	tui_md_add(m, ev >= 0 ? "Respond (r N copies the command):" : "Respond (no event selected):",
		   ev >= 0 ? 33 : 28, TUI_MD_BOLD);
	sbuf f, e;
	sbuf_init(&f);
	sbuf_init(&e);
	for (int i = 0; i < st->nrespond; i++) {
		char msg[256];
		sbuf_reset(&f);
		if (ev < 0 || tmpl_fill(st->respond[i].text, a->s, (size_t)ev, TMPL_TERM, &f, msg,
					sizeof msg) < 0) {
			sbuf_reset(&f); /* unfilled: escape line by line, keeping the breaks */
			for (const char *t = st->respond[i].text; *t;) {
				size_t n = strcspn(t, "\n");
				esc_tui(&f, t, n);
				t += n;
				if (*t)
					sbuf_addc(&f, *t++);
			}
		}
		char lead[16];
		int ln = snprintf(lead, sizeof lead, "%d ", i + 1), col = 0;
		sbuf_reset(&e);
		sbuf_adds(&e, lead);
		col = ln;
		for (size_t k = 0; k <= f.len; k++) {
			int c = k < f.len ? (unsigned char)f.s[k] : '\n';
			if (c == '\n' || (col >= w && (c & 0xc0) != 0x80)) {
				tui_md_add_escaped(m, e.s, e.len, 0);
				sbuf_reset(&e);
				for (col = 0; col < ln; col++)
					sbuf_addc(&e, ' ');
				if (c == '\n')
					continue;
			}
			sbuf_addc(&e, (char)c);
			col += (c & 0xc0) != 0x80;
		}
	}
	sbuf_free(&f);
	sbuf_free(&e);
}

void tui_draw_steps(tui_app *a)
{
	const tui_rect *r = &a->lay.steps;
	if (!r->h || !a->rb)
		return;
	sbuf t;
	sbuf_init(&t);
	sbuf_adds(&t, " Runbook: ");
	esc_tui(&t, a->rb->title ? a->rb->title : a->rb->id, strlen(a->rb->title ? a->rb->title : a->rb->id));
	tui_title(a, r, t.s, a->focus == PANE_STEPS);
	int y = r->y + 1;
	for (int i = 0; i < a->rb->nsteps && y < r->y + r->h; i++, y++) {
		static const char *const u[] = { " ", "\xe2\x9c\x93", "!", "x" };
		static const char *const asc[] = { " ", "+", "!", "x" };
		const char *mark = i == a->step ? (a->utf8 ? "\xe2\x96\xb6" : ">")
						: (a->utf8 ? u : asc)[a->step_state[i]];
		sbuf_reset(&t);
		sbuf_addf(&t, "%s %d ", mark, i + 1);
		esc_tui(&t, a->rb->steps[i].title, strlen(a->rb->steps[i].title));
		int attr = a->step_state[i] == TUI_STEP_FINDINGS || a->step_state[i] == TUI_STEP_FAILED
				   ? (a->color ? (int)COLOR_PAIR(3) : (int)A_BOLD)
			   : a->step_state[i] == TUI_STEP_DONE && a->color ? (int)COLOR_PAIR(2)
									     : (int)A_NORMAL;
		if (i == a->step)
			attr |= A_BOLD | (a->focus == PANE_STEPS ? A_REVERSE : 0);
		tui_put(y, r->x, r->w, t.s, attr);
	}
	sbuf_free(&t);
	if (a->step < a->rb->nsteps && y + 1 < r->y + r->h) {
		const rb_step *st = &a->rb->steps[a->step];
		tui_md m = { 0 };
		tui_md_wrap(st->guidance ? st->guidance : "", r->w - 1, &m);
		respond_lines(a, st, r->w - 1, &m);
		/* guide-scroll: lines scrolled off the top (kept per step, clamped to the text);
		 * a cut text says which keys scroll it */
		if (a->guide_step != a->step) {
			a->guide_step = a->step;
			a->guide_scroll = 0;
		}
		int room = r->y + r->h - (y + 1);
		size_t top = a->guide_scroll;
		if (m.n > (size_t)room && top > m.n - (size_t)room)
			top = m.n - (size_t)room;
		if (m.n <= (size_t)room)
			top = 0;
		a->guide_scroll = top;
		for (size_t i = top; i < m.n && y + 1 + (int)(i - top) < r->y + r->h; i++)
			md_line(a, &m.v[i], y + 1 + (int)(i - top), r->x, r->w);
		if (room > 1 && (top > 0 || top + (size_t)room < m.n)) {
			char more[64];
			int down = top + (size_t)room < m.n, up = top > 0;
			snprintf(more, sizeof more, "%s %s (%zu/%zu)",
				 down && up ? (a->utf8 ? "\xe2\x86\x95" : "|")
				 : down     ? (a->utf8 ? "\xe2\x86\x93" : "v")
					    : (a->utf8 ? "\xe2\x86\x91" : "^"),
				 down && up ? "} more, { back" : down ? "} more" : "{ back",
				 down ? top + (size_t)room - 1 : m.n, m.n);
			tui_put(r->y + r->h - 1, r->x, r->w, more, A_DIM);
		}
		tui_md_free(&m);
	}
}

/* The attribute of each byte of detail line i: the key, the value by kind (colors only),
 * the matches of the search. */
static void detail_attrs(const tui_app *a, const tui_lines *l, size_t i, int base, int *at)
{
	const char *s = l->v[i];
	size_t n = strlen(s), ka = (size_t)l->keyat[i], va = (size_t)l->valat[i];
	size_t ve = n && s[n - 1] == ',' ? n - 1 : n;
	static const int kind_pair[] = { 0, 2, 6, 5 }; /* none, string, number, literal */
	for (size_t k = 0; k < n; k++) {
		at[k] = base;
		if (!a->color)
			continue;
		if (k >= ka && k < va && va > ka)
			at[k] |= (int)COLOR_PAIR(4);
		else if (k >= va && k < ve && l->kind[i] != TUI_K_NONE)
			at[k] |= (int)COLOR_PAIR(kind_pair[l->kind[i]]);
	}
	if (!a->search)
		return;
	size_t m = strlen(a->search);
	for (const char *p = s; (p = tui_strcasestr(p, n - (size_t)(p - s), a->search)); p += m)
		for (size_t k = (size_t)(p - s); k < (size_t)(p - s) + m; k++)
			at[k] = (base & ~(int)A_REVERSE) | (int)A_BOLD | (int)A_UNDERLINE |
				(base & A_REVERSE ? 0 : (int)A_REVERSE);
}

/* Paint detail line i at y,x in w columns, one run of equal attributes at a time. */
static void detail_line(const tui_app *a, const tui_lines *l, size_t i, int y, int x, int w,
			int cur)
{
	static int pairs;
	if (a->color && !pairs) {
		init_pair(6, COLOR_MAGENTA, -1); /* JSON numbers */
		pairs = 1;
	}
	const char *s = l->v[i];
	size_t n = strlen(s);
	int base = cur ? (int)A_REVERSE : (int)A_NORMAL, used = 0;
	int *at = xmalloc((n + 1) * sizeof *at);
	detail_attrs(a, l, i, base, at);
	sbuf b;
	sbuf_init(&b);
	for (size_t p = 0; p < n && used < w;) {
		size_t q = p;
		while (q < n && at[q] == at[p])
			q++;
		int rw = (int)esc_width(s + p, q - p);
		sbuf_reset(&b);
		tui_fit(&b, s + p, q - p, rw < w - used ? rw : w - used, 0, 0);
		attrset(at[p]);
		mvaddstr(y, x + used, b.s ? b.s : "");
		used += rw < w - used ? rw : w - used;
		p = q;
	}
	attrset(A_NORMAL);
	if (used < w)
		tui_put(y, x + used, w - used, "", base);
	sbuf_free(&b);
	free(at);
}

void tui_draw_detail(tui_app *a)
{
	const tui_rect *r = &a->lay.detail;
	if (!r->h)
		return;
	sbuf t;
	sbuf_init(&t);
	sbuf_adds(&t, " Detail");
	const tui_lines *l = &a->detail;
	if (a->detail_cursor < l->n && l->path[a->detail_cursor]) {
		sbuf_adds(&t, esc_tui_glyph(" \xc2\xb7 ", " | "));
		esc_tui(&t, l->path[a->detail_cursor], strlen(l->path[a->detail_cursor]));
	}
	tui_title(a, r, t.s, a->focus == PANE_DETAIL);
	sbuf_free(&t);
	int h = tui_rect_body(r);
	if (a->detail_cursor < a->detail_scroll)
		a->detail_scroll = a->detail_cursor;
	if (a->detail_cursor >= a->detail_scroll + (size_t)h)
		a->detail_scroll = a->detail_cursor - (size_t)h + 1;
	for (int k = 0; k < h; k++) {
		size_t i = a->detail_scroll + (size_t)k;
		if (i >= l->n)
			break;
		detail_line(a, l, i, r->y + 1 + k, r->x, r->w,
			    a->focus == PANE_DETAIL && i == a->detail_cursor);
	}
}

struct help_ctx {
	tui_app *a;
	sbuf *lines;
	int n;
};

static void help_line(void *ud, enum pane p, int key, const char *cmd)
{
	struct help_ctx *h = ud;
	char kb[32];
	cmd_call c;
	char msg[128];
	const cmd_def *d = NULL;
	if (cmd_parse(cmd, &c, msg, sizeof msg) == 0) {
		d = cmd_by_id(c.id);
		cmd_call_free(&c);
	}
	sbuf_addf(h->lines, "%-7s %-10s %-22s %s\n", pane_name(p), keymap_key_name(key, kb), cmd,
		  d ? d->help : "");
	h->n++;
}

/* Draw lines (each ending in '\n', escaped already) in a box over the main area. */
static void draw_box(tui_app *a, const char *title, const char *lines)
{
	int x = 0, y = 0, w = a->cols, h = a->rows - 2; /* over the panes */
	if (w < 10 || h < 3)
		return;
	int attr = a->color ? (int)COLOR_PAIR(1) : (int)A_REVERSE;
	tui_put(y, x, w, title, attr | A_BOLD);
	const char *p = lines;
	for (size_t skip = a->overlay_scroll; skip && p && *p; skip--) {
		const char *e = strchr(p, '\n');
		p = e ? e + 1 : p + strlen(p);
	}
	for (int k = 1; k < h; k++) {
		sbuf l;
		sbuf_init(&l);
		sbuf_addc(&l, ' ');
		if (p && *p) {
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			sbuf_add(&l, p, n);
			p += n + (e ? 1 : 0);
		}
		tui_put(y + k, x, w, l.s, A_NORMAL);
		sbuf_free(&l);
	}
}

void tui_draw_overlay(tui_app *a)
{
	sbuf lines;
	sbuf_init(&lines);
	const char *title = NULL;
	if (a->overlay == TUI_OV_HELP) {
		struct help_ctx h = { a, &lines, 0 };
		keymap_each(a->km, help_line, &h);
		title = " Keys (any key closes; : opens the prompt) ";
		sbuf e;
		sbuf_init(&e);
		esc_tui(&e, lines.s ? lines.s : "", lines.len);
		/* esc_term turned the newlines into \n: split them back */
		sbuf_reset(&lines);
		for (size_t i = 0; i < e.len; i++) {
			if (e.s[i] == '\\' && i + 1 < e.len && e.s[i + 1] == 'n') {
				sbuf_addc(&lines, '\n');
				i++;
			} else {
				sbuf_addc(&lines, e.s[i]);
			}
		}
		sbuf_free(&e);
	} else if (a->overlay == TUI_OV_PIVOTS) {
		title = " Pivot on (a digit picks, any other key closes) ";
		long ev = tui_view_event(&a->view);
		for (int i = 0; i < a->npivots && ev >= 0; i++) {
			char msg[128];
			qfield f;
			sbuf_addf(&lines, "%d  %-10s ", i + 1, a->pivots[i]);
			if (qfield_resolve(a->s, a->pivots[i], &f, msg, sizeof msg) == 0) {
				char buf[32];
				size_t n = 0;
				const char *v = qfield_value(a->s, &f, (size_t)ev, buf, &n);
				esc_tui(&lines, v ? v : "-", v ? n : 1);
				qfield_free(&f);
			}
			sbuf_addc(&lines, '\n');
		}
	} else if (a->overlay == TUI_OV_MARKS) {
		title = " Marks and notes in this case (any key closes) ";
		case_state *cs = a->cs ? case_state_load(a->cs->dir, a->cs->key, a->cs->keylen, 0)
				       : NULL;
		for (size_t i = 0; cs && i < cs->nmarks; i++) {
			const case_mark *m = &cs->marks[i];
			sbuf_addf(&lines, "%-10s ", m->verdict ? m->verdict : "");
			esc_tui(&lines, m->event_id, strlen(m->event_id));
			sbuf_adds(&lines, "  ");
			esc_tui(&lines, m->reason ? m->reason : "", m->reason ? strlen(m->reason) : 0);
			sbuf_addc(&lines, '\n');
		}
		for (size_t i = 0; cs && i < cs->nnotes; i++) {
			sbuf_adds(&lines, "note       ");
			esc_tui(&lines, cs->notes[i].text, strlen(cs->notes[i].text));
			sbuf_addc(&lines, '\n');
		}
		if (!cs)
			sbuf_adds(&lines, "no case is open: start with --case DIR to keep marks\n");
		case_state_free(&cs);
	}
	if (title)
		draw_box(a, title, lines.s ? lines.s : "");
	sbuf_free(&lines);
}

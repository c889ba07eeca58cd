/* mdwrap.c — wrap runbook guidance Markdown into lines of styled runs for the steps pane. */
#include "tui/mdwrap.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "util.h"

/* A line being built: escaped text and its runs. */
struct lb {
	sbuf s;
	tui_mdrun *runs;
	int nruns, cap, used; /* used: display columns */
	int words;            /* words on the line (the lead and indent are not words) */
};

static void lb_add(struct lb *l, const char *e, size_t n, int style, int w)
{
	if (!n)
		return;
	if (l->nruns && l->runs[l->nruns - 1].style == style &&
	    l->runs[l->nruns - 1].at + l->runs[l->nruns - 1].n == l->s.len) {
		l->runs[l->nruns - 1].n += n;
	} else {
		if (l->nruns == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 8;
			l->runs = xrealloc(l->runs, (size_t)l->cap * sizeof *l->runs);
		}
		l->runs[l->nruns++] = (tui_mdrun){ l->s.len, n, style };
	}
	sbuf_add(&l->s, e, n);
	l->used += w;
}

static void emit(tui_md *m, struct lb *l)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->v = xrealloc(m->v, m->cap * sizeof *m->v);
	}
	tui_mdline *d = &m->v[m->n++];
	d->s = xstrdup(l->s.s ? l->s.s : "");
	d->runs = l->runs;
	d->nruns = l->nruns;
	sbuf_reset(&l->s);
	l->runs = NULL;
	l->nruns = l->cap = l->used = l->words = 0;
}

void tui_md_add_escaped(tui_md *m, const char *e, size_t n, int style)
{
	struct lb l = { 0 };
	sbuf_init(&l.s);
	lb_add(&l, e, n, style, 0);
	emit(m, &l);
	sbuf_free(&l.s);
}

void tui_md_add(tui_md *m, const char *text, size_t n, int style)
{
	struct lb l = { 0 };
	sbuf_init(&l.s);
	sbuf e;
	sbuf_init(&e);
	esc_tui(&e, text, n);
	lb_add(&l, e.s ? e.s : "", e.len, style, 0);
	emit(m, &l);
	sbuf_free(&e);
	sbuf_free(&l.s);
}

/* Wrap one block's inline text (raw Markdown) into lines: the first starts with lead (our
 * own text), the rest with indent spaces. */
static void block(tui_md *m, const char *t, size_t tn, int base, const char *lead, int indent,
		  int width)
{
	struct lb l = { 0 };
	sbuf_init(&l.s);
	sbuf w, e;
	sbuf_init(&w);
	sbuf_init(&e);
	size_t ls = strlen(lead);
	lb_add(&l, lead, ls, 0, (int)ls);
	int style = 0;
	/* one word at a time: its styled pieces are gathered as (style, raw) into pieces */
	struct piece { int style; size_t at, n; } pc[64];
	size_t i = 0;
	while (i < tn) {
		while (i < tn && (t[i] == ' ' || t[i] == '\n' || t[i] == '\t'))
			i++;
		if (i >= tn)
			break;
		int np = 0, ww = 0;
		sbuf_reset(&w);
		size_t start = 0;
		int cur = style;
		while (i < tn && !((t[i] == ' ' || t[i] == '\n' || t[i] == '\t') && !(style & TUI_MD_CODE))) {
			int ns = style;
			size_t adv = 0;
			if (t[i] == '`')
				ns ^= TUI_MD_CODE, adv = 1;
			else if (!(style & TUI_MD_CODE) && t[i] == '*' && i + 1 < tn && t[i + 1] == '*')
				ns ^= TUI_MD_BOLD, adv = 2;
			else if (!(style & TUI_MD_CODE) && t[i] == '*')
				ns ^= TUI_MD_EM, adv = 1;
			if (adv) {
				style = ns;
				i += adv;
				continue;
			}
			if (style != cur || w.len == 0) {
				if (w.len > start && np < 64)
					pc[np++] = (struct piece){ cur, start, w.len - start };
				start = w.len;
				cur = style;
			}
			sbuf_addc(&w, t[i] == '\n' || t[i] == '\t' ? ' ' : t[i]);
			i++;
		}
		if (w.len > start && np < 64)
			pc[np++] = (struct piece){ cur, start, w.len - start };
		else if (w.len > start)
			pc[np - 1].n = w.len - pc[np - 1].at;
		for (int k = 0; k < np; k++) {
			sbuf_reset(&e);
			esc_tui(&e, w.s + pc[k].at, pc[k].n);
			ww += (int)esc_width(e.s, e.len);
		}
		if (!np)
			continue;
		if (l.words && l.used + 1 + ww > width) {
			emit(m, &l);
			for (int k = 0; k < indent; k++)
				lb_add(&l, " ", 1, 0, 1);
		}
		if (l.words)
			lb_add(&l, " ", 1, base, 1);
		l.words++;
		for (int k = 0; k < np; k++) {
			sbuf_reset(&e);
			esc_tui(&e, w.s + pc[k].at, pc[k].n);
			lb_add(&l, e.s, e.len, base | pc[k].style, (int)esc_width(e.s, e.len));
		}
	}
	emit(m, &l);
	free(l.runs);
	sbuf_free(&l.s);
	sbuf_free(&w);
	sbuf_free(&e);
}

/* The list marker at line p ("- ", "* ", "12. "): its length, or 0. */
static size_t list_marker(const char *p, size_t n)
{
	if (n >= 2 && (p[0] == '-' || p[0] == '*') && p[1] == ' ')
		return 2;
	size_t k = 0;
	while (k < n && k < 4 && isdigit((unsigned char)p[k]))
		k++;
	if (k && k + 1 < n && (p[k] == '.' || p[k] == ')') && p[k + 1] == ' ')
		return k + 2;
	return 0;
}

void tui_md_wrap(const char *md, int width, tui_md *out)
{
	if (width < 8)
		width = 8;
	sbuf para, lead;
	sbuf_init(&para);
	sbuf_init(&lead);
	int in_block = 0, gap = 0, heading = 0;
	const char *p = md ? md : "";
	for (;;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		size_t ind = 0;
		while (ind < n && p[ind] == ' ')
			ind++;
		size_t lm = list_marker(p + ind, n - ind);
		int blank = ind == n, head = p[0] == '#';
		if (in_block && (blank || head || lm || heading || !*p)) {
			block(out, para.s ? para.s : "", para.len, heading ? TUI_MD_BOLD : 0,
			      lead.s ? lead.s : "", (int)lead.len, width);
			sbuf_reset(&para);
			sbuf_reset(&lead);
			in_block = heading = 0;
		}
		if (blank && out->n)
			gap = 1;
		if (!blank && *p) {
			if (!in_block && out->n && (gap || head) && out->v[out->n - 1].s[0])
				tui_md_add(out, "", 0, 0);
			gap = 0;
			if (head) {
				size_t h = 0;
				while (h < n && p[h] == '#')
					h++;
				while (h < n && p[h] == ' ')
					h++;
				sbuf_add(&para, p + h, n - h);
				heading = 1;
			} else if (lm) {
				sbuf_add(&lead, p + ind, lm);
				sbuf_add(&para, p + ind + lm, n - ind - lm);
			} else {
				if (para.len)
					sbuf_addc(&para, ' ');
				sbuf_add(&para, p + ind, n - ind);
			}
			in_block = 1;
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (in_block)
		block(out, para.s ? para.s : "", para.len, heading ? TUI_MD_BOLD : 0,
		      lead.s ? lead.s : "", (int)lead.len, width);
	sbuf_free(&para);
	sbuf_free(&lead);
}

void tui_md_free(tui_md *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].s);
		free(m->v[i].runs);
	}
	free(m->v);
	memset(m, 0, sizeof *m);
}

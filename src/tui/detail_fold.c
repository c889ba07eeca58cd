/* detail_fold.c — folding and searching the detail pane's lines (no curses). */
#include "tui/detail.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void add(tui_lines *o, const tui_lines *f, size_t i, char *text)
{
	xgrow((void **)&o->v, &o->cap, o->n + 1, sizeof *o->v);
	o->path = xrealloc(o->path, o->cap * sizeof *o->path);
	o->value = xrealloc(o->value, o->cap * sizeof *o->value);
	o->kind = xrealloc(o->kind, o->cap * sizeof *o->kind);
	o->keyat = xrealloc(o->keyat, o->cap * sizeof *o->keyat);
	o->valat = xrealloc(o->valat, o->cap * sizeof *o->valat);
	o->end = xrealloc(o->end, o->cap * sizeof *o->end);
	o->folded = xrealloc(o->folded, o->cap * sizeof *o->folded);
	o->src = xrealloc(o->src, o->cap * sizeof *o->src);
	o->v[o->n] = text;
	o->path[o->n] = f->path[i] ? xstrdup(f->path[i]) : NULL;
	o->value[o->n] = f->value[i] ? xstrdup(f->value[i]) : NULL;
	o->kind[o->n] = f->kind[i];
	o->keyat[o->n] = f->keyat[i];
	o->valat[o->n] = f->valat[i];
	o->end[o->n] = o->n;
	o->folded[o->n] = f->folded[i];
	o->src[o->n] = i;
	o->n++;
}

void tui_lines_project(const tui_lines *full, tui_lines *out, int utf8)
{
	memset(out, 0, sizeof *out);
	out->proj = 1;
	for (size_t i = 0; i < full->n; i++) {
		if (!full->folded[i] || full->end[i] <= i) {
			add(out, full, i, xstrdup(full->v[i]));
			continue;
		}
		/* "key": {…}, — the closing line's text without its indent */
		const char *c = full->v[full->end[i]];
		while (*c == ' ')
			c++;
		sbuf b;
		sbuf_init(&b);
		sbuf_adds(&b, full->v[i]);
		sbuf_adds(&b, utf8 ? "\xe2\x80\xa6" : "...");
		sbuf_adds(&b, c);
		add(out, full, i, sbuf_take(&b));
		i = full->end[i];
	}
}

size_t tui_lines_shown(const tui_lines *proj, size_t i)
{
	size_t best = 0;
	for (size_t k = 0; k < proj->n && proj->src[k] <= i; k++)
		best = k;
	return best;
}

size_t tui_lines_opener(const tui_lines *full, size_t i)
{
	if (i >= full->n)
		return (size_t)-1;
	if (full->end[i] > i)
		return i;
	for (size_t k = i; k-- > 0;)
		if (full->end[k] > i)
			return k;
	return (size_t)-1;
}

const char *tui_strcasestr(const char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (!m || m > n)
		return NULL;
	for (size_t i = 0; i + m <= n; i++) {
		size_t k = 0;
		while (k < m && tolower((unsigned char)h[i + k]) == tolower((unsigned char)needle[k]))
			k++;
		if (k == m)
			return h + i;
	}
	return NULL;
}

size_t tui_lines_find(const tui_lines *full, const char *needle, size_t from, size_t *count)
{
	size_t found = (size_t)-1;
	*count = 0;
	if (!full->n)
		return found;
	for (size_t k = 0; k < full->n; k++) {
		size_t i = (from + k) % full->n;
		if (tui_strcasestr(full->v[i], strlen(full->v[i]), needle)) {
			if (found == (size_t)-1)
				found = i;
			++*count;
		}
	}
	return found;
}

void tui_lines_reveal(tui_lines *full, size_t i)
{
	for (size_t k = 0; k < i && k < full->n; k++)
		if (full->end[k] >= i && full->end[k] > k)
			full->folded[k] = 0;
}

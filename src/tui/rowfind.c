/* rowfind.c — find over the event list, the drill-down query of a table row, and the
 * command inside a respond action (see rowfind.h). */
#include "tui/rowfind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/detail.h"

const char *tui_short_principal(const char *p, size_t *n)
{
	if (p && *n > 4 && !memcmp(p, "arn:", 4)) {
		const char *c = NULL;
		for (size_t i = *n; i > 0; i--)
			if (p[i - 1] == ':') {
				c = p + i;
				break;
			}
		if (c && c < p + *n) {
			*n -= (size_t)(c - p);
			return c;
		}
	}
	return p;
}

/* Row position k of the search order: from (when inclusive), then on in direction dir. */
static size_t order_row(size_t k, size_t from, int dir, int inclusive, size_t n)
{
	size_t step = k + (inclusive ? 0 : 1);
	return dir > 0 ? (from + step) % n : (from + n * 2 - step % n) % n;
}

static int row_has(store *s, tui_view *v, size_t row, const char *needle)
{
	sbuf t;
	sbuf_init(&t);
	tui_view_row(s, v, row, 4096, &t);
	int hit = t.s && tui_strcasestr(t.s, t.len, needle) != NULL;
	sbuf_free(&t);
	return hit;
}

struct raw_find {
	const char *needle;
	store *s;
	tui_view *v;
	const size_t *rows;
	long found;
};

static int raw_hit(void *ud, size_t k, const char *raw, size_t len)
{
	struct raw_find *f = ud;
	if (row_has(f->s, f->v, f->rows[k], f->needle) || tui_strcasestr(raw, len, f->needle)) {
		f->found = (long)f->rows[k];
		return 1;
	}
	return 0;
}

long tui_view_find(store *s, tui_view *v, const char *needle, size_t from, int dir,
		   int inclusive)
{
	size_t n = tui_view_count(v);
	if (!n || !needle || !*needle)
		return -1;
	if (from >= n)
		from = 0;
	size_t tries = inclusive ? n : n - 1;
	if (!tries)
		return row_has(s, v, from, needle) ? (long)from : -1;
	if (v->r->is_table) {
		for (size_t k = 0; k < tries; k++) {
			size_t row = order_row(k, from, dir, inclusive, n);
			if (row_has(s, v, row, needle))
				return (long)row;
		}
		return -1;
	}
	size_t *rows = xcalloc(tries, sizeof *rows);
	uint32_t *idx = xcalloc(tries, sizeof *idx);
	for (size_t k = 0; k < tries; k++) {
		rows[k] = order_row(k, from, dir, inclusive, n);
		idx[k] = v->r->idx[rows[k]];
	}
	struct raw_find f = { needle, s, v, rows, -1 };
	char msg[256];
	if (store_raw_each(s, idx, tries, 0, raw_hit, &f, msg, sizeof msg) < 0 && f.found < 0)
		for (size_t k = 0; k < tries && f.found < 0; k++) /* raw gone: the columns */
			if (row_has(s, v, rows[k], needle))
				f.found = (long)rows[k];
	free(rows);
	free(idx);
	return f.found;
}

void tui_query_quote(sbuf *q, const char *v, size_t n)
{
	sbuf_addc(q, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '"' || c == '\\')
			sbuf_addf(q, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sbuf_addf(q, "\\u%04x", c);
		else
			sbuf_addc(q, (char)c);
	}
	sbuf_addc(q, '"');
}

/* The start of the last top-level "| stats" in q (outside quotes), or NULL. */
static const char *stats_stage(const char *q)
{
	const char *last = NULL;
	char inq = 0;
	for (const char *p = q; *p; p++) {
		if (inq) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == inq)
				inq = 0;
		} else if (*p == '"' || *p == '\'') {
			inq = *p;
		} else if (*p == '|') {
			const char *w = p + 1;
			while (*w == ' ' || *w == '\t' || *w == '\n')
				w++;
			if (!strncmp(w, "stats", 5) && (w[5] == ' ' || w[5] == '\t' || w[5] == '\n'))
				last = p;
		}
	}
	return last;
}

int tui_drill_query(const char *query, const char *const *cols, int ncols,
		    char *const *cells, sbuf *out, char *msg, size_t msgn)
{
	const char *st = query ? stats_stage(query) : NULL;
	const char *by = NULL;
	if (st) { /* " by " inside this stage (before the next '|') */
		size_t stage_len = strcspn(st + 1, "|") + 1;
		for (const char *p = st; p + 4 <= st + stage_len; p++)
			if ((p[0] == ' ' || p[0] == ')') && !strncmp(p + 1, "by", 2) &&
			    (p[3] == ' ' || p[3] == '\t'))
				by = p + 3;
		if (by) {
			sbuf_add(out, query, (size_t)(st - query));
			while (out->len && (out->s[out->len - 1] == ' ' || out->s[out->len - 1] == '\n'))
				out->s[--out->len] = 0;
			int keys = 0;
			const char *end = st + stage_len;
			for (const char *p = by; p < end;) {
				while (p < end && (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n'))
					p++;
				const char *k = p;
				int depth = 0;
				while (p < end && (depth || *p != ',')) {
					depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
					p++;
				}
				size_t kl = (size_t)(p - k);
				while (kl && (k[kl - 1] == ' ' || k[kl - 1] == '\t' || k[kl - 1] == '\n'))
					kl--;
				if (!kl || memchr(k, '(', kl))
					continue;
				for (int c = 0; c < ncols; c++) {
					if (strlen(cols[c]) != kl || strncmp(cols[c], k, kl))
						continue;
					sbuf_adds(out, out->len ? (keys ? " and " : " | filter ") : "");
					if (cells[c]) {
						sbuf_addf(out, "%s = ", cols[c]);
						tui_query_quote(out, cells[c], strlen(cells[c]));
					} else {
						sbuf_addf(out, "not %s exists", cols[c]);
					}
					keys++;
					break;
				}
			}
			if (keys)
				return 0;
			sbuf_reset(out);
			snprintf(msg, msgn, "open: the table's by keys are not fields to filter on");
			return -1;
		}
	}
	snprintf(msg, msgn, "open: only a stats ... by table's rows open into events");
	return -1;
}

static void trim_add(sbuf *out, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\n' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t'))
		n--;
	sbuf_add(out, s, n);
}

void tui_respond_command(const char *text, sbuf *out)
{
	const char *f = strstr(text, "```");
	if (f) { /* a fence: its body, after the info string */
		const char *body = strchr(f + 3, '\n');
		const char *e = body ? strstr(body + 1, "```") : NULL;
		if (body && e) {
			trim_add(out, body + 1, (size_t)(e - body - 1));
			return;
		}
	}
	size_t start = out->len;
	for (const char *p = text; (p = strchr(p, '`'));) {
		const char *e = strchr(p + 1, '`');
		if (!e)
			break;
		if (e > p + 1) {
			if (out->len > start)
				sbuf_addc(out, '\n');
			trim_add(out, p + 1, (size_t)(e - p - 1));
		}
		p = e + 1;
	}
	if (out->len == start)
		trim_add(out, text, strlen(text));
}

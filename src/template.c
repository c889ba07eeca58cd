/* template.c — respond-action templates: `{path}` holes, `{{`/`}}` literals, filling. */
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "query.h"
#include "query_check.h" /* query_record_fields: a hole naming one needs no dot */


static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == ':' || c == '$' || c == '@';
}

/* 0 if name[0..n) is a usable field, else a reason. */
static const char *bad_name(const char *name, size_t n)
{
	if (n == 0)
		return "an empty hole '{}' (write '{{' for a literal brace)";
	size_t part = 0;
	int dots = 0;
	for (size_t i = 0; i < n; i++) {
		if (name[i] == '.') {
			if (part == 0)
				return "a hole with an empty path part";
			part = 0;
			dots++;
		} else if (!name_char(name[i])) {
			return "a hole that is not a field path (write '{{' for a literal brace)";
		} else {
			part++;
		}
	}
	if (part == 0)
		return "a hole with an empty path part";
	if (dots)
		return NULL;
	char buf[64];
	if (n >= sizeof buf)
		return "an unknown field (not an alias or a CloudTrail record field)";
	memcpy(buf, name, n);
	buf[n] = 0;
	if (query_alias(buf) || !strcmp(buf, "time"))
		return NULL;
	for (int i = 0; query_record_fields[i]; i++)
		if (!strcmp(query_record_fields[i], buf))
			return NULL;
	return "an unknown field (not an alias or a CloudTrail record field)";
}

/* Walk text: lit(ud, s, n) for literal runs, hole(ud, name, n, off) for holes, bad(ud, off,
 * why) for problems (the offending bytes are then passed on as literal). */
struct walker {
	void (*lit)(struct walker *w, const char *s, size_t n);
	void (*hole)(struct walker *w, const char *name, size_t n, size_t off);
	void (*bad)(struct walker *w, size_t off, const char *why, const char *hole, size_t n);
};

static void walk(const char *t, struct walker *w)
{
	size_t i = 0, run = 0;
	while (t[i]) {
		if ((t[i] == '{' && t[i + 1] == '{') || (t[i] == '}' && t[i + 1] == '}')) {
			w->lit(w, t + run, i - run + 1); /* keep one brace */
			i += 2;
			run = i;
		} else if (t[i] == '}') {
			w->bad(w, i, "an unbalanced '}' (write '}}' for a literal brace)", NULL, 0);
			i++;
		} else if (t[i] == '{') {
			size_t e = i + 1;
			while (t[e] && t[e] != '}' && t[e] != '{' && t[e] != '\n')
				e++;
			if (t[e] != '}') {
				w->bad(w, i, "an unclosed '{' (write '{{' for a literal brace)", NULL, 0);
				i++;
				continue;
			}
			w->lit(w, t + run, i - run);
			const char *why = bad_name(t + i + 1, e - i - 1);
			if (why) {
				w->bad(w, i, why, t + i, e + 1 - i);
				w->lit(w, t + i, e + 1 - i);
			} else {
				w->hole(w, t + i + 1, e - i - 1, i);
			}
			i = e + 1;
			run = i;
		} else {
			i++;
		}
	}
	w->lit(w, t + run, i - run);
}

struct checker {
	struct walker w;
	tmpl_problem_fn fn;
	void *ud;
	int n;
};

static void ck_lit(struct walker *w, const char *s, size_t n) { (void)w, (void)s, (void)n; }
static void ck_hole(struct walker *w, const char *name, size_t n, size_t off)
{
	(void)w, (void)name, (void)n, (void)off;
}
static void ck_bad(struct walker *w, size_t off, const char *why, const char *hole, size_t n)
{
	struct checker *c = (struct checker *)w;
	c->n++;
	if (!c->fn)
		return;
	char m[256];
	if (hole)
		snprintf(m, sizeof m, "%s: '%.*s'", why, (int)(n > 120 ? 120 : n), hole);
	else
		snprintf(m, sizeof m, "%s", why);
	c->fn(c->ud, off, m);
}

int tmpl_check(const char *text, tmpl_problem_fn fn, void *ud)
{
	struct checker c = { { ck_lit, ck_hole, ck_bad }, fn, ud, 0 };
	walk(text, &c.w);
	return c.n;
}

struct lister {
	struct walker w;
	void (*fn)(void *ud, const char *name, size_t n);
	void *ud;
};

static void ls_hole(struct walker *w, const char *name, size_t n, size_t off)
{
	struct lister *l = (struct lister *)w;
	(void)off;
	l->fn(l->ud, name, n);
}
static void ls_bad(struct walker *w, size_t off, const char *why, const char *h, size_t n)
{
	(void)w, (void)off, (void)why, (void)h, (void)n;
}

void tmpl_holes(const char *text, void (*fn)(void *ud, const char *name, size_t n), void *ud)
{
	struct lister l = { { ck_lit, ls_hole, ls_bad }, fn, ud };
	walk(text, &l.w);
}

struct filler {
	struct walker w;
	store *s;
	size_t ev;
	enum tmpl_mode mode;
	sbuf *out;
	char *msg;
	size_t msgn;
	int failed;
};

static void put(struct filler *f, const char *s, size_t n)
{
	if (f->mode == TMPL_RAW) {
		sbuf_add(f->out, s, n);
		return;
	}
	while (n) { /* keep the template's line breaks */
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) : n;
		esc_term(f->out, s, k);
		if (nl) {
			sbuf_addc(f->out, '\n');
			k++;
		}
		s += k;
		n -= k;
	}
}

static void fl_lit(struct walker *w, const char *s, size_t n) { put((struct filler *)w, s, n); }
static void fl_bad(struct walker *w, size_t off, const char *why, const char *h, size_t n)
{
	(void)w, (void)off, (void)why, (void)h, (void)n;
}

static void fl_hole(struct walker *w, const char *name, size_t n, size_t off)
{
	struct filler *f = (struct filler *)w;
	(void)off;
	char *nm = xstrndup(name, n), tbuf[32];
	qfield q;
	const char *v = NULL;
	size_t len = 0;
	if (!f->failed && f->ev < f->s->n) {
		if (qfield_resolve(f->s, nm, &q, f->msg, f->msgn) < 0) {
			f->failed = 1;
		} else {
			v = qfield_value(f->s, &q, f->ev, tbuf, &len);
			qfield_free(&q);
		}
	}
	if (v && f->mode == TMPL_TERM)
		esc_term(f->out, v, len);
	else if (v)
		sbuf_add(f->out, v, len);
	else {
		put(f, "{", 1);
		put(f, name, n);
		put(f, "}", 1);
	}
	free(nm);
}

int tmpl_fill(const char *text, store *s, size_t ev, enum tmpl_mode mode, sbuf *out,
	      char *msg, size_t msgn)
{
	struct filler f = { { fl_lit, fl_hole, fl_bad }, s, ev, mode, out, msg, msgn, 0 };
	walk(text, &f.w);
	return f.failed ? -1 : 0;
}

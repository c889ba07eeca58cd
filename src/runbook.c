/* runbook.c — parse a runbook: front matter, `## ` steps, one query fence each, respond actions. */
#include "runbook.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "sha256.h"
#include "tgtime.h"

const char *const runbook_keys[RBK_N] = { "id", "title", "version", "severity", "window", "tags",
					  "owner" };
static const char *const sev_names[] = { "info", "low", "medium", "high", "critical" };

const char *runbook_severity_name(enum rb_severity s)
{
	return (unsigned)s < 5 ? sev_names[s] : "?";
}

const char *runbook_kind_name(enum rb_kind k)
{
	return k == RB_FINDINGS ? "findings" : "context";
}

void runbook_diag(sbuf *diag, const char *path, int line, int col, const char *level,
		  const char *fmt, ...)
{
	sbuf m;
	sbuf_init(&m);
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&m, fmt, ap);
	va_end(ap);
	esc_term(diag, path, strlen(path));
	sbuf_addf(diag, ":%d:%d: %s: ", line, col, level);
	esc_term(diag, m.s ? m.s : "", m.len);
	sbuf_addc(diag, '\n');
	sbuf_free(&m);
}

/* The parser's state while it walks the lines. */
struct pst {
	const char *path;
	sbuf *diag;
	int errors;
	runbook *rb;
	rb_step *st;       /* the current step, or NULL in the intro */
	sbuf prose;        /* the intro or the current step's guidance */
	sbuf query;
	int in_respond;
	int query_seen;    /* the current step has a query block */
};

TG_PRINTF(4, 5)
static void err(struct pst *p, int line, int col, const char *fmt, ...)
{
	sbuf m;
	sbuf_init(&m);
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&m, fmt, ap);
	va_end(ap);
	runbook_diag(p->diag, p->path, line, col, "error", "%s", m.s ? m.s : "");
	sbuf_free(&m);
	p->errors++;
}

static char *trimdup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/* Trim blank lines (and trailing spaces) at both ends of a prose buffer. */
static char *take_prose(sbuf *b)
{
	const char *s = b->s ? b->s : "";
	size_t n = b->len;
	while (n && strchr(" \t\n", s[0]))
		s++, n--;
	while (n && strchr(" \t\n", s[n - 1]))
		n--;
	char *r = xstrndup(s, n);
	sbuf_reset(b);
	return r;
}

static void end_step(struct pst *p)
{
	if (!p->st) {
		p->rb->intro = take_prose(&p->prose);
		return;
	}
	p->st->guidance = take_prose(&p->prose);
	if (!p->query_seen)
		err(p, p->st->line, 1, "step '%s' has no query block (```query findings or "
				       "```query context)", p->st->title);
	p->st = NULL;
}

static size_t blanks(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* Up to three spaces of indentation, as Markdown allows. */
static size_t indent(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	return i;
}

/* A fence line: 3+ backticks or tildes. Returns the fence length and sets *ch. */
static size_t fence_len(const char *s, size_t n, char *ch)
{
	size_t i = indent(s, n), k = i;
	if (i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	while (k < n && s[k] == s[i])
		k++;
	if (k - i < 3)
		return 0;
	*ch = s[i];
	return k - i;
}

static void start_query(struct pst *p, const char *info, size_t n, int line, int col)
{
	size_t i = 5; /* after "query" */
	while (i < n && (info[i] == ' ' || info[i] == '\t'))
		i++;
	size_t w = i;
	while (w < n && info[w] != ' ' && info[w] != '\t')
		w++;
	enum rb_kind kind = RB_CONTEXT;
	if (w > i && w - i == 8 && !memcmp(info + i, "findings", 8))
		kind = RB_FINDINGS;
	else if (w > i && !(w - i == 7 && !memcmp(info + i, "context", 7)))
		err(p, line, col + (int)i, "unknown step kind '%.*s' (expected findings or context)",
		    (int)(w - i), info + i);
	while (w < n && (info[w] == ' ' || info[w] == '\t'))
		w++;
	if (w < n)
		err(p, line, col + (int)w, "unexpected '%.*s' after the step kind", (int)(n - w),
		    info + w);
	if (!p->st)
		err(p, line, col, "a query block outside a step (put a '## ' heading before it)");
	else if (p->query_seen)
		err(p, line, col, "a second query block in step '%s' (one per step)", p->st->title);
	else {
		p->st->kind = kind;
		p->st->query_line = line + 1;
	}
	p->query_seen = 1;
	sbuf_reset(&p->query);
}

static void end_query(struct pst *p, int line)
{
	rb_step *st = p->st;
	if (!st || st->query)
		return;
	const char *q = p->query.s ? p->query.s : "";
	if (p->query.len == 0 || strspn(q, " \t\n") == p->query.len)
		err(p, line, 1, "empty query block in step '%s'", st->title);
	size_t n = p->query.len;
	while (n && q[n - 1] == '\n')
		n--;
	st->query = xstrndup(q, n);
}

static void add_line(sbuf *b, const char *s, size_t n)
{
	sbuf_add(b, s, n);
	sbuf_addc(b, '\n');
}

static void new_step(struct pst *p, const char *s, size_t n, int line)
{
	end_step(p);
	runbook *rb = p->rb;
	rb->steps = xrealloc(rb->steps, (size_t)(rb->nsteps + 1) * sizeof *rb->steps);
	rb_step *st = &rb->steps[rb->nsteps++];
	memset(st, 0, sizeof *st);
	st->title = trimdup(s, n);
	st->line = line;
	if (!*st->title)
		err(p, line, 1, "a step heading without a title");
	p->st = st;
	p->query_seen = 0;
}

static void new_respond(struct pst *p, const char *s, size_t n, int line, int col)
{
	if (!p->st) {
		err(p, line, 1, "a respond action outside a step");
		return;
	}
	rb_step *st = p->st;
	st->respond = xrealloc(st->respond, (size_t)(st->nrespond + 1) * sizeof *st->respond);
	rb_respond *r = &st->respond[st->nrespond++];
	size_t k = 0;
	while (k < n && (s[k] == ' ' || s[k] == '\t'))
		k++;
	r->text = xstrndup(s + k, n - k);
	r->line = line;
	r->col = col + (int)k;
	p->in_respond = 1;
}

static void more_respond(struct pst *p, const char *s, size_t n)
{
	rb_respond *r = &p->st->respond[p->st->nrespond - 1];
	size_t old = strlen(r->text);
	r->text = xrealloc(r->text, old + n + 2);
	r->text[old] = '\n';
	memcpy(r->text + old + 1, s, n);
	r->text[old + 1 + n] = 0;
}

/* Trailing blank lines of each respond action go; an empty action is an error. */
static void check_responds(struct pst *p)
{
	for (int i = 0; i < p->rb->nsteps; i++)
		for (int k = 0; k < p->rb->steps[i].nrespond; k++) {
			rb_respond *r = &p->rb->steps[i].respond[k];
			size_t n = strlen(r->text);
			while (n && strchr(" \t\n", r->text[n - 1]))
				r->text[--n] = 0;
			if (!n)
				err(p, r->line, r->col, "an empty respond action");
		}
}

/* The body: everything after the front matter. */
static void body(struct pst *p, const char **lines, const size_t *lens, int from, int nlines)
{
	int in_fence = 0, fence_line = 0, is_query = 0;
	size_t flen = 0;
	char fch = 0;
	for (int i = from; i < nlines; i++) {
		const char *s = lines[i];
		size_t n = lens[i], ind = indent(s, n);
		int line = i + 1;
		char ch = 0;
		size_t fl = fence_len(s, n, &ch);
		if (in_fence) {
			if (fl >= flen && ch == fch && blanks(s + ind + fl, n - ind - fl) == n - ind - fl) {
				in_fence = 0;
				if (is_query)
					end_query(p, fence_line);
				else
					add_line(&p->prose, s, n);
			} else {
				add_line(is_query ? &p->query : &p->prose, s, n);
			}
			continue;
		}
		if (fl) {
			p->in_respond = 0;
			in_fence = 1;
			fence_line = line;
			flen = fl;
			fch = ch;
			const char *info = s + ind + fl;
			size_t in = n - ind - fl, lead = 0;
			while (lead < in && (info[lead] == ' ' || info[lead] == '\t'))
				lead++;
			info += lead;
			in -= lead;
			while (in && (info[in - 1] == ' ' || info[in - 1] == '\t'))
				in--;
			is_query = in >= 5 && !memcmp(info, "query", 5) &&
				   (in == 5 || info[5] == ' ' || info[5] == '\t');
			if (is_query)
				start_query(p, info, in, line, (int)(ind + fl + lead) + 1);
			else
				add_line(&p->prose, s, n);
			continue;
		}
		if (n >= 2 && s[0] == '#' && s[1] == '#' && (n == 2 || s[2] == ' ' || s[2] == '\t')) {
			p->in_respond = 0;
			new_step(p, s + 2, n - 2, line);
			continue;
		}
		if (ind < n && s[ind] == '>') {
			size_t k = ind + 1;
			if (k < n && s[k] == ' ')
				k++;
			if (n - k >= 8 && !memcmp(s + k, "respond:", 8)) {
				new_respond(p, s + k + 8, n - k - 8, line, (int)(k + 8) + 1);
				continue;
			}
			if (p->in_respond) {
				more_respond(p, s + k, n - k);
				continue;
			}
		}
		p->in_respond = 0;
		add_line(&p->prose, s, n);
	}
	if (in_fence) {
		err(p, fence_line, 1, "unterminated code fence (no closing %c%c%c)", fch, fch, fch);
		if (is_query)
			end_query(p, fence_line);
	}
	end_step(p);
	check_responds(p);
	if (p->rb->nsteps == 0)
		err(p, from + 1 > nlines ? nlines : from + 1, 1,
		    "no steps (a step starts with a '## ' heading)");
}

runbook *runbook_parse(const char *path, const char *text, size_t len, sbuf *diag)
{
	struct pst p = { .path = path, .diag = diag };
	sbuf_init(&p.prose);
	sbuf_init(&p.query);
	runbook *rb = xcalloc(1, sizeof *rb);
	p.rb = rb;
	rb->path = xstrdup(path);
	unsigned char h[32];
	sha256(text, len, h);
	sha256_hex(h, rb->sha256);
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		text += 3, len -= 3;
	/* split into lines, dropping '\r' before '\n'; bad bytes stop the parse */
	int nlines = 0, cap = 0;
	const char **lines = NULL;
	size_t *lens = NULL;
	size_t pos = 0;
	while (pos < len && !p.errors) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const char *s = text + pos;
		pos += n + (nl ? 1 : 0);
		if (n && s[n - 1] == '\r')
			n--;
		const char *z = memchr(s, 0, n);
		if (z)
			err(&p, nlines + 1, (int)(z - s) + 1, "a NUL byte (a runbook is text)");
		else if (!utf8_valid(s, n))
			err(&p, nlines + 1, 1, "invalid UTF-8 on this line");
		if (nlines == cap) {
			cap = cap ? cap * 2 : 64;
			lines = xrealloc(lines, (size_t)cap * sizeof *lines);
			lens = xrealloc(lens, (size_t)cap * sizeof *lens);
		}
		lines[nlines] = s;
		lens[nlines++] = n;
	}
	if (!p.errors) {
		int from = runbook_front(rb, path, lines, lens, nlines, diag, &p.errors);
		if (from > 0)
			body(&p, lines, lens, from, nlines);
	}
	free(lines);
	free(lens);
	sbuf_free(&p.prose);
	sbuf_free(&p.query);
	if (p.errors)
		runbook_free(&rb);
	return rb;
}

runbook *runbook_load(const char *path, sbuf *diag)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file(path, &data, &len) < 0) {
		runbook_diag(diag, path, 0, 0, "error", "cannot read: %s", strerror(errno));
		return NULL;
	}
	runbook *rb = runbook_parse(path, data, len, diag);
	free(data);
	return rb;
}

void runbook_free(runbook **rbp)
{
	runbook *rb = *rbp;
	if (!rb)
		return;
	for (int i = 0; i < rb->nsteps; i++) {
		rb_step *st = &rb->steps[i];
		free(st->title);
		free(st->guidance);
		free(st->query);
		for (int k = 0; k < st->nrespond; k++)
			free(st->respond[k].text);
		free(st->respond);
	}
	free(rb->steps);
	for (int i = 0; i < rb->ntags; i++)
		free(rb->tags[i]);
	free(rb->tags);
	free(rb->path);
	free(rb->id);
	free(rb->title);
	free(rb->owner);
	free(rb->window_s);
	free(rb->intro);
	free(rb);
	*rbp = NULL;
}

void runbook_query_pos(const rb_step *st, int qcol, int *line, int *col)
{
	*line = st->query_line;
	*col = 1;
	const char *q = st->query ? st->query : "";
	for (int i = 0; i < qcol && q[i]; i++) {
		if (q[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

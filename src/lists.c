/* lists.c — named value lists: the file format, expiry, globs, loading from runbook dirs. */
#include "lists.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "intern.h"
#include "tgtime.h"

#define LIST_MAX_FILE (16u << 20) /* a list file larger than this is refused */

struct listset {
	tglist **lists;
	size_t n, cap;
};

int tglist_glob(const char *pat, size_t pn, const char *s, size_t n)
{
	size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
	while (si < n) {
		if (pi < pn && pat[pi] == '*') {
			while (pi < pn && pat[pi] == '*')
				pi++;
			if (pi == pn)
				return 1;
			star_p = pi;
			star_s = si;
			continue;
		}
		if (pi < pn && (pat[pi] == '?' || pat[pi] == s[si])) {
			pi++;
			si++;
			continue;
		}
		if (star_p == (size_t)-1)
			return 0;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < pn && pat[pi] == '*')
		pi++;
	return pi == pn;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trim [*a, *b) of white space. */
static void trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_ws(s[*a]))
		(*a)++;
	while (*b > *a && is_ws(s[*b - 1]))
		(*b)--;
}

/* YYYY-MM-DD exactly, a real date. 0 and *ms = that day's 00:00 UTC, or -1. */
static int parse_date(const char *s, size_t n, int64_t *ms)
{
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m == 2 && d == 29 && !leap)
		return -1;
	*ms = tgtime_days_from_civil(y, m, d) * 86400000LL;
	return 0;
}

static void warnf(sbuf *warn, const char *path, int line, const char *fmt, ...) TG_PRINTF(4, 5);
static void warnf(sbuf *warn, const char *path, int line, const char *fmt, ...)
{
	if (!warn)
		return;
	va_list ap;
	sbuf_addf(warn, "%s:%d: ", path, line);
	va_start(ap, fmt);
	sbuf_vaddf(warn, fmt, ap);
	va_end(ap);
	sbuf_addc(warn, '\n');
}

/* A short printable copy of a field for messages: controls become '?'. */
static void shown(const char *s, size_t n, char *out, size_t outn)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 4 < outn; i++) {
		unsigned char c = (unsigned char)s[i];
		out[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (n && k + 4 >= outn && k >= 3)
		memcpy(out + k - 3, "...", 3);
	out[k] = 0;
}

/* Parse one line [a, b); 1 = an entry in *e, 0 = a comment or blank, -1 = bad (warned). */
static int parse_line(const char *t, size_t a, size_t b, const char *path, int line,
		      int64_t now, tglist_entry *e, sbuf *warn)
{
	char buf[64];
	trim(t, &a, &b);
	if (a == b || t[a] == '#')
		return 0;
	memset(e, 0, sizeof *e);
	e->line = line;
	e->expires = TG_TIME_NONE;
	size_t f = a;
	int field = 0;
	while (f <= b) {
		size_t end = f;
		while (end < b && t[end] != '|')
			end++;
		size_t fa = f, fb = end;
		trim(t, &fa, &fb);
		if (field == 0) {
			if (fa == fb) {
				warnf(warn, path, line, "empty value before '|'");
				goto bad;
			}
			if (memchr(t + fa, 0, fb - fa)) {
				warnf(warn, path, line, "NUL byte in the value");
				goto bad;
			}
			e->value = xstrndup(t + fa, fb - fa);
			e->n = fb - fa;
			e->glob = memchr(e->value, '*', e->n) || memchr(e->value, '?', e->n);
			int c = e->glob ? 0 : cidr_parse(e->value, e->n, &e->net);
			if (c < 0) {
				shown(t + fa, fb - fa, buf, sizeof buf);
				warnf(warn, path, line, "bad CIDR '%s'", buf);
				goto bad;
			}
			e->is_cidr = c > 0;
		} else {
			const char *eq = memchr(t + fa, '=', fb - fa);
			if (!eq) {
				shown(t + fa, fb - fa, buf, sizeof buf);
				warnf(warn, path, line, "expected key=value after '|', not '%s'", buf);
				goto bad;
			}
			size_t ka = fa, kb = (size_t)(eq - t), va = kb + 1, vb = fb;
			trim(t, &ka, &kb);
			trim(t, &va, &vb);
			char **slot = NULL;
			if (kb - ka == 5 && memcmp(t + ka, "owner", 5) == 0)
				slot = &e->owner;
			else if (kb - ka == 6 && memcmp(t + ka, "reason", 6) == 0)
				slot = &e->reason;
			else if (kb - ka == 7 && memcmp(t + ka, "expires", 7) == 0) {
				if (e->expires != TG_TIME_NONE) {
					warnf(warn, path, line, "duplicate 'expires'");
					goto bad;
				}
				int64_t ms;
				if (parse_date(t + va, vb - va, &ms) < 0) {
					shown(t + va, vb - va, buf, sizeof buf);
					warnf(warn, path, line,
					      "bad expiry date '%s' (expected YYYY-MM-DD)", buf);
					goto bad;
				}
				e->expires = ms + 86400000LL;
			} else {
				shown(t + ka, kb - ka, buf, sizeof buf);
				warnf(warn, path, line,
				      "unknown key '%s' (expected owner, reason or expires)", buf);
				goto bad;
			}
			if (slot) {
				if (*slot) {
					shown(t + ka, kb - ka, buf, sizeof buf);
					warnf(warn, path, line, "duplicate '%s'", buf);
					goto bad;
				}
				if (va == vb) {
					shown(t + ka, kb - ka, buf, sizeof buf);
					warnf(warn, path, line, "empty '%s'", buf);
					goto bad;
				}
				*slot = xstrndup(t + va, vb - va);
			}
		}
		field++;
		f = end + 1;
	}
	if (!e->owner || !e->reason) {
		warnf(warn, path, line, "missing %s (every entry needs owner= and reason=)",
		      !e->owner && !e->reason ? "owner and reason" : !e->owner ? "owner" : "reason");
		goto bad;
	}
	e->expired = e->expires != TG_TIME_NONE && now != TG_TIME_NONE && e->expires <= now;
	return 1;
bad:
	free(e->value);
	free(e->owner);
	free(e->reason);
	memset(e, 0, sizeof *e);
	return -1;
}

tglist *tglist_parse(const char *name, const char *path, const char *text, size_t n,
		     int64_t now, sbuf *warn)
{
	tglist *l = xcalloc(1, sizeof *l);
	l->name = xstrdup(name ? name : "");
	l->path = xstrdup(path ? path : l->name);
	l->exact = intern_new();
	size_t cap = 0, gcap = 0, ncap = 0;
	int line = 0;
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && text[e] != '\n')
			e++;
		line++;
		tglist_entry ent;
		if (parse_line(text, i, e, l->path, line, now, &ent, warn) > 0) {
			xgrow((void **)&l->entries, &cap, l->n + 1, sizeof *l->entries);
			l->entries[l->n] = ent;
			if (!ent.expired) {
				if (ent.glob) {
					xgrow((void **)&l->globs, &gcap, l->nglobs + 1, sizeof *l->globs);
					l->globs[l->nglobs++] = (uint32_t)l->n;
				} else {
					intern_add(l->exact, ent.value, ent.n);
				}
				if (ent.is_cidr) {
					xgrow((void **)&l->nets, &ncap, l->nnets + 1, sizeof *l->nets);
					l->nets[l->nnets++] = (uint32_t)l->n;
				}
			}
			l->n++;
		}
		if (line == 0x7fffffff)
			break;
		i = e + 1;
	}
	return l;
}

void tglist_free(tglist **lp)
{
	tglist *l = *lp;
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->entries[i].value);
		free(l->entries[i].owner);
		free(l->entries[i].reason);
	}
	free(l->entries);
	free(l->globs);
	free(l->nets);
	intern_free(&l->exact);
	free(l->name);
	free(l->path);
	free(l);
	*lp = NULL;
}

int tglist_match(const tglist *l, const char *s, size_t n)
{
	if (!l || !s)
		return 0;
	if (intern_find(l->exact, s, n))
		return 1;
	for (size_t i = 0; i < l->nglobs; i++) {
		const tglist_entry *e = &l->entries[l->globs[i]];
		if (tglist_glob(e->value, e->n, s, n))
			return 1;
	}
	for (size_t i = 0; i < l->nnets; i++)
		if (cidr_match(&l->entries[l->nets[i]].net, s, n))
			return 1;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int usable_name(const char *n)
{
	size_t l = strlen(n);
	if (!l || n[0] == '.' || n[l - 1] == '~')
		return 0;
	for (size_t i = 0; i < l; i++) {
		unsigned char c = (unsigned char)n[i];
		if (c <= 0x20 || c == 0x7f || strchr("()|,\"'=<>~[]!", c))
			return 0; /* could not be written after '@' */
	}
	return 1;
}

listset *listset_load(char *const *dirs, int ndirs, int64_t now, sbuf *warn)
{
	listset *ls = xcalloc(1, sizeof *ls);
	for (int d = 0; d < ndirs; d++) {
		if (!dirs[d])
			continue;
		sbuf dir;
		sbuf_init(&dir);
		sbuf_addf(&dir, "%s/lists", dirs[d]);
		DIR *dp = opendir(dir.s);
		if (!dp) {
			sbuf_free(&dir);
			continue;
		}
		char **names = NULL;
		size_t nn = 0, ncap = 0;
		struct dirent *de;
		while ((de = readdir(dp))) {
			if (!usable_name(de->d_name))
				continue;
			xgrow((void **)&names, &ncap, nn + 1, sizeof *names);
			names[nn++] = xstrdup(de->d_name);
		}
		closedir(dp);
		if (nn)
			qsort(names, nn, sizeof *names, cmp_names); /* deterministic order */
		for (size_t i = 0; i < nn; i++) {
			sbuf path;
			sbuf_init(&path);
			sbuf_addf(&path, "%s/%s", dir.s, names[i]);
			struct stat st;
			if (stat(path.s, &st) < 0 || !S_ISREG(st.st_mode)) {
				sbuf_free(&path);
				continue;
			}
			const tglist *prev = listset_get(ls, names[i]);
			if (prev) {
				if (warn)
					sbuf_addf(warn, "%s: list '@%s' is shadowed by %s\n", path.s,
						  names[i], prev->path);
				sbuf_free(&path);
				continue;
			}
			sbuf text;
			sbuf_init(&text);
			if ((uint64_t)st.st_size > LIST_MAX_FILE) {
				if (warn)
					sbuf_addf(warn, "%s: list file too large (over %u MB)\n", path.s,
						  LIST_MAX_FILE >> 20);
			} else if (read_file_into(path.s, &text) < 0) {
				if (warn)
					sbuf_addf(warn, "%s: cannot read the list file\n", path.s);
			} else {
				tglist *l = tglist_parse(names[i], path.s, text.s ? text.s : "", text.len,
							 now, warn);
				xgrow((void **)&ls->lists, &ls->cap, ls->n + 1, sizeof *ls->lists);
				ls->lists[ls->n++] = l;
			}
			sbuf_free(&text);
			sbuf_free(&path);
		}
		for (size_t i = 0; i < nn; i++)
			free(names[i]);
		free(names);
		sbuf_free(&dir);
	}
	return ls;
}

void listset_free(listset **lp)
{
	listset *ls = *lp;
	if (!ls)
		return;
	for (size_t i = 0; i < ls->n; i++)
		tglist_free(&ls->lists[i]);
	free(ls->lists);
	free(ls);
	*lp = NULL;
}

const tglist *listset_get(const listset *ls, const char *name)
{
	if (!ls || !name)
		return NULL;
	for (size_t i = 0; i < ls->n; i++)
		if (strcmp(ls->lists[i]->name, name) == 0)
			return ls->lists[i];
	return NULL;
}

size_t listset_count(const listset *ls)
{
	return ls ? ls->n : 0;
}

const tglist *listset_at(const listset *ls, size_t i)
{
	return ls && i < ls->n ? ls->lists[i] : NULL;
}

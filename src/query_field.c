/* query_field.c — field names and aliases, and the value helpers comparisons use. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "query_ast.h"
#include "tgtime.h"

static const char *const alias_path[][2] = {
	{"time", "eventTime"},
	{"event", "eventName"},
	{"service", "eventSource"},
	{"region", "awsRegion"},
	{"ip", "sourceIPAddress"},
	{"ua", "userAgent"},
	{"error", "errorCode"},
	{"account", "recipientAccountId"},
	{"principal", "principal"},
	{"type", "userIdentity.type"},
	{"key", "userIdentity.accessKeyId"},
	{"role", "userIdentity.sessionContext.sessionIssuer.arn"},
	{"session", "userIdentity.principalId"},
	{"mfa", "userIdentity.sessionContext.attributes.mfaAuthenticated"},
	{"readonly", "readOnly"},
};
#define NALIAS (sizeof alias_path / sizeof alias_path[0])

const char *const query_alias_names[] = {
	"time", "event", "service", "region", "ip", "ua", "error", "account", "principal",
	"type", "key", "role", "session", "mfa", "readonly", NULL,
};

const char *query_alias(const char *name)
{
	for (size_t i = 0; i < NALIAS; i++)
		if (strcmp(name, alias_path[i][0]) == 0)
			return alias_path[i][1];
	return NULL;
}

int qv_field_is_time(const char *name)
{
	return strcmp(name, "time") == 0 || strcmp(name, "eventTime") == 0;
}

int qv_field_is_service(const char *name)
{
	return strcmp(name, "service") == 0 || strcmp(name, "eventSource") == 0;
}

int qfield_resolve(store *s, const char *name, qfield *f, char *msg, size_t msgn)
{
	memset(f, 0, sizeof *f);
	f->col = -1;
	if (qv_field_is_time(name)) {
		f->kind = QF_TIME;
		f->name = xstrdup(name);
		return 0;
	}
	if (qtimefn_kind(name)) {
		f->kind = QF_COL;
		f->col = qtimefn_column(s, name);
		f->name = xstrdup(name);
		return 0;
	}
	const char *path = query_alias(name);
	if (!path)
		path = name;
	int c = -1;
	for (int i = 0; i < COL_NFIXED && c < 0; i++)
		if (strcmp(col_path[i], path) == 0)
			c = i;
	/* recipientAccountId is what the account column holds first */
	if (c < 0 && strcmp(path, "recipientAccountId") == 0)
		c = COL_ACCOUNT;
	if (c < 0)
		c = store_col_find(s, path);
	if (c < 0)
		c = store_col_get(s, path, msg, msgn);
	if (c < 0)
		return -1;
	f->kind = QF_COL;
	f->col = c;
	f->name = xstrdup(name);
	return 0;
}

void qfield_free(qfield *f)
{
	free(f->name);
	f->name = NULL;
}

const char *qfield_value(const store *s, const qfield *f, size_t i, char *buf, size_t *len)
{
	if (f->kind == QF_TIME) {
		if (s->time[i] == TG_TIME_NONE)
			return NULL;
		tgtime_format(s->time[i], buf);
		if (len)
			*len = strlen(buf);
		return buf;
	}
	return store_val(s, f->col, i, len);
}

int qv_number(const char *s, size_t n, double *out)
{
	size_t i = 0;
	int digits = 0;
	if (!s || !n || n > 64)
		return 0;
	if (s[i] == '-' || s[i] == '+')
		i++;
	while (i < n && isdigit((unsigned char)s[i]))
		i++, digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i >= n || !isdigit((unsigned char)s[i]))
			return 0;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i != n)
		return 0;
	char buf[72];
	memcpy(buf, s, n);
	buf[n] = 0;
	*out = strtod(buf, NULL);
	return 1;
}

int qv_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	double x, y;
	int na = qv_number(a, an, &x), nb = qv_number(b, bn, &y);
	if (na && nb && x != y)
		return x < y ? -1 : 1;
	if (na != nb)
		return na ? -1 : 1;
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/* One glob item at pat[*pi] against character c; advances *pi past the item. */
static int glob_one(const char *pat, size_t pn, size_t *pi, unsigned char c)
{
	size_t i = *pi;
	unsigned char lc = (unsigned char)tolower(c);
	if (pat[i] == '?') {
		*pi = i + 1;
		return 1;
	}
	if (pat[i] == '\\' && i + 1 < pn) {
		*pi = i + 2;
		return tolower((unsigned char)pat[i + 1]) == lc;
	}
	if (pat[i] == '[') {
		size_t j = i + 1;
		int neg = 0, hit = 0;
		if (j < pn && (pat[j] == '!' || pat[j] == '^'))
			neg = 1, j++;
		size_t first = j;
		while (j < pn && (pat[j] != ']' || j == first)) {
			unsigned char lo = (unsigned char)tolower((unsigned char)pat[j]), hi = lo;
			if (j + 2 < pn && pat[j + 1] == '-' && pat[j + 2] != ']') {
				hi = (unsigned char)tolower((unsigned char)pat[j + 2]);
				j += 2;
			}
			if (lc >= lo && lc <= hi)
				hit = 1;
			j++;
		}
		if (j < pn) { /* a closed set */
			*pi = j + 1;
			return hit != neg;
		}
		/* an unclosed '[' is a literal */
	}
	*pi = i + 1;
	return tolower((unsigned char)pat[i]) == lc;
}

int qv_glob(const char *pat, size_t pn, const char *s, size_t n)
{
	/* greedy with one backtrack point: linear in practice, never exponential */
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
		size_t np = pi;
		if (pi < pn && glob_one(pat, pn, &np, (unsigned char)s[si])) {
			pi = np;
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

int qv_cidr_parse(const char *s, size_t n, qval *v)
{
	tgcidr c;
	int r = cidr_parse(s, n, &c);
	if (r <= 0)
		return r;
	v->is_cidr = 1;
	v->family = c.family;
	v->bits = c.bits;
	memcpy(v->addr, c.addr, sizeof v->addr);
	return 1;
}

int qv_cidr_match(const qval *v, const char *s, size_t n)
{
	if (!v->is_cidr)
		return 0;
	tgcidr c = { .family = v->family, .bits = v->bits };
	memcpy(c.addr, v->addr, sizeof c.addr);
	return cidr_match(&c, s, n);
}

void qctx_init(qctx *c)
{
	c->now = tgtime_now();
	c->since = c->until = TG_TIME_NONE;
	c->lists = NULL;
}

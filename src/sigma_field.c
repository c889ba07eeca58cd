/* sigma_field.c — a Sigma selection (field|modifiers: values) as a query expression. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sigma.h"

enum {
	M_CONTAINS = 1, M_STARTS = 2, M_ENDS = 4, M_ALL = 8, M_RE = 16, M_CIDR = 32,
	M_EXISTS = 64, M_EXPAND = 128, M_GT = 256, M_GTE = 512, M_LT = 1024, M_LTE = 2048,
	M_REI = 4096, M_CASED = 8192, M_REM = 16384, M_FIELDREF = 32768
};

static const struct { const char *name; int bit; } mods[] = {
	{ "contains", M_CONTAINS }, { "startswith", M_STARTS }, { "endswith", M_ENDS },
	{ "all", M_ALL }, { "re", M_RE }, { "i", M_REI }, { "m", M_REM }, { "s", 0 },
	{ "cidr", M_CIDR }, { "exists", M_EXISTS }, { "expand", M_EXPAND }, { "gt", M_GT },
	{ "gte", M_GTE }, { "lt", M_LT }, { "lte", M_LTE }, { "cased", M_CASED },
	{ "fieldref", M_FIELDREF },
};

static int refuse(char **reason, const char *fmt, const char *arg)
{
	sbuf b;
	sbuf_init(&b);
	sbuf_addf(&b, fmt, arg);
	*reason = sbuf_take(&b);
	return -1;
}

/* A quoted query string: ASCII printable as is, '"' and '\' escaped, everything else
 * \uXXXX (surrogate pairs above the BMP), so the query is one printable ASCII line. */
static void qstr(sbuf *out, const char *s, size_t n)
{
	sbuf_addc(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			sbuf_addc(out, '\\');
			sbuf_addc(out, (char)c);
			i++;
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			sbuf_addc(out, (char)c);
			i++;
			continue;
		}
		unsigned cp = c;
		size_t len = 1;
		if (c >= 0xf0 && n - i >= 4) {
			cp = ((c & 7u) << 18) | (((unsigned char)s[i + 1] & 63u) << 12) |
			     (((unsigned char)s[i + 2] & 63u) << 6) | ((unsigned char)s[i + 3] & 63u);
			len = 4;
		} else if (c >= 0xe0 && n - i >= 3) {
			cp = ((c & 15u) << 12) | (((unsigned char)s[i + 1] & 63u) << 6) |
			     ((unsigned char)s[i + 2] & 63u);
			len = 3;
		} else if (c >= 0xc0 && n - i >= 2) {
			cp = ((c & 31u) << 6) | ((unsigned char)s[i + 1] & 63u);
			len = 2;
		}
		if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			cp = 0xfffd;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			sbuf_addf(out, "\\u%04x\\u%04x", 0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
		} else {
			sbuf_addf(out, "\\u%04x", cp);
		}
		i += len;
	}
	sbuf_addc(out, '"');
}

/* A Sigma value as a glob: Sigma's * and ? are wildcards, \* \? \\ are literal, any other
 * backslash is itself; the glob's own specials are escaped. */
static void sigma_glob(sbuf *g, const char *v, size_t n, int mods_)
{
	if (mods_ & (M_CONTAINS | M_ENDS))
		sbuf_addc(g, '*');
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c == '\\' && i + 1 < n && (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\')) {
			sbuf_addc(g, '\\');
			sbuf_addc(g, v[++i]);
		} else if (c == '\\' || c == '[' || c == ']') {
			sbuf_addc(g, '\\');
			sbuf_addc(g, c);
		} else {
			sbuf_addc(g, c);
		}
	}
	if (mods_ & (M_CONTAINS | M_STARTS))
		sbuf_addc(g, '*');
}

/* True when the value is a plain number for gt/gte/lt/lte. */
static int is_number(const char *s)
{
	char *end;
	if (!*s)
		return 0;
	(void)strtod(s, &end);
	return *end == 0 && strspn(s, "0123456789.-+eE") == strlen(s);
}

static int one_value(const char *field, const sy_node *v, int m, int neg, sbuf *out,
		     sigma_rule *r, char **reason)
{
	if (v->type == SY_NULL) {
		sbuf_addf(out, "not %s exists", field);
		return 0;
	}
	if (v->type != SY_SCALAR)
		return refuse(reason, "a value of '%s' is a map or a nested list", field);
	if (memchr(v->s, 0, v->n))
		return refuse(reason, "a value of '%s' holds a NUL byte", field);
	if (m & M_FIELDREF) { /* the value names another field of the same event */
		if (m & ~(M_FIELDREF | M_ALL))
			return refuse(reason, "modifier 'fieldref' with another modifier on '%s'",
				      field);
		sbuf other;
		sbuf_init(&other);
		sbuf_add(&other, "", 0);
		int rc = sigma_field_name(v->s, v->n, &other, reason);
		if (rc == 0)
			sbuf_addf(out, "%s = field(%s)", field, other.s);
		sbuf_free(&other);
		return rc;
	}
	if (m & M_EXISTS) {
		int yes = !strcmp(v->s, "true") || !strcmp(v->s, "True") || !strcmp(v->s, "yes");
		sbuf_addf(out, yes ? "%s exists" : "not %s exists", field);
		return 0;
	}
	if (m & M_EXPAND) {
		if (v->n < 3 || v->s[0] != '%' || v->s[v->n - 1] != '%')
			return refuse(reason, "an |expand value of '%s' is not a %%placeholder%%", field);
		if (!neg)
			return refuse(reason, "placeholder used outside a 'not' (%s): it would match "
					      "nothing until its list is filled", v->s);
		char *inner = xstrndup(v->s + 1, v->n - 2);
		char *name = sigma_slug(inner);
		free(inner);
		sbuf_addf(out, "%s in @%s", field, name);
		size_t k;
		for (k = 0; k < r->nlists && strcmp(r->lists[k], name); k++)
			;
		if (k == r->nlists) {
			r->lists = xrealloc(r->lists, (r->nlists + 1) * sizeof *r->lists);
			r->lists[r->nlists++] = name;
		} else {
			free(name);
		}
		return 0;
	}
	if (m & M_RE) {
		if (strstr(v->s, "(?"))
			return refuse(reason, "the regex of '%s' uses PCRE syntax '(?' that POSIX "
					      "regexes lack", field);
		for (size_t i = 0; i < v->n; i++)
			if ((unsigned char)v->s[i] < 0x20 || v->s[i] == 0x7f ||
			    (unsigned char)v->s[i] >= 0x80)
				return refuse(reason, "the regex of '%s' holds control or non-ASCII "
						      "bytes", field);
		for (size_t i = 0; i + 1 < v->n; i++)
			if (v->s[i] == '\\' && strchr("dDwWsSbBAzZ", v->s[i + 1]))
				return refuse(reason, "the regex of '%s' uses a PCRE class (\\d, \\w, "
						      "\\s, \\b...) that POSIX regexes lack", field);
			else if (v->s[i] == '\\')
				i++;
		sbuf_addf(out, "%s =~ /", field);
		for (size_t i = 0; i < v->n; i++) {
			if (v->s[i] == '\\' && i + 1 < v->n) {
				sbuf_addc(out, '\\');
				sbuf_addc(out, v->s[++i]);
			} else if (v->s[i] == '/') {
				sbuf_adds(out, "\\/");
			} else {
				sbuf_addc(out, v->s[i]);
			}
		}
		sbuf_adds(out, (m & M_REI) ? "/i" : "/");
		return 0;
	}
	if (m & (M_GT | M_GTE | M_LT | M_LTE)) {
		if (!is_number(v->s))
			return refuse(reason, "a gt/gte/lt/lte value of '%s' is not a number", field);
		const char *op = (m & M_GT) ? ">" : (m & M_GTE) ? ">=" : (m & M_LT) ? "<" : "<=";
		sbuf_addf(out, "%s %s %s", field, op, v->s);
		return 0;
	}
	if (m & M_CIDR) {
		sbuf_addf(out, "%s in (", field);
		qstr(out, v->s, v->n);
		sbuf_addc(out, ')');
		return 0;
	}
	sbuf g;
	sbuf_init(&g);
	sbuf_add(&g, "", 0);
	sigma_glob(&g, v->s, v->n, m);
	sbuf_addf(out, "%s ~ ", field);
	qstr(out, g.s, g.len);
	sbuf_free(&g);
	return 0;
}

/* A Sigma field name as a query field: src_ip is sourceIPAddress; a name must be a bare
 * word of letters, digits, '_', '-' and '.', and not one of trailguide's aliases. */
int sigma_field_name(const char *name, size_t n, sbuf *f, char **reason)
{
	char *nm = xstrndup(name, n);
	int rc = 0;
	if (!n) {
		rc = refuse(reason, "%skeyword (field-less) search", "");
	} else if (!strcmp(nm, "src_ip")) {
		sbuf_adds(f, "sourceIPAddress");
	} else if (strspn(nm, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
		   n || nm[0] == '.' || nm[n - 1] == '.' || strstr(nm, "..")) {
		rc = refuse(reason, "field name '%s' cannot be written in a query", nm);
	} else if (query_alias(nm)) {
		rc = refuse(reason, "field '%s' is a trailguide alias, not a CloudTrail field", nm);
	} else {
		sbuf_adds(f, nm);
	}
	free(nm);
	return rc;
}

/* One `field|mods: value(s)` item. */
static int item(const char *key, const sy_node *val, int neg, sbuf *out, sigma_rule *r,
		char **reason)
{
	const char *bar = strchr(key, '|');
	size_t fn = bar ? (size_t)(bar - key) : strlen(key);
	int m = 0;
	while (bar) {
		const char *s = bar + 1;
		bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		size_t k;
		for (k = 0; k < sizeof mods / sizeof *mods; k++)
			if (strlen(mods[k].name) == n && !memcmp(mods[k].name, s, n))
				break;
		if (k == sizeof mods / sizeof *mods) {
			char *mn = xstrndup(s, n);
			refuse(reason, "modifier '%s' is not supported", mn);
			free(mn);
			return -1;
		}
		m |= mods[k].bit;
	}
	if (m & M_CASED)
		return refuse(reason, "modifier '%s' is not supported (values match "
				      "case-insensitively)", "cased");
	if (m & M_REM) /* |s holds already: POSIX '.' matches a newline */
		return refuse(reason, "modifier '%s' is not supported (multi-line regex)", "m");
	sbuf f;
	sbuf_init(&f);
	sbuf_add(&f, "", 0);
	if (sigma_field_name(key, fn, &f, reason) < 0) {
		sbuf_free(&f);
		return -1;
	}
	size_t nv = val->type == SY_SEQ ? val->nkids : 1;
	if (nv == 0) {
		sbuf_free(&f);
		return refuse(reason, "an empty list of values for '%s'", key);
	}
	int rc = 0;
	if (m & M_CIDR && val->type == SY_SEQ && !(m & M_ALL)) {
		/* all the blocks in one `in (...)` */
		sbuf_addf(out, "%s in (", f.s);
		for (size_t i = 0; i < nv && rc == 0; i++) {
			const sy_node *v = val->kids[i];
			if (v->type != SY_SCALAR || memchr(v->s, 0, v->n))
				rc = refuse(reason, "a cidr value of '%s' is not text", key);
			else {
				if (i)
					sbuf_adds(out, ", ");
				qstr(out, v->s, v->n);
			}
		}
		sbuf_addc(out, ')');
		sbuf_free(&f);
		return rc;
	}
	if (nv > 1)
		sbuf_addc(out, '(');
	for (size_t i = 0; i < nv && rc == 0; i++) {
		if (i)
			sbuf_adds(out, (m & M_ALL) ? " and " : " or ");
		rc = one_value(f.s, val->type == SY_SEQ ? val->kids[i] : val, m, neg, out, r, reason);
	}
	if (nv > 1)
		sbuf_addc(out, ')');
	sbuf_free(&f);
	return rc;
}

static int map_sel(const sy_node *map, int neg, sbuf *out, sigma_rule *r, char **reason)
{
	if (map->nkids == 0)
		return refuse(reason, "%san empty selection", "");
	if (map->nkids > 1)
		sbuf_addc(out, '(');
	for (size_t i = 0; i < map->nkids; i++) {
		if (i)
			sbuf_adds(out, " and ");
		if (item(map->keys[i], map->kids[i], neg, out, r, reason) < 0)
			return -1;
	}
	if (map->nkids > 1)
		sbuf_addc(out, ')');
	return 0;
}

int sigma_selection(const sy_node *sel, int neg, sbuf *out, sigma_rule *r, char **reason)
{
	if (sel->type == SY_MAP)
		return map_sel(sel, neg, out, r, reason);
	if (sel->type != SY_SEQ || sel->nkids == 0)
		return refuse(reason, "%skeyword (field-less) search", "");
	for (size_t i = 0; i < sel->nkids; i++)
		if (sel->kids[i]->type != SY_MAP)
			return refuse(reason, "%skeyword (field-less) search", "");
	if (sel->nkids > 1)
		sbuf_addc(out, '(');
	for (size_t i = 0; i < sel->nkids; i++) {
		if (i)
			sbuf_adds(out, " or ");
		if (map_sel(sel->kids[i], neg, out, r, reason) < 0)
			return -1;
	}
	if (sel->nkids > 1)
		sbuf_addc(out, ')');
	return 0;
}

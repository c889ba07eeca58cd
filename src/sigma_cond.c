/* sigma_cond.c — a Sigma condition (and, or, not, parentheses, `1 of x*`, `all of them`)
 * over the detection's named selections, as a query expression; aggregations: sigma_agg.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "sigma.h"

enum { COND_MAX_DEPTH = 64 };

struct cp {
	const char *s;
	size_t pos;
	const sy_node *det;
	sigma_rule *r;
	char **reason;
	int depth;
};

static int refuse(struct cp *p, const char *fmt, const char *arg)
{
	if (*p->reason)
		return -1;
	sbuf b;
	sbuf_init(&b);
	sbuf_addf(&b, fmt, arg);
	*p->reason = sbuf_take(&b);
	return -1;
}

static void skip(struct cp *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	       p->s[p->pos] == '\r')
		p->pos++;
}

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '*' || c == '-' || c == '.';
}

/* The next word (without consuming it) into w; its length, 0 for a symbol or the end. */
static size_t peek(struct cp *p, char *w, size_t wn)
{
	skip(p);
	size_t n = 0;
	while (word_char(p->s[p->pos + n]))
		n++;
	size_t k = n < wn - 1 ? n : wn - 1;
	memcpy(w, p->s + p->pos, k);
	w[k] = 0;
	return n;
}

static int is_kw(const char *w, const char *kw)
{
	return !strcmp(w, kw);
}

static int is_selection_name(const char *k)
{
	return strcmp(k, "condition") && strcmp(k, "timeframe") && strcmp(k, "fields");
}

static int selection(struct cp *p, const char *name, int neg, sbuf *out)
{
	const sy_node *sel = sy_get(p->det, name);
	if (!sel || !is_selection_name(name))
		return refuse(p, "the condition names '%s', which the detection does not define",
			      name);
	return sigma_selection(sel, neg, out, p->r, p->reason);
}

/* `1 of pattern`, `all of them`: the or (1) or and (all) of the matching selections. */
static int quantified(struct cp *p, int all, const char *pat, int neg, sbuf *out)
{
	int them = !strcmp(pat, "them"), count = 0;
	for (size_t i = 0; i < p->det->nkids; i++) {
		const char *k = p->det->keys[i];
		if (!is_selection_name(k))
			continue;
		if (them ? k[0] == '_' : !tglist_glob(pat, strlen(pat), k, strlen(k)))
			continue;
		sbuf_adds(out, count ? (all ? " and " : " or ") : "(");
		if (sigma_selection(p->det->kids[i], neg, out, p->r, p->reason) < 0)
			return -1;
		count++;
	}
	if (!count)
		return refuse(p, "'of %s' matches no selection", pat);
	sbuf_addc(out, ')');
	return 0;
}

static int expr(struct cp *p, int neg, sbuf *out);

static int primary(struct cp *p, int neg, sbuf *out)
{
	char w[256];
	size_t n = peek(p, w, sizeof w);
	if (n == 0) {
		if (p->s[p->pos] == '(') {
			if (++p->depth > COND_MAX_DEPTH)
				return refuse(p, "%sthe condition nests too deep", "");
			p->pos++;
			sbuf_addc(out, '(');
			if (expr(p, neg, out) < 0)
				return -1;
			skip(p);
			if (p->s[p->pos] != ')')
				return refuse(p, "%sthe condition misses a ')'", "");
			p->pos++;
			p->depth--;
			sbuf_addc(out, ')');
			return 0;
		}
		if (!p->s[p->pos])
			return refuse(p, "%sthe condition ends early", "");
		char c[2] = { p->s[p->pos], 0 };
		return refuse(p, "unexpected '%s' in the condition", c);
	}
	if (n >= sizeof w)
		return refuse(p, "%sa name in the condition is too long", "");
	if (is_kw(w, "and") || is_kw(w, "or") || is_kw(w, "of") || is_kw(w, "them"))
		return refuse(p, "unexpected '%s' in the condition", w);
	p->pos += n;
	if (is_kw(w, "1") || is_kw(w, "all") || is_kw(w, "any")) {
		char of[8], pat[256];
		size_t on = peek(p, of, sizeof of);
		if (on == 2 && is_kw(of, "of")) {
			p->pos += on;
			size_t pn = peek(p, pat, sizeof pat);
			if (!pn || pn >= sizeof pat)
				return refuse(p, "%sexpected a selection name or 'them' after 'of'", "");
			p->pos += pn;
			return quantified(p, is_kw(w, "all"), pat, neg, out);
		}
	} else if (isdigit((unsigned char)w[0])) {
		char of[8];
		size_t on = peek(p, of, sizeof of);
		if (on == 2 && is_kw(of, "of"))
			return refuse(p, "'%s of' is not supported (only '1 of' and 'all of')", w);
	}
	return selection(p, w, neg, out);
}

static int unary(struct cp *p, int neg, sbuf *out)
{
	char w[8];
	size_t n = peek(p, w, sizeof w);
	if (n == 3 && is_kw(w, "not")) {
		if (++p->depth > COND_MAX_DEPTH)
			return refuse(p, "%sthe condition nests too deep", "");
		p->pos += n;
		sbuf_adds(out, "not ");
		int rc = unary(p, !neg, out);
		p->depth--;
		return rc;
	}
	return primary(p, neg, out);
}

static int and_expr(struct cp *p, int neg, sbuf *out)
{
	if (unary(p, neg, out) < 0)
		return -1;
	char w[8];
	size_t n;
	while ((n = peek(p, w, sizeof w)) == 3 && is_kw(w, "and")) {
		p->pos += n;
		sbuf_adds(out, " and ");
		if (unary(p, neg, out) < 0)
			return -1;
	}
	return 0;
}

static int expr(struct cp *p, int neg, sbuf *out)
{
	if (and_expr(p, neg, out) < 0)
		return -1;
	char w[8];
	size_t n;
	while ((n = peek(p, w, sizeof w)) == 2 && is_kw(w, "or")) {
		p->pos += n;
		sbuf_adds(out, " or ");
		if (and_expr(p, neg, out) < 0)
			return -1;
	}
	return 0;
}

static int one_condition(const sy_node *det, const char *cond, sbuf *out, sigma_rule *r,
			 char **reason)
{
	const char *bar = strchr(cond, '|');
	char *base = bar ? xstrndup(cond, (size_t)(bar - cond)) : xstrdup(cond);
	struct cp p = { .s = base, .det = det, .r = r, .reason = reason };
	int rc = expr(&p, 0, out);
	if (rc == 0)
		skip(&p);
	if (rc == 0 && p.s[p.pos]) {
		char w[64];
		size_t n = peek(&p, w, sizeof w);
		if (!n) {
			w[0] = p.s[p.pos];
			w[1] = 0;
		}
		rc = refuse(&p, "unexpected '%s' in the condition", w);
	}
	free(base);
	if (rc == 0 && bar)
		rc = sigma_aggregation(bar + 1, sy_str(det, "timeframe"), out, r, reason);
	return rc;
}

int sigma_condition(const sy_node *det, sbuf *out, sigma_rule *r, char **reason)
{
	const sy_node *c = sy_get(det, "condition");
	if (!c || (c->type != SY_SCALAR && c->type != SY_SEQ)) {
		*reason = xstrdup("the detection has no condition");
		return -1;
	}
	if (c->type == SY_SCALAR)
		return one_condition(det, c->s, out, r, reason);
	/* a list of conditions: any of them */
	if (c->nkids == 0) {
		*reason = xstrdup("the detection has no condition");
		return -1;
	}
	for (size_t i = 0; i < c->nkids; i++) {
		if (c->kids[i]->type != SY_SCALAR) {
			*reason = xstrdup("a condition is not text");
			return -1;
		}
		if (strchr(c->kids[i]->s, '|')) {
			*reason = xstrdup("aggregation not supported (in a list of conditions)");
			return -1;
		}
		sbuf_adds(out, i ? " or (" : "(");
		if (one_condition(det, c->kids[i]->s, out, r, reason) < 0)
			return -1;
		sbuf_addc(out, ')');
	}
	return 0;
}

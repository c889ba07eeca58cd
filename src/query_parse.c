/* query_parse.c — recursive-descent parser: filter expression and pipe stages to an AST. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query_ast.h"
#include "query_lex.h"
#include "tgtime.h"


int qparse_err(qparser *p, int col, const char *fmt, ...)
{
	va_list ap;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int qparse_advance(qparser *p)
{
	return qlex_next(&p->lx, &p->tok, &p->err->col, p->err->msg, sizeof p->err->msg);
}

/* The current token for messages: its text (shortened) or its kind. */
const char *qparse_tokdesc(qparser *p, char *buf, size_t n)
{
	if (p->tok.text && (p->tok.t == QT_WORD || p->tok.t == QT_STRING))
		snprintf(buf, n, "'%.40s'", p->tok.text);
	else
		snprintf(buf, n, "%s", qtok_name(p->tok.t));
	return buf;
}

enum qtok qparse_peek(const qparser *p)
{
	qlexer lx = p->lx;
	qtoken t = { 0 };
	int ecol;
	char msg[64];
	enum qtok k = qlex_next(&lx, &t, &ecol, msg, sizeof msg) < 0 ? QT_EOF : t.t;
	qtoken_clear(&t);
	return k;
}

int qparse_at_end(const qparser *p)
{
	return p->tok.t == QT_EOF || p->tok.t == QT_PIPE;
}

void qnode_free(qnode *e)
{
	if (!e)
		return;
	qnode_free(e->a);
	qnode_free(e->b);
	free(e->field);
	free(e->rfield);
	for (int i = 0; i < e->nvals; i++) {
		free(e->vals[i].s);
		free(e->vals[i].list);
	}
	free(e->vals);
	if (e->has_re)
		regfree(&e->re);
	free(e);
}

static qnode *node_new(enum qnode_kind k, int col)
{
	qnode *e = xcalloc(1, sizeof *e);
	e->kind = k;
	e->col = col;
	e->scol = -1;
	return e;
}

static int is_reserved(const qtoken *t)
{
	return qtok_is(t, "and") || qtok_is(t, "or") || qtok_is(t, "not");
}

static int table_has(const qparser *p, const char *name)
{
	for (int i = 0; i < p->ntcols; i++)
		if (strcmp(p->tcols[i], name) == 0)
			return 1;
	return 0;
}

int qparse_no_column(qparser *p, int col, const char *name)
{
	sbuf b;
	sbuf_init(&b);
	for (int i = 0; i < p->ntcols; i++)
		sbuf_addf(&b, "%s%s", i ? ", " : "", p->tcols[i]);
	qparse_err(p, col, "no column '%.60s' in the table (columns: %.150s)", name, b.s ? b.s : "");
	sbuf_free(&b);
	return -1;
}

/* A field name: a dotted path or alias; after stats, a table column (which may be written
 * as it was made, e.g. dc(user) or count()). */
int qparse_field(qparser *p, char **out, int *col, const char *what)
{
	char buf[64];
	*col = p->tok.col;
	const char *s = p->tok.text;
	if (p->tok.t != QT_WORD || is_reserved(&p->tok) ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_' ||
	      s[0] == '$'))
		return qparse_err(p, p->tok.col, "expected a field name %s, not %s", what,
			    qparse_tokdesc(p, buf, sizeof buf));
	if ((qtok_is(&p->tok, "hour") || qtok_is(&p->tok, "weekday")) && qparse_peek(p) == QT_LPAREN) {
		if (qparse_timefn(p, out, col) < 0)
			return -1;
		if (p->table && !table_has(p, *out)) {
			qparse_no_column(p, *col, *out);
			free(*out);
			*out = NULL;
			return -1;
		}
		return 0;
	}
	char *name = xstrdup(s);
	if (qparse_advance(p) < 0)
		goto fail;
	if (p->table && p->tok.t == QT_LPAREN) { /* dc(user), count() as a column name */
		sbuf b;
		sbuf_init(&b);
		sbuf_addf(&b, "%s(", name);
		if (qparse_advance(p) < 0) {
			sbuf_free(&b);
			goto fail;
		}
		if (p->tok.t == QT_WORD) {
			sbuf_adds(&b, p->tok.text);
			if (qparse_advance(p) < 0) {
				sbuf_free(&b);
				goto fail;
			}
		}
		if (p->tok.t != QT_RPAREN) {
			sbuf_free(&b);
			qparse_err(p, p->tok.col, "expected ')' after the column name");
			goto fail;
		}
		sbuf_addc(&b, ')');
		free(name);
		name = sbuf_take(&b);
		if (strcasecmp(name, "count()") == 0)
			strcpy(name, "count");
		if (qparse_advance(p) < 0)
			goto fail;
	}
	if (p->table && !table_has(p, name)) {
		qparse_no_column(p, *col, name);
		goto fail;
	}
	*out = name;
	return 0;
fail:
	free(name);
	return -1;
}

static int ip_field(const char *f)
{
	return strcmp(f, "ip") == 0 || strcmp(f, "sourceIPAddress") == 0;
}

/* A literal value after an operator, checked against the field it is compared with. */
static int parse_value(qparser *p, qnode *e, const char *after)
{
	char buf[64];
	if (p->tok.t == QT_AT) {
		if (e->op != QO_IN && e->op != QO_NIN)
			return qparse_err(p, p->tok.col,
					  "a list ('@%.60s') goes after 'in' or 'not in'", p->tok.text);
		e->vals = xrealloc(e->vals, ((size_t)e->nvals + 1) * sizeof *e->vals);
		qval *v = &e->vals[e->nvals++];
		memset(v, 0, sizeof *v);
		v->col = p->tok.col;
		v->list = p->tok.text;
		p->tok.text = NULL;
		v->s = xstrdup("");
		return qparse_advance(p);
	}
	if (p->tok.t != QT_WORD && p->tok.t != QT_STRING)
		return qparse_err(p, p->tok.col, "expected a value after %s, not %s", after,
			    qparse_tokdesc(p, buf, sizeof buf));
	e->vals = xrealloc(e->vals, ((size_t)e->nvals + 1) * sizeof *e->vals);
	qval *v = &e->vals[e->nvals++];
	memset(v, 0, sizeof *v);
	v->col = p->tok.col;
	v->s = p->tok.text;
	v->n = p->tok.len;
	p->tok.text = NULL;
	if (e->is_time) {
		int64_t ms;
		if (tgtime_user(v->s, v->n, 0, &ms) < 0)
			return qparse_err(p, v->col,
				    "bad time '%.60s' (expected e.g. 2026-11-20T00:00Z, 2026-11-20, -24h or now)",
				    v->s);
	} else if (qv_field_is_service(e->field) && !p->table &&
		   (e->op == QO_EQ || e->op == QO_NE || e->op == QO_IN || e->op == QO_NIN) &&
		   v->n && !memchr(v->s, '.', v->n)) {
		char *t = xmalloc(v->n + sizeof ".amazonaws.com");
		memcpy(t, v->s, v->n);
		memcpy(t + v->n, ".amazonaws.com", sizeof ".amazonaws.com");
		free(v->s);
		v->s = t;
		v->n += sizeof ".amazonaws.com" - 1;
	}
	v->is_num = qv_number(v->s, v->n, &v->num);
	int tf = qtimefn_kind(e->field);
	int eqish = e->op == QO_EQ || e->op == QO_NE || e->op == QO_IN || e->op == QO_NIN;
	if ((tf && eqish && qtimefn_literal(tf, v) < 0) ||
	    (tf == QTF_HOUR && e->op >= QO_LT && e->op <= QO_GE && !v->is_num))
		return qparse_err(p, v->col, tf == QTF_HOUR ? "bad hour '%.60s' (expected 0 to 23)"
				  : "bad weekday '%.60s' (expected mon, tue, wed, thu, fri, sat or sun)",
				  v->s);
	if (tf)
		v->is_num = qv_number(v->s, v->n, &v->num);
	if (e->op == QO_IN || e->op == QO_NIN) {
		int c = qv_cidr_parse(v->s, v->n, v);
		if (c < 0 || (c == 0 && ip_field(e->field) && memchr(v->s, '/', v->n)))
			return qparse_err(p, v->col, "bad CIDR '%.60s'", v->s);
	}
	return qparse_advance(p);
}

/* Reject regexes that would make regcomp slow or hungry: glibc expands every repetition
 * (a+ becomes aa*, a{5} five copies), so nested and stacked repetitions grow
 * exponentially. Estimate the expanded size and refuse past a limit. */
#define REGEX_MAX_WEIGHT 20000.0
#define REGEX_MAX_NEST 64
/* A repeated group that can match the empty string ((x|)*, (a*)*, ()*) costs regcomp's
 * epsilon closure about the cube of their number (1,000 of them: 1.5-3.6 s, ten times
 * that under ASan): repeated groups are capped. */
#define REGEX_MAX_GROUP_REPS 32
static int regex_check(qparser *p, const qtoken *t)
{
	double sum[REGEX_MAX_NEST + 1], last[REGEX_MAX_NEST + 1];
	int d = 0, group_reps = 0, after_group = 0;
	const char *s = t->text;
	size_t n = t->len;
	sum[0] = last[0] = 0;
	if (n > 4096)
		return qparse_err(p, t->col, "regex too long");
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		double mult = 0;
		if (c == '(') {
			if (d >= REGEX_MAX_NEST)
				return qparse_err(p, t->col, "regex nested too deeply");
			d++;
			sum[d] = last[d] = 0;
			continue;
		}
		int closed = after_group;
		after_group = 0;
		if (c == ')' && d > 0) {
			double w = sum[d] + 1;
			d--;
			sum[d] += w;
			last[d] = w;
			after_group = 1;
		} else if (c == '*' || c == '?') {
			mult = 2;
		} else if (c == '+') {
			mult = 3;
		} else if (c == '{') {
			long lo = 0, hi = 0;
			size_t j = i + 1;
			int comma = 0;
			while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == ',')) {
				if (s[j] == ',')
					comma = 1;
				else if (comma)
					hi = hi > 100000 ? hi : hi * 10 + (s[j] - '0');
				else
					lo = lo > 100000 ? lo : lo * 10 + (s[j] - '0');
				j++;
			}
			mult = (double)(hi > lo ? hi : lo) + 2;
		} else if (c == '|') {
			last[d] = 0;
			continue;
		} else {
			if (c == '\\' && i + 1 < n && s[i + 1] >= '1' && s[i + 1] <= '9')
				return qparse_err(p, t->col, "regex backreference \\%c: not supported (a "
							     "backreference makes matching exponential)",
						  s[i + 1]);
			if (c == '\\' && i + 1 < n)
				i++;
			else if (c == '[') { /* a bracket expression is one atom */
				size_t j = i + 1;
				if (j < n && s[j] == '^')
					j++;
				if (j < n && s[j] == ']')
					j++;
				while (j < n && s[j] != ']') {
					if (s[j] == '[' && j + 1 < n && strchr(":.=", s[j + 1])) {
						char close = s[j + 1];
						j += 2;
						while (j + 1 < n && !(s[j] == close && s[j + 1] == ']'))
							j++;
						j++; /* onto the ']' of [:class:] */
					}
					j++;
				}
				i = j < n ? j : n;
			}
			sum[d] += 1;
			last[d] = 1;
		}
		if (mult > 0 && closed && ++group_reps > REGEX_MAX_GROUP_REPS)
			return qparse_err(p, t->col, "regex too complex (more than %d repeated groups)",
					  REGEX_MAX_GROUP_REPS);
		if (mult > 0) {
			sum[d] += last[d] * (mult - 1);
			last[d] *= mult;
		}
		if (sum[d] > REGEX_MAX_WEIGHT || last[d] > REGEX_MAX_WEIGHT)
			return qparse_err(p, t->col, "regex too complex (nested or stacked repetition)");
	}
	return 0;
}

static int parse_regex(qparser *p, qnode *e)
{
	if (qlex_regex(&p->lx, &p->tok, &p->err->col, p->err->msg, sizeof p->err->msg) < 0)
		return -1;
	if (regex_check(p, &p->tok) < 0)
		return -1;
	int rc = regcomp(&e->re, p->tok.text,
			 REG_EXTENDED | REG_NOSUB | (p->tok.icase ? REG_ICASE : 0));
	if (rc) {
		char m[128];
		regerror(rc, &e->re, m, sizeof m);
		return qparse_err(p, p->tok.col, "bad regex: %s", m);
	}
	e->has_re = 1;
	return qparse_advance(p);
}

static const struct { enum qtok t; enum qop op; } cmp_ops[] = {
	{QT_EQ, QO_EQ}, {QT_NE, QO_NE}, {QT_LT, QO_LT}, {QT_LE, QO_LE}, {QT_GT, QO_GT},
	{QT_GE, QO_GE}, {QT_GLOB, QO_GLOB}, {QT_NGLOB, QO_NGLOB}, {QT_RE, QO_RE},
	{QT_NRE, QO_NRE},
};

static int parse_list(qparser *p, qnode *e)
{
	if (p->tok.t != QT_LPAREN)
		return parse_value(p, e, "'in'");
	int open = p->tok.col;
	if (qparse_advance(p) < 0)
		return -1;
	for (;;) {
		if (parse_value(p, e, e->nvals ? "','" : "'('") < 0)
			return -1;
		if (p->tok.t == QT_RPAREN)
			return qparse_advance(p);
		if (p->tok.t != QT_COMMA)
			return qparse_err(p, p->tok.col, "expected ')' to close the list opened at column %d",
				    open + 1);
		if (qparse_advance(p) < 0)
			return -1;
	}
}

/* field(PATH) after =, !=, <, <=, >, >= (the current token is "field", '(' next). */
static int parse_field_ref(qparser *p, qnode *e)
{
	if (e->is_time)
		return qparse_err(p, p->tok.col, "time compares with a time, not with field()");
	if (qparse_advance(p) < 0 || qparse_advance(p) < 0) /* field ( */
		return -1;
	if (qparse_field(p, &e->rfield, &e->rfcol, "in field()") < 0)
		return -1;
	if (qv_field_is_time(e->rfield))
		return qparse_err(p, e->rfcol, "time compares with a time, not with field()");
	if (p->tok.t != QT_RPAREN)
		return qparse_err(p, p->tok.col, "expected ')' to close field(");
	return qparse_advance(p);
}

/* field OP value | field OP field(PATH) | field [not] in LIST | field [not] exists | * */
static qnode *parse_cmp(qparser *p)
{
	char buf[64];
	if (p->tok.t == QT_WORD && strcmp(p->tok.text, "*") == 0) {
		qnode *t = node_new(QN_TRUE, p->tok.col);
		if (qparse_advance(p) < 0) {
			qnode_free(t);
			return NULL;
		}
		return t;
	}
	qnode *e = node_new(QN_CMP, p->tok.col);
	if (qparse_field(p, &e->field, &e->fcol, "to compare") < 0)
		goto fail;
	e->is_time = qv_field_is_time(e->field);
	int opcol = p->tok.col, neg = 0;
	if (qtok_is(&p->tok, "not")) {
		neg = 1;
		if (qparse_advance(p) < 0)
			goto fail;
		if (!qtok_is(&p->tok, "in") && !qtok_is(&p->tok, "exists")) {
			qparse_err(p, p->tok.col, "expected 'in' or 'exists' after 'not'");
			goto fail;
		}
	}
	if (qtok_is(&p->tok, "exists")) {
		e->op = neg ? QO_NEXISTS : QO_EXISTS;
		if (qparse_advance(p) < 0)
			goto fail;
		return e;
	}
	if (qtok_is(&p->tok, "in")) {
		e->op = neg ? QO_NIN : QO_IN;
		if (e->is_time) {
			qparse_err(p, p->tok.col, "time compares with =, !=, <, <=, >, >= or exists");
			goto fail;
		}
		if (qparse_advance(p) < 0 || parse_list(p, e) < 0)
			goto fail;
		return e;
	}
	for (size_t k = 0; k < sizeof cmp_ops / sizeof cmp_ops[0]; k++) {
		if (p->tok.t != cmp_ops[k].t)
			continue;
		e->op = cmp_ops[k].op;
		const char *opname = qtok_name(p->tok.t);
		if (e->is_time && e->op >= QO_GLOB) {
			qparse_err(p, opcol, "time compares with =, !=, <, <=, >, >= or exists");
			goto fail;
		}
		if (e->op == QO_RE || e->op == QO_NRE) {
			if (parse_regex(p, e) < 0) {
				if (strncmp(p->err->msg, "expected a /regex/", 18) == 0)
					snprintf(p->err->msg, sizeof p->err->msg,
						 "expected a /regex/ after %s", opname);
				goto fail;
			}
			return e;
		}
		if (qparse_advance(p) < 0)
			goto fail;
		if (e->op <= QO_GE && qtok_is(&p->tok, "field") && qparse_peek(p) == QT_LPAREN) {
			if (parse_field_ref(p, e) < 0)
				goto fail;
			return e;
		}
		if (qtimefn_kind(e->field) == QTF_WEEKDAY && e->op != QO_EQ && e->op != QO_NE &&
		    e->op != QO_GLOB && e->op != QO_NGLOB) {
			qparse_err(p, opcol, "weekday() compares with =, !=, in, ~ or exists");
			goto fail;
		}
		if (parse_value(p, e, opname) < 0)
			goto fail;
		return e;
	}
	static const char *const stages[] = {"filter", "fields", "stats", "sort", "head", "dedup",
					     "first-seen", "dormant", "spike", "sequence",
					     "threshold"};
	for (size_t k = 0; k < sizeof stages / sizeof stages[0]; k++)
		if (strcasecmp(e->field, stages[k]) == 0) {
			qparse_err(p, e->fcol, "a stage needs a '|' before it: '| %s ...'", stages[k]);
			goto fail;
		}
	qparse_err(p, p->tok.col, "expected an operator (= != < <= > >= ~ !~ =~ !=~ in exists) after '%.60s', not %s",
		   e->field, qparse_tokdesc(p, buf, sizeof buf));
fail:
	qnode_free(e);
	return NULL;
}

static qnode *parse_or(qparser *p);

static qnode *parse_unary(qparser *p)
{
	char buf[64];
	if (++p->depth > QUERY_MAX_DEPTH) {
		qparse_err(p, p->tok.col, "expression nested too deeply (more than %d levels)",
		     QUERY_MAX_DEPTH);
		return NULL;
	}
	qnode *e = NULL;
	int col = p->tok.col;
	if (qtok_is(&p->tok, "not")) {
		if (qparse_advance(p) < 0)
			return NULL;
		qnode *a = parse_unary(p);
		if (a) {
			e = node_new(QN_NOT, col);
			e->a = a;
		}
	} else if (p->tok.t == QT_LPAREN) {
		if (qparse_advance(p) < 0)
			return NULL;
		e = parse_or(p);
		if (e && p->tok.t != QT_RPAREN) {
			qparse_err(p, p->tok.col, "expected ')' to close the '(' at column %d, not %s",
			     col + 1, qparse_tokdesc(p, buf, sizeof buf));
			qnode_free(e);
			e = NULL;
		} else if (e && qparse_advance(p) < 0) {
			qnode_free(e);
			e = NULL;
		}
	} else {
		e = parse_cmp(p);
	}
	p->depth--;
	return e;
}

static qnode *parse_binary(qparser *p, const char *kw, enum qnode_kind k)
{
	qnode *a = k == QN_OR ? parse_binary(p, "and", QN_AND) : parse_unary(p);
	while (a && qtok_is(&p->tok, kw)) {
		int col = p->tok.col;
		if (++p->nterms > QUERY_MAX_TERMS) {
			qparse_err(p, col, "too many 'and'/'or' terms (at most %d)", QUERY_MAX_TERMS);
			qnode_free(a);
			return NULL;
		}
		if (qparse_advance(p) < 0) {
			qnode_free(a);
			return NULL;
		}
		qnode *b = k == QN_OR ? parse_binary(p, "and", QN_AND) : parse_unary(p);
		if (!b) {
			qnode_free(a);
			return NULL;
		}
		qnode *e = node_new(k, col);
		e->a = a;
		e->b = b;
		a = e;
	}
	return a;
}

static qnode *parse_or(qparser *p)
{
	return parse_binary(p, "or", QN_OR);
}

qnode *qparse_expr(qparser *p)
{
	return parse_or(p);
}

/* A whole filter expression up to '|' or the end. */
qnode *qparse_filter(qparser *p)
{
	char buf[64];
	qnode *e = parse_or(p);
	if (e && !qparse_at_end(p)) {
		qparse_err(p, p->tok.col, "expected 'and', 'or', '|' or the end of the query, not %s",
		     qparse_tokdesc(p, buf, sizeof buf));
		qnode_free(e);
		return NULL;
	}
	return e;
}

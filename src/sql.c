/* sql.c — the query language's filter as a SQL condition (Athena and CloudTrail Lake).
 *
 * Each comparison compiles exactly (2), wider (1: a superset, e.g. a time with
 * milliseconds against second-precision event times) or not at all (0: TRUE). AND keeps
 * what compiled; OR and NOT need every part exact, else they become TRUE. */
#include "sql.h"
#include "sql_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "query_ast.h"
#include "tgtime.h"

/* --- comparisons --- */

typedef struct cctx {
	const char *text;
	const sql_opts *o;
	sql_info *info;
} cctx;

static const char *op_name(enum qop op)
{
	static const char *const n[] = {"=", "!=", "<", "<=", ">", ">=", "~", "!~", "=~", "!=~",
					"in", "not in", "exists", "not exists"};
	return n[op];
}

/* A line for the notes: the comparison in short, with anything unprintable replaced (the
 * notes become SQL comments, so no line breaks may get through). */
static void note(const cctx *c, const qnode *e, const char *why)
{
	sbuf t;
	sbuf_init(&t);
	sbuf_addf(&t, "%s %s", e->field, op_name(e->op));
	for (int i = 0; i < e->nvals && i < 3; i++)
		sbuf_addf(&t, "%s%s%.40s", i ? ", " : " ", e->vals[i].list ? "@" : "",
			  e->vals[i].list ? e->vals[i].list : e->vals[i].s);
	if (e->nvals > 3)
		sbuf_adds(&t, ", ...");
	sbuf *l = &c->info->local;
	sbuf_adds(l, "filter '");
	for (size_t i = 0; i < t.len && i < 100; i++) {
		unsigned char ch = (unsigned char)t.s[i];
		sbuf_addc(l, ch < 0x20 || ch == 0x7f ? '?' : (char)ch);
	}
	sbuf_addf(l, "': %s\n", why);
	sbuf_free(&t);
}

static void time_lit(sbuf *out, int64_t ms, enum sql_dialect d)
{
	char buf[40];
	tgtime_format(ms, buf);
	if (d == SQL_LAKE) {
		char *t = strchr(buf, 'T'), *z = strchr(buf, 'Z');
		if (t)
			*t = ' ';
		if (z)
			*z = 0;
	}
	sbuf_addf(out, "'%s'", buf);
}

static int cmp_time(const cctx *c, const qnode *e, sbuf *out)
{
	enum sql_dialect d = c->o->dialect;
	const char *col = d == SQL_ATHENA ? "eventtime" : "eventTime";
	if (e->op == QO_EXISTS || e->op == QO_NEXISTS) {
		sbuf_addf(out, "%s IS %sNULL", col, e->op == QO_EXISTS ? "NOT " : "");
		return 2;
	}
	int64_t t;
	if (!e->nvals || tgtime_user(e->vals[0].s, e->vals[0].n, c->o->now, &t) < 0) {
		note(c, e, "not a time SQL can compare");
		return 0;
	}
	int rc = 2;
	enum qop op = e->op;
	if (d == SQL_ATHENA && t % 1000) { /* second-precision strings: compare wider */
		t -= ((t % 1000) + 1000) % 1000;
		rc = 1;
		if (op == QO_NE) {
			note(c, e, "a time with milliseconds (event times are whole seconds)");
			return 0;
		}
		op = op == QO_GT ? QO_GE : op == QO_LT ? QO_LE : op;
	}
	if (op == QO_NE)
		sbuf_addf(out, "(%s IS NULL OR %s <> ", col, col);
	else
		sbuf_addf(out, "%s %s ", col, op == QO_EQ ? "=" : op_name(op));
	time_lit(out, t, d);
	if (op == QO_NE)
		sbuf_addc(out, ')');
	return rc;
}

/* The regex of e read back from the query text; icase set for /.../i. */
static int regex_text(const cctx *c, const qnode *e, sbuf *re, int *icase)
{
	if (!c->text || e->fcol < 0 || (size_t)e->fcol > strlen(c->text))
		return -1;
	qlexer lx;
	qtoken t;
	memset(&t, 0, sizeof t);
	qlex_init(&lx, c->text);
	lx.pos = (size_t)e->fcol;
	int col;
	char msg[128];
	int rc = -1;
	if (qlex_next(&lx, &t, &col, msg, sizeof msg) == 0 && t.t == QT_WORD &&
	    qlex_next(&lx, &t, &col, msg, sizeof msg) == 0 &&
	    qlex_regex(&lx, &t, &col, msg, sizeof msg) == 0 && t.t == QT_REGEX) {
		sbuf_add(re, t.text, t.len);
		*icase = t.icase;
		rc = 0;
	}
	qtoken_clear(&t);
	return rc;
}

/* The in-list test (without NULL handling). 0 when it cannot be written. */
static int in_test(const cctx *c, const qnode *e, const char *x, sbuf *out)
{
	sbuf plain, nets;
	sbuf_init(&plain);
	sbuf_init(&nets);
	int np = 0, nn = 0, ok = 1;
	for (int i = 0; i < e->nvals && ok; i++) {
		const qval *v = &e->vals[i];
		if (v->list) {
			note(c, e, "@lists are resolved locally");
			ok = 0;
			break;
		}
		if (np++)
			sbuf_adds(&plain, ", ");
		if (sql_quote(&plain, v->s, v->n) < 0) {
			note(c, e, "a value with control bytes or invalid UTF-8");
			ok = 0;
			break;
		}
		if (v->is_cidr) {
			char cidr[80];
			if (c->o->dialect != SQL_ATHENA || sql_cidr_text(v, cidr, sizeof cidr) < 0) {
				note(c, e, "address ranges (CIDR) are matched locally");
				ok = 0;
				break;
			}
			sbuf_addf(&nets, " OR COALESCE(contains('%s', TRY_CAST(%s AS IPADDRESS)), false)",
				  cidr, x);
			nn++;
		}
	}
	if (ok) {
		if (nn)
			sbuf_adds(out, "(");
		sbuf_addf(out, "%s IN (%s)", x, plain.s ? plain.s : "");
		if (nn)
			sbuf_addf(out, "%s)", nets.s);
	}
	sbuf_free(&plain);
	sbuf_free(&nets);
	return ok;
}

/* 1 when a fixed column's "" (absent locally) gives the same answer without NULLIF:
 * equality and membership with non-empty values, either way round. */
static int bare_ok(const qnode *e)
{
	if (e->op != QO_EQ && e->op != QO_NE && e->op != QO_IN && e->op != QO_NIN)
		return 0;
	for (int i = 0; i < e->nvals; i++)
		if (!e->vals[i].n || e->vals[i].list)
			return 0;
	return 1;
}

static int cmp_sql(const cctx *c, const qnode *e, sbuf *out)
{
	if (e->is_time)
		return cmp_time(c, e, out);
	if (e->rfield) {
		note(c, e, "a comparison with another field is made locally");
		return 0;
	}
	if (qtimefn_kind(e->field)) {
		note(c, e, "hour() and weekday() are computed locally");
		return 0;
	}
	if (strstr(e->field, "[]")) {
		note(c, e, "an any-element path ([]) is matched locally");
		return 0;
	}
	fexpr f;
	if (sql_field_resolve(e->field, c->o->dialect, &f) < 0) {
		sql_fexpr_free(&f);
		note(c, e, c->o->dialect == SQL_LAKE ? "not a column of the event data store (maps "
			"have one level)" : "not a column of the table");
		return 0;
	}
	const char *x = f.x.s;
	int rc = 2;
	sbuf v;
	sbuf_init(&v);
	if (f.kind == FK_MAP && e->op != QO_EXISTS && e->op != QO_NEXISTS) {
		note(c, e, "a whole map column compares locally");
		rc = 0;
		goto done;
	}
	const qval *v0 = e->nvals ? &e->vals[0] : NULL;
	if (f.kind == FK_FIXED && bare_ok(e))
		x = f.bare.s;
	switch (e->op) {
	case QO_EXISTS:
	case QO_NEXISTS:
		if (f.kind == FK_JSON)
			sbuf_addf(out, "COALESCE(json_format(json_extract(%s, '%s')), 'null') %s 'null'",
				  f.jcol.s, f.jpath.s, e->op == QO_EXISTS ? "<>" : "=");
		else if (f.kind == FK_FIXED && e->op == QO_EXISTS)
			sbuf_addf(out, "%s <> ''", f.bare.s);
		else if (f.kind == FK_FIXED)
			sbuf_addf(out, "(%s IS NULL OR %s = '')", f.bare.s, f.bare.s);
		else
			sbuf_addf(out, "%s IS %sNULL", x, e->op == QO_EXISTS ? "NOT " : "");
		break;
	case QO_EQ:
	case QO_NE:
	case QO_LT: case QO_LE: case QO_GT: case QO_GE:
		if (v0->list || sql_quote(&v, v0->s, v0->n) < 0) {
			note(c, e, "a value with control bytes or invalid UTF-8");
			rc = 0;
			break;
		}
		if (e->op == QO_EQ)
			sbuf_addf(out, "%s = %s", x, v.s);
		else if (e->op == QO_NE)
			sbuf_addf(out, "(%s IS NULL OR %s <> %s)", x, x, v.s);
		else if (v0->is_num && isfinite(v0->num))
			/* numbers compare numerically with values that are numbers, as
			 * qv_number reads them; other values bytewise */
			sbuf_addf(out, "CASE WHEN regexp_like(%s, '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)"
				  "([eE][+-]?[0-9]+)?$') THEN TRY_CAST(%s AS double) %s %.17g ELSE %s %s %s END",
				  x, x, op_name(e->op), v0->num, x, op_name(e->op), v.s);
		else if (v0->is_num) {
			note(c, e, "a number out of range");
			rc = 0;
		} else
			sbuf_addf(out, "%s %s %s", x, op_name(e->op), v.s);
		break;
	case QO_GLOB:
	case QO_NGLOB: {
		sbuf pat;
		sbuf_init(&pat);
		int bad = sql_glob_like(v0->s, v0->n, &pat) < 0;
		if (!bad && e->op == QO_NGLOB)
			for (size_t i = 0; i < v0->n; i++)
				if ((unsigned char)v0->s[i] >= 0x80)
					bad = 1; /* lower() folds more than ASCII: wider, not exact */
		if (bad || sql_quote(&v, pat.s ? pat.s : "", pat.len) < 0) {
			note(c, e, bad ? "a glob with a [set] or non-ASCII text under a negation"
				       : "a value with control bytes or invalid UTF-8");
			rc = 0;
		} else {
			sbuf xs;
			sbuf_init(&xs);
			int empty_ok = 1; /* can the pattern match ""? */
			for (size_t i = 0; i < v0->n; i++)
				if (v0->s[i] != '*')
					empty_ok = 0;
			if (f.kind == FK_JSON)
				sbuf_addf(&xs, "COALESCE(%s, json_format(json_extract(%s, '%s')))", x,
					  f.jcol.s, f.jpath.s);
			else
				sbuf_adds(&xs, f.kind == FK_FIXED && (e->op == QO_NGLOB || !empty_ok)
					       ? f.bare.s : x);
			if (e->op == QO_GLOB)
				sbuf_addf(out, "lower(%s) LIKE %s ESCAPE '\\'", xs.s, v.s);
			else if (f.kind == FK_FIXED)
				sbuf_addf(out, "(%s IS NULL OR %s = '' OR NOT lower(%s) LIKE %s ESCAPE '\\')",
					  xs.s, xs.s, xs.s, v.s);
			else
				sbuf_addf(out, "(%s IS NULL OR NOT lower(%s) LIKE %s ESCAPE '\\')", xs.s,
					  xs.s, v.s);
			sbuf_free(&xs);
		}
		sbuf_free(&pat);
		break;
	}
	case QO_RE:
	case QO_NRE: {
		sbuf re, lit;
		sbuf_init(&re);
		sbuf_init(&lit);
		int icase = 0;
		if (regex_text(c, e, &re, &icase) < 0 || !sql_regex_portable(re.s ? re.s : "", re.len)) {
			note(c, e, "a regex whose syntax differs in SQL");
			rc = 0;
		} else {
			if (icase)
				sbuf_adds(&lit, "(?i)");
			sbuf_add(&lit, re.s ? re.s : "", re.len);
			sql_quote(&v, lit.s ? lit.s : "", lit.len);
			if (e->op == QO_RE)
				sbuf_addf(out, "regexp_like(%s, %s)", x, v.s);
			else if (f.kind == FK_FIXED)
				sbuf_addf(out, "(%s IS NULL OR %s = '' OR NOT regexp_like(%s, %s))",
					  f.bare.s, f.bare.s, f.bare.s, v.s);
			else
				sbuf_addf(out, "(%s IS NULL OR NOT regexp_like(%s, %s))", x, x, v.s);
		}
		sbuf_free(&re);
		sbuf_free(&lit);
		break;
	}
	case QO_IN:
	case QO_NIN: {
		sbuf t;
		sbuf_init(&t);
		if (!in_test(c, e, x, &t))
			rc = 0;
		else if (e->op == QO_IN)
			sbuf_add(out, t.s, t.len);
		else
			sbuf_addf(out, "(%s IS NULL OR NOT %s)", x, t.s);
		sbuf_free(&t);
		break;
	}
	}
done:
	sbuf_free(&v);
	sql_fexpr_free(&f);
	return rc;
}

static int node_sql(const cctx *c, const qnode *e, sbuf *out, int top);

/* AND: keep what compiled. top: count the conjuncts of the outermost chain. */
static int and_sql(const cctx *c, const qnode *e, sbuf *out, int top)
{
	sbuf a, b;
	sbuf_init(&a);
	sbuf_init(&b);
	int ra = node_sql(c, e->a, &a, top), rb = node_sql(c, e->b, &b, top);
	int rc;
	if (!ra && !rb)
		rc = 0;
	else if (!ra || !rb) {
		sbuf_add(out, ra ? a.s : b.s, ra ? a.len : b.len);
		rc = 1;
	} else {
		sbuf_addf(out, "%s AND %s", a.s, b.s);
		rc = ra < rb ? ra : rb;
	}
	sbuf_free(&a);
	sbuf_free(&b);
	return rc;
}

static int node_sql(const cctx *c, const qnode *e, sbuf *out, int top)
{
	sbuf a, b;
	int ra, rb;
	switch (e->kind) {
	case QN_TRUE:
		sbuf_adds(out, "TRUE");
		return 2;
	case QN_CMP:
		ra = cmp_sql(c, e, out);
		if (top && ra)
			c->info->conjuncts++;
		if (ra < 2)
			c->info->widened++;
		return ra;
	case QN_AND:
		return and_sql(c, e, out, top);
	case QN_NOT:
		if (e->a->kind == QN_CMP && !e->a->is_time) {
			static const enum qop neg[] = {
				[QO_EQ] = QO_NE, [QO_NE] = QO_EQ, [QO_GLOB] = QO_NGLOB,
				[QO_NGLOB] = QO_GLOB, [QO_RE] = QO_NRE, [QO_NRE] = QO_RE,
				[QO_IN] = QO_NIN, [QO_NIN] = QO_IN, [QO_EXISTS] = QO_NEXISTS,
				[QO_NEXISTS] = QO_EXISTS, [QO_LT] = QO_LT, [QO_LE] = QO_LE,
				[QO_GT] = QO_GT, [QO_GE] = QO_GE,
			};
			enum qop op = e->a->op;
			if (op != QO_LT && op != QO_LE && op != QO_GT && op != QO_GE) {
				/* not (x = v) is x != v for absent fields too (qeval) */
				qnode n = *e->a;
				n.op = neg[op];
				sbuf_init(&a);
				ra = cmp_sql(c, &n, &a);
				if (ra == 2) {
					sbuf_add(out, a.s, a.len);
					if (top)
						c->info->conjuncts++;
				}
				sbuf_free(&a);
				if (ra == 2)
					return 2;
			}
		}
		/* fall through */
	case QN_OR:
		sbuf_init(&a);
		sbuf_init(&b);
		ra = node_sql(c, e->a, &a, 0);
		rb = e->kind == QN_OR ? node_sql(c, e->b, &b, 0) : 2;
		if (e->kind == QN_OR && ra && rb) {
			sbuf_addf(out, "(%s OR %s)", a.s, b.s);
			ra = ra < rb ? ra : rb;
		} else if (e->kind == QN_NOT && ra == 2) {
			sbuf_addf(out, "NOT (%s)", a.s);
		} else {
			sbuf_addf(&c->info->local, "filter: %s containing a part SQL cannot express "
				  "(matched locally)\n", e->kind == QN_OR ? "an 'or'" : "a 'not'");
			c->info->widened++;
			ra = 0;
		}
		if (top && ra)
			c->info->conjuncts++;
		sbuf_free(&a);
		sbuf_free(&b);
		return ra;
	}
	return 0;
}

int sql_filter(const qnode *e, const char *text, const sql_opts *o, sbuf *out,
	       sql_info *info)
{
	cctx c = {text, o, info};
	sbuf t;
	sbuf_init(&t);
	int rc = e ? node_sql(&c, e, &t, 1) : 2;
	if (!e)
		sbuf_adds(&t, "TRUE");
	if (rc)
		sbuf_add(out, t.s, t.len);
	else
		sbuf_adds(out, "TRUE");
	sbuf_free(&t);
	return rc;
}

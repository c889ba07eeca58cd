/* sql_stmt.c — whole statements: the table, the window, the select list, and in display
 * mode the stats/sort/head/fields stages SQL can express. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"
#include "query_ast.h"
#include "sql.h"
#include "tgtime.h"

static int table_sql(const sql_opts *o, sbuf *out, sbuf *err)
{
	const char *t = o->table && *o->table ? o->table
			: o->dialect == SQL_ATHENA ? "cloudtrail_logs" : "EVENT_DATA_STORE_ID";
	if (o->dialect == SQL_LAKE) {
		const char *a = strstr(t, ":eventdatastore/");
		if (a)
			t = a + 16;
		for (const char *p = t; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
				sbuf_addf(err, "the event data store id may hold letters, digits and '-' "
					  "only");
				return -1;
			}
		if (!*t) {
			sbuf_adds(err, "empty event data store id");
			return -1;
		}
		sbuf_adds(out, t);
		return 0;
	}
	for (const char *s = t;;) { /* [catalog.]database.table, segments quoted when needed */
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		int plain = n && (isalpha((unsigned char)s[0]) || s[0] == '_');
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)s[i]) && s[i] != '_')
				plain = 0;
		char *seg = xstrndup(s, n);
		int rc = plain ? (sbuf_adds(out, seg), 0) : sql_quote_ident(out, seg);
		free(seg);
		if (rc < 0 || strchr(s, '"')) {
			sbuf_adds(err, "a table name may not hold control bytes, quotes or empty parts");
			return -1;
		}
		if (!dot)
			break;
		sbuf_addc(out, '.');
		s = dot + 1;
	}
	return 0;
}

/* The window as conditions (Athena: the partitions too, widened by a day on each side
 * since a log file's date folder is its delivery date, not each event's). */
static int window_sql(const sql_opts *o, sbuf *w)
{
	char buf[40];
	int n = 0;
	if (o->dialect == SQL_ATHENA) {
		char a[16] = "", b[16] = "";
		if (o->since != TG_TIME_NONE) {
			tgtime_format(o->since - 86400000LL, buf);
			snprintf(a, sizeof a, "%.4s/%.2s/%.2s", buf, buf + 5, buf + 8);
		}
		if (o->until != TG_TIME_NONE) {
			tgtime_format(o->until + 86400000LL, buf);
			snprintf(b, sizeof b, "%.4s/%.2s/%.2s", buf, buf + 5, buf + 8);
		}
		const char *pc = o->partition ? o->partition : "timestamp";
		sbuf pq;
		sbuf_init(&pq);
		if (*pc && strcmp(pc, "none") != 0 && sql_quote_ident(&pq, pc) == 0) {
			if (*a && *b)
				sbuf_addf(w, "%s BETWEEN '%s' AND '%s'", pq.s, a, b), n++;
			else if (*a || *b)
				sbuf_addf(w, "%s %s '%s'", pq.s, *a ? ">=" : "<=", *a ? a : b), n++;
		}
		sbuf_free(&pq);
		if (o->since != TG_TIME_NONE) {
			tgtime_format(o->since - ((o->since % 1000) + 1000) % 1000, buf);
			sbuf_addf(w, "%seventtime >= '%s'", n++ ? " AND " : "", buf);
		}
		if (o->until != TG_TIME_NONE) {
			tgtime_format(o->until - ((o->until % 1000) + 1000) % 1000, buf);
			sbuf_addf(w, "%seventtime <= '%s'", n++ ? " AND " : "", buf);
		}
		return n;
	}
	for (int i = 0; i < 2; i++) {
		int64_t t = i ? o->until : o->since;
		if (t == TG_TIME_NONE)
			continue;
		tgtime_format(t, buf);
		char *z = strchr(buf, 'Z');
		if (z)
			*z = 0;
		buf[10] = ' ';
		sbuf_addf(w, "%seventTime %s '%s'", n++ ? " AND " : "", i ? "<=" : ">=", buf);
	}
	return n;
}

/* The text of stage i, one line, for a note. */
static void stage_note(const struct query *q, int i, sbuf *out)
{
	const char *t = q->text ? q->text : "";
	size_t len = strlen(t), a = (size_t)q->stages[i].col, b = len;
	if (a > len)
		a = len;
	if (i + 1 < q->nstages && (size_t)q->stages[i + 1].col <= len)
		b = (size_t)q->stages[i + 1].col;
	while (b > a && (isspace((unsigned char)t[b - 1]) || t[b - 1] == '|'))
		b--;
	sbuf_adds(out, "| ");
	int sp = 0;
	for (size_t k = a; k < b && k < a + 200; k++) {
		unsigned char c = (unsigned char)t[k];
		if (isspace(c) || c < 0x20 || c == 0x7f) {
			sp = 1;
			continue;
		}
		if (sp)
			sbuf_addc(out, ' ');
		sp = 0;
		sbuf_addc(out, (char)c);
	}
	sbuf_addc(out, '\n');
}

static void event_cols(const sql_opts *o, sbuf *out)
{
	for (int i = 0; i < sql_event_ncols(); i++) {
		const char *p = sql_event_path(i), *al = sql_event_alias(i);
		sbuf x;
		sbuf_init(&x);
		for (const char *c = p; *c; c++)
			sbuf_addc(&x, o->dialect == SQL_ATHENA ? (char)tolower((unsigned char)*c) : *c);
		sbuf_addf(out, "%s%s", i ? ", " : "", x.s);
		if (strcasecmp(x.s, al) != 0)
			sbuf_addf(out, " AS %s", al);
		sbuf_free(&x);
	}
}

/* Display mode: the stages as SELECT/GROUP BY/ORDER BY/LIMIT while they fit. */
typedef struct dstate {
	sbuf sel, where, group, order;
	long limit;
	int stats, stopped, nwhere;
} dstate;

static int key_expr(const sql_opts *o, const qkey *k, sbuf *out)
{
	if (k->bin > 0) {
		const char *t = o->dialect == SQL_ATHENA ? "from_iso8601_timestamp(eventtime)"
							 : "eventTime";
		if (k->bin % 1000 == 0)
			sbuf_addf(out, "from_unixtime(floor(to_unixtime(%s) / %lld) * %lld)", t,
				  (long long)(k->bin / 1000), (long long)(k->bin / 1000));
		else
			sbuf_addf(out, "from_unixtime(floor(to_unixtime(%s) * 1000 / %lld) * %lld / 1000.0)",
				  t, (long long)k->bin, (long long)k->bin);
		return 0;
	}
	return sql_field(k->field, o->dialect, out);
}

static int stats_sql(const sql_opts *o, const qstage *st, dstate *s)
{
	sbuf sel, grp;
	sbuf_init(&sel);
	sbuf_init(&grp);
	int ok = 1;
	const char *tcol = o->dialect == SQL_ATHENA ? "eventtime" : "eventTime";
	for (int i = 0; i < st->nkeys && ok; i++) {
		if (i)
			sbuf_adds(&sel, ", ");
		if (key_expr(o, &st->keys[i], &sel) < 0 ||
		    (sbuf_adds(&sel, " AS "), sql_quote_ident(&sel, st->keys[i].bin > 0 ? "time"
							   : st->keys[i].field) < 0))
			ok = 0;
		sbuf_addf(&grp, "%s%d", i ? ", " : "", i + 1);
	}
	for (int i = 0; i < st->naggs && ok; i++) {
		const qagg *a = &st->aggs[i];
		sbuf x;
		sbuf_init(&x);
		if (a->arg.field && key_expr(o, &a->arg, &x) < 0)
			ok = 0;
		if (st->nkeys || i)
			sbuf_adds(&sel, ", ");
		const char *xs = x.s ? x.s : "";
		switch (a->kind) {
		case QA_COUNT:
			if (a->arg.field)
				sbuf_addf(&sel, "COUNT(%s)", xs);
			else
				sbuf_adds(&sel, "COUNT(*)");
			break;
		case QA_DC: sbuf_addf(&sel, "COUNT(DISTINCT %s)", xs); break;
		case QA_MIN: sbuf_addf(&sel, "MIN(%s)", xs); break;
		case QA_MAX: sbuf_addf(&sel, "MAX(%s)", xs); break;
		case QA_VALUES:
			sbuf_addf(&sel, "array_join(slice(array_sort(array_agg(DISTINCT %s) FILTER (WHERE "
				  "%s IS NOT NULL)), 1, %d), ',')", xs, xs, QUERY_VALUES_CAP);
			break;
		case QA_FIRST: sbuf_addf(&sel, "min_by(%s, %s)", xs, tcol); break;
		case QA_LAST: sbuf_addf(&sel, "max_by(%s, %s)", xs, tcol); break;
		}
		sbuf_adds(&sel, " AS ");
		if (sql_quote_ident(&sel, a->name) < 0)
			ok = 0;
		sbuf_free(&x);
	}
	if (ok) {
		sbuf_reset(&s->sel);
		sbuf_add(&s->sel, sel.s, sel.len);
		sbuf_reset(&s->group);
		sbuf_add(&s->group, grp.s ? grp.s : "", grp.len);
		sbuf_reset(&s->order);
		sbuf_addf(&s->order, "MIN(%s)", tcol); /* groups in order of their first event */
		s->stats = 1;
	}
	sbuf_free(&sel);
	sbuf_free(&grp);
	return ok;
}

static int sort_sql(const sql_opts *o, const qstage *st, dstate *s)
{
	sbuf ord;
	sbuf_init(&ord);
	int ok = 1;
	for (int i = 0; i < st->nkeys && ok; i++) {
		if (i)
			sbuf_adds(&ord, ", ");
		if (s->stats)
			ok = sql_quote_ident(&ord, st->keys[i].field) == 0;
		else
			ok = key_expr(o, &st->keys[i], &ord) == 0;
		sbuf_addf(&ord, "%s NULLS LAST", st->keys[i].desc ? " DESC" : "");
	}
	if (ok) { /* stable: ties keep the previous order */
		if (s->order.len)
			sbuf_addf(&ord, ", %s", s->order.s);
		else
			sbuf_adds(&ord, o->dialect == SQL_ATHENA ? ", eventtime" : ", eventTime");
		sbuf_reset(&s->order);
		sbuf_add(&s->order, ord.s, ord.len);
	}
	sbuf_free(&ord);
	return ok;
}

static int fields_sql(const sql_opts *o, const qstage *st, dstate *s)
{
	sbuf sel;
	sbuf_init(&sel);
	int ok = 1;
	for (int i = 0; i < st->nkeys && ok; i++) {
		if (i)
			sbuf_adds(&sel, ", ");
		ok = key_expr(o, &st->keys[i], &sel) == 0;
		sbuf_adds(&sel, " AS ");
		if (ok && sql_quote_ident(&sel, st->keys[i].field) < 0)
			ok = 0;
	}
	if (ok) {
		sbuf_reset(&s->sel);
		sbuf_add(&s->sel, sel.s, sel.len);
	}
	sbuf_free(&sel);
	return ok;
}

/* The events a sequence can use: those matching one of its steps (not steps included).
 * 1 with the condition in out, 0 when some step matches anything SQL cannot narrow. */
static int seq_filter(const struct query *q, const qstage *st, const sql_opts *o, sbuf *out)
{
	sql_info scratch;
	sql_info_init(&scratch);
	sbuf t;
	sbuf_init(&t);
	int ok = st->nsteps > 0;
	for (int i = 0; i < st->nsteps && ok; i++) {
		sbuf one;
		sbuf_init(&one);
		if (!st->steps[i].expr || !sql_filter(st->steps[i].expr, q->text, o, &one, &scratch) ||
		    strcmp(one.s, "TRUE") == 0)
			ok = 0;
		else
			sbuf_addf(&t, "%s(%s)", i ? " OR " : "", one.s);
		sbuf_free(&one);
	}
	if (ok)
		sbuf_addf(out, "(%s)", t.s);
	sbuf_free(&t);
	sql_info_free(&scratch);
	return ok;
}

/* One stage in display mode: 1 when it compiled into SQL. */
static int stage_sql(const struct query *q, const qstage *st, const sql_opts *o, dstate *s,
		     sql_info *info)
{
	if (s->stopped)
		return 0;
	switch (st->kind) {
	case QS_FILTER:
		if (st->table || s->limit >= 0 || o->mode != SQL_DISPLAY)
			return 0;
		{
			sbuf t;
			sbuf_init(&t);
			int rc = sql_filter(st->expr, q->text, o, &t, info);
			if (rc) {
				if (s->nwhere++)
					sbuf_adds(&s->where, " AND ");
				sbuf_add(&s->where, t.s, t.len);
			}
			sbuf_free(&t);
			return rc == 2;
		}
	case QS_FIELDS:
		return !st->table && !s->stats && fields_sql(o, st, s);
	case QS_STATS:
		return s->limit < 0 && stats_sql(o, st, s);
	case QS_SORT:
		return s->limit < 0 && sort_sql(o, st, s);
	case QS_HEAD:
		s->limit = s->limit >= 0 && s->limit < st->head ? s->limit : st->head;
		return 1;
	default:
		return 0;
	}
}

static int statement(struct query *const *qs, int nq, const sql_opts *o, sbuf *out,
		     sql_info *info, sbuf *err)
{
	sbuf from;
	sbuf_init(&from);
	if (table_sql(o, &from, err) < 0) {
		sbuf_free(&from);
		return -1;
	}
	dstate s;
	memset(&s, 0, sizeof s);
	sbuf_init(&s.sel);
	sbuf_init(&s.where);
	sbuf_init(&s.group);
	sbuf_init(&s.order);
	s.limit = -1;
	/* the filter: the OR of the queries' filters (events mode) or the one filter */
	sbuf f;
	sbuf_init(&f);
	int any_true = nq == 0, nf = 0, inexact = 0;
	for (int i = 0; i < nq; i++) {
		sbuf one;
		sbuf_init(&one);
		int rc = sql_filter(qs[i]->filter, qs[i]->text, o, &one, info);
		if (rc < 2)
			inexact = 1;
		int cond = rc > 0 && strcmp(one.s, "TRUE") != 0;
		if (!cond)
			sbuf_reset(&one);
		/* in events mode, filter stages before anything that drops events narrow too */
		for (int k = 0; k < qs[i]->nstages && o->mode == SQL_EVENTS; k++) {
			const qstage *st = &qs[i]->stages[k];
			if (st->kind == QS_FIELDS || st->kind == QS_SORT)
				continue;
			if (st->kind == QS_SEQUENCE) {
				sbuf more;
				sbuf_init(&more);
				if (seq_filter(qs[i], st, o, &more)) {
					if (cond)
						sbuf_adds(&one, " AND ");
					sbuf_add(&one, more.s, more.len);
					cond = 1;
				}
				sbuf_free(&more);
			}
			if (st->kind != QS_FILTER || st->table)
				break;
			sbuf more;
			sbuf_init(&more);
			if (sql_filter(st->expr, qs[i]->text, o, &more, info) &&
			    strcmp(more.s, "TRUE") != 0) {
				if (cond)
					sbuf_adds(&one, " AND ");
				sbuf_add(&one, more.s, more.len);
				cond = 1;
			}
			sbuf_free(&more);
		}
		if (!cond)
			any_true = 1;
		else {
			sbuf_addf(&f, "%s%s%s%s", nf ? " OR " : "", nq > 1 ? "(" : "", one.s,
				  nq > 1 ? ")" : "");
			nf++;
		}
		sbuf_free(&one);
	}
	if (any_true)
		sbuf_reset(&f);
	/* display mode: the stages */
	if (o->mode == SQL_DISPLAY && nq == 1) {
		const struct query *q = qs[0];
		s.stopped = inexact; /* stages over a superset would count wrong */
		for (int i = 0; i < q->nstages; i++) {
			if (!stage_sql(q, &q->stages[i], o, &s, info)) {
				if (!s.stopped && !s.stats) {
					/* the rest runs locally on whole events */
					sbuf_reset(&s.sel);
					sbuf t;
					sbuf_init(&t);
					if (q->stages[i].kind == QS_SEQUENCE && s.limit < 0 &&
					    seq_filter(q, &q->stages[i], o, &t)) {
						if (s.nwhere++)
							sbuf_adds(&s.where, " AND ");
						sbuf_add(&s.where, t.s, t.len);
					}
					sbuf_free(&t);
				}
				s.stopped = 1;
				sbuf_adds(&info->local, "stage ");
				stage_note(q, i, &info->local);
			}
		}
		if (s.nwhere) {
			if (f.len)
				sbuf_adds(&f, " AND ");
			sbuf_add(&f, s.where.s, s.where.len);
		}
	} else if (nq) {
		for (int i = 0; i < nq; i++)
			for (int k = 0; k < qs[i]->nstages; k++)
				if (qs[i]->stages[k].kind != QS_FILTER || qs[i]->stages[k].table) {
					sbuf_adds(&info->local, "stage ");
					stage_note(qs[i], k, &info->local);
				}
	}
	sbuf w;
	sbuf_init(&w);
	int nw = window_sql(o, &w);
	sbuf_adds(out, "SELECT ");
	if (o->mode == SQL_EVENTS)
		event_cols(o, out);
	else
		sbuf_adds(out, s.sel.len ? s.sel.s : "*");
	sbuf_addf(out, "\nFROM %s", from.s);
	if (nw || f.len) {
		sbuf_addf(out, "\nWHERE %s", nw ? w.s : "");
		if (f.len)
			sbuf_addf(out, "%s%s%s%s", nw ? " AND " : "", nw && nf > 1 ? "(" : "", f.s,
				  nw && nf > 1 ? ")" : "");
	}
	if (s.stats && s.group.len)
		sbuf_addf(out, "\nGROUP BY %s", s.group.s);
	if (s.order.len && (s.stats ? s.group.len || s.order.s[0] != 'M' : 1))
		sbuf_addf(out, "\nORDER BY %s", s.order.s);
	else if (s.limit >= 0 && !s.stats)
		sbuf_adds(out, o->dialect == SQL_ATHENA ? "\nORDER BY eventtime" : "\nORDER BY eventTime");
	if (s.limit >= 0)
		sbuf_addf(out, "\nLIMIT %ld", s.limit);
	sbuf_free(&w);
	sbuf_free(&f);
	sbuf_free(&from);
	sbuf_free(&s.sel);
	sbuf_free(&s.where);
	sbuf_free(&s.group);
	sbuf_free(&s.order);
	return 0;
}

int sql_compile(const struct query *q, const sql_opts *o, sbuf *out, sql_info *info,
		sbuf *err)
{
	struct query *qq = (struct query *)q;
	return statement(&qq, 1, o, out, info, err);
}

int sql_compile_events(struct query *const *qs, int n, const sql_opts *o, sbuf *out,
		       sql_info *info, sbuf *err)
{
	sql_opts eo = *o;
	eo.mode = SQL_EVENTS;
	return statement(qs, n, &eo, out, info, err);
}

/* sql_stmt.c — whole statements: the table, the window, the select list, and in display
 * mode the stats/sort/head/fields stages SQL can express. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"
#include "source.h"
#include "query_ast.h"
#include "sql_int.h"
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

/* Athena partition predicates. o->partition: NULL, "" or "none" = no partitions (the
 * table the CloudTrail console creates); else a comma list of ROLE[:COLUMN] where ROLE is
 * account, region or date (yyyy/MM/dd); a bare name other than account and region is the
 * date column ("timestamp" for the partition-projection tables). The date column gets the
 * window widened by a day on each side (a log file's date folder is its delivery date, not
 * each event's); account and region get the values the queries restrict recipientAccountId
 * and awsRegion to. Returns the number of conditions added to w. */
static int partition_sql(struct query *const *qs, int nq, const sql_opts *o, sbuf *w)
{
	const char *spec = o->partition;
	if (!spec || !*spec || strcmp(spec, "none") == 0)
		return 0;
	int n = 0;
	char buf[40];
	for (const char *p = spec; *p;) {
		size_t l = strcspn(p, ",");
		char *item = xstrndup(p, l);
		p += l + (p[l] == ',');
		char *colon = strchr(item, ':');
		const char *role = item, *col = colon ? colon + 1 : item;
		if (colon)
			*colon = 0;
		int kind = strcmp(role, "account") == 0 ? 1 : strcmp(role, "region") == 0 ? 2
			 : (colon && strcmp(role, "date") != 0) ? -1 : 0;
		sbuf pq;
		sbuf_init(&pq);
		if (kind < 0 || !*col || sql_quote_ident(&pq, col) < 0) {
			free(item);
			sbuf_free(&pq);
			continue;
		}
		if (kind == 0) {
			char a[16] = "", b[16] = "";
			if (o->since != TG_TIME_NONE) {
				tgtime_format(o->since - 86400000LL, buf);
				snprintf(a, sizeof a, "%.4s/%.2s/%.2s", buf, buf + 5, buf + 8);
			}
			if (o->until != TG_TIME_NONE) {
				tgtime_format(o->until + 86400000LL, buf);
				snprintf(b, sizeof b, "%.4s/%.2s/%.2s", buf, buf + 5, buf + 8);
			}
			if (*a && *b)
				sbuf_addf(w, "%s%s BETWEEN '%s' AND '%s'", n++ ? " AND " : "", pq.s, a, b);
			else if (*a || *b)
				sbuf_addf(w, "%s%s %s '%s'", n++ ? " AND " : "", pq.s, *a ? ">=" : "<=",
					  *a ? a : b);
		} else {
			strvec v = {0};
			if (query_scope(qs, nq, kind == 1 ? "recipientAccountId" : "awsRegion", &v) &&
			    v.n) {
				sbuf lit;
				sbuf_init(&lit);
				int bad = 0;
				for (size_t i = 0; i < v.n && !bad; i++) {
					if (i)
						sbuf_adds(&lit, ", ");
					bad = sql_quote(&lit, v.v[i], strlen(v.v[i])) < 0;
				}
				if (!bad)
					sbuf_addf(w, v.n == 1 ? "%s%s = %s" : "%s%s IN (%s)",
						  n++ ? " AND " : "", pq.s, lit.s);
				sbuf_free(&lit);
			}
			strvec_free(&v);
		}
		sbuf_free(&pq);
		free(item);
	}
	return n;
}

/* The window as conditions (Athena: the partitions first). */
static int window_sql(struct query *const *qs, int nq, const sql_opts *o, sbuf *w)
{
	char buf[40];
	int n = 0;
	if (o->dialect == SQL_ATHENA) {
		n = partition_sql(qs, nq, o, w);
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
				if (sql_seq_filter(qs[i], st, o, &more)) {
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
			if (!sql_stage(q, &q->stages[i], o, &s, info)) {
				if (!s.stopped && !s.stats) {
					/* the rest runs locally on whole events */
					sbuf_reset(&s.sel);
					sbuf t;
					sbuf_init(&t);
					if (q->stages[i].kind == QS_SEQUENCE && s.limit < 0 &&
					    sql_seq_filter(q, &q->stages[i], o, &t)) {
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
	int nw = window_sql(qs, nq, o, &w);
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

int sql_compile_table(const struct query *q, const sql_opts *o, sbuf *out, sbuf *err)
{
	if (!query_is_table(q))
		return 0;
	for (int i = 0; i < q->nstages; i++) {
		const qstage *st = &q->stages[i];
		if (st->kind == QS_STATS)
			for (int k = 0; k < st->nkeys; k++)
				if (st->keys[k].bin > 0)
					return 0;
	}
	sql_opts to = *o;
	to.mode = SQL_DISPLAY;
	to.dedup = 1;
	sql_info info;
	sql_info_init(&info);
	sbuf sql;
	sbuf_init(&sql);
	int rc = sql_compile(q, &to, &sql, &info, err);
	if (rc == 0) {
		rc = info.local.len == 0 && info.widened == 0 && strstr(sql.s, "\nGROUP BY ") ? 1 : 0;
		if (rc)
			sbuf_add(out, sql.s, sql.len);
	}
	sbuf_free(&sql);
	sql_info_free(&info);
	return rc;
}

/* sql_display.c — display mode: stats, sort, head and fields as SQL while they fit; the
 * first stage that does not fit ends it (the rest runs locally on what SQL returns). */
#include <string.h>

#include "query.h"
#include "sql_int.h"

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
			if (o->dedup) { /* one per eventID, as the local store keeps them */
				const char *id = o->dialect == SQL_ATHENA ? "eventid" : "eventID";
				if (a->arg.field)
					sbuf_addf(&sel, "COUNT(DISTINCT CASE WHEN %s IS NOT NULL THEN %s "
						  "END)", xs, id);
				else
					sbuf_addf(&sel, "COUNT(DISTINCT %s)", id);
			} else if (a->arg.field)
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
int sql_seq_filter(const struct query *q, const qstage *st, const sql_opts *o, sbuf *out)
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
int sql_stage(const struct query *q, const qstage *st, const sql_opts *o, dstate *s,
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

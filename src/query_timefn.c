/* query_timefn.c — hour(time [, OFFSET]) and weekday(time [, OFFSET]): the event time's
 * hour of day (0..23) or day of the week (mon..sun), in UTC or at a fixed offset. They are
 * fields like any other: the parser writes them in a canonical form ("hour(time)",
 * "weekday(time,+02:00)"), and the first use on a store derives an interned column from
 * the time column, so filters, stats by, sort and fields treat them as text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query_ast.h"
#include "tgtime.h"

static const char *const wdays[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
static const char *const wday_long[7] = { "monday", "tuesday", "wednesday", "thursday",
					  "friday", "saturday", "sunday" };

/* "+02:00", "-0530", "+2", "Z" -> minutes east of UTC; -1 on error (*ok = 0). */
static int parse_offset(const char *s, int *min)
{
	if (!strcmp(s, "Z") || !strcmp(s, "z")) {
		*min = 0;
		return 0;
	}
	int sign = s[0] == '+' ? 1 : s[0] == '-' ? -1 : 0;
	if (!sign)
		return -1;
	const char *d = s + 1;
	int h = 0, m = 0, nd = 0;
	while (*d >= '0' && *d <= '9' && nd < 2) {
		h = h * 10 + (*d++ - '0');
		nd++;
	}
	if (!nd)
		return -1;
	if (*d == ':')
		d++;
	if (*d) {
		if (!(d[0] >= '0' && d[0] <= '9' && d[1] >= '0' && d[1] <= '9') || d[2])
			return -1;
		m = (d[0] - '0') * 10 + (d[1] - '0');
	}
	if (h > 14 || m > 59)
		return -1;
	*min = sign * (h * 60 + m);
	return 0;
}

int qtimefn_kind(const char *name)
{
	if (!strncmp(name, "hour(", 5))
		return QTF_HOUR;
	if (!strncmp(name, "weekday(", 8))
		return QTF_WEEKDAY;
	return 0;
}

int qparse_timefn(qparser *p, char **out, int *col)
{
	char buf[64];
	int kind = qtok_is(&p->tok, "hour") ? QTF_HOUR : QTF_WEEKDAY;
	*col = p->tok.col;
	if (qparse_advance(p) < 0 || qparse_advance(p) < 0) /* name ( */
		return -1;
	const char *fn = kind == QTF_HOUR ? "hour" : "weekday";
	if (p->tok.t != QT_WORD || !qv_field_is_time(p->tok.text))
		return qparse_err(p, p->tok.col, "expected 'time' in %s(), not %s", fn,
				  qparse_tokdesc(p, buf, sizeof buf));
	if (qparse_advance(p) < 0)
		return -1;
	int min = 0;
	if (p->tok.t == QT_COMMA) {
		if (qparse_advance(p) < 0)
			return -1;
		if ((p->tok.t != QT_WORD && p->tok.t != QT_STRING) || parse_offset(p->tok.text, &min) < 0)
			return qparse_err(p, p->tok.col,
					  "expected a UTC offset like +02:00 or -05:30 in %s(), not %s",
					  fn, qparse_tokdesc(p, buf, sizeof buf));
		if (qparse_advance(p) < 0)
			return -1;
	}
	if (p->tok.t != QT_RPAREN)
		return qparse_err(p, p->tok.col, "expected ')' to close %s(", fn);
	char name[48];
	if (min)
		snprintf(name, sizeof name, "%s(time,%c%02d:%02d)", fn, min < 0 ? '-' : '+',
			 abs(min) / 60, abs(min) % 60);
	else
		snprintf(name, sizeof name, "%s(time)", fn);
	*out = xstrdup(name);
	return qparse_advance(p);
}

/* The offset in minutes of a canonical name ("hour(time,+02:00)" -> 120). */
static int name_offset(const char *name)
{
	const char *c = strchr(name, ',');
	int min = 0;
	if (c) {
		char off[16];
		snprintf(off, sizeof off, "%.*s", (int)strcspn(c + 1, ")"), c + 1);
		if (parse_offset(off, &min) < 0)
			min = 0;
	}
	return min;
}

int qtimefn_value(int kind, int64_t ms, int offmin, char *buf, size_t n)
{
	if (ms == TG_TIME_NONE)
		return -1;
	int64_t t = ms + (int64_t)offmin * 60000;
	int64_t day = t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
	if (kind == QTF_HOUR)
		snprintf(buf, n, "%d", (int)((t - day * 86400000) / 3600000));
	else /* 1970-01-01 was a Thursday (index 3) */
		snprintf(buf, n, "%s", wdays[(int)(((day + 3) % 7 + 7) % 7)]);
	return 0;
}

int qtimefn_column(store *s, const char *name)
{
	int c = store_col_find(s, name);
	if (c >= 0)
		return c;
	int kind = qtimefn_kind(name), off = name_offset(name);
	uint32_t *ids = xcalloc(s->cap ? s->cap : 1, sizeof *ids);
	intern *tab = intern_new();
	char buf[16];
	for (size_t i = 0; i < s->n; i++)
		if (qtimefn_value(kind, s->time[i], off, buf, sizeof buf) == 0)
			ids[i] = intern_add(tab, buf, strlen(buf));
	return store_col_add(s, name, ids, tab);
}

int qtimefn_literal(int kind, qval *v)
{
	if (kind == QTF_HOUR) {
		if (!v->is_num || v->num < 0 || v->num > 23 || v->num != (double)(int)v->num)
			return -1;
		char buf[8];
		snprintf(buf, sizeof buf, "%d", (int)v->num);
		free(v->s);
		v->s = xstrdup(buf);
		v->n = strlen(buf);
		return 0;
	}
	for (int d = 0; d < 7; d++)
		if (!strcasecmp(v->s, wdays[d]) || !strcasecmp(v->s, wday_long[d])) {
			free(v->s);
			v->s = xstrdup(wdays[d]);
			v->n = 3;
			return 0;
		}
	return -1;
}

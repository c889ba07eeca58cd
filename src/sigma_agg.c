/* sigma_agg.c — Sigma aggregations: `| count() [by f] > N` with a timeframe becomes the
 * threshold stage (a sliding window, as Sigma means it); `near` is refused; with
 * --aggregate bins every count is approximated by stats over fixed bins (see sigma.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma.h"

static int refuse(char **reason, const char *why)
{
	*reason = xstrdup(why);
	return -1;
}

static void skip(const char **s)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
}

/* A field name at *s ([A-Za-z0-9_.-]+), copied into f (mapped as a Sigma field). */
static int agg_field(const char **s, sbuf *f, char **reason)
{
	size_t n = strspn(*s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
	if (!n)
		return refuse(reason, "aggregation not supported (expected a field name)");
	int rc = sigma_field_name(*s, n, f, reason);
	*s += n;
	return rc;
}

/* A Sigma timeframe (30s, 10m, 1h, 2d) is a trailguide duration as written. */
static int good_timeframe(const char *t)
{
	size_t n = strspn(t, "0123456789");
	return n > 0 && n < 10 && strchr("smhd", t[n]) && t[n] && !t[n + 1];
}

int sigma_aggregation(const char *agg, const char *timeframe, sbuf *out, sigma_rule *r,
		      char **reason)
{
	const char *s = agg;
	skip(&s);
	if (!strncmp(s, "near", 4))
		return refuse(reason, "aggregation not supported (near: events correlated in time)");
	if (strncmp(s, "count(", 6))
		return refuse(reason, "aggregation not supported (only count() is)");
	s += 6;
	skip(&s);
	sbuf what, by;
	sbuf_init(&what);
	sbuf_init(&by);
	sbuf_add(&what, "", 0);
	sbuf_add(&by, "", 0);
	int rc = 0;
	if (*s != ')' && agg_field(&s, &what, reason) < 0)
		rc = -1;
	skip(&s);
	if (rc == 0 && *s != ')')
		rc = refuse(reason, "aggregation not supported (expected ')' after count(...)");
	if (rc == 0) {
		s++;
		skip(&s);
		if (!strncmp(s, "by", 2) && (s[2] == ' ' || s[2] == '\t')) {
			s += 2;
			skip(&s);
			if (agg_field(&s, &by, reason) < 0)
				rc = -1;
			skip(&s);
		}
	}
	const char *op = NULL;
	if (rc == 0) {
		static const char *const ops[] = { ">=", "<=", ">", "<", "=" };
		for (size_t i = 0; i < 5 && !op; i++)
			if (!strncmp(s, ops[i], strlen(ops[i])))
				op = ops[i];
		if (!op)
			rc = refuse(reason, "aggregation not supported (expected a comparison)");
		else
			s += strlen(op);
		skip(&s);
	}
	size_t nd = strspn(s, "0123456789");
	if (rc == 0 && (!nd || nd > 9 || s[nd + strspn(s + nd, " \t")]))
		rc = refuse(reason, "aggregation not supported (expected a whole number at the end)");
	if (rc == 0 && !timeframe)
		rc = refuse(reason, "aggregation not supported (no timeframe to count in)");
	if (rc == 0 && !good_timeframe(timeframe))
		rc = refuse(reason, "aggregation not supported (a timeframe that is not like 10m)");
	/* count() > N (or >= N) is exactly trailguide's threshold stage: more than N events
	 * within a sliding timeframe, per key. Distinct counts and the other comparisons
	 * have no sliding form: --aggregate bins approximates them, else they are refused. */
	int sliding = rc == 0 && !what.len && (!strcmp(op, ">") || !strcmp(op, ">="));
	if (rc == 0 && sliding && !r->agg_bins) {
		long n = strtol(s, NULL, 10) - (!strcmp(op, ">=") ? 1 : 0);
		if (n < 0)
			n = 0;
		sbuf_addf(out, " | threshold count() > %ld within %s", n, timeframe);
		if (by.len)
			sbuf_addf(out, " by %s", by.s);
	} else if (rc == 0 && !r->agg_bins) {
		rc = refuse(reason, what.len ? "aggregation not supported (a distinct count in a "
					       "sliding window; --aggregate bins approximates it)"
					     : "aggregation not supported (only count() > N and >= N "
					       "have a sliding form; --aggregate bins approximates the "
					       "rest)");
	} else if (rc == 0) {
		char num[16];
		memcpy(num, s, nd);
		num[nd] = 0;
		const char *col = what.len ? "dc" : "count";
		sbuf_addf(out, " | stats %s(%s) by %s%sbin(%s) | filter ", col, what.s, by.s,
			  by.len ? ", " : "", timeframe);
		if (what.len)
			sbuf_addf(out, "dc(%s)", what.s);
		else
			sbuf_adds(out, "count");
		sbuf_addf(out, " %s %s", op, num);
		sbuf n;
		sbuf_init(&n);
		sbuf_addf(&n, "Sigma counts this within a sliding %s window; this step counts in fixed "
			      "%s bins, so a burst that straddles a bin edge can be missed.",
			  timeframe, timeframe);
		free(r->note);
		r->note = sbuf_take(&n);
	}
	sbuf_free(&what);
	sbuf_free(&by);
	return rc;
}

/* window.c — the console's time window: parsing `:window`, its label, covering events. */
#include "tui/window.h"

#include <stdio.h>
#include <string.h>

#include "tgtime.h"

static int side(const char *s, size_t n, int64_t now, int64_t *ms)
{
	if (n == 0) {
		*ms = TG_TIME_NONE;
		return 0;
	}
	return tgtime_user(s, n, now, ms);
}

int tui_window_parse(const char *arg, int64_t now, int64_t *since, int64_t *until, char *msg,
		     size_t msgn)
{
	size_t n = strlen(arg);
	const char *dots = strstr(arg, "..");
	int64_t d;
	if (!strcmp(arg, "all")) {
		*since = *until = TG_TIME_NONE;
		return 0;
	}
	if (dots) {
		int64_t s, u;
		size_t k = (size_t)(dots - arg);
		if (k == 0 && n == 2)
			goto bad;
		if (side(arg, k, now, &s) < 0 || side(dots + 2, n - k - 2, now, &u) < 0)
			goto bad;
		if (s != TG_TIME_NONE && u != TG_TIME_NONE && s > u) {
			snprintf(msg, msgn, "window: '%.60s' starts after it ends", arg);
			return -1;
		}
		*since = s;
		*until = u;
		return 0;
	}
	if (n && tgtime_duration(arg, n, &d) == 0 && d > 0 && now != TG_TIME_NONE &&
	    now > INT64_MIN + d) {
		*since = now - d;
		*until = now;
		return 0;
	}
bad:
	snprintf(msg, msgn, "window '%.40s': use %s", arg, TUI_WINDOW_FORMS);
	return -1;
}

static int at_midnight(int64_t t)
{
	return t == TG_TIME_NONE || ((t % 86400000) + 86400000) % 86400000 == 0;
}

/* "2026-11-20 02:13", or "2026-11-20" when date_only; nothing for an open side. */
static void stamp(char *out, size_t n, int64_t t, int date_only)
{
	char b[32];
	if (t == TG_TIME_NONE) {
		out[0] = 0;
		return;
	}
	tgtime_format(t, b);
	if (date_only)
		snprintf(out, n, "%.10s", b);
	else
		snprintf(out, n, "%.10s %.5s", b, b + 11);
}

char *tui_window_label(int64_t since, int64_t until, int64_t now, char *buf, size_t n)
{
	static const struct { int64_t ms; char unit; } units[] = {
		{ 86400000, 'd' }, { 3600000, 'h' }, { 60000, 'm' }, { 1000, 's' },
	};
	if (since == TG_TIME_NONE && until == TG_TIME_NONE) {
		snprintf(buf, n, "all time");
		return buf;
	}
	/* up to now (an open end counts as now: no event is newer), when the span is a
	 * short count of one unit; "2026-11-01.." stays a date */
	if (since != TG_TIME_NONE && now != TG_TIME_NONE && since < now &&
	    (until == now || until == TG_TIME_NONE)) {
		int64_t span = now - since;
		for (size_t i = 0; i < sizeof units / sizeof *units; i++)
			if (span % units[i].ms == 0 && span / units[i].ms < 1000) {
				snprintf(buf, n, "last %lld%c", (long long)(span / units[i].ms),
					 units[i].unit);
				return buf;
			}
	}
	char a[24], b[24];
	int date_only = at_midnight(since) && at_midnight(until);
	stamp(a, sizeof a, since, date_only);
	stamp(b, sizeof b, until, date_only);
	snprintf(buf, n, "%s..%s", a, b);
	return buf;
}

int tui_window_cover(int64_t *since, int64_t *until, int64_t t0, int64_t t1)
{
	int changed = 0;
	if (*since != TG_TIME_NONE && t0 < *since) {
		*since = t0;
		changed = 1;
	}
	if (*until != TG_TIME_NONE && t1 > *until) {
		*until = t1;
		changed = 1;
	}
	return changed;
}

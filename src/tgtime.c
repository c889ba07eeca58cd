/* tgtime.c — ISO-8601 timestamps, durations and user-written times, all UTC. */
#include "tgtime.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t tgtime_days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Read exactly k digits at s[*i]. */
static int digits(const char *s, size_t n, size_t *i, int k, int *out)
{
	int v = 0;
	for (int j = 0; j < k; j++) {
		if (*i >= n || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[(*i)++] - '0');
	}
	*out = v;
	return 0;
}

int tgtime_parse(const char *s, size_t n, int64_t *ms)
{
	size_t i = 0;
	int y, mo, d, h = 0, mi = 0, se = 0, frac = 0;
	int basic = 0;
	if (digits(s, n, &i, 4, &y))
		return -1;
	if (i < n && s[i] == '-') {
		i++;
		if (digits(s, n, &i, 2, &mo) || i >= n || s[i++] != '-' || digits(s, n, &i, 2, &d))
			return -1;
	} else {
		basic = 1;
		if (digits(s, n, &i, 2, &mo) || digits(s, n, &i, 2, &d))
			return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	int64_t off = 0;
	if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
		i++;
		if (digits(s, n, &i, 2, &h))
			return -1;
		if (!basic && i < n && s[i] == ':')
			i++;
		else if (!basic)
			return -1;
		if (digits(s, n, &i, 2, &mi))
			return -1;
		if (i < n && ((!basic && s[i] == ':') || (basic && s[i] >= '0' && s[i] <= '9'))) {
			if (!basic)
				i++;
			if (digits(s, n, &i, 2, &se))
				return -1;
			if (i < n && s[i] == '.') {
				i++;
				int k = 0;
				while (i < n && s[i] >= '0' && s[i] <= '9') {
					if (k < 3)
						frac = frac * 10 + (s[i] - '0');
					k++;
					i++;
				}
				if (!k)
					return -1;
				for (; k < 3; k++)
					frac *= 10;
			}
		}
		if (h > 24 || mi > 59 || se > 60)
			return -1;
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i++] == '-' ? -1 : 1, oh, om = 0;
			if (digits(s, n, &i, 2, &oh))
				return -1;
			if (i < n && s[i] == ':')
				i++;
			if (i < n && digits(s, n, &i, 2, &om))
				return -1;
			off = sign * ((int64_t)oh * 3600 + om * 60);
		}
	}
	if (i != n)
		return -1;
	int64_t days = tgtime_days_from_civil(y, (unsigned)mo, (unsigned)d);
	*ms = ((days * 86400 + h * 3600 + mi * 60 + se) - off) * 1000 + frac;
	return 0;
}

int tgtime_duration(const char *s, size_t n, int64_t *ms)
{
	size_t i = 0;
	int64_t total = 0;
	if (!n)
		return -1;
	while (i < n) {
		int64_t v = 0;
		size_t st = i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (v > (int64_t)1e12)
				return -1;
			v = v * 10 + (s[i++] - '0');
		}
		if (i == st || i >= n)
			return -1;
		int64_t unit;
		switch (s[i]) {
		case 's': unit = 1000; break;
		case 'm': unit = 60000; break;
		case 'h': unit = 3600000; break;
		case 'd': unit = 86400000; break;
		case 'w': unit = 7 * 86400000LL; break;
		default: return -1;
		}
		if (s[i] == 'm' && i + 1 < n && s[i + 1] == 's') { /* milliseconds */
			unit = 1;
			i++;
		}
		i++;
		if (v > INT64_MAX / 4 / unit || total > INT64_MAX / 4 - v * unit)
			return -1; /* absurdly long: keep every later sum far from overflow */
		total += v * unit;
	}
	*ms = total;
	return 0;
}

int tgtime_user(const char *s, size_t n, int64_t now_ms, int64_t *ms)
{
	int64_t d;
	if (n == 3 && memcmp(s, "now", 3) == 0) {
		*ms = now_ms;
		return 0;
	}
	if (n > 1 && s[0] == '-' && tgtime_duration(s + 1, n - 1, &d) == 0) {
		*ms = now_ms - d;
		return 0;
	}
	if (tgtime_duration(s, n, &d) == 0) {
		*ms = now_ms - d;
		return 0;
	}
	return tgtime_parse(s, n, ms);
}

char *tgtime_format(int64_t ms, char *buf)
{
	int64_t sec = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	int frac = (int)(ms - sec * 1000);
	int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
	int64_t rem = sec - days * 86400;
	int y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	int hh = (int)(rem / 3600), mm = (int)(rem / 60 % 60), ss = (int)(rem % 60);
	char tmp[96]; /* roomy: the compiler cannot bound every field */
	if (frac)
		snprintf(tmp, sizeof tmp, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d, hh, mm, ss, frac);
	else
		snprintf(tmp, sizeof tmp, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, hh, mm, ss);
	size_t k = strlen(tmp);
	if (k > 31)
		k = 31;
	memcpy(buf, tmp, k);
	buf[k] = 0;
	return buf;
}

int64_t tgtime_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

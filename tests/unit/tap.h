/* tap.h — a tiny TAP producer for the C unit tests (each check is one TAP test line). */
#ifndef TG_TAP_H
#define TG_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static void tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("# failed at %s:%d\n", file, line);
	}
	fflush(stdout);
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
/* String equality that prints both sides on failure. */
#define is_str(got, want, ...)                                                        \
	do {                                                                           \
		const char *g_ = (got), *w_ = (want);                                  \
		int c_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;                  \
		tap_ok(c_, __FILE__, __LINE__, __VA_ARGS__);                           \
		if (!c_)                                                               \
			printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)",  \
			       w_ ? w_ : "(null)");                                    \
	} while (0)
#define is_int(got, want, ...)                                                        \
	do {                                                                           \
		long long g_ = (long long)(got), w_ = (long long)(want);               \
		tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__);                     \
		if (g_ != w_)                                                          \
			printf("#   got:  %lld\n#   want: %lld\n", g_, w_);             \
	} while (0)

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif

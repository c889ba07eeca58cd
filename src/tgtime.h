/* tgtime.h — timestamps (milliseconds since the Unix epoch, UTC) and durations. */
#ifndef TG_TGTIME_H
#define TG_TGTIME_H

#include <stddef.h>
#include <stdint.h>

#define TG_TIME_NONE INT64_MIN

/* Parse ISO-8601 UTC: 2026-11-20, 2026-11-20T02:13Z, 2026-11-20T02:13:07Z,
 * 2026-11-20T02:13:07.123Z, with optional +HH:MM offset, and the basic form
 * 20131102T010628Z. Returns 0 and sets *ms, or -1. */
int tgtime_parse(const char *s, size_t n, int64_t *ms);

/* Parse a duration: 90s 15m 24h 7d 2w (and combinations like 1h30m). 0 or -1. */
int tgtime_duration(const char *s, size_t n, int64_t *ms);

/* Parse a time as a user writes it on the command line or in a query: absolute
 * (tgtime_parse), relative to now (-24h, 24h meaning "24h ago"), or "now". */
int tgtime_user(const char *s, size_t n, int64_t now_ms, int64_t *ms);

/* Format as 2026-11-20T02:13:07Z (milliseconds only when non-zero). buf >= 32 bytes. */
char *tgtime_format(int64_t ms, char *buf);

/* Days since epoch for a civil date, and back; used by directory pruning and bin(). */
int64_t tgtime_days_from_civil(int y, unsigned m, unsigned d);

/* Current wall-clock time in ms. */
int64_t tgtime_now(void);

#endif

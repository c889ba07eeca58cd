/* window.h — the console's time window as text: what `:window` accepts, the compact label
 * of the status line, and the window grown to cover a span of events. No curses here.
 * Times are milliseconds (tgtime.h); TG_TIME_NONE is an open side; until is inclusive. */
#ifndef TG_TUI_WINDOW_H
#define TG_TUI_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/* What `:window` accepts, for messages and help. */
#define TUI_WINDOW_FORMS "30d, all or FROM..TO (2026-11-01..2026-11-20)"

/* Parse arg: "all" (no window), a duration ("30d", "36h", "1h30m": that much back from
 * now, up to now), or "FROM..TO" where each side is a time as --since takes it
 * (2026-11-01, 2026-11-01T08:00Z, -7d, now) and either may be left out. 0, or -1 with msg
 * naming the forms accepted. */
int tui_window_parse(const char *arg, int64_t now, int64_t *since, int64_t *until, char *msg,
		     size_t msgn);

/* The window as the status line shows it: "all time"; "last 10d" when it ends at now (or
 * is open: no event is newer than now) and starts a whole number below 1000 of days,
 * hours, minutes or seconds back; else "2026-11-01..2026-11-20" (both sides at midnight),
 * "2026-11-20 02:13..2026-11-27 02:13", "2026-11-01.." or "..2026-11-20". At most 34
 * columns; buf >= 48 bytes. */
char *tui_window_label(int64_t since, int64_t until, int64_t now, char *buf, size_t n);

/* Grow [*since, *until] so that it holds [t0, t1] (an open side stays open). Returns 1 when
 * the window changed. */
int tui_window_cover(int64_t *since, int64_t *until, int64_t t0, int64_t t1);

#endif

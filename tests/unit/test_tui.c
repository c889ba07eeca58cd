/* test_tui.c — the console's layout math and event-list model, without a terminal. */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "tap.h"
#include "tui/detail.h"
#include "tui/layout.h"
#include "tui/mdwrap.h"
#include "tui/rowfind.h"
#include "tui/view.h"
#include "tui/window.h"
#include "tgtime.h"

/* No two panes overlap and every pane lies inside the terminal. */
static int inside(const tui_rect *r, int cols, int rows)
{
	return !r->h || (r->y >= 0 && r->x >= 0 && r->y + r->h <= rows && r->x + r->w <= cols);
}

static int disjoint(const tui_rect *a, const tui_rect *b)
{
	return !a->h || !b->h || a->y + a->h <= b->y || b->y + b->h <= a->y ||
	       a->x + a->w <= b->x || b->x + b->w <= a->x;
}

static void check(int cols, int rows, int steps)
{
	tui_layout l;
	tui_layout_compute(&l, cols, rows, steps);
	const tui_rect *p[] = { &l.steps, &l.timeline, &l.events, &l.detail, &l.status, &l.prompt };
	int good = 1;
	for (int i = 0; i < 6; i++) {
		good &= inside(p[i], cols, rows);
		for (int j = i + 1; j < 6; j++)
			good &= disjoint(p[i], p[j]);
	}
	ok(good, "%dx%d%s: panes inside and disjoint", cols, rows, steps ? " with steps" : "");
}

static void test_layout(void)
{
	tui_layout l;
	tui_layout_compute(&l, 80, 24, 1);
	is_int(l.status.y, 22, "80x24: status on row 22");
	is_int(l.prompt.y, 23, "80x24: prompt on the last row");
	is_int(l.steps.w, 26, "80x24: steps a third of the width");
	is_int(l.sep_x, 26, "80x24: separator after the steps");
	is_int(l.events.x, 27, "80x24: events right of the separator");
	is_int(l.events.w + l.events.x, 80, "80x24: events reach the right edge");
	ok(tui_rect_body(&l.events) >= 5, "80x24: at least 5 event rows");
	ok(l.detail.h >= 4, "80x24: a detail pane");
	is_int(l.timeline.h, 1, "80x24: a timeline row");
	is_int(l.timeline.y + 1, l.events.y, "timeline right over the events");
	is_int(l.events.y + l.events.h, l.detail.y, "detail right under the events");
	tui_layout_compute(&l, 50, 12, 1);
	is_int(l.steps.w, 0, "50 columns: no steps pane");
	is_int(l.sep_x, -1, "50 columns: no separator");
	tui_layout_compute(&l, 80, 24, 0);
	is_int(l.events.x, 0, "no runbook: events from column 0");
	tui_layout_compute(&l, 10, 3, 1);
	is_int(l.detail.h, 0, "tiny: no detail pane");
	is_int(l.prompt.y, 2, "tiny: still a prompt line");
	int sizes[][2] = { { 80, 24 }, { 100, 30 }, { 200, 60 }, { 60, 15 }, { 40, 8 }, { 20, 6 },
			   { 19, 5 }, { 1, 1 }, { 300, 10 } };
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		check(sizes[i][0], sizes[i][1], 1);
		check(sizes[i][0], sizes[i][1], 0);
	}
}

static void test_cursor(void)
{
	result r;
	memset(&r, 0, sizeof r);
	r.n = 100;
	r.idx = calloc(100, sizeof *r.idx);
	for (uint32_t i = 0; i < 100; i++)
		r.idx[i] = i * 2;
	tui_view v = { .r = &r };
	tui_view_move(&v, 1, 10);
	is_int(v.cursor, 1, "down one");
	is_int(tui_view_event(&v), 2, "the selected event's store index");
	tui_view_move(&v, 15, 10);
	is_int(v.cursor, 16, "down 15");
	is_int(v.scroll, 7, "scrolled so the cursor is on the last row");
	tui_view_move(&v, -1000, 10);
	is_int(v.cursor, 0, "clamped at the top");
	is_int(v.scroll, 0, "scrolled to the top");
	tui_view_move(&v, 1000, 10);
	is_int(v.cursor, 99, "clamped at the bottom");
	is_int(v.scroll, 90, "the last page");
	tui_view_clamp(&v, 30); /* a taller terminal: no empty rows after the last */
	is_int(v.scroll, 70, "resize: the last page fills the pane");
	r.n = 0;
	tui_view_clamp(&v, 10);
	is_int(v.cursor, 0, "empty view: cursor 0");
	is_int(tui_view_event(&v), -1, "empty view: no event");
	free(r.idx);
}

static void test_cell(void)
{
	sbuf b;
	sbuf_init(&b);
	tui_cell(&b, "abcdef", 6, 4, 1, 1);
	is_str(b.s, "abc\xe2\x80\xa6", "cut with an ellipsis");
	sbuf_reset(&b);
	tui_cell(&b, "ab", 2, 4, 1, 1);
	is_str(b.s, "ab  ", "padded");
	sbuf_reset(&b);
	tui_cell(&b, "\x1b[2J\x07", 5, 20, 1, 0);
	is_str(b.s, "\\e[2J\\x07", "control bytes escaped");
	sbuf_reset(&b);
	tui_cell(&b, "\xe2\x80\xae" "abc", 6, 20, 1, 0);
	is_str(b.s, "\\u{202e}abc", "bidi override escaped");
	sbuf_reset(&b);
	tui_cell(&b, "\xe6\x97\xa5\xe6\x9c\xac", 6, 3, 0, 1);
	is_str(b.s, "\xe6\x97\xa5 ", "a wide character that does not fit is left out");
	sbuf_free(&b);
}

/* {"a": {"b": 1}, "c": "x"} as the detail pane's lines, built by hand */
static void test_fold(void)
{
	static const char *const text[] = { "{", "  \"a\": {", "    \"b\": 1", "  },",
					     "  \"c\": \"x\"", "}" };
	static const size_t end[] = { 5, 3, 2, 3, 4, 5 };
	tui_lines f, p;
	memset(&f, 0, sizeof f);
	f.n = f.cap = 6;
	f.v = xcalloc(6, sizeof *f.v);
	f.path = xcalloc(6, sizeof *f.path);
	f.value = xcalloc(6, sizeof *f.value);
	f.kind = xcalloc(6, sizeof *f.kind);
	f.keyat = xcalloc(6, sizeof *f.keyat);
	f.valat = xcalloc(6, sizeof *f.valat);
	f.end = xcalloc(6, sizeof *f.end);
	f.folded = xcalloc(6, sizeof *f.folded);
	for (size_t i = 0; i < 6; i++) {
		f.v[i] = xstrdup(text[i]);
		f.end[i] = end[i];
	}
	f.path[2] = xstrdup("a.b");
	f.folded[1] = 1;
	tui_lines_project(&f, &p, 0);
	ok(p.n == 4, "fold: a folded object hides its lines");
	ok(!strcmp(p.v[1], "  \"a\": {...},"), "fold: the folded line keeps its comma");
	ok(p.src[2] == 4 && tui_lines_shown(&p, 2) == 1, "fold: a hidden line shows as its opener");
	ok(tui_lines_opener(&f, 2) == 1 && tui_lines_opener(&f, 1) == 1 &&
		   tui_lines_opener(&f, 4) == 0, "fold: the opener around a line");
	size_t count;
	ok(tui_lines_find(&f, "B\"", 3, &count) == 2 && count == 1, "search: wraps, any case");
	ok(tui_lines_find(&f, "zz", 0, &count) == (size_t)-1, "search: no match");
	tui_lines_reveal(&f, 2);
	ok(!f.folded[1], "search: a match is revealed");
	tui_lines_free(&p);
	tui_lines_free(&f);
}

/* The style of the run that covers byte at of line l (-1: none). */
static int md_style_at(const tui_mdline *l, size_t at)
{
	for (int i = 0; i < l->nruns; i++)
		if (at >= l->runs[i].at && at < l->runs[i].at + l->runs[i].n)
			return l->runs[i].style;
	return -1;
}

static void test_mdwrap(void)
{
	tui_md m = { 0 };
	tui_md_wrap("## Who did it\n\nCheck *this* and **that** in `eventName` now.\n\n"
		    "- first item that is long enough to wrap\n- second\n1. numbered\n",
		    24, &m);
	is_str(m.v[0].s, "Who did it", "md: heading text without #");
	is_int(md_style_at(&m.v[0], 0), TUI_MD_BOLD, "md: heading bold");
	is_str(m.v[1].s, "", "md: blank line after the heading");
	is_str(m.v[2].s, "Check this and that in", "md: markers removed, wrapped at 24");
	is_int(md_style_at(&m.v[2], 6), TUI_MD_EM, "md: emphasis");
	is_int(md_style_at(&m.v[2], 15), TUI_MD_BOLD, "md: strong");
	is_int(md_style_at(&m.v[2], 5), 0, "md: the space before emphasis is plain");
	is_str(m.v[3].s, "eventName now.", "md: the paragraph continues");
	is_int(md_style_at(&m.v[3], 0), TUI_MD_CODE, "md: code span");
	is_int(md_style_at(&m.v[3], 10), 0, "md: plain after the code span");
	is_str(m.v[4].s, "", "md: blank line between blocks");
	is_str(m.v[5].s, "- first item that is", "md: list item");
	is_str(m.v[6].s, "  long enough to wrap", "md: hanging indent");
	is_str(m.v[7].s, "- second", "md: next item, no blank line");
	is_str(m.v[8].s, "1. numbered", "md: numbered item");
	is_int((int)m.n, 9, "md: line count");
	for (size_t i = 0; i < m.n; i++)
		ok(esc_width(m.v[i].s, strlen(m.v[i].s)) <= 24, "md: line %zu fits", i);
	tui_md_free(&m);
	tui_md_wrap("a\x1b[2J `b\x07`", 40, &m);
	is_str(m.v[0].s, "a\\e[2J b\\x07", "md: control bytes escaped");
	tui_md_free(&m);
}

/* `:window` arguments, the status line's label, and covering a span of events */
static void test_window(void)
{
	int64_t now, since, until, t;
	char msg[256], buf[64];
	tgtime_parse("2026-11-19T23:59:47Z", 20, &now);
	ok(tui_window_parse("all", now, &since, &until, msg, sizeof msg) == 0 &&
		   since == TG_TIME_NONE && until == TG_TIME_NONE, "window all: no window");
	ok(tui_window_parse("30d", now, &since, &until, msg, sizeof msg) == 0 &&
		   since == now - 30 * 86400000LL && until == now, "window 30d: back from now");
	ok(tui_window_parse("1h30m", now, &since, &until, msg, sizeof msg) == 0 &&
		   since == now - 5400000 && until == now, "window 1h30m");
	tgtime_parse("2026-11-01", 10, &t);
	ok(tui_window_parse("2026-11-01..2026-11-20", now, &since, &until, msg, sizeof msg) == 0 &&
		   since == t && until == t + 19 * 86400000LL, "window FROM..TO");
	ok(tui_window_parse("2026-11-01..", now, &since, &until, msg, sizeof msg) == 0 &&
		   since == t && until == TG_TIME_NONE, "window FROM.. leaves the end open");
	ok(tui_window_parse("..2026-11-01", now, &since, &until, msg, sizeof msg) == 0 &&
		   since == TG_TIME_NONE && until == t, "window ..TO leaves the start open");
	ok(tui_window_parse("-7d..now", now, &since, &until, msg, sizeof msg) == 0 &&
		   since == now - 7 * 86400000LL && until == now, "window -7d..now (relative sides)");
	since = until = 42;
	ok(tui_window_parse("yesterday", now, &since, &until, msg, sizeof msg) < 0 &&
		   since == 42 && until == 42, "a bad window changes nothing");
	is_str(msg, "window 'yesterday': use 30d, all or FROM..TO (2026-11-01..2026-11-20)",
	       "the error names the forms accepted");
	ok(tui_window_parse("2026-11-20..2026-11-01", now, &since, &until, msg, sizeof msg) < 0,
	   "a window that ends before it starts is refused");
	is_str(msg, "window: '2026-11-20..2026-11-01' starts after it ends", "and says so");
	ok(tui_window_parse("..", now, &since, &until, msg, sizeof msg) < 0, "'..' alone is refused");
	ok(tui_window_parse("2026-13-01..", now, &since, &until, msg, sizeof msg) < 0,
	   "a bad date is refused");
	ok(tui_window_parse("0d", now, &since, &until, msg, sizeof msg) < 0, "an empty span is refused");

	is_str(tui_window_label(TG_TIME_NONE, TG_TIME_NONE, now, buf, sizeof buf), "all time",
	       "label: no window");
	is_str(tui_window_label(now - 10 * 86400000LL, now, now, buf, sizeof buf), "last 10d",
	       "label: days back from now");
	is_str(tui_window_label(now - 36 * 3600000LL, now, now, buf, sizeof buf), "last 36h",
	       "label: hours");
	is_str(tui_window_label(now - 7 * 86400000LL, TG_TIME_NONE, now, buf, sizeof buf),
	       "last 7d", "label: an open end counts as now");
	is_str(tui_window_label(t, t + 19 * 86400000LL, now, buf, sizeof buf),
	       "2026-11-01..2026-11-20", "label: midnights as dates");
	is_str(tui_window_label(t + 7980000, now, now - 1, buf, sizeof buf),
	       "2026-11-01 02:13..2026-11-19 23:59", "label: times to the minute");
	is_str(tui_window_label(t, TG_TIME_NONE, now, buf, sizeof buf), "2026-11-01..",
	       "label: an open end");
	is_str(tui_window_label(t, now, now, buf, sizeof buf), "2026-11-01 00:00..2026-11-19 23:59",
	       "label: a long span to now stays a range");
	is_str(tui_window_label(now - 90000, now, now, buf, sizeof buf), "last 90s",
	       "label: seconds");
	is_str(tui_window_label(TG_TIME_NONE, t, now, buf, sizeof buf), "..2026-11-01",
	       "label: an open start");
	ok(strlen(tui_window_label(t + 7980000, now, now - 1, buf, sizeof buf)) <= 34,
	   "label: at most 34 columns");

	since = t;
	until = t + 86400000;
	ok(!tui_window_cover(&since, &until, t + 1000, t + 2000) && since == t &&
		   until == t + 86400000, "cover: events inside leave the window alone");
	ok(tui_window_cover(&since, &until, t - 5000, t + 2000) && since == t - 5000 &&
		   until == t + 86400000, "cover: an earlier event moves the start");
	ok(tui_window_cover(&since, &until, t, t + 2 * 86400000LL) &&
		   until == t + 2 * 86400000LL, "cover: a later event moves the end");
	since = TG_TIME_NONE;
	until = t;
	ok(tui_window_cover(&since, &until, t - 99, t + 99) && since == TG_TIME_NONE &&
		   until == t + 99, "cover: an open side stays open");
}

/* issue 13: a stats row's drill-down query, the command of a respond action, principals */
static void drill(const char *q, const char *const *cols, int n, char *const *cells,
		  const char *want, const char *what)
{
	sbuf o;
	char msg[256] = "";
	sbuf_init(&o);
	int rc = tui_drill_query(q, cols, n, cells, &o, msg, sizeof msg);
	is_str(rc == 0 ? (o.s ? o.s : "") : msg, want, "drill: %s", what);
	sbuf_free(&o);
}

static void test_firstkeys(void)
{
	const char *c2[] = { "principal", "ip", "count" };
	char *v2[] = { "arn:aws:iam::1:user/a\"b", "198.51.100.7", "17" };
	drill("event = ConsoleLogin | stats count() by principal, ip", c2, 3, v2,
	      "event = ConsoleLogin | filter principal = \"arn:aws:iam::1:user/a\\\"b\" and ip = "
	      "\"198.51.100.7\"",
	      "two keys, a quote escaped");
	drill("| stats count() by ip | sort count desc", c2 + 1, 2, v2 + 1,
	      "ip = \"198.51.100.7\"", "no filter before the stats");
	const char *cb[] = { "key", "bin(time, 1h)", "count" };
	char *vb[] = { NULL, "2026-11-19T02:00:00Z", "3" };
	drill("x = \"a | stats b\" | stats count() by key, bin(time, 1h)", cb, 3, vb,
	      "x = \"a | stats b\" | filter not key exists",
	      "an absent cell; a function key skipped; a quoted | stats ignored");
	drill("| stats count()", c2 + 2, 1, v2 + 2,
	      "open: only a stats ... by table's rows open into events", "no by: refused");
	drill("| stats count() by bin(time, 1h)", cb + 1, 2, vb + 1,
	      "open: the table's by keys are not fields to filter on", "only function keys");
	struct { const char *in, *want, *what; } rc[] = {
		{ "disable the key: `aws iam update-access-key --status Inactive`, then rotate",
		  "aws iam update-access-key --status Inactive", "one backticked command, no prose" },
		{ "first `a b`, then `c`", "a b\nc", "two spans, one per line" },
		{ "run:\n```sh\naws s3 ls\n```\nand check", "aws s3 ls", "a fence's body" },
		{ "  just text  ", "just text", "no backticks: the text, trimmed" },
	};
	for (size_t i = 0; i < sizeof rc / sizeof rc[0]; i++) {
		sbuf o;
		sbuf_init(&o);
		tui_respond_command(rc[i].in, &o);
		is_str(o.s ? o.s : "", rc[i].want, "respond command: %s", rc[i].what);
		sbuf_free(&o);
	}
	size_t n = strlen("arn:aws:sts::1:assumed-role/Admin/alice");
	const char *p = tui_short_principal("arn:aws:sts::1:assumed-role/Admin/alice", &n);
	char *shortp = xstrndup(p, n);
	is_str(shortp, "assumed-role/Admin/alice", "principal: role/session, no arn: prefix");
	free(shortp);
	n = 3;
	is_str(tui_short_principal("abc", &n), "abc", "principal: other text unchanged");
	/* a table's columns are as wide as their content, principals shortened; when they do
	 * not fit, the widest gives way first */
	char *cols[] = { "principal", "ip", "count" };
	char *cells[] = { "arn:aws:sts::111122223333:assumed-role/Admin/alice", "203.0.113.7", "17",
			  "arn:aws:iam::111122223333:user/bob", NULL, "3" };
	result r = { 0 };
	r.is_table = 1;
	r.cols = cols;
	r.ncols = 3;
	r.cells = cells;
	r.nrows = 2;
	tui_view v = { 0 };
	v.r = &r;
	sbuf o;
	sbuf_init(&o);
	tui_view_heading(NULL, &v, 50, &o);
	is_str(o.s, "principal                ip          count        ", "table heading by content");
	sbuf_reset(&o);
	tui_view_row(NULL, &v, 0, 50, &o);
	is_str(o.s, "assumed-role/Admin/alice 203.0.113.7 17           ", "table row: principal shortened");
	sbuf_reset(&o);
	tui_view_row(NULL, &v, 1, 30, &o);
	is_str(o.s, "user/bob     -           3    ", "narrow: the widest column is cut first");
	sbuf_reset(&o);
	tui_view_row(NULL, &v, 0, 30, &o);
	is_str(o.s, "assumed-rol\xe2\x80\xa6 203.0.113.7 17   ", "narrow: ... with an ellipsis");
	sbuf_free(&o);
	free(v.cw);
}

int main(void)
{
	test_firstkeys();
	test_window();
	test_mdwrap();
	test_fold();
	test_layout();
	test_cursor();
	test_cell();
	return tap_done();
}

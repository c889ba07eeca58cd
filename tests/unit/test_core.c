/* test_core.c — unit tests for interning, times, escaping, gunzip, the store and ingest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "esc.h"
#include "gunzip.h"
#include "ingest.h"
#include "ingest_walk.h"
#include "intern.h"
#include "output.h"
#include "store.h"
#include "tap.h"
#include "tgtime.h"

static void test_intern(void)
{
	intern *t = intern_new();
	uint32_t a = intern_add(t, "alpha", 5), b = intern_add(t, "beta", 4);
	ok(a == 1 && b == 2, "ids start at 1 and grow");
	is_int(intern_add(t, "alpha", 5), a, "same string, same id");
	is_int(intern_find(t, "beta", 4), b, "find existing");
	is_int(intern_find(t, "gamma", 5), 0, "find missing is 0");
	ok(intern_str(t, 0) == NULL, "id 0 is absent");
	uint32_t z = intern_add(t, "a\0b", 3);
	ok(z != intern_add(t, "a", 1) && intern_len(t, z) == 3, "embedded NUL kept");
	char buf[32];
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(buf, sizeof buf, "k%d", i);
		intern_add(t, buf, (size_t)n);
	}
	is_int(intern_count(t), 100000 + 5, "100k distinct strings after rehashes");
	int bad = 0;
	for (int i = 0; i < 100000; i += 997) {
		int n = snprintf(buf, sizeof buf, "k%d", i);
		uint32_t id = intern_find(t, buf, (size_t)n);
		if (!id || strcmp(intern_str(t, id), buf))
			bad++;
	}
	is_int(bad, 0, "strings survive rehash");
	char *big = malloc(3 << 20);
	memset(big, 'x', 3 << 20);
	uint32_t bid = intern_add(t, big, 3 << 20);
	ok(intern_len(t, bid) == (3u << 20) && memcmp(intern_str(t, bid), big, 3 << 20) == 0,
	   "a 3 MB string gets its own arena chunk");
	free(big);
	intern_free(&t);
	ok(t == NULL, "free nulls the pointer");
}

static void test_time(void)
{
	int64_t ms;
	char buf[32];
	ok(tgtime_parse("2014-03-06T21:22:54Z", 20, &ms) == 0 && ms == 1394140974000LL,
	   "CloudTrail eventTime");
	is_str(tgtime_format(ms, buf), "2014-03-06T21:22:54Z", "format round trip");
	ok(tgtime_parse("2026-11-20T02:13:07.5Z", 22, &ms) == 0, "fraction");
	is_str(tgtime_format(ms, buf), "2026-11-20T02:13:07.500Z", "fraction formats");
	ok(tgtime_parse("20131102T010628Z", 16, &ms) == 0, "basic form");
	is_str(tgtime_format(ms, buf), "2013-11-02T01:06:28Z", "basic form value");
	ok(tgtime_parse("2026-11-20", 10, &ms) == 0, "date only");
	is_str(tgtime_format(ms, buf), "2026-11-20T00:00:00Z", "midnight");
	ok(tgtime_parse("2026-11-20T02:13Z", 17, &ms) == 0, "minutes");
	ok(tgtime_parse("2026-11-20T04:13:00+02:00", 25, &ms) == 0 &&
		   strcmp(tgtime_format(ms, buf), "2026-11-20T02:13:00Z") == 0,
	   "offsets convert to UTC");
	ok(tgtime_parse("2026-13-01", 10, &ms) < 0, "month 13 rejected");
	ok(tgtime_parse("2026-11-20T", 11, &ms) < 0, "dangling T rejected");
	ok(tgtime_parse("2026-11-20Tx", 12, &ms) < 0, "junk rejected");
	ok(tgtime_parse("", 0, &ms) < 0, "empty rejected");
	ok(tgtime_parse("1969-12-31T23:59:59Z", 20, &ms) == 0 && ms == -1000, "before the epoch");
	is_str(tgtime_format(-1000, buf), "1969-12-31T23:59:59Z", "negative formats");
	ok(tgtime_duration("24h", 3, &ms) == 0 && ms == 86400000, "24h");
	ok(tgtime_duration("1h30m", 5, &ms) == 0 && ms == 5400000, "1h30m");
	ok(tgtime_duration("2w", 2, &ms) == 0 && ms == 14 * 86400000LL, "2w");
	ok(tgtime_duration("22222222200w", 12, &ms) < 0 && tgtime_duration("999999999999d", 13, &ms) < 0,
	   "durations that would overflow are rejected");
	ok(tgtime_duration("5x", 2, &ms) < 0 && tgtime_duration("h", 1, &ms) < 0, "bad durations");
	int64_t now = 1763604000000LL;
	ok(tgtime_user("-24h", 4, now, &ms) == 0 && ms == now - 86400000, "-24h");
	ok(tgtime_user("24h", 3, now, &ms) == 0 && ms == now - 86400000, "24h means ago");
	ok(tgtime_user("now", 3, now, &ms) == 0 && ms == now, "now");
}

static void test_esc(void)
{
	sbuf b;
	sbuf_init(&b);
	esc_term(&b, "a\x1b]0;pwned\x07z", 12);
	is_str(b.s, "a\\e]0;pwned\\x07z", "ESC and BEL escaped");
	sbuf_reset(&b);
	esc_term(&b, "\xc2\x9b" "31m", 5);
	is_str(b.s, "\\u{009b}31m", "C1 CSI escaped");
	sbuf_reset(&b);
	esc_term(&b, "x\xe2\x80\xaey", 5);
	is_str(b.s, "x\\u{202e}y", "bidi override escaped");
	sbuf_reset(&b);
	esc_term(&b, "\xff\xfe ok \xc3\xa9", 8);
	is_str(b.s, "\\xff\\xfe ok \xc3\xa9", "invalid UTF-8 shown as bytes, valid kept");
	sbuf_reset(&b);
	esc_term(&b, "back\\slash\nnl", 13);
	is_str(b.s, "back\\\\slash\\nnl", "backslash doubled so escapes are unambiguous");
	sbuf_reset(&b);
	esc_term_ascii(&b, "caf\xc3\xa9 \xff\xe2\x80\xae\x1b ok", 14);
	is_str(b.s, "caf\\u{e9} \\xff\\u{202e}\\e ok", "ASCII terminal: non-ASCII as \\u{..}/\\x..");
	sbuf_reset(&b);
	esc_term_ascii(&b, "\xf0\x9f\x98\x80\xc2\x9b\xc3", 7);
	is_str(b.s, "\\u{1f600}\\u{9b}\\xc3", "ASCII terminal: astral, C1, truncated sequence");
	sbuf_reset(&b);
	esc_term_ascii(&b, "plain \\ text", 12);
	is_str(b.s, "plain \\\\ text", "ASCII terminal: ASCII unchanged but the backslash");
	sbuf_reset(&b);
	esc_json(&b, "q\"\\\x01\xff", 5);
	is_str(b.s, "q\\\"\\\\\\u0001\\ufffd", "JSON escaping");
	sbuf_reset(&b);
	esc_json(&b, "a\xc2\x9b\xe2\x80\xae\x7f\xc3\xa9", 9);
	is_str(b.s, "a\\u009b\\u202e\\u007f\xc3\xa9", "JSON: C1, bidi and DEL escaped, é kept");
	sbuf_reset(&b);
	esc_csv(&b, "=cmd|' /C calc'!A0", 18);
	is_str(b.s, "\"'=cmd|' /C calc'!A0\"", "CSV formula injection defused");
	sbuf_reset(&b);
	esc_csv(&b, "a,\"b\"", 5);
	is_str(b.s, "\"a,\"\"b\"\"\"", "CSV quoting");
	ok(utf8_valid("\xe2\x82\xac", 3) && !utf8_valid("\xc0\xaf", 2) && !utf8_valid("\xed\xa0\x80", 3),
	   "UTF-8 validity: overlongs and surrogates rejected");
	is_int(esc_width("ab\xe4\xb8\xad", 5), 4, "wide characters count two columns");
	sbuf_free(&b);
}

static void gz(const char *in, size_t n, sbuf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	unsigned char buf[1 << 16];
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	int rc;
	do {
		z.next_out = buf;
		z.avail_out = sizeof buf;
		rc = deflate(&z, Z_FINISH);
		sbuf_add(out, buf, sizeof buf - z.avail_out);
	} while (rc != Z_STREAM_END);
	deflateEnd(&z);
}

static void test_gunzip(void)
{
	sbuf src, c, out;
	sbuf_init(&src);
	sbuf_init(&c);
	sbuf_init(&out);
	for (int i = 0; i < 20000; i++)
		sbuf_addf(&src, "{\"n\":%d}\n", i);
	gz(src.s, src.len, &c);
	size_t bad;
	const char *why;
	ok(gunzip_is_gz(c.s, c.len), "magic detected");
	ok(gunzip(c.s, c.len, 0, &out, &bad, &why) == 0 && out.len == src.len &&
		   memcmp(out.s, src.s, src.len) == 0,
	   "round trip");
	sbuf_reset(&out);
	ok(gunzip(c.s, c.len, src.len, &out, &bad, &why) == 0 && out.len == src.len,
	   "a limit of exactly the inflated size: whole");
	sbuf_reset(&out);
	ok(gunzip(c.s, c.len, src.len - 1, &out, &bad, &why) == GUNZIP_TOO_BIG &&
		   out.len <= src.len,
	   "one byte over the limit: refused, never more than the limit held");
	sbuf_reset(&out);
	ok(gunzip(c.s, c.len / 2, 1000, &out, &bad, &why) == GUNZIP_TOO_BIG && out.len <= 1000 + 65536,
	   "the salvage path (truncated) honours the limit too");
	sbuf two;
	sbuf_init(&two);
	sbuf_add(&two, c.s, c.len);
	sbuf_add(&two, c.s, c.len);
	sbuf_reset(&out);
	ok(gunzip(two.s, two.len, 0, &out, &bad, &why) == 0 && out.len == 2 * src.len,
	   "two members concatenate");
	sbuf_reset(&out);
	ok(gunzip(c.s, c.len / 2, 0, &out, &bad, &why) < 0 && strstr(why, "truncated") &&
		   out.len > 0 && out.len < src.len && memcmp(out.s, src.s, out.len) == 0,
	   "truncated: error, and the prefix is recovered (%zu bytes)", out.len);
	sbuf_reset(&out);
	c.s[c.len / 2] ^= 0x55;
	ok(gunzip(c.s, c.len, 0, &out, &bad, &why) < 0, "corrupted: error (%s)", why);
	sbuf_reset(&out);
	ok(gunzip("\x1f\x8b", 2, 0, &out, &bad, &why) < 0, "bare magic: error, no crash");
	sbuf_free(&src);
	sbuf_free(&c);
	sbuf_free(&out);
	sbuf_free(&two);
}

static void add(store *s, int64_t t, const char *ev, const char *id)
{
	const char *strs[COL_NFIXED] = { 0 };
	size_t lens[COL_NFIXED] = { 0 };
	strs[COL_EVENT] = ev;
	lens[COL_EVENT] = strlen(ev);
	strs[COL_EVENTID] = id;
	lens[COL_EVENTID] = id ? strlen(id) : 0;
	store_add(s, t, strs, lens, 0, (uint64_t)t, 1);
}

static void test_store(void)
{
	store *a = store_new(), *b = store_new();
	add(a, 30, "C", "e3");
	add(a, 10, "A", "e1");
	add(a, 20, "B", "e2");
	add(b, 20, "B", "e2"); /* a duplicate delivery */
	add(b, 10, "X", "e4");
	add(b, 10, "Y", NULL); /* no eventID: never a duplicate */
	store_piece pc[2] = { { b, 0, 1 }, { b, 1, b->n } };
	store_append(a, pc, 2, 3);
	is_int(a->n, 6, "six events after merge");
	is_int(store_sort(a), 1, "one duplicate dropped by eventID");
	is_int(a->n, 5, "five events after dedupe");
	ok(a->time[0] == 10 && a->time[4] == 30, "sorted by time");
	size_t n;
	is_str(store_val(a, COL_EVENT, 0, &n), "A", "ties keep insertion order (1)");
	is_str(store_val(a, COL_EVENT, 1, &n), "X", "ties keep insertion order (2)");
	is_str(store_val(a, COL_EVENT, 2, &n), "Y", "ties keep insertion order (3)");
	ok(store_val(a, COL_ERROR, 0, &n) == NULL, "absent column value is NULL");
	ok(a->tmin == 10 && a->tmax == 30, "time range");
	is_int(store_col_find(a, "eventName"), COL_EVENT, "fixed column by path");
	is_int(store_col_find(a, "requestParameters.x"), -1, "unknown path has no column yet");
	store_keep_window(a, 15, 25);
	ok(a->n == 1 && a->time[0] == 20, "keep window trims both ends");
	store_free(&a);
	store_free(&b);

	/* A big store sorts correctly through several radix passes. */
	store *s = store_new();
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		add(s, (int64_t)(x % 4000000000000ull), "E", NULL);
	}
	store_sort(s);
	int sorted = 1;
	for (size_t i = 1; i < s->n; i++)
		if (s->time[i] < s->time[i - 1])
			sorted = 0;
	ok(sorted, "200k random times sorted");
	store_free(&s);
}

static void test_walk_dates(void)
{
	int64_t from, to;
	char buf[32];
	ok(walk_date_dir("x/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20", &from, &to) == 0,
	   "day folder recognised");
	is_str(tgtime_format(from, buf), "2026-11-20T00:00:00Z", "day folder start");
	is_str(tgtime_format(to, buf), "2026-11-21T00:00:00Z", "day folder end");
	ok(walk_date_dir("AWSLogs/o-abc/1/CloudTrail/eu-west-1/2026/12", &from, &to) == 0 &&
		   strcmp(tgtime_format(to, buf), "2027-01-01T00:00:00Z") == 0,
	   "month folder rolls over the year");
	ok(walk_date_dir("AWSLogs/1/CloudTrail/eu-west-1", &from, &to) < 0, "region folder is not a date");
	ok(walk_date_dir("photos/2026/11/20", &from, &to) < 0, "dates outside CloudTrail/ ignored");
}

/* principal: arn, else invokedBy for AWSService or an identity without a type, else
 * principalId, else accountId. */
static void test_principal(void)
{
	const char *doc =
		"{\"Records\":[\n"
		"{\"userIdentity\":{\"invokedBy\":\"backup.amazonaws.com\"},"
		"\"eventTime\":\"2026-11-20T01:00:00Z\",\"eventName\":\"A\",\"eventID\":\"p1\"},\n"
		"{\"userIdentity\":{\"type\":\"\",\"invokedBy\":\"s3.amazonaws.com\",\"principalId\":\"X\"},"
		"\"eventTime\":\"2026-11-20T01:00:01Z\",\"eventName\":\"B\",\"eventID\":\"p2\"},\n"
		"{\"userIdentity\":{\"principalId\":\"AIDANOTYPE\",\"accountId\":\"1\"},"
		"\"eventTime\":\"2026-11-20T01:00:02Z\",\"eventName\":\"C\",\"eventID\":\"p3\"},\n"
		"{\"userIdentity\":{\"type\":\"IAMUser\",\"invokedBy\":\"console.amazonaws.com\","
		"\"principalId\":\"AIDAUSER\"},"
		"\"eventTime\":\"2026-11-20T01:00:03Z\",\"eventName\":\"D\",\"eventID\":\"p4\"},\n"
		"{\"userIdentity\":{\"type\":\"AWSService\",\"accountId\":\"2\"},"
		"\"eventTime\":\"2026-11-20T01:00:04Z\",\"eventName\":\"E\",\"eventID\":\"p5\"}\n"
		"]}";
	store *s = store_new();
	store_file f = { .path = "mem.json" };
	uint32_t fi = store_add_file(s, &f);
	ingest_opts o;
	ingest_opts_init(&o);
	ingest_stats st;
	memset(&st, 0, sizeof st);
	ingest_buffer(s, fi, "mem.json", doc, strlen(doc), &o, &st, &s->files[fi]);
	store_sort(s);
	size_t n;
	is_int((int)s->n, 5, "five events");
	is_str(store_val(s, COL_PRINCIPAL, 0, &n), "backup.amazonaws.com",
	       "no type, only invokedBy: the service");
	is_str(store_val(s, COL_PRINCIPAL, 1, &n), "s3.amazonaws.com",
	       "an empty type is no type: invokedBy before principalId");
	is_str(store_val(s, COL_PRINCIPAL, 2, &n), "AIDANOTYPE", "no type, no invokedBy: principalId");
	is_str(store_val(s, COL_PRINCIPAL, 3, &n), "AIDAUSER",
	       "a typed identity with invokedBy is still its principalId");
	is_str(store_val(s, COL_PRINCIPAL, 4, &n), "2", "AWSService without invokedBy: accountId");
	store_free(&s);
}

static void test_ingest_buffer(void)
{
	const char *doc =
		"{\"Records\":[\n"
		"{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/a\","
		"\"accountId\":\"1\",\"accessKeyId\":\"AKIA1\"},\"eventTime\":\"2026-11-20T02:13:07Z\","
		"\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\",\"awsRegion\":\"us-east-1\","
		"\"sourceIPAddress\":\"203.0.113.9\",\"eventID\":\"id-1\",\"readOnly\":false,"
		"\"recipientAccountId\":\"1\"},\n"
		"{\"eventName\":\"NoTime\",\"eventID\":\"id-2\"},\n"
		"{\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"lambda.amazonaws.com\"},"
		"\"eventTime\":\"2026-11-20T01:00:00Z\",\"eventName\":\"Invoke\",\"eventID\":\"id-3\"},\n"
		"{\"userIdentity\":{\"type\":\"AWSAccount\",\"principalId\":\"AIDAX\",\"accountId\":\"999\"},"
		"\"eventTime\":\"2026-11-20T02:13:07Z\",\"eventName\":\"CreateUser\",\"eventID\":\"id-1\"}\n"
		"]}";
	store *s = store_new();
	store_file f = { .path = "mem.json" };
	uint32_t fi = store_add_file(s, &f);
	ingest_opts o;
	ingest_opts_init(&o);
	char *wbuf = NULL;
	size_t wlen = 0;
	o.warn = open_memstream(&wbuf, &wlen);
	ingest_stats st;
	memset(&st, 0, sizeof st);
	ingest_buffer(s, fi, "mem.json", doc, strlen(doc), &o, &st, &s->files[fi]);
	fclose(o.warn);
	st.duplicates = store_sort(s);
	st.events = s->n;
	is_int(st.records, 4, "four records seen");
	is_int(s->n, 2, "two events kept");
	is_int(st.skipped[SKIP_NOTIME], 1, "one without eventTime");
	is_int(st.duplicates, 1, "repeated eventID within a file dropped");
	ok(wbuf && strstr(wbuf, "mem.json: byte ") && strstr(wbuf, "no eventTime"),
	   "warning names file, byte offset and reason");
	size_t n;
	is_str(store_val(s, COL_PRINCIPAL, 1, &n), "arn:aws:iam::1:user/a", "principal from arn");
	is_str(store_val(s, COL_PRINCIPAL, 0, &n), "lambda.amazonaws.com",
	       "principal for AWSService is invokedBy");
	is_str(store_val(s, COL_READONLY, 1, &n), "false", "readOnly false");
	is_str(store_val(s, COL_ACCOUNT, 0, &n), NULL, "no account when neither is present");
	is_int(s->files[fi].fmt, JFMT_RECORDS, "format recorded");
	sbuf sum;
	sbuf_init(&sum);
	ingest_summary(&st, &sum);
	is_str(sum.s, "2 events from 0 files (1 duplicates dropped; 1 record skipped: 1 without a usable eventTime)",
	       "summary line");
	sbuf_free(&sum);
	free(wbuf);
	store_free(&s);
}

static void test_json_line(void)
{
	sbuf b;
	sbuf_init(&b);
	output_json_line(&b, "{\"a\":\n\"x\xff\\\"y\"}", 15);
	is_str(b.s, "{\"a\": \"x\\ufffd\\\"y\"}", "newline between tokens and bad UTF-8 fixed");
	/* the eight-bytes-at-a-time check: a plain record is copied as it is, and a special
	 * byte at any position (every offset of a 16-byte word pair, and the tail) is seen */
	sbuf_reset(&b);
	output_json_line(&b, "{\"k\":\"a\\\"b\",\"n\":1}", 18);
	is_str(b.s, "{\"k\":\"a\\\"b\",\"n\":1}", "plain record copied");
	const char specials[] = { '\n', '\r', 0x7f, (char)0xc2 };
	int all = 1;
	for (int sp = 0; sp < 4; sp++)
		for (int at = 2; at < 19; at++) {
			char rec[21] = "{\"k\":\"abcdefghijkl\"}";
			rec[at] = specials[sp];
			sbuf_reset(&b);
			output_json_line(&b, rec, 20);
			all &= b.len != 20 || memcmp(b.s, rec, 20) != 0;
		}
	ok(all, "a line break, DEL or non-ASCII byte at any offset is rewritten");
	sbuf_free(&b);
}

/* store_append_sort (the load's one-pass merge and sort) must leave exactly what
 * store_append then store_sort leave: order, duplicates, values, per-file counts. */
static void test_append_sort(void)
{
	store *src[2] = { store_new(), store_new() };
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char ev[16], id[16];
	for (int i = 0; i < 30000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		store *s = src[(x >> 20) & 1];
		int64_t t = 1700000000000 + (int64_t)(x % 600) * 1000; /* many equal times */
		snprintf(ev, sizeof ev, "E%u", (unsigned)(x >> 40) % 37);
		snprintf(id, sizeof id, "id%u", (unsigned)(x >> 24) % 20000); /* some repeat */
		const char *strs[COL_NFIXED] = { 0 };
		size_t lens[COL_NFIXED] = { 0 };
		strs[COL_EVENT] = ev, lens[COL_EVENT] = strlen(ev);
		if ((x >> 50) % 9) /* some events have no eventID */
			strs[COL_EVENTID] = id, lens[COL_EVENTID] = strlen(id);
		store_add(s, t, strs, lens, (uint32_t)(i / 100), (uint64_t)i, 7);
	}
	/* pieces as a load makes them: runs of each source, alternating */
	store_piece pc[64];
	size_t np = 0, at[2] = { 0, 0 };
	while (at[0] < src[0]->n || at[1] < src[1]->n) {
		int k = np % 2;
		size_t to = at[k] + 997 < src[k]->n ? at[k] + 997 : src[k]->n;
		if (to > at[k])
			pc[np++] = (store_piece){ src[k], at[k], to };
		at[k] = to;
	}
	store *a = store_new(), *b = store_new();
	for (int f = 0; f < 300; f++) {
		store_file sf = { .path = "f", .events = 1000 };
		store_add_file(a, &sf);
		store_add_file(b, &sf);
	}
	store_append(a, pc, np, 2);
	size_t da = store_sort(a);
	double ts = -1;
	size_t db = store_append_sort(b, pc, np, src, 2, 2, &ts);
	ok(da > 0, "the data has duplicates");
	is_int((int)db, (int)da, "as many duplicates dropped");
	is_int((int)b->n, (int)a->n, "as many events");
	int same = b->n == a->n && b->tmin == a->tmin && b->tmax == a->tmax;
	for (size_t i = 0; same && i < a->n; i++) {
		same = a->time[i] == b->time[i] && a->file[i] == b->file[i] &&
		       a->off[i] == b->off[i] && a->len[i] == b->len[i];
		for (int c = 0; same && c < COL_NFIXED; c++) {
			size_t la = 0, lb = 0;
			const char *va = store_val(a, c, i, &la), *vb = store_val(b, c, i, &lb);
			same = (!va && !vb) || (va && vb && la == lb && memcmp(va, vb, la) == 0);
		}
	}
	ok(same, "same events, same order, same values");
	for (int f = 0; same && f < 300; f++)
		same = a->files[f].events == b->files[f].events;
	ok(same, "same per-file counts");
	ok(ts >= 0, "sort time reported");
	store_free(&src[0]);
	store_free(&src[1]);
	size_t n;
	ok(store_val(b, COL_EVENTID, 0, &n) != NULL || b->n == 0,
	   "eventIDs outlive the sources they came from");
	store_free(&a);
	store_free(&b);
}

int main(void)
{
	test_intern();
	test_time();
	test_esc();
	test_gunzip();
	test_store();
	test_append_sort();
	test_walk_dates();
	test_ingest_buffer();
	test_principal();
	test_json_line();
	return tap_done();
}

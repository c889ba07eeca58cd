/* test_stages.c — the window, the investigation stages (first-seen, dormant, spike,
 * sequence), @lists in queries, and their parse errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jframe.h"
#include "lists.h"
#include "query.h"
#include "tap.h"
#include "tgtime.h"

#define MIN 60000LL
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

static int64_t T0; /* 2026-11-20T00:00:00Z: the window's start in these tests */

/* One event: time offset, label (stored as eventID), event, principal, region, key, raw. */
typedef struct ev {
	int64_t t;
	const char *id, *event, *principal, *region, *key, *raw;
} ev;

static char rawpaths[8][256];
static int nraw;

/* A store of the events (in time order), with a raw NDJSON file for path columns. */
static store *mkstore(const ev *e, size_t n)
{
	store *s = store_new();
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *path = rawpaths[nraw++ % 8];
	snprintf(path, 256, "%s/test_stages_XXXXXX", tmp);
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	uint64_t *offs = xmalloc((n ? n : 1) * sizeof *offs);
	for (size_t i = 0; i < n; i++) {
		offs[i] = (uint64_t)ftell(fp);
		fprintf(fp, "%s\n", e[i].raw ? e[i].raw : "{}");
	}
	fclose(fp);
	struct stat st;
	stat(path, &st);
	store_file f = {.path = path, .fmt = JFMT_NDJSON, .size = (uint64_t)st.st_size,
			.mtime = (int64_t)st.st_mtime, .events = n};
	uint32_t fi = store_add_file(s, &f);
	for (size_t i = 0; i < n; i++) {
		const char *c[COL_NFIXED] = {0};
		size_t lens[COL_NFIXED] = {0};
		c[COL_EVENT] = e[i].event;
		c[COL_PRINCIPAL] = e[i].principal;
		c[COL_REGION] = e[i].region;
		c[COL_KEY] = e[i].key;
		c[COL_EVENTID] = e[i].id;
		for (int k = 0; k < COL_NFIXED; k++)
			lens[k] = c[k] ? strlen(c[k]) : 0;
		store_add(s, T0 + e[i].t, c, lens, fi, offs[i],
			  (uint32_t)strlen(e[i].raw ? e[i].raw : "{}"));
	}
	free(offs);
	return s;
}

static qctx C;
static char out[8192];

/* Run q over s: events as their labels "a1,b2", tables as "c|d;1|2", errors as
 * "error@COL: msg" (parse) or "runerror@COL: msg". */
static const char *run(store *s, const char *text)
{
	qerr e;
	query *q = query_parse(text, &e);
	if (!q) {
		snprintf(out, sizeof out, "error@%d: %s", e.col, e.msg);
		return out;
	}
	result *r = query_run(q, s, &C, &e);
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, "", 0);
	if (!r) {
		sbuf_addf(&b, "runerror@%d: %s", e.col, e.msg);
	} else if (!r->is_table) {
		for (size_t i = 0; i < r->n; i++) {
			const char *id = store_val(s, COL_EVENTID, r->idx[i], NULL);
			sbuf_addf(&b, "%s%s", i ? "," : "", id ? id : "?");
		}
	} else {
		for (int c = 0; c < r->ncols; c++)
			sbuf_addf(&b, "%s%s", c ? "|" : "", r->cols[c]);
		for (size_t i = 0; i < r->nrows; i++) {
			sbuf_addc(&b, ';');
			for (int c = 0; c < r->ncols; c++) {
				const char *v = r->cells[i * (size_t)r->ncols + (size_t)c];
				sbuf_addf(&b, "%s%s", c ? "|" : "", v ? v : "-");
			}
		}
	}
	snprintf(out, sizeof out, "%s", b.s);
	sbuf_free(&b);
	result_free(&r);
	query_free(&q);
	return out;
}

#define Q(s, text, want) is_str(run(s, text), want, "%s", text)

static void window(int64_t since, int64_t until)
{
	qctx_init(&C);
	C.now = T0 + DAY;
	C.since = since;
	C.until = until;
}

static const ev lookback_evs[] = {
	{-20 * DAY, "a1", "ListBuckets", "alice", "us-east-1", NULL, NULL},
	{-20 * DAY, "b1", "ListBuckets", "bob", "us-east-1", NULL, NULL},
	{-10 * DAY, "a2", "ListBuckets", "alice", "us-east-1", NULL, NULL},
	{-1, "d1", "ListBuckets", "dave", "us-east-1", NULL, NULL},
	{0, "c1", "ListBuckets", "carol", "us-east-1", NULL, NULL},
	{0, "d2", "ListBuckets", "dave", "us-east-1", NULL, NULL},
	{1 * HOUR, "a3", "ListBuckets", "alice", "us-east-1", NULL, NULL},
	{2 * HOUR, "a4", "GetObject", "alice", "eu-west-1", NULL, NULL},
	{3 * HOUR, "a5", "GetObject", "alice", "eu-west-1", NULL, NULL},
	{4 * HOUR, "b2", "ListBuckets", "bob", "us-east-1", NULL, NULL},
	{5 * HOUR, "n1", "ListBuckets", NULL, "us-east-1", NULL, NULL},
	{DAY, "u1", "ListBuckets", "frank", "us-east-1", NULL, NULL},
	{2 * DAY, "x1", "ListBuckets", "eve", "us-east-1", NULL, NULL},
};

static void test_window_lookback(void)
{
	store *s = mkstore(lookback_evs, sizeof lookback_evs / sizeof lookback_evs[0]);
	window(T0, T0 + DAY);
	Q(s, "", "c1,d2,a3,a4,a5,b2,n1,u1");
	Q(s, "principal = alice", "a3,a4,a5");
	Q(s, "| head 2", "c1,d2");
	window(TG_TIME_NONE, T0 - 1);
	Q(s, "", "a1,b1,a2,d1");
	window(TG_TIME_NONE, TG_TIME_NONE);
	Q(s, "| head 3", "a1,b1,a2");
	Q(s, "| first-seen principal baseline 1d",
	  "runerror@2: first-seen needs a window: give a start time (--since, or a runbook's window)");
	Q(s, "| dormant principal for 1d",
	  "runerror@2: dormant needs a window: give a start time (--since, or a runbook's window)");
	Q(s, "| spike bin(1h)",
	  "runerror@2: spike needs a window: give a start time (--since, or a runbook's window)");

	window(T0, T0 + DAY);
	Q(s, "| first-seen principal, region baseline 14d", "c1,a4,b2,u1");
	Q(s, "| first-seen principal, region baseline 30d", "c1,a4,u1");
	Q(s, "| first-seen principal baseline 14d", "c1,b2,u1");
	Q(s, "| first-seen principal baseline 1ms", "c1,a3,b2,u1");
	Q(s, "region = us-east-1 | first-seen principal baseline 14d | head 1", "c1");
	Q(s, "| first-seen principal, event baseline 14d | fields principal", "c1,a4,b2,u1");
	Q(s, "| dormant principal for 7d", "a3,b2");
	Q(s, "| dormant principal for 15d", "b2");
	Q(s, "| dormant principal for 1ms", "d2,a3,b2");
	Q(s, "| dormant principal, region for 7d", "a3,b2");
	Q(s, "| first-seen nosuch.path baseline 1d", "");
	/* the window start excludes the edge event exactly at since - 1 ms */
	window(T0 - 1, T0 + DAY);
	Q(s, "| first-seen principal baseline 14d", "d1,c1,b2,u1");
	window(T0 + 1, T0 + DAY);
	Q(s, "| first-seen principal baseline 14d", "b2,u1");
	Q(s, "| dormant principal for 7d", "a3,b2");
	store_free(&s);

	qerr e;
	static const struct {
		const char *q;
		int64_t lb;
	} lbs[] = {
		{"event = x", 0},
		{"| first-seen principal baseline 14d", 14 * DAY},
		{"| dormant principal for 7d", 30 * DAY},
		{"| dormant principal for 20d", 40 * DAY},
		{"| spike bin(1h)", 7 * DAY},
		{"| spike bin(1h) baseline 3d | filter z > 5", 3 * DAY},
		{"| first-seen a baseline 2d | spike bin(1h) baseline 1d", 2 * DAY},
	};
	for (size_t i = 0; i < sizeof lbs / sizeof lbs[0]; i++) {
		query *q = query_parse(lbs[i].q, &e);
		is_int(query_lookback(q), lbs[i].lb, "query_lookback(%s)", lbs[i].q);
		query_free(&q);
	}
	ok(query_lookback(NULL) == 0, "query_lookback(NULL)");
}

static void test_spike(void)
{
	static ev evs[400];
	size_t n = 0;
	char labels[400][8];
#define ADD(T, P)                                                                          \
	do {                                                                               \
		snprintf(labels[n], sizeof labels[n], "e%zu", n);                          \
		evs[n] = (ev){(T), labels[n], "Decrypt", (P), "us-east-1", NULL, NULL};    \
		n++;                                                                       \
	} while (0)
	/* baseline: [T0 - 1d, T0); p: one per hour; r: two in even hours; w: six in one hour */
	for (int h = 24; h >= 1; h--) {
		ADD(-h * HOUR + 5 * MIN, "p");
		if (h % 2 == 0) {
			ADD(-h * HOUR + 6 * MIN, "r");
			ADD(-h * HOUR + 7 * MIN, "r");
		}
		if (h == 5)
			for (int k = 0; k < 6; k++)
				ADD(-h * HOUR + 10 * MIN + k, "w");
	}
	/* window */
	for (int k = 0; k < 4; k++)
		ADD(1 * HOUR + k * MIN, "q");
	for (int k = 0; k < 5; k++)
		ADD(2 * HOUR + k * MIN, "p");
	for (int k = 0; k < 5; k++)
		ADD(2 * HOUR + 30 * MIN + k, "w");
	for (int k = 0; k < 6; k++)
		ADD(3 * HOUR + k * MIN, "r");
	for (int k = 0; k < 3; k++)
		ADD(5 * HOUR + k * MIN, "p");
#undef ADD
	store *s = mkstore(evs, n);
	window(T0, T0 + DAY);
	Q(s, "| spike by principal, bin(1h) baseline 1d",
	  "principal|time|count|baseline_mean|baseline_sd|z"
	  ";q|2026-11-20T01:00:00Z|4|0|0|4"
	  ";p|2026-11-20T02:00:00Z|5|1|0|4"
	  ";w|2026-11-20T02:00:00Z|5|0.25|1.2|3.96"
	  ";r|2026-11-20T03:00:00Z|6|1|1|5");
	Q(s, "| spike by principal, bin(1h) baseline 1d z > 4",
	  "principal|time|count|baseline_mean|baseline_sd|z;r|2026-11-20T03:00:00Z|6|1|1|5");
	Q(s, "| spike by principal, bin(1h) baseline 1d z > 1.5 | filter principal = p",
	  "principal|time|count|baseline_mean|baseline_sd|z"
	  ";p|2026-11-20T02:00:00Z|5|1|0|4;p|2026-11-20T05:00:00Z|3|1|0|2");
	Q(s, "principal = p | spike bin(1h) baseline 1d | fields time, z",
	  "time|z;2026-11-20T02:00:00Z|4");
	/* total over everyone: baseline 24+24+6 = 54 in 24 buckets */
	Q(s, "| spike bin(1h) baseline 1d z > 2 | fields count, baseline_mean",
	  "count|baseline_mean;10|2.25;6|2.25");
	/* baseline 2d: the first day has no events, empty buckets count as zero */
	Q(s, "principal = p | spike bin(1h) baseline 2d z > 3 | fields count, baseline_mean, baseline_sd, z",
	  "count|baseline_mean|baseline_sd|z;5|0.5|0.5|4.5");
	/* an empty baseline: mean 0, sd 0, z = count */
	window(T0 + HOUR, T0 + DAY);
	Q(s, "principal = q | spike bin(1h) baseline 1h z > 3", "time|count|baseline_mean|baseline_sd|z;2026-11-20T01:00:00Z|4|0|0|4");
	Q(s, "| spike by principal, bin(1h) | sort z desc | head 1 | fields principal",
	  "principal;r");
	store_free(&s);
}

static const ev seq_evs[] = {
	{1 * MIN, "s1", "CreateAccessKey", "mallory", "us-east-1", "AKIAMAL",
	 "{\"responseElements\":{\"accessKey\":{\"accessKeyId\":\"AKIANEW\"}}}"},
	{2 * MIN, "l1", "AssumeRole", "legacy", "us-east-1", "AKIAOLD",
	 "{\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAOLD\"}}}"},
	{3 * MIN, "l2", "GetSecretValue", "legacy-role", "us-east-1", "ASIAOLD", NULL},
	{5 * MIN, "s2", "AssumeRole", "etl", "us-east-1", "AKIANEW",
	 "{\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIATMP\"}}}"},
	{10 * MIN, "s3", "GetSecretValue", "etl-role", "us-east-1", "ASIATMP", NULL},
	{11 * MIN, "s5", "GetSecretValue", "app-role", "us-east-1", "ASIAOTHER", NULL},
	{12 * MIN, "s4", "GetSecretValue", "etl-role", "us-east-1", "ASIATMP", NULL},
	{20 * MIN, "t1", "StopLogging", "vs", "us-east-1", NULL, NULL},
	{25 * MIN, "t2", "StartLogging", "vs", "us-east-1", NULL, NULL},
	{40 * MIN, "t3", "StopLogging", "vs2", "us-east-1", NULL, NULL},
	{45 * MIN, "t4", "StartLogging", "other", "us-east-1", NULL, NULL},
	{50 * MIN, "s6", "GetSecretValue", "etl-role", "us-east-1", "ASIATMP", NULL},
	{60 * MIN, "t5", "StopLogging", "vs", "us-east-1", NULL, NULL},
	{70 * MIN, "t7", "DeleteTrail", "vs", "us-east-1", NULL, NULL},
	{75 * MIN, "t6", "StartLogging", "vs", "us-east-1", NULL, NULL},
};

static void test_sequence(void)
{
	store *s = mkstore(seq_evs, sizeof seq_evs / sizeof seq_evs[0]);
	window(TG_TIME_NONE, TG_TIME_NONE);
	const char *chain =
		"| sequence within 30m: [event = CreateAccessKey] then responseElements.accessKey.accessKeyId"
		" -> [event = AssumeRole] by key then responseElements.credentials.accessKeyId"
		" -> [event = GetSecretValue] by key";
	Q(s, chain, "s1,s2,s3,s4");
	Q(s, "| sequence within 10m: [event = CreateAccessKey] then responseElements.accessKey.accessKeyId"
	     " -> [event = AssumeRole] by key then responseElements.credentials.accessKeyId"
	     " -> [event = GetSecretValue] by key",
	  "s1,s2,s3");
	Q(s, "| sequence within 30m: [event = AssumeRole] then responseElements.credentials.accessKeyId"
	     " -> [event = GetSecretValue] by key | fields event",
	  "l1,l2,s2,s3,s4");
	Q(s, "| sequence by principal within 10m: [event = StopLogging] -> not [event = StartLogging]",
	  "t3,t5");
	Q(s, "| sequence by principal within 1h: [event = StopLogging] -> not [event = StartLogging]",
	  "t3");
	Q(s, "| sequence by principal within 1h: [event = StopLogging] -> not [event = StartLogging]"
	     " -> [event = DeleteTrail]",
	  "t5,t7");
	Q(s, "| sequence within 1h: [event = StopLogging] -> not [event = StartLogging]", "");
	Q(s, "| sequence within 2m: [event = CreateAccessKey] -> []", "s1,l1,l2"); /* inclusive */
	Q(s, "| sequence within 119s: [event = CreateAccessKey] -> []", "s1,l1");
	Q(s, "| sequence within 119s: [event = CreateAccessKey] -> [] -> [event = GetSecretValue]", "");
	Q(s, "| sequence within 3m: [event = CreateAccessKey] -> [] -> [event = GetSecretValue]",
	  "s1,l1,l2");
	Q(s, "| sequence by principal within 1h: [event = StopLogging] -> [event = StopLogging]",
	  "t1,t5");
	/* the window clips before the stage */
	window(T0 + 30 * MIN, TG_TIME_NONE);
	Q(s, "| sequence by principal within 1h: [event = StopLogging] -> [event = StopLogging]", "");
	Q(s, "| sequence by principal within 1h: [event = StopLogging] -> not [event = StartLogging]"
	     " -> [event = DeleteTrail]",
	  "t5,t7");
	window(TG_TIME_NONE, TG_TIME_NONE);
	Q(s, "| sequence by time within 1h: [] -> []",
	  "runerror@14: a sequence cannot join on the time");
	store_free(&s);

	/* hostile: thousands of look-alike events in one window stay bounded */
	size_t n = 20000;
	ev *h = xcalloc(n, sizeof *h);
	for (size_t i = 0; i < n; i++)
		h[i] = (ev){(int64_t)i, "h", "GetObject", "p", "us-east-1", NULL, NULL};
	s = mkstore(h, n);
	double t0 = now_mono();
	qerr e;
	query *q = query_parse("| sequence by principal within 1h: [] -> [] -> [] -> []", &e);
	result *r = query_run(q, s, &C, &e);
	double dt = now_mono() - t0;
	ok(r && r->n > 0, "hostile sequence returns (%zu events)", r ? r->n : 0);
	ok(dt < 5, "hostile sequence is bounded (%.2f s)", dt);
	result_free(&r);
	query_free(&q);
	store_free(&s);
	free(h);
}

static const ev thr_evs[] = {
	{0 * MIN, "a1", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
	{1 * MIN, "b1", "ConsoleLogin", "bob", "us-east-1", NULL, NULL},
	{2 * MIN, "a2", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
	{4 * MIN, "a3", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
	{5 * MIN, "n1", "ConsoleLogin", NULL, "us-east-1", NULL, NULL},
	{6 * MIN, "a4", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
	{7 * MIN, "b2", "ConsoleLogin", "bob", "us-east-1", NULL, NULL},
	{8 * MIN, "n2", "ConsoleLogin", NULL, "us-east-1", NULL, NULL},
	{20 * MIN, "a5", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
	{30 * MIN, "a6", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
	{31 * MIN, "a7", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
	{35 * MIN, "a8", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
	{40 * MIN, "a9", "ConsoleLogin", "alice", "us-east-1", NULL, NULL},
};

/* threshold: every event of a window of D holding more than N events of one key. */
static void test_threshold(void)
{
	store *s = mkstore(thr_evs, sizeof thr_evs / sizeof thr_evs[0]);
	window(TG_TIME_NONE, TG_TIME_NONE);
	Q(s, "| threshold count() > 2 within 5m by principal", "a1,a2,a3,a4,a6,a7,a8");
	Q(s, "| threshold count() > 2 within 4m by principal", "a1,a2,a3,a4");
	Q(s, "| threshold count() > 2 within 3m by principal", "");
	Q(s, "| threshold count() >= 3 within 10m by principal", "a1,a2,a3,a4,a6,a7,a8,a9");
	Q(s, "| threshold count() > 3 within 10m by principal", "a1,a2,a3,a4,a6,a7,a8,a9");
	Q(s, "| threshold count() > 4 within 10m by principal", "");
	Q(s, "| threshold count() > 1 within 6m by principal", "a1,b1,a2,a3,a4,b2,a6,a7,a8,a9");
	Q(s, "| threshold count() > 7 within 8m", "a1,b1,a2,a3,n1,a4,b2,n2");
	Q(s, "| threshold count() > 8 within 8m", "");
	Q(s, "| threshold count() >= 1 within 1ms by principal, region",
	  "a1,b1,a2,a3,a4,b2,a5,a6,a7,a8,a9");
	Q(s, "| threshold by principal count() > 2 within 4m", "a1,a2,a3,a4");
	Q(s, "principal = alice | threshold count() > 2 within 4m | stats count()", "count;4");
	Q(s, "| threshold count() > 2 within 5m by principal | stats count() by principal",
	  "principal|count;alice|7");
	/* the window clips before the stage */
	window(T0 + 2 * MIN, TG_TIME_NONE);
	Q(s, "| threshold count() > 2 within 4m by principal", "a2,a3,a4");
	window(TG_TIME_NONE, TG_TIME_NONE);
	Q(s, "| threshold count > 2 within 5m", "error@18: expected 'count()' in threshold");
	Q(s, "| threshold count() = 2 within 5m",
	  "error@20: expected '>' or '>=' after 'count()', not '='");
	Q(s, "| threshold count() > 2.5 within 5m",
	  "error@22: expected a whole number of events after '>', not '2.5'");
	Q(s, "| threshold count() > 2 by principal",
	  "error@24: expected 'within DURATION' in threshold, not 'by'");
	Q(s, "| threshold count() > 2 within 5x", "error@31: bad duration '5x' (expected e.g. 90s, 15m, 1h, 1d)");
	Q(s, "| threshold count() > 2 within 5m principal",
	  "error@34: expected 'by FIELD', '|' or the end of the query, not 'principal'");
	Q(s, "| threshold principal", "error@12: expected 'count() > N' after 'threshold', not 'principal'");
	Q(s, "| stats count() by principal | threshold count() > 1 within 1m",
	  "error@31: threshold needs events, but an earlier stage made a table");
	store_free(&s);
}

/* A sequence takes up to QUERY_MAX_STEPS (64) steps. */
static void test_sequence_steps(void)
{
	store *s = mkstore(thr_evs, sizeof thr_evs / sizeof thr_evs[0]);
	window(TG_TIME_NONE, TG_TIME_NONE);
	sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, "| sequence by principal within 1h: [event = ConsoleLogin]");
	for (int i = 1; i < 9; i++)
		sbuf_adds(&b, " -> []");
	Q(s, b.s, "a1,a2,a3,a4,a5,a6,a7,a8,a9");
	sbuf_reset(&b);
	sbuf_adds(&b, "| sequence within 1h: []");
	for (int i = 1; i < 64; i++)
		sbuf_adds(&b, " -> []");
	Q(s, b.s, "");
	sbuf_adds(&b, " -> []");
	ok(strstr(run(s, b.s), "too many steps in the sequence (at most 64)") != NULL,
	   "65 steps: too many");
	sbuf_free(&b);
	store_free(&s);
}

static void list_name(void *ud, const char *name, int col)
{
	sbuf_addf(ud, "%s@%d;", name, col);
}

static void test_lists(void)
{
	store *s = mkstore(lookback_evs, sizeof lookback_evs / sizeof lookback_evs[0]);
	char base[256], p[512];
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(base, sizeof base, "%s/test_stages_XXXXXX", tmp);
	if (!mkdtemp(base)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(p, sizeof p, "%s/lists", base);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/lists/admins", base);
	FILE *f = fopen(p, "w");
	fputs("alice | owner=sec | reason=admin\n"
	      "b* | owner=sec | reason=b people\n"
	      "carol | owner=sec | reason=gone | expires=2026-11-01\n", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/lists/regions", base);
	f = fopen(p, "w");
	fputs("eu-* | owner=sec | reason=eu\n", f);
	fclose(f);
	char *dirs[] = {base};
	listset *ls = listset_load(dirs, 1, T0, NULL);
	window(T0, T0 + DAY);
	Q(s, "principal in @admins", "runerror@13: unknown list '@admins'");
	C.lists = ls;
	Q(s, "principal in @admins", "a3,a4,a5,b2");
	Q(s, "principal not in @admins", "c1,d2,n1,u1");
	Q(s, "principal in (@admins, dave)", "d2,a3,a4,a5,b2");
	Q(s, "principal in (carol, @admins) and region not in @regions", "c1,a3,b2");
	Q(s, "principal in @admins or principal in @nope", "runerror@37: unknown list '@nope'");
	Q(s, "| filter principal in @nope2", "runerror@22: unknown list '@nope2'");
	Q(s, "| stats count() by principal | filter principal in @admins",
	  "principal|count;alice|3;bob|1");
	Q(s, "| sequence within 1d: [principal in @admins] -> [principal in @zzz]",
	  "runerror@62: unknown list '@zzz'");
	Q(s, "principal = @admins", "error@12: a list ('@admins') goes after 'in' or 'not in'");
	Q(s, "principal in @", "error@13: expected a list name after '@'");
	qerr e;
	query *q = query_parse("principal in (@b, x) and region in @a | filter ip not in @c "
			       "| sequence within 1m: [key in @d] -> [key in @e]", &e);
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, "", 0);
	query_lists(q, list_name, &b);
	is_str(b.s, "b@14;a@35;c@57;d@90;e@105;", "query_lists in text order");
	sbuf_free(&b);
	query_free(&q);
	listset_free(&ls);
	store_free(&s);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	if (system(cmd) != 0)
		printf("# cleanup failed\n");
}

static void test_errors(void)
{
	store *s = mkstore(lookback_evs, 1);
	window(T0, T0 + DAY);
	Q(s, "| sequence within 5m: [event = A] [event = B]",
	  "error@34: expected '->' or the end of the sequence, not '['");
	Q(s, "| sequence within 5m: not [event = A] -> [event = B]",
	  "error@22: a sequence cannot start with a not step");
	Q(s, "| sequence within 5m: [event = A",
	  "error@32: expected ']' to close the step opened at column 23, not end of query");
	Q(s, "| sequence within 5m: [event = A]",
	  "error@22: a sequence needs at least two steps (A -> B)");
	Q(s, "| sequence 5m: [a = 1] -> [b = 2]",
	  "error@11: expected 'within DURATION:' in sequence, not '5m'");
	Q(s, "| sequence within 5m [a = 1] -> [b = 2]",
	  "error@21: expected ':' after the duration, not '['");
	Q(s, "| sequence within 5m: [event = A] -> [event = B] by key",
	  "error@52: step 2 joins 'by key' but step 1 has no 'by' or 'then' to join with");
	Q(s, "| sequence within 5m: [a = 1] -> not [b = 2] then c",
	  "error@45: a not step has no 'then' (nothing follows from it)");
	Q(s, "| sequence within 5m: [a = 1] -> event = x",
	  "error@33: expected '[' to start a step (like [event = AssumeRole]), not 'event'");
	Q(s, "| first-seen principal baseline",
	  "error@31: expected a duration like 7d after 'baseline', not end of query");
	Q(s, "| first-seen principal 14d",
	  "error@23: expected ',' or 'baseline DURATION' after the fields, not '14d'");
	Q(s, "| first-seen baseline 14d",
	  "error@22: expected ',' or 'baseline DURATION' after the fields, not '14d'");
	Q(s, "| dormant principal for 7x",
	  "error@24: bad duration '7x' (expected e.g. 90s, 15m, 1h, 1d)");
	Q(s, "| dormant principal for 7d extra",
	  "error@27: expected '|' or the end of the query, not 'extra'");
	Q(s, "| spike bin(1h) z > x", "error@20: expected a number after 'z >', not 'x'");
	Q(s, "| spike bin(1h) z < 3", "error@18: expected '>' after 'z', not '<'");
	Q(s, "| spike by principal", "error@20: expected ', bin(DURATION)' after the spike's fields, not end of query");
	Q(s, "| spike count", "error@8: expected bin(DURATION) in spike, not 'count'");
	Q(s, "| spike bin(1d) baseline 1h", "error@8: the spike's baseline is shorter than one bin");
	Q(s, "| spike by count, bin(1h)", "error@11: column 'count' clashes with a column spike makes");
	Q(s, "| spike bin(1h) | filter nope > 1",
	  "error@25: no column 'nope' in the table (columns: time, count, baseline_mean, baseline_sd, z)");
	Q(s, "| stats count() | first-seen x baseline 1d",
	  "error@18: first-seen needs events, but an earlier stage made a table");
	Q(s, "| spike bin(1h) | sequence within 1m: [] -> []",
	  "error@18: sequence needs events, but an earlier stage made a table");
	Q(s, "first-seen principal", "error@0: a stage needs a '|' before it: '| first-seen ...'");
	store_free(&s);
}

int main(void)
{
	tgtime_parse("2026-11-20T00:00:00Z", 20, &T0);
	test_window_lookback();
	test_spike();
	test_sequence();
	test_threshold();
	test_sequence_steps();
	test_lists();
	test_errors();
	for (int i = 0; i < nraw && i < 8; i++)
		unlink(rawpaths[i]);
	return tap_done();
}

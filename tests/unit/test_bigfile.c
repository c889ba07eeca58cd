/* test_bigfile.c — the resumable walk of big files (jframe_walk_chunk): walked in chunks,
 * from any state the walk stopped in, in windows of any size, clean or not, a file gives
 * exactly the records and problems (offsets, record and line numbers) of jframe_walk
 * over the whole buffer; and jframe_detect_prefix answers only when sure. */
#include <stdlib.h>

#include "bigfile_check.h"
#include "tap.h"

static const char *const recs[] = {
	"{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-20T01:00:00Z\",\"eventName\":\"A\",\"eventID\":\"1\"}",
	"{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-20T01:00:01Z\",\"requestParameters\":{\"policy\":\"{\\\"eventVersion\\\":\\\"x\\\"},{\\\"a\\\":\\\"}\\\"}\"},\"eventID\":\"2\"}",
	"{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-20T01:00:02Z\",\"},{\":{\"eventVersion\":\"nested\"},\"resources\":[{\"ARN\":\"a\"},{\"ARN\":\"b\"}]}",
	"{\"eventVersion\":\"1.08\",\n\"eventTime\":\"2026-11-20T01:00:03Z\",\n\"userIdentity\":\n{\n\"type\":\"IAMUser\"\n}\n}",
	"{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-11-20T01:00:04Z\",\"pad\":\"\\u00e9\\\\\\\"{[\"}",
};

/* damage: the ways a record breaks */
static void damage(sbuf *b, const char *r, uint64_t *rs)
{
	size_t n = strlen(r);
	switch (bc_rand(rs) % 8) {
	case 0: sbuf_add(b, r, n / 2); break;                  /* cut */
	case 1: sbuf_add(b, r, n - 1); break;                  /* no closing brace */
	case 2: sbuf_add(b, r, n); sbuf_addc(b, '}'); break;   /* one too many */
	case 3: sbuf_adds(b, "12345"); break;                  /* not an object */
	case 4: sbuf_add(b, r, 5); sbuf_adds(b, "\\q"); sbuf_add(b, r + 5, n - 5); break;
	case 5: sbuf_add(b, r, n); sbuf_adds(b, "\xff\xfe"); break;
	case 6: sbuf_add(b, r, n / 3); sbuf_adds(b, "\"\n"); sbuf_add(b, r + n / 3, n - n / 3); break;
	default: sbuf_add(b, r, n); sbuf_adds(b, ",,"); break;
	}
}

/* A document of k records in format fmt, damaged at rate 1/every (0: none). */
static void doc(sbuf *b, enum jformat fmt, int k, int every, int crlf, uint64_t seed)
{
	uint64_t rs = seed * 7919 + 3;
	sbuf_reset(b);
	if (fmt == JFMT_RECORDS)
		sbuf_adds(b, "{\"Records\":[");
	else if (fmt == JFMT_ARRAY)
		sbuf_adds(b, "[\n  ");
	for (int i = 0; i < k; i++) {
		const char *r = recs[bc_rand(&rs) % (sizeof recs / sizeof recs[0])];
		if (fmt == JFMT_NDJSON && strchr(r, '\n') && bc_rand(&rs) % 2)
			r = recs[0];
		if (every && bc_rand(&rs) % (uint64_t)every == 0)
			damage(b, r, &rs);
		else
			sbuf_adds(b, r);
		if (i + 1 < k || fmt == JFMT_NDJSON)
			sbuf_adds(b, fmt == JFMT_NDJSON ? (crlf ? "\r\n" : "\n")
				   : fmt == JFMT_ARRAY ? ",\n  " : ",");
	}
	if (fmt == JFMT_RECORDS)
		sbuf_adds(b, "],\"after\":[1,{\"x\":2}]}");
	else if (fmt == JFMT_ARRAY)
		sbuf_adds(b, "\n]\n");
}

int main(void)
{
	static const enum jformat fmts[] = { JFMT_NDJSON, JFMT_RECORDS, JFMT_ARRAY };
	sbuf b;
	sbuf_init(&b);
	for (int fi = 0; fi < 3; fi++) {
		enum jformat fmt = fmts[fi];
		int bad = 0, runs = 0;
		for (uint64_t seed = 1; seed <= 60; seed++) {
			int every = seed % 3 == 0 ? 0 : (int)(seed % 7) + 2;
			doc(&b, fmt, 40, every, seed % 2, seed);
			size_t n = b.len;
			if (seed % 5 == 0 && n > 40)
				n -= seed % 37; /* ends inside a record */
			for (size_t maxw = 8; maxw <= 4096; maxw *= 4) {
				runs++;
				bad += bc_compare(b.s, n, fmt, seed, maxw) != 0;
			}
		}
		ok(bad == 0, "%s: %d chunked walks (damaged, truncated, CRLF) same as whole, %d differ",
		   jformat_name(fmt), runs, bad);
	}

	/* Trailing data, an envelope with keys around Records, a second Records array. */
	static const char *const odd[] = {
		"{\"a\":{\"b\":[1,2]},\"Records\":[{\"eventVersion\":\"1\"},{\"eventVersion\":\"2\"}],\"c\":3} trailing",
		"{\"Records\":[{\"eventVersion\":\"1\"}],\"Records\":[{\"eventVersion\":\"2\"},7,{\"x\":1}]}",
		"{\"Records\":[]}",
		"{\"Records\":[{\"eventVersion\":\"1\"} {\"eventVersion\":\"2\"}]}",
		"{\"Records\":[{\"eventVersion\":\"1\"},{\"eventVersion\":\"2\"",
		"{\"Records\":[{\"eventVersion\":\"1\"}]",
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		for (uint64_t seed = 1; seed <= 40; seed++)
			bad += bc_compare(odd[i], strlen(odd[i]), JFMT_RECORDS, seed, 1 + seed % 16) != 0;
	ok(bad == 0, "odd envelopes: chunked same as whole (%d differ)", bad);

	/* Clean mode stops before a problem and reports nothing. */
	{
		const char *t = "{\"eventVersion\":\"1\"}\n{\"eventVersion\":\n\"2\"}\n{bad}\n{\"eventVersion\":\"3\"}\n";
		jframe_state st;
		memset(&st, 0, sizeof st);
		st.phase = JPH_NDJSON;
		sbuf out;
		sbuf_init(&out);
		struct bc_log l = { &out, 0 };
		int r = jframe_walk_chunk(t, strlen(t), 0, strlen(t), JFMT_NDJSON, &st, UINT64_MAX, 1,
					  bc_rec, bc_err, &l);
		is_int(r, JW_UNCLEAN, "clean NDJSON walk stops at a bad record");
		is_int(st.pos, strchr(t, 'b') - t - 1, "... at its start");
		is_int(st.recno, 2, "... after two records");
		is_int(st.line, 3, "... and three newlines");
		ok(!strchr(out.s, 'E'), "... and reports nothing");
		sbuf_free(&out);
	}
	/* A window that ends too soon is short, not an end of input. */
	{
		const char *t = "{\"Records\":[{\"eventVersion\":\"1\"},{\"eventVersion\":\"2\"}]}";
		jframe_state st;
		jframe_state_init(&st, strlen(t));
		sbuf out;
		sbuf_init(&out);
		struct bc_log l = { &out, 0 };
		is_int(jframe_walk_chunk(t, 30, 0, strlen(t), JFMT_RECORDS, &st, UINT64_MAX, 0,
					 bc_rec, bc_err, &l), JW_SHORT, "a window ending in a record is short");
		is_int(st.phase, JPH_START, "... and the state is unchanged");
		sbuf_free(&out);
	}
	/* Prefix detection answers only when the whole file would agree. */
	is_int(jframe_detect_prefix("{\"Records\":[", 12), JFMT_RECORDS, "prefix: Records");
	is_int(jframe_detect_prefix("{\"Records\"", 10), JFMT_UNKNOWN, "prefix: Records, cut before '['");
	is_int(jframe_detect_prefix("{\"eventVersion\":\"1\",\"eventTime\":\"x\"", 36), JFMT_NDJSON, "prefix: NDJSON");
	is_int(jframe_detect_prefix("{\"eventVersion\":\"1\",\"eve", 24), JFMT_UNKNOWN, "prefix: one event key, cut");
	is_int(jframe_detect_prefix("[{", 2), JFMT_ARRAY, "prefix: array");
	is_int(jframe_detect_prefix("{\"Events\":[", 11), JFMT_UNKNOWN, "prefix: lookup output is not cut");
	is_int(jframe_detect_prefix("   ", 3), JFMT_UNKNOWN, "prefix: blank so far");
	sbuf_free(&b);
	return tap_done();
}

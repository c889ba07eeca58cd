/* jframe.c — recognise a CloudTrail file's shape by content and walk its records.
 *
 * Detection looks only at the first top-level key(s) (skipping, with validation, the
 * values of keys that say nothing), so it costs next to nothing on a large file and still
 * works on a truncated one. The walk scans each record once with jscan_record and, on
 * damage, reports the byte offset and tries to resynchronise at the next record. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include "jframe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FAIL ((size_t)-1)

const char *jformat_name(enum jformat f)
{
	switch (f) {
	case JFMT_RECORDS: return "records";
	case JFMT_NDJSON: return "ndjson";
	case JFMT_ARRAY: return "array";
	case JFMT_LOOKUP: return "lookup";
	case JFMT_DIGEST: return "digest";
	case JFMT_EMPTY: return "empty";
	default: return "unknown";
	}
}

static size_t skip_bom(const char *b, size_t n)
{
	if (n >= 3 && (unsigned char)b[0] == 0xEF && (unsigned char)b[1] == 0xBB &&
	    (unsigned char)b[2] == 0xBF)
		return 3;
	return 0;
}

static int raw_eq(const char *k, size_t kl, const char *lit)
{
	size_t l = strlen(lit);
	return kl == l && memcmp(k, lit, l) == 0;
}

/* Read a key at b[p] ('"' expected), then ':' and whitespace. On success returns the
 * position of the value (may be == n when truncated) and sets *k and *kl to the raw key body;
 * FAIL when the text there is not a key. */
static size_t read_key(const char *b, size_t n, size_t p, const char **k, size_t *kl)
{
	size_t e;
	if (p >= n || b[p] != '"')
		return FAIL;
	if (jscan_skip(b, n, p, &e, NULL) != 0)
		return FAIL;
	*k = b + p + 1;
	*kl = e - p - 2;
	p = jscan_ws(b, n, e);
	if (p >= n)
		return n;
	if (b[p] != ':')
		return FAIL;
	return jscan_ws(b, n, p + 1);
}

static int is_event_key(const char *k, size_t kl)
{
	static const char *const keys[] = {
		"eventVersion", "eventTime", "eventName", "eventSource", "eventID",
		"eventType", "userIdentity", "awsRegion", "sourceIPAddress",
		"recipientAccountId", "requestParameters", "responseElements",
		"eventCategory", "requestID", "userAgent",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (raw_eq(k, kl, keys[i]))
			return 1;
	return 0;
}

static int is_digest_key(const char *k, size_t kl)
{
	return (kl >= 6 && memcmp(k, "digest", 6) == 0) ||
	       (kl >= 14 && memcmp(k, "previousDigest", 14) == 0) || raw_eq(k, kl, "logFiles");
}

/* Events array at b[p] == '[': is its first element a lookup-events entry? */
static int looks_like_lookup(const char *b, size_t n, size_t p)
{
	jspan sp;
	p = jscan_ws(b, n, p + 1);
	if (p >= n || b[p] == ']')
		return 1; /* no events, or truncated: still the lookup shape */
	if (b[p] != '{')
		return 0;
	if (jscan_path(b + p, n - p, "CloudTrailEvent", &sp) == 0)
		return sp.kind == JK_STRING;
	/* truncated or damaged first element: accept the usual first key */
	size_t q = jscan_ws(b, n, p + 1);
	return n - q >= 9 && memcmp(b + q, "\"EventId\"", 9) == 0;
}

enum jformat jframe_detect(const char *buf, size_t len)
{
	size_t p = jscan_ws(buf, len, skip_bom(buf, len));
	int hits = 0;
	if (p >= len)
		return JFMT_EMPTY;
	if (buf[p] == '[')
		return JFMT_ARRAY;
	if (buf[p] != '{')
		return JFMT_UNKNOWN;
	p = jscan_ws(buf, len, p + 1);
	while (p < len && buf[p] == '"') {
		const char *k;
		size_t kl, e;
		p = read_key(buf, len, p, &k, &kl);
		if (p == FAIL)
			break;
		if (raw_eq(k, kl, "Records") && (p >= len || buf[p] == '['))
			return JFMT_RECORDS;
		if (raw_eq(k, kl, "Events") && (p >= len || (buf[p] == '[' && looks_like_lookup(buf, len, p))))
			return JFMT_LOOKUP;
		if (is_digest_key(k, kl))
			return JFMT_DIGEST;
		if (is_event_key(k, kl) && ++hits >= 2)
			return JFMT_NDJSON;
		if (jscan_skip(buf, len, p, &e, NULL) != 0)
			break;
		p = jscan_ws(buf, len, e);
		if (p >= len || buf[p] != ',')
			break;
		p = jscan_ws(buf, len, p + 1);
	}
	return hits ? JFMT_NDJSON : JFMT_UNKNOWN;
}

enum jformat jframe_detect_prefix(const char *buf, size_t len)
{
	size_t p = jscan_ws(buf, len, skip_bom(buf, len));
	int hits = 0;
	if (p >= len || (buf[p] != '[' && buf[p] != '{'))
		return JFMT_UNKNOWN;
	if (buf[p] == '[')
		return JFMT_ARRAY;
	p = jscan_ws(buf, len, p + 1);
	/* jframe_detect's loop, keeping only the answers it gives before the prefix ends */
	while (p < len && buf[p] == '"') {
		const char *k;
		size_t kl, e;
		p = read_key(buf, len, p, &k, &kl);
		if (p == FAIL || p >= len)
			break;
		if (raw_eq(k, kl, "Records") && buf[p] == '[')
			return JFMT_RECORDS;
		if (raw_eq(k, kl, "Events") || is_digest_key(k, kl))
			break;
		if (is_event_key(k, kl) && ++hits >= 2)
			return JFMT_NDJSON;
		if (jscan_skip(buf, len, p, &e, NULL) != 0)
			break;
		p = jscan_ws(buf, len, e);
		if (p >= len || buf[p] != ',')
			break;
		p = jscan_ws(buf, len, p + 1);
	}
	return JFMT_UNKNOWN;
}

/* ---- walking ----
 *
 * One walker serves two callers: jframe_walk (a whole buffer) and jframe_walk_chunk (a
 * window of a big file, ingest_big.c). A window may end before the file does (partial);
 * every place where the walk runs out of bytes then marks the walk "short" (w->hit), and
 * the caller reads a longer window and walks again, so that nothing the walk reports
 * depends on where the window ends. A walk can also stop (suspend) at the first record
 * that starts at or past stop_at, leaving its state for the next chunk. In clean mode
 * the walk goes through well-formed records only and stops before anything it would
 * have to report: a chunk walked in parallel does not know how many records came before
 * it, so its problems are left to the serial walk that does. */

typedef struct walk {
	const char *b;
	size_t n;
	jframe_rec_fn rec;
	jframe_err_fn errf;
	void *ud;
	size_t count;
	int stop;
	size_t budget; /* bytes we may still scan while resynchronising */
	int partial;   /* b[0..n) is a window that ends before the file does */
	int hit;       /* the walk ran into the end of the window */
	int clean;     /* chunk mode: stop before any problem (status JW_UNCLEAN) */
	size_t stop_at; /* suspend at a record starting at or past this */
	int status;    /* enum jwalk */
	/* where the walk stopped (JW_SUSPENDED, JW_UNCLEAN) */
	int s_phase;
	size_t s_pos, s_recno, s_line, s_lpos;
} walk;

/* p is at (or past) the end of the bytes we have: in a window, that is not the file's
 * end, and the walk's result is void. Returns 1 when p is at the end. */
static int w_end(walk *w, size_t p)
{
	if (p < w->n)
		return 0;
	if (w->partial)
		w->hit = 1;
	return 1;
}

static void werr(walk *w, size_t off, const char *fmt, ...) TG_PRINTF(3, 4);
static void werr(walk *w, size_t off, const char *fmt, ...)
{
	char msg[320];
	va_list ap;
	if (!w->errf || w->hit)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	w->errf(w->ud, off, msg);
}

static void deliver(walk *w, size_t off, size_t len, const jspan *f, int bad)
{
	w->count++;
	if (w->rec && w->rec(w->ud, off, len, f, bad))
		w->stop = 1;
}

/* Stop the walk at a record start p (phase JPH_ARRAY or JPH_NDJSON). */
static size_t suspend(walk *w, int status, int phase, size_t p, size_t recno, size_t line,
		      size_t lpos)
{
	w->status = status;
	w->s_phase = phase;
	w->s_pos = p;
	w->s_recno = recno;
	w->s_line = line;
	w->s_lpos = lpos;
	return FAIL;
}

/* Is there a complete record at b[c] ('{') followed by ',' or ']'? Charges the budget. */
static int verify_at(walk *w, size_t c)
{
	jspan f[JF_N];
	jscan_err err;
	size_t e;
	int bad;
	if (w->budget == 0)
		return 0;
	int r = jscan_record(w->b + c, w->n - c, 0, &e, f, &bad, &err);
	size_t used = (r == 0 ? e : err.off) + 1;
	w->budget = used >= w->budget ? 0 : w->budget - used;
	if (r != 0) {
		w_end(w, c + err.off);
		return 0;
	}
	size_t q = jscan_ws(w->b, w->n, c + e);
	return !w_end(w, q) && (w->b[q] == ',' || w->b[q] == ']');
}

/* Previous non-whitespace byte before i is ','? */
static int after_comma(const char *b, size_t lo, size_t i)
{
	while (i > lo) {
		char c = b[--i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		return c == ',';
	}
	return 0;
}

/* A record starting at `start` is damaged (the scanner stopped at errpos). Find where the
 * array goes on: the '{' of a later record that scans cleanly, or the ']' that closes the
 * array. FAIL when nothing safe is found. */
static size_t resync(walk *w, size_t start, size_t errpos)
{
	const char *b = w->b;
	size_t n = w->n;

	/* 1. Brackets are often intact (a missing comma, a bad escape, a stray byte):
	 * match them loosely, string-aware, from the record start. */
	{
		long d = 0;
		int instr = 0;
		size_t i;
		size_t lim = n - start > w->budget ? start + w->budget : n;
		for (i = start; i < lim; i++) {
			char c = b[i];
			if (instr) {
				if (c == '\\')
					i++;
				else if (c == '"' || c == '\n')
					instr = 0;
				continue;
			}
			if (c == '"')
				instr = 1;
			else if (c == '{' || c == '[')
				d++;
			else if (c == '}' || c == ']') {
				if (--d <= 0)
					break;
			}
		}
		if (i >= lim && lim == n)
			w_end(w, n);
		w->budget -= i - start < w->budget ? i - start : w->budget;
		if (i < lim && d == 0) {
			size_t r = jscan_ws(b, n, i + 1);
			if (!w_end(w, r) && b[r] == ']')
				return r;
			if (r < n && b[r] == ',') {
				size_t c = jscan_ws(b, n, r + 1);
				if (!w_end(w, c) && b[c] == '{' && verify_at(w, c))
					return c;
			}
		}
	}
	/* 2. The usual first key of a CloudTrail record, searched from the damaged record's
	 * start: the scanner may have stopped inside the next record's key (an unterminated
	 * string ends at the quote that opens it), and searching from errpos lost that one. */
	{
		static const char key[] = "\"eventVersion\"";
		size_t i = start + 1;
		while (i < n && w->budget) {
			const char *hit = memmem(b + i, n - i, key, sizeof key - 1);
			if (!hit) {
				w_end(w, n);
				break;
			}
			size_t h = (size_t)(hit - b), c = h;
			w->budget -= h - i < w->budget ? h - i : w->budget;
			while (c > start && (b[c - 1] == ' ' || b[c - 1] == '\t' || b[c - 1] == '\n' ||
					     b[c - 1] == '\r'))
				c--;
			if (c > start && b[c - 1] == '{' && after_comma(b, start, c - 1) &&
			    verify_at(w, c - 1))
				return c - 1;
			i = h + 1;
		}
		if (i >= n)
			w_end(w, i);
	}
	/* 3. Any '{' that starts an array element. */
	size_t i;
	for (i = errpos + 1; i < n && w->budget; i++) {
		const char *hit = memchr(b + i, '{', n - i);
		if (!hit) {
			w_end(w, n);
			break;
		}
		w->budget -= (size_t)(hit - b) - i < w->budget ? (size_t)(hit - b) - i : w->budget;
		i = (size_t)(hit - b);
		if (after_comma(b, start, i) && verify_at(w, i))
			return i;
	}
	if (i >= n)
		w_end(w, i);
	return FAIL;
}

/* Clean mode, at an element b[p]: deliver it when it is a well-formed record followed by
 * ',' and the next element; otherwise stop here (JW_UNCLEAN). */
static size_t array_clean(walk *w, size_t p, size_t recno)
{
	const char *b = w->b;
	size_t n = w->n;
	jspan f[JF_N];
	jscan_err err;
	int bad;
	for (;;) {
		size_t e, q, r;
		if (p >= w->stop_at)
			return suspend(w, JW_SUSPENDED, JPH_ARRAY, p, recno, 0, 0);
		if (p >= n || b[p] != '{' || jscan_record(b + p, n - p, 0, &e, f, &bad, &err) != 0)
			break;
		q = jscan_ws(b, n, p + e);
		if (q >= n || b[q] != ',')
			break;
		r = jscan_ws(b, n, q + 1);
		if (r >= n)
			break;
		deliver(w, p, e, f, bad);
		recno++;
		p = r;
		if (w->stop)
			return suspend(w, JW_UNCLEAN, JPH_ARRAY, p, recno, 0, 0);
	}
	return suspend(w, JW_UNCLEAN, JPH_ARRAY, p, recno, 0, 0);
}

/* The element loop: p at an element (after '[' or ',' and whitespace), recno elements
 * begun. Returns the position after ']', or FAIL (stopped, suspended, or short). */
static size_t array_loop(walk *w, size_t p, size_t recno)
{
	const char *b = w->b;
	size_t n = w->n;
	jspan f[JF_N];
	jscan_err err;
	int bad;

	if (w->clean)
		return array_clean(w, p, recno);
	for (;;) {
		size_t e;
		int r;
		if (p >= w->stop_at)
			return suspend(w, JW_SUSPENDED, JPH_ARRAY, p, recno, 0, 0);
		if (w->hit || w_end(w, p)) /* short; p < n always holds in a whole buffer */
			return FAIL;
		recno++;
		if (b[p] == '{') {
			r = jscan_record(b + p, n - p, 0, &e, f, &bad, &err);
			if (r == 0) {
				deliver(w, p, e, f, bad);
				if (w->stop)
					return FAIL;
				p += e;
			}
		} else {
			r = jscan_skip(b + p, n - p, 0, &e, &err);
			if (r == 0) {
				w_end(w, p + e); /* a number may go on past the window */
				werr(w, p, "array element %zu is not an object", recno);
				p += e;
			}
		}
		if (r != 0) {
			size_t at = p + err.off;
			if (w_end(w, at)) {
				werr(w, n, "unexpected end of input inside record %zu (%s)", recno,
				     err.reason);
				return FAIL;
			}
			size_t q = resync(w, p, at);
			if (q == FAIL) {
				w_end(w, n); /* the message counts the bytes to the end */
				werr(w, at, "record %zu: %s; no later record could be recovered "
					    "(skipped the remaining %zu bytes)", recno, err.reason, n - p);
				return FAIL;
			}
			werr(w, at, "record %zu: %s; skipped %zu bytes to resynchronise", recno,
			     err.reason, q - p);
			if (b[q] == ']')
				return q + 1;
			p = q;
			continue;
		}
		p = jscan_ws(b, n, p);
		if (w_end(w, p)) {
			werr(w, n, "unexpected end of input after record %zu", recno);
			return FAIL;
		}
		if (b[p] == ']')
			return p + 1;
		if (b[p] == '{') {
			werr(w, p, "missing ',' after record %zu", recno);
			continue;
		}
		if (b[p] != ',') {
			size_t q = resync(w, p, p);
			if (q == FAIL) {
				werr(w, p, "expected ',' or ']' after record %zu; no later record "
					   "could be recovered", recno);
				return FAIL;
			}
			werr(w, p, "expected ',' or ']' after record %zu; skipped %zu bytes", recno,
			     q - p);
			if (b[q] == ']')
				return q + 1;
			p = q;
			continue;
		}
		p = jscan_ws(b, n, p + 1);
		if (w_end(w, p)) {
			werr(w, n, "unexpected end of input before record %zu", recno + 1);
			return FAIL;
		}
	}
}

/* b[p] == '['. Walk the elements; return the position after ']' or FAIL (stopped). */
static size_t walk_array(walk *w, size_t p)
{
	p = jscan_ws(w->b, w->n, p + 1);
	if (w_end(w, p)) {
		werr(w, w->n, "unexpected end of input inside the record array");
		return FAIL;
	}
	if (w->b[p] == ']')
		return p + 1;
	return array_loop(w, p, 0);
}

static void trailing(walk *w, size_t p, const char *what)
{
	p = jscan_ws(w->b, w->n, p);
	if (!w_end(w, p)) {
		w_end(w, w->n); /* the message counts the bytes to the end */
		werr(w, p, "trailing data after the %s (%zu bytes ignored)", what, w->n - p);
	}
}

/* read_key, marking the walk short when it ran out of bytes. */
static size_t wread_key(walk *w, size_t p, const char **k, size_t *kl)
{
	size_t e;
	jscan_err err;
	if (w_end(w, p) || w->b[p] != '"')
		return FAIL;
	if (jscan_skip(w->b, w->n, p, &e, &err) != 0) {
		w_end(w, err.off);
		return FAIL;
	}
	size_t v = read_key(w->b, w->n, p, k, kl);
	if (v != FAIL)
		w_end(w, v);
	else
		w_end(w, jscan_ws(w->b, w->n, e));
	return v;
}

/* The envelope's members from b[p]; when resumed is set, p is just past the Records
 * array that the walk was suspended in. */
static void records_from(walk *w, size_t p, int got, int first, int resumed)
{
	const char *b = w->b;
	size_t n = w->n;
	for (;;) {
		const char *k;
		size_t kl, e;
		jscan_err err;
		if (resumed) {
			resumed = 0;
			goto after_value;
		}
		if (w_end(w, p)) {
			werr(w, n, "unexpected end of input in the envelope");
			return;
		}
		if (b[p] == '}' && first) { /* "{}" */
			p++;
			break;
		}
		first = 0;
		size_t v = wread_key(w, p, &k, &kl);
		if (v == FAIL || v >= n) {
			werr(w, v == FAIL ? p : n, v == FAIL ? "malformed envelope: key expected"
							     : "unexpected end of input in the envelope");
			return;
		}
		if (raw_eq(k, kl, "Records") && b[v] == '[') {
			got = 1;
			p = walk_array(w, v);
			if (p == FAIL)
				return;
		} else {
			if (jscan_skip(b, n, v, &e, &err) != 0) {
				w_end(w, err.off);
				werr(w, err.off, "malformed envelope: %s", err.reason);
				return;
			}
			w_end(w, e);
			p = e;
		}
	after_value:
		p = jscan_ws(b, n, p);
		if (w_end(w, p)) {
			werr(w, n, "unexpected end of input in the envelope");
			return;
		}
		if (b[p] == '}') {
			p++;
			break;
		}
		if (b[p] != ',') {
			werr(w, p, "malformed envelope: expected ',' or '}'");
			return;
		}
		p = jscan_ws(b, n, p + 1);
	}
	if (!got)
		werr(w, 0, "no Records array in the envelope");
	trailing(w, p, "envelope");
}

static void walk_records(walk *w)
{
	const char *b = w->b;
	size_t n = w->n, p = jscan_ws(b, n, skip_bom(b, n));
	if (w_end(w, p) || b[p] != '{') {
		werr(w, p, "expected '{' at the start of a Records file");
		return;
	}
	records_from(w, jscan_ws(b, n, p + 1), 0, 1, 0);
}

/* Count the newlines in b[from, to). */
static size_t newlines(const char *b, size_t from, size_t to)
{
	size_t k = 0;
	for (const char *nl; from < to && (nl = memchr(b + from, '\n', to - from));) {
		k++;
		from = (size_t)(nl - b) + 1;
	}
	return k;
}

/* From b[p]: recno records begun, line the line number at lpos (advanced lazily). */
static void ndjson_loop(walk *w, size_t p, size_t recno, size_t line, size_t lpos)
{
	const char *b = w->b;
	size_t n = w->n;
	jspan f[JF_N];
	jscan_err err;
	int bad;

	while (!w->stop) {
		size_t e;
		p = jscan_ws(b, n, p);
		if (p >= w->stop_at) {
			line += newlines(b, lpos, p);
			suspend(w, JW_SUSPENDED, JPH_NDJSON, p, recno, line, p);
			return;
		}
		if (w_end(w, p))
			break;
		if (w->clean) {
			if (b[p] != '{' || jscan_record(b + p, n - p, 0, &e, f, &bad, &err) != 0) {
				line += newlines(b, lpos, p);
				suspend(w, JW_UNCLEAN, JPH_NDJSON, p, recno, line, p);
				return;
			}
			recno++;
			deliver(w, p, e, f, bad);
			p += e;
			continue;
		}
		recno++;
		const char *why;
		size_t at;
		if (b[p] == '{') {
			if (jscan_record(b + p, n - p, 0, &e, f, &bad, &err) == 0) {
				deliver(w, p, e, f, bad);
				p += e;
				continue;
			}
			at = p + err.off;
			why = err.reason;
		} else {
			at = p;
			why = "expected '{' at the start of a record";
		}
		line += newlines(b, lpos, p);
		lpos = p;
		if (w_end(w, at)) {
			werr(w, n, "unexpected end of input inside record %zu (line %zu)", recno, line);
			break;
		}
		/* next line that starts with '{' */
		size_t q = p;
		for (;;) {
			const char *nl = memchr(b + q, '\n', n - q);
			if (!nl) {
				q = n;
				w_end(w, q);
				break;
			}
			q = (size_t)(nl - b) + 1;
			if (!w_end(w, q) && b[q] == '{')
				break;
			if (q >= n)
				break;
		}
		werr(w, at, "record %zu (line %zu): %s; skipped %zu bytes to the next line", recno,
		     line, why, q - p);
		p = q;
	}
	if (w->clean && !w->hit && w->status == JW_END && p < n) /* a stop asked by rec */
		suspend(w, JW_UNCLEAN, JPH_NDJSON, p, recno, line + newlines(b, lpos, p), p);
	else if (w->clean && w->hit) /* the window ends inside a record */
		suspend(w, JW_UNCLEAN, JPH_NDJSON, p, recno, line + newlines(b, lpos, p), p);
}

static void walk_ndjson(walk *w)
{
	ndjson_loop(w, skip_bom(w->b, w->n), 0, 1, 0);
}

static void walk_array_file(walk *w)
{
	size_t p = jscan_ws(w->b, w->n, skip_bom(w->b, w->n));
	if (w_end(w, p) || w->b[p] != '[') {
		werr(w, p, "expected '[' at the start of an array file");
		return;
	}
	p = walk_array(w, p);
	if (p != FAIL)
		trailing(w, p, "array");
}

static void walk_start(walk *w, enum jformat fmt)
{
	switch (fmt) {
	case JFMT_RECORDS:
		walk_records(w);
		break;
	case JFMT_NDJSON:
		walk_ndjson(w);
		break;
	case JFMT_ARRAY:
		walk_array_file(w);
		break;
	case JFMT_LOOKUP:
		werr(w, 0, "lookup-events output: walk the view built by jframe_lookup_view");
		break;
	case JFMT_DIGEST:
	case JFMT_EMPTY:
		break;
	default:
		werr(w, 0, "not a CloudTrail file");
		break;
	}
}

size_t jframe_walk(const char *buf, size_t len, enum jformat fmt, jframe_rec_fn rec,
		   jframe_err_fn errf, void *ud)
{
	walk w = { .b = buf, .n = len, .rec = rec, .errf = errf, .ud = ud, .stop_at = SIZE_MAX };
	w.budget = len * 4 + (1u << 20);
	walk_start(&w, fmt);
	return w.count;
}

void jframe_state_init(jframe_state *st, uint64_t filelen)
{
	memset(st, 0, sizeof *st);
	st->phase = JPH_START;
	st->line = 1;
	st->budget = (size_t)filelen * 4 + (1u << 20);
}

int jframe_walk_chunk(const char *win, size_t winlen, uint64_t base, uint64_t filelen,
		      enum jformat fmt, jframe_state *st, uint64_t stop, int clean,
		      jframe_rec_fn rec, jframe_err_fn errf, void *ud)
{
	walk w = { .b = win, .n = winlen, .rec = rec, .errf = errf, .ud = ud };
	w.partial = base + winlen < filelen;
	w.clean = clean;
	w.budget = st->budget;
	w.status = JW_END;
	if (stop == UINT64_MAX)
		w.stop_at = SIZE_MAX;
	else
		w.stop_at = stop < base ? 0 : (size_t)(stop - base);
	if (st->phase == JPH_DONE)
		return JW_END;
	if (st->pos < base || st->pos - base > winlen)
		return JW_SHORT;
	size_t p = (size_t)(st->pos - base);
	switch (st->phase) {
	case JPH_START:
		if (base != 0)
			return JW_SHORT;
		walk_start(&w, fmt);
		break;
	case JPH_NDJSON:
		ndjson_loop(&w, p, st->recno, st->line, p);
		break;
	case JPH_ARRAY:
		p = array_loop(&w, p, st->recno);
		if (p == FAIL)
			break;
		if (fmt == JFMT_RECORDS)
			records_from(&w, p, 1, 0, 1);
		else
			trailing(&w, p, "array");
		break;
	}
	if (w.hit && !(clean && w.status == JW_UNCLEAN))
		return JW_SHORT;
	if (w.status == JW_END) {
		st->phase = JPH_DONE;
		st->pos = base + winlen;
	} else {
		st->phase = w.s_phase;
		st->pos = base + w.s_pos;
		st->recno = w.s_recno;
		if (w.s_phase == JPH_NDJSON)
			st->line = w.s_line;
		if (w.s_phase == JPH_ARRAY && fmt == JFMT_RECORDS)
			st->got = 1;
	}
	st->budget = w.budget;
	return w.status;
}

/* ---- lookup-events view ---- */

static int lv_fail(jscan_err *err, size_t off, const char *why)
{
	if (err)
		err->off = off, err->reason = why;
	return -1;
}

/* One element of Events at b[p] == '{'. */
static int lv_event(const char *b, size_t n, size_t p, size_t *end, sbuf *view, jscan_err *err)
{
	p = jscan_ws(b, n, p + 1);
	if (p < n && b[p] == '}') {
		*end = p + 1;
		return 0;
	}
	for (;;) {
		const char *k;
		size_t kl, e;
		size_t v = read_key(b, n, p, &k, &kl);
		if (v == FAIL || v >= n)
			return lv_fail(err, v == FAIL ? p : n, v == FAIL ? "malformed Events entry"
								     : "unexpected end of input");
		if (jscan_skip(b, n, v, &e, err) != 0)
			return -1;
		if (raw_eq(k, kl, "CloudTrailEvent") && b[v] == '"') {
			size_t from = view->len;
			jscan_unescape(b + v + 1, e - v - 2, view);
			/* one event per line: newlines can only be whitespace between tokens */
			for (size_t i = from; i < view->len; i++)
				if (view->s[i] == '\n' || view->s[i] == '\r')
					view->s[i] = ' ';
			sbuf_addc(view, '\n');
		}
		p = jscan_ws(b, n, e);
		if (p >= n)
			return lv_fail(err, n, "unexpected end of input");
		if (b[p] == '}') {
			*end = p + 1;
			return 0;
		}
		if (b[p] != ',')
			return lv_fail(err, p, "expected ',' or '}' in an Events entry");
		p = jscan_ws(b, n, p + 1);
	}
}

int jframe_lookup_view(const char *buf, size_t len, sbuf *view, jscan_err *err)
{
	size_t p = jscan_ws(buf, len, skip_bom(buf, len));
	if (!view->s)
		sbuf_add(view, "", 0);
	if (p >= len || buf[p] != '{')
		return lv_fail(err, p, "lookup-events output is not an object");
	p = jscan_ws(buf, len, p + 1);
	if (p < len && buf[p] == '}')
		return 0;
	for (;;) {
		const char *k;
		size_t kl, e;
		size_t v = read_key(buf, len, p, &k, &kl);
		if (v == FAIL || v >= len)
			return lv_fail(err, v == FAIL ? p : len, v == FAIL ? "malformed lookup output: key expected"
									   : "unexpected end of input");
		if (raw_eq(k, kl, "Events") && buf[v] == '[') {
			p = jscan_ws(buf, len, v + 1);
			if (p < len && buf[p] == ']') {
				p++;
			} else {
				for (;;) {
					if (p >= len)
						return lv_fail(err, len, "unexpected end of input in Events");
					if (buf[p] != '{')
						return lv_fail(err, p, "Events element is not an object");
					if (lv_event(buf, len, p, &e, view, err) != 0)
						return -1;
					p = jscan_ws(buf, len, e);
					if (p >= len)
						return lv_fail(err, len, "unexpected end of input in Events");
					if (buf[p] == ']') {
						p++;
						break;
					}
					if (buf[p] != ',')
						return lv_fail(err, p, "expected ',' or ']' in Events");
					p = jscan_ws(buf, len, p + 1);
				}
			}
		} else {
			if (jscan_skip(buf, len, v, &e, err) != 0)
				return -1;
			p = e;
		}
		p = jscan_ws(buf, len, p);
		if (p >= len)
			return lv_fail(err, len, "unexpected end of input");
		if (buf[p] == '}')
			return 0;
		if (buf[p] != ',')
			return lv_fail(err, p, "expected ',' or '}' in lookup output");
		p = jscan_ws(buf, len, p + 1);
	}
}

/* fuzz_jscan.c — libFuzzer target for jscan and jframe.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc src/util.c src/jscan.c \
 *            src/jframe.c tests/fuzz/fuzz_jscan.c -lcjson
 * Run:   ./fuzz_jscan tests/fuzz/corpus/jscan
 *
 * Exercises detection, the walk in every format, jscan_path with a path taken from the
 * input's first bytes, the lookup view, and checks against cJSON: every record jscan
 * accepts must also be accepted by cJSON_ParseWithLength, except for the two documented
 * cases where cJSON 1.7.15 rejects valid RFC 8259 JSON (lone surrogate escapes, numbers
 * longer than 63 characters; see tests/jscan_diff.c). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jframe.h"
#include "jscan.h"

static int cjson_quirk(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == '\\') {
			if (s[i + 1] == 'u' && i + 3 < n && (s[i + 2] | 0x20) == 'd' &&
			    strchr("89abcdefABCDEF", s[i + 3]) && s[i + 3])
				return 1;
			i++;
		}
	}
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		run = s[i] && strchr("0123456789+-.eE", s[i]) ? run + 1 : 0;
		if (run > 63)
			return 1;
	}
	return 0;
}

static int on_rec(void *ud, size_t off, size_t len, const jspan f[JF_N], int bad)
{
	const char *rec = (const char *)ud + off;
	(void)bad;
	sbuf t;
	sbuf_init(&t);
	for (int i = 0; i < JF_N; i++) {
		if (f[i].kind != JK_ABSENT && ((size_t)f[i].off + f[i].len > len))
			abort(); /* span outside the record */
		jscan_text(rec, &f[i], &t);
	}
	sbuf_free(&t);
	cJSON *c = cJSON_ParseWithLength(rec, len);
	if (!c && !cjson_quirk(rec, len))
		abort(); /* jscan accepted something cJSON rejects */
	cJSON_Delete(c);
	return 0;
}

static void on_err(void *ud, size_t off, const char *reason)
{
	(void)ud;
	if (!reason || !reason[0])
		abort();
	(void)off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* exact-size copy so ASan catches reads past the end */
	char *b = malloc(size ? size : 1);
	if (size)
		memcpy(b, data, size);

	enum jformat fmt = jframe_detect(b, size);
	(void)jformat_name(fmt);
	static const enum jformat all[] = { JFMT_RECORDS, JFMT_NDJSON, JFMT_ARRAY };
	for (size_t i = 0; i < 3; i++)
		jframe_walk(b, size, all[i], on_rec, on_err, b);
	jframe_walk(b, size, fmt, on_rec, on_err, b);

	/* jscan_record directly at the first '{' */
	size_t p = jscan_ws(b, size, 0);
	if (p < size && b[p] == '{') {
		jspan f[JF_N];
		jscan_err err;
		size_t end;
		int bad;
		if (jscan_record(b, size, p, &end, f, &bad, &err) == 0) {
			if (end > size)
				abort();
			cJSON *c = cJSON_ParseWithLength(b + p, end - p);
			if (!c && !cjson_quirk(b + p, end - p))
				abort();
			cJSON_Delete(c);
		} else if (err.off > size) {
			abort();
		}
	}

	/* jscan_path with a path from the first bytes: "<path>\n<json>" */
	const char *nl = memchr(b, '\n', size < 64 ? size : 64);
	if (nl) {
		size_t pl = (size_t)(nl - b);
		char path[65];
		memcpy(path, b, pl);
		path[pl] = 0;
		jspan sp;
		const char *rest = nl + 1;
		size_t rl = size - pl - 1;
		if (jscan_path(rest, rl, path, &sp) == 0) {
			if ((size_t)sp.off + sp.len > rl)
				abort();
			sbuf t;
			sbuf_init(&t);
			jscan_text(rest, &sp, &t);
			sbuf_free(&t);
		}
	}

	/* skip of any value, unescape of the raw bytes */
	{
		size_t end;
		if (jscan_skip(b, size, 0, &end, NULL) == 0 && end > size)
			abort();
		sbuf t;
		sbuf_init(&t);
		jscan_unescape(b, size, &t);
		sbuf_free(&t);
	}

	/* lookup view, then walk it */
	{
		sbuf v;
		jscan_err err;
		sbuf_init(&v);
		jframe_lookup_view(b, size, &v, &err);
		if (v.s)
			jframe_walk(v.s, v.len, JFMT_NDJSON, on_rec, on_err, v.s);
		sbuf_free(&v);
	}
	free(b);
	return 0;
}

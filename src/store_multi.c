/* store_multi.c — any-element paths ("resources[].ARN"): every value a path reaches
 * through its "[]" segments, kept in one interned string per event as a JSON array of
 * strings (["arn:a","arn:b"]), and read back one element at a time. */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "jscan.h"
#include "store.h"

#define MULTI_MAX_DEPTH 16 /* "[]" segments followed in one path */

int store_path_multi(const char *path)
{
	return strstr(path, "[]") != NULL;
}

static void add_value(const char *base, const jspan *sp, sbuf *text, sbuf *out, size_t *count)
{
	if (sp->kind == JK_NULL || sp->kind == JK_ABSENT)
		return;
	sbuf_reset(text);
	jscan_text(base, sp, text);
	sbuf_adds(out, *count ? ",\"" : "[\"");
	esc_json(out, text->s ? text->s : "", text->len);
	sbuf_addc(out, '"');
	(*count)++;
}

/* The span of the single JSON value v[0..n) (already validated by the scanner). */
static jspan value_span(const char *v, size_t n, size_t base)
{
	jspan sp = { (uint32_t)base, (uint32_t)n, JK_NUMBER, 0 };
	switch (v[0]) {
	case '"':
		sp.kind = JK_STRING;
		sp.off = (uint32_t)(base + 1);
		sp.len = (uint32_t)(n >= 2 ? n - 2 : 0);
		sp.esc = memchr(v + 1, '\\', sp.len) != NULL;
		break;
	case '{': sp.kind = JK_OBJECT; break;
	case '[': sp.kind = JK_ARRAY; break;
	case 't': sp.kind = JK_TRUE; break;
	case 'f': sp.kind = JK_FALSE; break;
	case 'n': sp.kind = JK_NULL; break;
	default: break;
	}
	return sp;
}

/* Walk path inside the value rec[0..len) (base: rec's offset in the record, for spans). */
static void walk(const char *rec, size_t len, const char *path, int depth, sbuf *text,
		 sbuf *out, size_t *count)
{
	const char *br = strstr(path, "[]");
	jspan sp;
	if (!br) {
		if (jscan_path(rec, len, path, &sp) == 0)
			add_value(rec, &sp, text, out, count);
		return;
	}
	if (depth >= MULTI_MAX_DEPTH)
		return;
	size_t arr_off, arr_len;
	if (br == path) { /* "[]" first: rec itself is the array */
		arr_off = jscan_ws(rec, len, 0);
		arr_len = len - arr_off;
	} else {
		if (br[-1] != '.' && br > path) {
			char *prefix = xstrndup(path, (size_t)(br - path));
			int r = jscan_path(rec, len, prefix, &sp);
			free(prefix);
			if (r < 0 || sp.kind != JK_ARRAY)
				return;
		} else {
			return; /* "a.[]" is not a path */
		}
		arr_off = sp.off;
		arr_len = sp.len;
	}
	if (arr_len < 2 || rec[arr_off] != '[')
		return;
	const char *rest = br + 2;
	if (*rest == '.')
		rest++;
	else if (*rest && strncmp(rest, "[]", 2) != 0)
		return; /* "a[]b" */
	const char *a = rec + arr_off;
	size_t p = jscan_ws(a, arr_len, 1);
	while (p < arr_len && a[p] != ']') {
		size_t end;
		jscan_err e;
		if (jscan_skip(a, arr_len, p, &end, &e) < 0)
			return;
		if (*rest)
			walk(a + p, end - p, rest, depth + 1, text, out, count);
		else {
			jspan el = value_span(a + p, end - p, 0);
			add_value(a + p, &el, text, out, count);
		}
		p = jscan_ws(a, arr_len, end);
		if (p < arr_len && a[p] == ',')
			p = jscan_ws(a, arr_len, p + 1);
	}
}

size_t store_multi_extract(const char *rec, size_t len, const char *path, sbuf *out)
{
	sbuf text;
	sbuf_init(&text);
	size_t count = 0;
	walk(rec, len, path, 0, &text, out, &count);
	if (count)
		sbuf_addc(out, ']');
	sbuf_free(&text);
	return count;
}

int store_multi_next(const char *s, size_t n, size_t *pos, sbuf *out)
{
	size_t p = *pos;
	if (p == 0 && n && s[0] == '[')
		p = 1;
	while (p < n && (s[p] == ',' || s[p] == ']'))
		p++;
	if (p >= n || s[p] != '"')
		return 0;
	size_t q = p + 1;
	while (q < n && s[q] != '"')
		q += s[q] == '\\' ? 2 : 1;
	if (q > n)
		q = n;
	sbuf_reset(out);
	sbuf_add(out, "", 0);
	jscan_unescape(s + p + 1, q - p - 1, out);
	*pos = q + 1;
	return 1;
}

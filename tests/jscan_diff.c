/* jscan_diff.c — differential test: jscan/jframe against cJSON on real files.
 *
 *   jscan_diff PATH...    (files or directories, recursively; .json, .jsonl, .json.gz)
 *
 * For every record jframe_walk delivers, every JF_ field and jscan_path on every top-level
 * key (plus one level below, and the first element of arrays) is compared with what cJSON
 * finds. Whole documents are also compared for validity and record counts. Prints
 * "N records, N fields compared, N mismatches" and exits 1 on any mismatch.
 *
 * Semantics chosen where the two differ (not counted as mismatches):
 *  - Duplicate keys: jscan takes the LAST occurrence; cJSON_GetObjectItem returns the
 *    first. We look keys up in the cJSON tree ourselves, taking the last child with the
 *    name, which is the semantics jscan promises.
 *  - Lone UTF-16 surrogate escapes ("\ud800" alone): RFC 8259 section 7 allows them in the
 *    grammar (section 8.2 only says the behaviour of software receiving them is
 *    unpredictable), so jscan accepts them and decodes them to U+FFFD; cJSON rejects the
 *    whole document. jscan is right per the RFC; such records are listed as "cjson quirk".
 *  - Numbers longer than 63 characters: valid JSON, but cJSON 1.7.15 copies at most 63
 *    bytes of a number and then fails on the rest. jscan is right; "cjson quirk".
 *  - Where cJSON is lenient (raw control bytes inside strings, any byte <= 0x20 as
 *    whitespace, "01", "1.", "+1", ".5" and other strtod-isms, nesting up to 1000 instead of
 *    512) jscan rejects, which is right per RFC 8259 (except the depth, which is our
 *    policy). Such a document counts as a mismatch only if cJSON accepts the file and jscan
 *    reports no corresponding error, which would be a real bug either way.
 *  - "\u0000" decodes to a NUL byte; cJSON's C string stops there, so strings are compared
 *    up to cJSON's strlen and the jscan byte at that position must be NUL.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <cjson/cJSON.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "jframe.h"
#include "jscan.h"

static unsigned long n_embedded, n_files, n_skipped, n_records, n_fields, n_mismatch, n_quirk, n_errors;
static const char *cur_file;

static void mismatch(const char *fmt, ...) TG_PRINTF(1, 2);
static void mismatch(const char *fmt, ...)
{
	va_list ap;
	n_mismatch++;
	if (n_mismatch > 200)
		return;
	printf("MISMATCH %s: ", cur_file);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int read_gz(const char *path, char **data, size_t *len)
{
	gzFile g = gzopen(path, "rb");
	if (!g)
		return -1;
	size_t cap = 1 << 16, n = 0;
	char *b = xmalloc(cap);
	for (;;) {
		if (cap - n < 65536) {
			cap *= 2;
			b = xrealloc(b, cap);
		}
		int r = gzread(g, b + n, (unsigned)(cap - n));
		if (r < 0) {
			gzclose(g);
			free(b);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	gzclose(g);
	*data = b;
	*len = n;
	return 0;
}

/* The last child of obj named key (jscan's duplicate-key rule). */
static cJSON *last_item(const cJSON *obj, const char *key, size_t kl)
{
	cJSON *found = NULL;
	if (!cJSON_IsObject(obj))
		return NULL;
	for (cJSON *c = obj->child; c; c = c->next)
		if (c->string && strlen(c->string) == kl && memcmp(c->string, key, kl) == 0)
			found = c;
	return found;
}

static cJSON *cj_path(const cJSON *root, const char *path)
{
	const cJSON *cur = root;
	const char *comp = path;
	for (;;) {
		const char *dot = strchr(comp, '.');
		size_t cl = dot ? (size_t)(dot - comp) : strlen(comp);
		if (cJSON_IsObject(cur)) {
			cur = last_item(cur, comp, cl);
		} else if (cJSON_IsArray(cur)) {
			char num[16];
			if (cl == 0 || cl >= sizeof num || strspn(comp, "0123456789") < cl)
				return NULL;
			memcpy(num, comp, cl);
			num[cl] = 0;
			cur = cJSON_GetArrayItem(cur, atoi(num));
		} else {
			return NULL;
		}
		if (!cur)
			return NULL;
		if (!dot)
			return (cJSON *)cur;
		comp = dot + 1;
	}
}

static int cj_kind(const cJSON *c)
{
	if (!c)
		return JK_ABSENT;
	if (cJSON_IsString(c))
		return JK_STRING;
	if (cJSON_IsNumber(c))
		return JK_NUMBER;
	if (cJSON_IsTrue(c))
		return JK_TRUE;
	if (cJSON_IsFalse(c))
		return JK_FALSE;
	if (cJSON_IsNull(c))
		return JK_NULL;
	if (cJSON_IsObject(c))
		return JK_OBJECT;
	return JK_ARRAY;
}

/* Compare one jscan span (relative to rec) with a cJSON node. */
static void compare(const char *rec, const jspan *sp, const cJSON *c, const char *what, size_t recno)
{
	n_fields++;
	int k = cj_kind(c);
	if (k != sp->kind) {
		mismatch("record %zu %s: kind jscan=%d cjson=%d", recno, what, sp->kind, k);
		return;
	}
	sbuf t;
	sbuf_init(&t);
	jscan_text(rec, sp, &t);
	switch (k) {
	case JK_STRING: {
		size_t cl = strlen(c->valuestring);
		int eq = t.len == cl ? memcmp(t.s, c->valuestring, cl) == 0
				     : (t.len > cl && memcmp(t.s, c->valuestring, cl) == 0 && t.s[cl] == 0);
		if (!eq)
			mismatch("record %zu %s: jscan='%.80s' cjson='%.80s'", recno, what, t.s, c->valuestring);
		break;
	}
	case JK_NUMBER: {
		double d = strtod(t.s, NULL);
		if (!(d == c->valuedouble || (isnan(d) && isnan(c->valuedouble))))
			mismatch("record %zu %s: number jscan=%s cjson=%.17g", recno, what, t.s, c->valuedouble);
		break;
	}
	case JK_OBJECT:
	case JK_ARRAY: {
		cJSON *o = cJSON_ParseWithLength(t.s, t.len);
		if (!o || !cJSON_Compare(o, c, 1))
			mismatch("record %zu %s: container text differs", recno, what);
		cJSON_Delete(o);
		break;
	}
	default:
		break;
	}
	sbuf_free(&t);
}

/* Known cJSON 1.7.15 rejections of valid JSON, see the top comment. */
static const char *cjson_quirk(const char *s, size_t n)
{
	for (size_t i = 0; i + 6 <= n; i++) {
		if (s[i] == '\\') {
			if (s[i + 1] == 'u' && (s[i + 2] | 0x20) == 'd' && strchr("89abcdefABCDEF", s[i + 3]))
				return "UTF-16 surrogate escape (cJSON rejects lone ones)";
			i++;
		}
	}
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		run = strchr("0123456789+-.eE", s[i]) && s[i] ? run + 1 : 0;
		if (run > 63)
			return "number longer than 63 characters";
	}
	return NULL;
}

typedef struct fctx {
	const char *buf;
	size_t nrec;
	size_t nerr;
} fctx;

static int on_rec(void *ud, size_t off, size_t len, const jspan f[JF_N], int bad)
{
	fctx *x = ud;
	const char *rec = x->buf + off;
	(void)bad;
	x->nrec++;
	n_records++;
	cJSON *root = cJSON_ParseWithLength(rec, len);
	if (!root) {
		const char *q = cjson_quirk(rec, len);
		if (q) {
			n_quirk++;
			printf("cjson quirk %s record %zu: %s\n", cur_file, x->nrec, q);
		} else {
			mismatch("record %zu at %zu: jscan accepts, cJSON rejects", x->nrec, off);
		}
		return 0;
	}
	for (int i = 0; i < JF_N; i++)
		compare(rec, &f[i], cj_path(root, jf_path[i]), jf_path[i], x->nrec);
	/* jscan_path on every top-level key, one level below and the first array element */
	for (cJSON *c = root->child; c; c = c->next) {
		if (!c->string || strchr(c->string, '.') || !c->string[0])
			continue;
		jspan sp = { 0, 0, 0, 0 };
		char path[512];
		if (jscan_path(rec, len, c->string, &sp) != 0)
			sp.kind = JK_ABSENT;
		compare(rec, &sp, last_item(root, c->string, strlen(c->string)), c->string, x->nrec);
		cJSON *v = last_item(root, c->string, strlen(c->string));
		if (!v || c != v)
			continue; /* compare children of the winning duplicate only once */
		int k = 0;
		for (cJSON *d = v->child; d && k < 50; d = d->next, k++) {
			if (cJSON_IsObject(v)) {
				if (!d->string || strchr(d->string, '.') || !d->string[0])
					continue;
				snprintf(path, sizeof path, "%s.%s", c->string, d->string);
			} else {
				snprintf(path, sizeof path, "%s.%d", c->string, k);
			}
			if (jscan_path(rec, len, path, &sp) != 0)
				sp.kind = JK_ABSENT;
			compare(rec, &sp, cj_path(root, path), path, x->nrec);
			if (cJSON_IsArray(v) && cJSON_IsObject(d) && d->child && d->child->string &&
			    !strchr(d->child->string, '.') && d->child->string[0]) {
				snprintf(path, sizeof path, "%s.%d.%s", c->string, k, d->child->string);
				if (jscan_path(rec, len, path, &sp) != 0)
					sp.kind = JK_ABSENT;
				compare(rec, &sp, cj_path(root, path), path, x->nrec);
			}
		}
	}
	cJSON_Delete(root);
	return 0;
}

static void on_err(void *ud, size_t off, const char *reason)
{
	fctx *x = ud;
	x->nerr++;
	n_errors++;
	printf("reported %s @%zu: %s\n", cur_file, off, reason);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int looks_like_event(const cJSON *o)
{
	return cJSON_IsObject(o) && (last_item(o, "eventName", 9) || last_item(o, "eventSource", 11) ||
				     last_item(o, "eventVersion", 12));
}

/* Events embedded in other JSON (the Panther rule files keep them under tests[].log):
 * find the outermost event-like objects in the cJSON tree (explicit stack), print them
 * compactly and compare jscan with cJSON on that text. */
static size_t embedded_doc(cJSON *doc)
{
	cJSON *stk[256];
	size_t sp = 0, found = 0;
	stk[sp++] = doc;
	while (sp) {
		cJSON *o = stk[--sp];
		if (looks_like_event(o)) {
			char *txt = cJSON_PrintUnformatted(o);
			if (!txt)
				continue;
			size_t tl = strlen(txt), end;
			jspan f[JF_N];
			jscan_err err;
			int bad;
			n_embedded++;
			found++;
			if (jscan_record(txt, tl, 0, &end, f, &bad, &err) != 0 || end != tl) {
				mismatch("embedded event %zu: jscan rejects cJSON's output at %zu: %s", found,
					 err.off, err.reason);
			} else {
				fctx x = { txt, found - 1, 0 };
				on_rec(&x, 0, tl, f, bad);
			}
			free(txt);
			continue;
		}
		for (cJSON *c = o->child; c; c = c->next)
			if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && sp < sizeof stk / sizeof stk[0])
				stk[sp++] = c;
	}
	return found;
}

static size_t embedded(const char *buf, size_t len)
{
	size_t found = 0;
	cJSON *doc = cJSON_ParseWithLength(buf, len);
	if (doc) {
		found = embedded_doc(doc);
		cJSON_Delete(doc);
		return found;
	}
	/* JSON lines */
	for (size_t p = 0; p < len;) {
		const char *nl = memchr(buf + p, '\n', len - p);
		size_t e = nl ? (size_t)(nl - buf) : len;
		if (e > p && (doc = cJSON_ParseWithLength(buf + p, e - p))) {
			found += embedded_doc(doc);
			cJSON_Delete(doc);
		}
		p = e + 1;
	}
	return found;
}

static void do_file(const char *path)
{
	char *buf;
	size_t len;
	if (!has_suffix(path, ".json") && !has_suffix(path, ".json.gz") && !has_suffix(path, ".jsonl"))
		return;
	cur_file = path;
	if (read_gz(path, &buf, &len) != 0) {
		printf("cannot read %s\n", path);
		return;
	}
	n_files++;
	enum jformat fmt = jframe_detect(buf, len);
	const char *walkbuf = buf;
	size_t walklen = len;
	sbuf view;
	sbuf_init(&view);
	if (fmt == JFMT_LOOKUP) {
		jscan_err err;
		if (jframe_lookup_view(buf, len, &view, &err) != 0)
			printf("reported %s @%zu: %s\n", path, err.off, err.reason);
		walkbuf = view.s;
		walklen = view.len;
	}
	if (fmt == JFMT_UNKNOWN) {
		size_t k = embedded(buf, len);
		if (k) {
			printf("%s: unknown, %zu embedded events compared\n", path, k);
			sbuf_free(&view);
			free(buf);
			return;
		}
	}
	if (fmt != JFMT_RECORDS && fmt != JFMT_ARRAY && fmt != JFMT_NDJSON && fmt != JFMT_LOOKUP) {
		printf("skip %s (%s)\n", path, jformat_name(fmt));
		n_skipped++;
		sbuf_free(&view);
		free(buf);
		return;
	}
	fctx x = { walkbuf, 0, 0 };
	jframe_walk(walkbuf, walklen, fmt == JFMT_LOOKUP ? JFMT_NDJSON : fmt, on_rec, on_err, &x);

	/* whole-document check for the enveloped formats */
	if (fmt == JFMT_RECORDS || fmt == JFMT_ARRAY) {
		cJSON *doc = cJSON_ParseWithLength(buf, len);
		if (doc) {
			const cJSON *arr = fmt == JFMT_ARRAY ? doc : last_item(doc, "Records", 7);
			size_t want = (size_t)cJSON_GetArraySize(arr);
			if (x.nerr)
				mismatch("cJSON parses the file, jscan reported %zu errors", x.nerr);
			else if (want != x.nrec)
				mismatch("cJSON sees %zu records, jscan delivered %zu", want, x.nrec);
			cJSON_Delete(doc);
		} else if (x.nerr == 0 && !cjson_quirk(buf, len)) {
			mismatch("cJSON rejects the file, jscan reported no error");
		}
	}
	printf("%s: %s, %zu records, %zu errors\n", path, jformat_name(fmt), x.nrec, x.nerr);
	sbuf_free(&view);
	free(buf);
}

static int walk_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F)
		do_file(path);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: jscan_diff PATH...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (nftw(argv[i], walk_cb, 32, FTW_PHYS) != 0)
			fprintf(stderr, "jscan_diff: cannot walk %s\n", argv[i]);
	printf("%lu files (%lu skipped as not event files), %lu records (%lu of them embedded in "
	       "other JSON), %lu fields compared, %lu mismatches, %lu errors reported, %lu cjson quirks\n",
	       n_files, n_skipped, n_records, n_embedded, n_fields, n_mismatch, n_errors, n_quirk);
	return n_mismatch ? 1 : 0;
}

/* aws_sigv4_canon.c — SigV4 canonicalization: UriEncode, the canonical URI (normalized
 * and encoded twice, or S3's path as sent), the canonical query and the canonical headers.
 * Facts: ../shared/reference/aws.md §5.1-5.2. */
#include "aws_sigv4.h"

#include <stdlib.h>
#include <string.h>

static const char hexu[] = "0123456789ABCDEF";

static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void sigv4_uri_encode(sbuf *out, const char *s, size_t n, int keep_slash)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (unreserved(c) || (keep_slash && c == '/')) {
			sbuf_addc(out, (char)c);
		} else {
			char e[3] = {'%', hexu[c >> 4], hexu[c & 15]};
			sbuf_add(out, e, 3);
		}
	}
}

/* Percent-decode s[0..n) into out ('+' stays '+'; a bad escape stays literal). */
static void pct_decode(sbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 && (l = hexval(s[i + 2])) >= 0) {
			sbuf_addc(out, (char)(h * 16 + l));
			i += 2;
		} else {
			sbuf_addc(out, s[i]);
		}
	}
}

/* --- canonical URI ------------------------------------------------------------------ */

/* botocore's remove_dot_segments: drop empty and "." segments, ".." pops; keep the
 * leading slash and a trailing slash (when anything is left). */
static void normalize_path(sbuf *out, const char *p)
{
	size_t n = strlen(p), nseg = 0, cap = 0;
	const char **seg = NULL;
	size_t *slen = NULL, scap = 0;
	for (size_t i = 0; i <= n;) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		size_t l = j - i;
		if (l == 2 && p[i] == '.' && p[i + 1] == '.') {
			if (nseg)
				nseg--;
		} else if (l && !(l == 1 && p[i] == '.')) {
			xgrow((void **)&seg, &cap, nseg + 1, sizeof *seg);
			xgrow((void **)&slen, &scap, nseg + 1, sizeof *slen);
			seg[nseg] = p + i;
			slen[nseg++] = l;
		}
		i = j + 1;
	}
	if (p[0] == '/')
		sbuf_addc(out, '/');
	for (size_t k = 0; k < nseg; k++) {
		if (k)
			sbuf_addc(out, '/');
		sbuf_add(out, seg[k], slen[k]);
	}
	if (n && p[n - 1] == '/' && nseg)
		sbuf_addc(out, '/');
	free(seg);
	free(slen);
}

void sigv4_canonical_uri(sbuf *out, const char *path, int s3)
{
	if (!path || !*path) {
		sbuf_addc(out, '/');
		return;
	}
	if (s3) {
		/* as sent: existing %XX escapes and '/' kept, anything not allowed encoded */
		size_t n = strlen(path);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)path[i];
			if (c == '%' && i + 2 < n && hexval(path[i + 1]) >= 0 &&
			    hexval(path[i + 2]) >= 0) {
				sbuf_add(out, path + i, 3);
				i += 2;
			} else {
				sigv4_uri_encode(out, path + i, 1, 1);
			}
		}
		return;
	}
	sbuf norm;
	sbuf_init(&norm);
	normalize_path(&norm, path);
	if (!norm.len)
		sbuf_addc(out, '/');
	else
		sigv4_uri_encode(out, norm.s, norm.len, 1);
	sbuf_free(&norm);
}

/* --- canonical query ---------------------------------------------------------------- */

typedef struct kv {
	char *k, *v;
	size_t idx;
} kv;

static int kv_cmp(const void *a, const void *b)
{
	const kv *x = a, *y = b;
	int c = strcmp(x->k, y->k);
	if (!c)
		c = strcmp(x->v, y->v);
	if (!c)
		c = x->idx < y->idx ? -1 : x->idx > y->idx;
	return c;
}

void sigv4_canonical_query(sbuf *out, const char *q)
{
	if (!q || !*q)
		return;
	kv *a = NULL;
	size_t n = 0, cap = 0, qn = strlen(q);
	sbuf dec;
	sbuf_init(&dec);
	for (size_t i = 0; i <= qn;) {
		size_t j = i;
		while (j < qn && q[j] != '&')
			j++;
		if (j > i) {
			const char *eq = memchr(q + i, '=', j - i);
			size_t kl = eq ? (size_t)(eq - (q + i)) : j - i;
			sbuf e;
			xgrow((void **)&a, &cap, n + 1, sizeof *a);
			for (int part = 0; part < 2; part++) {
				const char *s = part ? (eq ? eq + 1 : "") : q + i;
				size_t l = part ? (eq ? (size_t)(q + j - eq - 1) : 0) : kl;
				sbuf_reset(&dec);
				pct_decode(&dec, s, l);
				sbuf_init(&e);
				sbuf_adds(&e, ""); /* never NULL */
				sigv4_uri_encode(&e, dec.s ? dec.s : "", dec.len, 0);
				if (part)
					a[n].v = sbuf_take(&e);
				else
					a[n].k = sbuf_take(&e);
			}
			a[n].idx = n;
			n++;
		}
		i = j + 1;
	}
	if (n)
		qsort(a, n, sizeof *a, kv_cmp);
	for (size_t i = 0; i < n; i++) {
		sbuf_addf(out, "%s%s=%s", i ? "&" : "", a[i].k, a[i].v);
		free(a[i].k);
		free(a[i].v);
	}
	free(a);
	sbuf_free(&dec);
}

/* --- canonical headers -------------------------------------------------------------- */

typedef struct hv {
	char *name;
	const char *value;
	size_t idx;
} hv;

static int hv_cmp(const void *a, const void *b)
{
	const hv *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static int token_char(unsigned char c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* Trimmed value with inner whitespace runs (incl. folded lines) collapsed to one space. */
static void add_trimmed(sbuf *out, const char *v)
{
	int sp = 0, any = 0;
	for (; v && *v; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n') {
			sp = any;
			continue;
		}
		if (sp)
			sbuf_addc(out, ' ');
		sp = 0;
		any = 1;
		sbuf_addc(out, *v);
	}
}

int sigv4_canonical_headers(sbuf *out, sbuf *signed_h, const sigv4_header *h, size_t nh)
{
	int rc = 0;
	hv *a = xcalloc(nh ? nh : 1, sizeof *a);
	for (size_t i = 0; i < nh; i++) {
		const char *nm = h[i].name ? h[i].name : "";
		a[i].name = xstrdup(nm);
		if (!*nm)
			rc = -1;
		for (char *p = a[i].name; *p; p++) {
			if (!token_char((unsigned char)*p))
				rc = -1;
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		}
		a[i].value = h[i].value;
		a[i].idx = i;
	}
	if (nh)
		qsort(a, nh, sizeof *a, hv_cmp);
	for (size_t i = 0; i < nh; i++) {
		int same = i && !strcmp(a[i].name, a[i - 1].name);
		if (same) {
			sbuf_addc(out, ',');
		} else {
			if (i)
				sbuf_addc(out, '\n');
			sbuf_addf(out, "%s:", a[i].name);
			sbuf_addf(signed_h, "%s%s", signed_h->len ? ";" : "", a[i].name);
		}
		add_trimmed(out, a[i].value);
	}
	if (nh)
		sbuf_addc(out, '\n');
	for (size_t i = 0; i < nh; i++)
		free(a[i].name);
	free(a);
	return rc;
}


/* source_s3_list.c — ListObjectsV2 for the S3 source: pages, url-encoded keys, the
 * wrong-region redirect, and the shared helpers (addressing, messages, progress). */
#include "source_s3_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aws_sigv4.h"
#include "aws_xml.h"
#include "esc.h"

void s3_listing_free(s3_listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].key);
	free(l->v);
	strvec_free(&l->prefixes);
	memset(l, 0, sizeof *l);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void s3_url_decode(const char *s, size_t n, sbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '+')
			sbuf_addc(out, ' ');
		else if (s[i] == '%' && i + 2 < n &&
			 (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
			sbuf_addc(out, (char)(hi << 4 | lo));
			i += 2;
		} else
			sbuf_addc(out, s[i]);
	}
}

void s3_wire_path(const s3_ctx *c, const char *key, sbuf *out)
{
	sbuf_reset(out);
	sbuf_addc(out, '/');
	if (c->path_style) {
		sbuf_adds(out, c->bucket);
		if (key)
			sbuf_addc(out, '/');
	}
	if (key)
		sigv4_uri_encode(out, key, strlen(key), 1);
}

void s3_call_init(const s3_ctx *c, aws_call *call)
{
	memset(call, 0, sizeof *call);
	call->service = "s3";
	call->region = c->region;
	call->method = "GET";
	if (!c->path_style)
		call->host_prefix = c->host_prefix;
}

void s3_warnf(s3_ctx *c, const char *fmt, ...)
{
	sbuf m, e;
	sbuf_init(&m);
	sbuf_init(&e);
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&m, fmt, ap);
	va_end(ap);
	esc_term(&e, m.s ? m.s : "", m.len);
	sbuf m2;
	sbuf_init(&m2);
	esc_term(&m2, c->spec, strlen(c->spec));
	fprintf(c->warn, "trailguide: %s: %s\n", m2.s, e.s ? e.s : "");
	fflush(c->warn);
	sbuf_free(&m);
	sbuf_free(&e);
	sbuf_free(&m2);
}

void s3_explain(s3_ctx *c, const aws_call *call, const aws_resp *r)
{
	sbuf x;
	sbuf_init(&x);
	aws_explain(c->aws, call, r, &x);
	s3_warnf(c, "%s", x.s ? x.s : "request failed");
	sbuf_free(&x);
}

void s3_progress(s3_ctx *c, const char *phase, size_t done, size_t total)
{
	if (!c->o->progress)
		return;
	source_progress p = {0};
	p.phase = phase;
	p.files_done = done;
	p.files_total = total;
	p.bytes = c->st->bytes;
	p.elapsed = now_mono() - c->t0;
	c->o->progress(&p, c->o->progress_ud);
}

static void add_param(sbuf *q, const char *name, const char *val)
{
	if (q->len)
		sbuf_addc(q, '&');
	sbuf_adds(q, name);
	sbuf_addc(q, '=');
	sigv4_uri_encode(q, val, strlen(val), 0);
}

/* The bucket lives elsewhere: move c to its region (once). 1 if moved. */
static int follow_region(s3_ctx *c, const aws_resp *r)
{
	sbuf reg;
	sbuf_init(&reg);
	if (r->bucket_region[0])
		sbuf_adds(&reg, r->bucket_region);
	else if (r->body.s)
		awsxml_get(r->body.s, r->body.len, "Region", &reg);
	int ok = 0;
	if (!c->redirected && reg.len && reg.len < sizeof c->region &&
	    strcmp(reg.s, c->region) != 0 && strspn(reg.s, "abcdefghijklmnopqrstuvwxyz0123456789-") == reg.len &&
	    (r->status == 301 || r->status == 307 || !strcmp(r->code, "PermanentRedirect") ||
	     !strcmp(r->code, "AuthorizationHeaderMalformed") ||
	     !strcmp(r->code, "IllegalLocationConstraintException"))) {
		s3_warnf(c, "the bucket is in %s, not %s: retrying there; pass --region %s next time",
			 reg.s, c->region, reg.s);
		snprintf(c->region, sizeof c->region, "%s", reg.s);
		sbuf_reset(&c->endpoint);
		aws_endpoint(c->aws, "s3", c->region, &c->endpoint, &c->custom);
		c->redirected = 1;
		ok = 1;
	}
	sbuf_free(&reg);
	return ok;
}

void s3_parse_page(const char *xml, size_t n, s3_listing *l, sbuf *next, sbuf *lastkey)
{
	sbuf t, d;
	sbuf_init(&t);
	sbuf_init(&d);
	const char *in;
	size_t inl, pos = 0;
	while (awsxml_next(xml, n, &pos, "Contents", &in, &inl)) {
		sbuf_reset(&t);
		sbuf_reset(&d);
		if (!awsxml_get(in, inl, "Key", &t) || !t.len)
			continue;
		s3_url_decode(t.s, t.len, &d);
		if (!d.s || memchr(d.s, 0, d.len))
			continue;
		xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
		s3_obj *o = &l->v[l->n++];
		memset(o, 0, sizeof *o);
		o->key = xstrdup(d.s);
		sbuf_reset(lastkey);
		sbuf_adds(lastkey, d.s);
		sbuf_reset(&t);
		if (awsxml_get(in, inl, "ETag", &t) && t.len)
			snprintf(o->etag, sizeof o->etag, "%s", t.s);
		sbuf_reset(&t);
		if (awsxml_get(in, inl, "Size", &t) && t.len)
			o->size = strtoull(t.s, NULL, 10);
	}
	pos = 0;
	while (awsxml_next(xml, n, &pos, "CommonPrefixes", &in, &inl)) {
		sbuf_reset(&t);
		sbuf_reset(&d);
		if (!awsxml_get(in, inl, "Prefix", &t) || !t.len)
			continue;
		s3_url_decode(t.s, t.len, &d);
		if (d.s && !memchr(d.s, 0, d.len))
			strvec_push(&l->prefixes, d.s);
	}
	sbuf_reset(&t);
	sbuf_reset(next);
	if (awsxml_get(xml, n, "IsTruncated", &t) && t.s && !strcmp(t.s, "true"))
		awsxml_get(xml, n, "NextContinuationToken", next);
	sbuf_free(&t);
	sbuf_free(&d);
}

int s3_list(s3_ctx *c, const char *prefix, const char *delim, const char *start_after,
	    const char *stop_after, s3_listing *l)
{
	sbuf q, path, next, lastkey;
	sbuf_init(&q);
	sbuf_init(&path);
	sbuf_init(&next);
	sbuf_init(&lastkey);
	char mk[16];
	snprintf(mk, sizeof mk, "%d", c->max_keys);
	aws_resp r;
	aws_resp_init(&r);
	int rc = 0, pages = 0;
	for (;;) {
		if (c->o->cancel && *c->o->cancel) {
			rc = -1;
			break;
		}
		/* parameters in canonical (sorted) order */
		sbuf_reset(&q);
		if (next.len)
			add_param(&q, "continuation-token", next.s);
		if (delim)
			add_param(&q, "delimiter", delim);
		add_param(&q, "encoding-type", "url");
		add_param(&q, "list-type", "2");
		add_param(&q, "max-keys", mk);
		add_param(&q, "prefix", prefix);
		if (start_after && !next.len)
			add_param(&q, "start-after", start_after);
		aws_call call;
		s3_call_init(c, &call);
		s3_wire_path(c, NULL, &path);
		call.path = path.s;
		call.query = q.s;
		aws_resp_reset(&r);
		c->st->requests++;
		if (aws_call_run(c->aws, &call, &r) < 0) {
			if (follow_region(c, &r))
				continue;
			s3_explain(c, &call, &r);
			/* nothing else can work either (a denied prefix may be alone) */
			if (!strcmp(r.code, "NoSuchBucket") || !strcmp(r.code, "Credentials") ||
			    !strcmp(r.code, "InvalidAccessKeyId") || !strcmp(r.code, "ExpiredToken") ||
			    !strcmp(r.code, "SignatureDoesNotMatch") || !strcmp(r.code, "DNS") ||
			    !strcmp(r.code, "TLS"))
				c->fatal = 1;
			rc = -1;
			break;
		}
		pages++;
		s3_parse_page(r.body.s ? r.body.s : "", r.body.len, l, &next, &lastkey);
		s3_progress(c, "listing", 0, l->n);
		if (!next.len)
			break;
		if (stop_after && lastkey.len && strcmp(lastkey.s, stop_after) > 0)
			break;
	}
	aws_resp_free(&r);
	sbuf_free(&q);
	sbuf_free(&path);
	sbuf_free(&next);
	sbuf_free(&lastkey);
	return rc;
}

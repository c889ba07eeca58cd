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

int s3_retry(s3_ctx *c, const aws_resp *r, int why, int attempt, double *not_before)
{
	int max = c->aws->max_attempts > 0 ? c->aws->max_attempts : 5;
	if (!why || attempt >= max)
		return 0;
	if (why == 1)
		c->st->throttled++;
	double wait = aws_backoff_ms(attempt) / 1000.0;
	if (r->retry_after > wait)
		wait = r->retry_after;
	*not_before = now_mono() + wait;
	return 1;
}

int s3_due(double not_before, double now, double *soonest)
{
	if (not_before <= now)
		return 1;
	if (*soonest < 0 || not_before < *soonest)
		*soonest = not_before;
	return 0;
}

int s3_multi_done(CURLM *m, int perform, size_t *i, CURLcode *res)
{
	if (perform) {
		int running;
		curl_multi_perform(m, &running);
	}
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(m, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		void *pv = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &pv);
		*i = (size_t)(uintptr_t)pv;
		*res = msg->data.result;
		return 1;
	}
	return 0;
}

void s3_multi_wait(CURLM *m, int active, double soonest)
{
	int ms = 200;
	if (active == 0 && soonest > 0)
		ms = (int)((soonest - now_mono()) * 1000) + 1;
	if (ms > 0)
		curl_multi_poll(m, NULL, 0, ms > 200 ? 200 : ms, NULL);
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
	/* keys are form-encoded only when the answer says so (a server may ignore the ask) */
	int enc = awsxml_get(xml, n, "EncodingType", &t) && t.s && !strcmp(t.s, "url");
	while (awsxml_next(xml, n, &pos, "Contents", &in, &inl)) {
		sbuf_reset(&t);
		sbuf_reset(&d);
		if (!awsxml_get(in, inl, "Key", &t) || !t.len)
			continue;
		if (enc)
			s3_url_decode(t.s, t.len, &d);
		else
			sbuf_add(&d, t.s, t.len);
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
		if (enc)
			s3_url_decode(t.s, t.len, &d);
		else
			sbuf_add(&d, t.s, t.len);
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

/* One listing job: a prefix (with its level in the walk), page after page. */
typedef struct ljob {
	int level, state, attempt;
	int moved;      /* re-sent after the region move: a second redirect is an error */
	char *prefix, *start, *stop;
	int delim;
	sbuf token, path, query;
	double not_before, t0;
	CURL *h;
	struct curl_slist *hdrs;
	aws_resp r;
	aws_call call;
} ljob;

enum { J_WAIT, J_ACTIVE, J_DONE };

struct s3_walker {
	ljob **v;
	size_t n, cap, first;
	s3_expand_fn expand;
	s3_page_fn page;
};

void s3_enqueue(s3_walker *w, int level, const char *prefix, int delim, const char *start,
		const char *stop)
{
	ljob *j = xcalloc(1, sizeof *j);
	j->level = level;
	j->prefix = xstrdup(prefix);
	j->delim = delim;
	j->start = start ? xstrdup(start) : NULL;
	j->stop = stop ? xstrdup(stop) : NULL;
	aws_resp_init(&j->r);
	xgrow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v);
	w->v[w->n++] = j;
}

static void job_free(ljob *j)
{
	free(j->prefix);
	free(j->start);
	free(j->stop);
	sbuf_free(&j->token);
	sbuf_free(&j->path);
	sbuf_free(&j->query);
	aws_resp_free(&j->r);
	free(j);
}

void s3_trace(s3_ctx *c, CURL *h, const aws_call *call, const aws_resp *r, double t0,
	      int attempt)
{
	if (!c->aws->trace)
		return;
	char *url = NULL;
	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &url);
	const char *host = url ? strstr(url, "://") : NULL;
	host = host ? host + 3 : "";
	fprintf(c->aws->trace, "GET %.*s %s %ld %.0fms attempt=%d%s%s\n",
		(int)strcspn(host, "/?"), host, call->path, r->status, (now_mono() - t0) * 1000.0,
		attempt, r->code[0] ? " " : "", r->code);
	fflush(c->aws->trace);
}

/* Start job j (index i) on m. -1 when no handle could be made (explained, fatal). */
static int job_start(s3_ctx *c, CURLM *m, ljob *j, size_t i)
{
	char mk[16];
	snprintf(mk, sizeof mk, "%d", c->max_keys);
	sbuf_reset(&j->query); /* parameters in canonical (sorted) order */
	if (j->token.len)
		add_param(&j->query, "continuation-token", j->token.s);
	if (j->delim)
		add_param(&j->query, "delimiter", "/");
	add_param(&j->query, "encoding-type", "url");
	add_param(&j->query, "list-type", "2");
	add_param(&j->query, "max-keys", mk);
	add_param(&j->query, "prefix", j->prefix);
	if (j->start && !j->token.len)
		add_param(&j->query, "start-after", j->start);
	s3_call_init(c, &j->call);
	s3_wire_path(c, NULL, &j->path);
	j->call.path = j->path.s;
	j->call.query = j->query.s;
	aws_resp_reset(&j->r);
	j->h = aws_easy_new(c->aws, &j->call, &j->r, &j->hdrs);
	if (!j->h) {
		s3_explain(c, &j->call, &j->r);
		c->fatal = 1;
		return -1;
	}
	curl_easy_setopt(j->h, CURLOPT_PRIVATE, (void *)(uintptr_t)i);
	curl_multi_add_handle(m, j->h);
	c->st->requests++;
	j->attempt++;
	j->t0 = now_mono();
	j->state = J_ACTIVE;
	return 0;
}

static int is_fatal(const aws_resp *r)
{
	static const char *const codes[] = {"NoSuchBucket", "Credentials", "InvalidAccessKeyId",
		"ExpiredToken", "SignatureDoesNotMatch", "DNS", "TLS", "InvalidBucketName"};
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (!strcmp(r->code, codes[i]))
			return 1;
	return 0;
}

/* A listing request ended: the page to the walk, the next page queued, or a retry. */
static void job_done(s3_ctx *c, s3_walker *w, CURLM *m, ljob *j, CURLcode cc)
{
	int ok = aws_easy_finish(j->h, cc, &j->r) == 0;
	s3_trace(c, j->h, &j->call, &j->r, j->t0, j->attempt);
	curl_multi_remove_handle(m, j->h);
	curl_easy_cleanup(j->h);
	curl_slist_free_all(j->hdrs);
	j->h = NULL;
	j->hdrs = NULL;
	j->state = J_DONE;
	if (ok) {
		c->lists_ok++;
		s3_listing page = {0};
		sbuf last;
		sbuf_init(&last);
		s3_parse_page(j->r.body.s ? j->r.body.s : "", j->r.body.len, &page, &j->token, &last);
		w->page(c, w, j->level, j->prefix, &page);
		s3_listing_free(&page);
		if (j->token.len && !(j->stop && last.len && strcmp(last.s, j->stop) > 0)) {
			j->state = J_WAIT;
			j->attempt = 0;
			j->not_before = 0;
		}
		sbuf_free(&last);
		return;
	}
	if (!j->moved &&
	    (follow_region(c, &j->r) ||
	     (c->redirected && j->r.bucket_region[0] && !strcmp(j->r.bucket_region, c->region)))) {
		j->state = J_WAIT; /* sent before the move: again, in the bucket's region, once */
		j->attempt = 0;
		j->moved = 1;
		return;
	}
	if (s3_retry(c, &j->r, aws_retryable(&j->r), j->attempt, &j->not_before)) {
		j->state = J_WAIT;
		return;
	}
	if (c->lists_ok == 0 || is_fatal(&j->r))
		c->fatal = 1;
	else
		c->list_errors++;
	if (c->fatal ? c->messages++ == 0 : c->messages++ < 3)
		s3_explain(c, &j->call, &j->r);
}

void s3_walk(s3_ctx *c, int level, const char *prefix, s3_expand_fn expand, s3_page_fn page)
{
	s3_walker w = {0};
	w.expand = expand;
	w.page = page;
	expand(c, &w, level, prefix);
	int par = c->o->parallel > 0 ? c->o->parallel : 8, active = 0;
	CURLM *m = curl_multi_init();
	while (!c->fatal && !(c->o->cancel && *c->o->cancel)) {
		double now = now_mono(), soonest = -1;
		while (w.first < w.n && w.v[w.first]->state == J_DONE)
			w.first++;
		/* until one listing worked (credentials, region), one request at a time */
		int limit = c->lists_ok ? par : 1;
		for (size_t i = w.first; i < w.n && active < limit; i++) {
			ljob *j = w.v[i];
			if (j->state != J_WAIT)
				continue;
			if (!s3_due(j->not_before, now, &soonest))
				continue;
			if (job_start(c, m, j, i) < 0)
				break;
			active++;
		}
		if (c->fatal || (active == 0 && soonest < 0))
			break;
		size_t i;
		CURLcode res;
		for (int perform = 1; s3_multi_done(m, perform, &i, &res); perform = 0) {
			job_done(c, &w, m, w.v[i], res);
			active--;
			if (w.v[i]->state == J_WAIT && i < w.first)
				w.first = i;
		}
		s3_progress(c, "listing", 0, c->keepp ? c->keepp->n : 0);
		s3_multi_wait(m, active, soonest);
	}
	for (size_t i = 0; i < w.n; i++) {
		if (w.v[i]->h) {
			curl_multi_remove_handle(m, w.v[i]->h);
			curl_easy_cleanup(w.v[i]->h);
			curl_slist_free_all(w.v[i]->hdrs);
		}
		if (w.v[i]->state != J_DONE && !c->fatal && !(c->o->cancel && *c->o->cancel))
			c->list_errors++;
		job_free(w.v[i]);
	}
	free(w.v);
	curl_multi_cleanup(m);
}

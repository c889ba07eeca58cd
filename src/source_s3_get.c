/* source_s3_get.c — fetch trail objects into the cache with libcurl multi.
 *
 * Cache layout: CACHE/s3/BUCKET/KEY is the object as stored (gzip bytes, never decoded by
 * libcurl) and CACHE/s3/BUCKET/KEY.etag holds "ETAG SIZE\n" from the listing it was fetched
 * for. A later listing with the same ETag and Size (and a file of that size) is served from
 * the cache without a request. Objects arrive in KEY.part-PID and are renamed into place
 * when complete; the .etag sidecar is removed first and written last, so an interrupted run
 * only ever causes a refetch. */
#include "source_s3_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { XF_WAIT, XF_ACTIVE, XF_OK, XF_FAILED, XF_CACHED };

typedef struct xfer {
	int state, attempt;
	double not_before, t0;
	FILE *fp;
	CURL *h;
	struct curl_slist *hdrs;
	aws_resp r;
	aws_call call;
	sbuf wire, local;
} xfer;

static int mkdir_parents(const char *file)
{
	char *p = xstrdup(file), *slash = strrchr(p, '/');
	int rc = 0;
	if (slash && slash != p) {
		*slash = 0;
		rc = mkdir_p(p);
	}
	free(p);
	return rc;
}

static int is_cached(const char *local, const s3_obj *o)
{
	struct stat sb;
	if (stat(local, &sb) < 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size != o->size)
		return 0;
	sbuf side, want;
	sbuf_init(&side);
	sbuf_init(&want);
	sbuf_addf(&side, "%s.etag", local);
	sbuf_addf(&want, "%s %llu\n", o->etag, (unsigned long long)o->size);
	int hit = read_file_into(side.s, &side) == 0 && side.len == want.len &&
		  memcmp(side.s, want.s, want.len) == 0;
	sbuf_free(&side);
	sbuf_free(&want);
	return hit && o->etag[0];
}

static void write_sidecar(const char *local, const s3_obj *o)
{
	sbuf side, tmp;
	sbuf_init(&side);
	sbuf_init(&tmp);
	sbuf_addf(&side, "%s.etag", local);
	sbuf_addf(&tmp, "%s.part-%ld", side.s, (long)getpid());
	FILE *f = fopen(tmp.s, "w");
	if (f) {
		fprintf(f, "%s %llu\n", o->etag, (unsigned long long)o->size);
		if (fclose(f) == 0)
			rename(tmp.s, side.s);
		else
			unlink(tmp.s);
	}
	sbuf_free(&side);
	sbuf_free(&tmp);
}

static void tmp_name(const xfer *x, sbuf *out)
{
	sbuf_reset(out);
	sbuf_addf(out, "%s.part-%ld", x->local.s, (long)getpid());
}

/* Start (or restart) x. 0, or -1 when no handle could be made (explained). */
static int start(s3_ctx *c, CURLM *m, xfer *x, size_t i, sbuf *tmp)
{
	tmp_name(x, tmp);
	x->fp = fopen(tmp->s, "wb");
	if (!x->fp) {
		s3_warnf(c, "cannot write %s: %s", tmp->s, strerror(errno));
		x->state = XF_FAILED;
		return 0;
	}
	s3_call_init(c, &x->call);
	x->call.path = x->wire.s;
	x->call.sink = x->fp;
	aws_resp_reset(&x->r);
	x->hdrs = NULL;
	x->h = aws_easy_new(c->aws, &x->call, &x->r, &x->hdrs);
	if (!x->h) {
		fclose(x->fp);
		x->fp = NULL;
		unlink(tmp->s);
		s3_explain(c, &x->call, &x->r);
		x->state = XF_FAILED;
		return -1;
	}
	curl_easy_setopt(x->h, CURLOPT_ACCEPT_ENCODING, NULL);
	curl_easy_setopt(x->h, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, (void *)(uintptr_t)i);
	curl_multi_add_handle(m, x->h);
	c->st->requests++;
	x->attempt++;
	x->t0 = now_mono();
	x->state = XF_ACTIVE;
	return 0;
}

static void drop_handle(CURLM *m, xfer *x)
{
	curl_multi_remove_handle(m, x->h);
	curl_easy_cleanup(x->h);
	curl_slist_free_all(x->hdrs);
	x->h = NULL;
	x->hdrs = NULL;
}

static void finish(s3_ctx *c, CURLM *m, xfer *x, const s3_obj *o, CURLcode cc, sbuf *tmp)
{
	int ok = aws_easy_finish(x->h, cc, &x->r) == 0;
	s3_trace(c, x->h, &x->call, &x->r, x->t0, x->attempt);
	drop_handle(m, x);
	long sz = ftell(x->fp);
	int wr = fclose(x->fp) == 0;
	x->fp = NULL;
	tmp_name(x, tmp);
	if (ok && wr) {
		sbuf side;
		sbuf_init(&side);
		sbuf_addf(&side, "%s.etag", x->local.s);
		unlink(side.s);
		sbuf_free(&side);
		if (rename(tmp->s, x->local.s) == 0) {
			write_sidecar(x->local.s, o);
			x->state = XF_OK;
			c->st->fetched++;
			c->st->bytes += sz > 0 ? (uint64_t)sz : 0;
			return;
		}
		s3_warnf(c, "cannot write %s: %s", x->local.s, strerror(errno));
		unlink(tmp->s);
		x->state = XF_FAILED;
		return;
	}
	unlink(tmp->s);
	if (s3_retry(c, &x->r, ok ? 0 : aws_retryable(&x->r), x->attempt, &x->not_before)) {
		x->state = XF_WAIT;
		return;
	}
	x->state = XF_FAILED;
	if (c->messages++ < 3) {
		sbuf why;
		sbuf_init(&why);
		aws_explain(c->aws, &x->call, &x->r, &why);
		s3_warnf(c, "%s: %s", o->key, why.s ? why.s : "failed");
		sbuf_free(&why);
	}
}

void s3_fetch_objects(s3_ctx *c, s3_obj *objs, size_t n, strvec *out)
{
	const source_opts *o = c->o;
	int par = o->parallel > 0 ? o->parallel : 8;
	xfer *xs = xcalloc(n ? n : 1, sizeof *xs);
	sbuf tmp;
	sbuf_init(&tmp);
	size_t done = 0, first = 0;
	int active = 0;
	for (size_t i = 0; i < n; i++) {
		xfer *x = &xs[i];
		aws_resp_init(&x->r);
		sbuf_init(&x->wire);
		sbuf_init(&x->local);
		sbuf_addf(&x->local, "%s/%s", c->cache.s, objs[i].key);
		s3_wire_path(c, objs[i].key, &x->wire);
		if (is_cached(x->local.s, &objs[i])) {
			x->state = XF_CACHED;
			c->st->cached++;
			done++;
		} else if (mkdir_parents(x->local.s) < 0) {
			s3_warnf(c, "cannot create the cache folder for %s: %s", x->local.s,
				 strerror(errno));
			x->state = XF_FAILED;
			done++;
		}
	}
	s3_progress(c, "fetching", done, n);
	CURLM *m = curl_multi_init();
	while (!c->fatal) {
		int cancel = o->cancel && *o->cancel;
		double now = now_mono(), soonest = -1;
		while (first < n && xs[first].state != XF_WAIT)
			first++;
		for (size_t i = first; i < n && active < par && !cancel; i++) {
			xfer *x = &xs[i];
			if (x->state != XF_WAIT)
				continue;
			if (!s3_due(x->not_before, now, &soonest))
				continue;
			if (start(c, m, x, i, &tmp) < 0) {
				c->fatal = 1;
				break;
			}
			if (x->state == XF_ACTIVE)
				active++;
			else
				done++;
		}
		if (c->fatal || cancel || (active == 0 && soonest < 0))
			break; /* on cancel, transfers under way are dropped below */
		size_t i;
		CURLcode res;
		for (int perform = 1; s3_multi_done(m, perform, &i, &res); perform = 0) {
			finish(c, m, &xs[i], &objs[i], res, &tmp);
			active--;
			if (xs[i].state == XF_WAIT && i < first)
				first = i;
			if (xs[i].state != XF_WAIT) {
				done++;
				s3_progress(c, "fetching", done, n);
			}
		}
		s3_multi_wait(m, active, soonest);
	}
	int cancelled = o->cancel && *o->cancel;
	for (size_t i = 0; i < n; i++) {
		xfer *x = &xs[i];
		if (x->h) {
			x->state = XF_WAIT;
			drop_handle(m, x);
			fclose(x->fp);
			tmp_name(x, &tmp);
			unlink(tmp.s);
		}
		if (x->state == XF_OK || x->state == XF_CACHED)
			strvec_push(out, x->local.s);
		else if (x->state == XF_FAILED || !cancelled)
			c->st->failed++;
		aws_resp_free(&x->r);
		sbuf_free(&x->wire);
		sbuf_free(&x->local);
	}
	curl_multi_cleanup(m);
	sbuf_free(&tmp);
	free(xs);
}

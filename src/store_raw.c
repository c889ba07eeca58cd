/* store_raw.c — many raw events at once: each file read and inflated once per batch, the
 * files of a batch in parallel, the events handed back in the order asked for.
 *
 * store_raw() keeps one file's view cached, which is right for the detail pane and wrong
 * for printing a result in time order: consecutive events come from different files, and
 * each one re-read and re-inflated its file (79,868 opens for 100k events). Here a batch
 * of events (at most STORE_RAW_BATCH_BYTES of raw text) is grouped by file, every file of
 * the batch is inflated once by one of the workers, each event is copied into its slot of
 * the batch buffer, and the caller sees the events in order. Memory is bounded by the
 * batch plus one file view per worker.
 *
 * store_raw_format goes one step further for printing: the workers also format each event
 * (straight from the file's view into the worker's own output buffer, no copy of the raw
 * text in between), and a writer thread hands the batch's output to the sink in the
 * caller's order (iovecs into the workers' buffers, no copy either) while the workers
 * already fill the next batch: two batches in flight, double buffering. */
#include "store.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#define STORE_RAW_BATCH_BYTES ((size_t)64 << 20)
#define STORE_RAW_BATCH_EVENTS ((size_t)1 << 16)
#define STORE_FMT_BATCH_BYTES ((size_t)16 << 20) /* per batch, two in flight */
#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

struct rb_file {
	uint32_t file;
	size_t first, n; /* its events: order[first .. first + n) */
};

struct rb_batch {
	store *s;
	const uint32_t *idx; /* the batch's events, in the caller's order */
	size_t n;
	size_t *slot;        /* byte offset of event k in buf */
	char *buf;
	size_t *order;       /* batch positions grouped by file */
	struct rb_file *files;
	size_t nfiles;
	atomic_size_t next;
	atomic_int failed;
	char msg[512];
	pthread_mutex_t lock;
	/* store_raw_format: events are formatted into the workers' buffers instead */
	store_fmt_fn fmt;
	void *ud;
	size_t base;         /* the position of the batch's first event in the caller's idx */
	sbuf *wout;          /* one output buffer per worker */
	uint32_t *who;       /* event k's text: wout[who[k]] from slot[k], olen[k] bytes */
	size_t *olen;
};

struct rb_job {
	struct rb_batch *b;
	int t; /* the worker's number: its output buffer */
};

/* One event of the batch, k, whose raw text is raw[0..len): copied into its slot, or
 * formatted into the worker's buffer. */
static void rb_put(struct rb_batch *b, int t, size_t k, const char *raw, size_t len)
{
	if (!b->fmt) {
		memcpy(b->buf + b->slot[k], raw, len);
		return;
	}
	sbuf *o = &b->wout[t];
	size_t at = o->len;
	b->fmt(b->ud, o, b->base + k, raw, len);
	b->who[k] = (uint32_t)t;
	b->slot[k] = at;
	b->olen[k] = o->len - at;
}

static void rb_fail(struct rb_batch *b, const char *msg)
{
	pthread_mutex_lock(&b->lock);
	if (!atomic_load(&b->failed))
		snprintf(b->msg, sizeof b->msg, "%s", msg);
	atomic_store(&b->failed, 1);
	pthread_mutex_unlock(&b->lock);
}

/* The events of a big plain file, in offset order, read by range (store_range.c). */
static int rb_ranged(struct rb_batch *b, int t, const struct rb_file *rf, const store_file *sf,
		     char *msg, size_t msgn)
{
	store_range r;
	if (store_range_open(&r, sf, msg, msgn) < 0)
		return -1;
	int rc = 0;
	uint32_t ev[1024];
	for (size_t j = 0; j < rf->n && rc == 0; j++) {
		size_t k = b->order[rf->first + j];
		uint32_t i = b->idx[k];
		uint64_t upto = 0;
		if (!store_range_has(&r, b->s->off[i], b->s->len[i])) {
			size_t m = 0; /* the next events, for the span read with this one */
			while (m < 1024 && j + m < rf->n)
				ev[m] = b->idx[b->order[rf->first + j + m]], m++;
			upto = store_range_span(b->s, ev, m);
		}
		const char *p = store_range_get(&r, b->s->off[i], b->s->len[i], upto, msg, msgn);
		if (p)
			rb_put(b, t, k, p, b->s->len[i]);
		else
			rc = -1;
	}
	store_range_close(&r);
	return rc;
}

static void *rb_worker(void *arg)
{
	struct rb_job *job = arg;
	struct rb_batch *b = job->b;
	sbuf view;
	sbuf_init(&view);
	for (;;) {
		size_t f = atomic_fetch_add(&b->next, 1);
		if (f >= b->nfiles || atomic_load(&b->failed))
			break;
		const struct rb_file *rf = &b->files[f];
		const store_file *sf = &b->s->files[rf->file];
		char msg[512];
		if (store_file_ranged(sf)) { /* a big file: by range (store_range.c) */
			if (rb_ranged(b, job->t, rf, sf, msg, sizeof msg) == 0)
				continue;
			rb_fail(b, msg);
			break;
		}
		int bad = store_file_view(sf, &view, msg, sizeof msg) < 0;
		for (size_t j = 0; !bad && j < rf->n; j++) {
			size_t k = b->order[rf->first + j];
			uint32_t i = b->idx[k];
			if (b->s->off[i] + b->s->len[i] > view.len) {
				snprintf(msg, sizeof msg, "%s: shorter than when it was loaded", sf->path);
				bad = 1;
				break;
			}
			rb_put(b, job->t, k, view.s + b->s->off[i], b->s->len[i]);
		}
		if (bad) {
			pthread_mutex_lock(&b->lock);
			if (!atomic_load(&b->failed))
				snprintf(b->msg, sizeof b->msg, "%s", msg);
			atomic_store(&b->failed, 1);
			pthread_mutex_unlock(&b->lock);
			break;
		}
	}
	sbuf_free(&view);
	return NULL;
}

static int cmp_by_file(const void *x, const void *y, void *ud)
{
	const struct rb_batch *b = ud;
	uint32_t i = b->idx[*(const size_t *)x], j = b->idx[*(const size_t *)y];
	if (b->s->file[i] != b->s->file[j])
		return b->s->file[i] < b->s->file[j] ? -1 : 1;
	return b->s->off[i] < b->s->off[j] ? -1 : b->s->off[i] > b->s->off[j];
}

/* Fill b->buf with the raw text of b->idx[0..n) (or, with b->fmt, the workers' buffers
 * with its formatted text). 0, or -1 with b->msg. */
static int rb_fill(struct rb_batch *b, int threads)
{
	size_t total = 0;
	for (size_t k = 0; k < b->n; k++) {
		uint32_t i = b->idx[k];
		if (i >= b->s->n || b->s->file[i] >= b->s->nfiles) {
			snprintf(b->msg, sizeof b->msg, "event %u has no file to read it back from", i);
			return -1;
		}
		b->slot[k] = total;
		total += b->s->len[i];
	}
	if (!b->fmt)
		b->buf = xmalloc(total + 1);
	for (size_t k = 0; k < b->n; k++)
		b->order[k] = k;
	qsort_r(b->order, b->n, sizeof *b->order, cmp_by_file, b);
	b->nfiles = 0;
	for (size_t k = 0; k < b->n; k++) {
		uint32_t f = b->s->file[b->idx[b->order[k]]];
		if (!b->nfiles || b->files[b->nfiles - 1].file != f)
			b->files[b->nfiles++] = (struct rb_file){ f, k, 0 };
		b->files[b->nfiles - 1].n++;
	}
	atomic_store(&b->next, 0);
	atomic_store(&b->failed, 0);
	int nt = threads > 0 ? threads : cpu_count();
	if ((size_t)nt > b->nfiles)
		nt = b->nfiles ? (int)b->nfiles : 1;
	pthread_t *th = xcalloc((size_t)nt, sizeof *th);
	int *started = xcalloc((size_t)nt, sizeof *started);
	struct rb_job *jobs = xcalloc((size_t)nt, sizeof *jobs);
	for (int t = 0; t < nt; t++) {
		jobs[t] = (struct rb_job){ b, t };
		if (b->fmt)
			sbuf_reset(&b->wout[t]);
	}
	for (int t = 1; t < nt; t++)
		started[t] = pthread_create(&th[t], NULL, rb_worker, &jobs[t]) == 0;
	rb_worker(&jobs[0]);
	for (int t = 1; t < nt; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	free(th);
	free(started);
	free(jobs);
	return atomic_load(&b->failed) ? -1 : 0;
}

/* How many events from idx[at] make the next batch: up to cap events and maxbytes of raw
 * text (at least one). */
static size_t rb_take(const store *s, const uint32_t *idx, size_t n, size_t at, size_t cap,
		      size_t maxbytes)
{
	size_t m = 0, bytes = 0;
	while (at + m < n && m < cap) {
		uint32_t i = idx[at + m];
		size_t l = i < s->n ? s->len[i] : 0;
		if (m && bytes + l > maxbytes)
			break;
		bytes += l;
		m++;
	}
	return m;
}

/* Events per batch: STORE_RAW_BATCH_EVENTS, fewer for tests (many small batches). */
static size_t rb_cap(size_t n)
{
	size_t cap = STORE_RAW_BATCH_EVENTS;
	const char *e = getenv("TRAILGUIDE_RAW_BATCH");
	if (e && atol(e) > 0 && (size_t)atol(e) < cap)
		cap = (size_t)atol(e);
	if (n < cap)
		cap = n;
	return cap ? cap : 1;
}

static void rb_init(struct rb_batch *b, store *s, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->s = s;
	pthread_mutex_init(&b->lock, NULL);
	b->slot = xmalloc(cap * sizeof *b->slot);
	b->order = xmalloc(cap * sizeof *b->order);
	b->files = xmalloc(cap * sizeof *b->files);
}

static void rb_done(struct rb_batch *b, int nwout)
{
	free(b->slot);
	free(b->order);
	free(b->files);
	free(b->who);
	free(b->olen);
	for (int t = 0; b->wout && t < nwout; t++)
		sbuf_free(&b->wout[t]);
	free(b->wout);
	pthread_mutex_destroy(&b->lock);
}

int store_raw_each(store *s, const uint32_t *idx, size_t n, int threads, store_raw_fn fn,
		   void *ud, char *msg, size_t msgn)
{
	struct rb_batch b;
	size_t cap = rb_cap(n);
	rb_init(&b, s, cap);
	int rc = 0;
	for (size_t at = 0; at < n && rc == 0;) {
		size_t m = rb_take(s, idx, n, at, cap, STORE_RAW_BATCH_BYTES);
		b.idx = idx + at;
		b.n = m;
		if (rb_fill(&b, threads) < 0) {
			snprintf(msg, msgn, "%s", b.msg);
			rc = -1;
		}
		for (size_t k = 0; rc == 0 && k < m; k++)
			if (fn(ud, at + k, b.buf + b.slot[k], s->len[idx[at + k]]) != 0)
				rc = 1;
		free(b.buf);
		b.buf = NULL;
		at += m;
	}
	rb_done(&b, 0);
	return rc < 0 ? -1 : 0;
}

/* The writer: a batch's formatted text, in the caller's order, as iovecs into the workers'
 * buffers (adjacent pieces joined), IOV_MAX at a time. */
struct rb_writer {
	struct rb_batch *b;
	store_write_fn wr;
	void *ud;
	int rc;
	pthread_t th;
};

static void *rb_write(void *arg)
{
	struct rb_writer *w = arg;
	const struct rb_batch *b = w->b;
	struct iovec iov[IOV_MAX > 1024 ? 1024 : IOV_MAX];
	int n = 0, max = (int)(sizeof iov / sizeof *iov);
	for (size_t k = 0; k < b->n && !w->rc; k++) {
		if (!b->olen[k])
			continue;
		char *p = b->wout[b->who[k]].s + b->slot[k];
		if (n && (char *)iov[n - 1].iov_base + iov[n - 1].iov_len == p) {
			iov[n - 1].iov_len += b->olen[k];
			continue;
		}
		if (n == max) {
			w->rc = w->wr(w->ud, iov, n) != 0;
			n = 0;
		}
		iov[n++] = (struct iovec){ p, b->olen[k] };
	}
	if (n && !w->rc)
		w->rc = w->wr(w->ud, iov, n) != 0;
	return NULL;
}

int store_raw_format(store *s, const uint32_t *idx, size_t n, int threads, store_fmt_fn fmt,
		     store_write_fn wr, void *ud, char *msg, size_t msgn)
{
	int nt = threads > 0 ? threads : cpu_count();
	size_t cap = rb_cap(n), maxbytes = STORE_FMT_BATCH_BYTES;
	const char *e = getenv("TRAILGUIDE_FMT_BATCH_BYTES"); /* tests and benchmarks */
	if (e && atol(e) > 0)
		maxbytes = (size_t)atol(e);
	struct rb_batch bb[2];
	for (int i = 0; i < 2; i++) {
		rb_init(&bb[i], s, cap);
		bb[i].fmt = fmt;
		bb[i].ud = ud;
		bb[i].who = xmalloc(cap * sizeof *bb[i].who);
		bb[i].olen = xmalloc(cap * sizeof *bb[i].olen);
		bb[i].wout = xcalloc((size_t)nt, sizeof *bb[i].wout);
	}
	struct rb_writer w;
	int writing = 0, rc = 0;
	for (size_t at = 0, i = 0; at < n && rc == 0; i++) {
		struct rb_batch *b = &bb[i & 1];
		size_t m = rb_take(s, idx, n, at, cap, maxbytes);
		b->idx = idx + at;
		b->n = m;
		b->base = at;
		int frc = rb_fill(b, nt); /* while the writer writes the other batch */
		if (writing) {
			pthread_join(w.th, NULL);
			writing = 0;
			rc = w.rc;
		}
		if (frc < 0 && !rc) {
			snprintf(msg, msgn, "%s", b->msg);
			rc = -1;
		}
		if (rc)
			break;
		w = (struct rb_writer){ .b = b, .wr = wr, .ud = ud };
		if (pthread_create(&w.th, NULL, rb_write, &w) == 0) {
			writing = 1;
		} else {
			rb_write(&w);
			rc = w.rc;
		}
		at += m;
	}
	if (writing) {
		pthread_join(w.th, NULL);
		if (!rc)
			rc = w.rc;
	}
	for (int i = 0; i < 2; i++)
		rb_done(&bb[i], nt);
	return rc;
}

/* store_raw.c — many raw events at once: each file read and inflated once per batch, the
 * files of a batch in parallel, the events handed back in the order asked for.
 *
 * store_raw() keeps one file's view cached, which is right for the detail pane and wrong
 * for printing a result in time order: consecutive events come from different files, and
 * each one re-read and re-inflated its file (79,868 opens for 100k events). Here a batch
 * of events (at most STORE_RAW_BATCH_BYTES of raw text) is grouped by file, every file of
 * the batch is inflated once by one of the workers, each event is copied into its slot of
 * the batch buffer, and the caller sees the events in order. Memory is bounded by the
 * batch plus one file view per worker. */
#include "store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORE_RAW_BATCH_BYTES ((size_t)64 << 20)
#define STORE_RAW_BATCH_EVENTS ((size_t)1 << 16)

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
};

static void rb_fail(struct rb_batch *b, const char *msg)
{
	pthread_mutex_lock(&b->lock);
	if (!atomic_load(&b->failed))
		snprintf(b->msg, sizeof b->msg, "%s", msg);
	atomic_store(&b->failed, 1);
	pthread_mutex_unlock(&b->lock);
}

/* The events of a big plain file, in offset order, read by range. */
static int rb_ranged(struct rb_batch *b, const struct rb_file *rf, const store_file *sf,
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
			memcpy(b->buf + b->slot[k], p, b->s->len[i]);
		else
			rc = -1;
	}
	store_range_close(&r);
	return rc;
}

static void *rb_worker(void *arg)
{
	struct rb_batch *b = arg;
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
			if (rb_ranged(b, rf, sf, msg, sizeof msg) == 0)
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
			memcpy(b->buf + b->slot[k], view.s + b->s->off[i], b->s->len[i]);
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

/* Fill b->buf with the raw text of b->idx[0..n). 0, or -1 with b->msg. */
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
	for (int t = 1; t < nt; t++)
		started[t] = pthread_create(&th[t], NULL, rb_worker, b) == 0;
	rb_worker(b);
	for (int t = 1; t < nt; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	free(th);
	free(started);
	return atomic_load(&b->failed) ? -1 : 0;
}

int store_raw_each(store *s, const uint32_t *idx, size_t n, int threads, store_raw_fn fn,
		   void *ud, char *msg, size_t msgn)
{
	struct rb_batch b;
	memset(&b, 0, sizeof b);
	b.s = s;
	pthread_mutex_init(&b.lock, NULL);
	size_t cap = STORE_RAW_BATCH_EVENTS;
	const char *e = getenv("TRAILGUIDE_RAW_BATCH"); /* tests: many small batches */
	if (e && atol(e) > 0 && (size_t)atol(e) < cap)
		cap = (size_t)atol(e);
	if (n < cap)
		cap = n;
	b.slot = xmalloc((cap ? cap : 1) * sizeof *b.slot);
	b.order = xmalloc((cap ? cap : 1) * sizeof *b.order);
	b.files = xmalloc((cap ? cap : 1) * sizeof *b.files);
	int rc = 0;
	for (size_t at = 0; at < n && rc == 0;) {
		/* the batch: up to cap events and STORE_RAW_BATCH_BYTES of raw text (at least one) */
		size_t m = 0, bytes = 0;
		while (at + m < n && m < cap) {
			uint32_t i = idx[at + m];
			size_t l = i < s->n ? s->len[i] : 0;
			if (m && bytes + l > STORE_RAW_BATCH_BYTES)
				break;
			bytes += l;
			m++;
		}
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
	free(b.slot);
	free(b.order);
	free(b.files);
	pthread_mutex_destroy(&b.lock);
	return rc < 0 ? -1 : 0;
}

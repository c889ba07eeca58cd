/* store_cache_write.c — write a loaded store as a cache file (layout: store_cache_load.c). */
#include "store_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_cache_int.h"

_Static_assert(H_STATS + 11 + SKIP_N <= HDR_WORDS - 1, "the header holds the statistics");

struct wr {
	int fd;
	char *buf;
	size_t len, cap;
	uint64_t pos;
	uint64_t sums[NSEC];
	int nsec;
	int err;
};

static void flush(struct wr *w)
{
	for (size_t off = 0; off < w->len && !w->err;) {
		ssize_t k = write(w->fd, w->buf + off, w->len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			w->err = k < 0 ? errno : EIO;
		else
			off += (size_t)k;
	}
	w->len = 0;
}

static void put(struct wr *w, const void *p, size_t n)
{
	if (n >= w->cap) { /* big arrays go straight out */
		flush(w);
		size_t len = w->len;
		char *buf = w->buf;
		w->buf = (char *)p;
		w->len = n;
		flush(w);
		w->buf = buf;
		w->len = len;
	} else {
		if (w->len + n > w->cap)
			flush(w);
		memcpy(w->buf + w->len, p, n);
		w->len += n;
	}
	w->pos += n;
}

/* One section: its bytes, counted in the checksum, and zero padding to 8 bytes. */
static void section(struct wr *w, const void *p, uint64_t n)
{
	static const char zero[8];
	if (w->nsec < NSEC)
		w->sums[w->nsec] = store_cache_sum(0, p, (size_t)n);
	w->nsec++;
	put(w, p, (size_t)n);
	put(w, zero, (size_t)(CACHE_PAD(n) - n));
}

static void stats_to(const ingest_stats *st, uint64_t *h)
{
	uint64_t *v = h + H_STATS;
	v[0] = st->files;
	v[1] = st->files_bad;
	v[2] = st->files_digest;
	v[3] = st->dirs_pruned;
	v[4] = st->records;
	v[5] = st->events;
	v[6] = st->duplicates;
	v[7] = st->timestamped;
	v[8] = st->warnings;
	v[9] = st->bytes_disk;
	v[10] = st->bytes_json;
	for (int k = 0; k < SKIP_N; k++)
		v[11 + k] = st->skipped[k];
}

static void put_files(struct wr *w, const store *s)
{
	uint64_t *fr = xcalloc(s->nfiles * FILE_WORDS + 1, 8);
	sbuf paths;
	sbuf_init(&paths);
	for (size_t i = 0; i < s->nfiles; i++) {
		const store_file *f = &s->files[i];
		uint64_t *r = fr + i * FILE_WORDS;
		r[0] = strlen(f->path);
		r[1] = (uint64_t)f->fmt;
		r[2] = (uint64_t)(f->gz != 0);
		r[3] = f->size;
		r[4] = (uint64_t)f->mtime;
		r[5] = f->events;
		memcpy(r + 6, f->sha256, 32);
		sbuf_adds(&paths, f->path);
	}
	section(w, fr, s->nfiles * FILE_WORDS * 8);
	section(w, paths.s ? paths.s : "", paths.len);
	free(fr);
	sbuf_free(&paths);
}

static void put_col(struct wr *w, const store *s, int c)
{
	const intern *t = s->cols[c].tab;
	uint32_t count = intern_count(t);
	uint32_t *lens = xmalloc((size_t)count * 4 + 4);
	size_t bloblen = 0;
	lens[0] = 0;
	for (uint32_t id = 1; id < count; id++) {
		lens[id] = (uint32_t)intern_len(t, id);
		bloblen += (size_t)lens[id] + 1;
	}
	char *blob = xmalloc(bloblen + 1), *p = blob;
	for (uint32_t id = 1; id < count; id++) {
		memcpy(p, intern_str(t, id), lens[id]);
		p[lens[id]] = 0;
		p += lens[id] + 1;
	}
	uint64_t hd[2] = { count, bloblen };
	section(w, hd, sizeof hd);
	section(w, s->cols[c].ids, (uint64_t)s->n * 4);
	section(w, lens, (uint64_t)count * 4);
	section(w, blob, bloblen);
	free(lens);
	free(blob);
}

int store_cache_write(const char *path, const store *s, const cache_meta *m, const char *key,
		      size_t keylen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	uint64_t h[HDR_WORDS];
	memset(h, 0, sizeof h);
	struct wr w = { .fd = fd, .cap = (size_t)1 << 20 };
	w.buf = xmalloc(w.cap);
	put(&w, h, sizeof h); /* written again at the end, filled */
	section(&w, key, keylen);
	section(&w, m->warn ? m->warn : "", m->warnlen);
	put_files(&w, s);
	section(&w, s->time, (uint64_t)s->n * 8);
	section(&w, s->off, (uint64_t)s->n * 8);
	section(&w, s->file, (uint64_t)s->n * 4);
	section(&w, s->len, (uint64_t)s->n * 4);
	for (int c = 0; c < COL_NFIXED; c++)
		put_col(&w, s, c);
	flush(&w);
	memcpy(h, CACHE_MAGIC, 8);
	h[H_VERSION] = STORE_CACHE_VERSION;
	h[H_ENDIAN] = CACHE_ENDIAN;
	h[H_SIZE] = w.pos;
	if (w.nsec != NSEC)
		abort(); /* the layout and store_cache_int.h disagree */
	h[H_SUM] = store_cache_sum(0, w.sums, sizeof w.sums);
	h[H_KEYLEN] = keylen;
	h[H_N] = s->n;
	h[H_NFILES] = s->nfiles;
	h[H_NCOLS] = COL_NFIXED;
	h[H_SINCE] = (uint64_t)m->since;
	h[H_UNTIL] = (uint64_t)m->until;
	h[H_WALKDIG] = m->walk_digests;
	h[H_HASHED] = m->hashed != 0;
	h[H_WARNLEN] = m->warnlen;
	h[H_NSKIP] = SKIP_N;
	stats_to(&m->st, h);
	h[HDR_WORDS - 1] = store_cache_sum(0, h, (HDR_WORDS - 1) * 8);
	if (!w.err && pwrite(fd, h, sizeof h, 0) != (ssize_t)sizeof h)
		w.err = errno ? errno : EIO;
	free(w.buf);
	if (close(fd) < 0 && !w.err)
		w.err = errno;
	if (w.err) {
		unlink(path);
		errno = w.err;
		return -1;
	}
	return 0;
}

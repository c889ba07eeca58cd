/* store_range.c — read events of a big plain file back by range, not by building the
 * whole file's view.
 *
 * A file that ingest_big.c read in chunks (plain, not lookup-events, at least
 * ingest_big_threshold() bytes) is never held whole: its events are read back with
 * pread, a span of nearby events at a time, so printing, extracting a column or showing
 * one event costs the events' bytes, not the file's. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdlib.h>

#define SPAN ((uint64_t)1 << 20) /* at most this many bytes read at once for nearby events */
#define GAP 16384               /* events at most this far apart are read together */

uint64_t store_env_bytes(const char *name, uint64_t def)
{
	const char *e = getenv(name);
	if (!e || !*e)
		return def;
	char *end;
	unsigned long long v = strtoull(e, &end, 10);
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	case 't': case 'T': v <<= 40; end++; break;
	default: break;
	}
	return *end || v == 0 ? def : (uint64_t)v;
}

uint64_t store_big_threshold(void)
{
	return store_env_bytes("TRAILGUIDE_BIG_FILE", (uint64_t)64 << 20);
}

int store_file_ranged(const store_file *f)
{
	return !f->gz && f->fmt != JFMT_LOOKUP && f->fmt != JFMT_UNKNOWN &&
	       f->size >= store_big_threshold();
}

int store_range_open(store_range *r, const store_file *f, char *msg, size_t msgn)
{
	memset(r, 0, sizeof *r);
	r->f = f;
	r->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (r->fd < 0 || fstat(r->fd, &st) < 0) {
		snprintf(msg, msgn, "%s: %s (it was loaded, and is gone now)", f->path,
			 strerror(errno));
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		return -1;
	}
	if ((uint64_t)st.st_size != f->size || (int64_t)st.st_mtime != f->mtime) {
		snprintf(msg, msgn, "%s: changed on disk since it was loaded; reload the source",
			 f->path);
		close(r->fd);
		r->fd = -1;
		return -1;
	}
	return 0;
}

uint64_t store_range_span(const store *s, const uint32_t *ev, size_t n)
{
	uint64_t lo = s->off[ev[0]], end = lo + s->len[ev[0]];
	for (size_t k = 1; k < n; k++) {
		uint64_t o = s->off[ev[k]], e = o + s->len[ev[k]];
		if (o < lo || o > end + GAP || e - lo > SPAN)
			break;
		if (e > end)
			end = e;
	}
	return end;
}

const char *store_range_get(store_range *r, uint64_t off, size_t len, uint64_t upto,
			    char *msg, size_t msgn)
{
	if (store_range_has(r, off, len))
		return r->buf.s + (off - r->lo);
	size_t want = upto > off + len ? (size_t)(upto - off) : len;
	if (off < r->f->size && want > r->f->size - off)
		want = (size_t)(r->f->size - off);
	if (want < len)
		want = len;
	sbuf_reset(&r->buf);
	xgrow((void **)&r->buf.s, &r->buf.cap, want + 1, 1);
	size_t got = 0;
	while (got < want) {
		ssize_t n = pread(r->fd, r->buf.s + got, want - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	r->lo = off;
	r->buf.len = got;
	if (got < len) {
		snprintf(msg, msgn, "%s: shorter than when it was loaded", r->f->path);
		return NULL;
	}
	return r->buf.s;
}

void store_range_close(store_range *r)
{
	if (r->fd >= 0)
		close(r->fd);
	sbuf_free(&r->buf);
	r->fd = -1;
}

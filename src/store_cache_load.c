/* store_cache_load.c — read a cache file back into a store, trusting nothing in it.
 *
 * The layout (store_cache_write.c writes it; native byte order, checked by a marker): a
 * header of HDR_WORDS 64-bit words ending in its own checksum, then sections, each padded
 * to 8 bytes: the key, the warnings, the file records (FILE_WORDS words each), their paths,
 * time[n], off[n], file[n], len[n], and per fixed column (count, bloblen), ids[n],
 * lens[count], the strings (each followed by a NUL). The header's checksum covers the
 * sections, chained one after another (store_cache_sum). Sections are read straight into
 * the arrays the store keeps, so a hit costs one copy out of the page cache. */
#include "store_cache.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_cache_int.h"
#include "tgtime.h"

uint64_t store_cache_sum(uint64_t seed, const void *p, size_t n)
{
	const uint64_t P1 = 0x9e3779b185ebca87ull, P2 = 0xc2b2ae3d27d4eb4full;
	const unsigned char *s = p;
	uint64_t a = seed + P1 + P2, b = seed + P2, c = seed, d = seed - P1, len = n;
#define ROUND(acc, w) (acc = (acc + (w) * P2), acc = (acc << 31) | (acc >> 33), acc *= P1)
	while (n >= 32) {
		uint64_t w[4];
		memcpy(w, s, 32);
		ROUND(a, w[0]);
		ROUND(b, w[1]);
		ROUND(c, w[2]);
		ROUND(d, w[3]);
		s += 32;
		n -= 32;
	}
	uint64_t h = ((a << 1) | (a >> 63)) + ((b << 7) | (b >> 57)) + ((c << 12) | (c >> 52)) +
		     ((d << 18) | (d >> 46)) + len;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		ROUND(h, w);
		s += 8;
		n -= 8;
	}
	while (n--) {
		h ^= *s++ * P1;
		h = ((h << 11) | (h >> 53)) * P2;
	}
#undef ROUND
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P1;
	h ^= h >> 32;
	return h;
}

/* A source of bytes: a file descriptor or memory. */
struct rd {
	int fd;
	const unsigned char *mem;
	uint64_t pos, size;
	uint64_t sum;
	char *why;
	size_t whyn;
};

static int bad(struct rd *r, const char *fmt, ...) TG_PRINTF(2, 3);
static int bad(struct rd *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->why, r->whyn, fmt, ap);
	va_end(ap);
	return -1;
}

static int raw_read(struct rd *r, void *dst, size_t n)
{
	if (n > r->size - r->pos)
		return bad(r, "truncated at byte %llu", (unsigned long long)r->size);
	if (r->fd < 0) {
		memcpy(dst, r->mem + r->pos, n);
	} else {
		for (size_t got = 0; got < n;) {
			ssize_t k = pread(r->fd, (char *)dst + got, n - got, (off_t)(r->pos + got));
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				return bad(r, k < 0 ? "read error: %s" : "truncated%s",
					   k < 0 ? strerror(errno) : "");
			got += (size_t)k;
		}
	}
	r->pos += n;
	return 0;
}

/* One section of n bytes (n already checked to fit) into dst, then its padding. */
static int section(struct rd *r, void *dst, uint64_t n)
{
	if (n > r->size - r->pos)
		return bad(r, "a section runs past the end (truncated?)");
	if (raw_read(r, dst, (size_t)n) < 0)
		return -1;
	r->sum = store_cache_sum(r->sum, dst, (size_t)n);
	static const unsigned char zero[8];
	unsigned char pad[8];
	size_t np = (size_t)(CACHE_PAD(n) - n);
	if (raw_read(r, pad, np) < 0)
		return -1;
	if (memcmp(pad, zero, np))
		return bad(r, "damaged (padding)");
	return 0;
}

/* A section of n elements of sz bytes into a new buffer (extra: spare bytes at the end). */
static void *section_new(struct rd *r, uint64_t n, size_t sz, size_t extra)
{
	if (n > (r->size - r->pos) / sz) {
		bad(r, "a section runs past the end (truncated?)");
		return NULL;
	}
	void *p = xmalloc((size_t)n * sz + extra + 1);
	if (section(r, p, n * sz) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

void cache_meta_free(cache_meta *m)
{
	free(m->warn);
	memset(m, 0, sizeof *m);
}

static void stats_from(const uint64_t *h, ingest_stats *st)
{
	memset(st, 0, sizeof *st);
	const uint64_t *v = h + H_STATS;
	st->files = v[0];
	st->files_bad = v[1];
	st->files_digest = v[2];
	st->dirs_pruned = v[3];
	st->records = v[4];
	st->events = v[5];
	st->duplicates = v[6];
	st->timestamped = v[7];
	st->warnings = v[8];
	st->bytes_disk = v[9];
	st->bytes_json = v[10];
	for (int k = 0; k < SKIP_N; k++)
		st->skipped[k] = v[11 + k];
}

/* The file records and paths into s (nfiles already bounded). */
static int read_files(struct rd *r, store *s, uint64_t nfiles)
{
	uint64_t *fr = section_new(r, nfiles * FILE_WORDS, 8, 0);
	if (!fr)
		return -1;
	uint64_t total = 0;
	for (uint64_t i = 0; i < nfiles; i++) {
		uint64_t pl = fr[i * FILE_WORDS];
		if (pl == 0 || pl > 65536 || fr[i * FILE_WORDS + 1] > JFMT_EMPTY ||
		    fr[i * FILE_WORDS + 2] > 1) {
			free(fr);
			return bad(r, "file record %llu is not valid", (unsigned long long)i);
		}
		total += pl;
	}
	char *paths = section_new(r, total, 1, 0);
	if (!paths) {
		free(fr);
		return -1;
	}
	const char *p = paths;
	for (uint64_t i = 0; i < nfiles; i++) {
		const uint64_t *w = fr + i * FILE_WORDS;
		store_file f;
		memset(&f, 0, sizeof f);
		char *path = xmalloc(w[0] + 1);
		memcpy(path, p, w[0]);
		path[w[0]] = 0;
		p += w[0];
		f.path = path;
		f.fmt = (enum jformat)w[1];
		f.gz = (int)w[2];
		f.size = w[3];
		f.mtime = (int64_t)w[4];
		f.events = w[5];
		memcpy(f.sha256, w + 6, 32);
		store_add_file(s, &f);
		free(path);
	}
	free(paths);
	free(fr);
	return 0;
}

/* The per-event arrays, checked: sorted times, file indices in range (and the files'
 * event counts agree with them), offsets that cannot overflow. */
static int read_events(struct rd *r, store *s, uint64_t n)
{
	s->time = section_new(r, n, 8, 0);
	s->off = s->time ? section_new(r, n, 8, 0) : NULL;
	s->file = s->off ? section_new(r, n, 4, 0) : NULL;
	s->len = s->file ? section_new(r, n, 4, 0) : NULL;
	if (!s->len)
		return -1;
	s->cap = n ? n : 1;
	size_t *count = xcalloc(s->nfiles + 1, sizeof *count);
	int ok = 1;
	for (uint64_t i = 0; i < n && ok; i++) {
		ok = s->file[i] < s->nfiles && s->off[i] < ((uint64_t)1 << 48) &&
		     (i == 0 || s->time[i - 1] <= s->time[i]) && s->time[i] != TG_TIME_NONE;
		if (ok)
			count[s->file[i]]++;
	}
	for (size_t f = 0; f < s->nfiles && ok; f++)
		ok = count[f] == s->files[f].events;
	free(count);
	if (!ok)
		return bad(r, "the events' times, files or offsets are not valid");
	s->n = n;
	s->tmin = n ? s->time[0] : TG_TIME_NONE;
	s->tmax = n ? s->time[n - 1] : TG_TIME_NONE;
	return 0;
}

/* One fixed column: ids checked against its string table, the table adopted. */
static int read_col(struct rd *r, store *s, int c, uint64_t n)
{
	uint64_t hd[2];
	if (section(r, hd, sizeof hd) < 0)
		return -1;
	uint64_t count = hd[0], bloblen = hd[1];
	if (count == 0 || count > UINT32_MAX || bloblen > r->size - r->pos)
		return bad(r, "column %s: its string table is not valid", col_path[c]);
	uint32_t *ids = section_new(r, n, 4, 0);
	if (!ids)
		return -1;
	free(s->cols[c].ids);
	s->cols[c].ids = ids;
	uint32_t mx = 0;
	for (uint64_t i = 0; i < n; i++)
		mx = ids[i] > mx ? ids[i] : mx;
	if (mx >= count)
		return bad(r, "column %s: an id is out of range", col_path[c]);
	uint32_t *lens = section_new(r, count, 4, 0);
	if (!lens)
		return -1;
	char *blob = section_new(r, bloblen, 1, 0);
	if (!blob) {
		free(lens);
		return -1;
	}
	intern *t = intern_adopt(c == COL_EVENTID, lens, (uint32_t)count, blob, bloblen);
	if (!t)
		return bad(r, "column %s: its strings do not match their lengths", col_path[c]);
	intern_free(&s->cols[c].tab);
	s->cols[c].tab = t;
	return 0;
}

int store_cache_read(int fd, const void *mem, size_t memlen, const char *key, size_t keylen,
		     store **out, cache_meta *m, char *why, size_t whyn)
{
	struct rd r = { .fd = fd, .mem = mem, .size = memlen, .why = why, .whyn = whyn };
	*out = NULL;
	memset(m, 0, sizeof *m);
	if (fd >= 0) {
		off_t end = lseek(fd, 0, SEEK_END);
		if (end < 0)
			return bad(&r, "cannot be read: %s", strerror(errno));
		r.size = (uint64_t)end;
	}
	uint64_t h[HDR_WORDS];
	if (r.size < sizeof h || raw_read(&r, h, sizeof h) < 0)
		return bad(&r, "truncated (%llu bytes)", (unsigned long long)r.size);
	if (memcmp(h, CACHE_MAGIC, 8) != 0)
		return bad(&r, "not a trailguide cache file");
	if (h[H_VERSION] != STORE_CACHE_VERSION || h[H_ENDIAN] != CACHE_ENDIAN)
		return 1; /* another version's file: a miss, rewritten after the load */
	if (store_cache_sum(0, h, (HDR_WORDS - 1) * 8) != h[HDR_WORDS - 1])
		return bad(&r, "its header is damaged");
	if (h[H_SIZE] != r.size)
		return bad(&r, "%llu bytes where its header says %llu (truncated?)",
			   (unsigned long long)r.size, (unsigned long long)h[H_SIZE]);
	uint64_t n = h[H_N], nfiles = h[H_NFILES];
	if (h[H_NCOLS] != COL_NFIXED || h[H_NSKIP] != SKIP_N || n >= UINT32_MAX ||
	    nfiles >= UINT32_MAX || nfiles > r.size / (FILE_WORDS * 8) || h[H_HASHED] > 1 ||
	    h[H_KEYLEN] > r.size || h[H_WARNLEN] > r.size)
		return bad(&r, "its header is not valid");
	char *k = section_new(&r, h[H_KEYLEN], 1, 0);
	if (!k)
		return -1;
	int same = !key || (keylen == h[H_KEYLEN] && memcmp(k, key, keylen) == 0);
	free(k);
	if (!same)
		return 1;
	m->warn = section_new(&r, h[H_WARNLEN], 1, 0);
	if (!m->warn)
		return -1;
	m->warnlen = h[H_WARNLEN];
	m->warn[m->warnlen] = 0;
	m->since = (int64_t)h[H_SINCE];
	m->until = (int64_t)h[H_UNTIL];
	m->walk_digests = h[H_WALKDIG];
	m->hashed = (int)h[H_HASHED];
	stats_from(h, &m->st);
	store *s = store_new();
	int rc = read_files(&r, s, nfiles);
	if (rc == 0)
		rc = read_events(&r, s, n);
	for (int c = 0; c < COL_NFIXED && rc == 0; c++)
		rc = read_col(&r, s, c, n);
	if (rc == 0 && r.pos != r.size)
		rc = bad(&r, "%llu bytes past its end", (unsigned long long)(r.size - r.pos));
	if (rc == 0 && r.sum != h[H_SUM])
		rc = bad(&r, "checksum mismatch (damaged)");
	if (rc == 0 && m->st.events != n)
		rc = bad(&r, "its counts disagree");
	if (rc < 0) {
		store_free(&s);
		cache_meta_free(m);
		return -1;
	}
	*out = s;
	return 0;
}

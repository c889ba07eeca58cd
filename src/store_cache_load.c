/* store_cache_load.c — read a cache file back into a store, trusting nothing in it.
 *
 * The layout (store_cache_write.c writes it; native byte order, checked by a marker): a
 * header of HDR_WORDS 64-bit words ending in its own checksum, then sections, each padded
 * to 8 bytes: the key, the warnings, the file records (FILE_WORDS words each), their paths,
 * time[n], off[n], file[n], len[n], and per fixed column (count, bloblen), ids[n],
 * lens[count], the strings (each followed by a NUL). The header's checksum covers the
 * sections, chained one after another (store_cache_sum). The file is mapped (private,
 * populated) and the store's per-event arrays and strings point into the mapping: a hit
 * copies nothing, and costs one pass over the file for the checksum and the checks. */
#include "store_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_cache_int.h"
#include "tgtime.h"

/* Eight Fletcher-style lanes (a sum and a sum of sums each, so a moved word changes it):
 * one add pair per word, which the compiler turns into vector adds, then mixed. A check
 * against damage, not against an adversary (the reader checks every bound anyway). */
typedef uint64_t u64x2 __attribute__((vector_size(16)));

uint64_t store_cache_sum(uint64_t seed, const void *p, size_t n)
{
	const uint64_t P1 = 0x9e3779b185ebca87ull, P2 = 0xc2b2ae3d27d4eb4full;
	const unsigned char *s = p;
	u64x2 a[4] = { { 0, 0 } }, b[4] = { { 0, 0 } };
	size_t blocks = n / 64;
	for (size_t i = 0; i < blocks; i++) {
		u64x2 w[4];
		memcpy(w, s + i * 64, 64);
		a[0] += w[0];
		a[1] += w[1];
		a[2] += w[2];
		a[3] += w[3];
		b[0] += a[0];
		b[1] += a[1];
		b[2] += a[2];
		b[3] += a[3];
	}
	uint64_t h = seed ^ (n * P1), tail[8] = { 0 };
	memcpy(tail, s + blocks * 64, n - blocks * 64);
	for (int k = 0; k < 8; k++) {
		h = (h ^ (a[k / 2][k % 2] + tail[k])) * P1;
		h = ((h << 31) | (h >> 33)) ^ b[k / 2][k % 2];
		h *= P2;
	}
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P1;
	h ^= h >> 32;
	return h;
}

/* The file's bytes, mapped. Jobs on other threads work on copies with their own why. */
struct rd {
	const unsigned char *mem;
	uint64_t pos, size;
	uint64_t *sums; /* NSEC: each section's own checksum */
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

/* Section number sec at *pos: n elements of sz bytes, summed into r->sums[sec], its padding
 * zero; *pos moves past it. A pointer into the mapping (8-byte aligned), or NULL with why
 * filled. */
static const void *take_at(struct rd *r, uint64_t *pos, int sec, uint64_t n, size_t sz)
{
	if (*pos > r->size || n > (r->size - *pos) / sz) {
		bad(r, "a section runs past the end (truncated?)");
		return NULL;
	}
	uint64_t len = n * sz, padded = CACHE_PAD(len);
	if (padded > r->size - *pos) {
		bad(r, "truncated");
		return NULL;
	}
	const unsigned char *p = r->mem + *pos;
	for (uint64_t k = len; k < padded; k++)
		if (p[k]) {
			bad(r, "damaged (padding)");
			return NULL;
		}
	r->sums[sec] = store_cache_sum(0, p, (size_t)len);
	*pos += padded;
	return p;
}

static const void *take(struct rd *r, int sec, uint64_t n, size_t sz)
{
	return take_at(r, &r->pos, sec, n, sz);
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
	const uint64_t *fr = take(r, 2, nfiles * FILE_WORDS, 8);
	if (!fr)
		return -1;
	uint64_t total = 0;
	for (uint64_t i = 0; i < nfiles; i++) {
		const uint64_t *w = fr + i * FILE_WORDS;
		if (w[0] == 0 || w[0] > 65536 || w[1] > JFMT_EMPTY || w[2] > 1)
			return bad(r, "file record %llu is not valid", (unsigned long long)i);
		total += w[0];
	}
	const char *p = take(r, 3, total, 1);
	if (!p)
		return -1;
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
	return 0;
}

/* The per-event arrays from pos, checked: sorted times, file indices in range (and the
 * files' event counts agree with them), offsets that cannot overflow. */
static int read_events(struct rd *r, uint64_t pos, store *s, uint64_t n)
{
	const int64_t *time = take_at(r, &pos, SEC_EVENTS, n, 8);
	const uint64_t *off = time ? take_at(r, &pos, SEC_EVENTS + 1, n, 8) : NULL;
	const uint32_t *file = off ? take_at(r, &pos, SEC_EVENTS + 2, n, 4) : NULL;
	const uint32_t *len = file ? take_at(r, &pos, SEC_EVENTS + 3, n, 4) : NULL;
	if (!len)
		return -1;
	size_t *count = xcalloc(s->nfiles + 1, sizeof *count);
	int ok = 1;
	uint64_t offs = 0;
	for (uint64_t i = 0; i < n; i++)
		offs |= off[i];
	for (uint64_t i = 1; i < n; i++)
		ok &= time[i - 1] <= time[i];
	ok &= offs < ((uint64_t)1 << 48) && (!n || time[0] != TG_TIME_NONE);
	for (uint64_t i = 0; i < n && ok; i++) {
		ok = file[i] < s->nfiles;
		if (ok)
			count[file[i]]++;
	}
	for (size_t f = 0; f < s->nfiles && ok; f++)
		ok = count[f] == s->files[f].events;
	free(count);
	if (!ok)
		return bad(r, "the events' times, files or offsets are not valid");
	/* the mapping is private and writable: trimming a window writes its own pages */
	s->time = (int64_t *)time;
	s->off = (uint64_t *)off;
	s->file = (uint32_t *)file;
	s->len = (uint32_t *)len;
	s->cap = s->n = n;
	s->tmin = n ? time[0] : TG_TIME_NONE;
	s->tmax = n ? time[n - 1] : TG_TIME_NONE;
	return 0;
}

/* One fixed column from pos (its header already checked by layout): ids checked against
 * its string table, the table adopted. */
static int read_col(struct rd *r, uint64_t pos, store *s, int c, uint64_t n)
{
	const uint64_t *hd = take_at(r, &pos, SEC_COL(c), 2, 8);
	if (!hd)
		return -1;
	uint64_t count = hd[0], bloblen = hd[1];
	const uint32_t *ids = take_at(r, &pos, SEC_COL(c) + 1, n, 4);
	if (!ids)
		return -1;
	uint32_t mx = 0;
	for (uint64_t i = 0; i < n; i++)
		mx = ids[i] > mx ? ids[i] : mx;
	if (mx >= count)
		return bad(r, "column %s: an id is out of range", col_path[c]);
	const uint32_t *lens = take_at(r, &pos, SEC_COL(c) + 2, count, 4);
	const char *blob = lens ? take_at(r, &pos, SEC_COL(c) + 3, bloblen, 1) : NULL;
	if (!blob)
		return -1;
	intern *t = intern_adopt(c == COL_EVENTID, lens, (uint32_t)count, blob, bloblen);
	if (!t)
		return bad(r, "column %s: its strings do not match their lengths", col_path[c]);
	s->cols[c].ids = (uint32_t *)ids;
	intern_free(&s->cols[c].tab);
	s->cols[c].tab = t;
	return 0;
}

/* Where the events and each column start, from the columns' small headers alone; the
 * sections must end exactly at the end of the file. */
static int layout(struct rd *r, uint64_t n, uint64_t *events, uint64_t col[COL_NFIXED])
{
	uint64_t pos = r->pos, size = r->size;
	*events = pos;
	uint64_t ev = 2 * CACHE_PAD(n * 8) + 2 * CACHE_PAD(n * 4); /* n < 2^32: no overflow */
	if (ev > size - pos)
		return bad(r, "truncated (in the events)");
	pos += ev;
	for (int c = 0; c < COL_NFIXED; c++) {
		col[c] = pos;
		if (16 > size - pos)
			return bad(r, "truncated (column %s)", col_path[c]);
		uint64_t hd[2];
		memcpy(hd, r->mem + pos, 16);
		pos += 16;
		if (hd[0] == 0 || hd[0] > UINT32_MAX || hd[1] > size)
			return bad(r, "column %s: its string table is not valid", col_path[c]);
		uint64_t need = CACHE_PAD(n * 4) + CACHE_PAD(hd[0] * 4) + CACHE_PAD(hd[1]);
		if (need > size - pos)
			return bad(r, "truncated (column %s)", col_path[c]);
		pos += need;
	}
	if (pos != size)
		return bad(r, "%llu bytes past its end", (unsigned long long)(size - pos));
	return 0;
}

/* The events and the columns as jobs, on a few threads for a big store: each checks and
 * sums its own sections (each a few MB; the file is read once, in parallel). */
struct jobs {
	struct rd r;
	store *s;
	uint64_t n, events, col[COL_NFIXED];
	atomic_int next;
	int rc[COL_NFIXED + 1];
	char why[COL_NFIXED + 1][160];
};

static void *job_run(void *arg)
{
	struct jobs *j = arg;
	/* eventID first: it is the biggest */
	static const int order[COL_NFIXED + 1] = { COL_EVENTID, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8,
						   9, 10, 12 };
	_Static_assert(COL_NFIXED == 13 && COL_EVENTID == 11, "the job order lists every column");
	for (;;) {
		int k = atomic_fetch_add(&j->next, 1);
		if (k > COL_NFIXED)
			break;
		struct rd r = j->r;
		r.why = j->why[k];
		r.whyn = sizeof j->why[k];
		int c = order[k];
		j->rc[k] = c < 0 ? read_events(&r, j->events, j->s, j->n)
				 : read_col(&r, j->col[c], j->s, c, j->n);
	}
	return NULL;
}

static int run_jobs(struct rd *r, store *s, uint64_t n)
{
	struct jobs *j = xcalloc(1, sizeof *j);
	j->r = *r;
	j->s = s;
	j->n = n;
	atomic_init(&j->next, 0);
	int rc = layout(r, n, &j->events, j->col);
	if (rc == 0) {
		int nt = n >= 65536 ? cpu_count() : 1;
		nt = nt < 1 ? 1 : nt > 4 ? 4 : nt;
		pthread_t th[4];
		int started = 0;
		for (int t = 1; t < nt; t++)
			if (pthread_create(&th[started], NULL, job_run, j) == 0)
				started++;
		job_run(j);
		for (int t = 0; t < started; t++)
			pthread_join(th[t], NULL);
		for (int k = 0; k <= COL_NFIXED && rc == 0; k++)
			if (j->rc[k] < 0)
				rc = bad(r, "%s", j->why[k]);
	}
	free(j);
	return rc;
}

/* The header and the sections, from the mapping r->mem. */
static int parse(struct rd *r, const char *key, size_t keylen, store *s, cache_meta *m)
{
	uint64_t h[HDR_WORDS];
	if (r->size < sizeof h)
		return bad(r, "truncated (%llu bytes)", (unsigned long long)r->size);
	memcpy(h, r->mem, sizeof h);
	r->pos = sizeof h;
	if (memcmp(h, CACHE_MAGIC, 8) != 0)
		return bad(r, "not a trailguide cache file");
	if (h[H_VERSION] != STORE_CACHE_VERSION || h[H_ENDIAN] != CACHE_ENDIAN)
		return 1; /* another version's file: a miss, rewritten after the load */
	if (store_cache_sum(0, h, (HDR_WORDS - 1) * 8) != h[HDR_WORDS - 1])
		return bad(r, "its header is damaged");
	if (h[H_SIZE] != r->size)
		return bad(r, "%llu bytes where its header says %llu (truncated?)",
			   (unsigned long long)r->size, (unsigned long long)h[H_SIZE]);
	uint64_t n = h[H_N], nfiles = h[H_NFILES];
	if (h[H_NCOLS] != COL_NFIXED || h[H_NSKIP] != SKIP_N || n >= UINT32_MAX ||
	    nfiles >= UINT32_MAX || nfiles > r->size / (FILE_WORDS * 8) || h[H_HASHED] > 1 ||
	    h[H_KEYLEN] > r->size || h[H_WARNLEN] > r->size)
		return bad(r, "its header is not valid");
	const char *k = take(r, 0, h[H_KEYLEN], 1);
	if (!k)
		return -1;
	if (key && (keylen != h[H_KEYLEN] || memcmp(k, key, keylen) != 0))
		return 1;
	const char *w = take(r, 1, h[H_WARNLEN], 1);
	if (!w)
		return -1;
	m->warn = xmalloc(h[H_WARNLEN] + 1);
	memcpy(m->warn, w, h[H_WARNLEN]);
	m->warnlen = h[H_WARNLEN];
	m->warn[m->warnlen] = 0;
	m->since = (int64_t)h[H_SINCE];
	m->until = (int64_t)h[H_UNTIL];
	m->walk_digests = h[H_WALKDIG];
	m->hashed = (int)h[H_HASHED];
	stats_from(h, &m->st);
	if (read_files(r, s, nfiles) < 0 || run_jobs(r, s, n) < 0)
		return -1;
	if (store_cache_sum(0, r->sums, NSEC * 8) != h[H_SUM])
		return bad(r, "checksum mismatch (damaged)");
	if (m->st.events != n)
		return bad(r, "its counts disagree");
	return 0;
}

int store_cache_read(int fd, const void *mem, size_t memlen, const char *key, size_t keylen,
		     store **out, cache_meta *m, char *why, size_t whyn)
{
	uint64_t sums[NSEC];
	memset(sums, 0, sizeof sums);
	struct rd r = { .sums = sums, .why = why, .whyn = whyn };
	*out = NULL;
	memset(m, 0, sizeof *m);
	if (fd >= 0) {
		struct stat sb;
		if (fstat(fd, &sb) != 0)
			return bad(&r, "cannot be read: %s", strerror(errno));
		memlen = (size_t)sb.st_size;
	}
	if (memlen < HDR_WORDS * 8)
		return bad(&r, "truncated (%zu bytes)", memlen);
	/* private and writable: the store may trim its arrays in place (copy on write). Mapped
	 * read-only first so that MAP_POPULATE maps the page cache's pages instead of copying
	 * every page (a writable private populate faults each one in for writing), then made
	 * writable: only pages written later are copied. */
	void *map = fd >= 0 ? mmap(NULL, memlen, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)
			    : mmap(NULL, memlen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   -1, 0);
	if (map == MAP_FAILED)
		return bad(&r, "cannot be mapped: %s", strerror(errno));
	if (fd >= 0 && mprotect(map, memlen, PROT_READ | PROT_WRITE) != 0) {
		int e = errno;
		munmap(map, memlen);
		return bad(&r, "cannot be mapped: %s", strerror(e));
	}
	if (fd < 0)
		memcpy(map, mem, memlen);
	r.mem = map;
	r.size = memlen;
	store *s = store_new();
	s->map = map;
	s->maplen = memlen;
	int rc = parse(&r, key, keylen, s, m);
	if (rc != 0) {
		store_free(&s); /* unmaps */
		cache_meta_free(m);
		return rc;
	}
	*out = s;
	return 0;
}

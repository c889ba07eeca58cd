/* store.c — the columnar event store: append, merge with dedupe, sort, raw access. */
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "gunzip.h"
#include "hugemem.h"
#include "tgtime.h"

const char *const col_path[COL_NFIXED] = {
	"eventName", "eventSource", "awsRegion", "sourceIPAddress", "userAgent", "errorCode",
	"principal", "userIdentity.type", "userIdentity.accessKeyId", "recipientAccountId",
	"userIdentity.sessionContext.sessionIssuer.arn", "eventID", "readOnly",
};

store *store_new(void)
{
	store *s = xcalloc(1, sizeof *s);
	s->colcap = COL_NFIXED + 8;
	s->cols = xcalloc((size_t)s->colcap, sizeof *s->cols);
	for (int c = 0; c < COL_NFIXED; c++) {
		s->cols[c].path = xstrdup(col_path[c]);
		s->cols[c].tab = c == COL_EVENTID ? intern_new_plain() : intern_new();
	}
	s->ncols = COL_NFIXED;
	s->cache_file = -1;
	sbuf_init(&s->cache_view);
	s->tmin = s->tmax = TG_TIME_NONE;
	return s;
}

/* An array inside the load cache's mapping (not malloc'd). */
static int mapped(const store *s, const void *p)
{
	return s->map && (const char *)p >= (const char *)s->map &&
	       (const char *)p < (const char *)s->map + s->maplen;
}

static void free_array(const store *s, void *p)
{
	if (!mapped(s, p))
		free(p);
}

void store_free(store **sp)
{
	store *s = *sp;
	if (!s)
		return;
	for (int c = 0; c < s->ncols; c++) {
		free(s->cols[c].path);
		free_array(s, s->cols[c].ids);
		intern_free(&s->cols[c].tab);
	}
	free(s->cols);
	for (size_t f = 0; f < s->nfiles; f++)
		free(s->files[f].path);
	free(s->files);
	free_array(s, s->time);
	free_array(s, s->file);
	free_array(s, s->off);
	free_array(s, s->len);
	free(s->by_file);
	sbuf_free(&s->cache_view);
	if (s->map)
		munmap(s->map, s->maplen);
	free(s);
	*sp = NULL;
}

/* realloc (huge pages when big), or for a mapped array a copy of its first n elements. */
static void *grow_array(const store *s, void *p, size_t n, size_t elsz, size_t c)
{
	if (!mapped(s, p))
		return xrealloc_huge(p, n * elsz, c * elsz);
	void *q = xmalloc_huge(c * elsz);
	memcpy(q, p, n * elsz);
	return q;
}

uint32_t store_add_file(store *s, const store_file *f)
{
	xgrow((void **)&s->files, &s->filecap, s->nfiles + 1, sizeof *s->files);
	store_file *d = &s->files[s->nfiles];
	*d = *f;
	d->path = xstrdup(f->path);
	return (uint32_t)s->nfiles++;
}

/* Make room for at least need events in every per-event array. */
void store_reserve(store *s, size_t need)
{
	if (need <= s->cap)
		return;
	size_t c = s->cap ? s->cap : 1024;
	while (c < need)
		c *= 2;
	/* big arrays on huge pages (hugemem.h); only the n events in use are copied */
	s->time = grow_array(s, s->time, s->n, sizeof *s->time, c);
	s->file = grow_array(s, s->file, s->n, sizeof *s->file, c);
	s->off = grow_array(s, s->off, s->n, sizeof *s->off, c);
	s->len = grow_array(s, s->len, s->n, sizeof *s->len, c);
	for (int k = 0; k < s->ncols; k++)
		s->cols[k].ids = grow_array(s, s->cols[k].ids, s->n, sizeof(uint32_t), c);
	s->cap = c;
}

void store_invalidate(store *s)
{
	if (!s->by_file)
		return;
	free(s->by_file);
	s->by_file = NULL;
}

size_t store_add(store *s, int64_t time, const char *const strs[COL_NFIXED],
		 const size_t lens[COL_NFIXED], uint32_t file, uint64_t off, uint32_t len)
{
	if (s->n >= s->cap)
		store_reserve(s, s->n + 1);
	size_t i = s->n++;
	s->time[i] = time;
	s->file[i] = file;
	s->off[i] = off;
	s->len[i] = len;
	for (int c = 0; c < COL_NFIXED; c++)
		s->cols[c].ids[i] = strs[c] ? intern_add(s->cols[c].tab, strs[c], lens[c]) : 0;
	for (int c = COL_NFIXED; c < s->ncols; c++)
		s->cols[c].ids[i] = 0; /* filled by store_extract when the column is refreshed */
	store_invalidate(s);
	return i;
}

/* Apply permutation perm (new position k takes old index perm[k]) to a per-event array. */
static void permute(void *arr, size_t elsz, const uint32_t *perm, size_t n, void *tmp)
{
	char *src = arr, *t = tmp;
	switch (elsz) {
	case 4:
		for (size_t k = 0; k < n; k++)
			((uint32_t *)t)[k] = ((const uint32_t *)arr)[perm[k]];
		break;
	case 8:
		for (size_t k = 0; k < n; k++)
			((uint64_t *)t)[k] = ((const uint64_t *)arr)[perm[k]];
		break;
	default:
		for (size_t k = 0; k < n; k++)
			memcpy(t + k * elsz, src + (size_t)perm[k] * elsz, elsz);
	}
	memcpy(src, t, n * elsz);
}

/* The arrays to permute, split between two threads. */
struct perm_job {
	store *s;
	const uint32_t *perm;
	int first, last; /* array numbers: 0..3 time/file/off/len, 4.. columns */
};

static void *perm_run(void *arg)
{
	struct perm_job *j = arg;
	store *s = j->s;
	void *tmp = xmalloc(s->n * 8);
	for (int k = j->first; k < j->last; k++) {
		switch (k) {
		case 0: permute(s->time, sizeof *s->time, j->perm, s->n, tmp); break;
		case 1: permute(s->file, sizeof *s->file, j->perm, s->n, tmp); break;
		case 2: permute(s->off, sizeof *s->off, j->perm, s->n, tmp); break;
		case 3: permute(s->len, sizeof *s->len, j->perm, s->n, tmp); break;
		default: permute(s->cols[k - 4].ids, sizeof(uint32_t), j->perm, s->n, tmp); break;
		}
	}
	free(tmp);
	return NULL;
}

struct kv {
	uint64_t key;  /* time - min */
	uint32_t idx;  /* event index before sorting */
	uint32_t hash; /* of the eventID, 0 when absent */
};

static uint32_t id_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h | 1; /* never 0: 0 means "no eventID" */
}

/* After the sort: within each run of equal times, mark events whose eventID an earlier
 * event of the run has. Returns how many were marked (idx set to UINT32_MAX). */
static size_t mark_duplicates(const store *s, struct kv *a, size_t n)
{
	const intern *t = s->cols[COL_EVENTID].tab;
	size_t dropped = 0;
	for (size_t lo = 0; lo < n;) {
		size_t hi = lo + 1;
		while (hi < n && a[hi].key == a[lo].key)
			hi++;
		for (size_t i = lo + 1; i < hi; i++) {
			if (!a[i].hash)
				continue;
			uint32_t ei = s->cols[COL_EVENTID].ids[a[i].idx];
			for (size_t j = lo; j < i; j++) {
				if (a[j].hash != a[i].hash || a[j].idx == UINT32_MAX)
					continue;
				uint32_t ej = s->cols[COL_EVENTID].ids[a[j].idx];
				if (intern_len(t, ei) == intern_len(t, ej) &&
				    memcmp(intern_str(t, ei), intern_str(t, ej), intern_len(t, ei)) == 0) {
					a[i].idx = UINT32_MAX;
					dropped++;
					break;
				}
			}
		}
		lo = hi;
	}
	return dropped;
}

size_t store_sort(store *s)
{
	size_t n = s->n;
	if (!n) {
		s->tmin = s->tmax = TG_TIME_NONE;
		return 0;
	}
	int64_t mn = s->time[0], mx = s->time[0];
	int sorted = 1;
	for (size_t i = 1; i < n; i++) {
		if (s->time[i] < s->time[i - 1])
			sorted = 0;
		if (s->time[i] < mn)
			mn = s->time[i];
		if (s->time[i] > mx)
			mx = s->time[i];
	}
	s->tmin = mn;
	s->tmax = mx;
	/* Pairs of (time - min, index), with the eventID's hash riding along for dedupe.
	 * eventIDs were appended in event order, so reading them here is sequential. */
	const intern *et = s->cols[COL_EVENTID].tab;
	struct kv *a = xmalloc(n * sizeof *a);
	for (size_t i = 0; i < n; i++) {
		uint32_t e = s->cols[COL_EVENTID].ids[i];
		a[i] = (struct kv){ (uint64_t)(s->time[i] - mn), (uint32_t)i,
				    e ? id_hash(intern_str(et, e), intern_len(et, e)) : 0 };
	}
	if (!sorted) {
		/* Stable LSD radix sort, 16 bits a pass, reading the pairs in order: ties keep
		 * their order, which ingest makes (file, offset) order, so output is the same on
		 * every run and the first delivery of a duplicate is the one kept. */
		uint64_t range = (uint64_t)(mx - mn);
		struct kv *b = xmalloc(n * sizeof *b);
		size_t *cnt = xmalloc(65536 * sizeof *cnt);
		for (int shift = 0; shift < 64 && (range >> shift); shift += 16) {
			memset(cnt, 0, 65536 * sizeof *cnt);
			for (size_t i = 0; i < n; i++)
				cnt[(a[i].key >> shift) & 0xffff]++;
			size_t sum = 0;
			for (size_t k = 0; k < 65536; k++) {
				size_t c = cnt[k];
				cnt[k] = sum;
				sum += c;
			}
			for (size_t i = 0; i < n; i++)
				b[cnt[(a[i].key >> shift) & 0xffff]++] = a[i];
			struct kv *t = a;
			a = b;
			b = t;
		}
		free(cnt);
		free(b);
	}
	size_t dropped = mark_duplicates(s, a, n);
	if (sorted && !dropped) {
		free(a);
		return 0;
	}
	uint32_t *perm = xmalloc(n * sizeof *perm);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (a[i].idx == UINT32_MAX) {
			/* a dropped duplicate: find its file through the original index */
			continue;
		}
		perm[m++] = a[i].idx;
	}
	if (dropped) { /* subtract each dropped event from its file's count */
		unsigned char *kept = xcalloc(n, 1);
		for (size_t k = 0; k < m; k++)
			kept[perm[k]] = 1;
		for (size_t i = 0; i < n; i++)
			if (!kept[i] && s->file[i] < s->nfiles && s->files[s->file[i]].events)
				s->files[s->file[i]].events--;
		free(kept);
	}
	free(a);
	s->n = m; /* permute writes the first m positions from the old arrays */
	int narr = 4 + s->ncols;
	struct perm_job jobs[2] = { { s, perm, 0, narr / 2 }, { s, perm, narr / 2, narr } };
	pthread_t th;
	if (m > 100000 && pthread_create(&th, NULL, perm_run, &jobs[1]) == 0) {
		perm_run(&jobs[0]);
		pthread_join(th, NULL);
	} else {
		perm_run(&jobs[0]);
		perm_run(&jobs[1]);
	}
	free(perm);
	store_invalidate(s);
	return dropped;
}

int store_col_find(const store *s, const char *path)
{
	for (int c = 0; c < s->ncols; c++)
		if (strcmp(s->cols[c].path, path) == 0)
			return c;
	return -1;
}

int store_file_view(const store_file *f, sbuf *view, char *msg, size_t msgn)
{
	struct stat st;
	if (stat(f->path, &st) < 0) {
		snprintf(msg, msgn, "%s: %m (it was loaded, and is gone now)", f->path);
		return -1;
	}
	if ((uint64_t)st.st_size != f->size || (int64_t)st.st_mtime != f->mtime) {
		snprintf(msg, msgn, "%s: changed on disk since it was loaded; reload the source",
			 f->path);
		return -1;
	}
	char *data;
	size_t len;
	if (read_file(f->path, &data, &len) < 0) {
		snprintf(msg, msgn, "%s: %m", f->path);
		return -1;
	}
	sbuf_reset(view);
	if (f->gz) {
		size_t bad;
		const char *why;
		gunzip(data, len, gunzip_limit(), view, &bad, &why); /* damage was reported at load; keep what decodes */
	} else {
		sbuf_add(view, data, len);
	}
	free(data);
	if (f->fmt == JFMT_LOOKUP) {
		sbuf v2;
		jscan_err e;
		sbuf_init(&v2);
		jframe_lookup_view(view->s ? view->s : "", view->len, &v2, &e);
		sbuf_free(view);
		*view = v2;
	}
	return 0;
}

static int store_raw_range(const store *s, size_t i, sbuf *out, char *msg, size_t msgn)
{
	store_range r;
	if (store_range_open(&r, &s->files[s->file[i]], msg, msgn) < 0)
		return -1;
	const char *p = store_range_get(&r, s->off[i], s->len[i], 0, msg, msgn);
	if (p)
		sbuf_add(out, p, s->len[i]);
	store_range_close(&r);
	return p ? 0 : -1;
}

int store_raw(store *s, size_t i, sbuf *out, char *msg, size_t msgn)
{
	if (i >= s->n) {
		snprintf(msg, msgn, "no event %zu", i);
		return -1;
	}
	long f = (long)s->file[i];
	if (s->file[i] >= s->nfiles) {
		snprintf(msg, msgn, "event %zu has no file to read it back from", i);
		return -1;
	}
	if (store_file_ranged(&s->files[f])) /* a big file: its event's bytes only */
		return store_raw_range(s, i, out, msg, msgn);
	if (s->cache_file != f) {
		s->cache_file = -1;
		if (store_file_view(&s->files[f], &s->cache_view, msg, msgn) < 0)
			return -1;
		s->cache_file = f;
	}
	if (s->off[i] + s->len[i] > s->cache_view.len) {
		snprintf(msg, msgn, "%s: shorter than when it was loaded", s->files[f].path);
		return -1;
	}
	sbuf_add(out, s->cache_view.s + s->off[i], s->len[i]);
	return 0;
}

size_t store_bytes(const store *s)
{
	size_t b = s->cap * (sizeof(int64_t) + 4 + 8 + 4 + 4 * (size_t)s->ncols);
	for (int c = 0; c < s->ncols; c++)
		b += intern_bytes(s->cols[c].tab);
	return b;
}

void store_keep_window(store *s, int64_t since, int64_t until)
{
	size_t lo = 0, hi = s->n;
	while (lo < s->n && since != TG_TIME_NONE && s->time[lo] < since)
		lo++;
	while (hi > lo && until != TG_TIME_NONE && s->time[hi - 1] > until)
		hi--;
	if (lo == 0 && hi == s->n)
		return;
	size_t n = hi - lo;
	memmove(s->time, s->time + lo, n * sizeof *s->time);
	memmove(s->file, s->file + lo, n * sizeof *s->file);
	memmove(s->off, s->off + lo, n * sizeof *s->off);
	memmove(s->len, s->len + lo, n * sizeof *s->len);
	for (int c = 0; c < s->ncols; c++)
		memmove(s->cols[c].ids, s->cols[c].ids + lo, n * sizeof(uint32_t));
	s->n = n;
	s->tmin = n ? s->time[0] : TG_TIME_NONE;
	s->tmax = n ? s->time[n - 1] : TG_TIME_NONE;
	store_invalidate(s);
}

/* store.c — the columnar event store: append, merge with dedupe, sort, raw access. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gunzip.h"
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

void store_free(store **sp)
{
	store *s = *sp;
	if (!s)
		return;
	for (int c = 0; c < s->ncols; c++) {
		free(s->cols[c].path);
		free(s->cols[c].ids);
		intern_free(&s->cols[c].tab);
	}
	free(s->cols);
	for (size_t f = 0; f < s->nfiles; f++)
		free(s->files[f].path);
	free(s->files);
	free(s->time);
	free(s->file);
	free(s->off);
	free(s->len);
	free(s->by_file);
	sbuf_free(&s->cache_view);
	free(s);
	*sp = NULL;
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
static void grow(store *s, size_t need)
{
	if (need <= s->cap)
		return;
	size_t c = s->cap ? s->cap : 1024;
	while (c < need)
		c *= 2;
	s->time = xrealloc(s->time, c * sizeof *s->time);
	s->file = xrealloc(s->file, c * sizeof *s->file);
	s->off = xrealloc(s->off, c * sizeof *s->off);
	s->len = xrealloc(s->len, c * sizeof *s->len);
	for (int k = 0; k < s->ncols; k++)
		s->cols[k].ids = xrealloc(s->cols[k].ids, c * sizeof(uint32_t));
	s->cap = c;
}

static void invalidate(store *s)
{
	free(s->by_file);
	s->by_file = NULL;
}

size_t store_add(store *s, int64_t time, const char *const strs[COL_NFIXED],
		 const size_t lens[COL_NFIXED], uint32_t file, uint64_t off, uint32_t len)
{
	grow(s, s->n + 1);
	size_t i = s->n++;
	s->time[i] = time;
	s->file[i] = file;
	s->off[i] = off;
	s->len[i] = len;
	for (int c = 0; c < COL_NFIXED; c++)
		s->cols[c].ids[i] = strs[c] ? intern_add(s->cols[c].tab, strs[c], lens[c]) : 0;
	for (int c = COL_NFIXED; c < s->ncols; c++)
		s->cols[c].ids[i] = 0; /* filled by store_extract when the column is refreshed */
	invalidate(s);
	return i;
}

struct store_remap {
	uint32_t *map[COL_NFIXED];
	uint32_t nmap[COL_NFIXED];
};

store_remap *store_remap_new(const store *src)
{
	store_remap *rm = xcalloc(1, sizeof *rm);
	for (int c = 0; c < COL_NFIXED; c++) {
		if (c == COL_EVENTID)
			continue; /* unique per event: no point remembering */
		rm->nmap[c] = intern_count(src->cols[c].tab);
		rm->map[c] = xcalloc(rm->nmap[c], sizeof(uint32_t));
	}
	return rm;
}

void store_remap_free(store_remap **rmp)
{
	store_remap *rm = *rmp;
	if (!rm)
		return;
	for (int c = 0; c < COL_NFIXED; c++)
		free(rm->map[c]);
	free(rm);
	*rmp = NULL;
}

void store_merge_range(store *dst, const store *src, size_t from, size_t to,
		       store_remap *rm)
{
	grow(dst, dst->n + (to - from));
	intern *eid = dst->cols[COL_EVENTID].tab;
	const intern *seid = src->cols[COL_EVENTID].tab;
	for (size_t i = from; i < to; i++) {
		size_t j = dst->n++;
		dst->time[j] = src->time[i];
		dst->file[j] = src->file[i];
		dst->off[j] = src->off[i];
		dst->len[j] = src->len[i];
		uint32_t e = src->cols[COL_EVENTID].ids[i];
		dst->cols[COL_EVENTID].ids[j] =
			e ? intern_add(eid, intern_str(seid, e), intern_len(seid, e)) : 0;
		for (int c = 0; c < COL_NFIXED; c++) {
			if (c == COL_EVENTID)
				continue;
			uint32_t id = src->cols[c].ids[i];
			if (id && id < rm->nmap[c]) {
				if (!rm->map[c][id])
					rm->map[c][id] = intern_add(dst->cols[c].tab,
								    intern_str(src->cols[c].tab, id),
								    intern_len(src->cols[c].tab, id));
				id = rm->map[c][id];
			} else if (id) { /* src grew after the remap was made */
				id = intern_add(dst->cols[c].tab, intern_str(src->cols[c].tab, id),
						intern_len(src->cols[c].tab, id));
			}
			dst->cols[c].ids[j] = id;
		}
		for (int c = COL_NFIXED; c < dst->ncols; c++)
			dst->cols[c].ids[j] = 0;
	}
	invalidate(dst);
}

/* Is event i's eventID the same as event j's? */
static int same_id(const store *s, size_t i, size_t j)
{
	uint32_t a = s->cols[COL_EVENTID].ids[i], b = s->cols[COL_EVENTID].ids[j];
	if (!a || !b)
		return 0;
	const intern *t = s->cols[COL_EVENTID].tab;
	size_t n = intern_len(t, a);
	return n == intern_len(t, b) && memcmp(intern_str(t, a), intern_str(t, b), n) == 0;
}

size_t store_dedupe(store *s)
{
	size_t n = s->n, dropped = 0;
	unsigned char *drop = NULL;
	intern *seen = NULL;
	for (size_t lo = 0; lo < n;) {
		size_t hi = lo + 1;
		while (hi < n && s->time[hi] == s->time[lo])
			hi++;
		if (hi - lo > 32) { /* a busy second: index it */
			seen = intern_new();
			for (size_t i = lo; i < hi; i++) {
				uint32_t e = s->cols[COL_EVENTID].ids[i];
				int fresh = 1;
				if (e)
					intern_add2(seen, intern_str(s->cols[COL_EVENTID].tab, e),
						    intern_len(s->cols[COL_EVENTID].tab, e), &fresh);
				if (!fresh) {
					if (!drop)
						drop = xcalloc(n, 1);
					drop[i] = 1;
					dropped++;
				}
			}
			intern_free(&seen);
		} else {
			for (size_t i = lo + 1; i < hi; i++)
				for (size_t j = lo; j < i; j++)
					if ((!drop || !drop[j]) && same_id(s, i, j)) {
						if (!drop)
							drop = xcalloc(n, 1);
						drop[i] = 1;
						dropped++;
						break;
					}
		}
		lo = hi;
	}
	if (!dropped)
		return 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (drop[i]) {
			if (s->file[i] < s->nfiles && s->files[s->file[i]].events)
				s->files[s->file[i]].events--;
			continue;
		}
		s->time[k] = s->time[i];
		s->file[k] = s->file[i];
		s->off[k] = s->off[i];
		s->len[k] = s->len[i];
		for (int c = 0; c < s->ncols; c++)
			s->cols[c].ids[k] = s->cols[c].ids[i];
		k++;
	}
	s->n = k;
	free(drop);
	invalidate(s);
	return dropped;
}

/* Apply permutation perm (new position k takes old index perm[k]) to a per-event array. */
static void permute(void *arr, size_t elsz, const uint32_t *perm, size_t n)
{
	char *src = arr, *tmp = xmalloc(n * elsz);
	for (size_t k = 0; k < n; k++)
		memcpy(tmp + k * elsz, src + (size_t)perm[k] * elsz, elsz);
	memcpy(src, tmp, n * elsz);
	free(tmp);
}

void store_sort(store *s)
{
	size_t n = s->n;
	if (!n) {
		s->tmin = s->tmax = TG_TIME_NONE;
		return;
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
	if (sorted)
		return;
	/* Stable LSD radix sort on (time - min), 16 bits a pass: ties keep their order, which
	 * ingest makes (file, offset) order, so output is the same on every run. */
	uint64_t range = (uint64_t)(mx - mn);
	uint32_t *a = xmalloc(n * sizeof *a), *b = xmalloc(n * sizeof *b);
	uint64_t *key = xmalloc(n * sizeof *key);
	for (size_t i = 0; i < n; i++) {
		a[i] = (uint32_t)i;
		key[i] = (uint64_t)(s->time[i] - mn);
	}
	size_t *cnt = xmalloc(65536 * sizeof *cnt);
	for (int shift = 0; shift < 64 && (range >> shift); shift += 16) {
		memset(cnt, 0, 65536 * sizeof *cnt);
		for (size_t i = 0; i < n; i++)
			cnt[(key[a[i]] >> shift) & 0xffff]++;
		size_t sum = 0;
		for (size_t k = 0; k < 65536; k++) {
			size_t c = cnt[k];
			cnt[k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[cnt[(key[a[i]] >> shift) & 0xffff]++] = a[i];
		uint32_t *t = a;
		a = b;
		b = t;
	}
	free(cnt);
	free(key);
	free(b);
	permute(s->time, sizeof *s->time, a, n);
	permute(s->file, sizeof *s->file, a, n);
	permute(s->off, sizeof *s->off, a, n);
	permute(s->len, sizeof *s->len, a, n);
	for (int c = 0; c < s->ncols; c++)
		permute(s->cols[c].ids, sizeof(uint32_t), a, n);
	free(a);
	invalidate(s);
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
		gunzip(data, len, view, &bad, &why); /* damage was reported at load; keep what decodes */
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
	invalidate(s);
}

/* store_extract.c — pull any dotted path out of the raw events into a cached column. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "store.h"

/* Event indices grouped by file, in offset order within a file, so that each file's
 * view is built once per extraction. */
static const uint32_t *by_file(store *s)
{
	if (s->by_file)
		return s->by_file;
	/* Events whose file index names no file (a store filled by hand) go last. */
	size_t nb = s->nfiles + 1;
	size_t *start = xcalloc(nb + 1, sizeof *start);
	for (size_t i = 0; i < s->n; i++)
		start[(s->file[i] < s->nfiles ? s->file[i] : s->nfiles) + 1]++;
	for (size_t f = 0; f < nb; f++)
		start[f + 1] += start[f];
	uint32_t *order = xmalloc((s->n ? s->n : 1) * sizeof *order);
	for (size_t i = 0; i < s->n; i++)
		order[start[s->file[i] < s->nfiles ? s->file[i] : s->nfiles]++] = (uint32_t)i;
	free(start);
	s->by_file = order;
	return order;
}

struct job {
	store *s;
	const char *path;
	const uint32_t *order;
	size_t lo, hi;      /* range in order[] — whole files only */
	uint32_t *ids;      /* the column, written with local ids */
	intern *tab;        /* local strings */
	char msg[512];
	int failed;
	int multi;          /* an any-element path (store_multi.c) */
};

/* The value at j->path in one record, interned into tab (0: absent). */
static uint32_t extract_one(struct job *j, const char *rec, size_t len, intern *tab, sbuf *text)
{
	sbuf_reset(text);
	if (j->multi)
		return store_multi_extract(rec, len, j->path, text) ? intern_add(tab, text->s, text->len)
								    : 0;
	jspan sp;
	if (jscan_path(rec, len, j->path, &sp) < 0 || sp.kind == JK_NULL)
		return 0;
	jscan_text(rec, &sp, text);
	return intern_add(tab, text->s ? text->s : "", text->len);
}

static int cmp_off(const void *x, const void *y, void *ud)
{
	const store *s = ud;
	uint64_t a = s->off[*(const uint32_t *)x], b = s->off[*(const uint32_t *)y];
	return a < b ? -1 : a > b;
}

/* order[lo..hi): events of one big plain file, read by range (store_range.c) in offset
 * order; the values are then interned in order[]'s order, as from the whole view. */
static void extract_ranged(struct job *j, size_t lo, size_t hi, sbuf *text)
{
	store *s = j->s;
	size_t n = hi - lo;
	uint32_t *ev = xmalloc(n * sizeof *ev);
	memcpy(ev, j->order + lo, n * sizeof *ev);
	qsort_r(ev, n, sizeof *ev, cmp_off, s);
	intern *tmp = intern_new();
	store_range r;
	for (size_t k = 0; k < n; k++)
		j->ids[j->order[lo + k]] = 0;
	if (store_range_open(&r, &s->files[s->file[j->order[lo]]], j->msg, sizeof j->msg) < 0) {
		j->failed = 1;
	} else {
		for (size_t k = 0; k < n; k++) {
			uint32_t i = ev[k];
			uint64_t upto = store_range_has(&r, s->off[i], s->len[i])
						? 0 : store_range_span(s, ev + k, n - k < 1024 ? n - k : 1024);
			const char *rec = store_range_get(&r, s->off[i], s->len[i], upto, j->msg,
							  sizeof j->msg);
			if (!rec) {
				j->failed = 1;
				break;
			}
			/* ids[] holds the temporary id until the second pass */
			j->ids[i] = extract_one(j, rec, s->len[i], tmp, text);
		}
		store_range_close(&r);
	}
	for (size_t k = 0; k < n; k++) {
		uint32_t i = j->order[lo + k], id = j->ids[i];
		j->ids[i] = id ? intern_add(j->tab, intern_str(tmp, id), intern_len(tmp, id)) : 0;
	}
	intern_free(&tmp);
	free(ev);
}

static void *extract_worker(void *arg)
{
	struct job *j = arg;
	store *s = j->s;
	sbuf view, text;
	sbuf_init(&view);
	sbuf_init(&text);
	long cur = -1;
	int ok = 0;
	for (size_t k = j->lo; k < j->hi; k++) {
		uint32_t i = j->order[k];
		if (s->file[i] >= s->nfiles) {
			j->ids[i] = 0;
			continue;
		}
		if (store_file_ranged(&s->files[s->file[i]])) {
			size_t e = k + 1;
			while (e < j->hi && s->file[j->order[e]] == s->file[i])
				e++;
			extract_ranged(j, k, e, &text);
			k = e - 1;
			continue;
		}
		if ((long)s->file[i] != cur) {
			cur = (long)s->file[i];
			ok = store_file_view(&s->files[cur], &view, j->msg, sizeof j->msg) == 0;
			if (!ok)
				j->failed = 1;
		}
		j->ids[i] = 0;
		if (!ok || s->off[i] + s->len[i] > view.len)
			continue;
		const char *rec = view.s + s->off[i];
		if (j->multi) {
			sbuf_reset(&text);
			if (store_multi_extract(rec, s->len[i], j->path, &text))
				j->ids[i] = intern_add(j->tab, text.s, text.len);
			continue;
		}
		jspan sp;
		if (jscan_path(rec, s->len[i], j->path, &sp) < 0 || sp.kind == JK_NULL)
			continue;
		sbuf_reset(&text);
		jscan_text(rec, &sp, &text);
		j->ids[i] = intern_add(j->tab, text.s ? text.s : "", text.len);
	}
	sbuf_free(&view);
	sbuf_free(&text);
	return NULL;
}

int store_col_get(store *s, const char *path, char *msg, size_t msgn)
{
	int c = store_col_find(s, path);
	if (c >= 0)
		return c;
	const uint32_t *order = by_file(s);
	uint32_t *ids = xcalloc(s->cap ? s->cap : 1, sizeof *ids);
	int nt = cpu_count();
	int ranged = 0;
	for (size_t f = 0; f < s->nfiles && !ranged; f++)
		ranged = store_file_ranged(&s->files[f]);
	if ((size_t)nt > s->nfiles && !ranged)
		nt = s->nfiles ? (int)s->nfiles : 1;
	struct job *jobs = xcalloc((size_t)nt, sizeof *jobs);
	pthread_t *th = xcalloc((size_t)nt, sizeof *th);
	/* Split order[] into nt ranges on file boundaries. */
	size_t lo = 0;
	for (int t = 0; t < nt; t++) {
		size_t hi = t == nt - 1 ? s->n : s->n * (size_t)(t + 1) / (size_t)nt;
		/* a big file read by range may be split (store_range.c) */
		while (hi < s->n && hi > 0 && s->file[order[hi]] == s->file[order[hi - 1]] &&
		       !(s->file[order[hi]] < s->nfiles && store_file_ranged(&s->files[s->file[order[hi]]])))
			hi++;
		if (hi < lo)
			hi = lo;
		jobs[t] = (struct job){ .s = s, .path = path, .order = order, .lo = lo, .hi = hi,
					.ids = ids, .tab = intern_new(),
					.multi = store_path_multi(path) };
		lo = hi;
	}
	for (int t = 0; t < nt; t++)
		if (nt == 1 || pthread_create(&th[t], NULL, extract_worker, &jobs[t]) != 0) {
			extract_worker(&jobs[t]);
			th[t] = 0;
		}
	for (int t = 0; t < nt; t++)
		if (nt > 1 && th[t])
			pthread_join(th[t], NULL);
	intern *tab = intern_new();
	int failed = 0;
	for (int t = 0; t < nt; t++) {
		struct job *j = &jobs[t];
		uint32_t nl = intern_count(j->tab);
		uint32_t *map = xcalloc(nl, sizeof *map);
		for (uint32_t id = 1; id < nl; id++)
			map[id] = intern_add(tab, intern_str(j->tab, id), intern_len(j->tab, id));
		for (size_t k = j->lo; k < j->hi; k++)
			ids[order[k]] = map[ids[order[k]]];
		free(map);
		intern_free(&j->tab);
		if (j->failed && !failed) {
			failed = 1;
			snprintf(msg, msgn, "%s", j->msg);
		}
	}
	free(jobs);
	free(th);
	if (failed && s->n) {
		/* Keep going with what could be read, but say so: the caller decides. */
		free(ids);
		intern_free(&tab);
		return -1;
	}
	return store_col_add(s, path, ids, tab);
}

int store_col_add(store *s, const char *path, uint32_t *ids, intern *tab)
{
	if (s->ncols == s->colcap) {
		s->colcap *= 2;
		s->cols = xrealloc(s->cols, (size_t)s->colcap * sizeof *s->cols);
	}
	int c = s->ncols++;
	s->cols[c] = (store_col){ .path = xstrdup(path), .ids = ids, .tab = tab };
	return c;
}

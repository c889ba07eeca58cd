/* store_merge.c — append runs of other stores' events, one thread per group of columns. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hugemem.h"
#include "store.h"

struct merge {
	store *dst;
	const store_piece *pieces;
	size_t npieces;
	size_t *pos;          /* where each piece starts in dst */
	const store **srcs;   /* distinct sources */
	size_t nsrcs;
};

/* Job -1 copies the per-event arrays (time, file, offset, length); job c >= 0 fills
 * column c. */
struct job {
	struct merge *m;
	int first, last; /* jobs [first, last) */
};

static size_t src_index(const struct merge *m, const store *src)
{
	for (size_t k = 0; k < m->nsrcs; k++)
		if (m->srcs[k] == src)
			return k;
	return 0;
}

static void fill_column(struct merge *m, int c)
{
	store *dst = m->dst;
	intern *tab = dst->cols[c].tab;
	uint32_t **map = xcalloc(m->nsrcs, sizeof *map);
	for (size_t k = 0; k < m->nsrcs; k++)
		map[k] = xcalloc(intern_count(m->srcs[k]->cols[c].tab), sizeof(uint32_t));
	for (size_t p = 0; p < m->npieces; p++) {
		const store_piece *pc = &m->pieces[p];
		const store *src = pc->src;
		const intern *st = src->cols[c].tab;
		uint32_t *mp = map[src_index(m, src)];
		uint32_t *out = dst->cols[c].ids + m->pos[p];
		const uint32_t *in = src->cols[c].ids;
		for (size_t i = pc->from; i < pc->to; i++) {
			uint32_t id = in[i];
			if (id) {
				if (!mp[id])
					mp[id] = intern_add(tab, intern_str(st, id), intern_len(st, id));
				id = mp[id];
			}
			*out++ = id;
		}
	}
	for (size_t k = 0; k < m->nsrcs; k++)
		free(map[k]);
	free(map);
}

static void copy_arrays(struct merge *m)
{
	store *dst = m->dst;
	for (size_t p = 0; p < m->npieces; p++) {
		const store_piece *pc = &m->pieces[p];
		size_t n = pc->to - pc->from, at = m->pos[p];
		memcpy(dst->time + at, pc->src->time + pc->from, n * sizeof *dst->time);
		memcpy(dst->file + at, pc->src->file + pc->from, n * sizeof *dst->file);
		memcpy(dst->off + at, pc->src->off + pc->from, n * sizeof *dst->off);
		memcpy(dst->len + at, pc->src->len + pc->from, n * sizeof *dst->len);
		for (int c = COL_NFIXED; c < dst->ncols; c++) /* extracted later, on demand */
			memset(dst->cols[c].ids + at, 0, n * sizeof(uint32_t));
	}
}

static void *run_jobs(void *arg)
{
	struct job *j = arg;
	for (int k = j->first; k < j->last; k++) {
		if (k == 0)
			copy_arrays(j->m);
		else
			fill_column(j->m, k - 1);
	}
	return NULL;
}

void store_append(store *dst, const store_piece *pieces, size_t npieces, int threads)
{
	struct merge m = { .dst = dst, .pieces = pieces, .npieces = npieces };
	m.pos = xmalloc((npieces ? npieces : 1) * sizeof *m.pos);
	m.srcs = xmalloc((npieces ? npieces : 1) * sizeof *m.srcs);
	size_t total = dst->n;
	for (size_t p = 0; p < npieces; p++) {
		m.pos[p] = total;
		total += pieces[p].to - pieces[p].from;
		size_t k = 0;
		while (k < m.nsrcs && m.srcs[k] != pieces[p].src)
			k++;
		if (k == m.nsrcs)
			m.srcs[m.nsrcs++] = pieces[p].src;
	}
	store_reserve(dst, total);
	/* Jobs: 0 = the plain arrays, 1 + c = column c. The eventID column (every string new)
	 * is the heaviest; the rest are light, so a plain split by count is near even. */
	int njobs = 1 + COL_NFIXED;
	if (threads < 1)
		threads = 1;
	if (threads > njobs)
		threads = njobs;
	struct job *jobs = xcalloc((size_t)threads, sizeof *jobs);
	pthread_t *th = xcalloc((size_t)threads, sizeof *th);
	/* Give the eventID column a thread of its own share: order jobs so it comes first. */
	for (int t = 0; t < threads; t++) {
		jobs[t].m = &m;
		jobs[t].first = njobs * t / threads;
		jobs[t].last = njobs * (t + 1) / threads;
	}
	for (int t = 1; t < threads; t++)
		if (pthread_create(&th[t], NULL, run_jobs, &jobs[t]) != 0)
			run_jobs(&jobs[t]), th[t] = 0;
	run_jobs(&jobs[0]);
	for (int t = 1; t < threads; t++)
		if (th[t])
			pthread_join(th[t], NULL);
	dst->n = total;
	free(jobs);
	free(th);
	free(m.pos);
	free(m.srcs);
	store_invalidate(dst);
}

/* ---- store_append_sort: the load's merge and sort in one pass ---- */

struct asort {
	store *dst;
	store *const *srcs;
	size_t nsrcs;
	const store_piece *pieces;
	size_t npieces;
	const uint64_t *loc; /* per kept event, in time order: source << 32 | index there */
	size_t m;
};

struct ajob {
	struct asort *a;
	int first, last; /* jobs [first, last): 0 = time/file/off/len, 1 + c = column c */
};

static void gather_arrays(struct asort *a)
{
	store *d = a->dst;
	for (size_t k = 0; k < a->m; k++) {
		const store *s = a->srcs[a->loc[k] >> 32];
		size_t i = (uint32_t)a->loc[k];
		d->time[k] = s->time[i];
		d->file[k] = s->file[i];
		d->off[k] = s->off[i];
		d->len[k] = s->len[i];
	}
}

/* Column c: intern each source's distinct strings into dst in file order (so ids are
 * numbered as a merge in file order numbers them), then write the ids in time order. The
 * eventID column takes the sources' strings where they are (their arenas were handed over
 * before the jobs started): one id per kept event, in time order. */
static void gather_column(struct asort *a, int c)
{
	store *d = a->dst;
	intern *tab = d->cols[c].tab;
	uint32_t *out = d->cols[c].ids;
	if (c == COL_EVENTID) {
		intern_reserve(tab, a->m);
		for (size_t k = 0; k < a->m; k++) {
			const store *s = a->srcs[a->loc[k] >> 32];
			const intern *st = s->cols[c].tab;
			uint32_t id = s->cols[c].ids[(uint32_t)a->loc[k]];
			out[k] = id ? intern_add_ref(tab, intern_str(st, id), intern_len(st, id)) : 0;
		}
		return;
	}
	uint32_t **map = xcalloc(a->nsrcs, sizeof *map);
	for (size_t k = 0; k < a->nsrcs; k++)
		map[k] = xcalloc(intern_count(a->srcs[k]->cols[c].tab), sizeof(uint32_t));
	for (size_t p = 0; p < a->npieces; p++) {
		const store_piece *pc = &a->pieces[p];
		size_t sn = 0;
		while (sn + 1 < a->nsrcs && a->srcs[sn] != pc->src)
			sn++;
		const intern *st = pc->src->cols[c].tab;
		const uint32_t *in = pc->src->cols[c].ids;
		uint32_t *mp = map[sn];
		for (size_t i = pc->from; i < pc->to; i++) {
			uint32_t id = in[i];
			if (id && !mp[id])
				mp[id] = intern_add(tab, intern_str(st, id), intern_len(st, id));
		}
	}
	for (size_t k = 0; k < a->m; k++) {
		size_t sn = a->loc[k] >> 32;
		out[k] = map[sn][a->srcs[sn]->cols[c].ids[(uint32_t)a->loc[k]]];
	}
	for (size_t k = 0; k < a->nsrcs; k++)
		free(map[k]);
	free(map);
}

static void *run_ajobs(void *arg)
{
	struct ajob *j = arg;
	for (int k = j->first; k < j->last; k++) {
		if (k == 0)
			gather_arrays(j->a);
		else
			gather_column(j->a, k - 1);
	}
	return NULL;
}

/* FNV-1a of an eventID, never 0. */
static uint32_t eid_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h | 1;
}

static const char *eid_of(store *const *srcs, uint64_t loc, size_t *len)
{
	const store *s = srcs[loc >> 32];
	uint32_t id = s->cols[COL_EVENTID].ids[(uint32_t)loc];
	*len = intern_len(s->cols[COL_EVENTID].tab, id);
	return id ? intern_str(s->cols[COL_EVENTID].tab, id) : NULL;
}

/* In each run of equal times of the sorted words w (time << ib | place in file order),
 * mark (UINT64_MAX) the events whose eventID an earlier event of the run has; ref maps a
 * place to its location. Runs are short (CloudTrail times are seconds, spread over days);
 * a long one is compared by hash first. */
static size_t drop_duplicates(store *const *srcs, uint64_t *w, const uint64_t *ref, int ib,
			      size_t n)
{
	size_t dropped = 0;
	uint32_t *h = NULL;
	size_t hcap = 0;
	const uint64_t low = ((uint64_t)1 << ib) - 1;
	for (size_t lo = 0; lo < n;) {
		size_t hi = lo + 1;
		while (hi < n && (w[hi] >> ib) == (w[lo] >> ib))
			hi++;
		if (hi - lo > 1) {
			xgrow((void **)&h, &hcap, hi - lo, sizeof *h);
			for (size_t i = lo; i < hi; i++) {
				size_t l;
				const char *e = eid_of(srcs, ref[w[i] & low], &l);
				h[i - lo] = e ? eid_hash(e, l) : 0;
			}
			for (size_t i = lo + 1; i < hi; i++) {
				if (!h[i - lo])
					continue;
				size_t li;
				const char *ei = eid_of(srcs, ref[w[i] & low], &li);
				for (size_t j = lo; j < i; j++) {
					if (h[j - lo] != h[i - lo] || !h[j - lo])
						continue;
					size_t lj;
					const char *ej = eid_of(srcs, ref[w[j] & low], &lj);
					if (li == lj && memcmp(ei, ej, li) == 0) {
						h[i - lo] = 0; /* dropped: not compared against again */
						dropped++;
						break;
					}
				}
			}
			for (size_t i = lo + 1; i < hi; i++) /* hash 0 with an eventID: dropped */
				if (!h[i - lo]) {
					size_t l;
					if (eid_of(srcs, ref[w[i] & low], &l))
						w[i] = UINT64_MAX;
				}
		}
		lo = hi;
	}
	free(h);
	return dropped;
}

size_t store_append_sort(store *dst, const store_piece *pieces, size_t npieces,
			 store *const *srcs, size_t nsrcs, int threads, double *t_sort)
{
	double t0 = now_mono();
	size_t n = 0;
	int64_t mn = INT64_MAX, mx = INT64_MIN;
	for (size_t p = 0; p < npieces; p++) {
		n += pieces[p].to - pieces[p].from;
		for (size_t i = pieces[p].from; i < pieces[p].to; i++) {
			int64_t t = pieces[p].src->time[i];
			mn = t < mn ? t : mn;
			mx = t > mx ? t : mx;
		}
	}
	int ib = 1;
	while (ib < 32 && ((size_t)1 << ib) < n)
		ib++;
	int kb = 0;
	uint64_t range = n ? (uint64_t)mx - (uint64_t)mn : 0;
	while (kb < 64 && (range >> kb))
		kb++;
	if (dst->n || dst->ncols != COL_NFIXED || n >= UINT32_MAX || nsrcs > UINT32_MAX ||
	    kb + ib > 63 || !n) { /* 63: no word is UINT64_MAX, the mark */
		/* not the plain case of one load into an empty store: the two steps */
		store_append(dst, pieces, npieces, threads);
		double t1 = now_mono();
		size_t d = store_sort(dst);
		if (t_sort)
			*t_sort = now_mono() - t1;
		return d;
	}
	/* One word per event: (time - min) above the event's place in file order, so an LSD
	 * radix sort of the words is stable by construction. */
	uint64_t *w = xmalloc_huge(n * sizeof *w);
	uint64_t *ref = xmalloc_huge(n * sizeof *ref); /* source << 32 | index, file order */
	size_t g = 0;
	int sorted = 1;
	uint64_t prev = 0;
	for (size_t p = 0; p < npieces; p++) {
		const store *s = pieces[p].src;
		uint64_t sn = 0;
		while (sn + 1 < nsrcs && srcs[sn] != s)
			sn++;
		for (size_t i = pieces[p].from; i < pieces[p].to; i++, g++) {
			uint64_t k = (uint64_t)(s->time[i] - mn);
			sorted &= k >= prev;
			prev = k;
			w[g] = k << ib | g;
			ref[g] = sn << 32 | i;
		}
	}
	if (!sorted) {
		/* 11-bit digits over the time bits only; every histogram in one read, and a pass
		 * whose digit is the same for every event is skipped. */
		enum { DB = 11, NB = 1 << DB };
		int passes = (kb + DB - 1) / DB;
		uint32_t(*cnt)[NB] = xcalloc((size_t)passes, sizeof *cnt);
		for (size_t i = 0; i < n; i++)
			for (int q = 0; q < passes; q++)
				cnt[q][(w[i] >> (ib + q * DB)) & (NB - 1)]++;
		uint64_t *b = xmalloc_huge(n * sizeof *b);
		for (int q = 0; q < passes; q++) {
			int shift = ib + q * DB;
			if (cnt[q][(w[0] >> shift) & (NB - 1)] == n)
				continue;
			uint32_t sum = 0;
			for (size_t k = 0; k < NB; k++) {
				uint32_t c = cnt[q][k];
				cnt[q][k] = sum;
				sum += c;
			}
			for (size_t i = 0; i < n; i++)
				b[cnt[q][(w[i] >> shift) & (NB - 1)]++] = w[i];
			uint64_t *t = w;
			w = b;
			b = t;
		}
		free(b);
		free(cnt);
	}
	/* Duplicates are found on the sorted words; then words become locations, in place. */
	size_t dropped = drop_duplicates(srcs, w, ref, ib, n);
	uint64_t low = ((uint64_t)1 << ib) - 1;
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (w[k] != UINT64_MAX)
			w[m++] = ref[w[k] & low];
	free(ref);
	if (t_sort)
		*t_sort = now_mono() - t0;
	if (dropped) { /* each dropped event (an event not kept) comes off its file's count */
		for (size_t ss = 0; ss < nsrcs; ss++) {
			unsigned char *kept = xcalloc(srcs[ss]->n ? srcs[ss]->n : 1, 1);
			for (size_t k = 0; k < m; k++)
				if ((w[k] >> 32) == ss)
					kept[(uint32_t)w[k]] = 1;
			for (size_t p = 0; p < npieces; p++) {
				if (pieces[p].src != srcs[ss])
					continue;
				for (size_t i = pieces[p].from; i < pieces[p].to; i++) {
					uint32_t f = srcs[ss]->file[i];
					if (!kept[i] && f < dst->nfiles && dst->files[f].events)
						dst->files[f].events--;
				}
			}
			free(kept);
		}
	}
	store_reserve(dst, m);
	for (size_t ss = 0; ss < nsrcs; ss++)
		intern_take_arena(dst->cols[COL_EVENTID].tab, srcs[ss]->cols[COL_EVENTID].tab);
	struct asort a = { dst, srcs, nsrcs, pieces, npieces, w, m };
	int njobs = 1 + COL_NFIXED;
	if (threads < 1)
		threads = 1;
	if (threads > njobs)
		threads = njobs;
	struct ajob *jobs = xcalloc((size_t)threads, sizeof *jobs);
	pthread_t *th = xcalloc((size_t)threads, sizeof *th);
	for (int t = 0; t < threads; t++)
		jobs[t] = (struct ajob){ &a, njobs * t / threads, njobs * (t + 1) / threads };
	for (int t = 1; t < threads; t++)
		if (pthread_create(&th[t], NULL, run_ajobs, &jobs[t]) != 0)
			run_ajobs(&jobs[t]), th[t] = 0;
	run_ajobs(&jobs[0]);
	for (int t = 1; t < threads; t++)
		if (th[t])
			pthread_join(th[t], NULL);
	free(jobs);
	free(th);
	free(w);
	dst->n = m;
	dst->tmin = dst->time[0];
	dst->tmax = dst->time[m - 1];
	store_invalidate(dst);
	return dropped;
}

/* store_merge.c — append runs of other stores' events, one thread per group of columns. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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

/* query_sequence.c — the sequence stage: chains of events joined by a field, in order,
 * within a duration of the first.
 *
 * Each step's matching events are indexed by their join value (an interned id: a CSR
 * array of positions in time order), so following a chain is a binary search per step
 * rather than a scan. From each start event the chains are followed depth-first without
 * recursion; at most QUERY_SEQ_MAX_CHAINS complete chains and QUERY_SEQ_MAX_VISITS
 * candidate events per start event, so hostile data (thousands of look-alike events in one
 * window) costs a bounded amount per start event instead of exploding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_eval.h"
#include "tgtime.h"

typedef struct seqidx {
	int jcol;        /* join column, or -1: no join constraint */
	int lcol;        /* link column (then, else join), or -1 */
	uint32_t nids;
	uint32_t *start; /* jcol >= 0: positions of id v are pos[start[v] .. start[v+1]) */
	uint32_t *pos;   /* positions (indices into the sorted r->idx) in time order */
	size_t npos;
} seqidx;

static int field_col(store *s, const char *name, int col, int *out, qerr *err)
{
	char msg[200];
	qfield f;
	*out = -1;
	if (!name)
		return 0;
	if (qfield_resolve(s, name, &f, msg, sizeof msg) < 0) {
		err->col = col;
		snprintf(err->msg, sizeof err->msg, "cannot read field '%.40s': %.180s", name, msg);
		return -1;
	}
	int kind = f.kind;
	*out = f.col;
	qfield_free(&f);
	if (kind == QF_TIME) {
		err->col = col;
		snprintf(err->msg, sizeof err->msg, "a sequence cannot join on the time");
		return -1;
	}
	return 0;
}

static void build_index(seqidx *x, const store *s, const uint32_t *idx, const uint8_t *m,
			size_t n)
{
	size_t cnt = 0;
	for (size_t k = 0; k < n; k++)
		cnt += m[k];
	x->pos = xmalloc((cnt ? cnt : 1) * sizeof *x->pos);
	if (x->jcol < 0) {
		for (size_t k = 0; k < n; k++)
			if (m[k])
				x->pos[x->npos++] = (uint32_t)k;
		return;
	}
	const uint32_t *ids = s->cols[x->jcol].ids;
	x->nids = intern_count(s->cols[x->jcol].tab);
	x->start = xcalloc((size_t)x->nids + 2, sizeof *x->start);
	for (size_t k = 0; k < n; k++)
		if (m[k] && ids[idx[k]])
			x->start[ids[idx[k]] + 1]++;
	for (uint32_t v = 0; v <= x->nids; v++)
		x->start[v + 1] += x->start[v];
	uint32_t *fill = xcalloc((size_t)x->nids + 1, sizeof *fill);
	for (size_t k = 0; k < n; k++) {
		uint32_t v = m[k] ? ids[idx[k]] : 0;
		if (v) {
			x->pos[x->start[v] + fill[v]++] = (uint32_t)k;
			x->npos++;
		}
	}
	free(fill);
}

/* The id in x's join column that the link value (id lv of column lcol) maps to; 0: none. */
static uint32_t map_link(const store *s, int lcol, uint32_t lv, int jcol)
{
	if (!lv || lcol < 0 || jcol < 0)
		return 0;
	if (lcol == jcol)
		return lv;
	const intern *lt = s->cols[lcol].tab;
	return intern_find(s->cols[jcol].tab, intern_str(lt, lv), intern_len(lt, lv));
}

/* Candidate range of x after position `after`, given the previous step's link value:
 * *a .. *b in x->pos. 0 when there can be none. */
static int cand_range(const seqidx *x, const store *s, int lcol, uint32_t lv, uint32_t after,
		      size_t *a, size_t *b)
{
	size_t lo = 0, hi = x->npos;
	if (x->jcol >= 0) {
		uint32_t v = map_link(s, lcol, lv, x->jcol);
		if (!v || v >= x->nids)
			return 0;
		lo = x->start[v];
		hi = x->start[v + 1];
	}
	size_t l = lo, h = hi; /* first position > after */
	while (l < h) {
		size_t mid = l + (h - l) / 2;
		if (x->pos[mid] <= after)
			l = mid + 1;
		else
			h = mid;
	}
	*a = l;
	*b = hi;
	return l < hi;
}

int qseq_run(qstage *st, store *s, result *r, int64_t now, qerr *err)
{
	int ns = st->nsteps, rc = -1;
	qidx_sort(r);
	size_t n = r->n;
	const uint32_t *idx = r->idx;
	seqidx *x = xcalloc((size_t)ns, sizeof *x);
	uint8_t *m = xmalloc(n ? n : 1);
	uint8_t *mark = xcalloc(n ? n : 1, 1);
	for (int j = 0; j < ns; j++) {
		qseqstep *sp = &st->steps[j];
		const char *jf = sp->by ? sp->by : st->by;
		int jc = sp->by ? sp->bycol : st->bycol;
		if (field_col(s, jf, jc, &x[j].jcol, err) < 0)
			goto done;
		x[j].lcol = x[j].jcol;
		if (sp->then && field_col(s, sp->then, sp->thencol, &x[j].lcol, err) < 0)
			goto done;
		if (sp->expr) {
			if (qeval_prepare(sp->expr, s, now, err) < 0)
				goto done;
			qeval_events(sp->expr, s, idx, n, m);
		} else {
			memset(m, 1, n);
		}
		build_index(&x[j], s, idx, m, n);
	}
	/* the positive steps, in order */
	int pstep[QUERY_MAX_STEPS], np = 0;
	for (int j = 0; j < ns; j++)
		if (!st->steps[j].neg)
			pstep[np++] = j;
	uint32_t chain[QUERY_MAX_STEPS];
	size_t cur[QUERY_MAX_STEPS], end[QUERY_MAX_STEPS];
	const seqidx *x0 = &x[0];
	for (size_t si = 0; si < x0->npos; si++) {
		uint32_t k0 = x0->pos[si];
		int64_t t0 = s->time[idx[k0]];
		if (t0 == TG_TIME_NONE)
			continue;
		int64_t limit = t0 > INT64_MAX - st->dur ? INT64_MAX : t0 + st->dur;
		long visits = 0, chains = 0;
		chain[0] = k0;
		int d = 1; /* the next positive step to place (index into pstep) */
		int opened = 0;
		while (d >= 1 && visits < QUERY_SEQ_MAX_VISITS && chains < QUERY_SEQ_MAX_CHAINS) {
			int j = pstep[d - 1]; /* the placed step this one follows */
			if (d == np) {
				/* a full positive chain: trailing not steps within the duration */
				uint32_t pk = chain[d - 1];
				uint32_t lv = x[j].lcol >= 0 ? s->cols[x[j].lcol].ids[idx[pk]] : 0;
				int64_t tp = s->time[idx[pk]];
				int64_t tl = tp > INT64_MAX - st->dur ? INT64_MAX : tp + st->dur;
				int ok = 1;
				for (int q = j + 1; q < ns && ok; q++) {
					size_t a, b;
					if (x[q].jcol >= 0 && (x[j].lcol < 0 || !lv))
						continue; /* nothing to join the not step with */
					if (cand_range(&x[q], s, x[j].lcol, lv, pk, &a, &b) &&
					    s->time[idx[x[q].pos[a]]] <= tl)
						ok = 0;
				}
				if (ok) {
					for (int i = 0; i < np; i++)
						mark[chain[i]] = 1;
					chains++;
				}
				d--;
				opened = 1;
				continue;
			}
			int nj = pstep[d];
			uint32_t pk = chain[d - 1];
			uint32_t lv = x[j].lcol >= 0 ? s->cols[x[j].lcol].ids[idx[pk]] : 0;
			if (!opened) {
				if (x[nj].jcol >= 0 && (!lv || x[j].lcol < 0)) {
					d--; /* no link value: the chain cannot continue */
					opened = 1;
					continue;
				}
				if (!cand_range(&x[nj], s, x[j].lcol, lv, pk, &cur[d], &end[d]))
					cur[d] = end[d] = 0;
				/* a middle not step cuts the range at its first event */
				for (int q = j + 1; q < nj; q++) {
					size_t a, b;
					if (x[q].jcol >= 0 && (x[j].lcol < 0 || !lv))
						continue;
					if (!cand_range(&x[q], s, x[j].lcol, lv, pk, &a, &b))
						continue;
					uint32_t cutpos = x[q].pos[a];
					size_t l = cur[d], h = end[d]; /* first candidate after the cut */
					while (l < h) {
						size_t mid = l + (h - l) / 2;
						if (x[nj].pos[mid] < cutpos)
							l = mid + 1;
						else
							h = mid;
					}
					end[d] = l;
				}
			}
			opened = 0;
			if (cur[d] >= end[d]) {
				d--;
				opened = 1;
				continue;
			}
			uint32_t k = x[nj].pos[cur[d]++];
			visits++;
			if (s->time[idx[k]] > limit) {
				cur[d] = end[d];
				d--;
				opened = 1;
				continue;
			}
			chain[d] = k;
			d++;
		}
	}
	size_t o = 0;
	for (size_t k = 0; k < n; k++)
		if (mark[k])
			r->idx[o++] = idx[k];
	r->n = o;
	rc = 0;
done:
	for (int j = 0; j < ns; j++) {
		free(x[j].start);
		free(x[j].pos);
	}
	free(x);
	free(m);
	free(mark);
	return rc;
}

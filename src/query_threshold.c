/* query_threshold.c — the threshold stage: `threshold count() > N within D [by f, ...]`.
 *
 * For each combination of the by fields (events missing one are passed over), the events
 * in time order are swept with two pointers: whenever the events from the left one to the
 * right one span at most D and are more than N (at least N with >=), all of them are
 * kept. Both pointers only move forward and a kept prefix is never revisited, so the
 * stage is linear after grouping. The result is the kept events, each once, in time
 * order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_eval.h"
#include "tgtime.h"

int qthr_run(const qstage *st, store *s, result *r, qerr *err)
{
	qfield fs[QUERY_MAX_KEYS];
	int nf = 0, rc = -1;
	char msg[200];
	for (; nf < st->nkeys; nf++)
		if (qfield_resolve(s, st->keys[nf].field, &fs[nf], msg, sizeof msg) < 0) {
			err->col = st->keys[nf].col;
			snprintf(err->msg, sizeof err->msg, "cannot read field '%.40s': %.180s",
				 st->keys[nf].field, msg);
			goto done;
		}
	qidx_sort(r); /* time order */
	size_t n = r->n;
	uint32_t *grp = xmalloc((n ? n : 1) * sizeof *grp);
	qgroups g;
	qgroups_init(&g, (size_t)(nf ? nf : 1));
	uint64_t key[QUERY_MAX_KEYS];
	for (size_t k = 0; k < n; k++) {
		uint32_t i = r->idx[k];
		int absent = 0;
		key[0] = 0;
		for (int j = 0; j < nf && !absent; j++) {
			if (fs[j].kind == QF_TIME)
				key[j] = (uint64_t)s->time[i];
			else
				key[j] = s->cols[fs[j].col].ids[i];
			absent = fs[j].kind == QF_TIME ? s->time[i] == TG_TIME_NONE : key[j] == 0;
		}
		int was_new;
		absent |= s->time[i] == TG_TIME_NONE;
		grp[k] = absent ? UINT32_MAX : qgroups_add(&g, key, &was_new);
	}
	/* positions of each group, in time order (a counting sort by group) */
	size_t ng = g.n;
	size_t *start = xcalloc(ng + 1, sizeof *start);
	for (size_t k = 0; k < n; k++)
		if (grp[k] != UINT32_MAX)
			start[grp[k] + 1]++;
	for (size_t v = 0; v < ng; v++)
		start[v + 1] += start[v];
	size_t *fill = xcalloc(ng + 1, sizeof *fill);
	uint32_t *pos = xmalloc((n ? n : 1) * sizeof *pos);
	for (size_t k = 0; k < n; k++)
		if (grp[k] != UINT32_MAX)
			pos[start[grp[k]] + fill[grp[k]]++] = (uint32_t)k;
	uint8_t *keep = xcalloc(n ? n : 1, 1);
	size_t need = (size_t)st->count + (st->count_ge ? 0 : 1); /* events a burst holds */
	if (need == 0)
		need = 1;
	for (size_t v = 0; v < ng; v++) {
		const uint32_t *p = pos + start[v];
		size_t m = start[v + 1] - start[v], lt = 0, marked = 0; /* p[0..marked) kept */
		for (size_t rt = 0; rt < m; rt++) {
			int64_t tr = s->time[r->idx[p[rt]]];
			while (tr - s->time[r->idx[p[lt]]] > st->dur)
				lt++;
			if (rt - lt + 1 < need)
				continue;
			for (size_t q = lt > marked ? lt : marked; q <= rt; q++)
				keep[p[q]] = 1;
			marked = rt + 1;
		}
	}
	size_t o = 0;
	for (size_t k = 0; k < n; k++)
		if (keep[k])
			r->idx[o++] = r->idx[k];
	r->n = o;
	free(keep);
	free(pos);
	free(fill);
	free(start);
	free(grp);
	qgroups_free(&g);
	rc = 0;
done:
	for (int j = 0; j < nf; j++)
		qfield_free(&fs[j]);
	return rc;
}

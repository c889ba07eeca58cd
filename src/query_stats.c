/* query_stats.c — the stats stage: group events by fields and bins, then aggregate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_eval.h"
#include "tgtime.h"

void qgroups_init(qgroups *g, size_t k)
{
	memset(g, 0, sizeof *g);
	g->k = k;
}

void qgroups_free(qgroups *g)
{
	free(g->keys);
	free(g->slots);
	memset(g, 0, sizeof *g);
}

static uint64_t hash_key(const uint64_t *key, size_t k)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;
	for (size_t i = 0; i < k; i++) {
		h ^= key[i] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
		h *= 0xff51afd7ed558ccdULL;
	}
	return h ^ (h >> 29);
}

static void rehash(qgroups *g)
{
	size_t ns = g->nslots ? g->nslots * 2 : 64;
	uint32_t *slots = xcalloc(ns, sizeof *slots);
	for (size_t i = 0; i < g->n; i++) {
		size_t h = (size_t)hash_key(g->keys + i * g->k, g->k) & (ns - 1);
		while (slots[h])
			h = (h + 1) & (ns - 1);
		slots[h] = (uint32_t)i + 1;
	}
	free(g->slots);
	g->slots = slots;
	g->nslots = ns;
}

uint32_t qgroups_add(qgroups *g, const uint64_t *key, int *was_new)
{
	if ((g->n + 1) * 2 > g->nslots)
		rehash(g);
	size_t h = (size_t)hash_key(key, g->k) & (g->nslots - 1);
	while (g->slots[h]) {
		uint32_t i = g->slots[h] - 1;
		if (memcmp(g->keys + (size_t)i * g->k, key, g->k * sizeof *key) == 0) {
			if (was_new)
				*was_new = 0;
			return i;
		}
		h = (h + 1) & (g->nslots - 1);
	}
	xgrow((void **)&g->keys, &g->cap, (g->n + 1) * g->k, sizeof *g->keys);
	memcpy(g->keys + g->n * g->k, key, g->k * sizeof *key);
	g->slots[h] = (uint32_t)g->n + 1;
	if (was_new)
		*was_new = 1;
	return (uint32_t)g->n++;
}

/* A field's value for event i as a 64-bit word: the string id, or the time in ms. */
static uint64_t word_of(const store *s, const qfield *f, int64_t bin, size_t i)
{
	if (f->kind != QF_TIME)
		return s->cols[f->col].ids[i];
	int64_t t = s->time[i];
	if (bin > 0 && t != TG_TIME_NONE)
		t = (t >= 0 ? t / bin : -((-t + bin - 1) / bin)) * bin;
	return (uint64_t)t;
}

static char *word_text(const store *s, const qfield *f, uint64_t w)
{
	char buf[32];
	if (f->kind == QF_TIME)
		return (int64_t)w == TG_TIME_NONE ? NULL : xstrdup(tgtime_format((int64_t)w, buf));
	const char *v = intern_str(s->cols[f->col].tab, (uint32_t)w);
	return v ? xstrndup(v, intern_len(s->cols[f->col].tab, (uint32_t)w)) : NULL;
}

static int word_absent(const qfield *f, uint64_t w)
{
	return f->kind == QF_TIME ? (int64_t)w == TG_TIME_NONE : w == 0;
}

static int word_cmp(const store *s, const qfield *f, uint64_t a, uint64_t b)
{
	if (f->kind == QF_TIME)
		return (int64_t)a < (int64_t)b ? -1 : (int64_t)a > (int64_t)b;
	const intern *t = s->cols[f->col].tab;
	return qv_cmp(intern_str(t, (uint32_t)a), intern_len(t, (uint32_t)a),
		      intern_str(t, (uint32_t)b), intern_len(t, (uint32_t)b));
}

static const store *sort_store;
static const qfield *sort_field;
static int cmp_words(const void *a, const void *b)
{
	return word_cmp(sort_store, sort_field, *(const uint64_t *)a, *(const uint64_t *)b);
}

/* Group number per event: gid[k] for event r->idx[k]. Returns the number of groups and
 * the first event of each group in *rep. */
static size_t group_events(const qstage *st, const store *s, const result *r, qfield *by,
			   uint32_t *gid, uint32_t **rep)
{
	size_t ng = 0, repcap = 0;
	*rep = NULL;
	if (st->nkeys == 0) {
		memset(gid, 0, r->n * sizeof *gid);
		*rep = xmalloc(sizeof **rep);
		(*rep)[0] = r->n ? r->idx[0] : 0;
		return 1;
	}
	if (st->nkeys == 1 && by[0].kind == QF_COL) { /* fast path: an array indexed by id */
		const store_col *c = &s->cols[by[0].col];
		uint32_t cnt = intern_count(c->tab);
		uint32_t *map = xmalloc((cnt ? cnt : 1) * sizeof *map);
		memset(map, 0xff, (cnt ? cnt : 1) * sizeof *map);
		for (size_t k = 0; k < r->n; k++) {
			uint32_t id = c->ids[r->idx[k]];
			if (map[id] == UINT32_MAX) {
				xgrow((void **)rep, &repcap, ng + 1, sizeof **rep);
				(*rep)[ng] = r->idx[k];
				map[id] = (uint32_t)ng++;
			}
			gid[k] = map[id];
		}
		free(map);
		return ng;
	}
	qgroups g;
	qgroups_init(&g, (size_t)st->nkeys);
	uint64_t key[64];
	for (size_t k = 0; k < r->n; k++) {
		for (int j = 0; j < st->nkeys && j < 64; j++)
			key[j] = word_of(s, &by[j], st->keys[j].bin, r->idx[k]);
		int fresh;
		gid[k] = qgroups_add(&g, key, &fresh);
		if (fresh) {
			xgrow((void **)rep, &repcap, ng + 1, sizeof **rep);
			(*rep)[ng++] = r->idx[k];
		}
	}
	qgroups_free(&g);
	return ng;
}

/* Fill column `col` of the table (ng rows of ncols) with aggregate a. */
static void aggregate(const qagg *a, const qfield *f, const store *s, const result *r,
		      const uint32_t *gid, size_t ng, char **cells, int ncols, int col)
{
	char buf[32];
	if (a->kind == QA_COUNT || a->kind == QA_DC) {
		size_t *cnt = xcalloc(ng, sizeof *cnt);
		qgroups seen;
		qgroups_init(&seen, 2);
		for (size_t k = 0; k < r->n; k++) {
			if (!f) {
				cnt[gid[k]]++;
				continue;
			}
			uint64_t w = word_of(s, f, 0, r->idx[k]);
			if (word_absent(f, w))
				continue;
			int fresh = 1;
			if (a->kind == QA_DC) {
				uint64_t key[2] = {gid[k], w};
				qgroups_add(&seen, key, &fresh);
			}
			cnt[gid[k]] += (size_t)fresh;
		}
		for (size_t g = 0; g < ng; g++) {
			snprintf(buf, sizeof buf, "%zu", cnt[g]);
			cells[g * (size_t)ncols + (size_t)col] = xstrdup(buf);
		}
		qgroups_free(&seen);
		free(cnt);
		return;
	}
	if (a->kind == QA_VALUES) {
		qgroups seen;
		qgroups_init(&seen, 2);
		for (size_t k = 0; k < r->n; k++) {
			uint64_t w = word_of(s, f, 0, r->idx[k]);
			if (!word_absent(f, w)) {
				uint64_t key[2] = {gid[k], w};
				qgroups_add(&seen, key, NULL);
			}
		}
		/* bucket the (group, value) pairs by group, sort each, join */
		size_t *start = xcalloc(ng + 1, sizeof *start);
		for (size_t i = 0; i < seen.n; i++)
			start[seen.keys[2 * i] + 1]++;
		for (size_t g = 0; g < ng; g++)
			start[g + 1] += start[g];
		uint64_t *vals = xmalloc((seen.n ? seen.n : 1) * sizeof *vals);
		size_t *fill = xcalloc(ng + 1, sizeof *fill);
		for (size_t i = 0; i < seen.n; i++) {
			size_t g = seen.keys[2 * i];
			vals[start[g] + fill[g]++] = seen.keys[2 * i + 1];
		}
		sort_store = s;
		sort_field = f;
		for (size_t g = 0; g < ng; g++) {
			size_t m = start[g + 1] - start[g];
			qsort(vals + start[g], m, sizeof *vals, cmp_words);
			sbuf b;
			sbuf_init(&b);
			sbuf_add(&b, "", 0);
			for (size_t i = 0; i < m && i < QUERY_VALUES_CAP; i++) {
				char *t = word_text(s, f, vals[start[g] + i]);
				sbuf_addf(&b, "%s%s", i ? "," : "", t ? t : "");
				free(t);
			}
			if (m > QUERY_VALUES_CAP)
				sbuf_addf(&b, ",...(+%zu)", m - QUERY_VALUES_CAP);
			cells[g * (size_t)ncols + (size_t)col] = m ? sbuf_take(&b) : NULL;
			sbuf_free(&b);
		}
		free(start);
		free(fill);
		free(vals);
		qgroups_free(&seen);
		return;
	}
	/* min, max, first, last: the best value per group */
	uint64_t *best = xmalloc((ng ? ng : 1) * sizeof *best);
	int64_t *bt = xmalloc((ng ? ng : 1) * sizeof *bt);
	uint8_t *have = xcalloc(ng ? ng : 1, 1);
	for (size_t k = 0; k < r->n; k++) {
		size_t i = r->idx[k], g = gid[k];
		uint64_t w = word_of(s, f, 0, i);
		if (word_absent(f, w))
			continue;
		int64_t t = s->time[i];
		int take = !have[g];
		if (!take) {
			switch (a->kind) {
			case QA_MIN: take = best[g] != w && word_cmp(s, f, w, best[g]) < 0; break;
			case QA_MAX: take = best[g] != w && word_cmp(s, f, w, best[g]) > 0; break;
			case QA_FIRST: take = t < bt[g]; break;
			default: take = t >= bt[g]; break;
			}
		}
		if (take) {
			have[g] = 1;
			best[g] = w;
			bt[g] = t;
		}
	}
	for (size_t g = 0; g < ng; g++)
		cells[g * (size_t)ncols + (size_t)col] = have[g] ? word_text(s, f, best[g]) : NULL;
	free(best);
	free(bt);
	free(have);
}

int qstats_run(const qstage *st, store *s, result *r, qerr *err)
{
	int ncols = st->nkeys + st->naggs, rc = -1;
	qfield *fs = xcalloc((size_t)ncols, sizeof *fs);
	char msg[200];
	for (int j = 0; j < ncols; j++) {
		const qkey *k = j < st->nkeys ? &st->keys[j] : &st->aggs[j - st->nkeys].arg;
		if (!k->field)
			continue;
		if (qfield_resolve(s, k->field, &fs[j], msg, sizeof msg) < 0) {
			err->col = k->col;
			snprintf(err->msg, sizeof err->msg, "cannot read field '%.40s': %.180s", k->field, msg);
			goto done;
		}
	}
	uint32_t *gid = xmalloc((r->n ? r->n : 1) * sizeof *gid), *rep;
	size_t ng = group_events(st, s, r, fs, gid, &rep);
	char **cells = xcalloc(ng * (size_t)ncols + 1, sizeof *cells);
	for (size_t g = 0; g < ng && r->n; g++)
		for (int j = 0; j < st->nkeys; j++)
			cells[g * (size_t)ncols + (size_t)j] =
				word_text(s, &fs[j], word_of(s, &fs[j], st->keys[j].bin, rep[g]));
	for (int a = 0; a < st->naggs; a++) {
		const qfield *f = st->aggs[a].arg.field ? &fs[st->nkeys + a] : NULL;
		aggregate(&st->aggs[a], f, s, r, gid, ng, cells, ncols, st->nkeys + a);
	}
	free(gid);
	free(rep);
	free(r->idx);
	r->idx = NULL;
	r->n = 0;
	r->is_table = 1;
	r->cols = xcalloc((size_t)ncols, sizeof *r->cols);
	for (int j = 0; j < ncols; j++)
		r->cols[j] = xstrdup(j < st->nkeys ? st->keys[j].field : st->aggs[j - st->nkeys].name);
	r->ncols = ncols;
	r->cells = cells;
	r->nrows = ng;
	rc = 0;
done:
	for (int j = 0; j < ncols; j++)
		qfield_free(&fs[j]);
	free(fs);
	return rc;
}

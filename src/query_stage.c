/* query_stage.c — running a query: the leading filter, then each pipe stage in turn. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_eval.h"
#include "lists.h"
#include "tgtime.h"

void qsort_stable(uint32_t *a, size_t n, int (*cmp)(uint32_t, uint32_t, void *), void *ctx)
{
	if (n < 2)
		return;
	uint32_t *tmp = xmalloc(n * sizeof *tmp);
	for (size_t w = 1; w < n; w *= 2) { /* bottom-up merge sort */
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = cmp(a[j], a[i], ctx) < 0 ? a[j++] : a[i++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		memcpy(a, tmp, n * sizeof *tmp);
	}
	free(tmp);
}

void result_free(result **rp)
{
	result *r = *rp;
	if (!r)
		return;
	free(r->idx);
	for (int i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	free(r->fields);
	for (size_t i = 0; i < r->nrows * (size_t)r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	for (int i = 0; i < r->ncols; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r);
	*rp = NULL;
}

static int resolve(store *s, const qkey *k, qfield *f, qerr *err)
{
	char msg[200];
	if (qfield_resolve(s, k->field, f, msg, sizeof msg) == 0)
		return 0;
	err->col = k->col;
	snprintf(err->msg, sizeof err->msg, "cannot read field '%.40s': %.180s", k->field, msg);
	return -1;
}

/* --- events ------------------------------------------------------------------------ */

static void keep_events(result *r, const uint8_t *m)
{
	size_t o = 0;
	for (size_t k = 0; k < r->n; k++)
		if (m[k])
			r->idx[o++] = r->idx[k];
	r->n = o;
}

typedef struct sort_key {
	qfield f;
	uint32_t *rank; /* string columns: rank of each id (absent last) */
	int desc;
} sort_key;

typedef struct sort_ctx {
	const store *s;
	sort_key *keys;
	int n;
} sort_ctx;

static const intern *rank_tab;
static int rank_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return qv_cmp(intern_str(rank_tab, x), intern_len(rank_tab, x), intern_str(rank_tab, y),
		      intern_len(rank_tab, y));
}

static int event_cmp(uint32_t a, uint32_t b, void *vctx)
{
	const sort_ctx *c = vctx;
	for (int j = 0; j < c->n; j++) {
		const sort_key *k = &c->keys[j];
		int r;
		if (k->rank) {
			uint32_t x = k->rank[c->s->cols[k->f.col].ids[a]];
			uint32_t y = k->rank[c->s->cols[k->f.col].ids[b]];
			if (x == y)
				continue;
			if (x == UINT32_MAX || y == UINT32_MAX) /* absent sorts last either way */
				return x == UINT32_MAX ? 1 : -1;
			r = x < y ? -1 : 1;
		} else {
			int64_t x = c->s->time[a], y = c->s->time[b];
			if (x == y)
				continue;
			r = x < y ? -1 : 1;
		}
		return k->desc ? -r : r;
	}
	return 0;
}

static int sort_events(const qstage *st, store *s, result *r, qerr *err)
{
	sort_key *keys = xcalloc((size_t)st->nkeys, sizeof *keys);
	int rc = -1;
	for (int j = 0; j < st->nkeys; j++) {
		if (resolve(s, &st->keys[j], &keys[j].f, err) < 0)
			goto done;
		keys[j].desc = st->keys[j].desc;
		if (keys[j].f.kind != QF_COL)
			continue;
		const intern *t = s->cols[keys[j].f.col].tab;
		uint32_t cnt = intern_count(t);
		uint32_t *ids = xmalloc((cnt ? cnt : 1) * sizeof *ids);
		for (uint32_t i = 1; i < cnt; i++)
			ids[i - 1] = i;
		rank_tab = t;
		qsort(ids, cnt ? cnt - 1 : 0, sizeof *ids, rank_cmp);
		keys[j].rank = xmalloc((cnt ? cnt : 1) * sizeof *keys[j].rank);
		keys[j].rank[0] = UINT32_MAX;
		for (uint32_t i = 0; i + 1 < cnt; i++)
			keys[j].rank[ids[i]] = i;
		free(ids);
	}
	sort_ctx c = {s, keys, st->nkeys};
	qsort_stable(r->idx, r->n, event_cmp, &c);
	rc = 0;
done:
	for (int j = 0; j < st->nkeys; j++) {
		qfield_free(&keys[j].f);
		free(keys[j].rank);
	}
	free(keys);
	return rc;
}

static int dedup_events(const qstage *st, store *s, result *r, qerr *err)
{
	qfield fs[QUERY_MAX_KEYS];
	uint64_t key[QUERY_MAX_KEYS];
	int nf = 0, rc = -1;
	for (; nf < st->nkeys; nf++)
		if (resolve(s, &st->keys[nf], &fs[nf], err) < 0)
			goto done;
	qgroups g;
	qgroups_init(&g, (size_t)nf);
	uint8_t *m = xmalloc(r->n ? r->n : 1);
	for (size_t k = 0; k < r->n; k++) {
		for (int j = 0; j < nf; j++)
			key[j] = fs[j].kind == QF_TIME ? (uint64_t)s->time[r->idx[k]]
						       : s->cols[fs[j].col].ids[r->idx[k]];
		int fresh;
		qgroups_add(&g, key, &fresh);
		m[k] = (uint8_t)fresh;
	}
	keep_events(r, m);
	free(m);
	qgroups_free(&g);
	rc = 0;
done:
	for (int j = 0; j < nf; j++)
		qfield_free(&fs[j]);
	return rc;
}

static int run_events_stage(qstage *st, store *s, result *r, const qctx *c, int64_t now,
			    qerr *err)
{
	switch (st->kind) {
	case QS_FIRSTSEEN:
		return qinv_first_seen(st, s, r, c, err);
	case QS_DORMANT:
		return qinv_dormant(st, s, r, c, err);
	case QS_SPIKE:
		return qinv_spike(st, s, r, c, err);
	case QS_SEQUENCE:
		return qseq_run(st, s, r, now, err);
	case QS_THRESHOLD:
		return qthr_run(st, s, r, err);
	case QS_FILTER: {
		if (qeval_prepare(st->expr, s, now, err) < 0)
			return -1;
		uint8_t *m = xmalloc(r->n ? r->n : 1);
		qeval_events(st->expr, s, r->idx, r->n, m);
		keep_events(r, m);
		free(m);
		return 0;
	}
	case QS_FIELDS:
		for (int i = 0; i < r->nfields; i++)
			free(r->fields[i]);
		free(r->fields);
		r->fields = xcalloc((size_t)st->nkeys, sizeof *r->fields);
		r->nfields = 0;
		for (int j = 0; j < st->nkeys; j++) {
			qfield f;
			if (resolve(s, &st->keys[j], &f, err) < 0)
				return -1;
			qfield_free(&f);
			r->fields[r->nfields++] = xstrdup(st->keys[j].field);
		}
		return 0;
	case QS_SORT:
		return sort_events(st, s, r, err);
	case QS_HEAD:
		if ((size_t)st->head < r->n)
			r->n = (size_t)st->head;
		return 0;
	case QS_DEDUP:
		return dedup_events(st, s, r, err);
	case QS_STATS:
		return qstats_run(st, s, r, err);
	}
	return 0;
}

/* --- tables ------------------------------------------------------------------------ */

static int col_index(const result *r, const char *name)
{
	for (int i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i], name) == 0)
			return i;
	return -1;
}

/* Reorder or drop rows: the table keeps rows order[0..n), in that order. */
static void take_rows(result *r, const uint32_t *order, size_t n)
{
	size_t nc = (size_t)r->ncols;
	char **cells = xcalloc(n * nc + 1, sizeof *cells);
	uint8_t *used = xcalloc(r->nrows ? r->nrows : 1, 1);
	for (size_t k = 0; k < n; k++) {
		memcpy(cells + k * nc, r->cells + (size_t)order[k] * nc, nc * sizeof *cells);
		used[order[k]] = 1;
	}
	for (size_t i = 0; i < r->nrows; i++)
		for (size_t c = 0; !used[i] && c < nc; c++)
			free(r->cells[i * nc + c]);
	free(used);
	free(r->cells);
	r->cells = cells;
	r->nrows = n;
}

typedef struct row_ctx {
	const result *r;
	int cols[QUERY_MAX_KEYS];
	int desc[QUERY_MAX_KEYS];
	int n;
} row_ctx;

static int row_cmp(uint32_t a, uint32_t b, void *vctx)
{
	const row_ctx *c = vctx;
	for (int j = 0; j < c->n; j++) {
		if (c->cols[j] < 0)
			continue;
		const char *x = c->r->cells[(size_t)a * (size_t)c->r->ncols + (size_t)c->cols[j]];
		const char *y = c->r->cells[(size_t)b * (size_t)c->r->ncols + (size_t)c->cols[j]];
		if (!x || !y) {
			if (x != y)
				return x ? -1 : 1; /* absent last */
			continue;
		}
		int v = qv_cmp(x, strlen(x), y, strlen(y));
		if (v)
			return c->desc[j] ? -v : v;
	}
	return 0;
}

static void run_table_stage(qstage *st, result *r, int64_t now)
{
	size_t nc = (size_t)r->ncols, n = 0;
	uint32_t *order = xmalloc((r->nrows ? r->nrows : 1) * sizeof *order);
	for (size_t i = 0; i < r->nrows; i++)
		order[i] = (uint32_t)i;
	switch (st->kind) {
	case QS_FILTER:
		qeval_prepare_table(st->expr, r->cols, r->ncols, now);
		for (size_t i = 0; i < r->nrows; i++)
			if (qeval_row(st->expr, r->cells + i * nc))
				order[n++] = (uint32_t)i;
		take_rows(r, order, n);
		break;
	case QS_SORT: {
		row_ctx c = {.r = r, .n = st->nkeys};
		for (int j = 0; j < st->nkeys; j++) {
			c.cols[j] = col_index(r, st->keys[j].field);
			c.desc[j] = st->keys[j].desc;
		}
		qsort_stable(order, r->nrows, row_cmp, &c);
		take_rows(r, order, r->nrows);
		break;
	}
	case QS_HEAD:
		take_rows(r, order, (size_t)st->head < r->nrows ? (size_t)st->head : r->nrows);
		break;
	case QS_DEDUP: {
		intern *t = intern_new();
		qgroups g;
		uint64_t key[QUERY_MAX_KEYS];
		qgroups_init(&g, (size_t)st->nkeys);
		for (size_t i = 0; i < r->nrows; i++) {
			for (int j = 0; j < st->nkeys; j++) {
				int c = col_index(r, st->keys[j].field);
				const char *v = c >= 0 ? r->cells[i * nc + (size_t)c] : NULL;
				key[j] = v ? intern_add(t, v, strlen(v)) : 0;
			}
			int fresh;
			qgroups_add(&g, key, &fresh);
			if (fresh)
				order[n++] = (uint32_t)i;
		}
		qgroups_free(&g);
		intern_free(&t);
		take_rows(r, order, n);
		break;
	}
	case QS_FIELDS: {
		size_t nn = (size_t)st->nkeys;
		char **cells = xcalloc(r->nrows * nn + 1, sizeof *cells);
		for (size_t i = 0; i < r->nrows; i++)
			for (size_t j = 0; j < nn; j++) {
				int c = col_index(r, st->keys[j].field);
				const char *v = c >= 0 ? r->cells[i * nc + (size_t)c] : NULL;
				cells[i * nn + j] = v ? xstrdup(v) : NULL;
			}
		for (size_t i = 0; i < r->nrows * nc; i++)
			free(r->cells[i]);
		free(r->cells);
		for (size_t c = 0; c < nc; c++)
			free(r->cols[c]);
		free(r->cols);
		r->cols = xcalloc(nn + 1, sizeof *r->cols);
		for (size_t j = 0; j < nn; j++)
			r->cols[j] = xstrdup(st->keys[j].field);
		r->ncols = (int)nn;
		r->cells = cells;
		break;
	}
	case QS_STATS: /* rejected by the parser, as are the investigation stages */
	case QS_FIRSTSEEN:
	case QS_DORMANT:
	case QS_SPIKE:
	case QS_SEQUENCE:
	case QS_THRESHOLD:
		break;
	}
	free(order);
}

/* --- the run ----------------------------------------------------------------------- */

/* Keep the events of r whose time is at or after since (the window's start). */
static void clip_since(const store *s, result *r, int64_t since)
{
	if (since == TG_TIME_NONE)
		return;
	size_t o = 0;
	for (size_t k = 0; k < r->n; k++)
		if (s->time[r->idx[k]] >= since)
			r->idx[o++] = r->idx[k];
	r->n = o;
}

result *query_run(query *q, store *s, const qctx *ctx, qerr *err)
{
	qerr dummy;
	if (!err)
		err = &dummy;
	err->col = -1;
	err->msg[0] = 0;
	qctx defctx;
	if (!ctx) {
		qctx_init(&defctx);
		ctx = &defctx;
	}
	int64_t now = ctx->now;
	int64_t since = ctx->since, until = ctx->until;
	if (qlists_resolve(q, ctx->lists, err) < 0)
		return NULL;
	/* the window; stages up to the last lookback stage also see the baseline before it */
	int last_lb = -1;
	for (int i = 0; i < q->nstages; i++)
		if (qstage_is_lookback(&q->stages[i]))
			last_lb = i;
	size_t lo, hi;
	int64_t from = since;
	if (last_lb >= 0 && since != TG_TIME_NONE)
		from = qwin_need_from(q, since);
	qwin_range(s, from == INT64_MIN ? TG_TIME_NONE : from, until, &lo, &hi);
	double t0 = now_mono();
	result *r = xcalloc(1, sizeof *r);
	r->idx = xmalloc((hi > lo ? hi - lo : 1) * sizeof *r->idx);
	for (size_t i = lo; i < hi; i++)
		r->idx[i - lo] = (uint32_t)i;
	r->n = hi - lo;
	if (q->filter) {
		if (qeval_prepare(q->filter, s, now, err) < 0)
			goto fail;
		uint8_t *m = xmalloc(r->n ? r->n : 1);
		qeval_events(q->filter, s, lo == 0 && hi == s->n ? NULL : r->idx, r->n, m);
		size_t o = 0;
		for (size_t k = 0; k < r->n; k++)
			if (m[k])
				r->idx[o++] = r->idx[k];
		r->n = o;
		free(m);
	}
	double t1 = now_mono();
	r->t_filter = t1 - t0;
	for (int i = 0; i < q->nstages; i++) {
		qstage *st = &q->stages[i];
		if (st->table)
			run_table_stage(st, r, now);
		else if (run_events_stage(st, s, r, ctx, now, err) < 0)
			goto fail;
		if (i == last_lb && !r->is_table)
			clip_since(s, r, since);
	}
	r->t_stages = now_mono() - t1;
	return r;
fail:
	result_free(&r);
	return NULL;
}

/* query_lookback.c — @lists, the run's window, and the lookback stages: first-seen,
 * dormant and spike. Keys are hashed as interned ids (never strings), so a stage over a
 * million events is one pass with a hash lookup per event. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "query_eval.h"
#include "tgtime.h"

/* --- lists ------------------------------------------------------------------------- */

typedef void (*qval_fn)(void *ud, qval *v);

/* Visit every value of every comparison in e. Iterative over the left spine of and/or
 * chains (up to QUERY_MAX_TERMS long); the other nesting is bounded by QUERY_MAX_DEPTH. */
static void walk_vals(qnode *e, qval_fn fn, void *ud)
{
	while (e) {
		if (e->kind == QN_CMP) {
			for (int i = 0; i < e->nvals; i++)
				fn(ud, &e->vals[i]);
			return;
		}
		if (e->kind == QN_AND || e->kind == QN_OR) {
			walk_vals(e->b, fn, ud);
			e = e->a;
		} else {
			e = e->a;
		}
	}
}

static void walk_query(const query *q, qval_fn fn, void *ud)
{
	walk_vals(q->filter, fn, ud);
	for (int i = 0; i < q->nstages; i++) {
		walk_vals(q->stages[i].expr, fn, ud);
		for (int k = 0; k < q->stages[i].nsteps; k++)
			walk_vals(q->stages[i].steps[k].expr, fn, ud);
	}
}

typedef struct resolve_ctx {
	const listset *ls;
	qerr *err;
	int bad;
} resolve_ctx;

static void resolve_one(void *ud, qval *v)
{
	resolve_ctx *c = ud;
	if (!v->list)
		return;
	v->lst = listset_get(c->ls, v->list);
	if (!v->lst && (!c->bad || v->col < c->err->col)) { /* report the first in the text */
		c->bad = 1;
		c->err->col = v->col;
		snprintf(c->err->msg, sizeof c->err->msg, "unknown list '@%.60s'", v->list);
	}
}

int qlists_resolve(query *q, const listset *ls, qerr *err)
{
	resolve_ctx c = {ls, err, 0};
	walk_query(q, resolve_one, &c);
	return c.bad ? -1 : 0;
}

typedef struct names_ctx {
	void (*fn)(void *ud, const char *name, int col);
	void *ud;
	const qval **v;
	size_t n, cap;
} names_ctx;

static void collect_one(void *ud, qval *v)
{
	names_ctx *c = ud;
	if (!v->list)
		return;
	xgrow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->v[c->n++] = v;
}

static int cmp_col(const void *a, const void *b)
{
	const qval *x = *(const qval *const *)a, *y = *(const qval *const *)b;
	return x->col < y->col ? -1 : x->col > y->col;
}

void query_lists(const query *q, void (*fn)(void *ud, const char *name, int col), void *ud)
{
	if (!q || !fn)
		return;
	names_ctx c = {fn, ud, NULL, 0, 0};
	walk_query(q, collect_one, &c);
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, cmp_col);
	for (size_t i = 0; i < c.n; i++)
		fn(ud, c.v[i]->list, c.v[i]->col);
	free(c.v);
}

/* --- the window -------------------------------------------------------------------- */

static size_t lower_bound(const store *s, int64_t t)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->time[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void qwin_range(const store *s, int64_t since, int64_t until, size_t *lo, size_t *hi)
{
	*lo = since == TG_TIME_NONE ? 0 : lower_bound(s, since);
	*hi = until == TG_TIME_NONE ? s->n : until == INT64_MAX ? s->n : lower_bound(s, until + 1);
	if (*hi < *lo)
		*hi = *lo;
}

static int64_t sat_sub(int64_t a, int64_t b) /* a - b, b >= 0, saturating */
{
	return a < INT64_MIN + b ? INT64_MIN : a - b;
}

/* How far before the window one stage reads: its baseline (first-seen, spike), or for
 * dormant twice its silence (at least QUERY_DORMANT_MIN_LOOKBACK). */
static int64_t stage_lookback(const qstage *st)
{
	int64_t d = 0;
	if (st->kind == QS_FIRSTSEEN || st->kind == QS_SPIKE)
		d = st->dur;
	else if (st->kind == QS_DORMANT)
		d = st->dur > INT64_MAX / 2 ? INT64_MAX : st->dur * 2;
	if (st->kind == QS_DORMANT && d < QUERY_DORMANT_MIN_LOOKBACK)
		d = QUERY_DORMANT_MIN_LOOKBACK;
	return d;
}

/* The engine reads exactly what query_lookback tells loaders to keep, so an answer never
 * depends on how much history a front end happened to load. */
int64_t qwin_need_from(const query *q, int64_t since)
{
	return sat_sub(since, query_lookback(q));
}

int64_t query_lookback(const query *q)
{
	int64_t lb = 0;
	for (int i = 0; q && i < q->nstages; i++) {
		int64_t d = stage_lookback(&q->stages[i]);
		if (d > lb)
			lb = d;
	}
	return lb;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void qidx_sort(result *r)
{
	for (size_t k = 1; k < r->n; k++)
		if (r->idx[k] < r->idx[k - 1]) {
			qsort(r->idx, r->n, sizeof *r->idx, cmp_u32);
			return;
		}
}

/* --- keys -------------------------------------------------------------------------- */

typedef struct keyset {
	qfield f[QUERY_MAX_KEYS];
	int n;
	/* one key on a string column: state arrays indexed by the interned id */
	int by_id;
	uint32_t nids;
	qgroups g;
} keyset;

static int keys_open(keyset *ks, const qstage *st, store *s, qerr *err)
{
	char msg[200];
	memset(ks, 0, sizeof *ks);
	for (; ks->n < st->nkeys; ks->n++)
		if (qfield_resolve(s, st->keys[ks->n].field, &ks->f[ks->n], msg, sizeof msg) < 0) {
			err->col = st->keys[ks->n].col;
			snprintf(err->msg, sizeof err->msg, "cannot read field '%.40s': %.180s",
				 st->keys[ks->n].field, msg);
			return -1;
		}
	ks->by_id = ks->n == 1 && ks->f[0].kind == QF_COL;
	if (ks->by_id)
		ks->nids = intern_count(s->cols[ks->f[0].col].tab);
	qgroups_init(&ks->g, ks->n ? (size_t)ks->n : 1);
	return 0;
}

static void keys_close(keyset *ks)
{
	for (int j = 0; j < ks->n; j++)
		qfield_free(&ks->f[j]);
	qgroups_free(&ks->g);
}

/* The key number of event i (stable for the run), or UINT32_MAX when a key is absent.
 * With by_id this is the interned id itself (< nids). */
static uint32_t key_of(keyset *ks, const store *s, size_t i)
{
	if (ks->by_id) {
		uint32_t id = s->cols[ks->f[0].col].ids[i];
		return id ? id : UINT32_MAX;
	}
	uint64_t w[QUERY_MAX_KEYS];
	w[0] = 0;
	for (int j = 0; j < ks->n; j++) {
		if (ks->f[j].kind == QF_TIME) {
			if (s->time[i] == TG_TIME_NONE)
				return UINT32_MAX;
			w[j] = (uint64_t)s->time[i];
		} else {
			w[j] = s->cols[ks->f[j].col].ids[i];
			if (!w[j])
				return UINT32_MAX;
		}
	}
	return qgroups_add(&ks->g, w, NULL);
}

/* Grow a per-key array to hold key k. */
static void *key_slot(void *arr, size_t *cap, uint32_t k, size_t sz, int fill)
{
	if ((size_t)k < *cap)
		return arr;
	size_t old = *cap, ncap = old ? old : 64;
	while (ncap <= k)
		ncap *= 2;
	arr = xrealloc(arr, ncap * sz);
	memset((char *)arr + old * sz, fill, (ncap - old) * sz);
	*cap = ncap;
	return arr;
}

static int need_window(const qstage *st, const qctx *c, const char *name, qerr *err)
{
	if (c && c->since != TG_TIME_NONE)
		return 0;
	err->col = st->col;
	snprintf(err->msg, sizeof err->msg,
		 "%s needs a window: give a start time (--since, or a runbook's window)", name);
	return -1;
}

/* --- first-seen -------------------------------------------------------------------- */

int qinv_first_seen(const qstage *st, store *s, result *r, const qctx *c, qerr *err)
{
	if (need_window(st, c, "first-seen", err) < 0)
		return -1;
	keyset ks;
	if (keys_open(&ks, st, s, err) < 0) {
		keys_close(&ks);
		return -1;
	}
	qidx_sort(r);
	int64_t since = c->since, from = sat_sub(since, st->dur);
	size_t cap = ks.by_id ? ks.nids : 0;
	uint8_t *state = ks.by_id ? xcalloc(cap ? cap : 1, 1) : NULL; /* 1 baseline, 2 output */
	size_t o = 0;
	for (size_t k = 0; k < r->n; k++) {
		uint32_t i = r->idx[k];
		int64_t t = s->time[i];
		if (t < from)
			continue;
		uint32_t key = key_of(&ks, s, i);
		if (key == UINT32_MAX)
			continue;
		if (!ks.by_id)
			state = key_slot(state, &cap, key, 1, 0);
		if (t < since) {
			state[key] |= 1;
		} else if (!state[key]) {
			state[key] = 2;
			r->idx[o++] = i;
		}
	}
	r->n = o;
	free(state);
	keys_close(&ks);
	return 0;
}

/* --- dormant ----------------------------------------------------------------------- */

int qinv_dormant(const qstage *st, store *s, result *r, const qctx *c, qerr *err)
{
	if (need_window(st, c, "dormant", err) < 0)
		return -1;
	keyset ks;
	if (keys_open(&ks, st, s, err) < 0) {
		keys_close(&ks);
		return -1;
	}
	qidx_sort(r);
	int64_t since = c->since;
	size_t cap = ks.by_id ? ks.nids : 0, cap2 = cap;
	int64_t *last = NULL; /* the last activity before the window; INT64_MAX once decided */
	if (ks.by_id) {
		last = xmalloc((cap ? cap : 1) * sizeof *last);
		for (size_t j = 0; j < cap; j++)
			last[j] = TG_TIME_NONE;
	}
	size_t o = 0;
	for (size_t k = 0; k < r->n; k++) {
		uint32_t i = r->idx[k];
		int64_t t = s->time[i];
		if (t == TG_TIME_NONE)
			continue;
		uint32_t key = key_of(&ks, s, i);
		if (key == UINT32_MAX)
			continue;
		if (!ks.by_id) {
			size_t old = cap2;
			last = key_slot(last, &cap2, key, sizeof *last, 0);
			for (size_t j = old; j < cap2; j++)
				last[j] = TG_TIME_NONE;
		}
		if (t < since) {
			last[key] = t;
			continue;
		}
		if (last[key] == INT64_MAX)
			continue;
		if (last[key] != TG_TIME_NONE && t - last[key] >= st->dur)
			r->idx[o++] = i;
		last[key] = INT64_MAX;
	}
	r->n = o;
	free(last);
	keys_close(&ks);
	return 0;
}

/* --- spike ------------------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* A number with at most two decimals, trailing zeros dropped: 3, 3.5, 12.25. */
static char *fmt2(double v)
{
	char buf[64];
	if (!isfinite(v))
		v = 0;
	snprintf(buf, sizeof buf, "%.2f", v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *e = buf + strlen(buf);
		while (e > dot + 1 && e[-1] == '0')
			*--e = 0;
		if (e == dot + 1)
			*dot = 0;
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	return xstrdup(buf);
}

typedef struct spike_row {
	int64_t bucket;
	uint32_t combo, rep; /* the key combination, an event holding it */
	uint32_t count;
	double mean, sd, z;
} spike_row;

static int cmp_rows(const void *a, const void *b)
{
	const spike_row *x = a, *y = b;
	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return x->combo < y->combo ? -1 : x->combo > y->combo;
}

static char *key_text(const store *s, const qfield *f, size_t i)
{
	char buf[32];
	size_t n;
	const char *v = qfield_value(s, f, i, buf, &n);
	return v ? xstrndup(v, n) : NULL;
}

int qinv_spike(const qstage *st, store *s, result *r, const qctx *c, qerr *err)
{
	if (need_window(st, c, "spike", err) < 0)
		return -1;
	keyset ks;
	if (keys_open(&ks, st, s, err) < 0) {
		keys_close(&ks);
		return -1;
	}
	qidx_sort(r);
	int64_t since = c->since, b = st->bin;
	/* baseline: the aligned buckets lying wholly inside [since - baseline, since); a
	 * baseline past a century is a century (keeps the bucket arithmetic in range) */
	int64_t dur = st->dur > 100 * 366 * 86400000LL ? 100 * 366 * 86400000LL : st->dur;
	if (since < INT64_MIN / 4 || since > INT64_MAX / 4 || b > INT64_MAX / 4) {
		keys_close(&ks);
		err->col = st->col;
		snprintf(err->msg, sizeof err->msg, "spike: the window start is out of range");
		return -1;
	}
	int64_t from = since - dur;
	int64_t fb = floor_div(from, b) * b;
	if (fb < from)
		fb += b;
	int64_t lb = floor_div(since, b) * b - b; /* the last bucket ending at or before since */
	int64_t nb = lb < fb ? 0 : (lb - fb) / b + 1;
	/* counts per (combination, bucket) */
	qgroups pairs;
	qgroups_init(&pairs, 2);
	uint32_t *cnt = NULL, *rep = NULL;
	size_t ccap = 0, rcap = 0;
	for (size_t k = 0; k < r->n; k++) {
		uint32_t i = r->idx[k];
		int64_t t = s->time[i];
		if (t == TG_TIME_NONE || t < fb || (t < since && t >= lb + b))
			continue; /* before the baseline, or in the partial bucket before since */
		uint32_t combo = ks.n ? key_of(&ks, s, i) : 0;
		if (combo == UINT32_MAX)
			continue;
		uint64_t w[2] = {combo, (uint64_t)floor_div(t, b)};
		int fresh;
		uint32_t pi = qgroups_add(&pairs, w, &fresh);
		if (fresh) {
			xgrow((void **)&cnt, &ccap, (size_t)pi + 1, sizeof *cnt);
			xgrow((void **)&rep, &rcap, (size_t)pi + 1, sizeof *rep);
			cnt[pi] = 0;
			rep[pi] = i;
		}
		cnt[pi]++;
	}
	/* baseline sums per combination */
	size_t ncombo = 0;
	for (size_t pi = 0; pi < pairs.n; pi++)
		if (pairs.keys[2 * pi] + 1 > ncombo)
			ncombo = (size_t)pairs.keys[2 * pi] + 1;
	double *sum = xcalloc(ncombo ? ncombo : 1, sizeof *sum);
	double *sq = xcalloc(ncombo ? ncombo : 1, sizeof *sq);
	int64_t first_win = floor_div(since, b);
	for (size_t pi = 0; pi < pairs.n; pi++) {
		int64_t bk = (int64_t)pairs.keys[2 * pi + 1];
		if (bk * b >= since || bk >= first_win)
			continue;
		size_t cb = (size_t)pairs.keys[2 * pi];
		sum[cb] += cnt[pi];
		sq[cb] += (double)cnt[pi] * cnt[pi];
	}
	spike_row *rows = NULL;
	size_t nrows = 0, rowcap = 0;
	for (size_t pi = 0; pi < pairs.n; pi++) {
		int64_t bk = (int64_t)pairs.keys[2 * pi + 1];
		if (bk < first_win)
			continue;
		size_t cb = (size_t)pairs.keys[2 * pi];
		double mean = nb ? sum[cb] / (double)nb : 0;
		double var = nb ? sq[cb] / (double)nb - mean * mean : 0;
		double sd = var > 0 ? sqrt(var) : 0;
		double z = ((double)cnt[pi] - mean) / (sd > 1 ? sd : 1);
		if (!(z > st->z))
			continue;
		xgrow((void **)&rows, &rowcap, nrows + 1, sizeof *rows);
		rows[nrows++] = (spike_row){bk * b, (uint32_t)cb, rep[pi], cnt[pi], mean, sd, z};
	}
	if (nrows)
		qsort(rows, nrows, sizeof *rows, cmp_rows);
	int ncols = ks.n + 5;
	char **cells = xcalloc(nrows * (size_t)ncols + 1, sizeof *cells);
	for (size_t i = 0; i < nrows; i++) {
		char **row = cells + i * (size_t)ncols, buf[32];
		for (int j = 0; j < ks.n; j++)
			row[j] = key_text(s, &ks.f[j], rows[i].rep);
		row[ks.n] = xstrdup(tgtime_format(rows[i].bucket, buf));
		snprintf(buf, sizeof buf, "%u", rows[i].count);
		row[ks.n + 1] = xstrdup(buf);
		row[ks.n + 2] = fmt2(rows[i].mean);
		row[ks.n + 3] = fmt2(rows[i].sd);
		row[ks.n + 4] = fmt2(rows[i].z);
	}
	free(r->idx);
	r->idx = NULL;
	r->n = 0;
	r->is_table = 1;
	r->cols = xcalloc((size_t)ncols, sizeof *r->cols);
	for (int j = 0; j < ks.n; j++)
		r->cols[j] = xstrdup(st->keys[j].field);
	static const char *const names[] = {"time", "count", "baseline_mean", "baseline_sd", "z"};
	for (int j = 0; j < 5; j++)
		r->cols[ks.n + j] = xstrdup(names[j]);
	r->ncols = ncols;
	r->cells = cells;
	r->nrows = nrows;
	free(rows);
	free(sum);
	free(sq);
	free(cnt);
	free(rep);
	qgroups_free(&pairs);
	keys_close(&ks);
	return 0;
}

/* view_sort.c — the event list's chosen columns and its stable sort by any field. */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intern.h"

int tui_view_set_columns(store *s, tui_view *v, char *const *names, int n, char *msg,
			 size_t msgn)
{
	free(v->cw); /* the widths were for the old columns */
	v->cw = NULL;
	qfield *f = n > 0 ? xcalloc((size_t)n, sizeof *f) : NULL;
	for (int i = 0; i < n; i++)
		if (qfield_resolve(s, names[i], &f[i], msg, msgn) < 0) {
			while (i-- > 0)
				qfield_free(&f[i]);
			free(f);
			return -1;
		}
	for (int i = 0; i < v->ncols; i++)
		qfield_free(&v->cols[i]);
	free(v->cols);
	v->cols = f;
	v->ncols = n;
	return 0;
}

typedef struct skey {
	const char *v;  /* NULL: absent */
	size_t n;
	double num;
	int isnum;
	int64_t t;
	size_t pos;     /* the row's position before sorting: the tie-break that keeps it stable */
} skey;

static int g_desc, g_time;

static int cmp_key(const void *pa, const void *pb)
{
	const skey *a = pa, *b = pb;
	int c = 0;
	if (g_time) {
		c = a->t < b->t ? -1 : a->t > b->t;
	} else if (!a->v || !b->v) {
		if (a->v || b->v)
			return a->v ? -1 : 1; /* absent last, whatever the direction */
	} else if (a->isnum && b->isnum) {
		c = a->num < b->num ? -1 : a->num > b->num;
	} else {
		size_t m = a->n < b->n ? a->n : b->n;
		c = memcmp(a->v, b->v, m);
		if (!c)
			c = a->n < b->n ? -1 : a->n > b->n;
	}
	if (g_desc)
		c = -c;
	return c ? c : (a->pos < b->pos ? -1 : a->pos > b->pos);
}

static void set_num(skey *k)
{
	char tmp[64], *end;
	if (!k->v || !k->n || k->n >= sizeof tmp)
		return;
	memcpy(tmp, k->v, k->n);
	tmp[k->n] = 0;
	k->num = strtod(tmp, &end);
	k->isnum = *end == 0;
}

/* Events by an interned column: rank the distinct strings once, then a stable counting
 * sort of the rows by rank (absent last). */
static void sort_by_ids(const store *s, int col, uint32_t *idx, size_t n)
{
	const store_col *c = &s->cols[col];
	size_t m = intern_count(c->tab) + 1, d = 0;
	uint32_t *rank = xcalloc(m, sizeof *rank);
	for (size_t i = 0; i < n; i++)
		rank[c->ids[idx[i]]] = 1;
	for (size_t id = 1; id < m; id++)
		d += rank[id];
	skey *k = xcalloc(d + 1, sizeof *k);
	d = 0;
	for (size_t id = 1; id < m; id++)
		if (rank[id]) {
			k[d].v = intern_str(c->tab, (uint32_t)id);
			k[d].n = intern_len(c->tab, (uint32_t)id);
			k[d].pos = id;
			set_num(&k[d++]);
		}
	qsort(k, d, sizeof *k, cmp_key);
	for (size_t r = 0; r < d; r++)
		rank[k[r].pos] = (uint32_t)r;
	rank[0] = (uint32_t)d;
	size_t *start = xcalloc(d + 2, sizeof *start);
	for (size_t i = 0; i < n; i++)
		start[rank[c->ids[idx[i]]] + 1]++;
	for (size_t r = 1; r <= d + 1; r++)
		start[r] += start[r - 1];
	uint32_t *out = xmalloc(n * sizeof *out);
	for (size_t i = 0; i < n; i++)
		out[start[rank[c->ids[idx[i]]]]++] = idx[i];
	memcpy(idx, out, n * sizeof *out);
	free(out);
	free(start);
	free(k);
	free(rank);
}

/* Events by time: a stable LSD radix sort, 16 bits a pass (desc: on the complemented
 * key, so ties still keep their order). */
static void sort_by_time(const store *s, uint32_t *idx, size_t n, int desc)
{
	uint64_t *key = xmalloc(n * sizeof *key), *key2 = xmalloc(n * sizeof *key2);
	uint32_t *idx2 = xmalloc(n * sizeof *idx2);
	size_t *cnt = xmalloc(65537 * sizeof *cnt);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = (uint64_t)s->time[idx[i]] ^ (1ULL << 63);
		key[i] = desc ? ~k : k;
	}
	uint64_t *ka = key, *kb = key2;
	uint32_t *ia = idx, *ib = idx2;
	for (int shift = 0; shift < 64; shift += 16) {
		memset(cnt, 0, 65537 * sizeof *cnt);
		for (size_t i = 0; i < n; i++)
			cnt[(ka[i] >> shift & 0xffff) + 1]++;
		if (cnt[(ka[0] >> shift & 0xffff) + 1] == n)
			continue; /* one digit throughout: the pass would not move anything */
		for (size_t d = 1; d <= 65536; d++)
			cnt[d] += cnt[d - 1];
		for (size_t i = 0; i < n; i++) {
			size_t at = cnt[ka[i] >> shift & 0xffff]++;
			kb[at] = ka[i];
			ib[at] = ia[i];
		}
		uint64_t *tk = ka;
		ka = kb;
		kb = tk;
		uint32_t *ti = ia;
		ia = ib;
		ib = ti;
	}
	if (ia != idx) /* an odd number of passes moved */
		memcpy(idx, ia, n * sizeof *idx);
	free(cnt);
	free(idx2);
	free(key2);
	free(key);
}

/* The fast paths for events; -1 when the general sort is needed. */
static int sort_fast(store *s, tui_view *v, const char *col, int desc)
{
	result *r = v->r;
	qfield f;
	char msg[256];
	if (r->is_table || qfield_resolve(s, col, &f, msg, sizeof msg) < 0)
		return -1;
	uint32_t ev = r->idx[v->cursor < r->n ? v->cursor : 0];
	g_desc = desc;
	g_time = 0;
	if (f.kind == QF_COL)
		sort_by_ids(s, f.col, r->idx, r->n);
	else
		sort_by_time(s, r->idx, r->n, desc);
	qfield_free(&f);
	for (size_t i = 0; i < r->n; i++)
		if (r->idx[i] == ev) {
			v->cursor = i;
			break;
		}
	return 0;
}

static int sort_rows(store *s, tui_view *v, const char *col, int desc, char *msg, size_t msgn)
{
	result *r = v->r;
	size_t n = tui_view_count(v);
	if (!r || !n)
		return 0;
	if (sort_fast(s, v, col, desc) == 0)
		return 0;
	skey *k = xcalloc(n, sizeof *k);
	qfield f;
	int c = -1;
	g_desc = desc;
	g_time = 0;
	if (r->is_table) {
		for (int i = 0; i < r->ncols; i++)
			if (!strcmp(r->cols[i], col))
				c = i;
		if (c < 0) {
			snprintf(msg, msgn, "the table has no column '%s'", col);
			free(k);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			k[i].v = r->cells[i * (size_t)r->ncols + (size_t)c];
			k[i].n = k[i].v ? strlen(k[i].v) : 0;
			k[i].pos = i;
			set_num(&k[i]);
		}
	} else {
		if (qfield_resolve(s, col, &f, msg, msgn) < 0) {
			free(k);
			return -1;
		}
		g_time = f.kind == QF_TIME;
		for (size_t i = 0; i < n; i++) {
			char buf[32];
			k[i].pos = i;
			if (g_time) {
				k[i].t = s->time[r->idx[i]];
				continue;
			}
			k[i].v = qfield_value(s, &f, r->idx[i], buf, &k[i].n);
			set_num(&k[i]);
		}
		qfield_free(&f);
	}
	qsort(k, n, sizeof *k, cmp_key);
	size_t cur = v->cursor;
	if (r->is_table) {
		size_t w = (size_t)r->ncols;
		char **cells = xmalloc(n * w * sizeof *cells);
		for (size_t i = 0; i < n; i++)
			memcpy(cells + i * w, r->cells + k[i].pos * w, w * sizeof *cells);
		free(r->cells);
		r->cells = cells;
	} else {
		uint32_t *idx = xmalloc(n * sizeof *idx);
		for (size_t i = 0; i < n; i++)
			idx[i] = r->idx[k[i].pos];
		free(r->idx);
		r->idx = idx;
	}
	for (size_t i = 0; i < n; i++) /* the cursor stays on its row */
		if (k[i].pos == cur) {
			v->cursor = i;
			break;
		}
	free(k);
	return 0;
}

int tui_view_sort(store *s, tui_view *v, const char *col, int desc, char *msg, size_t msgn)
{
	if (sort_rows(s, v, col, desc, msg, msgn) < 0)
		return -1;
	char *c = xstrdup(col); /* col may be v->sort itself */
	free(v->sort);
	v->sort = c;
	v->sort_desc = desc;
	return 0;
}

/* query_eval_ref.c — comparing one field with another: `a != field(b)`.
 *
 * = holds when both fields are present and equal (for an any-element field: some pair of
 * elements is equal); != is its negation, so it holds when either side is absent. The
 * order operators compare with qv_cmp (numbers numerically, else bytewise) and are false
 * when either side is absent. */
#include "query_eval.h"

#include <stdlib.h>
#include <string.h>

/* One pair of present values under e->op (=, !=, <, <=, >, >=), as a positive test. */
static int pair_pos(enum qop op, const char *a, size_t an, const char *b, size_t bn)
{
	if (op == QO_EQ || op == QO_NE)
		return an == bn && memcmp(a, b, an) == 0;
	int c = qv_cmp(a, an, b, bn);
	switch (op) {
	case QO_LT: return c < 0;
	case QO_LE: return c <= 0;
	case QO_GT: return c > 0;
	case QO_GE: return c >= 0;
	default: return 0;
	}
}

/* The elements of a value: itself, or each element of an any-element array. */
typedef struct elems {
	const char *s;
	size_t n;
	int multi;
	size_t pos;
	int done;
	sbuf b;
} elems;

static void elems_init(elems *e, const char *s, size_t n, int multi)
{
	memset(e, 0, sizeof *e);
	e->s = s;
	e->n = n;
	e->multi = multi;
	sbuf_init(&e->b);
}

static int elems_next(elems *e, const char **s, size_t *n)
{
	if (e->multi) {
		if (!store_multi_next(e->s, e->n, &e->pos, &e->b))
			return 0;
		*s = e->b.s;
		*n = e->b.len;
		return 1;
	}
	if (e->done)
		return 0;
	e->done = 1;
	*s = e->s;
	*n = e->n;
	return 1;
}

static int pair_any(const qnode *e, const char *a, size_t an, int am, const char *b, size_t bn,
		    int bm)
{
	enum qop pos = e->op == QO_NE ? QO_EQ : e->op;
	int any = 0;
	elems ea, eb;
	elems_init(&ea, a, an, am);
	const char *x, *y;
	size_t xn, yn;
	while (!any && elems_next(&ea, &x, &xn)) {
		elems_init(&eb, b, bn, bm);
		while (!any && elems_next(&eb, &y, &yn))
			any = pair_pos(pos, x, xn, y, yn);
		sbuf_free(&eb.b);
	}
	sbuf_free(&ea.b);
	return e->op == QO_NE ? !any : any;
}

int qeval_ref_pair(const qnode *e, const char *a, size_t an, const char *b, size_t bn)
{
	if (!a || !b)
		return e->op == QO_NE;
	return pair_any(e, a, an, store_path_multi(e->field), b, bn, store_path_multi(e->rfield));
}

void qeval_ref(const qnode *e, const store *s, const uint32_t *idx, size_t n, uint8_t *out)
{
	if (e->scol < 0 || e->rscol < 0) {
		memset(out, e->op == QO_NE, n);
		return;
	}
	const store_col *ca = &s->cols[e->scol], *cb = &s->cols[e->rscol];
	int am = store_path_multi(ca->path), bm = store_path_multi(cb->path);
	if ((e->op == QO_EQ || e->op == QO_NE) && !am && !bm) {
		/* each distinct left string looked up once in the right column's table */
		uint32_t cnt = intern_count(ca->tab);
		uint32_t *map = xcalloc(cnt ? cnt : 1, sizeof *map);
		for (uint32_t id = 1; id < cnt; id++)
			map[id] = intern_find(cb->tab, intern_str(ca->tab, id), intern_len(ca->tab, id));
		int eq = e->op == QO_EQ;
		for (size_t k = 0; k < n; k++) {
			size_t i = idx ? idx[k] : k;
			uint32_t a = ca->ids[i], b = cb->ids[i];
			out[k] = (uint8_t)((a && b && map[a] == b) == eq);
		}
		free(map);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = idx ? idx[k] : k, an = 0, bn = 0;
		const char *a = store_val(s, e->scol, i, &an), *b = store_val(s, e->rscol, i, &bn);
		out[k] = (uint8_t)(!a || !b ? e->op == QO_NE : pair_any(e, a, an, am, b, bn, bm));
	}
}

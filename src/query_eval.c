/* query_eval.c — filter evaluation: match tables per distinct string, byte vectors per event. */
#include "query_eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "tgtime.h"

enum mode { M_SET, M_AND, M_OR };

int qeval_prepare(qnode *e, store *s, int64_t now, qerr *err)
{
	if (!e)
		return 0;
	if (e->kind != QN_CMP)
		return qeval_prepare(e->a, s, now, err) < 0 ? -1 : qeval_prepare(e->b, s, now, err);
	if (e->is_time) {
		e->scol = -1;
		if (e->nvals && tgtime_user(e->vals[0].s, e->vals[0].n, now, &e->tval) < 0) {
			err->col = e->vals[0].col;
			snprintf(err->msg, sizeof err->msg, "bad time '%.60s'", e->vals[0].s);
			return -1;
		}
		return 0;
	}
	qfield f;
	char msg[200] = "";
	if (qfield_resolve(s, e->field, &f, msg, sizeof msg) < 0) {
		err->col = e->fcol;
		snprintf(err->msg, sizeof err->msg, "cannot read field '%.40s': %.180s", e->field, msg);
		return -1;
	}
	e->scol = f.kind == QF_TIME ? -1 : f.col;
	qfield_free(&f);
	e->rscol = -1;
	if (e->rfield) {
		if (qfield_resolve(s, e->rfield, &f, msg, sizeof msg) < 0) {
			err->col = e->rfcol;
			snprintf(err->msg, sizeof err->msg, "cannot read field '%.40s': %.180s",
				 e->rfield, msg);
			return -1;
		}
		e->rscol = f.kind == QF_TIME ? -1 : f.col;
		qfield_free(&f);
	}
	return 0;
}

void qeval_prepare_table(qnode *e, char *const *cols, int ncols, int64_t now)
{
	if (!e)
		return;
	if (e->kind != QN_CMP) {
		qeval_prepare_table(e->a, cols, ncols, now);
		qeval_prepare_table(e->b, cols, ncols, now);
		return;
	}
	e->scol = e->rscol = -1;
	for (int i = 0; i < ncols; i++) {
		if (strcmp(cols[i], e->field) == 0)
			e->scol = i;
		if (e->rfield && strcmp(cols[i], e->rfield) == 0)
			e->rscol = i;
	}
	if (e->is_time && e->nvals && tgtime_user(e->vals[0].s, e->vals[0].n, now, &e->tval) < 0)
		e->tval = TG_TIME_NONE;
}

/* Result of a comparison when the field is absent: only negative forms hold. */
static int absent_result(enum qop op)
{
	return op == QO_NE || op == QO_NGLOB || op == QO_NRE || op == QO_NIN || op == QO_NEXISTS;
}

static int order_ok(enum qop op, int c)
{
	switch (op) {
	case QO_EQ: return c == 0;
	case QO_NE: return c != 0;
	case QO_LT: return c < 0;
	case QO_LE: return c <= 0;
	case QO_GT: return c > 0;
	case QO_GE: return c >= 0;
	default: return 0;
	}
}

static int time_test(const qnode *e, int64_t t)
{
	if (t == TG_TIME_NONE)
		return absent_result(e->op);
	if (e->op == QO_EXISTS || e->op == QO_NEXISTS)
		return e->op == QO_EXISTS;
	return order_ok(e->op, t < e->tval ? -1 : t > e->tval);
}

/* The comparison e with operator op (not e->op) on one present string. */
static int str_test(const qnode *e, enum qop op, const char *s, size_t n)
{
	const qval *v = e->nvals ? &e->vals[0] : NULL;
	double x;
	int c;
	switch (op) {
	case QO_EXISTS: return 1;
	case QO_NEXISTS: return 0;
	case QO_EQ:
	case QO_NE:
		return (n == v->n && memcmp(s, v->s, n) == 0) == (op == QO_EQ);
	case QO_LT: case QO_LE: case QO_GT: case QO_GE:
		if (v->is_num && qv_number(s, n, &x)) {
			c = x < v->num ? -1 : x > v->num;
		} else {
			c = memcmp(s, v->s, n < v->n ? n : v->n);
			if (!c)
				c = n < v->n ? -1 : n > v->n;
		}
		return order_ok(op, c);
	case QO_GLOB:
	case QO_NGLOB:
		return qv_glob(v->s, v->n, s, n) == (op == QO_GLOB);
	case QO_RE:
	case QO_NRE:
		return (regexec(&e->re, s, 0, NULL, 0) == 0) == (op == QO_RE);
	case QO_IN:
	case QO_NIN:
		for (int i = 0; i < e->nvals; i++) {
			const qval *w = &e->vals[i];
			if (w->list) {
				if (tglist_match(w->lst, s, n))
					return op == QO_IN;
				continue;
			}
			if ((n == w->n && memcmp(s, w->s, n) == 0) || (w->is_cidr && qv_cidr_match(w, s, n)))
				return op == QO_IN;
		}
		return op == QO_NIN;
	}
	return 0;
}

int qeval_str(const qnode *e, const char *s, size_t n)
{
	if (!s)
		return absent_result(e->op);
	return str_test(e, e->op, s, n);
}

/* The positive form of a negative operator (!= -> =), or op itself. */
static enum qop positive(enum qop op)
{
	switch (op) {
	case QO_NE: return QO_EQ;
	case QO_NGLOB: return QO_GLOB;
	case QO_NRE: return QO_RE;
	case QO_NIN: return QO_IN;
	case QO_NEXISTS: return QO_EXISTS;
	default: return op;
	}
}

int qeval_any(const qnode *e, const char *s, size_t n)
{
	if (!s)
		return absent_result(e->op);
	enum qop pos = positive(e->op);
	int any = 0;
	size_t at = 0;
	sbuf el;
	sbuf_init(&el);
	while (!any && store_multi_next(s, n, &at, &el))
		any = str_test(e, pos, el.s, el.len);
	sbuf_free(&el);
	return pos == e->op ? any : !any;
}

/* Apply EXPR (a 0/1 value for event i) to out[k] under the mode, with or without idx. */
#define APPLY(EXPR)                                                                         \
	do {                                                                               \
		if (idx) {                                                                 \
			for (size_t k = 0; k < n; k++) {                                   \
				size_t i = idx[k];                                         \
				(void)i;                                                   \
				uint8_t r_ = (uint8_t)(EXPR);                              \
				out[k] = mode == M_SET ? r_ : mode == M_AND ? out[k] & r_ : out[k] | r_; \
			}                                                                  \
		} else if (mode == M_SET) {                                                \
			for (size_t i = 0; i < n; i++)                                     \
				out[i] = (uint8_t)(EXPR);                                  \
		} else if (mode == M_AND) {                                                \
			for (size_t i = 0; i < n; i++)                                     \
				out[i] &= (uint8_t)(EXPR);                                 \
		} else {                                                                   \
			for (size_t i = 0; i < n; i++)                                     \
				out[i] |= (uint8_t)(EXPR);                                 \
		}                                                                          \
	} while (0)

/* The match table of comparison e over every distinct string of column c: tab[id]. */
static uint8_t *match_table(const qnode *e, const store_col *c)
{
	uint32_t cnt = intern_count(c->tab);
	uint8_t *tab = xmalloc(cnt ? cnt : 1);
	if (store_path_multi(c->path)) { /* any element: decided once per distinct array */
		tab[0] = (uint8_t)absent_result(e->op);
		for (uint32_t id = 1; id < cnt; id++)
			tab[id] = (uint8_t)qeval_any(e, intern_str(c->tab, id), intern_len(c->tab, id));
		return tab;
	}
	int plain_in = e->op == QO_IN || e->op == QO_NIN;
	for (int i = 0; plain_in && i < e->nvals; i++)
		if (e->vals[i].is_cidr || e->vals[i].list)
			plain_in = 0;
	if (plain_in) { /* look the values up instead of testing every string */
		memset(tab, e->op == QO_NIN, cnt ? cnt : 1);
		for (int i = 0; i < e->nvals; i++) {
			uint32_t id = intern_find(c->tab, e->vals[i].s, e->vals[i].n);
			if (id)
				tab[id] = e->op == QO_IN;
		}
		return tab;
	}
	tab[0] = (uint8_t)absent_result(e->op);
	for (uint32_t id = 1; id < cnt; id++)
		tab[id] = (uint8_t)qeval_str(e, intern_str(c->tab, id), intern_len(c->tab, id));
	return tab;
}

static void eval(const qnode *e, const store *s, const uint32_t *idx, size_t n, uint8_t *out,
		 enum mode mode);

static void eval_cmp(const qnode *e, const store *s, const uint32_t *idx, size_t n,
		     uint8_t *out, enum mode mode)
{
	if (e->is_time) {
		const int64_t *t = s->time;
		if (e->op == QO_EXISTS || e->op == QO_NEXISTS) {
			int want = e->op == QO_EXISTS;
			APPLY((t[i] != TG_TIME_NONE) == want);
			return;
		}
		int64_t v = e->tval;
		switch (e->op) { /* absent times are INT64_MIN: only != and < hold wrongly */
		case QO_EQ: APPLY(t[i] == v); break;
		case QO_NE: APPLY(t[i] != v); break;
		case QO_LT: APPLY(t[i] < v && t[i] != TG_TIME_NONE); break;
		case QO_LE: APPLY(t[i] <= v && t[i] != TG_TIME_NONE); break;
		case QO_GT: APPLY(t[i] > v); break;
		case QO_GE: APPLY(t[i] >= v); break;
		default: APPLY(time_test(e, t[i])); break;
		}
		return;
	}
	if (e->scol < 0) { /* unresolved: the field is absent everywhere */
		int r = absent_result(e->op);
		APPLY(r);
		return;
	}
	if (e->rfield) {
		uint8_t *tmp = xmalloc(n ? n : 1);
		qeval_ref(e, s, idx, n, tmp);
		for (size_t k = 0; k < n; k++)
			out[k] = mode == M_SET ? tmp[k] : mode == M_AND ? out[k] & tmp[k] : out[k] | tmp[k];
		free(tmp);
		return;
	}
	const store_col *c = &s->cols[e->scol];
	const uint32_t *ids = c->ids;
	if ((e->op == QO_EQ || e->op == QO_NE) && !store_path_multi(c->path)) {
		uint32_t id = intern_find(c->tab, e->vals[0].s, e->vals[0].n);
		if (e->op == QO_EQ) {
			if (id)
				APPLY(ids[i] == id);
			else
				APPLY(0);
		} else {
			APPLY(ids[i] != id || !id);
		}
		return;
	}
	if (e->op == QO_EXISTS || e->op == QO_NEXISTS) {
		uint32_t want = e->op == QO_EXISTS;
		APPLY((ids[i] != 0) == want);
		return;
	}
	uint8_t *tab = match_table(e, c);
	APPLY(tab[ids[i]]);
	free(tab);
}

static void eval(const qnode *e, const store *s, const uint32_t *idx, size_t n, uint8_t *out,
		 enum mode mode)
{
	uint8_t *tmp;
	switch (e->kind) {
	case QN_TRUE:
		APPLY(1);
		return;
	case QN_CMP:
		eval_cmp(e, s, idx, n, out, mode);
		return;
	case QN_NOT:
		tmp = xmalloc(n ? n : 1);
		eval(e->a, s, idx, n, tmp, M_SET);
		if (mode == M_SET)
			for (size_t k = 0; k < n; k++)
				out[k] = !tmp[k];
		else if (mode == M_AND)
			for (size_t k = 0; k < n; k++)
				out[k] &= !tmp[k];
		else
			for (size_t k = 0; k < n; k++)
				out[k] |= !tmp[k];
		free(tmp);
		return;
	case QN_AND:
	case QN_OR: {
		enum mode own = e->kind == QN_AND ? M_AND : M_OR;
		if (mode == M_SET || mode == own) { /* fuse into out directly */
			eval(e->a, s, idx, n, out, mode);
			eval(e->b, s, idx, n, out, own);
			return;
		}
		tmp = xmalloc(n ? n : 1);
		eval(e->a, s, idx, n, tmp, M_SET);
		eval(e->b, s, idx, n, tmp, own);
		for (size_t k = 0; k < n; k++)
			out[k] = mode == M_AND ? out[k] & tmp[k] : out[k] | tmp[k];
		free(tmp);
		return;
	}
	}
}

void qeval_events(const qnode *e, const store *s, const uint32_t *idx, size_t n, uint8_t *out)
{
	if (!e) {
		memset(out, 1, n);
		return;
	}
	eval(e, s, idx, n, out, M_SET);
}

int qeval_row(const qnode *e, char *const *row)
{
	switch (e->kind) {
	case QN_TRUE: return 1;
	case QN_NOT: return !qeval_row(e->a, row);
	case QN_AND: return qeval_row(e->a, row) && qeval_row(e->b, row);
	case QN_OR: return qeval_row(e->a, row) || qeval_row(e->b, row);
	case QN_CMP: break;
	}
	const char *cell = e->scol >= 0 ? row[e->scol] : NULL;
	if (e->is_time) {
		int64_t t;
		if (!cell || tgtime_parse(cell, strlen(cell), &t) < 0)
			t = TG_TIME_NONE;
		if (e->tval == TG_TIME_NONE && t != TG_TIME_NONE)
			return 0;
		return time_test(e, t);
	}
	if (e->rfield) {
		const char *rc = e->rscol >= 0 ? row[e->rscol] : NULL;
		return qeval_ref_pair(e, cell, cell ? strlen(cell) : 0, rc, rc ? strlen(rc) : 0);
	}
	if (store_path_multi(e->field))
		return qeval_any(e, cell, cell ? strlen(cell) : 0);
	return qeval_str(e, cell, cell ? strlen(cell) : 0);
}

/* query_scope.c — which values a set of queries restricts a field to: the accounts and
 * regions of `account = 111122223333 and region in (us-east-1, eu-west-1)`, used to prune
 * S3 prefixes (AWSLogs/ACCOUNT/CloudTrail/REGION/) and Athena partitions. Only what every
 * matching event must satisfy counts: an equality or an in (...) list (no @lists) in the
 * filter's top-level conjunction or in a filter stage before any other stage; an OR counts
 * when both sides restrict the field. Anything else leaves the field unrestricted. */
#include <string.h>

#include "query.h"
#include "query_ast.h"
#include "source.h"

static int same_field(const char *name, const char *path)
{
	const char *p = query_alias(name);
	return strcmp(p ? p : name, path) == 0;
}

static void add_unique(strvec *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return;
	strvec_push(sv, s);
}

/* 1 with the values added to out, 0 when e does not restrict the field. */
static int node_scope(const qnode *e, const char *path, strvec *out)
{
	if (!e)
		return 0;
	switch (e->kind) {
	case QN_CMP:
		if (!e->field || e->rfield || !same_field(e->field, path) ||
		    (e->op != QO_EQ && e->op != QO_IN) || e->nvals < 1)
			return 0;
		for (int i = 0; i < e->nvals; i++)
			if (e->vals[i].list || memchr(e->vals[i].s, '\0', e->vals[i].n))
				return 0;
		for (int i = 0; i < e->nvals; i++)
			add_unique(out, e->vals[i].s);
		return 1;
	case QN_AND: {
		strvec a = {0};
		if (node_scope(e->a, path, &a)) {
			for (size_t i = 0; i < a.n; i++)
				add_unique(out, a.v[i]);
			strvec_free(&a);
			return 1;
		}
		strvec_free(&a);
		return node_scope(e->b, path, out);
	}
	case QN_OR: {
		strvec a = {0}, b = {0};
		int ok = node_scope(e->a, path, &a) && node_scope(e->b, path, &b);
		if (ok) {
			for (size_t i = 0; i < a.n; i++)
				add_unique(out, a.v[i]);
			for (size_t i = 0; i < b.n; i++)
				add_unique(out, b.v[i]);
		}
		strvec_free(&a);
		strvec_free(&b);
		return ok;
	}
	default:
		return 0;
	}
}

static int one_scope(const query *q, const char *path, strvec *out)
{
	if (node_scope(q->filter, path, out))
		return 1;
	for (int k = 0; k < q->nstages; k++) {
		const qstage *st = &q->stages[k];
		if (st->kind == QS_FIELDS || st->kind == QS_SORT)
			continue;
		if (st->kind != QS_FILTER || st->table)
			break;
		if (node_scope(st->expr, path, out))
			return 1;
	}
	return 0;
}

int query_scope(query *const *qs, int n, const char *path, strvec *out)
{
	strvec all = {0};
	int ok = n > 0;
	for (int i = 0; i < n && ok; i++)
		ok = qs[i] && one_scope(qs[i], path, &all);
	if (ok)
		for (size_t i = 0; i < all.n; i++)
			add_unique(out, all.v[i]);
	strvec_free(&all);
	return ok;
}

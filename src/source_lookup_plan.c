/* source_lookup_plan.c — the pure parts of lookup://REGION: which lookup attributes the
 * queries push down, the request body, request pacing, and the response page parser. */
#include "source_lookup.h"

#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "query.h"
#include "query_ast.h"

/* The attributes, most selective first: a query's condition on an earlier one wins. */
static const struct {
	const char *path, *key;
} attr_map[] = {
	{"eventID", "EventId"},
	{"userIdentity.accessKeyId", "AccessKeyId"},
	{"userIdentity.userName", "Username"},
	{"resources.ARN", "ResourceName"},
	{"resources.type", "ResourceType"},
	{"eventName", "EventName"},
	{"eventSource", "EventSource"},
	{"readOnly", "ReadOnly"},
};
#define NATTR (int)(sizeof attr_map / sizeof attr_map[0])

/* The attribute a comparison can be pushed down as (index into attr_map), or -1. */
static int cmp_attr(const qnode *e)
{
	if (e->kind != QN_CMP || !e->field || e->is_time || e->rfield)
		return -1;
	if (e->op == QO_EQ) {
		if (e->nvals != 1)
			return -1;
	} else if (e->op == QO_IN) {
		if (e->nvals < 1 || e->nvals > LOOKUP_MAX_IN)
			return -1;
	} else
		return -1;
	const char *path = query_alias(e->field);
	if (!path)
		path = e->field;
	int a = -1;
	for (int i = 0; i < NATTR && a < 0; i++)
		if (strcmp(attr_map[i].path, path) == 0)
			a = i;
	if (a < 0)
		return -1;
	for (int i = 0; i < e->nvals; i++) {
		const qval *v = &e->vals[i];
		/* @list references, CIDRs, empty or over-long values, embedded NULs: not sent */
		if (v->list || v->is_cidr || !v->s || v->n == 0 || v->n > 1000 ||
		    memchr(v->s, 0, v->n))
			return -1;
		if (strcmp(attr_map[a].key, "ReadOnly") == 0 && strcmp(v->s, "true") != 0 &&
		    strcmp(v->s, "false") != 0)
			return -1;
	}
	return a;
}

/* The best pushable comparison in the top-level AND chain of e. */
static void best_in(const qnode *e, const qnode **best, int *battr)
{
	if (!e)
		return;
	if (e->kind == QN_AND) {
		best_in(e->a, best, battr);
		best_in(e->b, best, battr);
		return;
	}
	int a = cmp_attr(e);
	if (a < 0)
		return;
	if (!*best || a < *battr || (a == *battr && e->nvals < (*best)->nvals)) {
		*best = e;
		*battr = a;
	}
}

/* The comparison to push down for one query, or NULL. Filters in later event stages are
 * ANDed with the first as long as nothing before them reorders or cuts the events. */
static const qnode *query_best(const query *q, int *attr)
{
	const qnode *best = NULL;
	*attr = -1;
	best_in(q->filter, &best, attr);
	for (int i = 0; i < q->nstages; i++) {
		const qstage *st = &q->stages[i];
		if (st->kind == QS_FIELDS)
			continue;
		if (st->kind != QS_FILTER || st->table)
			break;
		best_in(st->expr, &best, attr);
	}
	return best;
}

static void plan_add(lookup_plan *p, const char *key, const char *value)
{
	for (size_t i = 0; i < p->n; i++) {
		const lookup_series *s = &p->s[i];
		if (s->key == key && (!key || strcmp(s->value, value) == 0))
			return;
	}
	p->s = xrealloc(p->s, (p->n + 1) * sizeof *p->s);
	p->s[p->n].key = key;
	p->s[p->n].value = value ? xstrdup(value) : NULL;
	p->n++;
}

void lookup_plan_free(lookup_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->s[i].value);
	free(p->s);
	p->s = NULL;
	p->n = 0;
}

void lookup_plan_make(struct query *const *qs, int nq, lookup_plan *p)
{
	memset(p, 0, sizeof *p);
	int whole = nq <= 0 || !qs;
	for (int i = 0; i < nq && !whole; i++) {
		int a;
		const qnode *e = qs[i] ? query_best(qs[i], &a) : NULL;
		if (!e) {
			whole = 1;
			break;
		}
		for (int j = 0; j < e->nvals; j++)
			plan_add(p, attr_map[a].key, e->vals[j].s);
	}
	if (whole) {
		lookup_plan_free(p);
		plan_add(p, NULL, NULL);
	}
}

void lookup_plan_describe(const lookup_plan *p, char *buf, size_t n)
{
	sbuf b;
	sbuf_init(&b);
	for (size_t i = 0; i < p->n; i++) {
		const lookup_series *s = &p->s[i];
		if (!s->key)
			continue;
		/* a run of the same key: Key in (a, b) */
		size_t j = i;
		while (j + 1 < p->n && p->s[j + 1].key == s->key)
			j++;
		if (b.len)
			sbuf_adds(&b, ", ");
		if (j == i)
			sbuf_addf(&b, "%s=%s", s->key, s->value);
		else {
			sbuf_addf(&b, "%s in (", s->key);
			for (size_t k = i; k <= j; k++)
				sbuf_addf(&b, "%s%s", k > i ? ", " : "", p->s[k].value);
			sbuf_adds(&b, ")");
		}
		i = j;
	}
	if (n) {
		size_t m = b.len < n - 1 ? b.len : n - 1;
		if (m)
			memcpy(buf, b.s, m);
		buf[m] = 0;
		if (b.len > m && n > 4)
			memcpy(buf + n - 4, "...", 4);
	}
	sbuf_free(&b);
}

char *lookup_request_body(const char *key, const char *value, int64_t start_s,
			  int64_t end_s, const char *next_token)
{
	cJSON *o = cJSON_CreateObject();
	if (key) {
		cJSON *arr = cJSON_AddArrayToObject(o, "LookupAttributes");
		cJSON *a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "AttributeKey", key);
		cJSON_AddStringToObject(a, "AttributeValue", value ? value : "");
		cJSON_AddItemToArray(arr, a);
	}
	cJSON_AddNumberToObject(o, "StartTime", (double)start_s);
	cJSON_AddNumberToObject(o, "EndTime", (double)end_s);
	cJSON_AddNumberToObject(o, "MaxResults", LOOKUP_MAX_RESULTS);
	if (next_token)
		cJSON_AddStringToObject(o, "NextToken", next_token);
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!s)
		abort();
	char *r = xstrdup(s);
	cJSON_free(s);
	return r;
}

void lookup_bucket_init(lookup_bucket *b, double rate, double burst)
{
	memset(b, 0, sizeof *b);
	b->rate = rate;
	b->burst = burst;
	b->tokens = burst;
}

double lookup_bucket_take(lookup_bucket *b, double now)
{
	if (!b->started) {
		b->started = 1;
		b->last = now;
	}
	if (now > b->last) {
		b->tokens += (now - b->last) * b->rate;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
		b->last = now;
	}
	/* now < last: a request is already booked in the future; queue behind it */
	double wait = b->last > now ? b->last - now : 0;
	if (b->tokens < 1)
		wait += (1 - b->tokens) / b->rate;
	b->last = now + wait;
	b->tokens = b->tokens < 1 ? 0 : b->tokens - 1;
	return wait;
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void lookup_seen_free(lookup_seen *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	memset(s, 0, sizeof *s);
}

int lookup_seen_add(lookup_seen *s, const char *id)
{
	if ((s->n + 1) * 2 > s->cap) {
		lookup_seen g = { NULL, s->cap ? s->cap * 2 : 64, 0 };
		g.slot = xcalloc(g.cap, sizeof *g.slot);
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i]) {
				size_t k = fnv(s->slot[i]) & (g.cap - 1);
				while (g.slot[k])
					k = (k + 1) & (g.cap - 1);
				g.slot[k] = s->slot[i];
				g.n++;
			}
		free(s->slot);
		*s = g;
	}
	size_t k = fnv(id) & (s->cap - 1);
	while (s->slot[k]) {
		if (strcmp(s->slot[k], id) == 0)
			return 0;
		k = (k + 1) & (s->cap - 1);
	}
	s->slot[k] = xstrdup(id);
	s->n++;
	return 1;
}

/* One event of a page: its document as one line in out. 1 written, 0 duplicate, -1 bad. */
static int page_event(const cJSON *ev, lookup_seen *seen, sbuf *out)
{
	const cJSON *doc = cJSON_GetObjectItemCaseSensitive(ev, "CloudTrailEvent");
	if (!cJSON_IsString(doc) || !doc->valuestring)
		return -1;
	const char *text = doc->valuestring;
	cJSON *rec = cJSON_Parse(text);
	if (!cJSON_IsObject(rec)) {
		cJSON_Delete(rec);
		return -1;
	}
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(ev, "EventId");
	if (!cJSON_IsString(id) || !id->valuestring)
		id = cJSON_GetObjectItemCaseSensitive(rec, "eventID");
	if (seen && cJSON_IsString(id) && id->valuestring && !lookup_seen_add(seen, id->valuestring)) {
		cJSON_Delete(rec);
		return 0;
	}
	if (strpbrk(text, "\n\r")) {
		char *flat = cJSON_PrintUnformatted(rec);
		if (!flat)
			abort();
		sbuf_adds(out, flat);
		cJSON_free(flat);
	} else
		sbuf_adds(out, text);
	sbuf_addc(out, '\n');
	cJSON_Delete(rec);
	return 1;
}

int lookup_page_parse(const char *body, size_t n, lookup_seen *seen, sbuf *out,
		      size_t *added, size_t *bad, char **next)
{
	*next = NULL;
	cJSON *root = cJSON_ParseWithLength(body, n);
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "Events");
	if (!cJSON_IsObject(root) || (evs && !cJSON_IsArray(evs))) {
		cJSON_Delete(root);
		return -1;
	}
	const cJSON *ev;
	cJSON_ArrayForEach(ev, evs) {
		int r = page_event(ev, seen, out);
		if (r > 0)
			(*added)++;
		else if (r < 0)
			(*bad)++;
	}
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(root, "NextToken");
	if (cJSON_IsString(tok) && tok->valuestring && *tok->valuestring)
		*next = xstrdup(tok->valuestring);
	cJSON_Delete(root);
	return 0;
}

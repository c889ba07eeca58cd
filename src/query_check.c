/* query_check.c — find the field names a query uses that name nothing (a typo like
 * `servce` or `Event` otherwise matches no event, silently) and the closest known one. */
#include "query_check.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_ast.h"

/* The top-level fields of a CloudTrail record (../shared/reference/aws.md 1.2 and 1.4;
 * eventContext and annotation appear in CloudTrail Lake only). */
const char *const query_record_fields[] = {
	"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
	"sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
	"responseElements", "additionalEventData", "requestID", "eventID", "readOnly",
	"resources", "eventType", "apiVersion", "managementEvent", "recipientAccountId",
	"serviceEventDetails", "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId",
	"eventCategory", "addendum", "sessionCredentialFromConsole", "edgeDeviceDetails",
	"tlsDetails", "eventContext", "insightDetails", "annotation", NULL,
};

#define SAMPLE_FILES 3   /* files the store sample reads at most */
#define SAMPLE_EVENTS 16 /* records parsed per sampled file */
#define NAME_MAX_CMP 64  /* longer names are not compared for a suggestion */

typedef struct fref {
	const char *field;
	int col;
	int order; /* walk order, to keep the sort stable */
} fref;

typedef struct walk {
	fref *refs;
	size_t n, cap;
} walk;

static void add_ref(walk *w, const char *field, int col)
{
	if (!field)
		return;
	xgrow((void **)&w->refs, &w->cap, w->n + 1, sizeof *w->refs);
	w->refs[w->n] = (fref){ field, col, (int)w->n };
	w->n++;
}

static void walk_expr(walk *w, const qnode *e)
{
	while (e) {
		if (e->kind == QN_CMP) {
			add_ref(w, e->field, e->fcol);
			add_ref(w, e->rfield, e->rfcol);
			return;
		}
		if (e->kind == QN_AND || e->kind == QN_OR)
			walk_expr(w, e->b);
		e = e->a; /* AND/OR: a; NOT: a; TRUE: NULL */
	}
}

static void walk_stage(walk *w, const qstage *st)
{
	if (st->table)
		return; /* table columns: the parser checked them */
	walk_expr(w, st->expr);
	for (int i = 0; i < st->nkeys; i++)
		if (st->keys[i].bin <= 0)
			add_ref(w, st->keys[i].field, st->keys[i].col);
	for (int i = 0; i < st->naggs; i++)
		add_ref(w, st->aggs[i].arg.field, st->aggs[i].arg.col);
	add_ref(w, st->by, st->bycol);
	for (int i = 0; i < st->nsteps; i++) {
		const qseqstep *sp = &st->steps[i];
		walk_expr(w, sp->expr);
		add_ref(w, sp->by, sp->bycol);
		add_ref(w, sp->then, sp->thencol);
	}
}

static int ref_cmp(const void *x, const void *y)
{
	const fref *a = x, *b = y;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Top-level keys of a sample of the loaded events, read lazily the first time a name is
 * not on the fixed lists. */
typedef struct keyset {
	int loaded;
	char **k;
	size_t n, cap;
	cJSON **recs;    /* the sampled records, for paths that cross arrays */
	size_t nrecs, reccap;
} keyset;

static void keyset_add(keyset *ks, const char *key)
{
	for (size_t i = 0; i < ks->n; i++)
		if (!strcmp(ks->k[i], key))
			return;
	xgrow((void **)&ks->k, &ks->cap, ks->n + 1, sizeof *ks->k);
	ks->k[ks->n++] = xstrdup(key);
}

static void sample_rec(keyset *ks, const char *rec, size_t len)
{
	cJSON *j = cJSON_ParseWithLength(rec, len);
	for (const cJSON *c = j ? j->child : NULL; c; c = c->next)
		if (c->string)
			keyset_add(ks, c->string);
	if (j) {
		xgrow((void **)&ks->recs, &ks->reccap, ks->nrecs + 1, sizeof *ks->recs);
		ks->recs[ks->nrecs++] = j;
	}
}

/* A big plain file: its sampled events read by range, not the whole file. */
static void sample_ranged(const store *s, uint32_t f, keyset *ks)
{
	store_range r;
	char msg[256];
	if (store_range_open(&r, &s->files[f], msg, sizeof msg) < 0)
		return;
	int taken = 0;
	for (size_t i = 0; i < s->n && taken < SAMPLE_EVENTS; i++) {
		if (s->file[i] != f)
			continue;
		const char *rec = store_range_get(&r, s->off[i], s->len[i], 0, msg, sizeof msg);
		if (!rec)
			continue;
		taken++;
		sample_rec(ks, rec, s->len[i]);
	}
	store_range_close(&r);
}

static void sample_file(const store *s, uint32_t f, keyset *ks)
{
	sbuf view;
	char msg[256];
	if (store_file_ranged(&s->files[f])) {
		sample_ranged(s, f, ks);
		return;
	}
	sbuf_init(&view);
	if (store_file_view(&s->files[f], &view, msg, sizeof msg) == 0) {
		int taken = 0;
		for (size_t i = 0; i < s->n && taken < SAMPLE_EVENTS; i++) {
			if (s->file[i] != f || s->off[i] + s->len[i] > view.len)
				continue;
			taken++;
			cJSON *j = cJSON_ParseWithLength(view.s + s->off[i], s->len[i]);
			for (const cJSON *c = j ? j->child : NULL; c; c = c->next)
				if (c->string)
					keyset_add(ks, c->string);
			if (j) {
				xgrow((void **)&ks->recs, &ks->reccap, ks->nrecs + 1, sizeof *ks->recs);
				ks->recs[ks->nrecs++] = j;
			}
		}
	}
	sbuf_free(&view);
}

/* The files of the first, middle and last events: a few whole-file reads, and only when
 * a query names something the fixed lists do not know. */
static void keyset_load(keyset *ks, const store *s)
{
	ks->loaded = 1;
	if (!s || !s->n)
		return;
	size_t pick[SAMPLE_FILES] = { 0, s->n / 2, s->n - 1 };
	uint32_t done[SAMPLE_FILES];
	int ndone = 0;
	for (int p = 0; p < SAMPLE_FILES; p++) {
		uint32_t f = s->file[pick[p]];
		int seen = f >= s->nfiles;
		for (int d = 0; d < ndone; d++)
			seen |= done[d] == f;
		if (seen)
			continue;
		done[ndone++] = f;
		sample_file(s, f, ks);
	}
}

static void keyset_free(keyset *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		free(ks->k[i]);
	free(ks->k);
	for (size_t i = 0; i < ks->nrecs; i++)
		cJSON_Delete(ks->recs[i]);
	free(ks->recs);
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

/* The path with [] where one sampled record has an array that a segment of the path names
 * a key inside ("tagSet.items.key" where items is an array of objects with key); NULL
 * when no sampled record shows that. */
static char *sampled_array_hint(const char *field, const keyset *ks)
{
	if (strstr(field, "[]") || !strchr(field, '.'))
		return NULL;
	for (size_t r = 0; r < ks->nrecs; r++) {
		const cJSON *node = ks->recs[r];
		sbuf b;
		sbuf_init(&b);
		int changed = 0;
		for (const char *seg = field; *seg;) {
			size_t n = strcspn(seg, ".");
			char key[NAME_MAX_CMP * 4];
			snprintf(key, sizeof key, "%.*s", (int)n, seg);
			if (node && cJSON_IsArray(node) && !all_digits(seg, n)) {
				const cJSON *e, *hit = NULL;
				cJSON_ArrayForEach(e, node)
					if (!hit && cJSON_IsObject(e) && cJSON_GetObjectItemCaseSensitive(e, key))
						hit = e;
				if (hit) {
					sbuf_adds(&b, "[]");
					changed = 1;
				}
				node = hit;
			}
			if (b.len && seg != field)
				sbuf_addc(&b, '.');
			sbuf_add(&b, seg, n);
			if (node && cJSON_IsObject(node))
				node = cJSON_GetObjectItemCaseSensitive(node, key);
			else if (node && cJSON_IsArray(node) && all_digits(seg, n))
				node = cJSON_GetArrayItem(node, atoi(key));
			else
				node = NULL;
			seg += n;
			if (*seg)
				seg++;
		}
		if (changed && node)
			return sbuf_take(&b);
		sbuf_free(&b);
	}
	return NULL;
}

static int in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && !memcmp(*list, s, n))
			return 1;
	return 0;
}

static int known(const char *field, const store *s, keyset *ks)
{
	size_t n = strcspn(field, ".[");
	if (!field[n] && query_alias(field))
		return 1;
	if (qtimefn_kind(field))
		return 1;
	if (in_list(query_record_fields, field, n))
		return 1;
	if (!s)
		return 0;
	if (!ks->loaded)
		keyset_load(ks, s);
	for (size_t i = 0; i < ks->n; i++)
		if (strlen(ks->k[i]) == n && !memcmp(ks->k[i], field, n))
			return 1;
	return 0;
}

/* Case-insensitive edit distance with adjacent transpositions (optimal string alignment). */
static int distance(const char *a, size_t an, const char *b, size_t bn)
{
	int d[NAME_MAX_CMP + 1][NAME_MAX_CMP + 1];
	for (size_t i = 0; i <= an; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= bn; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= an; i++)
		for (size_t j = 1; j <= bn; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			int v = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[an][bn];
}

static void consider(const char *cand, const char *name, size_t n, const char **best, int *bd)
{
	size_t cn = strlen(cand);
	if (cn > NAME_MAX_CMP)
		return;
	int d = distance(name, n, cand, cn);
	if (d < *bd) {
		*bd = d;
		*best = cand;
	}
}

/* The closest known name to field's first segment (aliases only for a plain name, since
 * an alias has no sub-fields), with the rest of the path kept; NULL when nothing is close:
 * one edit, or at most 3 and fewer than half the name's characters. */
static char *suggest(const char *field, const keyset *ks)
{
	size_t n = strcspn(field, ".[");
	const char *dot = field[n] ? field + n : NULL;
	if (!n || n > NAME_MAX_CMP)
		return NULL;
	const char *best = NULL;
	int bd = 1 << 20;
	if (!dot)
		for (const char *const *a = query_alias_names; *a; a++)
			consider(*a, field, n, &best, &bd);
	for (const char *const *f = query_record_fields; *f; f++)
		consider(*f, field, n, &best, &bd);
	for (size_t i = 0; i < ks->n; i++)
		consider(ks->k[i], field, n, &best, &bd);
	if (!best || (bd > 1 && (bd > 3 || 2 * (size_t)bd >= n)))
		return NULL;
	sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, best);
	if (dot)
		sbuf_adds(&b, dot);
	return sbuf_take(&b);
}

/* Paths that cross an array without saying how: CloudTrail's arrays are the top-level
 * `resources` and the `items` lists of EC2-style request and response elements. A
 * segment after one of them that is neither "[]" nor an index reaches nothing; the
 * path with "[]" there is returned (NULL when the path is fine). */
static char *array_hint(const char *field)
{
	sbuf b;
	sbuf_init(&b);
	int changed = 0;
	const char *seg = field;
	for (int first = 1; *seg; first = 0) {
		size_t n = strcspn(seg, ".");
		sbuf_add(&b, seg, n);
		const char *next = seg[n] ? seg + n + 1 : seg + n;
		int arr = (first && n == 9 && !memcmp(seg, "resources", 9)) ||
			  (!first && n == 5 && !memcmp(seg, "items", 5));
		if (arr && *next && !isdigit((unsigned char)*next) && strncmp(next, "[]", 2) != 0) {
			sbuf_adds(&b, "[]");
			changed = 1;
		}
		if (seg[n])
			sbuf_addc(&b, '.');
		seg = next;
	}
	if (!changed) {
		sbuf_free(&b);
		return NULL;
	}
	return sbuf_take(&b);
}

int query_field_array_hint(const char *field, const char *suggest)
{
	if (!suggest || !strstr(suggest, "[]"))
		return 0;
	size_t i = 0, j = 0;
	while (suggest[j]) {
		if (suggest[j] == '[' && suggest[j + 1] == ']' && !(field[i] == '[' && field[i + 1] == ']')) {
			j += 2;
			continue;
		}
		if (field[i] != suggest[j])
			return 0;
		i++;
		j++;
	}
	return !field[i];
}

int query_field_check(const query *q, const store *s,
		      void (*fn)(void *ud, const char *field, int col, const char *suggest),
		      void *ud)
{
	if (!q)
		return 0;
	walk w = { 0 };
	walk_expr(&w, q->filter);
	for (int i = 0; i < q->nstages; i++)
		walk_stage(&w, &q->stages[i]);
	if (w.n)
		qsort(w.refs, w.n, sizeof *w.refs, ref_cmp);
	keyset ks = { 0 };
	int count = 0;
	for (size_t i = 0; i < w.n; i++) {
		const char *f = w.refs[i].field;
		int dup = 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = !strcmp(w.refs[k].field, f);
		if (dup)
			continue;
		char *sg;
		if (known(f, s, &ks)) {
			sg = array_hint(f);
			if (!sg && s && strchr(f, '.') && !strstr(f, "[]")) {
				if (!ks.loaded)
					keyset_load(&ks, s);
				sg = sampled_array_hint(f, &ks);
			}
			if (!sg)
				continue;
		} else {
			sg = suggest(f, &ks);
		}
		count++;
		if (fn)
			fn(ud, f, w.refs[i].col, sg);
		free(sg);
	}
	keyset_free(&ks);
	free(w.refs);
	return count;
}

static void to_sbuf(void *ud, const char *field, int col, const char *sg)
{
	sbuf *out = ud;
	if (query_field_array_hint(field, sg)) {
		sbuf_addf(out, "field '%s' (col %d) crosses an array: write '%s' to match any element\n",
			  field, col + 1, sg);
		return;
	}
	sbuf_addf(out, "unknown field '%s' (col %d): ", field, col + 1);
	if (sg)
		sbuf_addf(out, "did you mean '%s'?\n", sg);
	else
		sbuf_adds(out, "not an alias or a CloudTrail record field\n");
}

int query_field_warnings(const query *q, const store *s, sbuf *out)
{
	return query_field_check(q, s, to_sbuf, out);
}

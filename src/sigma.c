/* sigma.c — a Sigma rule document: its metadata, its detection converted (or refused). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "query_check.h"
#include "sigma.h"

char *sigma_slug(const char *s)
{
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, "", 0);
	int dash = 0;
	for (; *s && b.len < 60; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) && c < 0x80) {
			if (dash && b.len)
				sbuf_addc(&b, '-');
			dash = 0;
			sbuf_addc(&b, (char)tolower(c));
		} else {
			dash = 1;
		}
	}
	if (!b.len)
		sbuf_adds(&b, "rule");
	return sbuf_take(&b);
}

static char *dup_str(const sy_node *map, const char *key)
{
	const char *v = sy_str(map, key);
	return v ? xstrdup(v) : NULL;
}

/* A list of strings (a lone scalar counts as a list of one). */
static char **dup_list(const sy_node *map, const char *key, size_t *n)
{
	const sy_node *v = sy_get(map, key);
	*n = 0;
	if (!v)
		return NULL;
	if (v->type == SY_SCALAR) {
		char **l = xmalloc(sizeof *l);
		l[0] = xstrdup(v->s);
		*n = 1;
		return l;
	}
	if (v->type != SY_SEQ)
		return NULL;
	char **l = xcalloc(v->nkids + 1, sizeof *l);
	for (size_t i = 0; i < v->nkids; i++)
		if (v->kids[i]->type == SY_SCALAR)
			l[(*n)++] = xstrdup(v->kids[i]->s);
	return l;
}

static int refuse(sigma_rule *r, const char *fmt, const char *a, const char *b)
{
	sbuf s;
	sbuf_init(&s);
	sbuf_addf(&s, fmt, a ? a : "", b ? b : "");
	free(r->reason);
	r->reason = sbuf_take(&s);
	return -1;
}

static void warn_field(void *ud, const char *field, int col, const char *suggest)
{
	sbuf *w = ud;
	(void)col;
	sbuf_addf(w, "field '%s' is not a CloudTrail record field (the step matches only "
		     "exports that add it)%s%s%s\n", field, suggest ? "; did you mean '" : "",
		  suggest ? suggest : "", suggest ? "'?" : "");
}

int sigma_convert(const sy_node *doc, sigma_rule *r)
{
	r->title = dup_str(doc, "title");
	if (r->title && strspn(r->title, " \t\r\n") == strlen(r->title)) {
		free(r->title);
		r->title = NULL;
	}
	if (!r->title)
		r->title = xstrdup("(untitled)");
	r->id = dup_str(doc, "id");
	r->level = dup_str(doc, "level");
	r->status = dup_str(doc, "status");
	r->description = dup_str(doc, "description");
	r->author = dup_str(doc, "author");
	r->date = dup_str(doc, "date");
	if (!r->license)
		r->license = dup_str(doc, "license");
	r->tags = dup_list(doc, "tags", &r->ntags);
	r->falsepositives = dup_list(doc, "falsepositives", &r->nfp);
	r->references = dup_list(doc, "references", &r->nref);
	if (sy_get(doc, "action"))
		return refuse(r, "rule collections (action: %s) are not supported%s",
			      sy_str(doc, "action"), NULL);
	const sy_node *ls = sy_get(doc, "logsource");
	const char *prod = sy_str(ls, "product"), *svc = sy_str(ls, "service");
	if (!ls || !prod || strcmp(prod, "aws") || (svc && strcmp(svc, "cloudtrail")))
		return refuse(r, "logsource is not aws/cloudtrail (product '%s', service '%s')",
			      prod, svc);
	const sy_node *det = sy_get(doc, "detection");
	if (!det || det->type != SY_MAP)
		return refuse(r, "no detection map%s%s", NULL, NULL);
	sbuf q;
	sbuf_init(&q);
	sbuf_add(&q, "", 0);
	char *why = NULL;
	if (sigma_condition(det, &q, r, &why) < 0) {
		sbuf_free(&q);
		refuse(r, "%s%s", why, NULL);
		free(why);
		return -1;
	}
	qerr err;
	query *parsed = query_parse(q.s, &err);
	if (!parsed) {
		refuse(r, "the converted query does not parse (%s): %s", err.msg, q.s);
		sbuf_free(&q);
		return -1;
	}
	sbuf w;
	sbuf_init(&w);
	query_field_check(parsed, NULL, warn_field, &w);
	query_free(&parsed);
	r->warnings = w.len ? sbuf_take(&w) : NULL;
	sbuf_free(&w);
	r->query = sbuf_take(&q);
	return 0;
}

static sigma_rule *new_rule(sigma_set *set, const char *file, const char *license)
{
	set->rules = xrealloc(set->rules, (set->n + 1) * sizeof *set->rules);
	sigma_rule *r = &set->rules[set->n++];
	memset(r, 0, sizeof *r);
	r->file = xstrdup(file);
	r->license = license ? xstrdup(license) : NULL;
	r->agg_bins = set->agg_bins;
	return r;
}

void sigma_collect(sigma_set *set, const sy_docs *d, const char *file)
{
	for (size_t i = 0; i < d->n; i++) {
		const sy_node *doc = d->docs[i];
		const sy_node *rules = sy_get(doc, "rules");
		if (rules && rules->type == SY_SEQ) {
			const char *lic = sy_str(doc, "license");
			for (size_t k = 0; k < rules->nkids; k++)
				sigma_convert(rules->kids[k], new_rule(set, file, lic));
			continue;
		}
		if (doc->type == SY_NULL)
			continue; /* an empty document (a trailing ---) */
		sigma_rule *r = new_rule(set, file, NULL);
		if (doc->type != SY_MAP || (!sy_get(doc, "detection") && !sy_get(doc, "title"))) {
			r->title = xstrdup("(not a rule)");
			r->reason = xstrdup("not a Sigma rule (no title or detection)");
			continue;
		}
		sigma_convert(doc, r);
	}
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void sigma_set_free(sigma_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		sigma_rule *r = &set->rules[i];
		free(r->file);
		free(r->title);
		free(r->id);
		free(r->level);
		free(r->status);
		free(r->description);
		free(r->author);
		free(r->date);
		free(r->license);
		free_list(r->tags, r->ntags);
		free_list(r->falsepositives, r->nfp);
		free_list(r->references, r->nref);
		free_list(r->lists, r->nlists);
		free(r->query);
		free(r->reason);
		free(r->warnings);
		free(r->note);
	}
	free(set->rules);
	set->rules = NULL;
	set->n = 0;
}

size_t sigma_converted(const sigma_set *set)
{
	size_t n = 0;
	for (size_t i = 0; i < set->n; i++)
		n += set->rules[i].query != NULL;
	return n;
}

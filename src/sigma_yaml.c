/* sigma_yaml.c — libyaml events into a bounded generic tree (see sigma_yaml.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sigma_yaml.h"
#include "util.h"

static void node_free(sy_node *nd)
{
	if (!nd)
		return;
	for (size_t i = 0; i < nd->nkids; i++) {
		node_free(nd->kids[i]);
		if (nd->keys)
			free(nd->keys[i]);
	}
	free(nd->kids);
	free(nd->keys);
	free(nd->s);
	free(nd);
}

void sy_docs_free(sy_docs *d)
{
	for (size_t i = 0; i < d->n; i++)
		node_free(d->docs[i]);
	free(d->docs);
	d->docs = NULL;
	d->n = 0;
}

struct build {
	yaml_parser_t p;
	size_t nodes, bytes;
	char *err;
	size_t errn;
};

static int fail(struct build *b, const yaml_mark_t *m, const char *why)
{
	snprintf(b->err, b->errn, "%d:%d: %s", (int)m->line + 1, (int)m->column + 1, why);
	return -1;
}

/* Capacity doubles, so a sequence of 200,000 items is not 200,000 reallocations (copies,
 * quadratic, where realloc cannot grow in place). */
static void add_kid(sy_node *parent, sy_node *kid, char *key)
{
	if (parent->nkids == parent->cap) {
		parent->cap = parent->cap ? parent->cap * 2 : 4;
		parent->kids = xrealloc(parent->kids, parent->cap * sizeof *parent->kids);
		if (parent->type == SY_MAP)
			parent->keys = xrealloc(parent->keys, parent->cap * sizeof *parent->keys);
	}
	if (parent->type == SY_MAP)
		parent->keys[parent->nkids] = key;
	parent->kids[parent->nkids++] = kid;
}

static int is_null_plain(const yaml_event_t *e)
{
	const char *v = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	if (e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	return n == 0 || (n == 1 && v[0] == '~') ||
	       (n == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) || !memcmp(v, "NULL", 4)));
}

/* Parse one node whose first event is e (consumed). *out gets the node. */
static int node(struct build *b, yaml_event_t *e, int depth, sy_node **out)
{
	*out = NULL;
	if (depth > SY_MAX_DEPTH)
		return fail(b, &e->start_mark, "nested too deep");
	if (++b->nodes > SY_MAX_NODES)
		return fail(b, &e->start_mark, "too many nodes");
	sy_node *nd = xcalloc(1, sizeof *nd);
	nd->line = (int)e->start_mark.line + 1;
	switch (e->type) {
	case YAML_ALIAS_EVENT:
		free(nd);
		return fail(b, &e->start_mark, "YAML aliases are not supported");
	case YAML_SCALAR_EVENT:
		b->bytes += e->data.scalar.length;
		if (b->bytes > SY_MAX_BYTES) {
			free(nd);
			return fail(b, &e->start_mark, "too much text");
		}
		if (is_null_plain(e)) {
			nd->type = SY_NULL;
		} else {
			nd->type = SY_SCALAR;
			nd->n = e->data.scalar.length;
			nd->s = xmalloc(nd->n + 1);
			memcpy(nd->s, e->data.scalar.value, nd->n);
			nd->s[nd->n] = 0;
		}
		*out = nd;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int map = e->type == YAML_MAPPING_START_EVENT;
		nd->type = map ? SY_MAP : SY_SEQ;
		*out = nd;
		for (;;) {
			yaml_event_t k;
			if (!yaml_parser_parse(&b->p, &k))
				return fail(b, &b->p.problem_mark, b->p.problem ? b->p.problem : "bad YAML");
			if (k.type == YAML_SEQUENCE_END_EVENT || k.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&k);
				return 0;
			}
			char *key = NULL;
			if (map) {
				if (k.type != YAML_SCALAR_EVENT) {
					int rc = fail(b, &k.start_mark, "a map key that is not a scalar");
					yaml_event_delete(&k);
					return rc;
				}
				b->bytes += k.data.scalar.length;
				key = xstrndup((const char *)k.data.scalar.value, k.data.scalar.length);
				yaml_event_delete(&k);
				if (!yaml_parser_parse(&b->p, &k)) {
					free(key);
					return fail(b, &b->p.problem_mark,
						    b->p.problem ? b->p.problem : "bad YAML");
				}
			}
			sy_node *kid;
			int rc = node(b, &k, depth + 1, &kid);
			yaml_event_delete(&k);
			if (kid)
				add_kid(nd, kid, key);
			else
				free(key);
			if (rc < 0)
				return -1;
		}
	}
	default:
		free(nd);
		return fail(b, &e->start_mark, "unexpected YAML event");
	}
}

int sy_parse(const char *text, size_t n, sy_docs *out, char *err, size_t errn)
{
	struct build b = { .err = err, .errn = errn };
	out->docs = NULL;
	out->n = 0;
	if (!yaml_parser_initialize(&b.p)) {
		snprintf(err, errn, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&b.p, (const unsigned char *)text, n);
	int rc = 0;
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&b.p, &e)) {
			rc = fail(&b, &b.p.problem_mark, b.p.problem ? b.p.problem : "bad YAML");
			break;
		}
		if (e.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		if (e.type == YAML_STREAM_START_EVENT || e.type == YAML_DOCUMENT_START_EVENT ||
		    e.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&e);
			continue;
		}
		sy_node *nd;
		rc = node(&b, &e, 0, &nd);
		yaml_event_delete(&e);
		if (nd) {
			out->docs = xrealloc(out->docs, (out->n + 1) * sizeof *out->docs);
			out->docs[out->n++] = nd;
		}
		if (rc < 0)
			break;
	}
	yaml_parser_delete(&b.p);
	if (rc < 0)
		sy_docs_free(out);
	return rc;
}

const sy_node *sy_get(const sy_node *map, const char *key)
{
	if (!map || map->type != SY_MAP)
		return NULL;
	for (size_t i = 0; i < map->nkids; i++)
		if (!strcmp(map->keys[i], key))
			return map->kids[i];
	return NULL;
}

const char *sy_str(const sy_node *map, const char *key)
{
	const sy_node *v = sy_get(map, key);
	return v && v->type == SY_SCALAR ? v->s : NULL;
}

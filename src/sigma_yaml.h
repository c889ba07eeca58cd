/* sigma_yaml.h — YAML (and so JSON) documents as a small generic tree, for Sigma rules.
 *
 * libyaml checks the syntax; this builds maps, sequences and scalars from its events and
 * bounds what hostile input can cost: nesting (SY_MAX_DEPTH), nodes (SY_MAX_NODES) and
 * scalar bytes (SY_MAX_BYTES) per call. Aliases are refused (no billion laughs). A map
 * keeps its keys in order, duplicates included; sy_get returns the first. A plain scalar that YAML reads as null (`null`, `~`, empty)
 * is SY_NULL; everything else stays text (numbers and booleans included). */
#ifndef TG_SIGMA_YAML_H
#define TG_SIGMA_YAML_H

#include <stddef.h>

enum { SY_MAX_DEPTH = 64, SY_MAX_NODES = 200000, SY_MAX_BYTES = 16 << 20 };

enum sy_type { SY_NULL, SY_SCALAR, SY_SEQ, SY_MAP };

typedef struct sy_node {
	enum sy_type type;
	char *s;                /* SY_SCALAR: the text, NUL-terminated (may hold NULs: n) */
	size_t n;
	struct sy_node **kids;  /* SY_SEQ: items; SY_MAP: values */
	char **keys;            /* SY_MAP: the keys (a non-scalar key is refused) */
	size_t nkids;
	size_t cap;             /* room in kids (and keys): grown geometrically */
	int line;               /* 1-based line where the node starts */
} sy_node;

typedef struct sy_docs {
	sy_node **docs;
	size_t n;
} sy_docs;

/* Parse every document of text[0..n). 0, or -1 with "LINE:COL: reason" in err. */
int sy_parse(const char *text, size_t n, sy_docs *out, char *err, size_t errn);
void sy_docs_free(sy_docs *d);

/* The value of key in a map (the first when repeated), or NULL. */
const sy_node *sy_get(const sy_node *map, const char *key);
/* The text of a scalar value of key, or NULL. */
const char *sy_str(const sy_node *map, const char *key);

#endif

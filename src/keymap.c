/* keymap.c — per-pane key bindings loaded from keymap text, with fallback to global. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "keymap.h"

typedef struct binding {
	int key;
	char *cmd; /* the command line, as written after the key */
} binding;

/* Each pane's bindings in the order keys were first bound; a later bind of the same key
 * replaces the command in place, so keymap_each keeps the file's order. */
struct keymap {
	binding *b[PANE__COUNT];
	size_t n[PANE__COUNT], cap[PANE__COUNT];
};

keymap *keymap_new(void)
{
	return xcalloc(1, sizeof(keymap));
}

void keymap_free(keymap **k)
{
	if (!k || !*k)
		return;
	for (int p = 0; p < PANE__COUNT; p++) {
		for (size_t i = 0; i < (*k)->n[p]; i++)
			free((*k)->b[p][i].cmd);
		free((*k)->b[p]);
	}
	free(*k);
	*k = NULL;
}

static binding *find(const keymap *k, enum pane p, int key)
{
	for (size_t i = 0; i < k->n[p]; i++)
		if (k->b[p][i].key == key)
			return &k->b[p][i];
	return NULL;
}

static void km_bind(keymap *k, enum pane p, int key, const char *cmd)
{
	binding *b = find(k, p, key);
	if (b) {
		free(b->cmd);
		b->cmd = xstrdup(cmd);
		return;
	}
	xgrow((void **)&k->b[p], &k->cap[p], k->n[p] + 1, sizeof(binding));
	k->b[p][k->n[p]++] = (binding){ key, xstrdup(cmd) };
}

static void km_unbind(keymap *k, enum pane p, int key)
{
	binding *b = find(k, p, key);
	if (!b)
		return;
	size_t i = (size_t)(b - k->b[p]);
	free(b->cmd);
	memmove(b, b + 1, (k->n[p] - i - 1) * sizeof *b);
	k->n[p]--;
}

const char *keymap_lookup(const keymap *k, enum pane p, int key)
{
	if (!k || (unsigned)p >= PANE__COUNT)
		return NULL;
	const binding *b = find(k, p, key);
	if (!b && p != PANE_GLOBAL)
		b = find(k, PANE_GLOBAL, key);
	return b ? b->cmd : NULL;
}

void keymap_each(const keymap *k, void (*fn)(void *ud, enum pane p, int key, const char *cmd),
		 void *ud)
{
	for (int p = 0; p < PANE__COUNT; p++)
		for (size_t i = 0; i < k->n[p]; i++)
			fn(ud, (enum pane)p, k->b[p][i].key, k->b[p][i].cmd);
}

/* One line (NUL-terminated, no newline); 0, or -1 with msg. */
static int load_line(keymap *k, const char *line, char *msg, size_t msgn)
{
	char **w;
	int n = cmd_split(line, &w), rc = -1;
	enum pane p;
	int key;
	if (n == 0 || w[0][0] == '#') {
		rc = 0;
	} else if (strcmp(w[0], "unbind") == 0) {
		if (n != 3)
			snprintf(msg, msgn, "unbind needs PANE KEY");
		else if (pane_parse(w[1], &p) < 0)
			snprintf(msg, msgn, "unknown pane '%.40s'", w[1]);
		else if (key_parse(w[2], &key) < 0)
			snprintf(msg, msgn, "unknown key '%.40s'", w[2]);
		else
			km_unbind(k, p, key), rc = 0;
	} else if (strcmp(w[0], "bind") == 0) {
		cmd_call c, inner;
		if (cmd_parse(line, &c, msg, msgn) == 0) {
			if (cmd_parse(c.argv[2], &inner, msg, msgn) == 0) {
				pane_parse(c.argv[0], &p);
				key_parse(c.argv[1], &key);
				km_bind(k, p, key, c.argv[2]);
				cmd_call_free(&inner);
				rc = 0;
			}
			cmd_call_free(&c);
		}
	} else {
		snprintf(msg, msgn, "expected bind or unbind, not '%.40s'", w[0]);
	}
	cmd_argv_free(n, w);
	return rc;
}

int keymap_load_text(keymap *k, const char *name, const char *text, sbuf *errors)
{
	int problems = 0;
	unsigned lineno = 0;
	sbuf line;
	sbuf_init(&line);
	for (const char *s = text; s && *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		char msg[160];
		lineno++;
		sbuf_reset(&line);
		sbuf_add(&line, s, len);
		if (load_line(k, line.s, msg, sizeof msg) < 0) {
			problems++;
			if (errors)
				sbuf_addf(errors, "%s:%u: %s\n", name, lineno, msg);
		}
		s = e ? e + 1 : s + len;
	}
	sbuf_free(&line);
	return problems;
}

int keymap_load_file(keymap *k, const char *path, sbuf *errors)
{
	sbuf text;
	sbuf_init(&text);
	if (read_file_into(path, &text) < 0) {
		if (errors)
			sbuf_addf(errors, "%s: %s\n", path, strerror(errno));
		sbuf_free(&text);
		return 1;
	}
	int rc = keymap_load_text(k, path, text.s ? text.s : "", errors);
	sbuf_free(&text);
	return rc;
}

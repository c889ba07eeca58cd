/* prompt_complete.c — what Tab offers at the : prompt: command names, field names, and
 * the values of a field present in the loaded events. */
#include "tui/prompt.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>

#define MAX_VALUES 200

static char **cands;      /* the candidates of this completion, for the generator */
static size_t ncands, capcands, next_cand;

static void add(const char *s, size_t n)
{
	xgrow((void **)&cands, &capcands, ncands + 1, sizeof *cands);
	char *c = xmalloc(n + 1);
	memcpy(c, s, n);
	c[n] = 0;
	cands[ncands++] = c;
}

static void clear(void)
{
	for (size_t i = 0; i < ncands; i++)
		free(cands[i]);
	ncands = next_cand = 0;
}

static char *generate(const char *text, int state)
{
	(void)text;
	(void)state;
	return next_cand < ncands ? xstrdup(cands[next_cand++]) : NULL;
}

static int starts(const char *s, const char *text)
{
	return strncmp(s, text, strlen(text)) == 0;
}

static void commands(const char *text)
{
	for (const cmd_def *d = cmd_table; d->id != CMD_NONE; d++)
		if (starts(d->name, text))
			add(d->name, strlen(d->name));
}

static void fields(tui_app *a, const char *text)
{
	for (int i = 0; query_alias_names[i]; i++)
		if (starts(query_alias_names[i], text))
			add(query_alias_names[i], strlen(query_alias_names[i]));
	for (int c = 0; c < a->s->ncols; c++)
		if (starts(a->s->cols[c].path, text))
			add(a->s->cols[c].path, strlen(a->s->cols[c].path));
}

static int bare(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._:/@-*+", s[i]))
			return 0;
	return n > 0;
}

/* Values of field present in the store: only columns already interned are looked at. */
static void values(tui_app *a, const char *field, const char *text, int quote)
{
	const char *path = query_alias(field);
	int c = store_col_find(a->s, path ? path : field);
	if (c < 0 || c == COL_EVENTID)
		return;
	const intern *t = a->s->cols[c].tab;
	size_t tn = strlen(text);
	for (uint32_t id = 1; id < intern_count(t) && ncands < MAX_VALUES; id++) {
		const char *v = intern_str(t, id);
		size_t n = intern_len(t, id);
		if (n < tn || memcmp(v, text, tn) != 0 || memchr(v, 0, n))
			continue;
		if (quote || bare(v, n)) {
			add(v, n);
		} else {
			sbuf q;
			sbuf_init(&q);
			sbuf_addc(&q, '"');
			for (size_t i = 0; i < n; i++) {
				if (v[i] == '"' || v[i] == '\\')
					sbuf_addc(&q, '\\');
				sbuf_addc(&q, v[i]);
			}
			sbuf_addc(&q, '"');
			add(q.s, q.len);
			sbuf_free(&q);
		}
	}
}

/* The field before "FIELD =" (or !=) ending at line[0..end), copied to buf; 0 or -1. */
static int field_before_eq(const char *line, int end, char *buf, size_t bufn)
{
	int i = end;
	while (i > 0 && (line[i - 1] == ' ' || line[i - 1] == '"' || line[i - 1] == '\''))
		i--;
	if (i == 0 || line[i - 1] != '=')
		return -1;
	i--;
	while (i > 0 && (line[i - 1] == '=' || line[i - 1] == '!' || line[i - 1] == ' '))
		i--;
	int e = i;
	while (i > 0 && (isalnum((unsigned char)line[i - 1]) || line[i - 1] == '.' ||
			 line[i - 1] == '_'))
		i--;
	if (i == e || (size_t)(e - i) >= bufn)
		return -1;
	memcpy(buf, line + i, (size_t)(e - i));
	buf[e - i] = 0;
	return 0;
}

char **tui_complete(tui_app *a, const char *line, const char *text, int start, int end)
{
	(void)end;
	clear();
	int w = 0;
	while (w < start && line[w] == ' ')
		w++;
	int ce = w;
	while (ce < start && line[ce] != ' ')
		ce++;
	if (ce >= start) {
		commands(text);
	} else {
		char name[32], field[128];
		size_t n = (size_t)(ce - w) < sizeof name ? (size_t)(ce - w) : sizeof name - 1;
		memcpy(name, line + w, n);
		name[n] = 0;
		const cmd_def *d = cmd_by_name(name);
		enum cmd_id id = d ? d->id : CMD_NONE;
		if (id == CMD_QUERY || id == CMD_NARROW) {
			if (field_before_eq(line, start, field, sizeof field) == 0)
				values(a, field, text, rl_completion_quote_character != 0);
			else
				fields(a, text);
		} else if (id == CMD_PIVOT || id == CMD_SORT || id == CMD_COLUMNS) {
			fields(a, text);
		}
	}
	if (!ncands)
		return NULL;
	return rl_completion_matches(text, generate);
}

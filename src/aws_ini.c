/* aws_ini.c — the AWS shared config/credentials files: sections, keys, nested values.
 * Format: ../shared/reference/aws.md §6.3. Bad lines are reported as FILE:LINE and
 * skipped; parsing never fails. */
#include "aws_ini.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct ini_ent {
	size_t sec;  /* index into secs */
	char *key;   /* for a nested value: the parent key */
	char *sub;   /* NULL, or the nested key */
	char *value;
} ini_ent;

struct aws_ini {
	char **secs;
	size_t nsecs, csecs;
	ini_ent *ents;
	size_t nents, cents;
};

static int sp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Copy s[0..n) trimmed. */
static char *trimdup(const char *s, size_t n)
{
	while (n && sp(*s))
		s++, n--;
	while (n && sp(s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* A section header's inside: trimmed, quotes dropped, whitespace runs collapsed. */
static char *section_name(const char *s, size_t n)
{
	sbuf b;
	int gap = 0;
	sbuf_init(&b);
	sbuf_adds(&b, "");
	for (size_t i = 0; i < n; i++) {
		if (sp(s[i])) {
			gap = b.len > 0;
			continue;
		}
		if (s[i] == '"' || s[i] == '\'')
			continue;
		if (gap)
			sbuf_addc(&b, ' ');
		gap = 0;
		sbuf_addc(&b, s[i]);
	}
	return sbuf_take(&b);
}

/* Value end with an inline comment (whitespace then # or ;) removed. */
static size_t value_len(const char *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if ((v[i] == '#' || v[i] == ';') && sp(v[i - 1]))
			return i;
	return n;
}

static void warn_line(FILE *warn, const char *fname, size_t line, const char *why)
{
	if (warn)
		fprintf(warn, "%s:%zu: %s\n", fname ? fname : "(config)", line, why);
}

static size_t find_sec(aws_ini *ini, const char *name)
{
	for (size_t i = 0; i < ini->nsecs; i++)
		if (!strcmp(ini->secs[i], name))
			return i;
	xgrow((void **)&ini->secs, &ini->csecs, ini->nsecs + 1, sizeof *ini->secs);
	ini->secs[ini->nsecs] = xstrdup(name);
	return ini->nsecs++;
}

static void add_ent(aws_ini *ini, size_t sec, const char *key, char *sub, char *value)
{
	xgrow((void **)&ini->ents, &ini->cents, ini->nents + 1, sizeof *ini->ents);
	ini->ents[ini->nents++] = (ini_ent){sec, xstrdup(key), sub, value};
}

aws_ini *aws_ini_parse(const char *text, size_t n, const char *fname, FILE *warn)
{
	aws_ini *ini = xcalloc(1, sizeof *ini);
	size_t line = 0, sec = (size_t)-1;
	char *parent = NULL; /* a key with an empty value: indented lines nest under it */
	for (size_t i = 0; text && i < n;) {
		const char *l = text + i, *nl = memchr(l, '\n', n - i);
		size_t len = nl ? (size_t)(nl - l) : n - i;
		i += len + 1;
		line++;
		size_t a = 0;
		while (a < len && sp(l[a]))
			a++;
		if (a == len || l[a] == '#' || l[a] == ';')
			continue;
		if (memchr(l, '\0', len)) {
			warn_line(warn, fname, line, "NUL byte in the line; line skipped");
			continue;
		}
		int indented = a > 0;
		if (!indented && l[a] == '[') {
			const char *rb = memchr(l + a, ']', len - a);
			free(parent);
			parent = NULL;
			if (!rb) {
				warn_line(warn, fname, line, "section header without ']'; line skipped");
				sec = (size_t)-1;
				continue;
			}
			char *name = section_name(l + a + 1, (size_t)(rb - l - a - 1));
			if (!*name) {
				warn_line(warn, fname, line, "empty section name; line skipped");
				sec = (size_t)-1;
			} else {
				sec = find_sec(ini, name);
			}
			free(name);
			continue;
		}
		const char *eq = NULL;
		for (size_t k = a; k < len && !eq; k++)
			if (l[k] == '=' || l[k] == ':')
				eq = l + k;
		if (!eq) {
			warn_line(warn, fname, line, "not a section, a 'key = value' or a nested value; "
				  "line skipped");
			continue;
		}
		char *key = trimdup(l + a, (size_t)(eq - l - a));
		const char *v = eq + 1;
		char *val = trimdup(v, value_len(v, (size_t)(l + len - v)));
		if (!*key || sec == (size_t)-1) {
			warn_line(warn, fname, line, !*key ? "empty key; line skipped"
						       : "key outside any section; line skipped");
			free(key);
			free(val);
			continue;
		}
		if (indented && parent) {
			add_ent(ini, sec, parent, key, val);
			continue;
		}
		if (indented)
			warn_line(warn, fname, line, "indented line is not under a 'key =' line; "
				  "read as a plain key");
		add_ent(ini, sec, key, NULL, val);
		free(parent);
		parent = *val ? NULL : xstrdup(key);
		free(key);
	}
	free(parent);
	return ini;
}

aws_ini *aws_ini_load(const char *path, FILE *warn)
{
	char *d = NULL;
	size_t n = 0;
	if (!path || read_file(path, &d, &n) < 0)
		return NULL;
	aws_ini *ini = aws_ini_parse(d, n, path, warn);
	free(d);
	return ini;
}

void aws_ini_free(aws_ini **pini)
{
	aws_ini *ini = pini ? *pini : NULL;
	if (!ini)
		return;
	for (size_t i = 0; i < ini->nsecs; i++)
		free(ini->secs[i]);
	for (size_t i = 0; i < ini->nents; i++) {
		free(ini->ents[i].key);
		free(ini->ents[i].sub);
		if (ini->ents[i].value) /* may hold a secret: wipe before freeing */
			memset(ini->ents[i].value, 0, strlen(ini->ents[i].value));
		free(ini->ents[i].value);
	}
	free(ini->secs);
	free(ini->ents);
	free(ini);
	*pini = NULL;
}

static int sec_index(const aws_ini *ini, const char *section, size_t *idx)
{
	for (size_t i = 0; ini && section && i < ini->nsecs; i++)
		if (!strcmp(ini->secs[i], section)) {
			*idx = i;
			return 1;
		}
	return 0;
}

int aws_ini_has(const aws_ini *ini, const char *section)
{
	size_t i;
	return sec_index(ini, section, &i);
}

static const char *lookup(const aws_ini *ini, const char *section, const char *key,
			  const char *sub)
{
	size_t s;
	if (!key || !sec_index(ini, section, &s))
		return NULL;
	for (size_t i = ini->nents; i-- > 0;) {
		const ini_ent *e = &ini->ents[i];
		if (e->sec != s || strcmp(e->key, key))
			continue;
		if (!sub && !e->sub)
			return e->value;
		if (sub && e->sub && !strcmp(e->sub, sub))
			return e->value;
	}
	return NULL;
}

const char *aws_ini_get(const aws_ini *ini, const char *section, const char *key)
{
	return lookup(ini, section, key, NULL);
}

const char *aws_ini_get_sub(const aws_ini *ini, const char *section, const char *key,
			    const char *sub)
{
	return sub ? lookup(ini, section, key, sub) : NULL;
}

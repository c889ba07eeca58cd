/* runbook_front.c — a runbook's front matter: `key: value` lines between two `---` lines. */
#include <stdlib.h>
#include <string.h>

#include "runbook.h"
#include "tgtime.h"

static size_t blanks(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

static int is_rule(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 3 && !memcmp(s, "---", 3);
}

/* The value without surrounding blanks and without an inline ` # comment`. */
static char *value(const char *s, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (s[i] == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t') &&
		    (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t')) {
			n = i;
			break;
		}
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/* An id: parts of letters, digits, '.', '_', '-' joined by single '/'; no '.' or '..' part. */
static int good_id(const char *id)
{
	const char *part = id;
	for (const char *c = id;; c++) {
		if (*c == '/' || !*c) {
			size_t n = (size_t)(c - part);
			if (n == 0 || (n == 1 && part[0] == '.') || (n == 2 && !memcmp(part, "..", 2)))
				return 0;
			if (!*c)
				return 1;
			part = c + 1;
		} else if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
				   *c)) {
			return 0;
		}
	}
}

static void split_tags(runbook *rb, const char *v)
{
	while (*v) {
		const char *e = strchr(v, ',');
		size_t n = e ? (size_t)(e - v) : strlen(v);
		const char *s = v;
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n) {
			rb->tags = xrealloc(rb->tags, (size_t)(rb->ntags + 1) * sizeof *rb->tags);
			rb->tags[rb->ntags++] = xstrndup(s, n);
		}
		v = e ? e + 1 : v + strlen(v);
	}
}

#define ERR(line, col, ...)                                                  \
	do {                                                                 \
		runbook_diag(diag, path, line, col, "error", __VA_ARGS__);   \
		++*errors;                                                   \
	} while (0)

/* Check and store one key's value. */
static void set_key(runbook *rb, enum rb_key k, char *v, int line, int col, const char *path,
		    sbuf *diag, int *errors)
{
	if (!*v && k != RBK_TAGS && k != RBK_OWNER) {
		ERR(line, col, "empty value for '%s'", runbook_keys[k]);
		free(v);
		return;
	}
	switch (k) {
	case RBK_ID:
		if (!good_id(v))
			ERR(line, col, "bad id '%s' (letters, digits, '.', '_' and '-', parts joined "
				       "by '/')", v);
		rb->id = v;
		return;
	case RBK_TITLE: rb->title = v; return;
	case RBK_OWNER: rb->owner = v; return;
	case RBK_VERSION: {
		char *end;
		long x = strtol(v, &end, 10);
		if (*end || !(v[0] >= '0' && v[0] <= '9') || x < 1 || x > 1000000)
			ERR(line, col, "bad version '%s' (a positive integer)", v);
		else
			rb->version = (int)x;
		break;
	}
	case RBK_SEVERITY: {
		int s = -1;
		for (int i = 0; i < 5; i++)
			if (!strcmp(v, runbook_severity_name((enum rb_severity)i)))
				s = i;
		if (s < 0)
			ERR(line, col, "bad severity '%s' (info, low, medium, high or critical)", v);
		else
			rb->severity = (enum rb_severity)s;
		break;
	}
	case RBK_WINDOW:
		if (tgtime_duration(v, strlen(v), &rb->window) < 0 || rb->window <= 0) {
			ERR(line, col, "bad window '%s' (a duration: 24h, 7d, 1h30m)", v);
			rb->window = 0;
		} else {
			rb->window_s = v;
			return;
		}
		break;
	case RBK_TAGS: split_tags(rb, v); break;
	case RBK_N: break;
	}
	free(v);
}

int runbook_front(runbook *rb, const char *path, const char **lines, const size_t *lens,
		  int nlines, sbuf *diag, int *errors)
{
	if (nlines == 0 || !is_rule(lines[0], lens[0])) {
		ERR(1, 1, "a runbook starts with a '---' line (the front matter)");
		return -1;
	}
	int end = -1;
	for (int i = 1; i < nlines && end < 0; i++) {
		const char *s = lines[i];
		size_t n = lens[i];
		if (is_rule(s, n)) {
			end = i;
			continue;
		}
		size_t lead = blanks(s, n);
		if (lead >= n || s[lead] == '#')
			continue; /* blank or a comment */
		size_t k = lead;
		while (k < n && ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
				 (s[k] >= '0' && s[k] <= '9') || s[k] == '_' || s[k] == '-'))
			k++;
		if (k == lead || k >= n || s[k] != ':') {
			ERR(i + 1, (int)k + 1, "expected 'key: value' in the front matter");
			continue;
		}
		int key = -1;
		for (int j = 0; j < RBK_N; j++)
			if (strlen(runbook_keys[j]) == k - lead && !memcmp(runbook_keys[j], s + lead, k - lead))
				key = j;
		if (key < 0) {
			ERR(i + 1, (int)lead + 1, "unknown front-matter key '%.*s' (known: id, title, "
						  "version, severity, window, tags, owner)",
			    (int)(k - lead), s + lead);
			continue;
		}
		if (rb->key_line[key]) {
			ERR(i + 1, (int)lead + 1, "'%s' given twice (first on line %d)",
			    runbook_keys[key], rb->key_line[key]);
			continue;
		}
		rb->key_line[key] = i + 1;
		size_t vs = k + 1 + blanks(s + k + 1, n - k - 1);
		set_key(rb, (enum rb_key)key, value(s + k + 1, n - k - 1), i + 1, (int)vs + 1, path,
			diag, errors);
	}
	if (end < 0) {
		ERR(1, 1, "the front matter is not closed (no second '---' line)");
		return -1;
	}
	static const enum rb_key required[] = { RBK_ID, RBK_TITLE, RBK_VERSION, RBK_SEVERITY };
	for (size_t j = 0; j < sizeof required / sizeof *required; j++)
		if (!rb->key_line[required[j]])
			ERR(end + 1, 1, "missing front-matter key '%s'", runbook_keys[required[j]]);
	return end + 1;
}

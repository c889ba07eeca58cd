/* case.c — a case's directory and id, its journal key, and opening it for a command. */
#include "case.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tgtime.h"

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

char *case_data_dir(void)
{
	sbuf b;
	sbuf_init(&b);
	const char *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (x && *x == '/')
		sbuf_addf(&b, "%s/trailguide/cases", x);
	else
		sbuf_addf(&b, "%s/.local/share/trailguide/cases", home && *home ? home : ".");
	return sbuf_take(&b);
}

int case_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 128 || id[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("._-", id[i]))
			return 0;
	return 1;
}

char *case_make_id(const char *dir, int64_t now_ms, const char *label)
{
	char day[32];
	tgtime_format(now_ms, day);
	day[10] = 0;
	sbuf id;
	sbuf_init(&id);
	sbuf_adds(&id, day);
	sbuf_addc(&id, '-');
	size_t start = id.len;
	for (const char *p = label && *label ? label : "query"; *p && id.len - start < 80; p++) {
		if (isalnum((unsigned char)*p))
			sbuf_addc(&id, (char)tolower((unsigned char)*p));
		else if (id.len > start && id.s[id.len - 1] != '-')
			sbuf_addc(&id, '-');
	}
	while (id.len > start && id.s[id.len - 1] == '-')
		id.s[--id.len] = 0;
	if (id.len == start)
		sbuf_adds(&id, "query");
	size_t base = id.len;
	for (int n = 2;; n++) {
		sbuf path;
		sbuf_init(&path);
		sbuf_addf(&path, "%s/%s", dir, id.s);
		int taken = exists(path.s);
		sbuf_free(&path);
		if (!taken)
			break;
		id.len = base;
		id.s[base] = 0;
		sbuf_addf(&id, "-%d", n);
	}
	return sbuf_take(&id);
}

int case_opts_dir(const case_opts *co, const char *label, char **dir, char *msg, size_t msgn)
{
	*dir = NULL;
	int given = !!co->dir + !!co->id + !!co->new_case;
	if (given > 1) {
		snprintf(msg, msgn, "--case, --case-id and --new-case name a case each: give one");
		return -1;
	}
	if (co->dir) {
		if (!*co->dir) {
			snprintf(msg, msgn, "--case: an empty directory name");
			return -1;
		}
		*dir = xstrdup(co->dir);
		return 0;
	}
	if (!co->id && !co->new_case)
		return 0;
	if (co->id && !case_id_valid(co->id)) {
		snprintf(msg, msgn, "--case-id '%s': use letters, digits, '.', '_' and '-' (not "
			 "starting with '.')", co->id);
		return -1;
	}
	char *data = case_data_dir();
	char *id = co->id ? xstrdup(co->id) : case_make_id(data, tgtime_now(), label);
	sbuf b;
	sbuf_init(&b);
	sbuf_addf(&b, "%s/%s", data, id);
	free(id);
	free(data);
	*dir = sbuf_take(&b);
	return 0;
}

char *case_find(const char *arg, char *msg, size_t msgn)
{
	sbuf b;
	sbuf_init(&b);
	if (strchr(arg, '/') || !strcmp(arg, ".") || !strcmp(arg, "..")) {
		if (is_dir(arg))
			return xstrdup(arg);
		snprintf(msg, msgn, "no case directory %s", arg);
		return NULL;
	}
	char *data = case_data_dir();
	if (case_id_valid(arg)) {
		sbuf_addf(&b, "%s/%s", data, arg);
		if (is_dir(b.s)) {
			free(data);
			return sbuf_take(&b);
		}
	}
	sbuf_reset(&b);
	sbuf_addf(&b, "%s/journal.jsonl", arg);
	if (exists(b.s)) {
		sbuf_free(&b);
		free(data);
		return xstrdup(arg);
	}
	snprintf(msg, msgn, "no case '%s' in %s (and no directory of that name holds a journal); "
		 "see `trailguide case list`", arg, data);
	sbuf_free(&b);
	free(data);
	return NULL;
}

tgcase *case_open(const char *dir, const unsigned char *key, size_t keylen, char *msg,
		  size_t msgn)
{
	journal_opts o = { .key = key, .keylen = keylen, .clock = NULL };
	journal *j = journal_open(dir, &o, msg, msgn);
	if (!j)
		return NULL;
	tgcase *c = xcalloc(1, sizeof *c);
	c->dir = xstrdup(dir);
	char *t = xstrdup(dir); /* the id is the last path component */
	size_t n = strlen(t);
	while (n > 1 && t[n - 1] == '/')
		t[--n] = 0;
	const char *slash = strrchr(t, '/');
	c->id = xstrdup(slash && slash[1] ? slash + 1 : t);
	free(t);
	c->j = j;
	c->before = journal_count(j);
	return c;
}

int case_begin(const case_opts *co, const char *label, tgcase **out)
{
	char msg[512], *dir;
	*out = NULL;
	if (case_opts_dir(co, label, &dir, msg, sizeof msg) < 0) {
		fprintf(stderr, "trailguide: %s\n", msg);
		return -1;
	}
	if (!dir) {
		if (co->key_file) {
			fprintf(stderr, "trailguide: --journal-key needs --case, --case-id or "
					"--new-case\n");
			return -1;
		}
		return 0;
	}
	unsigned char *key = NULL;
	size_t keylen = 0;
	if (co->key_file && journal_key_load(co->key_file, &key, &keylen, msg, sizeof msg) < 0) {
		fprintf(stderr, "trailguide: %s\n", msg);
		free(dir);
		return -1;
	}
	tgcase *c = case_open(dir, key, keylen, msg, sizeof msg);
	if (!c) {
		fprintf(stderr, "trailguide: %s\n", msg); /* msg names the directory */
		free(key);
		free(dir);
		return -1;
	}
	c->key = key;
	c->keylen = keylen;
	free(dir);
	*out = c;
	return 0;
}

void case_set_runbook(tgcase *c, const runbook *rb)
{
	free(c->rb_id);
	c->rb_id = NULL;
	memset(&c->rb, 0, sizeof c->rb);
	if (!rb)
		return;
	c->rb_id = xstrdup(rb->id);
	snprintf(c->rb_sha, sizeof c->rb_sha, "%s", rb->sha256);
	c->rb.id = c->rb_id;
	c->rb.version = rb->version;
	c->rb.sha256_hex = c->rb_sha[0] ? c->rb_sha : NULL;
}

int case_append(tgcase *c, const char *action, cJSON *details)
{
	if (journal_append(c->j, action, details, c->rb.id ? &c->rb : NULL, c->msg,
			   sizeof c->msg) == 0)
		return 0;
	if (!c->failed)
		fprintf(stderr, "trailguide: case %s: the %s action was NOT recorded: %s\n", c->dir,
			action, c->msg);
	c->failed = 1;
	return -1;
}

void case_close(tgcase **cp)
{
	tgcase *c = *cp;
	if (!c)
		return;
	journal_close(&c->j);
	if (c->key)
		OPENSSL_cleanse(c->key, c->keylen);
	free(c->key);
	free(c->rb_id);
	free(c->dir);
	free(c->id);
	free(c);
	*cp = NULL;
}

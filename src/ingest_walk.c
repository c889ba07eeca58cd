/* ingest_walk.c — expand paths, directories and globs into the list of files to read. */
#include "ingest_walk.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tgtime.h"
#include "util.h"

#define DAY_MS 86400000LL
#define MAX_DEPTH 32

static void push(walk_list *w, const char *p)
{
	xgrow((void **)&w->paths, &w->cap, w->n + 1, sizeof *w->paths);
	w->paths[w->n++] = xstrdup(p);
}

static int all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int wanted_name(const char *name)
{
	return ends_with(name, ".json") || ends_with(name, ".gz") || ends_with(name, ".jsonl") ||
	       ends_with(name, ".ndjson");
}

int walk_date_dir(const char *path, int64_t *from, int64_t *to)
{
	/* Split into components, then look for CloudTrail/REGION/YYYY[/MM[/DD]] at the end. */
	char *copy = xstrdup(path), *comp[64];
	int nc = 0;
	for (char *tok = strtok(copy, "/"); tok && nc < 64; tok = strtok(NULL, "/"))
		comp[nc++] = tok;
	int rc = -1;
	for (int depth = 1; depth <= 3 && rc < 0; depth++) {
		int y = nc - depth; /* index of the YYYY component */
		if (y < 2 || strcmp(comp[y - 2], "CloudTrail") != 0 || !all_digits(comp[y], 4))
			continue;
		int Y = atoi(comp[y]), M = 1, D = 1;
		if (depth >= 2) {
			if (!all_digits(comp[y + 1], 2) || (M = atoi(comp[y + 1])) < 1 || M > 12)
				continue;
		}
		if (depth == 3) {
			if (!all_digits(comp[y + 2], 2) || (D = atoi(comp[y + 2])) < 1 || D > 31)
				continue;
		}
		int64_t a = tgtime_days_from_civil(Y, (unsigned)M, (unsigned)D), b;
		if (depth == 1)
			b = tgtime_days_from_civil(Y + 1, 1, 1);
		else if (depth == 2)
			b = M == 12 ? tgtime_days_from_civil(Y + 1, 1, 1)
				    : tgtime_days_from_civil(Y, (unsigned)M + 1, 1);
		else
			b = a + 1;
		*from = a * DAY_MS;
		*to = b * DAY_MS;
		rc = 0;
	}
	free(copy);
	return rc;
}

/* A folder of files delivered in [from, to) holds events from before `to` only; late
 * delivery means events may be older than `from`, so we allow a day of slack there. */
static int outside(const char *dir, int64_t since, int64_t until)
{
	int64_t from, to;
	if (walk_date_dir(dir, &from, &to) < 0)
		return 0;
	if (since != TG_TIME_NONE && to <= since)
		return 1;
	if (until != TG_TIME_NONE && from > until + DAY_MS)
		return 1;
	return 0;
}

/* Digest files are not events: count them (for the summary) without reading them. */
static size_t count_files(const char *dir, int depth)
{
	DIR *d = depth > MAX_DEPTH ? NULL : opendir(dir);
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *de;
	sbuf p;
	sbuf_init(&p);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		sbuf_reset(&p);
		sbuf_addf(&p, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(p.s, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			n += count_files(p.s, depth + 1);
		else if (S_ISREG(st.st_mode))
			n++;
	}
	sbuf_free(&p);
	closedir(d);
	return n;
}

static void walk_dir(walk_list *w, const char *dir, int64_t since, int64_t until, FILE *warn,
		     int depth)
{
	if (depth > MAX_DEPTH) {
		if (warn)
			fprintf(warn, "trailguide: warning: %s: deeper than %d levels, not followed\n",
				dir, MAX_DEPTH);
		return;
	}
	DIR *d = opendir(dir);
	if (!d) {
		if (warn)
			fprintf(warn, "trailguide: warning: %s: %s\n", dir, strerror(errno));
		return;
	}
	struct dirent *de;
	sbuf p;
	sbuf_init(&p);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		sbuf_reset(&p);
		sbuf_addf(&p, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", de->d_name);
		struct stat st;
		if (stat(p.s, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (strcmp(de->d_name, "CloudTrail-Digest") == 0) {
				w->digests += count_files(p.s, depth + 1);
				continue;
			}
			if (outside(p.s, since, until)) {
				w->pruned++;
				continue;
			}
			walk_dir(w, p.s, since, until, warn, depth + 1);
		} else if (S_ISREG(st.st_mode) && wanted_name(de->d_name)) {
			if (strstr(de->d_name, "_CloudTrail-Digest_")) {
				w->digests++;
				continue;
			}
			push(w, p.s);
		}
	}
	sbuf_free(&p);
	closedir(d);
}

void walk_add(walk_list *w, const char *path, int64_t since, int64_t until, FILE *warn)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			walk_dir(w, path, since, until, warn, 0);
		else
			push(w, path);
		return;
	}
	if (strpbrk(path, "*?[")) {
		glob_t g;
		int rc = glob(path, GLOB_NOSORT, NULL, &g);
		if (rc == 0) {
			for (size_t i = 0; i < g.gl_pathc; i++)
				walk_add(w, g.gl_pathv[i], since, until, warn);
			globfree(&g);
			return;
		}
		if (warn)
			fprintf(warn, "trailguide: warning: %s: no file matches this pattern\n", path);
		w->missing++;
		return;
	}
	if (warn)
		fprintf(warn, "trailguide: error: %s: %s\n", path, strerror(errno));
	w->missing++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void walk_finish(walk_list *w)
{
	if (!w->n)
		return;
	qsort(w->paths, w->n, sizeof *w->paths, cmp_str);
	size_t k = 1;
	for (size_t i = 1; i < w->n; i++) {
		if (strcmp(w->paths[i], w->paths[k - 1]) == 0)
			free(w->paths[i]);
		else
			w->paths[k++] = w->paths[i];
	}
	w->n = k;
}

void walk_free(walk_list *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->paths[i]);
	free(w->paths);
	memset(w, 0, sizeof *w);
}

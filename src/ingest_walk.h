/* ingest_walk.h — expand paths, directories and globs into the list of files to read. */
#ifndef TG_INGEST_WALK_H
#define TG_INGEST_WALK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct walk_list {
	char **paths;
	size_t n, cap;
	size_t pruned;  /* date directories skipped by the window */
	size_t digests; /* CloudTrail-Digest files passed over */
	size_t missing; /* named paths that did not exist */
} walk_list;

/* Add the files named by path: a file (taken whatever its name), a directory (walked for
 * .json, .json.gz, .jsonl, .ndjson and .gz files, hidden entries and CloudTrail-Digest
 * folders skipped, AWSLogs date folders outside [since, until] pruned), or a glob.
 * Problems go to warn. */
void walk_add(walk_list *w, const char *path, int64_t since, int64_t until, FILE *warn);

/* Sort by path and drop repeats, so that load order (and so output) is the same on every
 * run. */
void walk_finish(walk_list *w);
void walk_free(walk_list *w);

/* For a directory path ending in .../YYYY[/MM[/DD]] inside an AWSLogs tree, the range of
 * delivery times it holds, in ms. 0 if it is such a folder, -1 if not. Exposed for tests. */
int walk_date_dir(const char *path, int64_t *from, int64_t *to);

#endif

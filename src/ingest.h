/* ingest.h — load local CloudTrail files, directories and globs into a store. */
#ifndef TG_INGEST_H
#define TG_INGEST_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include "store.h"

/* Why a record or file was skipped; the summary counts each. */
enum skip_reason {
	SKIP_MALFORMED,   /* JSON syntax error */
	SKIP_NOTIME,      /* record without a usable eventTime */
	SKIP_NOTOBJECT,   /* array element that is not an object */
	SKIP_TOOBIG,      /* a record over 4 GiB */
	SKIP_WINDOW,      /* outside --since/--until (not a warning) */
	SKIP_N
};
extern const char *const skip_reason_name[SKIP_N];

typedef struct ingest_progress {
	size_t files_done, files_total;
	size_t events;
	uint64_t bytes_in;  /* bytes read from disk so far */
	double elapsed;     /* seconds since ingest began */
} ingest_progress;

typedef struct ingest_opts {
	int64_t since, until; /* ms; TG_TIME_NONE for open ends */
	int threads;          /* 0 = one per CPU */
	FILE *warn;           /* where warnings go (NULL: silent) */
	void (*progress)(const ingest_progress *p, void *ud); /* may be NULL */
	void *progress_ud;
	int hash_files;       /* compute SHA-256 of each file (for the journal) */
} ingest_opts;

typedef struct ingest_stats {
	size_t files;          /* files read */
	size_t files_bad;      /* files that were unreadable, not CloudTrail, or bad gzip */
	size_t files_digest;   /* digest files passed over */
	size_t dirs_pruned;    /* day directories skipped by the time window */
	size_t records;        /* records seen */
	size_t events;         /* events kept */
	size_t duplicates;     /* dropped by eventID */
	size_t skipped[SKIP_N];
	size_t timestamped;    /* events without eventTime timed by @timestamp (kept) */
	size_t warnings;       /* warnings printed (files + records) */
	size_t files_chunked;  /* big plain files read in chunks by all workers (ingest_big.c) */
	size_t chunks, chunks_serial; /* their chunks; serial walks where a chunk fell short */
	uint64_t bytes_disk, bytes_json;
	double seconds;
	double t_read, t_merge, t_sort; /* the phases: parallel read+scan, merge, sort+dedupe */
} ingest_stats;

void ingest_opts_init(ingest_opts *o);

/* Load every path (file, directory, or glob pattern) into s. Bad input produces warnings
 * naming the file and byte offset and never stops the rest. Returns 0 when every path
 * could be opened, -1 when a named path did not exist (still loading the others). */
int ingest_paths(store *s, char *const *paths, int npaths, const ingest_opts *o,
		 ingest_stats *st);

/* Load one buffer (already in memory, maybe gzip) as file index `file` into s; used by
 * ingest_paths workers, the fuzzers and the S3 source. Warnings go to o->warn prefixed
 * with name. The detected format and compression are written to *meta when not NULL. */
void ingest_buffer(store *s, uint32_t file, const char *name, const char *data, size_t len,
		   const ingest_opts *o, ingest_stats *st, store_file *meta);

/* One-line summary: "2,900 events from 55 files (3 duplicates dropped; 2 records skipped:
 * 1 malformed, 1 without eventTime)". */
void ingest_summary(const ingest_stats *st, sbuf *out);

#endif

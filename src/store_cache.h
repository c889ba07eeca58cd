/* store_cache.h — the load cache: a second open of the same files reads the loaded store
 * back from one file instead of parsing the files again.
 *
 * After a load of local files (at least TRAILGUIDE_CACHE_MIN_EVENTS events, default
 * 50,000), the store's columns — times, raw refs (file, offset, length), the fixed columns
 * with their string tables — the per-file metadata, the load's statistics and the exact
 * text of its warnings are written to one file in the cache directory ($TRAILGUIDE_CACHE_DIR,
 * else $XDG_CACHE_HOME/trailguide/store, else ~/.cache/trailguide/store; 0700, files 0600,
 * written to a temporary file and renamed). Its name is a hash of the key, and the key
 * itself is stored and compared byte for byte: the executable's identity, the inflate limit,
 * and for every file its path, size, mtime in ns, inode and device. The load window is kept
 * beside it: a later load with the same window is served as it is, a narrower one by
 * trimming when the cached load had no duplicates, no warnings and no @timestamp times
 * (otherwise its counts could differ), anything else is a miss. A cache file that fails
 * validation (size, bounds, order, checksum) is ignored with a one-line note. A hit maps
 * the file: the store's arrays and strings point into the mapping (store.map). */
#ifndef TG_STORE_CACHE_H
#define TG_STORE_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ingest.h"
#include "store.h"

#define STORE_CACHE_VERSION 2

/* ingest_paths through the cache: a hit fills the empty store s, writes the cached
 * warnings to o->warn and sets *hit; a miss loads and then writes the cache when the load
 * is worth it. use 0 (--no-cache) or TRAILGUIDE_CACHE=0 bypass it entirely, as does a store
 * that is not empty. Notes about the cache itself (a corrupt or unsafe cache file) go to
 * note (NULL: none). Returns what ingest_paths returns. */
int store_cache_ingest(store *s, char *const *paths, int npaths, const ingest_opts *o,
		       ingest_stats *st, int use, FILE *note, int *hit);

/* What a cache file holds besides the store. */
typedef struct cache_meta {
	int64_t since, until;   /* the load's window */
	ingest_stats st;        /* its statistics (timings 0) */
	uint64_t walk_digests;  /* digest files the walk passed over (part of st.files_digest) */
	int hashed;             /* the files' SHA-256 were computed */
	char *warn;             /* the load's warnings, exactly as printed (malloc'd) */
	size_t warnlen;
} cache_meta;

/* Write s (sorted, fixed columns only looked at) as a cache file to path (created 0600,
 * O_EXCL: the caller names a fresh temporary). 0, or -1 with errno set. */
int store_cache_write(const char *path, const store *s, const cache_meta *m, const char *key,
		      size_t keylen);

/* Read a cache file from fd (or from mem/memlen when fd < 0, for the fuzzer) into a new
 * store. key NULL accepts any key; else a different key is a miss (returns 1). 0 and
 * *out and *m filled, 1 for another key, -1 with why filled when the file is not a valid
 * cache file. Never trusts the file: every count, offset and id is checked. */
int store_cache_read(int fd, const void *mem, size_t memlen, const char *key, size_t keylen,
		     store **out, cache_meta *m, char *why, size_t whyn);

void cache_meta_free(cache_meta *m);

/* The cache directory (malloc'd; NULL when HOME is not set either). */
char *store_cache_dir(void);

/* The checksum the file format uses (64-bit, fast, not cryptographic). */
uint64_t store_cache_sum(uint64_t seed, const void *p, size_t n);

#endif

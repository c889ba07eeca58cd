/* gunzip.h — gzip decompression: libdeflate for speed, zlib to salvage damaged files. */
#ifndef TG_GUNZIP_H
#define TG_GUNZIP_H

#include <stddef.h>
#include "util.h"

/* 1 if data starts with the gzip magic bytes. */
int gunzip_is_gz(const void *data, size_t len);

/* The most a file may inflate to (a gzip bomb is skipped, not loaded): 1 GiB, or
 * $TRAILGUIDE_MAX_INFLATE (bytes, or with a K, M or G suffix). */
#define GUNZIP_DEFAULT_LIMIT ((size_t)1 << 30)
size_t gunzip_limit(void);

enum { GUNZIP_TOO_BIG = -2 };

/* Decompress every gzip member of data into out (appended). Returns 0 when the whole
 * input was good. On damage (truncation, corruption, trailing garbage) returns -1 with
 * whatever could be recovered left in out, *bad_off set to the compressed byte offset
 * where the problem was found, and *why to a static reason. When more than max bytes
 * (0: no limit) would come out, stops early and returns GUNZIP_TOO_BIG, out holding at
 * most max bytes more than before. */
int gunzip(const void *data, size_t len, size_t max, sbuf *out, size_t *bad_off,
	   const char **why);

#endif

/* gunzip.h — gzip decompression: libdeflate for speed, zlib to salvage damaged files. */
#ifndef TG_GUNZIP_H
#define TG_GUNZIP_H

#include <stddef.h>
#include "util.h"

/* 1 if data starts with the gzip magic bytes. */
int gunzip_is_gz(const void *data, size_t len);

/* Decompress every gzip member of data into out (appended). Returns 0 when the whole
 * input was good. On damage (truncation, corruption, trailing garbage) returns -1 with
 * whatever could be recovered left in out, *bad_off set to the compressed byte offset
 * where the problem was found, and *why to a static reason. */
int gunzip(const void *data, size_t len, sbuf *out, size_t *bad_off, const char **why);

#endif

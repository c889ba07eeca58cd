/* store_cache_int.h — the cache file's layout, shared by its writer and its reader. */
#ifndef TG_STORE_CACHE_INT_H
#define TG_STORE_CACHE_INT_H

#define CACHE_MAGIC "TGCACHE"           /* 8 bytes with its NUL */
#define CACHE_ENDIAN 0x0102030405060708ull
#define CACHE_PAD(n) (((n) + 7) & ~(uint64_t)7)

/* Header words. The statistics are H_STATS .. H_STATS + 10, then skipped[SKIP_N]; the
 * last word is the checksum of the ones before it. */
enum {
	H_MAGIC, H_VERSION, H_ENDIAN, H_SIZE, H_SUM, H_KEYLEN, H_N, H_NFILES, H_NCOLS,
	H_SINCE, H_UNTIL, H_WALKDIG, H_HASHED, H_WARNLEN, H_NSKIP, H_STATS,
	HDR_WORDS = 32
};

/* A file record: path length, format, gz, size, mtime (s), events, SHA-256 (4 words). */
#define FILE_WORDS 10

/* The sections: key, warnings, file records, paths, time, off, file, len, then per fixed
 * column its (count, bloblen), ids, lens and strings. The header's checksum is
 * store_cache_sum over the sections' own sums, in this order, so that the reader can sum
 * sections on several threads. */
#define SEC_EVENTS 4
#define SEC_COL(c) (8 + 4 * (c))
#define NSEC SEC_COL(COL_NFIXED)

#endif

/* fuzz_cache.c — libFuzzer target: the load cache's reader (store_cache_read) on any bytes.
 *
 * A random file never gets past the magic and the header's checksum, so most inputs are
 * edits of a valid cache file made at start-up (a few hundred events of two NDJSON
 * files): flag byte bit 0 set means the rest is a whole file as it is; otherwise the rest
 * is (offset:2, xor:1) edits applied to the valid file, bit 1 recomputes the header's
 * checksum after them (so header fields reach the section checks), bit 2 cuts the file at
 * the first edit's offset. Whatever the reader accepts must be a store every accessor can
 * walk: ids in range, files in range, times in order.
 *
 *   bash tests/fuzz/run.sh fuzz_cache 60 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_cache.h"
#include "store_cache_int.h"

static sbuf good;

static void make_good(void)
{
	char dir[] = "/tmp/tg-fuzz-cache-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char p[2][96];
	for (int f = 0; f < 2; f++) {
		snprintf(p[f], sizeof p[f], "%s/%d.ndjson", dir, f);
		FILE *o = fopen(p[f], "w");
		for (int i = 0; i < 150; i++)
			fprintf(o, "{\"eventTime\":\"2026-11-01T00:%02d:%02dZ\",\"eventName\":\"E%d\","
				   "\"eventID\":\"%d-%d\",\"awsRegion\":\"r%d\",\"userIdentity\":"
				   "{\"arn\":\"u%d\"}}\n", i / 60, i % 60, i % 9, f, i, i % 3, i % 4);
		fclose(o);
	}
	ingest_opts o;
	ingest_opts_init(&o);
	o.warn = NULL;
	o.threads = 1;
	store *s = store_new();
	ingest_stats st;
	char *paths[1] = { dir };
	ingest_paths(s, paths, 1, &o, &st);
	cache_meta m;
	memset(&m, 0, sizeof m);
	m.since = m.until = INT64_MIN;
	m.st = st;
	m.warn = (char *)"trailguide: warning: x\n";
	m.warnlen = strlen(m.warn);
	char cf[128];
	snprintf(cf, sizeof cf, "%s/c.tgc", dir);
	if (store_cache_write(cf, s, &m, "key", 3) != 0 || read_file_into(cf, &good) < 0)
		abort();
	store_free(&s);
	for (int f = 0; f < 2; f++)
		unlink(p[f]);
	unlink(cf);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!good.len)
		make_good();
	if (size < 1)
		return 0;
	unsigned flags = data[0];
	unsigned char *img;
	size_t len;
	if (flags & 1) {
		len = size - 1;
		img = malloc(len + 1);
		memcpy(img, data + 1, len);
	} else {
		len = good.len;
		img = malloc(len + 1);
		memcpy(img, good.s, len);
		size_t cut = len;
		for (size_t k = 1; k + 3 <= size; k += 3) {
			size_t off = ((size_t)data[k] << 8 | data[k + 1]) % len;
			img[off] ^= data[k + 2];
			if (k == 1 && (flags & 4))
				cut = off;
		}
		if (flags & 2) {
			uint64_t h[HDR_WORDS];
			memcpy(h, img, sizeof h);
			h[HDR_WORDS - 1] = store_cache_sum(0, h, (HDR_WORDS - 1) * 8);
			memcpy(img, h, sizeof h);
		}
		len = cut;
	}
	store *s = NULL;
	cache_meta m;
	char why[160];
	if (store_cache_read(-1, img, len, NULL, 0, &s, &m, why, sizeof why) == 0) {
		size_t total = 0;
		for (size_t i = 0; i < s->n; i++) {
			if (s->file[i] >= s->nfiles || (i && s->time[i - 1] > s->time[i]))
				abort();
			for (int c = 0; c < COL_NFIXED; c++) {
				size_t l = 0;
				const char *v = store_val(s, c, i, &l);
				if (v)
					total += l + (unsigned char)v[0];
			}
		}
		(void)total;
		intern_add(s->cols[COL_EVENT].tab, "fuzz", 4);
		intern_find(s->cols[COL_REGION].tab, "r1", 2);
		store_free(&s);
		cache_meta_free(&m);
	}
	free(img);
	return 0;
}

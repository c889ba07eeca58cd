/* jscan_speed.c — throughput of the ingest hot path (jframe_detect + jframe_walk).
 *
 *   jscan_speed [-r ROUNDS] PATH...   (files or directories; .json and .json.gz)
 *
 * Files are read (gz via zlib) and decompressed into memory first; only the scan is
 * timed. Prints MB/s over the uncompressed bytes, best of the rounds. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "jframe.h"
#include "jscan.h"

typedef struct doc {
	char *b;
	size_t n;
} doc;

static doc *docs;
static size_t ndocs, capdocs, total;

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static void load(const char *path)
{
	if (!has_suffix(path, ".json") && !has_suffix(path, ".json.gz"))
		return;
	gzFile g = gzopen(path, "rb");
	if (!g)
		return;
	size_t cap = 1 << 16, n = 0;
	char *b = xmalloc(cap);
	int r;
	for (;;) {
		if (cap - n < 65536)
			b = xrealloc(b, cap *= 2);
		r = gzread(g, b + n, (unsigned)(cap - n));
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	gzclose(g);
	xgrow((void **)&docs, &capdocs, ndocs + 1, sizeof *docs);
	docs[ndocs].b = b;
	docs[ndocs].n = n;
	ndocs++;
	total += n;
}

static int walk_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_F)
		load(path);
	return 0;
}

static size_t sink;

static int on_rec(void *ud, size_t off, size_t len, const jspan f[JF_N], int bad)
{
	(void)ud;
	sink += off + len + f[JF_EVENTNAME].len + (size_t)bad;
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = 5, i = 1;
	if (argc > 2 && strcmp(argv[1], "-r") == 0) {
		rounds = atoi(argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: jscan_speed [-r ROUNDS] PATH...\n");
		return 2;
	}
	for (; i < argc; i++)
		nftw(argv[i], walk_cb, 32, FTW_PHYS);
	if (!total) {
		fprintf(stderr, "no .json / .json.gz files found\n");
		return 1;
	}
	/* repeat small inputs so each round scans at least ~256 MB */
	size_t reps = (256u << 20) / total + 1;
	double best = 1e9;
	size_t nrec = 0;
	for (int r = 0; r < rounds; r++) {
		nrec = 0;
		double t0 = now_mono();
		for (size_t k = 0; k < reps; k++)
			for (size_t d = 0; d < ndocs; d++) {
				enum jformat fm = jframe_detect(docs[d].b, docs[d].n);
				if (fm == JFMT_RECORDS || fm == JFMT_NDJSON || fm == JFMT_ARRAY)
					nrec += jframe_walk(docs[d].b, docs[d].n, fm, on_rec, NULL, NULL);
			}
		double dt = now_mono() - t0;
		if (dt < best)
			best = dt;
	}
	double mb = (double)total * (double)reps / 1e6;
	printf("%zu files, %.1f MB uncompressed, %zu records per round (x%zu repeats)\n", ndocs,
	       (double)total / 1e6, nrec / reps, reps);
	printf("jframe_walk: %.0f MB/s (best of %d rounds, 1 core), %.0f ns/record\n", mb / best,
	       rounds, best * 1e9 / (double)nrec);
	return sink == 42 ? 3 : 0;
}

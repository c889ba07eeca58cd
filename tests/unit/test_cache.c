/* test_cache.c — the load cache (store_cache.h): a round trip gives the same store and
 * statistics; every one-byte change and every truncation of a cache file is refused; a
 * changed source file, another inflate limit or a wider window is a miss; a narrower
 * window is served by trimming only when the cached load was clean. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "store_cache.h"
#include "tap.h"
#include "tgtime.h"

static char tmp[64], cdir[128], data[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
}

/* n NDJSON events, one a second from 2026-11-01T00:00:00Z, with a few distinct values. */
static void make_ndjson(const char *path, int from, int n, int dup)
{
	sbuf b;
	sbuf_init(&b);
	for (int i = from; i < from + n; i++)
		sbuf_addf(&b, "{\"eventTime\":\"2026-11-01T%02d:%02d:%02dZ\",\"eventName\":\"E%d\","
			      "\"eventSource\":\"s%d.amazonaws.com\",\"awsRegion\":\"us-east-%d\","
			      "\"eventID\":\"id-%d\",\"sourceIPAddress\":\"10.0.0.%d\","
			      "\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::1:user/u%d\","
			      "\"accessKeyId\":\"AKIA%d\"},\"readOnly\":%s}\n",
			  i / 3600, i / 60 % 60, i % 60, i % 7, i % 3, i % 2 + 1, i, i % 50, i % 11, i % 5,
			  i % 2 ? "true" : "false");
	if (dup) /* the first event delivered twice */
		sbuf_addf(&b, "{\"eventTime\":\"2026-11-01T00:00:%02dZ\",\"eventName\":\"E0\","
			      "\"eventID\":\"id-%d\"}\n", from % 60, from);
	write_file(path, b.s);
	sbuf_free(&b);
}

static int same_store(const store *a, const store *b)
{
	if (a->n != b->n || a->nfiles != b->nfiles || a->tmin != b->tmin || a->tmax != b->tmax)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		if (a->time[i] != b->time[i] || a->file[i] != b->file[i] || a->off[i] != b->off[i] ||
		    a->len[i] != b->len[i])
			return 0;
		for (int c = 0; c < COL_NFIXED; c++) {
			size_t la = 0, lb = 0;
			const char *x = store_val(a, c, i, &la), *y = store_val(b, c, i, &lb);
			if (!x != !y || la != lb || (x && memcmp(x, y, la)))
				return 0;
		}
	}
	for (size_t f = 0; f < a->nfiles; f++) {
		const store_file *x = &a->files[f], *y = &b->files[f];
		if (strcmp(x->path, y->path) || x->fmt != y->fmt || x->gz != y->gz ||
		    x->size != y->size || x->mtime != y->mtime || x->events != y->events ||
		    memcmp(x->sha256, y->sha256, 32))
			return 0;
	}
	return 1;
}

static int same_stats(const ingest_stats *a, const ingest_stats *b)
{
	int ok = a->files == b->files && a->files_bad == b->files_bad &&
		 a->files_digest == b->files_digest && a->dirs_pruned == b->dirs_pruned &&
		 a->records == b->records && a->events == b->events &&
		 a->duplicates == b->duplicates && a->timestamped == b->timestamped &&
		 a->warnings == b->warnings && a->bytes_json == b->bytes_json;
	for (int k = 0; k < SKIP_N; k++)
		ok = ok && a->skipped[k] == b->skipped[k];
	return ok;
}

/* Load data through the cache (window since..until); *hit says how; warnings into warn. */
static store *load(int64_t since, int64_t until, int *hit, ingest_stats *st, sbuf *warn)
{
	char *wbuf = NULL;
	size_t wlen = 0;
	FILE *w = open_memstream(&wbuf, &wlen);
	ingest_opts o;
	ingest_opts_init(&o);
	o.since = since;
	o.until = until;
	o.warn = w;
	o.threads = 2;
	store *s = store_new();
	char *paths[1] = { data };
	store_cache_ingest(s, paths, 1, &o, st, 1, NULL, hit);
	fclose(w);
	if (warn) {
		sbuf_reset(warn);
		sbuf_add(warn, wbuf, wlen);
	}
	free(wbuf);
	return s;
}

static store *fresh(int64_t since, int64_t until, ingest_stats *st)
{
	int hit;
	setenv("TRAILGUIDE_CACHE", "0", 1);
	store *s = load(since, until, &hit, st, NULL);
	unsetenv("TRAILGUIDE_CACHE");
	return s;
}

/* The one cache file in cdir (its path into out), or 0 when there is none. */
static int cache_file(char *out, size_t n)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "ls %s/*.tgc 2>/dev/null | head -n 1", cdir);
	FILE *p = popen(cmd, "r");
	int got = p && fgets(out, (int)n, p);
	if (p)
		pclose(p);
	if (got)
		out[strcspn(out, "\n")] = 0;
	return got;
}

static void clear_cache(void)
{
	char p[256];
	while (cache_file(p, sizeof p))
		unlink(p);
}

static void test_round_trip(void)
{
	ingest_stats st1, st2, st0;
	sbuf w1, w2;
	sbuf_init(&w1);
	sbuf_init(&w2);
	int hit;
	store *a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st1, &w1);
	ok(!hit, "first load: a miss");
	char p[256];
	ok(cache_file(p, sizeof p), "a cache file was written");
	struct stat sb;
	ok(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0600, "the cache file is 0600");
	ok(stat(cdir, &sb) == 0 && (sb.st_mode & 0777) == 0700, "the cache directory is 0700");
	store *b = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st2, &w2);
	ok(hit, "second load: a hit");
	ok(same_store(a, b), "the cached store is the loaded one, event by event");
	ok(same_stats(&st1, &st2), "with the same statistics");
	is_str(w2.s, w1.s, "and the same warnings");
	ok(w1.len > 0, "(the load had warnings to repeat)");
	store *c = fresh(TG_TIME_NONE, TG_TIME_NONE, &st0);
	ok(same_store(a, c) && same_stats(&st0, &st1), "a load without the cache agrees");
	/* a store from the cache grows like any other: a new string, an extracted column */
	uint32_t id = intern_add(b->cols[COL_EVENT].tab, "NewName", 7);
	ok(id == intern_count(b->cols[COL_EVENT].tab) - 1 &&
	   intern_find(b->cols[COL_EVENT].tab, "E3", 2) ==
	   intern_find(a->cols[COL_EVENT].tab, "E3", 2), "the adopted string tables find and add");
	char msg[200];
	int col = store_col_get(b, "userIdentity.arn", msg, sizeof msg);
	ok(col >= 0, "an extra column is extracted from the raw events of a cached store");
	store_free(&a);
	store_free(&b);
	store_free(&c);
	sbuf_free(&w1);
	sbuf_free(&w2);
}

static void test_corrupt(void)
{
	char p[256];
	if (!cache_file(p, sizeof p)) {
		ok(0, "a cache file to damage");
		return;
	}
	sbuf img;
	sbuf_init(&img);
	read_file_into(p, &img);
	store *s = NULL;
	cache_meta m;
	char why[160];
	ok(store_cache_read(-1, img.s, img.len, NULL, 0, &s, &m, why, sizeof why) == 0,
	   "the image reads back from memory");
	store_free(&s);
	cache_meta_free(&m);
	size_t accepted = 0, crashed_not = 0;
	unsigned char *d = (unsigned char *)img.s;
	for (size_t i = 0; i < img.len; i++) {
		{
			int bit = (int)(i % 8);
			d[i] ^= (unsigned char)(1u << bit);
			int rc = store_cache_read(-1, d, img.len, NULL, 0, &s, &m, why, sizeof why);
			if (rc == 0) {
				accepted++;
				store_free(&s);
				cache_meta_free(&m);
			}
			crashed_not++;
			d[i] ^= (unsigned char)(1u << bit);
		}
	}
	is_int(accepted, 0, "a one-bit change of each of the %zu bytes is refused (%zu tries)", img.len,
	       crashed_not);
	size_t trunc_ok = 0, cuts = 0;
	/* every cut in the header and the first sections and near the end, a sparse sample
	 * between (each cut is a whole read: the ASan pass runs this too) */
	for (size_t n = 0; n < img.len; n += n < 1024 || n + 64 > img.len ? 1 : 61)
		if (cuts++, store_cache_read(-1, d, n, NULL, 0, &s, &m, why, sizeof why) == 0) {
			trunc_ok++;
			store_free(&s);
			cache_meta_free(&m);
		}
	is_int(trunc_ok, 0, "every truncation tried is refused (%zu cuts)", cuts);
	/* on disk: a damaged file is ignored, the load is right, and the file is rewritten */
	d[img.len / 2] ^= 0x40;
	write_file(p, "");
	int fd = open(p, O_WRONLY | O_TRUNC);
	ok(fd >= 0 && write(fd, d, img.len) == (ssize_t)img.len, "a damaged cache file");
	close(fd);
	ingest_stats st, st0;
	int hit;
	char *nbuf = NULL;
	size_t nlen = 0;
	FILE *note = open_memstream(&nbuf, &nlen);
	ingest_opts o;
	ingest_opts_init(&o);
	o.warn = NULL;
	store *a = store_new();
	char *paths[1] = { data };
	store_cache_ingest(a, paths, 1, &o, &st, 1, note, &hit);
	fclose(note);
	store *b = fresh(TG_TIME_NONE, TG_TIME_NONE, &st0);
	ok(!hit && same_store(a, b), "is ignored: the sources are loaded");
	ok(nbuf && strstr(nbuf, "ignored, loading the sources") &&
	   strchr(nbuf, '\n') == nbuf + nlen - 1, "with a one-line note");
	printf("# %s", nbuf ? nbuf : "(none)\n");
	free(nbuf);
	store_free(&a);
	store *c = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(hit && same_store(c, b), "and the cache is rewritten");
	store_free(&b);
	store_free(&c);
	/* a symbolic link in the cache file's place is not followed */
	unlink(p);
	char target[256];
	snprintf(target, sizeof target, "%s/elsewhere", tmp);
	fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ok(fd >= 0 && write(fd, d, img.len) == (ssize_t)img.len, "a file elsewhere");
	close(fd);
	d[img.len / 2] ^= 0x40;
	ok(symlink(target, p) == 0, "linked as the cache file");
	nbuf = NULL;
	note = open_memstream(&nbuf, &nlen);
	a = store_new();
	store_cache_ingest(a, paths, 1, &o, &st, 1, note, &hit);
	fclose(note);
	ok(!hit && nbuf && strstr(nbuf, "symbolic link"), "is refused, said");
	struct stat sb;
	ok(lstat(p, &sb) == 0 && S_ISREG(sb.st_mode), "and replaced by a real cache file");
	sbuf t;
	sbuf_init(&t);
	read_file_into(target, &t);
	ok(t.len == img.len, "the link's target is left alone");
	sbuf_free(&t);
	free(nbuf);
	store_free(&a);
	sbuf_free(&img);
}

static void test_miss(void)
{
	ingest_stats st;
	int hit;
	store *a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(hit, "cached");
	store_free(&a);
	/* a file touched (same bytes, new mtime) */
	char f[256];
	snprintf(f, sizeof f, "%s/b.ndjson", data);
	struct timeval tv[2] = { { 1700000000, 0 }, { 1700000000, 0 } };
	ok(utimes(f, tv) == 0, "a source file touched");
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(!hit, "is a miss");
	store_free(&a);
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(hit, "then cached again");
	store_free(&a);
	/* a file rewritten: more events */
	make_ndjson(f, 5000, 40, 0);
	ingest_stats st0;
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	store *b = fresh(TG_TIME_NONE, TG_TIME_NONE, &st0);
	ok(!hit && same_store(a, b), "a rewritten file is a miss, and loads right");
	store_free(&a);
	store_free(&b);
	/* a new file in the directory */
	snprintf(f, sizeof f, "%s/c.ndjson", data);
	make_ndjson(f, 7000, 10, 0);
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(!hit && a->nfiles == 3, "a new file is a miss");
	store_free(&a);
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(hit, "cached again");
	store_free(&a);
	/* TRAILGUIDE_CACHE=0 and use=0 bypass it */
	setenv("TRAILGUIDE_CACHE", "0", 1);
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(!hit, "TRAILGUIDE_CACHE=0: not read");
	unsetenv("TRAILGUIDE_CACHE");
	store_free(&a);
	/* MIN_EVENTS: a small load writes nothing */
	clear_cache();
	setenv("TRAILGUIDE_CACHE_MIN_EVENTS", "100000", 1);
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	char p[256];
	ok(!hit && !cache_file(p, sizeof p), "a load under TRAILGUIDE_CACHE_MIN_EVENTS is not cached");
	store_free(&a);
	setenv("TRAILGUIDE_CACHE_MIN_EVENTS", "1", 1);
	/* TRAILGUIDE_CACHE_MAX: a cache that would not fit is not written */
	setenv("TRAILGUIDE_CACHE_MAX", "1K", 1);
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(!cache_file(p, sizeof p), "a cache over TRAILGUIDE_CACHE_MAX is not kept");
	store_free(&a);
	unsetenv("TRAILGUIDE_CACHE_MAX");
}

static void test_window(void)
{
	clear_cache();
	/* a clean load (no duplicates, no warnings) of the whole day */
	char f[256];
	snprintf(f, sizeof f, "%s/c.ndjson", data);
	unlink(f);
	snprintf(f, sizeof f, "%s/a.ndjson", data);
	make_ndjson(f, 0, 3000, 0);
	ingest_stats st, st0;
	int hit;
	store *a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(!hit && !st.warnings && !st.duplicates, "a clean load, cached");
	store_free(&a);
	int64_t since = 1793491200000 + 600 * 1000, until = 1793491200000 + 1200 * 1000;
	a = load(since, until, &hit, &st, NULL);
	store *b = fresh(since, until, &st0);
	ok(hit, "a narrower window is served by the wider cached one");
	ok(same_store(a, b) && same_stats(&st, &st0), "trimmed exactly as a load of it (%zu events)",
	   a->n);
	store_free(&a);
	store_free(&b);
	/* now the narrow load is what is cached (a wider one replaced it? no: it was a hit) */
	clear_cache();
	a = load(since, until, &hit, &st, NULL);
	store_free(&a);
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(!hit, "a wider window than the cached one is a miss");
	store_free(&a);
	/* a load with a duplicate is not trimmed */
	make_ndjson(f, 0, 3000, 1);
	a = load(TG_TIME_NONE, TG_TIME_NONE, &hit, &st, NULL);
	ok(!hit && st.duplicates == 1, "a load with a duplicate, cached");
	store_free(&a);
	a = load(since, until, &hit, &st, NULL);
	b = fresh(since, until, &st0);
	ok(!hit && same_store(a, b), "is not trimmed for a narrower window: a miss");
	store_free(&a);
	store_free(&b);
	a = load(since, until, &hit, &st, NULL);
	ok(hit, "the same window again: a hit");
	store_free(&a);
}

int main(void)
{
	snprintf(tmp, sizeof tmp, "%s/tg-cache-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return 1;
	snprintf(cdir, sizeof cdir, "%s/cache/store", tmp);
	snprintf(data, sizeof data, "%s/data", tmp);
	mkdir(data, 0700);
	setenv("TRAILGUIDE_CACHE_DIR", cdir, 1);
	setenv("TRAILGUIDE_CACHE_MIN_EVENTS", "1", 1);
	unsetenv("TRAILGUIDE_CACHE");
	unsetenv("TRAILGUIDE_CACHE_MAX");
	char f[256];
	snprintf(f, sizeof f, "%s/a.ndjson", data);
	make_ndjson(f, 0, 300, 1);
	snprintf(f, sizeof f, "%s/b.ndjson", data);
	make_ndjson(f, 1000, 200, 0);
	FILE *x = fopen(f, "a"); /* a malformed record: a warning to reproduce */
	fputs("{\"eventTime\": oops}\n", x);
	fclose(x);
	test_round_trip();
	test_corrupt();
	test_miss();
	test_window();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}

/* store_cache.c — the load cache around ingest_paths: its directory, the key, hit or miss,
 * writing after a miss and evicting the oldest files (see store_cache.h). */
#include "store_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gunzip.h"
#include "ingest_walk.h"
#include "sha256.h"
#include "tgtime.h"

#define DEFAULT_MIN_EVENTS 50000
#define DEFAULT_MAX_BYTES ((uint64_t)2 << 30)

/* A size from the environment: digits with an optional K/M/G suffix; def when unset or
 * not a size. */
static uint64_t env_size(const char *name, uint64_t def)
{
	const char *e = getenv(name);
	if (!e || !*e)
		return def;
	char *end;
	unsigned long long v = strtoull(e, &end, 10);
	int sh = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20
		 : *end == 'G' || *end == 'g' ? 30 : *end == 0 ? 0 : -1;
	if (end == e || sh < 0 || (end[0] && end[1]) || v > (UINT64_MAX >> sh))
		return def;
	return (uint64_t)v << sh;
}

char *store_cache_dir(void)
{
	const char *d = getenv("TRAILGUIDE_CACHE_DIR");
	if (d && *d)
		return xstrdup(d);
	sbuf p;
	sbuf_init(&p);
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		sbuf_addf(&p, "%s/trailguide/store", xdg);
	else if (home && *home)
		sbuf_addf(&p, "%s/.cache/trailguide/store", home);
	return p.s;
}

/* mkdir -p, new directories 0700. Then the last one must be ours and private. */
static int private_dir(const char *dir, FILE *note)
{
	char *p = xstrdup(dir);
	for (char *q = p + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = 0;
		mkdir(p, 0700);
		*q = '/';
	}
	mkdir(p, 0700);
	free(p);
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		if (note)
			fprintf(note, "trailguide: cache directory %s: %s; not caching\n", dir,
				errno ? strerror(errno) : "not a directory");
		return -1;
	}
	if (sb.st_uid != geteuid() || (sb.st_mode & 077)) {
		if (note)
			fprintf(note, "trailguide: cache directory %s is not private (owned by another "
				      "user, or open to others); not caching\n", dir);
		return -1;
	}
	return 0;
}

/* The key: what makes a load what it is, besides the window. 0, or -1 when a file cannot
 * be stat'ed (then there is nothing to key on). */
static int make_key(const walk_list *wl, sbuf *key)
{
	struct stat sb;
	sbuf_addf(key, "trailguide load cache %d\n", STORE_CACHE_VERSION);
	/* the executable: a rebuilt trailguide may load differently */
	if (stat("/proc/self/exe", &sb) == 0)
		sbuf_addf(key, "exe %llu %llu %llu %lld.%09ld\n", (unsigned long long)sb.st_dev,
			  (unsigned long long)sb.st_ino, (unsigned long long)sb.st_size,
			  (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec);
	else
		sbuf_addf(key, "exe %s %s\n", __DATE__, __TIME__);
	sbuf_addf(key, "inflate %zu\nfiles %zu\n", gunzip_limit(), wl->n);
	for (size_t i = 0; i < wl->n; i++) {
		if (stat(wl->paths[i], &sb) != 0 || !S_ISREG(sb.st_mode))
			return -1;
		sbuf_addf(key, "%llu %lld.%09ld %llu %llu %zu:%s\n", (unsigned long long)sb.st_size,
			  (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec,
			  (unsigned long long)sb.st_ino, (unsigned long long)sb.st_dev,
			  strlen(wl->paths[i]), wl->paths[i]);
	}
	return 0;
}

/* Standard input copied to a private file has a new name every time: never worth it. */
static int spilled(const walk_list *wl)
{
	for (size_t i = 0; i < wl->n; i++) {
		const char *b = strrchr(wl->paths[i], '/');
		if (!strncmp(b ? b + 1 : wl->paths[i], "trailguide-stdin-", 17))
			return 1;
	}
	return 0;
}

static int cmp_mtime(const void *a, const void *b)
{
	const struct stat *x = a, *y = b;
	if (x->st_mtim.tv_sec != y->st_mtim.tv_sec)
		return x->st_mtim.tv_sec < y->st_mtim.tv_sec ? -1 : 1;
	return (x->st_mtim.tv_nsec > y->st_mtim.tv_nsec) - (x->st_mtim.tv_nsec < y->st_mtim.tv_nsec);
}

/* Remove the least recently used cache files (.tgc) until the rest fit in max bytes. */
static void evict(const char *dir, uint64_t max)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct ent { struct stat sb; char name[64]; } *v = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	struct dirent *e;
	sbuf p;
	sbuf_init(&p);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 5 || l >= 64 || strcmp(e->d_name + l - 4, ".tgc"))
			continue;
		sbuf_reset(&p);
		sbuf_addf(&p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p.s, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		xgrow((void **)&v, &cap, n + 1, sizeof *v);
		v[n].sb = sb;
		memcpy(v[n].name, e->d_name, l + 1);
		n++;
		total += (uint64_t)sb.st_size;
	}
	closedir(d);
	qsort(v, n, sizeof *v, cmp_mtime); /* the struct starts with its stat */
	for (size_t i = 0; i < n && total > max; i++) {
		sbuf_reset(&p);
		sbuf_addf(&p, "%s/%s", dir, v[i].name);
		if (unlink(p.s) == 0)
			total -= (uint64_t)v[i].sb.st_size;
	}
	sbuf_free(&p);
	free(v);
}

/* Can the cached window [m->since, m->until] answer [since, until]? 2 as it is, 1 by
 * trimming, 0 not. */
static int window_fit(const cache_meta *m, int64_t since, int64_t until)
{
	if (m->since == since && m->until == until)
		return 2;
	int inside = (m->since == TG_TIME_NONE || (since != TG_TIME_NONE && since >= m->since)) &&
		     (m->until == TG_TIME_NONE || (until != TG_TIME_NONE && until <= m->until));
	return inside && !m->st.duplicates && !m->st.warnings && !m->st.timestamped ? 1 : 0;
}

/* Trim a cached store to [since, until] as a load with that window would have read it:
 * files' counts and the statistics follow. */
static void trim(store *s, cache_meta *m, int64_t since, int64_t until)
{
	size_t before = s->n;
	for (size_t i = 0; i < s->n; i++)
		if ((since != TG_TIME_NONE && s->time[i] < since) ||
		    (until != TG_TIME_NONE && s->time[i] > until))
			s->files[s->file[i]].events--;
	store_keep_window(s, since, until);
	m->st.events = s->n;
	m->st.skipped[SKIP_WINDOW] += before - s->n;
}

/* The files' SHA-256 for the case journal, read again: the journal states what was on disk
 * now, not what the cache remembers. A cache that remembers other bytes is stale (a file
 * rewritten with its size and times kept): -1. On one thread per CPU, files taken in turn. */
struct rehash {
	store *s;
	int hashed;
	atomic_size_t next;
	atomic_int failed;
	atomic_uint_least64_t bytes;
};

static void *rehash_run(void *arg)
{
	struct rehash *h = arg;
	sbuf b;
	sbuf_init(&b);
	for (;;) {
		size_t i = atomic_fetch_add(&h->next, 1);
		if (i >= h->s->nfiles || atomic_load(&h->failed))
			break;
		store_file *f = &h->s->files[i];
		unsigned char d[32];
		if (read_file_into(f->path, &b) < 0) {
			atomic_store(&h->failed, 1);
			break;
		}
		atomic_fetch_add(&h->bytes, b.len);
		sha256(b.s ? b.s : "", b.len, d);
		if (h->hashed && memcmp(d, f->sha256, 32))
			atomic_store(&h->failed, 1);
		memcpy(f->sha256, d, 32);
	}
	sbuf_free(&b);
	return NULL;
}

static int rehash(store *s, const cache_meta *m, int threads, uint64_t *bytes)
{
	struct rehash h = { .s = s, .hashed = m->hashed };
	atomic_init(&h.next, 0);
	atomic_init(&h.failed, 0);
	atomic_init(&h.bytes, 0);
	int nt = threads > 0 ? threads : cpu_count();
	nt = nt < 1 ? 1 : nt > 16 ? 16 : nt;
	pthread_t th[16];
	int started = 0;
	for (int t = 1; t < nt; t++)
		if (pthread_create(&th[started], NULL, rehash_run, &h) == 0)
			started++;
	rehash_run(&h);
	for (int t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	*bytes = atomic_load(&h.bytes);
	return atomic_load(&h.failed) ? -1 : 0;
}

/* Swap the loaded store into the caller's (empty) one. */
static void adopt(store *dst, store *src)
{
	store tmp = *dst;
	*dst = *src;
	*src = tmp;
}

/* Try the cache file: 1 hit (s filled), 0 miss. */
static int try_hit(const char *path, const sbuf *key, const walk_list *wl, store *s,
		   const ingest_opts *o, ingest_stats *st, FILE *note)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT && note)
			fprintf(note, "trailguide: cache %s: %s; ignored\n", path,
				errno == ELOOP ? "a symbolic link" : strerror(errno));
		return 0;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_uid != geteuid()) {
		if (note)
			fprintf(note, "trailguide: cache %s: not a regular file of ours; ignored\n",
				path);
		close(fd);
		return 0;
	}
	store *c = NULL;
	cache_meta m;
	char why[160];
	int rc = store_cache_read(fd, NULL, 0, key->s, key->len, &c, &m, why, sizeof why);
	if (rc < 0 && note)
		fprintf(note, "trailguide: cache %s: %s; ignored, loading the sources\n", path, why);
	int fit = rc == 0 ? window_fit(&m, o->since, o->until) : 0;
	if (fit == 1)
		trim(c, &m, o->since, o->until);
	uint64_t bytes = m.st.bytes_disk;
	if (fit && o->hash_files) {
		if (rehash(c, &m, o->threads, &bytes) < 0) {
			if (note)
				fprintf(note, "trailguide: cache %s: a file's bytes changed; ignored, "
					      "loading the sources\n", path);
			fit = 0;
		}
	}
	if (!fit) {
		store_free(&c);
		cache_meta_free(&m);
		close(fd);
		return 0;
	}
	futimens(fd, NULL); /* recently used: evicted last */
	close(fd);
	adopt(s, c);
	store_free(&c);
	*st = m.st;
	st->files_digest = st->files_digest - m.walk_digests + wl->digests;
	st->dirs_pruned = wl->pruned;
	st->bytes_disk = bytes;
	if (o->warn && m.warnlen)
		fwrite(m.warn, 1, m.warnlen, o->warn);
	cache_meta_free(&m);
	return 1;
}

/* After a miss: write the cache file when the load is worth it and its files did not
 * change while they were read. */
static void write_after(const char *dir, const char *path, const sbuf *key, const walk_list *wl,
			const store *s, const ingest_opts *o, const ingest_stats *st,
			const char *warn, size_t warnlen, FILE *note)
{
	if (!st->events || st->events < env_size("TRAILGUIDE_CACHE_MIN_EVENTS", DEFAULT_MIN_EVENTS) ||
	    s->nfiles != wl->n)
		return;
	for (size_t i = 0; i < wl->n; i++)
		if (strcmp(s->files[i].path, wl->paths[i]))
			return;
	sbuf again;
	sbuf_init(&again);
	int same = make_key(wl, &again) == 0 && again.len == key->len &&
		   !memcmp(again.s, key->s, key->len);
	sbuf_free(&again);
	if (!same)
		return; /* a file changed during the load */
	uint64_t max = env_size("TRAILGUIDE_CACHE_MAX", DEFAULT_MAX_BYTES);
	uint64_t guess = (uint64_t)s->n * (24 + 4 * COL_NFIXED);
	if (guess > max)
		return;
	cache_meta m;
	memset(&m, 0, sizeof m);
	m.since = o->since;
	m.until = o->until;
	m.st = *st;
	m.walk_digests = wl->digests;
	m.hashed = o->hash_files != 0;
	m.warn = (char *)warn;
	m.warnlen = warnlen;
	sbuf tmp;
	sbuf_init(&tmp);
	for (int k = 0; k < 100; k++) {
		sbuf_reset(&tmp);
		sbuf_addf(&tmp, "%s/.tmp-%ld-%d-%d.tgc-part", dir, (long)getpid(), k, rand());
		if (store_cache_write(tmp.s, s, &m, key->s, key->len) == 0) {
			if (rename(tmp.s, path) != 0) {
				if (note)
					fprintf(note, "trailguide: cache %s: %s; not cached\n", path,
						strerror(errno));
				unlink(tmp.s);
			}
			break;
		}
		if (errno != EEXIST) {
			if (note)
				fprintf(note, "trailguide: cache %s: %s; not cached\n", dir,
					strerror(errno));
			break;
		}
	}
	sbuf_free(&tmp);
	evict(dir, max);
}

int store_cache_ingest(store *s, char *const *paths, int npaths, const ingest_opts *o,
		       ingest_stats *st, int use, FILE *note, int *hit)
{
	*hit = 0;
	const char *env = getenv("TRAILGUIDE_CACHE");
	if (!use || (env && !strcmp(env, "0")) || s->n || s->nfiles)
		return ingest_paths(s, paths, npaths, o, st);
	double t0 = now_mono();
	walk_list wl;
	memset(&wl, 0, sizeof wl);
	for (int i = 0; i < npaths; i++)
		walk_add(&wl, paths[i], o->since, o->until, NULL);
	walk_finish(&wl);
	char *dir = NULL;
	sbuf key, path;
	sbuf_init(&key);
	sbuf_init(&path);
	int rc;
	if (wl.missing || !wl.n || spilled(&wl) || make_key(&wl, &key) < 0 ||
	    !(dir = store_cache_dir()) || private_dir(dir, note) < 0) {
		rc = ingest_paths(s, paths, npaths, o, st);
		goto out;
	}
	unsigned char d[32];
	char hex[65];
	sha256(key.s, key.len, d);
	sha256_hex(d, hex);
	sbuf_addf(&path, "%s/%.32s.tgc", dir, hex);
	if (try_hit(path.s, &key, &wl, s, o, st, note)) {
		*hit = 1;
		st->seconds = st->t_read = now_mono() - t0;
		if (o->progress) {
			ingest_progress p = { wl.n, wl.n, s->n, st->bytes_disk, st->seconds };
			o->progress(&p, o->progress_ud);
		}
		rc = 0;
		goto out;
	}
	/* a miss: the warnings are kept to be stored, and printed as they would have been */
	char *wbuf = NULL;
	size_t wlen = 0;
	ingest_opts io = *o;
	FILE *mem = open_memstream(&wbuf, &wlen);
	if (mem)
		io.warn = mem;
	rc = ingest_paths(s, paths, npaths, &io, st);
	if (mem) {
		fclose(mem);
		if (wlen && o->warn)
			fwrite(wbuf, 1, wlen, o->warn);
		if (rc == 0)
			write_after(dir, path.s, &key, &wl, s, o, st, wbuf, wlen, note);
	}
	free(wbuf);
out:
	walk_free(&wl);
	free(dir);
	sbuf_free(&key);
	sbuf_free(&path);
	return rc;
}

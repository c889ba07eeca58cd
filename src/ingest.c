/* ingest.c — read files in parallel, scan records, fill and merge per-thread stores. */
#include "ingest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "esc.h"
#include "gunzip.h"
#include "ingest_big.h"
#include "ingest_walk.h"
#include "jframe.h"
#include "sha256.h"
#include "tgtime.h"

const char *const skip_reason_name[SKIP_N] = {
	"malformed", "without a usable eventTime", "not an object", "too big", "outside the window",
};

/* At most this many warnings per file; the rest are counted in one closing line. */
#define WARN_PER_FILE 5

void ingest_opts_init(ingest_opts *o)
{
	memset(o, 0, sizeof *o);
	o->since = o->until = TG_TIME_NONE;
	o->warn = stderr;
}

/* Buffers a worker reuses from file to file, so that big allocations are made once. */
struct scratch {
	sbuf plain, view;
};

/* Per-file outcome, filled by whichever worker read it and printed in file order. */
struct file_out {
	sbuf warn;
	int nwarn, extra;
	int worker;
	size_t from, to; /* range in the worker's store */
	int bad;
};

struct shared {
	store *dst;
	const ingest_opts *o;
	struct file_out *out;
	size_t nfiles;
	int nthreads;
	atomic_size_t next, files_done, events;
	atomic_uint_least64_t bytes;
	ingest_big *big; /* big files read in chunks, or NULL */
};

struct worker {
	struct shared *sh;
	int id;
	store *local;
	ingest_stats st;
	struct scratch sc;
	sbuf file;
};

/* State for one buffer's walk. */
struct walkctx {
	store *s;
	uint32_t file;
	const char *name;
	const char *buf;
	const ingest_opts *o;
	ingest_stats *st;
	struct file_out *fo;
	int utf8_warned;
	int ts_warned;     /* the @timestamp warning was given for this buffer */
	sbuf tmp[JF_N];
	uint64_t base;     /* file offset of buf (a chunk of a big file) */
	chunk_warn *cw;    /* a chunk's warnings go here, tagged (ingest_big.c) */
	int tag_u, tag_t;  /* utf8_warned / ts_warned as last seen by fwarn */
};

static void chunk_fwarn(struct walkctx *c, size_t off, const char *fmt, va_list ap);

static void fwarn(struct walkctx *c, size_t off, const char *fmt, ...) TG_PRINTF(3, 4);
static void fwarn(struct walkctx *c, size_t off, const char *fmt, ...)
{
	struct file_out *fo = c->fo;
	c->st->warnings++;
	if (c->cw) {
		va_list ap;
		va_start(ap, fmt);
		chunk_fwarn(c, off, fmt, ap);
		va_end(ap);
		return;
	}
	if (fo->nwarn >= WARN_PER_FILE) {
		fo->extra++;
		return;
	}
	fo->nwarn++;
	sbuf_addf(&fo->warn, "trailguide: warning: ");
	esc_term(&fo->warn, c->name, strlen(c->name));
	sbuf_addf(&fo->warn, ": byte %zu: ", off);
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&fo->warn, fmt, ap);
	va_end(ap);
	sbuf_addc(&fo->warn, '\n');
}

/* The text of span f[k] (decoded if it holds escapes), or NULL when absent or empty. */
static const char *span_str(struct walkctx *c, const char *rec, const jspan *f, int k,
			    size_t *len)
{
	const jspan *s = &f[k];
	if (s->kind == JK_ABSENT || s->kind == JK_NULL)
		return NULL;
	if (s->kind == JK_STRING && !s->esc) {
		*len = s->len;
		return rec + s->off;
	}
	sbuf *t = &c->tmp[k];
	sbuf_reset(t);
	jscan_text(rec, s, t);
	*len = t->len;
	return t->s ? t->s : "";
}

static void on_error(void *ud, size_t off, const char *reason)
{
	struct walkctx *c = ud;
	c->st->records++;
	c->st->skipped[strstr(reason, "not an object") ? SKIP_NOTOBJECT : SKIP_MALFORMED]++;
	fwarn(c, off, "%s", reason);
}

static int on_record(void *ud, size_t off, size_t len, const jspan f[JF_N], int bad_utf8)
{
	struct walkctx *c = ud;
	const char *rec = c->buf + off;
	c->st->records++;
	if (len > UINT32_MAX) {
		c->st->skipped[SKIP_TOOBIG]++;
		fwarn(c, off, "record of %zu bytes is over 4 GiB; skipped", len);
		return 0;
	}
	size_t tl = 0;
	const char *ts = span_str(c, rec, f, JF_EVENTTIME, &tl);
	int64_t t;
	if (!ts) { /* a Logstash export drops eventTime and keeps @timestamp */
		size_t al = 0;
		const char *as = span_str(c, rec, f, JF_TIMESTAMP, &al);
		if (as && al && tgtime_parse(as, al, &t) == 0) {
			c->st->timestamped++;
			if (!c->ts_warned) {
				c->ts_warned = 1;
				fwarn(c, off, "record has no eventTime; its time is taken from @timestamp "
					      "(a Logstash export?), here and in the rest of the file");
			}
			goto timed;
		}
	}
	if (!ts || tgtime_parse(ts, tl, &t) < 0) {
		c->st->skipped[SKIP_NOTIME]++;
		fwarn(c, off, ts ? "record has an eventTime that is not a time; skipped"
			     : "record has no eventTime; skipped");
		return 0;
	}
timed:
	if ((c->o->since != TG_TIME_NONE && t < c->o->since) ||
	    (c->o->until != TG_TIME_NONE && t > c->o->until)) {
		c->st->skipped[SKIP_WINDOW]++;
		return 0;
	}
	if (bad_utf8 && !c->utf8_warned) {
		c->utf8_warned = 1;
		fwarn(c, off, "record holds invalid UTF-8; kept, and shown escaped");
	}
	static const int map[COL_NFIXED] = {
		[COL_EVENT] = JF_EVENTNAME,   [COL_SOURCE] = JF_EVENTSOURCE,
		[COL_REGION] = JF_AWSREGION,  [COL_IP] = JF_SOURCEIP,
		[COL_UA] = JF_USERAGENT,      [COL_ERROR] = JF_ERRORCODE,
		[COL_PRINCIPAL] = JF_UI_ARN,  [COL_TYPE] = JF_UI_TYPE,
		[COL_KEY] = JF_UI_ACCESSKEY,  [COL_ACCOUNT] = JF_RECIPIENT,
		[COL_ISSUER] = JF_ISSUER_ARN, [COL_EVENTID] = JF_EVENTID,
		[COL_READONLY] = JF_READONLY,
	};
	const char *strs[COL_NFIXED];
	size_t lens[COL_NFIXED];
	for (int k = 0; k < COL_NFIXED; k++) {
		lens[k] = 0;
		strs[k] = span_str(c, rec, f, map[k], &lens[k]);
		if (strs[k] && !lens[k])
			strs[k] = NULL; /* "" is as good as absent (accessKeyId is often "") */
	}
	if (!strs[COL_PRINCIPAL]) {
		/* an AWS service acting (type AWSService, or no type at all, as in events a
		 * service makes on its own: userIdentity holds only invokedBy) is named by
		 * invokedBy */
		int svc = strs[COL_TYPE] && lens[COL_TYPE] == 10 &&
			  memcmp(strs[COL_TYPE], "AWSService", 10) == 0;
		int alt = svc || !strs[COL_TYPE] ? JF_UI_INVOKEDBY : JF_UI_PRINCIPALID;
		strs[COL_PRINCIPAL] = span_str(c, rec, f, alt, &lens[COL_PRINCIPAL]);
		if ((!strs[COL_PRINCIPAL] || !lens[COL_PRINCIPAL]) && !svc && alt == JF_UI_INVOKEDBY)
			strs[COL_PRINCIPAL] = span_str(c, rec, f, JF_UI_PRINCIPALID, &lens[COL_PRINCIPAL]);
		if (!strs[COL_PRINCIPAL] || !lens[COL_PRINCIPAL])
			strs[COL_PRINCIPAL] = span_str(c, rec, f, JF_UI_ACCOUNTID, &lens[COL_PRINCIPAL]);
		if (strs[COL_PRINCIPAL] && !lens[COL_PRINCIPAL])
			strs[COL_PRINCIPAL] = NULL;
	}
	if (!strs[COL_ACCOUNT]) {
		strs[COL_ACCOUNT] = span_str(c, rec, f, JF_UI_ACCOUNTID, &lens[COL_ACCOUNT]);
		if (strs[COL_ACCOUNT] && !lens[COL_ACCOUNT])
			strs[COL_ACCOUNT] = NULL;
	}
	/* Duplicate eventIDs are dropped when the workers' stores are merged. */
	store_add(c->s, t, strs, lens, c->file, c->base + off, (uint32_t)len);
	c->st->events++;
	return 0;
}

static void ingest_buffer_with(store *s, uint32_t file, const char *name, const char *data,
			       size_t len, const ingest_opts *o, ingest_stats *st, store_file *meta,
			       struct scratch *sc);

void ingest_buffer(store *s, uint32_t file, const char *name, const char *data, size_t len,
		   const ingest_opts *o, ingest_stats *st, store_file *meta)
{
	struct scratch sc;
	sbuf_init(&sc.plain);
	sbuf_init(&sc.view);
	ingest_buffer_with(s, file, name, data, len, o, st, meta, &sc);
	sbuf_free(&sc.plain);
	sbuf_free(&sc.view);
}

static void ingest_buffer_with(store *s, uint32_t file, const char *name, const char *data,
			       size_t len, const ingest_opts *o, ingest_stats *st, store_file *meta,
			       struct scratch *sc)
{
	struct file_out fo;
	memset(&fo, 0, sizeof fo);
	struct walkctx c = { .s = s, .file = file, .name = name, .o = o, .st = st, .fo = &fo };
	sbuf *plain = &sc->plain, *view = &sc->view;
	sbuf_reset(plain);
	sbuf_reset(view);
	const char *buf = data;
	size_t n = len;
	int gz = gunzip_is_gz(data, len);
	if (gz) {
		size_t bad;
		const char *why;
		int gr = gunzip(data, len, gunzip_limit(), plain, &bad, &why);
		if (gr == GUNZIP_TOO_BIG) {
			fwarn(&c, 0, "inflates to more than %zu MB (a gzip bomb, or set "
				     "TRAILGUIDE_MAX_INFLATE higher); skipped", gunzip_limit() >> 20);
			sbuf_reset(plain);
			fo.bad = 1;
		} else if (gr < 0) {
			fwarn(&c, bad, "%s (compressed offset; %zu bytes recovered and read)", why,
			      plain->len);
			fo.bad = 1;
		}
		buf = plain->s ? plain->s : "";
		n = plain->len;
	}
	enum jformat fmt = jframe_detect(buf, n);
	if (meta) {
		meta->fmt = fmt;
		meta->gz = gz;
	}
	switch (fmt) {
	case JFMT_UNKNOWN:
		fwarn(&c, 0, "not CloudTrail (no Records, Events or event objects found); skipped");
		fo.bad = 1;
		break;
	case JFMT_EMPTY:
		fwarn(&c, 0, "empty file");
		break;
	case JFMT_DIGEST:
		st->files_digest++;
		break;
	case JFMT_LOOKUP: {
		jscan_err e;
		if (jframe_lookup_view(buf, n, view, &e) < 0) {
			fwarn(&c, e.off, "%s", e.reason);
			fo.bad = 1;
		}
		c.buf = view->s ? view->s : "";
		jframe_walk(c.buf, view->len, JFMT_NDJSON, on_record, on_error, &c);
		break;
	}
	default:
		c.buf = buf;
		jframe_walk(buf, n, fmt, on_record, on_error, &c);
		break;
	}
	if (fo.bad)
		st->files_bad++;
	st->bytes_json += n;
	if (fo.extra)
		sbuf_addf(&fo.warn, "trailguide: warning: %s: %d more problems in this file\n", name,
			  fo.extra);
	if (o->warn && fo.warn.len)
		fwrite(fo.warn.s, 1, fo.warn.len, o->warn);
	sbuf_free(&fo.warn);
	for (int k = 0; k < JF_N; k++)
		sbuf_free(&c.tmp[k]);
}

/* A chunk's warning: kept tagged and unlimited up to CHUNK_WARN_KEEP lines; the merge
 * drops repeated once-a-file warnings and applies WARN_PER_FILE over the whole file. */
static void chunk_fwarn(struct walkctx *c, size_t off, const char *fmt, va_list ap)
{
	chunk_warn *cw = c->cw;
	char tag = 'W';
	if (c->utf8_warned != c->tag_u)
		c->tag_u = c->utf8_warned, tag = 'U';
	else if (c->ts_warned != c->tag_t)
		c->tag_t = c->ts_warned, tag = 'T';
	if (cw->nlines >= CHUNK_WARN_KEEP) {
		cw->extra++;
		cw->extra_u += tag == 'U';
		cw->extra_t += tag == 'T';
		return;
	}
	cw->nlines++;
	sbuf_addc(&cw->text, tag);
	sbuf_addf(&cw->text, "trailguide: warning: ");
	esc_term(&cw->text, c->name, strlen(c->name));
	sbuf_addf(&cw->text, ": byte %llu: ", (unsigned long long)(c->base + off));
	sbuf_vaddf(&cw->text, fmt, ap);
	sbuf_addc(&cw->text, '\n');
}

int ingest_walk_chunk(store *s, uint32_t file, const char *name, const char *win, size_t winlen,
		      uint64_t base, uint64_t filelen, enum jformat fmt, jframe_state *js,
		      uint64_t stop, int clean, const ingest_opts *o, ingest_stats *st,
		      chunk_warn *cw)
{
	struct file_out fo;
	memset(&fo, 0, sizeof fo);
	struct walkctx c = { .s = s, .file = file, .name = name, .buf = win, .o = o, .st = st,
			     .fo = &fo, .base = base, .cw = cw };
	int r = jframe_walk_chunk(win, winlen, base, filelen, fmt, js, stop, clean, on_record,
				  on_error, &c);
	for (int k = 0; k < JF_N; k++)
		sbuf_free(&c.tmp[k]);
	return r;
}

/* After a worker's first file: room for the events its share of the files will hold if
 * they are like that one, so the columns are not grown by doubling (each step faulted in
 * fresh pages and copied). Only a guess: the arrays still grow when it is short. */
static void reserve_guess(store *s, size_t per_file, size_t nfiles, int nthreads)
{
	size_t share = nfiles / (size_t)(nthreads > 0 ? nthreads : 1) + 1;
	if (per_file > ((size_t)64 << 20) / share)
		return; /* a guess past 64M events is no guess */
	size_t want = per_file * share + per_file * share / 8;
	if (want > s->cap)
		store_reserve(s, want);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	ingest_opts o = *sh->o;
	size_t ev;
	uint64_t by;
	int done;
	/* chunks of big files first (ingest_big.c), then whole files */
	while (sh->big && ingest_big_work(sh->big, w->local, &o, &w->file, &ev, &by, &done)) {
		atomic_fetch_add(&sh->events, ev);
		atomic_fetch_add(&sh->bytes, by);
		atomic_fetch_add(&sh->files_done, (size_t)done);
	}
	for (;;) {
		size_t f = atomic_fetch_add(&sh->next, 1);
		if (f >= sh->nfiles)
			break;
		if (sh->big && ingest_big_owns(sh->big, f))
			continue;
		store_file *sf = &sh->dst->files[f];
		struct file_out *fo = &sh->out[f];
		fo->worker = w->id;
		fo->from = w->local->n;
		/* size and mtime (store_file_view checks them) come from the open file: each
		 * worker stats its own files instead of the main thread walking them first */
		struct stat sb;
		memset(&sb, 0, sizeof sb);
		int rr = read_file_into_st(sf->path, &w->file, &sb);
		if (rr < 0 && !sb.st_ino && stat(sf->path, &sb) < 0) /* not opened */
			memset(&sb, 0, sizeof sb);
		sf->size = (uint64_t)sb.st_size;
		sf->mtime = (int64_t)sb.st_mtime;
		if (rr < 0) {
			sbuf_addf(&fo->warn, "trailguide: warning: %s: %m; skipped\n", sf->path);
			w->st.files_bad++;
			w->st.warnings++;
		} else {
			const char *data = w->file.s;
			size_t len = w->file.len;
			if (o.hash_files)
				sha256(data, len, sf->sha256);
			w->st.bytes_disk += len;
			/* Warnings are collected per file and printed in file order later. */
			FILE *mem = NULL;
			char *mbuf = NULL;
			size_t mlen = 0;
			if (o.warn)
				mem = open_memstream(&mbuf, &mlen);
			o.warn = mem;
			size_t before = w->st.events;
			ingest_buffer_with(w->local, (uint32_t)f, sf->path, data, len, &o, &w->st, sf,
					   &w->sc);
			if (mem) {
				fclose(mem);
				sbuf_add(&fo->warn, mbuf, mlen);
				free(mbuf);
			}
			sf->events = w->st.events - before;
			atomic_fetch_add(&sh->events, sf->events);
			atomic_fetch_add(&sh->bytes, len);
		}
		w->st.files++;
		fo->to = w->local->n;
		if (w->st.files == 1 && fo->to > fo->from)
			reserve_guess(w->local, fo->to - fo->from, sh->nfiles, sh->nthreads);
		atomic_fetch_add(&sh->files_done, 1);
	}
	return NULL;
}

static void stats_add(ingest_stats *a, const ingest_stats *b)
{
	a->files += b->files;
	a->files_bad += b->files_bad;
	a->files_digest += b->files_digest;
	a->records += b->records;
	a->events += b->events;
	a->duplicates += b->duplicates;
	a->timestamped += b->timestamped;
	for (int k = 0; k < SKIP_N; k++)
		a->skipped[k] += b->skipped[k];
	a->warnings += b->warnings;
	a->bytes_disk += b->bytes_disk;
	a->bytes_json += b->bytes_json;
}

int ingest_paths(store *s, char *const *paths, int npaths, const ingest_opts *o,
		 ingest_stats *st)
{
	double t0 = now_mono();
	memset(st, 0, sizeof *st);
	walk_list wl;
	memset(&wl, 0, sizeof wl);
	for (int i = 0; i < npaths; i++)
		walk_add(&wl, paths[i], o->since, o->until, o->warn);
	walk_finish(&wl);
	st->dirs_pruned = wl.pruned;
	st->files_digest = wl.digests;

	size_t base = s->nfiles, n_before = s->n;
	for (size_t i = 0; i < wl.n; i++) {
		store_file f;
		memset(&f, 0, sizeof f);
		f.path = wl.paths[i]; /* size and mtime: set by the worker that reads it */
		store_add_file(s, &f);
	}
	struct shared sh = { .dst = s, .o = o, .nfiles = s->nfiles };
	atomic_init(&sh.next, base);
	atomic_init(&sh.files_done, 0);
	atomic_init(&sh.events, 0);
	atomic_init(&sh.bytes, 0);
	sh.out = xcalloc(s->nfiles ? s->nfiles : 1, sizeof *sh.out);
	sh.big = ingest_big_plan(s, base, o);
	int nt = o->threads > 0 ? o->threads : cpu_count();
	if ((size_t)nt > wl.n && !sh.big)
		nt = wl.n ? (int)wl.n : 1;
	sh.nthreads = nt;
	struct worker *ws = xcalloc((size_t)nt, sizeof *ws);
	pthread_t *th = xcalloc((size_t)nt, sizeof *th);
	for (int t = 0; t < nt; t++) {
		ws[t] = (struct worker){ .sh = &sh, .id = t, .local = store_new() };
		if (pthread_create(&th[t], NULL, worker_main, &ws[t]) != 0)
			worker_main(&ws[t]), th[t] = 0;
	}
	while (o->progress && atomic_load(&sh.files_done) < wl.n) {
		ingest_progress p = { atomic_load(&sh.files_done), wl.n, atomic_load(&sh.events),
				      atomic_load(&sh.bytes), now_mono() - t0 };
		o->progress(&p, o->progress_ud);
		struct timespec ts = { 0, 100 * 1000000L };
		nanosleep(&ts, NULL);
	}
	for (int t = 0; t < nt; t++)
		if (th[t])
			pthread_join(th[t], NULL);

	double t_workers = now_mono();
	/* Merge in file order: deterministic duplicate choice and tie order for the sort. */
	size_t pcap = s->nfiles - base + 1;
	store_piece *pieces = xcalloc(pcap, sizeof *pieces);
	size_t np = 0;
	for (size_t f = base; f < s->nfiles; f++) {
		struct file_out *fo = &sh.out[f];
		if (sh.big && ingest_big_owns(sh.big, f)) {
			ingest_big_merge(sh.big, s, f, &pieces, &np, &pcap, o, st);
			continue;
		}
		if (o->warn && fo->warn.len)
			fwrite(fo->warn.s, 1, fo->warn.len, o->warn);
		sbuf_free(&fo->warn);
		if (fo->to > fo->from) {
			pieces[np++] = (store_piece){ ws[fo->worker].local, fo->from, fo->to };
		}
	}
	for (int t = 0; t < nt; t++) {
		sbuf_free(&ws[t].sc.plain);
		sbuf_free(&ws[t].sc.view);
		sbuf_free(&ws[t].file);
	}
	/* Merge and sort in one pass (store_merge.c); the eventID strings change hands. */
	size_t nbig = ingest_big_stores(sh.big, NULL); /* its serial walks' stores */
	store **locals = xcalloc((size_t)nt + nbig, sizeof *locals);
	for (int t = 0; t < nt; t++)
		locals[t] = ws[t].local;
	ingest_big_stores(sh.big, locals + nt);
	double t_sort = 0;
	size_t dups = store_append_sort(s, pieces, np, locals, (size_t)nt + nbig,
					o->threads > 0 ? o->threads : cpu_count(), &t_sort);
	free(locals);
	free(pieces);
	for (int t = 0; t < nt; t++) {
		stats_add(st, &ws[t].st);
		store_free(&ws[t].local);
	}
	st->files_chunked = ingest_big_files(sh.big);
	ingest_big_free(&sh.big);
	free(ws);
	free(th);
	free(sh.out);
	st->duplicates = dups;
	st->events = s->n - n_before;
	st->t_read = t_workers - t0;
	st->t_sort = t_sort;
	st->t_merge = now_mono() - t_workers - t_sort;
	if (o->progress) {
		ingest_progress p = { wl.n, wl.n, s->n, st->bytes_disk, now_mono() - t0 };
		o->progress(&p, o->progress_ud);
	}
	int rc = wl.missing ? -1 : 0;
	walk_free(&wl);
	st->seconds = now_mono() - t0;
	return rc;
}

static void commas(sbuf *b, size_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "%zu", v);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			sbuf_addc(b, ',');
		sbuf_addc(b, tmp[i]);
	}
}

void ingest_summary(const ingest_stats *st, sbuf *out)
{
	commas(out, st->events);
	sbuf_adds(out, st->events == 1 ? " event from " : " events from ");
	commas(out, st->files);
	sbuf_adds(out, st->files == 1 ? " file" : " files");
	int paren = 0;
#define SEP() sbuf_adds(out, paren++ ? "; " : " (")
	if (st->duplicates) {
		SEP();
		commas(out, st->duplicates);
		sbuf_adds(out, " duplicates dropped");
	}
	size_t bad = 0;
	for (int k = 0; k < SKIP_N; k++)
		if (k != SKIP_WINDOW)
			bad += st->skipped[k];
	if (bad) {
		SEP();
		commas(out, bad);
		sbuf_adds(out, bad == 1 ? " record skipped:" : " records skipped:");
		int first = 1;
		for (int k = 0; k < SKIP_N; k++) {
			if (k == SKIP_WINDOW || !st->skipped[k])
				continue;
			sbuf_adds(out, first ? " " : ", ");
			first = 0;
			commas(out, st->skipped[k]);
			sbuf_addc(out, ' ');
			sbuf_adds(out, skip_reason_name[k]);
		}
	}
	if (st->timestamped) {
		SEP();
		commas(out, st->timestamped);
		sbuf_adds(out, " timed by @timestamp: no eventTime");
	}
	if (st->files_bad) {
		SEP();
		commas(out, st->files_bad);
		sbuf_adds(out, st->files_bad == 1 ? " file with problems" : " files with problems");
	}
	if (st->skipped[SKIP_WINDOW]) {
		SEP();
		commas(out, st->skipped[SKIP_WINDOW]);
		sbuf_adds(out, " outside the window");
	}
	if (st->dirs_pruned) {
		SEP();
		commas(out, st->dirs_pruned);
		sbuf_adds(out, " date folders pruned");
	}
	if (st->files_digest) {
		SEP();
		commas(out, st->files_digest);
		sbuf_adds(out, " digest files passed over");
	}
#undef SEP
	if (paren)
		sbuf_addc(out, ')');
}

/* ingest_big.c — one big plain file read as ~4 MB chunks by the parallel ingest workers.
 *
 * Plan: each big file's first bytes say its format (jframe_detect_prefix); it is cut at
 * every CHUNK bytes, each cut moved to the next likely record start (NDJSON: a '{' that
 * begins a line; an array: a '{' after "}," that opens a key). A cut is only a guess: a
 * '{' at a line start may sit inside a pretty-printed record, and "},{\"" can occur in a
 * key. Work: a worker preads its chunk (plus a little past its end) and walks it in clean
 * mode from its cut to the next one; chunk 0 is walked from the file's start, in full.
 * Merge, in file order: a chunk is taken when the walk so far stopped exactly at its cut
 * (then the cut was a record start of the whole-file walk, and walking on from there
 * gives what the whole walk gives); what it could not take (a damaged record, whose
 * warning needs the record number; a wrong cut) is walked serially here from the true
 * state, with a window that doubles while the walk runs out of bytes. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include "ingest_big.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"
#include "gunzip.h"
#include "sha256.h"

#define CHUNK_DEFAULT ((size_t)4 << 20)
#define PAST_CUT 4096            /* bytes read past a chunk's end: the next cut's '{' */
#define PREFIX ((size_t)1 << 20) /* bytes read to detect the format */
#define NONE UINT64_MAX
#define WARN_PER_FILE 5          /* as ingest.c */

struct chunk {
	size_t bf;               /* its file in b->files */
	uint64_t target;         /* where the cut is looked for */
	uint64_t start, stop;    /* its first record; the next chunk's (NONE: the end) */
	jframe_state in, out;
	int status;              /* enum jwalk, or -1: empty (no cut found) */
	store *src;              /* the worker store its events went to */
	size_t from, to;
	ingest_stats st;
	chunk_warn cw;
};

struct big_file {
	size_t file;             /* index in the store's files */
	const char *path;
	uint64_t size;
	enum jformat fmt;
	int fd;
	char key[72];            /* arrays: the first record's first key, quoted ("" unknown) */
	size_t first, n;         /* its chunks */
	atomic_size_t left;      /* chunks not walked yet */
};

struct ingest_big {
	struct big_file *files;
	size_t nfiles;
	struct chunk *ch;
	size_t nch;
	size_t chunk;            /* bytes per chunk */
	atomic_size_t next;
	int hash;                /* work items 0..nfiles-1 hash the files (the journal) */
	store *s;
	store **redo;            /* stores of the serial walks, freed at the end */
	size_t nredo;
};

uint64_t ingest_big_threshold(void)
{
	return store_big_threshold();
}

/* Read up to len bytes at off; the count read (short at the end, or on an error). */
static size_t pread_all(int fd, char *dst, size_t len, uint64_t off)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = pread(fd, dst + got, len - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* Read [off, off+len) of the file into buf (reset); the count read. */
static size_t read_window(const struct big_file *f, sbuf *buf, uint64_t off, size_t len)
{
	sbuf_reset(buf);
	if (off >= f->size)
		len = 0;
	else if (len > f->size - off)
		len = (size_t)(f->size - off);
	xgrow((void **)&buf->s, &buf->cap, len + 1, 1);
	buf->len = pread_all(f->fd, buf->s, len, off);
	buf->s[buf->len] = 0;
	return buf->len;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A likely record start at b[i] ('{'): NDJSON, first on its line; an array, after "},"
 * and before a key. */
static int likely_start(const char *b, size_t n, size_t i, enum jformat fmt, const char *key)
{
	size_t j = i;
	if (fmt == JFMT_NDJSON) {
		while (j > 0 && (b[j - 1] == ' ' || b[j - 1] == '\t' || b[j - 1] == '\r'))
			j--;
		return j > 0 && b[j - 1] == '\n';
	}
	while (j > 0 && is_ws(b[j - 1]))
		j--;
	if (j == 0 || b[--j] != ',')
		return 0;
	while (j > 0 && is_ws(b[j - 1]))
		j--;
	if (j == 0 || b[j - 1] != '}')
		return 0;
	size_t k = i + 1, kl = strlen(key);
	while (k < n && is_ws(b[k]))
		k++;
	if (kl) /* an object in a record's array ("resources") is not a record */
		return n - k >= kl && memcmp(b + k, key, kl) == 0;
	return k < n && b[k] == '"';
}

/* The first key of the first record of an array in b[0..n) (quoted, as in the file), or
 * "" when the prefix does not show it plainly. */
static void first_key(const char *b, size_t n, enum jformat fmt, char *key, size_t keyn)
{
	key[0] = 0;
	const char *rk = fmt == JFMT_RECORDS ? memmem(b, n, "\"Records\"", 9) : b;
	if (!rk)
		return;
	const char *sq = memchr(rk, '[', n - (size_t)(rk - b));
	if (!sq)
		return;
	size_t i = (size_t)(sq - b) + 1;
	while (i < n && is_ws(b[i]))
		i++;
	if (i >= n || b[i] != '{')
		return;
	i++;
	while (i < n && is_ws(b[i]))
		i++;
	if (i >= n || b[i] != '"')
		return;
	size_t j = i + 1;
	while (j < n && j - i < keyn - 2 && b[j] != '"' && b[j] != '\\' && (unsigned char)b[j] >= 0x20)
		j++;
	if (j >= n || b[j] != '"' || j - i + 1 >= keyn)
		return;
	memcpy(key, b + i, j - i + 1);
	key[j - i + 1] = 0;
}

/* The first likely record start in [target, target + chunk) of f, or NONE. */
static uint64_t find_cut(const struct big_file *f, uint64_t target, size_t chunk, sbuf *tmp)
{
	enum { BLOCK = 1 << 16, BACK = 256 };
	for (uint64_t at = target; at < target + chunk && at < f->size; at += BLOCK) {
		uint64_t from = at >= BACK ? at - BACK : 0;
		size_t n = read_window(f, tmp, from, (size_t)(at - from) + BLOCK + BACK);
		size_t i = (size_t)(at - from);
		while (i < n) {
			const char *h = memchr(tmp->s + i, '{', n - i);
			if (!h)
				break;
			i = (size_t)(h - tmp->s);
			if (from + i >= target + chunk || i >= (size_t)(at - from) + BLOCK)
				break;
			if (likely_start(tmp->s, n, i, f->fmt, f->key))
				return from + i;
			i++;
		}
	}
	return NONE;
}

ingest_big *ingest_big_plan(store *s, size_t base, const ingest_opts *o)
{
	uint64_t thr = ingest_big_threshold();
	size_t chunk = (size_t)store_env_bytes("TRAILGUIDE_BIG_CHUNK", CHUNK_DEFAULT);
	if (chunk < 256)
		chunk = 256;
	ingest_big *b = NULL;
	sbuf tmp;
	sbuf_init(&tmp);
	for (size_t f = base; f < s->nfiles; f++) {
		store_file *sf = &s->files[f];
		struct stat sb; /* the size is not known yet: workers stat the files they read */
		if (stat(sf->path, &sb) < 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size < thr ||
		    (uint64_t)sb.st_size <= chunk)
			continue;
		int fd = open(sf->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &sb) < 0) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		sf->size = (uint64_t)sb.st_size;
		sf->mtime = (int64_t)sb.st_mtime;
		struct big_file bf = { .file = f, .path = sf->path, .size = sf->size, .fd = fd };
		size_t n = read_window(&bf, &tmp, 0, PREFIX);
		bf.fmt = gunzip_is_gz(tmp.s, n) ? JFMT_UNKNOWN : jframe_detect_prefix(tmp.s, n);
		if (bf.fmt != JFMT_NDJSON && bf.fmt != JFMT_RECORDS && bf.fmt != JFMT_ARRAY) {
			close(fd);
			continue;
		}
		if (bf.fmt != JFMT_NDJSON)
			first_key(tmp.s, n, bf.fmt, bf.key, sizeof bf.key);
		/* a key that cuts nothing where a cut is due is not the records' key */
		if (bf.key[0] && find_cut(&bf, chunk, chunk, &tmp) == NONE)
			bf.key[0] = 0;
		if (!b) {
			b = xcalloc(1, sizeof *b);
			b->chunk = chunk;
			b->hash = o->hash_files;
			b->s = s;
			atomic_init(&b->next, 0);
		}
		bf.first = b->nch;
		bf.n = (size_t)((bf.size + chunk - 1) / chunk);
		b->files = xrealloc(b->files, (b->nfiles + 1) * sizeof *b->files);
		b->files[b->nfiles] = bf;
		atomic_init(&b->files[b->nfiles].left, bf.n + (o->hash_files ? 1 : 0));
		b->ch = xrealloc(b->ch, (b->nch + bf.n) * sizeof *b->ch);
		for (size_t k = 0; k < bf.n; k++) {
			struct chunk *c = &b->ch[b->nch + k];
			memset(c, 0, sizeof *c);
			c->bf = b->nfiles;
			c->target = (uint64_t)k * chunk;
		}
		b->nch += bf.n;
		b->nfiles++;
	}
	sbuf_free(&tmp);
	return b;
}

size_t ingest_big_files(const ingest_big *b)
{
	return b ? b->nfiles : 0;
}

static struct big_file *file_of(const ingest_big *b, size_t f)
{
	for (size_t i = 0; b && i < b->nfiles; i++)
		if (b->files[i].file == f)
			return &b->files[i];
	return NULL;
}

int ingest_big_owns(const ingest_big *b, size_t f)
{
	return file_of(b, f) != NULL;
}

int ingest_big_work(ingest_big *b, store *local, const ingest_opts *o, sbuf *buf,
		    size_t *events, uint64_t *bytes, int *file_done)
{
	size_t k = atomic_fetch_add(&b->next, 1);
	size_t nhash = b->hash ? b->nfiles : 0;
	*events = 0;
	*bytes = 0;
	if (k < nhash) { /* the file's SHA-256 for the journal, beside its chunks */
		struct big_file *f = &b->files[k];
		if (sha256_fd(f->fd, f->size, b->s->files[f->file].sha256) < 0)
			memset(b->s->files[f->file].sha256, 0, 32);
		*file_done = atomic_fetch_sub(&f->left, 1) == 1;
		return 1;
	}
	k -= nhash;
	if (k >= b->nch)
		return 0;
	struct chunk *c = &b->ch[k];
	struct big_file *f = &b->files[c->bf];
	size_t last = f->first + f->n - 1;
	/* this chunk's cut, and the next chunk's that has one */
	c->start = k == f->first ? 0 : find_cut(f, c->target, b->chunk, buf);
	c->stop = NONE;
	for (size_t j = k + 1; c->start != NONE && j <= last && c->stop == NONE; j++)
		c->stop = find_cut(f, b->ch[j].target, b->chunk, buf);
	c->src = local;
	c->from = c->to = local->n;
	if (c->start == NONE) {
		c->status = -1;
	} else {
		uint64_t end = c->stop == NONE ? f->size : c->stop + PAST_CUT;
		size_t n = read_window(f, buf, c->start, (size_t)(end - c->start));
		if (k == f->first) {
			jframe_state_init(&c->in, f->size);
		} else {
			memset(&c->in, 0, sizeof c->in);
			c->in.phase = f->fmt == JFMT_NDJSON ? JPH_NDJSON : JPH_ARRAY;
			c->in.pos = c->start;
		}
		c->out = c->in;
		/* a short read (the file shrank) is taken as the file's end */
		uint64_t flen = n < end - c->start ? c->start + n : f->size;
		c->status = ingest_walk_chunk(local, (uint32_t)f->file, f->path, buf->s, n, c->start,
					      flen, f->fmt, &c->out, c->stop, k != f->first, o,
					      &c->st, &c->cw);
		c->to = local->n;
		*events = c->st.events;
		*bytes = (c->stop == NONE ? f->size : c->stop) - c->start;
	}
	*file_done = atomic_fetch_sub(&f->left, 1) == 1;
	return 1;
}

/* The pieces list grows. */
static void add_piece(store_piece **pieces, size_t *np, size_t *cap, const store *src,
		      size_t from, size_t to)
{
	if (to <= from)
		return;
	if (*np == *cap) {
		*cap = *cap * 2 + 8;
		*pieces = xrealloc(*pieces, *cap * sizeof **pieces);
	}
	(*pieces)[(*np)++] = (store_piece){ src, from, to };
}

/* Per file, while merging: the once-a-file warnings seen, lines printed, the rest. */
struct wsum {
	sbuf out;
	int seen_u, seen_t, printed, extra;
	size_t dropped; /* repeated once-a-file warnings: not warnings of the whole file */
};

static void take_warnings(struct wsum *ws, const chunk_warn *cw)
{
	const char *p = cw->text.s, *e = p ? p + cw->text.len : NULL;
	while (p && p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t l = nl ? (size_t)(nl - p) + 1 : (size_t)(e - p);
		char tag = *p;
		int skip = (tag == 'U' && ws->seen_u) || (tag == 'T' && ws->seen_t);
		ws->seen_u |= tag == 'U';
		ws->seen_t |= tag == 'T';
		if (skip)
			ws->dropped++;
		else if (ws->printed < WARN_PER_FILE) {
			ws->printed++;
			sbuf_add(&ws->out, p + 1, l - 1);
		} else
			ws->extra++;
		p += l;
	}
	/* Lines past a chunk's CHUNK_WARN_KEEP are past the file's first WARN_PER_FILE (a
	 * chunk drops at most two of its lines as repeats): counted, unless a repeat. A chunk
	 * gives each once-a-file warning at most once. */
	int drop = (cw->extra_u && ws->seen_u) + (cw->extra_t && ws->seen_t);
	ws->seen_u |= cw->extra_u > 0;
	ws->seen_t |= cw->extra_t > 0;
	ws->extra += cw->extra - drop;
	ws->dropped += (size_t)drop;
}

static void stats_add_walk(ingest_stats *a, const ingest_stats *b)
{
	a->records += b->records;
	a->events += b->events;
	a->timestamped += b->timestamped;
	for (int k = 0; k < SKIP_N; k++)
		a->skipped[k] += b->skipped[k];
	a->warnings += b->warnings;
}

/* Walk f serially from *T to stop, into a store of b's; the pieces and warnings taken. */
static void walk_serial(ingest_big *b, struct big_file *f, jframe_state *T, uint64_t stop,
			store_piece **pieces, size_t *np, size_t *cap, const ingest_opts *o,
			ingest_stats *fst, struct wsum *ws)
{
	sbuf buf;
	sbuf_init(&buf);
	size_t want = (stop == NONE || stop <= T->pos ? 0 : (size_t)(stop - T->pos)) + b->chunk;
	for (;;) {
		store *s = store_new();
		chunk_warn cw;
		ingest_stats st;
		memset(&cw, 0, sizeof cw);
		memset(&st, 0, sizeof st);
		jframe_state js = *T;
		size_t n = read_window(f, &buf, T->pos, want);
		uint64_t flen = n < want ? T->pos + n : f->size;
		int r = ingest_walk_chunk(s, (uint32_t)f->file, f->path, buf.s, n, T->pos, flen,
					  f->fmt, &js, stop, 0, o, &st, &cw);
		if (r == JW_SHORT && T->pos + n < flen) {
			store_free(&s);
			sbuf_free(&cw.text);
			want *= 2;
			continue;
		}
		*T = js;
		if (r == JW_SHORT) /* cannot happen: the window reached the end */
			T->phase = JPH_DONE;
		b->redo = xrealloc(b->redo, (b->nredo + 1) * sizeof *b->redo);
		b->redo[b->nredo++] = s;
	fst->chunks_serial++;
		add_piece(pieces, np, cap, s, 0, s->n);
		take_warnings(ws, &cw);
		sbuf_free(&cw.text);
		stats_add_walk(fst, &st);
		break;
	}
	sbuf_free(&buf);
}

void ingest_big_merge(ingest_big *b, store *s, size_t fi, store_piece **pieces, size_t *np,
		      size_t *cap, const ingest_opts *o, ingest_stats *st)
{
	struct big_file *f = file_of(b, fi);
	store_file *sf = &s->files[fi];
	ingest_stats fst;
	struct wsum ws;
	memset(&fst, 0, sizeof fst);
	memset(&ws, 0, sizeof ws);
	jframe_state T;
	jframe_state_init(&T, f->size);
	for (size_t k = f->first; k < f->first + f->n && T.phase != JPH_DONE; k++) {
		struct chunk *c = &b->ch[k];
		if (c->status < 0)
			continue; /* no cut: the chunk before it covers it */
		int first = k == f->first;
		int take = first ? c->status != JW_SHORT
				 : T.phase == c->in.phase && T.pos == c->start;
		if (take) {
			add_piece(pieces, np, cap, c->src, c->from, c->to);
			take_warnings(&ws, &c->cw);
			stats_add_walk(&fst, &c->st);
			if (first) {
				T = c->out;
			} else {
				T.pos = c->out.pos;
				T.recno += c->out.recno;
				T.line += c->out.line;
				T.phase = c->out.phase;
				if (c->out.phase == JPH_DONE)
					break;
			}
			if (c->status == JW_SUSPENDED || c->status == JW_END)
				continue;
		}
		if (c->stop != NONE && T.pos >= c->stop && T.phase != JPH_START)
			continue; /* a serial walk went past this chunk already */
		/* what the chunk could not take: walk it here, to its end */
		walk_serial(b, f, &T, c->stop, pieces, np, cap, o, &fst, &ws);
	}
	if (T.phase != JPH_DONE) /* the last chunk stopped early: walk to the end */
		walk_serial(b, f, &T, NONE, pieces, np, cap, o, &fst, &ws);
	fst.warnings -= ws.dropped;
	if (ws.extra)
		sbuf_addf(&ws.out, "trailguide: warning: %s: %d more problems in this file\n",
			  f->path, ws.extra);
	if (o->warn && ws.out.len)
		fwrite(ws.out.s, 1, ws.out.len, o->warn);
	sbuf_free(&ws.out);
	fst.files = 1;
	st->chunks += f->n;
	st->chunks_serial += fst.chunks_serial;
	fst.bytes_disk = fst.bytes_json = f->size;
	sf->fmt = f->fmt;
	sf->gz = 0;
	sf->events = fst.events;
	st->files += fst.files;
	st->bytes_disk += fst.bytes_disk;
	st->bytes_json += fst.bytes_json;
	stats_add_walk(st, &fst);
}

size_t ingest_big_stores(const ingest_big *b, store **out)
{
	if (!b)
		return 0;
	for (size_t i = 0; out && i < b->nredo; i++)
		out[i] = b->redo[i];
	return b->nredo;
}

void ingest_big_free(ingest_big **pb)
{
	ingest_big *b = *pb;
	if (!b)
		return;
	for (size_t i = 0; i < b->nfiles; i++)
		close(b->files[i].fd);
	for (size_t k = 0; k < b->nch; k++)
		sbuf_free(&b->ch[k].cw.text);
	for (size_t i = 0; i < b->nredo; i++)
		store_free(&b->redo[i]);
	free(b->redo);
	free(b->files);
	free(b->ch);
	free(b);
	*pb = NULL;
}

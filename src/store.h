/* store.h — the in-memory event store: columns of interned strings, times, raw refs. */
#ifndef TG_STORE_H
#define TG_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "intern.h"
#include "jframe.h"
#include "util.h"

/* Fixed columns, filled at ingest. Extra columns (any other dotted path) are appended
 * after COL_NFIXED on first use by store_col_get. */
enum col {
	COL_EVENT,     /* eventName */
	COL_SOURCE,    /* eventSource */
	COL_REGION,    /* awsRegion */
	COL_IP,        /* sourceIPAddress */
	COL_UA,        /* userAgent */
	COL_ERROR,     /* errorCode */
	COL_PRINCIPAL, /* derived: userIdentity.arn, else invokedBy (AWSService, or no
			  type at all), else principalId, else accountId */
	COL_TYPE,      /* userIdentity.type */
	COL_KEY,       /* userIdentity.accessKeyId */
	COL_ACCOUNT,   /* recipientAccountId, else userIdentity.accountId */
	COL_ISSUER,    /* userIdentity.sessionContext.sessionIssuer.arn */
	COL_EVENTID,   /* eventID (an append-only table: values are unique) */
	COL_READONLY,  /* readOnly as "true"/"false" */
	COL_NFIXED
};

/* The canonical path that names each fixed column ("eventName", "principal", ...). */
extern const char *const col_path[COL_NFIXED];

typedef struct store_col {
	char *path;     /* dotted path or fixed-column name */
	uint32_t *ids;  /* one per event; 0 = absent */
	intern *tab;
} store_col;

/* One input file. Records point into its "view": the file's bytes, gunzipped, and for
 * lookup-events output the decoded CloudTrailEvent strings one per line. */
typedef struct store_file {
	char *path;
	enum jformat fmt;
	int gz;
	uint64_t size;  /* bytes on disk */
	int64_t mtime;  /* seconds; checked before the view is rebuilt */
	size_t events;  /* events kept from this file */
	unsigned char sha256[32]; /* of the bytes on disk */
} store_file;

typedef struct store {
	size_t n, cap;
	int64_t *time;     /* eventTime, ms since epoch */
	uint32_t *file;    /* index into files */
	uint64_t *off;     /* record offset in the file's view */
	uint32_t *len;     /* record length */
	store_col *cols;
	int ncols, colcap;
	store_file *files;
	size_t nfiles, filecap;
	uint32_t *by_file; /* lazily built: event indices ordered by (file, off) */
	/* one-entry cache of the last view built, for the detail pane */
	long cache_file;
	sbuf cache_view;
	int64_t tmin, tmax; /* time range of the events (TG_TIME_NONE when empty) */
	/* A store read from the load cache (store_cache.h): the file's mapping, which time,
	 * file, off, len and the fixed columns' ids may point into. Those are not freed (the
	 * mapping is unmapped) and are copied out before they grow. NULL otherwise. */
	void *map;
	size_t maplen;
} store;

store *store_new(void);
void store_free(store **s);

/* Add a file; returns its index. */
uint32_t store_add_file(store *s, const store_file *f);

/* Append one event. strs[c]/lens[c] give each fixed column's value (NULL = absent).
 * Returns the new event's index. Duplicates are not checked here (see store_merge). */
size_t store_add(store *s, int64_t time, const char *const strs[COL_NFIXED],
		 const size_t lens[COL_NFIXED], uint32_t file, uint64_t off, uint32_t len);

/* A run of another store's events, for store_append. */
typedef struct store_piece {
	const store *src;
	size_t from, to;
} store_piece;

/* Append the pieces' events to dst, in order. Each distinct string of a source is interned
 * into dst once; the columns are spread over `threads` threads (each column is independent
 * once the order is fixed). File indices are kept as they are: sources must not own files
 * (ingest workers write global file indices). Sources are not changed. */
void store_append(store *dst, const store_piece *pieces, size_t npieces, int threads);

/* store_append then store_sort in one pass, for a load into an empty store: the pieces'
 * events are radix-sorted by time (ties in piece order) and written once, in their final
 * place; duplicates are dropped as store_sort drops them, with the same result. The
 * eventID strings are not copied: dst takes over the arenas of srcs (the distinct sources
 * of the pieces), which must then only be freed. Returns the duplicates dropped;
 * *t_sort (may be NULL) gets the seconds spent ordering and deduplicating, the rest of the
 * time is the merge. */
size_t store_append_sort(store *dst, const store_piece *pieces, size_t npieces,
			 store *const *srcs, size_t nsrcs, int threads, double *t_sort);

/* Make room for need events; forget derived indexes after a change (internal to store*). */
void store_reserve(store *s, size_t need);
void store_invalidate(store *s);

/* Order events by time (stable: ties keep file, then offset order) and drop duplicate
 * deliveries: events whose eventID an earlier event with the same eventTime already has. A
 * re-delivered record is the same record, so it has the same time; comparing within one
 * second keeps this a linear pass with no global index. The first in (file, offset) order
 * is kept; each dropped event is subtracted from its file's count. Returns how many were
 * dropped. */
size_t store_sort(store *s);

/* Drop the events outside [since, until] (TG_TIME_NONE = open); the store is sorted. */
void store_keep_window(store *s, int64_t since, int64_t until);

/* Add a column made elsewhere (ids: s->cap entries, owned by the store from now on, as is
 * tab); returns its index. */
int store_col_add(store *s, const char *path, uint32_t *ids, intern *tab);

/* Column index for a path, or -1 when no column holds it yet. */
int store_col_find(const store *s, const char *path);

/* Column index for a path, extracting it from the raw events on first use (in parallel,
 * then cached). -1 with msg filled if the raw events cannot be read back. */
int store_col_get(store *s, const char *path, char *msg, size_t msgn);

/* store_multi.c: any-element paths. A path with a "[]" segment ("resources[].ARN",
 * "ipPermissions.items[].ipRanges.items[].cidrIp") reaches every element of the array there
 * (nested allowed); its column holds, per event, the reached values (JSON null skipped) as
 * a JSON array of strings, ["a","b"], or is absent when none is reached. */
int store_path_multi(const char *path);
/* Append the values path reaches in the record rec[0..len) as that array; the count
 * (0: nothing appended). */
size_t store_multi_extract(const char *rec, size_t len, const char *path, sbuf *out);
/* The next element of such an array s[0..n) decoded into out (reset first): 1, or 0 at the
 * end. *pos starts at 0. */
int store_multi_next(const char *s, size_t n, size_t *pos, sbuf *out);

/* The value of column c for event i, or NULL when absent. */
static inline const char *store_val(const store *s, int c, size_t i, size_t *len)
{
	uint32_t id = s->cols[c].ids[i];
	if (!id)
		return NULL;
	if (len)
		*len = intern_len(s->cols[c].tab, id);
	return intern_str(s->cols[c].tab, id);
}

/* The raw JSON text of event i, appended to out. 0, or -1 with msg filled (file gone or
 * changed since it was loaded). */
int store_raw(store *s, size_t i, sbuf *out, char *msg, size_t msgn);
/* The raw text of events idx[0..n), handed to fn in that order (k is the position in idx;
 * raw is not NUL-terminated and lives until fn returns). Batches of events are grouped by
 * file so each file is read and inflated once per batch, by `threads` workers (0: one per
 * CPU); memory stays bounded (store_raw.c). fn returns non-zero to stop. 0, or -1 with
 * msg when a file cannot be read back. */
typedef int (*store_raw_fn)(void *ud, size_t k, const char *raw, size_t len);
int store_raw_each(store *s, const uint32_t *idx, size_t n, int threads, store_raw_fn fn,
		   void *ud, char *msg, size_t msgn);
/* Print events idx[0..n) in that order, formatted by fmt and written by wr. The batches are
 * grouped by file as for store_raw_each, but the workers also format each event (fmt
 * appends the text for the event at position k, raw[0..len), to out; it runs on any worker,
 * so it must only read ud), and a writer thread passes each batch's text to wr (iovecs,
 * in order, at most 1024 at a time; non-zero stops) while the next batch is formatted: two
 * batches of ~16 MB in flight. 0; -1 with msg when a file cannot be read back; 1 when wr
 * failed (wr keeps its own error). */
struct iovec;
typedef void (*store_fmt_fn)(void *ud, sbuf *out, size_t k, const char *raw, size_t len);
typedef int (*store_write_fn)(void *ud, const struct iovec *iov, int iovcnt);
int store_raw_format(store *s, const uint32_t *idx, size_t n, int threads, store_fmt_fn fmt,
		     store_write_fn wr, void *ud, char *msg, size_t msgn);

/* Build the view of file f (gunzip, lookup decode). 0, or -1 with msg filled. */
int store_file_view(const store_file *f, sbuf *view, char *msg, size_t msgn);

/* store_range.c: the events of a big plain file (one ingest_big.c read in chunks) are
 * read back by range (pread), never by building the whole file's view. */
int store_file_ranged(const store_file *f);
/* Bytes from which a plain file is big: TRAILGUIDE_BIG_FILE (suffix k, M, G or T), 64 MB. */
uint64_t store_big_threshold(void);
/* A byte count from the environment (suffix k, M, G or T), def when unset or bad. */
uint64_t store_env_bytes(const char *name, uint64_t def);
typedef struct store_range {
	const store_file *f;
	int fd;
	uint64_t lo; /* file offset of buf */
	sbuf buf;
} store_range;
/* Open f, checking it is unchanged since it was loaded. 0, or -1 with msg. */
int store_range_open(store_range *r, const store_file *f, char *msg, size_t msgn);
/* The bytes [off, off+len) of the file (valid until the next call), read from the last
 * span when it holds them, else with the bytes up to `upto` (a span, when events are
 * asked in offset order; 0: the event alone). NULL with msg when the file is shorter. */
const char *store_range_get(store_range *r, uint64_t off, size_t len, uint64_t upto,
			    char *msg, size_t msgn);
/* Where the span for events ev[0..n) of one file (in offset order) should end: after as
 * many of them as lie close together, up to 1 MB. */
uint64_t store_range_span(const store *s, const uint32_t *ev, size_t n);
void store_range_close(store_range *r);
static inline int store_range_has(const store_range *r, uint64_t off, size_t len)
{
	return off >= r->lo && off + len <= r->lo + r->buf.len;
}

/* Bytes of memory held by the store (columns + string tables), for statistics. */
size_t store_bytes(const store *s);

#endif

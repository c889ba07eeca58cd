/* ingest_big.h — one big plain file read as ~4 MB chunks by the parallel ingest workers.
 *
 * A plain (not gzip) NDJSON, Records or JSON-array file of at least
 * ingest_big_threshold() bytes is cut into chunks at likely record starts; each chunk is
 * read with pread into a worker's buffer and walked in clean mode (jframe_walk_chunk).
 * The merge then checks, in file order, that each chunk starts where the walk before it
 * stopped, and walks serially whatever a chunk could not take (a problem to report with
 * its record number, a wrong cut): the records, warnings and offsets are those of the
 * whole-file load, and memory stays bounded by workers x chunk. */
#ifndef TG_INGEST_BIG_H
#define TG_INGEST_BIG_H

#include <stdatomic.h>
#include "ingest.h"

/* Warnings of one chunk: the first few lines, each led by a tag byte ('W'; 'U' and 'T'
 * for the once-a-file invalid UTF-8 and @timestamp warnings), and a count of the rest. */
#define CHUNK_WARN_KEEP 7
typedef struct chunk_warn {
	sbuf text;
	int nlines;
	int extra, extra_u, extra_t;
} chunk_warn;

/* ingest.c: walk a window of file `file` (its bytes at offset base) on from *js, with the
 * ingest callbacks, into s; warnings to cw (offsets are file offsets). Returns an enum
 * jwalk. */
int ingest_walk_chunk(store *s, uint32_t file, const char *name, const char *win, size_t winlen,
		      uint64_t base, uint64_t filelen, enum jformat fmt, jframe_state *js,
		      uint64_t stop, int clean, const ingest_opts *o, ingest_stats *st,
		      chunk_warn *cw);

typedef struct ingest_big ingest_big;

/* Bytes from which a plain file is read in chunks: TRAILGUIDE_BIG_FILE, default 64 MB. */
uint64_t ingest_big_threshold(void);

/* Plan the chunks of s->files[base..]: NULL when no file is big. With o->hash_files each
 * big file's SHA-256 is one more work item. */
ingest_big *ingest_big_plan(store *s, size_t base, const ingest_opts *o);
size_t ingest_big_files(const ingest_big *b);
/* Is file f read in chunks? */
int ingest_big_owns(const ingest_big *b, size_t f);

/* A worker: take one chunk and walk it into local, reading into buf. 0 when none is left.
 * *events and *bytes get what it added, *file_done 1 when it was its file's last chunk. */
int ingest_big_work(ingest_big *b, store *local, const ingest_opts *o, sbuf *buf,
		    size_t *events, uint64_t *bytes, int *file_done);

/* After the workers, in file order: file f's pieces appended to (*pieces, *np; grown as
 * needed, capacity *cap), its warnings written to o->warn, its counts added to st. */
void ingest_big_merge(ingest_big *b, store *s, size_t f, store_piece **pieces, size_t *np,
		      size_t *cap, const ingest_opts *o, ingest_stats *st);

/* The stores of the merge's serial walks (sources of pieces too): their count, and
 * written to out when not NULL. */
size_t ingest_big_stores(const ingest_big *b, store **out);

void ingest_big_free(ingest_big **b);

#endif

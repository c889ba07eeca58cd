/* bigfile_check.h — walk a buffer whole (jframe_walk) and in chunks (jframe_walk_chunk,
 * as ingest_big.c does: clean chunks from where the walk stands, serial walks in windows
 * that double when short) and compare every record and problem. Shared by
 * tests/unit/test_bigfile.c and tests/fuzz/fuzz_bigfile.c. */
#ifndef TG_BIGFILE_CHECK_H
#define TG_BIGFILE_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jframe.h"

struct bc_log {
	sbuf *out;
	uint64_t base;
};

static int bc_rec(void *ud, size_t off, size_t len, const jspan f[JF_N], int bad)
{
	struct bc_log *l = ud;
	(void)f;
	sbuf_addf(l->out, "R %llu %zu %d\n", (unsigned long long)(l->base + off), len, bad);
	return 0;
}

static void bc_err(void *ud, size_t off, const char *reason)
{
	struct bc_log *l = ud;
	sbuf_addf(l->out, "E %llu %s\n", (unsigned long long)(l->base + off), reason);
}

static uint64_t bc_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The chunked walk of b[0..n) in format fmt, choices drawn from seed; the log to out.
 * Returns the number of walks made (it always ends: each makes progress). */
static size_t bc_chunked(const char *b, size_t n, enum jformat fmt, uint64_t seed, size_t maxw,
			 sbuf *out)
{
	jframe_state T;
	jframe_state_init(&T, n);
	uint64_t rs = seed * 2654435761u + 1;
	size_t walks = 0;
	int force_serial = 0;
	sbuf tmp;
	sbuf_init(&tmp);
	while (T.phase != JPH_DONE) {
		walks++;
		uint64_t stop = bc_rand(&rs) % 4 == 0 ? UINT64_MAX : T.pos + 1 + bc_rand(&rs) % maxw;
		size_t w = 1 + (size_t)(bc_rand(&rs) % maxw);
		int clean = !force_serial && T.phase != JPH_START && bc_rand(&rs) % 2;
		force_serial = 0;
		for (;;) {
			size_t len = T.pos + w > n ? n - (size_t)T.pos : w;
			jframe_state js = T;
			if (clean)
				js.recno = 0, js.line = 0;
			sbuf_reset(&tmp);
			struct bc_log l = { &tmp, T.pos };
			int r = jframe_walk_chunk(b + T.pos, len, T.pos, n, fmt, &js, stop, clean,
						  bc_rec, bc_err, &l);
			if (r == JW_SHORT) {
				if (clean || T.pos + len >= n) { /* never: a clean walk is not short */
					sbuf_addf(out, "BUG short\n");
					sbuf_free(&tmp);
					return walks;
				}
				w *= 2;
				continue;
			}
			if (tmp.len)
				sbuf_add(out, tmp.s, tmp.len);
			if (clean) {
				if (js.phase != JPH_DONE && js.pos == T.pos)
					force_serial = 1; /* it could take nothing */
				T.recno += js.recno;
				T.line += js.line;
				T.pos = js.pos;
				T.phase = js.phase;
			} else {
				T = js;
			}
			break;
		}
	}
	sbuf_free(&tmp);
	return walks;
}

/* 0 when the whole and the chunked walks agree; else the first difference to stderr. */
static int bc_compare(const char *b, size_t n, enum jformat fmt, uint64_t seed, size_t maxw)
{
	sbuf whole, chunk;
	sbuf_init(&whole);
	sbuf_init(&chunk);
	struct bc_log l = { &whole, 0 };
	jframe_walk(b, n, fmt, bc_rec, bc_err, &l);
	bc_chunked(b, n, fmt, seed, maxw, &chunk);
	int same = whole.len == chunk.len && (!whole.len || memcmp(whole.s, chunk.s, whole.len) == 0);
	if (!same) {
		size_t i = 0;
		while (i < whole.len && i < chunk.len && whole.s[i] == chunk.s[i])
			i++;
		while (i > 0 && whole.s[i - 1] != '\n')
			i--;
		fprintf(stderr, "# %s, seed %llu, windows up to %zu: differ at\n#  whole: %.120s\n#  chunk: %.120s\n",
			jformat_name(fmt), (unsigned long long)seed, maxw,
			i < whole.len ? whole.s + i : "(end)", i < chunk.len ? chunk.s + i : "(end)");
	}
	sbuf_free(&whole);
	sbuf_free(&chunk);
	return same ? 0 : -1;
}

#endif

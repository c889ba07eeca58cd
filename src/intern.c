/* intern.c — string interning with an open-addressing hash table over an arena. */
#include "intern.h"

#include <stdlib.h>
#include <string.h>

#include "hugemem.h"
#include "util.h"

/* Arena chunks start small (a store has a dozen tables, most of them tiny) and double up
 * to ARENA_MAX; big ones are huge pages (hugemem.h). */
#define ARENA_CHUNK ((size_t)64 << 10)
#define ARENA_MAX ((size_t)8 << 20)

struct intern {
	const char **str; /* by id */
	uint32_t *len;    /* by id */
	uint32_t *hash;   /* by id */
	uint32_t n, cap;  /* ids in use (including 0), capacity of the arrays */
	uint64_t *slots;  /* 0 = empty, else hash << 32 | id: a probe reads only the slot */
	uint32_t mask;
	uint32_t last;    /* the id added last: consecutive records often repeat a value */
	char **chunks;    /* arena */
	size_t nchunks, chunkcap;
	char *cur;
	size_t curleft;
	size_t bytes;
	size_t chunk;     /* size of the next arena chunk */
	int plain;
};

/* A word-at-a-time multiplicative hash; good enough spread for field values and ids. */
static uint32_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0x94d049bb133111ebull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

intern *intern_new(void)
{
	intern *t = xcalloc(1, sizeof *t);
	t->cap = 16;
	t->str = xcalloc(t->cap, sizeof *t->str);
	t->len = xcalloc(t->cap, sizeof *t->len);
	t->hash = xcalloc(t->cap, sizeof *t->hash);
	t->n = 1; /* id 0 = absent */
	t->mask = 31;
	t->slots = xcalloc(t->mask + 1, sizeof *t->slots);
	t->last = 0;
	return t;
}

intern *intern_new_plain(void)
{
	intern *t = intern_new();
	t->plain = 1;
	return t;
}

static void grow_ids(intern *t, size_t need)
{
	if (need <= t->cap)
		return;
	size_t cap = t->cap ? t->cap : 16;
	while (cap < need)
		cap *= 2;
	if (cap > UINT32_MAX)
		cap = UINT32_MAX;
	size_t n = t->n;
	t->str = xrealloc_huge(t->str, n * sizeof *t->str, cap * sizeof *t->str);
	t->len = xrealloc_huge(t->len, n * sizeof *t->len, cap * sizeof *t->len);
	t->hash = xrealloc_huge(t->hash, t->plain ? 0 : n * sizeof *t->hash,
				cap * sizeof *t->hash); /* a plain table never reads it */
	t->cap = (uint32_t)cap;
}

void intern_free(intern **tp)
{
	intern *t = *tp;
	if (!t)
		return;
	for (size_t i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->str);
	free(t->len);
	free(t->hash);
	free(t->slots);
	free(t);
	*tp = NULL;
}

static const char *arena_copy(intern *t, const char *s, size_t n)
{
	if (n + 1 > t->curleft) {
		if (t->chunk < ARENA_CHUNK)
			t->chunk = ARENA_CHUNK;
		int own = n + 1 > t->chunk / 4; /* a big string gets its own chunk */
		size_t sz = own ? n + 1 : t->chunk;
		char *c = xmalloc_huge(sz);
		xgrow((void **)&t->chunks, &t->chunkcap, t->nchunks + 1, sizeof *t->chunks);
		t->chunks[t->nchunks++] = c;
		t->bytes += sz;
		if (own) {
			memcpy(c, s, n);
			c[n] = 0;
			return c;
		}
		t->cur = c;
		t->curleft = sz;
		if (t->chunk < ARENA_MAX)
			t->chunk *= 2;
	}
	char *p = t->cur;
	memcpy(p, s, n);
	p[n] = 0;
	t->cur += n + 1;
	t->curleft -= n + 1;
	return p;
}

static void rehash(intern *t)
{
	uint32_t nm = t->mask * 2 + 1;
	uint64_t *ns = xcalloc((size_t)nm + 1, sizeof *ns);
	for (uint32_t id = 1; id < t->n; id++) {
		uint32_t i = t->hash[id] & nm;
		while (ns[i])
			i = (i + 1) & nm;
		ns[i] = (uint64_t)t->hash[id] << 32 | id;
	}
	free(t->slots);
	t->slots = ns;
	t->mask = nm;
}

static uint32_t lookup(const intern *t, const char *s, size_t n, uint32_t h, uint32_t *slot)
{
	uint32_t i = h & t->mask;
	for (;;) {
		uint64_t e = t->slots[i];
		if (!e) {
			*slot = i;
			return 0;
		}
		uint32_t id = (uint32_t)e;
		if ((uint32_t)(e >> 32) == h && t->len[id] == n && memcmp(t->str[id], s, n) == 0)
			return id;
		i = (i + 1) & t->mask;
	}
}

uint32_t intern_add2(intern *t, const char *s, size_t n, int *was_new)
{
	if (t->plain) {
		if (was_new)
			*was_new = 1;
		grow_ids(t, (size_t)t->n + 1);
		t->str[t->n] = arena_copy(t, s, n);
		t->len[t->n] = (uint32_t)n;
		return t->n++;
	}
	uint32_t l = t->last;
	if (l && t->len[l] == n && memcmp(t->str[l], s, n) == 0) {
		if (was_new)
			*was_new = 0;
		return l;
	}
	uint32_t h = hash_bytes(s, n), slot;
	uint32_t id = lookup(t, s, n, h, &slot);
	if (was_new)
		*was_new = !id;
	if (id)
		return t->last = id;
	if (t->n == UINT32_MAX)
		abort();
	grow_ids(t, (size_t)t->n + 1);
	id = t->n++;
	t->str[id] = arena_copy(t, s, n);
	t->len[id] = (uint32_t)n;
	t->hash[id] = h;
	t->slots[slot] = (uint64_t)h << 32 | id;
	t->last = id;
	if ((uint64_t)t->n * 2 > (uint64_t)t->mask + 1)
		rehash(t);
	return id;
}

uint32_t intern_add(intern *t, const char *s, size_t n)
{
	return intern_add2(t, s, n, NULL);
}

void intern_reserve(intern *t, size_t n)
{
	grow_ids(t, n + 1);
	if (t->plain)
		return;
	while ((uint64_t)n * 2 > (uint64_t)t->mask + 1)
		rehash(t);
}

void intern_take_arena(intern *t, intern *src)
{
	for (size_t i = 0; i < src->nchunks; i++) {
		xgrow((void **)&t->chunks, &t->chunkcap, t->nchunks + 1, sizeof *t->chunks);
		t->chunks[t->nchunks++] = src->chunks[i];
	}
	t->bytes += src->bytes;
	src->bytes = 0;
	src->nchunks = 0;
	src->cur = NULL;
	src->curleft = 0;
}

uint32_t intern_add_ref(intern *t, const char *s, size_t n)
{
	if (t->n == UINT32_MAX)
		abort();
	grow_ids(t, (size_t)t->n + 1);
	t->str[t->n] = s;
	t->len[t->n] = (uint32_t)n;
	return t->n++;
}

uint32_t intern_find(const intern *t, const char *s, size_t n)
{
	uint32_t slot;
	if (t->plain) { /* no index: a linear scan, fine for the rare lookup */
		for (uint32_t id = 1; id < t->n; id++)
			if (t->len[id] == n && memcmp(t->str[id], s, n) == 0)
				return id;
		return 0;
	}
	return lookup(t, s, n, hash_bytes(s, n), &slot);
}

const char *intern_str(const intern *t, uint32_t id)
{
	return id && id < t->n ? t->str[id] : NULL;
}

size_t intern_len(const intern *t, uint32_t id)
{
	return id && id < t->n ? t->len[id] : 0;
}

uint32_t intern_count(const intern *t)
{
	return t->n;
}

size_t intern_bytes(const intern *t)
{
	return t->bytes + (size_t)t->cap * (sizeof(char *) + 8) + ((size_t)t->mask + 1) * 8;
}

intern *intern_adopt(int plain, const uint32_t *lens, uint32_t count, const char *blob,
		     size_t bloblen)
{
	if (count == 0 || lens[0] != 0)
		return NULL;
	const char **str = xmalloc((size_t)count * sizeof *str);
	str[0] = NULL;
	size_t at = 0;
	for (uint32_t id = 1; id < count; id++) {
		if (lens[id] >= bloblen - at || blob[at + lens[id]]) {
			free(str);
			return NULL;
		}
		str[id] = blob + at;
		at += (size_t)lens[id] + 1;
	}
	if (at != bloblen) {
		free(str);
		return NULL;
	}
	intern *t = xcalloc(1, sizeof *t);
	t->plain = plain;
	t->str = str;
	t->bytes = bloblen; /* lent, not in the arena: counted so statistics stay comparable */
	t->len = xmalloc((size_t)count * sizeof *t->len);
	memcpy(t->len, lens, (size_t)count * sizeof *t->len);
	t->hash = plain ? NULL : xcalloc(count, sizeof *t->hash); /* a plain table hashes nothing */
	t->n = t->cap = count;
	uint32_t mask = 31;
	while (!plain && (uint64_t)count * 2 > (uint64_t)mask + 1)
		mask = mask * 2 + 1;
	t->mask = mask;
	t->slots = xcalloc((size_t)mask + 1, sizeof *t->slots);
	if (!plain)
		for (uint32_t id = 1; id < count; id++) {
			uint32_t h = t->hash[id] = hash_bytes(str[id], lens[id]);
			uint32_t i = h & mask;
			while (t->slots[i])
				i = (i + 1) & mask;
			t->slots[i] = (uint64_t)h << 32 | id;
		}
	return t;
}

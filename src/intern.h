/* intern.h — string interning: each distinct string gets a small integer id. */
#ifndef TG_INTERN_H
#define TG_INTERN_H

#include <stddef.h>
#include <stdint.h>

/* Id 0 is reserved for "absent" (the field is missing or null); real ids start at 1.
 * Strings may contain any bytes including NUL; lengths are explicit. Storage is an arena,
 * so returned pointers stay valid until intern_free. Not thread-safe: use one table per
 * thread and merge (ingest does this). */
typedef struct intern intern;

intern *intern_new(void);
/* A table that only appends: every add gets a new id and nothing is hashed. For columns
 * whose values are unique anyway (eventID); intern_find is a linear scan there. */
intern *intern_new_plain(void);
/* Make room for n strings in all, so that a known number of adds never rehashes. */
void intern_reserve(intern *t, size_t n);
void intern_free(intern **t);
uint32_t intern_add(intern *t, const char *s, size_t n);
/* Like intern_add but reports whether the string was new. */
uint32_t intern_add2(intern *t, const char *s, size_t n, int *was_new);
/* Plain tables only: take over src's arena (its strings stay where they are and now live as
 * long as t; src must only be freed after this), then add ids that point at such strings
 * without copying them (s must be NUL-terminated at s[n], as arena strings are). The
 * eventID column of a load is moved this way instead of being copied string by string. */
void intern_take_arena(intern *t, intern *src);
uint32_t intern_add_ref(intern *t, const char *s, size_t n);
uint32_t intern_find(const intern *t, const char *s, size_t n); /* 0 when absent */
const char *intern_str(const intern *t, uint32_t id);            /* NULL for id 0 */
size_t intern_len(const intern *t, uint32_t id);
uint32_t intern_count(const intern *t); /* ids are 1 .. count-1 */
size_t intern_bytes(const intern *t);   /* memory held, for statistics */

/* A table made from strings stored elsewhere (the load cache, store_cache_load.c): ids 1 ..
 * count-1, string id of lens[id] bytes, each followed by a NUL, one after another in blob
 * (bloblen bytes; lens[0] is 0). lens is copied; blob is lent (it must outlive the table,
 * and is never freed or written by it). A hashed table (plain 0) computes its index here,
 * one hash per distinct string. NULL when blob does not hold exactly those strings. */
intern *intern_adopt(int plain, const uint32_t *lens, uint32_t count, const char *blob,
		     size_t bloblen);

#endif

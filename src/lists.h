/* lists.h — named value lists (@name in queries): allow-lists kept beside the runbooks.
 *
 * A list is the file lists/NAME in a runbook directory, one entry per line:
 *
 *   VALUE | owner=NAME | reason=TEXT | expires=YYYY-MM-DD
 *
 * Blank lines and lines starting with '#' are comments. owner and reason are required,
 * expires is optional. VALUE may hold '*' (any run) and '?' (one byte) globs, matched
 * case-sensitively; a VALUE that is an IPv4/IPv6 address or CIDR block (10.0.0.0/8) also
 * matches every address inside it. An entry matches through the end (UTC) of its expiry day; after that
 * it never matches. See trailguide-query(7), LISTS. */
#ifndef TG_LISTS_H
#define TG_LISTS_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "util.h"

typedef struct tglist_entry {
	char *value;       /* as written (trimmed) */
	size_t n;
	char *owner, *reason;
	int64_t expires;   /* ms: the first instant the entry no longer matches (the day after
			      the expiry date, 00:00 UTC); TG_TIME_NONE = never expires */
	int expired;       /* expires <= the load's now: never matches */
	int glob;          /* value holds '*' or '?' */
	int is_cidr;       /* value is an IPv4/IPv6 address or CIDR block (net holds it) */
	tgcidr net;
	int line;          /* 1-based line in the file */
} tglist_entry;

typedef struct tglist {
	char *name;        /* NAME, as written after '@' */
	char *path;        /* the file it came from */
	tglist_entry *entries;
	size_t n;
	struct intern *exact;  /* live entries without globs */
	uint32_t *globs;       /* indices of live glob entries */
	size_t nglobs;
	uint32_t *nets;        /* indices of live address / CIDR entries */
	size_t nnets;
} tglist;

typedef struct listset listset;

/* Load every lists/NAME file under each dir (later dirs do not override earlier names; a
 * duplicate name is reported in warn). now decides expiry. Problems (FILE:LINE: reason)
 * are appended to warn, one per line; bad lines are skipped. A dir without a lists/
 * folder is fine. Never NULL. */
listset *listset_load(char *const *dirs, int ndirs, int64_t now, sbuf *warn);
void listset_free(listset **ls);
const struct tglist *listset_get(const listset *ls, const char *name); /* NULL: unknown */
/* Enumerate the loaded lists (for lint and completion): i < listset_count. */
size_t listset_count(const listset *ls);
const struct tglist *listset_at(const listset *ls, size_t i);

/* 1 if s (n bytes) equals a live entry, matches a live glob entry or is an address inside
 * a live address / CIDR entry. Expired entries never
 * match; a NULL list matches nothing. */
int tglist_match(const struct tglist *l, const char *s, size_t n);

/* Parse one list file's text (n bytes, need not be NUL-terminated). path names the file in
 * messages (FILE:LINE: reason, appended to warn). Never NULL. */
tglist *tglist_parse(const char *name, const char *path, const char *text, size_t n,
		     int64_t now, sbuf *warn);
void tglist_free(tglist **l);

/* Case-sensitive glob: '*' any run, '?' one byte, nothing else special. Linear-ish (one
 * backtrack point), never exponential. */
int tglist_glob(const char *pat, size_t pn, const char *s, size_t n);

#endif

/* journal.h — the case journal: an append-only, hash-chained, fsync'd JSON Lines file.
 *
 * A case is a directory; its journal is CASE/journal.jsonl. Each line is one entry, written
 * as the exact bytes
 *   {"seq":N,"time":"2026-11-20T02:13:07.123Z","operator":{...},"action":"...",
 *    "details":{...}[,"runbook":{"id":..,"version":..,"sha256":..}],"prev":"HEX","hash":"HEX"}
 * where "hash" is SHA-256 (or HMAC-SHA-256 in keyed mode) over the line's bytes up to (not
 * including) ',"hash":' followed by '}' — the canonical form is the bytes as written, so no
 * re-serialisation can disagree. "prev" is the previous entry's hash ("" * 64 zeros for the
 * first). See man/trailguide-journal.5 for the format and what it proves. */
#ifndef TG_JOURNAL_H
#define TG_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util.h"

typedef struct journal journal;

typedef struct journal_opts {
	const unsigned char *key; /* HMAC key for keyed mode, or NULL */
	size_t keylen;
	int64_t (*clock)(void);   /* ms since epoch; NULL = the wall clock (tests pin it) */
} journal_opts;

/* The runbook an action belongs to (NULL fields are left out). */
typedef struct journal_runbook {
	const char *id;
	int version;
	const char *sha256_hex; /* of the runbook file */
} journal_runbook;

/* Open CASE/journal.jsonl for appending, creating the directory and file as needed, and
 * take an exclusive lock (CASE/journal.lock, flock): a second process gets NULL and msg says
 * "case DIR is in use by another trailguide (pid N)". An existing journal is verified
 * first; a torn last line (crash) is reported in msg and truncated away before appending
 * (it was never acknowledged); any other damage refuses the open. */
journal *journal_open(const char *case_dir, const journal_opts *o, char *msg, size_t msgn);

/* Append one entry and fsync it before returning 0 (-1 with msg on an I/O error: the
 * action must then be reported as not recorded). details is consumed (may be NULL).
 * Secrets never belong in details: journal_append refuses (returns -1) a details object
 * holding a key named like a secret (SecretAccessKey, SessionToken, Authorization,
 * password, ...). */
int journal_append(journal *j, const char *action, cJSON *details, const journal_runbook *rb,
		   char *msg, size_t msgn);

/* Entries written so far (the next seq is this + 1). */
uint64_t journal_count(const journal *j);
void journal_close(journal **j);

/* Read a --journal-key FILE: its bytes, less trailing newlines; at least 16 bytes.
 * 0, or -1 with msg. Free *key with free() (after OPENSSL_cleanse, if you care). */
int journal_key_load(const char *path, unsigned char **key, size_t *keylen, char *msg,
		     size_t msgn);

/* The operator block: user, host, ssh client address (SSH_CONNECTION/SSH_CLIENT), tty. */
cJSON *journal_operator(void);

enum journal_problem {
	JOURNAL_OK = 0,
	JOURNAL_TORN_TAIL,    /* the last line is incomplete: a crash, not tampering */
	JOURNAL_BAD_JSON,     /* a complete line that is not an entry */
	JOURNAL_BAD_HASH,     /* hash does not match the bytes (or the key) */
	JOURNAL_BAD_PREV,     /* prev is not the previous entry's hash */
	JOURNAL_BAD_SEQ,      /* sequence gap, repeat or reorder */
	JOURNAL_MISSING,      /* no journal in the case */
};

typedef struct journal_verdict {
	enum journal_problem problem; /* the first one found */
	uint64_t entries;             /* good entries before the problem (all, when OK) */
	uint64_t line;                /* 1-based line of the problem */
	char msg[256];                /* one sentence naming the entry and the reason */
	char last_hash[65];
	int64_t first_time, last_time;
} journal_verdict;

/* Verify CASE/journal.jsonl (key: NULL for plain mode). Returns 0 when intact, 1 when
 * damaged or tampered, 2 when it cannot be read. A torn tail alone is reported as
 * JOURNAL_TORN_TAIL with return 0 if every complete line is good. */
int journal_verify(const char *case_dir, const unsigned char *key, size_t keylen,
		   journal_verdict *v);

/* Read every good entry (stops at the first problem) and call fn with each parsed entry;
 * for show, report and resume. Returns the verdict as journal_verify. */
int journal_read(const char *case_dir, const unsigned char *key, size_t keylen,
		 void (*fn)(void *ud, const cJSON *entry), void *ud, journal_verdict *v);

#endif

/* journal_int.h — what the journal's writer, entry formatter and verifier share (internal). */
#ifndef TG_JOURNAL_INT_H
#define TG_JOURNAL_INT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "journal.h"
#include "util.h"

#define JOURNAL_FILE "journal.jsonl"
#define JOURNAL_HEAD "journal.head"
#define JOURNAL_LOCK "journal.lock"
#define JOURNAL_ZERO \
	"0000000000000000000000000000000000000000000000000000000000000000"
/* Every line ends with this, then 64 lowercase hex digits, then "}. */
#define JOURNAL_HASH_KEY ",\"hash\":\""
#define JOURNAL_HASH_KEY_LEN 9
#define JOURNAL_TAIL_LEN (JOURNAL_HASH_KEY_LEN + 64 + 2)

/* journal_entry.c: the canonical line. */

/* 2026-11-20T02:13:07.123Z: always three digits of milliseconds, UTC. out >= 32 bytes. */
void jent_time(int64_t ms, char *out);
/* SHA-256 (key NULL) or HMAC-SHA-256 of data[0..n), as 64 lowercase hex digits. */
void jent_mac(const unsigned char *key, size_t keylen, const void *data, size_t n, char hex[65]);
/* Serialise v as compact JSON whose strings are always valid UTF-8 (esc_json). */
void jent_json(sbuf *b, const cJSON *v);
/* 1 if an object anywhere in v has a member named like a secret; where names it
 * ("details.credentials.SessionToken"). */
int jent_secret(const cJSON *v, sbuf *where);
/* Build the whole line (with its newline) for one entry and set hash. */
void jent_line(sbuf *line, uint64_t seq, int64_t ms, const char *operator_json,
	       const char *action, const cJSON *details, const journal_runbook *rb,
	       const char *prev, const unsigned char *key, size_t keylen, char hash[65]);
/* The head record: "SEQ HASH SEAL\n", SEAL = mac("trailguide-journal-head SEQ HASH"). */
void jent_head(sbuf *b, uint64_t seq, const char *hash, const unsigned char *key,
	       size_t keylen);
/* Parse a head record (as jent_head writes it, seal checked). 0 ok, -1 malformed,
 * -2 seal mismatch. */
int jent_head_parse(const char *s, size_t n, const unsigned char *key, size_t keylen,
		    uint64_t *seq, char hash[65]);
/* 1 if s[0..n) is exactly 64 lowercase hex digits. */
int jent_is_hex64(const char *s, size_t n);

/* journal_verify.c: the scan behind journal_verify, journal_read and journal_open.
 * *good_bytes (may be NULL) is the length of the file's intact prefix: where a torn tail
 * starts. head_seq/head_hash (may be NULL) receive the head record (0 when absent). */
int jver_scan(const char *case_dir, const unsigned char *key, size_t keylen,
	      void (*fn)(void *ud, const cJSON *entry), void *ud, journal_verdict *v,
	      uint64_t *good_bytes, uint64_t *head_seq);

/* The same check over a journal in memory; head NULL when there is no journal.head. */
int jver_buf(const char *data, size_t len, const char *head, size_t headlen,
	     const unsigned char *key, size_t keylen, void (*fn)(void *ud, const cJSON *entry),
	     void *ud, journal_verdict *v, uint64_t *good_bytes);

#endif

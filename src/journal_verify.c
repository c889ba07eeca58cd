/* journal_verify.c — check a case journal line by line: structure, hash, seq, prev, head. */
#include "journal_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tgtime.h"

typedef unsigned long long ull;

struct scan {
	const unsigned char *key;
	size_t keylen;
	journal_verdict *v;
	uint64_t seq;   /* the last good entry's seq */
	char prev[65];  /* the last good entry's hash */
	uint64_t head_seq;
	char head_hash[65], seen_hash[65]; /* head's hash, and entry head_seq's real one */
	sbuf scratch;
};

static enum journal_problem fail(journal_verdict *v, enum journal_problem p, uint64_t line,
				 const char *fmt, ...) TG_PRINTF(4, 5);
static enum journal_problem fail(journal_verdict *v, enum journal_problem p, uint64_t line,
				 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof v->msg, fmt, ap);
	va_end(ap);
	v->problem = p;
	v->line = line;
	return p;
}

/* The members of an entry, in order; runbook is optional. */
static const char *member_check(const cJSON *root)
{
	static const char *const names[] = { "seq", "time", "operator", "action", "details",
					     "runbook", "prev", "hash" };
	const cJSON *c = root->child;
	for (int i = 0; i < 8; i++) {
		if (i == 5 && (!c || !c->string || strcmp(c->string, "runbook")))
			continue;
		if (!c || !c->string || strcmp(c->string, names[i]))
			return names[i];
		int good = (i == 0) ? cJSON_IsNumber(c) && c->valuedouble >= 1 &&
					      c->valuedouble < 9007199254740992.0 &&
					      c->valuedouble == (double)(uint64_t)c->valuedouble
			 : (i == 2 || i == 4 || i == 5) ? cJSON_IsObject(c)
							  : cJSON_IsString(c);
		if (!good)
			return names[i];
		c = c->next;
	}
	return c ? "nothing after \"hash\"" : NULL;
}

static enum journal_problem check_line(struct scan *st, const char *s, size_t n, uint64_t line,
				       void (*fn)(void *, const cJSON *), void *ud)
{
	journal_verdict *v = st->v;
	if (n < JOURNAL_TAIL_LEN || s[0] != '{' ||
	    memcmp(s + n - JOURNAL_TAIL_LEN, JOURNAL_HASH_KEY, JOURNAL_HASH_KEY_LEN) ||
	    !jent_is_hex64(s + n - 66, 64) || s[n - 2] != '"' || s[n - 1] != '}')
		return fail(v, JOURNAL_BAD_JSON, line,
			    "line %llu: not a journal entry (it does not end with its hash)",
			    (ull)line);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	if (!root || end != s + n || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return fail(v, JOURNAL_BAD_JSON, line,
			    "line %llu: not a journal entry (not valid JSON)", (ull)line);
	}
	const char *bad = member_check(root);
	int64_t t = 0;
	const cJSON *tm = cJSON_GetObjectItemCaseSensitive(root, "time");
	if (!bad && tgtime_parse(tm->valuestring, strlen(tm->valuestring), &t))
		bad = "time";
	if (bad) {
		cJSON_Delete(root);
		return fail(v, JOURNAL_BAD_JSON, line,
			    "line %llu: not a journal entry (bad or misplaced \"%s\")", (ull)line,
			    bad);
	}
	uint64_t seq = (uint64_t)cJSON_GetObjectItemCaseSensitive(root, "seq")->valuedouble;
	const char *prev = cJSON_GetObjectItemCaseSensitive(root, "prev")->valuestring;
	const char *hash = s + n - 66;
	char mac[65];
	sbuf_reset(&st->scratch);
	sbuf_add(&st->scratch, s, n - JOURNAL_TAIL_LEN);
	sbuf_addc(&st->scratch, '}');
	jent_mac(st->key, st->keylen, st->scratch.s, st->scratch.len, mac);
	enum journal_problem p = JOURNAL_OK;
	if (memcmp(mac, hash, 64)) {
		char plain[65];
		if (st->key && st->seq == 0) {
			jent_mac(NULL, 0, st->scratch.s, st->scratch.len, plain);
			if (!memcmp(plain, hash, 64))
				p = fail(v, JOURNAL_BAD_HASH, line,
					 "entry %llu (line %llu): bad key — this journal was "
					 "written without a key (verify it without --journal-key)",
					 (ull)seq, (ull)line);
			else
				p = fail(v, JOURNAL_BAD_HASH, line,
					 "entry %llu (line %llu): hash mismatch — bad key: the key "
					 "is wrong, the journal was written without one, or the "
					 "entry was changed",
					 (ull)seq, (ull)line);
		} else if (st->seq == 0) {
			p = fail(v, JOURNAL_BAD_HASH, line,
				 "entry %llu (line %llu): hash mismatch — the entry was changed "
				 "after it was written, or the journal is keyed (pass "
				 "--journal-key FILE)",
				 (ull)seq, (ull)line);
		} else {
			p = fail(v, JOURNAL_BAD_HASH, line,
				 "entry %llu (line %llu): hash mismatch — the entry was changed "
				 "after it was written",
				 (ull)seq, (ull)line);
		}
	} else if (seq != st->seq + 1) {
		if (st->seq == 0)
			p = fail(v, JOURNAL_BAD_SEQ, line,
				 "line %llu: the journal starts at seq %llu, not 1 — entries are "
				 "missing or reordered",
				 (ull)line, (ull)seq);
		else
			p = fail(v, JOURNAL_BAD_SEQ, line,
				 "line %llu: seq %llu follows %llu — entries are missing or "
				 "reordered",
				 (ull)line, (ull)seq, (ull)st->seq);
	} else if (strcmp(prev, st->prev)) {
		if (st->seq == 0)
			p = fail(v, JOURNAL_BAD_PREV, line,
				 "entry %llu (line %llu): prev is not all zeros — entries before "
				 "it were removed",
				 (ull)seq, (ull)line);
		else
			p = fail(v, JOURNAL_BAD_PREV, line,
				 "entry %llu (line %llu): prev does not match entry %llu's hash — "
				 "an entry was removed or inserted before it",
				 (ull)seq, (ull)line, (ull)st->seq);
	}
	if (p == JOURNAL_OK) {
		st->seq = seq;
		memcpy(st->prev, hash, 64);
		if (seq == st->head_seq)
			memcpy(st->seen_hash, hash, 64);
		v->entries++;
		if (v->entries == 1)
			v->first_time = t;
		v->last_time = t;
		memcpy(v->last_hash, hash, 64);
		if (fn)
			fn(ud, root);
	}
	cJSON_Delete(root);
	return p;
}

/* Could s[0..n) (no newline) be the start of the line the writer of entry `next` was
 * writing when it died? A writer's line starts {"seq":NEXT, holds no control bytes, and
 * ends at the "} after its hash. Anything else in the last line is a change. */
static int torn_plausible(const char *s, size_t n, uint64_t next)
{
	char want[48];
	int wn = snprintf(want, sizeof want, "{\"seq\":%llu,", (ull)next);
	if (memcmp(s, want, n < (size_t)wn ? n : (size_t)wn))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			return 0;
	/* the last ,"hash":" — when 64 hex digits follow, only "} may come after them */
	const char *h = NULL;
	for (const char *p = s; (p = memmem(p, n - (size_t)(p - s), JOURNAL_HASH_KEY,
					   JOURNAL_HASH_KEY_LEN));
	     p++)
		h = p;
	if (!h)
		return 1;
	const char *r = h + JOURNAL_HASH_KEY_LEN;
	size_t m = n - (size_t)(r - s), k = 0;
	while (k < m && k < 64 && ((r[k] >= '0' && r[k] <= '9') || (r[k] >= 'a' && r[k] <= 'f')))
		k++;
	if (k < 64)
		return 1; /* still inside the hash, or a "hash" key inside details */
	return m - 64 <= 2 && !memcmp(r + 64, "\"}", m - 64);
}

/* After the lines: does journal.head (read by read_head) agree with them? */
static void check_head(struct scan *st, int have_head, uint64_t line)
{
	journal_verdict *v = st->v;
	if (have_head == -1)
		fail(v, JOURNAL_BAD_JSON, line, "journal.head is not a head record — it was changed");
	else if (have_head == -2)
		fail(v, JOURNAL_BAD_HASH, line,
		     st->key ? "journal.head's seal does not match — the key is wrong or "
			       "journal.head was changed"
			     : "journal.head's seal does not match — journal.head was changed, "
			       "or the journal is keyed (pass --journal-key FILE)");
	else if (!have_head && v->entries)
		fail(v, JOURNAL_BAD_SEQ, line,
		     "journal.head is missing — entries may have been removed from the end "
		     "(the journal holds %llu)",
		     (ull)v->entries);
	else if (have_head && st->head_seq > v->entries)
		fail(v, JOURNAL_BAD_SEQ, line,
		     "the journal ends at entry %llu but journal.head records entry %llu — "
		     "entries were removed from the end",
		     (ull)v->entries, (ull)st->head_seq);
	else if (have_head && st->head_seq && strcmp(st->seen_hash, st->head_hash))
		fail(v, JOURNAL_BAD_HASH, line,
		     "journal.head records another hash for entry %llu — the journal was "
		     "rewritten",
		     (ull)st->head_seq);
}

static void scan_init(struct scan *st, const unsigned char *key, size_t keylen,
		      journal_verdict *v)
{
	memset(st, 0, sizeof *st);
	memset(v, 0, sizeof *v);
	strcpy(v->last_hash, JOURNAL_ZERO);
	v->first_time = v->last_time = TG_TIME_NONE;
	st->key = key;
	st->keylen = key ? keylen : 0;
	st->v = v;
	strcpy(st->prev, JOURNAL_ZERO);
}

/* The head record into st: 1 good, 0 absent, -1 malformed, -2 seal mismatch. */
static int take_head(struct scan *st, const char *head, size_t headlen)
{
	if (!head)
		return 0;
	int pr = jent_head_parse(head, headlen, st->key, st->keylen, &st->head_seq,
				 st->head_hash);
	if (pr)
		st->head_seq = 0;
	return pr ? pr : 1;
}

int jver_buf(const char *data, size_t len, const char *head, size_t headlen,
	     const unsigned char *key, size_t keylen, void (*fn)(void *ud, const cJSON *entry),
	     void *ud, journal_verdict *v, uint64_t *good_bytes)
{
	struct scan st;
	scan_init(&st, key, keylen, v);
	int have_head = take_head(&st, head, headlen);
	if (good_bytes)
		*good_bytes = 0;
	size_t at = 0;
	uint64_t line = 0;
	enum journal_problem p = JOURNAL_OK;
	while (at < len && p == JOURNAL_OK) {
		const char *s = data + at, *nl = memchr(s, '\n', len - at);
		line++;
		if (!nl) {
			if (torn_plausible(s, len - at, st.seq + 1))
				p = fail(v, JOURNAL_TORN_TAIL, line,
					 "line %llu: incomplete last line (a crash while writing; "
					 "not tampering)",
					 (ull)line);
			else
				p = fail(v, JOURNAL_BAD_JSON, line,
					 "line %llu: the last line is not a complete entry, nor the "
					 "start of one a crash cut short — it was changed",
					 (ull)line);
			break;
		}
		p = check_line(&st, s, (size_t)(nl - s), line, fn, ud);
		if (p == JOURNAL_OK) {
			at = (size_t)(nl - data) + 1;
			if (good_bytes)
				*good_bytes = at;
		}
	}
	if (p == JOURNAL_OK || p == JOURNAL_TORN_TAIL) {
		uint64_t l = p == JOURNAL_OK ? line + 1 : line;
		journal_verdict keep = *v;
		v->problem = JOURNAL_OK;
		check_head(&st, have_head, l);
		if (v->problem == JOURNAL_OK)
			*v = keep;
	}
	sbuf_free(&st.scratch);
	return (v->problem == JOURNAL_OK || v->problem == JOURNAL_TORN_TAIL) ? 0 : 1;
}

int jver_scan(const char *case_dir, const unsigned char *key, size_t keylen,
	      void (*fn)(void *ud, const cJSON *entry), void *ud, journal_verdict *v,
	      uint64_t *good_bytes, uint64_t *head_seq)
{
	struct scan st;
	scan_init(&st, key, keylen, v);
	if (good_bytes)
		*good_bytes = 0;
	size_t dl = strlen(case_dir);
	char *path = xmalloc(dl + sizeof "/" JOURNAL_FILE), *hpath = xmalloc(dl + sizeof "/" JOURNAL_HEAD);
	sprintf(path, "%s/%s", case_dir, JOURNAL_FILE);
	sprintf(hpath, "%s/%s", case_dir, JOURNAL_HEAD);
	char *data = NULL, *head = NULL;
	size_t len = 0, headlen = 0;
	int r = read_file(path, &data, &len), e = errno, rc;
	int hr = read_file(hpath, &head, &headlen), he = errno;
	int have_head = hr ? 0 : take_head(&st, head, headlen);
	if (head_seq)
		*head_seq = st.head_seq;
	if (hr && he != ENOENT) {
		rc = 2;
		fail(v, JOURNAL_MISSING, 0, "cannot read %s: %s", hpath, strerror(he));
	} else if (r && e == ENOENT && have_head == 1 && st.head_seq > 0) {
		rc = 1;
		fail(v, JOURNAL_BAD_SEQ, 1,
		     "%s is missing but journal.head records %llu entries — the journal was "
		     "deleted",
		     path, (ull)st.head_seq);
	} else if (r) {
		rc = 2;
		if (e == ENOENT)
			fail(v, JOURNAL_MISSING, 0, "no journal: %s does not exist", path);
		else
			fail(v, JOURNAL_MISSING, 0, "cannot read %s: %s", path, strerror(e));
	} else {
		rc = jver_buf(data, len, hr ? NULL : head, headlen, key, keylen, fn, ud, v,
			      good_bytes);
	}
	free(data);
	free(head);
	free(path);
	free(hpath);
	return rc;
}

int journal_verify(const char *case_dir, const unsigned char *key, size_t keylen,
		   journal_verdict *v)
{
	return jver_scan(case_dir, key, keylen, NULL, NULL, v, NULL, NULL);
}

int journal_read(const char *case_dir, const unsigned char *key, size_t keylen,
		 void (*fn)(void *ud, const cJSON *entry), void *ud, journal_verdict *v)
{
	return jver_scan(case_dir, key, keylen, fn, ud, v, NULL, NULL);
}

/* test_journal.c — the case journal: format, chain, keyed mode, secrets, lock, torn tails. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "esc.h"
#include "journal.h"
#include "journal_int.h"
#include "sha256.h"
#include "tap.h"

static char root[64];
static int64_t pinned = 1795142787123LL; /* 2026-11-20T02:46:27.123Z */
static int64_t pinned_clock(void) { return pinned; }
static const unsigned char KEY[] = "0123456789abcdef-test-key";

static char *case_path(const char *name)
{
	static char buf[4][128];
	static int k;
	k = (k + 1) & 3;
	snprintf(buf[k], sizeof buf[k], "%s/%s", root, name);
	return buf[k];
}

static char *slurp(const char *dir, const char *file, size_t *len)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	char *d = NULL;
	size_t n = 0;
	if (read_file(p, &d, &n))
		return NULL;
	if (len)
		*len = n;
	return d;
}

static void spit(const char *dir, const char *file, const char *s, size_t n, int append)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, file);
	int fd = open(p, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0600);
	if (fd < 0 || write(fd, s, n) != (ssize_t)n)
		abort();
	close(fd);
}

static journal *jopen(const char *dir, const unsigned char *key, char *msg)
{
	journal_opts o = { key, key ? strlen((const char *)key) : 0, pinned_clock };
	return journal_open(dir, &o, msg, 256);
}

static int add(journal *j, const char *action, const char *details_json)
{
	char msg[256];
	return journal_append(j, action, details_json ? cJSON_Parse(details_json) : NULL, NULL,
			      msg, sizeof msg);
}

static void test_format(void)
{
	char msg[256];
	const char *dir = case_path("fmt");
	journal *j = jopen(dir, NULL, msg);
	ok(j != NULL, "open creates the case and its journal (%s)", msg);
	journal_runbook rb = { "credential-compromise/suspect-access-key", 3,
			       "ab12000000000000000000000000000000000000000000000000000000000000" };
	is_int(journal_append(j, "query", cJSON_Parse("{\"query\":\"event = \\\"x\\\"\",\"rows\":3}"),
			      &rb, msg, sizeof msg),
	       0, "append an entry with a runbook");
	pinned = 1795142788000LL;
	is_int(add(j, "note", NULL), 0, "append without details");
	is_int(journal_count(j), 2, "count");
	journal_close(&j);
	ok(j == NULL, "close clears the handle");

	size_t n;
	char *d = slurp(dir, "journal.jsonl", &n);
	char *nl = strchr(d, '\n');
	const char *want =
		"{\"seq\":1,\"time\":\"2026-11-20T02:46:27.123Z\",\"operator\":{\"user\":";
	ok(!strncmp(d, want, strlen(want)), "seq, time with milliseconds, operator first");
	ok(strstr(d, ",\"action\":\"query\",\"details\":{\"query\":\"event = \\\"x\\\"\","
		     "\"rows\":3},\"runbook\":{\"id\":\"credential-compromise/suspect-access-key\","
		     "\"version\":3,\"sha256\":\"ab12") != NULL,
	   "action, details and runbook as written");
	ok(strstr(d, ",\"prev\":\"" JOURNAL_ZERO "\",\"hash\":\"") != NULL, "first prev is zeros");
	/* the hash is SHA-256 of the bytes before ,"hash": followed by } */
	size_t l1 = (size_t)(nl - d);
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, d, l1 - JOURNAL_TAIL_LEN);
	sbuf_addc(&b, '}');
	unsigned char h[32];
	char hex[65];
	sha256(b.s, b.len, h);
	sha256_hex(h, hex);
	ok(!strncmp(d + l1 - 66, hex, 64), "hash = SHA-256 over the canonical bytes");
	ok(strstr(nl + 1, "\"time\":\"2026-11-20T02:46:28.000Z\"") != NULL,
	   "milliseconds always have three digits");
	ok(strstr(nl + 1, "\"details\":{}") != NULL, "no details is {}");
	char prev[80];
	snprintf(prev, sizeof prev, "\"prev\":\"%s\"", hex);
	ok(strstr(nl + 1, prev) != NULL, "the second entry's prev is the first's hash");
	cJSON *e = cJSON_ParseWithLength(d, l1);
	ok(cJSON_IsObject(cJSON_GetObjectItem(e, "operator")) &&
		   cJSON_GetObjectItem(cJSON_GetObjectItem(e, "operator"), "host"),
	   "a line is one JSON object");
	cJSON_Delete(e);
	sbuf_free(&b);
	free(d);

	journal_verdict v;
	is_int(journal_verify(dir, NULL, 0, &v), 0, "verify: intact");
	is_int(v.entries, 2, "verify counts entries");
	is_int(v.first_time, 1795142787123LL, "first time");
	is_int(v.last_time, 1795142788000LL, "last time");
	d = slurp(dir, "journal.head", NULL);
	ok(d && !strncmp(d, "2 ", 2), "journal.head records the end");
	ok(d && strcmp(v.last_hash, hex) && !strncmp(d + 2, v.last_hash, 64),
	   "last hash is the last entry's");
	free(d);
}

static int nread;
static void count_cb(void *ud, const cJSON *e)
{
	(void)ud;
	if (cJSON_GetObjectItem(e, "seq")->valuedouble == ++nread)
		return;
	nread = -1000;
}

static void test_keyed(void)
{
	char msg[256];
	const char *dir = case_path("keyed");
	journal *j = jopen(dir, KEY, msg);
	for (int i = 0; i < 3; i++)
		add(j, "query", "{\"n\":1}");
	journal_close(&j);
	journal_verdict v;
	is_int(journal_verify(dir, KEY, strlen((const char *)KEY), &v), 0, "keyed: intact with the key");
	is_int(journal_verify(dir, NULL, 0, &v), 1, "keyed: damaged without the key");
	ok(strstr(v.msg, "entry 1 (line 1): hash mismatch") && strstr(v.msg, "--journal-key"),
	   "without the key the message suggests one: %s", v.msg);
	const unsigned char wrong[] = "0123456789abcdef-wrong-key";
	is_int(journal_verify(dir, wrong, sizeof wrong - 1, &v), 1, "wrong key: damaged");
	is_int(v.problem, JOURNAL_BAD_HASH, "wrong key: a hash problem");
	ok(strstr(v.msg, "bad key") && strstr(v.msg, "key is wrong"), "wrong key: %s", v.msg);
	j = jopen(dir, wrong, msg);
	ok(!j && strstr(msg, "bad key"), "open with the wrong key is refused: %s", msg);
	nread = 0;
	journal_read(dir, KEY, strlen((const char *)KEY), count_cb, NULL, &v);
	is_int(nread, 3, "journal_read calls back once per entry, in order");

	const char *plain = case_path("fmt");
	is_int(journal_verify(plain, KEY, strlen((const char *)KEY), &v), 1, "plain journal, key given");
	ok(strstr(v.msg, "written without a key") != NULL, "says so: %s", v.msg);

	unsigned char *k = NULL;
	size_t kl = 0;
	spit(root, "key", "0123456789abcdef-test-key\n", 26, 0);
	ok(!journal_key_load(case_path("key"), &k, &kl, msg, sizeof msg) && kl == 25 &&
		   !memcmp(k, KEY, 25),
	   "a key file's trailing newline is dropped");
	free(k);
	spit(root, "shortkey", "short\n", 6, 0);
	ok(journal_key_load(case_path("shortkey"), &k, &kl, msg, sizeof msg) == -1 &&
		   strstr(msg, "too short"),
	   "a short key is refused: %s", msg);
}

static void test_secrets(void)
{
	char msg[256];
	const char *dir = case_path("secrets");
	journal *j = jopen(dir, NULL, msg);
	static const char *const bad[] = {
		"{\"SecretAccessKey\":\"x\"}", "{\"a\":{\"b\":[1,{\"SessionToken\":\"x\"}]}}",
		"{\"headers\":{\"Authorization\":\"AWS4-HMAC-SHA256 ...\"}}",
		"{\"password\":\"hunter2\"}", "{\"x-amz-security-token\":\"x\"}",
		"{\"client_secret\":\"x\"}", "{\"aws_session_token\":\"x\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		is_int(journal_append(j, "query", cJSON_Parse(bad[i]), NULL, msg, sizeof msg), -1,
		       "refused: %s", bad[i]);
	}
	ok(strstr(msg, "details.aws_session_token") && strstr(msg, "secret"), "message: %s", msg);
	journal_append(j, "query", cJSON_Parse(bad[1]), NULL, msg, sizeof msg);
	ok(strstr(msg, "details.a.b[1].SessionToken") != NULL, "names where: %s", msg);
	is_int(journal_count(j), 0, "nothing written");
	is_int(add(j, "query", "{\"accessKeyId\":\"AKIAEXAMPLE\",\"userIdentity\":{\"accessKeyId\":\"A\"}}"),
	       0, "accessKeyId is fine");
	is_int(journal_append(j, "query", cJSON_Parse("[1]"), NULL, msg, sizeof msg), -1,
	       "details must be an object");
	is_int(journal_append(j, "", NULL, NULL, msg, sizeof msg), -1, "an action is required");
	/* hostile bytes: control characters and invalid UTF-8 stay inside one valid line */
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "note", "line\nbreak \x1b[31m \xff\xfe \xe2\x80\xae");
	is_int(journal_append(j, "note", d, NULL, msg, sizeof msg), 0, "hostile note");
	journal_close(&j);
	size_t n;
	char *s = slurp(dir, "journal.jsonl", &n);
	int lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	is_int(lines, 2, "a newline in a value does not break the line");
	ok(utf8_valid(s, n), "the journal is valid UTF-8");
	ok(strstr(s, "\\u001b[31m \\ufffd\\ufffd") != NULL, "controls and bad bytes escaped");
	free(s);
	journal_verdict v;
	is_int(journal_verify(dir, NULL, 0, &v), 0, "still intact");
}

static void test_lock(void)
{
	char msg[256];
	const char *dir = case_path("lock");
	journal *j = jopen(dir, NULL, msg);
	ok(j != NULL, "first open");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char m2[256], want[64];
		journal *j2 = jopen(dir, NULL, m2);
		snprintf(want, sizeof want, "in use by another trailguide (pid %ld)", (long)getppid());
		_exit(!j2 && strstr(m2, want) ? 0 : 1);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "a second process is refused, naming the holder's pid");
	journal *j2 = jopen(dir, NULL, msg);
	ok(!j2 && strstr(msg, "is in use by another trailguide"), "so is a second open: %s", msg);
	journal_close(&j);
	j2 = jopen(dir, NULL, msg);
	ok(j2 != NULL, "after close the case opens again");
	journal_close(&j2);
}

static void test_torn(void)
{
	char msg[256];
	const char *dir = case_path("torn");
	journal *j = jopen(dir, NULL, msg);
	for (int i = 0; i < 3; i++)
		add(j, "query", "{\"q\":\"x\"}");
	journal_close(&j);
	size_t n0;
	free(slurp(dir, "journal.jsonl", &n0));
	const char *frag = "{\"seq\":4,\"time\":\"2026-11-20T02:4";
	spit(dir, "journal.jsonl", frag, strlen(frag), 1);
	journal_verdict v;
	is_int(journal_verify(dir, NULL, 0, &v), 0, "a torn tail alone is not damage");
	is_int(v.problem, JOURNAL_TORN_TAIL, "reported as a torn tail");
	is_str(v.msg, "line 4: incomplete last line (a crash while writing; not tampering)", "message");
	is_int(v.entries, 3, "the complete entries count");
	j = jopen(dir, NULL, msg);
	ok(j && strstr(msg, "removed an incomplete last line"), "open repairs it: %s", msg);
	size_t n1;
	free(slurp(dir, "journal.jsonl", &n1));
	is_int(n1, n0, "the fragment is gone");
	is_int(add(j, "query", NULL), 0, "append after repair");
	is_int(journal_count(j), 4, "seq continues at 4");
	journal_close(&j);
	is_int(journal_verify(dir, NULL, 0, &v), 0, "intact after repair");
	is_int(v.problem, JOURNAL_OK, "no problem left");

	/* a last line that no crash could leave is tampering */
	spit(dir, "journal.jsonl", "{\"seq\":9,", 9, 1);
	is_int(journal_verify(dir, NULL, 0, &v), 1, "a fragment with the wrong seq is damage");
	ok(strstr(v.msg, "it was changed") != NULL, "%s", v.msg);
	j = jopen(dir, NULL, msg);
	ok(!j && strstr(msg, "refusing to append"), "open refuses a damaged journal: %s", msg);
}

static void test_head(void)
{
	char msg[256];
	const char *dir = case_path("head");
	journal *j = jopen(dir, NULL, msg);
	for (int i = 0; i < 4; i++)
		add(j, "query", NULL);
	journal_close(&j);
	size_t n;
	char *d = slurp(dir, "journal.jsonl", &n);
	char *last = d + n - 1;
	while (last > d && last[-1] != '\n')
		last--;
	spit(dir, "journal.jsonl", d, (size_t)(last - d), 0);
	journal_verdict v;
	is_int(journal_verify(dir, NULL, 0, &v), 1, "a removed last entry is detected");
	is_str(v.msg, "the journal ends at entry 3 but journal.head records entry 4 — entries were "
		      "removed from the end", "message");
	/* an older head (a crash between the journal's fsync and the head's) is fine */
	char *h = slurp(dir, "journal.head", NULL);
	sbuf b;
	sbuf_init(&b);
	char hash[65];
	memcpy(hash, last - 67, 64);
	hash[64] = 0;
	jent_head(&b, 3, hash, NULL, 0);
	spit(dir, "journal.head", b.s, b.len, 0);
	is_int(journal_verify(dir, NULL, 0, &v), 0, "a head that lags is allowed");
	j = jopen(dir, NULL, msg);
	journal_close(&j);
	free(h);
	h = slurp(dir, "journal.head", NULL);
	ok(h && !strncmp(h, "3 ", 2), "open brings the head up to date");
	free(h);
	char p[256];
	snprintf(p, sizeof p, "%s/journal.head", dir);
	unlink(p);
	is_int(journal_verify(dir, NULL, 0, &v), 1, "a missing head is damage");
	ok(strstr(v.msg, "journal.head is missing") != NULL, "%s", v.msg);
	spit(dir, "journal.head", b.s, b.len, 0);
	snprintf(p, sizeof p, "%s/journal.jsonl", dir);
	unlink(p);
	is_int(journal_verify(dir, NULL, 0, &v), 1, "a deleted journal with a head is damage");
	j = jopen(dir, NULL, msg);
	ok(!j && strstr(msg, "was deleted"), "and open refuses it: %s", msg);
	is_int(journal_verify(case_path("nope"), NULL, 0, &v), 2, "no journal: unreadable");
	is_int(v.problem, JOURNAL_MISSING, "reported as missing");
	sbuf_free(&b);
	free(d);
}

int main(void)
{
	strcpy(root, "/tmp/tg-journal.XXXXXX");
	if (!mkdtemp(root))
		return 1;
	test_format();
	test_keyed();
	test_secrets();
	test_lock();
	test_torn();
	test_head();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd))
		ok(0, "cleanup");
	return tap_done();
}

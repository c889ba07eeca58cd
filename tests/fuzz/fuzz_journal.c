/* fuzz_journal.c — libFuzzer target: verify and read any bytes as a case journal.
 *
 * Input: one flag byte (bit 0: keyed, bit 1: a journal.head follows), then the head up to
 * the first NUL when bit 1 is set, then the journal's bytes. They are written to a case
 * directory and checked with journal_read, and again in memory; both must agree.
 *
 *   bash tests/fuzz/run.sh fuzz_journal 60 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "journal_int.h"

static const unsigned char KEY[] = "fuzz-journal-key-0123456789";
static char dir[64];
static uint64_t calls;

static void put(const char *name, const uint8_t *d, size_t n, int keep)
{
	char p[128];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	if (!keep) {
		unlink(p);
		return;
	}
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (n && write(fd, d, n) != (ssize_t)n))
		abort();
	close(fd);
}

static void entry(void *ud, const cJSON *e)
{
	(void)ud;
	/* what report and show rely on: the members are there with their types */
	if (!cJSON_IsNumber(cJSON_GetObjectItem(e, "seq")) ||
	    !cJSON_IsString(cJSON_GetObjectItem(e, "time")) ||
	    !cJSON_IsObject(cJSON_GetObjectItem(e, "operator")) ||
	    !cJSON_IsString(cJSON_GetObjectItem(e, "action")) ||
	    !cJSON_IsObject(cJSON_GetObjectItem(e, "details")))
		abort();
	if ((uint64_t)cJSON_GetObjectItem(e, "seq")->valuedouble != ++calls)
		abort();
}

static void cleanup(void)
{
	put("journal.head", NULL, 0, 0);
	put("journal.jsonl", NULL, 0, 0);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		strcpy(dir, "/tmp/tg-fuzz-journal.XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(cleanup);
	}
	if (size < 1)
		return 0;
	int keyed = data[0] & 1, has_head = (data[0] & 2) != 0;
	data++, size--;
	const uint8_t *head = data;
	size_t headlen = 0;
	if (has_head) {
		const uint8_t *z = memchr(data, 0, size);
		headlen = z ? (size_t)(z - data) : size;
		data += z ? headlen + 1 : headlen;
		size -= z ? headlen + 1 : headlen;
	}
	put("journal.head", head, headlen, has_head);
	put("journal.jsonl", data, size, 1);
	const unsigned char *key = keyed ? KEY : NULL;
	size_t keylen = keyed ? sizeof KEY - 1 : 0;
	journal_verdict v, w;
	calls = 0;
	int r = journal_read(dir, key, keylen, entry, NULL, &v);
	if (r != 0 && r != 1)
		abort();
	if (calls != v.entries)
		abort();
	if ((r == 0) != (v.problem == JOURNAL_OK || v.problem == JOURNAL_TORN_TAIL))
		abort();
	if (v.problem != JOURNAL_OK && (!v.msg[0] || !memchr(v.msg, 0, sizeof v.msg)))
		abort();
	if (strlen(v.last_hash) != 64)
		abort();
	uint64_t good = 0;
	int r2 = jver_buf((const char *)data, size, has_head ? (const char *)head : NULL, headlen,
			  key, keylen, NULL, NULL, &w, &good);
	if (r2 != r || w.problem != v.problem || w.entries != v.entries || w.line != v.line ||
	    strcmp(w.msg, v.msg) || good > size)
		abort();
	/* the good prefix, alone, is intact up to the head check */
	if (good && good < size && data[good - 1] != '\n')
		abort();
	return 0;
}

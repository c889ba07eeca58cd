/* journal_tamper.c — every one-byte change, line deletion and line swap of a journal is caught.
 *
 *   tests/journal_tamper          each byte of the plain journal gets its 8 one-bit flips,
 *                                 '\n' and '"'; the keyed one's get one flip and '\n'
 *   tests/journal_tamper --all    each byte of both gets all 255 other values (soak.sh)
 *
 * The sample journals (plain and keyed, 20 entries) are generated here, never committed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "journal_int.h"
#include "tap.h"

static const unsigned char KEY[] = "tamper-test-key-0123456789";
static int64_t t_ms = 1795142787000LL;
static int64_t tick(void) { return t_ms += 1234; }

static void make_journal(const char *dir, const unsigned char *key)
{
	journal_opts o = { key, key ? sizeof KEY - 1 : 0, tick };
	char msg[256];
	journal *j = journal_open(dir, &o, msg, sizeof msg);
	if (!j) {
		fprintf(stderr, "%s\n", msg);
		exit(2);
	}
	journal_runbook rb = { "credential-compromise/suspect-access-key", 4,
			       "5f2b000000000000000000000000000000000000000000000000000000000001" };
	for (int i = 1; i <= 20; i++) {
		cJSON *d = cJSON_CreateObject();
		switch (i % 5) {
		case 0:
			cJSON_AddStringToObject(d, "query", "event = \"CreateAccessKey\" | count by principal");
			cJSON_AddNumberToObject(d, "rows", i * 3);
			break;
		case 1: {
			const char *ids[] = { "3f1c0a2e-0000-4000-8000-000000000001",
					      "3f1c0a2e-0000-4000-8000-000000000002" };
			cJSON_AddItemToObject(d, "eventIDs", cJSON_CreateStringArray(ids, 2));
			cJSON_AddStringToObject(d, "mark", "malicious");
			break;
		}
		case 2:
			cJSON_AddStringToObject(d, "note", "saw \"AKIA…\" from 203.0.113.9 — ünïcode\tand tab");
			break;
		case 3: /* a "hash" key inside details must not confuse the verifier */
			cJSON_AddStringToObject(d, "hash", "0000");
			cJSON_AddNumberToObject(d, "ratio", 0.25 * i);
			break;
		default:
			cJSON_AddBoolToObject(d, "resumed", 1);
			cJSON_AddNullToObject(d, "since");
		}
		if (journal_append(j, i % 5 == 0 ? "query" : "note", d, i % 2 ? &rb : NULL, msg,
				   sizeof msg)) {
			fprintf(stderr, "%s\n", msg);
			exit(2);
		}
	}
	journal_close(&j);
}

struct sample {
	char *data, *head;
	size_t len, headlen;
	const unsigned char *key;
	size_t keylen;
	size_t off[32]; /* line starts, off[nlines] = len */
	int nlines;
};

static int detected(const struct sample *s, const char *data, size_t len)
{
	journal_verdict v;
	int r = jver_buf(data, len, s->head, s->headlen, s->key, s->keylen, NULL, NULL, &v, NULL);
	return r == 1 && v.problem != JOURNAL_OK && v.problem != JOURNAL_TORN_TAIL;
}

static void load(struct sample *s, const char *dir, const unsigned char *key)
{
	char p[256];
	snprintf(p, sizeof p, "%s/journal.jsonl", dir);
	if (read_file(p, &s->data, &s->len))
		exit(2);
	snprintf(p, sizeof p, "%s/journal.head", dir);
	if (read_file(p, &s->head, &s->headlen))
		exit(2);
	s->key = key;
	s->keylen = key ? sizeof KEY - 1 : 0;
	s->nlines = 0;
	for (size_t i = 0; i < s->len; i++)
		if (i == 0 || s->data[i - 1] == '\n')
			s->off[s->nlines++] = i;
	s->off[s->nlines] = s->len;
}

static void run(const char *name, struct sample *s, int all, int light)
{
	journal_verdict v;
	ok(jver_buf(s->data, s->len, s->head, s->headlen, s->key, s->keylen, NULL, NULL, &v,
		    NULL) == 0 && v.problem == JOURNAL_OK && v.entries == 20,
	   "%s: the sample journal is intact (%d lines, %zu bytes)", name, s->nlines, s->len);
	static const unsigned char chosen[] = { '\n', '"' };
	char *m = xmalloc(s->len);
	memcpy(m, s->data, s->len);
	long tried = 0, caught = 0, shown = 0;
	for (size_t i = 0; i < s->len; i++) {
		unsigned char orig = (unsigned char)s->data[i], vals[256];
		int nv = 0;
		if (all) {
			for (int c = 0; c < 256; c++)
				if (c != orig)
					vals[nv++] = (unsigned char)c;
		} else if (light) {
			vals[nv++] = orig ^ 1u;
			if (orig != '\n')
				vals[nv++] = '\n';
		} else {
			for (int b = 0; b < 8; b++)
				vals[nv++] = orig ^ (unsigned char)(1u << b);
			for (size_t k = 0; k < sizeof chosen; k++)
				if (chosen[k] != orig && memchr(vals, chosen[k], (size_t)nv) == NULL)
					vals[nv++] = chosen[k];
		}
		for (int k = 0; k < nv; k++) {
			m[i] = (char)vals[k];
			tried++;
			if (detected(s, m, s->len))
				caught++;
			else if (shown++ < 5)
				printf("# undetected: byte %zu 0x%02x -> 0x%02x\n", i, orig, vals[k]);
		}
		m[i] = (char)orig;
	}
	ok(caught == tried, "%s: %ld of %ld one-byte changes detected", name, caught, tried);

	long dtried = 0, dcaught = 0;
	for (int l = 0; l < s->nlines; l++) {
		size_t a = s->off[l], b = s->off[l + 1], n = 0;
		memcpy(m, s->data, a);
		n = a;
		memcpy(m + n, s->data + b, s->len - b);
		n += s->len - b;
		dtried++;
		dcaught += detected(s, m, n);
	}
	ok(dcaught == dtried, "%s: %ld of %ld line deletions detected", name, dcaught, dtried);

	long stried = 0, scaught = 0;
	for (int a = 0; a < s->nlines; a++)
		for (int b = a + 1; b < s->nlines; b++) {
			size_t n = 0;
			for (int l = 0; l < s->nlines; l++) {
				int src = l == a ? b : l == b ? a : l;
				size_t len = s->off[src + 1] - s->off[src];
				memcpy(m + n, s->data + s->off[src], len);
				n += len;
			}
			stried++;
			scaught += detected(s, m, n);
		}
	ok(scaught == stried, "%s: %ld of %ld line swaps detected", name, scaught, stried);
	printf("# %s: %ld mutations tried, %ld detected\n", name, tried + dtried + stried,
	       caught + dcaught + scaught);
	free(m);
}

int main(int argc, char **argv)
{
	int all = argc > 1 && !strcmp(argv[1], "--all");
	char root[] = "/tmp/tg-tamper.XXXXXX";
	if (!mkdtemp(root))
		return 2;
	char plain[300], keyed[300];
	snprintf(plain, sizeof plain, "%s/plain", root);
	snprintf(keyed, sizeof keyed, "%s/keyed", root);
	make_journal(plain, NULL);
	make_journal(keyed, KEY);
	struct sample s;
	load(&s, plain, NULL);
	run("plain", &s, all, 0);
	journal_verdict v;
	ok(journal_verify(plain, NULL, 0, &v) == 0, "plain: journal_verify agrees on the file");
	free(s.data);
	free(s.head);
	load(&s, keyed, KEY);
	run("keyed", &s, all, 1);
	free(s.data);
	free(s.head);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd))
		ok(0, "cleanup");
	return tap_done();
}

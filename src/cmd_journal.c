/* cmd_journal.c — `trailguide journal verify|show CASE`: check a case journal, or list it. */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "esc.h"
#include "journal_int.h"

static const char usage[] =
	"usage: trailguide journal verify CASE [--journal-key FILE]\n"
	"       trailguide journal show CASE [--journal-key FILE]\n"
	"verify checks CASE/journal.jsonl: every entry's hash, the chain of prev links, the\n"
	"sequence and journal.head; it prints one line, naming the first bad entry and why.\n"
	"show prints the journal as a timeline, one line per entry.\n"
	"\n"
	"      --journal-key FILE  the journal is keyed (HMAC-SHA-256 with the key in FILE)\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 intact (an incomplete last line from a crash is reported, not an\n"
	"error), 1 damaged or tampered, 2 a usage error or an unreadable journal.\n"
	"See trailguide-journal(5) for the format and what verification proves.\n";

#define VALUE_MAX 80 /* bytes of one detail value shown by `show` */

static void put_esc(FILE *f, const char *s)
{
	sbuf b;
	sbuf_init(&b);
	esc_term(&b, s, strlen(s));
	if (b.s)
		fputs(b.s, f);
	sbuf_free(&b);
}

/* Append s escaped for the terminal, cut at VALUE_MAX bytes on a character boundary. */
static void add_cut(sbuf *out, const char *s, size_t n)
{
	size_t k = n;
	if (k > VALUE_MAX) {
		k = VALUE_MAX;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	esc_term(out, s, k);
	if (k < n)
		sbuf_adds(out, "…");
}

static void add_scalar(sbuf *out, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		int quote = !*s || strpbrk(s, " \t\"=") != NULL;
		if (quote)
			sbuf_addc(out, '"');
		add_cut(out, s, strlen(s));
		if (quote)
			sbuf_addc(out, '"');
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (d == floor(d) && fabs(d) < 9007199254740992.0)
			sbuf_addf(out, "%lld", (long long)d);
		else
			sbuf_addf(out, "%g", d);
	} else if (cJSON_IsBool(v)) {
		sbuf_adds(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNull(v)) {
		sbuf_adds(out, "null");
	} else {
		sbuf j;
		sbuf_init(&j);
		jent_json(&j, v);
		add_cut(out, j.s, j.len);
		sbuf_free(&j);
	}
}

/* key=value for each member of details; arrays of scalars show their first three. */
static void add_details(sbuf *out, const cJSON *d)
{
	for (const cJSON *c = d ? d->child : NULL; c; c = c->next) {
		if (out->len)
			sbuf_addc(out, ' ');
		esc_term(out, c->string, strlen(c->string));
		sbuf_addc(out, '=');
		if (!cJSON_IsArray(c)) {
			add_scalar(out, c);
			continue;
		}
		int n = cJSON_GetArraySize(c), i = 0;
		if (n && cJSON_IsObject(c->child)) { /* e.g. a load's files: just say how many */
			sbuf_addf(out, "[%d %s]", n, n == 1 ? "item" : "items");
			continue;
		}
		sbuf_addc(out, '[');
		for (const cJSON *e = c->child; e && i < 3; e = e->next, i++) {
			if (i)
				sbuf_adds(out, ", ");
			add_scalar(out, e);
		}
		if (n > 3)
			sbuf_addf(out, ", +%d more", n - 3);
		sbuf_addc(out, ']');
	}
}

static const char *str_of(const cJSON *o, const char *k, const char *dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : dflt;
}

static void show_entry(void *ud, const cJSON *e)
{
	(void)ud;
	const cJSON *op = cJSON_GetObjectItemCaseSensitive(e, "operator");
	const cJSON *rb = cJSON_GetObjectItemCaseSensitive(e, "runbook");
	sbuf b;
	sbuf_init(&b);
	const char *t = str_of(e, "time", "?");
	esc_term(&b, t, strlen(t));
	sbuf_addf(&b, "  #%lld  ",
		  (long long)cJSON_GetObjectItemCaseSensitive(e, "seq")->valuedouble);
	const char *user = str_of(op, "user", "?"), *host = str_of(op, "host", NULL);
	esc_term(&b, user, strlen(user));
	if (host) {
		sbuf_addc(&b, '@');
		esc_term(&b, host, strlen(host));
	}
	sbuf_adds(&b, "  ");
	const char *action = str_of(e, "action", "?");
	esc_term(&b, action, strlen(action));
	sbuf d;
	sbuf_init(&d);
	add_details(&d, cJSON_GetObjectItemCaseSensitive(e, "details"));
	if (rb) {
		const char *id = str_of(rb, "id", "?");
		const cJSON *ver = cJSON_GetObjectItemCaseSensitive(rb, "version");
		if (d.len)
			sbuf_addc(&d, ' ');
		sbuf_adds(&d, "runbook=");
		esc_term(&d, id, strlen(id));
		if (cJSON_IsNumber(ver))
			sbuf_addf(&d, "@v%d", ver->valueint);
	}
	if (d.len) {
		sbuf_adds(&b, "  ");
		sbuf_add(&b, d.s, d.len);
	}
	puts(b.s);
	sbuf_free(&d);
	sbuf_free(&b);
}

static void summary(const char *case_dir, const journal_verdict *v)
{
	put_esc(stdout, case_dir);
	printf(": intact, %" PRIu64 " entr%s", v->entries, v->entries == 1 ? "y" : "ies");
	if (v->entries) {
		char a[32], b[32];
		jent_time(v->first_time, a);
		jent_time(v->last_time, b);
		printf(", %s .. %s, last hash %.16s", a, b, v->last_hash);
	}
	if (v->problem == JOURNAL_TORN_TAIL)
		printf("; %s", v->msg);
	putchar('\n');
}

int cmd_journal(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "journal-key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (strcmp(sub, "verify") && strcmp(sub, "show")) {
		fprintf(stderr, "trailguide journal: unknown subcommand '%s'\n%s", sub, usage);
		return EXIT_USAGE;
	}
	const char *keyfile = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': keyfile = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - 1 - optind != 1) {
		fprintf(stderr, "trailguide journal %s: expected one CASE directory\n%s", sub,
			usage);
		return EXIT_USAGE;
	}
	const char *case_dir = argv[1 + optind];
	unsigned char *key = NULL;
	size_t keylen = 0;
	char msg[512];
	if (keyfile && journal_key_load(keyfile, &key, &keylen, msg, sizeof msg)) {
		fprintf(stderr, "trailguide journal: %s\n", msg);
		return EXIT_USAGE;
	}
	journal_verdict v;
	int show = !strcmp(sub, "show");
	int r = journal_read(case_dir, key, keylen, show ? show_entry : NULL, NULL, &v);
	if (key) {
		OPENSSL_cleanse(key, keylen);
		free(key);
	}
	fflush(stdout);
	if (r == 2) {
		fputs("trailguide journal: ", stderr);
		put_esc(stderr, v.msg);
		fputc('\n', stderr);
		return EXIT_USAGE;
	}
	if (r == 1) {
		FILE *f = show ? stderr : stdout;
		put_esc(f, case_dir);
		fputs(": damaged: ", f);
		put_esc(f, v.msg);
		fprintf(f, " (%" PRIu64 " intact entr%s before it)\n", v.entries,
			v.entries == 1 ? "y" : "ies");
		return 1;
	}
	if (!show) {
		summary(case_dir, &v);
	} else if (v.problem == JOURNAL_TORN_TAIL) {
		fputs("trailguide journal: ", stderr);
		put_esc(stderr, v.msg);
		fputc('\n', stderr);
	}
	return EXIT_OK;
}

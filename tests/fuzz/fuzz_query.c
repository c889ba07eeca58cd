/* fuzz_query.c — libFuzzer target: parse any bytes as a query, format errors, run it.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_query.c \
 *     src/query_*.c src/util.c src/intern.c src/tgtime.c src/store.c ... -o fuzz_query
 *   ./fuzz_query tests/fuzz/corpus/query */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lists.h"
#include "query.h"

static store *fuzz_store(void)
{
	static store *s;
	if (s)
		return s;
	static const char *const rows[][COL_NFIXED] = {
		{"CreateUser", "iam.amazonaws.com", "us-east-1", "203.0.113.9", "aws-cli/2",
		 NULL, "arn:aws:iam::1:user/alice", "IAMUser", "AKIA1", "1", NULL, "7", "false"},
		{"GetObject", "s3.amazonaws.com", "eu-west-1", "2001:db8::5", NULL,
		 "AccessDenied", "arn:aws:sts::1:assumed-role/R/bob", "AssumedRole", "ASIA2", "1",
		 "arn:aws:iam::1:role/R", "12", "true"},
		{"ConsoleLogin", "signin.amazonaws.com", "us-east-1", "10.0.0.1", "Mozilla",
		 NULL, "arn:aws:iam::2:user/carol", "IAMUser", NULL, "2", NULL, "100", "false"},
	};
	s = store_new();
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t lens[COL_NFIXED];
		for (int c = 0; c < COL_NFIXED; c++)
			lens[c] = rows[i][c] ? strlen(rows[i][c]) : 0;
		store_add(s, 1795000000000LL + (int64_t)i * 3600000, rows[i], lens, 0, 0, 0);
	}
	/* every event points at a file that does not exist: path columns fail cleanly */
	store_file f = {.path = (char *)"/nonexistent/fuzz.json"};
	store_add_file(s, &f);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;
	qerr e;
	sbuf b;
	sbuf_init(&b);
	query *q = query_parse(text, &e);
	if (!q) {
		if (e.col < 0 || (size_t)e.col > strlen(text) || !e.msg[0])
			abort(); /* every parse error points into the text and says something */
		query_err_format(text, &e, &b);
	} else {
		static listset *ls;
		if (!ls) { /* a list directory with @ok (exact and glob entries) */
			char dir[] = "/tmp/fuzz_query_XXXXXX", path[64];
			if (mkdtemp(dir)) {
				snprintf(path, sizeof path, "%s/lists", dir);
				mkdir(path, 0700);
				snprintf(path, sizeof path, "%s/lists/ok", dir);
				FILE *f = fopen(path, "w");
				if (f) {
					fputs("alice | owner=a | reason=b\narn:* | owner=a | reason=b\n", f);
					fclose(f);
				}
			}
			char *dirs[] = {dir};
			ls = listset_load(dirs, 1, 0, NULL);
		}
		qctx ctx;
		qctx_init(&ctx);
		ctx.now = 1795000000000LL + 86400000;
		/* half the inputs run with a window (so the lookback stages run), by a size bit */
		if (size & 1) {
			ctx.since = 1795000000000LL + 3600000;
			ctx.until = 1795000000000LL + 7200000;
		}
		ctx.lists = ls;
		result *r = query_run(q, fuzz_store(), &ctx, &e);
		if (!r && (e.col < -1 || (size_t)(e.col < 0 ? 0 : e.col) > strlen(text) || !e.msg[0]))
			abort(); /* runtime errors point into the text too */
		if (!r)
			query_err_format(text, &e, &b);
		result_free(&r);
		int64_t lb = query_lookback(q);
		if (lb < 0)
			abort();
		query_free(&q);
	}
	sbuf_free(&b);
	free(text);
	return 0;
}

/* test_runbook.c — the runbook parser, respond templates, run state and notify helpers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notify.h"
#include "run_state.h"
#include "runbook.h"
#include "store.h"
#include "tap.h"
#include "template.h"

static const char good[] =
	"---\n"
	"id: provisioning/new-iam-users\n"
	"title: IAM users created in the window\n"
	"version: 3\n"
	"severity: high          # info | low | medium | high | critical\n"
	"window: 24h\n"
	"tags: provisioning, iam ,, \n"
	"owner: security-engineering\n"
	"---\n"
	"\n"
	"Intro prose.\n"
	"\n"
	"## New IAM users\n"
	"\n"
	"```query findings\n"
	"service = iam and event = CreateUser\n"
	"| fields time, principal\n"
	"```\n"
	"\n"
	"Guidance prose.\n"
	"\n"
	"> respond: disable the user's keys:\n"
	"> `aws iam update-access-key --user-name {requestParameters.userName}`\n"
	"\n"
	"## Context ## step\r\n"
	"~~~~query\r\n"
	"event = X\r\n"
	"## not a heading\r\n"
	"~~~~\r\n"
	"```sh\n"
	"## also not a heading\n"
	"```\n";

/* Parse text and return the diagnostics (caller frees) or NULL when it parsed. */
static char *errs(const char *text)
{
	sbuf d;
	sbuf_init(&d);
	runbook *rb = runbook_parse("t.md", text, strlen(text), &d);
	if (rb) {
		runbook_free(&rb);
		sbuf_free(&d);
		return NULL;
	}
	return d.s ? sbuf_take(&d) : xstrdup("");
}

static void test_parse(void)
{
	sbuf d;
	sbuf_init(&d);
	runbook *rb = runbook_parse("t.md", good, strlen(good), &d);
	ok(rb != NULL, "the contract's example parses");
	if (!rb) {
		printf("# %s", d.s ? d.s : "");
		return;
	}
	is_str(rb->id, "provisioning/new-iam-users", "id");
	is_str(rb->title, "IAM users created in the window", "title");
	is_int(rb->version, 3, "version");
	is_int(rb->severity, RB_HIGH, "severity without its inline comment");
	is_int(rb->window, 24LL * 3600 * 1000, "window");
	is_int(rb->ntags, 2, "tags split on commas, empty ones dropped");
	is_str(rb->ntags == 2 ? rb->tags[1] : "", "iam", "tags trimmed");
	is_str(rb->intro, "Intro prose.", "intro");
	is_int(rb->nsteps, 2, "two steps");
	is_str(rb->steps[0].title, "New IAM users", "step title");
	is_int(rb->steps[0].kind, RB_FINDINGS, "findings kind");
	is_str(rb->steps[0].query, "service = iam and event = CreateUser\n| fields time, principal",
	       "query text");
	is_int(rb->steps[0].query_line, 16, "query line");
	is_str(rb->steps[0].guidance, "Guidance prose.", "guidance without the respond action");
	is_int(rb->steps[0].nrespond, 1, "one respond action");
	is_str(rb->steps[0].respond[0].text,
	       "disable the user's keys:\n`aws iam update-access-key --user-name "
	       "{requestParameters.userName}`",
	       "respond continuation joined with a newline");
	is_int(rb->steps[1].kind, RB_CONTEXT, "`query` alone is context");
	is_str(rb->steps[1].title, "Context ## step", "CRLF heading");
	is_str(rb->steps[1].query, "event = X\n## not a heading", "headings inside fences are text");
	ok(strstr(rb->steps[1].guidance, "also not a heading") != NULL, "other fences are guidance");
	is_int(strlen(rb->sha256), 64, "sha256 of the file");
	int line, col;
	runbook_query_pos(&rb->steps[0], 41, &line, &col);
	ok(line == 17 && col == 5, "query column 41 is line 17 col 5 (got %d:%d)", line, col);
	runbook_free(&rb);
	ok(rb == NULL, "runbook_free clears the pointer");
	sbuf_free(&d);
}

static void expect(const char *text, const char *want, const char *what)
{
	char *e = errs(text);
	ok(e && strstr(e, want), "%s: %s", what, want);
	if (!e || !strstr(e, want))
		printf("#   got: %s\n", e ? e : "(parsed)");
	free(e);
}

#define FM "---\nid: a\ntitle: t\nversion: 1\nseverity: low\n---\n"
static void test_errors(void)
{
	expect("", "t.md:1:1: error: a runbook starts with a '---' line", "empty file");
	expect("---\nid: a\n", "t.md:1:1: error: the front matter is not closed", "unclosed");
	expect("---\nid: a\n---\n## s\n```query\nx\n```\n", "t.md:3:1: error: missing front-matter "
							   "key 'title'", "missing key");
	expect("---\nid: a\ncolour: red\n---\n", "t.md:3:1: error: unknown front-matter key 'colour'",
	       "unknown key");
	expect("---\nid: a\ntitle: t\nversion: 1.5\nseverity: low\n---\n", "t.md:4:10: error: bad "
	       "version '1.5'", "bad version");
	expect("---\nid: a\ntitle: t\nversion: -2\nseverity: low\n---\n", "bad version", "negative");
	expect("---\nid: ../x\ntitle: t\nversion: 1\nseverity: low\n---\n", "bad id", "bad id");
	expect("---\nid: a\nid: b\n---\n", "'id' given twice", "duplicate key");
	expect("---\nid: a\nnot a key\n---\n", "t.md:3:4: error: expected 'key: value'", "no colon");
	expect(FM "intro only\n", "no steps", "no steps");
	expect(FM "## s\ntext\n", "t.md:7:1: error: step 's' has no query block", "step w/o query");
	expect(FM "## s\n```query\na\n```\n```query\nb\n```\n", "t.md:11:4: error: a second query "
	       "block", "two queries");
	expect(FM "## s\n```query findings\na\n", "t.md:8:1: error: unterminated code fence",
	       "unterminated");
	expect(FM "## s\n```query finding\na\n```\n", "unknown step kind 'finding'", "bad kind");
	expect(FM "## s\n```query findings extra\na\n```\n", "unexpected 'extra'", "extra words");
	expect(FM "```query\na\n```\n## s\n```query\nb\n```\n", "outside a step", "query in intro");
	expect(FM "## s\n```query\n  \n```\n", "empty query block", "empty query");
	expect(FM "##\n```query\na\n```\n", "without a title", "empty title");
	expect(FM "> respond: x\n## s\n```query\na\n```\n", "respond action outside a step",
	       "respond in intro");
	expect(FM "## s\n```query\na\n```\n> respond:   \n", "an empty respond action", "empty");
	expect(FM "## s\n```query\na\xff\n```\n", "t.md:9:1: error: invalid UTF-8", "bad UTF-8");
	char nul[] = FM "## s\n```query\nab\n```\n";
	nul[sizeof FM + 14] = 0;
	sbuf d;
	sbuf_init(&d);
	runbook *rb = runbook_parse("t.md", nul, sizeof nul - 1, &d);
	ok(!rb && d.s && strstr(d.s, "NUL byte"), "a NUL byte is an error");
	sbuf_free(&d);
	sbuf_init(&d);
	rb = runbook_parse("t\x1b[31m.md", "x\x1b", 2, &d);
	ok(!rb && d.s && !strchr(d.s, 0x1b), "paths and messages are escaped for the terminal");
	sbuf_free(&d);
	char *e = errs("\xef\xbb\xbf" FM "## s\n```query\na\n```\n");
	ok(e == NULL, "a UTF-8 byte-order mark is skipped");
	free(e);
}

static int nprob;
static size_t lastoff;
static void prob(void *ud, size_t off, const char *msg)
{
	(void)ud, (void)msg;
	nprob++;
	lastoff = off;
}

static void test_template(void)
{
	static const struct {
		const char *t;
		int n;
	} cases[] = {
		{ "aws iam x --user-name {requestParameters.userName}", 0 },
		{ "{principal} {ip} {key} {eventName} {time}", 0 },
		{ "literal {{braces}} and {{ and }}", 0 },
		{ "{}", 1 },
		{ "{unclosed", 1 },
		{ "stray }", 1 },
		{ "{nosuchalias}", 1 },
		{ "{a..b}", 1 },
		{ "{.a}", 1 },
		{ "{a b}", 1 },
		{ "{\"json\": 1}", 1 },
		{ "{a{b}", 2 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		nprob = 0;
		int n = tmpl_check(cases[i].t, prob, NULL);
		ok(n == cases[i].n && nprob == n, "tmpl_check '%s': %d problem(s) (got %d)", cases[i].t,
		   cases[i].n, n);
	}
	tmpl_check("ok } bad", prob, NULL);
	is_int(lastoff, 3, "problem offset");

	/* fill from a store: fixed columns only (no raw events needed) */
	store *s = store_new();
	const char *row[COL_NFIXED] = { "CreateUser", "iam.amazonaws.com", "us-east-1",
					"203.0.113.9", "aws-cli", NULL, "arn:aws:iam::1:user/a\x1b[2J",
					"IAMUser", "AKIA1", "1", NULL, "e1", "false" };
	size_t lens[COL_NFIXED];
	for (int c = 0; c < COL_NFIXED; c++)
		lens[c] = row[c] ? strlen(row[c]) : 0;
	store_add(s, 1795000000000LL, row, lens, 0, 0, 0);
	sbuf out;
	sbuf_init(&out);
	char msg[256];
	ok(tmpl_fill("key {key} from {ip} at {time} {{x}}", s, 0, TMPL_RAW, &out, msg, sizeof msg)
		   == 0,
	   "fill succeeds");
	is_str(out.s, "key AKIA1 from 203.0.113.9 at 2026-11-18T11:06:40Z {x}", "filled");
	sbuf_reset(&out);
	tmpl_fill("who {principal}\nerr {error}", s, 0, TMPL_TERM, &out, msg, sizeof msg);
	is_str(out.s, "who arn:aws:iam::1:user/a\\e[2J\nerr {error}",
	       "escaped for the terminal; absent field stays as written");
	sbuf_free(&out);
	store_free(&s);
}

static void test_state(void)
{
	char dir[] = "/tmp/tg-state.XXXXXX";
	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	char path[64], msg[256];
	snprintf(path, sizeof path, "%s/state.json", dir);
	run_state *st = run_state_load(path, msg, sizeof msg);
	ok(st && run_state_count(st) == 0, "a missing state file is an empty state");
	for (int i = 0; i < 200; i++) {
		char k[32];
		snprintf(k, sizeof k, "evt-%d", i);
		run_state_add(st, "rb", "step \"one\"", k, 1795000000000LL);
	}
	run_state_add(st, "rb", "step \"one\"", "evt-7", 0);
	is_int(run_state_count(st), 200, "duplicates are not added");
	ok(run_state_save(st, path, msg, sizeof msg) == 0, "saved");
	run_state_free(&st);
	st = run_state_load(path, msg, sizeof msg);
	ok(st && run_state_count(st) == 200, "loaded back");
	ok(st && run_state_has(st, "rb", "step \"one\"", "evt-199"), "has a finding");
	ok(st && !run_state_has(st, "rb", "step two", "evt-199"), "keyed by the step too");
	run_state_free(&st);
	static const char *const bad[] = {
		"", "{", "[]", "{\"version\":1}", "{\"version\":2,\"reported\":[]}",
		"{\"version\":1,\"reported\":[{\"runbook\":\"a\"}]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		FILE *f = fopen(path, "w");
		fputs(bad[i], f);
		fclose(f);
		msg[0] = 0;
		st = run_state_load(path, msg, sizeof msg);
		ok(!st && msg[0], "corrupt state '%s' is an error: %s", bad[i], msg);
		run_state_free(&st);
	}
	unlink(path);
	rmdir(dir);
}

static void test_redact(void)
{
	char b[128];
	notify_redact("https://hooks.slack.com/services/T0/B0/SECRET", b, sizeof b);
	is_str(b, "https://hooks.slack.com/...", "webhook path hidden");
	notify_redact("http://u:p@127.0.0.1:8080", b, sizeof b);
	is_str(b, "http://127.0.0.1:8080", "credentials hidden");
}

int main(void)
{
	test_parse();
	test_errors();
	test_template();
	test_state();
	test_redact();
	return tap_done();
}

/* test_lists.c — @name list files: format, bad lines (FILE:LINE), expiry, globs, loading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lists.h"
#include "tap.h"
#include "tgtime.h"

static int64_t T0; /* 2026-11-20T00:00:00Z */

static void test_parse(void)
{
	const char *text =
		"# approved provisioners\n"
		"\n"
		"arn:aws:iam::111122223333:role/terraform | owner=platform | reason=IaC\n"
		"  arn:aws:sts::111122223333:assumed-role/terraform/*  |owner = platform| reason = runs \n"
		"old-vendor | owner=sec | reason=contract | expires=2026-11-19\n"
		"today | owner=sec | reason=ends today | expires=2026-11-20\r\n"
		"no-owner | reason=x\n"
		"bad-date | owner=a | reason=b | expires=2026-02-30\n"
		"| owner=a | reason=b\n"
		"unknown | owner=a | reason=b | color=red\n"
		"noeq | owner=a | reason=b | junk\n"
		"dup | owner=a | owner=b | reason=c\n"
		"a?c | owner=x | reason=y";
	sbuf w;
	sbuf_init(&w);
	tglist *l = tglist_parse("prov", "runbooks/lists/prov", text, strlen(text), T0, &w);
	is_int(l->n, 5, "five good entries");
	is_str(w.s,
	       "runbooks/lists/prov:7: missing owner (every entry needs owner= and reason=)\n"
	       "runbooks/lists/prov:8: bad expiry date '2026-02-30' (expected YYYY-MM-DD)\n"
	       "runbooks/lists/prov:9: empty value before '|'\n"
	       "runbooks/lists/prov:10: unknown key 'color' (expected owner, reason or expires)\n"
	       "runbooks/lists/prov:11: expected key=value after '|', not 'junk'\n"
	       "runbooks/lists/prov:12: duplicate 'owner'\n",
	       "bad lines reported as FILE:LINE: reason");
	is_str(l->entries[1].value, "arn:aws:sts::111122223333:assumed-role/terraform/*", "value trimmed");
	is_str(l->entries[1].owner, "platform", "owner trimmed");
	is_str(l->entries[1].reason, "runs", "reason trimmed");
	ok(l->entries[1].glob && !l->entries[0].glob, "glob flag");
	is_int(l->entries[2].line, 5, "line numbers");
	ok(l->entries[2].expired, "an entry whose date is before today is expired");
	ok(!l->entries[3].expired, "an entry expiring today still matches today");
	is_int(l->entries[3].expires, T0 + 86400000LL, "expiry is the end of the day");
	is_str(l->entries[3].reason, "ends today", "CRLF stripped");
	const char *role = "arn:aws:iam::111122223333:role/terraform";
	ok(tglist_match(l, role, strlen(role)), "exact match");
	ok(!tglist_match(l, role, strlen(role) - 1), "a prefix does not match");
	const char *sess = "arn:aws:sts::111122223333:assumed-role/terraform/terraform-run-7";
	ok(tglist_match(l, sess, strlen(sess)), "glob match");
	const char *sessup = "arn:aws:sts::111122223333:assumed-role/TERRAFORM/x";
	ok(!tglist_match(l, sessup, strlen(sessup)), "globs are case-sensitive");
	ok(!tglist_match(l, "old-vendor", 10), "expired entries never match");
	ok(tglist_match(l, "today", 5), "live entry matches");
	ok(tglist_match(l, "abc", 3) && !tglist_match(l, "ac", 2), "? is one byte");
	ok(!tglist_match(NULL, "x", 1) && !tglist_match(l, NULL, 0), "NULL list or value");
	tglist_free(&l);
	ok(l == NULL, "free clears");
	/* expiry against another now */
	sbuf_reset(&w);
	l = tglist_parse("x", "x", text, strlen(text), T0 + 86400000LL, NULL);
	ok(!tglist_match(l, "today", 5), "the day after the expiry date it stops matching");
	tglist_free(&l);
	/* empty and comment-only files */
	l = tglist_parse("e", "e", "", 0, T0, &w);
	is_int(l->n, 0, "empty file");
	tglist_free(&l);
	l = tglist_parse("e", "e", "x | owner=a | reason=b\0y", 24, T0, &w);
	is_int(l->n, 1, "a NUL byte in a value is a bad line");
	tglist_free(&l);
	sbuf_free(&w);
}

static void test_glob(void)
{
	ok(tglist_glob("*", 1, "", 0), "* matches empty");
	ok(tglist_glob("a*b*c", 5, "axxbyyc", 7), "two stars");
	ok(!tglist_glob("a*b*c", 5, "axxbyy", 6), "two stars, no end");
	ok(tglist_glob("a**", 3, "a", 1), "trailing stars");
	ok(!tglist_glob("a", 1, "A", 1), "case-sensitive");
	ok(tglist_glob("[x]", 3, "[x]", 3), "brackets are literal");
	/* no exponential blow-up */
	char s[4001], p[64];
	memset(s, 'a', 4000);
	s[4000] = 0;
	strcpy(p, "*a*a*a*a*a*a*a*a*a*a*a*a*b");
	ok(!tglist_glob(p, strlen(p), s, 4000), "pathological glob returns");
}

/* An address or CIDR entry matches the addresses inside it. */
static void test_cidr(void)
{
	sbuf w;
	sbuf_init(&w);
	const char *text =
		"10.0.0.0/8 | owner=net | reason=corporate\n"
		"2001:db8::/32 | owner=net | reason=documentation\n"
		"192.0.2.7 | owner=net | reason=bastion\n"
		"198.51.100.0/24 | owner=net | reason=old office | expires=2020-01-01\n"
		"10.0.0.0/33 | owner=net | reason=typo\n"
		"172.16.*.1 | owner=net | reason=glob, not a CIDR\n";
	tglist *l = tglist_parse("nets", "lists/nets", text, strlen(text), T0, &w);
	is_str(w.s ? w.s : "", "lists/nets:5: bad CIDR '10.0.0.0/33'\n", "a bad CIDR is a bad line");
	is_int((int)l->n, 5, "five entries kept");
	ok(tglist_match(l, "10.1.2.3", 8), "inside 10.0.0.0/8");
	ok(tglist_match(l, "10.0.0.0/8", 10), "the entry's text itself");
	ok(!tglist_match(l, "11.0.0.1", 8), "outside");
	ok(tglist_match(l, "2001:db8:0:1::5", 15), "inside 2001:db8::/32");
	ok(tglist_match(l, "2001:0db8::7", 12), "IPv6 in another spelling");
	ok(tglist_match(l, "192.0.2.7", 9), "a plain address");
	ok(!tglist_match(l, "192.0.2.8", 9), "the next address is not");
	ok(!tglist_match(l, "198.51.100.9", 12), "an expired CIDR never matches");
	ok(tglist_match(l, "172.16.9.1", 10), "globs still work");
	ok(!tglist_match(l, "lambda.amazonaws.com", 20), "a name is not an address");
	tglist_free(&l);
	sbuf_free(&w);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void test_load(void)
{
	char base[256], p[512];
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(base, sizeof base, "%s/test_lists_XXXXXX", tmp);
	if (!mkdtemp(base)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(p, sizeof p, "%s/a", base);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/a/lists", base);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/b", base);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/b/lists", base);
	mkdir(p, 0700);
	snprintf(p, sizeof p, "%s/a/lists/admins", base);
	write_file(p, "alice | owner=sec | reason=admin\nbad line\n");
	snprintf(p, sizeof p, "%s/a/lists/.hidden", base);
	write_file(p, "x | owner=a | reason=b\n");
	snprintf(p, sizeof p, "%s/b/lists/admins", base);
	write_file(p, "mallory | owner=x | reason=y\n");
	snprintf(p, sizeof p, "%s/b/lists/vendors", base);
	write_file(p, "999988887777 | owner=x | reason=y\n");
	snprintf(p, sizeof p, "%s/b/lists/sub", base);
	mkdir(p, 0700);
	char da[300], db[300], dc[300];
	snprintf(da, sizeof da, "%s/a", base);
	snprintf(db, sizeof db, "%s/b", base);
	snprintf(dc, sizeof dc, "%s/none", base);
	char *dirs[] = {da, db, dc};
	sbuf w;
	sbuf_init(&w);
	listset *ls = listset_load(dirs, 3, T0, &w);
	is_int(listset_count(ls), 2, "two lists: admins (first dir wins), vendors");
	const tglist *adm = listset_get(ls, "admins");
	ok(adm && tglist_match(adm, "alice", 5) && !tglist_match(adm, "mallory", 7),
	   "the earlier directory's list wins");
	ok(listset_get(ls, "vendors") != NULL, "a list only in the later dir");
	ok(listset_get(ls, ".hidden") == NULL && listset_get(ls, "nope") == NULL, "unknown names");
	ok(w.s && strstr(w.s, "/a/lists/admins:2: missing owner and reason") != NULL, "bad line reported with its file");
	ok(w.s && strstr(w.s, "list '@admins' is shadowed by") != NULL, "duplicate name reported");
	ok(listset_at(ls, 5) == NULL && listset_get(NULL, "x") == NULL, "out of range");
	listset_free(&ls);
	ok(ls == NULL, "listset_free clears");
	sbuf_free(&w);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
	if (system(cmd) != 0)
		printf("# cleanup failed\n");
}

int main(void)
{
	tgtime_parse("2026-11-20T00:00:00Z", 20, &T0);
	test_parse();
	test_glob();
	test_cidr();
	test_load();
	return tap_done();
}

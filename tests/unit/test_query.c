/* test_query.c — the query language: lexer, parser errors, operators, stages, aggregates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "query.h"
#include "query_lex.h"
#include "query_ast.h"
#include "tap.h"
#include "jframe.h"
#include "tgtime.h"

static store *S;
static int64_t T0; /* 2026-11-20T00:00:00Z */

/* time offset in minutes, then the fixed columns (NULL = absent) */
static const struct ev {
	int min;
	const char *c[COL_NFIXED];
} evs[] = {
	{10, {"CreateUser", "iam.amazonaws.com", "us-east-1", "203.0.113.9", "aws-cli/2.15",
	      NULL, "arn:aws:iam::111122223333:user/alice", "IAMUser", "AKIAALICE",
	      "111122223333", NULL, "1", "false"}},
	{20, {"CreateLoginProfile", "iam.amazonaws.com", "us-east-1", "203.0.113.9",
	      "aws-cli/2.15", NULL, "arn:aws:iam::111122223333:user/alice", "IAMUser",
	      "AKIAALICE", "111122223333", NULL, "2", "false"}},
	{65, {"GetObject", "s3.amazonaws.com", "eu-west-1", "10.1.2.3", "Boto3/1.34",
	      "AccessDenied", "arn:aws:sts::111122223333:assumed-role/Admin/bob", "AssumedRole",
	      "ASIABOB", "111122223333", "arn:aws:iam::111122223333:role/Admin", "3", "true"}},
	{90, {"ConsoleLogin", "signin.amazonaws.com", "us-east-1", "2001:db8::5",
	      "Mozilla/5.0", NULL, "arn:aws:iam::444455556666:user/carol", "IAMUser", NULL,
	      "444455556666", NULL, "10", "false"}},
	{120, {"CreateUser", "iam.amazonaws.com", "eu-west-1", "192.0.2.7", NULL,
	       "EntityAlreadyExists", "arn:aws:sts::111122223333:assumed-role/Admin/bob",
	       "AssumedRole", "ASIABOB", "111122223333", "arn:aws:iam::111122223333:role/Admin",
	       "20", "false"}},
	{180, {"DescribeInstances", "ec2.amazonaws.com", "us-east-1", "10.200.0.1",
	       "aws-cli/2.15", NULL, "arn:aws:iam::111122223333:user/alice", "IAMUser",
	       "AKIAALICE", "111122223333", NULL, "100", "true"}},
};
#define NEV (sizeof evs / sizeof evs[0])

/* The raw events, one per line, for paths outside the fixed columns. */
static const char *const raw[NEV] = {
	"{\"requestParameters\":{\"userName\":\"mallory\"},\"userIdentity\":{\"userName\":\"alice\"},"
	"\"resources\":[{\"ARN\":\"arn:a\"},{\"ARN\":\"arn:b\",\"n\":null},{\"type\":\"t\"}]}",
	"{\"requestParameters\":{\"userName\":\"mallory\",\"password\":\"x\"},\"userIdentity\":{\"userName\":\"mallory\"}}",
	"{\"resources\":[{\"ARN\":\"arn:aws:s3:::loot/a\"}],\"requestParameters\":{\"bucketName\":\"loot\"}}",
	"{\"additionalEventData\":{\"MFAUsed\":\"No\"},\"requestParameters\":{\"ipPermissions\":{\"items\":["
	"{\"fromPort\":22,\"ipRanges\":{\"items\":[{\"cidrIp\":\"0.0.0.0/0\"},{\"cidrIp\":\"10.0.0.0/8\"}]}},"
	"{\"fromPort\":443,\"ipRanges\":{\"items\":[{\"cidrIp\":\"192.168.0.0/16\"}]}}]}},\"tags\":[[\"a\",\"b\"],[\"c\"]]}",
	"{\"requestParameters\":{\"userName\":\"eve\"}}",
	"{\"requestParameters\":null}",
};
static char rawpath[256];

static void build_store(void)
{
	tgtime_parse("2026-11-20T00:00:00Z", 20, &T0);
	S = store_new();
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(rawpath, sizeof rawpath, "%s/test_query_XXXXXX", tmp);
	int fd = mkstemp(rawpath);
	FILE *fp = fdopen(fd, "w");
	uint64_t offs[NEV];
	for (size_t i = 0; i < NEV; i++) {
		offs[i] = (uint64_t)ftell(fp);
		fprintf(fp, "%s\n", raw[i]);
	}
	fclose(fp);
	struct stat st;
	stat(rawpath, &st);
	store_file f = {.path = rawpath, .fmt = JFMT_NDJSON, .size = (uint64_t)st.st_size,
			.mtime = (int64_t)st.st_mtime, .events = NEV};
	uint32_t fi = store_add_file(S, &f);
	for (size_t i = 0; i < NEV; i++) {
		size_t lens[COL_NFIXED];
		for (int c = 0; c < COL_NFIXED; c++)
			lens[c] = evs[i].c[c] ? strlen(evs[i].c[c]) : 0;
		store_add(S, T0 + evs[i].min * 60000LL, evs[i].c, lens, fi, offs[i],
			  (uint32_t)strlen(raw[i]));
	}
}

static qctx ctx(void)
{
	qctx c;
	qctx_init(&c);
	c.now = T0 + 4 * 3600000LL; /* now = 04:00 */
	return c;
}

/* Run q; events as "0,2,5", tables as "a|b;1|2;3|4", errors as "error@COL: msg". */
static char out[4096];
static const char *run(const char *text)
{
	qerr e;
	query *q = query_parse(text, &e);
	if (!q) {
		snprintf(out, sizeof out, "error@%d: %s", e.col, e.msg);
		return out;
	}
	qctx c = ctx();
	result *r = query_run(q, S, &c, &e);
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, "", 0);
	if (!r) {
		sbuf_addf(&b, "runerror@%d: %s", e.col, e.msg);
	} else if (!r->is_table) {
		for (size_t i = 0; i < r->n; i++)
			sbuf_addf(&b, "%s%u", i ? "," : "", r->idx[i]);
	} else {
		for (int c = 0; c < r->ncols; c++)
			sbuf_addf(&b, "%s%s", c ? "|" : "", r->cols[c]);
		for (size_t i = 0; i < r->nrows; i++) {
			sbuf_addc(&b, ';');
			for (int c = 0; c < r->ncols; c++) {
				const char *v = r->cells[i * (size_t)r->ncols + (size_t)c];
				sbuf_addf(&b, "%s%s", c ? "|" : "", v ? v : "-");
			}
		}
	}
	snprintf(out, sizeof out, "%s", b.s);
	sbuf_free(&b);
	result_free(&r);
	query_free(&q);
	return out;
}

#define Q(text, want) is_str(run(text), want, "%s", text)

static void test_lexer(void)
{
	qlexer lx;
	qtoken t = {0};
	int col;
	char msg[128];
	const char *src = "a.b!=\"x\\\"y\\u00e9\" (arn:aws:iam::1:user/a, -24h) | @ok ~ !~ =~ !=~ first-seen";
	enum qtok want[] = {QT_WORD, QT_NE, QT_STRING, QT_LPAREN, QT_WORD, QT_COMMA, QT_WORD,
			    QT_RPAREN, QT_PIPE, QT_AT, QT_GLOB, QT_NGLOB, QT_RE, QT_NRE, QT_WORD,
			    QT_EOF};
	qlex_init(&lx, src);
	int good = 1;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (qlex_next(&lx, &t, &col, msg, sizeof msg) < 0 || t.t != want[i]) {
			good = 0;
			printf("# token %zu: got %s\n", i, qtok_name(t.t));
			break;
		}
		if (i == 2)
			is_str(t.text, "x\"y\xc3\xa9", "string escapes decoded");
		if (i == 4)
			is_str(t.text, "arn:aws:iam::1:user/a", "ARN is one word");
		if (i == 9)
			is_str(t.text, "ok", "@name token");
		if (i == 14)
			is_str(t.text, "first-seen", "hyphenated word");
	}
	ok(good, "token kinds in order");
	qlex_init(&lx, "  'unterminated");
	ok(qlex_next(&lx, &t, &col, msg, sizeof msg) < 0 && col == 2, "unterminated string at its quote");
	is_str(msg, "unterminated string", "unterminated string message");
	qlex_init(&lx, " /a\\/b/i rest");
	ok(qlex_regex(&lx, &t, &col, msg, sizeof msg) == 0 && t.icase, "regex with /i");
	is_str(t.text, "a/b", "\\/ in a regex is a slash");
	qlex_init(&lx, "event=CreateUser");
	qlex_next(&lx, &t, &col, msg, sizeof msg);
	is_str(t.text, "event", "operator ends a bare word");
	qtoken_clear(&t);
}

static void test_errors(void)
{
	Q("event =", "error@7: expected a value after '=', not end of query");
	Q("event in (CreateUser", "error@20: expected ')' to close the list opened at column 10");
	Q("event = 'abc", "error@8: unterminated string");
	Q("| stats cnt() by event",
	  "error@8: unknown function 'cnt' (expected count, dc, min, max, values, first, last)");
	Q("| stats count() by bin(5x)",
	  "error@23: bad duration '5x' (expected e.g. 90s, 15m, 1h, 1d)");
	Q("ip in 10.0.0.0/33", "error@6: bad CIDR '10.0.0.0/33'");
	Q("ip in (10.0.0.0/8, 10.0.0.0/x)", "error@19: bad CIDR '10.0.0.0/x'");
	Q("| first-seen principal baseline 30d",
	  "runerror@2: first-seen needs a window: give a start time (--since, or a runbook's window)");
	Q("| firstseen principal",
	  "error@2: unknown stage 'firstseen' (expected filter, fields, stats, sort, head, dedup, "
	  "first-seen, dormant, spike, sequence, threshold)");
	Q("time > yesterday",
	  "error@7: bad time 'yesterday' (expected e.g. 2026-11-20T00:00Z, 2026-11-20, -24h or now)");
	Q("event = a b", "error@10: expected 'and', 'or', '|' or the end of the query, not 'b'");
	Q("(event = a", "error@10: expected ')' to close the '(' at column 1, not end of query");
	Q("event =~ /(/", "error@9: bad regex: Unmatched ( or \\(");
	Q("event =~ x", "error@9: expected a /regex/ after '=~'");
	Q("ua =~ /mo++++++++++++++++++++++z/", "error@6: regex too complex (nested or stacked repetition)");
	Q("ua =~ /((((((((((a+)+)+)+)+)+)+)+)+)+)/", "error@6: regex too complex (nested or stacked repetition)");
	{ /* repeated groups that can match empty: regcomp's epsilon closure grows as their cube */
		char q[256] = "ua =~ /", q33[256];
		for (int i = 0; i < 32; i++)
			strcat(q, "(x|)*");
		snprintf(q33, sizeof q33, "%s(x|)*/", q);
		strcat(q, "/");
		is_str(run(q33), "error@6: regex too complex (more than 32 repeated groups)",
		       "33 repeated groups refused");
		ok(strncmp(run(q), "error", 5) != 0, "32 repeated groups accepted");
	}
	Q("ua =~ /^(a*)*\\1b/", "error@6: regex backreference \\1: not supported (a backreference makes matching exponential)");
	Q("ua =~ /[[:alpha:]]+-cli\\/2{1,3}/", "0,1,5");
	Q("= x", "error@0: expected a field name to compare, not '='");
	Q("stats count()", "error@0: a stage needs a '|' before it: '| stats ...'");
	Q("| stats count() by event | filter cnt > 5",
	  "error@34: no column 'cnt' in the table (columns: event, count)");
	Q("| stats count() | stats count()",
	  "error@18: stats needs events, but an earlier stage made a table");
	Q("| head x", "error@7: expected a count after 'head', not 'x'");
	Q("| stats count() as n, dc(event) as n", "error@22: duplicate column 'n' (name one with 'as')");
	Q("principal in @approved", "runerror@13: unknown list '@approved'");
	Q("time ~ x", "error@5: time compares with =, !=, <, <=, >, >= or exists");
	Q("| stats dc() by event", "error@11: expected a field name in dc(), not ')'");
	Q("event", "error@5: expected an operator (= != < <= > >= ~ !~ =~ !=~ in exists) after 'event', not end of query");
	Q("event = \"\\q\"", "error@9: bad escape '\\q' in string");
	Q("| stats count() by event |", "error@26: expected a stage name after '|', not end of query");

	/* nesting is capped rather than recursing without bound */
	char deep[2000];
	memset(deep, '(', 600);
	strcpy(deep + 600, "a = b");
	const char *r = run(deep);
	ok(strstr(r, "nested too deeply") != NULL, "deep nesting is an error: %.60s", r);
	char nots[3000] = "";
	for (int i = 0; i < 400; i++)
		strcat(nots, "not ");
	strcat(nots, "a exists");
	ok(strstr(run(nots), "nested too deeply") != NULL, "deep not chain is an error");

	/* formatting: the query, a caret line, the message */
	qerr e;
	const char *text = "service = iam and event in (CreateUser";
	query *q = query_parse(text, &e);
	ok(!q, "unclosed list fails");
	sbuf b;
	sbuf_init(&b);
	query_err_format(text, &e, &b);
	is_str(b.s, "service = iam and event in (CreateUser\n"
		    "                                      ^ expected ')' to close the list opened at column 28\n",
	       "query_err_format draws a caret");
	sbuf_free(&b);
	e.col = -1;
	snprintf(e.msg, sizeof e.msg, "oops");
	sbuf_init(&b);
	query_err_format(text, &e, &b);
	is_str(b.s, "oops\n", "error without a column is just the message");
	sbuf_free(&b);
}

static void test_operators(void)
{
	Q("", "0,1,2,3,4,5");
	Q("*", "0,1,2,3,4,5");
	Q("event = CreateUser", "0,4");
	Q("event = createuser", "");
	Q("event = NoSuchEvent", "");
	Q("event != CreateUser", "1,2,3,5");
	Q("event == 'CreateUser'", "0,4");
	Q("EVENT = CreateUser", "");
	Q("EVENT != CreateUser", "0,1,2,3,4,5");
	/* absent fields: = < in ~ =~ false; != not-in !~ !=~ true */
	Q("error = AccessDenied", "2");
	Q("error != AccessDenied", "0,1,3,4,5");
	Q("error exists", "2,4");
	Q("not error exists", "0,1,3,5");
	Q("error not exists", "0,1,3,5");
	Q("ua ~ \"*cli*\"", "0,1,5");
	Q("ua !~ \"*cli*\"", "2,3,4");
	Q("ua ~ '*CLI*'", "0,1,5");
	Q("ua ~ 'aws-cli/2.1?'", "0,1,5");
	Q("ua ~ '[ab]*'", "0,1,2,5");
	Q("ua =~ /^aws-/", "0,1,5");
	Q("ua =~ /^AWS-/", "");
	Q("ua =~ /^AWS-/i", "0,1,5");
	Q("ua !=~ /^aws-/", "2,3,4");
	Q("ua =~ \"^Moz\"", "3");
	Q("principal =~ /user\\/alice$/", "0,1,5");
	Q("key in (AKIAALICE, ASIABOB)", "0,1,2,4,5");
	Q("key not in (AKIAALICE)", "2,3,4");
	Q("key in AKIAALICE", "0,1,5");
	/* numbers compare numerically when both sides are numbers, else bytewise */
	Q("eventID < 15", "0,1,2,3");
	Q("eventID >= 20", "4,5");
	Q("eventID > 2", "2,3,4,5");
	Q("eventID <= 3", "0,1,2");
	Q("region > eu", "0,1,2,3,4,5");
	Q("region < us", "2,4");
	Q("principal > arn:aws:iam::4", "2,3,4");
	Q("principal > arn:aws:iam::4 and principal < arn:aws:sts", "3");
}

static void test_cidr_time_alias(void)
{
	Q("ip in 10.0.0.0/8", "2,5");
	Q("ip in (10.0.0.0/8, 2001:db8::/32, 192.0.2.7)", "2,3,4,5");
	Q("ip not in (10.0.0.0/8, 2001:db8::/32)", "0,1,4");
	Q("ip in 10.1.0.0/16", "2");
	Q("ip in 203.0.113.9/32", "0,1");
	Q("ip in 2001:db8::5", "3");
	Q("ip in 0.0.0.0/0", "0,1,2,4,5");
	Q("ip = 203.0.113.9", "0,1");
	/* times: absolute, relative to ctx->now (04:00), date only */
	Q("time >= 2026-11-20T01:00Z", "2,3,4,5");
	Q("time < 2026-11-20T01:00Z", "0,1");
	Q("time > -2h", "5");
	Q("time >= -3h", "2,3,4,5");
	Q("time < 2026-11-20", "");
	Q("time >= 2026-11-20 and time < 2026-11-21", "0,1,2,3,4,5");
	Q("time = 2026-11-20T00:10:00Z", "0");
	Q("time != 2026-11-20T00:10:00Z", "1,2,3,4,5");
	Q("eventTime > now", "");
	Q("time exists", "0,1,2,3,4,5");
	/* aliases */
	Q("service = iam", "0,1,4");
	Q("service = iam.amazonaws.com", "0,1,4");
	Q("service in (s3, ec2)", "2,5");
	Q("service != iam", "2,3,5");
	Q("service ~ 'iam*'", "0,1,4");
	Q("eventSource = signin", "3");
	Q("region = eu-west-1", "2,4");
	Q("type = AssumedRole", "2,4");
	Q("role = 'arn:aws:iam::111122223333:role/Admin'", "2,4");
	Q("account = 444455556666", "3");
	Q("readonly = true", "2,5");
	Q("principal = arn:aws:iam::111122223333:user/alice", "0,1,5");
	is_str(query_alias("service"), "eventSource", "alias service");
	is_str(query_alias("mfa"), "userIdentity.sessionContext.attributes.mfaAuthenticated", "alias mfa");
	ok(query_alias("nope") == NULL, "not an alias");
	int n = 0;
	while (query_alias_names[n])
		n++;
	is_int(n, 15, "fifteen aliases");
}

static void test_logic(void)
{
	Q("event = CreateUser or event = GetObject and error exists", "0,2,4");
	Q("(event = CreateUser or event = GetObject) and error exists", "2,4");
	Q("not event = CreateUser and region = us-east-1", "1,3,5");
	Q("not (event = CreateUser and region = us-east-1)", "1,2,3,4,5");
	Q("event = CreateUser AND NOT error EXISTS", "0");
	Q("service = iam and event in (CreateUser, CreateLoginProfile) and not error exists", "0,1");
	Q("not not event = CreateUser", "0,4");
	Q("a = 1 or b = 2 or event = GetObject", "2");
	Q("(region = us-east-1 or region = eu-west-1) and (key = ASIABOB or ip in 10.0.0.0/8)", "2,4,5");
	Q("region = us-east-1 and (not ua exists or ua ~ '*moz*')", "3");
}

static void test_stages(void)
{
	Q("| filter event = CreateUser", "0,4");
	Q("service = iam | filter region = eu-west-1", "4");
	Q("| sort event", "3,1,0,4,5,2");
	Q("| sort event desc", "2,5,0,4,1,3");
	Q("| sort key, time desc", "5,1,0,4,2,3");
	Q("| sort time desc | head 2", "5,4");
	Q("| sort eventID desc", "5,4,3,2,1,0");
	Q("| sort ua", "2,3,0,1,5,4");
	Q("| sort ua desc", "0,1,5,3,2,4");
	Q("| head", "0,1,2,3,4,5");
	Q("| head 3", "0,1,2");
	Q("| head 0", "");
	Q("| dedup principal", "0,2,3");
	Q("| dedup principal, region", "0,2,3");
	Q("| dedup region, readonly", "0,2,4,5");
	Q("| sort time desc | dedup principal", "5,4,3");
	Q("| fields time, principal", "0,1,2,3,4,5");
	/* stats */
	Q("| stats count()", "count;6");
	Q("event = Nothing | stats count()", "count;0");
	Q("| stats count() by event",
	  "event|count;CreateUser|2;CreateLoginProfile|1;GetObject|1;ConsoleLogin|1;DescribeInstances|1");
	Q("| stats count() by service | sort count desc, service",
	  "service|count;iam.amazonaws.com|3;ec2.amazonaws.com|1;s3.amazonaws.com|1;signin.amazonaws.com|1");
	Q("| stats count() as n, dc(event) by principal",
	  "principal|n|dc(event);arn:aws:iam::111122223333:user/alice|3|3;"
	  "arn:aws:sts::111122223333:assumed-role/Admin/bob|2|2;arn:aws:iam::444455556666:user/carol|1|1");
	Q("| stats count() by bin(1h)",
	  "time|count;2026-11-20T00:00:00Z|2;2026-11-20T01:00:00Z|2;2026-11-20T02:00:00Z|1;2026-11-20T03:00:00Z|1");
	Q("| stats count() by region, bin(2h)",
	  "region|time|count;us-east-1|2026-11-20T00:00:00Z|3;eu-west-1|2026-11-20T00:00:00Z|1;"
	  "eu-west-1|2026-11-20T02:00:00Z|1;us-east-1|2026-11-20T02:00:00Z|1");
	Q("| stats min(eventID), max(eventID), min(time), max(time)",
	  "min(eventID)|max(eventID)|min(time)|max(time);1|100|2026-11-20T00:10:00Z|2026-11-20T03:00:00Z");
	Q("| stats values(region), values(error), dc(ip), count(ua)",
	  "values(region)|values(error)|dc(ip)|count(ua);eu-west-1,us-east-1|AccessDenied,EntityAlreadyExists|5|5");
	Q("| stats first(event), last(event) by key",
	  "key|first(event)|last(event);AKIAALICE|CreateUser|DescribeInstances;ASIABOB|GetObject|CreateUser;-|ConsoleLogin|ConsoleLogin");
	Q("| sort time desc | stats first(event), last(event)",
	  "first(event)|last(event);CreateUser|DescribeInstances");
	Q("| stats max(error) by principal",
	  "principal|max(error);arn:aws:iam::111122223333:user/alice|-;"
	  "arn:aws:sts::111122223333:assumed-role/Admin/bob|EntityAlreadyExists;arn:aws:iam::444455556666:user/carol|-");
	Q("| stats COUNT() by type", "type|count;IAMUser|4;AssumedRole|2");
	/* table mode */
	Q("| stats count() by event | filter count > 1", "event|count;CreateUser|2");
	Q("| stats count() by event | filter count() >= 1 and event ~ 'c*' | sort event",
	  "event|count;ConsoleLogin|1;CreateLoginProfile|1;CreateUser|2");
	Q("| stats count() by event | sort count desc | head 1", "event|count;CreateUser|2");
	Q("| stats count() by event | sort count | head 2",
	  "event|count;CreateLoginProfile|1;GetObject|1");
	Q("| stats count() by region, type | dedup region",
	  "region|type|count;us-east-1|IAMUser|4;eu-west-1|AssumedRole|2");
	Q("| stats count() by region, type | fields count, region",
	  "count|region;4|us-east-1;2|eu-west-1");
	Q("| stats dc(event) by region | sort dc(event) desc",
	  "region|dc(event);us-east-1|4;eu-west-1|2");
	Q("| stats count() by bin(1h) | filter time >= -3h",
	  "time|count;2026-11-20T01:00:00Z|2;2026-11-20T02:00:00Z|1;2026-11-20T03:00:00Z|1");
	Q("| stats count() by key | filter key exists | sort key desc",
	  "key|count;ASIABOB|2;AKIAALICE|3");
	Q("| stats count() by key | sort key", "key|count;AKIAALICE|3;ASIABOB|2;-|1");
	Q("| stats count() by event | fields event | filter event = CreateUser", "event;CreateUser");
	query *q = query_parse("x = 1 | stats count()", NULL);
	ok(query_is_table(q), "stats makes a table");
	query_free(&q);
	q = query_parse("x = 1 | head 3", NULL);
	ok(q && !query_is_table(q), "events stay events");
	query_free(&q);
}

static void test_sort_stable(void)
{
	/* equal keys keep store (time) order, in both directions */
	Q("| sort region", "2,4,0,1,3,5");
	Q("| sort region desc", "0,1,3,5,2,4");
	Q("| sort readonly, region", "4,0,1,3,2,5");
}

static void test_fields(void)
{
	qfield f;
	char msg[128], buf[32];
	ok(qfield_resolve(S, "time", &f, msg, sizeof msg) == 0 && f.kind == QF_TIME, "time field");
	size_t len;
	is_str(qfield_value(S, &f, 0, buf, &len), "2026-11-20T00:10:00Z", "time value");
	qfield_free(&f);
	ok(qfield_resolve(S, "role", &f, msg, sizeof msg) == 0 && f.kind == QF_COL && f.col == COL_ISSUER,
	   "role is the issuer column");
	ok(qfield_value(S, &f, 0, buf, &len) == NULL, "absent value is NULL");
	is_str(qfield_value(S, &f, 2, buf, &len), "arn:aws:iam::111122223333:role/Admin", "issuer value");
	qfield_free(&f);
	ok(qfield_resolve(S, "account", &f, msg, sizeof msg) == 0 && f.col == COL_ACCOUNT, "account column");
	qfield_free(&f);
}

static void test_paths(void)
{
	Q("requestParameters.userName = mallory", "0,1");
	Q("requestParameters.userName exists", "0,1,4");
	Q("not requestParameters.userName exists", "2,3,5");
	Q("requestParameters.userName != mallory", "2,3,4,5");
	Q("resources.0.ARN ~ '*loot*'", "2");
	Q("service = iam | stats count() by requestParameters.userName",
	  "requestParameters.userName|count;mallory|2;eve|1");
	Q("| stats values(requestParameters.userName) by event | filter values(requestParameters.userName) exists",
	  "event|values(requestParameters.userName);CreateUser|eve,mallory;CreateLoginProfile|mallory");
	Q("service = iam and event = CreateUser and not error exists | fields time, principal, requestParameters.userName, ip",
	  "0");
	Q("| sort requestParameters.userName desc", "0,1,4,2,3,5");
	Q("| dedup requestParameters.userName", "0,2,4");
}

/* resources[].ARN: any element; negative operators hold when no element satisfies. */
static void test_any_element(void)
{
	Q("resources[].ARN = arn:b", "0");
	Q("resources[].ARN != arn:b", "1,2,3,4,5");
	Q("resources[].ARN ~ 'arn:*'", "0,2");
	Q("resources[].ARN !~ 'arn:a*'", "1,3,4,5");
	Q("resources[].ARN in (arn:a, x)", "0");
	Q("resources[].ARN not in (arn:a, arn:b)", "1,2,3,4,5");
	Q("resources[].ARN =~ /loot/", "2");
	Q("resources[].ARN exists", "0,2");
	Q("resources[].ARN not exists", "1,3,4,5");
	Q("resources[].type exists", "0");
	Q("resources.ARN exists", "");
	Q("requestParameters.ipPermissions.items[].ipRanges.items[].cidrIp = '0.0.0.0/0'", "3");
	Q("requestParameters.ipPermissions.items[].ipRanges.items[].cidrIp in (192.168.0.0/16)", "3");
	Q("requestParameters.ipPermissions.items[].fromPort > 400", "3");
	Q("requestParameters.ipPermissions.items[].fromPort < 22", "");
	Q("tags[][] = c", "3");
	Q("| filter resources[].ARN exists | fields resources[].ARN | head 1", "0");
	Q("resources[].ARN exists | stats count() by resources[].ARN",
	  "resources[].ARN|count;[\"arn:a\",\"arn:b\"]|1;[\"arn:aws:s3:::loot/a\"]|1");
	Q("| stats count() by resources[].ARN | filter resources[].ARN = arn:b",
	  "resources[].ARN|count;[\"arn:a\",\"arn:b\"]|1");
	Q("x = a[] and y[]", "error@15: expected an operator (= != < <= > >= ~ !~ =~ !=~ in exists) after 'y[]', not end of query");
	qfield f;
	char msg[128];
	size_t len;
	ok(qfield_resolve(S, "resources[].ARN", &f, msg, sizeof msg) == 0, "resolve any-element path");
	is_str(qfield_value(S, &f, 0, NULL, &len), "[\"arn:a\",\"arn:b\"]", "value is a JSON array");
	qfield_free(&f);
	sbuf b;
	sbuf_init(&b);
	size_t pos = 0;
	int n = 0;
	const char *arr = "[\"a\\\"b\",\"\\u00e9\"]";
	while (store_multi_next(arr, strlen(arr), &pos, &b))
		n++;
	is_int(n, 2, "store_multi_next walks the elements");
	is_str(b.s, "\xc3\xa9", "elements are unescaped");
	sbuf_free(&b);
}

/* a = field(b): both present and equal; != is its negation. */
static void test_field_ref(void)
{
	Q("userIdentity.userName = field(requestParameters.userName)", "1");
	Q("userIdentity.userName != field(requestParameters.userName)", "0,2,3,4,5");
	Q("userIdentity.userName exists and userIdentity.userName != field(requestParameters.userName)", "0");
	Q("requestParameters.userName > field(userIdentity.userName)", "0");
	Q("requestParameters.userName <= field(userIdentity.userName)", "1");
	Q("resources[].ARN = field(resources.1.ARN)", "0");
	Q("event = field", "");
	Q("event = 'field'", "");
	Q("event = field(requestParameters.userName", "error@40: expected ')' to close field(");
	Q("time = field(event)", "error@7: time compares with a time, not with field()");
	Q("event ~ field(x)", "error@13: expected 'and', 'or', '|' or the end of the query, not '('");
	Q("| stats count() by event, requestParameters.userName | filter event != field(requestParameters.userName)",
	  "event|requestParameters.userName|count;CreateUser|mallory|1;CreateLoginProfile|mallory|1;"
	  "GetObject|-|1;ConsoleLogin|-|1;CreateUser|eve|1;DescribeInstances|-|1");
}

/* hour(time [, offset]) and weekday(time [, offset]); 2026-11-20 is a Friday. */
static void test_timefn(void)
{
	Q("hour(time) = 0", "0,1");
	Q("hour(time) = 01", "2,3");
	Q("hour(time) >= 2 or hour(time) < 1", "0,1,4,5");
	Q("hour(time) in (1, 3)", "2,3,5");
	Q("hour(time, +02:00) = 2", "0,1");
	Q("hour(time, -01:00) = 23", "0,1");
	Q("weekday(time) = fri", "0,1,2,3,4,5");
	Q("weekday(time, -01:00) in (Thursday, sat)", "0,1");
	Q("weekday(time, -0100) != thu", "2,3,4,5");
	Q("| stats count() by hour(time)", "hour(time)|count;0|2;1|2;2|1;3|1");
	Q("| stats count() by weekday(time, -1) | sort count", "weekday(time,-01:00)|count;thu|2;fri|4");
	Q("| stats count() by hour(time) | filter hour(time) > 1", "hour(time)|count;2|1;3|1");
	Q("| sort hour(time) desc | head 2", "5,4");
	Q("hour(time) = 24", "error@13: bad hour '24' (expected 0 to 23)");
	Q("hour(time) > x", "error@13: bad hour 'x' (expected 0 to 23)");
	Q("weekday(time) = someday", "error@16: bad weekday 'someday' (expected mon, tue, wed, thu, fri, sat or sun)");
	Q("weekday(time) < mon", "error@14: weekday() compares with =, !=, in, ~ or exists");
	Q("hour(event) = 1", "error@5: expected 'time' in hour(), not 'event'");
	Q("hour(time, 2) = 1", "error@11: expected a UTC offset like +02:00 or -05:30 in hour(), not '2'");
	Q("hour(time, +15:00) = 1", "error@11: expected a UTC offset like +02:00 or -05:30 in hour(), not '+15:00'");
	Q("hour(time", "error@9: expected ')' to close hour(");
	Q("hour = 1", "");
	char buf[16];
	ok(qtimefn_value(QTF_HOUR, -1, 0, buf, sizeof buf) == 0 && !strcmp(buf, "23"),
	   "a time before 1970 has hour 23");
	ok(qtimefn_value(QTF_WEEKDAY, -1, 0, buf, sizeof buf) == 0 && !strcmp(buf, "wed"),
	   "1969-12-31 is a Wednesday");
}

int main(void)
{
	build_store();
	test_lexer();
	test_errors();
	test_operators();
	test_cidr_time_alias();
	test_logic();
	test_stages();
	test_sort_stable();
	test_fields();
	test_paths();
	test_any_element();
	test_field_ref();
	test_timefn();
	store_free(&S);
	unlink(rawpath);
	return tap_done();
}

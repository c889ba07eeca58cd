/* test_sigma.c — Sigma rules: the YAML tree and its bounds, every modifier and condition
 * form, the refusals and their reasons, and the runbook text (it must parse). Fixtures
 * are the YAML files in tests/fixtures/sigma, written for these tests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runbook.h"
#include "sigma.h"
#include "tap.h"

static const char *srcdir(void)
{
	const char *s = getenv("top_srcdir");
	return s && *s ? s : ".";
}

static void load(sigma_set *set, const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/sigma/%s", srcdir(), name);
	char *data;
	size_t len;
	if (read_file(path, &data, &len) != 0) {
		ok(0, "read %s", path);
		return;
	}
	sy_docs d;
	char err[256];
	int rc = sy_parse(data, len, &d, err, sizeof err);
	ok(rc == 0, "%s parses (%s)", name, rc ? err : "ok");
	if (rc == 0) {
		sigma_collect(set, &d, name);
		sy_docs_free(&d);
	}
	free(data);
}

static const sigma_rule *find(const sigma_set *set, const char *title)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->rules[i].title && !strcmp(set->rules[i].title, title))
			return &set->rules[i];
	return NULL;
}

static void conv(const sigma_set *set, const char *title, const char *want)
{
	const sigma_rule *r = find(set, title);
	is_str(r ? r->query : NULL, want, "%s", title);
	if (r && !r->query)
		printf("#   refused: %s\n", r->reason);
}

static void refused(const sigma_set *set, const char *title, const char *why)
{
	const sigma_rule *r = find(set, title);
	ok(r && !r->query && r->reason && strstr(r->reason, why), "%s: refused (%s)", title, why);
	if (r && r->reason && !strstr(r->reason, why))
		printf("#   reason: %s\n", r->reason);
}

static void test_modifiers(void)
{
	sigma_set s = { 0 };
	load(&s, "modifiers.yml");
	conv(&s, "plain value", "eventName ~ \"DeleteTrail\"");
	conv(&s, "list of values", "(eventSource ~ \"cloudtrail.amazonaws.com\" and (eventName ~ "
				   "\"StopLogging\" or eventName ~ \"DeleteTrail\"))");
	conv(&s, "contains", "userAgent ~ \"*boto*\"");
	conv(&s, "startswith and endswith", "(eventName ~ \"Delete*\" and userIdentity.arn ~ \"*/admin\")");
	conv(&s, "contains all", "(requestParameters ~ \"*\\\"Allow\\\"*\" and requestParameters ~ \"*s3:**\")");
	conv(&s, "regex", "userIdentity.arn =~ /^arn:aws:sts::[0-9]+:assumed-role\\/.+/");
	conv(&s, "regex case-insensitive", "userAgent =~ /kali|parrot/i");
	conv(&s, "cidr", "sourceIPAddress in (\"10.0.0.0/8\", \"192.168.0.0/16\")");
	conv(&s, "exists", "(errorCode exists and not requestParameters.policyDocument exists)");
	conv(&s, "null value", "not errorCode exists");
	conv(&s, "wildcards and escapes",
	     "(eventName ~ \"Put*Policy?\" and requestParameters.key ~ \"a\\\\*b\\\\[1\\\\]\\\\\\\\x\")");
	conv(&s, "numbers", "(requestParameters.maxResults >= 1000 and requestParameters.count < 5)");
	conv(&s, "src_ip and non-ASCII",
	     "(sourceIPAddress ~ \"203.0.113.9\" and userAgent ~ \"*caf\\u00e9 \\\"q\\\"*\")");
	conv(&s, "list of maps", "(eventName ~ \"CreateUser\" or (eventName ~ \"CreateAccessKey\" and "
				 "userIdentity.type ~ \"Root\"))");
	conv(&s, "fieldref", "eventName ~ \"UpdateLoginProfile\" and not userIdentity.userName = "
			     "field(requestParameters.userName)");
	conv(&s, "placeholder under not",
	     "eventName ~ \"ConsoleLogin\" and not sourceIPAddress in @office-ip-ranges");
	const sigma_rule *r = find(&s, "placeholder under not");
	ok(r && r->nlists == 1 && !strcmp(r->lists[0], "office-ip-ranges"), "the list is recorded");
	r = find(&s, "plain value");
	ok(r && r->id && !strcmp(r->level, "high"), "id and level kept");
	is_int(sigma_converted(&s), s.n, "every modifier rule converts");
	sigma_set_free(&s);
}

static void test_conditions(void)
{
	sigma_set s = { 0 };
	load(&s, "conditions.yml");
	conv(&s, "and not", "eventName ~ \"CreateUser\" and not userIdentity.type ~ \"AWSService\"");
	conv(&s, "one of pattern", "(eventName ~ \"StopLogging\" or eventName ~ \"DeleteTrail\") and "
				   "eventSource ~ \"cloudtrail.amazonaws.com\"");
	conv(&s, "all of them", "(eventSource ~ \"iam.amazonaws.com\" and eventName ~ \"CreateUser\")");
	conv(&s, "one of them", "(eventName ~ \"StopLogging\" or eventName ~ \"DeleteTrail\")");
	conv(&s, "parentheses and or",
	     "(eventName ~ \"A\" or eventName ~ \"B\") and not (eventSource ~ \"c.amazonaws.com\")");
	conv(&s, "not 1 of", "eventName ~ \"GetSigninToken\" and not (userAgent ~ \"*Jersey*\" or "
			     "sourceIPAddress ~ \"AWS Internal\")");
	conv(&s, "condition list", "(eventName ~ \"A\") or (eventName ~ \"B\")");
	conv(&s, "(untitled)", "eventName ~ \"Blank\"");
	sigma_set_free(&s);
}

static void test_refused(void)
{
	sigma_set s = { 0 };
	load(&s, "refused.yml");
	refused(&s, "count aggregation", "aggregation not supported (a distinct count");
	refused(&s, "near", "aggregation not supported (near");
	refused(&s, "keywords", "keyword (field-less) search");
	refused(&s, "fieldref", "modifier 'fieldref' with another modifier");
	refused(&s, "base64", "modifier 'base64offset' is not supported");
	refused(&s, "placeholder that must match", "placeholder used outside a 'not'");
	refused(&s, "wrong logsource", "logsource is not aws/cloudtrail");
	refused(&s, "undefined selection", "names 'missing', which the detection does not define");
	refused(&s, "bad condition", "the condition ends early");
	refused(&s, "pcre regex", "PCRE");
	refused(&s, "alias field", "trailguide alias");
	refused(&s, "two of", "'2 of' is not supported");
	refused(&s, "multi-line regex", "multi-line regex");
	is_int(sigma_converted(&s), 0, "nothing in refused.yml converts");
	sigma_set_free(&s);

	load(&s, "catalog.json.yml");
	is_int(s.n, 2, "the JSON catalog holds two rules");
	conv(&s, "json one", "((eventName ~ \"CreateUser\" or eventName ~ \"DeleteUser\") and not "
			     "errorCode exists)");
	refused(&s, "json two", "aggregation not supported");
	ok(s.n && s.rules[0].license && !strcmp(s.rules[0].license, "test fixtures"),
	   "the catalog's license is kept for attribution");
	sigma_set_free(&s);
}

static void test_aggregate(void)
{
	sigma_set s = { 0 };
	load(&s, "aggregate.yml");
	conv(&s, "count over a timeframe", "eventName ~ \"DescribeInstanceAttribute\" | threshold "
					   "count() > 10 within 30m");
	conv(&s, "count by key at least", "eventName ~ \"ListBuckets\" | threshold count() > 5 "
					  "within 10m by sourceIPAddress");
	refused(&s, "distinct count by field", "aggregation not supported (a distinct count");
	refused(&s, "no timeframe", "no timeframe");
	is_int(sigma_converted(&s), 2, "by default count() > N and >= N become threshold stages");
	sigma_set_free(&s);
	s.agg_bins = 1;
	load(&s, "aggregate.yml");
	conv(&s, "count over a timeframe", "eventName ~ \"DescribeInstanceAttribute\" | stats count() "
					   "by bin(30m) | filter count > 10");
	conv(&s, "distinct count by field", "eventName ~ \"Get*\" | stats dc(eventName) by "
					    "sourceIPAddress, bin(1h) | filter dc(eventName) >= 3");
	const sigma_rule *r = find(&s, "count over a timeframe");
	ok(r && r->note && strstr(r->note, "fixed 30m bins"), "the approximation is noted");
	refused(&s, "no timeframe", "no timeframe");
	refused(&s, "near again", "near");
	refused(&s, "sum is not count", "only count()");
	sigma_set_free(&s);
}

static int parse_text(const char *text, char *err, size_t errn)
{
	sy_docs d;
	int rc = sy_parse(text, strlen(text), &d, err, errn);
	if (rc == 0)
		sy_docs_free(&d);
	return rc;
}

static void test_yaml(void)
{
	char err[256];
	sy_docs d;
	const char *t = "a: 1\nb: [x, ~, null, '']\nc: {d: 'null'}\n---\n- 2\n";
	ok(sy_parse(t, strlen(t), &d, err, sizeof err) == 0 && d.n == 2, "two documents");
	if (d.n == 2) {
		const sy_node *b = sy_get(d.docs[0], "b");
		ok(b && b->type == SY_SEQ && b->nkids == 4 && b->kids[1]->type == SY_NULL &&
			   b->kids[2]->type == SY_NULL && b->kids[3]->type == SY_SCALAR,
		   "~ and null are null, '' is text");
		is_str(sy_str(sy_get(d.docs[0], "c"), "d"), "null", "a quoted 'null' is text");
		ok(d.docs[1]->type == SY_SEQ, "the second document is a list");
		sy_docs_free(&d);
	}
	ok(parse_text("a: [1, 2\n", err, sizeof err) < 0 && strchr(err, ':'), "bad YAML: %s", err);
	ok(parse_text("a: &x [1]\nb: *x\n", err, sizeof err) < 0 && strstr(err, "aliases"),
	   "aliases refused: %s", err);
	ok(parse_text("a: &x [*x]\n", err, sizeof err) < 0, "a self-referencing alias is refused");
	sbuf deep;
	sbuf_init(&deep);
	for (int i = 0; i < 100000; i++)
		sbuf_addc(&deep, '[');
	ok(parse_text(deep.s, err, sizeof err) < 0, "100000 open brackets: %s", err);
	sbuf_reset(&deep);
	for (int i = 0; i < 70; i++)
		sbuf_adds(&deep, "[");
	for (int i = 0; i < 70; i++)
		sbuf_adds(&deep, "]");
	ok(parse_text(deep.s, err, sizeof err) < 0 && strstr(err, "deep"), "depth 70: %s", err);
	sbuf_reset(&deep);
	sbuf_adds(&deep, "[");
	for (int i = 0; i < SY_MAX_NODES + 10; i++)
		sbuf_adds(&deep, "1,");
	sbuf_adds(&deep, "1]");
	ok(parse_text(deep.s, err, sizeof err) < 0 && strstr(err, "too many"), "too many nodes: %s", err);
	sbuf_reset(&deep);
	sbuf_adds(&deep, "a: \"");
	for (int i = 0; i < SY_MAX_BYTES / 64 + 2; i++)
		sbuf_adds(&deep, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	sbuf_adds(&deep, "\"\n");
	ok(parse_text(deep.s, err, sizeof err) < 0 && strstr(err, "too much"), "a huge scalar: %s", err);
	sbuf_free(&deep);
	ok(parse_text("\xff\xfe junk", err, sizeof err) < 0, "invalid UTF-8 refused");
	ok(parse_text("? [a, b]\n: c\n", err, sizeof err) < 0, "a non-scalar key is refused");
}

static void test_runbook(void)
{
	sigma_set s = { 0 };
	load(&s, "modifiers.yml");
	load(&s, "conditions.yml");
	load(&s, "hostile.yml");
	sigma_rule **conv_ = xcalloc(s.n + 1, sizeof *conv_);
	size_t n = 0;
	for (size_t i = 0; i < s.n; i++)
		if (s.rules[i].query)
			conv_[n++] = &s.rules[i];
	sbuf out, diag;
	sbuf_init(&out);
	sbuf_init(&diag);
	sigma_runbook(&out, "sigma/fixtures", "Fixtures", conv_, n);
	runbook *rb = runbook_parse("fixtures.md", out.s, out.len, &diag);
	ok(rb != NULL, "the runbook parses%s%s", diag.len ? ": " : "", diag.len ? diag.s : "");
	if (rb) {
		is_int(rb->nsteps, n, "one step per converted rule");
		is_str(runbook_severity_name(rb->severity), "high", "severity is the highest level");
		int findings = 1;
		for (int i = 0; i < rb->nsteps; i++)
			findings &= rb->steps[i].kind == RB_FINDINGS;
		ok(findings, "every step is a findings step");
		is_str(rb->steps[rb->nsteps - 1].query, conv_[n - 1]->query,
		       "the hostile rule's query survives intact");
		runbook_free(&rb);
	}
	ok(!strchr(out.s, '\x1b') && !strstr(out.s, "\xe2\x80\xae"),
	   "no escape sequence or bidi override reaches the output");
	ok(strstr(out.s, "Detection Rule License") != NULL, "DRL attribution");
	sbuf_free(&out);
	sbuf_free(&diag);
	free(conv_);
	sigma_set_free(&s);
	char *slug = sigma_slug("AWS EC2 -- Startup/Shell (Script) Change!");
	is_str(slug, "aws-ec2-startup-shell-script-change", "slug");
	free(slug);
	slug = sigma_slug("%%%");
	is_str(slug, "rule", "an empty slug is 'rule'");
	free(slug);
}

int main(void)
{
	test_yaml();
	test_modifiers();
	test_conditions();
	test_refused();
	test_aggregate();
	test_runbook();
	return tap_done();
}

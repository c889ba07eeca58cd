/* test_lookup.c — lookup://REGION: pushdown choice, request body, pacing, page parser,
 * and the refusals that need no server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "source.h"
#include "source_lookup.h"
#include "tgtime.h"
#include "tap.h"

/* The plan for some query texts, described. */
static const char *plan_of(int nq, const char **texts)
{
	static char buf[1024];
	query *qs[8];
	for (int i = 0; i < nq; i++) {
		qerr e;
		qs[i] = query_parse(texts[i], &e);
		if (!qs[i]) {
			snprintf(buf, sizeof buf, "PARSE ERROR %s: %s", texts[i], e.msg);
			for (int j = 0; j < i; j++)
				query_free(&qs[j]);
			return buf;
		}
	}
	lookup_plan p;
	lookup_plan_make(qs, nq, &p);
	lookup_plan_describe(&p, buf, sizeof buf);
	if (p.n == 1 && !p.s[0].key)
		snprintf(buf, sizeof buf, "(whole)");
	else
		for (size_t i = 0; i < p.n; i++)
			if (!p.s[i].key)
				snprintf(buf, sizeof buf, "BAD: attribute-less series mixed in");
	lookup_plan_free(&p);
	for (int i = 0; i < nq; i++)
		query_free(&qs[i]);
	return buf;
}

static const char *plan1(const char *text)
{
	return plan_of(1, &text);
}

static void test_pushdown(void)
{
	is_str(plan1("event = ConsoleLogin"), "EventName=ConsoleLogin", "event alias");
	is_str(plan1("eventName = ConsoleLogin"), "EventName=ConsoleLogin", "eventName");
	is_str(plan1("service = iam"), "EventSource=iam.amazonaws.com", "service gets .amazonaws.com");
	is_str(plan1("eventSource = sts.amazonaws.com"), "EventSource=sts.amazonaws.com",
	       "eventSource written out");
	is_str(plan1("key = AKIAEXAMPLE"), "AccessKeyId=AKIAEXAMPLE", "key alias");
	is_str(plan1("userIdentity.accessKeyId = ASIAX"), "AccessKeyId=ASIAX", "accessKeyId path");
	is_str(plan1("userIdentity.userName = alice"), "Username=alice", "userName");
	is_str(plan1("eventID = abc-1"), "EventId=abc-1", "eventID");
	is_str(plan1("resources.ARN = arn:aws:s3:::b"), "ResourceName=arn:aws:s3:::b", "resources.ARN");
	is_str(plan1("resources.type = AWS::S3::Bucket"), "ResourceType=AWS::S3::Bucket",
	       "resources.type");
	is_str(plan1("readonly = false"), "ReadOnly=false", "readonly alias");
	is_str(plan1("readOnly = true"), "ReadOnly=true", "readOnly path");
	is_str(plan1("readonly = yes"), "(whole)", "ReadOnly only true/false");
	/* selectivity order */
	is_str(plan1("service = iam and event = CreateUser"), "EventName=CreateUser",
	       "EventName beats EventSource");
	is_str(plan1("event = CreateUser and userIdentity.userName = bob"), "Username=bob",
	       "Username beats EventName");
	is_str(plan1("readonly = false and key = AKIA1 and eventID = x"), "EventId=x",
	       "EventId beats everything");
	is_str(plan1("(event = A and (service = iam and key = K))"), "AccessKeyId=K",
	       "nested ANDs are the same chain");
	is_str(plan1("ip = 1.2.3.4 and event = ConsoleLogin | stats count() by user"),
	       "EventName=ConsoleLogin", "other conditions and stages ignored");
	is_str(plan1("error exists | filter event = X"), "EventName=X", "later filter stage ANDed");
	is_str(plan1("event = A | head 5 | filter key = K"), "EventName=A",
	       "a filter after head is not pushed");
	/* in-lists */
	is_str(plan1("event in (CreateUser, DeleteUser, CreateUser)"),
	       "EventName in (CreateUser, DeleteUser)", "in-list: one series per distinct value");
	is_str(plan1("event in (A) and service = iam"), "EventName=A", "in-list of one");
	is_str(plan1("key in (K1, K2) and event = X"), "AccessKeyId in (K1, K2)",
	       "in-list on a more selective key wins");
	is_str(plan1("event = X and event in (A, B)"), "EventName=X", "fewer values wins a tie");
	is_str(plan1("event in (a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13,a14,a15,a16,a17,a18,"
		     "a19,a20,a21) and service = ec2"),
	       "EventSource=ec2.amazonaws.com", "an in-list over 20 values is not pushed");
	is_str(plan1("event in (a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11,a12,a13,a14,a15,a16,a17,a18,"
		     "a19,a20,a21)"),
	       "(whole)", "over 20 values alone: no pushdown");
	/* not pushed */
	is_str(plan1(""), "(whole)", "empty query");
	is_str(plan1("event ~ \"Create*\""), "(whole)", "glob");
	is_str(plan1("event = Create*"), "EventName=Create*", "= is exact: * is literal");
	is_str(plan1("event =~ /^Create/"), "(whole)", "regex");
	is_str(plan1("event != ConsoleLogin"), "(whole)", "negation");
	is_str(plan1("not event = ConsoleLogin"), "(whole)", "not");
	is_str(plan1("event = A or event = B"), "(whole)", "or");
	is_str(plan1("event = A or key = K"), "(whole)", "or of two pushable");
	is_str(plan1("(event = A or event = B) and service = iam"),
	       "EventSource=iam.amazonaws.com", "or inside an and: the other side");
	is_str(plan1("ip = 10.0.0.1"), "(whole)", "field without an attribute");
	is_str(plan1("principal = x"), "(whole)", "derived field");
	is_str(plan1("event in (@suspect)"), "(whole)", "list reference");
	/* several queries */
	const char *two[] = { "event = ConsoleLogin", "key = AKIA1 and event = X" };
	is_str(plan_of(2, two), "EventName=ConsoleLogin, AccessKeyId=AKIA1", "union of two queries");
	const char *dup[] = { "event = ConsoleLogin", "event = ConsoleLogin and ip = 1.2.3.4",
			      "event in (ConsoleLogin, CheckMfa)" };
	is_str(plan_of(3, dup), "EventName in (ConsoleLogin, CheckMfa)", "distinct series only");
	const char *open[] = { "event = ConsoleLogin", "ip = 1.2.3.4" };
	is_str(plan_of(2, open), "(whole)", "one query without an attribute: whole window once");
	is_str(plan_of(0, NULL), "(whole)", "no queries");
}

static void test_body(void)
{
	char *b = lookup_request_body("EventName", "ConsoleLogin", 1700000000, 1700086400, NULL);
	is_str(b, "{\"LookupAttributes\":[{\"AttributeKey\":\"EventName\",\"AttributeValue\":"
		  "\"ConsoleLogin\"}],\"StartTime\":1700000000,\"EndTime\":1700086400,"
		  "\"MaxResults\":50}", "body with an attribute (the reference's example)");
	free(b);
	b = lookup_request_body(NULL, NULL, 1, 2, "tok\"en");
	is_str(b, "{\"StartTime\":1,\"EndTime\":2,\"MaxResults\":50,\"NextToken\":\"tok\\\"en\"}",
	       "body without attribute, with an escaped NextToken");
	free(b);
	b = lookup_request_body("Username", "a\nb", 1795132800, 1795219200, NULL);
	ok(strstr(b, "\"AttributeValue\":\"a\\nb\"") && strstr(b, "\"StartTime\":1795132800,"),
	   "values JSON-escaped, times as integers");
	free(b);
}

static void test_bucket(void)
{
	lookup_bucket b;
	lookup_bucket_init(&b, 2, 1);
	double t = 100, w;
	w = lookup_bucket_take(&b, t);
	ok(w == 0, "first request goes at once (%g)", w);
	w = lookup_bucket_take(&b, t);
	ok(w > 0.499 && w < 0.501, "second one waits 0.5 s (%g)", w);
	w = lookup_bucket_take(&b, t + 0.1);
	ok(w > 0.899 && w < 0.901, "a third one queues behind it: 0.9 s (%g)", w);
	/* after a long pause: burst 1, not more */
	w = lookup_bucket_take(&b, t + 10);
	ok(w == 0, "after a pause, at once");
	w = lookup_bucket_take(&b, t + 10.2);
	ok(w > 0.299 && w < 0.301, "burst is 1: the next waits (%g)", w);
	/* simulate 40 requests, each sent when allowed: at most 2 in any 1 s window */
	lookup_bucket_init(&b, 2, 1);
	double at[40], clock = 0;
	for (int i = 0; i < 40; i++) {
		clock += lookup_bucket_take(&b, clock);
		at[i] = clock;
		clock += 0.01 * (i % 3); /* request time */
	}
	int maxw = 0;
	for (int i = 0; i < 40; i++) {
		int c = 0;
		for (int j = i; j < 40 && at[j] < at[i] + 1.0 - 1e-9; j++)
			c++;
		if (c > maxw)
			maxw = c;
	}
	is_int(maxw, 2, "at most 2 requests in any 1 s window");
}

static void test_page(void)
{
	lookup_seen seen = { 0 };
	sbuf out;
	sbuf_init(&out);
	size_t added = 0, bad = 0;
	char *next = NULL;
	const char *page =
		"{\"Events\":[{\"EventId\":\"e1\",\"CloudTrailEvent\":\"{\\\"eventID\\\":\\\"e1\\\","
		"\\\"eventName\\\":\\\"A\\\"}\"},"
		"{\"EventId\":\"e2\",\"CloudTrailEvent\":\"{\\\"eventID\\\":\\\"e2\\\",\\n"
		"\\\"eventName\\\":\\\"B\\\"}\"},"
		"{\"EventId\":\"e3\",\"CloudTrailEvent\":\"not json\"},"
		"{\"EventId\":\"e4\"},"
		"{\"EventId\":\"e1\",\"CloudTrailEvent\":\"{\\\"eventID\\\":\\\"e1\\\"}\"}],"
		"\"NextToken\":\"T2\"}";
	int rc = lookup_page_parse(page, strlen(page), &seen, &out, &added, &bad, &next);
	is_int(rc, 0, "page parsed");
	is_int(added, 2, "two events written");
	is_int(bad, 2, "two unreadable events counted");
	is_str(out.s, "{\"eventID\":\"e1\",\"eventName\":\"A\"}\n"
		      "{\"eventID\":\"e2\",\"eventName\":\"B\"}\n",
	       "one line each, the multi-line one re-serialized, the duplicate dropped");
	is_str(next, "T2", "NextToken");
	free(next);
	/* the same events again (another series): all duplicates */
	sbuf_reset(&out);
	added = bad = 0;
	rc = lookup_page_parse(page, strlen(page), &seen, &out, &added, &bad, &next);
	ok(rc == 0 && added == 0 && out.len == 0, "another series' copies are not written twice");
	free(next);
	const char *last = "{\"Events\":[]}";
	rc = lookup_page_parse(last, strlen(last), &seen, &out, &added, &bad, &next);
	ok(rc == 0 && next == NULL, "last page: no NextToken");
	const char *bads[] = { "", "[]", "{\"Events\":{}}", "<xml/>", "{\"Events\":[" };
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		rc = lookup_page_parse(bads[i], strlen(bads[i]), &seen, &out, &added, &bad, &next);
		ok(rc == -1 && next == NULL, "not a response: '%s'", bads[i]);
	}
	/* many IDs: the set grows */
	int fresh = 0;
	char id[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "id-%d", i % 2500);
		fresh += lookup_seen_add(&seen, id);
	}
	is_int(fresh, 2500, "seen set: 2500 distinct of 5000");
	lookup_seen_free(&seen);
	sbuf_free(&out);
}

/* Refusals that happen before any request. */
static void test_refusals(void)
{
	aws_client c;
	memset(&c, 0, sizeof c);
	snprintf(c.region, sizeof c.region, "eu-west-1");
	char *mbuf = NULL;
	size_t mlen = 0;
	FILE *m = open_memstream(&mbuf, &mlen);
	source_opts o = { 0 };
	o.aws = &c;
	o.warn = m;
	int64_t now;
	tgtime_parse("2026-11-22T00:00:00Z", 20, &now);
	o.now = now;
	o.until = TG_TIME_NONE;
	tgtime_parse("2026-06-01T00:00:00Z", 20, &o.since);
	strvec out = { 0 };
	source_stats st;
	int rc = source_lookup_fetch("lookup://us-east-1", &o, &out, &st);
	fflush(m);
	is_int(rc, -1, "window older than 90 days refused");
	is_str(mbuf, "trailguide: lookup://us-east-1: LookupEvents keeps 90 days of events; the "
		     "window starts 2026-06-01, 174 days ago: narrow --since, or read the trail "
		     "bucket (s3://) or Athena (athena://) for older events\n",
	       "the refusal says why and what to do");
	is_int(out.n, 0, "nothing fetched");
	rewind(m);
	mlen = 0;
	memset(mbuf, 0, 4);
	rc = source_lookup_fetch("lookup://US_EAST", &o, &out, &st);
	fflush(m);
	ok(rc == -1 && strstr(mbuf, "lookup://US_EAST: not a region name"), "bad region name");
	rewind(m);
	c.region[0] = 0;
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	unsetenv("AWS_PROFILE");
	setenv("AWS_CONFIG_FILE", "/nonexistent/aws-config", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials", 1);
	rc = source_lookup_fetch("lookup://", &o, &out, &st);
	fflush(m);
	ok(rc == -1 && strstr(mbuf, "no region"), "lookup:// without a region anywhere");
	fclose(m);
	free(mbuf);
	strvec_free(&out);
}

int main(void)
{
	test_pushdown();
	test_body();
	test_bucket();
	test_page();
	test_refusals();
	return tap_done();
}

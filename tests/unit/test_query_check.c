/* test_query_check.c — unknown field names warn, naming the closest known field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jframe.h"
#include "query.h"
#include "query_check.h"
#include "tap.h"

/* The warnings for text as one string ("" when none; "parse error" if it does not parse). */
static char out[4096];
static int count;
static const char *warn(const char *text, const store *s)
{
	qerr e;
	query *q = query_parse(text, &e);
	if (!q) {
		snprintf(out, sizeof out, "parse error: %s", e.msg);
		count = -1;
		return out;
	}
	sbuf b;
	sbuf_init(&b);
	count = query_field_warnings(q, s, &b);
	snprintf(out, sizeof out, "%s", b.s ? b.s : "");
	sbuf_free(&b);
	query_free(&q);
	return out;
}

static void test_suggestions(void)
{
	is_str(warn("servce = iam", NULL),
	       "unknown field 'servce' (col 1): did you mean 'service'?\n", "servce -> service");
	is_str(warn("Event = CreateUser", NULL),
	       "unknown field 'Event' (col 1): did you mean 'event'?\n", "Event -> event");
	is_str(warn("EventName = CreateUser", NULL),
	       "unknown field 'EventName' (col 1): did you mean 'eventName'?\n",
	       "EventName -> eventName (wrong case of a record field)");
	is_str(warn("event = X and usrIdentity.arn exists", NULL),
	       "unknown field 'usrIdentity.arn' (col 15): did you mean 'userIdentity.arn'?\n",
	       "a dotted path's first segment is corrected, the rest kept");
	is_str(warn("sevrice = iam", NULL),
	       "unknown field 'sevrice' (col 1): did you mean 'service'?\n",
	       "a transposition is one edit");
	is_str(warn("xyzzy = 1", NULL),
	       "unknown field 'xyzzy' (col 1): not an alias or a CloudTrail record field\n",
	       "nothing close: no suggestion");
	is_int(count, 1, "one warning counted");
}

/* A path that crosses one of CloudTrail's arrays without [] reaches nothing. */
static void test_arrays(void)
{
	is_str(warn("resources.ARN exists", NULL),
	       "field 'resources.ARN' (col 1) crosses an array: write 'resources[].ARN' to match any element\n",
	       "resources.ARN -> resources[].ARN");
	is_str(warn("event = X | stats count() by requestParameters.ipPermissions.items.ipRanges.items.cidrIp", NULL),
	       "field 'requestParameters.ipPermissions.items.ipRanges.items.cidrIp' (col 30) crosses an "
	       "array: write 'requestParameters.ipPermissions.items[].ipRanges.items[].cidrIp' to match "
	       "any element\n", "each items gets []");
	is_str(warn("requestParameters.ipPermissions.items[].ipRanges.items.cidrIp = x", NULL),
	       "field 'requestParameters.ipPermissions.items[].ipRanges.items.cidrIp' (col 1) crosses "
	       "an array: write 'requestParameters.ipPermissions.items[].ipRanges.items[].cidrIp' to "
	       "match any element\n", "only the missing [] is added");
	is_str(warn("resources[].ARN exists and resources.0.ARN = x and requestParameters.items[].x = y"
		    " and resources exists and requestParameters.items exists", NULL),
	       "", "[] and indexes are fine");
	is_str(warn("hour(time) = 1 and weekday(time, +02:00) = sun and event = field(requestParameters.userName)", NULL),
	       "", "hour(), weekday() and a known field() are fine");
	is_str(warn("event = field(requestParamters.userName)", NULL),
	       "unknown field 'requestParamters.userName' (col 15): did you mean 'requestParameters.userName'?\n",
	       "the field inside field() is checked");
	is_str(warn("resourses[].ARN exists", NULL),
	       "unknown field 'resourses[].ARN' (col 1): did you mean 'resources[].ARN'?\n",
	       "a first segment before [] is corrected");
	ok(query_field_array_hint("resources.ARN", "resources[].ARN"), "array hint recognised");
	ok(!query_field_array_hint("resourses.ARN", "resources.ARN"), "a correction is not an array hint");
	ok(!query_field_array_hint("resources.ARN", NULL), "no suggestion, no hint");
}

static void test_known(void)
{
	const char *ok_queries[] = {
		"userIdentity.arn exists",
		"requestParameters.anything.at.all = x",
		"resources.0.ARN exists and responseElements.credentials.accessKeyId exists",
		("time > -1h and event = A and service = iam and region = r and ip = i and ua = u "
		 "and error = e and account = a and principal = p and type = t and key = k and "
		 "role = r and session = s and mfa = true and readonly = false"),
		("eventName = A and eventSource = b and tlsDetails.tlsVersion = x and "
		 "insightDetails.state = Start and addendum.reason = x and eventCategory = Data"),
		"| stats count() by principal, bin(1h) | filter count > 5 | sort count desc",
		"| stats dc(ip) as ips by key | filter ips > 3 | fields key, ips",
		"| spike by principal, bin(10m) z > 3 | sort z desc",
		"",
		"*",
	};
	for (size_t i = 0; i < sizeof ok_queries / sizeof ok_queries[0]; i++) {
		is_str(warn(ok_queries[i], NULL), "", "no warning: %s", ok_queries[i]);
		is_int(count, 0, "count 0: %s", ok_queries[i]);
	}
}

static void test_once_and_stages(void)
{
	is_str(warn("servce = iam or servce = s3 or not servce exists", NULL),
	       "unknown field 'servce' (col 1): did you mean 'service'?\n",
	       "a field written three times is reported once, at its first place");
	is_int(count, 1, "counted once");
	is_str(warn("evnt = A | fields time, princpal, evnt", NULL),
	       "unknown field 'evnt' (col 1): did you mean 'event'?\n"
	       "unknown field 'princpal' (col 25): did you mean 'principal'?\n",
	       "fields stage checked, in text order");
	is_str(warn("| sort regoin desc | dedup accont", NULL),
	       "unknown field 'regoin' (col 8): did you mean 'region'?\n"
	       "unknown field 'accont' (col 28): did you mean 'account'?\n",
	       "sort and dedup checked");
	is_str(warn("| stats dc(ipp) by prinicpal", NULL),
	       "unknown field 'ipp' (col 12): did you mean 'ip'?\n"
	       "unknown field 'prinicpal' (col 20): did you mean 'principal'?\n",
	       "stats aggregate argument and by checked");
	is_str(warn("| stats count() by princpal | filter princpal ~ \"*x*\"", NULL),
	       "unknown field 'princpal' (col 20): did you mean 'principal'?\n",
	       "a stage over the table names its columns: not checked again");
	is_str(warn("| first-seen principal, regin baseline 14d", NULL),
	       "unknown field 'regin' (col 25): did you mean 'region'?\n", "first-seen keys");
	is_str(warn("| dormant pricipal for 7d", NULL),
	       "unknown field 'pricipal' (col 11): did you mean 'principal'?\n", "dormant keys");
	is_str(warn("| spike by evnt, bin(10m)", NULL),
	       "unknown field 'evnt' (col 12): did you mean 'event'?\n", "spike by keys");
	is_str(warn("| sequence by prinicpal within 10m: [evnt = A] then responseElemnts.x "
		    "-> [event = B] by ky",
		    NULL),
	       "unknown field 'prinicpal' (col 15): did you mean 'principal'?\n"
	       "unknown field 'evnt' (col 38): did you mean 'event'?\n"
	       "unknown field 'responseElemnts.x' (col 53): did you mean 'responseElements.x'?\n"
	       "unknown field 'ky' (col 89): did you mean 'key'?\n",
	       "sequence by, step expressions, by and then");
}

static void counter(void *ud, const char *field, int col, const char *sg)
{
	(void)field;
	(void)col;
	(void)sg;
	(*(int *)ud)++;
}

/* A store whose events carry a top-level key no CloudTrail trail has (a Lake export). */
static void test_store(void)
{
	const char *raw = "{\"eventName\":\"A\",\"lakeExtra\":{\"k\":1},\"requestParameters\":"
			  "{\"tagSet\":[{\"key\":\"a\"}],\"names\":[\"x\"]}}\n";
	char path[256];
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(path, sizeof path, "%s/test_query_check_XXXXXX", tmp);
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, raw, strlen(raw)) != (ssize_t)strlen(raw))
		ok(0, "temp file");
	close(fd);
	struct stat st;
	stat(path, &st);
	store *s = store_new();
	store_file f = {.path = path, .fmt = JFMT_NDJSON, .size = (uint64_t)st.st_size,
			.mtime = (int64_t)st.st_mtime, .events = 1};
	uint32_t fi = store_add_file(s, &f);
	const char *strs[COL_NFIXED] = {"A"};
	size_t lens[COL_NFIXED] = {1};
	store_add(s, 0, strs, lens, fi, 0, (uint32_t)strlen(raw) - 1);
	is_str(warn("lakeExtra.k = 1", NULL),
	       "unknown field 'lakeExtra.k' (col 1): not an alias or a CloudTrail record field\n",
	       "without a store, an extra key is unknown");
	is_str(warn("lakeExtra.k = 1", s), "", "with a store, a key the events have is known");
	is_str(warn("lakeExtr.k = 1", s),
	       "unknown field 'lakeExtr.k' (col 1): did you mean 'lakeExtra.k'?\n",
	       "the store's keys are suggested too");
	is_str(warn("requestParameters.tagSet.key = a", s),
	       "field 'requestParameters.tagSet.key' (col 1) crosses an array: write "
	       "'requestParameters.tagSet[].key' to match any element\n",
	       "with a store, an array the sampled events have is found");
	is_str(warn("requestParameters.tagSet.0.key = a and requestParameters.tagSet[].key = a and "
		    "requestParameters.tagSet.nokey = a and requestParameters.names.x = y", s),
	       "", "an index, [] or a key no element has: no hint");
	qerr e;
	query *q = query_parse("servce = iam and evnt = A", &e);
	int n = 0;
	is_int(query_field_check(q, s, counter, &n), 2, "query_field_check returns the count");
	is_int(n, 2, "and calls fn once per field");
	is_int(query_field_check(q, s, NULL, NULL), 2, "fn may be NULL");
	query_free(&q);
	store_free(&s);
	unlink(path);
}

int main(void)
{
	test_suggestions();
	test_known();
	test_arrays();
	test_once_and_stages();
	test_store();
	return tap_done();
}

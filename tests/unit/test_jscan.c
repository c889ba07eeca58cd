/* test_jscan.c — unit tests for the JSON scanner (jscan) and the file framer (jframe).
 * Inputs are copied into exact-size heap buffers so ASan catches any read past len. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jframe.h"
#include "jscan.h"
#include "tap.h"

static const char SAMPLE[] =
	"{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
	"\"principalId\":\"AROAEXAMPLE:alice\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/Admin/alice\","
	"\"accountId\":\"111122223333\",\"accessKeyId\":\"ASIAEXAMPLE\",\"invokedBy\":\"ec2.amazonaws.com\","
	"\"sessionContext\":{\"attributes\":{\"creationDate\":\"2023-07-10T11:00:00Z\",\"mfaAuthenticated\":\"false\"},"
	"\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:role/Admin\","
	"\"accountId\":\"111122223333\",\"userName\":\"Admin\"}}},"
	"\"eventTime\":\"2023-07-10T12:11:15Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\","
	"\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"192.0.2.10\",\"userAgent\":\"aws-cli/2.13.0\","
	"\"errorCode\":\"AccessDenied\",\"requestParameters\":{\"userName\":\"bob\",\"tags\":[{\"key\":\"a\",\"value\":\"b\"}],"
	"\"n\":[1,-2.5e+3,0,null,true,false]},\"responseElements\":null,"
	"\"requestID\":\"r-1\",\"eventID\":\"e0e0e0e0-1111-2222-3333-444455556666\",\"readOnly\":false,"
	"\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\","
	"\"resources\":[{\"ARN\":\"arn:aws:iam::111122223333:user/bob\",\"type\":\"AWS::IAM::User\"}]}";

/* Exact-size heap copy (not NUL-terminated). */
static char *dup_exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	memcpy(p, s, n);
	return p;
}

static int rec_ok(const char *s, size_t n, jspan *f, jscan_err *err, int *bad)
{
	char *b = dup_exact(s, n);
	size_t end = 0;
	int r = jscan_record(b, n, 0, &end, f, bad, err);
	if (r == 0 && end != n)
		r = 2; /* trailing bytes in the test input */
	free(b);
	return r;
}

static int valid(const char *s)
{
	jspan f[JF_N];
	jscan_err err;
	return rec_ok(s, strlen(s), f, &err, NULL) == 0;
}

static int skip_valid(const char *s)
{
	size_t n = strlen(s), end;
	char *b = dup_exact(s, n);
	int r = jscan_skip(b, n, 0, &end, NULL);
	free(b);
	return r == 0 && end == n;
}

static char *field_text(const char *base, const jspan *sp)
{
	sbuf b;
	sbuf_init(&b);
	jscan_text(base, sp, &b);
	return sbuf_take(&b);
}

static void check_field(const char *rec, const jspan *f, int jf, const char *want)
{
	char *t = field_text(rec, &f[jf]);
	if (want == NULL) {
		ok(f[jf].kind == JK_ABSENT, "%s absent", jf_path[jf]);
	} else {
		is_str(t, want, "%s", jf_path[jf]);
	}
	free(t);
}

static void test_sample(void)
{
	jspan f[JF_N];
	jscan_err err;
	int bad = 7;
	size_t n = strlen(SAMPLE);
	char *b = dup_exact(SAMPLE, n);
	size_t end = 0;
	is_int(jscan_record(b, n, 0, &end, f, &bad, &err), 0, "sample record scans");
	is_int(end, n, "end is just past the closing brace");
	is_int(bad, 0, "no bad UTF-8");
	check_field(b, f, JF_EVENTTIME, "2023-07-10T12:11:15Z");
	check_field(b, f, JF_EVENTNAME, "CreateUser");
	check_field(b, f, JF_EVENTSOURCE, "iam.amazonaws.com");
	check_field(b, f, JF_AWSREGION, "us-east-1");
	check_field(b, f, JF_SOURCEIP, "192.0.2.10");
	check_field(b, f, JF_USERAGENT, "aws-cli/2.13.0");
	check_field(b, f, JF_ERRORCODE, "AccessDenied");
	check_field(b, f, JF_UI_TYPE, "AssumedRole");
	check_field(b, f, JF_UI_ARN, "arn:aws:sts::111122223333:assumed-role/Admin/alice");
	check_field(b, f, JF_UI_PRINCIPALID, "AROAEXAMPLE:alice");
	check_field(b, f, JF_UI_ACCOUNTID, "111122223333");
	check_field(b, f, JF_UI_ACCESSKEY, "ASIAEXAMPLE");
	check_field(b, f, JF_UI_INVOKEDBY, "ec2.amazonaws.com");
	check_field(b, f, JF_ISSUER_ARN, "arn:aws:iam::111122223333:role/Admin");
	check_field(b, f, JF_RECIPIENT, "111122223333");
	check_field(b, f, JF_EVENTID, "e0e0e0e0-1111-2222-3333-444455556666");
	check_field(b, f, JF_READONLY, "false");
	is_int(f[JF_READONLY].kind, JK_FALSE, "readOnly is a false literal");
	is_int(f[JF_EVENTNAME].kind, JK_STRING, "eventName is a string");

	/* jscan_path */
	jspan sp;
	char *t;
	ok(jscan_path(b, n, "requestParameters.userName", &sp) == 0, "path requestParameters.userName");
	t = field_text(b, &sp);
	is_str(t, "bob", "path value");
	free(t);
	ok(jscan_path(b, n, "resources.0.type", &sp) == 0, "path resources.0.type");
	t = field_text(b, &sp);
	is_str(t, "AWS::IAM::User", "array index path");
	free(t);
	ok(jscan_path(b, n, "requestParameters.n.1", &sp) == 0 && sp.kind == JK_NUMBER, "number by path");
	t = field_text(b, &sp);
	is_str(t, "-2.5e+3", "number token text");
	free(t);
	ok(jscan_path(b, n, "requestParameters.n.5", &sp) == 0 && sp.kind == JK_FALSE, "false by path");
	ok(jscan_path(b, n, "requestParameters.n.6", &sp) != 0, "index past the end is absent");
	ok(jscan_path(b, n, "responseElements", &sp) == 0 && sp.kind == JK_NULL, "null by path");
	ok(jscan_path(b, n, "requestParameters.tags", &sp) == 0 && sp.kind == JK_ARRAY, "array by path");
	t = field_text(b, &sp);
	is_str(t, "[{\"key\":\"a\",\"value\":\"b\"}]", "array raw text");
	free(t);
	ok(jscan_path(b, n, "nope", &sp) != 0, "missing key is absent");
	ok(jscan_path(b, n, "eventName.x", &sp) != 0, "path through a string is absent");
	ok(jscan_path(b, n, "resources.x", &sp) != 0, "non-numeric index into an array is absent");
	ok(jscan_path(b, n, jf_path[JF_ISSUER_ARN], &sp) == 0 && sp.off == f[JF_ISSUER_ARN].off,
	   "jscan_path agrees with jscan_record on the issuer arn");
	free(b);

	/* every prefix must fail, never crash, never read past len */
	int all = 1;
	for (size_t k = 0; k < n; k++) {
		char *p = dup_exact(SAMPLE, k);
		size_t e2;
		jscan_err er;
		int r = jscan_record(p, k, 0, &e2, f, NULL, &er);
		if (r == 0 || er.off > k || (k > 0 && er.off != k))
			all = 0;
		jscan_path(p, k, "userIdentity.sessionContext.sessionIssuer.arn", &sp);
		jscan_skip(p, k, 0, &e2, NULL);
		free(p);
	}
	ok(all, "every truncated prefix is an error at the end of the input");
}

static void test_fields_misc(void)
{
	jspan f[JF_N];
	jscan_err err;
	const char *r;

	/* escapes in keys and values */
	r = "{\"event\\u004eame\":\"A\\\"B\\\\C\\/D\\n\",\"eventTime\":\"x\"}";
	is_int(rec_ok(r, strlen(r), f, &err, NULL), 0, "escaped key scans");
	check_field(r, f, JF_EVENTNAME, "A\"B\\C/D\n");
	ok(f[JF_EVENTNAME].esc == 1, "esc flag set");
	ok(f[JF_EVENTTIME].esc == 0, "esc flag clear");

	r = "{\"userIdentity\":{\"\\u0074ype\":\"Root\",\"sessionContext\":{\"session\\u0049ssuer\":{\"a\\u0072n\":\"X\"}}}}";
	is_int(rec_ok(r, strlen(r), f, &err, NULL), 0, "escaped nested keys");
	check_field(r, f, JF_UI_TYPE, "Root");
	check_field(r, f, JF_ISSUER_ARN, "X");

	/* @timestamp at the top level only */
	r = "{\"@timestamp\":\"2020-09-14T00:44:23.000Z\",\"userIdentity\":{\"@timestamp\":\"no\"}}";
	is_int(rec_ok(r, strlen(r), f, &err, NULL), 0, "@timestamp record scans");
	check_field(r, f, JF_TIMESTAMP, "2020-09-14T00:44:23.000Z");
	check_field(r, f, JF_EVENTTIME, NULL);

	/* surrogates */
	r = "{\"eventName\":\"\\ud83d\\ude00|\\u00e9|\\u20ac\"}";
	is_int(rec_ok(r, strlen(r), f, &err, NULL), 0, "surrogate pair scans");
	check_field(r, f, JF_EVENTNAME, "\xF0\x9F\x98\x80|\xC3\xA9|\xE2\x82\xAC");
	r = "{\"eventName\":\"a\\ud800b\\udc00c\\ud800\\u0041\"}";
	is_int(rec_ok(r, strlen(r), f, &err, NULL), 0, "lone surrogates are valid JSON syntax");
	check_field(r, f, JF_EVENTNAME, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "A");

	/* duplicate keys: last wins, including whole subtrees */
	r = "{\"eventName\":\"A\",\"eventName\":\"B\"}";
	rec_ok(r, strlen(r), f, &err, NULL);
	check_field(r, f, JF_EVENTNAME, "B");
	r = "{\"userIdentity\":{\"type\":\"A\",\"arn\":\"x\"},\"userIdentity\":{\"type\":\"B\"}}";
	rec_ok(r, strlen(r), f, &err, NULL);
	check_field(r, f, JF_UI_TYPE, "B");
	check_field(r, f, JF_UI_ARN, NULL);
	r = "{\"userIdentity\":{\"type\":\"A\"},\"userIdentity\":null}";
	rec_ok(r, strlen(r), f, &err, NULL);
	check_field(r, f, JF_UI_TYPE, NULL);

	/* non-string fixed fields, fields at the wrong depth */
	r = "{\"eventName\":{\"a\":[1,2]},\"readOnly\":true,\"errorCode\":12.5,\"requestParameters\":{\"eventTime\":\"no\"}}";
	is_int(rec_ok(r, strlen(r), f, &err, NULL), 0, "odd types scan");
	ok(f[JF_EVENTNAME].kind == JK_OBJECT, "object-valued field");
	check_field(r, f, JF_EVENTNAME, "{\"a\":[1,2]}");
	ok(f[JF_READONLY].kind == JK_TRUE, "true literal");
	ok(f[JF_ERRORCODE].kind == JK_NUMBER, "number field");
	check_field(r, f, JF_ERRORCODE, "12.5");
	check_field(r, f, JF_EVENTTIME, NULL);

	/* empty object, whitespace everywhere */
	ok(valid("{}"), "empty object");
	ok(valid("{ \"eventName\" : \"x\" , \"a\" : [ ] , \"b\" : { } }"), "whitespace");
	r = "{\n\t\"eventName\"\r\n:\n\"x\"\n}";
	is_int(rec_ok(r, strlen(r), f, &err, NULL), 0, "newlines and tabs");
	check_field(r, f, JF_EVENTNAME, "x");
}

static void test_numbers_literals(void)
{
	static const char *good[] = { "0", "-0", "1", "-1", "10", "1.5", "-0.25", "1e5", "1E5",
				      "1e+5", "1e-5", "-1.5E-10", "123456789012345678901234567890",
				      "0.0", "true", "false", "null", "\"\"", "[]", "{}", "[1,[2,{}]]" };
	static const char *bad[] = { "01", "-", "+1", ".5", "1.", "1e", "1e+", "-a", "1.e5", "0x10",
				     "tru", "nul", "True", "NaN", "Infinity", "[1,]", "{\"a\":1,}",
				     "[1 2]", "{\"a\" 1}", "{1:2}", "{'a':1}", "\"\\x\"", "\"\\u12\"",
				     "\"\\u12g4\"", "[", "]", "", " ", "{\"a\":1}}" /* trailing */ };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(skip_valid(good[i]), "valid: %s", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(!skip_valid(bad[i]), "invalid: %s", bad[i]);
	ok(!valid("{\"a\":-}"), "bare minus in record");
	ok(!valid("{\"a\":1.}"), "1. in record");
	ok(!valid("{\"a\":01}"), "leading zero in record");
	ok(!valid("[1]"), "a record must be an object");
}

static void test_control_and_utf8(void)
{
	jspan f[JF_N];
	jscan_err err;
	int bad;
	char r[] = "{\"eventName\":\"a\0b\"}";
	is_int(rec_ok(r, sizeof r - 1, f, &err, NULL), -1, "NUL inside a string is an error");
	is_str(err.reason, "control byte 0x00 inside a string", "NUL reason");
	is_int(err.off, 15, "NUL offset");
	char r2[] = "{\"a\":\"x\x1f\"}";
	rec_ok(r2, sizeof r2 - 1, f, &err, NULL);
	is_str(err.reason, "control byte 0x1f inside a string", "0x1f reason");
	char r3[] = "{\"a\":\"line\nbreak\"}";
	is_int(rec_ok(r3, sizeof r3 - 1, f, &err, NULL), -1, "raw newline inside a string");
	is_str(err.reason, "control byte 0x0a inside a string", "newline reason");
	char r4[] = "{\"a\":1,\0\"b\":2}";
	ok(rec_ok(r4, sizeof r4 - 1, f, &err, NULL) == -1, "NUL between tokens is an error");
	/* a long string with a control byte deep inside (SIMD path) */
	char big[300];
	memset(big, 'x', sizeof big);
	memcpy(big, "{\"a\":\"", 6);
	big[200] = 0x01;
	memcpy(big + sizeof big - 2, "\"}", 2);
	rec_ok(big, sizeof big, f, &err, NULL);
	is_int(err.off, 200, "control byte found by the wide scan");
	big[200] = '\\';
	big[201] = 'q';
	rec_ok(big, sizeof big, f, &err, NULL);
	is_str(err.reason, "invalid escape in string", "bad escape in the wide scan");

	/* UTF-8 */
	const char *u = "{\"eventName\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 long enough to pass the SIMD block\"}";
	is_int(rec_ok(u, strlen(u), f, &err, &bad), 0, "valid UTF-8");
	is_int(bad, 0, "valid UTF-8 is not flagged");
	static const char *badu[] = { "\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
				      "\xFF", "\x80", "\xE2\x82", "\xF0\x9F\x98" };
	for (size_t i = 0; i < sizeof badu / sizeof badu[0]; i++) {
		char t[128];
		int l = snprintf(t, sizeof t, "{\"eventName\":\"a%sb\"}", badu[i]);
		bad = 0;
		is_int(rec_ok(t, (size_t)l, f, &err, &bad), 0, "invalid UTF-8 #%zu accepted", i);
		is_int(bad, 1, "invalid UTF-8 #%zu reported", i);
	}
	/* a truncated sequence right before the closing quote must not eat the quote */
	const char *tq = "{\"a\":\"\xE2\x82\",\"eventName\":\"z\"}";
	is_int(rec_ok(tq, strlen(tq), f, &err, &bad), 0, "truncated sequence before quote");
	check_field(tq, f, JF_EVENTNAME, "z");
}

static char *nest(int levels, size_t *n)
{
	/* {"a":{"a":...{"a":1}...}} with `levels` objects, or arrays inside one object */
	sbuf b;
	sbuf_init(&b);
	for (int i = 0; i < levels; i++)
		sbuf_adds(&b, "{\"a\":");
	sbuf_adds(&b, "1");
	for (int i = 0; i < levels; i++)
		sbuf_addc(&b, '}');
	*n = b.len;
	return sbuf_take(&b);
}

static char *nest_arr(int levels, size_t *n)
{
	sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, "{\"a\":");
	for (int i = 1; i < levels; i++)
		sbuf_addc(&b, '[');
	for (int i = 1; i < levels; i++)
		sbuf_addc(&b, ']');
	sbuf_addc(&b, '}');
	*n = b.len;
	return sbuf_take(&b);
}

static void test_nesting(void)
{
	jspan f[JF_N];
	jscan_err err;
	size_t n;
	int lv[] = { 511, 512, 513 };
	for (int i = 0; i < 3; i++) {
		char *s = nest(lv[i], &n);
		int r = rec_ok(s, n, f, &err, NULL);
		is_int(r, lv[i] <= 512 ? 0 : -1, "%d nested objects", lv[i]);
		if (r)
			is_str(err.reason, "nesting deeper than 512 levels", "depth reason");
		jspan sp;
		jscan_path(s, n, "a.a.a", &sp);
		free(s);
		s = nest_arr(lv[i], &n);
		is_int(rec_ok(s, n, f, &err, NULL), lv[i] <= 512 ? 0 : -1, "%d levels with arrays", lv[i]);
		free(s);
	}
	/* deep nesting along the tracked path */
	const char *t = "{\"userIdentity\":{\"sessionContext\":{\"sessionIssuer\":{\"arn\":{\"x\":[[[[1]]]]}}}}}";
	is_int(rec_ok(t, strlen(t), f, &err, NULL), 0, "nested issuer");
	ok(f[JF_ISSUER_ARN].kind == JK_OBJECT, "issuer arn object");
	/* a million open brackets must fail cleanly, not blow the stack */
	size_t big = 1000000;
	char *s = malloc(big);
	s[0] = '{';
	memcpy(s + 1, "\"a\":", 4);
	memset(s + 5, '[', big - 5);
	ok(rec_ok(s, big, f, &err, NULL) == -1, "a million brackets");
	jspan sp;
	ok(jscan_path(s, big, "a.0.0.0.0", &sp) == -1, "path into a million brackets");
	free(s);
}

static void test_huge(void)
{
	/* a 100 MB single record: one huge requestParameters string and a big array */
	size_t target = 100u << 20;
	sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, "{\"eventName\":\"Big\",\"requestParameters\":{\"blob\":\"");
	size_t start = b.len;
	size_t slen = target / 2;
	sbuf_add(&b, "", 0);
	char *chunk = malloc(4096);
	for (int i = 0; i < 4096; i++)
		chunk[i] = (char)('a' + i % 26);
	for (size_t k = 0; k < slen; k += 4096)
		sbuf_add(&b, chunk, slen - k < 4096 ? slen - k : 4096);
	free(chunk);
	(void)start;
	sbuf_adds(&b, "\",\"list\":[");
	while (b.len < target)
		sbuf_adds(&b, "{\"k\":\"v\\u00e9\",\"n\":-12.5e3},");
	sbuf_adds(&b, "0]},\"eventTime\":\"2023-01-01T00:00:00Z\"}");
	size_t n = b.len;
	jspan f[JF_N];
	jscan_err err;
	size_t end;
	double t0 = now_mono();
	int r = jscan_record(b.s, n, 0, &end, f, NULL, &err);
	double dt = now_mono() - t0;
	is_int(r, 0, "100 MB record scans");
	ok(r == 0 && end == n, "100 MB record end");
	check_field(b.s, f, JF_EVENTTIME, "2023-01-01T00:00:00Z");
	printf("# 100 MB record scanned in %.3f s\n", dt);
	sbuf_free(&b);
}

/* ---- jframe ---- */

typedef struct col {
	int nrec, nerr;
	size_t offs[64];
	char names[64][32];
	size_t erroff[16];
	char errs[16][320];
	const char *buf;
} col;

static int on_rec(void *ud, size_t off, size_t len, const jspan f[JF_N], int bad)
{
	col *c = ud;
	(void)bad;
	if (c->nrec < 64) {
		c->offs[c->nrec] = off;
		sbuf t;
		sbuf_init(&t);
		jscan_text(c->buf + off, &f[JF_EVENTNAME], &t);
		snprintf(c->names[c->nrec], 32, "%s", t.s ? t.s : "");
		sbuf_free(&t);
		(void)len;
	}
	c->nrec++;
	return 0;
}

static void on_err(void *ud, size_t off, const char *reason)
{
	col *c = ud;
	if (c->nerr < 16) {
		c->erroff[c->nerr] = off;
		snprintf(c->errs[c->nerr], sizeof c->errs[0], "%s", reason);
	}
	c->nerr++;
	printf("#   err @%zu: %s\n", off, reason);
}

static size_t walk_str(const char *s, size_t n, enum jformat fmt, col *c)
{
	char *b = dup_exact(s, n);
	memset(c, 0, sizeof *c);
	c->buf = b;
	size_t r = jframe_walk(b, n, fmt, on_rec, on_err, c);
	free(b);
	c->buf = NULL;
	return r;
}

static enum jformat detect_str(const char *s)
{
	size_t n = strlen(s);
	char *b = dup_exact(s, n);
	enum jformat f = jframe_detect(b, n);
	free(b);
	return f;
}

static void test_detect(void)
{
	is_int(detect_str("{\"Records\":[{\"eventName\":\"A\"}]}"), JFMT_RECORDS, "records");
	is_int(detect_str("\xEF\xBB\xBF \n{ \"Records\" : [ ]}"), JFMT_RECORDS, "BOM + records");
	is_int(detect_str("{\"x\":{\"y\":[1,2]},\"Records\":[]}"), JFMT_RECORDS, "Records not first");
	is_int(detect_str("{\"Records\":[{\"eventName\":\"A\"},{\"even"), JFMT_RECORDS, "truncated records");
	is_int(detect_str("{\"Records\""), JFMT_RECORDS, "truncated after the key");
	is_int(detect_str("{\"Events\":[{\"EventId\":\"1\",\"CloudTrailEvent\":\"{}\"}],\"NextToken\":\"x\"}"),
	       JFMT_LOOKUP, "lookup");
	is_int(detect_str("{\"Events\":[]}"), JFMT_LOOKUP, "empty lookup");
	is_int(detect_str("{\"Events\":[{\"a\":1}]}"), JFMT_UNKNOWN, "Events of other things");
	is_int(detect_str("{\"awsAccountId\":\"1\",\"digestStartTime\":\"x\",\"logFiles\":[]}"), JFMT_DIGEST, "digest");
	is_int(detect_str("{\"eventVersion\":\"1.08\",\"eventTime\":\"x\"}\n{\"eventVersion\":\"1.08\"}\n"),
	       JFMT_NDJSON, "ndjson");
	is_int(detect_str("{\"eventVersion\":\"1.08\"}"), JFMT_NDJSON, "single event");
	is_int(detect_str("{\n  \"eventVersion\": \"1.08\",\n  \"userIdentity\": {}\n}"), JFMT_NDJSON,
	       "pretty single event");
	is_int(detect_str("[{\"eventName\":\"A\"}]"), JFMT_ARRAY, "array");
	is_int(detect_str(""), JFMT_EMPTY, "empty");
	is_int(detect_str(" \n\t "), JFMT_EMPTY, "whitespace only");
	is_int(detect_str("\xEF\xBB\xBF"), JFMT_EMPTY, "BOM only");
	is_int(detect_str("hello"), JFMT_UNKNOWN, "not JSON");
	is_int(detect_str("{\"rule_id\":\"x\",\"tests\":[]}"), JFMT_UNKNOWN, "other JSON");
	is_int(detect_str("{"), JFMT_UNKNOWN, "lone brace");
	is_str(jformat_name(JFMT_RECORDS), "records", "format name");
	is_str(jformat_name(JFMT_LOOKUP), "lookup", "format name lookup");
}

static void test_walk(void)
{
	col c;
	const char *s;
	size_t n;

	s = "{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":\"B\"} , {\"eventName\":\"C\"}]}\n";
	n = walk_str(s, strlen(s), JFMT_RECORDS, &c);
	is_int(n, 3, "three records");
	is_int(c.nerr, 0, "no errors");
	is_str(c.names[2], "C", "third record's name (spans relative to the record)");
	is_int(c.offs[1], 30, "offset of the second record");

	/* malformed record in the middle: missing comma between fields */
	s = "{\"Records\":[{\"eventVersion\":\"1\",\"eventName\":\"A\"},"
	    "{\"eventVersion\":\"1\",\"eventName\":\"B\" \"x\":[{\"y\":1},{\"z\":2}]},"
	    "{\"eventVersion\":\"1\",\"eventName\":\"C\"}]}";
	n = walk_str(s, strlen(s), JFMT_RECORDS, &c);
	is_int(n, 2, "recovered after a bad record");
	is_str(c.names[1], "C", "record after the bad one");
	is_int(c.nerr, 1, "one error");
	ok(strstr(c.errs[0], "record 2") && strstr(c.errs[0], "skipped"), "error names the record and the skip");

	/* garbage that breaks the brackets: recover at the next {"eventVersion" */
	s = "{\"Records\":[{\"eventVersion\":\"1\",\"eventName\":\"A\"},"
	    "{\"eventVersion\":\"1\",\"eventName\":\"B\",\"r\":[[[{,"
	    "{\"eventVersion\":\"1\",\"eventName\":\"C\"},{\"eventVersion\":\"1\",\"eventName\":\"D\"}]}";
	n = walk_str(s, strlen(s), JFMT_RECORDS, &c);
	is_int(n, 3, "recovered after broken brackets");
	is_str(c.names[1], "C", "C after broken brackets");
	is_str(c.names[2], "D", "D after broken brackets");

	/* the last record is bad */
	s = "{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":\"B\" 1}]}";
	n = walk_str(s, strlen(s), JFMT_RECORDS, &c);
	is_int(n, 1, "bad last record");
	is_int(c.nerr, 1, "one error for the bad last record");

	/* not an object */
	s = "{\"Records\":[{\"eventName\":\"A\"},42,\"x\",{\"eventName\":\"B\"}]}";
	n = walk_str(s, strlen(s), JFMT_RECORDS, &c);
	is_int(n, 2, "scalars skipped");
	is_int(c.nerr, 2, "two non-object errors");
	ok(strstr(c.errs[0], "array element 2 is not an object") != NULL, "non-object reason");

	/* truncated envelope */
	s = "{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":\"B\"},{\"eventName\":\"C";
	n = walk_str(s, strlen(s), JFMT_RECORDS, &c);
	is_int(n, 2, "records before the truncation");
	is_int(c.nerr, 1, "one truncation error");
	is_int(c.erroff[0], strlen(s), "truncation offset");
	ok(strstr(c.errs[0], "unexpected end of input inside record 3") != NULL, "truncation reason");
	s = "{\"Records\":[{\"eventName\":\"A\"},";
	n = walk_str(s, strlen(s), JFMT_RECORDS, &c);
	is_int(n, 1, "truncated after a comma");
	is_int(c.nerr, 1, "truncated after a comma: error");

	/* every prefix of a records file */
	{
		char rf[4096];
		snprintf(rf, sizeof rf, "{\"Records\":[%s,%s]}", SAMPLE, SAMPLE);
		size_t L = strlen(rf);
		int good = 1;
		for (size_t k = 0; k < L; k++) {
			char *b = dup_exact(rf, k);
			enum jformat fm = jframe_detect(b, k);
			if (k >= 11 && fm != JFMT_RECORDS)
				good = 0;
			free(b);
			col cc;
			memset(&cc, 0, sizeof cc);
			cc.buf = rf;
			b = dup_exact(rf, k);
			cc.buf = b;
			size_t got = jframe_walk(b, k, JFMT_RECORDS, on_rec, NULL, &cc);
			free(b);
			if (got > 2)
				good = 0;
		}
		ok(good, "every prefix of a records file is detected and walked safely");
	}

	s = "{\"Records\":[]}";
	is_int(walk_str(s, strlen(s), JFMT_RECORDS, &c), 0, "empty Records");
	is_int(c.nerr, 0, "empty Records: no error");
	s = "{\"Records\":[{\"eventName\":\"A\"}]} trailing";
	is_int(walk_str(s, strlen(s), JFMT_RECORDS, &c), 1, "trailing data");
	is_int(c.nerr, 1, "trailing data reported");

	/* NDJSON with a bad line in the middle */
	s = "{\"eventName\":\"A\"}\n{\"eventName\":\"B\",\n{\"eventName\":\"C\"}\n\n{\"eventName\":\"D\" x}\n{\"eventName\":\"E\"}";
	n = walk_str(s, strlen(s), JFMT_NDJSON, &c);
	is_int(n, 3, "ndjson recovery");
	is_str(c.names[1], "C", "ndjson C");
	is_str(c.names[2], "E", "ndjson E");
	is_int(c.nerr, 2, "ndjson two errors");
	ok(strstr(c.errs[0], "line 2") != NULL, "ndjson error names the line");
	s = "{\"eventName\":\"A\"}\n{\"eventName\":\"B\"";
	n = walk_str(s, strlen(s), JFMT_NDJSON, &c);
	is_int(n, 1, "ndjson truncated last line");
	ok(c.nerr == 1 && strstr(c.errs[0], "unexpected end of input inside record 2"), "ndjson truncation");
	s = "{\n \"eventName\": \"A\"\n}\n{\n \"eventName\": \"B\"\n}\n";
	is_int(walk_str(s, strlen(s), JFMT_NDJSON, &c), 2, "concatenated pretty objects");

	/* array */
	s = "\xEF\xBB\xBF[ {\"eventName\":\"A\"}, {\"eventName\":\"B\"} ]";
	is_int(walk_str(s, strlen(s), JFMT_ARRAY, &c), 2, "array walk with BOM");
	is_int(c.nerr, 0, "array no errors");
	s = "[{\"eventName\":\"A\"}{\"eventName\":\"B\"}]";
	is_int(walk_str(s, strlen(s), JFMT_ARRAY, &c), 2, "missing comma between records");
	is_int(c.nerr, 1, "missing comma reported");

	/* digest, empty, unknown */
	s = "{\"awsAccountId\":\"1\",\"digestStartTime\":\"x\",\"logFiles\":[]}";
	is_int(walk_str(s, strlen(s), JFMT_DIGEST, &c), 0, "digest: no records");
	is_int(c.nerr, 0, "digest: no errors");
	is_int(walk_str("", 0, JFMT_EMPTY, &c), 0, "empty: no records");
	is_int(walk_str("x", 1, JFMT_UNKNOWN, &c), 0, "unknown: no records");
	is_int(c.nerr, 1, "unknown: reported");
}

static void test_lookup(void)
{
	const char *s =
		"{\"Events\":[{\"EventId\":\"1\",\"EventName\":\"A\",\"CloudTrailEvent\":"
		"\"{\\\"eventVersion\\\":\\\"1.08\\\",\\\"eventName\\\":\\\"A\\\",\\n\\\"x\\\":\\\"q\\\\\\\"\\\"}\","
		"\"Resources\":[]},"
		"{\"EventId\":\"2\",\"CloudTrailEvent\":\"{\\\"eventName\\\":\\\"B\\u00e9\\\"}\"}],"
		"\"NextToken\":\"tok\"}";
	size_t n = strlen(s);
	char *b = dup_exact(s, n);
	is_int(jframe_detect(b, n), JFMT_LOOKUP, "lookup detected");
	sbuf v;
	sbuf_init(&v);
	jscan_err err;
	is_int(jframe_lookup_view(b, n, &v, &err), 0, "lookup view built");
	is_str(v.s, "{\"eventVersion\":\"1.08\",\"eventName\":\"A\", \"x\":\"q\\\"\"}\n{\"eventName\":\"B\xC3\xA9\"}\n",
	       "view content");
	col c;
	memset(&c, 0, sizeof c);
	c.buf = v.s;
	is_int(jframe_walk(v.s, v.len, JFMT_NDJSON, on_rec, on_err, &c), 2, "view walks as NDJSON");
	is_str(c.names[1], "B\xC3\xA9", "second event name");
	sbuf_free(&v);
	free(b);
	/* truncated lookup */
	sbuf_init(&v);
	for (size_t k = 0; k < n; k++) {
		b = dup_exact(s, k);
		sbuf_reset(&v);
		jframe_lookup_view(b, k, &v, &err);
		free(b);
	}
	ok(1, "every prefix of a lookup document is handled");
	sbuf_free(&v);
	s = "{\"Events\":[1]}";
	is_int(jframe_lookup_view(s, strlen(s), &v, &err), -1, "bad Events element");
	sbuf_free(&v);
}

static void test_unescape(void)
{
	sbuf b;
	sbuf_init(&b);
	const char *s = "a\\tb\\u0000c\\ud834\\udd1e\\uZZZZ\\";
	jscan_unescape(s, strlen(s), &b);
	/* precise: a TAB b NUL c U+1D11E U+FFFD ZZZZ U+FFFD */
	const char want[] = "a\tb\0c\xF0\x9D\x84\x9E\xEF\xBF\xBDZZZZ\xEF\xBF\xBD";
	is_int(b.len, sizeof want - 1, "unescape length");
	ok(memcmp(b.s, want, sizeof want - 1) == 0, "unescape bytes");
	sbuf_free(&b);
}

int main(void)
{
	test_sample();
	test_fields_misc();
	test_numbers_literals();
	test_control_and_utf8();
	test_nesting();
	test_huge();
	test_detect();
	test_walk();
	test_lookup();
	test_unescape();
	return tap_done();
}

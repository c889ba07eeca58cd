/* test_awsparse.c — the small XML reader (S3 and STS answers) and the AWS INI reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws_ini.h"
#include "aws_xml.h"
#include "tap.h"

static const char LIST[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
	"<Name>trail-bucket</Name><Prefix>AWSLogs/123456789012/CloudTrail/</Prefix>"
	"<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
	"<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
	"<Contents><Key>AWSLogs/a.json.gz</Key><LastModified>2015-08-30T12:36:00.000Z</LastModified>"
	"<ETag>&quot;abc&quot;</ETag><Size>123</Size><StorageClass>STANDARD</StorageClass></Contents>"
	"<Contents><Key>AWSLogs/b%20c.json.gz</Key><Size>456</Size></Contents>"
	"<EncodingType>url</EncodingType></ListBucketResult>";

static void xml_tests(void)
{
	sbuf b;
	size_t pos = 0, len = 0, n = strlen(LIST);
	const char *in = NULL;
	sbuf_init(&b);
	ok(awsxml_get(LIST, n, "Name", &b), "ListBucketResult: Name found");
	is_str(b.s, "trail-bucket", "Name text");
	sbuf_reset(&b);
	ok(awsxml_get(LIST, n, "NextContinuationToken", &b) && !strcmp(b.s,
	   "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="), "continuation token");
	sbuf_reset(&b);
	is_int(awsxml_get(LIST, n, "Missing", &b), 0, "absent element: not found");
	int count = 0;
	char keys[2][64] = {"", ""};
	while (awsxml_next(LIST, n, &pos, "Contents", &in, &len)) {
		sbuf_reset(&b);
		if (count < 2 && awsxml_get(in, len, "Key", &b))
			snprintf(keys[count], sizeof keys[count], "%s", b.s);
		count++;
	}
	is_int(count, 2, "two Contents elements");
	is_str(keys[0], "AWSLogs/a.json.gz", "first key");
	is_str(keys[1], "AWSLogs/b%20c.json.gz", "second key (url-encoded as sent)");
	sbuf_reset(&b);
	awsxml_get(LIST, n, "ETag", &b);
	is_str(b.s, "\"abc\"", "ETag entities decoded");

	const char *pfx = "<s3:ListBucketResult xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
			  "<s3:Contents><s3:Key>k1</s3:Key></s3:Contents></s3:ListBucketResult>";
	sbuf_reset(&b);
	ok(awsxml_get(pfx, strlen(pfx), "Key", &b) && !strcmp(b.s, "k1"), "prefixed names: local name matches");

	const char *err = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The "
			  "specified bucket does not exist</Message><BucketName>x</BucketName>"
			  "<RequestId>R1</RequestId></Error>";
	sbuf_reset(&b);
	ok(awsxml_get(err, strlen(err), "Code", &b) && !strcmp(b.s, "NoSuchBucket"), "Error Code");
	const char *sts =
		"<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
		"  <AssumeRoleResult>\n    <Credentials>\n"
		"      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>\n"
		"      <SecretAccessKey>wJal/r+XUtn=</SecretAccessKey>\n"
		"      <SessionToken>FQoG&amp;ZXIv</SessionToken>\n"
		"      <Expiration>2015-08-30T13:36:00Z</Expiration>\n"
		"    </Credentials>\n    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn>"
		"</AssumedRoleUser>\n  </AssumeRoleResult>\n</AssumeRoleResponse>";
	const char *cr = NULL;
	size_t crl = 0, p2 = 0;
	ok(awsxml_next(sts, strlen(sts), &p2, "Credentials", &cr, &crl), "AssumeRole Credentials");
	sbuf_reset(&b);
	awsxml_get(cr, crl, "SessionToken", &b);
	is_str(b.s, "FQoG&ZXIv", "SessionToken decoded");
	sbuf_reset(&b);
	awsxml_get(cr, crl, "Expiration", &b);
	is_str(b.s, "2015-08-30T13:36:00Z", "Expiration");

	sbuf_reset(&b);
	const char *ent = "a&lt;b&gt;&amp;&apos;&#65;&#x263A;&#0;&bogus;<![CDATA[<x>&amp;]]>z";
	awsxml_decode(ent, strlen(ent), &b);
	is_str(b.s, "a<b>&'A\xe2\x98\xba&#0;&bogus;<x>&amp;z", "entities, char refs, CDATA");
	const char *cd = "<R><!-- <Key>no</Key> --><Key><![CDATA[a</Key>b]]></Key></R>";
	sbuf_reset(&b);
	ok(awsxml_get(cd, strlen(cd), "Key", &b) && !strcmp(b.s, "a</Key>b"),
	   "comments skipped, CDATA holding an end tag");
	const char *empty = "<R><Prefix/><Key a='>'>v</Key></R>";
	sbuf_reset(&b);
	ok(awsxml_get(empty, strlen(empty), "Prefix", &b) && b.len == 0, "<x/> is found, empty");
	sbuf_reset(&b);
	ok(awsxml_get(empty, strlen(empty), "Key", &b) && !strcmp(b.s, "v"), "'>' in an attribute");

	const char *bad[] = {
		"<Error><Code>NoSuch", "<Error><Code>x</Cod", "<Error><Code>x</Other></Error>",
		"<Error><Code", "<Code><!-- never closed", "<", "", "<Code><![CDATA[x", "<Code attr=\"x>y</Code>",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		sbuf_reset(&b);
		is_int(awsxml_get(bad[i], strlen(bad[i]), "Code", &b), 0, "malformed/truncated %zu: not found", i);
	}
	pos = 0;
	is_int(awsxml_next(LIST, 40, &pos, "ListBucketResult", &in, &len), 0, "truncated document: not found");
	sbuf_free(&b);
}

static void ini_tests(void)
{
	const char *text =
		"# a comment\n"
		"; another\n"
		"[default]\n"
		"aws_access_key_id = AKIDEXAMPLE\n"
		"aws_secret_access_key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY   ; trailing comment\n"
		"region = us-east-1\n"
		"region = eu-west-1\n"
		"\n"
		"[  profile   audit ]\n"
		"role_arn = arn:aws:iam::123456789012:role/Auditor\n"
		"source_profile = default  # why\n"
		"Region = case-sensitive\n"
		"[profile \"my name\"]\n"
		"region = ap-south-1\r\n"
		"this line is bad\n"
		"[services local]\n"
		"s3 =\n"
		"  endpoint_url = http://127.0.0.1:4569\n"
		"  addressing_style = path\n"
		"cloudtrail =\n"
		"\tendpoint_url = http://127.0.0.1:8080\n"
		"[broken\n"
		"orphan = 1\n"
		"[profile x]\n"
		"= novalue\n"
		"url = http://h/a#b\n";
	char *wbuf = NULL;
	size_t wlen = 0;
	FILE *w = open_memstream(&wbuf, &wlen);
	aws_ini *ini = aws_ini_parse(text, strlen(text), "cfg", w);
	fclose(w);
	ok(ini != NULL, "parse never NULL");
	ok(aws_ini_has(ini, "default"), "[default]");
	is_str(aws_ini_get(ini, "default", "aws_access_key_id"), "AKIDEXAMPLE", "key");
	is_str(aws_ini_get(ini, "default", "aws_secret_access_key"),
	       "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "value without spaces or inline comment");
	is_str(aws_ini_get(ini, "default", "region"), "eu-west-1", "repeated key: last wins");
	ok(aws_ini_has(ini, "profile audit"), "section name trimmed and collapsed");
	is_str(aws_ini_get(ini, "profile audit", "source_profile"), "default", "# inline comment");
	is_str(aws_ini_get(ini, "profile audit", "region"), NULL, "keys are case-sensitive");
	is_str(aws_ini_get(ini, "profile audit", "Region"), "case-sensitive", "Region");
	is_str(aws_ini_get(ini, "profile my name", "region"), "ap-south-1", "quoted name, CRLF");
	is_str(aws_ini_get(ini, "services local", "s3"), "", "nested key's own value is empty");
	is_str(aws_ini_get_sub(ini, "services local", "s3", "endpoint_url"),
	       "http://127.0.0.1:4569", "nested s3 endpoint_url");
	is_str(aws_ini_get_sub(ini, "services local", "s3", "addressing_style"), "path", "second nested");
	is_str(aws_ini_get_sub(ini, "services local", "cloudtrail", "endpoint_url"),
	       "http://127.0.0.1:8080", "nested with a tab");
	is_str(aws_ini_get(ini, "services local", "endpoint_url"), NULL, "nested is not top-level");
	is_str(aws_ini_get_sub(ini, "services local", "sts", "endpoint_url"), NULL, "absent nested");
	is_str(aws_ini_get(ini, "broken", "orphan"), NULL, "key after a broken header dropped");
	is_str(aws_ini_get(ini, "profile x", "url"), "http://h/a#b", "# without space is kept");
	is_str(aws_ini_get(ini, "nosuch", "x"), NULL, "absent section");
	ok(wbuf && strstr(wbuf, "cfg:15: "), "bad line reported as FILE:LINE");
	ok(wbuf && strstr(wbuf, "cfg:22: "), "unterminated section reported");
	ok(wbuf && strstr(wbuf, "cfg:23: "), "key outside a section reported");
	ok(wbuf && strstr(wbuf, "cfg:25: "), "empty key reported");
	ok(wbuf && !strstr(wbuf, "wJalr"), "warnings never quote values");
	free(wbuf);
	aws_ini_free(&ini);
	ok(ini == NULL, "free clears the pointer");
	aws_ini_free(&ini);

	ini = aws_ini_parse(NULL, 0, "x", NULL);
	ok(ini && !aws_ini_has(ini, "default"), "empty input");
	aws_ini_free(&ini);
	char path[] = "/tmp/tg-ini-XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0 && write(fd, "[default]\nregion=us-west-2\n", 27) == 27, "temp file");
	close(fd);
	ini = aws_ini_load(path, NULL);
	is_str(aws_ini_get(ini, "default", "region"), "us-west-2", "load a file");
	aws_ini_free(&ini);
	unlink(path);
	ok(aws_ini_load(path, NULL) == NULL, "missing file: NULL");
}

int main(void)
{
	xml_tests();
	ini_tests();
	return tap_done();
}

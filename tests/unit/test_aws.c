/* test_aws.c — the AWS client without a network: error bodies, retry classes, backoff,
 * endpoints, region order, profiles from temporary INI files, credential_process, the
 * permission warning, aws_explain, and that no message ever holds a secret. */
#include "aws.h"
#include "aws_int.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256], cfg[300], cred[300];
static sbuf all_msgs; /* every message produced, checked for secrets at the end */

static void clean_env(void)
{
	static const char *const vars[] = {
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
		"AWS_ENDPOINT_URL_CLOUDTRAIL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_ATHENA",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CREDENTIAL_EXPIRATION",
		"TRAILGUIDE_AWS_TRACE", "TRAILGUIDE_AWS_FIXED_TIME", "TRAILGUIDE_AWS_TIMEOUT",
		NULL,
	};
	for (int i = 0; vars[i]; i++)
		unsetenv(vars[i]);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_CONFIG_FILE", cfg, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", cred, 1);
}

static void put(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

static void parse_errors(void)
{
	char code[96], msg[512];
	const char *j1 = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";
	ok(aws_parse_error(j1, strlen(j1), code, sizeof code, msg, sizeof msg), "JSON error");
	is_str(code, "ThrottlingException", "JSON __type");
	is_str(msg, "Rate exceeded", "JSON message");
	const char *j2 = "{\"__type\":\"com.amazonaws.cloudtrail.v20131101#InvalidTimeRangeException\","
			 "\"Message\":\"bad range\"}";
	aws_parse_error(j2, strlen(j2), code, sizeof code, msg, sizeof msg);
	is_str(code, "InvalidTimeRangeException", "namespaced __type loses its namespace");
	is_str(msg, "bad range", "JSON Message (capital M)");
	const char *j3 = "{\"__type\":\"AccessDeniedException:http://internal.amazon.com/\"}";
	aws_parse_error(j3, strlen(j3), code, sizeof code, msg, sizeof msg);
	is_str(code, "AccessDeniedException", "':'-suffixed __type loses the suffix");
	const char *x1 = "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The "
			 "specified bucket does not exist</Message><BucketName>b</BucketName></Error>";
	ok(aws_parse_error(x1, strlen(x1), code, sizeof code, msg, sizeof msg), "S3 XML error");
	is_str(code, "NoSuchBucket", "XML Code");
	is_str(msg, "The specified bucket does not exist", "XML Message");
	const char *x2 = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
			 "<Type>Sender</Type><Code>AccessDenied</Code><Message>not &amp; never"
			 "</Message></Error><RequestId>1</RequestId></ErrorResponse>";
	aws_parse_error(x2, strlen(x2), code, sizeof code, msg, sizeof msg);
	is_str(code, "AccessDenied", "STS ErrorResponse Code");
	is_str(msg, "not & never", "XML entities decoded");
	static const char *const garbage[] = {"", "not json", "{", "{\"__type\":5}", "<Error>",
					      "<a><b></a>", "[1,2]", "{\"__type\":\"\"}", NULL};
	int none = 1;
	for (int i = 0; garbage[i]; i++)
		if (aws_parse_error(garbage[i], strlen(garbage[i]), code, sizeof code, msg,
				    sizeof msg))
			none = 0;
	ok(none, "garbage bodies give no code");
	char tiny[4];
	aws_parse_error(j1, strlen(j1), tiny, sizeof tiny, msg, sizeof msg);
	is_str(tiny, "Thr", "a long code is truncated, not overflowed");
}

static int retry_of(long status, const char *code)
{
	aws_resp r;
	aws_resp_init(&r);
	r.status = status;
	snprintf(r.code, sizeof r.code, "%s", code);
	int k = aws_retryable(&r);
	aws_resp_free(&r);
	return k;
}

static void retry_table(void)
{
	static const struct { long st; const char *code; int want; } t[] = {
		{400, "ThrottlingException", 1}, {400, "Throttling", 1}, {503, "SlowDown", 1},
		{400, "RequestLimitExceeded", 1}, {400, "TooManyRequestsException", 1},
		{429, "", 1}, {500, "InternalError", 2}, {502, "502", 2}, {503, "", 2},
		{504, "", 2}, {400, "RequestTimeout", 2}, {0, "Connect", 2}, {0, "Timeout", 2},
		{0, "Network", 2}, {0, "DNS", 0}, {0, "TLS", 0}, {0, "Credentials", 0},
		{0, "Proxy", 0}, {403, "AccessDenied", 0}, {404, "NoSuchBucket", 0},
		{400, "ExpiredToken", 0}, {301, "PermanentRedirect", 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		is_int(retry_of(t[i].st, t[i].code), t[i].want, "retryable(%ld %s)", t[i].st,
		       t[i].code);
	for (int a = 1; a <= 12; a++) {
		long cap = a >= 8 ? 20000 : 100L << a, lo = cap, hi = 0;
		if (cap > 20000)
			cap = 20000;
		for (int i = 0; i < 2000; i++) {
			long v = aws_backoff_ms(a);
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		ok(lo >= 0 && hi <= cap && hi > cap / 2 && lo < cap / 2,
		   "backoff %d in [0, %ld] with jitter (saw %ld..%ld)", a, cap, lo, hi);
	}
}

static void endpoint_is(aws_client *c, const char *svc, const char *region, const char *want,
			int want_custom, const char *what)
{
	sbuf u;
	sbuf_init(&u);
	int custom = -1;
	aws_endpoint(c, svc, region, &u, &custom);
	is_str(u.s, want, "endpoint: %s", what);
	is_int(custom, want_custom, "endpoint custom flag: %s", what);
	sbuf_free(&u);
}

static void endpoints_regions(void)
{
	aws_client c;
	clean_env();
	put(cfg, "[default]\nregion = ap-south-1\n[profile local]\nservices = loc\n"
		 "endpoint_url = http://127.0.0.1:9000/\nregion = eu-north-1\n"
		 "[services loc]\ncloudtrail =\n  endpoint_url = http://127.0.0.1:8080\n",
	    0600);
	put(cred, "", 0600);
	aws_client_init(&c, NULL, NULL);
	is_str(c.region, "ap-south-1", "region from the default profile");
	is_str(c.region_from, "profile default", "region source: profile default");
	endpoint_is(&c, "s3", NULL, "https://s3.ap-south-1.amazonaws.com", 0, "default s3");
	endpoint_is(&c, "athena", "cn-north-1", "https://athena.cn-north-1.amazonaws.com.cn", 0,
		    "cn- region");
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1111", 1);
	setenv("AWS_ENDPOINT_URL_CLOUDTRAIL", "http://127.0.0.1:2222/", 1);
	endpoint_is(&c, "cloudtrail", NULL, "http://127.0.0.1:2222", 1, "service variable");
	endpoint_is(&c, "s3", NULL, "http://127.0.0.1:1111", 1, "global variable");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	endpoint_is(&c, "s3", NULL, "https://s3.ap-south-1.amazonaws.com", 0, "ignore variable");
	aws_client_free(&c);

	clean_env();
	aws_client_init(&c, "local", NULL);
	is_str(c.region, "eu-north-1", "region from --profile's profile");
	endpoint_is(&c, "cloudtrail", NULL, "http://127.0.0.1:8080", 1, "services section");
	endpoint_is(&c, "s3", NULL, "http://127.0.0.1:9000", 1, "profile endpoint_url");
	setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:3333", 1);
	endpoint_is(&c, "s3", NULL, "http://127.0.0.1:3333", 1, "service variable beats config");
	aws_client_free(&c);

	clean_env();
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	aws_client_init(&c, NULL, NULL);
	is_str(c.region_from, "AWS_DEFAULT_REGION", "AWS_DEFAULT_REGION beats the profile");
	aws_client_free(&c);
	setenv("AWS_REGION", "us-west-2", 1);
	aws_client_init(&c, NULL, NULL);
	is_str(c.region, "us-west-2", "AWS_REGION beats AWS_DEFAULT_REGION");
	aws_client_free(&c);
	aws_client_init(&c, NULL, "sa-east-1");
	is_str(c.region, "sa-east-1", "--region beats everything");
	is_str(c.region_from, "--region", "region source --region");
	aws_client_free(&c);
	setenv("AWS_PROFILE", "local", 1);
	aws_client_init(&c, NULL, NULL);
	is_str(c.profile, "local", "AWS_PROFILE names the profile");
	ok(!c.profile_explicit, "AWS_PROFILE is not an explicit --profile");
	aws_client_free(&c);

	clean_env();
	setenv("TRAILGUIDE_AWS_FIXED_TIME", "20150830T123600Z", 1);
	setenv("TRAILGUIDE_AWS_TIMEOUT", "2.5", 1);
	aws_client_init(&c, NULL, NULL);
	is_int(aws_now(&c), 1440938160, "TRAILGUIDE_AWS_FIXED_TIME as YYYYMMDDTHHMMSSZ");
	is_int(c.timeout_ms, 2500, "TRAILGUIDE_AWS_TIMEOUT in seconds");
	aws_client_free(&c);
	setenv("TRAILGUIDE_AWS_FIXED_TIME", "1440938160", 1);
	aws_client_init(&c, NULL, NULL);
	is_int(aws_now(&c), 1440938160, "TRAILGUIDE_AWS_FIXED_TIME as seconds");
	aws_client_free(&c);
}

/* Resolve with profile (NULL: none); returns rc, message appended to all_msgs. */
static int resolve(const char *profile, aws_client *c, sbuf *err)
{
	aws_client_init(c, profile, NULL);
	sbuf_reset(err);
	int rc = aws_creds_resolve(c, err);
	if (err->s)
		sbuf_addf(&all_msgs, "%s\n", err->s);
	if (c->have_creds)
		sbuf_addf(&all_msgs, "%s\n", c->creds.from);
	return rc;
}

static void profiles(void)
{
	aws_client c;
	sbuf err;
	sbuf_init(&err);
	clean_env();
	put(cred, "[default]\naws_access_key_id = AKIDCREDFILE\naws_secret_access_key = "
		  "credFILEsecret\n[both]\naws_access_key_id = AKIDBOTHCRED\n"
		  "aws_secret_access_key = bothCREDsecret\n[half]\naws_access_key_id = AKIDHALF\n",
	    0600);
	put(cfg, "[profile both]\naws_access_key_id = AKIDBOTHCFG\naws_secret_access_key = "
		 "bothCFGsecret\n[profile cfgonly]\naws_access_key_id = AKIDCFG\n"
		 "aws_secret_access_key = cfgONLYsecret\naws_session_token = cfgTOKEN\n"
		 "[profile mfa]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = both\n"
		 "mfa_serial = arn:aws:iam::1:mfa/u\n",
	    0600);
	ok(resolve(NULL, &c, &err) == 0, "default profile from the credentials file");
	is_str(c.creds.akid, "AKIDCREDFILE", "default profile's key");
	aws_client_free(&c);
	resolve("both", &c, &err);
	is_str(c.creds.akid, "AKIDBOTHCRED", "credentials file beats config file");
	aws_client_free(&c);
	resolve("cfgonly", &c, &err);
	is_str(c.creds.akid, "AKIDCFG", "static keys in the config file");
	is_str(c.creds.token, "cfgTOKEN", "session token in the config file");
	aws_client_free(&c);
	ok(resolve("half", &c, &err) != 0, "half a key pair is an error");
	ok(err.s && strstr(err.s, "aws_secret_access_key"), "and names the missing key");
	aws_client_free(&c);
	ok(resolve("mfa", &c, &err) != 0 && strstr(err.s, "mfa_serial"),
	   "mfa_serial is refused with a message");
	aws_client_free(&c);

	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envSECRETvalue", 1);
	resolve(NULL, &c, &err);
	is_str(c.creds.akid, "AKIDENV", "environment beats the files");
	is_str(c.creds.from, "environment", "from environment");
	aws_client_free(&c);
	setenv("AWS_PROFILE", "cfgonly", 1);
	resolve(NULL, &c, &err);
	is_str(c.creds.akid, "AKIDENV", "AWS_PROFILE does not skip the environment");
	aws_client_free(&c);
	resolve("cfgonly", &c, &err);
	is_str(c.creds.akid, "AKIDCFG", "an explicit --profile skips the environment");
	aws_client_free(&c);
	unsetenv("AWS_PROFILE");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	ok(resolve(NULL, &c, &err) != 0 && strstr(err.s, "partial credentials"),
	   "partial environment keys are an error");
	aws_client_free(&c);
	unsetenv("AWS_ACCESS_KEY_ID");

	/* the permission warning */
	chmod(cred, 0644);
	FILE *w = tmpfile();
	aws_client_init(&c, NULL, NULL);
	c.warn = w;
	aws_creds_resolve(&c, &err);
	aws_creds_resolve(&c, &err);
	char buf[1024] = "";
	rewind(w);
	size_t n = fread(buf, 1, sizeof buf - 1, w);
	buf[n] = '\0';
	fclose(w);
	ok(strstr(buf, "chmod 600") && strstr(buf, cred), "a readable credentials file warns");
	int nwarn = 0;
	for (const char *p = buf; (p = strstr(p, "chmod 600")) != NULL; p++)
		nwarn++;
	is_int(nwarn, 1, "the warning is given once per client");
	sbuf_addf(&all_msgs, "%s", buf);
	aws_client_free(&c);
	chmod(cred, 0600);
	sbuf_free(&err);
}

static void process(void)
{
	aws_client c;
	sbuf err;
	sbuf_init(&err);
	clean_env();
	char script[300], text[4096];
	snprintf(script, sizeof script, "%s/my creds.sh", dir);
	put(script,
	    "#!/bin/sh\ncase \"$1\" in\n"
	    "good) echo '{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":"
	    "\"procSECRETvalue\",\"SessionToken\":\"procTOKENvalue\",\"Expiration\":"
	    "\"2099-05-06T07:08:09Z\"}' ;;\n"
	    "bad) echo 'procSECRETvalue is not json' ;;\n"
	    "v2) echo '{\"Version\":2,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"procSECRETvalue\"}' ;;\n"
	    "fail) echo 'locked: try later' >&2; exit 4 ;;\n"
	    "old) echo '{\"Version\":1,\"AccessKeyId\":\"AKIDOLD\",\"SecretAccessKey\":"
	    "\"procSECRETvalue\",\"Expiration\":\"2001-01-01T00:00:00+00:00\"}' ;;\n"
	    "esac\n",
	    0700);
	snprintf(text, sizeof text,
		 "[profile good]\ncredential_process = \"%s\" good\n"
		 "[profile bad]\ncredential_process = '%s' bad\n"
		 "[profile v2]\ncredential_process = \"%s\" v2\n"
		 "[profile fail]\ncredential_process = \"%s\" fail\n"
		 "[profile old]\ncredential_process = \"%s\" old\n"
		 "[profile missing]\ncredential_process = %s/nonexistent-program\n",
		 script, script, script, script, script, dir);
	put(cfg, text, 0600);
	put(cred, "", 0600);
	ok(resolve("good", &c, &err) == 0, "credential_process: good JSON");
	is_str(c.creds.akid, "AKIDPROC", "credential_process key id");
	is_str(c.creds.token, "procTOKENvalue", "credential_process token");
	is_int(c.creds.expires, 4081734489LL, "credential_process Expiration parsed");
	is_str(c.creds.from, "profile good (credential_process)", "credential_process from");
	aws_client_free(&c);
	ok(resolve("bad", &c, &err) != 0 && strstr(err.s, "did not print JSON"),
	   "credential_process: bad JSON");
	aws_client_free(&c);
	ok(resolve("v2", &c, &err) != 0 && strstr(err.s, "Version"),
	   "credential_process: Version other than 1");
	aws_client_free(&c);
	ok(resolve("fail", &c, &err) != 0 && strstr(err.s, "status 4") &&
		   strstr(err.s, "locked: try later"),
	   "credential_process: non-zero exit with its stderr");
	aws_client_free(&c);
	ok(resolve("old", &c, &err) != 0 && strstr(err.s, "expired"),
	   "credential_process: expired credentials refused");
	aws_client_free(&c);
	ok(resolve("missing", &c, &err) != 0 && strstr(err.s, "could not be run"),
	   "credential_process: a missing program");
	aws_client_free(&c);

	char **v = aws_split_cmdline("a \"b c\" 'd \"e' f\\ g \"h\\\"i\" ''");
	int good = v && v[0] && !strcmp(v[0], "a") && v[1] && !strcmp(v[1], "b c") && v[2] &&
		   !strcmp(v[2], "d \"e") && v[3] && !strcmp(v[3], "f g") && v[4] &&
		   !strcmp(v[4], "h\"i") && v[5] && !strcmp(v[5], "") && !v[6];
	ok(good, "command line split like a shell");
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
	ok(aws_split_cmdline("a 'b") == NULL, "an unterminated quote is refused");
	is_int(aws_parse_iso("2026-01-02T03:04:05Z"), 1767323045, "ISO time");
	is_int(aws_parse_iso("2026-01-02T03:04:05.123+01:00"), 1767323045 - 3600,
	       "ISO time with fraction and offset");
	is_int(aws_parse_iso("yesterday"), -1, "not an ISO time");
	sbuf_free(&err);
}

static void explain(void)
{
	aws_client c;
	clean_env();
	aws_client_init(&c, NULL, "eu-west-1");
	aws_resp r;
	aws_resp_init(&r);
	sbuf m;
	sbuf_init(&m);
	aws_call ls = {.service = "s3", .method = "GET", .path = "/b", .query = "list-type=2"};
	r.status = 403;
	strcpy(r.code, "AccessDenied");
	strcpy(r.message, "Access \x1b[31mDenied");
	strcpy(r.request_id, "REQ123");
	aws_explain(&c, &ls, &r, &m);
	ok(strstr(m.s, "s3:ListBucket") && strstr(m.s, "REQ123"), "AccessDenied names the IAM action");
	ok(!strchr(m.s, '\x1b'), "server text is escaped: %s", m.s);
	sbuf_reset(&m);
	aws_call lk = {.service = "cloudtrail", .method = "POST", .path = "/",
		       .target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"};
	strcpy(r.code, "AccessDeniedException");
	aws_explain(&c, &lk, &r, &m);
	ok(strstr(m.s, "cloudtrail:LookupEvents") != NULL, "cloudtrail action named: %s", m.s);
	sbuf_reset(&m);
	r.status = 301;
	strcpy(r.code, "PermanentRedirect");
	strcpy(r.bucket_region, "ap-southeast-2");
	aws_explain(&c, &ls, &r, &m);
	ok(strstr(m.s, "--region ap-southeast-2") != NULL, "redirect names the region: %s", m.s);
	static const struct { const char *code; const char *want; } t[] = {
		{"ExpiredToken", "expired"}, {"InvalidClientTokenId", "not known"},
		{"SignatureDoesNotMatch", "clock"}, {"NoSuchBucket", "bucket does not exist"},
		{"DNS", "DNS"}, {"TLS", "AWS_CA_BUNDLE"}, {"Timeout", "TRAILGUIDE_AWS_TIMEOUT"},
		{"Proxy", "proxy"}, {"Connect", "could not connect"},
		{"ThrottlingException", "throttled after 5 attempts"},
	};
	r.bucket_region[0] = '\0';
	r.attempts = 5;
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		sbuf_reset(&m);
		r.status = strcmp(t[i].code, "DNS") && strcmp(t[i].code, "TLS") &&
				   strcmp(t[i].code, "Timeout") && strcmp(t[i].code, "Proxy") &&
				   strcmp(t[i].code, "Connect")
			   ? 400 : 0;
		snprintf(r.code, sizeof r.code, "%s", t[i].code);
		aws_explain(&c, &lk, &r, &m);
		ok(strstr(m.s, t[i].want) != NULL, "explain %s: %s", t[i].code, m.s);
		sbuf_addf(&all_msgs, "%s\n", m.s);
	}
	/* no credentials: the call fails with code Credentials, before any network */
	aws_resp_reset(&r);
	ok(aws_call_run(&c, &lk, &r) != 0 && !strcmp(r.code, "Credentials"),
	   "no credentials: code Credentials");
	sbuf_reset(&m);
	aws_explain(&c, &lk, &r, &m);
	ok(strstr(m.s, "no AWS credentials") != NULL, "no credentials explained: %s", m.s);
	sbuf_free(&m);
	aws_resp_free(&r);
	aws_client_free(&c);
}

int main(void)
{
	snprintf(dir, sizeof dir, "%s/tg-aws-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(cfg, sizeof cfg, "%s/config", dir);
	snprintf(cred, sizeof cred, "%s/credentials", dir);
	sbuf_init(&all_msgs);
	parse_errors();
	retry_table();
	endpoints_regions();
	profiles();
	process();
	explain();
	static const char *const secrets[] = {"credFILEsecret", "bothCREDsecret", "bothCFGsecret",
					      "cfgONLYsecret", "cfgTOKEN", "envSECRETvalue",
					      "procSECRETvalue", "procTOKENvalue", NULL};
	int leaked = 0;
	for (int i = 0; secrets[i]; i++)
		if (all_msgs.s && strstr(all_msgs.s, secrets[i]))
			leaked++, printf("# leaked: %s\n", secrets[i]);
	ok(all_msgs.len > 500 && !leaked, "no message holds a secret (%zu bytes of messages)",
	   all_msgs.len);
	sbuf_free(&all_msgs);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return tap_done();
}

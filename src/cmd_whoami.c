/* cmd_whoami.c — `trailguide whoami`: which AWS credentials, region and endpoints are in
 * use, and who STS GetCallerIdentity says they are. Never prints a secret. */
#include "aws.h"
#include "aws_xml.h"
#include "cli.h"
#include "esc.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: trailguide whoami [--profile P] [--region R]\n"
	"Shows where the AWS credentials come from (never the secret): environment, profile\n"
	"(assume role, web identity, IAM Identity Center, keys, credential_process), container\n"
	"or instance metadata; the access key id,\n"
	"the region and where it comes from, the endpoints of s3, cloudtrail, athena and sts,\n"
	"and the account and ARN that STS GetCallerIdentity returns.\n"
	"Exit status 0, or 2 with what happened and what to do.\n";

static void print_esc(const char *label, const char *s, size_t n)
{
	sbuf b;
	sbuf_init(&b);
	esc_term(&b, s, n);
	printf("%-12s %s\n", label, b.s ? b.s : "");
	sbuf_free(&b);
}

int cmd_whoami(int argc, char **argv)
{
	static const struct option lo[] = {
		{"profile", required_argument, NULL, 'p'},
		{"region", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *profile = NULL, *region = NULL;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		if (ch == 'p')
			profile = optarg;
		else if (ch == 'r')
			region = optarg;
		else if (ch == 'h') {
			fputs(usage, stdout);
			return 0;
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "trailguide: whoami: unexpected argument %s: it takes only "
				"--profile and --region\n",
			argv[optind]);
		return 2;
	}
	aws_client c;
	aws_client_init(&c, profile, region);
	sbuf err;
	sbuf_init(&err);
	int rc = 0;
	if (aws_creds_resolve(&c, &err) != 0) {
		fprintf(stderr, "trailguide: whoami: %s\n", err.s ? err.s : "no AWS credentials");
		rc = 2;
		goto out;
	}
	print_esc("credentials", c.creds.from, strlen(c.creds.from));
	print_esc("access key", c.creds.akid, strlen(c.creds.akid));
	if (c.creds.expires > 0) {
		char t[32];
		time_t e = (time_t)c.creds.expires;
		struct tm tm;
		gmtime_r(&e, &tm);
		strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("%-12s %s\n", "expires", t);
	}
	if (c.region[0]) {
		sbuf b;
		sbuf_init(&b);
		esc_term(&b, c.region, strlen(c.region));
		printf("%-12s %s (from %s)\n", "region", b.s, c.region_from);
		sbuf_free(&b);
	} else {
		printf("%-12s none set (using us-east-1; set AWS_REGION or pass --region)\n",
		       "region");
	}
	static const char *const svcs[] = {"s3", "cloudtrail", "athena", "sts"};
	for (size_t i = 0; i < sizeof svcs / sizeof *svcs; i++) {
		sbuf u;
		sbuf_init(&u);
		int custom = 0;
		aws_endpoint(&c, svcs[i], NULL, &u, &custom);
		char label[32];
		snprintf(label, sizeof label, "endpoint %s", svcs[i]);
		sbuf b;
		sbuf_init(&b);
		esc_term(&b, u.s, u.len);
		printf("%-19s %s%s\n", label, b.s, custom ? " (override)" : "");
		sbuf_free(&b);
		sbuf_free(&u);
	}
	static const char body[] = "Action=GetCallerIdentity&Version=2011-06-15";
	aws_call call = {
		.service = "sts", .method = "POST", .path = "/",
		.content_type = "application/x-www-form-urlencoded; charset=utf-8",
		.body = body, .body_len = sizeof body - 1,
	};
	aws_resp r;
	aws_resp_init(&r);
	if (aws_call_run(&c, &call, &r) != 0) {
		sbuf m;
		sbuf_init(&m);
		aws_explain(&c, &call, &r, &m);
		fflush(stdout);
		fprintf(stderr, "trailguide: whoami: %s\n", m.s);
		sbuf_free(&m);
		rc = 2;
	} else {
		sbuf v;
		sbuf_init(&v);
		if (awsxml_get(r.body.s, r.body.len, "Account", &v))
			print_esc("account", v.s ? v.s : "", v.len);
		sbuf_reset(&v);
		if (awsxml_get(r.body.s, r.body.len, "Arn", &v))
			print_esc("arn", v.s ? v.s : "", v.len);
		sbuf_reset(&v);
		if (awsxml_get(r.body.s, r.body.len, "UserId", &v))
			print_esc("user id", v.s ? v.s : "", v.len);
		sbuf_free(&v);
	}
	aws_resp_free(&r);
out:
	sbuf_free(&err);
	aws_client_free(&c);
	return rc;
}

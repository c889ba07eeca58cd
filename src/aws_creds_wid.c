/* aws_creds_wid.c — web identity (EKS IRSA, GitHub OIDC, ...): a token file and a role ARN,
 * from AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME) or a profile's
 * web_identity_token_file + role_arn (+ role_session_name), exchanged with STS
 * AssumeRoleWithWebIdentity, an unsigned request. The token is read from the file each time
 * the credentials are resolved, so a refresh picks up the token the cluster rotated. */
#include "aws_int.h"
#include "aws_xml.h"
#include "esc.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

static void form_add(sbuf *b, const char *name, const char *value)
{
	char *e = curl_easy_escape(NULL, value, 0);
	sbuf_addf(b, "&%s=%s", name, e ? e : "");
	curl_free(e);
}

int aws_sts_creds_xml(const sbuf *body, aws_creds *out, const char *from)
{
	sbuf id, sk, tok, exp;
	sbuf_init(&id), sbuf_init(&sk), sbuf_init(&tok), sbuf_init(&exp);
	awsxml_get(body->s, body->len, "AccessKeyId", &id);
	awsxml_get(body->s, body->len, "SecretAccessKey", &sk);
	awsxml_get(body->s, body->len, "SessionToken", &tok);
	awsxml_get(body->s, body->len, "Expiration", &exp);
	int rc = -1;
	if (id.len && sk.len) {
		int64_t e = exp.len ? aws_parse_iso(exp.s) : 0;
		aws_creds_set(out, id.s, sk.s, tok.s, e > 0 ? e : 0, from);
		rc = 0;
	}
	if (sk.s)
		OPENSSL_cleanse(sk.s, sk.len);
	if (tok.s)
		OPENSSL_cleanse(tok.s, tok.len);
	sbuf_free(&id), sbuf_free(&sk), sbuf_free(&tok), sbuf_free(&exp);
	return rc;
}

/* The token file's contents, trailing white space removed. 0, or -1 with err. */
static int read_token(const char *path, sbuf *tok, const char *what, sbuf *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		sbuf_addf(err, "%s: web identity token file ", what);
		esc_term(err, path, strlen(path));
		sbuf_addf(err, ": %s: check %s", strerror(errno),
			  strcmp(what, "environment") == 0 ? "AWS_WEB_IDENTITY_TOKEN_FILE"
							   : "web_identity_token_file");
		return -1;
	}
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && tok->len < (1u << 20))
		sbuf_add(tok, buf, n);
	fclose(f);
	OPENSSL_cleanse(buf, sizeof buf);
	while (tok->len && strchr(" \t\r\n", tok->s[tok->len - 1]))
		tok->s[--tok->len] = '\0';
	if (!tok->len || tok->len >= (1u << 20) || memchr(tok->s, '\0', tok->len)) {
		sbuf_addf(err, "%s: web identity token file ", what);
		esc_term(err, path, strlen(path));
		sbuf_adds(err, tok->len ? " is not a token (too long or binary)" : " is empty");
		return -1;
	}
	return 0;
}

int aws_creds_web_identity(aws_client *c, const char *profile, aws_creds *out, sbuf *err)
{
	const char *file, *arn, *rsn, *dur = NULL;
	char what[200];
	if (!profile) {
		file = aws_getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
		arn = aws_getenv("AWS_ROLE_ARN");
		rsn = aws_getenv("AWS_ROLE_SESSION_NAME");
		snprintf(what, sizeof what, "environment");
	} else {
		file = aws_config_get(c, profile, "web_identity_token_file");
		arn = aws_config_get(c, profile, "role_arn");
		rsn = aws_config_get(c, profile, "role_session_name");
		dur = aws_config_get(c, profile, "duration_seconds");
		snprintf(what, sizeof what, "profile %s", profile);
	}
	if (!file)
		return 1;
	if (!arn) {
		sbuf_addf(err, "%s: a web identity token file is set but no role ARN: set %s", what,
			  profile ? "role_arn in the profile" : "AWS_ROLE_ARN");
		return -1;
	}
	char sess[64];
	if (!rsn) {
		snprintf(sess, sizeof sess, "trailguide-%lld", (long long)aws_now(c));
		rsn = sess;
	}
	sbuf tok, body;
	sbuf_init(&tok), sbuf_init(&body);
	int rc = -1;
	if (read_token(file, &tok, what, err) != 0)
		goto out;
	sbuf_adds(&body, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15");
	form_add(&body, "RoleArn", arn);
	form_add(&body, "RoleSessionName", rsn);
	form_add(&body, "WebIdentityToken", tok.s);
	if (dur)
		form_add(&body, "DurationSeconds", dur);
	aws_call call = {
		.service = "sts", .method = "POST", .path = "/", .anonymous = 1,
		.content_type = "application/x-www-form-urlencoded; charset=utf-8",
		.body = body.s, .body_len = body.len,
	};
	aws_resp r;
	aws_resp_init(&r);
	if (aws_call_run(c, &call, &r) != 0) {
		sbuf_addf(err, "%s: AssumeRoleWithWebIdentity for %s failed: ", what, arn);
		if (strcmp(r.code, "InvalidIdentityToken") == 0 ||
		    strcmp(r.code, "ExpiredTokenException") == 0)
			sbuf_addf(err, "STS rejected the token in %s (%s): check the file is the "
				       "cluster's current projected token and the role trusts its "
				       "issuer",
				  file, r.code);
		else
			aws_explain(c, &call, &r, err);
	} else {
		sbuf from;
		sbuf_init(&from);
		sbuf_addf(&from, "%s (web identity, role %s)", what, arn);
		rc = aws_sts_creds_xml(&r.body, out, from.s);
		sbuf_free(&from);
		if (rc != 0)
			sbuf_addf(err, "%s: the AssumeRoleWithWebIdentity answer for %s has no "
				       "credentials",
				  what, arn);
	}
	if (r.body.s)
		OPENSSL_cleanse(r.body.s, r.body.len);
	aws_resp_free(&r);
out:
	if (tok.s)
		OPENSSL_cleanse(tok.s, tok.len);
	if (body.s)
		OPENSSL_cleanse(body.s, body.len);
	sbuf_free(&tok), sbuf_free(&body);
	return rc;
}

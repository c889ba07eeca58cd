/* aws_creds.c — the credential chain in the AWS CLI's order: environment (unless
 * --profile), the profile's role_arn (STS AssumeRole from source_profile or
 * credential_source), web identity (AWS_WEB_IDENTITY_TOKEN_FILE, then the profile's
 * web_identity_token_file), IAM Identity Center (sso_session / sso_start_url), static keys
 * in the credentials file, credential_process, static keys in the config file, container
 * credentials, IMDSv2. Secrets never reach a message. */
#include "aws_int.h"
#include "aws_xml.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void aws_creds_free(aws_creds *c)
{
	wipe_free(c->akid);
	wipe_free(c->secret);
	wipe_free(c->token);
	memset(c, 0, sizeof *c);
}

void aws_creds_set(aws_creds *c, const char *akid, const char *secret, const char *token,
		   int64_t expires, const char *from)
{
	c->akid = xstrdup(akid);
	c->secret = xstrdup(secret);
	c->token = token && *token ? xstrdup(token) : NULL;
	c->expires = expires;
	snprintf(c->from, sizeof c->from, "%s", from);
}

/* 0 found, 1 none, -1 partial (err). */
static int from_env(aws_creds *out, sbuf *err)
{
	const char *id = aws_getenv("AWS_ACCESS_KEY_ID"), *sk = aws_getenv("AWS_SECRET_ACCESS_KEY");
	if (!id && !sk)
		return 1;
	if (!id || !sk) {
		sbuf_addf(err, "partial credentials in the environment: %s is set but %s is not; "
			       "set both or neither",
			  id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
			  id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
		return -1;
	}
	const char *tok = aws_getenv("AWS_SESSION_TOKEN");
	if (!tok)
		tok = aws_getenv("AWS_SECURITY_TOKEN");
	int64_t exp = 0;
	const char *e = aws_getenv("AWS_CREDENTIAL_EXPIRATION");
	if (e && (exp = aws_parse_iso(e)) < 0)
		exp = 0;
	aws_creds_set(out, id, sk, tok, exp, "environment");
	return 0;
}

/* Static keys of a profile in one file. 0 found, 1 none, -1 partial (err). */
static int static_keys(const aws_client *c, const char *profile, int config, aws_creds *out,
		       sbuf *err)
{
	const char *(*get)(const aws_client *, const char *, const char *) =
		config ? aws_config_get : aws_creds_file_get;
	const char *id = get(c, profile, "aws_access_key_id");
	const char *sk = get(c, profile, "aws_secret_access_key");
	const char *path = config ? c->config_path : c->creds_path;
	if (!id && !sk)
		return 1;
	if (!id || !*id || !sk || !*sk) {
		sbuf_addf(err, "%s: profile %s has %s but not %s: add the missing key", path,
			  profile, id ? "aws_access_key_id" : "aws_secret_access_key",
			  id ? "aws_secret_access_key" : "aws_access_key_id");
		return -1;
	}
	const char *tok = get(c, profile, "aws_session_token");
	if (!tok)
		tok = get(c, profile, "aws_security_token");
	char from[160];
	snprintf(from, sizeof from, "profile %s (%s)", profile,
		 config ? "config file" : "credentials file");
	aws_creds_set(out, id, sk, tok, 0, from);
	return 0;
}

static void check_mode(aws_client *c, const char *path)
{
	struct stat st;
	if (path && stat(path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
		fprintf(c->warn ? c->warn : stderr,
			"trailguide: warning: %s can be read by other users: chmod 600 %s\n", path,
			path);
}

static int assume_role(aws_client *c, const char *profile, const aws_creds *src,
		       aws_creds *out, sbuf *err);
static int profile_creds(aws_client *c, const char *profile, int depth, const char **seen,
			 aws_creds *out, sbuf *err);

/* credential_source = Environment | Ec2InstanceMetadata | EcsContainer */
static int credential_source(aws_client *c, const char *profile, const char *cs,
			     aws_creds *out, sbuf *err)
{
	int rc;
	if (strcmp(cs, "Environment") == 0) {
		rc = from_env(out, err);
		if (rc == 1)
			sbuf_addf(err, "profile %s: credential_source Environment, but "
				       "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
				  profile);
	} else if (strcmp(cs, "Ec2InstanceMetadata") == 0) {
		rc = aws_creds_imds(c, out, err);
		if (rc == 1)
			sbuf_addf(err, "profile %s: credential_source Ec2InstanceMetadata, but "
				       "instance metadata is disabled (AWS_EC2_METADATA_DISABLED)",
				  profile);
	} else if (strcmp(cs, "EcsContainer") == 0) {
		rc = aws_creds_container(c, out, err);
		if (rc == 1)
			sbuf_addf(err, "profile %s: credential_source EcsContainer, but neither "
				       "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set",
				  profile);
	} else {
		sbuf_addf(err, "profile %s: credential_source %s is not one of Environment, "
			       "Ec2InstanceMetadata, EcsContainer",
			  profile, cs);
		return -1;
	}
	return rc == 0 ? 0 : -1;
}

/* role_arn profile: the source credentials, then AssumeRole. */
static int role_creds(aws_client *c, const char *profile, int depth, const char **seen,
		      aws_creds *out, sbuf *err)
{
	const char *sp = aws_config_get(c, profile, "source_profile");
	const char *cs = aws_config_get(c, profile, "credential_source");
	if (aws_config_get(c, profile, "mfa_serial")) {
		sbuf_addf(err, "profile %s: mfa_serial (MFA for assume-role) is not supported: use "
			       "a credential_process, or `aws sts get-session-token` and its keys",
			  profile);
		return -1;
	}
	if ((sp && cs) || (!sp && !cs)) {
		sbuf_addf(err, "profile %s: role_arn needs exactly one of source_profile and "
			       "credential_source",
			  profile);
		return -1;
	}
	aws_creds src;
	memset(&src, 0, sizeof src);
	int rc;
	if (cs) {
		rc = credential_source(c, profile, cs, &src, err);
	} else if (strcmp(sp, profile) == 0) { /* its own static keys */
		rc = static_keys(c, profile, 0, &src, err);
		if (rc == 1)
			rc = static_keys(c, profile, 1, &src, err);
		if (rc == 1) {
			sbuf_addf(err, "profile %s: source_profile is itself but it has no keys",
				  profile);
			rc = -1;
		}
	} else {
		rc = profile_creds(c, sp, depth + 1, seen, &src, err);
	}
	if (rc != 0)
		return -1;
	rc = assume_role(c, profile, &src, out, err);
	aws_creds_free(&src);
	return rc;
}

/* The credentials a named profile gives (assume role, static keys, credential_process). */
static int profile_creds(aws_client *c, const char *profile, int depth, const char **seen,
			 aws_creds *out, sbuf *err)
{
	if (depth >= 8) {
		sbuf_addf(err, "profile %s: source_profile chain is too long", profile);
		return -1;
	}
	for (int i = 0; i < depth; i++)
		if (strcmp(seen[i], profile) == 0) {
			sbuf_addf(err, "profile %s: source_profile loops back to it: fix the "
				       "source_profile settings",
				  profile);
			return -1;
		}
	seen[depth] = profile;
	if (depth > 0 && !aws_profile_exists(c, profile)) {
		sbuf_addf(err, "source_profile %s does not exist in %s or %s", profile,
			  c->config_path, c->creds_path);
		return -1;
	}
	int rc;
	if (aws_config_get(c, profile, "role_arn") &&
	    (aws_config_get(c, profile, "source_profile") ||
	     aws_config_get(c, profile, "credential_source") ||
	     !aws_config_get(c, profile, "web_identity_token_file")))
		return role_creds(c, profile, depth, seen, out, err);
	/* web identity: the environment's (the first profile only, unless --profile), then
	   the profile's */
	if (depth == 0 && !c->profile_explicit &&
	    (rc = aws_creds_web_identity(c, NULL, out, err)) != 1)
		return rc;
	if ((rc = aws_creds_web_identity(c, profile, out, err)) != 1)
		return rc;
	if ((rc = aws_creds_sso(c, profile, out, err)) != 1)
		return rc;
	rc = static_keys(c, profile, 0, out, err);
	if (rc != 1)
		return rc;
	const char *proc = aws_config_get(c, profile, "credential_process");
	if (!proc)
		proc = aws_creds_file_get(c, profile, "credential_process");
	if (proc)
		return aws_creds_process(c, profile, proc, out, err) == 0 ? 0 : -1;
	rc = static_keys(c, profile, 1, out, err);
	if (rc == 1 && depth > 0) {
		sbuf_addf(err, "source_profile %s has no credentials", profile);
		return -1;
	}
	return rc;
}

static int chain(aws_client *c, aws_creds *out, sbuf *err)
{
	const char *p = aws_profile_name(c);
	int rc;
	if (!c->profile_explicit && (rc = from_env(out, err)) != 1)
		return rc;
	if (!c->files_checked) {
		c->files_checked = 1;
		if (c->ini_creds)
			check_mode(c, c->creds_path);
		if (c->ini_config)
			check_mode(c, c->config_path);
	}
	const char *seen[8];
	if ((rc = profile_creds(c, p, 0, seen, out, err)) != 1)
		return rc;
	if (c->profile && strcmp(c->profile, "default") != 0 && !aws_profile_exists(c, p)) {
		sbuf_addf(err, "profile %s is not in %s or %s: check the name (--profile, "
			       "AWS_PROFILE)",
			  p, c->config_path, c->creds_path);
		return -1;
	}
	if ((rc = aws_creds_container(c, out, err)) != 1)
		return rc;
	if ((rc = aws_creds_imds(c, out, err)) != 1)
		return rc;
	sbuf_addf(err, "no AWS credentials found (tried %sprofile %s in %s and %s, container "
		       "credentials, instance metadata): set AWS_ACCESS_KEY_ID and "
		       "AWS_SECRET_ACCESS_KEY, or configure a profile and pass --profile",
		  c->profile_explicit ? "" : "the environment, ", p, c->creds_path,
		  c->config_path);
	return 1;
}

int aws_creds_resolve(aws_client *c, sbuf *err)
{
	aws_creds cr;
	memset(&cr, 0, sizeof cr);
	if (c->have_creds) {
		aws_creds_free(&c->creds);
		c->have_creds = 0;
	}
	if (chain(c, &cr, err) != 0) {
		aws_creds_free(&cr);
		return -1;
	}
	if (cr.expires > 0 && cr.expires <= aws_now(c)) {
		sbuf_addf(err, "the credentials from %s have expired: refresh them", cr.from);
		aws_creds_free(&cr);
		return -1;
	}
	c->creds = cr;
	c->have_creds = 1;
	return 0;
}

/* Form-encode (RFC 3986 unreserved kept) value into b. */
static void form_add(sbuf *b, const char *name, const char *value)
{
	char *e = curl_easy_escape(NULL, value, 0);
	sbuf_addf(b, "&%s=%s", name, e ? e : "");
	curl_free(e);
}

static int assume_role(aws_client *c, const char *profile, const aws_creds *src,
		       aws_creds *out, sbuf *err)
{
	const char *arn = aws_config_get(c, profile, "role_arn");
	const char *rsn = aws_config_get(c, profile, "role_session_name");
	const char *ext = aws_config_get(c, profile, "external_id");
	const char *dur = aws_config_get(c, profile, "duration_seconds");
	char sess[64];
	if (!rsn) {
		snprintf(sess, sizeof sess, "trailguide-%lld", (long long)aws_now(c));
		rsn = sess;
	}
	sbuf body;
	sbuf_init(&body);
	sbuf_adds(&body, "Action=AssumeRole&Version=2011-06-15");
	form_add(&body, "RoleArn", arn);
	form_add(&body, "RoleSessionName", rsn);
	if (ext)
		form_add(&body, "ExternalId", ext);
	if (dur)
		form_add(&body, "DurationSeconds", dur);

	/* a client of its own holding the source credentials */
	aws_client sub = *c;
	sub.creds = *src;
	sub.creds.expires = 0; /* never refreshed (freed) inside the call */
	sub.have_creds = 1;
	aws_call call = {
		.service = "sts", .method = "POST", .path = "/",
		.content_type = "application/x-www-form-urlencoded; charset=utf-8",
		.body = body.s, .body_len = body.len,
	};
	aws_resp r;
	aws_resp_init(&r);
	int rc = aws_call_run(&sub, &call, &r);
	c->requests = sub.requests, c->retries = sub.retries, c->throttled = sub.throttled;
	if (rc != 0) {
		sbuf_addf(err, "profile %s: assuming role %s with %s failed: ", profile, arn,
			  src->from);
		aws_explain(c, &call, &r, err);
	} else {
		char from[160];
		snprintf(from, sizeof from, "profile %s (assume role %s)", profile, arn);
		if (aws_sts_creds_xml(&r.body, out, from) != 0) {
			sbuf_addf(err, "profile %s: the AssumeRole answer for %s has no credentials",
				  profile, arn);
			rc = -1;
		}
	}
	if (r.body.s)
		OPENSSL_cleanse(r.body.s, r.body.len);
	aws_resp_free(&r);
	sbuf_free(&body);
	return rc;
}

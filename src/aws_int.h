/* aws_int.h — shared internals of the AWS client (aws_endpoint.c, aws_http.c, aws_err.c,
 * aws_creds.c, aws_creds_ext.c). Not for the rest of the program. */
#ifndef TG_AWS_INT_H
#define TG_AWS_INT_H

#include "aws.h"
#include "aws_ini.h"

/* getenv, with "" treated as unset. */
const char *aws_getenv(const char *name);
/* 1 if the variable is "true" (any case). */
int aws_env_true(const char *name);

/* The profile in use ("default" when none was named). */
const char *aws_profile_name(const aws_client *c);
/* key of profile in the config file ([default] / [profile NAME]); NULL if absent. */
const char *aws_config_get(const aws_client *c, const char *profile, const char *key);
/* key of profile in the credentials file ([NAME]); NULL if absent. */
const char *aws_creds_file_get(const aws_client *c, const char *profile, const char *key);
/* 1 if the profile exists in either file. */
int aws_profile_exists(const aws_client *c, const char *profile);

/* An unsigned request (container credentials, IMDS): 0 on a 2xx answer; -1 otherwise
 * with r->status/code/message set. Body into r->body. One attempt, timeout_ms overall. */
int aws_http_plain(const char *method, const char *url, struct curl_slist *hdrs,
		   long timeout_ms, aws_resp *r);

/* Classify a curl failure into r->code/message. */
void aws_curl_error(CURLcode rc, const char *ebuf, aws_resp *r);

/* ISO-8601 UTC time ("2026-01-02T03:04:05Z", fractions and +00:00 accepted) to seconds
 * since the epoch; -1 when it does not parse. */
int64_t aws_parse_iso(const char *s);

/* Fill creds from a JSON credentials object (credential_process, container, IMDS): keys
 * AccessKeyId, SecretAccessKey, SessionToken|Token, Expiration. 0, or -1 with what is
 * missing in err (never a value). */
struct cJSON;
int aws_creds_from_json(const struct cJSON *o, aws_creds *out, const char *from, sbuf *err);
/* Wipe j's SecretAccessKey string and free j (NULL: nothing). */
void aws_creds_json_free(struct cJSON *j);

/* Sources of credentials (aws_creds_ext.c). 0 found, 1 not configured, -1 error (err). */
int aws_creds_process(aws_client *c, const char *profile, const char *cmd, aws_creds *out,
		      sbuf *err);
int aws_creds_container(aws_client *c, aws_creds *out, sbuf *err);
int aws_creds_imds(aws_client *c, aws_creds *out, sbuf *err);
/* Split a command line like a shell (quotes, backslashes; no expansion). NULL-terminated
 * array of strings (free each and the array), or NULL on an unterminated quote. */
char **aws_split_cmdline(const char *s);
/* Web identity (aws_creds_wid.c): profile NULL = AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN,
 * else the profile's web_identity_token_file + role_arn. 0 found, 1 not configured, -1 err. */
int aws_creds_web_identity(aws_client *c, const char *profile, aws_creds *out, sbuf *err);
/* Credentials out of an STS AssumeRole* XML answer. 0, or -1 when it has none. */
int aws_sts_creds_xml(const sbuf *body, aws_creds *out, const char *from);
/* IAM Identity Center profiles (aws_creds_sso.c). 0 found, 1 not an SSO profile, -1 err. */
int aws_creds_sso(aws_client *c, const char *profile, aws_creds *out, sbuf *err);

void aws_creds_set(aws_creds *c, const char *akid, const char *secret, const char *token,
		   int64_t expires, const char *from);

#endif

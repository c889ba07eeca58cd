/* aws_creds_sso.c — IAM Identity Center (SSO) profiles: sso_session + [sso-session NAME]
 * (sso_start_url, sso_region), or the legacy sso_start_url/sso_region in the profile; both
 * with sso_account_id and sso_role_name. The token `aws sso login` cached in
 * ~/.aws/sso/cache/<sha1 hex of the session name, or of the start URL>.json (accessToken,
 * expiresAt) goes to the portal's GetRoleCredentials:
 *   GET https://portal.sso.REGION.amazonaws.com/federation/credentials?role_name=R&account_id=A
 *   x-amz-sso_bearer_token: TOKEN            (no SigV4; AWS_ENDPOINT_URL_SSO overrides)
 * answer {"roleCredentials":{accessKeyId, secretAccessKey, sessionToken, expiration (ms)}}.
 * We never log in ourselves: an absent or expired token says to run `aws sso login`. */
#include "aws_int.h"
#include "esc.h"

#include <cjson/cJSON.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static void login_hint(const aws_client *c, const char *profile, sbuf *err)
{
	(void)c;
	sbuf_addf(err, ": run `aws sso login --profile %s`", profile);
}

/* ~/.aws/sso/cache/<sha1(key)>.json */
static void cache_path(const char *key, sbuf *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdn = 0;
	EVP_Digest(key, strlen(key), md, &mdn, EVP_sha1(), NULL);
	const char *home = getenv("HOME");
	sbuf_addf(out, "%s/.aws/sso/cache/", home ? home : "");
	for (unsigned i = 0; i < mdn; i++)
		sbuf_addf(out, "%02x", md[i]);
	sbuf_adds(out, ".json");
}

/* expiresAt: ISO-8601 ("...Z", "+00:00", or the old CLI's "...UTC"). */
static int64_t parse_expiry(const char *s)
{
	char buf[64];
	size_t n = strlen(s);
	if (n > 3 && n < sizeof buf && strcmp(s + n - 3, "UTC") == 0) {
		memcpy(buf, s, n - 3);
		buf[n - 3] = 'Z';
		buf[n - 2] = '\0';
		s = buf;
	}
	return aws_parse_iso(s);
}

/* The cached access token into tok. 0, or -1 with err. */
static int cached_token(aws_client *c, const char *profile, const char *key, sbuf *tok,
			sbuf *err)
{
	sbuf path;
	sbuf_init(&path);
	cache_path(key, &path);
	char *data = NULL;
	size_t len = 0;
	int rc = -1;
	cJSON *j = NULL;
	if (read_file(path.s, &data, &len) != 0) {
		sbuf_addf(err, "profile %s: no cached IAM Identity Center token (%s)", profile,
			  path.s);
		login_hint(c, profile, err);
		goto out;
	}
	j = cJSON_ParseWithLength(data, len);
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(j, "accessToken");
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(j, "expiresAt");
	if (!cJSON_IsString(at) || !*at->valuestring || !cJSON_IsString(ex)) {
		sbuf_addf(err, "profile %s: %s has no accessToken and expiresAt", profile, path.s);
		login_hint(c, profile, err);
		goto out;
	}
	int64_t e = parse_expiry(ex->valuestring);
	if (e < 0 || e <= aws_now(c)) {
		sbuf_addf(err, "profile %s: the IAM Identity Center token in %s ", profile, path.s);
		if (e < 0)
			sbuf_adds(err, "has an unreadable expiresAt");
		else
			sbuf_adds(err, "has expired");
		login_hint(c, profile, err);
		goto out;
	}
	if (strpbrk(at->valuestring, "\r\n")) {
		sbuf_addf(err, "profile %s: the token in %s is not a single line", profile, path.s);
		goto out;
	}
	sbuf_adds(tok, at->valuestring);
	rc = 0;
out:
	if (j) {
		const cJSON *at2 = cJSON_GetObjectItemCaseSensitive(j, "accessToken");
		if (cJSON_IsString(at2))
			OPENSSL_cleanse(at2->valuestring, strlen(at2->valuestring));
		cJSON_Delete(j);
	}
	if (data) {
		OPENSSL_cleanse(data, len);
		free(data);
	}
	sbuf_free(&path);
	return rc;
}

static int parse_role_creds(const sbuf *body, aws_creds *out, const char *from)
{
	cJSON *j = cJSON_ParseWithLength(body->s ? body->s : "", body->len);
	const cJSON *rc_ = cJSON_GetObjectItemCaseSensitive(j, "roleCredentials");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(rc_, "accessKeyId");
	const cJSON *sk = cJSON_GetObjectItemCaseSensitive(rc_, "secretAccessKey");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(rc_, "sessionToken");
	const cJSON *ex = cJSON_GetObjectItemCaseSensitive(rc_, "expiration");
	int rc = -1;
	if (cJSON_IsString(id) && *id->valuestring && cJSON_IsString(sk) && *sk->valuestring) {
		int64_t e = cJSON_IsNumber(ex) && ex->valuedouble > 0
				    ? (int64_t)(ex->valuedouble / 1000.0)
				    : 0;
		aws_creds_set(out, id->valuestring, sk->valuestring,
			      cJSON_IsString(st) ? st->valuestring : NULL, e, from);
		rc = 0;
	}
	if (cJSON_IsString(sk))
		OPENSSL_cleanse(sk->valuestring, strlen(sk->valuestring));
	if (cJSON_IsString(st))
		OPENSSL_cleanse(st->valuestring, strlen(st->valuestring));
	cJSON_Delete(j);
	return rc;
}

int aws_creds_sso(aws_client *c, const char *profile, aws_creds *out, sbuf *err)
{
	const char *sess = aws_config_get(c, profile, "sso_session");
	const char *url = aws_config_get(c, profile, "sso_start_url");
	const char *region = aws_config_get(c, profile, "sso_region");
	const char *acct = aws_config_get(c, profile, "sso_account_id");
	const char *role = aws_config_get(c, profile, "sso_role_name");
	if (!sess && !url && !acct && !role)
		return 1;
	const char *key = url;
	if (sess) {
		char sec[300];
		snprintf(sec, sizeof sec, "sso-session %s", sess);
		if (!c->ini_config || !aws_ini_has(c->ini_config, sec)) {
			sbuf_addf(err, "profile %s: sso_session %s has no [sso-session %s] section "
				       "in %s",
				  profile, sess, sess, c->config_path);
			return -1;
		}
		url = aws_ini_get(c->ini_config, sec, "sso_start_url");
		region = aws_ini_get(c->ini_config, sec, "sso_region");
		key = sess;
	}
	const char *miss = !url ? "sso_start_url" : !region ? "sso_region"
			 : !acct ? "sso_account_id" : !role ? "sso_role_name" : NULL;
	if (miss) {
		sbuf_addf(err, "profile %s: an IAM Identity Center profile needs %s%s", profile,
			  miss, sess ? " (in the profile or its sso-session section)" : "");
		return -1;
	}
	sbuf tok, query, hv;
	sbuf_init(&tok), sbuf_init(&query), sbuf_init(&hv);
	int rc = -1;
	if (cached_token(c, profile, key, &tok, err) != 0)
		goto out;
	char *er = curl_easy_escape(NULL, role, 0), *ea = curl_easy_escape(NULL, acct, 0);
	sbuf_addf(&query, "role_name=%s&account_id=%s", er ? er : "", ea ? ea : "");
	curl_free(er), curl_free(ea);
	sbuf_addf(&hv, "x-amz-sso_bearer_token: %s", tok.s);
	const char *hdrs[] = {hv.s, "Accept: application/json", NULL};
	aws_call call = {
		.service = "sso", .region = region, .method = "GET",
		.path = "/federation/credentials", .query = query.s, .anonymous = 1,
		.headers = hdrs,
	};
	aws_resp r;
	aws_resp_init(&r);
	if (aws_call_run(c, &call, &r) != 0) {
		sbuf_addf(err, "profile %s: IAM Identity Center GetRoleCredentials (account %s, "
			       "role %s) failed: ",
			  profile, acct, role);
		if (r.status == 401 || strcmp(r.code, "UnauthorizedException") == 0) {
			sbuf_adds(err, "the portal no longer accepts the cached token");
			login_hint(c, profile, err);
		} else if (r.status == 403 || strcmp(r.code, "ForbiddenException") == 0) {
			sbuf_addf(err, "you are not assigned role %s in account %s: check "
				       "sso_account_id and sso_role_name (`aws sso list-account-roles`)",
				  role, acct);
		} else {
			aws_explain(c, &call, &r, err);
		}
	} else {
		char from[160];
		snprintf(from, sizeof from, "profile %s (IAM Identity Center, %s/%s)", profile,
			 acct, role);
		rc = parse_role_creds(&r.body, out, from);
		if (rc != 0)
			sbuf_addf(err, "profile %s: the GetRoleCredentials answer has no "
				       "roleCredentials",
				  profile);
	}
	if (r.body.s)
		OPENSSL_cleanse(r.body.s, r.body.len);
	aws_resp_free(&r);
out:
	if (tok.s)
		OPENSSL_cleanse(tok.s, tok.len);
	if (hv.s)
		OPENSSL_cleanse(hv.s, hv.len);
	sbuf_free(&tok), sbuf_free(&query), sbuf_free(&hv);
	return rc;
}

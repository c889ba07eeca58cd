/* aws_creds_ext.c — credentials from outside the shared files: container credentials
 * (ECS/EKS) and EC2 instance metadata (IMDSv2); ISO-8601 times and JSON credentials. */
#include "aws_int.h"
#include "esc.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

int64_t aws_parse_iso(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	int n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n < 19)
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	const char *p = s + n;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	long off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int hh = 0, mm = 0;
		if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2)
			return -1;
		off = (hh * 3600L + mm * 60L) * (*p == '-' ? -1 : 1);
		p += 6;
	}
	if (*p)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) - off;
}

void aws_creds_json_free(cJSON *j)
{
	if (!j)
		return;
	const cJSON *sk = cJSON_GetObjectItemCaseSensitive(j, "SecretAccessKey");
	if (cJSON_IsString(sk))
		OPENSSL_cleanse(sk->valuestring, strlen(sk->valuestring));
	cJSON_Delete(j);
}

int aws_creds_from_json(const cJSON *o, aws_creds *out, const char *from, sbuf *err)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "AccessKeyId");
	const cJSON *sk = cJSON_GetObjectItemCaseSensitive(o, "SecretAccessKey");
	const cJSON *tok = cJSON_GetObjectItemCaseSensitive(o, "SessionToken");
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(o, "Expiration");
	if (!cJSON_IsString(tok))
		tok = cJSON_GetObjectItemCaseSensitive(o, "Token");
	if (!cJSON_IsString(id) || !*id->valuestring || !cJSON_IsString(sk) ||
	    !*sk->valuestring) {
		sbuf_addf(err, "%s: the answer has no AccessKeyId and SecretAccessKey", from);
		return -1;
	}
	int64_t e = 0;
	if (cJSON_IsString(exp) && *exp->valuestring) {
		e = aws_parse_iso(exp->valuestring);
		if (e < 0) {
			sbuf_addf(err, "%s: Expiration is not an ISO-8601 time", from);
			return -1;
		}
	}
	aws_creds_set(out, id->valuestring, sk->valuestring,
		      cJSON_IsString(tok) ? tok->valuestring : NULL, e, from);
	return 0;
}

/* Parse body as JSON credentials, wiping the text. */
static int creds_from_body(sbuf *body, aws_creds *out, const char *from, sbuf *err)
{
	cJSON *j = body->s ? cJSON_ParseWithLength(body->s, body->len) : NULL;
	int rc;
	if (!cJSON_IsObject(j)) {
		sbuf_addf(err, "%s: the answer is not JSON credentials", from);
		rc = -1;
	} else {
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "Code");
		if (cJSON_IsString(code) && strcmp(code->valuestring, "Success") != 0) {
			sbuf_addf(err, "%s: the answer's Code is ", from);
			esc_term(err, code->valuestring, strlen(code->valuestring));
			rc = -1;
		} else {
			rc = aws_creds_from_json(j, out, from, err);
		}
	}
	aws_creds_json_free(j);
	if (body->s)
		OPENSSL_cleanse(body->s, body->len);
	return rc;
}

/* FULL_URI must be https, loopback, or one of the container hosts. */
static int full_uri_allowed(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	int ok = 0;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (strcasecmp(scheme, "https") == 0)
			ok = 1;
		else if (strcasecmp(scheme, "http") == 0)
			ok = strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0 ||
			     strcasecmp(host, "localhost") == 0 || strcmp(host, "169.254.170.2") == 0 ||
			     strcmp(host, "169.254.170.23") == 0 ||
			     strcasecmp(host, "[fd00:ec2::23]") == 0;
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

int aws_creds_container(aws_client *c, aws_creds *out, sbuf *err)
{
	(void)c;
	const char *rel = aws_getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = aws_getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	if (!rel && !full)
		return 1;
	sbuf url, tok;
	sbuf_init(&url), sbuf_init(&tok);
	int rc = -1;
	if (rel) {
		sbuf_addf(&url, "http://169.254.170.2%s%s", rel[0] == '/' ? "" : "/", rel);
	} else if (!full_uri_allowed(full)) {
		sbuf_adds(err, "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback or "
			       "container host (127.0.0.1, localhost, 169.254.170.2, "
			       "169.254.170.23, fd00:ec2::23)");
		goto out;
	} else {
		sbuf_adds(&url, full);
	}
	const char *tf = aws_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	if (tf) {
		if (read_file_into(tf, &tok) != 0) {
			sbuf_addf(err, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s", tf,
				  strerror(errno));
			goto out;
		}
		while (tok.len && (tok.s[tok.len - 1] == '\n' || tok.s[tok.len - 1] == '\r'))
			tok.s[--tok.len] = '\0';
	} else if (aws_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
		sbuf_adds(&tok, aws_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
	}
	if (tok.s && strpbrk(tok.s, "\r\n")) {
		sbuf_adds(err, "the container authorization token contains a line break: it is "
			       "refused");
		goto out;
	}
	struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
	if (tok.len) {
		sbuf a;
		sbuf_init(&a);
		sbuf_addf(&a, "Authorization: %s", tok.s);
		h = curl_slist_append(h, a.s);
		OPENSSL_cleanse(a.s, a.len);
		sbuf_free(&a);
	}
	aws_resp r;
	aws_resp_init(&r);
	char from[160] = "container credentials";
	if (aws_http_plain("GET", url.s, h, 2000, &r) != 0) {
		sbuf_addf(err, "container credentials (%s): ", url.s);
		if (r.status)
			sbuf_addf(err, "HTTP %ld: check the container's task role", r.status);
		else
			esc_term(err, r.message, strlen(r.message));
	} else {
		rc = creds_from_body(&r.body, out, from, err);
	}
	for (struct curl_slist *p = h; p; p = p->next)
		OPENSSL_cleanse(p->data, strlen(p->data));
	curl_slist_free_all(h);
	aws_resp_free(&r);
out:
	if (tok.s)
		OPENSSL_cleanse(tok.s, tok.len);
	sbuf_free(&tok), sbuf_free(&url);
	return rc;
}

int aws_creds_imds(aws_client *c, aws_creds *out, sbuf *err)
{
	(void)c;
	if (aws_env_true("AWS_EC2_METADATA_DISABLED"))
		return 1;
	const char *base = aws_getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *mode = aws_getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
	if (!base)
		base = mode && strcasecmp(mode, "IPv6") == 0 ? "http://[fd00:ec2::254]"
							     : "http://169.254.169.254";
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		bl--;
	long tmo = 1000;
	const char *t = aws_getenv("AWS_METADATA_SERVICE_TIMEOUT");
	if (t && atof(t) > 0 && atof(t) < 60)
		tmo = (long)(atof(t) * 1000);
	sbuf url, hv, role;
	sbuf_init(&url), sbuf_init(&hv), sbuf_init(&role);
	aws_resp r;
	aws_resp_init(&r);
	int rc = 1;
	sbuf_addf(&url, "%.*s/latest/api/token", (int)bl, base);
	struct curl_slist *h = curl_slist_append(NULL, "X-aws-ec2-metadata-token-ttl-seconds: 21600");
	int got = aws_http_plain("PUT", url.s, h, tmo, &r);
	curl_slist_free_all(h);
	if (got != 0)
		goto done; /* not on EC2 (or IMDSv2 off): not available */
	while (r.body.len && (r.body.s[r.body.len - 1] == '\n' || r.body.s[r.body.len - 1] == '\r'))
		r.body.s[--r.body.len] = '\0';
	if (!r.body.len || strpbrk(r.body.s, "\r\n"))
		goto done;
	sbuf_addf(&hv, "X-aws-ec2-metadata-token: %s", r.body.s);
	OPENSSL_cleanse(r.body.s, r.body.len);
	h = curl_slist_append(NULL, hv.s);
	sbuf_reset(&url);
	sbuf_addf(&url, "%.*s/latest/meta-data/iam/security-credentials/", (int)bl, base);
	rc = -1;
	if (aws_http_plain("GET", url.s, h, tmo, &r) != 0 || !r.body.len) {
		sbuf_adds(err, "instance metadata: no IAM role is attached to this instance "
			       "(or it could not be read): attach an instance profile");
		goto done2;
	}
	sbuf_add(&role, r.body.s, strcspn(r.body.s, "\r\n"));
	sbuf_reset(&url);
	sbuf_addf(&url, "%.*s/latest/meta-data/iam/security-credentials/", (int)bl, base);
	char *er = curl_easy_escape(NULL, role.s ? role.s : "", 0);
	sbuf_adds(&url, er ? er : "");
	curl_free(er);
	if (aws_http_plain("GET", url.s, h, tmo, &r) != 0) {
		sbuf_adds(err, "instance metadata: the role's credentials could not be read (");
		esc_term(err, r.message, strlen(r.message));
		sbuf_adds(err, "): try again");
		goto done2;
	}
	rc = creds_from_body(&r.body, out, "instance metadata (IMDSv2)", err);
done2:
	for (struct curl_slist *p = h; p; p = p->next)
		OPENSSL_cleanse(p->data, strlen(p->data));
	curl_slist_free_all(h);
done:
	if (hv.s)
		OPENSSL_cleanse(hv.s, hv.len);
	aws_resp_free(&r);
	sbuf_free(&url), sbuf_free(&hv), sbuf_free(&role);
	return rc;
}

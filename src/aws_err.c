/* aws_err.c — AWS errors: parsing JSON and XML error bodies, which errors to retry, the
 * backoff, and a message saying what happened and what to do. */
#include "aws_int.h"
#include "aws_xml.h"
#include "esc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void copy(char *dst, size_t dn, const char *s, size_t n)
{
	if (!dn)
		return;
	if (n >= dn)
		n = dn - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int aws_parse_error(const char *body, size_t n, char *code, size_t coden, char *msg,
		    size_t msgn)
{
	if (coden)
		code[0] = '\0';
	if (msgn)
		msg[0] = '\0';
	if (!body || !n)
		return 0;
	size_t i = 0;
	while (i < n && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
		i++;
	if (i < n && body[i] == '{') {
		cJSON *j = cJSON_ParseWithLength(body, n);
		if (!j)
			return 0;
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "__type");
		if (!cJSON_IsString(t))
			t = cJSON_GetObjectItemCaseSensitive(j, "code");
		if (!cJSON_IsString(t))
			t = cJSON_GetObjectItemCaseSensitive(j, "Code");
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
		if (!cJSON_IsString(m))
			m = cJSON_GetObjectItemCaseSensitive(j, "Message");
		if (cJSON_IsString(m))
			copy(msg, msgn, m->valuestring, strlen(m->valuestring));
		int found = 0;
		if (cJSON_IsString(t)) {
			const char *s = t->valuestring, *h = strrchr(s, '#');
			if (h)
				s = h + 1;
			size_t len = strcspn(s, ":");
			if (len) {
				copy(code, coden, s, len);
				found = coden && code[0] != '\0';
			}
		}
		cJSON_Delete(j);
		return found;
	}
	if (i < n && body[i] == '<') {
		const char *inner = NULL;
		size_t in = 0, pos = 0;
		if (!awsxml_next(body, n, &pos, "Error", &inner, &in))
			return 0;
		sbuf b;
		sbuf_init(&b);
		int found = 0;
		if (awsxml_get(inner, in, "Code", &b) && b.len) {
			copy(code, coden, b.s, b.len);
			found = coden && code[0] != '\0'; /* not a code starting with NUL */
		}
		sbuf_reset(&b);
		if (awsxml_get(inner, in, "Message", &b) && b.s)
			copy(msg, msgn, b.s, b.len);
		sbuf_free(&b);
		return found;
	}
	return 0;
}

static const char *const throttle_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
	"TooManyRequestsException", "ProvisionedThroughputExceededException",
	"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
	"LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
	"EC2ThrottledException", NULL,
};

static int is_throttle(const char *code)
{
	for (int i = 0; throttle_codes[i]; i++)
		if (strcmp(code, throttle_codes[i]) == 0)
			return 1;
	return 0;
}

int aws_retryable(const aws_resp *r)
{
	if (r->status == 429 || is_throttle(r->code))
		return 1;
	if (strcmp(r->code, "RequestTimeout") == 0 ||
	    strcmp(r->code, "RequestTimeoutException") == 0 ||
	    strcmp(r->code, "InternalError") == 0 || strcmp(r->code, "ServiceUnavailable") == 0)
		return 2;
	/* transport failures, also after a status line: a 200 whose body was cut short
	 * (curl's partial file) is as transient as a refused connection */
	static const char *const transient[] = {"Connect", "Timeout", "Network", NULL};
	for (int i = 0; transient[i]; i++)
		if (strcmp(r->code, transient[i]) == 0)
			return 2;
	if (r->status == 0)
		return 0;
	return r->status >= 500 && r->status <= 599 ? 2 : 0;
}

long aws_backoff_ms(int attempt)
{
	static _Thread_local uint64_t st;
	if (!st)
		st = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)&st;
	st ^= st << 13, st ^= st >> 7, st ^= st << 17;
	if (attempt < 1)
		attempt = 1;
	long cap = attempt >= 8 ? 20000 : 100L << attempt;
	if (cap > 20000)
		cap = 20000;
	return (long)(st % (uint64_t)(cap + 1));
}

/* The operation's name, for messages. */
static void op_name(const aws_call *call, char *out, size_t n)
{
	out[0] = '\0';
	if (!call)
		return;
	if (call->target) {
		const char *d = strrchr(call->target, '.');
		snprintf(out, n, "%s", d ? d + 1 : call->target);
	} else if (call->body && strncmp(call->body, "Action=", 7) == 0) {
		size_t len = strcspn(call->body + 7, "&");
		snprintf(out, n, "%.*s", (int)(len < 60 ? len : 60), call->body + 7);
	} else if (strcmp(call->service, "s3") == 0) {
		snprintf(out, n, "%s", call->query && strstr(call->query, "list-type=2")
					       ? "ListObjectsV2"
					       : "GetObject");
	}
}

static const char *iam_action(const char *svc, const char *op, char *buf, size_t n)
{
	if (strcmp(svc, "s3") == 0)
		return strcmp(op, "ListObjectsV2") == 0 ? "s3:ListBucket" : "s3:GetObject";
	snprintf(buf, n, "%s:%s", svc, *op ? op : "*");
	return buf;
}

#define IS(x) (strcmp(r->code, x) == 0)

void aws_explain(const aws_client *c, const aws_call *call, const aws_resp *r, sbuf *out)
{
	const char *svc = call && call->service ? call->service : "aws";
	const char *region = call && call->region && *call->region ? call->region
			     : c && c->region[0]			  ? c->region
								  : "us-east-1";
	char op[80], act[120];
	op_name(call, op, sizeof op);
	sbuf m; /* the server's words, escaped */
	sbuf_init(&m);
	esc_term(&m, r->message, strlen(r->message));
	if (IS("Credentials")) {
		sbuf_adds(out, m.s ? m.s : "no AWS credentials");
		sbuf_free(&m);
		return;
	}
	sbuf_addf(out, "%s%s%s in %s: ", svc, *op ? " " : "", op, region);
	if (IS("DNS")) {
		sbuf_addf(out, "DNS lookup failed (%s): check the endpoint (AWS_ENDPOINT_URL_*), the "
			  "region and the network", m.s);
	} else if (IS("Connect")) {
		sbuf_addf(out, "could not connect (%s): check the endpoint, the network and any "
			  "proxy (https_proxy)", m.s);
	} else if (IS("TLS")) {
		sbuf_addf(out, "TLS certificate problem (%s): check the proxy, or set AWS_CA_BUNDLE "
			  "to the CA file that signs the endpoint's certificate (verification stays on)",
			  m.s);
	} else if (IS("Timeout")) {
		sbuf_addf(out, "no answer in time (%s): check the network or proxy; "
			  "TRAILGUIDE_AWS_TIMEOUT sets the timeout in seconds", m.s);
	} else if (IS("Proxy")) {
		sbuf_addf(out, "the proxy failed (%s): check https_proxy/http_proxy/no_proxy", m.s);
	} else if (IS("Network")) {
		sbuf_addf(out, "network error (%s): check the network and try again", m.s);
	} else {
		sbuf_addf(out, "%s", r->code[0] ? r->code : "error");
		if (r->status)
			sbuf_addf(out, " (HTTP %ld)", r->status);
		if (m.len)
			sbuf_addf(out, ": %s", m.s);
		if (r->request_id[0]) {
			sbuf rid;
			sbuf_init(&rid);
			esc_term(&rid, r->request_id, strlen(r->request_id));
			sbuf_addf(out, " (request id %s)", rid.s);
			sbuf_free(&rid);
		}
		sbuf_adds(out, ": ");
		if (IS("ExpiredToken") || IS("ExpiredTokenException") || IS("RequestExpired") ||
		    IS("TokenRefreshRequired"))
			sbuf_adds(out, "the credentials or the request have expired: refresh the "
				       "session credentials (or check the clock)");
		else if (IS("InvalidClientTokenId") || IS("UnrecognizedClientException") ||
			 IS("InvalidAccessKeyId"))
			sbuf_adds(out, "the access key id is not known to AWS: check which "
				       "credentials are used (trailguide whoami) and that they are "
				       "not deleted or deactivated");
		else if (IS("SignatureDoesNotMatch"))
			sbuf_adds(out, "the signature was rejected: check the secret access key "
				       "and that the clock is right (requests more than 15 minutes "
				       "off are refused)");
		else if (IS("RequestTimeTooSkewed"))
			sbuf_adds(out, "the clock is more than 15 minutes off: fix the system time");
		else if (IS("AccessDenied") || IS("AccessDeniedException") || r->status == 403)
			sbuf_addf(out, "these credentials may not do this: allow %s for them in IAM%s",
				  iam_action(svc, op, act, sizeof act),
				  strcmp(svc, "s3") == 0 ? " (and check the bucket and KMS key policies)"
							 : "");
		else if (IS("NoSuchBucket"))
			sbuf_adds(out, "the bucket does not exist: check its name");
		else if (IS("NoSuchKey") || IS("NotFound"))
			sbuf_adds(out, "no such object: check the path");
		else if (IS("PermanentRedirect") || IS("AuthorizationHeaderMalformed") ||
			 IS("IllegalLocationConstraintException") || r->bucket_region[0]) {
			if (r->bucket_region[0]) {
				sbuf br;
				sbuf_init(&br);
				esc_term(&br, r->bucket_region, strlen(r->bucket_region));
				sbuf_addf(out, "the bucket is in %s: pass --region %s", br.s, br.s);
				sbuf_free(&br);
			} else {
				sbuf_adds(out, "the bucket is in another region: pass its --region");
			}
		} else if (aws_retryable(r) == 1)
			sbuf_addf(out, "throttled after %d attempts: wait and try again, or make "
				       "fewer requests", r->attempts);
		else if (r->status >= 500)
			sbuf_addf(out, "the service failed after %d attempts: try again later",
				  r->attempts);
		else
			sbuf_adds(out, "check the request and the permissions");
	}
	sbuf_free(&m);
}

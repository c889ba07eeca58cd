/* aws_http.c — signed AWS requests over libcurl: URL and headers, SigV4, the transfer
 * callbacks (status, request id, bucket region, ETag, retry-after), retries with backoff,
 * tracing (method, host, path, status, time, attempt: never headers, bodies or query). */
#include "aws_int.h"
#include "aws_sigv4.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

void aws_resp_init(aws_resp *r)
{
	memset(r, 0, sizeof *r);
	sbuf_init(&r->body);
}

void aws_resp_free(aws_resp *r)
{
	sbuf_free(&r->body);
	memset(r, 0, sizeof *r);
}

void aws_resp_reset(aws_resp *r)
{
	sbuf_reset(&r->body);
	r->status = 0;
	r->code[0] = r->message[0] = r->request_id[0] = r->bucket_region[0] = r->etag[0] = '\0';
	r->retry_after = 0;
	r->attempts = 0;
	r->sunk_ = 0;
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	aws_resp *r = ud;
	size_t len = sz * n;
	if (r->sink_ && r->status >= 200 && r->status < 300) {
		if (fwrite(p, 1, len, r->sink_) != len)
			return 0;
		r->sunk_ += len;
		return len;
	}
	if (r->body.len + len > ((size_t)256 << 20))
		return 0; /* a runaway body */
	sbuf_add(&r->body, p, len);
	return len;
}

static void hcopy(char *dst, size_t dn, const char *v, size_t vn)
{
	if (vn >= dn)
		vn = dn - 1;
	memcpy(dst, v, vn);
	dst[vn] = '\0';
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	aws_resp *r = ud;
	size_t len = sz * n, k;
	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		const char *sp = memchr(p, ' ', len);
		if (sp)
			r->status = strtol(sp + 1, NULL, 10);
		return len;
	}
	const char *colon = memchr(p, ':', len);
	if (!colon)
		return len;
	size_t nl = (size_t)(colon - p);
	const char *v = colon + 1;
	size_t vn = len - nl - 1;
	while (vn && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn && (v[vn - 1] == '\r' || v[vn - 1] == '\n' || v[vn - 1] == ' '))
		vn--;
#define IS(name) (nl == strlen(name) && strncasecmp(p, name, nl) == 0)
	if (IS("x-amzn-requestid") || IS("x-amz-request-id"))
		hcopy(r->request_id, sizeof r->request_id, v, vn);
	else if (IS("x-amz-bucket-region"))
		hcopy(r->bucket_region, sizeof r->bucket_region, v, vn);
	else if (IS("etag"))
		hcopy(r->etag, sizeof r->etag, v, vn);
	else if (IS("x-amz-retry-after") || IS("retry-after")) {
		char num[32];
		hcopy(num, sizeof num, v, vn);
		char *end;
		double d = strtod(num, &end);
		for (k = 0; num[k] >= '0' && num[k] <= '9'; k++)
			;
		if (end != num && d >= 0 && d < 3600000 && num[k] == '\0')
			r->retry_after = IS("x-amz-retry-after") ? d / 1000.0 : d;
	}
#undef IS
	return len;
}

/* Split "scheme://host[:port][/base]" of an endpoint. */
static void split_url(const char *url, sbuf *scheme, sbuf *hostport, sbuf *base)
{
	const char *s = strstr(url, "://");
	const char *h = s ? s + 3 : url;
	sbuf_add(scheme, url, s ? (size_t)(s - url) : 0);
	if (!s)
		sbuf_adds(scheme, "https");
	const char *slash = strchr(h, '/');
	sbuf_add(hostport, h, slash ? (size_t)(slash - h) : strlen(h));
	if (slash)
		sbuf_adds(base, slash);
}

static void hdr(struct curl_slist **l, const char *name, const char *value)
{
	sbuf b;
	sbuf_init(&b);
	sbuf_addf(&b, "%s: %s", name, value);
	*l = curl_slist_append(*l, b.s);
	sbuf_free(&b);
}

static void common_opts(CURL *h, long connect_ms, long timeout_ms, aws_resp *r)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(h, CURLOPT_USERAGENT, "trailguide");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	const char *ca = aws_getenv("AWS_CA_BUNDLE");
	if (ca)
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	r->message[0] = '\0';
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->message);
}

static void set_method(CURL *h, const char *method, const char *body, size_t n)
{
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(method, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else {
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
		curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, body ? body : "");
	}
}

/* Credentials that are about to expire are resolved again. */
static int ensure_creds(aws_client *c, aws_resp *r)
{
	if (c->have_creds && c->creds.expires > 0 && aws_now(c) > c->creds.expires - 300 &&
	    c->fixed_time <= 0) {
		aws_creds_free(&c->creds);
		c->have_creds = 0;
	}
	if (c->have_creds)
		return 0;
	sbuf err;
	sbuf_init(&err);
	int rc = aws_creds_resolve(c, &err);
	if (rc != 0) {
		snprintf(r->code, sizeof r->code, "Credentials");
		snprintf(r->message, sizeof r->message, "%s", err.s ? err.s : "no credentials");
	}
	sbuf_free(&err);
	return rc;
}

static int setup(aws_client *c, const aws_call *call, aws_resp *r, CURL *h,
		 struct curl_slist **hdrs)
{
	sbuf url, scheme, hostport, base, host, path;
	sbuf_init(&url), sbuf_init(&scheme), sbuf_init(&hostport), sbuf_init(&base);
	sbuf_init(&host), sbuf_init(&path);
	const char *region = call->region && *call->region ? call->region
			     : c->region[0]			    ? c->region
							    : "us-east-1";
	int custom = 0, s3 = strcmp(call->service, "s3") == 0;
	aws_endpoint(c, call->service, region, &url, &custom);
	split_url(url.s, &scheme, &hostport, &base);
	if (call->host_prefix)
		sbuf_adds(&host, call->host_prefix);
	sbuf_adds(&host, hostport.s ? hostport.s : "");
	/* Host as sent: without a default port */
	size_t hl = host.len;
	if (strcmp(scheme.s, "https") == 0 && hl > 4 && strcmp(host.s + hl - 4, ":443") == 0)
		host.s[host.len -= 4] = '\0';
	else if (strcmp(scheme.s, "http") == 0 && hl > 3 && strcmp(host.s + hl - 3, ":80") == 0)
		host.s[host.len -= 3] = '\0';
	sbuf_adds(&path, base.s ? base.s : "");
	sbuf_adds(&path, call->path && *call->path ? call->path : "/");
	sbuf_reset(&url);
	sbuf_addf(&url, "%s://%s%s", scheme.s, host.s, path.s);
	if (call->query && *call->query)
		sbuf_addf(&url, "?%s", call->query);

	char amz_date[17], phash[65];
	sigv4_amz_date(aws_now(c), amz_date);
	sigv4_sha256_hex(call->body ? call->body : "", call->body ? call->body_len : 0, phash);
	sigv4_header sh[8];
	size_t n = 0;
	sh[n++] = (sigv4_header){"host", host.s};
	sh[n++] = (sigv4_header){"x-amz-date", amz_date};
	if (c->creds.token && *c->creds.token)
		sh[n++] = (sigv4_header){"x-amz-security-token", c->creds.token};
	if (s3)
		sh[n++] = (sigv4_header){"x-amz-content-sha256", phash};
	if (call->content_type)
		sh[n++] = (sigv4_header){"content-type", call->content_type};
	if (call->target)
		sh[n++] = (sigv4_header){"x-amz-target", call->target};
	sigv4_req req = {
		.method = call->method, .path = path.s, .query = call->query, .hdrs = sh,
		.nhdrs = n, .body = call->body, .body_len = call->body ? call->body_len : 0,
		.payload_hash = phash, .region = region, .service = call->service,
		.amz_date = amz_date, .s3 = s3,
	};
	sigv4_out o;
	sigv4_out_init(&o);
	int rc = 0;
	if (call->anonymous)
		n = 0; /* curl sends Host itself; nothing is signed */
	else
		rc = sigv4_sign(&req, c->creds.akid, c->creds.secret, &o);
	if (rc == 0) {
		*hdrs = NULL;
		for (size_t i = 0; i < n; i++)
			hdr(hdrs, sh[i].name, sh[i].value);
		if (call->anonymous && call->content_type)
			hdr(hdrs, "Content-Type", call->content_type);
		if (call->anonymous && call->target)
			hdr(hdrs, "X-Amz-Target", call->target);
		if (!call->content_type)
			*hdrs = curl_slist_append(*hdrs, "Content-Type:");
		for (const char *const *x = call->headers; x && *x; x++)
			*hdrs = curl_slist_append(*hdrs, *x);
		if (!call->anonymous)
			hdr(hdrs, "Authorization", o.authz.s);
		*hdrs = curl_slist_append(*hdrs, "Expect:");
		common_opts(h, c->connect_timeout_ms, c->timeout_ms, r);
		curl_easy_setopt(h, CURLOPT_URL, url.s);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, *hdrs);
		set_method(h, call->method, call->body, call->body ? call->body_len : 0);
		r->sink_ = call->sink;
	} else {
		snprintf(r->code, sizeof r->code, "Credentials");
		snprintf(r->message, sizeof r->message, "the request could not be signed");
	}
	sigv4_out_free(&o);
	sbuf_free(&url), sbuf_free(&scheme), sbuf_free(&hostport), sbuf_free(&base);
	sbuf_free(&host), sbuf_free(&path);
	return rc;
}

CURL *aws_easy_new(aws_client *c, const aws_call *call, aws_resp *r, struct curl_slist **hdrs)
{
	*hdrs = NULL;
	if (!call->anonymous && ensure_creds(c, r) != 0)
		return NULL;
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(r->code, sizeof r->code, "Network");
		snprintf(r->message, sizeof r->message, "libcurl could not start");
		return NULL;
	}
	if (setup(c, call, r, h, hdrs) != 0) {
		curl_easy_cleanup(h);
		return NULL;
	}
	c->requests++;
	return h;
}

void aws_curl_error(CURLcode rc, const char *ebuf, aws_resp *r)
{
	char msg[CURL_ERROR_SIZE + 1];
	snprintf(msg, sizeof msg, "%s", ebuf && *ebuf ? ebuf : curl_easy_strerror(rc));
	const char *code = "Network";
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST: code = "DNS"; break;
	case CURLE_COULDNT_RESOLVE_PROXY:
#if LIBCURL_VERSION_NUM >= 0x074a00
	case CURLE_PROXY:
#endif
		code = "Proxy"; break;
	case CURLE_COULDNT_CONNECT: code = "Connect"; break;
	case CURLE_OPERATION_TIMEDOUT: code = "Timeout"; break;
	case CURLE_SSL_CONNECT_ERROR: case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE: case CURLE_SSL_CERTPROBLEM: case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR: case CURLE_SSL_CRL_BADFILE: case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH: case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_NOTFOUND: case CURLE_SSL_ENGINE_SETFAILED:
		code = "TLS"; break;
	default: break;
	}
	snprintf(r->code, sizeof r->code, "%s", code);
	snprintf(r->message, sizeof r->message, "%s", msg);
}

int aws_easy_finish(CURL *h, CURLcode rc, aws_resp *r)
{
	long st = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st);
	r->status = st;
	if (rc != CURLE_OK) {
		aws_curl_error(rc, r->message, r);
		return -1;
	}
	r->code[0] = '\0';
	if (st >= 200 && st < 300) {
		r->message[0] = '\0';
		return 0;
	}
	if (!aws_parse_error(r->body.s, r->body.len, r->code, sizeof r->code, r->message,
			     sizeof r->message)) {
		if (st == 301 || st == 307)
			snprintf(r->code, sizeof r->code, "PermanentRedirect");
		else if (st == 404 && r->body.len == 0)
			snprintf(r->code, sizeof r->code, "NotFound");
		else
			snprintf(r->code, sizeof r->code, "%ld", st);
		snprintf(r->message, sizeof r->message, "HTTP status %ld", st);
	}
	return -1;
}

static void trace(aws_client *c, const aws_call *call, const CURL *h, const aws_resp *r,
		  double ms, int attempt)
{
	if (!c->trace)
		return;
	char *url = NULL;
	curl_easy_getinfo((CURL *)h, CURLINFO_EFFECTIVE_URL, &url);
	const char *host = url ? strstr(url, "://") : NULL;
	host = host ? host + 3 : "";
	size_t hn = strcspn(host, "/?");
	const char *path = host + hn;
	size_t pn = strcspn(path, "?"); /* never the query: its values may be tokens */
	fprintf(c->trace, "%s %.*s %.*s %ld %.0fms attempt=%d%s%s\n", call->method, (int)hn,
		host, pn ? (int)pn : 1, pn ? path : "/", r->status, ms, attempt,
		r->code[0] ? " " : "", r->code);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int aws_call_run(aws_client *c, const aws_call *call, aws_resp *r)
{
	aws_resp_reset(r);
	int max = call->no_retry ? 1 : (c->max_attempts > 0 ? c->max_attempts : 1);
	long pos0 = call->sink ? ftell(call->sink) : -1;
	for (int a = 1;; a++) {
		aws_resp_reset(r);
		r->attempts = a;
		struct curl_slist *hdrs = NULL;
		CURL *h = aws_easy_new(c, call, r, &hdrs);
		if (!h)
			return -1;
		double t0 = now_mono();
		CURLcode rc = curl_easy_perform(h);
		int ok = aws_easy_finish(h, rc, r);
		trace(c, call, h, r, (now_mono() - t0) * 1000.0, a);
		curl_slist_free_all(hdrs);
		curl_easy_cleanup(h);
		r->attempts = a;
		if (ok == 0)
			return 0;
		int kind = aws_retryable(r);
		if (!kind || a >= max)
			return -1;
		if (r->sunk_ > 0) { /* part of a body went to the sink: take it back */
			fflush(call->sink);
			if (pos0 < 0 || fseek(call->sink, pos0, SEEK_SET) != 0 ||
			    ftruncate(fileno(call->sink), pos0) != 0)
				return -1;
		}
		c->retries++;
		if (kind == 1)
			c->throttled++;
		long ms = aws_backoff_ms(a);
		if (r->retry_after > 0) {
			long ra = (long)(r->retry_after * 1000);
			if (ra > ms + 5000)
				ra = ms + 5000;
			if (ra > ms)
				ms = ra;
		}
		sleep_ms(ms);
	}
}

int aws_http_plain(const char *method, const char *url, struct curl_slist *hdrs,
		   long timeout_ms, aws_resp *r)
{
	aws_resp_reset(r);
	r->attempts = 1;
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(r->code, sizeof r->code, "Network");
		snprintf(r->message, sizeof r->message, "libcurl could not start");
		return -1;
	}
	common_opts(h, timeout_ms, timeout_ms, r);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*"); /* link-local and loopback services */
	curl_easy_setopt(h, CURLOPT_URL, url);
	struct curl_slist *all = curl_slist_append(NULL, "Expect:");
	all = curl_slist_append(all, "Content-Type:");
	for (struct curl_slist *p = hdrs; p; p = p->next)
		all = curl_slist_append(all, p->data);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, all);
	set_method(h, method, NULL, 0);
	CURLcode rc = curl_easy_perform(h);
	int ok = aws_easy_finish(h, rc, r);
	curl_slist_free_all(all);
	curl_easy_cleanup(h);
	return ok;
}

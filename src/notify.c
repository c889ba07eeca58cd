/* notify.c — POST a JSON alert to a webhook with libcurl: timeouts, retries with backoff. */
#include "notify.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void notify_redact(const char *url, char *out, size_t outn)
{
	const char *p = strstr(url, "://");
	const char *host = p ? p + 3 : url;
	size_t hl = strcspn(host, "/?#");
	const char *at = memchr(host, '@', hl);
	if (at) { /* drop user:password@ */
		hl -= (size_t)(at + 1 - host);
		host = at + 1;
	}
	snprintf(out, outn, "%.*s%.*s%s", p ? (int)(p + 3 - url) : 0, url, (int)hl, host,
		 host[hl] ? "/..." : "");
}

static size_t discard(char *p, size_t sz, size_t n, void *ud)
{
	(void)p, (void)ud;
	return sz * n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* 1 if a failed attempt is worth repeating. */
static int transient(CURLcode rc, long code)
{
	if (rc == CURLE_OK)
		return code >= 500 || code == 429;
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return 1;
	default:
		return 0;
	}
}

int notify_post(const char *url, const char *body, size_t n)
{
	static int inited;
	char where[256];
	notify_redact(url, where, sizeof where);
	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	CURL *c = curl_easy_init();
	if (!c) {
		fprintf(stderr, "trailguide: --notify %s: cannot start libcurl\n", where);
		return -1;
	}
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	char ebuf[CURL_ERROR_SIZE];
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)n);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "trailguide");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	int ok = -1;
	long backoff = 500;
	for (int a = 1; a <= NOTIFY_ATTEMPTS; a++) {
		ebuf[0] = 0;
		CURLcode rc = curl_easy_perform(c);
		long code = 0;
		if (rc == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (rc == CURLE_OK && code >= 200 && code < 300) {
			ok = 0;
			break;
		}
		int again = transient(rc, code) && a < NOTIFY_ATTEMPTS;
		char why[CURL_ERROR_SIZE + 64];
		if (rc == CURLE_OK)
			snprintf(why, sizeof why, "HTTP %ld", code);
		else
			snprintf(why, sizeof why, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
		if (again)
			fprintf(stderr, "trailguide: --notify %s: attempt %d of %d failed (%s); "
					"retrying in %.1f s\n",
				where, a, NOTIFY_ATTEMPTS, why, (double)backoff / 1000);
		else
			fprintf(stderr, "trailguide: --notify %s: not delivered (%s) after %d "
					"attempt%s\n",
				where, why, a, a == 1 ? "" : "s");
		if (!again)
			break;
		sleep_ms(backoff);
		backoff *= 2;
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return ok;
}

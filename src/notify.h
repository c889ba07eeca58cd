/* notify.h — POST a JSON alert to a webhook (Slack and compatible) with libcurl. */
#ifndef TG_NOTIFY_H
#define TG_NOTIFY_H

#include <stddef.h>

enum { NOTIFY_ATTEMPTS = 3 };

/* POST body[0..n) as application/json to url: 10 s timeout per attempt, TLS verification
 * on, proxies from the environment (http_proxy, https_proxy, no_proxy), http and https
 * only. Connection errors, timeouts, HTTP 5xx and 429 are retried after 0.5 s, then 1 s
 * (NOTIFY_ATTEMPTS attempts in all); other answers are final. Every failed attempt is
 * reported on stderr, naming the URL without its path (webhook paths hold secrets).
 * Returns 0 when the server answered 2xx, else -1. */
int notify_post(const char *url, const char *body, size_t n);

/* The scheme and host of url, for messages (the path and query are left out). */
void notify_redact(const char *url, char *out, size_t outn);

#endif

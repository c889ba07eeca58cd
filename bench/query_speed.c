/* query_speed.c — time filters and stats over a 1M-event store built with store_add.
 *
 * Cardinalities are realistic: ~300 event names, ~50 sources, 1000 principals, 5000 IPs,
 * unique event IDs. Prints milliseconds per query (best of 5). Usage: query_speed [N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"

static uint64_t rng = 88172645463325252ULL;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* Skewed pick: low numbers far more often, as real event names are. */
static uint32_t skew(uint32_t n)
{
	uint32_t a = rnd(n), b = rnd(n);
	return a < b ? a : b;
}

static store *build(size_t n)
{
	static const char *const regions[] = {"us-east-1", "us-west-2", "eu-west-1",
					      "ap-southeast-2", "eu-central-1"};
	static const char *const types[] = {"IAMUser", "AssumedRole", "AWSService", "Root"};
	static const char *const errors[] = {"AccessDenied", "ThrottlingException",
					     "NoSuchEntity", "ValidationException"};
	store *s = store_new();
	char ev[64], src[64], ip[64], pr[96], key[32], id[48], ua[64], acct[16];
	for (size_t i = 0; i < n; i++) {
		uint32_t e = skew(300), src_i = e % 50, p = skew(1000);
		snprintf(ev, sizeof ev, e == 0 ? "CreateUser" : "Event%03u", e);
		snprintf(src, sizeof src, src_i == 0 ? "iam.amazonaws.com" : "svc%02u.amazonaws.com", src_i);
		uint32_t ipn = rnd(5000);
		snprintf(ip, sizeof ip, "%u.%u.%u.%u", ipn % 7 == 0 ? 10 : 198, ipn / 256 % 256, ipn % 256, ipn % 13);
		snprintf(pr, sizeof pr, "arn:aws:iam::%012u:user/user%04u", 111122220u + p % 20, p);
		snprintf(key, sizeof key, "AKIA%016u", p);
		snprintf(id, sizeof id, "%08zx-0000-4000-8000-%012zx", i, i * 7919);
		snprintf(ua, sizeof ua, "aws-cli/2.%u Python/3.11", rnd(30));
		snprintf(acct, sizeof acct, "%012u", 111122220u + p % 20);
		const char *v[COL_NFIXED] = {
			ev, src, regions[rnd(5)], ip, ua, rnd(20) == 0 ? errors[rnd(4)] : NULL, pr,
			types[p % 4], key, acct, NULL, id, rnd(3) ? "true" : "false",
		};
		size_t l[COL_NFIXED];
		for (int c = 0; c < COL_NFIXED; c++)
			l[c] = v[c] ? strlen(v[c]) : 0;
		store_add(s, 1795000000000LL + (int64_t)i * 50, v, l, 0, 0, 0);
	}
	return s;
}

static int64_t bench_since = INT64_MIN; /* the window start for the stages (TG_TIME_NONE) */

static void bench(store *s, const char *text)
{
	qerr e;
	query *q = query_parse(text, &e);
	if (!q) {
		printf("parse error at %d: %s\n", e.col, e.msg);
		return;
	}
	qctx ctx;
	qctx_init(&ctx);
	ctx.now = 1795000000000LL + 50 * (int64_t)s->n;
	ctx.since = bench_since;
	double best = 1e9;
	size_t rows = 0;
	for (int k = 0; k < 5; k++) {
		double t0 = now_mono();
		result *r = query_run(q, s, &ctx, &e);
		double t = now_mono() - t0;
		if (!r) {
			printf("run error: %s\n", e.msg);
			break;
		}
		rows = r->is_table ? r->nrows : r->n;
		result_free(&r);
		if (t < best)
			best = t;
	}
	printf("%8.2f ms  %8zu rows  %s\n", best * 1e3, rows, text);
	query_free(&q);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
	double t0 = now_mono();
	store *s = build(n);
	printf("built %zu events in %.0f ms\n", n, (now_mono() - t0) * 1e3);
	bench(s, "event = CreateUser");
	bench(s, "service = iam and event in (CreateUser, Event001) and not error exists");
	bench(s, "principal ~ '*user000*'");
	bench(s, "ua =~ /cli\\/2\\.1[0-9]/");
	bench(s, "ip in (10.0.0.0/8, 192.0.2.0/24)");
	bench(s, "time > -10h");
	bench(s, "eventID = 00000005-0000-4000-8000-000000009aab");
	bench(s, "| stats count() by event");
	bench(s, "| stats count() by principal, bin(1h) | sort count desc | head 20");
	bench(s, "| stats dc(ip), count() by service");
	bench(s, "error exists | stats count() by error, region");
	bench(s, "| sort principal | head 10");
	/* investigation stages: the window is the last 2 hours (of ~14) */
	bench_since = 1795000000000LL + 50 * (int64_t)n - 2 * 3600000LL;
	printf("window: the last 2 hours\n");
	bench(s, "| first-seen principal, region baseline 6h");
	bench(s, "| first-seen principal, ip baseline 6h");
	bench(s, "| first-seen ip baseline 12h");
	bench(s, "| dormant principal for 1h");
	bench(s, "| dormant principal, region for 30m");
	bench(s, "| spike by principal, bin(10m) baseline 6h z > 3");
	bench(s, "error exists | spike by principal, error, bin(10m) baseline 6h");
	bench(s, "| sequence by principal within 5m: [event = Event001] -> [event = Event002]");
	bench(s, "| sequence by principal within 10m: [event = CreateUser] -> not [event = Event003]");
	bench(s, "| sequence by principal within 1h: [] -> [] -> []");
	store_free(&s);
	return 0;
}

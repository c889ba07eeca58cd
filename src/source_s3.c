/* source_s3.c — s3://BUCKET[/PREFIX]: find the trail's folders under PREFIX
 * (AWSLogs/[ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/), list only the days inside the
 * window, and fetch the log objects into the cache (source_s3_get.c).
 *
 * PREFIX may stop at any level (above AWSLogs/, AWSLogs/, an organization, an account,
 * CloudTrail/, a region, a year, month or day). Above the region every level is listed with
 * delimiter '/'; CloudTrail-Digest/ folders are counted in skipped_digest (one per account)
 * and never listed, CloudTrail-Insight/ is passed over. A region is listed per day for
 * [since, until + 1 day] (late deliveries land in the next day's folder), with start-after
 * for windows longer than 62 days, and whole when the window has no start. Account and
 * region folders the queries cannot match (account = X, region in (...): query_scope) are
 * passed over. The listings run
 * in parallel (source_s3_list.c). TRAILGUIDE_S3_MAX_KEYS (1..1000, default 1000) sets
 * max-keys per page, so tests can force continuation pages.
 *
 * Path-style addressing for custom endpoints and bucket names with dots, else
 * virtual-hosted. A wrong region (301 PermanentRedirect, 400 AuthorizationHeaderMalformed
 * with x-amz-bucket-region or <Region>) moves to the bucket's region once, with a hint to
 * pass --region. */
#include "source_s3_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esc.h"
#include "progress.h"
#include "query.h"
#include "tgtime.h"

#define DAY_MS 86400000LL

enum level { L_TOP, L_LOGS, L_ORG, L_ACCOUNT, L_CT, L_REGION, L_DATE };

static void day_str(int64_t day, char out[48])
{
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof tm);
	snprintf(out, 48, "%04d/%02d/%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int all_digits(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The window in days: [*d0, *d1]; *d0 = INT64_MIN when open at the start. */
static void window_days(const s3_ctx *c, int64_t *d0, int64_t *d1)
{
	const source_opts *o = c->o;
	int64_t now = o->now > 0 ? o->now : tgtime_now();
	*d0 = o->since == TG_TIME_NONE ? INT64_MIN : (o->since >= 0 ? o->since / DAY_MS : (o->since - DAY_MS + 1) / DAY_MS);
	int64_t u = o->until == TG_TIME_NONE ? now : o->until;
	*d1 = (u >= 0 ? u / DAY_MS : (u - DAY_MS + 1) / DAY_MS) + 1;
}

/* The day of the key's date folder (.../CloudTrail/REGION/YYYY/MM/DD/...), or INT64_MIN. */
int64_t s3_key_day(const char *key)
{
	const char *p = strstr(key, "/CloudTrail/");
	if (!p && !strncmp(key, "CloudTrail/", 11))
		p = key - 1;
	if (!p)
		return INT64_MIN;
	p = strchr(p + 12, '/');
	int y, m, d, len = 0;
	if (!p || sscanf(p, "/%4d/%2d/%2d/%n", &y, &m, &d, &len) != 3 || len != 12 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return INT64_MIN;
	return tgtime_days_from_civil(y, (unsigned)m, (unsigned)d);
}

/* A key that is safe as a path below the cache folder. */
int s3_safe_key(const char *k)
{
	if (*k == '/' || !*k)
		return 0;
	for (const char *p = k; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n;
		if (*p)
			p++;
	}
	return 1;
}

static int ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

/* Keep the log objects of l inside the window, moving them to keep. */
static void take_objects(s3_ctx *c, s3_listing *l, s3_listing *keep)
{
	int64_t d0, d1;
	window_days(c, &d0, &d1);
	for (size_t i = 0; i < l->n; i++) {
		s3_obj *o = &l->v[i];
		int take = 0;
		if (strstr(o->key, "CloudTrail-Digest"))
			c->st->skipped_digest++;
		else if ((ends_with(o->key, ".json.gz") || ends_with(o->key, ".json"))) {
			int64_t d = s3_key_day(o->key);
			take = d == INT64_MIN || ((d0 == INT64_MIN || d >= d0) && d <= d1);
			if (take && !s3_safe_key(o->key)) {
				s3_warnf(c, "%s: key not usable as a file name: skipped", o->key);
				take = 0;
			}
		}
		if (take) {
			xgrow((void **)&keep->v, &keep->cap, keep->n + 1, sizeof *keep->v);
			keep->v[keep->n++] = *o;
			c->st->listed++;
		} else
			free(o->key);
	}
	l->n = 0;
}

/* Queue the listings for prefix at level: discovery levels with delimiter '/', a region's
 * days (or all of it), a date folder whole. */
static void expand(s3_ctx *c, s3_walker *w, int lv, const char *prefix)
{
	if (lv != L_REGION) {
		s3_enqueue(w, lv, prefix, lv != L_DATE, NULL, NULL);
		return;
	}
	int64_t d0, d1;
	window_days(c, &d0, &d1);
	sbuf p, q;
	sbuf_init(&p);
	sbuf_init(&q);
	char ds[48];
	if (d0 == INT64_MIN)
		s3_enqueue(w, L_DATE, prefix, 0, NULL, NULL);
	else if (d1 - d0 <= 62) {
		for (int64_t d = d0; d <= d1; d++) {
			day_str(d, ds);
			sbuf_reset(&p);
			sbuf_addf(&p, "%s%s/", prefix, ds);
			s3_enqueue(w, L_DATE, p.s, 0, NULL, NULL);
		}
	} else {
		day_str(d0, ds);
		sbuf_addf(&p, "%s%s", prefix, ds);
		day_str(d1 + 1, ds);
		sbuf_addf(&q, "%s%s", prefix, ds);
		s3_enqueue(w, L_DATE, prefix, 0, p.s, q.s);
	}
	sbuf_free(&p);
	sbuf_free(&q);
}

/* 1 when the folder name (n bytes) is among the values, or there are none. */
static int in_scope(const strvec *v, const char *name, size_t n)
{
	if (!v->n)
		return 1;
	for (size_t i = 0; i < v->n; i++)
		if (strlen(v->v[i]) == n && !strncmp(v->v[i], name, n))
			return 1;
	return 0;
}

/* One page of a listing: objects of date folders kept, discovery levels expanded (only
 * the accounts and regions the queries can match). */
static void page(s3_ctx *c, s3_walker *w, int lv, const char *prefix, s3_listing *l)
{
	take_objects(c, l, c->keepp);
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < l->prefixes.n; i++) {
		const char *cp = l->prefixes.v[i];
		if (strncmp(cp, prefix, plen) != 0)
			continue;
		const char *name = cp + plen;
		size_t n = strcspn(name, "/");
		if (name[n] != '/' || name[n + 1])
			continue;
		int next = L_TOP;
		if (lv == L_TOP && n == 7 && !strncmp(name, "AWSLogs", 7))
			next = L_LOGS;
		else if (lv == L_LOGS && n > 2 && !strncmp(name, "o-", 2))
			next = L_ORG;
		else if ((lv == L_LOGS || lv == L_ORG) && all_digits(name, n))
			next = L_ACCOUNT;
		else if (lv == L_ACCOUNT && n == 10 && !strncmp(name, "CloudTrail", 10))
			next = L_CT;
		else if (lv == L_ACCOUNT && n == 17 && !strncmp(name, "CloudTrail-Digest", 17))
			c->st->skipped_digest++;
		else if (lv == L_CT)
			next = L_REGION;
		if ((next == L_ACCOUNT && !in_scope(&c->accounts, name, n)) ||
		    (next == L_REGION && !in_scope(&c->regions, name, n))) {
			c->pruned++;
			continue;
		}
		if (next == L_LOGS)
			c->found_logs = 1;
		if (next != L_TOP)
			expand(c, w, next, cp);
	}
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const s3_obj *)a)->key, ((const s3_obj *)b)->key);
}

/* Where prefix (ending in '/' or empty) sits in the trail layout. */
int s3_level_of(const char *prefix)
{
	const char *a = NULL;
	for (const char *p = prefix; (p = strstr(p, "AWSLogs/")); p++)
		if (p == prefix || p[-1] == '/')
			a = p;
	if (!a)
		return L_TOP;
	const char *r = a + 8;
	int k = 0;
	char comp[5][64];
	while (*r && k < 5) {
		size_t n = strcspn(r, "/");
		snprintf(comp[k++], sizeof comp[0], "%.*s", (int)(n < 63 ? n : 63), r);
		r += n + (r[n] == '/');
	}
	int i = (k > 0 && !strncmp(comp[0], "o-", 2)) ? 1 : 0;
	int depth = k - i;
	if (k == 0)
		return L_LOGS;
	if (depth == 0)
		return L_ORG;
	if (depth == 1)
		return L_ACCOUNT;
	if (strcmp(comp[i + 1], "CloudTrail") != 0)
		return L_TOP; /* a digest or insight folder: nothing for us below it */
	return depth == 2 ? L_CT : depth == 3 ? L_REGION : L_DATE;
}

/* Without --since every day of every region is read: say how much, before fetching. */
static void whole_bucket_notice(s3_ctx *c, const s3_listing *keep)
{
	uint64_t bytes = 0;
	for (size_t i = 0; i < keep->n; i++)
		bytes += keep->v[i].size;
	FILE *f = c->o->notice ? c->o->notice : c->warn;
	if (f == stderr && c->o->progress)
		progress_clear();
	sbuf e;
	sbuf_init(&e);
	esc_term(&e, c->spec, strlen(c->spec));
	fprintf(f, "trailguide: %s: warning: no --since: reading the whole bucket, %zu log "
		   "objects, %.1f MB compressed (cached ones are not fetched again); give a "
		   "window (--since 7d) to read less, --strict to refuse\n",
		e.s ? e.s : "", keep->n, (double)bytes / 1e6);
	fflush(f);
	sbuf_free(&e);
}

static int bucket_ok(const char *b, size_t n)
{
	if (n < 3 || n > 63 || !((b[0] >= 'a' && b[0] <= 'z') || (b[0] >= '0' && b[0] <= '9')))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", b[i]))
			return 0;
	return 1;
}

int source_s3_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st)
{
	s3_ctx c = {0};
	c.spec = spec;
	c.o = o;
	c.st = st;
	c.warn = o->warn ? o->warn : stderr;
	c.t0 = now_mono();
	const char *b = spec + (strncmp(spec, "s3://", 5) ? 0 : 5);
	size_t bn = strcspn(b, "/");
	if (!bucket_ok(b, bn)) {
		s3_warnf(&c, "not a bucket name: write s3://BUCKET/PREFIX");
		return -1;
	}
	snprintf(c.bucket, sizeof c.bucket, "%.*s", (int)bn, b);
	snprintf(c.host_prefix, sizeof c.host_prefix, "%s.", c.bucket);
	sbuf prefix, err;
	sbuf_init(&prefix);
	sbuf_init(&err);
	const char *p = b + bn;
	while (*p == '/')
		p++;
	sbuf_adds(&prefix, p);
	if (prefix.len && prefix.s[prefix.len - 1] != '/')
		sbuf_addc(&prefix, '/');
	if (!prefix.s)
		sbuf_adds(&prefix, "");

	aws_client own;
	c.aws = o->aws;
	if (!c.aws || c.aws->max_attempts == 0) { /* none, or not set up by aws_client_init */
		const aws_client *g = o->aws;
		aws_client_init(&own, g && g->profile_explicit ? g->profile : NULL,
				g && g->region[0] ? g->region : NULL);
		own.warn = c.warn;
		c.aws = &own;
	}
	snprintf(c.region, sizeof c.region, "%s", c.aws->region[0] ? c.aws->region : "us-east-1");
	sbuf_init(&c.endpoint);
	aws_endpoint(c.aws, "s3", c.region, &c.endpoint, &c.custom);
	c.path_style = c.custom || strchr(c.bucket, '.') != NULL;
	const char *mk = getenv("TRAILGUIDE_S3_MAX_KEYS");
	c.max_keys = mk && atoi(mk) >= 1 && atoi(mk) <= 1000 ? atoi(mk) : 1000;

	int rc = -1;
	sbuf_init(&c.cache);
	if (source_cache_dir(o, &c.cache, &err) < 0) {
		s3_warnf(&c, "%s", err.s);
		goto done;
	}
	sbuf_addf(&c.cache, "/s3/%s", c.bucket);

	s3_listing keep = {0};
	c.keepp = &keep;
	int lv0 = s3_level_of(prefix.s);
	if (o->since == TG_TIME_NONE && o->strict && lv0 != L_DATE) {
		s3_warnf(&c, "no --since: refusing to read the whole bucket under --strict: give "
			     "a window (--since 7d)");
		goto done;
	}
	if (o->queries && o->nqueries > 0) {
		query_scope(o->queries, o->nqueries, "recipientAccountId", &c.accounts);
		query_scope(o->queries, o->nqueries, "awsRegion", &c.regions);
	}
	int lv = s3_level_of(prefix.s);
	s3_walk(&c, lv, prefix.s, expand, page);
	if (lv == L_TOP && !c.found_logs && c.lists_ok && !c.fatal)
		s3_warnf(&c, "no AWSLogs/ folder under this prefix: give the trail's bucket and "
			     "S3 key prefix (s3://BUCKET/PREFIX, PREFIX ending before AWSLogs/)");
	if (keep.n > 1)
		qsort(keep.v, keep.n, sizeof *keep.v, key_cmp);
	int cancelled = o->cancel && *o->cancel;
	if (o->since == TG_TIME_NONE && lv != L_DATE && keep.n && !c.fatal && !cancelled)
		whole_bucket_notice(&c, &keep);
	if (!c.fatal && !cancelled)
		s3_fetch_objects(&c, keep.v, keep.n, out);
	cancelled = o->cancel && *o->cancel;
	if (c.fatal && !out->n)
		rc = -1;
	else if (cancelled) {
		s3_warnf(&c, "cancelled: %zu of %zu objects loaded", out->n, keep.n);
		rc = out->n ? 1 : -1;
	} else if (st->failed || c.list_errors || c.fatal) {
		if (st->failed)
			s3_warnf(&c, "%zu of %zu objects could not be fetched: the rest is loaded; "
				     "run again to retry them", st->failed, keep.n);
		if (c.list_errors)
			s3_warnf(&c, "%d listing%s failed (see above): what they hold is missing",
				 c.list_errors, c.list_errors == 1 ? "" : "s");
		rc = out->n ? 1 : -1;
	} else if (!keep.n && c.lists_ok) {
		/* a prefix that lists nothing is a warning: --strict makes it exit 2 */
		if (lv != L_TOP || c.found_logs)
			s3_warnf(&c, "no trail log files in the window under this prefix");
		rc = 1;
	} else {
		rc = 0;
	}
	if (c.accounts.n || c.regions.n)
		snprintf(st->pushdown, sizeof st->pushdown, "%zu account/region folder%s pruned",
			 c.pruned, c.pruned == 1 ? "" : "s");
	s3_listing_free(&keep);
done:
	strvec_free(&c.accounts);
	strvec_free(&c.regions);
	if (c.aws == &own)
		aws_client_free(&own);
	sbuf_free(&c.endpoint);
	sbuf_free(&c.cache);
	sbuf_free(&prefix);
	sbuf_free(&err);
	return rc;
}

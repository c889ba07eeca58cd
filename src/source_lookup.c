/* source_lookup.c — lookup://REGION: CloudTrail LookupEvents into one NDJSON file.
 *
 * The queries' most selective equality becomes the lookup attribute (source_lookup_plan.c);
 * every series pages through the window newest first, paced by a token bucket of
 * LOOKUP_RATE requests per second per region shared by every fetch of the process, and
 * retried here (aws_call_run with no_retry) so the bucket paces the retries too. */
#include "source_lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "esc.h"
#include "source.h"
#include "tgtime.h"

#define LOOKUP_TARGET "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"
#define DAY_MS 86400000LL

/* One bucket per region for the whole process (a runbook's steps, the console's reloads). */
static pthread_mutex_t bucket_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char region[64];
	lookup_bucket b;
} buckets[16];
static int nbuckets;

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The bucket's state shared with other trailguide processes (cron runs, a second
 * terminal) in DIR/lookup/.pace-REGION, under flock: "tokens last" in wall-clock seconds.
 * -1 when the file cannot be used (the process's own bucket then paces alone). */
static double shared_wait(const char *dir, const char *region)
{
	if (!dir)
		return -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/lookup/.pace-%s", dir, region);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	char buf[128];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	lookup_bucket b;
	lookup_bucket_init(&b, LOOKUP_RATE, 1);
	double now = wall();
	if (n > 0) {
		buf[n] = 0;
		double tokens, last;
		/* a state from the future (clock stepped back) is ignored beyond 2 s */
		if (sscanf(buf, "%lf %lf", &tokens, &last) == 2 && tokens >= 0 && tokens <= 1 &&
		    last > now - 3600 && last < now + 2) {
			b.tokens = tokens;
			b.last = last;
			b.started = 1;
		}
	}
	double w = lookup_bucket_take(&b, now);
	int len = snprintf(buf, sizeof buf, "%.6f %.6f\n", b.tokens, b.last);
	if (pwrite(fd, buf, (size_t)len, 0) != len || ftruncate(fd, len) < 0)
		w = -1;
	close(fd); /* releases the lock */
	return w;
}

static double bucket_wait(const char *dir, const char *region)
{
	pthread_mutex_lock(&bucket_mu);
	int i;
	for (i = 0; i < nbuckets; i++)
		if (strcmp(buckets[i].region, region) == 0)
			break;
	if (i == nbuckets) {
		if (nbuckets < (int)(sizeof buckets / sizeof buckets[0]))
			nbuckets++;
		else
			i = nbuckets - 1; /* more regions than slots: share the last one */
		snprintf(buckets[i].region, sizeof buckets[i].region, "%s", region);
		lookup_bucket_init(&buckets[i].b, LOOKUP_RATE, 1);
	}
	double w = shared_wait(dir, region);
	if (w < 0)
		w = lookup_bucket_take(&buckets[i].b, wall());
	pthread_mutex_unlock(&bucket_mu);
	return w;
}

static int cancelled(const source_opts *o)
{
	return o->cancel && *o->cancel;
}

/* Sleep s seconds in small slices, stopping early on cancel. */
static void nap(const source_opts *o, double s)
{
	double end = now_mono() + s;
	for (;;) {
		double left = end - now_mono();
		if (left <= 0 || cancelled(o))
			return;
		if (left > 0.05)
			left = 0.05;
		struct timespec ts = { 0, (long)(left * 1e9) };
		nanosleep(&ts, NULL);
	}
}

static int valid_region(const char *r)
{
	size_t n = strlen(r);
	if (n == 0 || n > 40)
		return 0;
	for (const char *p = r; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

static void ymd(int64_t ms, char *buf)
{
	char t[32];
	tgtime_format(ms, t);
	snprintf(buf, 11, "%.10s", t);
}

/* A new file under the cache directory: lookup/REGION-STAMP-PID[-N].ndjson. */
static FILE *open_out(const source_opts *o, const char *region, sbuf *cdir, sbuf *path,
		      sbuf *err)
{
	sbuf dir;
	sbuf_init(&dir);
	if (source_cache_dir(o, &dir, err) < 0) {
		sbuf_free(&dir);
		return NULL;
	}
	sbuf_adds(cdir, dir.s);
	sbuf_adds(&dir, "/lookup");
	if (mkdir(dir.s, 0700) < 0 && errno != EEXIST) {
		sbuf_addf(err, "cannot create %s: %s", dir.s, strerror(errno));
		sbuf_free(&dir);
		return NULL;
	}
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	FILE *f = NULL;
	for (int seq = 0; seq < 1000 && !f; seq++) {
		sbuf_reset(path);
		sbuf_addf(path, "%s/%s-%s-%ld", dir.s, region, stamp, (long)getpid());
		if (seq)
			sbuf_addf(path, "-%d", seq);
		sbuf_adds(path, ".ndjson");
		int fd = open(path->s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			if (errno == EEXIST)
				continue;
			sbuf_addf(err, "cannot create %s: %s", path->s, strerror(errno));
			break;
		}
		f = fdopen(fd, "w");
		if (!f) {
			close(fd);
			sbuf_addf(err, "cannot open %s: %s", path->s, strerror(errno));
			break;
		}
	}
	if (!f && !err->len)
		sbuf_addf(err, "cannot create a file in %s", dir.s);
	sbuf_free(&dir);
	return f;
}

/* Global-service events (IAM, STS, sign-in, CloudFront) are recorded in us-east-1. */
static void global_hint(const char *spec, const char *region, const lookup_plan *p, FILE *w)
{
	static const char *const global[] = {
		"iam.amazonaws.com", "sts.amazonaws.com", "signin.amazonaws.com",
		"cloudfront.amazonaws.com",
	};
	if (strcmp(region, "us-east-1") == 0)
		return;
	for (size_t i = 0; i < p->n; i++) {
		if (!p->s[i].key || strcmp(p->s[i].key, "EventSource") != 0)
			continue;
		for (size_t j = 0; j < sizeof global / sizeof global[0]; j++)
			if (strcmp(p->s[i].value, global[j]) == 0) {
				fprintf(w, "trailguide: %s: %s events are global and recorded in "
					"us-east-1: read lookup://us-east-1 for them\n", spec, global[j]);
				return;
			}
	}
}

typedef struct fetch_state {
	const char *spec, *region;
	const char *dir;          /* the cache directory (the shared pacing state) */
	const source_opts *o;
	source_stats *st;
	FILE *f, *w;
	lookup_seen seen;
	sbuf lines;
	size_t events, bad;
	double t0;
	int64_t start_s, end_s;
} fetch_state;

static void report_progress(fetch_state *fs)
{
	if (!fs->o->progress)
		return;
	source_progress p = { 0 };
	p.phase = "paging";
	p.events = fs->events;
	p.files_total = 1;
	p.elapsed = now_mono() - fs->t0;
	fs->o->progress(&p, fs->o->progress_ud);
}

/* Page through one series. 0 done, 1 cancelled, -1 error (message in err). */
static int fetch_series(fetch_state *fs, const lookup_series *s, sbuf *err)
{
	aws_client *c = fs->o->aws;
	char *token = NULL;
	aws_resp r;
	aws_resp_init(&r);
	int rc = 0;
	for (;;) {
		char *body = lookup_request_body(s->key, s->value, fs->start_s, fs->end_s, token);
		aws_call call;
		source_json_call(&call, "cloudtrail", LOOKUP_TARGET, body);
		call.region = fs->region;
		call.no_retry = 1;
		int ok = -1;
		for (int attempt = 1; attempt <= LOOKUP_MAX_ATTEMPTS; attempt++) {
			nap(fs->o, bucket_wait(fs->dir, fs->region));
			if (cancelled(fs->o))
				break;
			aws_resp_reset(&r);
			fs->st->requests++;
			ok = aws_call_run(c, &call, &r);
			if (ok == 0)
				break;
			int kind = aws_retryable(&r);
			if (kind == 1)
				fs->st->throttled++;
			if (!kind || attempt == LOOKUP_MAX_ATTEMPTS)
				break;
			double back = aws_backoff_ms(attempt) / 1000.0;
			if (r.retry_after > back)
				back = r.retry_after;
			nap(fs->o, back);
		}
		if (ok != 0) {
			if (cancelled(fs->o))
				rc = 1;
			else {
				sbuf ex;
				sbuf_init(&ex);
				aws_explain(c, &call, &r, &ex);
				if (aws_retryable(&r))
					sbuf_addf(&ex, " (after %d tries)", LOOKUP_MAX_ATTEMPTS);
				esc_term(err, ex.s ? ex.s : "", ex.len);
				sbuf_free(&ex);
				rc = -1;
			}
			free(body);
			break;
		}
		free(body);
		free(token);
		token = NULL;
		sbuf_reset(&fs->lines);
		size_t added = 0;
		if (lookup_page_parse(r.body.s ? r.body.s : "", r.body.len, &fs->seen, &fs->lines,
				      &added, &fs->bad, &token) < 0) {
			sbuf_adds(err, "the answer to LookupEvents is not a LookupEvents response "
				       "(is AWS_ENDPOINT_URL_CLOUDTRAIL pointing at CloudTrail?)");
			rc = -1;
			break;
		}
		if (fs->lines.len && fwrite(fs->lines.s, 1, fs->lines.len, fs->f) != fs->lines.len) {
			sbuf_addf(err, "cannot write the events: %s", strerror(errno));
			rc = -1;
			break;
		}
		fs->events += added;
		report_progress(fs);
		if (!token)
			break;
		if (cancelled(fs->o)) {
			rc = 1;
			break;
		}
	}
	free(token);
	aws_resp_free(&r);
	return rc;
}

int source_lookup_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st)
{
	FILE *w = o->warn ? o->warn : stderr;
	source_stats dummy;
	if (!st)
		st = &dummy;
	memset(st, 0, sizeof *st);
	char region[64] = "";
	const char *r = spec + strlen("lookup://");
	size_t rn = strcspn(r, "/");
	if (r[rn] == '/' && r[rn + 1]) {
		fprintf(w, "trailguide: %s: expected lookup://REGION (e.g. lookup://us-east-1)\n",
			spec);
		return -1;
	}
	if (rn == 0 && o->aws && o->aws->region[0])
		snprintf(region, sizeof region, "%s", o->aws->region);
	else if (rn == 0 && o->aws) {
		/* a client set up without aws_client_init: the usual region order */
		aws_client tmp;
		aws_client_init(&tmp, o->aws->profile, NULL);
		snprintf(region, sizeof region, "%s", tmp.region);
		aws_client_free(&tmp);
	}
	else if (rn < sizeof region)
		snprintf(region, sizeof region, "%.*s", (int)rn, r);
	if (!region[0]) {
		fprintf(w, "trailguide: %s: no region: write lookup://REGION, or pass --region or "
			   "set AWS_REGION\n", spec);
		return -1;
	}
	if (!valid_region(region)) {
		sbuf e;
		sbuf_init(&e);
		esc_term(&e, region, strlen(region));
		fprintf(w, "trailguide: lookup://%s: not a region name: write lookup://REGION "
			   "(e.g. lookup://us-east-1)\n", e.s ? e.s : "");
		sbuf_free(&e);
		return -1;
	}
	if (!o->aws) {
		fprintf(w, "trailguide: %s: no AWS client\n", spec);
		return -1;
	}

	/* the window */
	int64_t now = o->now > 0 ? o->now : tgtime_now();
	int64_t until = o->until == TG_TIME_NONE || o->until > now ? now : o->until;
	int64_t since = o->since;
	if (since == TG_TIME_NONE) {
		static int said;
		since = until - DAY_MS;
		if (!said && !o->quiet)
			fprintf(w, "trailguide: %s: no --since: reading the last 24 hours "
				   "(LookupEvents keeps 90 days; --since 7d reads more)\n", spec);
		said = 1;
	}
	if (since < now - LOOKUP_DAYS * DAY_MS) {
		char d[16];
		ymd(since, d);
		fprintf(w, "trailguide: %s: LookupEvents keeps %d days of events; the window "
			   "starts %s, %lld days ago: narrow --since, or read the trail bucket "
			   "(s3://) or Athena (athena://) for older events\n", spec, LOOKUP_DAYS, d,
			(long long)((now - since) / DAY_MS));
		return -1;
	}
	if (since > until) {
		fprintf(w, "trailguide: %s: the window is empty (--since is after --until or "
			   "in the future)\n", spec);
		return -1;
	}

	lookup_plan plan;
	lookup_plan_make(o->queries, o->nqueries, &plan);
	lookup_plan_describe(&plan, st->pushdown, sizeof st->pushdown);
	if (!o->quiet)
		global_hint(spec, region, &plan, w);

	sbuf path, err, cdir;
	sbuf_init(&path);
	sbuf_init(&cdir);
	sbuf_init(&err);
	fetch_state fs = { 0 };
	fs.spec = spec;
	fs.region = region;
	fs.o = o;
	fs.st = st;
	fs.w = w;
	fs.t0 = now_mono();
	fs.start_s = since / 1000;
	fs.end_s = (until + 999) / 1000;
	sbuf_init(&fs.lines);
	fs.f = open_out(o, region, &cdir, &path, &err);
	fs.dir = cdir.s;
	int rc = fs.f ? 0 : -1;
	for (size_t i = 0; i < plan.n && rc == 0; i++)
		rc = fetch_series(&fs, &plan.s[i], &err);
	if (fs.f && fclose(fs.f) != 0 && rc >= 0) {
		sbuf_addf(&err, "cannot write %s: %s", path.s, strerror(errno));
		rc = -1;
	}
	st->rows = fs.events;
	int ret;
	if (rc == 0)
		ret = 0;
	else if (fs.events) {
		if (rc > 0)
			fprintf(w, "trailguide: %s: stopped after %zu events: the result is partial\n",
				spec, fs.events);
		else
			fprintf(w, "trailguide: %s: %s; kept the %zu events received before it: the "
				   "result is partial\n", spec, err.s ? err.s : "", fs.events);
		ret = 1;
	} else {
		if (rc > 0)
			fprintf(w, "trailguide: %s: stopped before any event arrived\n", spec);
		else
			fprintf(w, "trailguide: %s: %s\n", spec, err.s ? err.s : "");
		ret = -1;
	}
	if (ret >= 0 && fs.bad && !o->quiet)
		fprintf(w, "trailguide: %s: %zu events had no readable CloudTrailEvent document "
			   "and were passed over\n", spec, fs.bad);
	/* no events: no file (an empty file would only earn a warning from ingest) */
	if (ret >= 0 && fs.events)
		strvec_push(out, path.s);
	else if (path.len && fs.f)
		unlink(path.s);
	lookup_plan_free(&plan);
	lookup_seen_free(&fs.seen);
	sbuf_free(&fs.lines);
	sbuf_free(&path);
	sbuf_free(&cdir);
	sbuf_free(&err);
	return ret;
}

/* cli.c — what the headless subcommands share: options, loading sources, messages. */
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"
#include "query.h"
#include "source.h"
#include "store_cache.h"
#include "tgtime.h"

#ifndef TG_PKGDATADIR
#define TG_PKGDATADIR "/usr/local/share/trailguide"
#endif

void cli_opts_init(cli_opts *o)
{
	memset(o, 0, sizeof *o);
	o->since = o->until = TG_TIME_NONE;
	o->fmt = OUT_TABLE;
	o->progress = isatty(2);
}

void cli_opts_free(cli_opts *o)
{
	sbuf_free(&o->remote_msg);
}

int cli_aws_opt(cli_opts *o, int c, const char *arg)
{
	if (c == CLI_OPT_PROFILE)
		o->profile = arg;
	else if (c == CLI_OPT_REGION)
		o->region = arg;
	else if (c == CLI_OPT_NO_CACHE)
		o->no_cache = 1;
	else
		return 0;
	return 1;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_sample_dir(void)
{
	static char buf[PATH_MAX + 32];
	const char *env = getenv("TRAILGUIDE_SAMPLE");
	if (env && *env)
		return env;
	ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX);
	if (n > 0) {
		buf[n] = 0;
		char *slash = strrchr(buf, '/');
		if (slash) {
			strcpy(slash, "/samples/incident");
			if (is_dir(buf))
				return buf;
			/* an out-of-tree build: the source tree's samples, one level up */
			strcpy(slash, "/../samples/incident");
			if (is_dir(buf))
				return buf;
		}
	}
	snprintf(buf, sizeof buf, "%s/sample", TG_PKGDATADIR);
	if (is_dir(buf))
		return buf;
	return NULL;
}

static int user_time(const char *what, const char *s, int64_t now, int64_t *out)
{
	if (tgtime_user(s, strlen(s), now, out) == 0)
		return 0;
	fprintf(stderr,
		"trailguide: %s '%s' is not a time: use 2026-11-20, 2026-11-20T02:13Z, -24h, 7d "
		"or now\n",
		what, s);
	return -1;
}

int cli_resolve_times(cli_opts *o)
{
	o->now = tgtime_now();
	o->now_latest = 0;
	if (o->now_s) {
		if (strcmp(o->now_s, "latest") == 0)
			o->now_latest = 1;
		else if (user_time("--now", o->now_s, o->now, &o->now) < 0)
			return -1;
	}
	if (o->now_latest)
		return 0; /* since/until are resolved once the newest event is known */
	if (o->since_s && user_time("--since", o->since_s, o->now, &o->since) < 0)
		return -1;
	if (o->until_s && user_time("--until", o->until_s, o->now, &o->until) < 0)
		return -1;
	return 0;
}

/* The earliest time to load: the window's start less the query's lookback. */
static int64_t cli_load_from(const cli_opts *o)
{
	if (o->since == TG_TIME_NONE || o->lookback <= 0)
		return o->since;
	return o->since < INT64_MIN + 1 + o->lookback ? TG_TIME_NONE : o->since - o->lookback;
}

/* The console's loading panel (an ingest progress callback) fed from a remote fetch. */
struct remote_progress {
	const cli_opts *o;
	int drew;
};

static void remote_progress(const source_progress *p, void *ud)
{
	struct remote_progress *rp = ud;
	ingest_progress ip = { p->files_done, p->files_total, p->events, p->bytes, p->elapsed };
	if (rp->o->on_progress) {
		rp->o->on_progress(&ip, NULL);
		return;
	}
	fprintf(stderr, "\r\033[K%s: %zu/%zu files  %.1f MB  %zu events  %.1f s", p->phase,
		p->files_done, p->files_total, (double)p->bytes / 1e6, p->events, p->elapsed);
	fflush(stderr);
	rp->drew = 1;
}

/* Fetch the remote sources among paths into local files; every path (local ones as they
 * are) ends up in out, in order. Failures are counted in o and described in remote_msg. */
static void fetch_remote(char **paths, int npaths, cli_opts *o, strvec *out,
			 ingest_stats *st)
{
	aws_client aws;
	int have_aws = 0;
	for (int i = 0; i < npaths; i++) {
		if (source_kind_of(paths[i]) == SRC_LOCAL) {
			strvec_push(out, paths[i]);
			continue;
		}
		if (!have_aws) {
			aws_client_init(&aws, o->profile, o->region);
			have_aws = 1;
		}
		char *mbuf = NULL;
		size_t mlen = 0;
		FILE *msg = open_memstream(&mbuf, &mlen);
		struct remote_progress rp = { o, 0 };
		source_opts so = { 0 };
		so.since = cli_load_from(o);
		so.until = o->until;
		so.now = o->now;
		so.queries = o->queries;
		so.nqueries = o->nqueries;
		so.aws = &aws;
		so.warn = msg ? msg : stderr;
		so.notice = o->warn ? o->warn : stderr;
		so.strict = o->strict;
		so.quiet = o->quiet;
		if (o->on_progress || (o->progress && !o->quiet)) {
			so.progress = remote_progress;
			so.progress_ud = &rp;
		}
		aws.warn = so.warn;
		source_stats ss = { 0 };
		int rc = source_fetch(paths[i], &so, out, &ss);
		if (rp.drew)
			progress_clear();
		if (msg) {
			fclose(msg);
			if (mlen) {
				fputs(mbuf, o->warn ? o->warn : stderr);
				if (rc != 0)
					sbuf_add(&o->remote_msg, mbuf, mlen);
			}
			free(mbuf);
		}
		if (rc < 0) {
			o->remote_failed++;
			st->warnings++;
		} else if (rc > 0) {
			o->remote_partial++;
			st->warnings++;
		}
		if (!o->quiet && rc >= 0) {
			FILE *w = o->warn ? o->warn : stderr;
			if (ss.listed || ss.fetched || ss.cached)
				fprintf(w, "trailguide: %s: %zu objects (%zu fetched, %zu from the cache"
					"%s%zu failed), %.1f MB%s%s\n", paths[i], ss.fetched + ss.cached,
					ss.fetched, ss.cached, ", ", ss.failed, (double)ss.bytes / 1e6,
					ss.pushdown[0] ? "; " : "", ss.pushdown);
			else
				fprintf(w, "trailguide: %s: %zu events in %zu requests%s%s%s\n",
					paths[i], ss.rows, ss.requests, ss.pushdown[0] ? " (" : "",
					ss.pushdown, ss.pushdown[0] ? ")" : "");
		}
	}
	if (have_aws)
		aws_client_free(&aws);
}

int cli_remote_table(char *path, struct query *q, cli_opts *o, struct result **r)
{
	aws_client aws;
	aws_client_init(&aws, o->profile, o->region);
	struct remote_progress rp = { o, 0 };
	source_opts so = { 0 };
	so.since = o->since;
	so.until = o->until;
	so.now = o->now;
	so.queries = &q;
	so.nqueries = 1;
	so.aws = &aws;
	so.warn = o->warn ? o->warn : stderr;
	so.quiet = o->quiet;
	if (o->on_progress || (o->progress && !o->quiet)) {
		so.progress = remote_progress;
		so.progress_ud = &rp;
	}
	aws.warn = so.warn;
	source_stats ss = { 0 };
	int rc = source_athena_table(path, &so, q, r, &ss);
	if (rp.drew)
		progress_clear();
	if (rc > 0 && !o->quiet)
		fprintf(so.warn, "trailguide: %s: %zu rows in %zu requests (%s)\n", path, ss.rows,
			ss.requests, ss.pushdown);
	aws_client_free(&aws);
	return rc;
}

int cli_load(store *s, char **paths, int npaths, cli_opts *o, ingest_stats *st)
{
	char *sample[1];
	if (npaths == 0) {
		const char *d = cli_sample_dir();
		if (!d) {
			fprintf(stderr, "trailguide: no source given and the bundled sample incident "
					"was not found (set TRAILGUIDE_SAMPLE)\n");
			return EXIT_USAGE;
		}
		sample[0] = (char *)d;
		paths = sample;
		npaths = 1;
		if (!o->now_s) /* the sample is a fixed past: relative times count from its end */
			o->now_latest = 1;
	}
	ingest_opts io;
	ingest_opts_init(&io);
	io.since = o->now_latest ? TG_TIME_NONE : cli_load_from(o);
	io.until = o->now_latest ? TG_TIME_NONE : o->until;
	io.threads = o->threads;
	io.hash_files = o->hash_files;
	if (o->warn)
		io.warn = o->warn;
	if (o->on_progress)
		io.progress = o->on_progress;
	else if (o->progress && !o->quiet)
		io.progress = progress_draw;
	memset(st, 0, sizeof *st);
	strvec local = { 0 };
	fetch_remote(paths, npaths, o, &local, st);
	size_t remote_warnings = st->warnings;
	o->cached = 0;
	int rc = local.n ? store_cache_ingest(s, local.v, (int)local.n, &io, st, !o->no_cache,
					      o->quiet ? NULL : o->warn ? o->warn : stderr,
					      &o->cached)
			 : 0;
	st->warnings += remote_warnings;
	strvec_free(&local);
	if (io.progress == progress_draw)
		progress_clear();
	if (o->now_latest) {
		o->now = s->n ? s->tmax : tgtime_now();
		if (o->since_s && user_time("--since", o->since_s, o->now, &o->since) < 0)
			return EXIT_USAGE;
		if (o->until_s && user_time("--until", o->until_s, o->now, &o->until) < 0)
			return EXIT_USAGE;
		size_t before = s->n;
		store_keep_window(s, cli_load_from(o), o->until);
		st->skipped[SKIP_WINDOW] += before - s->n;
		st->events = s->n;
	}
	if (!o->quiet) {
		sbuf b;
		sbuf_init(&b);
		ingest_summary(st, &b);
		fprintf(stderr, "trailguide: %s%s\n", b.s, o->cached ? " (cached)" : "");
		sbuf_free(&b);
	}
	if (rc < 0 || o->remote_failed)
		return EXIT_USAGE;
	if (o->strict && st->warnings) {
		fprintf(stderr, "trailguide: --strict: %zu warning%s while loading\n", st->warnings,
			st->warnings == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

double cli_peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

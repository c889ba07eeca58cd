/* cli.h — what the headless subcommands share: options, loading sources, messages. */
#ifndef TG_CLI_H
#define TG_CLI_H

#include <stdint.h>
#include "ingest.h"
#include "output.h"
#include "store.h"

/* Exit codes, documented in trailguide(1). */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

typedef struct cli_opts {
	const char *since_s, *until_s, *now_s;
	int64_t now;            /* resolved "now" for relative times */
	int now_latest;         /* --now latest: the newest loaded event */
	int64_t since, until;   /* resolved window, TG_TIME_NONE when open */
	int64_t lookback;       /* ms before since to load too (a query's baseline, see
				   query_lookback); the caller clips to the window itself */
	enum out_format fmt;
	int strict, quiet, timing, threads;
	int progress;           /* draw a progress bar (stderr is a terminal) */
	int hash_files;         /* SHA-256 every file read (a case journals them) */
	int no_cache;           /* --no-cache: neither read nor write the load cache */
	int cached;             /* out: the load came from the load cache (store_cache.h) */
	/* Instead of the stderr bar: a progress callback (the console's loading panel). */
	void (*on_progress)(const ingest_progress *p, void *ud);
	FILE *warn;             /* where load warnings go; NULL = stderr */
	/* Remote sources (s3://, lookup://, athena://, lake://): see source.h. */
	const char *profile, *region;  /* --profile, --region */
	struct query *const *queries;  /* what the data is for, pushed down where possible */
	int nqueries;
	int remote_failed;      /* out: remote sources that delivered nothing */
	int remote_partial;     /* out: remote sources that delivered part of the data */
	sbuf remote_msg;        /* out: their messages (the console shows the first) */
} cli_opts;

void cli_opts_init(cli_opts *o);
void cli_opts_free(cli_opts *o);

/* The bundled sample incident: $TRAILGUIDE_SAMPLE, then the installed copy, then
 * samples/incident beside the executable (a build tree). NULL if none is found. */
const char *cli_sample_dir(void);

/* Resolve --now/--since/--until (before loading). 0, or -1 after printing the error. */
int cli_resolve_times(cli_opts *o);

/* Load the sources (the bundled sample when there are none) into s, printing warnings,
 * the progress bar and the summary line. Remote sources are fetched first (source.h) into
 * local files. Returns EXIT_OK, or EXIT_USAGE when a path is missing, a remote source
 * delivered nothing (o->remote_failed; what the other sources gave is still loaded) or
 * --strict saw a warning (a partial remote source counts as one). */
int cli_load(store *s, char **paths, int npaths, cli_opts *o, ingest_stats *st);
/* A stats query over one athena:// source computed by Athena when its whole pipeline
 * compiles to SQL (source_athena_table): 1 with the table in *r, 0 when it does not fit,
 * -1 failed (message printed). */
struct query;
struct result;
int cli_remote_table(char *path, struct query *q, cli_opts *o, struct result **r);

/* Peak resident set size in MB, for --timing. */
double cli_peak_rss_mb(void);

int cmd_query(int argc, char **argv);
int cmd_lint(int argc, char **argv);     /* cmd_lint.c */
int cmd_runbooks(int argc, char **argv); /* cmd_runbooks.c */
int cmd_run(int argc, char **argv);      /* cmd_run.c */
int cmd_journal(int argc, char **argv);  /* cmd_journal.c: journal verify|show CASE */
int cmd_report(int argc, char **argv);   /* cmd_report.c: report CASE */
int cmd_case(int argc, char **argv);     /* cmd_case.c: case list|mark|note */
int cmd_sql(int argc, char **argv);      /* cmd_sql.c: sql QUERY|RUNBOOK --dialect */
int cmd_sigma(int argc, char **argv);    /* cmd_sigma.c: sigma RULES [--run SOURCE...] */
int cmd_whoami(int argc, char **argv);   /* cmd_whoami.c: credentials, region, endpoints */

/* The options every loading command shares: --profile and --region for remote sources,
 * --no-cache for the load cache. Returns 1 if c (a getopt_long result for CLI_OPT_PROFILE,
 * CLI_OPT_REGION or CLI_OPT_NO_CACHE) was one. */
enum { CLI_OPT_PROFILE = 0x1001, CLI_OPT_REGION = 0x1002, CLI_OPT_NO_CACHE = 0x1003 };
int cli_aws_opt(cli_opts *o, int c, const char *arg);

#endif

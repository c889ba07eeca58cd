/* cmd_sql.c — `trailguide sql`: a query or a runbook's steps as Athena or Lake SQL. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "query.h"
#include "runbook_lib.h"
#include "sql.h"
#include "tgtime.h"

static const char usage[] =
	"usage: trailguide sql [OPTION]... QUERY|RUNBOOK --dialect athena|lake\n"
	"Print QUERY (or each step of RUNBOOK: an id in the runbook search path or a .md file)\n"
	"as SQL for Amazon Athena over the CloudTrail table, or for CloudTrail Lake. What SQL\n"
	"cannot express is listed in `-- finished locally:` comments; the WHERE clause then\n"
	"selects a superset of the matching events.\n"
	"\n"
	"  -d, --dialect D    athena or lake (required)\n"
	"  -t, --table T      Athena: [catalog.]database.table (default cloudtrail_logs);\n"
	"                     Lake: the event data store id (default EVENT_DATA_STORE_ID)\n"
	"      --since T      window start (2026-11-20, 2026-11-20T02:13Z, -24h); without it\n"
	"                     the whole table is scanned\n"
	"      --until T      window end\n"
	"      --now T        the time relative times count back from (default: now)\n"
	"      --partition P  Athena partition columns (default none: the table the\n"
	"                     CloudTrail console creates has none). timestamp: the\n"
	"                     partition-projection table (yyyy/MM/dd, the window a day\n"
	"                     wider); account,region,timestamp: the organization trail's\n"
	"                     table, pruned by the query's account and region values;\n"
	"                     ROLE:COLUMN (account, region, date) for other names\n"
	"      --events       the statement athena:// and lake:// run: the filter only,\n"
	"                     selecting the columns that rebuild each event\n"
	"      --runbooks DIR look for runbooks in DIR first (repeatable)\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 success, 2 usage error or bad query.\n";

/* One comment line, with anything that could end the comment replaced. */
static void comment(const char *prefix, const char *s, size_t n)
{
	fputs(prefix, stdout);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		putchar(c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
	putchar('\n');
}

static void notes(const sbuf *local)
{
	for (const char *p = local->s; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		comment("-- finished locally: ", p, n);
		p += n + (e ? 1 : 0);
	}
}

/* Print one query's statement. 0, or 2 on a bad query. */
static int one(const char *text, const char *where, sql_opts o, int quiet_window)
{
	qerr qe;
	query *q = query_parse(text, &qe);
	if (!q) {
		sbuf m;
		sbuf_init(&m);
		query_err_format(text, &qe, &m);
		fprintf(stderr, "trailguide sql: %s: bad query:\n%s", where, m.s ? m.s : "");
		sbuf_free(&m);
		return EXIT_USAGE;
	}
	int64_t lb = query_lookback(q);
	if (lb > 0 && o.since != TG_TIME_NONE) {
		char buf[40];
		o.since -= lb;
		tgtime_format(o.since, buf);
		printf("-- window starts at %s: the baseline before --since is read too\n", buf);
	}
	if (o.since == TG_TIME_NONE && o.until == TG_TIME_NONE && !quiet_window)
		puts("-- warning: no time bound: the whole table is scanned");
	sbuf out, err;
	sql_info info;
	sbuf_init(&out);
	sbuf_init(&err);
	sql_info_init(&info);
	int rc = sql_compile(q, &o, &out, &info, &err);
	if (rc < 0) {
		fprintf(stderr, "trailguide sql: --table: %s\n", err.s ? err.s : "");
		rc = EXIT_USAGE;
	} else {
		notes(&info.local);
		printf("%s;\n", out.s);
	}
	sql_info_free(&info);
	sbuf_free(&out);
	sbuf_free(&err);
	query_free(&q);
	return rc;
}

static const runbook *find_rb(const char *arg, char **extra, int nextra, rblib **lib,
			      runbook **own)
{
	struct stat st;
	size_t n = strlen(arg);
	if (n > 3 && strcmp(arg + n - 3, ".md") == 0 && stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		sbuf diag;
		sbuf_init(&diag);
		*own = runbook_load(arg, &diag);
		if (!*own)
			fputs(diag.s ? diag.s : "", stderr);
		sbuf_free(&diag);
		return *own;
	}
	if (strchr(arg, ' ') || strchr(arg, '=') || !strchr(arg, '/'))
		return NULL; /* a query, not an id (ids are folder/name) */
	char **dirs = NULL;
	int nd = rblib_search_path(extra, nextra, &dirs);
	sbuf diag, shadow;
	sbuf_init(&diag);
	sbuf_init(&shadow);
	*lib = rblib_load(dirs, nd, &diag, &shadow);
	sbuf_free(&diag);
	sbuf_free(&shadow);
	rblib_dirs_free(dirs);
	return rblib_find(*lib, arg);
}

int cmd_sql(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"dialect", required_argument, NULL, 'd'}, {"table", required_argument, NULL, 't'},
		{"since", required_argument, NULL, 'S'},   {"until", required_argument, NULL, 'U'},
		{"now", required_argument, NULL, 'N'},     {"events", no_argument, NULL, 'E'},
		{"runbooks", required_argument, NULL, 'R'}, {"help", no_argument, NULL, 'h'},
		{"partition", required_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
	};
	cli_opts co;
	cli_opts_init(&co);
	sql_opts o = {SQL_ATHENA, SQL_DISPLAY, NULL, TG_TIME_NONE, TG_TIME_NONE, 0, NULL, 0};
	int have_dialect = 0, c, rc = EXIT_OK;
	char *extra[32];
	int nextra = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (strcmp(optarg, "athena") == 0)
				o.dialect = SQL_ATHENA;
			else if (strcmp(optarg, "lake") == 0)
				o.dialect = SQL_LAKE;
			else {
				fprintf(stderr, "trailguide sql: --dialect '%s': use athena or lake\n",
					optarg);
				cli_opts_free(&co);
				return EXIT_USAGE;
			}
			have_dialect = 1;
			break;
		case 't': o.table = optarg; break;
		case 'S': co.since_s = optarg; break;
		case 'U': co.until_s = optarg; break;
		case 'N': co.now_s = optarg; break;
		case 'E': o.mode = SQL_EVENTS; break;
		case 'P': o.partition = optarg; break;
		case 'R':
			if (!rblib_is_dir(optarg) || nextra >= 32) {
				fprintf(stderr, "trailguide sql: --runbooks %s: no such directory\n", optarg);
				cli_opts_free(&co);
				return EXIT_USAGE;
			}
			extra[nextra++] = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			cli_opts_free(&co);
			return EXIT_OK;
		default:
			fputs(usage, stderr);
			cli_opts_free(&co);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc || !have_dialect) {
		fprintf(stderr, "trailguide sql: %s\n%s", optind >= argc ? "no QUERY or RUNBOOK given"
			: "--dialect athena|lake is required", usage);
		cli_opts_free(&co);
		return EXIT_USAGE;
	}
	if ((co.now_s && strcmp(co.now_s, "latest") == 0) || cli_resolve_times(&co) < 0) {
		if (co.now_s && strcmp(co.now_s, "latest") == 0)
			fprintf(stderr, "trailguide sql: --now latest needs loaded events: give a time\n");
		cli_opts_free(&co);
		return EXIT_USAGE;
	}
	o.since = co.since;
	o.until = co.until;
	o.now = co.now;
	const char *arg = argv[optind];
	rblib *lib = NULL;
	runbook *own = NULL;
	const runbook *rb = find_rb(arg, extra, nextra, &lib, &own);
	if (!rb && strlen(arg) > 3 && strcmp(arg + strlen(arg) - 3, ".md") == 0) {
		fprintf(stderr, "trailguide sql: %s: cannot read the runbook\n", arg);
		rc = EXIT_USAGE;
	} else if (!rb && lib) { /* looked like a runbook id: say so unless it is a query */
		qerr qe;
		query *q = query_parse(arg, &qe);
		if (q) {
			query_free(&q);
			rc = one(arg, "QUERY", o, 0);
		} else {
			fprintf(stderr, "trailguide sql: no runbook '%s' in the search path and not a "
					"query either; see `trailguide runbooks`\n", arg);
			rc = EXIT_USAGE;
		}
	} else if (!rb) {
		rc = one(arg, "QUERY", o, 0);
	} else {
		comment("-- runbook: ", rb->id, strlen(rb->id));
		if (rb->title)
			comment("-- ", rb->title, strlen(rb->title));
		if (o.since == TG_TIME_NONE && o.until == TG_TIME_NONE)
			puts("-- warning: no time bound: the whole table is scanned");
		for (int i = 0; i < rb->nsteps; i++) {
			const rb_step *st = &rb->steps[i];
			char pre[32];
			snprintf(pre, sizeof pre, "\n-- step %d: ", i + 1);
			comment(pre, st->title ? st->title : "", st->title ? strlen(st->title) : 0);
			if (!st->query) {
				puts("-- (no query)");
				continue;
			}
			char where[64];
			snprintf(where, sizeof where, "step %d", i + 1);
			int r = one(st->query, where, o, 1);
			if (r)
				rc = r;
		}
	}
	runbook_free(&own);
	rblib_free(&lib);
	cli_opts_free(&co);
	return rc;
}

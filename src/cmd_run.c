/* cmd_run.c — `trailguide run`: every step of a runbook over local sources, headless. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case.h"
#include "cli.h"
#include "lists.h"
#include "notify.h"
#include "query.h"
#include "run_output.h"
#include "run_state.h"
#include "runbook_lib.h"
#include "session.h"
#include "tgtime.h"

static const char usage[] =
	"usage: trailguide run [OPTION]... RUNBOOK [SOURCE]...\n"
	"Run every step of RUNBOOK (an id from the search path, or a file) over CloudTrail\n"
	"files, directories or globs (the bundled sample incident when no SOURCE is given),\n"
	"or s3://, lookup://, athena:// and lake:// sources (every step's query pushed down).\n"
	"\n"
	"  -f, --format FMT      table (default), json, ndjson, csv or md (a Markdown report)\n"
	"      --since T         the window's start (default: the runbook's window back from\n"
	"                        --now)\n"
	"      --until T         the window's end (default: --now when the runbook's window is\n"
	"                        used, else open)\n"
	"      --now T           the time relative times count back from; 'latest' means the\n"
	"                        newest loaded event (the default for the bundled sample)\n"
	"      --fail-on-findings  exit 1 when a findings step returned new rows\n"
	"      --notify URL      POST new findings as JSON to URL (Slack-compatible)\n"
	"      --state FILE      remember reported findings in FILE; report only new ones\n"
	"      --runbooks DIR    search DIR first for runbooks and lists (repeatable)\n"
	"      --case DIR        journal the run in the case directory DIR (created if new)\n"
	"      --case-id ID      the same for the case ID under ~/.local/share/trailguide/cases\n"
	"      --new-case        journal into a new case named DATE-RUNBOOK (printed)\n"
	"      --journal-key FILE  sign the journal with the HMAC key in FILE\n"
	"      --strict          treat any warning about the input as an error (exit 2)\n"
	"  -j, --threads N       load with N threads (default: one per CPU)\n"
	"  -q, --quiet           no summary lines or progress bar on stderr\n"
	"      --no-cache        neither read nor write the load cache (see trailguide(1))\n"
	"      --profile P       AWS profile for remote sources (else AWS_PROFILE, default)\n"
	"      --region R        AWS region for remote sources (else AWS_REGION, the profile)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 success, 1 new findings (with --fail-on-findings), 2 usage error, bad\n"
	"runbook, missing source, unreadable --state file, a step that failed, or an action\n"
	"the case journal could not record. A failed --notify is reported on stderr and does\n"
	"not change the status. See trailguide-runbook(5).\n";

struct run_opts {
	const char *notify, *state, *since_s, *until_s;
	int fail_on_findings, fmt;
	case_opts co;
	char **extra;
	int nextra;
};

static int parse_opts(int argc, char **argv, cli_opts *o, struct run_opts *ro)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "now", required_argument, NULL, 'N' },
		{ "fail-on-findings", no_argument, NULL, 'F' },
		{ "notify", required_argument, NULL, 'n' },
		{ "state", required_argument, NULL, 't' },
		{ "runbooks", required_argument, NULL, 'R' },
		{ "case", required_argument, NULL, 'C' },
		{ "case-id", required_argument, NULL, 'I' },
		{ "new-case", no_argument, NULL, 'W' },
		{ "journal-key", required_argument, NULL, 'K' },
		{ "strict", no_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "profile", required_argument, NULL, CLI_OPT_PROFILE },
		{ "region", required_argument, NULL, CLI_OPT_REGION },
		{ "no-cache", no_argument, NULL, CLI_OPT_NO_CACHE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			ro->fmt = run_format_parse(optarg);
			if (ro->fmt < 0) {
				fprintf(stderr, "trailguide: --format '%s': use table, json, ndjson, csv "
						"or md\n", optarg);
				return -1;
			}
			break;
		case 'S': ro->since_s = optarg; break;
		case 'U': ro->until_s = optarg; break;
		case 'N': o->now_s = optarg; break;
		case 'F': ro->fail_on_findings = 1; break;
		case 'n': ro->notify = optarg; break;
		case 't': ro->state = optarg; break;
		case 'R':
			if (!rblib_is_dir(optarg)) {
				fprintf(stderr, "trailguide run: --runbooks %s: no such directory\n",
					optarg);
				return -1;
			}
			ro->extra[ro->nextra++] = optarg;
			break;
		case 'C': ro->co.dir = optarg; break;
		case 'I': ro->co.id = optarg; break;
		case 'W': ro->co.new_case = 1; break;
		case 'K': ro->co.key_file = optarg; break;
		case 's': o->strict = 1; break;
		case 'j': o->threads = atoi(optarg); break;
		case 'q': o->quiet = 1; break;
		case 'h': fputs(usage, stdout); return 1;
		default:
			if (cli_aws_opt(o, c, optarg))
				break;
			fputs(usage, stderr);
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "trailguide run: no RUNBOOK given\n%s", usage);
		return -1;
	}
	return 0;
}

/* Leave out the findings --state has already reported; note every row's identity. */
static void filter_state(run_step *st, store *s, const run_state *state, const char *id)
{
	result *r = st->r;
	size_t n = r->is_table ? r->nrows : r->n, k = 0;
	st->total = n;
	st->keys = xcalloc(n + 1, sizeof *st->keys);
	for (size_t i = 0; i < n; i++) {
		char *key = run_row_key(s, r, i);
		if (state && st->step->kind == RB_FINDINGS &&
		    run_state_has(state, id, st->step->title, key)) {
			free(key);
			st->seen++;
			if (r->is_table)
				for (int c = 0; c < r->ncols; c++)
					free(r->cells[i * (size_t)r->ncols + (size_t)c]);
			continue;
		}
		if (r->is_table)
			memmove(r->cells + k * (size_t)r->ncols, r->cells + i * (size_t)r->ncols,
				(size_t)r->ncols * sizeof *r->cells);
		else
			r->idx[k] = r->idx[i];
		st->keys[k++] = key;
	}
	if (r->is_table)
		r->nrows = k;
	else
		r->n = k;
}

/* Run every step; rows into rep, each run journaled in cs (when not NULL) before --state
 * filters it. Returns the number of steps that failed. */
static int run_steps(run_report *rep, query **qs, const qctx *ctx, const run_state *state,
		     tgcase *cs)
{
	int failed = 0;
	for (int i = 0; i < rep->nsteps; i++) {
		run_step *st = &rep->steps[i];
		qerr e;
		st->r = query_run(qs[i], rep->s, ctx, &e);
		if (!st->r) {
			int line = st->step->query_line, col = 1;
			if (e.col >= 0)
				runbook_query_pos(st->step, e.col, &line, &col);
			sbuf d;
			sbuf_init(&d);
			runbook_diag(&d, rep->rb->path, line, col, "error", "query failed: %s", e.msg);
			fputs(d.s, stderr);
			sbuf_free(&d);
			st->error = xstrdup(e.msg);
			if (cs)
				case_record_step(cs, st->step, i, rep->s, NULL, ctx, e.msg);
			failed++;
			continue;
		}
		if (cs)
			case_record_step(cs, st->step, i, rep->s, st->r, ctx, NULL);
		filter_state(st, rep->s, state, rep->rb->id);
	}
	return failed;
}

static int remember(const run_report *rep, run_state *state, const char *path)
{
	int64_t now = tgtime_now();
	for (int i = 0; i < rep->nsteps; i++) {
		const run_step *st = &rep->steps[i];
		if (st->step->kind != RB_FINDINGS || !st->r)
			continue;
		size_t n = st->r->is_table ? st->r->nrows : st->r->n;
		for (size_t k = 0; k < n; k++)
			run_state_add(state, rep->rb->id, st->step->title, st->keys[k], now);
	}
	char msg[512];
	if (run_state_save(state, path, msg, sizeof msg) < 0) {
		fprintf(stderr, "trailguide: --state %s: %s\n", path, msg);
		return -1;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	tg_session ss;
	session_init(&ss);
	cli_opts *o = &ss.o;
	struct run_opts ro = { .fmt = OUT_TABLE };
	ro.extra = xcalloc((size_t)argc + 1, sizeof *ro.extra);
	int p = parse_opts(argc, argv, o, &ro);
	if (p != 0) {
		free(ro.extra);
		session_free(&ss);
		return p > 0 ? EXIT_OK : EXIT_USAGE;
	}
	const char *arg = argv[optind++];
	ss.extra = ro.extra;
	ss.nextra = ro.nextra;
	ss.co = ro.co;
	o->since_s = ro.since_s;
	o->until_s = ro.until_s;
	int rc = EXIT_OK;
	run_state *state = NULL;
	size_t nf = 0;
	run_report rep = { 0 };
	char msg[512];
	if (session_runbook(&ss, arg) < 0)
		goto fail;
	runbook *rb = ss.rb;
	rep.rb = rb;
	if (ro.state && !(state = run_state_load(ro.state, msg, sizeof msg))) {
		fprintf(stderr, "trailguide: --state %s: %s\n", ro.state, msg);
		goto fail;
	}
	/* the window: --since/--until, else the runbook's window back from --now; the case */
	if (session_begin(&ss, "run") < 0)
		goto fail;
	rc = session_load(&ss, argv + optind, argc - optind);
	if (rc != EXIT_OK)
		goto out;
	session_field_warnings(&ss, stderr);
	rep.s = ss.s;
	rep.since = o->since;
	rep.until = o->until;
	rep.nsteps = rb->nsteps;
	rep.steps = xcalloc((size_t)rb->nsteps + 1, sizeof *rep.steps);
	for (int i = 0; i < rb->nsteps; i++)
		rep.steps[i].step = &rb->steps[i];
	int failed = run_steps(&rep, ss.qs, &ss.ctx, state, ss.cs);
	if (run_output(stdout, &rep, ro.fmt, msg, sizeof msg) < 0) {
		fprintf(stderr, "trailguide: %s\n", msg);
		failed++;
	}
	fflush(stdout);
	nf = run_findings(&rep);
	int delivered = 1;
	if (ro.notify && nf) {
		sbuf body;
		sbuf_init(&body);
		run_notify_body(&rep, &body);
		delivered = notify_post(ro.notify, body.s, body.len) == 0;
		sbuf_free(&body);
	}
	/* an undelivered alert is not remembered, so the next run sends it again */
	if (state && delivered && remember(&rep, state, ro.state) < 0)
		failed++;
	if (!o->quiet)
		fprintf(stderr, "trailguide: %d step%s, %zu new finding%s%s%s\n", rb->nsteps,
			rb->nsteps == 1 ? "" : "s", nf, nf == 1 ? "" : "s",
			ro.notify && nf ? (delivered ? ", notified" : ", NOT notified") : "",
			failed ? ", some steps failed" : "");
	rc = failed ? EXIT_USAGE : (ro.fail_on_findings && nf ? EXIT_FINDINGS : EXIT_OK);
	goto out;
fail:
	rc = EXIT_USAGE;
out:
	if (ss.cs) {
		tgcase *cs = ss.cs;
		case_record_close(cs, rc, nf);
		if (cs->failed)
			rc = EXIT_USAGE;
		else if (!o->quiet || ro.co.new_case)
			fprintf(stderr, "trailguide: case %s: %llu journal entries (%s)\n", cs->id,
				(unsigned long long)journal_count(cs->j), cs->dir);
		case_close(&ss.cs);
	}
	for (int i = 0; i < rep.nsteps; i++) {
		run_step *st = &rep.steps[i];
		size_t n = st->r ? (st->r->is_table ? st->r->nrows : st->r->n) : 0;
		for (size_t k = 0; st->keys && k < n; k++)
			free(st->keys[k]);
		free(st->keys);
		free(st->error);
		result_free(&st->r);
	}
	free(rep.steps);
	run_state_free(&state);
	session_free(&ss);
	free(ro.extra);
	return rc;
}

/* cmd_query.c — `trailguide query`: one query over local sources, printed headless. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "cli.h"
#include "query.h"
#include "session.h"

static const char usage[] =
	"usage: trailguide query [OPTION]... 'QUERY' [SOURCE]...\n"
	"Run QUERY over CloudTrail files, directories or globs (the bundled sample incident\n"
	"when no SOURCE is given, said on stderr; - reads standard input) and print the\n"
	"matching events or the stats table. A SOURCE may also be s3://BUCKET/PREFIX,\n"
	"lookup://REGION, athena://WORKGROUP/DB.TABLE or lake://EVENT_DATA_STORE: the query\n"
	"is pushed down where it can be (see trailguide(1)); a stats ... by query over one\n"
	"athena:// source that compiles whole is computed by Athena (GROUP BY).\n"
	"\n"
	"  -f, --format FMT   table (default), json, ndjson or csv; ndjson without a stats\n"
	"                     stage prints each matching event as one line of JSON\n"
	"      --since T      only events at or after T (2026-11-20, 2026-11-20T02:13Z, -24h, 7d)\n"
	"      --until T      only events at or before T\n"
	"      --now T        the time relative times count back from; 'latest' means the\n"
	"                     newest loaded event (the default for the bundled sample)\n"
	"      --strict       treat any warning about the input as an error (exit 2); an\n"
	"                     s3:// source without --since is refused (else a warning\n"
	"                     says how much of the bucket will be read)\n"
	"  -j, --threads N    load with N threads (default: one per CPU)\n"
	"  -q, --quiet        no summary line or progress bar on stderr\n"
	"      --no-cache     neither read nor write the load cache (see trailguide(1))\n"
	"      --timing       print load and query timings and peak memory on stderr\n"
	"      --runbooks DIR search DIR first for @lists (repeatable; as for run)\n"
	"      --case DIR     journal the query in the case directory DIR (created if new)\n"
	"      --case-id ID   the same for the case ID under ~/.local/share/trailguide/cases\n"
	"      --new-case     journal into a new case named DATE-query (printed)\n"
	"      --journal-key FILE  sign the journal with the HMAC key in FILE\n"
	"      --profile P    AWS profile for remote sources (else AWS_PROFILE, default)\n"
	"      --region R     AWS region for remote sources (else AWS_REGION, the profile)\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 success, 2 usage error, bad query, missing source, an action the case\n"
	"journal could not record, or (with --strict) any problem in the input. The language\n"
	"is described in trailguide-query(7).\n";

/* Journal the close, say where the case is, and unlock it; the exit status. */
static int query_case_end(tgcase **cs, int rc, int quiet)
{
	if (!*cs)
		return rc;
	case_record_close(*cs, rc, 0);
	if ((*cs)->failed)
		rc = EXIT_USAGE;
	else if (!quiet)
		fprintf(stderr, "trailguide: case %s: %llu journal entries (%s)\n", (*cs)->id,
			(unsigned long long)journal_count((*cs)->j), (*cs)->dir);
	case_close(cs);
	return rc;
}

int cmd_query(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "now", required_argument, NULL, 'N' },
		{ "strict", no_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "timing", no_argument, NULL, 'T' },
		{ "runbooks", required_argument, NULL, 'R' },
		{ "case", required_argument, NULL, 'C' },
		{ "case-id", required_argument, NULL, 'I' },
		{ "new-case", no_argument, NULL, 'W' },
		{ "journal-key", required_argument, NULL, 'K' },
		{ "profile", required_argument, NULL, CLI_OPT_PROFILE },
		{ "region", required_argument, NULL, CLI_OPT_REGION },
		{ "no-cache", no_argument, NULL, CLI_OPT_NO_CACHE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	tg_session ss;
	session_init(&ss);
	cli_opts *o = &ss.o;
	case_opts *co = &ss.co;
	char **extra = xcalloc((size_t)argc + 1, sizeof *extra);
	ss.extra = extra;
	int c, rc = EXIT_USAGE;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': {
			int f = output_format_parse(optarg);
			if (f < 0) {
				fprintf(stderr, "trailguide: --format '%s': use table, json, ndjson or csv\n",
					optarg);
				goto out;
			}
			o->fmt = (enum out_format)f;
			break;
		}
		case 'S': o->since_s = optarg; break;
		case 'U': o->until_s = optarg; break;
		case 'N': o->now_s = optarg; break;
		case 's': o->strict = 1; break;
		case 'j': o->threads = atoi(optarg); break;
		case 'q': o->quiet = 1; break;
		case 'T': o->timing = 1; break;
		case 'R': extra[ss.nextra++] = optarg; break;
		case 'C': co->dir = optarg; break;
		case 'I': co->id = optarg; break;
		case 'W': co->new_case = 1; break;
		case 'K': co->key_file = optarg; break;
		case 'h': fputs(usage, stdout); rc = EXIT_OK; goto out;
		default:
			if (cli_aws_opt(o, c, optarg))
				break;
			fputs(usage, stderr);
			goto out;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "trailguide query: no QUERY given\n%s", usage);
		goto out;
	}
	const char *text = argv[optind++];
	query *q;
	if (session_search(&ss) < 0 || !(q = session_query(&ss, text)))
		goto out;
	if (session_begin(&ss, "query") < 0)
		goto end;
	result *r = NULL; /* a stats table Athena computed, or the local run's */
	int pd = session_pushdown(&ss, q, argv + optind, argc - optind, &r);
	rc = pd < 0 ? EXIT_USAGE : pd ? EXIT_OK : session_load(&ss, argv + optind, argc - optind);
	if (rc != EXIT_OK)
		goto end;
	if (!pd)
		session_field_warnings(&ss, stderr);
	store *s = ss.s;
	qerr err;
	double t0 = now_mono();
	if (!pd)
		r = query_run(q, s, &ss.ctx, &err);
	double t1 = now_mono();
	if (ss.cs && r)
		case_record_query(ss.cs, text, s, r, &ss.ctx);
	if (!r) {
		sbuf b;
		sbuf_init(&b);
		query_err_format(text, &err, &b);
		fprintf(stderr, "trailguide: query failed:\n%s", b.s ? b.s : "");
		sbuf_free(&b);
		rc = EXIT_USAGE;
	} else {
		char msg[512];
		if (output_result(stdout, s, r, o->fmt, msg, sizeof msg) < 0) {
			fprintf(stderr, "trailguide: %s\n", msg);
			rc = EXIT_USAGE;
		}
		fflush(stdout);
		const ingest_stats *st = &ss.st;
		if (o->timing)
			fprintf(stderr,
				"timing: load %.3f s (read+scan %.3f, merge %.3f, sort %.3f; %zu events, "
				"%.1f MB JSON); query %.2f ms (filter %.2f ms, stages %.2f ms); output "
				"%.2f ms; store %.1f MB; peak RSS %.1f MB\n",
				st->seconds, st->t_read, st->t_merge, st->t_sort, s->n,
				(double)st->bytes_json / 1e6, (t1 - t0) * 1e3,
				r->t_filter * 1e3, r->t_stages * 1e3, (now_mono() - t1) * 1e3,
				(double)store_bytes(s) / 1e6, cli_peak_rss_mb());
		if (o->timing && st->files_chunked)
			fprintf(stderr, "timing: %zu big %s read in %zu chunks (%zu serial walks)\n",
				st->files_chunked, st->files_chunked == 1 ? "file" : "files",
				st->chunks, st->chunks_serial);
		if (!o->quiet)
			fprintf(stderr, "trailguide: %zu %s\n", r->is_table ? r->nrows : r->n,
				r->is_table ? (r->nrows == 1 ? "row" : "rows")
					    : (r->n == 1 ? "matching event" : "matching events"));
		result_free(&r);
	}
end:
	rc = query_case_end(&ss.cs, rc, o->quiet && !co->new_case);
out:
	session_free(&ss);
	free(extra);
	return rc;
}

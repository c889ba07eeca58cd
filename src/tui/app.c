/* app.c — `trailguide [OPTION]... [SOURCE]...`: options, loading, then the console. */
#include "tui/app.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "esc.h"
#include "lists.h"
#include "runbook_lib.h"
#include "tgtime.h"
#include "tui/term.h"

static const char usage[] =
	"usage: trailguide [OPTION]... [SOURCE]...\n"
	"Open the console over CloudTrail files, directories or globs (the bundled sample\n"
	"incident when no SOURCE is given), or s3://, lookup://, athena:// and lake://\n"
	"sources (the runbook's step queries pushed down).\n"
	"\n"
	"  -r, --runbook RUNBOOK  walk a runbook's steps (an id from the search path, or a file)\n"
	"                         (without -r, a picker lists the runbooks first)\n"
	"      --since T, --until T, --now T   the window (default: the runbook's window)\n"
	"      --runbooks DIR     search DIR first for runbooks and lists (repeatable)\n"
	"      --case DIR         journal every action into the case directory DIR\n"
	"      --case-id ID       the same for the case ID under ~/.local/share/trailguide/cases\n"
	"      --new-case         journal into a new case named DATE-RUNBOOK\n"
	"      --journal-key FILE sign the journal with the HMAC key in FILE\n"
	"  -k, --keymap NAME      default, vi, emacs, or a keymap file\n"
	"  -j, --threads N        load with N threads\n"
	"      --profile P        AWS profile for remote sources\n"
	"      --region R         AWS region for remote sources\n"
	"  -h, --help             show this help\n";

struct tui_opts {
	const char *runbook, *keymap, *script, *size;
	case_opts co;
	char **extra;
	int nextra;
};

static int parse_opts(int argc, char **argv, cli_opts *o, struct tui_opts *to)
{
	static const struct option longopts[] = {
		{ "runbook", required_argument, NULL, 'r' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "now", required_argument, NULL, 'N' },
		{ "runbooks", required_argument, NULL, 'R' },
		{ "case", required_argument, NULL, 'C' },
		{ "case-id", required_argument, NULL, 'I' },
		{ "new-case", no_argument, NULL, 'W' },
		{ "journal-key", required_argument, NULL, 'K' },
		{ "keymap", required_argument, NULL, 'k' },
		{ "threads", required_argument, NULL, 'j' },
		{ "screen-test", required_argument, NULL, 'T' }, /* hidden: tests/tui_screen.sh */
		{ "size", required_argument, NULL, 'Z' },
		{ "profile", required_argument, NULL, CLI_OPT_PROFILE },
		{ "region", required_argument, NULL, CLI_OPT_REGION },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:k:j:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': to->runbook = optarg; break;
		case 'S': o->since_s = optarg; break;
		case 'U': o->until_s = optarg; break;
		case 'N': o->now_s = optarg; break;
		case 'R': to->extra[to->nextra++] = optarg; break;
		case 'C': to->co.dir = optarg; break;
		case 'I': to->co.id = optarg; break;
		case 'W': to->co.new_case = 1; break;
		case 'K': to->co.key_file = optarg; break;
		case 'k': to->keymap = optarg; break;
		case 'j': o->threads = atoi(optarg); break;
		case 'T': to->script = optarg; break;
		case 'Z': to->size = optarg; break;
		case 'h': fputs(usage, stdout); return 1;
		default:
			if (cli_aws_opt(o, c, optarg))
				break;
			fputs(usage, stderr);
			return -1;
		}
	}
	return 0;
}

/* The runbook: a file when one exists at arg, else an id in the search path. */
static runbook *find_runbook(const char *arg, char **search, int nsearch, rblib **lib,
			     int *own)
{
	struct stat st;
	sbuf diag, shadow;
	sbuf_init(&diag);
	sbuf_init(&shadow);
	runbook *rb = NULL;
	*own = 0;
	if (stat(arg, &st) == 0 && S_ISREG(st.st_mode)) {
		rb = runbook_load(arg, &diag);
		*own = 1;
	} else {
		*lib = rblib_load(search, nsearch, &diag, &shadow);
		rb = (runbook *)rblib_find(*lib, arg);
		if (!rb)
			fprintf(stderr, "trailguide: no runbook '%s': not a file, and no runbook in "
					"the search path has that id; see `trailguide runbooks`\n", arg);
	}
	if (!rb)
		fputs(diag.s ? diag.s : "", stderr);
	sbuf_free(&diag);
	sbuf_free(&shadow);
	return rb;
}

static keymap *load_keymap(const char *name)
{
	keymap *k = keymap_new();
	sbuf err;
	sbuf_init(&err);
	const char *text = keymap_builtin(name ? name : "default");
	int bad = text ? keymap_load_text(k, name ? name : "default", text, &err)
		       : keymap_load_file(k, name, &err);
	if (bad)
		fprintf(stderr, "trailguide: keymap: %s", err.s ? err.s : "unreadable\n");
	sbuf_free(&err);
	return k;
}

static void describe(tui_app *a, const cli_opts *o)
{
	size_t n = a->s->nfiles;
	snprintf(a->sources, sizeof a->sources, "%zu file%s", n, n == 1 ? "" : "s");
	char b1[32], b2[32];
	int64_t since = o->since != TG_TIME_NONE ? o->since : a->s->tmin;
	int64_t until = o->until != TG_TIME_NONE ? o->until : a->s->tmax;
	if (since == TG_TIME_NONE || until == TG_TIME_NONE) {
		snprintf(a->window, sizeof a->window, "no events");
		return;
	}
	tgtime_format(since, b1);
	tgtime_format(until, b2);
	snprintf(a->window, sizeof a->window, "%.10s %.5s..%.10s %.5s", b1, b1 + 11, b2, b2 + 11);
}

void tui_open_runbook(tui_app *a, runbook *rb)
{
	a->rb = rb;
	a->step = 0;
	free(a->step_state);
	free(a->step_count);
	a->step_state = xcalloc((size_t)rb->nsteps + 1, sizeof *a->step_state);
	a->step_count = xcalloc((size_t)rb->nsteps + 1, sizeof *a->step_count);
	if (!a->since_given && rb->window > 0)
		a->ctx.since = a->ctx.now - rb->window;
	tui_relayout(a, a->cols, a->rows);
	tui_open_query(a, "", "all events", 0);
}

int tui_main(int argc, char **argv)
{
	cli_opts o;
	cli_opts_init(&o);
	esc_tui_locale(); /* non-UTF-8 locales: every non-ASCII byte shown as an escape */
	struct tui_opts to = { 0 };
	to.extra = xcalloc((size_t)argc + 1, sizeof *to.extra);
	int p = parse_opts(argc, argv, &o, &to), rc = EXIT_USAGE, own = 0;
	if (p) {
		free(to.extra);
		return p > 0 ? EXIT_OK : EXIT_USAGE;
	}
	int cols = 80, rows = 24;
	if (to.size && sscanf(to.size, "%dx%d", &cols, &rows) != 2) {
		fprintf(stderr, "trailguide: --size '%s': use COLSxROWS\n", to.size);
		free(to.extra);
		return EXIT_USAGE;
	}
	if (!to.script && (!isatty(0) || !isatty(1))) {
		fprintf(stderr, "trailguide: the console needs a terminal; see trailguide --help "
				"for the headless commands\n");
		free(to.extra);
		return EXIT_USAGE;
	}
	tui_app a;
	memset(&a, 0, sizeof a);
	a.detail_ev = -1;
	a.viewed_ev = -1;
	a.focus = PANE_EVENTS;
	sbuf_init(&a.prompt);
	sbuf_init(&a.pick_filter);
	a.since_given = o.since_s != NULL;
	char **search, **ldirs = NULL;
	int nsearch = rblib_search_path(to.extra, to.nextra, &search);
	rblib *lib = NULL;
	listset *ls = NULL;
	FILE *lwarn = NULL; /* the load's warnings while curses has the terminal */
	char win[32];
	if (to.runbook) {
		if (!(a.rb = find_runbook(to.runbook, search, nsearch, &lib, &own)))
			goto out;
		if (!o.since_s && a.rb->window > 0) {
			snprintf(win, sizeof win, "%llds", (long long)(a.rb->window / 1000));
			o.since_s = win;
			if (!o.until_s)
				o.until_s = "now";
		}
	}
	if (cli_resolve_times(&o) < 0)
		goto out;
	if (case_begin(&to.co, a.rb ? a.rb->id : "console", &a.cs) < 0)
		goto out;
	if (a.cs) {
		o.hash_files = 1;
		case_record_open(a.cs, "console", a.rb);
	}
	o.quiet = o.quiet || to.script;
	/* remote sources fetch what the runbook's steps ask for */
	query **stepq = NULL;
	if (a.rb) {
		stepq = xcalloc((size_t)a.rb->nsteps + 1, sizeof *stepq);
		for (int i = 0; i < a.rb->nsteps; i++) {
			qerr qe;
			stepq[o.nqueries] = query_parse(a.rb->steps[i].query, &qe);
			if (stepq[o.nqueries])
				o.nqueries++;
		}
		o.queries = stepq;
	}
	a.s = store_new();
	ingest_stats ist;
	memset(&ist, 0, sizeof ist);
	if (to.script) { /* screen tests load before their first frame */
		rc = cli_load(a.s, argv + optind, argc - optind, &o, &ist);
	} else if ((rc = tui_term_open(&a)) == 0) {
		lwarn = tmpfile();
		/* The loading panel instead of the stderr bar; warnings held until the terminal
		 * is restored; no summary line on the curses screen. */
		o.on_progress = tui_term_loading;
		o.warn = lwarn ? lwarn : stderr;
		o.quiet = 1;
		tui_term_loading(NULL, NULL);
		rc = cli_load(a.s, argv + optind, argc - optind, &o, &ist);
	}
	if (a.cs)
		case_record_sources(a.cs, a.s);
	for (int i = 0; i < o.nqueries; i++)
		query_free(&stepq[i]);
	free(stepq);
	/* A remote source that failed leaves what the others loaded: the console opens on
	 * that and says what happened. */
	if (rc != EXIT_OK && !(o.remote_failed && !o.strict))
		goto out;
	rc = EXIT_OK;
	int nl = rblib_lists_dirs(a.rb ? &a.rb->path : NULL, a.rb ? 1 : 0, search, nsearch,
				  &ldirs);
	sbuf warn;
	sbuf_init(&warn);
	ls = listset_load(ldirs, nl, o.now, &warn);
	sbuf_free(&warn);
	qctx_init(&a.ctx);
	a.ctx.now = o.now;
	a.ctx.since = o.since;
	a.ctx.until = o.until;
	a.load_window = o.since != TG_TIME_NONE || o.until != TG_TIME_NONE; /* window_cmd.c */
	a.ctx.lists = ls;
	describe(&a, &o);
	if (a.rb) {
		a.step_state = xcalloc((size_t)a.rb->nsteps + 1, sizeof *a.step_state);
		a.step_count = xcalloc((size_t)a.rb->nsteps + 1, sizeof *a.step_count);
	}
	if (!a.rb) { /* the picker over the library */
		sbuf diag, shadow;
		sbuf_init(&diag);
		sbuf_init(&shadow);
		lib = rblib_load(search, nsearch, &diag, &shadow);
		a.lib = lib;
		a.picking = lib && lib->n > 0;
		sbuf_free(&diag);
		sbuf_free(&shadow);
	}
	a.km = load_keymap(to.keymap);
	tui_open_query(&a, "", "all events", 0);
	tui_resume(&a);
	if (o.remote_msg.len) { /* the first remote failure, on the status line */
		const char *m = o.remote_msg.s;
		if (!strncmp(m, "trailguide: ", 12))
			m += 12;
		tui_msg(&a, "%.*s", (int)strcspn(m, "\n"), m);
	}
	rc = to.script ? tui_screen_test_run(&a, to.script, cols, rows) : tui_term_run(&a);
	if (a.cs) {
		tui_record_view(&a);
		case_record_close(a.cs, rc, tui_findings(&a));
	}
out:
	tui_term_stop();
	cli_opts_free(&o);
	if (lwarn) { /* the load's warnings, now that the terminal is back */
		char buf[4096];
		size_t k;
		rewind(lwarn);
		while ((k = fread(buf, 1, sizeof buf, lwarn)) > 0)
			fwrite(buf, 1, k, stderr);
		fclose(lwarn);
	}
	case_close(&a.cs);
	tui_view_free(&a.view);
	for (int i = 0; i < a.ncrumbs; i++)
		tui_view_free(&a.crumbs[i]);
	free(a.crumbs);
	tui_lines_free(&a.detail);
	tui_lines_free(&a.detail_full);
	free(a.search);
	sbuf_free(&a.prompt);
	sbuf_free(&a.pick_filter);
	free(a.step_state);
	free(a.step_count);
	keymap_free(&a.km);
	store_free(&a.s);
	listset_free(&ls);
	if (own)
		runbook_free(&a.rb);
	rblib_free(&lib);
	rblib_dirs_free(ldirs);
	rblib_dirs_free(search);
	free(to.extra);
	return rc;
}

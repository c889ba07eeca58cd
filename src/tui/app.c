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
#include "session.h"
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
	"      --new-case         journal into a new case named DATE-RUNBOOK (the default:\n"
	"                         every console session is journaled; reopening a case\n"
	"                         without -r walks its runbook again)\n"
	"      --journal-key FILE sign the journal with the HMAC key in FILE\n"
	"  -k, --keymap NAME      default, vi, emacs, or a keymap file\n"
	"  -j, --threads N        load with N threads\n"
	"      --no-cache         neither read nor write the load cache (see trailguide(1))\n"
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
		{ "no-cache", no_argument, NULL, CLI_OPT_NO_CACHE },
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

/* The sources as the status line names them ("1460 files"). */
static void describe(tui_app *a)
{
	size_t n = a->s->nfiles;
	snprintf(a->sources, sizeof a->sources, "%zu file%s", n, n == 1 ? "" : "s");
}

void tui_open_runbook(tui_app *a, runbook *rb)
{
	a->rb = rb;
	a->step = 0;
	free(a->step_state);
	free(a->step_count);
	a->step_state = xcalloc((size_t)rb->nsteps + 1, sizeof *a->step_state);
	a->step_count = xcalloc((size_t)rb->nsteps + 1, sizeof *a->step_count);
	if (a->ss) { /* the same window, lookback and lists as -r; journaled */
		session_pick(a->ss, rb);
		a->ctx = a->ss->ctx;
		a->cs = a->ss->cs;
	}
	tui_relayout(a, a->cols, a->rows);
	tui_open_query(a, "", "all events", 0);
}

int tui_main(int argc, char **argv)
{
	tg_session ss;
	session_init(&ss);
	ss.console = 1;
	cli_opts *o = &ss.o;
	esc_tui_locale(); /* non-UTF-8 locales: every non-ASCII byte shown as an escape */
	struct tui_opts to = { 0 };
	to.extra = xcalloc((size_t)argc + 1, sizeof *to.extra);
	int p = parse_opts(argc, argv, o, &to), rc = EXIT_USAGE;
	if (p) {
		free(to.extra);
		session_free(&ss);
		return p > 0 ? EXIT_OK : EXIT_USAGE;
	}
	int cols = 80, rows = 24;
	if (to.size && sscanf(to.size, "%dx%d", &cols, &rows) != 2) {
		fprintf(stderr, "trailguide: --size '%s': use COLSxROWS\n", to.size);
		free(to.extra);
		session_free(&ss);
		return EXIT_USAGE;
	}
	if (!to.script && (!isatty(0) || !isatty(1))) {
		fprintf(stderr, "trailguide: the console needs a terminal; see trailguide --help "
				"for the headless commands\n");
		free(to.extra);
		session_free(&ss);
		return EXIT_USAGE;
	}
	tui_app a;
	memset(&a, 0, sizeof a);
	a.ss = &ss;
	a.detail_ev = -1;
	a.viewed_ev = -1;
	a.focus = PANE_EVENTS;
	sbuf_init(&a.prompt);
	sbuf_init(&a.pick_filter);
	ss.extra = to.extra;
	ss.nextra = to.nextra;
	ss.co = to.co;
	FILE *lwarn = NULL; /* the load's warnings while curses has the terminal */
	if (session_search(&ss) < 0)
		goto out;
	if (to.runbook && session_runbook(&ss, to.runbook) < 0)
		goto out;
	/* the window and lookback of the runbook (-r, or the case's own when reopened); the
	 * case: a new one unless --case/--case-id named one */
	if (session_begin(&ss, "console") < 0)
		goto out;
	a.rb = ss.rb;
	a.cs = ss.cs;
	o->quiet = o->quiet || to.script;
	if (to.script) { /* screen tests load before their first frame */
		rc = session_load(&ss, argv + optind, argc - optind);
	} else if ((rc = tui_term_open(&a)) == 0) {
		lwarn = tmpfile();
		/* The loading panel instead of the stderr bar; warnings held until the terminal
		 * is restored; no summary line on the curses screen. */
		o->on_progress = tui_term_loading;
		o->warn = lwarn ? lwarn : stderr;
		o->quiet = 1;
		tui_term_loading(NULL, NULL);
		rc = session_load(&ss, argv + optind, argc - optind);
	}
	a.s = ss.s;
	/* A remote source that failed leaves what the others loaded: the console opens on
	 * that and says what happened. */
	if (rc != EXIT_OK && !(o->remote_failed && !o->strict))
		goto out;
	rc = EXIT_OK;
	a.ctx = ss.ctx;
	a.load_window = o->since != TG_TIME_NONE || o->until != TG_TIME_NONE; /* window_cmd.c */
	describe(&a);
	if (a.rb) {
		a.step_state = xcalloc((size_t)a.rb->nsteps + 1, sizeof *a.step_state);
		a.step_count = xcalloc((size_t)a.rb->nsteps + 1, sizeof *a.step_count);
	} else { /* the picker over the library */
		sbuf diag, shadow;
		sbuf_init(&diag);
		sbuf_init(&shadow);
		if (!ss.lib)
			ss.lib = rblib_load(ss.search, ss.nsearch, &diag, &shadow);
		a.lib = ss.lib;
		a.picking = a.lib && a.lib->n > 0;
		sbuf_free(&diag);
		sbuf_free(&shadow);
	}
	a.km = load_keymap(to.keymap);
	tui_open_query(&a, "", "all events", 0);
	tui_resume(&a);
	if (o->remote_msg.len) { /* the first remote failure, on the status line */
		const char *m = o->remote_msg.s;
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
	if (lwarn) { /* the load's warnings, now that the terminal is back */
		char buf[4096];
		size_t k;
		rewind(lwarn);
		while ((k = fread(buf, 1, sizeof buf, lwarn)) > 0)
			fwrite(buf, 1, k, stderr);
		fclose(lwarn);
	}
	if (ss.cs && !to.script && rc == EXIT_OK) /* where the journal is, once the screen is back */
		fprintf(stderr, "trailguide: case %s: %llu journal entries (%s)\n", ss.cs->id,
			(unsigned long long)journal_count(ss.cs->j), ss.cs->dir);
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
	a.s = NULL;
	session_free(&ss); /* the case (unlocked), the store, lists and runbooks */
	free(to.extra);
	return rc;
}

/* cmd_lint.c — `trailguide lint`: check runbooks, their queries, @lists and respond holes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lists.h"
#include "query.h"
#include "query_check.h"
#include "runbook_lib.h"
#include "template.h"
#include "tgtime.h"

static const char usage[] =
	"usage: trailguide lint [--runbooks DIR]... [PATH]...\n"
	"Check runbooks: the format, every query, the fields and @lists they name, unique ids,\n"
	"respond holes, and list entries that expired or expire within 14 days. PATH is a\n"
	"runbook file or a directory of them (default: the runbook search path).\n"
	"\n"
	"      --runbooks DIR  search DIR first (repeatable)\n"
	"      --now T         the date list expiry is judged at (default: now)\n"
	"  -q, --quiet         no summary line on stderr\n"
	"  -h, --help          show this help\n"
	"\n"
	"Prints FILE:LINE:COL: error|warning: reason lines. Exit status: 0 no errors (warnings\n"
	"allowed), 2 errors or a usage error. The format is in trailguide-runbook(5).\n";

#define EXPIRY_SOON (14LL * 86400000)

struct lint {
	sbuf out;
	int errors, warnings;
	const listset *lists;
	const runbook *rb;
	const rb_step *st;   /* the step whose query is being checked */
	const rb_respond *r; /* the respond action being checked */
};

static void count_diag(struct lint *L, const char *level)
{
	if (!strcmp(level, "error"))
		L->errors++;
	else
		L->warnings++;
}

/* listset_load's problems are "FILE:LINE: reason" (a bad entry: an error) or "FILE:
 * reason" (shadowing and the like: a warning). */
static void list_problems(struct lint *L, const char *w)
{
	while (w && *w) {
		const char *e = strchr(w, '\n');
		size_t n = e ? (size_t)(e - w) : strlen(w);
		char *ln = xstrndup(w, n);
		char *c = ln, *msg = NULL;
		long line = 0;
		while ((c = strchr(c, ':'))) {
			char *end;
			line = strtol(c + 1, &end, 10);
			if (end > c + 1 && end[0] == ':' && end[1] == ' ') {
				*c = 0;
				msg = end + 2;
				break;
			}
			c++;
		}
		if (msg) {
			runbook_diag(&L->out, ln, (int)line, 1, "error", "%s", msg);
			L->errors++;
		} else if ((c = strstr(ln, ": "))) {
			*c = 0;
			runbook_diag(&L->out, ln, 0, 0, "warning", "%s", c + 2);
			L->warnings++;
		}
		free(ln);
		w = e ? e + 1 : NULL;
	}
}

static void list_expiry(struct lint *L, const listset *ls, int64_t now)
{
	for (size_t i = 0; i < listset_count(ls); i++) {
		const tglist *l = listset_at(ls, i);
		for (size_t k = 0; k < l->n; k++) {
			const tglist_entry *e = &l->entries[k];
			if (e->expires == TG_TIME_NONE)
				continue;
			char d[32];
			tgtime_format(e->expires - 86400000, d);
			d[10] = 0;
			if (e->expired || e->expires <= now) {
				runbook_diag(&L->out, l->path, e->line, 1, "warning",
					     "entry '%s' of @%s expired on %s (it no longer matches)",
					     e->value, l->name, d);
				L->warnings++;
			} else if (e->expires - now <= EXPIRY_SOON) {
				runbook_diag(&L->out, l->path, e->line, 1, "warning",
					     "entry '%s' of @%s expires on %s", e->value, l->name, d);
				L->warnings++;
			}
		}
	}
}

static void on_list(void *ud, const char *name, int col)
{
	struct lint *L = ud;
	if (L->lists && listset_get(L->lists, name))
		return;
	int line, c;
	runbook_query_pos(L->st, col, &line, &c);
	runbook_diag(&L->out, L->rb->path, line, c, "error", "unknown list '@%s' (no lists/%s file)",
		     name, name);
	L->errors++;
}

static void on_field(void *ud, const char *field, int col, const char *suggest)
{
	struct lint *L = ud;
	int line, c;
	runbook_query_pos(L->st, col, &line, &c);
	if (query_field_array_hint(field, suggest))
		runbook_diag(&L->out, L->rb->path, line, c, "warning",
			     "query: field '%s' crosses an array: write '%s' to match any element",
			     field, suggest);
	else if (suggest)
		runbook_diag(&L->out, L->rb->path, line, c, "warning",
			     "query: unknown field '%s': did you mean '%s'?", field, suggest);
	else
		runbook_diag(&L->out, L->rb->path, line, c, "warning",
			     "query: unknown field '%s': not an alias or a CloudTrail record field",
			     field);
	L->warnings++;
}

static void on_hole(void *ud, size_t off, const char *why)
{
	struct lint *L = ud;
	/* continuation lines lost their "> " prefix: count it back in */
	const char *t = L->r->text;
	int line = L->r->line, col = L->r->col;
	for (size_t i = 0; i < off && t[i]; i++, col++)
		if (t[i] == '\n') {
			line++;
			col = 2;
		}
	runbook_diag(&L->out, L->rb->path, line, col, "error", "respond: %s", why);
	L->errors++;
}

static void lint_runbook(struct lint *L, const runbook *rb)
{
	L->rb = rb;
	for (int i = 0; i < rb->nsteps; i++) {
		const rb_step *st = &rb->steps[i];
		qerr e;
		query *q = query_parse(st->query, &e);
		if (!q) {
			int line, col;
			runbook_query_pos(st, e.col < 0 ? 0 : e.col, &line, &col);
			runbook_diag(&L->out, rb->path, line, col, "error", "query: %s", e.msg);
			L->errors++;
		} else {
			L->st = st;
			query_lists(q, on_list, L);
			query_field_check(q, NULL, on_field, L);
			query_free(&q);
		}
		for (int k = 0; k < st->nrespond; k++) {
			L->r = &st->respond[k];
			tmpl_check(L->r->text, on_hole, L);
		}
	}
}

int cmd_lint(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "runbooks", required_argument, NULL, 'R' },
		{ "now", required_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char **extra = xcalloc((size_t)argc + 1, sizeof *extra);
	int nextra = 0, quiet = 0, c, rc = EXIT_OK;
	int64_t now = tgtime_now();
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'R': extra[nextra++] = optarg; break;
		case 'N':
			if (tgtime_user(optarg, strlen(optarg), tgtime_now(), &now) < 0) {
				fprintf(stderr, "trailguide lint: --now '%s' is not a time\n", optarg);
				free(extra);
				return EXIT_USAGE;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h': fputs(usage, stdout); free(extra); return EXIT_OK;
		default: fputs(usage, stderr); free(extra); return EXIT_USAGE;
		}
	}
	char **search;
	int nsearch = rblib_search_path(extra, nextra, &search);
	char **roots = argv + optind;
	int nroots = argc - optind, explicit = nroots > 0;
	if (!explicit) {
		roots = search;
		nroots = nsearch;
	}
	for (int i = 0; i < nextra; i++)
		if (!rblib_is_dir(extra[i])) {
			fprintf(stderr, "trailguide lint: --runbooks %s: no such directory\n", extra[i]);
			rc = EXIT_USAGE;
		}
	struct lint L = { .errors = 0 };
	sbuf_init(&L.out);
	char **ldirs;
	int nl = rblib_lists_dirs(explicit ? roots : NULL, explicit ? nroots : 0, search, nsearch,
				  &ldirs);
	sbuf warn;
	sbuf_init(&warn);
	listset *ls = listset_load(ldirs, nl, now, &warn);
	L.lists = ls;
	list_problems(&L, warn.s);
	list_expiry(&L, ls, now);
	/* every runbook, with the root it came from for the duplicate-id check */
	runbook **all = NULL;
	int *root = NULL, nall = 0, nfiles = 0;
	for (int r = 0; r < nroots; r++) {
		char **files;
		int nf = rblib_files(roots[r], &files);
		if (nf < 0) {
			fprintf(stderr, "trailguide lint: %s: no such file or directory\n", roots[r]);
			rc = EXIT_USAGE;
			continue;
		}
		for (int i = 0; i < nf; i++) {
			nfiles++;
			sbuf d;
			sbuf_init(&d);
			runbook *rb = runbook_load(files[i], &d);
			if (d.len) {
				sbuf_add(&L.out, d.s, d.len);
				for (const char *p = d.s; (p = strstr(p, ": error: ")); p++)
					L.errors++;
			}
			sbuf_free(&d);
			if (!rb)
				continue;
			for (int k = 0; k < nall; k++) {
				if (strcmp(all[k]->id, rb->id))
					continue;
				int shadow = !explicit && root[k] != r;
				runbook_diag(&L.out, rb->path, rb->key_line[RBK_ID], 1,
					     shadow ? "warning" : "error", shadow ? "%s is shadowed by %s"
									  : "id '%s' is also the id of %s",
					     rb->id, all[k]->path);
				count_diag(&L, shadow ? "warning" : "error");
				break;
			}
			lint_runbook(&L, rb);
			all = xrealloc(all, (size_t)(nall + 1) * sizeof *all);
			root = xrealloc(root, (size_t)(nall + 1) * sizeof *root);
			all[nall] = rb;
			root[nall++] = r;
		}
		rblib_dirs_free(files);
	}
	fwrite(L.out.s ? L.out.s : "", 1, L.out.len, stdout);
	if (!quiet)
		fprintf(stderr, "trailguide lint: %d runbook%s, %d error%s, %d warning%s\n", nfiles,
			nfiles == 1 ? "" : "s", L.errors, L.errors == 1 ? "" : "s", L.warnings,
			L.warnings == 1 ? "" : "s");
	if (L.errors)
		rc = EXIT_USAGE;
	for (int k = 0; k < nall; k++)
		runbook_free(&all[k]);
	free(all);
	free(root);
	sbuf_free(&L.out);
	sbuf_free(&warn);
	listset_free(&ls);
	rblib_dirs_free(ldirs);
	rblib_dirs_free(search);
	free(extra);
	return rc;
}

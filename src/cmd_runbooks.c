/* cmd_runbooks.c — `trailguide runbooks`: the runbooks in the search path, as a table. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "esc.h"
#include "runbook_lib.h"

static const char usage[] =
	"usage: trailguide runbooks [--runbooks DIR]...\n"
	"List the runbooks in the search path: --runbooks DIR (repeatable), ./runbooks,\n"
	"$XDG_CONFIG_HOME/trailguide/runbooks, then the installed runbooks. The first\n"
	"directory with an id wins; a shadowed one is reported on stderr.\n"
	"\n"
	"      --runbooks DIR  search DIR first (repeatable)\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 success, 2 a usage error or a runbook that does not parse (the others\n"
	"are still listed; `trailguide lint` explains).\n";

/* Print rows of ncols cells (already escaped) aligned like `trailguide query`. */
static void table(char **cells, int ncols, int nrows)
{
	size_t w[8] = { 0 };
	for (int i = 0; i <= nrows; i++)
		for (int k = 0; k < ncols; k++) {
			const char *c = cells[i * ncols + k];
			size_t cw = esc_width(c, strlen(c));
			if (cw > w[k])
				w[k] = cw;
		}
	for (int i = 0; i <= nrows; i++) {
		for (int k = 0; k < ncols; k++) {
			const char *c = cells[i * ncols + k];
			fputs(c, stdout);
			if (k + 1 < ncols)
				printf("%*s", (int)(w[k] - esc_width(c, strlen(c)) + 2), "");
		}
		putchar('\n');
	}
}

static char *esc(const char *s)
{
	sbuf b;
	sbuf_init(&b);
	esc_term(&b, s, strlen(s));
	sbuf_addc(&b, 0);
	return sbuf_take(&b);
}

int cmd_runbooks(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "runbooks", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char **extra = xcalloc((size_t)argc + 1, sizeof *extra);
	int nextra = 0, c, rc = EXIT_OK;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'R': extra[nextra++] = optarg; break;
		case 'h': fputs(usage, stdout); free(extra); return EXIT_OK;
		default: fputs(usage, stderr); free(extra); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "trailguide runbooks: unexpected argument '%s'\n%s", argv[optind],
			usage);
		free(extra);
		return EXIT_USAGE;
	}
	for (int i = 0; i < nextra; i++)
		if (!rblib_is_dir(extra[i])) {
			fprintf(stderr, "trailguide runbooks: --runbooks %s: no such directory\n",
				extra[i]);
			free(extra);
			return EXIT_USAGE;
		}
	char **dirs;
	int nd = rblib_search_path(extra, nextra, &dirs);
	sbuf diag, shadow;
	sbuf_init(&diag);
	sbuf_init(&shadow);
	rblib *lib = rblib_load(dirs, nd, &diag, &shadow);
	fputs(diag.s ? diag.s : "", stderr);
	for (const char *p = shadow.s; p && *p;) {
		const char *e = strchr(p, '\n');
		fprintf(stderr, "trailguide: %.*s\n", (int)(e ? e - p : (long)strlen(p)), p);
		p = e ? e + 1 : p + strlen(p);
	}
	if (lib->errors)
		rc = EXIT_USAGE;
	char **cells = xcalloc((size_t)(lib->n + 1) * 5, sizeof *cells);
	const char *head[] = { "id", "title", "severity", "version", "path" };
	for (int k = 0; k < 5; k++)
		cells[k] = xstrdup(head[k]);
	for (int i = 0; i < lib->n; i++) {
		const runbook *rb = lib->v[i];
		char v[16];
		snprintf(v, sizeof v, "%d", rb->version);
		char **row = cells + (i + 1) * 5;
		row[0] = esc(rb->id);
		row[1] = esc(rb->title);
		row[2] = xstrdup(runbook_severity_name(rb->severity));
		row[3] = xstrdup(v);
		row[4] = esc(rb->path);
	}
	if (lib->n)
		table(cells, 5, lib->n);
	else
		fprintf(stderr, "trailguide: no runbooks in the search path (%d director%s)\n", nd,
			nd == 1 ? "y" : "ies");
	for (int i = 0; i < (lib->n + 1) * 5; i++)
		free(cells[i]);
	free(cells);
	rblib_free(&lib);
	rblib_dirs_free(dirs);
	sbuf_free(&diag);
	sbuf_free(&shadow);
	free(extra);
	return rc;
}

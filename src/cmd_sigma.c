/* cmd_sigma.c — `trailguide sigma`: Sigma CloudTrail rules as runbook steps, or a sweep. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "esc.h"
#include "session.h"
#include "sigma.h"

static const char usage[] =
	"usage: trailguide sigma [OPTION]... RULES... [--run [SOURCE]...]\n"
	"Convert Sigma rules for AWS CloudTrail into a runbook (trailguide-runbook(5)) on\n"
	"standard output: one findings step per rule. RULES are YAML files (one rule per file\n"
	"or documents separated by ---), directories of *.yml/*.yaml (recursive), or a JSON\n"
	"catalog {\"rules\": [...]}. Rules that cannot be converted are listed on stderr as\n"
	"FILE: TITLE: refused: REASON, then 'N converted, M refused'.\n"
	"\n"
	"  -o, --output DIR   write one runbook per rule into DIR (DIR/SLUG.md, id sigma/SLUG)\n"
	"                     and a stub DIR/lists/NAME for each placeholder list\n"
	"      --id ID        the runbook's id on stdout (default sigma/ and a slug of the\n"
	"                     rule's title, or of the first RULES name for several rules)\n"
	"      --table        print a Markdown table of every rule: converted, or why not\n"
	"      --aggregate bins  approximate count() aggregations with stats over fixed bins\n"
	"                     of the rule's timeframe (default: refuse them)\n"
	"      --run, --sweep run the converted rules over the SOURCEs that follow (the bundled\n"
	"                     sample when none) and print the hits per rule\n"
	"      --events       with --run: print each rule's matching events too\n"
	"      --fail-on-findings  with --run: exit 1 when any rule matched\n"
	"      --since T, --until T, --now T   with --run: the window, as for query\n"
	"      --runbooks DIR with --run: search DIR first for @lists (repeatable)\n"
	"  -q, --quiet        no per-rule messages or summary on stderr\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 when at least one rule converted (and the sweep ran), 1 with\n"
	"--fail-on-findings when a rule matched, 2 when no rule converted, a RULES path could\n"
	"not be read, or a usage error. See trailguide(1), section SIGMA.\n";

enum { SIGMA_MAX_FILE = 64 << 20, SIGMA_MAX_DEPTH = 32 };

static int has_ext(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The rule files under dir (recursive; hidden entries and symlinked directories skipped). */
static void walk(const char *dir, int depth, char ***files, size_t *n)
{
	if (depth > SIGMA_MAX_DEPTH)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	char **names = NULL;
	size_t nn = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (nn + 1) * sizeof *names);
		names[nn++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof *names, cmp_str);
	for (size_t i = 0; i < nn; i++) {
		sbuf p;
		sbuf_init(&p);
		sbuf_addf(&p, "%s/%s", dir, names[i]);
		struct stat st;
		if (lstat(p.s, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(p.s, depth + 1, files, n);
			sbuf_free(&p);
		} else if (has_ext(names[i]) && stat(p.s, &st) == 0 && S_ISREG(st.st_mode)) {
			*files = xrealloc(*files, (*n + 1) * sizeof **files);
			(*files)[(*n)++] = sbuf_take(&p);
		} else {
			sbuf_free(&p);
		}
		free(names[i]);
	}
	free(names);
}

static void put_escaped(FILE *f, const char *s)
{
	sbuf b;
	sbuf_init(&b);
	esc_term(&b, s, strlen(s));
	if (b.len)
		fwrite(b.s, 1, b.len, f);
	sbuf_free(&b);
}

/* Read and convert one file; -1 when it cannot be read (said on stderr). */
static int load_file(sigma_set *set, const char *path)
{
	struct stat st;
	int bad = stat(path, &st) != 0 ? errno : 0;
	if (bad || !S_ISREG(st.st_mode) || st.st_size > SIGMA_MAX_FILE) {
		fprintf(stderr, "trailguide sigma: ");
		put_escaped(stderr, path);
		fprintf(stderr, ": %s\n", bad ? strerror(bad) : "not a regular file of at most 64 MB");
		return -1;
	}
	char *data;
	size_t len;
	if (read_file(path, &data, &len) != 0) {
		fprintf(stderr, "trailguide sigma: ");
		put_escaped(stderr, path);
		fprintf(stderr, ": cannot read\n");
		return -1;
	}
	sy_docs d;
	char err[256];
	if (sy_parse(data, len, &d, err, sizeof err) < 0) {
		set->rules = xrealloc(set->rules, (set->n + 1) * sizeof *set->rules);
		sigma_rule *r = &set->rules[set->n++];
		memset(r, 0, sizeof *r);
		r->file = xstrdup(path);
		r->title = xstrdup("(file)");
		sbuf why;
		sbuf_init(&why);
		sbuf_addf(&why, "not valid YAML: %s", err);
		r->reason = sbuf_take(&why);
	} else {
		sigma_collect(set, &d, path);
		sy_docs_free(&d);
	}
	free(data);
	return 0;
}

static void report(const sigma_set *set, int quiet)
{
	if (quiet)
		return;
	for (size_t i = 0; i < set->n; i++) {
		const sigma_rule *r = &set->rules[i];
		const char *w = r->warnings;
		while (w && *w) {
			const char *e = strchr(w, '\n');
			size_t n = e ? (size_t)(e - w) : strlen(w);
			char *line = xstrndup(w, n);
			put_escaped(stderr, r->file);
			fputs(": ", stderr);
			put_escaped(stderr, r->title);
			fputs(": warning: ", stderr);
			put_escaped(stderr, line);
			fputc('\n', stderr);
			free(line);
			w += n + (e != NULL);
		}
		if (r->query)
			continue;
		put_escaped(stderr, r->file);
		fputs(": ", stderr);
		put_escaped(stderr, r->title);
		fputs(": refused: ", stderr);
		put_escaped(stderr, r->reason);
		fputc('\n', stderr);
	}
	fprintf(stderr, "%zu converted, %zu refused\n", sigma_converted(set),
		set->n - sigma_converted(set));
}

/* `--table`: every rule and what became of it, as a Markdown table. */
static void table(const sigma_set *set)
{
	fputs("| rule | level | result |\n| --- | --- | --- |\n", stdout);
	for (size_t i = 0; i < set->n; i++) {
		const sigma_rule *r = &set->rules[i];
		sbuf b;
		sbuf_init(&b);
		sbuf_adds(&b, "| ");
		esc_md(&b, r->title, strlen(r->title));
		sbuf_adds(&b, " | ");
		if (r->level)
			esc_md(&b, r->level, strlen(r->level));
		sbuf_adds(&b, " | ");
		if (r->query) {
			sbuf_adds(&b, "converted");
		} else {
			sbuf_adds(&b, "refused: ");
			esc_md(&b, r->reason, strlen(r->reason));
		}
		sbuf_adds(&b, " |\n");
		fwrite(b.s, 1, b.len, stdout);
		sbuf_free(&b);
	}
}

/* A stub list for a placeholder, written only when absent. */
static void stub_list(const char *dir, const char *name)
{
	sbuf p;
	sbuf_init(&p);
	sbuf_addf(&p, "%s/lists", dir);
	mkdir_p(p.s);
	sbuf_addf(&p, "/%s", name);
	struct stat st;
	if (stat(p.s, &st) != 0) {
		FILE *f = fopen(p.s, "w");
		if (f) {
			fprintf(f, "# %s: the values of the Sigma placeholder this list stands for.\n"
				   "# One entry per line: VALUE | owner=NAME | reason=TEXT "
				   "(see trailguide-runbook(5)).\n", name);
			fclose(f);
		}
	}
	sbuf_free(&p);
}

static int write_dir(const sigma_set *set, const char *dir, int quiet)
{
	if (mkdir_p(dir) != 0) {
		fprintf(stderr, "trailguide sigma: cannot create ");
		put_escaped(stderr, dir);
		fprintf(stderr, ": %s\n", strerror(errno));
		return -1;
	}
	char **slugs = NULL;
	size_t ns = 0, written = 0;
	for (size_t i = 0; i < set->n; i++) {
		sigma_rule *r = &set->rules[i];
		if (!r->query)
			continue;
		char *base = sigma_slug(r->title);
		sbuf slug;
		sbuf_init(&slug);
		sbuf_adds(&slug, base);
		for (int k = 2;; k++) {
			size_t j;
			for (j = 0; j < ns && strcmp(slugs[j], slug.s); j++)
				;
			if (j == ns)
				break;
			sbuf_reset(&slug);
			sbuf_addf(&slug, "%s-%d", base, k);
		}
		free(base);
		slugs = xrealloc(slugs, (ns + 1) * sizeof *slugs);
		slugs[ns++] = xstrdup(slug.s);
		sbuf id, text, path;
		sbuf_init(&id);
		sbuf_init(&text);
		sbuf_init(&path);
		sbuf_addf(&id, "sigma/%s", slug.s);
		sbuf_addf(&path, "%s/%s.md", dir, slug.s);
		sigma_rule *one[1] = { r };
		sigma_runbook(&text, id.s, r->title, one, 1);
		FILE *f = fopen(path.s, "w");
		if (!f || fwrite(text.s, 1, text.len, f) != text.len || fclose(f) != 0) {
			fprintf(stderr, "trailguide sigma: cannot write ");
			put_escaped(stderr, path.s);
			fputc('\n', stderr);
		} else {
			written++;
		}
		for (size_t k = 0; k < r->nlists; k++)
			stub_list(dir, r->lists[k]);
		sbuf_free(&id);
		sbuf_free(&text);
		sbuf_free(&path);
		sbuf_free(&slug);
	}
	for (size_t i = 0; i < ns; i++)
		free(slugs[i]);
	free(slugs);
	if (!quiet) {
		fprintf(stderr, "trailguide sigma: %zu runbooks written to ", written);
		put_escaped(stderr, dir);
		fputc('\n', stderr);
	}
	return 0;
}

/* The runbook of every converted rule on stdout. */
static void write_stdout(const sigma_set *set, const char *id_opt, const char *first)
{
	sigma_rule **conv = xcalloc(set->n + 1, sizeof *conv);
	size_t n = 0;
	for (size_t i = 0; i < set->n; i++)
		if (set->rules[i].query)
			conv[n++] = &set->rules[i];
	char *slug = NULL;
	const char *title;
	if (n == 1) {
		slug = sigma_slug(conv[0]->title);
		title = conv[0]->title;
	} else {
		const char *b = strrchr(first, '/');
		b = b && b[1] ? b + 1 : first;
		char *stem = xstrdup(b);
		char *dot = strrchr(stem, '.');
		if (dot && dot != stem)
			*dot = 0;
		slug = sigma_slug(stem);
		free(stem);
		title = "Sigma rules";
	}
	sbuf id, text;
	sbuf_init(&id);
	sbuf_init(&text);
	if (id_opt)
		sbuf_adds(&id, id_opt);
	else
		sbuf_addf(&id, "sigma/%s", slug);
	sigma_runbook(&text, id.s, title, conv, n);
	fwrite(text.s, 1, text.len, stdout);
	sbuf_free(&id);
	sbuf_free(&text);
	free(slug);
	free(conv);
}

int sigma_sweep(const sigma_set *set, cli_opts *opts, char **extra, int nextra, char **src,
		int nsrc, int events, int *hits_out); /* cmd_sigma_run.c */

int cmd_sigma(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "id", required_argument, NULL, 'I' },
		{ "table", no_argument, NULL, 't' },
		{ "aggregate", required_argument, NULL, 'A' },
		{ "events", no_argument, NULL, 'e' },
		{ "fail-on-findings", no_argument, NULL, 'F' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "now", required_argument, NULL, 'N' },
		{ "runbooks", required_argument, NULL, 'R' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int run_at = -1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--run") || !strcmp(argv[i], "--sweep")) {
			run_at = i;
			break;
		}
	int oargc = run_at < 0 ? argc : run_at;
	const char *outdir = NULL, *id = NULL;
	int do_table = 0, events = 0, fail_on = 0, quiet = 0, c;
	sigma_set set = { 0 };
	cli_opts o;
	cli_opts_init(&o);
	char **extra = xcalloc((size_t)argc + 1, sizeof *extra);
	int nextra = 0;
	optind = 1;
	while ((c = getopt_long(oargc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': outdir = optarg; break;
		case 'I': id = optarg; break;
		case 't': do_table = 1; break;
		case 'A':
			if (strcmp(optarg, "bins") && strcmp(optarg, "refuse")) {
				fprintf(stderr, "trailguide sigma: --aggregate: use bins or refuse\n");
				cli_opts_free(&o);
				free(extra);
				return EXIT_USAGE;
			}
			set.agg_bins = !strcmp(optarg, "bins");
			break;
		case 'e': events = 1; break;
		case 'F': fail_on = 1; break;
		case 'S': o.since_s = optarg; break;
		case 'U': o.until_s = optarg; break;
		case 'N': o.now_s = optarg; break;
		case 'R': extra[nextra++] = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(usage, stdout); cli_opts_free(&o); free(extra); return EXIT_OK;
		default: fputs(usage, stderr); cli_opts_free(&o); free(extra); return EXIT_USAGE;
		}
	}
	if (optind >= oargc) {
		fprintf(stderr, "trailguide sigma: no RULES given\n%s", usage);
		cli_opts_free(&o);
		free(extra);
		return EXIT_USAGE;
	}
	int rc = EXIT_OK;
	for (int i = optind; i < oargc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			char **files = NULL;
			size_t nf = 0;
			walk(argv[i], 0, &files, &nf);
			for (size_t k = 0; k < nf; k++) {
				if (load_file(&set, files[k]) < 0)
					rc = EXIT_USAGE;
				free(files[k]);
			}
			free(files);
		} else if (load_file(&set, argv[i]) < 0) {
			rc = EXIT_USAGE;
		}
	}
	report(&set, quiet || do_table);
	size_t conv = sigma_converted(&set);
	if (do_table) {
		table(&set);
	} else if (conv == 0) {
		if (!quiet)
			fprintf(stderr, "trailguide sigma: no rule converted\n");
		rc = EXIT_USAGE;
	} else if (run_at >= 0) {
		int hits = 0;
		int r = sigma_sweep(&set, &o, extra, nextra, argv + run_at + 1, argc - run_at - 1, events, &hits);
		if (r != EXIT_OK)
			rc = r;
		else if (fail_on && hits && rc == EXIT_OK)
			rc = EXIT_FINDINGS;
	} else if (outdir) {
		if (write_dir(&set, outdir, quiet) < 0)
			rc = EXIT_USAGE;
	} else {
		write_stdout(&set, id, argv[optind]);
	}
	sigma_set_free(&set);
	cli_opts_free(&o);
	free(extra);
	return rc;
}

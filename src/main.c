/* main.c — trailguide's entry point: dispatch to the subcommands. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"

static const char usage[] =
	"usage: trailguide COMMAND [OPTION]... [ARG]...\n"
	"Investigate AWS CloudTrail from the terminal.\n"
	"\n"
	"Commands:\n"
	"  query 'QUERY' [SOURCE]...   run a query over CloudTrail files, directories or\n"
	"                              globs and print the result (table, json, ndjson, csv)\n"
	"  run RUNBOOK [SOURCE]...     run every step of a runbook, headless (for cron: --state,\n"
	"                              --notify, --fail-on-findings)\n"
	"  runbooks                    list the runbooks in the search path\n"
	"  lint [PATH]...              check runbooks, their queries, lists and respond holes\n"
	"\n"
	"With no SOURCE, commands read the bundled sample incident.\n"
	"  -h, --help       show this help (COMMAND --help for a command's options)\n"
	"  -V, --version    show the version\n"
	"\n"
	"Exit status: 0 success, 1 findings (when asked), 2 usage or input error.\n"
	"See trailguide(1), trailguide-query(7) and trailguide-runbook(5).\n";

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("trailguide %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "query"))
		return cmd_query(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "runbooks"))
		return cmd_runbooks(argc - 1, argv + 1);
	if (!strcmp(cmd, "lint"))
		return cmd_lint(argc - 1, argv + 1);
	fprintf(stderr, "trailguide: unknown command '%s'\n%s", cmd, usage);
	return EXIT_USAGE;
}

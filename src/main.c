/* main.c — trailguide's entry point: dispatch to the subcommands. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "tui/app.h"

static const char usage[] =
	"usage: trailguide COMMAND [OPTION]... [ARG]...\n"
	"   or: trailguide [-r RUNBOOK] [--case DIR] [OPTION]... [SOURCE]...\n"
	"Investigate AWS CloudTrail from the terminal. With no COMMAND, open the console\n"
	"(trailguide --help-console lists its options).\n"
	"\n"
	"Commands:\n"
	"  query 'QUERY' [SOURCE]...   run a query over CloudTrail files, directories or\n"
	"                              globs and print the result (table, json, ndjson, csv)\n"
	"  run RUNBOOK [SOURCE]...     run every step of a runbook, headless (for cron: --state,\n"
	"                              --notify, --fail-on-findings)\n"
	"  runbooks                    list the runbooks in the search path\n"
	"  lint [PATH]...              check runbooks, their queries, lists and respond holes\n"
	"  report CASE                 a case's incident report (Markdown, or JSON with -f json)\n"
	"  case list|mark|note         list the cases, mark an event's verdict, add a note\n"
	"  journal verify|show CASE    check a case's hash-chained journal, or print it\n"
	"  sql QUERY|RUNBOOK           print the Athena or CloudTrail Lake SQL a query or\n"
	"                              runbook compiles to (--dialect athena|lake)\n"
	"  sigma RULES... [--run [SOURCE]...]\n"
	"                              convert Sigma CloudTrail rules into a runbook (or run\n"
	"                              them over the sources as a sweep)\n"
	"  whoami                      the AWS credentials, region and endpoints in use\n"
	"\n"
	"A SOURCE is a file, directory or glob, or s3://BUCKET/PREFIX, lookup://REGION,\n"
	"athena://WORKGROUP/DATABASE.TABLE or lake://EVENT_DATA_STORE.\n"
	"With no SOURCE, commands read the bundled sample incident. query and run journal\n"
	"every action into a case with --case DIR, --case-id ID or --new-case.\n"
	"  -h, --help       show this help (COMMAND --help for a command's options)\n"
	"  -V, --version    show the version\n"
	"\n"
	"Exit status: 0 success, 1 findings (when asked), 2 usage or input error.\n"
	"See trailguide(1), trailguide-query(7), trailguide-runbook(5) and\n"
	"trailguide-journal(5).\n";

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2 && !(isatty(0) && isatty(1))) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (argc < 2)
		return tui_main(argc, argv);
	const char *cmd = argv[1];
	struct stat st;
	if (!strcmp(cmd, "--help-console"))
		return tui_main(2, (char *[]){ argv[0], "--help", NULL });
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
	if (!strcmp(cmd, "sql"))
		return cmd_sql(argc - 1, argv + 1);
	if (!strcmp(cmd, "whoami"))
		return cmd_whoami(argc - 1, argv + 1);
	if (!strcmp(cmd, "sigma"))
		return cmd_sigma(argc - 1, argv + 1);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "runbooks"))
		return cmd_runbooks(argc - 1, argv + 1);
	if (!strcmp(cmd, "lint"))
		return cmd_lint(argc - 1, argv + 1);
	if (!strcmp(cmd, "journal"))
		return cmd_journal(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(cmd, "case"))
		return cmd_case(argc - 1, argv + 1);
	/* options or sources without a command: the console */
	if ((cmd[0] == '-' && cmd[1]) || stat(cmd, &st) == 0)
		return tui_main(argc, argv);
	fprintf(stderr, "trailguide: unknown command '%s'\n%s", cmd, usage);
	return EXIT_USAGE;
}

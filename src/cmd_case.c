/* cmd_case.c — `trailguide case list|mark|note`: the cases on disk, verdicts and notes. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "case_state.h"
#include "cli.h"
#include "sha256.h"
#include "tgtime.h"

static const char usage[] =
	"usage: trailguide case list\n"
	"       trailguide case mark [OPTION]... CASE EVENTID benign|suspicious|malicious\n"
	"                            --reason TEXT [SOURCE]...\n"
	"       trailguide case note [OPTION]... CASE TEXT [--event EVENTID]\n"
	"List the cases under $XDG_DATA_HOME/trailguide/cases (id, runbook, entries, last\n"
	"action), or journal a verdict on an event or a note in CASE (a case directory or\n"
	"id). mark looks EVENTID up in the SOURCEs (the bundled sample incident when none is\n"
	"given) and records its time, event, principal and IP with the verdict.\n"
	"\n"
	"      --reason TEXT       why (mark; required)\n"
	"      --event EVENTID     the event a note is about (note)\n"
	"      --journal-key FILE  the case's journal is kept with the HMAC key in FILE\n"
	"  -j, --threads N         load with N threads (mark)\n"
	"  -q, --quiet             no summary lines on stderr\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 success, 2 usage error, no such case or event, a case in use, or an\n"
	"action the journal could not record.\n";

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int case_list(void)
{
	char *data = case_data_dir();
	DIR *d = opendir(data);
	char **ids = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!case_id_valid(de->d_name))
			continue;
		xgrow((void **)&ids, &cap, n + 1, sizeof *ids);
		ids[n++] = xstrdup(de->d_name);
	}
	if (d)
		closedir(d);
	qsort(ids, n, sizeof *ids, cmp_str);
	printf("%-40s %-36s %7s  %s\n", "id", "runbook", "entries", "last action");
	for (size_t i = 0; i < n; i++) {
		sbuf dir;
		sbuf_init(&dir);
		sbuf_addf(&dir, "%s/%s", data, ids[i]);
		case_state *cs = case_state_load(dir.s, NULL, 0, 0);
		char t[32] = "-";
		if (cs->last_time != TG_TIME_NONE)
			tgtime_format(cs->last_time, t);
		if (cs->verdict.problem != JOURNAL_MISSING)
			printf("%-40s %-36s %7llu  %s %s%s\n", ids[i],
			       cs->runbook_id ? cs->runbook_id : "-",
			       (unsigned long long)cs->entries, t,
			       cs->last_action ? cs->last_action : "-",
			       cs->verify_rc == 0 ? "" : " (journal damaged or keyed)");
		case_state_free(&cs);
		sbuf_free(&dir);
		free(ids[i]);
	}
	free(ids);
	free(data);
	return EXIT_OK;
}

/* Find the event in the sources; its key fields, or NULL after printing why. */
static cJSON *lookup_event(const char *event_id, char **paths, int npaths, cli_opts *o)
{
	store *s = store_new();
	ingest_stats st;
	cJSON *ev = NULL;
	o->hash_files = 1;
	if (cli_load(s, paths, npaths, o, &st) != EXIT_OK)
		goto out;
	for (size_t i = 0; i < s->n; i++) {
		size_t len;
		const char *v = store_val(s, COL_EVENTID, i, &len);
		if (!v || len != strlen(event_id) || memcmp(v, event_id, len))
			continue;
		ev = case_event_fields(s, i);
		const store_file *f = &s->files[s->file[i]];
		char hex[65];
		sha256_hex(f->sha256, hex);
		cJSON *src = cJSON_AddObjectToObject(ev, "source");
		cJSON_AddStringToObject(src, "path", f->path);
		cJSON_AddStringToObject(src, "sha256", hex);
		break;
	}
	if (!ev)
		fprintf(stderr, "trailguide case mark: no event with eventID '%s' in the sources; "
				"nothing recorded\n", event_id);
out:
	store_free(&s);
	return ev;
}

static int verdict_valid(const char *v)
{
	return !strcmp(v, "benign") || !strcmp(v, "suspicious") || !strcmp(v, "malicious");
}

int cmd_case(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "event", required_argument, NULL, 'e' },
		{ "journal-key", required_argument, NULL, 'K' },
		{ "threads", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL, *event = NULL, *key_file = NULL;
	cli_opts o;
	cli_opts_init(&o);
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 'e': event = optarg; break;
		case 'K': key_file = optarg; break;
		case 'j': o.threads = atoi(optarg); break;
		case 'q': o.quiet = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	const char *sub = optind < argc ? argv[optind++] : NULL;
	int nargs = argc - optind;
	if (sub && !strcmp(sub, "list") && nargs == 0)
		return case_list();
	int mark = sub && !strcmp(sub, "mark"), note = sub && !strcmp(sub, "note");
	const char *why = !sub ? "no subcommand given"
		: (!mark && !note && strcmp(sub, "list")) ? "unknown subcommand"
		: !strcmp(sub, "list") ? "list takes no arguments"
		: mark && nargs < 3 ? "mark needs CASE EVENTID VERDICT"
		: mark && !verdict_valid(argv[optind + 2]) ? "the verdict is benign, suspicious or malicious"
		: mark && (!reason || !*reason) ? "mark needs --reason TEXT"
		: note && nargs != 2 ? "note needs CASE TEXT"
		: note && !*argv[optind + 1] ? "an empty note"
		: NULL;
	if (why) {
		fprintf(stderr, "trailguide case: %s\n%s", why, usage);
		return EXIT_USAGE;
	}
	char msg[512];
	char *dir = case_find(argv[optind], msg, sizeof msg);
	if (!dir) {
		fprintf(stderr, "trailguide case %s: %s\n", sub, msg);
		return EXIT_USAGE;
	}
	cJSON *d = cJSON_CreateObject();
	if (mark) {
		const char *id = argv[optind + 1];
		cJSON *ev = lookup_event(id, argv + optind + 3, nargs - 3, &o);
		if (!ev) {
			cJSON_Delete(d);
			free(dir);
			return EXIT_USAGE;
		}
		cJSON_AddStringToObject(d, "event_id", id);
		cJSON_AddStringToObject(d, "verdict", argv[optind + 2]);
		cJSON_AddStringToObject(d, "reason", reason);
		cJSON_AddItemToObject(d, "event", ev);
	} else {
		cJSON_AddStringToObject(d, "text", argv[optind + 1]);
		if (event)
			cJSON_AddStringToObject(d, "event_id", event);
	}
	case_opts co = { .dir = dir, .key_file = key_file };
	tgcase *cs = NULL;
	int rc = EXIT_USAGE;
	if (case_begin(&co, NULL, &cs) == 0 && cs) {
		if (case_append(cs, mark ? CASE_A_MARK : CASE_A_NOTE, d) == 0) {
			rc = EXIT_OK;
			if (!o.quiet)
				fprintf(stderr, "trailguide: case %s: %s recorded as entry %llu\n",
					cs->id, sub, (unsigned long long)journal_count(cs->j));
		}
		d = NULL;
		case_close(&cs);
	}
	cJSON_Delete(d);
	free(dir);
	return rc;
}

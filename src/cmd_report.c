/* cmd_report.c — `trailguide report CASE`: the incident report, Markdown or JSON. */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "case_state.h"
#include "cli.h"
#include "report.h"
#include "tgtime.h"

static const char usage[] =
	"usage: trailguide report [OPTION]... CASE\n"
	"Print the incident report of CASE (a case directory, or an id from `trailguide case\n"
	"list`): the journal's verification, operators, time span, runbook, sources with\n"
	"their hashes, each step with its query and counts, marked events, notes and the\n"
	"timeline of actions.\n"
	"\n"
	"  -f, --format FMT      md (default) or json (the same, plus every journal entry and\n"
	"                        the result event IDs, for another tool)\n"
	"      --journal-key FILE  verify a journal kept with this HMAC key\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 the journal is intact, 2 usage error, no such case, or a damaged\n"
	"journal (the report is still printed: what verifies, flagged as damaged).\n";

const char *report_journal_status(const case_state *cs)
{
	if (cs->verdict.problem == JOURNAL_MISSING)
		return "missing";
	if (cs->verify_rc != 0)
		return "damaged";
	return cs->verdict.problem == JOURNAL_TORN_TAIL ? "intact (torn last line dropped)"
							: "intact";
}

static void add_str(cJSON *o, const char *name, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, name, s);
	else
		cJSON_AddNullToObject(o, name);
}

static cJSON *journal_json(const report_case *rc)
{
	const journal_verdict *v = &rc->cs->verdict;
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "status", report_journal_status(rc->cs));
	cJSON_AddNumberToObject(j, "entries", (double)v->entries);
	cJSON_AddStringToObject(j, "last_hash", v->last_hash);
	cJSON_AddBoolToObject(j, "keyed", rc->keyed);
	if (v->problem != JOURNAL_OK) {
		cJSON_AddStringToObject(j, "problem", v->msg);
		cJSON_AddNumberToObject(j, "line", (double)v->line);
	}
	return j;
}

static cJSON *steps_json(const case_state *cs)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; i < cs->nsteps; i++) {
		const case_step *s = &cs->steps[i];
		cJSON *o = cJSON_CreateObject();
		add_str(o, "runbook", s->runbook);
		cJSON_AddNumberToObject(o, "index", s->index);
		add_str(o, "title", s->title);
		add_str(o, "kind", s->kind);
		cJSON_AddStringToObject(o, "state", case_step_state_name(s->state));
		add_str(o, "query", s->query);
		cJSON_AddNumberToObject(o, "count", (double)s->count);
		add_str(o, "result_sha256", s->result_sha256);
		cJSON_AddItemToObject(o, "event_ids", s->event_ids ? cJSON_Duplicate(s->event_ids, 1)
								   : cJSON_CreateNull());
		if (s->ids_truncated)
			cJSON_AddBoolToObject(o, "event_ids_truncated", 1);
		case_json_time(o, "time", s->time ? s->time : TG_TIME_NONE);
		if (s->error)
			cJSON_AddStringToObject(o, "error", s->error);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* The ad-hoc queries, from the entries. */
static cJSON *queries_json(const case_state *cs)
{
	cJSON *a = cJSON_CreateArray(), *e;
	cJSON_ArrayForEach(e, cs->all) {
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(e, "action");
		if (!cJSON_IsString(act) || strcmp(act->valuestring, CASE_A_QUERY))
			continue;
		cJSON *o = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(e, "details"), 1);
		if (!o)
			o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "seq", cJSON_Duplicate(cJSON_GetObjectItem(e, "seq"), 1));
		cJSON_AddItemToObject(o, "time", cJSON_Duplicate(cJSON_GetObjectItem(e, "time"), 1));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

cJSON *report_json(const report_case *rc)
{
	const case_state *cs = rc->cs;
	cJSON *r = cJSON_CreateObject(), *o;
	o = cJSON_AddObjectToObject(r, "case");
	cJSON_AddStringToObject(o, "id", rc->id);
	cJSON_AddStringToObject(o, "dir", rc->dir);
	cJSON_AddItemToObject(r, "journal", journal_json(rc));
	o = cJSON_AddArrayToObject(r, "operators");
	for (size_t i = 0; i < cs->noperators; i++)
		cJSON_AddItemToArray(o, cJSON_CreateString(cs->operators[i]));
	o = cJSON_AddObjectToObject(r, "time_span");
	case_json_time(o, "first", cs->first_time);
	case_json_time(o, "last", cs->last_time);
	o = cJSON_AddObjectToObject(r, "runbook");
	add_str(o, "id", cs->runbook_id);
	cJSON_AddNumberToObject(o, "version", cs->runbook_version);
	add_str(o, "title", cs->runbook_title);
	add_str(o, "sha256", cs->runbook_sha256);
	o = cJSON_AddArrayToObject(r, "sources");
	for (size_t i = 0; i < cs->nsources; i++) {
		const case_source *s = &cs->sources[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "path", s->path);
		add_str(x, "format", s->format);
		cJSON_AddBoolToObject(x, "gz", s->gz);
		cJSON_AddNumberToObject(x, "bytes", (double)s->bytes);
		cJSON_AddNumberToObject(x, "events", (double)s->events);
		add_str(x, "sha256", s->sha256);
		if (s->etag)
			cJSON_AddStringToObject(x, "etag", s->etag);
		cJSON_AddItemToArray(o, x);
	}
	cJSON_AddItemToObject(r, "steps", steps_json(cs));
	cJSON_AddItemToObject(r, "queries", queries_json(cs));
	o = cJSON_AddArrayToObject(r, "marks");
	for (size_t i = 0; i < cs->nmarks; i++) {
		const case_mark *m = &cs->marks[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "event_id", m->event_id);
		add_str(x, "verdict", m->verdict);
		add_str(x, "reason", m->reason);
		add_str(x, "operator", m->operator);
		case_json_time(x, "time", m->time);
		cJSON_AddNumberToObject(x, "seq", (double)m->seq);
		cJSON_AddItemToObject(x, "event", m->event ? cJSON_Duplicate(m->event, 1)
							   : cJSON_CreateNull());
		cJSON_AddItemToArray(o, x);
	}
	o = cJSON_AddArrayToObject(r, "notes");
	for (size_t i = 0; i < cs->nnotes; i++) {
		const case_note *n = &cs->notes[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "text", n->text);
		add_str(x, "event_id", n->event_id);
		add_str(x, "operator", n->operator);
		case_json_time(x, "time", n->time);
		cJSON_AddNumberToObject(x, "seq", (double)n->seq);
		cJSON_AddItemToArray(o, x);
	}
	cJSON_AddItemToObject(r, "entries", cs->all ? cJSON_Duplicate(cs->all, 1)
						    : cJSON_CreateArray());
	return r;
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "journal-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key_file = NULL;
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "md") && strcmp(optarg, "json")) {
				fprintf(stderr, "trailguide: --format '%s': use md or json\n", optarg);
				return EXIT_USAGE;
			}
			json = !strcmp(optarg, "json");
			break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: fputs(usage, stderr); return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "trailguide report: %s\n%s",
			optind >= argc ? "no CASE given" : "give one CASE", usage);
		return EXIT_USAGE;
	}
	char msg[512];
	char *dir = case_find(argv[optind], msg, sizeof msg);
	if (!dir) {
		fprintf(stderr, "trailguide report: %s\n", msg);
		return EXIT_USAGE;
	}
	unsigned char *key = NULL;
	size_t keylen = 0;
	if (key_file && journal_key_load(key_file, &key, &keylen, msg, sizeof msg) < 0) {
		fprintf(stderr, "trailguide report: %s\n", msg);
		free(dir);
		return EXIT_USAGE;
	}
	case_state *cs = case_state_load(dir, key, keylen, 1);
	if (key)
		OPENSSL_cleanse(key, keylen);
	free(key);
	int rc = EXIT_OK;
	if (cs->verify_rc == 2 || cs->verdict.problem == JOURNAL_MISSING) {
		fprintf(stderr, "trailguide report: %s: %s\n", dir,
			cs->verdict.msg[0] ? cs->verdict.msg : "no journal to read");
		rc = EXIT_USAGE;
		goto out;
	}
	char *t = xstrdup(dir);
	size_t n = strlen(t);
	while (n > 1 && t[n - 1] == '/')
		t[--n] = 0;
	const char *slash = strrchr(t, '/');
	report_case r = { .id = slash && slash[1] ? slash + 1 : t, .dir = dir,
			  .keyed = key_file != NULL, .cs = cs };
	if (json) {
		cJSON *o = report_json(&r);
		char *s = cJSON_Print(o);
		puts(s);
		free(s);
		cJSON_Delete(o);
	} else {
		sbuf b;
		sbuf_init(&b);
		report_md(&b, &r);
		fwrite(b.s, 1, b.len, stdout);
		sbuf_free(&b);
	}
	free(t);
	if (cs->verify_rc != 0) {
		fprintf(stderr, "trailguide report: the journal of %s is DAMAGED: %s\n", dir,
			cs->verdict.msg);
		rc = EXIT_USAGE;
	}
out:
	case_state_free(&cs);
	free(dir);
	return rc;
}

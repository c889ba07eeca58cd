/* test_case.c — case ids and directories, and replaying a hand-built journal into state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "case_state.h"
#include "tap.h"
#include "tgtime.h"

static int64_t now_ms;
static int64_t pinned(void)
{
	return now_ms += 1000; /* one second per entry */
}

static cJSON *obj(const char *json)
{
	cJSON *o = cJSON_Parse(json);
	if (!o)
		fprintf(stderr, "bad test JSON: %s\n", json);
	return o;
}

static void test_ids(const char *tmp)
{
	ok(case_id_valid("2026-11-20-anomaly-cloudtrail-tampering"), "a made id is valid");
	ok(!case_id_valid("../etc") && !case_id_valid(".hidden") && !case_id_valid("a/b") &&
		   !case_id_valid(""),
	   "ids with '/', a leading '.', or empty are refused");
	int64_t t;
	tgtime_parse("2026-11-20T02:13:07Z", 20, &t);
	char *id = case_make_id(tmp, t, "anomaly/cloudtrail-tampering");
	is_str(id, "2026-11-20-anomaly-cloudtrail-tampering", "id from the date and the runbook");
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", tmp, id);
	mkdir(path, 0700);
	free(id);
	id = case_make_id(tmp, t, "anomaly/cloudtrail-tampering");
	is_str(id, "2026-11-20-anomaly-cloudtrail-tampering-2", "an existing one gets -2");
	free(id);
	id = case_make_id(tmp, t, NULL);
	is_str(id, "2026-11-20-query", "no runbook: -query");
	free(id);
	id = case_make_id(tmp, t, "--Weird  ID!!");
	is_str(id, "2026-11-20-weird-id", "the slug is lowercase letters, digits and single dashes");
	free(id);

	setenv("XDG_DATA_HOME", "/srv/data", 1);
	char *d = case_data_dir();
	is_str(d, "/srv/data/trailguide/cases", "cases under $XDG_DATA_HOME");
	free(d);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/ann", 1);
	d = case_data_dir();
	is_str(d, "/home/ann/.local/share/trailguide/cases", "default ~/.local/share");
	free(d);

	char msg[256], *dir = NULL;
	case_opts co = { .id = "../x" };
	ok(case_opts_dir(&co, NULL, &dir, msg, sizeof msg) < 0 && strstr(msg, "--case-id"),
	   "--case-id refuses a path");
	co = (case_opts){ .dir = "/a", .id = "b" };
	ok(case_opts_dir(&co, NULL, &dir, msg, sizeof msg) < 0, "--case and --case-id conflict");
	co = (case_opts){ 0 };
	ok(case_opts_dir(&co, NULL, &dir, msg, sizeof msg) == 0 && !dir, "no case asked for");
	co = (case_opts){ .id = "inc-42" };
	ok(case_opts_dir(&co, NULL, &dir, msg, sizeof msg) == 0 && dir &&
		   !strcmp(dir, "/home/ann/.local/share/trailguide/cases/inc-42"),
	   "--case-id ID under the data directory");
	free(dir);
}

static void append(journal *j, const char *action, const char *details,
		   const journal_runbook *rb)
{
	char msg[256];
	int rc = journal_append(j, action, details ? obj(details) : NULL, rb, msg, sizeof msg);
	ok(rc == 0, "append %s%s%s", action, rc ? ": " : "", rc ? msg : "");
}

static void test_replay(const char *tmp)
{
	char dir[4096], msg[256];
	snprintf(dir, sizeof dir, "%s/case1", tmp);
	tgtime_parse("2026-11-20T02:00:00Z", 20, &now_ms);
	journal_opts o = { .clock = pinned };
	journal *j = journal_open(dir, &o, msg, sizeof msg);
	ok(j != NULL, "journal_open %s", j ? "" : msg);
	if (!j)
		return;
	journal_runbook rb = { .id = "test/rb", .version = 3, .sha256_hex = "ab" };
	append(j, "open", "{\"command\":\"console\",\"runbook_title\":\"T\",\"steps\":["
			  "{\"title\":\"A\",\"kind\":\"findings\"},{\"title\":\"B\",\"kind\":\"context\"},"
			  "{\"title\":\"C\",\"kind\":\"findings\"}]}", &rb);
	append(j, "source", "{\"files\":[{\"path\":\"/t/a.json\",\"format\":\"records\","
			    "\"gz\":false,\"bytes\":10,\"events\":2,\"sha256\":\"00\"}],"
			    "\"nfiles\":1,\"events\":2}", &rb);
	append(j, "step", "{\"step\":\"A\",\"index\":1,\"kind\":\"findings\",\"query\":\"q1\","
			  "\"count\":2,\"result_sha256\":\"h1\",\"event_ids\":[\"e1\",\"e2\"]}", &rb);
	append(j, "step", "{\"step\":\"B\",\"index\":2,\"kind\":\"context\",\"query\":\"q2\","
			  "\"count\":5,\"result_sha256\":\"h2\",\"event_ids\":[]}", &rb);
	append(j, "mark", "{\"event_id\":\"e1\",\"verdict\":\"suspicious\",\"reason\":\"odd\","
			  "\"event\":{\"principal\":\"arn:p\",\"ip\":\"1.2.3.4\"}}", &rb);
	append(j, "mark", "{\"event_id\":\"e2\",\"verdict\":\"benign\",\"reason\":\"ci\"}", &rb);
	append(j, "mark", "{\"event_id\":\"e1\",\"verdict\":\"malicious\",\"reason\":\"confirmed\","
			  "\"event\":{\"principal\":\"arn:p\"}}", &rb);
	append(j, "note", "{\"text\":\"called the owner\"}", &rb);
	append(j, "note", "{\"text\":\"key disabled\",\"event_id\":\"e1\"}", &rb);
	append(j, "pivot", "{\"field\":\"ip\",\"value\":\"1.2.3.4\",\"query\":\"ip = 1.2.3.4\"}", &rb);
	append(j, "view", "{\"event_id\":\"e9\"}", &rb);
	char m2[256];
	ok(journal_append(j, "note", obj("{\"SessionToken\":\"x\"}"), &rb, m2, sizeof m2) < 0,
	   "a secret-named key is refused by the journal");
	journal_close(&j);

	case_state *cs = case_state_load(dir, NULL, 0, 1);
	is_int(cs->verify_rc, 0, "the journal verifies");
	is_int(cs->entries, 11, "11 entries replayed");
	is_int(cJSON_GetArraySize(cs->all), 11, "all entries kept");
	is_str(cs->runbook_id, "test/rb", "runbook id");
	is_int(cs->runbook_version, 3, "runbook version");
	is_str(cs->runbook_title, "T", "runbook title");
	is_int(cs->nsteps, 3, "three steps known from open");
	const case_step *a = case_state_step(cs, "test/rb", "A");
	const case_step *b = case_state_step(cs, "test/rb", "B");
	const case_step *c = case_state_step(cs, "test/rb", "C");
	ok(a && a->state == CASE_STEP_FINDINGS && a->count == 2, "A has findings, 2 rows");
	ok(b && b->state == CASE_STEP_DONE && b->count == 5, "B (context) is done");
	ok(c && c->state == CASE_STEP_NOT_RUN && c->index == 3, "C not run");
	is_str(a ? a->result_sha256 : NULL, "h1", "A's result hash");
	is_int(a && a->event_ids ? cJSON_GetArraySize(a->event_ids) : -1, 2, "A's event ids");
	is_int(cs->nmarks, 2, "two events marked");
	const case_mark *m = case_state_mark(cs, "e1");
	is_str(m ? m->verdict : NULL, "malicious", "the later mark overrides");
	is_str(m ? m->reason : NULL, "confirmed", "with its reason");
	is_int(m ? m->seq : 0, 7, "and its seq");
	int64_t want;
	tgtime_parse("2026-11-20T02:00:07Z", 20, &want);
	is_int(m ? m->time : 0, want, "the mark's time from the pinned clock");
	ok(m && m->operator && *m->operator, "the mark has an operator");
	is_str(case_state_mark(cs, "e2")->verdict, "benign", "e2 benign");
	is_int(cs->nnotes, 2, "two notes");
	is_str(cs->notes[1].event_id, "e1", "a note on an event");
	ok(cs->notes[0].event_id == NULL, "a note on the case");
	is_str(cs->view.action, "pivot", "the last view is the pivot");
	is_str(cs->view.query, "ip = 1.2.3.4", "its query");
	is_str(cs->view.event_id, "e9", "the event viewed after it");
	is_int(cs->nsources, 1, "one source");
	is_str(cs->sources[0].sha256, "00", "its hash");
	tgtime_parse("2026-11-20T02:00:01Z", 20, &want);
	is_int(cs->first_time, want, "the first entry's time");
	is_int(cs->noperators, 1, "one operator");
	case_state_free(&cs);

	/* resume: reopening continues the sequence, a step run again replaces its state */
	j = journal_open(dir, &o, msg, sizeof msg);
	ok(j && journal_count(j) == 11, "reopened with 11 entries");
	if (j) {
		append(j, "step", "{\"step\":\"A\",\"index\":1,\"kind\":\"findings\",\"query\":\"q1\","
				  "\"count\":0,\"result_sha256\":\"h0\",\"event_ids\":[]}", &rb);
		append(j, "query", "{\"query\":\"event = X\",\"count\":1}", NULL);
		journal_close(&j);
	}
	cs = case_state_load(dir, NULL, 0, 0);
	a = case_state_step(cs, "test/rb", "A");
	ok(a && a->state == CASE_STEP_DONE && a->count == 0 && a->seq == 12,
	   "A re-run with no rows is done");
	is_str(cs->view.action, "query", "the last view is now the query");
	ok(cs->view.event_id == NULL, "a new view forgets the viewed event");
	ok(cs->all == NULL, "entries not kept when not asked");
	case_state_free(&cs);

	cs = case_state_load(tmp, NULL, 0, 0);
	ok(cs->entries == 0 && cs->verdict.problem == JOURNAL_MISSING, "no journal: missing");
	case_state_free(&cs);
}

int main(void)
{
	char tmp[] = "/tmp/tg-case.XXXXXX";
	if (!mkdtemp(tmp))
		return 1;
	test_ids(tmp);
	test_replay(tmp);
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmp);
	return tap_done();
}

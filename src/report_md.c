/* report_md.c — a case's incident report in Markdown: summary, sources, steps, marks. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "esc.h"
#include "report.h"
#include "tgtime.h"

/* Escaped for the terminal and for Markdown (esc_md); nothing for NULL. */
static void md(sbuf *b, const char *s)
{
	if (s)
		esc_md(b, s, strlen(s));
}

/* Inline code that its content cannot close (hashes, ids). */
static void code(sbuf *b, const char *s)
{
	sbuf_adds(b, "`` ");
	if (s) {
		sbuf e;
		sbuf_init(&e);
		esc_term(&e, s, strlen(s));
		for (size_t i = 0; i < e.len; i++)
			sbuf_addc(b, e.s[i] == '`' || e.s[i] == '|' ? '\'' : e.s[i]);
		sbuf_free(&e);
	}
	sbuf_adds(b, " ``");
}

static void tm(sbuf *b, int64_t t)
{
	char buf[32];
	sbuf_adds(b, t == TG_TIME_NONE ? "-" : tgtime_format(t, buf));
}

/* A fenced block that its content cannot close. */
static void fenced(sbuf *b, const char *s)
{
	size_t run = 0, best = 0, n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	size_t f = best < 3 ? 3 : best + 1;
	for (size_t i = 0; i < f; i++)
		sbuf_addc(b, '`');
	sbuf_adds(b, "text\n");
	for (const char *p = s; p && *p;) { /* line by line: newlines stay newlines */
		const char *e = strchr(p, '\n');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		esc_term(b, p, k);
		sbuf_addc(b, '\n');
		p += k + (e ? 1 : 0);
	}
	for (size_t i = 0; i < f; i++)
		sbuf_addc(b, '`');
	sbuf_adds(b, "\n\n");
}

static const char *fstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void header(sbuf *b, const report_case *rc)
{
	const case_state *cs = rc->cs;
	const journal_verdict *v = &cs->verdict;
	sbuf_adds(b, "# Incident report: ");
	md(b, rc->id);
	sbuf_adds(b, "\n\n");
	if (cs->verify_rc == 0)
		sbuf_addf(b, "**Journal: intact.** %" PRIu64 " entries, hash-chained (%s); the last "
			  "hash is ", v->entries, rc->keyed ? "HMAC-SHA-256 with the journal key" :
			  "SHA-256");
	else
		sbuf_addf(b, "**Journal: DAMAGED.** %s. This report covers only the %" PRIu64
			  " %s before line %" PRIu64 ", which verify; nothing after them can "
			  "be trusted. The last good hash is ", v->msg, v->entries,
			  v->entries == 1 ? "entry" : "entries", v->line);
	code(b, v->last_hash);
	sbuf_adds(b, ".");
	if (v->problem == JOURNAL_TORN_TAIL)
		sbuf_adds(b, " The last line was incomplete (a crash while writing) and is not "
			     "counted.");
	sbuf_adds(b, "\n\n| | |\n| --- | --- |\n| Case | ");
	md(b, rc->id);
	sbuf_adds(b, " (");
	code(b, rc->dir);
	sbuf_adds(b, ") |\n| Operators | ");
	for (size_t i = 0; i < cs->noperators; i++) {
		sbuf_adds(b, i ? ", " : "");
		md(b, cs->operators[i]);
	}
	sbuf_adds(b, " |\n| Time span | ");
	tm(b, cs->first_time);
	sbuf_adds(b, " to ");
	tm(b, cs->last_time);
	sbuf_adds(b, " |\n| Runbook | ");
	if (cs->runbook_id) {
		md(b, cs->runbook_id);
		sbuf_addf(b, " version %d", cs->runbook_version);
		if (cs->runbook_title) {
			sbuf_adds(b, ", ");
			md(b, cs->runbook_title);
		}
		sbuf_adds(b, " (sha256 ");
		code(b, cs->runbook_sha256 ? cs->runbook_sha256 : "-");
		sbuf_adds(b, ")");
	} else {
		sbuf_adds(b, "none");
	}
	sbuf_addf(b, " |\n| Entries | %" PRIu64 " (%" PRIu64 " sessions) |\n\n", cs->entries,
		  cs->opens);
}

static void sources(sbuf *b, const case_state *cs)
{
	sbuf_addf(b, "## Sources (%zu)\n\n", cs->nsources);
	if (!cs->nsources) {
		sbuf_adds(b, "None recorded.\n\n");
		return;
	}
	sbuf_adds(b, "| path | format | bytes | events | sha256 / ETag |\n"
		     "| --- | --- | ---: | ---: | --- |\n");
	for (size_t i = 0; i < cs->nsources; i++) {
		const case_source *s = &cs->sources[i];
		sbuf_adds(b, "| ");
		md(b, s->path);
		sbuf_adds(b, " | ");
		md(b, s->format);
		sbuf_addf(b, "%s | %" PRIu64 " | %" PRIu64 " | ", s->gz ? ", gzip" : "", s->bytes,
			  s->events);
		code(b, s->etag ? s->etag : s->sha256);
		sbuf_adds(b, " |\n");
	}
	sbuf_adds(b, "\n");
}

static void steps(sbuf *b, const case_state *cs)
{
	sbuf_addf(b, "## Steps (%d)\n\n", cs->nsteps);
	for (int i = 0; i < cs->nsteps; i++) {
		const case_step *s = &cs->steps[i];
		sbuf_adds(b, "### ");
		if (s->index)
			sbuf_addf(b, "%d. ", s->index);
		md(b, s->title);
		sbuf_adds(b, "\n\n");
		if (s->runbook) {
			sbuf_adds(b, "Runbook ");
			md(b, s->runbook);
			sbuf_adds(b, ", ");
		}
		sbuf_addf(b, "%s step, **%s**", s->kind ? s->kind : "?",
			  case_step_state_name(s->state));
		if (s->result_sha256) {
			sbuf_addf(b, ", %zu row%s at ", s->count, s->count == 1 ? "" : "s");
			tm(b, s->time);
			sbuf_adds(b, "; result sha256 ");
			code(b, s->result_sha256);
		}
		if (s->error) {
			sbuf_adds(b, "; failed: ");
			md(b, s->error);
		}
		sbuf_adds(b, ".\n\n");
		if (s->query)
			fenced(b, s->query);
	}
}

static void marks(sbuf *b, const case_state *cs)
{
	sbuf_addf(b, "## Marked events (%zu)\n\n", cs->nmarks);
	if (cs->nmarks)
		sbuf_adds(b, "| verdict | time | event | principal | ip | eventID | reason | "
			     "marked by | at |\n| --- | --- | --- | --- | --- | --- | --- | --- | "
			     "--- |\n");
	for (size_t i = 0; i < cs->nmarks; i++) {
		const case_mark *m = &cs->marks[i];
		sbuf_adds(b, "| **");
		md(b, m->verdict);
		sbuf_adds(b, "** |");
		static const char *const f[] = { "time", "event", "principal", "ip" };
		for (size_t k = 0; k < 4; k++) {
			sbuf_addc(b, ' ');
			md(b, fstr(m->event, f[k]));
			sbuf_adds(b, " |");
		}
		sbuf_adds(b, " ");
		code(b, m->event_id);
		sbuf_adds(b, " | ");
		md(b, m->reason);
		sbuf_adds(b, " | ");
		md(b, m->operator);
		sbuf_adds(b, " | ");
		tm(b, m->time);
		sbuf_adds(b, " |\n");
	}
	sbuf_addf(b, "%s## Notes (%zu)\n\n", cs->nmarks ? "\n" : "", cs->nnotes);
	for (size_t i = 0; i < cs->nnotes; i++) {
		const case_note *n = &cs->notes[i];
		sbuf_adds(b, "- ");
		tm(b, n->time);
		sbuf_adds(b, ", ");
		md(b, n->operator);
		if (n->event_id) {
			sbuf_adds(b, ", on event ");
			code(b, n->event_id);
		}
		sbuf_adds(b, ": ");
		md(b, n->text);
		sbuf_adds(b, "\n");
	}
	if (cs->nnotes)
		sbuf_adds(b, "\n");
}

/* One line saying what an entry did. */
static void what(sbuf *b, const char *action, const cJSON *d)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(d, "count");
	if (!strcmp(action, CASE_A_OPEN)) {
		md(b, fstr(d, "command"));
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "resumed")))
			sbuf_adds(b, " (resumed)");
	} else if (!strcmp(action, CASE_A_SOURCE)) {
		sbuf_addf(b, "%.0f files, %.0f events",
			  cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(d, "nfiles")),
			  cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(d, "events")));
	} else if (!strcmp(action, CASE_A_STEP)) {
		md(b, fstr(d, "step"));
	} else if (!strcmp(action, CASE_A_MARK)) {
		md(b, fstr(d, "event_id"));
		sbuf_adds(b, " ");
		md(b, fstr(d, "verdict"));
	} else if (!strcmp(action, CASE_A_NOTE)) {
		md(b, fstr(d, "text"));
	} else if (!strcmp(action, CASE_A_WINDOW)) {
		md(b, fstr(d, "window"));
	} else if (fstr(d, "query")) {
		md(b, fstr(d, "query"));
	} else if (fstr(d, "event_id")) {
		md(b, fstr(d, "event_id"));
	}
	if (cJSON_IsNumber(n))
		sbuf_addf(b, ": %.0f row%s", n->valuedouble, n->valuedouble == 1 ? "" : "s");
	if (!strcmp(action, CASE_A_CLOSE))
		sbuf_addf(b, "exit status %.0f",
			  cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(d, "status")));
}

static void timeline(sbuf *b, const case_state *cs)
{
	sbuf_adds(b, "## Timeline\n\n| seq | time | operator | action | what |\n"
		     "| ---: | --- | --- | --- | --- |\n");
	const cJSON *e;
	cJSON_ArrayForEach(e, cs->all) {
		const char *action = fstr(e, "action");
		double seq = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "seq"));
		sbuf_addf(b, "| %.0f | ", seq);
		md(b, fstr(e, "time"));
		sbuf_adds(b, " | ");
		char *op = case_operator_name(cJSON_GetObjectItemCaseSensitive(e, "operator"));
		md(b, op);
		free(op);
		sbuf_adds(b, " | ");
		md(b, action);
		sbuf_adds(b, " | ");
		if (action)
			what(b, action, cJSON_GetObjectItemCaseSensitive(e, "details"));
		sbuf_adds(b, " |\n");
	}
}

void report_md(sbuf *b, const report_case *rc)
{
	header(b, rc);
	sources(b, rc->cs);
	steps(b, rc->cs);
	marks(b, rc->cs);
	timeline(b, rc->cs);
}

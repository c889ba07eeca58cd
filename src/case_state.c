/* case_state.c — replay a case's journal into what resume and the report need. */
#include "case_state.h"

#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "tgtime.h"
#include "util.h"

static const char *jstr(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Replace *dst with a copy of s (NULL stays NULL). */
static void set(char **dst, const char *s)
{
	free(*dst);
	*dst = dup_or_null(s);
}

case_state *case_state_new(void)
{
	case_state *cs = xcalloc(1, sizeof *cs);
	cs->first_time = cs->last_time = TG_TIME_NONE;
	return cs;
}

char *case_operator_name(const cJSON *op)
{
	sbuf b;
	sbuf_init(&b);
	const char *user = jstr(op, "user"), *host = jstr(op, "host");
	sbuf_adds(&b, user && *user ? user : "?");
	if (host && *host)
		sbuf_addf(&b, "@%s", host);
	const char *from = jstr(op, "ssh_client");
	if (!from)
		from = jstr(op, "ssh");
	if (from && *from)
		sbuf_addf(&b, " (from %s)", from);
	return sbuf_take(&b);
}

const case_step *case_state_step(const case_state *cs, const char *rb, const char *title)
{
	for (int i = 0; i < cs->nsteps; i++) {
		const case_step *s = &cs->steps[i];
		if (!strcmp(s->title, title) && !strcmp(s->runbook ? s->runbook : "", rb ? rb : ""))
			return s;
	}
	return NULL;
}

const case_mark *case_state_mark(const case_state *cs, const char *event_id)
{
	for (size_t i = 0; i < cs->nmarks; i++)
		if (!strcmp(cs->marks[i].event_id, event_id))
			return &cs->marks[i];
	return NULL;
}

const char *case_step_state_name(enum case_step_state s)
{
	return s == CASE_STEP_FINDINGS ? "has findings" : s == CASE_STEP_DONE ? "done" : "not run";
}

static case_step *step_get(case_state *cs, const char *rb, const char *title)
{
	case_step *s = (case_step *)case_state_step(cs, rb, title);
	if (s)
		return s;
	cs->steps = xrealloc(cs->steps, (size_t)(cs->nsteps + 1) * sizeof *cs->steps);
	s = &cs->steps[cs->nsteps++];
	memset(s, 0, sizeof *s);
	s->runbook = dup_or_null(rb);
	s->title = xstrdup(title);
	return s;
}

/* A time member of an entry ("2026-11-20T02:13:07Z", or null: open). */
static int64_t entry_time(const cJSON *d, const char *name)
{
	const char *v = jstr(d, name);
	int64_t t;
	return v && tgtime_parse(v, strlen(v), &t) == 0 ? t : TG_TIME_NONE;
}

static void apply_open(case_state *cs, const cJSON *d, const char *rb)
{
	if (!rb)
		return;
	set(&cs->runbook_title, jstr(d, "runbook_title"));
	const cJSON *steps = cJSON_GetObjectItemCaseSensitive(d, "steps"), *it;
	int i = 0;
	cJSON_ArrayForEach(it, steps) {
		const char *title = jstr(it, "title");
		i++;
		if (!title)
			continue;
		case_step *s = step_get(cs, rb, title);
		s->index = i;
		set(&s->kind, jstr(it, "kind"));
	}
}

static void apply_step(case_state *cs, const cJSON *d, const char *rb, int64_t t,
		       uint64_t seq)
{
	const char *title = jstr(d, "step");
	if (!title)
		return;
	case_step *s = step_get(cs, rb, title);
	s->index = (int)jnum(d, "index");
	set(&s->kind, jstr(d, "kind"));
	set(&s->query, jstr(d, "query"));
	set(&s->error, jstr(d, "error"));
	set(&s->result_sha256, jstr(d, "result_sha256"));
	s->count = (size_t)jnum(d, "count");
	cJSON_Delete(s->event_ids);
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(d, "event_ids");
	s->event_ids = cJSON_IsArray(ids) ? cJSON_Duplicate(ids, 1) : NULL;
	s->ids_truncated = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "event_ids_truncated"));
	s->time = t;
	s->seq = seq;
	if (s->error)
		s->state = CASE_STEP_NOT_RUN;
	else
		s->state = s->kind && !strcmp(s->kind, "findings") && s->count ? CASE_STEP_FINDINGS
									: CASE_STEP_DONE;
	set(&cs->view.action, CASE_A_STEP);
	set(&cs->view.query, s->query);
	set(&cs->view.step, title);
	set(&cs->view.event_id, NULL);
	cs->view.step_index = s->index;
	cs->view.seq = seq;
}

static void apply_mark(case_state *cs, const cJSON *d, const char *op, int64_t t, uint64_t seq)
{
	const char *id = jstr(d, "event_id");
	if (!id)
		return;
	case_mark *m = (case_mark *)case_state_mark(cs, id);
	if (!m) {
		cs->marks = xrealloc(cs->marks, (cs->nmarks + 1) * sizeof *cs->marks);
		m = &cs->marks[cs->nmarks++];
		memset(m, 0, sizeof *m);
		m->event_id = xstrdup(id);
	}
	set(&m->verdict, jstr(d, "verdict"));
	set(&m->reason, jstr(d, "reason"));
	set(&m->operator, op);
	cJSON_Delete(m->event);
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(d, "event");
	m->event = cJSON_IsObject(ev) ? cJSON_Duplicate(ev, 1) : NULL;
	m->time = t;
	m->seq = seq;
}

static void apply_source_file(case_state *cs, const cJSON *d)
{
	const char *path = jstr(d, "path"), *sha = jstr(d, "sha256");
	if (!path)
		return;
	for (size_t i = 0; i < cs->nsources; i++)
		if (!strcmp(cs->sources[i].path, path) &&
		    !strcmp(cs->sources[i].sha256 ? cs->sources[i].sha256 : "", sha ? sha : ""))
			return;
	cs->sources = xrealloc(cs->sources, (cs->nsources + 1) * sizeof *cs->sources);
	case_source *s = &cs->sources[cs->nsources++];
	s->path = xstrdup(path);
	s->format = dup_or_null(jstr(d, "format"));
	s->sha256 = dup_or_null(sha);
	s->etag = dup_or_null(jstr(d, "etag"));
	s->gz = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(d, "gz"));
	s->bytes = (uint64_t)jnum(d, "bytes");
	s->events = (uint64_t)jnum(d, "events");
}

/* A source entry lists the files of one load. */
static void apply_source(case_state *cs, const cJSON *d)
{
	const cJSON *f, *files = cJSON_GetObjectItemCaseSensitive(d, "files");
	cJSON_ArrayForEach(f, files)
		apply_source_file(cs, f);
}

static void add_operator(case_state *cs, const char *name)
{
	for (size_t i = 0; i < cs->noperators; i++)
		if (!strcmp(cs->operators[i], name))
			return;
	cs->operators = xrealloc(cs->operators, (cs->noperators + 1) * sizeof *cs->operators);
	cs->operators[cs->noperators++] = xstrdup(name);
}

void case_state_apply(case_state *cs, const cJSON *e)
{
	const char *action = jstr(e, "action"), *ts = jstr(e, "time");
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(e, "details");
	const cJSON *rbo = cJSON_GetObjectItemCaseSensitive(e, "runbook");
	uint64_t seq = (uint64_t)jnum(e, "seq");
	int64_t t = TG_TIME_NONE;
	if (ts)
		tgtime_parse(ts, strlen(ts), &t);
	cs->entries++;
	if (t != TG_TIME_NONE) {
		if (cs->first_time == TG_TIME_NONE)
			cs->first_time = t;
		cs->last_time = t;
	}
	if (cs->all)
		cJSON_AddItemToArray(cs->all, cJSON_Duplicate(e, 1));
	char *op = case_operator_name(cJSON_GetObjectItemCaseSensitive(e, "operator"));
	add_operator(cs, op);
	const char *rb = jstr(rbo, "id");
	if (!action)
		goto out;
	set(&cs->last_action, action);
	if (!strcmp(action, CASE_A_OPEN) || !strcmp(action, CASE_A_RUNBOOK)) {
		if (rb) {
			set(&cs->runbook_id, rb);
			set(&cs->runbook_sha256, jstr(rbo, "sha256"));
			cs->runbook_version = (int)jnum(rbo, "version");
		}
		if (!strcmp(action, CASE_A_OPEN))
			cs->opens++;
		apply_open(cs, d, rb);
	} else if (!strcmp(action, CASE_A_SOURCE)) {
		apply_source(cs, d);
	} else if (!strcmp(action, CASE_A_STEP)) {
		apply_step(cs, d, rb, t, seq);
	} else if (!strcmp(action, CASE_A_QUERY) || !strcmp(action, CASE_A_PIVOT) ||
		   !strcmp(action, CASE_A_BACK)) {
		set(&cs->view.action, action);
		set(&cs->view.query, jstr(d, "query"));
		set(&cs->view.step, NULL);
		set(&cs->view.event_id, NULL);
		cs->view.step_index = 0;
		cs->view.seq = seq;
	} else if (!strcmp(action, CASE_A_VIEW)) {
		set(&cs->view.event_id, jstr(d, "event_id"));
	} else if (!strcmp(action, CASE_A_WINDOW)) {
		cs->window.set = 1;
		cs->window.since = entry_time(d, "since");
		cs->window.until = entry_time(d, "until");
	} else if (!strcmp(action, CASE_A_MARK)) {
		apply_mark(cs, d, op, t, seq);
	} else if (!strcmp(action, CASE_A_NOTE) && jstr(d, "text")) {
		cs->notes = xrealloc(cs->notes, (cs->nnotes + 1) * sizeof *cs->notes);
		case_note *n = &cs->notes[cs->nnotes++];
		n->text = xstrdup(jstr(d, "text"));
		n->event_id = dup_or_null(jstr(d, "event_id"));
		n->operator = xstrdup(op);
		n->time = t;
		n->seq = seq;
	}
out:
	free(op);
}

static void replay(void *ud, const cJSON *entry)
{
	case_state_apply(ud, entry);
}

case_state *case_state_load(const char *dir, const unsigned char *key, size_t keylen,
			    int keep_entries)
{
	case_state *cs = case_state_new();
	if (keep_entries)
		cs->all = cJSON_CreateArray();
	cs->verify_rc = journal_read(dir, key, keylen, replay, cs, &cs->verdict);
	return cs;
}

void case_state_free(case_state **p)
{
	case_state *cs = *p;
	if (!cs)
		return;
	free(cs->runbook_id);
	free(cs->runbook_sha256);
	free(cs->runbook_title);
	for (int i = 0; i < cs->nsteps; i++) {
		case_step *s = &cs->steps[i];
		free(s->runbook);
		free(s->title);
		free(s->kind);
		free(s->query);
		free(s->error);
		free(s->result_sha256);
		cJSON_Delete(s->event_ids);
	}
	free(cs->steps);
	for (size_t i = 0; i < cs->nmarks; i++) {
		case_mark *m = &cs->marks[i];
		free(m->event_id);
		free(m->verdict);
		free(m->reason);
		free(m->operator);
		cJSON_Delete(m->event);
	}
	free(cs->marks);
	for (size_t i = 0; i < cs->nnotes; i++) {
		free(cs->notes[i].text);
		free(cs->notes[i].event_id);
		free(cs->notes[i].operator);
	}
	free(cs->notes);
	for (size_t i = 0; i < cs->nsources; i++) {
		free(cs->sources[i].path);
		free(cs->sources[i].format);
		free(cs->sources[i].sha256);
		free(cs->sources[i].etag);
	}
	free(cs->sources);
	for (size_t i = 0; i < cs->noperators; i++)
		free(cs->operators[i]);
	free(cs->operators);
	free(cs->view.action);
	free(cs->view.query);
	free(cs->view.step);
	free(cs->view.event_id);
	free(cs->last_action);
	cJSON_Delete(cs->all);
	free(cs);
	*p = NULL;
}

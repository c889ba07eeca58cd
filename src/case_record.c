/* case_record.c — what each action writes into a case's journal: open, sources, steps. */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "config.h"
#include "esc.h"
#include "jframe.h"
#include "run_output.h"
#include "sha256.h"
#include "tgtime.h"

/* The runbook's title and steps, as the open and runbook entries carry them. */
static void add_runbook_steps(cJSON *d, const runbook *rb)
{
	cJSON_AddStringToObject(d, "runbook_title", rb->title ? rb->title : "");
	cJSON *steps = cJSON_AddArrayToObject(d, "steps");
	for (int i = 0; i < rb->nsteps; i++) {
		cJSON *s = cJSON_CreateObject();
		cJSON_AddStringToObject(s, "title", rb->steps[i].title);
		cJSON_AddStringToObject(s, "kind", runbook_kind_name(rb->steps[i].kind));
		cJSON_AddItemToArray(steps, s);
	}
}

void case_json_time(cJSON *o, const char *name, int64_t ms)
{
	char buf[32];
	if (ms == TG_TIME_NONE)
		cJSON_AddNullToObject(o, name);
	else
		cJSON_AddStringToObject(o, name, tgtime_format(ms, buf));
}

int case_record_open(tgcase *c, const char *command, const runbook *rb)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "case", c->id);
	cJSON_AddStringToObject(d, "command", command);
	cJSON_AddStringToObject(d, "trailguide", PACKAGE_VERSION);
	cJSON_AddBoolToObject(d, "resumed", c->before > 0);
	cJSON_AddNumberToObject(d, "entries_before", (double)c->before);
	case_set_runbook(c, rb);
	if (rb)
		add_runbook_steps(d, rb);
	return case_append(c, CASE_A_OPEN, d);
}

int case_record_runbook(tgcase *c, const runbook *rb)
{
	cJSON *d = cJSON_CreateObject();
	case_set_runbook(c, rb);
	add_runbook_steps(d, rb);
	return case_append(c, CASE_A_RUNBOOK, d);
}

int case_record_sources(tgcase *c, const store *s)
{
	/* One entry for the whole load (one fsync, not one per file: a trail holds thousands
	 * of files), listing every file with its hash. */
	cJSON *d = cJSON_CreateObject(), *files = cJSON_AddArrayToObject(d, "files");
	uint64_t events = 0;
	for (size_t i = 0; i < s->nfiles; i++) {
		const store_file *f = &s->files[i];
		char hex[65];
		sha256_hex(f->sha256, hex);
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "path", f->path);
		cJSON_AddStringToObject(x, "format", jformat_name(f->fmt));
		cJSON_AddBoolToObject(x, "gz", f->gz);
		cJSON_AddNumberToObject(x, "bytes", (double)f->size);
		cJSON_AddNumberToObject(x, "events", (double)f->events);
		cJSON_AddStringToObject(x, "sha256", hex);
		cJSON_AddItemToArray(files, x);
		events += f->events;
	}
	cJSON_AddNumberToObject(d, "nfiles", (double)s->nfiles);
	cJSON_AddNumberToObject(d, "events", (double)events);
	return case_append(c, CASE_A_SOURCE, d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void case_result_ids(store *s, const result *r, char ***ids, size_t *n, char hex[65])
{
	size_t rows = r->is_table ? r->nrows : r->n;
	char **v = xcalloc(rows + 1, sizeof *v);
	for (size_t i = 0; i < rows; i++)
		v[i] = run_row_key(s, r, i);
	qsort(v, rows, sizeof *v, cmp_str);
	sbuf b;
	sbuf_init(&b);
	for (size_t i = 0; i < rows; i++) {
		if (i)
			sbuf_addc(&b, '\n');
		sbuf_adds(&b, v[i]);
	}
	unsigned char d[32];
	sha256(b.s ? b.s : "", b.len, d);
	sha256_hex(d, hex);
	sbuf_free(&b);
	*ids = v;
	*n = rows;
}

/* count, result_sha256, event_ids (events only, at most CASE_MAX_IDS), window. */
static void add_result(cJSON *d, store *s, const result *r, const qctx *ctx)
{
	cJSON *w = cJSON_AddObjectToObject(d, "window");
	case_json_time(w, "since", ctx ? ctx->since : TG_TIME_NONE);
	case_json_time(w, "until", ctx ? ctx->until : TG_TIME_NONE);
	if (!r)
		return;
	char **ids, hex[65];
	size_t n;
	case_result_ids(s, r, &ids, &n, hex);
	cJSON_AddNumberToObject(d, "count", (double)n);
	cJSON_AddStringToObject(d, "result", r->is_table ? "table" : "events");
	cJSON_AddStringToObject(d, "result_sha256", hex);
	if (!r->is_table) {
		cJSON *a = cJSON_AddArrayToObject(d, "event_ids");
		for (size_t i = 0; i < n && i < CASE_MAX_IDS; i++)
			cJSON_AddItemToArray(a, cJSON_CreateString(ids[i]));
		if (n > CASE_MAX_IDS)
			cJSON_AddBoolToObject(d, "event_ids_truncated", 1);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

int case_record_step(tgcase *c, const rb_step *st, int index, store *s, const result *r,
		     const qctx *ctx, const char *error)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "step", st->title);
	cJSON_AddNumberToObject(d, "index", index + 1);
	cJSON_AddStringToObject(d, "kind", runbook_kind_name(st->kind));
	cJSON_AddStringToObject(d, "query", st->query ? st->query : "");
	add_result(d, s, r, ctx);
	if (!r)
		cJSON_AddStringToObject(d, "error", error ? error : "failed");
	return case_append(c, CASE_A_STEP, d);
}

int case_record_query(tgcase *c, const char *text, store *s, const result *r,
		      const qctx *ctx)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "query", text);
	add_result(d, s, r, ctx);
	return case_append(c, CASE_A_QUERY, d);
}

int case_record_close(tgcase *c, int status, size_t findings)
{
	cJSON *d = cJSON_CreateObject();
	cJSON_AddNumberToObject(d, "status", status);
	if (c->rb.id)
		cJSON_AddNumberToObject(d, "findings", (double)findings);
	cJSON_AddNumberToObject(d, "entries", (double)(journal_count(c->j) + 1));
	return case_append(c, CASE_A_CLOSE, d);
}

/* A string from an event, with invalid UTF-8 made U+FFFD so the journal stays JSON. */
static void add_val(cJSON *o, const char *name, const char *v, size_t len)
{
	sbuf b;
	sbuf_init(&b);
	for (size_t i = 0; i < len;) {
		size_t n = 1;
		unsigned char ch = (unsigned char)v[i];
		if (ch >= 0x80)
			n = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2;
		if (ch && (ch < 0x80 || (i + n <= len && utf8_valid(v + i, n))))
			sbuf_add(&b, v + i, n);
		else {
			sbuf_adds(&b, "\xef\xbf\xbd");
			n = 1;
		}
		i += n;
	}
	cJSON_AddStringToObject(o, name, b.s ? b.s : "");
	sbuf_free(&b);
}

cJSON *case_event_fields(const store *s, size_t i)
{
	static const struct {
		const char *name;
		int col;
	} keys[] = {
		{ "event", COL_EVENT },	      { "service", COL_SOURCE },
		{ "principal", COL_PRINCIPAL }, { "ip", COL_IP },
		{ "region", COL_REGION },     { "account", COL_ACCOUNT },
		{ "access_key_id", COL_KEY },	      { "error", COL_ERROR },
	};
	cJSON *o = cJSON_CreateObject();
	char buf[32];
	size_t len;
	const char *v = store_val(s, COL_EVENTID, i, &len);
	add_val(o, "eventID", v ? v : "", v ? len : 0);
	cJSON_AddStringToObject(o, "time", tgtime_format(s->time[i], buf));
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		if ((v = store_val(s, keys[k].col, i, &len)))
			add_val(o, keys[k].name, v, len);
	}
	return o;
}

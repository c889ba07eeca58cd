/* run_rows.c — a run's rows: display cells, finding identities, counts, the alert body. */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "run_output.h"
#include "sha256.h"
#include "tgtime.h"

int run_grid_open(run_grid *g, store *s, const result *r, char *msg, size_t msgn)
{
	memset(g, 0, sizeof *g);
	g->s = s;
	g->r = r;
	if (r->is_table) {
		g->ncols = r->ncols;
		g->head = (const char **)r->cols;
		return 0;
	}
	int n = 0;
	const char *const *names = r->fields ? (const char *const *)r->fields : output_default_fields;
	if (r->fields)
		n = r->nfields;
	else
		while (names[n])
			n++;
	g->fs = xcalloc((size_t)n + 1, sizeof *g->fs);
	g->head = xcalloc((size_t)n + 1, sizeof *g->head);
	for (int k = 0; k < n; k++) {
		if (qfield_resolve(s, names[k], &g->fs[k], msg, msgn) < 0) {
			run_grid_close(g);
			return -1;
		}
		g->ncols = k + 1;
		g->head[k] = g->fs[k].name;
	}
	return 0;
}

const char *run_grid_cell(run_grid *g, size_t i, int k, size_t *len)
{
	*len = 0;
	if (g->r->is_table) {
		const char *c = g->r->cells[i * (size_t)g->ncols + (size_t)k];
		if (c)
			*len = strlen(c);
		return c;
	}
	return qfield_value(g->s, &g->fs[k], g->r->idx[i], g->tbuf, len);
}

void run_grid_close(run_grid *g)
{
	if (!g->r || g->r->is_table)
		return;
	for (int k = 0; k < g->ncols; k++)
		qfield_free(&g->fs[k]);
	free(g->fs);
	free(g->head);
	g->fs = NULL;
	g->head = NULL;
	g->ncols = 0;
}

size_t run_findings(const run_report *rep)
{
	size_t n = 0;
	for (int i = 0; i < rep->nsteps; i++)
		if (rep->steps[i].step->kind == RB_FINDINGS && rep->steps[i].r)
			n += rep->steps[i].r->is_table ? rep->steps[i].r->nrows : rep->steps[i].r->n;
	return n;
}

static char *hash_key(const char *prefix, sbuf *b)
{
	unsigned char h[32];
	char hex[65];
	sha256(b->s ? b->s : "", b->len, h);
	sha256_hex(h, hex);
	sbuf_reset(b);
	sbuf_adds(b, prefix);
	sbuf_adds(b, hex);
	return sbuf_take(b);
}

char *run_row_key(store *s, const result *r, size_t i)
{
	sbuf b;
	sbuf_init(&b);
	if (r->is_table) {
		for (int k = 0; k < r->ncols; k++) {
			const char *c = r->cells[i * (size_t)r->ncols + (size_t)k];
			sbuf_adds(&b, c ? c : "\x01");
			sbuf_addc(&b, 0x1f);
		}
		return hash_key("row:", &b);
	}
	char msg[128], tbuf[32];
	qfield f;
	size_t len = 0;
	const char *v = NULL;
	if (qfield_resolve(s, "eventID", &f, msg, sizeof msg) == 0) {
		v = qfield_value(s, &f, r->idx[i], tbuf, &len);
		qfield_free(&f);
	}
	if (v && len) {
		sbuf_add(&b, v, len);
		return sbuf_take(&b);
	}
	for (int k = 0; output_default_fields[k]; k++) {
		if (qfield_resolve(s, output_default_fields[k], &f, msg, sizeof msg) < 0)
			continue;
		v = qfield_value(s, &f, r->idx[i], tbuf, &len);
		if (v)
			sbuf_add(&b, v, len);
		sbuf_addc(&b, 0x1f);
		qfield_free(&f);
	}
	return hash_key("noid:", &b);
}

static void jstr(sbuf *b, const char *s, size_t n)
{
	sbuf_addc(b, '"');
	esc_json(b, s, n);
	sbuf_addc(b, '"');
}

static void jtime(sbuf *b, int64_t t)
{
	char buf[32];
	if (t == TG_TIME_NONE)
		sbuf_adds(b, "null");
	else {
		tgtime_format(t, buf);
		jstr(b, buf, strlen(buf));
	}
}

/* Slack's text escaping: &, < and > are markup. */
static void slack(sbuf *b, const char *s)
{
	for (; *s; s++)
		if (*s == '&')
			sbuf_adds(b, "&amp;");
		else if (*s == '<')
			sbuf_adds(b, "&lt;");
		else if (*s == '>')
			sbuf_adds(b, "&gt;");
		else
			sbuf_addc(b, *s);
}

void run_notify_body(const run_report *rep, sbuf *out)
{
	const runbook *rb = rep->rb;
	size_t total = run_findings(rep);
	sbuf t;
	sbuf_init(&t);
	sbuf_addf(&t, "trailguide: %zu new finding%s: ", total, total == 1 ? "" : "s");
	slack(&t, rb->title);
	sbuf_addf(&t, " (%s, version %d, severity %s)", rb->id, rb->version,
		  runbook_severity_name(rb->severity));
	for (int i = 0; i < rep->nsteps; i++) {
		const run_step *st = &rep->steps[i];
		size_t n = st->r ? (st->r->is_table ? st->r->nrows : st->r->n) : 0;
		if (st->step->kind != RB_FINDINGS || !n)
			continue;
		sbuf_addf(&t, "\n- ");
		slack(&t, st->step->title);
		sbuf_addf(&t, ": %zu", n);
	}
	sbuf_adds(out, "{\"text\":");
	jstr(out, t.s, t.len);
	sbuf_free(&t);
	sbuf_adds(out, ",\"runbook\":{\"id\":");
	jstr(out, rb->id, strlen(rb->id));
	sbuf_adds(out, ",\"title\":");
	jstr(out, rb->title, strlen(rb->title));
	sbuf_addf(out, ",\"version\":%d,\"severity\":\"%s\"},\"window\":{\"since\":", rb->version,
		  runbook_severity_name(rb->severity));
	jtime(out, rep->since);
	sbuf_adds(out, ",\"until\":");
	jtime(out, rep->until);
	sbuf_adds(out, "},\"findings\":[");
	static const char *const keys[] = { "eventID", "time", "event", "principal", "ip" };
	int first = 1;
	for (int i = 0; i < rep->nsteps; i++) {
		const run_step *st = &rep->steps[i];
		const result *r = st->r;
		size_t n = r ? (r->is_table ? r->nrows : r->n) : 0;
		if (st->step->kind != RB_FINDINGS || !n)
			continue;
		sbuf_adds(out, first ? "{\"step\":" : ",{\"step\":");
		first = 0;
		jstr(out, st->step->title, strlen(st->step->title));
		sbuf_addf(out, ",\"count\":%zu,\"events\":[", n);
		for (size_t e = 0; !r->is_table && e < n && e < RUN_NOTIFY_MAX; e++) {
			sbuf_adds(out, e ? ",{" : "{");
			for (int k = 0; k < 5; k++) {
				qfield f;
				char msg[128], tbuf[32];
				size_t len = 0;
				const char *v = NULL;
				if (qfield_resolve(rep->s, keys[k], &f, msg, sizeof msg) == 0) {
					v = qfield_value(rep->s, &f, r->idx[e], tbuf, &len);
					qfield_free(&f);
				}
				sbuf_addf(out, "%s\"%s\":", k ? "," : "", keys[k]);
				if (v)
					jstr(out, v, len);
				else
					sbuf_adds(out, "null");
			}
			sbuf_addc(out, '}');
		}
		sbuf_addc(out, ']');
		if (!r->is_table && n > RUN_NOTIFY_MAX)
			sbuf_adds(out, ",\"truncated\":true");
		sbuf_addc(out, '}');
	}
	sbuf_adds(out, "]}");
}

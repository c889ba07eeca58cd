/* run_md.c — a runbook run as a Markdown report: header, then each step's rows as a table. */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "run_output.h"
#include "template.h"
#include "tgtime.h"

static void md(sbuf *b, const char *s, size_t n)
{
	esc_md(b, s, n);
}

static void mds(sbuf *b, const char *s)
{
	md(b, s, strlen(s));
}

/* Prose from the runbook, line by line, escaped for the terminal only. */
static void prose(sbuf *b, const char *s)
{
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		esc_term(b, s, n);
		sbuf_addc(b, '\n');
		s += n + (e ? 1 : 0);
	}
}

/* A fenced block that its content cannot close. */
static void fenced(sbuf *b, const char *s, size_t n)
{
	size_t run = 0, best = 0;
	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	size_t f = best < 3 ? 3 : best + 1;
	for (size_t i = 0; i < f; i++)
		sbuf_addc(b, '`');
	sbuf_adds(b, "text\n");
	sbuf_add(b, s, n);
	sbuf_addc(b, '\n');
	for (size_t i = 0; i < f; i++)
		sbuf_addc(b, '`');
	sbuf_addc(b, '\n');
}

static int rows(sbuf *b, const run_report *rep, const run_step *st, char *msg, size_t msgn)
{
	run_grid g;
	if (run_grid_open(&g, rep->s, st->r, msg, msgn) < 0)
		return -1;
	size_t n = st->r->is_table ? st->r->nrows : st->r->n;
	sbuf_addc(b, '\n');
	for (int k = 0; k < g.ncols; k++) {
		sbuf_adds(b, "| ");
		mds(b, g.head[k]);
		sbuf_addc(b, ' ');
	}
	sbuf_adds(b, "|\n");
	for (int k = 0; k < g.ncols; k++)
		sbuf_adds(b, "| --- ");
	sbuf_adds(b, "|\n");
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < g.ncols; k++) {
			size_t len = 0;
			const char *c = run_grid_cell(&g, i, k, &len);
			sbuf_adds(b, "| ");
			if (c)
				md(b, c, len);
			else
				sbuf_addc(b, '-');
			sbuf_addc(b, ' ');
		}
		sbuf_adds(b, "|\n");
	}
	run_grid_close(&g);
	return 0;
}

static int respond(sbuf *b, const run_report *rep, const run_step *st, char *msg, size_t msgn)
{
	const result *r = st->r;
	size_t n = r->is_table ? 0 : r->n;
	if (!st->step->nrespond)
		return 0;
	sbuf_adds(b, "\n**Respond** (not run by trailguide; check before use):\n\n");
	sbuf f;
	sbuf_init(&f);
	int rc = 0;
	for (int k = 0; k < st->step->nrespond && rc == 0; k++) {
		const char *t = st->step->respond[k].text;
		if (!n) { /* a table: the template as written */
			sbuf_reset(&f);
			prose(&f, t);
			fenced(b, f.s, f.len ? f.len - 1 : 0);
			continue;
		}
		for (size_t i = 0; i < n && i < RUN_MD_RESPOND_ROWS && rc == 0; i++) {
			sbuf_reset(&f);
			rc = tmpl_fill(t, rep->s, r->idx[i], TMPL_TERM, &f, msg, msgn);
			fenced(b, f.s ? f.s : "", f.len);
		}
		if (n > RUN_MD_RESPOND_ROWS)
			sbuf_addf(b, "\n(and %zu more rows)\n", n - RUN_MD_RESPOND_ROWS);
	}
	sbuf_free(&f);
	return rc;
}

int run_md(FILE *fp, const run_report *rep, char *msg, size_t msgn)
{
	const runbook *rb = rep->rb;
	char t1[32], t2[32];
	sbuf b;
	sbuf_init(&b);
	sbuf_adds(&b, "# ");
	mds(&b, rb->title);
	sbuf_adds(&b, "\n\n- Runbook: ");
	mds(&b, rb->id);
	sbuf_addf(&b, ", version %d, severity %s\n", rb->version,
		  runbook_severity_name(rb->severity));
	sbuf_addf(&b, "- Window: %s to %s\n",
		  rep->since == TG_TIME_NONE ? "(open)" : tgtime_format(rep->since, t1),
		  rep->until == TG_TIME_NONE ? "(open)" : tgtime_format(rep->until, t2));
	size_t nf = run_findings(rep);
	sbuf_addf(&b, "- Findings: %zu\n", nf);
	if (rb->intro && *rb->intro) {
		sbuf_addc(&b, '\n');
		prose(&b, rb->intro);
	}
	int rc = 0;
	for (int i = 0; i < rep->nsteps && rc == 0; i++) {
		const run_step *st = &rep->steps[i];
		sbuf_addf(&b, "\n## %d. ", i + 1);
		mds(&b, st->step->title);
		sbuf_addf(&b, "\n\nKind: %s. ", runbook_kind_name(st->step->kind));
		if (st->error) {
			sbuf_adds(&b, "The query failed: ");
			mds(&b, st->error);
			sbuf_addc(&b, '\n');
			continue;
		}
		size_t n = st->r->is_table ? st->r->nrows : st->r->n;
		sbuf_addf(&b, "%zu %s", n, n == 1 ? "row" : "rows");
		if (st->seen)
			sbuf_addf(&b, " (%zu already reported)", st->seen);
		sbuf_adds(&b, ".\n");
		if (st->step->guidance && *st->step->guidance) {
			sbuf_addc(&b, '\n');
			prose(&b, st->step->guidance);
		}
		if (n)
			rc = rows(&b, rep, st, msg, msgn);
		if (n && rc == 0)
			rc = respond(&b, rep, st, msg, msgn);
	}
	fwrite(b.s, 1, b.len, fp);
	sbuf_free(&b);
	return rc;
}

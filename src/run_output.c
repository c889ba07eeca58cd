/* run_output.c — print a runbook run: table, JSON, NDJSON, CSV or a Markdown report. */
#include "run_output.h"

#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "template.h"
#include "tgtime.h"

int run_format_parse(const char *s)
{
	if (!strcmp(s, "md"))
		return RUN_FMT_MD;
	return output_format_parse(s);
}

static size_t nrows(const run_step *st)
{
	return st->r ? (st->r->is_table ? st->r->nrows : st->r->n) : 0;
}

static const char *when(int64_t t, char *buf)
{
	return t == TG_TIME_NONE ? "(open)" : tgtime_format(t, buf);
}

/* Run output_result into memory. */
static int capture(const run_report *rep, const result *r, enum out_format fmt, sbuf *out,
		   char *msg, size_t msgn)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		snprintf(msg, msgn, "out of memory");
		return -1;
	}
	int rc = output_result(m, rep->s, r, fmt, msg, msgn);
	fclose(m);
	sbuf_reset(out);
	sbuf_add(out, buf ? buf : "", len);
	free(buf);
	return rc;
}

static void term(sbuf *b, const char *s)
{
	esc_term(b, s, strlen(s));
}

static int print_table(FILE *fp, const run_report *rep, char *msg, size_t msgn)
{
	const runbook *rb = rep->rb;
	char t1[32], t2[32];
	sbuf b, c;
	sbuf_init(&b);
	sbuf_init(&c);
	sbuf_adds(&b, "runbook  ");
	term(&b, rb->id);
	sbuf_addf(&b, " version %d, severity %s: ", rb->version, runbook_severity_name(rb->severity));
	term(&b, rb->title);
	sbuf_addf(&b, "\nwindow   %s .. %s\n", when(rep->since, t1), when(rep->until, t2));
	int rc = 0;
	for (int i = 0; i < rep->nsteps && rc == 0; i++) {
		const run_step *st = &rep->steps[i];
		size_t n = nrows(st);
		sbuf_addf(&b, "\n== %d. ", i + 1);
		term(&b, st->step->title);
		sbuf_addf(&b, " [%s] ", runbook_kind_name(st->step->kind));
		if (st->error) {
			sbuf_adds(&b, "failed: ");
			term(&b, st->error);
			sbuf_addc(&b, '\n');
			continue;
		}
		sbuf_addf(&b, "%zu %s", n, n == 1 ? "row" : "rows");
		if (st->seen)
			sbuf_addf(&b, " (%zu already reported)", st->seen);
		sbuf_addc(&b, '\n');
		if (!n)
			continue;
		rc = capture(rep, st->r, OUT_TABLE, &c, msg, msgn);
		sbuf_add(&b, c.s, c.len);
	}
	fwrite(b.s, 1, b.len, fp);
	sbuf_free(&b);
	sbuf_free(&c);
	return rc;
}

static void jstr(sbuf *b, const char *s)
{
	sbuf_addc(b, '"');
	esc_json(b, s, strlen(s));
	sbuf_addc(b, '"');
}

static void jtime(sbuf *b, int64_t t)
{
	char buf[32];
	if (t == TG_TIME_NONE)
		sbuf_adds(b, "null");
	else
		jstr(b, tgtime_format(t, buf));
}

static int print_json(FILE *fp, const run_report *rep, char *msg, size_t msgn)
{
	const runbook *rb = rep->rb;
	sbuf b, c;
	sbuf_init(&b);
	sbuf_init(&c);
	sbuf_adds(&b, "{\"runbook\":{\"id\":");
	jstr(&b, rb->id);
	sbuf_adds(&b, ",\"title\":");
	jstr(&b, rb->title);
	sbuf_addf(&b, ",\"version\":%d,\"severity\":\"%s\",\"path\":", rb->version,
		  runbook_severity_name(rb->severity));
	jstr(&b, rb->path);
	sbuf_addf(&b, ",\"sha256\":\"%s\"},\n\"window\":{\"since\":", rb->sha256);
	jtime(&b, rep->since);
	sbuf_adds(&b, ",\"until\":");
	jtime(&b, rep->until);
	sbuf_adds(&b, "},\n\"steps\":[");
	int rc = 0;
	for (int i = 0; i < rep->nsteps && rc == 0; i++) {
		const run_step *st = &rep->steps[i];
		sbuf_adds(&b, i ? ",\n{\"title\":" : "\n{\"title\":");
		jstr(&b, st->step->title);
		sbuf_addf(&b, ",\"kind\":\"%s\",\"count\":%zu,\"already_reported\":%zu",
			  runbook_kind_name(st->step->kind), nrows(st), st->seen);
		if (st->error) {
			sbuf_adds(&b, ",\"error\":");
			jstr(&b, st->error);
		} else {
			rc = capture(rep, st->r, OUT_JSON, &c, msg, msgn);
			while (c.len && c.s[c.len - 1] == '\n')
				c.s[--c.len] = 0;
			sbuf_adds(&b, ",\"rows\":");
			sbuf_add(&b, c.s, c.len);
		}
		sbuf_addc(&b, '}');
	}
	sbuf_adds(&b, "\n]}\n");
	fwrite(b.s, 1, b.len, fp);
	sbuf_free(&b);
	sbuf_free(&c);
	return rc;
}

/* NDJSON: one line per row, {"runbook":ID,"step":TITLE,"kind":K,"row":ROW}; CSV: one
 * section per step, its header row first, "step" and "kind" leading every line. */
static int print_lines(FILE *fp, const run_report *rep, enum out_format fmt, char *msg,
		       size_t msgn)
{
	sbuf b, c;
	sbuf_init(&b);
	sbuf_init(&c);
	int rc = 0;
	for (int i = 0; i < rep->nsteps && rc == 0; i++) {
		const run_step *st = &rep->steps[i];
		if (st->error)
			continue;
		rc = capture(rep, st->r, fmt, &c, msg, msgn);
		const char *sep = fmt == OUT_CSV ? "\r\n" : "\n";
		if (fmt == OUT_CSV && i)
			sbuf_adds(&b, "\r\n");
		int head = fmt == OUT_CSV;
		for (char *p = c.s; p && *p;) {
			char *e = strstr(p, sep);
			size_t n = e ? (size_t)(e - p) : strlen(p);
			if (fmt == OUT_CSV) {
				if (head)
					sbuf_adds(&b, "step,kind,");
				else {
					esc_csv(&b, st->step->title, strlen(st->step->title));
					sbuf_addf(&b, ",%s,", runbook_kind_name(st->step->kind));
				}
				head = 0;
				sbuf_add(&b, p, n);
			} else {
				sbuf_adds(&b, "{\"runbook\":");
				jstr(&b, rep->rb->id);
				sbuf_adds(&b, ",\"step\":");
				jstr(&b, st->step->title);
				sbuf_addf(&b, ",\"kind\":\"%s\",\"row\":", runbook_kind_name(st->step->kind));
				sbuf_add(&b, p, n);
				sbuf_addc(&b, '}');
			}
			sbuf_adds(&b, sep);
			p = e ? e + strlen(sep) : p + n;
		}
	}
	fwrite(b.s ? b.s : "", 1, b.len, fp);
	sbuf_free(&b);
	sbuf_free(&c);
	return rc;
}

int run_output(FILE *fp, const run_report *rep, int fmt, char *msg, size_t msgn)
{
	switch (fmt) {
	case OUT_TABLE: return print_table(fp, rep, msg, msgn);
	case OUT_JSON: return print_json(fp, rep, msg, msgn);
	case OUT_NDJSON:
	case OUT_CSV: return print_lines(fp, rep, (enum out_format)fmt, msg, msgn);
	default: return run_md(fp, rep, msg, msgn);
	}
}

/* cmd_sigma_run.c — `trailguide sigma --run`: the converted rules as a sweep over sources,
 * through the same session as query and run (window, lookback, @lists, loading). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "esc.h"
#include "session.h"
#include "sigma.h"

int sigma_sweep(const sigma_set *set, cli_opts *opts, char **extra, int nextra, char **src,
		int nsrc, int events, int *hits_out);

int sigma_sweep(const sigma_set *set, cli_opts *opts, char **extra, int nextra, char **src,
		int nsrc, int events, int *hits_out)
{
	tg_session ss;
	session_init(&ss);
	ss.o.since_s = opts->since_s;
	ss.o.until_s = opts->until_s;
	ss.o.now_s = opts->now_s;
	ss.extra = extra;
	ss.nextra = nextra;
	int rc = EXIT_USAGE;
	const sigma_rule **rules = xcalloc(set->n + 1, sizeof *rules);
	query **qs = xcalloc(set->n + 1, sizeof *qs);
	size_t n = 0;
	*hits_out = 0;
	if (session_search(&ss) < 0)
		goto out;
	for (size_t i = 0; i < set->n; i++) {
		if (!set->rules[i].query)
			continue;
		query *q = session_query(&ss, set->rules[i].query);
		if (!q)
			continue;
		rules[n] = &set->rules[i];
		qs[n++] = q;
	}
	if (session_begin(&ss, "sigma") < 0)
		goto out;
	rc = session_load(&ss, src, nsrc);
	if (rc != EXIT_OK)
		goto out;
	sbuf line;
	sbuf_init(&line);
	printf("%8s  %-13s  %s\n", "hits", "level", "rule");
	for (size_t i = 0; i < n; i++) {
		qerr err;
		result *r = query_run(qs[i], ss.s, &ss.ctx, &err);
		sbuf_reset(&line);
		if (!r) {
			sbuf_addf(&line, "%8s  %-13s  ", "error", rules[i]->level ? rules[i]->level : "-");
			esc_term(&line, rules[i]->title, strlen(rules[i]->title));
			sbuf_adds(&line, ": ");
			esc_term(&line, err.msg, strlen(err.msg));
			sbuf_addc(&line, '\n');
			fwrite(line.s, 1, line.len, stdout);
			continue;
		}
		size_t nrows = r->is_table ? r->nrows : r->n;
		*hits_out += nrows > 0;
		sbuf_addf(&line, "%8zu  %-13.13s  ", nrows, rules[i]->level ? rules[i]->level : "-");
		esc_term(&line, rules[i]->title, strlen(rules[i]->title));
		sbuf_addc(&line, '\n');
		fwrite(line.s, 1, line.len, stdout);
		if (events && nrows) {
			char msg[512];
			if (output_result(stdout, ss.s, r, OUT_TABLE, msg, sizeof msg) < 0)
				fprintf(stderr, "trailguide sigma: %s\n", msg);
			fputc('\n', stdout);
		}
		result_free(&r);
	}
	sbuf_free(&line);
	fflush(stdout);
out:
	free(rules);
	free(qs);
	session_free(&ss);
	return rc;
}

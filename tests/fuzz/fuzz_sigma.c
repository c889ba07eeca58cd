/* fuzz_sigma.c — libFuzzer target: any bytes as Sigma YAML, converted, written as a runbook
 * that must parse, with one step per converted rule and every query intact.
 *
 *   bash tests/fuzz/run.sh fuzz_sigma 60 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "runbook.h"
#include "sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sy_docs d;
	char err[256];
	if (sy_parse((const char *)data, size, &d, err, sizeof err) < 0) {
		if (!err[0])
			abort(); /* a failure always says why */
		return 0;
	}
	sigma_set set = { 0 };
	set.agg_bins = size & 1; /* both ways of treating aggregations */
	sigma_collect(&set, &d, "fuzz.yml");
	sy_docs_free(&d);
	sigma_rule **conv = calloc(set.n + 1, sizeof *conv);
	size_t n = 0;
	for (size_t i = 0; i < set.n; i++) {
		sigma_rule *r = &set.rules[i];
		if (!r->title || (!r->query == !r->reason))
			abort(); /* every rule is converted or refused with a reason, never both */
		if (r->query) {
			qerr e;
			query *q = query_parse(r->query, &e);
			if (!q)
				abort(); /* a converted query always parses */
			query_free(&q);
			for (const char *c = r->query; *c; c++)
				if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
					abort(); /* queries are printable ASCII */
			conv[n++] = r;
		}
	}
	if (n) {
		sbuf out, diag;
		sbuf_init(&out);
		sbuf_init(&diag);
		sigma_runbook(&out, "sigma/fuzz", "fuzz", conv, n);
		runbook *rb = runbook_parse("fuzz.md", out.s, out.len, &diag);
		if (!rb || rb->nsteps != (int)n)
			abort(); /* the runbook text always parses, one step per rule */
		for (int i = 0; i < rb->nsteps; i++)
			if (strcmp(rb->steps[i].query, conv[i]->query))
				abort();
		runbook_free(&rb);
		sbuf_free(&out);
		sbuf_free(&diag);
	}
	free(conv);
	sigma_set_free(&set);
	return 0;
}

/* fuzz_runbook.c — libFuzzer target: parse any bytes as a runbook, then check its
 * templates and queries the way lint does.
 *
 *   tests/fuzz/run.sh fuzz_runbook 60     (seeds: tests/fuzz/corpus/runbook) */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "runbook.h"
#include "template.h"

static void prob(void *ud, size_t off, const char *msg)
{
	(void)ud, (void)off, (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static store *s;
	if (!s)
		s = store_new(); /* empty: template holes stay as written */
	sbuf d;
	sbuf_init(&d);
	runbook *rb = runbook_parse("fuzz.md", (const char *)data, size, &d);
	if (rb) {
		for (int i = 0; i < rb->nsteps; i++) {
			rb_step *st = &rb->steps[i];
			qerr e;
			query *q = query_parse(st->query, &e);
			if (!q) {
				int line, col;
				runbook_query_pos(st, e.col, &line, &col);
			}
			query_free(&q);
			for (int k = 0; k < st->nrespond; k++) {
				tmpl_check(st->respond[k].text, prob, NULL);
				sbuf out;
				char msg[128];
				sbuf_init(&out);
				tmpl_fill(st->respond[k].text, s, 0, TMPL_TERM, &out, msg, sizeof msg);
				sbuf_free(&out);
			}
		}
		runbook_free(&rb);
	}
	sbuf_free(&d);
	return 0;
}

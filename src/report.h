/* report.h — a case's incident report, from its replayed journal: Markdown and JSON. */
#ifndef TG_REPORT_H
#define TG_REPORT_H

#include <cjson/cJSON.h>

#include "case_state.h"
#include "util.h"

typedef struct report_case {
	const char *id, *dir;
	int keyed;                /* verified with --journal-key */
	const case_state *cs;     /* loaded with keep_entries */
} report_case;

/* "intact", "intact (torn last line dropped)", "damaged" or "missing". */
const char *report_journal_status(const case_state *cs);

/* The Markdown report (report_md.c). */
void report_md(sbuf *out, const report_case *rc);

/* The JSON report: the same structure, plus every journal entry and all event IDs. */
cJSON *report_json(const report_case *rc);

#endif

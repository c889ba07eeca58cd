/* export.c — :export FILE and :export! FILE: the current view's rows written to a file by
 * output_export (the raw events' fast path for NDJSON and JSON), and journaled. */
#include "tui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "output_export.h"

/* ~/ at the start is $HOME. */
static char *expand(const char *file)
{
	const char *home = getenv("HOME");
	if (file[0] == '~' && file[1] == '/' && home && *home) {
		sbuf b;
		sbuf_init(&b);
		sbuf_addf(&b, "%s%s", home, file + 1);
		return sbuf_take(&b);
	}
	return xstrdup(file);
}

int tui_export(tui_app *a, const char *file, int overwrite)
{
	tui_record_view(a);
	if (!a->view.r) {
		tui_msg(a, "export: no view to export; run a step or a query first");
		return TUI_REDRAW;
	}
	char *path = expand(file);
	export_info info;
	char msg[512];
	if (output_export(path, overwrite, a->s, a->view.r, &info, msg, sizeof msg) < 0) {
		tui_msg(a, "export: %s", msg);
		free(path);
		return TUI_REDRAW;
	}
	const char *what = a->view.r->is_table ? "row" : "event";
	tui_msg(a, "exported %zu %s%s (%s, %llu bytes) to %s", info.count, what,
		info.count == 1 ? "" : "s", export_format_name(info.fmt),
		(unsigned long long)info.bytes, path);
	if (a->cs) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "file", info.path);
		cJSON_AddStringToObject(d, "format", export_format_name(info.fmt));
		cJSON_AddStringToObject(d, "query", a->view.query ? a->view.query : "");
		cJSON_AddNumberToObject(d, "count", (double)info.count);
		cJSON_AddNumberToObject(d, "bytes", (double)info.bytes);
		cJSON_AddStringToObject(d, "sha256", info.sha256);
		cJSON_AddBoolToObject(d, "overwrite", overwrite);
		if (case_append(a->cs, CASE_A_EXPORT, d) < 0)
			tui_msg(a, "export: written to %s, but not journaled: %s", path, a->cs->msg);
	}
	export_info_free(&info);
	free(path);
	return TUI_REDRAW;
}

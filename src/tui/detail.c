/* detail.c — pretty-print one event's JSON for the detail pane; keys and strings escaped. */
#include "tui/detail.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "esc.h"
#include "util.h"

/* Append a line (taking line's text); kind/keyat/valat as in tui_lines. */
static void push_k(tui_lines *l, sbuf *line, const char *path, const char *value, int kind,
		   int keyat, int valat)
{
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
	/* the other arrays grow with v, to the same capacity */
	l->path = xrealloc(l->path, l->cap * sizeof *l->path);
	l->value = xrealloc(l->value, l->cap * sizeof *l->value);
	l->kind = xrealloc(l->kind, l->cap * sizeof *l->kind);
	l->keyat = xrealloc(l->keyat, l->cap * sizeof *l->keyat);
	l->valat = xrealloc(l->valat, l->cap * sizeof *l->valat);
	l->end = xrealloc(l->end, l->cap * sizeof *l->end);
	l->folded = xrealloc(l->folded, l->cap * sizeof *l->folded);
	l->kind[l->n] = (unsigned char)kind;
	l->keyat[l->n] = keyat;
	l->valat[l->n] = valat;
	l->end[l->n] = l->n;
	l->folded[l->n] = 0;
	l->v[l->n] = sbuf_take(line);
	if (!l->v[l->n])
		l->v[l->n] = xstrdup("");
	l->path[l->n] = path ? xstrdup(path) : NULL;
	l->value[l->n] = value ? xstrdup(value) : NULL;
	l->n++;
}

static void push(tui_lines *l, sbuf *line, const char *path, const char *value)
{
	int at = (int)line->len;
	push_k(l, line, path, value, TUI_K_NONE, at, at);
}

static void indent(sbuf *b, int depth)
{
	for (int i = 0; i < depth; i++)
		sbuf_adds(b, "  ");
}

static void quoted(sbuf *b, const char *s)
{
	sbuf_addc(b, '"');
	esc_tui(b, s, strlen(s));
	sbuf_addc(b, '"');
}

/* One value at depth; line already holds the indent and key. comma: more follow. */
static void emit(tui_lines *l, sbuf *line, const cJSON *it, int depth, const char *path,
		 int comma)
{
	int keyat = depth * 2, valat = (int)line->len;
	if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
		int obj = cJSON_IsObject(it);
		if (!it->child) {
			sbuf_adds(line, obj ? "{}" : "[]");
			if (comma)
				sbuf_addc(line, ',');
			push_k(l, line, path, NULL, TUI_K_NONE, keyat, valat);
			return;
		}
		sbuf_addc(line, obj ? '{' : '[');
		size_t open = l->n;
		push_k(l, line, path, NULL, TUI_K_NONE, keyat, valat);
		int k = 0;
		for (const cJSON *c = it->child; c; c = c->next, k++) {
			sbuf p;
			sbuf_init(&p);
			if (obj)
				sbuf_addf(&p, "%s%s%s", path ? path : "", path ? "." : "",
					  c->string ? c->string : "");
			else
				sbuf_addf(&p, "%s[%d]", path ? path : "", k);
			indent(line, depth + 1);
			if (obj) {
				quoted(line, c->string ? c->string : "");
				sbuf_adds(line, ": ");
			}
			emit(l, line, c, depth + 1, p.s, c->next != NULL);
			sbuf_free(&p);
		}
		indent(line, depth);
		sbuf_addc(line, obj ? '}' : ']');
		if (comma)
			sbuf_addc(line, ',');
		push(l, line, NULL, NULL);
		l->end[open] = l->n - 1;
		return;
	}
	char *val = NULL;
	int kind = cJSON_IsString(it) ? TUI_K_STR : cJSON_IsNumber(it) ? TUI_K_NUM : TUI_K_LIT;
	if (cJSON_IsString(it)) {
		quoted(line, it->valuestring);
		val = xstrdup(it->valuestring);
	} else {
		val = cJSON_PrintUnformatted(it); /* numbers, true, false, null: no strings */
		sbuf_adds(line, val ? val : "null");
	}
	if (comma)
		sbuf_addc(line, ',');
	push_k(l, line, path, val, kind, keyat, valat);
	free(val);
}

void tui_detail_build(store *s, size_t ev, tui_lines *out)
{
	sbuf raw, line;
	sbuf_init(&raw);
	sbuf_init(&line);
	char msg[256];
	if (store_raw(s, ev, &raw, msg, sizeof msg) < 0) {
		sbuf_adds(&line, "cannot read the event: ");
		esc_tui(&line, msg, strlen(msg));
		push(out, &line, NULL, NULL);
	} else {
		cJSON *j = cJSON_ParseWithLength(raw.s, raw.len);
		if (!j) {
			sbuf_adds(&line, "the event is not valid JSON:");
			push(out, &line, NULL, NULL);
			esc_tui(&line, raw.s, raw.len);
			push(out, &line, NULL, NULL);
		} else {
			emit(out, &line, j, 0, NULL, 0);
			cJSON_Delete(j);
		}
	}
	sbuf_free(&raw);
	sbuf_free(&line);
}

void tui_lines_free(tui_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i]);
		free(l->path[i]);
		free(l->value[i]);
	}
	free(l->v);
	free(l->path);
	free(l->value);
	free(l->kind);
	free(l->keyat);
	free(l->valat);
	free(l->end);
	free(l->folded);
	free(l->src);
	memset(l, 0, sizeof *l);
}

/* actions.c — pivots and the breadcrumb stack, marks and notes, respond and copy (OSC 52). */
#include "tui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "esc.h"
#include "template.h"
#include "tui/draw.h"
#include "tui/rowfind.h"

static const char *const pivot_fields[] = { "principal", "role", "key", "ip", "session",
					    "account", "event", "ua", NULL };

static void journal_view(tui_app *a, const char *action, const char *field)
{
	if (!a->cs)
		return;
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "query", a->view.query ? a->view.query : "");
	if (field)
		cJSON_AddStringToObject(d, "field", field);
	cJSON_AddNumberToObject(d, "count", (double)tui_view_count(&a->view));
	cJSON_AddNumberToObject(d, "depth", a->ncrumbs);
	case_append(a->cs, action, d);
	a->viewed_ev = -1; /* a new view: its events are new */
}

int tui_pivot(tui_app *a, const char *field)
{
	tui_record_view(a);
	long ev = tui_view_event(&a->view);
	if (ev < 0) {
		tui_msg(a, "pivot: no event selected");
		return TUI_REDRAW;
	}
	qfield f;
	char msg[256], buf[32];
	if (qfield_resolve(a->s, field, &f, msg, sizeof msg) < 0) {
		tui_msg(a, "pivot %s: %s", field, msg);
		return TUI_REDRAW;
	}
	size_t n = 0;
	const char *v = qfield_value(a->s, &f, (size_t)ev, buf, &n);
	if (!v) {
		tui_msg(a, "pivot: the event has no %s", field);
		qfield_free(&f);
		return TUI_REDRAW;
	}
	sbuf q, label;
	sbuf_init(&q);
	sbuf_init(&label);
	sbuf_addf(&q, "%s = ", field);
	tui_query_quote(&q, v, n);
	sbuf_addf(&label, "%s=", field);
	sbuf_add(&label, v, n);
	qfield_free(&f);
	if (tui_open_query(a, q.s, label.s, 1) == 0) {
		const result *r = a->view.r; /* land on the event the pivot was made from */
		for (size_t i = 0; r && !r->is_table && i < r->n; i++)
			if ((long)r->idx[i] == ev) {
				tui_view_to(&a->view, i, tui_list_h(a));
				break;
			}
		if (a->focus == PANE_STEPS) /* the pivoted events are what to look at next */
			a->focus = PANE_EVENTS;
		a->view.clip = 1; /* say what the window leaves out */
		tui_window_clip(a, &a->view);
		journal_view(a, CASE_A_PIVOT, field);
	}
	sbuf_free(&q);
	sbuf_free(&label);
	return TUI_REDRAW;
}

int tui_back(tui_app *a)
{
	if (!a->ncrumbs) {
		tui_msg(a, "back: nothing to go back to");
		return TUI_REDRAW;
	}
	tui_view_free(&a->view);
	a->view = a->crumbs[--a->ncrumbs];
	a->detail_ev = -2;
	tui_view_clamp(&a->view, tui_list_h(a));
	tui_detail_restore(a); /* the detail's cursor and folds as they were */
	journal_view(a, CASE_A_BACK, NULL);
	return TUI_REDRAW;
}

void tui_pivot_menu(tui_app *a)
{
	a->npivots = 0;
	for (int i = 0; pivot_fields[i]; i++)
		a->pivots[a->npivots++] = (char *)pivot_fields[i];
	a->overlay = TUI_OV_PIVOTS;
	a->overlay_scroll = 0;
}

static long selected(tui_app *a, const char *what)
{
	long ev = tui_view_event(&a->view);
	if (ev < 0)
		tui_msg(a, "%s: no event selected", what);
	return ev;
}

static void add_event(tui_app *a, cJSON *d, long ev)
{
	cJSON *f = case_event_fields(a->s, (size_t)ev);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(f, "eventID");
	if (cJSON_IsString(id))
		cJSON_AddStringToObject(d, "event_id", id->valuestring);
	cJSON_AddItemToObject(d, "event", f);
}

int tui_mark(tui_app *a, const char *verdict, const char *reason)
{
	tui_record_view(a);
	long ev = selected(a, "mark");
	if (ev < 0)
		return TUI_REDRAW;
	if (strcmp(verdict, "benign") && strcmp(verdict, "suspicious") && strcmp(verdict, "malicious")) {
		tui_msg(a, "mark: the verdict is benign, suspicious or malicious");
		return TUI_REDRAW;
	}
	if (!*reason) {
		tui_msg(a, "mark: say why (mark %s REASON)", verdict);
		return TUI_REDRAW;
	}
	if (!a->cs) {
		tui_msg(a, "mark: no case is open (start with --case DIR)");
		return TUI_REDRAW;
	}
	cJSON *d = cJSON_CreateObject();
	add_event(a, d, ev);
	cJSON_AddStringToObject(d, "verdict", verdict);
	cJSON_AddStringToObject(d, "reason", reason);
	if (case_append(a->cs, CASE_A_MARK, d) == 0) {
		tui_marks_add(a, (uint32_t)ev);
		tui_msg(a, "marked %s", verdict);
	}
	else
		tui_msg(a, "mark: %s", a->cs->msg);
	return TUI_REDRAW;
}

int tui_note(tui_app *a, const char *text)
{
	tui_record_view(a);
	if (!*text || !a->cs) {
		tui_msg(a, !a->cs ? "note: no case is open (start with --case DIR)" : "note: TEXT");
		return TUI_REDRAW;
	}
	cJSON *d = cJSON_CreateObject();
	cJSON_AddStringToObject(d, "text", text);
	long ev = tui_view_event(&a->view);
	if (ev >= 0)
		add_event(a, d, ev);
	if (case_append(a->cs, CASE_A_NOTE, d) == 0)
		tui_msg(a, "noted");
	else
		tui_msg(a, "note: %s", a->cs->msg);
	return TUI_REDRAW;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void tui_osc52(tui_app *a, const char *text, size_t n)
{
	sbuf o;
	sbuf_init(&o);
	int tmux = getenv("TMUX") != NULL;
	if (tmux)
		sbuf_adds(&o, "\033Ptmux;\033"); /* passthrough: the inner ESC doubled */
	sbuf_adds(&o, "\033]52;c;");
	const unsigned char *p = (const unsigned char *)text;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
			     (i + 2 < n ? p[i + 2] : 0);
		sbuf_addc(&o, b64[v >> 18 & 63]);
		sbuf_addc(&o, b64[v >> 12 & 63]);
		sbuf_addc(&o, i + 1 < n ? b64[v >> 6 & 63] : '=');
		sbuf_addc(&o, i + 2 < n ? b64[v & 63] : '=');
	}
	sbuf_addc(&o, '\a');
	if (tmux)
		sbuf_adds(&o, "\033\\");
	if (a->tty && !a->screen_test) {
		fwrite(o.s, 1, o.len, a->tty);
		fflush(a->tty);
	}
	sbuf_free(&o);
}

int tui_respond(tui_app *a, int n)
{
	tui_record_view(a);
	long ev = selected(a, "respond");
	if (ev < 0)
		return TUI_REDRAW;
	const rb_step *st = a->rb && a->step < a->rb->nsteps ? &a->rb->steps[a->step] : NULL;
	if (!st || n < 1 || n > st->nrespond) {
		tui_msg(a, "respond %d: the step has %d respond action%s", n, st ? st->nrespond : 0,
			st && st->nrespond == 1 ? "" : "s");
		return TUI_REDRAW;
	}
	sbuf out, cmd;
	char msg[256];
	sbuf_init(&out);
	sbuf_init(&cmd);
	/* only the command: the action's `...` (or ``` fence), not its prose */
	tui_respond_command(st->respond[n - 1].text, &cmd);
	if (tmpl_fill(cmd.s ? cmd.s : "", a->s, (size_t)ev, TMPL_TERM, &out, msg, sizeof msg) < 0) {
		tui_msg(a, "respond: %s", msg);
	} else {
		tui_osc52(a, out.s ? out.s : "", out.len);
		tui_msg(a, "respond %d copied to the clipboard (%zu bytes)", n, out.len);
		if (a->cs) {
			cJSON *d = cJSON_CreateObject();
			cJSON_AddNumberToObject(d, "index", n);
			cJSON_AddStringToObject(d, "step", st->title);
			cJSON_AddStringToObject(d, "command", out.s ? out.s : "");
			add_event(a, d, ev);
			case_append(a->cs, CASE_A_RESPOND, d);
		}
	}
	sbuf_free(&out);
	sbuf_free(&cmd);
	return TUI_REDRAW;
}

int tui_copy(tui_app *a, const char *what)
{
	tui_record_view(a);
	size_t i = a->detail_cursor;
	const char *v = i < a->detail.n ? (!strcmp(what, "path") ? a->detail.path[i]
								  : a->detail.value[i])
					: NULL;
	if (strcmp(what, "path") && strcmp(what, "value")) {
		tui_msg(a, "copy: value or path");
	} else if (!v) {
		tui_msg(a, "copy: no %s on this line", what);
	} else {
		/* Copied text is escaped like shown text: a pasted value must not carry an
		 * event's control bytes or bidi overrides into the responder's shell. */
		sbuf e;
		sbuf_init(&e);
		esc_term(&e, v, strlen(v));
		tui_osc52(a, e.s ? e.s : "", e.len);
		tui_msg(a, "copied the %s (%zu bytes)", what, e.len);
		sbuf_free(&e);
	}
	return TUI_REDRAW;
}

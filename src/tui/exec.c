/* exec.c — keys to commands (keymap_lookup, cmd_parse) and the one tui_exec switch. */
#include "tui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_check.h"
#include "tui/draw.h"
#include "tui/prompt.h"

void tui_msg(tui_app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
}

void tui_sync_detail(tui_app *a)
{
	long ev = tui_view_event(&a->view);
	if (ev == a->detail_ev)
		return;
	tui_lines_free(&a->detail);
	a->detail_cursor = a->detail_scroll = 0;
	a->detail_ev = ev;
	if (ev >= 0)
		tui_detail_build(a->s, (size_t)ev, &a->detail);
}

/* a->qwarn: the query's first unknown field, and how many more there are. It holds the
 * user's own text; the prompt line escapes a->message (esc_tui) when it draws it. */
static void query_warning(tui_app *a, const query *q)
{
	sbuf w;
	sbuf_init(&w);
	int n = query_field_warnings(q, a->s, &w);
	a->qwarn[0] = 0;
	if (n > 0) {
		size_t first = strcspn(w.s, "\n");
		if (n > 1)
			snprintf(a->qwarn, sizeof a->qwarn, "query: %.*s (+%d more)", (int)first, w.s,
				 n - 1);
		else
			snprintf(a->qwarn, sizeof a->qwarn, "query: %.*s", (int)first, w.s);
	}
	sbuf_free(&w);
}

/* After a narrow: the warning of what was typed, with its columns (the view's own query
 * was checked when it was opened). */
static void narrow_warning(tui_app *a, const char *text)
{
	qerr e;
	query *q = query_parse(text, &e);
	if (!q)
		return;
	query_warning(a, q);
	query_free(&q);
	tui_msg(a, "%s", a->qwarn);
}

int tui_open_query(tui_app *a, const char *text, const char *label, int push)
{
	qerr e;
	query *q = query_parse(text, &e);
	result *r = q ? query_run(q, a->s, &a->ctx, &e) : NULL;
	a->qwarn[0] = 0;
	if (!r) {
		if (e.col >= 0)
			tui_msg(a, "query: %s (at column %d)", e.msg, e.col + 1);
		else
			tui_msg(a, "query: %s", e.msg);
		query_free(&q);
		return -1;
	}
	query_warning(a, q); /* it warns, never blocks: the result stands */
	query_free(&q);
	if (a->qwarn[0])
		tui_msg(a, "%s", a->qwarn);
	if (push) {
		xgrow((void **)&a->crumbs, &a->crumbcap, (size_t)a->ncrumbs + 1,
		      sizeof *a->crumbs);
		a->crumbs[a->ncrumbs++] = a->view;
	} else {
		tui_view_free(&a->view);
	}
	memset(&a->view, 0, sizeof a->view);
	a->view.query = xstrdup(text);
	a->view.label = xstrdup(label ? label : text);
	a->view.r = r;
	a->detail_ev = -2; /* rebuild */
	tui_view_clamp(&a->view, tui_list_h(a));
	return 0;
}

static void drop_crumbs(tui_app *a)
{
	for (int i = 0; i < a->ncrumbs; i++)
		tui_view_free(&a->crumbs[i]);
	a->ncrumbs = 0;
}

int tui_run_step(tui_app *a, int i)
{
	if (!a->rb || i < 0 || i >= a->rb->nsteps)
		return 0;
	const rb_step *st = &a->rb->steps[i];
	drop_crumbs(a);
	if (tui_open_query(a, st->query, st->title, 0) < 0) {
		a->step_state[i] = TUI_STEP_FAILED;
		if (a->cs)
			case_record_step(a->cs, st, i, a->s, NULL, &a->ctx, a->message);
		return TUI_REDRAW;
	}
	size_t n = tui_view_count(&a->view);
	a->step_count[i] = n;
	a->step_state[i] = st->kind == RB_FINDINGS && n ? TUI_STEP_FINDINGS : TUI_STEP_DONE;
	if (a->cs)
		case_record_step(a->cs, st, i, a->s, a->view.r, &a->ctx, NULL);
	tui_msg(a, "step %d: %zu %s%s%s%s", i + 1, n, a->view.r->is_table ? "row" : "event",
		n == 1 ? "" : "s", a->qwarn[0] ? "; " : "", a->qwarn);
	return TUI_REDRAW;
}

static int move(tui_app *a, const char *how)
{
	int h = a->focus == PANE_DETAIL ? tui_rect_body(&a->lay.detail) : tui_list_h(a);
	long d = !strcmp(how, "down") ? 1 : !strcmp(how, "up") ? -1
		: !strcmp(how, "page-down") ? h : !strcmp(how, "page-up") ? -h
		: !strcmp(how, "half-down") ? h / 2 : !strcmp(how, "half-up") ? -h / 2
		: !strcmp(how, "top") ? -(1L << 40) : !strcmp(how, "bottom") ? (1L << 40) : 0;
	if (!d) {
		tui_msg(a, "move: down, up, page-down, page-up, half-down, half-up, top or bottom");
		return TUI_REDRAW;
	}
	if (a->focus == PANE_STEPS && a->rb) {
		long s = a->step + d;
		a->step = s < 0 ? 0 : s >= a->rb->nsteps ? a->rb->nsteps - 1 : (int)s;
	} else if (a->focus == PANE_DETAIL) {
		long c = (long)a->detail_cursor + d, n = (long)a->detail.n;
		a->detail_cursor = (size_t)(c >= n ? n - 1 : c < 0 ? 0 : c);
	} else {
		tui_view_move(&a->view, d, tui_list_h(a));
	}
	return TUI_REDRAW;
}

static int focus(tui_app *a, const char *to)
{
	enum pane order[3] = { PANE_STEPS, PANE_EVENTS, PANE_DETAIL };
	int first = a->rb && a->lay.steps.h ? 0 : 1, cur = 1;
	for (int i = 0; i < 3; i++)
		if (order[i] == a->focus)
			cur = i;
	if (!strcmp(to, "next"))
		cur = cur >= 2 ? first : cur + 1;
	else if (!strcmp(to, "prev"))
		cur = cur <= first ? 2 : cur - 1;
	else if (!strcmp(to, "steps") || !strcmp(to, "events") || !strcmp(to, "detail"))
		cur = to[0] == 's' ? first : to[0] == 'e' ? 1 : 2;
	else
		tui_msg(a, "focus: steps, events, detail, next or prev");
	a->focus = order[cur];
	return TUI_REDRAW;
}

static char *join(const cmd_call *c, int from)
{
	sbuf b;
	sbuf_init(&b);
	for (int i = from; i < c->argc; i++) {
		if (i > from)
			sbuf_addc(&b, ' ');
		sbuf_adds(&b, c->argv[i]);
	}
	return b.s ? sbuf_take(&b) : xstrdup("");
}

/* bind PANE KEY COMMAND...: one line of the keymap language, at runtime. */
static int bind(tui_app *a, const cmd_call *c)
{
	sbuf line, err;
	sbuf_init(&line);
	sbuf_init(&err);
	sbuf_adds(&line, "bind");
	for (int i = 0; i < c->argc; i++)
		sbuf_addf(&line, " %s", c->argv[i]);
	if (keymap_load_text(a->km, "bind", line.s, &err) > 0) {
		char *nl = strchr(err.s, '\n');
		if (nl)
			*nl = 0;
		tui_msg(a, "%s", err.s);
	} else if (c->argc >= 2) {
		tui_msg(a, "bound %s in %s", c->argv[1], c->argv[0]);
	}
	sbuf_free(&line);
	sbuf_free(&err);
	return TUI_REDRAW;
}

int tui_exec(tui_app *a, const cmd_call *c)
{
	const char *a0 = c->argc > 0 ? c->argv[0] : "";
	char *text = NULL;
	int rc = TUI_REDRAW;
	switch (c->id) {
	case CMD_QUIT: return TUI_QUIT;
	case CMD_HELP: a->overlay = TUI_OV_HELP; a->overlay_scroll = 0; break;
	case CMD_PROMPT:
		text = join(c, 0);
		tui_prompt_open(a, text);
		break;
	case CMD_BIND: rc = bind(a, c); break;
	case CMD_REDRAW: rc = TUI_REDRAW | TUI_RELAYOUT; break;
	case CMD_FOCUS: rc = focus(a, a0); break;
	case CMD_MOVE: rc = move(a, a0); break;
	case CMD_STEP_NEXT:
	case CMD_STEP_PREV:
		if (a->rb) {
			int s = a->step + (c->id == CMD_STEP_NEXT ? 1 : -1);
			a->step = s < 0 ? 0 : s >= a->rb->nsteps ? a->rb->nsteps - 1 : s;
		}
		break;
	case CMD_STEP_RUN:
		if (!a->rb)
			tui_msg(a, "no runbook: open one with trailguide -r RUNBOOK");
		else
			rc = tui_run_step(a, a->step);
		break;
	case CMD_QUERY:
		text = join(c, 0);
		if (tui_open_query(a, text, text, 1) == 0 && a->cs)
			case_record_query(a->cs, text, a->s, a->view.r, &a->ctx);
		break;
	case CMD_NARROW: {
		text = join(c, 0);
		sbuf q;
		sbuf_init(&q);
		const char *cur = a->view.query ? a->view.query : "";
		if (*cur)
			sbuf_addf(&q, "(%s) and (%s)", cur, text);
		else
			sbuf_adds(&q, text);
		if (strchr(cur, '|'))
			tui_msg(a, "narrow: the view is a pipeline; use query instead");
		else if (tui_open_query(a, q.s, text, 1) == 0) {
			narrow_warning(a, text);
			if (a->cs)
				case_record_query(a->cs, q.s, a->s, a->view.r, &a->ctx);
		}
		sbuf_free(&q);
		break;
	}
	case CMD_PIVOT: rc = tui_pivot(a, a0); break;
	case CMD_PIVOT_MENU: tui_pivot_menu(a); break;
	case CMD_BACK: rc = tui_back(a); break;
	case CMD_WINDOW: rc = tui_window(a, a0); break;
	case CMD_WINDOW_WIDEN: rc = tui_window_widen(a); break;
	case CMD_MARK:
		text = join(c, 1);
		rc = tui_mark(a, a0, text);
		break;
	case CMD_NOTE:
		text = join(c, 0);
		rc = tui_note(a, text);
		break;
	case CMD_MARKS: a->overlay = TUI_OV_MARKS; a->overlay_scroll = 0; break;
	case CMD_EXPORT:
	case CMD_EXPORT_FORCE: rc = tui_export(a, a0, c->id == CMD_EXPORT_FORCE); break;
	case CMD_COPY: rc = tui_copy(a, a0); break;
	case CMD_RESPOND: rc = tui_respond(a, atoi(a0)); break;
	case CMD_SORT: rc = tui_sort(a, a0, c->argc > 1 ? c->argv[1] : ""); break;
	case CMD_COLUMNS: rc = tui_columns(a, c->argc, c->argv); break;
	case CMD_ZOOM: rc = tui_zoom(a, a0); break;
	case CMD_FOLD: rc = tui_fold(a, a0); break;
	case CMD_SEARCH:
		text = join(c, 0);
		rc = tui_search(a, text);
		break;
	case CMD_SEARCH_NEXT: rc = tui_search(a, NULL); break;
	default: {
		const cmd_def *d = cmd_by_id(c->id);
		tui_msg(a, "%s: not in this version of the console yet", d ? d->name : "?");
		break;
	}
	}
	free(text);
	return rc;
}

int tui_exec_line(tui_app *a, const char *line)
{
	cmd_call c;
	char msg[256];
	if (cmd_parse(line, &c, msg, sizeof msg) < 0) {
		tui_msg(a, "%s", msg);
		return TUI_REDRAW;
	}
	a->message[0] = 0;
	tui_sync_detail(a);
	int rc = tui_exec(a, &c);
	tui_sync_detail(a);
	cmd_call_free(&c);
	return rc;
}

int tui_key(tui_app *a, int key)
{
	if (a->picking)
		return tui_picker_key(a, key);
	if (a->prompt_open)
		return tui_prompt_key(a, key);
	if (a->overlay != TUI_OV_NONE) {
		enum tui_overlay ov = a->overlay;
		if (key == TGK_DOWN || key == 'j') {
			a->overlay_scroll++;
			return TUI_REDRAW;
		}
		if ((key == TGK_UP || key == 'k') && a->overlay_scroll) {
			a->overlay_scroll--;
			return TUI_REDRAW;
		}
		a->overlay = TUI_OV_NONE;
		if (ov == TUI_OV_PIVOTS && key >= '1' && key < '1' + a->npivots)
			return tui_pivot(a, a->pivots[key - '1']);
		return TUI_REDRAW;
	}
	const char *line = keymap_lookup(a->km, a->focus, key);
	if (!line) {
		char kb[32];
		tui_msg(a, "%s is not bound; ? lists the keys", keymap_key_name(key, kb));
		return TUI_REDRAW;
	}
	return tui_exec_line(a, line);
}

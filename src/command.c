/* command.c — the command table, and parsing a command line against it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "keymap.h"

/* Usage words: lower-case a|b|c is a choice that is checked; an upper-case word is free;
 * [..] is optional; a last word TEXT, REASON or ending in "..." takes the rest of the line. */
const cmd_def cmd_table[] = {
	{ CMD_MOVE, "move", "down|up|page-down|page-up|half-down|half-up|top|bottom",
	  "Move the cursor of the focused pane." },
	{ CMD_FOCUS, "focus", "steps|events|detail|next|prev",
	  "Focus a pane by name, or the next or previous one." },
	{ CMD_STEP_NEXT, "step-next", "", "Select the next step of the runbook." },
	{ CMD_STEP_PREV, "step-prev", "", "Select the previous step of the runbook." },
	{ CMD_STEP_RUN, "step-run", "", "Run the selected step's query and show its events." },
	{ CMD_QUERY, "query", "TEXT", "Replace the event list with the result of a query." },
	{ CMD_NARROW, "narrow", "TEXT", "Filter the current event list with a query." },
	{ CMD_PIVOT, "pivot", "FIELD",
	  "Show every event that shares the selected event's value of FIELD (principal, role, "
	  "key, ip, session, account, event, ua, or any field path)." },
	{ CMD_PIVOT_MENU, "pivot-menu", "",
	  "Offer every pivot of the selected event with its value." },
	{ CMD_BACK, "back", "", "Return to the previous view with its cursor." },
	{ CMD_WINDOW, "window", "[SPAN]",
	  "Show the time window, or set it to SPAN: 30d (back from now), all, or FROM..TO "
	  "(2026-11-01..2026-11-20); every view is run again." },
	{ CMD_WINDOW_WIDEN, "window-widen", "",
	  "Widen the time window to hold every loaded event of the current view." },
	{ CMD_MARK, "mark", "benign|suspicious|malicious REASON",
	  "Record a verdict on the selected event in the case journal." },
	{ CMD_NOTE, "note", "TEXT", "Record a note on the selected event in the case journal." },
	{ CMD_MARKS, "marks", "", "Show the marked events of the case." },
	{ CMD_EXPORT, "export", "FILE",
	  "Write the current view's events to FILE, which must not exist: a JSON array for "
	  ".json, CSV for .csv, else NDJSON; journaled with the SHA-256 of the bytes." },
	{ CMD_EXPORT_FORCE, "export!", "FILE", "Export the current view, overwriting FILE." },
	{ CMD_SORT, "sort", "COLUMN [asc|desc]", "Sort the event list by a column." },
	{ CMD_COLUMNS, "columns", "LIST", "Choose the columns of the event list, comma separated." },
	{ CMD_ZOOM, "zoom", "in|out", "Narrow or widen the timeline window." },
	{ CMD_FOLD, "fold", "toggle|open|close|all|none",
	  "Fold or unfold the JSON of the detail pane." },
	{ CMD_SEARCH, "search", "TEXT", "Search for text inside the selected event." },
	{ CMD_SEARCH_NEXT, "search-next", "", "Go to the next match of the last search." },
	{ CMD_COPY, "copy", "value|path",
	  "Copy the selected value or its path to the clipboard with OSC 52." },
	{ CMD_RESPOND, "respond", "N",
	  "Copy the Nth respond action of the step with its holes filled in." },
	{ CMD_PROMPT, "prompt", "[TEXT]", "Open the command prompt, prefilled with TEXT." },
	{ CMD_BIND, "bind", "PANE KEY COMMAND...",
	  "Bind a key in a pane to a command line, as in a keymap file." },
	{ CMD_HELP, "help", "", "Show the active key bindings and what they do." },
	{ CMD_REDRAW, "redraw", "", "Clear and redraw the screen." },
	{ CMD_QUIT, "quit", "", "Leave trailguide." },
	{ CMD_NONE, NULL, NULL, NULL },
};

const cmd_def *cmd_by_name(const char *name)
{
	for (const cmd_def *d = cmd_table; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

const cmd_def *cmd_by_id(enum cmd_id id)
{
	for (const cmd_def *d = cmd_table; d->name; d++)
		if (d->id == id)
			return d;
	return NULL;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* One word at *p: "double quoted" parts (with \" and \\) join the word. Advances *p. */
static char *next_word(const char **p)
{
	const char *s = *p;
	sbuf b;
	sbuf_init(&b);
	sbuf_add(&b, "", 0);
	while (*s && !is_blank(*s)) {
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++) {
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				sbuf_addc(&b, *s);
			}
			if (*s == '"')
				s++;
		} else {
			sbuf_addc(&b, *s++);
		}
	}
	*p = s;
	return sbuf_take(&b);
}

static const char *skip_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return s;
}

/* The rest of the line: trimmed; one quoted string covering all of it is unquoted. */
static char *rest_of_line(const char *s)
{
	size_t n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '"') {
		const char *q = s;
		char *w = next_word(&q);
		if ((size_t)(q - s) == n)
			return w;
		free(w);
	}
	return xstrndup(s, n);
}

int cmd_split(const char *line, char ***argv)
{
	int n = 0;
	size_t cap = 0;
	*argv = NULL;
	for (const char *p = skip_blanks(line); *p; p = skip_blanks(p)) {
		xgrow((void **)argv, &cap, (size_t)n + 1, sizeof **argv);
		(*argv)[n++] = next_word(&p);
	}
	return n;
}

void cmd_argv_free(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

/* Usage words of def, split on blanks, brackets kept. */
static int usage_words(const cmd_def *d, char w[8][64])
{
	int n = 0;
	for (const char *p = d->args; *(p = skip_blanks(p)) && n < 8; n++) {
		size_t k = 0;
		while (*p && !is_blank(*p))
			if (k < 63)
				w[n][k++] = *p++;
			else
				p++;
		w[n][k] = 0;
	}
	return n;
}

static int word_is_rest(const char *w)
{
	size_t n = strlen(w);
	if (w[0] == '[' && n > 2)
		w++, n -= 2;
	return (n == 4 && strncmp(w, "TEXT", 4) == 0) || (n == 6 && strncmp(w, "REASON", 6) == 0) ||
	       (n > 3 && strncmp(w + n - 3, "...", 3) == 0);
}

/* Check arg against one usage word; 0 or -1 with msg. */
static int check_word(const cmd_def *d, const char *use, const char *arg, char *msg, size_t msgn)
{
	char u[64];
	const char *src = use[0] == '[' ? use + 1 : use;
	size_t un = strnlen(src, sizeof u - 1);
	memcpy(u, src, un);
	u[un] = 0;
	if (use[0] == '[')
		u[strcspn(u, "]")] = 0;
	if (islower((unsigned char)u[0])) {
		size_t n = strlen(arg);
		for (const char *c = u; *c;) {
			size_t k = strcspn(c, "|");
			if (k == n && strncmp(c, arg, n) == 0)
				return 0;
			c += k + (c[k] == '|');
		}
		snprintf(msg, msgn, "%s: '%s' is not one of %s", d->name, arg, u);
		return -1;
	}
	if (strcmp(u, "N") == 0) {
		char *end;
		long v = strtol(arg, &end, 10);
		if (!*arg || *end || v < 1 || v > 99) {
			snprintf(msg, msgn, "%s: '%s' is not a number from 1 to 99", d->name, arg);
			return -1;
		}
	}
	if (strcmp(u, "PANE") == 0) {
		enum pane p;
		if (pane_parse(arg, &p) < 0) {
			snprintf(msg, msgn, "unknown pane '%s'", arg);
			return -1;
		}
	}
	if (strcmp(u, "KEY") == 0) {
		int k;
		if (key_parse(arg, &k) < 0) {
			snprintf(msg, msgn, "unknown key '%s'", arg);
			return -1;
		}
	}
	if (!*arg && use[0] != '[') {
		snprintf(msg, msgn, "%s: empty %s", d->name, u);
		return -1;
	}
	return 0;
}

int cmd_parse(const char *line, cmd_call *out, char *msg, size_t msgn)
{
	const char *p = skip_blanks(line);
	char *name = next_word(&p);
	char use[8][64];
	memset(out, 0, sizeof *out);
	if (!*name) {
		free(name);
		snprintf(msg, msgn, "empty command");
		return -1;
	}
	const cmd_def *d = cmd_by_name(name);
	if (!d) {
		snprintf(msg, msgn, "unknown command '%.60s'", name);
		free(name);
		return -1;
	}
	free(name);
	out->id = d->id;
	int nuse = usage_words(d, use);
	int rest = nuse > 0 && word_is_rest(use[nuse - 1]);
	out->argv = xcalloc((size_t)nuse + 1, sizeof *out->argv);
	for (int i = 0; i < nuse; i++) {
		p = skip_blanks(p);
		int optional = use[i][0] == '[';
		if (!*p) {
			if (optional)
				break;
			if (islower((unsigned char)use[i][0]))
				snprintf(msg, msgn, "%s needs %s", d->name, use[i]);
			else
				snprintf(msg, msgn, "%s needs a %s", d->name, use[i]);
			goto fail;
		}
		out->argv[out->argc++] = (rest && i == nuse - 1) ? rest_of_line(p) : next_word(&p);
		if (rest && i == nuse - 1)
			p += strlen(p);
		if (check_word(d, use[i], out->argv[out->argc - 1], msg, msgn) < 0)
			goto fail;
	}
	if (*skip_blanks(p)) {
		snprintf(msg, msgn, nuse ? "%s: too many arguments" : "%s takes no arguments",
			 d->name);
		goto fail;
	}
	return 0;
fail:
	cmd_call_free(out);
	return -1;
}

void cmd_call_free(cmd_call *c)
{
	if (!c)
		return;
	cmd_argv_free(c->argc, c->argv);
	c->argv = NULL;
	c->argc = 0;
	c->id = CMD_NONE;
}

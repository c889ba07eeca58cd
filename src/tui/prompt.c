/* prompt.c — the : prompt on readline's callback interface, fed from the curses key loop. */
#include "tui/prompt.h"

#include "tui/tcurses.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <readline/readline.h>
#include <readline/history.h>

#include "esc.h"
#include "tui/draw.h"

#define HISTORY_MAX 1000

static tui_app *app;      /* readline's callbacks take no context */
static char inq[64];      /* bytes of the key being fed to readline */
static size_t inq_len, inq_pos;
static char *accepted;    /* the line readline handed back, until we run it */
static int got_line;      /* the handler ran (accepted may be NULL: end of file) */
static char *hist_path;
static sbuf matches;      /* the completion list shown above the prompt */

static int q_getc(FILE *f)
{
	(void)f;
	return inq_pos < inq_len ? (unsigned char)inq[inq_pos++] : EOF;
}

static int q_available(void)
{
	return inq_pos < inq_len;
}

static void no_prep(int meta)
{
	(void)meta;
}

static void no_deprep(void)
{
}

/* Readline's picture of the line becomes the prompt text that tui_draw paints. */
static void redisplay(void)
{
	if (!app)
		return;
	sbuf_reset(&app->prompt);
	sbuf_add(&app->prompt, rl_line_buffer ? rl_line_buffer : "", (size_t)rl_end);
}

static void on_line(char *line)
{
	got_line = 1;
	accepted = line;
	rl_callback_handler_remove();
}

static void show_matches(char **m, int n, int maxlen)
{
	(void)maxlen;
	sbuf_reset(&matches);
	for (int i = 1; i <= n && matches.len < 1024; i++) {
		if (i > 1)
			sbuf_adds(&matches, "  ");
		sbuf_adds(&matches, m[i]);
	}
}

static char **attempt(const char *text, int start, int end)
{
	rl_attempted_completion_over = 1; /* never fall back to file names */
	return tui_complete(app, rl_line_buffer, text, start, end);
}

/* $XDG_X/trailguide/NAME (default ~/DFLT/trailguide/NAME), malloc'd. */
static char *xdg_path(const char *var, const char *dflt, const char *name)
{
	const char *x = getenv(var), *home = getenv("HOME");
	sbuf b;
	sbuf_init(&b);
	if (x && *x)
		sbuf_addf(&b, "%s/trailguide/%s", x, name);
	else
		sbuf_addf(&b, "%s/%s/trailguide/%s", home ? home : ".", dflt, name);
	return sbuf_take(&b);
}

static void mkdirs(const char *file)
{
	char *d = xstrdup(file);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		mkdir(d, 0700);
		*p = '/';
	}
	free(d);
}

/* The user keymap, after the default and -k: problems name FILE:LINE with ~ for $HOME. */
static void user_keys(tui_app *a)
{
	char *path = xdg_path("XDG_CONFIG_HOME", ".config", "keys");
	sbuf text, err, name;
	sbuf_init(&text);
	sbuf_init(&err);
	sbuf_init(&name);
	const char *home = getenv("HOME");
	size_t hn = home ? strlen(home) : 0;
	if (hn > 1 && !strncmp(path, home, hn) && path[hn] == '/')
		sbuf_addf(&name, "~%s", path + hn);
	else
		sbuf_adds(&name, path);
	if (read_file_into(path, &text) < 0) {
		if (errno != ENOENT)
			tui_msg(a, "keys: %s: %s", name.s, strerror(errno));
	} else if (keymap_load_text(a->km, name.s, text.s ? text.s : "", &err) > 0) {
		char *nl = strchr(err.s, '\n');
		int more = 0;
		for (char *p = nl; p && p[1]; p = strchr(p + 1, '\n'))
			more++;
		if (nl)
			*nl = 0;
		if (more)
			tui_msg(a, "keys: %s (and %d more)", err.s, more);
		else
			tui_msg(a, "keys: %s", err.s);
	}
	sbuf_free(&text);
	sbuf_free(&err);
	sbuf_free(&name);
	free(path);
}

void tui_prompt_start(tui_app *a)
{
	app = a;
	rl_readline_name = "trailguide";
	rl_instream = fopen("/dev/null", "r");
	rl_outstream = fopen("/dev/null", "w"); /* readline's own output (bell, newline) */
	rl_getc_function = q_getc;
	rl_input_available_hook = q_available;
	rl_redisplay_function = redisplay;
	rl_prep_term_function = no_prep;
	rl_deprep_term_function = no_deprep;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_attempted_completion_function = attempt;
	rl_completion_display_matches_hook = show_matches;
	rl_basic_word_break_characters = " \t\n=<>!(),|";
	rl_completer_quote_characters = "\"'";
	rl_initialize();
	rl_variable_bind("bell-style", "none");
	using_history();
	stifle_history(HISTORY_MAX);
	hist_path = xdg_path("XDG_STATE_HOME", ".local/state", "history");
	read_history(hist_path);
	user_keys(a);
}

void tui_prompt_open(tui_app *a, const char *text)
{
	app = a;
	a->prompt_open = 1;
	sbuf_reset(&matches);
	using_history();
	rl_callback_handler_install("", on_line);
	if (text && *text)
		rl_insert_text(text);
	redisplay();
}

void tui_prompt_insert(tui_app *a, const char *text)
{
	app = a;
	if (text && *text)
		rl_insert_text(text);
	redisplay();
}

static void close_prompt(tui_app *a)
{
	a->prompt_open = 0;
	sbuf_reset(&a->prompt);
	sbuf_reset(&matches);
	inq_len = inq_pos = 0;
}

static void remember(const char *line)
{
	HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
	if (last && !strcmp(last->line, line))
		return;
	add_history(line);
	if (!hist_path)
		return;
	mkdirs(hist_path);
	struct stat st;
	if (stat(hist_path, &st) == 0)
		append_history(1, hist_path);
	else
		write_history(hist_path);
	history_truncate_file(hist_path, HISTORY_MAX);
}

/* The bytes a terminal would send for key, as readline's emacs and vi maps expect them. */
static size_t key_bytes(int key, char *u)
{
	const char *seq = key == TGK_UP ? "\033[A" : key == TGK_DOWN ? "\033[B"
		: key == TGK_RIGHT ? "\033[C" : key == TGK_LEFT ? "\033[D"
		: key == TGK_HOME ? "\033[H" : key == TGK_END ? "\033[F"
		: key == TGK_DEL ? "\033[3~" : key == TGK_ENTER ? "\r" : key == TGK_TAB ? "\t"
		: key == TGK_BACKSPACE ? "\177" : NULL;
	if (seq) {
		strcpy(u, seq);
		return strlen(seq);
	}
	if (key <= 0 || key >= TGK_SPECIAL)
		return 0;
	if (key < 0x80) {
		u[0] = (char)key;
		return 1;
	}
	if (key < 0x800) {
		u[0] = (char)(0xc0 | key >> 6);
		u[1] = (char)(0x80 | (key & 0x3f));
		return 2;
	}
	if (key < 0x10000) {
		u[0] = (char)(0xe0 | key >> 12);
		u[1] = (char)(0x80 | ((key >> 6) & 0x3f));
		u[2] = (char)(0x80 | (key & 0x3f));
		return 3;
	}
	u[0] = (char)(0xf0 | key >> 18);
	u[1] = (char)(0x80 | ((key >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((key >> 6) & 0x3f));
	u[3] = (char)(0x80 | (key & 0x3f));
	return 4;
}

int tui_prompt_key(tui_app *a, int key)
{
	app = a;
	if (key == TGK_ESC || key == TGK_CTRL('g') || key == TGK_CTRL('c') ||
	    (key == TGK_BACKSPACE && rl_end == 0)) {
		rl_replace_line("", 1);
		rl_callback_handler_remove();
		close_prompt(a);
		return TUI_REDRAW;
	}
	sbuf_reset(&matches);
	inq_len = key_bytes(key, inq);
	inq_pos = 0;
	got_line = 0;
	while (inq_pos < inq_len && !got_line)
		rl_callback_read_char();
	if (!got_line)
		return TUI_REDRAW;
	char *line = accepted;
	accepted = NULL;
	close_prompt(a);
	int rc = TUI_REDRAW;
	if (line && *line) {
		remember(line);
		rc = tui_exec_line(a, line);
	}
	free(line);
	return rc;
}

void tui_prompt_draw(tui_app *a)
{
	if (!a->prompt_open) {
		curs_set(0);
		return;
	}
	int y = a->lay.prompt.y, w = a->lay.prompt.w;
	sbuf pre, all;
	sbuf_init(&pre);
	sbuf_init(&all);
	size_t pt = rl_point > 0 && rl_point <= rl_end ? (size_t)rl_point : 0;
	esc_tui(&pre, a->prompt.s ? a->prompt.s : "", pt);
	esc_tui(&all, a->prompt.s ? a->prompt.s : "", a->prompt.len);
	/* scroll whole characters off the left until the point fits */
	size_t skip = 0;
	while (skip < pre.len && (int)esc_width(pre.s + skip, pre.len - skip) > w - 2) {
		skip++;
		while (skip < pre.len && ((unsigned char)pre.s[skip] & 0xc0) == 0x80)
			skip++;
	}
	if (matches.len && y > 0) {
		sbuf m;
		sbuf_init(&m);
		esc_tui(&m, matches.s, matches.len);
		tui_put(y - 1, 0, w, m.s, A_REVERSE);
		sbuf_free(&m);
	}
	tui_put(y, 0, 1, skip ? "<" : ":", A_NORMAL);
	tui_put(y, 1, w - 1, all.s ? all.s + skip : "", A_NORMAL);
	int cx = 1 + (pre.len ? (int)esc_width(pre.s + skip, pre.len - skip) : 0);
	move(y, cx < w ? cx : w - 1);
	curs_set(1);
	refresh();
	sbuf_free(&pre);
	sbuf_free(&all);
}

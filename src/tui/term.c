/* term.c — curses setup and teardown, the key loop, signals that restore the terminal. */
#include "tui/term.h"

#include "tui/draw.h"
#include "tui/prompt.h"
#include "tui/tcurses.h"
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static SCREEN *scr;
static volatile sig_atomic_t got_signal, got_intr;

static void on_signal(int sig)
{
	got_signal = sig; /* the loop notices within its input timeout and restores */
}

/* C-c: the loop cancels an open prompt's line, else leaves as on SIGTERM (130). */
static void on_intr(int sig)
{
	(void)sig;
	got_intr = 1;
}

/* Bracketed paste: the terminal wraps pasted text in \e[200~ ... \e[201~, which curses
 * hands back as the key codes defined here, so a paste is text, never keys. */
enum { KEY_TG_PASTE_BEGIN = KEY_MAX + 1, KEY_TG_PASTE_END };
static const char paste_on[] = "\033[?2004h", paste_off[] = "\033[?2004l";
static FILE *scr_out;

/* A crash: put the terminal back (only write(2), async-signal-safe), then die of the
 * signal as if unhandled (SA_RESETHAND restored the default action). */
static void on_crash(int sig)
{
	static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
	ssize_t w = write(STDOUT_FILENO, reset, sizeof reset - 1);
	(void)w;
	raise(sig);
}

static void stop_at_exit(void)
{
	tui_term_stop();
}

int tui_term_start(tui_app *a, FILE *out, FILE *in)
{
	if (!(scr = newterm(NULL, out, in)))
		return -1;
	set_term(scr);
	scr_out = out;
	define_key("\033[200~", KEY_TG_PASTE_BEGIN);
	define_key("\033[201~", KEY_TG_PASTE_END);
	fputs(paste_on, out);
	fflush(out);
	atexit(stop_at_exit);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	const char *cs = nl_langinfo(CODESET);
	a->utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	const char *nc = getenv("NO_COLOR");
	a->color = !(nc && *nc) && has_colors();
	if (a->color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_BLACK, COLOR_CYAN);  /* title bars */
		init_pair(2, COLOR_GREEN, -1);          /* done steps */
		init_pair(3, COLOR_RED, -1);            /* findings, errors */
		init_pair(4, COLOR_CYAN, -1);           /* JSON keys */
		init_pair(5, COLOR_YELLOW, -1);         /* breadcrumbs */
	}
	return 0;
}

void tui_term_stop(void)
{
	if (!scr)
		return;
	if (scr_out) {
		fputs(paste_off, scr_out);
		fflush(scr_out);
	}
	endwin();
	delscreen(scr);
	scr = NULL;
}

/* Our key code for what get_wch returned. */
static int key_code(int r, wint_t ch)
{
	if (r == OK) {
		switch (ch) {
		case '\r': case '\n': return TGK_ENTER;
		case 27: return TGK_ESC;
		case 127: case 8: return TGK_BACKSPACE;
		case '\t': return TGK_TAB;
		default: return (int)ch;
		}
	}
	switch (ch) {
	case KEY_UP: return TGK_UP;
	case KEY_DOWN: return TGK_DOWN;
	case KEY_LEFT: return TGK_LEFT;
	case KEY_RIGHT: return TGK_RIGHT;
	case KEY_PPAGE: return TGK_PGUP;
	case KEY_NPAGE: return TGK_PGDN;
	case KEY_HOME: return TGK_HOME;
	case KEY_END: return TGK_END;
	case KEY_ENTER: return TGK_ENTER;
	case KEY_BACKSPACE: return TGK_BACKSPACE;
	case KEY_BTAB: return TGK_BTAB;
	case KEY_DC: return TGK_DEL;
	case KEY_IC: return TGK_INS;
	case KEY_RESIZE: return TGK_RESIZE;
	case KEY_TG_PASTE_BEGIN: return TGK_PASTE_BEGIN;
	case KEY_TG_PASTE_END: return TGK_PASTE_END;
	default:
		if (ch >= KEY_F(1) && ch <= KEY_F(12))
			return TGK_F1 + (int)(ch - KEY_F(1));
		return 0;
	}
}

/* Signals, /dev/tty for OSC 52, curses on the terminal. 0, or 2 after a message. */
int tui_term_open(tui_app *a)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_intr;
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	a->tty = fopen("/dev/tty", "w");
	if (tui_term_start(a, stdout, stdin) < 0) {
		fprintf(stderr, "trailguide: cannot start the console on this terminal (TERM=%s)\n",
			getenv("TERM") ? getenv("TERM") : "");
		if (a->tty)
			fclose(a->tty);
		a->tty = NULL;
		return 2;
	}
	return 0;
}

void tui_term_loading(const ingest_progress *p, void *ud)
{
	(void)ud;
	timeout(0); /* never block the load: drain what was typed, then back to reading */
	wint_t ch;
	int r;
	while ((r = get_wch(&ch)) != ERR) {
		int key = key_code(r, ch);
		if (key == 'q' || key == 3)
			got_signal = SIGINT;
		if (got_intr)
			got_signal = SIGINT;
		/* TGK_RESIZE: curses has the new LINES/COLS; the panel is redrawn below */
	}
	if (got_signal) { /* abandon: the workers are still reading, so no exit handlers */
		int sig = got_signal;
		tui_term_stop();
		static const char msg[] = "trailguide: loading abandoned\n";
		ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
		(void)w;
		_exit(128 + sig);
	}
	tui_draw_loading(p, COLS, LINES);
}

int tui_term_run(tui_app *a)
{
	if (!scr) {
		int rc = tui_term_open(a);
		if (rc)
			return rc;
	}
	timeout(200);
	tui_prompt_start(a);
	tui_relayout(a, COLS, LINES);
	int flags = TUI_REDRAW;
	while (!got_signal && !(flags & TUI_QUIT)) {
		if (got_intr) { /* C-c: cancel the prompt's line, or leave */
			got_intr = 0;
			if (!a->prompt_open) {
				got_signal = SIGINT;
				break;
			}
			flags = tui_key(a, TGK_CTRL('c'));
			tui_msg(a, "cancelled");
		}
		if (flags) {
			tui_draw(a);
			tui_prompt_draw(a);
		}
		flags = 0;
		wint_t ch;
		int r = get_wch(&ch);
		if (r == ERR)
			continue;
		int key = key_code(r, ch);
		if (key == TGK_RESIZE) {
			tui_relayout(a, COLS, LINES);
			flags = TUI_REDRAW;
			continue;
		}
		if (key)
			flags = tui_key(a, key);
	}
	tui_term_stop();
	if (a->tty)
		fclose(a->tty);
	a->tty = NULL;
	return got_signal ? 128 + got_signal : 0; /* the case is closed before we exit */
}

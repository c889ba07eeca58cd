/* screen.c — tig-style headless screen tests: a script of keys and commands drives the
 * console drawing to /dev/null, and `dump` prints the screen's text.
 *
 *   key j            one key, named as in keymap files (<Down>, <C-d>, ?)
 *   cmd pivot ip     a command line, as typed at the : prompt
 *   type TEXT        characters typed one by one (into the prompt when it is open)
 *   resize 100x30    the terminal's new size
 *   dump             print the screen
 *   loading 3/8 5000 2.5   draw the loading panel (files done/total, events, seconds), dump it
 *   time key j       (or time cmd ...) print the milliseconds from the key to the drawn frame
 *   # ...            a comment */
#include "tui/term.h"

#include "tui/draw.h"
#include "tui/prompt.h"
#include "tui/tcurses.h"
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

/* Print the screen's text, one line per row, trailing blanks removed. */
static void dump(int cols, int rows)
{
	printf("--- screen %dx%d\n", cols, rows);
	for (int y = 0; y < rows; y++) {
		sbuf line;
		sbuf_init(&line);
		for (int x = 0; x < cols; x++) {
			cchar_t cc;
			wchar_t wc[CCHARW_MAX + 1];
			attr_t at;
			short pair;
			if (mvin_wch(y, x, &cc) == ERR)
				break;
			if (getcchar(&cc, wc, &at, &pair, NULL) == ERR)
				continue;
			for (int k = 0; wc[k]; k++) {
				char mb[MB_LEN_MAX];
				mbstate_t st;
				memset(&st, 0, sizeof st);
				size_t n = wcrtomb(mb, wc[k], &st);
				if (n != (size_t)-1)
					sbuf_add(&line, mb, n);
			}
			int cw = wcwidth(wc[0]);
			if (cw > 1)
				x += cw - 1; /* the next cell continues this character */
		}
		while (line.len && line.s[line.len - 1] == ' ')
			line.s[--line.len] = 0;
		printf("%s\n", line.s ? line.s : "");
		sbuf_free(&line);
	}
	fflush(stdout);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = 0;
	return s;
}

int tui_screen_test_run(tui_app *a, const char *script, int cols, int rows)
{
	FILE *sf = fopen(script, "r");
	if (!sf) {
		perror(script);
		return 2;
	}
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	char num[16];
	snprintf(num, sizeof num, "%d", cols);
	setenv("COLUMNS", num, 1);
	snprintf(num, sizeof num, "%d", rows);
	setenv("LINES", num, 1);
	a->screen_test = 1;
	int rc = 0;
	if (!out || !in || tui_term_start(a, out, in) < 0) {
		fprintf(stderr, "trailguide: --screen-test: cannot start curses\n");
		rc = 2;
		goto done;
	}
	tui_prompt_start(a);
	resize_term(rows, cols);
	tui_relayout(a, cols, rows);
	char buf[4096];
	int lineno = 0, flags = 0;
	while (!(flags & TUI_QUIT) && fgets(buf, sizeof buf, sf)) {
		lineno++;
		char *l = trim(buf);
		if (!*l || *l == '#')
			continue;
		int key;
		if (!strncmp(l, "key ", 4)) {
			if (key_parse(trim(l + 4), &key) < 0) {
				fprintf(stderr, "%s:%d: unknown key '%s'\n", script, lineno, l + 4);
				rc = 2;
				break;
			}
			flags = tui_key(a, key);
		} else if (!strncmp(l, "cmd ", 4)) {
			flags = tui_exec_line(a, l + 4);
		} else if (!strncmp(l, "type ", 5)) {
			for (const char *p = l + 5; *p; p++)
				flags = tui_key(a, (unsigned char)*p);
		} else if (!strncmp(l, "resize ", 7)) {
			if (sscanf(l + 7, "%dx%d", &cols, &rows) != 2) {
				fprintf(stderr, "%s:%d: resize COLSxROWS\n", script, lineno);
				rc = 2;
				break;
			}
			resize_term(rows, cols);
			tui_relayout(a, cols, rows);
		} else if (!strncmp(l, "time key ", 9) || !strncmp(l, "time cmd ", 9)) {
			struct timespec t0, t1;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			if (l[5] == 'c') {
				flags = tui_exec_line(a, l + 9);
			} else if (key_parse(trim(l + 9), &key) == 0) {
				flags = tui_key(a, key);
			} else {
				fprintf(stderr, "%s:%d: unknown key '%s'\n", script, lineno, l + 9);
				rc = 2;
				break;
			}
			tui_draw(a);
			clock_gettime(CLOCK_MONOTONIC, &t1);
			printf("time %-28s %8.2f ms\n", l + 5, (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
							       (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
			fflush(stdout);
		} else if (!strncmp(l, "loading ", 8)) {
			ingest_progress p = { 0 };
			if (sscanf(l + 8, "%zu/%zu %zu %lf", &p.files_done, &p.files_total, &p.events,
				   &p.elapsed) != 4) {
				fprintf(stderr, "%s:%d: loading DONE/TOTAL EVENTS SECONDS\n", script, lineno);
				rc = 2;
				break;
			}
			tui_draw_loading(&p, cols, rows);
			dump(cols, rows);
		} else if (!strcmp(l, "dump")) {
			tui_draw(a);
			tui_prompt_draw(a);
			dump(cols, rows);
		} else {
			fprintf(stderr, "%s:%d: unknown script line\n", script, lineno);
			rc = 2;
			break;
		}
	}
done:
	tui_term_stop();
	if (out)
		fclose(out);
	if (in)
		fclose(in);
	fclose(sf);
	return rc;
}

/* mdwrap.h — runbook guidance Markdown as wrapped lines of styled, escaped runs (no curses). */
#ifndef TG_TUI_MDWRAP_H
#define TG_TUI_MDWRAP_H

#include <stddef.h>

/* Styles of a run: headings and **strong** are bold, *emphasis* italic, `code` code. */
enum { TUI_MD_BOLD = 1, TUI_MD_EM = 2, TUI_MD_CODE = 4 };

typedef struct tui_mdrun {
	size_t at, n; /* bytes s[at..at+n) of the line */
	int style;
} tui_mdrun;

typedef struct tui_mdline {
	char *s;      /* the line's text, escaped for the terminal, markers removed */
	tui_mdrun *runs;
	int nruns;
} tui_mdline;

typedef struct tui_md {
	tui_mdline *v;
	size_t n, cap;
} tui_md;

/* Render md wrapped to width columns: headings, paragraphs, `- ` and `1. ` lists with a
 * hanging indent, blank lines between blocks. Appends to out (zeroed first by the caller). */
void tui_md_wrap(const char *md, int width, tui_md *out);
/* Append a line of one run (text escaped here) with style. */
void tui_md_add(tui_md *m, const char *text, size_t n, int style);
/* The same for text already escaped (or our own). */
void tui_md_add_escaped(tui_md *m, const char *e, size_t n, int style);
void tui_md_free(tui_md *m);

#endif

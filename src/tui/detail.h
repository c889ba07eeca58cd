/* detail.h — the detail pane's text: an event's raw JSON pretty-printed, escaped. */
#ifndef TG_TUI_DETAIL_H
#define TG_TUI_DETAIL_H

#include <stddef.h>
#include "store.h"

typedef struct tui_lines {
	char **v;        /* each line, already escaped for the terminal */
	char **path;     /* the dotted path of the value on each line (NULL: none) */
	char **value;    /* the raw (unescaped) scalar value on that line, or NULL */
	unsigned char *kind; /* the value's kind, for colors: TUI_K_* */
	int *keyat, *valat;  /* byte offsets in v where the key and the value start */
	size_t *end;     /* an object's or array's opening line: its closing line; else itself */
	unsigned char *folded; /* an opening line shown folded */
	size_t *src;     /* a projection (proj): each line's index in the full lines */
	int proj;
	size_t n, cap;
} tui_lines;

enum { TUI_K_NONE, TUI_K_STR, TUI_K_NUM, TUI_K_LIT };

/* Pretty-print event ev of s (2-space indent, every key and string through esc_term). On
 * a read or parse error the lines hold the message. */
void tui_detail_build(store *s, size_t ev, tui_lines *out);
void tui_lines_free(tui_lines *l);

/* detail_fold.c: the lines of full that folding leaves visible, into out (a projection:
 * a folded line shows "{…}" and its closing punctuation). */
void tui_lines_project(const tui_lines *full, tui_lines *out, int utf8);
/* The projection line showing full line i (the nearest visible opener when i is hidden). */
size_t tui_lines_shown(const tui_lines *proj, size_t i);
/* The innermost object or array around full line i that can fold (i itself when it opens
 * one), or (size_t)-1. */
size_t tui_lines_opener(const tui_lines *full, size_t i);
/* Next full line at or after from (wrapping) whose text holds needle, case-insensitive;
 * (size_t)-1 when none. *count gets the number of matching lines. */
size_t tui_lines_find(const tui_lines *full, const char *needle, size_t from, size_t *count);
/* Unfold every opener that hides line i. */
void tui_lines_reveal(tui_lines *full, size_t i);
/* Case-insensitive substring of h[0..n); NULL when absent. */
const char *tui_strcasestr(const char *h, size_t n, const char *needle);

#endif

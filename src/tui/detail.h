/* detail.h — the detail pane's text: an event's raw JSON pretty-printed, escaped. */
#ifndef TG_TUI_DETAIL_H
#define TG_TUI_DETAIL_H

#include <stddef.h>
#include "store.h"

typedef struct tui_lines {
	char **v;        /* each line, already escaped for the terminal */
	char **path;     /* the dotted path of the value on each line (NULL: none) */
	char **value;    /* the raw (unescaped) scalar value on that line, or NULL */
	size_t n, cap;
} tui_lines;

/* Pretty-print event ev of s (2-space indent, every key and string through esc_term). On
 * a read or parse error the lines hold the message. */
void tui_detail_build(store *s, size_t ev, tui_lines *out);
void tui_lines_free(tui_lines *l);

#endif

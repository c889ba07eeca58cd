/* keymap.h — key bindings as data: keymap files in the same language as the prompt's
 * `bind` command, per-pane maps that fall back to a global one. No curses here: keys are
 * our own codes (printable characters as themselves, TGK_* for the rest). */
#ifndef TG_KEYMAP_H
#define TG_KEYMAP_H

#include <stddef.h>
#include "util.h"

enum pane { PANE_GLOBAL, PANE_STEPS, PANE_EVENTS, PANE_DETAIL, PANE__COUNT };

/* Key codes: 0x20..0x10ffff are characters; control keys are TGK_CTRL('a') = 1 ... */
#define TGK_CTRL(c) ((c) & 0x1f)
enum {
	TGK_SPECIAL = 0x110000,
	TGK_UP, TGK_DOWN, TGK_LEFT, TGK_RIGHT, TGK_PGUP, TGK_PGDN, TGK_HOME, TGK_END,
	TGK_ENTER, TGK_ESC, TGK_BACKSPACE, TGK_TAB, TGK_BTAB, TGK_DEL, TGK_INS,
	TGK_F1, /* .. TGK_F1 + 11 */
	TGK_RESIZE = TGK_F1 + 12,
	TGK_PASTE_BEGIN, TGK_PASTE_END, /* bracketed paste (\e[200~, \e[201~) */
};

typedef struct keymap keymap;

keymap *keymap_new(void);
void keymap_free(keymap **k);

/* Load keymap text (lines: `bind PANE KEY COMMAND [ARGS...]`, `unbind PANE KEY`,
 * `# comments`; PANE is global|steps|events|detail; KEY like j, G, ?, <Down>, <C-d>,
 * <Enter>, <Esc>, <Tab>, <S-Tab>, <Backspace>, <F1>, <Space>). Problems are appended to
 * errors as "NAME:LINE: reason" and the line is skipped. Returns the number of problems. */
int keymap_load_text(keymap *k, const char *name, const char *text, sbuf *errors);
int keymap_load_file(keymap *k, const char *path, sbuf *errors);

/* The compiled-in keymaps/default.keys (and vi.keys, emacs.keys by name). */
extern const char keymap_default_text[];
const char *keymap_builtin(const char *name); /* "default", "vi", "emacs"; NULL if none */

/* The command line bound to key in pane, falling back to the global map; NULL if none. */
const char *keymap_lookup(const keymap *k, enum pane p, int key);

/* Every binding (pane, key, command line), for the help overlay and the man page. */
void keymap_each(const keymap *k, void (*fn)(void *ud, enum pane p, int key, const char *cmd),
		 void *ud);

int key_parse(const char *name, int *key);      /* 0 or -1 */
const char *keymap_key_name(int key, char buf[32]);     /* "<C-d>", "j", "<Down>" */
const char *pane_name(enum pane p);
int pane_parse(const char *name, enum pane *p);

#endif

/* prompt.h — the : prompt: GNU readline's callback interface inside curses, with history
 * in $XDG_STATE_HOME/trailguide/history and completion of commands, fields and values. */
#ifndef TG_TUI_PROMPT_H
#define TG_TUI_PROMPT_H

#include "tui/app.h"

/* Once, after curses started: readline set up so that it never touches the terminal, the
 * history file read, and the user keymap $XDG_CONFIG_HOME/trailguide/keys loaded (its
 * problems, as FILE:LINE: reason, go to the message line). */
void tui_prompt_start(tui_app *a);
/* Open the prompt, prefilled with text. */
void tui_prompt_open(tui_app *a, const char *text);
/* Insert text at the point of the open prompt (a bracketed paste). */
void tui_prompt_insert(tui_app *a, const char *text);
/* One key (TGK_* code) while the prompt is open; returns TUI_* flags. <C-c> cancels the
 * line as <Esc> does. */
int tui_prompt_key(tui_app *a, int key);
/* After tui_draw: the prompt line (scrolled to keep the point visible), the completion
 * list above it, and the terminal cursor at the point. */
void tui_prompt_draw(tui_app *a);

/* Completion matches for text at [start, end) of line (prompt_complete.c): readline's
 * rl_completion_matches array, or NULL. */
char **tui_complete(tui_app *a, const char *line, const char *text, int start, int end);

#endif

/* command.h — the one command table: every user action of the console, with its
 * arguments and help sentence. Key bindings, the `:` prompt, the help overlay and the key
 * table in man/trailguide.1 all come from it. No curses here. */
#ifndef TG_COMMAND_H
#define TG_COMMAND_H

#include <stddef.h>
#include "util.h"

enum cmd_id {
	CMD_NONE = 0,
	CMD_QUIT,         /* quit */
	CMD_HELP,         /* help: the overlay of active bindings */
	CMD_PROMPT,       /* prompt [TEXT]: open the : prompt (prefilled) */
	CMD_REDRAW,       /* redraw */
	CMD_FOCUS,        /* focus steps|events|detail|next|prev */
	CMD_MOVE,         /* move down|up|page-down|page-up|half-down|half-up|top|bottom */
	CMD_STEP_NEXT,    /* step-next */
	CMD_STEP_PREV,    /* step-prev */
	CMD_STEP_RUN,     /* step-run: run the current step's query */
	CMD_QUERY,        /* query TEXT: replace the view with a query */
	CMD_NARROW,       /* narrow TEXT: filter the current view (/) */
	CMD_PIVOT,        /* pivot FIELD: principal|role|key|ip|session|account|event|ua|any path */
	CMD_PIVOT_MENU,   /* pivot-menu: every pivot of the selected event with its value */
	CMD_BACK,         /* back: pop the breadcrumb stack, restore view and cursor */
	CMD_WINDOW,       /* window [SPAN]: show or set the time window (30d, all, FROM..TO) */
	CMD_WINDOW_WIDEN, /* window-widen: grow the window to hold the view's every event */
	CMD_MARK,         /* mark benign|suspicious|malicious REASON */
	CMD_NOTE,         /* note TEXT */
	CMD_MARKS,        /* marks: the view of marked events */
	CMD_EXPORT,       /* export FILE: the view's events to a new file (issue 12) */
	CMD_EXPORT_FORCE, /* export! FILE: the same, overwriting */
	CMD_SORT,         /* sort COLUMN [asc|desc] */
	CMD_COLUMNS,      /* columns LIST */
	CMD_ZOOM,         /* zoom in|out: the timeline window */
	CMD_FOLD,         /* fold toggle|open|close|all|none (detail pane) */
	CMD_SEARCH,       /* search TEXT: inside the selected event */
	CMD_SEARCH_NEXT,  /* search-next */
	CMD_COPY,         /* copy value|path: OSC 52 */
	CMD_RESPOND,      /* respond N: copy the Nth respond action, holes filled */
	CMD_BIND,         /* bind PANE KEY COMMAND...: as in keymap files */
	CMD__COUNT
};

typedef struct cmd_def {
	enum cmd_id id;
	const char *name;  /* as typed at the prompt and in keymaps */
	const char *args;  /* usage of the arguments, "" for none */
	const char *help;  /* one sentence, for the overlay and the man page */
} cmd_def;

/* The table, in help order, terminated by an entry with id CMD_NONE. */
extern const cmd_def cmd_table[];

const cmd_def *cmd_by_name(const char *name);
const cmd_def *cmd_by_id(enum cmd_id id);

/* A parsed command line: "pivot principal", "mark malicious \"created a backdoor user\"".
 * Words are split on blanks; double quotes group; the last argument of commands whose
 * usage ends in TEXT or REASON takes the rest of the line verbatim. */
typedef struct cmd_call {
	enum cmd_id id;
	int argc;
	char **argv; /* argv[0] is the first argument, not the command name */
} cmd_call;

/* 0, or -1 with msg ("unknown command 'x'", "pivot needs a FIELD"). */
int cmd_parse(const char *line, cmd_call *out, char *msg, size_t msgn);
void cmd_call_free(cmd_call *c);

/* Split a line into words as cmd_parse does (blanks, double quotes with \" and \\);
 * returns the count, *argv allocated (NULL when 0). Free with cmd_argv_free. */
int cmd_split(const char *line, char ***argv);
void cmd_argv_free(int argc, char **argv);

#endif

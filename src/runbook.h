/* runbook.h — parse a runbook: Markdown with front matter, steps, query blocks, respond actions.
 *
 *   ---
 *   id: provisioning/new-iam-users
 *   title: IAM users created in the window
 *   version: 3
 *   severity: high
 *   ---
 *   ## New IAM users
 *   ```query findings
 *   service = iam and event = CreateUser
 *   ```
 *   > respond: aws iam delete-user --user-name {requestParameters.userName}
 *
 * The format is described in trailguide-runbook(5). */
#ifndef TG_RUNBOOK_H
#define TG_RUNBOOK_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

enum rb_kind { RB_CONTEXT, RB_FINDINGS };
enum rb_severity { RB_INFO, RB_LOW, RB_MEDIUM, RB_HIGH, RB_CRITICAL };

typedef struct rb_respond {
	char *text;    /* the action, continuation lines joined with '\n' */
	int line, col; /* where the text starts (1-based) */
} rb_respond;

typedef struct rb_step {
	char *title;
	int line;          /* the `## ` heading */
	char *guidance;    /* the step's Markdown prose (respond actions and query excluded) */
	char *query;       /* the query block's text */
	int query_line;    /* the line of the query's first byte (the line after the fence) */
	enum rb_kind kind;
	rb_respond *respond;
	int nrespond;
} rb_step;

/* Front-matter keys, in the order the man page lists them. */
enum rb_key { RBK_ID, RBK_TITLE, RBK_VERSION, RBK_SEVERITY, RBK_WINDOW, RBK_TAGS, RBK_OWNER,
	      RBK_N };
extern const char *const runbook_keys[RBK_N];

typedef struct runbook {
	char *path;
	char sha256[65];        /* of the file's bytes, hex */
	char *id, *title, *owner, *window_s; /* NULL when absent (owner, window) */
	int version;
	enum rb_severity severity;
	int64_t window;         /* ms; 0 when the runbook has no window */
	char **tags;
	int ntags;
	int key_line[RBK_N];    /* where each front-matter key was (0: absent) */
	char *intro;            /* prose before the first step */
	rb_step *steps;
	int nsteps;
} runbook;

/* Parse text[0..len) read from path. On errors, NULL, and one line per problem appended to
 * diag as `PATH:LINE:COL: error: reason` (the path and any quoted text are escaped for the
 * terminal). Never crashes on any bytes. */
runbook *runbook_parse(const char *path, const char *text, size_t len, sbuf *diag);

/* Read and parse a file (a read error is reported as PATH:0:0). */
runbook *runbook_load(const char *path, sbuf *diag);

void runbook_free(runbook **rb);

const char *runbook_severity_name(enum rb_severity s);
const char *runbook_kind_name(enum rb_kind k);

/* Map a 0-based byte column in step->query to the file's 1-based line and column. */
void runbook_query_pos(const rb_step *st, int qcol, int *line, int *col);

/* Append `PATH:LINE:COL: LEVEL: MSG\n` with PATH and MSG escaped for the terminal. */
void runbook_diag(sbuf *diag, const char *path, int line, int col, const char *level,
		  const char *fmt, ...) TG_PRINTF(6, 7);

/* Internal (runbook_front.c): parse the front matter at lines[0..), fill rb's keys, count
 * errors. Returns the index of the first body line, or -1 when there is no front matter. */
int runbook_front(runbook *rb, const char *path, const char **lines, const size_t *lens,
		  int nlines, sbuf *diag, int *errors);

#endif

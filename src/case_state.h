/* case_state.h — a case's journal replayed: steps, marks, notes, sources, the last view.
 *
 * What resuming a case restores (the console) and what `trailguide report` prints. Later
 * entries override earlier ones: a step run twice shows its last run, an event marked
 * twice its last verdict. */
#ifndef TG_CASE_STATE_H
#define TG_CASE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "journal.h"

enum case_step_state { CASE_STEP_NOT_RUN, CASE_STEP_DONE, CASE_STEP_FINDINGS };

typedef struct case_step {
	char *runbook;          /* the runbook id it belongs to */
	char *title, *kind, *query, *error;
	int index;              /* 1-based position in the runbook */
	enum case_step_state state;
	size_t count;           /* rows the last run returned */
	char *result_sha256;
	cJSON *event_ids;       /* array, or NULL for a table */
	int ids_truncated;
	int64_t time;           /* of the last run */
	uint64_t seq;
} case_step;

typedef struct case_mark {
	char *event_id, *verdict, *reason, *operator;
	cJSON *event;           /* the key fields recorded with the mark */
	int64_t time;
	uint64_t seq;
} case_mark;

typedef struct case_note {
	char *text, *event_id, *operator; /* event_id NULL: a note on the case */
	int64_t time;
	uint64_t seq;
} case_note;

typedef struct case_source {
	char *path, *format, *sha256, *etag; /* etag: an S3 object's */
	int gz;
	uint64_t bytes, events;
} case_source;

/* The last query, step or pivot the operator looked at (action NULL: none), and the event
 * viewed after it, if any. */
typedef struct case_view {
	char *action, *query, *step, *event_id;
	int step_index;
	uint64_t seq;
} case_view;

/* The window the console last set with :window (set 0: never changed). */
typedef struct case_window {
	int set;
	int64_t since, until;   /* TG_TIME_NONE: open */
} case_window;

typedef struct case_state {
	char *runbook_id, *runbook_sha256, *runbook_title; /* the runbook last opened */
	int runbook_version;
	case_step *steps;       /* every runbook's steps, in the order first seen */
	int nsteps;
	case_mark *marks;       /* one per eventID, in the order first marked */
	size_t nmarks;
	case_note *notes;
	size_t nnotes;
	case_source *sources;   /* one per (path, sha256) */
	size_t nsources;
	char **operators;       /* distinct "user@host (from ADDR)" */
	size_t noperators;
	case_view view;
	case_window window;
	uint64_t entries, opens;
	int64_t first_time, last_time; /* TG_TIME_NONE when there are no entries */
	char *last_action;
	cJSON *all;             /* every good entry (with keep_entries), else NULL */
	journal_verdict verdict;
	int verify_rc;          /* as journal_verify: 0 intact, 1 damaged, 2 unreadable */
} case_state;

/* Replay the journal of the case in dir (key: NULL for plain mode). Never NULL: a damaged
 * journal gives the state of its good entries, with verdict and verify_rc telling. */
case_state *case_state_load(const char *dir, const unsigned char *key, size_t keylen,
			    int keep_entries);
/* Feed one entry (what case_state_load does per entry; for tests and the console). */
void case_state_apply(case_state *cs, const cJSON *entry);
case_state *case_state_new(void);
void case_state_free(case_state **cs);

/* The step of runbook rb titled title, or NULL: never run. */
const case_step *case_state_step(const case_state *cs, const char *rb, const char *title);
/* The mark of an event, or NULL. */
const case_mark *case_state_mark(const case_state *cs, const char *event_id);

const char *case_step_state_name(enum case_step_state s); /* not run, done, has findings */

/* "user@host", with " (from ADDR)" for an SSH client, for an entry's operator object. */
char *case_operator_name(const cJSON *op);

#endif

/* case.h — a case: where its directory is, its id, and the helpers that journal each action.
 *
 * A case is a directory holding journal.jsonl (see journal.h). It is named on the command
 * line as --case DIR, or --case-id ID under $XDG_DATA_HOME/trailguide/cases/ (default
 * ~/.local/share); a new case's id is made from the date and the runbook:
 * 2026-11-20-anomaly-cloudtrail-tampering, then -2, -3, ... when that one exists. */
#ifndef TG_CASE_H
#define TG_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "journal.h"
#include "query.h"
#include "runbook.h"
#include "store.h"

/* The actions, as written in each entry's "action" (trailguide-journal(5)). */
#define CASE_A_OPEN "open"
#define CASE_A_RUNBOOK "runbook"
#define CASE_A_SOURCE "source"
#define CASE_A_STEP "step"
#define CASE_A_QUERY "query"
#define CASE_A_PIVOT "pivot"
#define CASE_A_BACK "back"
#define CASE_A_WINDOW "window"
#define CASE_A_VIEW "view"
#define CASE_A_MARK "mark"
#define CASE_A_NOTE "note"
#define CASE_A_EXPORT "export"
#define CASE_A_RESPOND "respond"
#define CASE_A_FIND "find"       /* the console's find: the text and the event it found */
#define CASE_A_CLOSE "close"

enum { CASE_MAX_IDS = 1000 }; /* eventIDs kept in a step or query entry */

/* An open case: its journal is locked until case_close. */
typedef struct tgcase {
	char *dir, *id;
	journal *j;
	journal_runbook rb;   /* the runbook the actions belong to (rb.id NULL: none) */
	char rb_sha[65];
	char *rb_id;
	unsigned char *key;   /* --journal-key, kept while the journal is open */
	size_t keylen;
	uint64_t before;      /* entries the journal held when it was opened */
	int failed;           /* an append failed: the last error is in msg */
	char msg[512];
} tgcase;

/* The case options the headless commands share. */
typedef struct case_opts {
	const char *dir, *id, *key_file;
	int new_case;         /* --new-case: make an id from the date and the runbook */
} case_opts;

/* The directory cases live in: $XDG_DATA_HOME/trailguide/cases (~/.local/share/...). */
char *case_data_dir(void);

/* 1 when id is usable as a case id: [A-Za-z0-9._-], not starting with '.', <= 128 bytes. */
int case_id_valid(const char *id);

/* A new id in dir: YYYY-MM-DD-SLUG (SLUG from label: the runbook id, or "query"), with -N
 * appended from 2 up when that directory exists. */
char *case_make_id(const char *dir, int64_t now_ms, const char *label);

/* The directory for the options (NULL when no case was asked for); label names a new
 * case. -1 with msg on a bad id. */
int case_opts_dir(const case_opts *co, const char *label, char **dir, char *msg,
		  size_t msgn);

/* An existing case named by CASE on the command line: a path (holds '/' or is "." or
 * ".."), else an id under case_data_dir(), else a directory of that name holding a
 * journal. NULL with msg when there is none. */
char *case_find(const char *arg, char *msg, size_t msgn);

/* Open (creating) the case in dir, locking its journal. NULL with msg. */
tgcase *case_open(const char *dir, const unsigned char *key, size_t keylen, char *msg,
		  size_t msgn);
/* For run and query: resolve the options, read the key, open the case (new cases named
 * from label). 0 with *out NULL when no case was asked for; -1 after printing the error. */
int case_begin(const case_opts *co, const char *label, tgcase **out);

/* Unlock the journal and free (case_record_close journals the close first). */
void case_close(tgcase **c);

/* The runbook later actions belong to (NULL: none). */
void case_set_runbook(tgcase *c, const runbook *rb);

/* Append one action; 0, or -1 with c->msg set (also printed to stderr once). */
int case_append(tgcase *c, const char *action, cJSON *details);

/* open: the command, whether the case already had entries, the runbook's steps. */
int case_record_open(tgcase *c, const char *command, const runbook *rb);
/* One "source" entry per load: files[{path, format, gz, bytes, events, sha256}], nfiles,
 * events. */
int case_record_sources(tgcase *c, const store *s);
/* runbook: the console's picker chose rb; later entries belong to it (title, steps). */
int case_record_runbook(tgcase *c, const runbook *rb);
/* A runbook step's run (index 0-based). r NULL: the step failed with error. */
int case_record_step(tgcase *c, const rb_step *st, int index, store *s, const result *r,
		     const qctx *ctx, const char *error);
/* An ad-hoc query. */
int case_record_query(tgcase *c, const char *text, store *s, const result *r,
		      const qctx *ctx);
int case_record_close(tgcase *c, int status, size_t findings);

/* Add name: a time as 2026-11-20T02:13:07Z, or null for TG_TIME_NONE. */
void case_json_time(cJSON *o, const char *name, int64_t ms);

/* Key fields of event i for a mark: eventID, time, event, service, principal, ip, region,
 * account, access_key_id, error (the ones present). */
cJSON *case_event_fields(const store *s, size_t i);

/* The identities of r's rows (eventIDs; a stats row's key), sorted, and their SHA-256
 * joined by "\n". Caller frees ids and each string. */
void case_result_ids(store *s, const result *r, char ***ids, size_t *n, char hex[65]);

#endif

/* session.h — one investigation session, the same for the console, `run` and `query`.
 *
 * Every front end used to resolve the runbook, the window, the lookback and the @lists on
 * its own, and they drifted: the console with -r loaded no baseline (dormant found nothing,
 * first-seen flagged everything), `query` knew no @lists. A session does each of these
 * once, in this order:
 *
 *   session_init          options (cli_opts, case_opts, --runbooks dirs) filled by the caller
 *   session_runbook       an id from the search path or a .md path; every step parsed
 *   session_query         (query) the ad-hoc query, parsed
 *   session_begin         --now/--since/--until, else the runbook's window back from now;
 *                         the lookback its stages need; the case opened and journaled
 *   session_load          sources (or the bundled sample, said on stderr; `-` is stdin),
 *                         the case's source entry, the @lists, the query context
 *   session_pick          (console picker) a runbook chosen after loading: its window,
 *                         lists and a journal entry
 *   session_free
 *
 * The engine reads exactly [since - query_lookback(q), until] for each query, so an answer
 * depends on the query and the window, never on how much a front end happened to load. */
#ifndef TG_SESSION_H
#define TG_SESSION_H

#include <stdio.h>

#include "case.h"
#include "cli.h"
#include "lists.h"
#include "query.h"
#include "runbook_lib.h"
#include "store.h"

typedef struct tg_session {
	cli_opts o;             /* the caller's options; o.since/o.until become the window */
	case_opts co;
	char **extra;           /* --runbooks DIRs, searched first (caller-owned) */
	int nextra;
	int console;            /* the console: windows may change later, cases by default */
	/* set by the session */
	char **search;          /* the runbook search path */
	int nsearch;
	rblib *lib;             /* the library (loaded for an id, the picker, or lookback) */
	runbook *rb;            /* NULL: none */
	int own_rb;             /* rb came from a file, not lib */
	query **qs;             /* the runbook's step queries, then session_query's */
	int nqs;
	int64_t lookback;       /* the longest lookback of qs (or of the library, see begin) */
	listset *ls;
	store *s;
	ingest_stats st;
	tgcase *cs;
	qctx ctx;               /* now, window and lists for query_run */
	char *spill;            /* the copy of standard input read as `-` (removed on free) */
	int used_sample;        /* no SOURCE: the bundled sample was read */
	char window_s[32];      /* the runbook's window as a --since text */
	const char *since_arg, *until_arg; /* what the user gave, before the runbook's window */
} tg_session;

void session_init(tg_session *ss);
void session_free(tg_session *ss);

/* The search path from ss->extra (an explicit dir that does not exist is an error). 0/-1. */
int session_search(tg_session *ss);

/* Resolve RUNBOOK: a file when one exists at arg (a .md path), else an id in the search
 * path. Every step's query is parsed (errors as FILE:LINE:COL). 0, or -1 after printing
 * why. */
int session_runbook(tg_session *ss, const char *arg);

/* Parse an ad-hoc query (the caret error printed on failure). Returns it (owned by the
 * session), or NULL. */
query *session_query(tg_session *ss, const char *text);

/* The window, the lookback and the case (label names a new case; command is what the
 * open entry says). 0, or -1 after printing why. */
int session_begin(tg_session *ss, const char *command);

/* Load the sources (the bundled sample when there are none, with a note on stderr), the
 * source entry of the case and the @lists. Returns EXIT_OK or EXIT_USAGE as cli_load, and
 * EXIT_USAGE for a local SOURCE that holds no CloudTrail. */
int session_load(tg_session *ss, char **paths, int npaths);

/* The console's picker chose rb (owned by the library): its window back from now unless
 * --since was given, its lists, and a "runbook" journal entry. */
void session_pick(tg_session *ss, runbook *rb);

/* Warn on f about fields the queries name that name nothing (query_check.h), with the
 * closest known one: FILE:LINE:COL for a runbook's steps, the column for a query. Call
 * after session_load so keys of the loaded data count as known. Returns the count. */
int session_field_warnings(tg_session *ss, FILE *f);

/* Set the window (TG_TIME_NONE: open) for later queries. */
/* `query` over one athena:// source: a stats query whose whole pipeline compiles to SQL
 * is computed by Athena (not with a case, which journals the events it read). 1 with the
 * table in *r and an empty store, 0 when it does not apply (session_load as usual), -1
 * failed (message printed). */
int session_pushdown(tg_session *ss, query *q, char **paths, int npaths, result **r);

void session_set_window(tg_session *ss, int64_t since, int64_t until);

#endif

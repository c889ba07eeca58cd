/* run_state.h — `run --state FILE`: the findings already reported, kept between runs.
 *
 *   {"version": 1, "reported": [{"runbook": "provisioning/new-iam-users",
 *     "step": "New IAM users", "event": "EVENT-ID", "reported": "2026-11-20T02:13:07Z"}]}
 *
 * A finding is (runbook id, step title, eventID); table rows use "row:" and a hash of the
 * row's cells instead of an eventID. */
#ifndef TG_RUN_STATE_H
#define TG_RUN_STATE_H

#include <stddef.h>
#include <stdint.h>

typedef struct run_state run_state;

/* Load path; a file that does not exist is an empty state. NULL with msg when the file
 * cannot be read or is not a state file (never silently reset). */
run_state *run_state_load(const char *path, char *msg, size_t msgn);
void run_state_free(run_state **st);

/* 1 if the finding is in the state. */
int run_state_has(const run_state *st, const char *runbook, const char *step, const char *key);
/* Add a finding (no-op when present); when = when it was reported, ms. */
void run_state_add(run_state *st, const char *runbook, const char *step, const char *key,
		   int64_t when);
size_t run_state_count(const run_state *st);

/* Write to path through a temporary file in the same directory and rename(2), so a crash
 * leaves the old file or the new one. 0, or -1 with msg. */
int run_state_save(const run_state *st, const char *path, char *msg, size_t msgn);

#endif

/* template.h — respond-action templates: `{dotted.path}` holes filled from an event.
 *
 *   aws iam update-access-key --user-name {requestParameters.userName} --status Inactive
 *
 * `{{` and `}}` are literal braces. A hole names an alias (principal, ip, key, ...), a
 * top-level CloudTrail field (eventName) or a dotted path (requestParameters.userName). */
#ifndef TG_TEMPLATE_H
#define TG_TEMPLATE_H

#include <stddef.h>
#include "store.h"
#include "util.h"

/* Called for each problem: off is the 0-based byte offset in the text. */
typedef void (*tmpl_problem_fn)(void *ud, size_t off, const char *msg);

/* Check a template: unbalanced braces, empty holes, names that are not a field path, and
 * single names that are neither an alias nor a CloudTrail record field. Returns the
 * number of problems. */
int tmpl_check(const char *text, tmpl_problem_fn fn, void *ud);

/* Call fn for each hole's name (not NUL-terminated: name[0..n)), for callers that want
 * to resolve them up front. Holes in a text that fails tmpl_check may be skipped. */
void tmpl_holes(const char *text, void (*fn)(void *ud, const char *name, size_t n), void *ud);

enum tmpl_mode { TMPL_RAW, TMPL_TERM };

/* Fill text from event ev of s into out. A hole whose field the event lacks stays as
 * written ({name}) so that a half-filled command is visible. TMPL_TERM escapes the
 * template and every value for the terminal (a newline in the template stays a line
 * break). Returns 0, or -1 with msg when a field cannot be read (the store's files are
 * gone or changed). */
int tmpl_fill(const char *text, store *s, size_t ev, enum tmpl_mode mode, sbuf *out,
	      char *msg, size_t msgn);

#endif

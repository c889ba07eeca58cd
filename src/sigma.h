/* sigma.h — Sigma CloudTrail rules converted to trailguide queries.
 *
 *   sy_docs d;  sy_parse(text, n, &d, err, sizeof err);     // sigma_yaml.h
 *   sigma_set set = {0};
 *   sigma_collect(&set, &d, "rules/x.yml");                  // one rule per document, or a
 *                                                            // {"rules": [...]} catalog
 *   for each set.rules[i]: .query (converted) or .reason (refused)
 *
 * The mapping (documented in trailguide(1) and docs/sigma.md):
 *   - a selection map is the `and` of its fields, a list of maps the `or` of the maps;
 *   - values match case-insensitively as Sigma says: `field ~ "glob"` (Sigma's * and ? are
 *     the glob's), a list of values is their `or` (`|all`: their `and`);
 *   - contains/startswith/endswith add `*`; re is `=~ /regex/` (`|i`: /.../i); cidr is
 *     `in (...)`; exists is `exists` / `not ... exists`; gt/gte/lt/lte are > >= < <=;
 *     a null value is `not field exists`;
 *   - `|expand` placeholders (%Name%) become `in @name` (the list lists/name), only under a
 *     `not`: a placeholder that must match would silently match nothing until the list is
 *     filled, so those rules are refused;
 *   - src_ip is sourceIPAddress; other fields are written as the rule names them, and one
 *     that is not a CloudTrail record field is a warning (as in trailguide lint).
 * Refused with the reason: aggregations (`| count() ...`) and `near` (sigma_cond.c,
 * sigma_aggregation: the one place to change when a threshold stage exists), keyword
 * (field-less) searches, fieldref and the encoding modifiers, other logsources. */
#ifndef TG_SIGMA_H
#define TG_SIGMA_H

#include <stddef.h>

#include "sigma_yaml.h"
#include "util.h"

typedef struct sigma_rule {
	char *file;             /* where it came from */
	char *title, *id, *level, *status, *description, *author, *date, *license;
	char **tags;
	size_t ntags;
	char **falsepositives;
	size_t nfp;
	char **references;
	size_t nref;
	char *query;            /* converted: the query text; NULL when refused */
	char *reason;           /* refused: why */
	char **lists;           /* @lists the query names (from |expand) */
	size_t nlists;
	char *warnings;         /* one line per warning (unknown fields), or NULL */
	char *note;             /* how the conversion departs from Sigma (prose), or NULL */
	int agg_bins;           /* in: approximate count() aggregations with fixed bins */
} sigma_rule;

typedef struct sigma_set {
	sigma_rule *rules;
	size_t n;
	int agg_bins;           /* set before sigma_collect: see sigma_aggregation */
} sigma_set;

/* Convert every rule of the documents: a document that is a rule, or a map with a "rules"
 * sequence (the catalog; its top-level "license" is kept for attribution). Documents that
 * are neither add a refused entry with the reason. file names them. */
void sigma_collect(sigma_set *set, const sy_docs *d, const char *file);
/* Convert one rule document into r (r->file set by the caller). 0 converted, -1 refused. */
int sigma_convert(const sy_node *doc, sigma_rule *r);
void sigma_set_free(sigma_set *set);
size_t sigma_converted(const sigma_set *set);

/* sigma_cond.c: the condition over the detection's named selections. Appends the query
 * to out; -1 with reason (malloc'd) when it cannot be converted. */
int sigma_condition(const sy_node *detection, sbuf *out, sigma_rule *r, char **reason);
/* sigma_agg.c: the part after `|` (an aggregation or near), appended to the filter in out
 * as stages, or refused (-1, reason malloc'd). The one place aggregations are decided:
 * `count() [by k] > N` (or >= N) with the rule's timeframe T becomes
 * `| threshold count() > N within T [by k]`, Sigma's sliding window exactly; near and the
 * rest are refused as "aggregation not supported" unless r->agg_bins, which turns every
 * `count([f]) [by k] OP N` into `| stats count() by [k,] bin(T) | filter count OP N`
 * (dc(f) for count(f)): fixed bins, so a burst across a bin edge can be missed (said in
 * r->note). */
int sigma_aggregation(const char *agg, const char *timeframe, sbuf *out, sigma_rule *r,
		      char **reason);
/* sigma_field.c: a Sigma field name as a query field (src_ip is sourceIPAddress), appended
 * to f; -1 with reason when it cannot be written or is a trailguide alias. */
int sigma_field_name(const char *name, size_t n, sbuf *f, char **reason);

/* sigma_field.c: one selection (a map, or a list of maps) as a query expression. neg says
 * whether the condition uses it under an odd number of `not`. */
int sigma_selection(const sy_node *sel, int neg, sbuf *out, sigma_rule *r, char **reason);

/* sigma_md.c: the runbook text. id/title describe the runbook; one step per converted
 * rule in rules[0..n). */
void sigma_runbook(sbuf *out, const char *id, const char *title, sigma_rule *const *rules,
		   size_t n);
/* A slug of s for runbook ids and list names: lowercase letters, digits and '-'. */
char *sigma_slug(const char *s);

#endif

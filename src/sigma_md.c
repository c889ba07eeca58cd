/* sigma_md.c — converted Sigma rules as a trailguide-runbook(5) Markdown runbook.
 *
 * Every text that comes from a rule is escaped: titles for the terminal (esc_term, on one
 * line), prose for Markdown (esc_md), so a rule can neither start a step, open a fence,
 * add a respond action nor send escape sequences to whoever reads the output. Queries
 * are printable ASCII already (sigma_field.c quotes everything else). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "sigma.h"

static const char *const levels[] = { "informational", "low", "medium", "high", "critical" };
static const char *const sevs[] = { "info", "low", "medium", "high", "critical" };

static int level_rank(const char *level)
{
	for (int i = 0; level && i < 5; i++)
		if (!strcmp(level, levels[i]) || !strcmp(level, sevs[i]))
			return i;
	return 2; /* no or unknown level: medium */
}

/* One line of text: newlines and tabs become blanks, the rest as esc_term; a '#' after a
 * blank would start a front-matter comment, so it is backslashed. */
static void line_text(sbuf *out, const char *s)
{
	sbuf t;
	sbuf_init(&t);
	for (const char *c = s; *c; c++)
		sbuf_addc(&t, (*c == '\n' || *c == '\r' || *c == '\t') ? ' ' : *c);
	size_t start = out->len;
	if (t.len)
		esc_term(out, t.s, t.len);
	sbuf_free(&t);
	sbuf_add(out, "", 0);
	/* trim and protect '#' */
	sbuf fixed;
	sbuf_init(&fixed);
	const char *o = out->s + start;
	size_t n = out->len - start;
	while (n && *o == ' ')
		o++, n--;
	while (n && o[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++) {
		if (o[i] == '#' && i && o[i - 1] == ' ')
			sbuf_addc(&fixed, '\\');
		sbuf_addc(&fixed, o[i]);
	}
	out->len = start;
	if (fixed.len)
		sbuf_add(out, fixed.s, fixed.len);
	sbuf_add(out, "", 0);
	sbuf_free(&fixed);
}

/* Prose: each line through esc_md (which backslashes # > ` and friends), and a line that
 * would start a ~~~ fence gets a backslash too. */
static void prose(sbuf *out, const char *s)
{
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		size_t m = n;
		while (m && (s[m - 1] == ' ' || s[m - 1] == '\t' || s[m - 1] == '\r'))
			m--;
		if (m && s[0] == '~')
			sbuf_addc(out, '\\');
		if (m)
			esc_md(out, s, m);
		sbuf_addc(out, '\n');
		s += n;
		if (*s == '\n')
			s++;
	}
}

/* A tag as the front matter's comma-separated list can hold it. */
static void tag(sbuf *out, const char *t)
{
	for (; *t; t++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *t))
			sbuf_addc(out, *t);
}

static void step(sbuf *out, const sigma_rule *r)
{
	sbuf_adds(out, "## ");
	line_text(out, r->title);
	sbuf_adds(out, "\n\n");
	if (r->description) {
		prose(out, r->description);
		sbuf_addc(out, '\n');
	}
	sbuf_addf(out, "```query findings\n%s\n```\n\n", r->query);
	if (r->nfp) {
		sbuf_adds(out, "False positives:\n\n");
		for (size_t i = 0; i < r->nfp; i++) {
			sbuf_adds(out, "- ");
			line_text(out, r->falsepositives[i]);
			sbuf_addc(out, '\n');
		}
		sbuf_addc(out, '\n');
	}
	if (r->note) {
		prose(out, r->note);
		sbuf_addc(out, '\n');
	}
	if (r->nlists) {
		sbuf_adds(out, "Fill in the list");
		sbuf_adds(out, r->nlists > 1 ? "s" : "");
		for (size_t i = 0; i < r->nlists; i++)
			sbuf_addf(out, "%s lists/%s", i ? "," : "", r->lists[i]);
		sbuf_adds(out, " (the rule's placeholders); until then nothing is filtered out.\n\n");
	}
	sbuf t;
	sbuf_init(&t);
	sbuf_addf(&t, "Sigma rule %s", r->id ? r->id : "(no id)");
	if (r->status)
		sbuf_addf(&t, " (%s)", r->status);
	sbuf_addf(&t, " by %s", r->author ? r->author : "(unknown author)");
	if (r->date)
		sbuf_addf(&t, ", %s", r->date);
	sbuf_adds(&t, ". Converted by trailguide sigma; the rule is licensed under ");
	sbuf_adds(&t, r->license ? r->license : "the Detection Rule License (DRL) 1.1");
	sbuf_adds(&t, " (https://github.com/SigmaHQ/Detection-Rule-License).");
	prose(out, t.s);
	sbuf_free(&t);
	for (size_t i = 0; i < r->nref; i++) {
		sbuf_adds(out, i ? "\n- " : "\nReferences:\n\n- ");
		line_text(out, r->references[i]);
		if (i + 1 == r->nref)
			sbuf_addc(out, '\n');
	}
	sbuf_addc(out, '\n');
}

void sigma_runbook(sbuf *out, const char *id, const char *title, sigma_rule *const *rules,
		   size_t n)
{
	int sev = 0;
	for (size_t i = 0; i < n; i++) {
		int k = level_rank(rules[i]->level);
		sev = k > sev ? k : sev;
	}
	sbuf_addf(out, "---\nid: %s\ntitle: ", id);
	line_text(out, title);
	sbuf_addf(out, "\nversion: 1\nseverity: %s\ntags: sigma", sevs[sev]);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < rules[i]->ntags; k++) {
			sbuf t;
			sbuf_init(&t);
			tag(&t, rules[i]->tags[k]);
			int dup = !t.len;
			for (size_t j = 0; !dup && j <= i; j++)
				for (size_t m = 0; m < (j < i ? rules[j]->ntags : k); m++) {
					sbuf u;
					sbuf_init(&u);
					tag(&u, rules[j]->tags[m]);
					dup = dup || (u.len == t.len && !memcmp(u.s, t.s, t.len));
					sbuf_free(&u);
				}
			if (!dup) {
				sbuf_adds(out, ", ");
				sbuf_add(out, t.s, t.len);
			}
			sbuf_free(&t);
		}
	sbuf_adds(out, "\n---\n\n");
	sbuf_addf(out, "Converted from %zu Sigma rule%s by `trailguide sigma`. Each step is one "
		       "rule; values match case-insensitively, as in Sigma.\n\n", n,
		  n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		step(out, rules[i]);
}

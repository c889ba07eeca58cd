/* query_parse_invest.c — parsing the investigation stages: first-seen, dormant, spike,
 * sequence, threshold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query_ast.h"
#include "tgtime.h"

int qparse_duration(qparser *p, int64_t *out, const char *after)
{
	char buf[64];
	if (p->tok.t != QT_WORD && p->tok.t != QT_STRING)
		return qparse_err(p, p->tok.col, "expected a duration like 7d after %s, not %s", after,
				  qparse_tokdesc(p, buf, sizeof buf));
	if (tgtime_duration(p->tok.text, p->tok.len, out) < 0 || *out <= 0)
		return qparse_err(p, p->tok.col, "bad duration '%.40s' (expected e.g. 90s, 15m, 1h, 1d)",
				  p->tok.text);
	return qparse_advance(p);
}

static qkey *add_key(qparser *p, qstage *st)
{
	if (st->nkeys >= QUERY_MAX_KEYS) {
		qparse_err(p, p->tok.col, "too many fields (at most %d)", QUERY_MAX_KEYS);
		return NULL;
	}
	st->keys = xrealloc(st->keys, ((size_t)st->nkeys + 1) * sizeof *st->keys);
	qkey *k = &st->keys[st->nkeys++];
	memset(k, 0, sizeof *k);
	return k;
}

/* KEYS up to the keyword kw (baseline, for). */
static int parse_keys_until(qparser *p, qstage *st, const char *what, const char *kw)
{
	char buf[64];
	for (;;) {
		if (qtok_is(&p->tok, kw) && st->nkeys > 0)
			break;
		qkey *k = add_key(p, st);
		if (!k || qparse_field(p, &k->field, &k->col, what) < 0)
			return -1;
		if (p->tok.t != QT_COMMA)
			break;
		if (qparse_advance(p) < 0)
			return -1;
	}
	if (!qtok_is(&p->tok, kw))
		return qparse_err(p, p->tok.col, "expected ',' or '%s DURATION' after the fields, not %s",
				  kw, qparse_tokdesc(p, buf, sizeof buf));
	return qparse_advance(p);
}

static int is_bin(const qparser *p)
{
	return qtok_is(&p->tok, "bin") && p->lx.pos < p->lx.n && p->lx.src[p->lx.pos] == '(';
}

static int parse_spike(qparser *p, qstage *st)
{
	char buf[64];
	int bincol = p->tok.col;
	st->dur = QUERY_SPIKE_BASELINE;
	st->z = 3;
	if (qtok_is(&p->tok, "by")) {
		if (qparse_advance(p) < 0)
			return -1;
		for (;;) {
			if (is_bin(p))
				break;
			qkey *k = add_key(p, st);
			if (!k || qparse_field(p, &k->field, &k->col, "after 'by'") < 0)
				return -1;
			if (p->tok.t != QT_COMMA)
				return qparse_err(p, p->tok.col,
						  "expected ', bin(DURATION)' after the spike's fields, not %s",
						  qparse_tokdesc(p, buf, sizeof buf));
			if (qparse_advance(p) < 0)
				return -1;
		}
	}
	bincol = p->tok.col;
	if (!is_bin(p))
		return qparse_err(p, p->tok.col, "expected bin(DURATION) in spike, not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	if (qparse_advance(p) < 0 || qparse_advance(p) < 0) /* bin ( */
		return -1;
	if (qparse_duration(p, &st->bin, "bin(") < 0)
		return -1;
	if (p->tok.t != QT_RPAREN)
		return qparse_err(p, p->tok.col, "expected ')' after the duration");
	if (qparse_advance(p) < 0)
		return -1;
	if (qtok_is(&p->tok, "baseline")) {
		if (qparse_advance(p) < 0 || qparse_duration(p, &st->dur, "'baseline'") < 0)
			return -1;
		if (st->dur < st->bin)
			return qparse_err(p, bincol, "the spike's baseline is shorter than one bin");
	}
	if (qtok_is(&p->tok, "z")) {
		if (qparse_advance(p) < 0)
			return -1;
		if (p->tok.t != QT_GT)
			return qparse_err(p, p->tok.col, "expected '>' after 'z', not %s",
					  qparse_tokdesc(p, buf, sizeof buf));
		if (qparse_advance(p) < 0)
			return -1;
		if (p->tok.t != QT_WORD || !qv_number(p->tok.text, p->tok.len, &st->z))
			return qparse_err(p, p->tok.col, "expected a number after 'z >', not %s",
					  qparse_tokdesc(p, buf, sizeof buf));
		if (qparse_advance(p) < 0)
			return -1;
	}
	if (!qparse_at_end(p))
		return qparse_err(p, p->tok.col,
				  "expected 'baseline DURATION', 'z > N', '|' or the end of the query, not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	/* the table: keys, then the bucket and its figures */
	static const char *const cols[] = {"time", "count", "baseline_mean", "baseline_sd", "z"};
	for (int i = 0; i < st->nkeys; i++)
		for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++)
			if (strcmp(st->keys[i].field, cols[j]) == 0)
				return qparse_err(p, st->keys[i].col,
						  "column '%s' clashes with a column spike makes", cols[j]);
	qparse_tcols_reset(p);
	for (int i = 0; i < st->nkeys; i++)
		if (qparse_tcols_add(p, st->keys[i].field, st->keys[i].col) < 0)
			return -1;
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (qparse_tcols_add(p, cols[i], st->col) < 0)
			return -1;
	p->table = 1;
	return 0;
}

/* One step: [not] [EXPR] [by F] [then F]. */
static int parse_step(qparser *p, qstage *st)
{
	char buf[64];
	if (st->nsteps >= QUERY_MAX_STEPS)
		return qparse_err(p, p->tok.col, "too many steps in the sequence (at most %d)",
				  QUERY_MAX_STEPS);
	st->steps = xrealloc(st->steps, ((size_t)st->nsteps + 1) * sizeof *st->steps);
	qseqstep *sp = &st->steps[st->nsteps++];
	memset(sp, 0, sizeof *sp);
	sp->col = p->tok.col;
	if (qtok_is(&p->tok, "not")) {
		if (st->nsteps == 1)
			return qparse_err(p, p->tok.col, "a sequence cannot start with a not step");
		sp->neg = 1;
		if (qparse_advance(p) < 0)
			return -1;
	}
	if (p->tok.t != QT_LBRACK)
		return qparse_err(p, p->tok.col, "expected '[' to start a step (like [event = AssumeRole]), not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	int open = p->tok.col;
	if (qparse_advance(p) < 0)
		return -1;
	if (p->tok.t != QT_RBRACK) {
		sp->expr = qparse_expr(p);
		if (!sp->expr)
			return -1;
		if (p->tok.t != QT_RBRACK)
			return qparse_err(p, p->tok.col,
					  "expected ']' to close the step opened at column %d, not %s",
					  open + 1, qparse_tokdesc(p, buf, sizeof buf));
	}
	if (qparse_advance(p) < 0)
		return -1;
	if (qtok_is(&p->tok, "by")) {
		if (qparse_advance(p) < 0 ||
		    qparse_field(p, &sp->by, &sp->bycol, "after 'by'") < 0)
			return -1;
	}
	if (qtok_is(&p->tok, "then")) {
		if (sp->neg)
			return qparse_err(p, p->tok.col, "a not step has no 'then' (nothing follows from it)");
		if (qparse_advance(p) < 0 ||
		    qparse_field(p, &sp->then, &sp->thencol, "after 'then'") < 0)
			return -1;
	}
	return 0;
}

static int parse_sequence(qparser *p, qstage *st)
{
	char buf[64];
	if (qtok_is(&p->tok, "by")) {
		if (qparse_advance(p) < 0 || qparse_field(p, &st->by, &st->bycol, "after 'by'") < 0)
			return -1;
	}
	if (!qtok_is(&p->tok, "within"))
		return qparse_err(p, p->tok.col, "expected 'within DURATION:' in sequence, not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	if (qparse_advance(p) < 0 || qparse_duration(p, &st->dur, "'within'") < 0)
		return -1;
	if (p->tok.t != QT_COLON)
		return qparse_err(p, p->tok.col, "expected ':' after the duration, not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	if (qparse_advance(p) < 0)
		return -1;
	for (;;) {
		if (parse_step(p, st) < 0)
			return -1;
		if (qparse_at_end(p))
			break;
		if (p->tok.t != QT_ARROW)
			return qparse_err(p, p->tok.col, "expected '->' or the end of the sequence, not %s",
					  qparse_tokdesc(p, buf, sizeof buf));
		if (qparse_advance(p) < 0)
			return -1;
	}
	if (st->nsteps < 2)
		return qparse_err(p, st->steps[0].col, "a sequence needs at least two steps (A -> B)");
	/* a step joined by a field needs something to join with */
	int prev = 0; /* the last positive step */
	for (int k = 1; k < st->nsteps; k++) {
		const qseqstep *sp = &st->steps[k];
		const qseqstep *pp = &st->steps[prev];
		if (sp->by && !st->by && !pp->then && !pp->by)
			return qparse_err(p, sp->bycol,
					  "step %d joins 'by %.40s' but step %d has no 'by' or 'then' to join with",
					  k + 1, sp->by, prev + 1);
		if (!sp->neg)
			prev = k;
	}
	return 0;
}

/* count() > N within DURATION [by f, g, ...] (by may also come first). */
static int parse_threshold(qparser *p, qstage *st)
{
	char buf[64];
	int by_first = 0;
	if (qtok_is(&p->tok, "by")) {
		by_first = 1;
		if (qparse_advance(p) < 0 || parse_keys_until(p, st, "after 'by'", "count") < 0)
			return -1;
	} else if (!qtok_is(&p->tok, "count")) {
		return qparse_err(p, p->tok.col, "expected 'count() > N' after 'threshold', not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	} else if (qparse_advance(p) < 0) {
		return -1;
	}
	if (p->tok.t != QT_LPAREN || qparse_advance(p) < 0 || p->tok.t != QT_RPAREN)
		return qparse_err(p, p->tok.col, "expected 'count()' in threshold");
	if (qparse_advance(p) < 0)
		return -1;
	if (p->tok.t != QT_GT && p->tok.t != QT_GE)
		return qparse_err(p, p->tok.col, "expected '>' or '>=' after 'count()', not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	st->count_ge = p->tok.t == QT_GE;
	if (qparse_advance(p) < 0)
		return -1;
	double n;
	if (p->tok.t != QT_WORD || !qv_number(p->tok.text, p->tok.len, &n) || n < 0 ||
	    n > 1e9 || n != (double)(long)n)
		return qparse_err(p, p->tok.col, "expected a whole number of events after '%s', not %s",
				  st->count_ge ? ">=" : ">", qparse_tokdesc(p, buf, sizeof buf));
	st->count = (long)n;
	if (qparse_advance(p) < 0)
		return -1;
	if (!qtok_is(&p->tok, "within"))
		return qparse_err(p, p->tok.col, "expected 'within DURATION' in threshold, not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	if (qparse_advance(p) < 0 || qparse_duration(p, &st->dur, "'within'") < 0)
		return -1;
	if (!by_first && qtok_is(&p->tok, "by")) {
		if (qparse_advance(p) < 0)
			return -1;
		for (;;) {
			qkey *k = add_key(p, st);
			if (!k || qparse_field(p, &k->field, &k->col, "after 'by'") < 0)
				return -1;
			if (p->tok.t != QT_COMMA)
				break;
			if (qparse_advance(p) < 0)
				return -1;
		}
	}
	if (!qparse_at_end(p))
		return qparse_err(p, p->tok.col, "expected %s'|' or the end of the query, not %s",
				  by_first || st->nkeys ? "" : "'by FIELD', ",
				  qparse_tokdesc(p, buf, sizeof buf));
	return 0;
}

int qparse_invest(qparser *p, qstage *st)
{
	char buf[64];
	switch (st->kind) {
	case QS_FIRSTSEEN:
		if (parse_keys_until(p, st, "after 'first-seen'", "baseline") < 0 ||
		    qparse_duration(p, &st->dur, "'baseline'") < 0)
			return -1;
		break;
	case QS_DORMANT:
		if (parse_keys_until(p, st, "after 'dormant'", "for") < 0 ||
		    qparse_duration(p, &st->dur, "'for'") < 0)
			return -1;
		break;
	case QS_SPIKE:
		return parse_spike(p, st);
	case QS_SEQUENCE:
		return parse_sequence(p, st);
	case QS_THRESHOLD:
		return parse_threshold(p, st);
	default:
		return qparse_err(p, st->col, "not an investigation stage");
	}
	if (!qparse_at_end(p))
		return qparse_err(p, p->tok.col, "expected '|' or the end of the query, not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	return 0;
}

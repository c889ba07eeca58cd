/* query_parse_stage.c — parsing the pipe stages and the whole query; error rendering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query_ast.h"
#include "tgtime.h"

static const char *const agg_names[] = {"count", "dc", "min", "max", "values", "first", "last"};

static void tcols_clear(qparser *p)
{
	for (int i = 0; i < p->ntcols; i++)
		free(p->tcols[i]);
	free(p->tcols);
	p->tcols = NULL;
	p->ntcols = 0;
}

static void tcols_add(qparser *p, const char *name)
{
	p->tcols = xrealloc(p->tcols, ((size_t)p->ntcols + 1) * sizeof *p->tcols);
	p->tcols[p->ntcols++] = xstrdup(name);
}

void qparse_tcols_reset(qparser *p)
{
	tcols_clear(p);
}

int qparse_tcols_add(qparser *p, const char *name, int col)
{
	for (int j = 0; j < p->ntcols; j++)
		if (strcmp(p->tcols[j], name) == 0)
			return qparse_err(p, col, "duplicate column '%.60s'", name);
	tcols_add(p, name);
	return 0;
}

static qkey *key_new(qparser *p, qstage *st)
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

/* f, g, ... (for fields, sort, dedup); sort also takes asc/desc after each. */
static int parse_keys(qparser *p, qstage *st, const char *what, int sort)
{
	for (;;) {
		qkey *k = key_new(p, st);
		if (!k || qparse_field(p, &k->field, &k->col, what) < 0)
			return -1;
		if (sort && (qtok_is(&p->tok, "asc") || qtok_is(&p->tok, "desc"))) {
			k->desc = qtok_is(&p->tok, "desc");
			if (qparse_advance(p) < 0)
				return -1;
		}
		if (p->tok.t != QT_COMMA)
			return 0;
		if (qparse_advance(p) < 0)
			return -1;
	}
}

/* bin(DURATION) */
static int parse_bin(qparser *p, qkey *k)
{
	char buf[64];
	k->col = p->tok.col;
	if (qparse_advance(p) < 0 || qparse_advance(p) < 0) /* bin ( */
		return -1;
	if (p->tok.t != QT_WORD && p->tok.t != QT_STRING)
		return qparse_err(p, p->tok.col, "expected a duration like 1h in bin(), not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	if (tgtime_duration(p->tok.text, p->tok.len, &k->bin) < 0 || k->bin <= 0)
		return qparse_err(p, p->tok.col, "bad duration '%.40s' (expected e.g. 90s, 15m, 1h, 1d)",
				  p->tok.text);
	if (qparse_advance(p) < 0)
		return -1;
	if (p->tok.t != QT_RPAREN)
		return qparse_err(p, p->tok.col, "expected ')' after the duration");
	k->field = xstrdup("time");
	return qparse_advance(p);
}

static int parse_agg(qparser *p, qstage *st)
{
	char buf[64];
	int col = p->tok.col, kind = -1;
	if (p->tok.t != QT_WORD)
		return qparse_err(p, col, "expected an aggregate like count() or dc(field), not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	for (int i = 0; i < (int)(sizeof agg_names / sizeof agg_names[0]); i++)
		if (strcasecmp(p->tok.text, agg_names[i]) == 0)
			kind = i;
	char *fname = xstrdup(p->tok.text);
	if (qparse_advance(p) < 0)
		goto fail;
	if (p->tok.t != QT_LPAREN) {
		if (kind >= 0)
			qparse_err(p, p->tok.col, "expected '(' after '%s'", agg_names[kind]);
		else
			qparse_err(p, col, "expected an aggregate like count() or dc(field), not '%.40s'",
				   fname);
		goto fail;
	}
	if (kind < 0) {
		qparse_err(p, col, "unknown function '%.40s' (expected count, dc, min, max, values, first, last)",
			   fname);
		goto fail;
	}
	free(fname);
	fname = NULL;
	st->aggs = xrealloc(st->aggs, ((size_t)st->naggs + 1) * sizeof *st->aggs);
	qagg *a = &st->aggs[st->naggs++];
	memset(a, 0, sizeof *a);
	a->kind = (enum qagg_kind)kind;
	a->arg.col = col;
	a->col = col;
	if (qparse_advance(p) < 0)
		return -1;
	if (p->tok.t != QT_RPAREN || kind != QA_COUNT) {
		char what[32];
		snprintf(what, sizeof what, "in %s()", agg_names[kind]);
		if (qparse_field(p, &a->arg.field, &a->arg.col, what) < 0)
			return -1;
	}
	if (p->tok.t != QT_RPAREN)
		return qparse_err(p, p->tok.col, "expected ')' to close %s(", agg_names[kind]);
	if (qparse_advance(p) < 0)
		return -1;
	if (qtok_is(&p->tok, "as")) {
		if (qparse_advance(p) < 0)
			return -1;
		if (p->tok.t != QT_WORD && p->tok.t != QT_STRING)
			return qparse_err(p, p->tok.col, "expected a column name after 'as'");
		a->name = xstrdup(p->tok.text);
		return qparse_advance(p);
	}
	sbuf b;
	sbuf_init(&b);
	if (kind == QA_COUNT && !a->arg.field)
		sbuf_adds(&b, "count");
	else
		sbuf_addf(&b, "%s(%s)", agg_names[kind], a->arg.field);
	a->name = sbuf_take(&b);
	return 0;
fail:
	free(fname);
	return -1;
}

static int parse_stats(qparser *p, qstage *st)
{
	for (;;) {
		if (st->naggs >= QUERY_MAX_KEYS)
			return qparse_err(p, p->tok.col, "too many aggregates (at most %d)", QUERY_MAX_KEYS);
		if (parse_agg(p, st) < 0)
			return -1;
		if (p->tok.t != QT_COMMA)
			break;
		if (qparse_advance(p) < 0)
			return -1;
	}
	if (qtok_is(&p->tok, "by")) {
		if (qparse_advance(p) < 0)
			return -1;
		for (;;) {
			if (qtok_is(&p->tok, "bin") && p->lx.pos < p->lx.n &&
			    p->lx.src[p->lx.pos] == '(') {
				qkey *k = key_new(p, st);
				if (!k || parse_bin(p, k) < 0)
					return -1;
			} else {
				qkey *k = key_new(p, st);
				if (!k || qparse_field(p, &k->field, &k->col, "after 'by'") < 0)
					return -1;
			}
			if (p->tok.t != QT_COMMA)
				break;
			if (qparse_advance(p) < 0)
				return -1;
		}
	}
	/* the table: by columns, then the aggregates */
	tcols_clear(p);
	for (int i = 0; i < st->nkeys + st->naggs; i++) {
		const char *name = i < st->nkeys ? st->keys[i].field : st->aggs[i - st->nkeys].name;
		int col = i < st->nkeys ? st->keys[i].col : st->aggs[i - st->nkeys].col;
		for (int j = 0; j < p->ntcols; j++)
			if (strcmp(p->tcols[j], name) == 0)
				return qparse_err(p, col, "duplicate column '%.60s' (name one with 'as')",
						  name);
		tcols_add(p, name);
	}
	p->table = 1;
	return 0;
}

static int parse_stage(qparser *p, qstage *st)
{
	char buf[64];
	st->col = p->tok.col;
	st->table = p->table;
	if (p->tok.t != QT_WORD)
		return qparse_err(p, p->tok.col, "expected a stage name after '|', not %s",
				  qparse_tokdesc(p, buf, sizeof buf));
	char *name = p->tok.text;
	if (strcasecmp(name, "filter") == 0)
		st->kind = QS_FILTER;
	else if (strcasecmp(name, "fields") == 0)
		st->kind = QS_FIELDS;
	else if (strcasecmp(name, "stats") == 0)
		st->kind = QS_STATS;
	else if (strcasecmp(name, "sort") == 0)
		st->kind = QS_SORT;
	else if (strcasecmp(name, "head") == 0)
		st->kind = QS_HEAD;
	else if (strcasecmp(name, "dedup") == 0)
		st->kind = QS_DEDUP;
	else if (strcasecmp(name, "first-seen") == 0)
		st->kind = QS_FIRSTSEEN;
	else if (strcasecmp(name, "dormant") == 0)
		st->kind = QS_DORMANT;
	else if (strcasecmp(name, "spike") == 0)
		st->kind = QS_SPIKE;
	else if (strcasecmp(name, "sequence") == 0)
		st->kind = QS_SEQUENCE;
	else if (strcasecmp(name, "threshold") == 0)
		st->kind = QS_THRESHOLD;
	else
		return qparse_err(p, p->tok.col,
				  "unknown stage '%.40s' (expected filter, fields, stats, sort, head, "
				  "dedup, first-seen, dormant, spike, sequence, threshold)",
				  name);
	if (p->table && st->kind >= QS_FIRSTSEEN)
		return qparse_err(p, st->col, "%s needs events, but an earlier stage made a table",
				  name);
	if (qparse_advance(p) < 0)
		return -1;
	switch (st->kind) {
	case QS_FIRSTSEEN:
	case QS_DORMANT:
	case QS_SPIKE:
	case QS_SEQUENCE:
	case QS_THRESHOLD:
		return qparse_invest(p, st);
	case QS_FILTER:
		st->expr = qparse_filter(p);
		return st->expr ? 0 : -1;
	case QS_FIELDS:
		if (parse_keys(p, st, "after 'fields'", 0) < 0)
			return -1;
		if (p->table) {
			char **old = p->tcols;
			int n = p->ntcols;
			p->tcols = NULL;
			p->ntcols = 0;
			for (int i = 0; i < st->nkeys; i++)
				tcols_add(p, st->keys[i].field);
			for (int i = 0; i < n; i++)
				free(old[i]);
			free(old);
		}
		return 0;
	case QS_STATS:
		if (p->table)
			return qparse_err(p, st->col, "stats needs events, but an earlier stage made a table");
		return parse_stats(p, st);
	case QS_SORT:
		return parse_keys(p, st, "after 'sort'", 1);
	case QS_DEDUP:
		return parse_keys(p, st, "after 'dedup'", 0);
	case QS_HEAD:
		st->head = QUERY_HEAD_DEFAULT;
		if (qparse_at_end(p))
			return 0;
		char *end;
		if (p->tok.t != QT_WORD || p->tok.text[0] < '0' || p->tok.text[0] > '9' ||
		    (st->head = strtol(p->tok.text, &end, 10), *end) || st->head > 1000000000L)
			return qparse_err(p, p->tok.col, "expected a count after 'head', not %s",
					  qparse_tokdesc(p, buf, sizeof buf));
		return qparse_advance(p);
	}
	return 0;
}

query *query_parse(const char *text, qerr *err)
{
	qerr dummy;
	if (!err)
		err = &dummy;
	err->col = 0;
	err->msg[0] = 0;
	qparser p;
	memset(&p, 0, sizeof p);
	p.err = err;
	qlex_init(&p.lx, text ? text : "");
	query *q = xcalloc(1, sizeof *q);
	q->text = xstrdup(text ? text : "");
	if (qparse_advance(&p) < 0)
		goto fail;
	if (!qparse_at_end(&p)) {
		q->filter = qparse_filter(&p);
		if (!q->filter)
			goto fail;
	}
	while (p.tok.t == QT_PIPE) {
		if (qparse_advance(&p) < 0)
			goto fail;
		q->stages = xrealloc(q->stages, ((size_t)q->nstages + 1) * sizeof *q->stages);
		qstage *st = &q->stages[q->nstages++];
		memset(st, 0, sizeof *st);
		if (parse_stage(&p, st) < 0)
			goto fail;
		if (!qparse_at_end(&p)) {
			char buf[64];
			qparse_err(&p, p.tok.col, "expected '|' or the end of the query, not %s",
				   qparse_tokdesc(&p, buf, sizeof buf));
			goto fail;
		}
	}
	if (p.tok.t != QT_EOF) {
		qparse_err(&p, p.tok.col, "expected '|' or the end of the query");
		goto fail;
	}
	q->is_table = p.table;
	qtoken_clear(&p.tok);
	tcols_clear(&p);
	return q;
fail:
	qtoken_clear(&p.tok);
	tcols_clear(&p);
	query_free(&q);
	return NULL;
}

void query_free(query **qp)
{
	query *q = *qp;
	if (!q)
		return;
	qnode_free(q->filter);
	for (int i = 0; i < q->nstages; i++) {
		qstage *st = &q->stages[i];
		qnode_free(st->expr);
		for (int k = 0; k < st->nkeys; k++)
			free(st->keys[k].field);
		free(st->keys);
		for (int k = 0; k < st->naggs; k++) {
			free(st->aggs[k].arg.field);
			free(st->aggs[k].name);
		}
		free(st->aggs);
		free(st->by);
		for (int k = 0; k < st->nsteps; k++) {
			qnode_free(st->steps[k].expr);
			free(st->steps[k].by);
			free(st->steps[k].then);
		}
		free(st->steps);
	}
	free(q->stages);
	free(q->text);
	free(q);
	*qp = NULL;
}

int query_is_table(const query *q)
{
	return q && q->is_table;
}

void query_err_format(const char *text, const qerr *e, sbuf *out)
{
	size_t n = text ? strlen(text) : 0;
	if (e->col < 0 || !text) {
		sbuf_addf(out, "%s\n", e->msg);
		return;
	}
	/* show the line holding the column; control characters print as spaces so the caret
	 * lines up and nothing reaches the terminal raw */
	size_t col = (size_t)e->col > n ? n : (size_t)e->col;
	size_t ls = col, le = col;
	while (ls > 0 && text[ls - 1] != '\n')
		ls--;
	while (le < n && text[le] != '\n')
		le++;
	size_t caret = 0;
	for (size_t i = ls; i < le; i++) {
		unsigned char c = (unsigned char)text[i];
		sbuf_addc(out, c < 0x20 || c == 0x7f ? ' ' : (char)c);
		if (i < col && (c & 0xc0) != 0x80)
			caret++; /* count characters, not UTF-8 continuation bytes */
	}
	sbuf_addc(out, '\n');
	for (size_t i = 0; i < caret; i++)
		sbuf_addc(out, ' ');
	sbuf_addf(out, "^ %s\n", e->msg);
}

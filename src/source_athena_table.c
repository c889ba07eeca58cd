/* source_athena_table.c — stats pushdown: when a query's whole pipeline compiles to one
 * statement ending in its stats table (sql_compile_table: GROUP BY, ORDER BY, LIMIT;
 * count() over distinct eventIDs, as the local store keeps one copy of a repeated
 * event), Athena computes the table and only its rows come back, instead of every
 * matching event being rebuilt and counted here. The result's columns take the query's
 * own names (Athena lowercases quoted aliases). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"
#include "query_ast.h"
#include "source_athena.h"

typedef struct tbl {
	const struct query *q;
	int first;          /* the next row is the first (the labels) */
	char **cols;
	int ncols;
	char **cells;
	size_t nrows, cap;
} tbl;

/* The query's name for an Athena column label: a stats key or aggregate name, compared
 * without case; else the label. */
static char *col_name(const struct query *q, const char *label)
{
	for (int i = 0; i < q->nstages && label; i++) {
		const qstage *st = &q->stages[i];
		if (st->kind != QS_STATS)
			continue;
		for (int k = 0; k < st->nkeys; k++)
			if (st->keys[k].field && strcasecmp(st->keys[k].field, label) == 0)
				return xstrdup(st->keys[k].field);
		for (int k = 0; k < st->naggs; k++)
			if (st->aggs[k].name && strcasecmp(st->aggs[k].name, label) == 0)
				return xstrdup(st->aggs[k].name);
	}
	return xstrdup(label ? label : "");
}

static void table_page(sqlsrc *s, const cJSON *resp, void *ud)
{
	(void)s;
	tbl *t = ud;
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(resp, "ResultSet");
	const cJSON *ci = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(rs, "ResultSetMetadata"), "ColumnInfo");
	int ncol = cJSON_GetArraySize(ci);
	if (!t->cols && ncol > 0) {
		t->ncols = ncol;
		t->cols = xcalloc((size_t)ncol, sizeof *t->cols);
		for (int i = 0; i < ncol; i++)
			t->cols[i] = col_name(t->q, sqlsrc_jstr(cJSON_GetArrayItem(ci, i), "Name"));
	}
	if (ncol != t->ncols)
		return;
	const cJSON *row;
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(rs, "Rows")) {
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(row, "Data");
		int header = t->first;
		for (int i = 0; i < ncol && header; i++) {
			const char *v = sqlsrc_jstr(cJSON_GetArrayItem(data, i), "VarCharValue");
			const char *n = sqlsrc_jstr(cJSON_GetArrayItem(ci, i), "Name");
			header = v && n && strcmp(v, n) == 0;
		}
		t->first = 0;
		if (header)
			continue;
		xgrow((void **)&t->cells, &t->cap, (t->nrows + 1) * (size_t)ncol, sizeof *t->cells);
		for (int i = 0; i < ncol; i++) {
			const char *v = sqlsrc_jstr(cJSON_GetArrayItem(data, i), "VarCharValue");
			t->cells[t->nrows * (size_t)ncol + (size_t)i] = v ? xstrdup(v) : NULL;
		}
		t->nrows++;
	}
}

int source_athena_table(const char *spec, const source_opts *o, struct query *q,
			struct result **out, source_stats *st)
{
	*out = NULL;
	aurl u;
	sbuf err, sql;
	sbuf_init(&err);
	sbuf_init(&sql);
	int rc = athena_url_parse(spec, &u, &err) < 0 ? 0 : 1; /* a bad URL: the fetch says so */
	char *dt = rc ? athena_table_name(&u) : NULL;
	sql_opts so = {SQL_ATHENA, SQL_DISPLAY, dt, o->since, o->until, o->now > 0 ? o->now : 0,
		       u.partition, 1};
	if (rc && sql_compile_table(q, &so, &sql, &err) != 1)
		rc = 0;
	if (rc && sql.len > ATHENA_MAX_SQL)
		rc = 0;
	if (!rc)
		goto out;
	sqlsrc s;
	sqlsrc_init(&s, spec, o, st, "athena", "AmazonAthena.");
	snprintf(st->pushdown, sizeof st->pushdown, "stats computed by Athena (GROUP BY)");
	char *qid = athena_execute(&s, &u, sql.s);
	tbl t = {q, 1, NULL, 0, NULL, 0, 0};
	if (!qid || sqlsrc_rows(&s, "QueryExecutionId", "MaxResults", qid, table_page, &t) != 0 ||
	    !t.cols) {
		if (qid && !t.cols)
			sqlsrc_msg(&s, "query %s returned no columns", qid);
		rc = -1;
		for (size_t i = 0; i < t.nrows * (size_t)t.ncols; i++)
			free(t.cells[i]);
		free(t.cells);
		for (int i = 0; i < t.ncols; i++)
			free(t.cols[i]);
		free(t.cols);
	} else {
		result *r = xcalloc(1, sizeof *r);
		r->is_table = 1;
		r->cols = t.cols;
		r->ncols = t.ncols;
		r->cells = t.cells;
		r->nrows = t.nrows;
		st->rows = t.nrows;
		*out = r;
	}
	free(qid);
	sqlsrc_free(&s);
out:
	free(dt);
	athena_url_free(&u);
	sbuf_free(&err);
	sbuf_free(&sql);
	return rc;
}

/* source_lake.c — lake://EVENT_DATA_STORE: the queries' filters as one CloudTrail Lake
 * statement; the result rows rebuilt into records in cache/lake/<QueryId>.ndjson.
 *
 * StartQuery -> DescribeQuery until FINISHED / FAILED / CANCELLED / TIMED_OUT (backoff 0.2
 * s growing to 5 s; a cancel calls CancelQuery) -> GetQueryResults pages of 1000 rows. A
 * row is a list of single-entry objects {"column": "value"} in select-list order. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "esc.h"
#include "source_sql.h"

#define LAKE_PREFIX "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."
#define LAKE_MAX_SQL 10000

/* DescribeQuery's answer: 0 FINISHED, -1 failed/cancelled/timed out (message printed), 1
 * still running. */
static int lake_state(sqlsrc *s, const cJSON *resp, const char *qid)
{
	const char *state = sqlsrc_jstr(resp, "QueryStatus");
	state = state ? state : "";
	if (strcmp(state, "FINISHED") == 0)
		return 0;
	if (strcmp(state, "FAILED") != 0 && strcmp(state, "CANCELLED") != 0 &&
	    strcmp(state, "TIMED_OUT") != 0)
		return 1;
	const char *why = sqlsrc_jstr(resp, "ErrorMessage");
	sbuf m;
	sbuf_init(&m);
	if (why)
		esc_term(&m, why, strlen(why));
	const char *what = strcmp(state, "FAILED") == 0 ? "failed"
			   : strcmp(state, "CANCELLED") == 0 ? "was cancelled"
							     : "timed out";
	const char *advice = strcmp(state, "FAILED") == 0
		? "check the event data store id and the statement (`trailguide sql "
		  "--events --dialect lake` prints it)"
		: strcmp(state, "TIMED_OUT") == 0 ? "narrow the window (--since/--until)"
						  : "run it again";
	sqlsrc_msg(s, "query %s %s%s%s: %s", qid, what, m.len ? ": " : "", m.len ? m.s : "", advice);
	sbuf_free(&m);
	return -1;
}

/* One row: entries {"name": value}; a missing column or a JSON null is NULL. */
static void lake_row(sqlsrc *s, const cJSON *row, int first, int *skipped)
{
	int n = cJSON_GetArraySize(row);
	if (n <= 0)
		return;
	char **names = xcalloc((size_t)n, sizeof *names);
	char **vals = xcalloc((size_t)n, sizeof *vals);
	char **own = xcalloc((size_t)n, sizeof *own);
	int header = first;
	for (int i = 0; i < n; i++) {
		const cJSON *cell = cJSON_GetArrayItem(row, i);
		const cJSON *kv = cJSON_IsObject(cell) ? cell->child : NULL;
		if (!kv || !kv->string)
			continue;
		names[i] = kv->string;
		if (cJSON_IsString(kv))
			vals[i] = kv->valuestring;
		else if (cJSON_IsBool(kv))
			vals[i] = cJSON_IsTrue(kv) ? "true" : "false";
		else if (!cJSON_IsNull(kv))
			vals[i] = own[i] = cJSON_PrintUnformatted(kv);
		if (!vals[i] || strcasecmp(vals[i], names[i]) != 0)
			header = 0;
	}
	if (header) {
		*skipped = 1;
	} else {
		cJSON *ev = sql_row_event(SQL_LAKE, names, vals, n);
		sqlsrc_write(s, ev);
		cJSON_Delete(ev);
	}
	for (int i = 0; i < n; i++)
		free(own[i]);
	free(own);
	free(names);
	free(vals);
}

typedef struct lake_pages {
	int first, skipped;
} lake_pages;

/* One page of GetQueryResults into the file. */
static void lake_page(sqlsrc *s, const cJSON *resp, void *ud)
{
	lake_pages *p = ud;
	const cJSON *row;
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(resp, "QueryResultRows")) {
		lake_row(s, row, p->first && !p->skipped, &p->skipped);
		p->first = 0;
	}
}

int source_lake_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st)
{
	sqlsrc s;
	sqlsrc_init(&s, spec, o, st, "cloudtrail", LAKE_PREFIX);
	sbuf err, sql;
	sbuf_init(&err);
	sbuf_init(&sql);
	int rc = -1;
	cJSON *resp = NULL;
	const char *store = spec + strlen("lake://");
	const char *arn = strstr(store, ":eventdatastore/");
	if (arn)
		store = arn + strlen(":eventdatastore/");
	size_t sl = strcspn(store, "/?");
	char *id = xstrndup(store, sl);
	if (!*id || store[sl]) {
		sqlsrc_msg(&s, "expected lake://EVENT_DATA_STORE_ID (or its ARN)");
		goto out;
	}
	if (sqlsrc_statement(&s, SQL_LAKE, id, NULL, LAKE_MAX_SQL, &sql) < 0)
		goto out;
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "QueryStatement", sql.s);
	const char *qid = sqlsrc_start(&s, "StartQuery", req, "QueryId", &resp, &err);
	if (!qid) {
		if (!resp)
			sqlsrc_msg(&s, "%s", err.s);
		goto out;
	}
	if (sqlsrc_poll(&s, "DescribeQuery", "CancelQuery", "QueryId", qid, lake_state) < 0 ||
	    sqlsrc_open(&s, "lake", qid) < 0)
		goto out;
	lake_pages pages = {1, 0};
	rc = sqlsrc_finish(&s, sqlsrc_rows(&s, "QueryId", "MaxQueryResults", qid, lake_page, &pages),
			   out);
out:
	cJSON_Delete(resp);
	free(id);
	sbuf_free(&err);
	sbuf_free(&sql);
	sqlsrc_free(&s);
	return rc;
}

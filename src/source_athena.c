/* source_athena.c — athena://WORKGROUP/DATABASE.TABLE[?output=s3://B/P&catalog=C&partition=P]:
 * the queries' filters as one Athena statement over the CloudTrail table; the result rows
 * rebuilt into CloudTrail records in cache/athena/<QueryExecutionId>.ndjson. partition=
 * names the table's partition columns (none by default: the console-created table; see
 * sql.h), so the window and the query's accounts and regions prune partitions.
 *
 * StartQueryExecution (with a fresh ClientRequestToken, so a retried request cannot start a
 * second query) -> GetQueryExecution until SUCCEEDED / FAILED / CANCELLED (backoff 0.2 s
 * growing to 5 s; a cancel stops the query with StopQueryExecution) -> GetQueryResults
 * pages of 1000 rows (the first row of the first page repeats the column labels). */
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "source_athena.h"

void athena_url_free(aurl *u)
{
	free(u->workgroup);
	free(u->database);
	free(u->table);
	free(u->output);
	free(u->catalog);
	free(u->partition);
}

static char *pct_decode(const char *s, size_t n)
{
	char *o = xmalloc(n + 1), *d = o;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0 && (hi || lo)) {
			*d++ = (char)(hi * 16 + lo);
			i += 2;
		} else
			*d++ = s[i];
	}
	*d = 0;
	return o;
}

static int name_ok(const char *s, int dots)
{
	if (!*s || strlen(s) > 128)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-' || (dots && *s == '.')))
			return 0;
	return 1;
}

/* none, or ROLE[:COLUMN][,...]: names of letters, digits, '_' and '-'. */
static int partition_ok(const char *s)
{
	if (strcmp(s, "none") == 0)
		return 1;
	for (const char *p = s; *p;) {
		size_t l = strcspn(p, ",");
		char *item = xstrndup(p, l);
		char *colon = strchr(item, ':');
		int ok = 1;
		if (colon) {
			*colon = 0;
			ok = (strcmp(item, "account") == 0 || strcmp(item, "region") == 0 ||
			      strcmp(item, "date") == 0) && name_ok(colon + 1, 0);
		} else
			ok = name_ok(item, 0);
		free(item);
		if (!ok)
			return 0;
		p += l;
		if (*p == ',' && !*++p)
			return 0;
	}
	return *s != '\0';
}

int athena_url_parse(const char *spec, aurl *u, sbuf *err)
{
	memset(u, 0, sizeof *u);
	const char *p = spec + strlen("athena://");
	const char *q = strchr(p, '?');
	size_t n = q ? (size_t)(q - p) : strlen(p);
	const char *slash = memchr(p, '/', n);
	if (!slash) {
		sbuf_adds(err, "expected athena://WORKGROUP/DATABASE.TABLE");
		return -1;
	}
	u->workgroup = xstrndup(p, (size_t)(slash - p));
	char *dt = xstrndup(slash + 1, n - (size_t)(slash - p) - 1);
	char *dot = strchr(dt, '.');
	if (dot) {
		*dot = 0;
		u->database = xstrdup(dt);
		u->table = xstrdup(dot + 1);
	}
	free(dt);
	for (const char *a = q ? q + 1 : NULL; a && *a;) {
		const char *amp = strchr(a, '&');
		size_t l = amp ? (size_t)(amp - a) : strlen(a);
		if (l > 7 && strncmp(a, "output=", 7) == 0) {
			free(u->output);
			u->output = pct_decode(a + 7, l - 7);
		} else if (l > 8 && strncmp(a, "catalog=", 8) == 0) {
			free(u->catalog);
			u->catalog = pct_decode(a + 8, l - 8);
		} else if (l > 10 && strncmp(a, "partition=", 10) == 0) {
			free(u->partition);
			u->partition = pct_decode(a + 10, l - 10);
		} else {
			sbuf_addf(err, "unknown parameter '%.*s' (known: output=s3://BUCKET/PREFIX, "
				  "catalog=NAME, partition=none|account,region,timestamp|ROLE:COLUMN,...)", (int)(l > 40 ? 40 : l), a);
			return -1;
		}
		a = amp ? amp + 1 : NULL;
	}
	if (!name_ok(u->workgroup, 1)) {
		sbuf_adds(err, "the workgroup name may hold letters, digits, '.', '_' and '-'");
		return -1;
	}
	if (!u->database || !name_ok(u->database, 0) || !name_ok(u->table, 0)) {
		sbuf_adds(err, "expected DATABASE.TABLE after the workgroup (letters, digits, '_', '-')");
		return -1;
	}
	if (u->output && strncmp(u->output, "s3://", 5) != 0) {
		sbuf_adds(err, "output= must be an s3://BUCKET/PREFIX location");
		return -1;
	}
	if (u->partition && !partition_ok(u->partition)) {
		sbuf_adds(err, "partition= is none, or a comma list of ROLE[:COLUMN] (ROLE account, "
			       "region or date; a bare other name is the date column), e.g. "
			       "account,region,timestamp");
		return -1;
	}
	if (u->catalog && !name_ok(u->catalog, 0)) {
		sbuf_adds(err, "catalog= may hold letters, digits, '_' and '-'");
		return -1;
	}
	return 0;
}

/* GetQueryExecution's answer: 0 SUCCEEDED, -1 failed/cancelled (message printed), 1 still
 * running. */
static int athena_state(sqlsrc *s, const cJSON *resp, const char *qid)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(resp, "QueryExecution"), "Status");
	const char *state = sqlsrc_jstr(st, "State");
	state = state ? state : "";
	if (strcmp(state, "SUCCEEDED") == 0)
		return 0;
	if (strcmp(state, "FAILED") != 0 && strcmp(state, "CANCELLED") != 0)
		return 1;
	const char *why = sqlsrc_jstr(st, "StateChangeReason");
	const char *ae = sqlsrc_jstr(cJSON_GetObjectItemCaseSensitive(st, "AthenaError"),
				     "ErrorMessage");
	sbuf m;
	sbuf_init(&m);
	if (why)
		esc_term(&m, why, strlen(why));
	if (ae && (!why || strcmp(ae, why) != 0)) {
		if (m.len)
			sbuf_adds(&m, "; ");
		esc_term(&m, ae, strlen(ae));
	}
	sqlsrc_msg(s, "query %s %s%s%s: %s", qid, strcmp(state, "FAILED") == 0 ? "failed"
		   : "was cancelled", m.len ? ": " : "", m.len ? m.s : "",
		   strcmp(state, "FAILED") == 0
		   ? "check the table and its columns (`trailguide sql --events` prints the "
		     "statement)" : "run it again");
	sbuf_free(&m);
	return -1;
}

/* One page of GetQueryResults into the file; *ud (int) is 1 until the first row is read. */
static void athena_page(sqlsrc *s, const cJSON *resp, void *ud)
{
	int *first = ud;
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(resp, "ResultSet");
	const cJSON *ci = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(rs, "ResultSetMetadata"), "ColumnInfo");
	int ncol = cJSON_GetArraySize(ci);
	char **names = xcalloc((size_t)ncol + 1, sizeof *names);
	char **vals = xcalloc((size_t)ncol + 1, sizeof *vals);
	for (int i = 0; i < ncol; i++)
		names[i] = (char *)sqlsrc_jstr(cJSON_GetArrayItem(ci, i), "Name");
	const cJSON *row;
	cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(rs, "Rows")) {
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(row, "Data");
		int header = *first;
		for (int i = 0; i < ncol; i++) {
			vals[i] = (char *)sqlsrc_jstr(cJSON_GetArrayItem(data, i), "VarCharValue");
			if (!vals[i] || !names[i] || strcmp(vals[i], names[i]) != 0)
				header = 0;
		}
		*first = 0;
		if (header) /* the first row of a SELECT repeats the labels */
			continue;
		cJSON *ev = sql_row_event(SQL_ATHENA, names, vals, ncol);
		sqlsrc_write(s, ev);
		cJSON_Delete(ev);
	}
	free(names);
	free(vals);
}

char *athena_execute(sqlsrc *s, const aurl *u, const char *sql)
{
	sbuf err;
	sbuf_init(&err);
	cJSON *resp = NULL;
	char *id = NULL;
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "QueryString", sql);
	cJSON *ctx = cJSON_AddObjectToObject(req, "QueryExecutionContext");
	cJSON_AddStringToObject(ctx, "Database", u->database);
	if (u->catalog)
		cJSON_AddStringToObject(ctx, "Catalog", u->catalog);
	cJSON_AddStringToObject(req, "WorkGroup", u->workgroup);
	if (u->output)
		cJSON_AddStringToObject(cJSON_AddObjectToObject(req, "ResultConfiguration"),
					"OutputLocation", u->output);
	char token[80];
	sqlsrc_token(token);
	cJSON_AddStringToObject(req, "ClientRequestToken", token);
	const char *qid = sqlsrc_start(s, "StartQueryExecution", req, "QueryExecutionId", &resp,
				       &err);
	if (!qid) {
		if (!resp)
			sqlsrc_msg(s, "%s%s", err.s, strstr(err.s, "utput location") && !u->output
				   ? "; the workgroup has no result location: add "
				     "?output=s3://BUCKET/PREFIX to the URL" : "");
	} else if (sqlsrc_poll(s, "GetQueryExecution", "StopQueryExecution", "QueryExecutionId",
			       qid, athena_state) == 0) {
		id = xstrdup(qid);
	}
	cJSON_Delete(resp);
	sbuf_free(&err);
	return id;
}

char *athena_table_name(const aurl *u)
{
	char *dt = xmalloc(strlen(u->database) + strlen(u->table) + 2);
	sprintf(dt, "%s.%s", u->database, u->table);
	return dt;
}

int source_athena_fetch(const char *spec, const source_opts *o, strvec *out, source_stats *st)
{
	sqlsrc s;
	sqlsrc_init(&s, spec, o, st, "athena", "AmazonAthena.");
	aurl u;
	sbuf err, sql;
	sbuf_init(&err);
	sbuf_init(&sql);
	int rc = -1;
	char *dt = NULL, *qid = NULL;
	if (athena_url_parse(spec, &u, &err) < 0) {
		sqlsrc_msg(&s, "%s", err.s);
		goto out;
	}
	dt = athena_table_name(&u);
	if (sqlsrc_statement(&s, SQL_ATHENA, dt, u.partition, ATHENA_MAX_SQL, &sql) < 0)
		goto out;
	if (!(qid = athena_execute(&s, &u, sql.s)) || sqlsrc_open(&s, "athena", qid) < 0)
		goto out;
	int first = 1;
	rc = sqlsrc_finish(&s, sqlsrc_rows(&s, "QueryExecutionId", "MaxResults", qid, athena_page,
					   &first), out);
out:
	free(qid);
	free(dt);
	athena_url_free(&u);
	sbuf_free(&err);
	sbuf_free(&sql);
	sqlsrc_free(&s);
	return rc;
}

/* test_sql.c — the query language compiled to Athena and CloudTrail Lake SQL: each operator,
 * aliases and derived columns, quoting and injection attempts, the superset rules under
 * NOT/OR, display-mode stages, Lake differences, and rows rebuilt into events. */
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "query.h"
#include "query_ast.h"
#include "sql.h"
#include "tap.h"
#include "tgtime.h"

static int64_t now_ms;

/* Outside every '...' and "..." (with doubling) there is no ';', no "--" and no comment
 * opener, and every literal is closed: text from the query cannot end a literal. */
static int sql_sealed(const char *s)
{
	char q = 0;
	for (const char *p = s; *p; p++) {
		if (q) {
			if (*p == q) {
				if (p[1] == q)
					p++;
				else
					q = 0;
			}
			continue;
		}
		if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == ';' || (p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*'))
			return 0;
		else if ((unsigned char)*p < 0x20 && *p != '\n')
			return 0;
	}
	return !q;
}

static int last_rc;
static sbuf last_notes;

/* The filter of text as SQL (static buffer). */
static const char *filt(const char *text, enum sql_dialect d)
{
	static sbuf out;
	sbuf_reset(&out);
	qerr e;
	query *q = query_parse(text, &e);
	if (!q) {
		last_rc = -1;
		sbuf_addf(&out, "PARSE ERROR: %s", e.msg);
		return out.s;
	}
	sql_opts o = {d, SQL_EVENTS, NULL, TG_TIME_NONE, TG_TIME_NONE, now_ms, NULL, 0};
	sql_info info;
	sql_info_init(&info);
	last_rc = sql_filter(q->filter, q->text, &o, &out, &info);
	sbuf_reset(&last_notes);
	sbuf_add(&last_notes, info.local.s ? info.local.s : "", info.local.len);
	sbuf_add(&last_notes, "", 0);
	sql_info_free(&info);
	query_free(&q);
	return out.s ? out.s : "";
}

static const char *stmt(const char *text, enum sql_dialect d, enum sql_mode m, int64_t since,
			int64_t until, const char *table)
{
	static sbuf out;
	sbuf_reset(&out);
	qerr e;
	query *q = query_parse(text, &e);
	if (!q)
		return "PARSE ERROR";
	sql_opts o = {d, m, table, since, until, now_ms, NULL, 0};
	sql_info info;
	sql_info_init(&info);
	sbuf err;
	sbuf_init(&err);
	last_rc = sql_compile(q, &o, &out, &info, &err);
	sbuf_reset(&last_notes);
	sbuf_add(&last_notes, info.local.s ? info.local.s : "", info.local.len);
	sbuf_add(&last_notes, "", 0);
	sql_info_free(&info);
	sbuf_free(&err);
	query_free(&q);
	return out.s ? out.s : "";
}

#define A SQL_ATHENA
#define L SQL_LAKE

static void operators(void)
{
	is_str(filt("event = CreateUser", A), "eventname = 'CreateUser'", "=");
	ok(last_rc == 2, "= is exact");
	is_str(filt("event != CreateUser", A), "(eventname IS NULL OR eventname <> 'CreateUser')",
	       "!= holds for absent fields too");
	is_str(filt("service = iam", A), "eventsource = 'iam.amazonaws.com'", "service values");
	is_str(filt("event = \"\"", A), "NULLIF(eventname, '') = ''",
	       "an empty value keeps \"\" absent, as ingest does");
	is_str(filt("eventID < 15", A),
	       "CASE WHEN regexp_like(NULLIF(eventid, ''), '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)"
	       "([eE][+-]?[0-9]+)?$') THEN TRY_CAST(NULLIF(eventid, '') AS double) < 15 ELSE "
	       "NULLIF(eventid, '') < '15' END", "numbers compare numerically with numbers only");
	is_str(filt("event >= M", A), "NULLIF(eventname, '') >= 'M'", "text compares bytewise");
	is_str(filt("ua ~ \"*Boto3*\"", A), "lower(useragent) LIKE '%boto3%' ESCAPE '\\'",
	       "globs: case-insensitive LIKE");
	is_str(filt("ua ~ \"100%_\\\\*x?\"", A), "lower(useragent) LIKE '100\\%\\_*x_' ESCAPE '\\'",
	       "LIKE metacharacters escaped, \\* literal");
	is_str(filt("ua ~ \"*\"", A), "lower(NULLIF(useragent, '')) LIKE '%' ESCAPE '\\'",
	       "a glob that matches \"\" keeps \"\" absent");
	is_str(filt("ua !~ \"*boto*\"", A),
	       "(useragent IS NULL OR useragent = '' OR NOT lower(useragent) LIKE '%boto%' ESCAPE '\\')",
	       "!~ holds for absent fields");
	filt("ua ~ \"[ab]*\"", A);
	ok(last_rc == 0 && strstr(last_notes.s, "[set]"), "a glob with a [set] is left to the local run");
	is_str(filt("event =~ /^Create/i", A), "regexp_like(NULLIF(eventname, ''), '(?i)^Create')",
	       "regex with /i");
	is_str(filt("event !=~ /^(Get|List)/", A),
	       "(eventname IS NULL OR eventname = '' OR NOT regexp_like(eventname, '^(Get|List)'))",
	       "!=~ holds for absent fields");
	filt("event =~ /\\d+/", A);
	ok(last_rc == 0, "a regex with \\d (different in POSIX) is left to the local run");
	filt("event =~ /[[:alpha:]]/", A);
	ok(last_rc == 0, "POSIX classes are left to the local run");
	is_str(filt("event in (A, B)", A), "eventname IN ('A', 'B')", "in");
	is_str(filt("event not in (A, B)", A), "(eventname IS NULL OR NOT eventname IN ('A', 'B'))",
	       "not in holds for absent fields");
	is_str(filt("ip in (10.0.0.0/8, 192.0.2.7)", A),
	       "(sourceipaddress IN ('10.0.0.0/8', '192.0.2.7') OR COALESCE(contains('10.0.0.0/8', "
	       "TRY_CAST(sourceipaddress AS IPADDRESS)), false) OR COALESCE(contains('192.0.2.7/32', "
	       "TRY_CAST(sourceipaddress AS IPADDRESS)), false))", "CIDR with contains() in Athena");
	is_str(filt("ip in (10.1.2.3/8)", A),
	       "(sourceipaddress IN ('10.1.2.3/8') OR COALESCE(contains('10.0.0.0/8', "
	       "TRY_CAST(sourceipaddress AS IPADDRESS)), false))", "host bits masked off");
	filt("ip in (10.0.0.0/8)", L);
	ok(last_rc == 0 && strstr(last_notes.s, "CIDR"), "Lake: CIDR is matched locally");
	filt("ua in @offensive", A);
	ok(last_rc == 0 && strstr(last_notes.s, "@lists"), "@lists are resolved locally");
	is_str(filt("error exists", A), "errorcode <> ''", "exists (\"\" is absent)");
	is_str(filt("error not exists", A), "(errorcode IS NULL OR errorcode = '')", "not exists");
	is_str(filt("not error exists", A), "(errorcode IS NULL OR errorcode = '')",
	       "not (x exists) is x not exists");
	is_str(filt("errorMessage exists", A), "errormessage IS NOT NULL",
	       "a plain column: \"\" is a value");
	is_str(filt("not event = A", A), "(eventname IS NULL OR eventname <> 'A')",
	       "not (x = v) is x != v");
	is_str(filt("not eventID < 5", A),
	       "NOT (CASE WHEN regexp_like(NULLIF(eventid, ''), '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)"
	       "([eE][+-]?[0-9]+)?$') THEN TRY_CAST(NULLIF(eventid, '') AS double) < 5 ELSE "
	       "NULLIF(eventid, '') < '5' END)", "not (x < v) stays a NOT (absent: true)");
}

static void fields(void)
{
	is_str(filt("principal = x", A),
	       "COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' "
	       "THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' "
	       "THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, "
	       "'')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, "
	       "'')) = 'x'", "principal derived as ingest does");
	is_str(filt("account = 1", A),
	       "COALESCE(NULLIF(recipientaccountid, ''), NULLIF(useridentity.accountid, '')) = '1'",
	       "account: recipientAccountId else userIdentity.accountId");
	is_str(filt("role = r", A), "useridentity.sessioncontext.sessionissuer.arn = 'r'", "role");
	is_str(filt("mfa = true", A), "useridentity.sessioncontext.attributes.mfaauthenticated = 'true'",
	       "mfa");
	is_str(filt("key = K and session = S and type = T", A),
	       "useridentity.accesskeyid = 'K' AND useridentity.principalid = 'S' AND "
	       "useridentity.type = 'T'", "key, session, type");
	is_str(filt("readonly = true", A), "readonly = 'true'", "Athena readonly is a string");
	is_str(filt("readonly = true", L), "CAST(readOnly AS varchar) = 'true'", "Lake readOnly is a boolean");
	is_str(filt("userIdentity.sessionContext.sessionIssuer.userName = u", L),
	       "userIdentity.sessionContext.sessionIssuer.userName = 'u'", "Lake keeps camelCase");
	is_str(filt("requestParameters.bucketName = b", A),
	       "json_extract_scalar(requestparameters, '$.bucketName') = 'b'", "JSON-string columns");
	is_str(filt("requestParameters.ipPermissions.items.0.ipRanges exists", A),
	       "COALESCE(json_format(json_extract(requestparameters, '$.ipPermissions.items[0]."
	       "ipRanges')), 'null') <> 'null'", "array index and exists in JSON");
	is_str(filt("requestParameters.3d = x", A),
	       "json_extract_scalar(requestparameters, '$[\"3d\"]') = 'x'", "a segment starting with a digit");
	is_str(filt("requestParameters.bucketName ~ \"*prod*\"", A),
	       "lower(COALESCE(json_extract_scalar(requestparameters, '$.bucketName'), "
	       "json_format(json_extract(requestparameters, '$.bucketName')))) LIKE '%prod%' ESCAPE '\\'",
	       "globs see objects as JSON text");
	is_str(filt("requestParameters.bucketName = b", L),
	       "element_at(requestParameters, 'bucketName') = 'b'", "Lake maps: element_at");
	filt("requestParameters.a.b = x", L);
	ok(last_rc == 0, "Lake: deeper map paths are matched locally");
	filt("foo = 1", A);
	ok(last_rc == 0 && strstr(last_notes.s, "not a column"), "a field the table lacks");
	filt("requestParameters.a-b = 1", A);
	ok(last_rc == 0, "a path segment outside [A-Za-z0-9_] does not compile");
	sbuf b;
	sbuf_init(&b);
	ok(sql_field("eventname", A, &b) < 0, "field names are case-sensitive, as locally");
	sbuf_free(&b);
}

static void times(void)
{
	is_str(filt("time >= 2026-11-20", A), "eventtime >= '2026-11-20T00:00:00Z'", "Athena time");
	is_str(filt("time >= 2026-11-20", L), "eventTime >= '2026-11-20 00:00:00'", "Lake timestamp");
	is_str(filt("time > 2026-11-20T00:00:00.500Z", A), "eventtime >= '2026-11-20T00:00:00Z'",
	       "milliseconds: wider on second-precision strings");
	ok(last_rc == 1, "and marked as a superset");
	filt("not time > 2026-11-20T00:00:00.500Z", A);
	ok(last_rc == 0, "a superset under NOT becomes TRUE");
	is_str(filt("time > 2026-11-20T00:00:00.500Z", L), "eventTime > '2026-11-20 00:00:00.500'",
	       "Lake keeps milliseconds");
	is_str(filt("time > -1h", A), "eventtime > '2026-11-19T23:00:00Z'", "relative times from now");
	is_str(filt("time != 2026-11-20", A),
	       "(eventtime IS NULL OR eventtime <> '2026-11-20T00:00:00Z')", "time !=");
}

static void quoting(void)
{
	const char *s = filt("principal = \"x' OR 1=1 --\"", A);
	ok(strstr(s, "= 'x'' OR 1=1 --'") != NULL, "a quote is doubled");
	ok(sql_sealed(s), "the literal stays sealed");
	s = filt("event in (\"a'\", \"b''\", \"');DROP TABLE t;--\")", L);
	ok(sql_sealed(s) && strstr(s, "'a'''") && strstr(s, "'b'''''"), "quotes in lists");
	filt("event = \"a\\nb\"", A);
	ok(last_rc == 0, "a control byte in a value: not put into SQL");
	ok(!strchr(last_notes.s, '\n') || strchr(last_notes.s, '\n') == last_notes.s + strlen(last_notes.s) - 1,
	   "and the note stays on one line");
	s = filt("ua ~ \"*'*\"", A);
	ok(sql_sealed(s) && strstr(s, "'%''%'"), "a quote in a glob");
	s = filt("event =~ /a'b/", A);
	ok(sql_sealed(s) && strstr(s, "'a''b'"), "a quote in a regex");
	sbuf b;
	sbuf_init(&b);
	ok(sql_quote(&b, "it's", 4) == 0, "quote");
	is_str(b.s, "'it''s'", "'' doubling");
	sbuf_reset(&b);
	ok(sql_quote(&b, "a\x01", 2) < 0 && b.len == 0, "control bytes refused");
	ok(sql_quote(&b, "\xc3\x28", 2) < 0, "invalid UTF-8 refused");
	ok(sql_quote(&b, "caf\xc3\xa9", 5) == 0, "valid UTF-8 kept");
	sbuf_reset(&b);
	ok(sql_quote_ident(&b, "dc(\"x\")") == 0, "identifier");
	is_str(b.s, "\"dc(\"\"x\"\")\"", "\"\" doubling");
	sbuf_free(&b);
	s = stmt("event = A | stats count() as \"c\\\";--\" by event", A, SQL_DISPLAY, TG_TIME_NONE,
		 TG_TIME_NONE, NULL);
	ok(sql_sealed(s), "a column name with quotes and -- stays inside its identifier: %s", s);
}

static void superset(void)
{
	is_str(filt("event = A and ua in @l", A), "eventname = 'A'", "AND keeps what compiled");
	ok(last_rc == 1, "as a superset");
	is_str(filt("event = A or ua in @l", A), "TRUE", "OR with an uncompilable part: TRUE");
	ok(last_rc == 0, "rc 0");
	is_str(filt("not (event = A and ua in @l)", A), "TRUE", "NOT over a superset: TRUE");
	is_str(filt("event = A and not (event = B or ua in @l)", A), "eventname = 'A'",
	       "only the uncompilable conjunct widens");
	is_str(filt("(event = A or event = B) and region = r", A),
	       "(eventname = 'A' OR eventname = 'B') AND awsregion = 'r'", "OR in parentheses");
	is_str(filt("not (event = A or event = B)", A), "NOT ((eventname = 'A' OR eventname = 'B'))",
	       "NOT of an exact OR");
	/* issue 11's constructs are finished locally */
	is_str(filt("event = A and resources[].ARN = x", A), "eventname = 'A'",
	       "an any-element path is matched locally");
	is_str(filt("not resources[].ARN = x", L), "TRUE", "under NOT: TRUE");
	is_str(filt("event = A and userIdentity.userName != field(requestParameters.userName)", A),
	       "eventname = 'A'", "field() is compared locally");
	is_str(filt("hour(time) >= 22 or hour(time) < 6", A), "TRUE", "hour() is computed locally");
	is_str(filt("event = A and weekday(time) in (sat, sun)", L), "eventName = 'A'",
	       "weekday() is computed locally");
	ok(last_rc == 1, "as a superset");
}

static void statements(void)
{
	int64_t s0, u0;
	tgtime_parse("2026-11-01", 10, &s0);
	tgtime_parse("2026-11-15", 10, &u0);
	const char *s = stmt("event = X | stats count() by principal, bin(1h) | sort count desc | head 5",
			     A, SQL_DISPLAY, s0, u0, "db.t");
	ok(strstr(s, "COUNT(*) AS \"count\"") && strstr(s, "GROUP BY 1, 2") &&
	   strstr(s, "ORDER BY \"count\" DESC NULLS LAST, MIN(eventtime)") && strstr(s, "\nLIMIT 5"),
	   "stats/sort/head: %s", s);
	ok(strstr(s, "floor(to_unixtime(from_iso8601_timestamp(eventtime)) / 3600) * 3600") != NULL,
	   "bin(1h) floors the time");
	ok(!strstr(s, "timestamp\"") &&
	   strstr(s, "WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z'"),
	   "by default no partition (the console-created table), eventtime bounds");
	s = stmt("* | stats dc(ip), min(time), max(eventID), values(event) as v, first(ua), last(ua)",
		 L, SQL_DISPLAY, TG_TIME_NONE, TG_TIME_NONE, NULL);
	ok(strstr(s, "COUNT(DISTINCT NULLIF(sourceIPAddress, ''))") && strstr(s, "MIN(eventTime)") &&
	   strstr(s, "MAX(NULLIF(eventID, ''))") && strstr(s, "array_agg(DISTINCT") &&
	   strstr(s, "min_by(NULLIF(userAgent, ''), eventTime)") &&
	   strstr(s, "max_by(NULLIF(userAgent, ''), eventTime)") && strstr(s, "FROM EVENT_DATA_STORE_ID") &&
	   !strstr(s, "GROUP BY") && !strstr(s, "\nWHERE"), "aggregates: %s", s);
	s = stmt("event = X | head 3", A, SQL_DISPLAY, TG_TIME_NONE, TG_TIME_NONE, NULL);
	ok(strstr(s, "SELECT *") && strstr(s, "ORDER BY eventtime\nLIMIT 3"), "head: the first events");
	s = stmt("event = X | fields time, principal, ip", A, SQL_DISPLAY, TG_TIME_NONE, TG_TIME_NONE, NULL);
	ok(strstr(s, "SELECT eventtime AS \"time\", COALESCE(") && strstr(s, "AS \"ip\""), "fields");
	s = stmt("ua in @l | stats count() by event", A, SQL_DISPLAY, TG_TIME_NONE, TG_TIME_NONE, NULL);
	ok(strstr(s, "SELECT *") && !strstr(s, "GROUP BY") && strstr(last_notes.s, "stage | stats"),
	   "stats over a superset is finished locally");
	s = stmt("event = X | dedup ip | head 2", A, SQL_DISPLAY, TG_TIME_NONE, TG_TIME_NONE, NULL);
	ok(!strstr(s, "LIMIT") && strstr(last_notes.s, "stage | dedup ip") &&
	   strstr(last_notes.s, "stage | head 2"), "dedup and what follows run locally");
	s = stmt("event = X | first-seen principal baseline 7d", A, SQL_DISPLAY, TG_TIME_NONE,
		 TG_TIME_NONE, NULL);
	ok(strstr(last_notes.s, "stage | first-seen principal baseline 7d") != NULL, "first-seen noted");
	s = stmt("| sequence by principal within 10m: [event = StopLogging] -> not [event = StartLogging]",
		 A, SQL_DISPLAY, TG_TIME_NONE, TG_TIME_NONE, NULL);
	ok(strstr(s, "((eventname = 'StopLogging') OR (eventname = 'StartLogging'))") != NULL,
	   "a sequence narrows to its steps' events");
	s = stmt("event = X | stats count() by event", A, SQL_EVENTS, TG_TIME_NONE, TG_TIME_NONE, NULL);
	ok(strstr(s, "useridentity.sessioncontext.sessionissuer.arn AS si_arn") && !strstr(s, "GROUP BY") &&
	   strstr(s, "requestparameters") && strstr(s, "WHERE eventname = 'X'"), "events mode: the columns, filter only");
	s = stmt("event = X | filter region = r | head 1 | filter ip = i", A, SQL_EVENTS,
		 TG_TIME_NONE, TG_TIME_NONE, NULL);
	ok(strstr(s, "WHERE eventname = 'X' AND awsregion = 'r'") && !strstr(s, "sourceipaddress ="),
	   "events mode: filter stages before head narrow, after it not");
	/* a whole stats pipeline for the service to compute (stats pushdown) */
	{
		sql_opts to = {A, SQL_DISPLAY, "db.t", TG_TIME_NONE, TG_TIME_NONE, now_ms, NULL, 0};
		const char *yes[] = {"event = X | stats count(), count(key), dc(ip) by principal | sort count desc | head 3"};
		const char *no[] = {"event = X | stats count() by bin(1h)", "event = X | stats count()",
				    "event = X | stats count() by ip | filter count > 2",
				    "ua in @l | stats count() by ip", "event = X", "event = X | fields ip"};
		for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
			qerr qe;
			query *q = query_parse(yes[i], &qe);
			sbuf o2, e2;
			sbuf_init(&o2), sbuf_init(&e2);
			ok(sql_compile_table(q, &to, &o2, &e2) == 1 && strstr(o2.s, "COUNT(DISTINCT eventid) AS \"count\"") &&
			   strstr(o2.s, "COUNT(DISTINCT CASE WHEN NULLIF(useridentity.accesskeyid, '') IS NOT NULL THEN eventid END)") &&
			   strstr(o2.s, "GROUP BY 1") && strstr(o2.s, "LIMIT 3"),
			   "table pushdown: %s -> %s", yes[i], o2.s ? o2.s : "");
			sbuf_free(&o2), sbuf_free(&e2);
			query_free(&q);
		}
		for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
			qerr qe;
			query *q = query_parse(no[i], &qe);
			sbuf o2, e2;
			sbuf_init(&o2), sbuf_init(&e2);
			ok(q && sql_compile_table(q, &to, &o2, &e2) == 0 && o2.len == 0,
			   "no table pushdown: %s", no[i]);
			sbuf_free(&o2), sbuf_free(&e2);
			query_free(&q);
		}
	}
	/* several queries: the OR */
	qerr e;
	query *qs[3] = {query_parse("event = A", &e), query_parse("region = r and ua in @l", &e),
			query_parse("ua in @l", &e)};
	sql_opts o = {A, SQL_EVENTS, "db.t", TG_TIME_NONE, TG_TIME_NONE, now_ms, NULL, 0};
	sql_info info;
	sql_info_init(&info);
	sbuf out, err;
	sbuf_init(&out);
	sbuf_init(&err);
	sql_compile_events(qs, 2, &o, &out, &info, &err);
	ok(strstr(out.s, "WHERE (eventname = 'A') OR (awsregion = 'r')") != NULL, "OR of queries: %s",
	   strstr(out.s, "WHERE"));
	sbuf_reset(&out);
	sql_compile_events(qs, 3, &o, &out, &info, &err);
	ok(!strstr(out.s, "WHERE"), "a query with no compilable filter: every event");
	sbuf_reset(&out);
	o.partition = "none";
	o.since = 0;
	sbuf_reset(&out);
	sql_compile_events(qs, 1, &o, &out, &info, &err);
	ok(!strstr(out.s, "timestamp") && strstr(out.s, "eventtime >= '1970-01-01T00:00:00Z'"),
	   "partition none: eventtime bounds only");
	o.partition = "dt";
	sbuf_reset(&out);
	sql_compile_events(qs, 1, &o, &out, &info, &err);
	ok(strstr(out.s, "\"dt\" >= '1969/12/31'") != NULL, "another partition column");
	o.partition = "timestamp";
	o.since = 1793491200000LL; /* 2026-11-01 */
	o.until = 1794700800000LL; /* 2026-11-15 */
	sbuf_reset(&out);
	sql_compile_events(qs, 1, &o, &out, &info, &err);
	ok(strstr(out.s, "WHERE \"timestamp\" BETWEEN '2026/10/31' AND '2026/11/16' AND "
			 "eventtime >= '2026-11-01T00:00:00Z'") != NULL,
	   "partition timestamp: a day wider than the window, plus eventtime bounds: %s", out.s);
	/* the organization trail's table: account, region and date partitions */
	query *oq[3] = {query_parse("account = 111122223333 and region in (us-east-1, eu-west-1)", &e),
			query_parse("region = us-east-1 and (account = 1 or account = 2)", &e),
			query_parse("account = 3 or event = X", &e)};
	o.partition = "account,region,timestamp";
	sbuf_reset(&out);
	sql_compile_events(oq, 2, &o, &out, &info, &err);
	ok(strstr(out.s, "WHERE \"account\" IN ('111122223333', '1', '2') AND \"region\" IN "
			 "('us-east-1', 'eu-west-1') AND \"timestamp\" BETWEEN") != NULL,
	   "org table: the accounts and regions of both queries: %s", out.s);
	sbuf_reset(&out);
	sql_compile_events(oq + 1, 2, &o, &out, &info, &err);
	ok(!strstr(out.s, "\"account\"") && !strstr(out.s, "\"region\"") &&
	   strstr(out.s, "\"timestamp\" BETWEEN"), "a query open in account and region: date only");
	o.partition = "account:acct,date:dt,bogus:x";
	sbuf_reset(&out);
	sql_compile_events(oq, 1, &o, &out, &info, &err);
	ok(strstr(out.s, "WHERE \"acct\" = '111122223333' AND \"dt\" BETWEEN") != NULL &&
	   !strstr(out.s, "\"x\""), "ROLE:COLUMN names the columns; unknown roles are ignored: %s",
	   out.s);
	for (int i = 0; i < 3; i++)
		query_free(&oq[i]);
	o.partition = NULL;
	o.since = TG_TIME_NONE;
	o.until = TG_TIME_NONE;
	o.dialect = L;
	o.table = "arn:aws:cloudtrail:us-east-1:1:eventdatastore/EXAMPLE-f852";
	ok(sql_compile_events(qs, 1, &o, &out, &info, &err) == 0 && strstr(out.s, "FROM EXAMPLE-f852\n"),
	   "Lake: an ARN becomes the id");
	o.table = "x y";
	ok(sql_compile_events(qs, 1, &o, &out, &info, &err) < 0, "Lake: a bad id is refused");
	o.dialect = A;
	o.table = "cat.my-db.t";
	sbuf_reset(&out);
	ok(sql_compile_events(qs, 1, &o, &out, &info, &err) == 0 && strstr(out.s, "FROM cat.\"my-db\".t"),
	   "Athena: parts quoted when needed");
	for (int i = 0; i < 3; i++)
		query_free(&qs[i]);
	sql_info_free(&info);
	sbuf_free(&out);
	sbuf_free(&err);
}

static void rows(void)
{
	char *names[] = {"eventtime", "EventName", "readonly", "requestparameters", "ui_arn",
			 "si_arn", "errorcode", "responseelements", "unknown"};
	char *vals[] = {"2026-11-20T02:13:07Z", "CreateUser", "false", "{\"userName\":\"bob\",\"n\":1}",
			"arn:aws:iam::1:user/a", "arn:aws:iam::1:role/r", NULL, "not json", "x"};
	cJSON *ev = sql_row_event(A, names, vals, 9);
	char *t = cJSON_PrintUnformatted(ev);
	is_str(t, "{\"eventTime\":\"2026-11-20T02:13:07Z\",\"eventName\":\"CreateUser\",\"readOnly\":false,"
		  "\"requestParameters\":{\"userName\":\"bob\",\"n\":1},\"userIdentity\":{\"arn\":"
		  "\"arn:aws:iam::1:user/a\",\"sessionContext\":{\"sessionIssuer\":{\"arn\":"
		  "\"arn:aws:iam::1:role/r\"}}},\"responseElements\":\"not json\"}",
	       "Athena row -> event: NULLs skipped, JSON parsed, readOnly boolean, nesting");
	free(t);
	cJSON_Delete(ev);
	char *ln[] = {"eventTime", "requestParameters", "additionalEventData", "responseElements",
		      "readOnly"};
	char *lv[] = {"2026-11-20 02:13:07.000", "{bucketName=b, policy={\"a\":[1,2]}, x=}",
		      "{}", "{\"ConsoleLogin\":\"Success\"}", "true"};
	ev = sql_row_event(L, ln, lv, 5);
	t = cJSON_PrintUnformatted(ev);
	is_str(t, "{\"eventTime\":\"2026-11-20T02:13:07Z\",\"requestParameters\":{\"bucketName\":\"b\","
		  "\"policy\":{\"a\":[1,2]},\"x\":\"\"},\"additionalEventData\":{},\"responseElements\":"
		  "{\"ConsoleLogin\":\"Success\"},\"readOnly\":true}",
	       "Lake row -> event: timestamp to ISO, map rendering to an object");
	free(t);
	cJSON_Delete(ev);
	char *mv[] = {"2026-11-20 02:13:07.123", "{no equals here}"};
	ev = sql_row_event(L, ln, mv, 2);
	t = cJSON_PrintUnformatted(ev);
	is_str(t, "{\"eventTime\":\"2026-11-20T02:13:07.123Z\",\"requestParameters\":\"{no equals here}\"}",
	       "milliseconds kept; an unreadable map stays text");
	free(t);
	cJSON_Delete(ev);
	ok(sql_event_ncols() > 30 && strcmp(sql_event_alias(0), "eventversion") == 0,
	   "the events-mode columns");
}

int main(void)
{
	tgtime_parse("2026-11-20", 10, &now_ms);
	sbuf_init(&last_notes);
	operators();
	fields();
	times();
	quoting();
	superset();
	statements();
	rows();
	sbuf_free(&last_notes);
	return tap_done();
}

#!/bin/bash
# aws_athena.sh — athena:// against moto_server: the filter compiled to SQL reaches Athena,
# the result rows (queued in moto: a header row plus the sample's events as Athena rows) are
# rebuilt into events, and the local run finishes the query: results equal the same query
# over the local sample. moto runs no SQL, so the queued rows stand in for Athena's answer;
# they include events the query does not match, as a superset from SQL may.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/aws/lib.sh"

have_moto || skip_all "moto_server is not installed"
aws_env
start_moto M || skip_all "moto_server did not start"
export AWS_ENDPOINT_URL_ATHENA=$M AWS_ENDPOINT_URL_S3=$M
S="$top_srcdir/samples/incident"
W=(--since 2026-11-05 --until 2026-11-20)
URL=athena://primary/db.cloudtrail_logs

queue() { # QUERY EXTRA-QUERY: queue the matches of QUERY plus some events of EXTRA-QUERY
	"$TG" sql "$1" --dialect athena --events --table db.cloudtrail_logs "${W[@]}" >"$TMP/ev.sql" &&
	"$TG" query "$1" --format ndjson "${W[@]}" "$S" >"$TMP/m.ndjson" 2>/dev/null &&
	"$TG" query "$2 | head 40" --format ndjson "$S" >"$TMP/x.ndjson" 2>/dev/null &&
	python3 "$top_srcdir/tests/aws/athena_rows.py" "$TMP/ev.sql" "$TMP/m.ndjson" "$TMP/x.ndjson" \
		>"$TMP/rows.json" &&
	curl -sf -X POST --data-binary @"$TMP/rows.json" "$M/moto-api/static/athena/query-results" >/dev/null
}

# 1. a filter that compiles: the same rows and fields as the local sample
Q='service = iam and not error exists'
F='| fields time, principal, event, ip, key, region, account, type, readonly, eventID'
queue "$Q" 'event = GetObject'
ok $? "results queued in moto"
"$TG" query "$Q $F" "$URL" "${W[@]}" --format csv >"$TMP/remote.csv" 2>"$TMP/err"
ok $? "query over $URL succeeds"
"$TG" query "$Q $F" "$S" "${W[@]}" --format csv >"$TMP/local.csv" 2>/dev/null
n=$(($(wc -l <"$TMP/local.csv") - 1))
ok $([ "$n" -gt 100 ]; echo $?) "the local sample has $n matching events"
cmp -s "$TMP/local.csv" "$TMP/remote.csv"
ok $? "athena:// gives the same $n rows as the local sample (time, principal, event, ip, key, region, account, type, readonly, eventID)"
like "$(cat "$TMP/err")" "athena://primary/db.cloudtrail_logs" "the summary names the source"
f=$(ls "$XDG_CACHE_HOME"/trailguide/athena/*.ndjson 2>/dev/null | head -1)
ok $([ -n "$f" ]; echo $?) "the events are cached as athena/<QueryExecutionId>.ndjson"
is "$(wc -l <"$f")" "$((n + 40))" "every row became an event (the header row skipped)"
python3 - "$f" >"$TMP/shape" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
rp = sum(isinstance(e.get("requestParameters"), dict) for e in evs)
ro = sum(isinstance(e.get("readOnly"), bool) for e in evs)
ui = sum(isinstance(e.get("userIdentity"), dict) for e in evs)
nulls = sum(1 for e in evs for v in e.values() if v is None)
print(rp > 0, ro == len(evs), ui == len(evs), nulls)
PY
is "$(cat "$TMP/shape")" "True True True 0" "requestParameters parsed back into objects, readOnly a boolean, userIdentity nested, no nulls"

# 2. moto received our statement, workgroup and database
python3 - "$M" >"$TMP/sent.sql" <<'PY'
import boto3, sys
c = boto3.client("athena", endpoint_url=sys.argv[1], region_name="us-east-1")
ids = c.list_query_executions()["QueryExecutionIds"]
q = c.get_query_execution(QueryExecutionId=ids[-1])["QueryExecution"]
print(q["WorkGroup"], q["QueryExecutionContext"]["Database"])
print(q["Query"])
PY
ok $? "GetQueryExecution read back with boto3"
{ echo "primary db"; grep -v '^--' "$TMP/ev.sql" | sed 's/;$//'; } >"$TMP/want.sql"
diff "$TMP/want.sql" "$TMP/sent.sql" >"$TMP/d"
ok $? "the statement Athena received is \`trailguide sql --events\`'s" || head -5 "$TMP/d"

# 3. a query with parts SQL cannot express: the superset comes back, the local run finishes it
W2=(--since 2026-11-12 --until 2026-11-20)
Q2='event = AssumeRole | first-seen principal, ip baseline 3d'
"$TG" query 'event = AssumeRole' --format ndjson "$S" >"$TMP/m.ndjson" 2>/dev/null
"$TG" sql "$Q2" --dialect athena --events --table db.cloudtrail_logs "${W2[@]}" >"$TMP/ev.sql"
python3 "$top_srcdir/tests/aws/athena_rows.py" "$TMP/ev.sql" "$TMP/m.ndjson" >"$TMP/rows.json"
curl -sf -X POST --data-binary @"$TMP/rows.json" "$M/moto-api/static/athena/query-results" >/dev/null
"$TG" query "$Q2 | fields time, principal, ip, eventID" "$URL" "${W2[@]}" --format csv >"$TMP/r2" 2>/dev/null
ok $? "a first-seen query over athena://"
"$TG" query "$Q2 | fields time, principal, ip, eventID" "$S" "${W2[@]}" --format csv >"$TMP/l2" 2>/dev/null
n2=$(($(wc -l <"$TMP/l2") - 1))
ok $([ "$n2" -gt 0 ]; echo $?) "first-seen finds $n2 events in the local sample"
cmp -s "$TMP/l2" "$TMP/r2"
ok $? "first-seen finished locally over athena://: the same $n2 rows"
like "$(grep -m1 '^-- window' "$TMP/ev.sql")" "2026-11-09" "the statement reads the 3-day baseline before --since"

# 4. polling: moto's manual progression QUEUED -> RUNNING -> SUCCEEDED over several polls
curl -sf -X POST "$M/moto-api/state-manager/set-transition" \
	-d '{"model_name": "athena::execution", "transition": {"progression": "manual", "times": 3}}' >/dev/null
queue "$Q" 'event = GetObject'
TRAILGUIDE_SQL_POLL_MS=20 "$TG" query "$Q | stats count()" "$URL" "${W[@]}" --format csv >"$TMP/r3" 2>/dev/null
ok $? "polls until SUCCEEDED"
is "$(tail -1 "$TMP/r3" | tr -d "\r")" "$n" "and counts the same $n events"
curl -sf -X POST "$M/moto-api/state-manager/unset-transition" -d '{"model_name": "athena::execution"}' >/dev/null

# 4b. URL parameters: no partition column (the default), an output location, a catalog
queue "$Q" 'event = GetObject'
"$TG" query "$Q | stats count()" "$URL?partition=none&output=s3://results/tg&catalog=AwsDataCatalog" "${W[@]}" \
	--format csv >"$TMP/r5" 2>/dev/null
ok $? "athena://...?partition=none&output=...&catalog=..."
python3 - "$M" >"$TMP/sent5" <<'PY'
import boto3, sys
c = boto3.client("athena", endpoint_url=sys.argv[1], region_name="us-east-1")
ids = c.list_query_executions()["QueryExecutionIds"]
q = c.get_query_execution(QueryExecutionId=ids[-1])["QueryExecution"]
print(q["ResultConfiguration"].get("OutputLocation", "").startswith("s3://results/tg"),
      q["QueryExecutionContext"].get("Catalog"), '"timestamp"' in q["Query"])
PY
is "$(cat "$TMP/sent5")" "True AwsDataCatalog False" "output location and catalog sent, no partition condition"
"$TG" query "$Q" "$URL?bogus=1" "${W[@]}" >/dev/null 2>"$TMP/e0"
is $? 2 "an unknown URL parameter exits 2"
like "$(cat "$TMP/e0")" "unknown parameter 'bogus=1'" "and names it"

# 4c. the organization trail's table (partition projection over account, region, date):
# the query's account and region values become partition conditions
queue "$Q" 'event = GetObject'
"$TG" query "account = 111122223333 and region in (us-east-1, us-west-2) and $Q | stats count()" \
	"$URL?partition=account,region,timestamp" "${W[@]}" --format csv >/dev/null 2>&1
ok $? "athena://...?partition=account,region,timestamp"
python3 - "$M" >"$TMP/sent6" <<'PY'
import boto3, sys
c = boto3.client("athena", endpoint_url=sys.argv[1], region_name="us-east-1")
ids = c.list_query_executions()["QueryExecutionIds"]
print(c.get_query_execution(QueryExecutionId=ids[-1])["QueryExecution"]["Query"])
PY
like "$(cat "$TMP/sent6")" "WHERE \"account\" = '111122223333' AND \"region\" IN \('us-east-1', 'us-west-2'\) AND \"timestamp\" BETWEEN '2026/11/04' AND '2026/11/21' AND eventtime" \
	"Athena received the account, region and date partition conditions"

# 4d. stats pushdown: `stats ... by` whose whole pipeline compiles runs as GROUP BY in
# Athena and only the table comes back. moto runs no SQL: the table queued is the local
# sample's, its header row lowercased as Athena returns quoted aliases.
QS="$Q | stats count(), dc(ip) by event, region | sort count desc | head 8"
"$TG" query "$QS" "$S" "${W[@]}" --format csv >"$TMP/lt.csv" 2>/dev/null
python3 - "$TMP/lt.csv" >"$TMP/trows.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1])))
hdr = [h.lower() for h in rows[0]]
def row(vals):
    return {"Data": [({"VarCharValue": v} if v != "" else {}) for v in vals]}
print(json.dumps({"results": [{"rows": [row(hdr)] + [row(r) for r in rows[1:]],
    "column_info": [{"Name": h, "Type": "varchar"} for h in hdr]}]}))
PY
curl -sf -X POST --data-binary @"$TMP/trows.json" "$M/moto-api/static/athena/query-results" >/dev/null
ok $? "the sample's table queued in moto"
before=$(ls "$XDG_CACHE_HOME"/trailguide/athena/ | wc -l)
"$TG" query "$QS" "$URL" "${W[@]}" --format csv >"$TMP/rt.csv" 2>"$TMP/et"
ok $? "a stats query over athena:// with pushdown"
cmp -s "$TMP/lt.csv" "$TMP/rt.csv"
ok $? "the table equals the local sample's ($(($(wc -l <"$TMP/lt.csv") - 1)) rows, the query's column names)" || diff "$TMP/lt.csv" "$TMP/rt.csv" | head -5
like "$(cat "$TMP/et")" "rows in [0-9]+ requests \(stats computed by Athena \(GROUP BY\)\)" "the summary says Athena computed the stats"
is "$(ls "$XDG_CACHE_HOME"/trailguide/athena/ | wc -l)" "$before" "no events were fetched or cached"
python3 - "$M" >"$TMP/sent7" <<'PY'
import boto3, sys
c = boto3.client("athena", endpoint_url=sys.argv[1], region_name="us-east-1")
ids = c.list_query_executions()["QueryExecutionIds"]
print(c.get_query_execution(QueryExecutionId=ids[-1])["QueryExecution"]["Query"])
PY
"$TG" sql "$QS" --dialect athena --table db.cloudtrail_logs "${W[@]}" | grep -v '^--' | sed 's/;$//' \
	| sed 's/COUNT(\*)/COUNT(DISTINCT eventid)/' >"$TMP/want7"
diff "$TMP/want7" "$TMP/sent7" >"$TMP/d7"
ok $? "Athena received trailguide sql's GROUP BY statement, count() over distinct eventIDs" || head -5 "$TMP/d7"
# not pushed down: a pipeline with a part SQL cannot express (the events come back instead)
queue "$Q" 'event = GetObject'
"$TG" query "$Q | stats count() by event | filter count > 3" "$URL" "${W[@]}" --format csv >/dev/null 2>"$TMP/et2"
ok $? "a table filter after stats"
ok $(! grep -q "stats computed by Athena" "$TMP/et2"; echo $?) "is not pushed down (it runs on the fetched events)"

# 5. errors
"$TG" query "$Q" "athena://primary/nodot" "${W[@]}" >/dev/null 2>"$TMP/e1"
is $? 2 "a URL without DATABASE.TABLE exits 2"
like "$(cat "$TMP/e1")" "athena://primary/nodot: expected DATABASE.TABLE" "and says what is expected"
AWS_ENDPOINT_URL_ATHENA=http://127.0.0.1:$(free_port) "$TG" query "$Q" "$URL" "${W[@]}" >/dev/null 2>"$TMP/e2"
is $? 2 "an unreachable endpoint exits 2"
like "$(cat "$TMP/e2")" "trailguide: athena://primary/db.cloudtrail_logs: athena StartQueryExecution" "and explains the failed call"
echo "# moto returns every queued row in one page (no NextToken): paging is covered by aws_lake.sh"
echo "# moto cannot fail an execution: FAILED is covered by aws_lake.sh"

# 6. once through A1's signature-checking proxy
if [ -f "$top_srcdir/tests/aws/sigcheck_proxy.py" ]; then
	start_py P "$top_srcdir/tests/aws/sigcheck_proxy.py" --upstream "$M" \
		--secret "$AWS_ACCESS_KEY_ID=$AWS_SECRET_ACCESS_KEY" || true
	if [ -n "${P:-}" ]; then
		queue "$Q" 'event = GetObject'
		AWS_ENDPOINT_URL_ATHENA=$P "$TG" query "$Q | stats count()" "$URL" "${W[@]}" --format csv >"$TMP/r4" 2>"$TMP/e4"
		ok $? "through sigcheck_proxy.py"
		is "$(tail -1 "$TMP/r4" | tr -d "\r")" "$n" "same count through the proxy"
		st=$(curl -s "$P/__sigcheck" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["checked"] > 0, d["bad"])' 2>/dev/null)
		is "$st" "True 0" "the proxy checked our requests and saw 0 bad signatures"
	else
		skip "sigcheck_proxy.py did not start"
	fi
else
	skip "tests/aws/sigcheck_proxy.py (helper A1) not there yet"
fi
done_testing

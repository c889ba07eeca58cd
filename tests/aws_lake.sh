#!/bin/bash
# aws_lake.sh — lake:// against tests/aws/lake_stub.py: StartQuery, DescribeQuery through
# QUEUED/RUNNING/FINISHED, GetQueryResults pages with NextToken, rows rebuilt into events
# (maps, timestamps), the local run finishing the query; a FAILED query explained (exit 2).
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/aws/lib.sh"

aws_env
S="$top_srcdir/samples/incident"
W=(--since 2026-11-05 --until 2026-11-20)
export TRAILGUIDE_SQL_POLL_MS=20
STORE=EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
URL=lake://$STORE

# the stub serves these events (more than 1000, so results come in pages) for any statement
"$TG" query 'event in (AssumeRole, CreateUser, AttachUserPolicy, ConsoleLogin)' --format ndjson "$S" \
	>"$TMP/events.ndjson" 2>/dev/null
nev=$(wc -l <"$TMP/events.ndjson")
start_py L "$top_srcdir/tests/aws/lake_stub.py" --events "$TMP/events.ndjson" \
	--secret "$AWS_ACCESS_KEY_ID=$AWS_SECRET_ACCESS_KEY" || skip_all "lake_stub.py did not start"
export AWS_ENDPOINT_URL_CLOUDTRAIL=$L

F='| fields time, principal, event, ip, key, region, account, type, readonly, requestParameters.userName, eventID'
for Q in 'event = AssumeRole' 'event in (CreateUser, AttachUserPolicy) and not error exists' \
	'event = ConsoleLogin and responseElements.ConsoleLogin = Success'; do
	"$TG" query "$Q $F" "$URL" "${W[@]}" --format csv >"$TMP/remote.csv" 2>"$TMP/err"
	ok $? "lake: $Q"
	"$TG" query "$Q $F" "$S" "${W[@]}" --format csv >"$TMP/local.csv" 2>/dev/null
	n=$(($(wc -l <"$TMP/local.csv") - 1))
	cmp -s "$TMP/local.csv" "$TMP/remote.csv"
	ok $? "lake: same $n rows as the local sample" || diff "$TMP/local.csv" "$TMP/remote.csv" | head -5
done
ok $([ "$nev" -gt 1000 ]; echo $?) "the stub served $nev rows: more than one page of 1000"
f=$(ls -t "$XDG_CACHE_HOME"/trailguide/lake/*.ndjson | head -1)
is "$(wc -l <"$f")" "$nev" "every row of every page became an event in lake/<QueryId>.ndjson"
python3 - "$f" >"$TMP/shape" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
print(all(e["eventTime"].endswith("Z") and "T" in e["eventTime"] for e in evs),
      sum(isinstance(e.get("requestParameters"), dict) for e in evs) > 0,
      all(isinstance(e.get("readOnly", False), bool) for e in evs))
PY
is "$(cat "$TMP/shape")" "True True True" "eventTime back to ISO 8601, maps to objects, readOnly a boolean"

# the statements the stub received are `trailguide sql --events --dialect lake`'s
curl -s "$L/__stub" >"$TMP/stub.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["statements"][-1])' "$TMP/stub.json" >"$TMP/sent.sql"
"$TG" sql 'event = ConsoleLogin and responseElements.ConsoleLogin = Success' --dialect lake --events \
	--table $STORE "${W[@]}" | grep -v '^--' | sed 's/;$//' >"$TMP/want.sql"
cmp -s "$TMP/want.sql" "$TMP/sent.sql"
ok $? "the stub received the statement \`trailguide sql --events\` prints"
like "$(cat "$TMP/sent.sql")" "element_at\\(responseElements, 'ConsoleLogin'\\) = 'Success'" "maps are read with element_at"
bad=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["bad"], d["last_bad"])' "$TMP/stub.json")
is "$bad" "0 " "target, content type and signatures all checked out"
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import sigv4check' "$top_srcdir/tests/aws" 2>/dev/null
ok $? "signatures were recomputed with botocore (sigv4check.py)"

# a failed query: explained, exit 2
"$TG" query 'event = FAILME' "$URL" "${W[@]}" >/dev/null 2>"$TMP/e1"
is $? 2 "a FAILED query exits 2"
like "$(cat "$TMP/e1")" "lake://$STORE: query [0-9a-f-]+ failed: Query failed: line 1:8: Column 'failme' cannot be resolved: check the event data store id" \
	"and the message says what failed and what to do"
"$TG" query 'event = X' "lake://bad/id" >/dev/null 2>"$TMP/e2"
is $? 2 "a malformed lake:// URL exits 2"
like "$(cat "$TMP/e2")" "expected lake://EVENT_DATA_STORE_ID" "and says what is expected"
AWS_SECRET_ACCESS_KEY=wrong "$TG" query 'event = X' "$URL" "${W[@]}" >/dev/null 2>"$TMP/e3"
is $? 2 "a bad signature exits 2"
like "$(cat "$TMP/e3")" "InvalidSignatureException" "and names the error"
# a failure after the first page: what arrived is kept, the message says so
"$TG" query 'ua != FAILPAGE | stats count()' "$URL" "${W[@]}" --format csv >"$TMP/p1" 2>"$TMP/e4"
like "$(cat "$TMP/e4")" "InvalidNextTokenException.*kept the 1000 events read before" "a failed page keeps the rows read before"
is "$(tail -1 "$TMP/p1" | tr -d '\r')" "1000" "and the query runs over them"
"$TG" query 'ua != FAILPAGE' "$URL" "${W[@]}" --strict >/dev/null 2>&1
is $? 2 "--strict turns the partial result into exit 2"
done_testing

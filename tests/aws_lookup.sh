#!/usr/bin/env bash
# aws_lookup.sh — TAP: the lookup://REGION source against a loopback LookupEvents stub
# (tests/aws/lookup_stub.py, which checks the target, content type and SigV4 signature).
#
# The stub serves a slice of the bundled sample incident, shifted so its newest event is an
# hour old (LookupEvents only reaches 90 days back). Results are compared with the same
# query run locally over the stub's file, by eventID.
#
# Rate: the client paces to 2 requests/s per region. The stub throttles any request that
# arrives less than 0.45 s after the previous one (the client retries those), and reports
# the closest two arrivals and the most arrivals in any 2.95 s span.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/aws/lib.sh"

[ -x "$TG" ] || skip_all "no $TG"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed for the stub"
python3 -c 'import botocore' 2>/dev/null || skip_all "python3-botocore is needed to check signatures"
command -v curl >/dev/null 2>&1 || skip_all "curl is needed to poll the stub"
aws_env
STUB_PY="$top_srcdir/tests/aws/lookup_stub.py"

# --- the stub's events: a slice of the sample, shifted to end an hour ago ----------------
"$TG" query 'event in (ConsoleLogin, ListAttachedRolePolicies, CreateAccessKey, CheckMfa, CreateUser)' \
	"$top_srcdir/samples/incident" --format ndjson -q >"$TMP/raw.ndjson"
python3 - "$TMP/raw.ndjson" "$TMP/events.ndjson" <<'EOF'
import json, sys, time
from datetime import datetime, timezone
def ep(s):
    return datetime.strptime(s.replace(".000Z", "Z"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
evs = [json.loads(l) for l in open(sys.argv[1])]
shift = int(time.time() - 3600 - max(ep(e["eventTime"]) for e in evs))
with open(sys.argv[2], "w") as f:
    for e in evs:
        e["eventTime"] = datetime.fromtimestamp(ep(e["eventTime"]) + shift, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        f.write(json.dumps(e, separators=(",", ":")) + "\n")
EOF
nev=$(wc -l <"$TMP/events.ndjson")
ok $(( nev > 150 ? 0 : 1 )) "stub fixture has $nev events (more than three pages)"

SINCE=$(date -u -d '-20 days' +%Y-%m-%dT%H:%M:%SZ)
UNTIL=$(date -u +%Y-%m-%dT%H:%M:%SZ)
W=(--since "$SINCE" --until "$UNTIL" --now "$UNTIL")

ids() { python3 -c 'import json,sys; print("\n".join(sorted(json.loads(l)["eventID"] for l in sys.stdin if l.strip())))'; }
sst() { # URL KEY
	curl -s "$1/__stats" | python3 -c 'import json,sys; v=json.load(sys.stdin)[sys.argv[1]]; print(",".join(v) if isinstance(v, list) else v)' "$2"
}
local_ids() { "$TG" query "$1" "$TMP/events.ndjson" "${W[@]}" --format ndjson -q | ids; }

# --- a pushed-down query ------------------------------------------------------------------
start_py STUB "$STUB_PY" --events "$TMP/events.ndjson" || skip_all "the stub did not start"
export AWS_ENDPOINT_URL_CLOUDTRAIL=$STUB
"$TG" query 'event = ConsoleLogin' lookup://us-east-1 "${W[@]}" --format ndjson \
	>"$TMP/q1.ndjson" 2>"$TMP/q1.err"
ok $? "query event = ConsoleLogin over lookup://us-east-1 exits 0"
got=$(ids <"$TMP/q1.ndjson")
want=$(local_ids 'event = ConsoleLogin')
n=$(printf '%s\n' "$want" | grep -c .)
ok $(( n >= 40 ? 0 : 1 )) "local run finds $n ConsoleLogin events"
is "$got" "$want" "lookup result equals the local result by eventID"
is "$(sst "$STUB" attributes)" "EventName=ConsoleLogin" "the stub saw AttributeKey EventName"
is "$(sst "$STUB" bad_signatures)" 0 "every request's signature verified"
like "$(cat "$TMP/q1.err")" "lookup://us-east-1: $n events in 1 requests \(EventName=ConsoleLogin\)" \
	"summary names the events, requests and pushdown"
f=$(ls "$XDG_CACHE_HOME"/trailguide/lookup/us-east-1-*.ndjson 2>/dev/null | head -1)
ok $([ -n "$f" ] && [ "$(stat -c %a "$f")" = 600 ] && echo 0 || echo 1) "NDJSON cached under lookup/ with mode 600"

# --- multi-page and unpushed queries ------------------------------------------------------
"$TG" query 'event in (ListAttachedRolePolicies, CheckMfa)' lookup://us-east-1 "${W[@]}" \
	--format ndjson 2>"$TMP/q2.err" | ids >"$TMP/q2.ids"
want=$(local_ids 'event in (ListAttachedRolePolicies, CheckMfa)')
n=$(printf '%s\n' "$want" | grep -c .)
ok $(( n > 50 ? 0 : 1 )) "in-list query spans more than one page ($n events)"
is "$(cat "$TMP/q2.ids")" "$want" "multi-page in-list result equals the local result"
like "$(sst "$STUB" attributes)" "EventName=CheckMfa,EventName=ConsoleLogin,EventName=ListAttachedRolePolicies" \
	"one series per in-list value"
"$TG" query 'readonly = true or error exists' lookup://us-east-1 "${W[@]}" --format ndjson \
	2>/dev/null | ids >"$TMP/q3.ids"
is "$(cat "$TMP/q3.ids")" "$(local_ids 'readonly = true or error exists')" \
	"an or is not pushed: the whole window, filtered locally"
like "$(sst "$STUB" attributes)" "none" "the stub saw a request without attribute"
# Pacing is measured where requests arrive, so a stall on a loaded machine (CI runs the
# suites side by side) moves arrivals: a request that arrives late is answered late, and the
# next one goes out at once on the token that accrued meanwhile, so one gap can be short
# however fast the machine. Neither check depends on that: requests go one at a time, so
# the bucket (one token banked, 2/s) lets at most 7 arrive in any 2.95 s span whatever the
# stalls, and the median gap stays near 500 ms. Unpaced requests arrive milliseconds apart
# and fail both.
gap=$(sst "$STUB" median_gap_ms)
ok $(( ${gap:-0} >= 400 ? 0 : 1 )) "paced: the median gap between requests is at least 400 ms ($gap ms; closest $(sst "$STUB" min_gap_ms) ms)"
m3=$(sst "$STUB" max_per_3s)
ok $(( ${m3:-99} <= 7 ? 0 : 1 )) "at most 7 requests in any 2.95 s span, 2/s with jitter (saw $m3)"
is "$(sst "$STUB" bad_requests)" 0 "no bad request (NextToken replayed with the same parameters)"

# --- throttling ---------------------------------------------------------------------------
start_py THR "$STUB_PY" --events "$TMP/events.ndjson" --throttle-every 3 || skip_all "stub 2"
AWS_ENDPOINT_URL_CLOUDTRAIL=$THR "$TG" query 'event exists' lookup://us-east-1 "${W[@]}" \
	--format ndjson >"$TMP/q4.ndjson" 2>"$TMP/q4.err"
ok $? "query against a throttling stub exits 0"
ids <"$TMP/q4.ndjson" >"$TMP/q4.ids"
is "$(cat "$TMP/q4.ids")" "$(local_ids 'event exists')" "throttled pages retried: the result is complete"
thr=$(sst "$THR" throttled)
ok $(( thr >= 1 ? 0 : 1 )) "the stub throttled $thr requests"
gap=$(sst "$THR" median_gap_ms)
ok $(( ${gap:-0} >= 400 ? 0 : 1 )) "retries paced too: the median gap is at least 400 ms ($gap ms; closest $(sst "$THR" min_gap_ms) ms)"
m3=$(sst "$THR" max_per_3s)
ok $(( ${m3:-99} <= 7 ? 0 : 1 )) "at most 7 requests in any 2.95 s span with retries (saw $m3)"

# --- refusals and errors ------------------------------------------------------------------
out=$("$TG" query 'event = ConsoleLogin' lookup://us-east-1 --since 120d --until "$UNTIL" --now "$UNTIL" 2>&1)
is $? 2 "a window older than 90 days: exit 2"
like "$out" "lookup://us-east-1: LookupEvents keeps 90 days of events; the window starts [0-9-]{10}, 120 days ago: narrow --since, or read the trail bucket \(s3://\) or Athena \(athena://\) for older events" \
	"the refusal says why and what to do"
before=$(sst "$STUB" requests)
out=$(AWS_SECRET_ACCESS_KEY=not-the-secret "$TG" query 'event = ConsoleLogin' lookup://us-east-1 "${W[@]}" 2>&1)
is $? 2 "bad secret: exit 2"
like "$out" "lookup://us-east-1: .*InvalidSignatureException.*signature" "signature error explained"
if printf '%s' "$out" | grep -q 'not-the-secret'; then ok 1 "secret not printed"; else ok 0 "secret not printed"; fi
is "$(( $(sst "$STUB" requests) - before ))" 1 "a signature error is not retried"
out=$("$TG" query 'event = ConsoleLogin' lookup://us-east-1 --now "$UNTIL" 2>&1 >/dev/null)
like "$out" "lookup://us-east-1: no --since: reading the last 24 hours" "open --since: the last 24 hours, said"
out=$("$TG" query 'event = NoSuchEvent' lookup://us-east-1 "${W[@]}" 2>&1)
ok $? "no matching event: exit 0"
like "$out" "lookup://us-east-1: 0 events in 1 requests" "no matching event: 0 events"
if printf '%s' "$out" | grep -q 'warning'; then ok 1 "no warning for an empty lookup"; else ok 0 "no warning for an empty lookup"; fi
out=$("$TG" query 'service = iam' lookup://eu-west-1 "${W[@]}" 2>&1)
like "$out" "iam.amazonaws.com events are global and recorded in us-east-1" "global-service hint"

# --- an error after some pages: what arrived is kept ------------------------------------
start_py DENY "$STUB_PY" --events "$TMP/events.ndjson" --deny-after 2 || skip_all "stub 3"
AWS_ENDPOINT_URL_CLOUDTRAIL=$DENY "$TG" query 'event exists' lookup://us-east-1 "${W[@]}" \
	--format ndjson >"$TMP/q5.ndjson" 2>"$TMP/q5.err"
echo "# exit $?"
like "$(cat "$TMP/q5.err")" "lookup://us-east-1: .*AccessDenied.*kept the 100 events received before it: the result is partial" \
	"AccessDenied after two pages: explained, partial result said"
is "$(ids <"$TMP/q5.ndjson" | wc -l)" 100 "the two pages' events are in the result"
out=$(AWS_ENDPOINT_URL_CLOUDTRAIL=$DENY "$TG" query 'event exists' lookup://us-east-1 "${W[@]}" 2>&1)
is $? 2 "AccessDenied before any event: exit 2"
like "$out" "lookup://us-east-1: .*AccessDenied" "AccessDenied explained"

# --- a runbook ----------------------------------------------------------------------------
"$TG" run anomaly/console-login-failures lookup://us-east-1 --runbooks "$top_srcdir/runbooks" \
	"${W[@]}" --format json >"$TMP/rb.json" 2>"$TMP/rb.err"
rc=$?
ok $(( rc <= 1 ? 0 : 1 )) "runbook over lookup://us-east-1 runs (exit $rc)"
"$TG" run anomaly/console-login-failures "$TMP/events.ndjson" --runbooks "$top_srcdir/runbooks" \
	"${W[@]}" --format json >"$TMP/rb-local.json" 2>/dev/null
steps() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["steps"], sort_keys=True))' "$1" 2>/dev/null; }
rows=$(python3 -c 'import json,sys; print(sum(s["count"] for s in json.load(open(sys.argv[1]))["steps"]))' "$TMP/rb-local.json" 2>/dev/null)
ok $(( ${rows:-0} > 0 ? 0 : 1 )) "the runbook finds rows in the stub's events locally ($rows)"
is "$(steps "$TMP/rb.json" | md5sum)" "$(steps "$TMP/rb-local.json" | md5sum)" \
	"runbook steps over lookup:// equal the local run over the stub's events"
like "$(sst "$STUB" attributes)" "EventName=ConsoleLogin" "runbook steps pushed down EventName"

done_testing

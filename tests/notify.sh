#!/usr/bin/env bash
# notify.sh — `run --notify URL` against a real HTTP listener on loopback: the JSON body,
# retries on 500, a dead port, and the exit status staying what the findings decide.
. "${top_srcdir:-.}/tests/lib.sh"
command -v python3 >/dev/null || skip_all "python3 is not installed"
RB="$top_srcdir/tests/fixtures/runbooks/good/iam/new-users.md"
EV="$top_srcdir/tests/fixtures/runbooks/.events/day1.ndjson"
W=(--since 2026-11-20 --until 2026-11-21 --now 2026-11-21)
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
PIDS=""
cd "$TMP" || exit 1
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

serve() { # serve NAME FAILS [STATUS]: start a listener; sets PORT
	python3 "$top_srcdir/tests/notify_server.py" "$TMP/$1.port" "$TMP/$1.log" "$2" ${3:-500} &
	PIDS="$PIDS $!"
	for _ in $(seq 100); do [ -s "$TMP/$1.port" ] && break; sleep 0.05; done
	PORT=$(cat "$TMP/$1.port")
}

serve ok 0
"$TG" run -q --notify "http://127.0.0.1:$PORT/hook/SECRET" --fail-on-findings "${W[@]}" "$RB" "$EV" >out 2>err
is "$?" 1 "notify: exit status is the findings'"
is "$(wc -l <"$TMP/ok.log")" 1 "notify: one POST"
python3 - "$TMP/ok.log" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["method"] == "POST" and r["path"] == "/hook/SECRET", r
assert r["content_type"] == "application/json", r
b = json.loads(r["body"])
assert b["runbook"] == {"id": "test/new-users", "title": "Test: IAM users created by someone unexpected", "version": 2, "severity": "high"}, b["runbook"]
assert b["window"] == {"since": "2026-11-20T00:00:00Z", "until": "2026-11-21T00:00:00Z"}, b["window"]
f = b["findings"]
assert len(f) == 1 and f[0]["step"] == "Users created outside the admins" and f[0]["count"] == 2, f
ids = [e["eventID"] for e in f[0]["events"]]
assert ids == ["evt-0002", "evt-0003"], ids
assert set(f[0]["events"][0]) == {"eventID", "time", "event", "principal", "ip"}
assert "2 new findings" in b["text"], b["text"]
PY
is "$?" 0 "notify: the JSON body"
like "$(cat out)" "backdoor" "notify: findings still printed"
if grep -q SECRET err; then ok 1 "notify: the webhook path is not printed"; else ok 0 "notify: the webhook path is not printed"; fi

serve flaky 2
start=$(date +%s%N)
"$TG" run -q --notify "http://127.0.0.1:$PORT/" --fail-on-findings "${W[@]}" "$RB" "$EV" >out 2>err
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
is "$rc" 1 "retry: exit status is the findings'"
is "$(wc -l <"$TMP/flaky.log")" 3 "retry: 500, 500, then 200: three POSTs"
like "$(cat err)" "attempt 1 of 3 failed \(HTTP 500\); retrying in 0.5 s" "retry: first failure reported"
like "$(cat err)" "attempt 2 of 3 failed \(HTTP 500\); retrying in 1.0 s" "retry: second failure reported"
if grep -q "not delivered" err; then ok 1 "retry: delivered in the end"; else ok 0 "retry: delivered in the end"; fi
[ "$ms" -ge 1400 ]
ok $? "retry: backed off 0.5 s + 1 s (took $ms ms)"

serve down 99
"$TG" run -q --notify "http://127.0.0.1:$PORT/" --fail-on-findings "${W[@]}" "$RB" "$EV" >out 2>err
is "$?" 1 "always 500: exit status is the findings'"
is "$(wc -l <"$TMP/down.log")" 3 "always 500: three attempts"
like "$(cat err)" "not delivered \(HTTP 500\) after 3 attempts" "always 500: reported"

serve teapot 1 418
"$TG" run -q --notify "http://127.0.0.1:$PORT/" "${W[@]}" "$RB" "$EV" >out 2>err
is "$(wc -l <"$TMP/teapot.log")" 1 "a 4xx other than 429 is not retried"

# a dead port: connection refused, reported, findings printed, status per findings
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$TG" run -q --notify "http://127.0.0.1:$dead/" --fail-on-findings "${W[@]}" "$RB" "$EV" >out 2>err
is "$?" 1 "dead port: exit status is the findings'"
like "$(cat err)" "not delivered .* after 3 attempts" "dead port: reported on stderr"
like "$(cat out)" "backdoor" "dead port: findings still printed"
"$TG" run -q --notify "http://127.0.0.1:$dead/" "${W[@]}" "$RB" "$EV" >/dev/null 2>&1
is "$?" 0 "dead port without --fail-on-findings: exit 0"

# with --state, an undelivered alert is not remembered; a delivered one is
S="$TMP/state.json"
"$TG" run -q --state "$S" --notify "http://127.0.0.1:$dead/" "${W[@]}" "$RB" "$EV" >/dev/null 2>&1
[ ! -e "$S" ]
ok $? "state: an undelivered alert is not remembered"
serve ok2 0
"$TG" run -q --state "$S" --notify "http://127.0.0.1:$PORT/" "${W[@]}" "$RB" "$EV" >/dev/null 2>&1
"$TG" run -q --state "$S" --notify "http://127.0.0.1:$PORT/" "${W[@]}" "$RB" "$EV" >/dev/null 2>&1
is "$(wc -l <"$TMP/ok2.log")" 1 "state: nothing new, no second POST"
"$TG" run -q --notify "ftp://127.0.0.1:$PORT/" "${W[@]}" "$RB" "$EV" >/dev/null 2>err
like "$(cat err)" "not delivered" "only http and https"
done_testing

#!/usr/bin/env bash
# run_cmd.sh — `trailguide lint`, `runbooks` and `run`: exit codes, formats, --state.
. "${top_srcdir:-.}/tests/lib.sh"
RB="$top_srcdir/tests/fixtures/runbooks"
EV="$RB/.events"
cd "$TMP" || exit 1 # no ./runbooks here: only what the tests name is searched

"$TG" lint "$RB/good" >out 2>err
is "$?" 0 "lint: a good directory exits 0"
like "$(cat out)" "approved-admins:3:1: warning: entry .* expired on 2020-01-01" "lint: expired list entry warned"
like "$(cat err)" "2 runbooks, 0 errors, 1 warning" "lint: summary on stderr"

"$TG" lint "$RB/broken" >out 2>err
is "$?" 2 "lint: errors exit 2"
for want in "missing-keys.md:4:1: error: missing front-matter key 'title'" \
	"bad-front.md:7:1: error: unknown front-matter key 'author'" \
	"bad-front.md:4:10: error: bad version '0'" \
	"two-queries.md:11:4: error: a second query block" \
	"unterminated.md:8:1: error: unterminated code fence" \
	"no-query.md:7:1: error: step 'Talk only' has no query block" \
	"bad-query.md:11:22: error: query: expected '\)'" \
	"unknown-list.md:9:14: error: unknown list '@no-such-list'" \
	"bad-holes.md:12:3: error: respond: an unknown field" \
	"unknown-list.md:2:1: error: id 'broken/unknown-list' is also the id of"; do
	like "$(cat out)" "$want" "lint: $want"
done
"$TG" lint "$RB/good/iam/new-users.md" >out 2>&1
is "$?" 0 "lint: a single file finds its lists/ in a parent directory"
"$TG" lint "$TMP/nope" >out 2>&1
is "$?" 2 "lint: a missing path exits 2"
"$TG" lint "$RB/fields" >out 2>err
is "$?" 0 "lint: unknown fields are warnings, not errors"
for want in "typo.md:13:1: warning: query: unknown field 'servce': did you mean 'service'\?" \
	"typo.md:13:18: warning: query: unknown field 'Event': did you mean 'event'\?" \
	"typo.md:14:55: warning: query: unknown field 'EventName': did you mean 'eventName'\?"; do
	like "$(cat out)" "$want" "lint: $want"
done
is "$(wc -l <out | tr -d ' ')" 3 "lint: each unknown field once, known ones quiet"
like "$(cat err)" "1 runbook, 0 errors, 3 warnings" "lint: field warnings counted"

"$TG" runbooks --runbooks "$RB/shadow-a" --runbooks "$RB/shadow-b" >out 2>err
is "$?" 0 "runbooks: exit 0"
like "$(head -n 1 out)" "^id +title +severity +version +path$" "runbooks: header"
like "$(cat out)" "test/shadowed +The first one \(wins\) +low +1 " "runbooks: first directory wins"
like "$(cat err)" "test/shadowed in .*shadow-b/x.md is shadowed by .*shadow-a/x.md" "runbooks: shadowing reported"
"$TG" runbooks --runbooks "$RB/broken" >out 2>err
is "$?" 2 "runbooks: a broken runbook exits 2 but the rest are listed"
like "$(cat out)" "broken/unknown-list" "runbooks: parsable ones listed"

W=(--since 2026-11-20 --until 2026-11-21 --now 2026-11-21)
"$TG" run -q --runbooks "$RB/good" "${W[@]}" test/new-users "$EV/day1.ndjson" >out 2>err
is "$?" 0 "run: findings without --fail-on-findings exit 0"
like "$(cat out)" "Users created outside the admins \[findings\] 2 rows" "run: two findings (old-admin's entry expired)"
like "$(cat out)" "backdoor" "run: the planted user is shown"
"$TG" run -q --runbooks "$RB/good" "${W[@]}" --fail-on-findings test/new-users "$EV/day1.ndjson" >/dev/null 2>&1
is "$?" 1 "run: --fail-on-findings exits 1"
"$TG" run -q --runbooks "$RB/good" "${W[@]}" --fail-on-findings test/quiet "$EV/day1.ndjson" >/dev/null 2>&1
is "$?" 0 "run: no findings exits 0"
"$TG" run -q "${W[@]}" --fail-on-findings "$RB/good/iam/new-users.md" "$EV/day1.ndjson" >/dev/null 2>&1
is "$?" 1 "run: a runbook given as a path"
"$TG" run -q --runbooks "$RB/good" no/such-id "$EV/day1.ndjson" >/dev/null 2>err
is "$?" 2 "run: unknown id exits 2"
"$TG" run -q "$RB/broken/two-queries.md" "$EV/day1.ndjson" >/dev/null 2>err
is "$?" 2 "run: a broken runbook exits 2"
like "$(cat err)" "two-queries.md:11:4: error" "run: the parse error is shown"
"$TG" run -q "$RB/broken/unknown-list.md" "$EV/day1.ndjson" >/dev/null 2>err
is "$?" 2 "run: a step naming an unknown list exits 2"
"$TG" run -q --runbooks "$RB/good" test/new-users "$TMP/missing.json" >/dev/null 2>&1
is "$?" 2 "run: a missing source exits 2"
"$TG" run -q -f xml --runbooks "$RB/good" test/new-users >/dev/null 2>&1
is "$?" 2 "run: a bad format exits 2"

# the runbook's window (24h) back from --now, when --since is not given
"$TG" run -q --now 2026-11-21T01:30:00Z "$RB/good/iam/new-users.md" "$EV/day1.ndjson" >out 2>&1
like "$(cat out)" "window +2026-11-20T01:30:00Z \.\. 2026-11-21T01:30:00Z" "run: the runbook's window"
like "$(cat out)" "\[findings\] 2 rows" "run: window clips the events"

for f in json ndjson; do
	"$TG" run -q -f $f "${W[@]}" "$RB/good/iam/new-users.md" "$EV/day1.ndjson" >out 2>&1
	python3 -c 'import json,sys
t=open(sys.argv[1]).read()
if sys.argv[2]=="json": json.loads(t)
else: [json.loads(l) for l in t.splitlines()]' out $f
	is "$?" 0 "run -f $f: valid JSON"
done
"$TG" run -q -f json "${W[@]}" "$RB/good/iam/new-users.md" "$EV/day1.ndjson" "$EV/hostile.ndjson" >out 2>&1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["steps"][0]["count"]==3' out
is "$?" 0 "run -f json: hostile bytes stay valid JSON"
"$TG" run -q -f csv "${W[@]}" "$RB/good/iam/new-users.md" "$EV/day1.ndjson" >out 2>&1
like "$(head -n 1 out)" "^step,kind,time,principal" "run -f csv: step and kind lead"
for f in table md csv; do
	"$TG" run -q -f $f "${W[@]}" "$RB/good/iam/new-users.md" "$EV/hostile.ndjson" >out 2>&1
	if LC_ALL=C grep -q $'\x1b' out; then ok 1 "run -f $f: no raw ESC"; else ok 0 "run -f $f: no raw ESC"; fi
done
"$TG" run -q -f md "${W[@]}" "$RB/good/iam/new-users.md" "$EV/day1.ndjson" >out 2>&1
like "$(cat out)" "^# Test: IAM users created by someone unexpected" "run -f md: title"
like "$(cat out)" "aws iam list-access-keys --user-name backdoor\` \(\{literal\}\)" "run -f md: respond filled"
like "$(cat out)" "\| time \| principal \| requestParameters.userName \|" "run -f md: table"

# --state: the second run reports nothing new; a new planted event is the only new one
S="$TMP/state.json"
"$TG" run -q --state "$S" --fail-on-findings "${W[@]}" "$RB/good/iam/new-users.md" "$EV/day1.ndjson" >out 2>&1
is "$?" 1 "state: first run finds"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["reported"])==2' "$S"
is "$?" 0 "state: two findings remembered"
"$TG" run -q --state "$S" --fail-on-findings "${W[@]}" "$RB/good/iam/new-users.md" "$EV/day1.ndjson" >out 2>&1
is "$?" 0 "state: second run has nothing new"
like "$(cat out)" "0 rows \(2 already reported\)" "state: already reported counted"
"$TG" run -q -f json --state "$S" --fail-on-findings "${W[@]}" "$RB/good/iam/new-users.md" "$EV/day1.ndjson" "$EV/day1-late.ndjson" >out 2>&1
is "$?" 1 "state: a new event is a finding again"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["steps"][0]["rows"]; assert d["steps"][0]["count"]==1 and r[0]["eventID"]=="evt-0005", r' out
is "$?" 0 "state: only the new event is reported"
ls "$TMP" | grep -q 'state.json.tmp' && ok 1 "state: no temp file left" || ok 0 "state: no temp file left"
echo '{"version": 1, "reported": [' >"$S"
"$TG" run -q --state "$S" "${W[@]}" "$RB/good/iam/new-users.md" "$EV/day1.ndjson" >out 2>err
is "$?" 2 "state: a corrupt file exits 2"
like "$(cat err)" "--state .*state.json: not a trailguide state file" "state: clear message"
is "$(cat "$S")" '{"version": 1, "reported": [' "state: a corrupt file is left alone"

# the bundled sample with the repository's runbooks, when they are there
if [ -d "$top_srcdir/runbooks/provisioning" ]; then
	"$TG" run -q --runbooks "$top_srcdir/runbooks" provisioning/new-iam-users >out 2>&1
	is "$?" 0 "run: the bundled sample with a library runbook"
else
	skip "no runbooks/ library"
fi
done_testing

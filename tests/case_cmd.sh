#!/usr/bin/env bash
# case_cmd.sh — cases end to end: run and query with --case, mark, note, verify, report.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TMP" || exit 1
RB=(--runbooks "$top_srcdir/runbooks")
SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSecretValue42
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=$SECRET AWS_SESSION_TOKEN=tokTOKENvalue99
C="$TMP/case1"

"$TG" run -q "${RB[@]}" --case "$C" provisioning/new-iam-users >run.out 2>run.err
is "$?" 0 "run --case: exit 0"
[ -s "$C/journal.jsonl" ]
ok $? "run --case: the journal exists"
like "$(head -n 1 "$C/journal.jsonl")" '"seq":1,.*"action":"open".*"runbook":\{"id":"provisioning/new-iam-users","version":1' "run: open entry with the runbook"
n_src=$(grep -c '"action":"source"' "$C/journal.jsonl")
is "$n_src" 1 "run: one source entry for the load"
n_files=$(grep '"action":"source"' "$C/journal.jsonl" | python3 -c 'import json,sys; d=json.loads(sys.stdin.readline())["details"]; print(len(d["files"]), all(len(f["sha256"]) == 64 for f in d["files"]))')
is "$n_files" "1460 True" "run: it lists every file with its SHA-256"
like "$(grep -m1 '"action":"source"' "$C/journal.jsonl")" '"sha256":"[0-9a-f]{64}"' "run: sources carry their SHA-256"
is "$(grep -c '"action":"step"' "$C/journal.jsonl")" 3 "run: three step entries"
like "$(grep -m1 '"action":"step"' "$C/journal.jsonl")" '"count":1,"result":"events","result_sha256":"[0-9a-f]{64}","event_ids":\["' "run: step with count, result hash and event ids"
like "$(tail -n 1 "$C/journal.jsonl")" '"action":"close"' "run: close is the last entry"
runs1=$(wc -l <"$C/journal.jsonl")

# the result hash is the SHA-256 of the sorted eventIDs joined by newlines
step1=$(grep -m1 '"action":"step"' "$C/journal.jsonl")
want=$(printf '%s' "$step1" | python3 -c 'import json,sys,hashlib; d=json.loads(sys.stdin.read())["details"]; print(hashlib.sha256("\n".join(sorted(d["event_ids"])).encode()).hexdigest())')
like "$step1" "\"result_sha256\":\"$want\"" "run: result_sha256 is over the sorted eventIDs"

"$TG" query -q --case "$C" 'event = CreateUser and not error exists' >q.out 2>q.err
is "$?" 0 "query --case: exit 0"
like "$(grep '"action":"query"' "$C/journal.jsonl")" '"query":"event = CreateUser and not error exists".*"count":[0-9]+' "query: entry with the text and count"
first_seq=$(sed -n "$((runs1 + 1))p" "$C/journal.jsonl" | grep -o '"seq":[0-9]*')
is "$first_seq" "\"seq\":$((runs1 + 1))" "query: the sequence continues"

ids=$(grep '"action":"query"' "$C/journal.jsonl" | python3 -c 'import json,sys; print("\n".join(json.loads(sys.stdin.read())["details"]["event_ids"][:2]))')
E1=$(echo "$ids" | sed -n 1p)
E2=$(echo "$ids" | sed -n 2p)
"$TG" case mark "$C" "$E1" malicious --reason "backdoor user" 2>err
is "$?" 0 "case mark: malicious"
"$TG" case mark -q "$C" "$E2" benign --reason "pipeline run" 2>err
is "$?" 0 "case mark: benign"
"$TG" case mark -q "$C" no-such-event benign --reason x 2>err
is "$?" 2 "case mark: an unknown eventID is refused"
like "$(cat err)" "no event with eventID 'no-such-event'" "case mark: says why"
"$TG" case mark -q "$C" "$E1" dunno --reason x 2>err
is "$?" 2 "case mark: a bad verdict exits 2"
"$TG" case mark -q "$C" "$E1" benign 2>err
is "$?" 2 "case mark: --reason is required"
"$TG" case note -q "$C" "Escalated to the IR lead" --event "$E1"
is "$?" 0 "case note"
like "$(grep '"action":"mark"' "$C/journal.jsonl" | head -n 1)" '"event":\{"eventID":"[^"]+","time":"[^"]+","event":"CreateUser".*"principal":"arn:' "mark: key fields recorded"

"$TG" journal verify "$C" >v.out 2>&1
is "$?" 0 "journal verify: intact"

"$TG" report "$C" >r.md 2>r.err
is "$?" 0 "report: exit 0"
like "$(cat r.md)" 'Journal: intact' "report: says the journal is intact"
like "$(cat r.md)" 'provisioning/new-iam-users version 1' "report: runbook id and version"
like "$(cat r.md)" 'sha256 `` [0-9a-f]{64} ``' "report: runbook hash"
like "$(cat r.md)" '### 1\. Users created outside the pipeline' "report: steps"
like "$(cat r.md)" "has findings\*\*, 1 row at .*result sha256 \`\` $want \`\`" "report: step count and result hash"
like "$(cat r.md)" '\| \*\*malicious\*\* \| [0-9-]+T[0-9:]+Z \| CreateUser \| arn:aws:[^|]+ \| ' "report: the malicious mark with its principal"
like "$(cat r.md)" '\| \*\*benign\*\* \|.*pipeline run' "report: the benign mark with its reason"
like "$(cat r.md)" 'Escalated to the IR lead' "report: the note"
like "$(cat r.md)" '\| [0-9]+ \| .* \| source \| 1460 files, [0-9]+ events' "report: the timeline shows the load"

"$TG" report -f json "$C" >r.json
is "$?" 0 "report json: exit 0"
lines=$(wc -l <"$C/journal.jsonl")
got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["entries"]), d["journal"]["status"], len(d["marks"]), len(d["steps"][0]["event_ids"]))' r.json 2>&1)
is "$got" "$lines intact 2 1" "report json: every entry, intact, two marks, event ids"

# resume: a second run on the same case continues the sequence and says it resumed
"$TG" run -q "${RB[@]}" --case "$C" provisioning/new-iam-users >/dev/null 2>&1
is "$?" 0 "resume: a second run"
open2=$(grep '"action":"open"' "$C/journal.jsonl" | tail -n 1)
like "$open2" "\"seq\":$((lines + 1)),.*\"resumed\":true,\"entries_before\":$lines" "resume: seq continues"

# a case in use by another process is refused
exec 9>"$C/journal.lock"
flock -n 9 || echo "# could not take the lock"
"$TG" query -q --case "$C" 'event = CreateUser' >/dev/null 2>err
is "$?" 2 "locked: a second process is refused"
like "$(cat err)" "case .*case1 is in use by another trailguide" "locked: the clear message"
exec 9>&-

# a read-only place fails cleanly (root ignores permissions: use sysfs, which refuses it)
mkdir ro && chmod 555 ro
RO="$TMP/ro/c"
[ "$(id -u)" = 0 ] && RO=/sys/tg-case-test
"$TG" query -q --case "$RO" 'event = CreateUser' >out 2>err
is "$?" 2 "read-only: exit 2"
like "$(cat err)" "^trailguide: cannot create case directory $RO: " "read-only: says why, in one line"
is "$(wc -l <err) $(wc -c <out)" "1 0" "read-only: nothing else printed"
touch afile
"$TG" query -q --case "$TMP/afile" 'event = CreateUser' >/dev/null 2>err
is "$?" 2 "--case on a file: exit 2"
"$TG" query -q --case-id ../evil 'event = CreateUser' >/dev/null 2>err
is "$?" 2 "--case-id with a path: exit 2"

# case ids, the data directory, list. A --new-case id starts with the UTC date of the run;
# the date is read before the first run and after the second, so a run across midnight
# accepts either day instead of failing.
day0=$(date -u +%F)
"$TG" run -q "${RB[@]}" --new-case provisioning/new-iam-users >/dev/null 2>err
is "$?" 0 "--new-case: exit 0"
cp err err1
"$TG" run -q "${RB[@]}" --new-case provisioning/new-iam-users >/dev/null 2>err
day1=$(date -u +%F)
if [ "$day0" = "$day1" ]; then
	day=$day0 second="$day0-provisioning-new-iam-users-2"
else
	echo "# the runs crossed midnight UTC ($day0, $day1): either day is accepted"
	day="($day0|$day1)" second="($day0-provisioning-new-iam-users-2|$day1-provisioning-new-iam-users)"
fi
like "$(cat err1)" "case $day-provisioning-new-iam-users: [0-9]+ journal entries" "--new-case: the id is printed"
like "$(cat err)" "case $second:" "--new-case: a second one the same day is -2"
"$TG" query -q --case-id inc-7 'event = CreateUser' >/dev/null 2>&1
[ -f "$XDG_DATA_HOME/trailguide/cases/inc-7/journal.jsonl" ]
ok $? "--case-id: under \$XDG_DATA_HOME/trailguide/cases"
"$TG" case list >list.out
like "$(cat list.out)" "^$day-provisioning-new-iam-users +provisioning/new-iam-users +[0-9]+ .* close" "case list: id, runbook, entries, last action"
like "$(cat list.out)" "^inc-7 +- +[0-9]+" "case list: a query-only case"
"$TG" report inc-7 >/dev/null
is "$?" 0 "report: a case id"
"$TG" report nope >/dev/null 2>err
is "$?" 2 "report: no such case"

# a damaged journal is reported as such
cp -r "$C" damaged
sed -i '2s/"bytes":[0-9]*/"bytes":1/' damaged/journal.jsonl
"$TG" report damaged/ >d.md 2>d.err
is "$?" 2 "report: a damaged journal exits 2"
like "$(cat d.md)" 'Journal: DAMAGED.*covers only the 1 entry before line 2' "report: damage flagged, the verifiable part kept"

# keyed journals
head -c 32 /dev/urandom >key
"$TG" query -q --case "$TMP/keyed" --journal-key key 'event = CreateUser' >/dev/null 2>&1
is "$?" 0 "--journal-key: a keyed case"
"$TG" report --journal-key key "$TMP/keyed" >/dev/null
is "$?" 0 "report --journal-key: intact"
"$TG" report "$TMP/keyed" >/dev/null 2>&1
is "$?" 2 "report without the key: not verifiable"

# secrets never enter the journal
! grep -rqF -e "$SECRET" -e tokTOKENvalue99 "$C" "$XDG_DATA_HOME" "$TMP/keyed"
ok $? "no secret in any journal"

# a symbolic link planted in a case directory is refused, and its target left alone
for f in journal.jsonl journal.head journal.head.tmp journal.lock; do
	d="$TMP/planted-$f"
	mkdir -p "$d"
	printf 'precious\n' >"$TMP/victim-$f"
	ln -s "$TMP/victim-$f" "$d/$f"
	"$TG" query -q 'event = CreateUser' --case "$d" >/dev/null 2>"$TMP/err"
	is "$?" 2 "planted $f: refused (exit 2)"
	like "$(cat "$TMP/err")" "$f: it is a symbolic link: refusing" "planted $f: said"
	is "$(cat "$TMP/victim-$f")" precious "planted $f: the link's target is untouched"
done
done_testing

#!/usr/bin/env bash
# badinput.sh — bad input gets one clear warning naming file and byte offset, never a
# crash, and never hides the good records around it.
. "${top_srcdir:-.}/tests/lib.sh"
D="$TMP/bad"
mkdir -p "$D"
rec() { # rec ID TIME [EXTRA-JSON]
	printf '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"},"eventTime":"%s","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","eventID":"%s"%s}' "$2" "$1" "${3:-}"
}
good="$(rec g1 2026-11-20T01:00:00Z),$(rec g2 2026-11-20T01:01:00Z)"

# A valid file alongside everything else: its 2 events must always load.
printf '{"Records":[%s]}' "$good" >"$D/good.json"
# Truncated gzip: half of a valid gzip file.
printf '{"Records":[%s,%s]}' "$(rec t1 2026-11-20T02:00:00Z)" "$(rec t2 2026-11-20T02:00:01Z)" | gzip -c >"$TMP/full.gz"
head -c $(($(stat -c %s "$TMP/full.gz") - 12)) "$TMP/full.gz" >"$D/truncated.json.gz"
# Malformed JSON in the middle of a Records array.
printf '{"Records":[%s,{"eventTime":"2026-11-20T03:00:00Z" "eventName":"x"},%s]}' "$(rec m1 2026-11-20T03:00:00Z)" "$(rec m2 2026-11-20T03:00:02Z)" >"$D/malformed.json"
# Not CloudTrail at all.
printf 'hello, I am a README\n' >"$D/notes.json"
printf '{"kind":"something else","items":[1,2,3]}' >"$D/other.json"
# Invalid UTF-8 inside a string: kept, warned.
printf '{"Records":[%s]}' "$(rec u1 2026-11-20T04:00:00Z $',"userAgent":"bad \xff\xfe bytes"')" >"$D/utf8.json"
# NUL bytes: a file padded with zeros after a crash.
{ printf '{"Records":[%s]}' "$(rec n1 2026-11-20T05:00:00Z)"; head -c 64 /dev/zero; } >"$D/nul.json"
# Records without eventTime, in NDJSON.
{ rec e1 2026-11-20T06:00:00Z; echo; printf '{"eventName":"NoTime","eventID":"e2"}\n'; rec e3 2026-11-20T06:00:01Z; echo; } >"$D/notime.ndjson"
# Logstash exports: no eventTime, @timestamp instead (kept, one warning per file); an
# @timestamp that is not a time is no time at all.
printf '{"eventName":"L","eventID":"s1","@timestamp":"2026-11-20T06:30:00.000Z"}\n{"eventName":"L","eventID":"s2","@timestamp":"2026-11-20T06:30:01.000Z"}\n{"eventName":"L","eventID":"s3","@timestamp":"soon"}\n' >"$D/logstash.ndjson"
# Deep nesting: 100,000 levels in requestParameters, then a good record.
python3 -c '
import sys
deep = "[" * 100000 + "]" * 100000
sys.stdout.write("{\"Records\":[{\"eventTime\":\"2026-11-20T07:00:00Z\",\"eventID\":\"d1\",\"requestParameters\":" + deep + "}," )
' >"$D/deep.json"
printf '%s]}' "$(rec d2 2026-11-20T07:00:01Z)" >>"$D/deep.json"
# A 100 MB single record.
python3 -c '
import sys
sys.stdout.write("{\"Records\":[{\"eventTime\":\"2026-11-20T08:00:00Z\",\"eventID\":\"big1\",\"eventName\":\"Huge\",\"requestParameters\":{\"blob\":\"" + "A" * (100 * 1024 * 1024) + "\"}}]}")
' >"$D/huge.json"

out=$("$TG" query --format csv '| stats count() by event' "$D" 2>"$TMP/err")
rc=$?
err=$(cat "$TMP/err")
is "$rc" 0 "exit 0 without --strict"
like "$err" "truncated\.json\.gz: byte [0-9]+: truncated gzip" "truncated gzip named with offset"
like "$err" "malformed\.json: byte [0-9]+: " "malformed JSON named with offset"
like "$err" "notes\.json: byte 0: not CloudTrail" "a text file is not CloudTrail"
like "$err" "other\.json: byte 0: not CloudTrail" "JSON of another shape is not CloudTrail"
like "$err" "utf8\.json: byte [0-9]+: .*invalid UTF-8" "invalid UTF-8 warned"
like "$err" "nul\.json: byte [0-9]+: " "NUL padding warned"
like "$err" "notime\.ndjson: byte [0-9]+: record has no eventTime" "missing eventTime warned with offset"
like "$err" "deep\.json: byte [0-9]+: .*(nest|deep)" "deep nesting rejected with offset"
like "$err" "logstash\.ndjson: byte 0: record has no eventTime; its time is taken from @timestamp" \
	"@timestamp without eventTime: warned"
is "$(printf '%s\n' "$err" | grep -c 'taken from @timestamp')" 1 "once per file"
like "$err" "logstash\.ndjson: byte [0-9]+: record has no eventTime; skipped" \
	"an @timestamp that is not a time is no time"
like "$err" "2 timed by @timestamp" "the summary counts them"
ids=$("$TG" query -q --format csv '| fields eventID | sort eventID' "$D" 2>/dev/null | tr -d '\r' | tail -n +2 | tr '\n' ' ')
is "$ids" "big1 d2 e1 e3 g1 g2 m1 m2 n1 s1 s2 t1 u1 " "every good record loads, beside the bad ones"
is "$("$TG" query -q --format csv 'eventID = s2 | fields time' "$D/logstash.ndjson" 2>/dev/null | tr -d '\r' | tail -n 1)" \
	"2026-11-20T06:30:01Z" "the time is @timestamp's"
like "$err" "records? skipped" "summary says records were skipped"
like "$err" "malformed" "summary gives the reasons"
"$TG" query -q --strict 'event = x' "$D" >/dev/null 2>&1
is "$?" 2 "--strict turns warnings into exit 2"
"$TG" query -q 'event = x' "$D/good.json" "$D/missing.json" >/dev/null 2>"$TMP/err2"
is "$?" 2 "a missing source is exit 2"
like "$(cat "$TMP/err2")" "missing\.json: No such file" "and is named"
raw=$("$TG" query -q --format ndjson 'eventID = u1' "$D/utf8.json" 2>/dev/null)
echo "$raw" | python3 -c 'import json,sys; json.loads(sys.stdin.read())' 2>/dev/null
is "$?" 0 "an event with invalid UTF-8 still prints as valid JSON"
# C1 controls, bidi overrides and DEL in an event never leave raw in JSON, NDJSON or the
# case journal: they are written as \u escapes of the same value (still valid JSON)
printf '{"eventVersion":"1.08","eventTime":"2026-11-19T10:00:00Z","eventSource":"iam.amazonaws.com","eventName":"GetUser","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","userAgent":"evil\xc2\x9b31m\xe2\x80\xaetxt.exe\x7f","eventID":"c1b1d1e1-2222-3333-4444-555555555555","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/x\xe2\x81\xa6"}}\n' >"$TMP/c1.ndjson"
raw_c1() { LC_ALL=C grep -c "$(printf '\302[\200-\237]\|\342\200[\252-\256]\|\342\201[\246-\251]\|\177')" "$1"; }
"$TG" query -q -f ndjson 'event exists' "$TMP/c1.ndjson" >"$TMP/c1.out"
is "$(raw_c1 "$TMP/c1.out")" 0 "ndjson: no raw C1, bidi or DEL"
like "$(cat "$TMP/c1.out")" '"userAgent":"evil\\u009b31m\\u202etxt.exe\\u007f"' "ndjson: escaped as \\u"
jq -e . "$TMP/c1.out" >/dev/null
ok $? "ndjson: still valid JSON"
"$TG" query -q -f json 'event exists | fields ua, principal' "$TMP/c1.ndjson" >"$TMP/c1.out"
is "$(raw_c1 "$TMP/c1.out")" 0 "json: no raw C1, bidi or DEL"
is "$(jq -j '.[0].ua' "$TMP/c1.out" | od -An -tx1 | tr -d ' \n')" \
	"$(printf 'evil\xc2\x9b31m\xe2\x80\xaetxt.exe\x7f' | od -An -tx1 | tr -d ' \n')" "json: the same value"
"$TG" query -q 'event exists' "$TMP/c1.ndjson" --case "$TMP/c1case" >/dev/null 2>&1
"$TG" case mark "$TMP/c1case" c1b1d1e1-2222-3333-4444-555555555555 suspicious --reason "$(printf 'odd \xe2\x80\xae ua')" \
	"$TMP/c1.ndjson" >/dev/null 2>&1
is "$?" 0 "journal: an event with C1 and bidi bytes marked"
is "$(raw_c1 "$TMP/c1case/journal.jsonl")" 0 "journal: no raw C1, bidi or DEL"
"$TG" journal verify "$TMP/c1case" >/dev/null 2>&1
ok $? "journal: still verifies"
# resynchronising after a malformed record keeps the next intact one, even when the damage
# (an unterminated string) runs into that record's first key
mkrec() { printf '{"eventVersion":"1.08","eventTime":"2026-11-19T10:00:0%sZ","eventName":"E%s","eventID":"rs-%s"}' "$1" "$1" "$1"; }
printf '{"Records":[%s,%s,%s,%s]}' "$(mkrec 1)" '{"eventVersion":"1.08","eventTime":"2026-11-19T10:00:09Z","x":"unterminated' \
	"$(mkrec 2)" "$(mkrec 3)" >"$TMP/resync.json"
"$TG" query -q -f csv '| stats count() by event | sort event' "$TMP/resync.json" >"$TMP/resync.out" 2>"$TMP/resync.err"
is "$(tr -d '\r' <"$TMP/resync.out" | tr '\n' ' ')" "event,count E1,1 E2,1 E3,1 " \
	"resync after an unterminated string keeps the next record"
like "$(cat "$TMP/resync.err")" "byte [0-9]+: record 2: .*skipped [0-9]+ bytes to resynchronise" "resync: the damage is reported"
# a gzip bomb is skipped with a warning at the inflate limit, and the rest still loads
mkdir -p "$TMP/bomb"
head -c 64M /dev/zero | gzip -1 >"$TMP/bomb/bomb.json.gz"
cp "$top_srcdir/tests/fixtures/events.ndjson" "$TMP/bomb/good.ndjson"
TRAILGUIDE_MAX_INFLATE=8M "$TG" query -f csv '| stats count()' "$TMP/bomb" >"$TMP/bomb.out" 2>"$TMP/bomb.err"
is "$?" 0 "gzip bomb: the load goes on (exit 0)"
like "$(cat "$TMP/bomb.err")" "bomb.json.gz: .*inflates to more than 8 MB .*skipped" "gzip bomb: named and skipped"
is "$(tail -n 1 "$TMP/bomb.out" | tr -d '\r')" "$("$TG" query -q -f csv '| stats count()' "$TMP/bomb/good.ndjson" | tail -n 1 | tr -d '\r')" \
	"gzip bomb: the other file's events are all there"
TRAILGUIDE_MAX_INFLATE=8M "$TG" query --strict -q '| stats count()' "$TMP/bomb" >/dev/null 2>&1
is "$?" 2 "gzip bomb: --strict makes it an error"
done_testing

#!/usr/bin/env bash
# sources_cli.sh — what query and run read, and what they say about it: no SOURCE (the
# sample, said on stderr), `-` (standard input), pipes, a missing path, a path with no
# CloudTrail in it; @lists in query; unknown field names warned with the closest field.
. "${top_srcdir:-.}/tests/lib.sh"
FIX="$top_srcdir/tests/fixtures"
RB="$top_srcdir/runbooks"
cd "$TMP" || exit 1
last() { tail -n 1 "$1" | tr -d '\r'; } # the last CSV line (RFC 4180 ends lines in CRLF)
nd="$FIX/events.ndjson"
"$TG" query -q -f csv '| stats count()' "$nd" </dev/null >out
want=$(last out)
[ -n "$want" ] && [ "$want" -gt 0 ]
ok $? "the fixture has events ($want)"

# no SOURCE: the bundled sample, and stderr says so
"$TG" query -f csv '| stats count()' </dev/null >out 2>err
is "$?" 0 "no SOURCE: exit 0"
like "$(cat err)" "no SOURCE given: reading the bundled sample incident" "no SOURCE: said on stderr"
is "$(last out)" 24000 "no SOURCE: the sample's events"
# ... and when events were piped in, that they were not read
"$TG" query -f csv '| stats count()' <"$nd" >out 2>err
like "$(cat err)" "standard input is not read: give - to read it" "no SOURCE, stdin a file: says stdin is not read"
cat "$nd" | "$TG" query -q -f csv '| stats count()' >out 2>err
like "$(cat err)" "standard input is not read" "no SOURCE, stdin a pipe: says so even with -q"
# -q alone (stdin not piped) stays quiet
"$TG" query -q -f csv '| stats count()' </dev/null >out 2>err
is "$(cat err)" "" "no SOURCE with -q and no pipe: nothing on stderr"

# `-` reads standard input, and raw events come back from it (ndjson prints them)
cat "$nd" | "$TG" query -q -f csv '| stats count()' - >out 2>err
is "$(last out)" "$want" "- reads a pipe"
"$TG" query -q -f csv '| stats count()' - <"$nd" >out 2>err
is "$(last out)" "$want" "- reads a redirected file"
cat "$nd" | "$TG" query -q -f ndjson 'event exists | head 2' - >out 2>err
is "$(grep -c '"eventName"' out)" 2 "- : the raw events are printed (the pipe was kept)"
ls "${TMPDIR:-/tmp}"/trailguide-stdin-* >/dev/null 2>&1
ok $((!$?)) "- : the copy of standard input is removed at exit"
# a process substitution (a FIFO) as a SOURCE
"$TG" query -q -f ndjson 'event exists | head 2' <(cat "$nd") </dev/null >out 2>err
is "$(grep -c '"eventName"' out)" 2 "a FIFO source: events and their raw JSON"
"$TG" query -q -f csv '| stats count()' - - <"$nd" >out 2>err
is "$?" 2 "two stdin sources: exit 2"

# a missing path, and one with no CloudTrail in it
"$TG" query -q '| stats count()' "$TMP/no-such-dir" </dev/null >out 2>err
is "$?" 2 "a missing SOURCE: exit 2"
like "$(cat err)" "no-such-dir" "a missing SOURCE: named"
mkdir notrail && printf 'hello\n' >notrail/readme.json
"$TG" query -q '| stats count()' notrail </dev/null >out 2>err
is "$?" 2 "a directory without CloudTrail: exit 2"
like "$(cat err)" "notrail: holds no CloudTrail" "a directory without CloudTrail: said"
printf 'just text\n' >plain.txt
"$TG" query -q '| stats count()' plain.txt "$nd" </dev/null >out 2>err
is "$?" 2 "a file without CloudTrail beside a good one: exit 2"
like "$(cat err)" "plain.txt: holds no CloudTrail" "a file without CloudTrail: named"
"$TG" run provisioning/new-iam-users --runbooks "$RB" -q notrail </dev/null >out 2>err
is "$?" 2 "run over a directory without CloudTrail: exit 2"

# @lists work in query as they do in runbooks and the console
"$TG" query -q -f csv --runbooks "$RB" 'ip in @known-networks | stats count()' </dev/null >out 2>err
is "$?" 0 "query with an @list: exit 0"
n=$(last out)
[ "${n:-0}" -gt 0 ]
ok $? "query with an @list: matches ($n)"
(cd "$top_srcdir" && "$TG" query -q -f csv 'ip in @known-networks | stats count()' </dev/null) >out 2>err
is "$(last out)" "$n" "query finds ./runbooks/lists without --runbooks"

# unknown field names: a warning naming the closest field, in query and run
"$TG" query -q -f csv 'servce = iam | stats count()' </dev/null >out 2>err
like "$(cat err)" "unknown field 'servce' \(col 1\): did you mean 'service'\?" "query: servce -> service"
"$TG" query -q -f csv 'Event = CreateUser | stats count()' </dev/null >out 2>err
like "$(cat err)" "unknown field 'Event' \(col 1\): did you mean 'event'\?" "query: Event -> event"
"$TG" query -q -f csv 'userIdentity.arn exists and requestParameters.userName exists | stats count()' \
	</dev/null >out 2>err
is "$(cat err)" "" "query: record paths are known"
mkdir -p rb && cat >rb/typo.md <<'MD'
---
id: test/typo
title: a typo
version: 1
severity: low
---

## Users

```query findings
servce = iam and event = CreateUser
```
MD
"$TG" run rb/typo.md -q </dev/null >out 2>err
like "$(cat err)" "rb/typo.md:11:1: warning: unknown field 'servce': did you mean 'service'\?" \
	"run: FILE:LINE:COL and the closest field"
# raw events come back grouped by file in batches (store_raw.c): the output is the same
# whatever the batch size, in time order, every event once
S="$top_srcdir/samples/incident"
"$TG" query -q -f ndjson 'event exists' "$S" >"$TMP/nd.big"
TRAILGUIDE_RAW_BATCH=7 "$TG" query -q -f ndjson 'event exists' "$S" >"$TMP/nd.small"
cmp -s "$TMP/nd.big" "$TMP/nd.small"
ok $? "ndjson: batches of 7 events give the same bytes as one batch"
is "$(wc -l <"$TMP/nd.big")" 24000 "ndjson: every event once"
is "$(jq -r .eventTime "$TMP/nd.big" | sort -c 2>&1 && echo sorted)" sorted "ndjson: in time order"
TRAILGUIDE_RAW_BATCH=5 "$TG" query -q -f json 'principal ~ "*mallory*"' "$S" >"$TMP/j.small"
"$TG" query -q -f json 'principal ~ "*mallory*"' "$S" >"$TMP/j.big"
cmp -s "$TMP/j.big" "$TMP/j.small" && jq -e 'length > 0' "$TMP/j.big" >/dev/null
ok $? "json: batched raw events, the same array"
# the formatting workers (store_raw_format) print the same bytes as the per-event printer
# did before them (md5 of its output on the sample, whose dev-mallory events carry ESC, BEL,
# C1 and bidi bytes, and on tests/screens/accented), whatever the batch size, to a pipe or
# a file
A="$top_srcdir/tests/screens/accented"
md() { md5sum | cut -c1-32; }
is "$("$TG" query -q -f ndjson 'event exists' "$S" | md)" 40c61ac4dd1ccade9f04c75ee5c5faf7 "ndjson: the same bytes as before (sample)"
is "$("$TG" query -q -f json 'event exists' "$S" | md)" b5a6e47b1cfa9fc1745198e579f9ba61 "json: the same bytes as before (sample)"
is "$("$TG" query -q -f ndjson 'event exists' "$A" | md)" bee4ade8b57f7d1e1c480dc6b0d521ab "ndjson: the same bytes as before (accented)"
is "$("$TG" query -q -f json 'event exists' "$A" | md)" bb3a8cbb6e60df350b731d53062dc551 "json: the same bytes as before (accented)"
TRAILGUIDE_RAW_BATCH=3 TRAILGUIDE_FMT_BATCH_BYTES=4000 "$TG" query -q -f ndjson 'event exists' "$S" >"$TMP/nd.tiny"
is "$(md <"$TMP/nd.tiny")" 40c61ac4dd1ccade9f04c75ee5c5faf7 "ndjson: batches of 4000 bytes, written to a file"
is "$("$TG" query -q -f json 'event = NoSuchEvent' "$S")" "[]" "json: no events, an empty array"
done_testing

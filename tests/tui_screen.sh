#!/usr/bin/env bash
# tui_screen.sh — tig-style headless screen tests of the console: each tests/screens/NAME.keys
# script drives `trailguide --screen-test` over the bundled sample with a runbook, and its
# dumps are compared with NAME.screen. Accept new screens with TG_ACCEPT=1 (review the diff).
. "${top_srcdir:-.}/tests/lib.sh"
export NO_COLOR=
# remote sources in screens fail fast and offline: nothing listens on port 9
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
	AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_EC2_METADATA_DISABLED=true \
	NO_PROXY=127.0.0.1 no_proxy=127.0.0.1
# Every console session is journaled into a case, new ones named by today's date
# (YYYY-MM-DD-RUNBOOK) on the status line: the date is masked so screens never depend on it.
# (also a date cut short by the screen's edge: "case 2026-12-0")
norm_case_date() {
	perl -pi -e 's/(case )([0-9]{4}-[0-9-]{0,6})/$1 . ($2 =~ tr#0-9#N#r)/ge' "$1"
}
for keys in "$top_srcdir"/tests/screens/*.keys; do
	name=$(basename "$keys" .keys)
	want="${keys%.keys}.screen"
	got="$TMP/$name.screen"
	# a private HOME each: NAME.userkeys is its user keymap, NAME.pre runs first (history)
	export HOME="$TMP/h-$name" XDG_CONFIG_HOME="$TMP/h-$name/.config" XDG_STATE_HOME="$TMP/h-$name/.local/state" \
		XDG_DATA_HOME="$TMP/h-$name/.local/share"
	mkdir -p "$XDG_CONFIG_HOME/trailguide"
	[ -f "${keys%.keys}.userkeys" ] && cp "${keys%.keys}.userkeys" "$XDG_CONFIG_HOME/trailguide/keys"
	[ -f "${keys%.keys}.pre" ] &&
		"$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --screen-test "${keys%.keys}.pre" --size 80x24 >/dev/null
	# NAME.args replaces `-r anomaly/root-activity` (empty: no runbook, the picker);
	# @SAMPLE@ is the bundled sample, @SRCDIR@ the source tree
	args="-r anomaly/root-activity"
	[ -f "${keys%.keys}.args" ] && args=$(cat "${keys%.keys}.args")
	args=${args//@SAMPLE@/$TRAILGUIDE_SAMPLE}
	args=${args//@SRCDIR@/$top_srcdir}
	# shellcheck disable=SC2086
	"$TG" --runbooks "$top_srcdir/runbooks" $args --screen-test "$keys" --size 80x24 >"$got" 2>"$TMP/err"
	rc=$?
	norm_case_date "$got"
	is "$rc" 0 "screen $name: exit status"
	[ -s "$TMP/err" ] && sed 's/^/#   /' "$TMP/err"
	if [ "${TG_ACCEPT:-0}" = 1 ]; then
		cp "$got" "$want"
	fi
	if [ -f "$want" ] && diff -u "$want" "$got" >"$TMP/diff"; then
		ok 0 "screen $name"
	else
		ok 1 "screen $name"
		head -n 40 "$TMP/diff" 2>/dev/null | sed 's/^/#   /'
	fi
	# no control byte but the newline ever reaches the screen
	if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$got"; then
		ok 1 "screen $name: no raw control bytes"
	else
		ok 0 "screen $name: no raw control bytes"
	fi
done
# the hostile event's bytes show as escapes
h=$(cat "$TMP/hostile.screen")
like "$h" '"userAgent": "\\e\]0;pwned\\x07\\e\[2J' "hostile: ESC and BEL escaped in userAgent"
like "$h" '\\u\{009b\}' "hostile: C1 CSI escaped"
like "$h" '\\u\{202e\}' "hostile: bidi override escaped"
like "$h" '"userName": "admin\\e\]0;pwned' "hostile: requestParameters.userName escaped"
if LC_ALL=C grep -q "$(printf '\302\233\|\342\200\256')" "$TMP/hostile.screen"; then
	ok 1 "hostile: no raw C1 or bidi character"
else
	ok 0 "hostile: no raw C1 or bidi character"
fi
# back restores the cursor: the 6th row of all events is selected again
last=$(awk '/^--- screen/{n++} n==4' "$TMP/pivot_back.screen" | grep -c 'Events 6 of 16751')
is "$last" 1 "back: the cursor is restored to event 6"
# every action is journaled into the case: step, pivot, back, mark, note, respond
cat >"$TMP/case.keys" <<'KEYS'
cmd step-run
cmd pivot ip
cmd back
cmd mark suspicious root sign-in from an unknown address
cmd note looked at the root sign-in
cmd respond 1
cmd marks
dump
KEYS
"$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --case "$TMP/case" --screen-test "$TMP/case.keys" --size 80x24 \
	>"$TMP/case.screen" 2>&1
is "$?" 0 "case: the script ran"
like "$(cat "$TMP/case.screen")" 'suspicious +b9e8a9c6' "case: the marks view lists the mark"
j=$("$TG" journal show "$TMP/case" 2>&1 | awk '{print $4}' | tr '\n' ' ')
# (view: the event under the cursor, journaled when a non-movement command follows)
is "$j" "open source step view pivot back view mark note respond close " "case: the actions, in order"
"$TG" journal verify "$TMP/case" >/dev/null 2>&1
is "$?" 0 "case: the journal verifies"
# resume: run steps, pivot, move, mark, quit; reopening the case restores the step states,
# the pivoted view and the event the cursor was on
cat >"$TMP/r1.keys" <<'KEYS'
cmd step-run
cmd step-next
cmd step-run
cmd step-prev
cmd step-run
cmd pivot ip
key j
cmd mark suspicious root from an unknown address
cmd quit
KEYS
printf 'dump\n' >"$TMP/r2.keys"
"$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --case "$TMP/rcase" --screen-test "$TMP/r1.keys" --size 80x24 \
	>/dev/null 2>&1
is "$?" 0 "resume: the first session ran"
r=$("$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --case "$TMP/rcase" --screen-test "$TMP/r2.keys" \
	--size 80x24 2>&1)
like "$r" 'Events 2 of 18 · ip = "203.0.113.99"' "resume: the pivoted view, cursor on the viewed event"
like "$r" '! 2 Failed root sign-ins' "resume: the step state"
like "$r" 'resumed case rcase: 2 steps run, 1 mark, 0 notes' "resume: the summary"
j=$("$TG" journal show "$TMP/rcase" 2>&1 | awk '{print $4}' | tr '\n' ' ')
is "$j" "open source step step step view pivot view mark close open source close " \
	"resume: the first session's actions, then the second's"
# the window: each change is one journal entry with the window, its bounds and the count
printf 'cmd window 2026-11-15..2026-11-16\ncmd window-widen\ncmd window all\ncmd quit\n' >"$TMP/w.keys"
"$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --case "$TMP/wcase" --screen-test "$TMP/w.keys" \
	--size 80x24 >/dev/null 2>&1
is "$?" 0 "window: the script ran"
j=$("$TG" journal show "$TMP/wcase" 2>&1 | awk '$4 == "window"' | sed 's/.*  window  //; s/ runbook=.*//')
is "$j" 'command="window 2026-11-15..2026-11-16" window=2026-11-15..2026-11-16 since=2026-11-15T00:00:00Z until=2026-11-16T00:00:00Z query="" count=907
command=window-widen window="2026-11-10 00:00..2026-11-19 23:59" since=2026-11-10T00:00:01Z until=2026-11-19T23:59:19Z query="" count=16751
command="window all" window="all time" since=null until=null query="" count=16751' "window: journaled with its bounds"
"$TG" journal verify "$TMP/wcase" >/dev/null 2>&1
is "$?" 0 "window: the journal verifies"
# every console session is journaled: with no --case, a new case under the data home
export XDG_DATA_HOME="$TMP/h-auto/.local/share"
printf 'cmd step-run\ncmd quit\n' >"$TMP/auto.keys"
"$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --screen-test "$TMP/auto.keys" \
	--size 80x24 >"$TMP/auto.screen" 2>&1
is "$?" 0 "no --case: the session ran"
auto=$(ls -d "$XDG_DATA_HOME"/trailguide/cases/*-anomaly-root-activity 2>/dev/null | head -n 1)
[ -n "$auto" ] && [ -f "$auto/journal.jsonl" ]
ok $? "no --case: a new case named DATE-RUNBOOK was made"
j=$("$TG" journal show "$auto" 2>&1 | awk '{print $4}' | tr '\n' ' ')
is "$j" "open source step view close " "no --case: the session's actions are in it"
# the picker's choice is journaled, and reopening the case without -r walks that runbook
# again: its step states, the last view and the window chosen with :window
cat >"$TMP/p1.keys" <<'KEYS'
type root-activity
key <Enter>
cmd step-run
cmd step-next
cmd step-run
cmd window all
cmd quit
KEYS
"$TG" --runbooks "$top_srcdir/runbooks" --case "$TMP/pcase" --screen-test "$TMP/p1.keys" \
	--size 80x24 >/dev/null 2>&1
is "$?" 0 "picker case: the first session ran"
j=$("$TG" journal show "$TMP/pcase" 2>&1 | awk '{print $4}' | tr '\n' ' ')
is "$j" "open source runbook step step view window view close " "picker case: the runbook entry follows the load"
printf 'dump\n' >"$TMP/p2.keys"
r=$("$TG" --runbooks "$top_srcdir/runbooks" --case "$TMP/pcase" --screen-test "$TMP/p2.keys" \
	--size 80x24 2>&1)
like "$r" 'Runbook: Root user activi' "picker case reopened without -r: its runbook"
like "$r" 'resumed case pcase: 2 steps run' "picker case reopened: the step states"
like "$r" 'all time' "picker case reopened: the window set with :window"
# no terminal: the console refuses with a message instead of drawing into a pipe
out=$("$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity </dev/null 2>&1 >/dev/null)
like "$out" 'needs a terminal' "no terminal: a clear message"
# LC_ALL=C (not UTF-8): every non-ASCII byte of an event is an escape (\u{e9}, \xff), in
# the panes and the bars; tests/screens/ascii_locale.ckeys over the sample plus tests/screens/accented (outside tests/fixtures,
# which tests/golden/mixed-inputs reads recursively)
got="$TMP/ascii_locale.cscreen"
LC_ALL=C "$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --now latest \
	"$top_srcdir/samples/incident" "$top_srcdir/tests/screens/accented" \
	--screen-test "$top_srcdir/tests/screens/ascii_locale.ckeys" --size 80x24 >"$got" 2>"$TMP/err"
is "$?" 0 "screen ascii_locale: exit status"
norm_case_date "$got"
[ "${TG_ACCEPT:-0}" = 1 ] && cp "$got" "$top_srcdir/tests/screens/ascii_locale.cscreen"
diff -u "$top_srcdir/tests/screens/ascii_locale.cscreen" "$got" >"$TMP/diff"
ok $? "screen ascii_locale"
head -n 40 "$TMP/diff" | sed 's/^/#   /'
if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177-\377]')" "$got"; then
	ok 1 "ascii_locale: only printable ASCII reaches the screen"
else
	ok 0 "ascii_locale: only printable ASCII reaches the screen"
fi
like "$(cat "$got")" '"userAgent": "Mozilla/5.0 \(Caf\\u\{e9\}; Z\\u\{fc\}rich\)' "ascii_locale: accented userAgent escaped"
like "$(cat "$got")" '"userAgent": "\\e\]0;pwned\\x07' "ascii_locale: hostile userAgent escaped"
# :export and :export! (tests/screens/export.xkeys, run in a directory of its own so the
# file names on the screen are relative): the files hold what `query` prints, and each
# export is a journal entry with the SHA-256 of the bytes written
mkdir -p "$TMP/exp"
(cd "$TMP/exp" && "$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --case "$TMP/ecase" \
	--screen-test "$top_srcdir/tests/screens/export.xkeys" --size 80x24 >"$TMP/export.xscreen" 2>"$TMP/err")
is "$?" 0 "export: the script ran"
[ "${TG_ACCEPT:-0}" = 1 ] && cp "$TMP/export.xscreen" "$top_srcdir/tests/screens/export.xscreen"
diff -u "$top_srcdir/tests/screens/export.xscreen" "$TMP/export.xscreen" >"$TMP/diff"
ok $? "screen export"
head -n 40 "$TMP/diff" | sed 's/^/#   /'
"$TG" query -q -f ndjson 'event = GetUser and principal ~ "*mallory"' "$TRAILGUIDE_SAMPLE" >"$TMP/hostile.want"
cmp -s "$TMP/hostile.want" "$TMP/exp/hostile.ndjson"
ok $? "export: the same bytes as query -f ndjson (ESC, C1 and bidi escaped)"
is "$(head -c 1 "$TMP/exp/root.json")$(head -c 5 "$TMP/exp/root.csv")" "[time," "export: .json is an array, .csv is CSV"
is "$(stat -c %a "$TMP/exp/hostile.ndjson")" 600 "export: mode 0600"
ln -s "$TMP/exp/hostile.ndjson" "$TMP/exp/link.ndjson"
printf 'cmd export! link.ndjson\ndump\n' >"$TMP/link.keys"
r=$(cd "$TMP/exp" && "$TG" --runbooks "$top_srcdir/runbooks" -r anomaly/root-activity --case "$TMP/ecase" \
	--screen-test "$TMP/link.keys" --size 80x24 2>&1)
like "$r" 'export: link.ndjson: a symbolic link; not followed' "export!: a symbolic link is refused"
cmp -s "$TMP/hostile.want" "$TMP/exp/hostile.ndjson"
ok $? "export!: the link's target is untouched"
j=$(jq -r 'select(.action == "export") | .details | "\(.file | sub(".*/"; "")) \(.format) \(.count) \(.bytes) \(.overwrite)"' \
	"$TMP/ecase/journal.jsonl" 2>&1)
is "$j" "root.ndjson ndjson 1 249 false
root.ndjson ndjson 1 249 true
root.json json 1 253 false
root.csv csv 1 227 false
hostile.ndjson ndjson 2 2170 false" "export: journaled (file, format, count, bytes, overwrite)"
want=""
for f in root.ndjson root.ndjson root.json root.csv hostile.ndjson; do
	want="$want$(sha256sum "$TMP/exp/$f" | cut -c1-64) "
done
is "$(jq -r 'select(.action == "export") | .details.sha256' "$TMP/ecase/journal.jsonl" | tr '\n' ' ')" "$want" \
	"export: the journal holds each file's SHA-256"
is "$(jq -r 'select(.action == "export") | .details.query' "$TMP/ecase/journal.jsonl" | tail -n 1)" \
	'event = GetUser and principal ~ "*mallory"' "export: and the view's query"
"$TG" journal verify "$TMP/ecase" >/dev/null 2>&1
is "$?" 0 "export: the journal verifies"
done_testing

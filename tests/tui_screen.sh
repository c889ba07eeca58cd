#!/usr/bin/env bash
# tui_screen.sh — tig-style headless screen tests of the console: each tests/screens/NAME.keys
# script drives `trailguide --screen-test` over the bundled sample with a runbook, and its
# dumps are compared with NAME.screen. Accept new screens with TG_ACCEPT=1 (review the diff).
. "${top_srcdir:-.}/tests/lib.sh"
export NO_COLOR=
for keys in "$top_srcdir"/tests/screens/*.keys; do
	name=$(basename "$keys" .keys)
	want="${keys%.keys}.screen"
	got="$TMP/$name.screen"
	"$TG" -r anomaly/root-activity --screen-test "$keys" --size 80x24 >"$got" 2>"$TMP/err"
	rc=$?
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
"$TG" -r anomaly/root-activity --case "$TMP/case" --screen-test "$TMP/case.keys" --size 80x24 \
	>"$TMP/case.screen" 2>&1
is "$?" 0 "case: the script ran"
like "$(cat "$TMP/case.screen")" 'suspicious +b9e8a9c6' "case: the marks view lists the mark"
j=$("$TG" journal show "$TMP/case" 2>&1 | awk '{print $4}' | tr '\n' ' ')
is "$j" "open source step pivot back mark note respond close " "case: the actions, in order"
"$TG" journal verify "$TMP/case" >/dev/null 2>&1
is "$?" 0 "case: the journal verifies"
# no terminal: the console refuses with a message instead of drawing into a pipe
out=$("$TG" -r anomaly/root-activity </dev/null 2>&1 >/dev/null)
like "$out" 'needs a terminal' "no terminal: a clear message"
done_testing

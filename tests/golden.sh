#!/usr/bin/env bash
# golden.sh — headless CLI runs compared with checked-in output.
# Each tests/golden/NAME.cmd holds the arguments to trailguide (one shell line; $SAMPLE
# names the bundled sample); NAME.out holds the expected stdout, stderr and exit status.
# Accept new output with: TG_ACCEPT=1 tests/golden.sh (then review the diff in git).
. "${top_srcdir:-.}/tests/lib.sh"
SAMPLE="$top_srcdir/samples/incident"
FIXTURES="$top_srcdir/tests/fixtures"
export SAMPLE FIXTURES
for cmd in "$top_srcdir"/tests/golden/*.cmd; do
	name=$(basename "$cmd" .cmd)
	want="${cmd%.cmd}.out"
	got="$TMP/$name.out"
	args=$(cat "$cmd")
	(
		eval "set -- $args"
		"$TG" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
		echo $? >"$TMP/rc"
	)
	{
		cat "$TMP/stdout"
		echo "--- stderr"
		sed -e "s#$top_srcdir/##g" "$TMP/stderr"
		echo "--- exit $(cat "$TMP/rc")"
	} >"$got"
	if [ "${TG_ACCEPT:-0}" = 1 ]; then
		cp "$got" "$want"
	fi
	if [ -f "$want" ] && diff -u "$want" "$got" >"$TMP/diff"; then
		ok 0 "golden $name"
	else
		ok 1 "golden $name"
		head -n 40 "$TMP/diff" | sed 's/^/#   /'
	fi
done
done_testing

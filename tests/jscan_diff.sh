#!/usr/bin/env bash
# jscan_diff.sh — the record scanner agrees with cJSON on every record of every dataset
# we have: the bundled sample, and ../shared/data when present.
. "${top_srcdir:-.}/tests/lib.sh"
D="$top_builddir/tests/jscan_diff"
out=$("$D" "$top_srcdir/samples/incident" 2>&1)
ok $? "sample incident: scanner and cJSON agree"
echo "$out" | tail -n 1 | sed 's/^/# /'
S=${SHARED_DATA:-$top_srcdir/../shared/data}
if [ -d "$S/datasets" ]; then
	out=$("$D" "$S/datasets" "$S/panther" 2>&1)
	ok $? "shared datasets and panther events: scanner and cJSON agree"
	echo "$out" | tail -n 1 | sed 's/^/# /'
	like "$out" " 0 mismatches" "no mismatches reported"
else
	skip "shared data not found at $S"
fi
done_testing

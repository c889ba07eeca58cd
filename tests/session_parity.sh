#!/usr/bin/env bash
# session_parity.sh — one runbook, the same answers everywhere. For every step of every
# runbook in runbooks/, over the bundled sample, the journaled result (row count and the
# SHA-256 of the sorted event IDs or row keys) must be the same from:
#   trailguide run RB                       (headless)
#   trailguide -r RB                        (console, each step run by a screen-test script)
#   trailguide, picking RB in the picker    (console, no -r)
#   trailguide query STEP --since --until   (each step's query over the run's window)
# Each writes a case journal; the step/query entries are compared.
. "${top_srcdir:-.}/tests/lib.sh"
heavy_test
command -v jq >/dev/null || skip_all "jq is not installed"
RB="$top_srcdir/runbooks"
cd "$TMP" || exit 1
# "title|count|sha" for each step entry of a journal, in order
steps_of() {
	jq -r 'select(.action == "step") | "\(.details.step)|\(.details.count)|\(.details.result_sha256)"' \
		"$1/journal.jsonl"
}
ids=$("$TG" runbooks --runbooks "$RB" 2>/dev/null | awk 'NR > 1 { print $1 }')
[ -n "$ids" ] || { ok 1 "runbooks listed"; done_testing; exit 1; }
n=0
for id in $ids; do
	n=$((n + 1))
	"$TG" run "$id" --runbooks "$RB" --case "$TMP/run$n" -q >/dev/null 2>"$TMP/err"
	rc=$?
	[ "$rc" -le 1 ] || { ok 1 "$id: run exit $rc"; sed 's/^/#   /' "$TMP/err"; continue; }
	want=$(steps_of "$TMP/run$n")
	nsteps=$(printf '%s\n' "$want" | grep -c .)
	# the console: -r, then the picker, each step run in turn
	: >"$TMP/keys$n"
	for ((i = 0; i < nsteps; i++)); do
		printf 'cmd step-run\ncmd step-next\n' >>"$TMP/keys$n"
	done
	"$TG" --runbooks "$RB" -r "$id" --case "$TMP/con$n" --screen-test "$TMP/keys$n" \
		--size 100x30 >/dev/null 2>"$TMP/err"
	is "$(steps_of "$TMP/con$n")" "$want" "$id: console -r gives run's $nsteps step results"
	# (the picker's Enter runs step 1 itself: the script goes on from step 2)
	{ printf 'type %s\nkey <Enter>\ncmd step-next\n' "$id"; tail -n +3 "$TMP/keys$n"; } >"$TMP/pick$n.keys"
	"$TG" --runbooks "$RB" --case "$TMP/pick$n" --screen-test "$TMP/pick$n.keys" \
		--size 100x30 >/dev/null 2>"$TMP/err"
	picked=$(jq -r 'select(.action == "runbook") | .runbook.id' "$TMP/pick$n/journal.jsonl")
	is "$picked" "$id" "$id: the picker's choice is journaled"
	is "$(steps_of "$TMP/pick$n")" "$want" "$id: console picker gives run's step results"
	# each step's query over the run's window, with query
	got=""
	while IFS=$'\t' read -r title q64 since until; do
		q=$(printf '%s' "$q64" | base64 -d)
		win=()
		[ "$since" != null ] && win+=(--since "$since")
		[ "$until" != null ] && win+=(--until "$until")
		"$TG" query "$q" --runbooks "$RB" "${win[@]}" \
			--case "$TMP/q$n" -q >/dev/null 2>"$TMP/err"
		line=$(jq -r 'select(.action == "query") | "\(.details.count)|\(.details.result_sha256)"' \
			"$TMP/q$n/journal.jsonl" | tail -n 1)
		got+="$title|$line"$'\n'
	done < <(jq -r 'select(.action == "step") |
		[.details.step, (.details.query | @base64), .details.window.since, .details.window.until] | @tsv' \
		"$TMP/run$n/journal.jsonl")
	is "$(printf '%s' "$got")" "$want" "$id: query over the same window gives run's step results"
done
ok "$([ "$n" -ge 20 ] && echo 0 || echo 1)" "every runbook compared ($n)"
done_testing

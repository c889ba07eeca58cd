#!/usr/bin/env bash
# bigfile_cli.sh — a big plain file read in chunks by all the workers (ingest_big.c) loads
# exactly as when read whole: the same events in the same order, the same duplicates
# dropped, the same warnings (file, byte offset, record and line numbers), the same
# summary; and its events read back by range (store_range.c) give the same output,
# extracted columns and stats. TRAILGUIDE_BIG_FILE=1 makes every file big and
# TRAILGUIDE_BIG_CHUNK small chunks, so the files here are small.
. "${top_srcdir:-.}/tests/lib.sh"
D="$TMP/big"
mkdir -p "$D"
gen() { python3 "$top_srcdir/tests/bigfile_gen.py" "$@"; }

# load FILE OUT [ENV]...: query output, warnings, summary (timing lines apart)
load() {
	local f=$1 out=$2
	shift 2
	env "$@" "$TG" query -j 3 -f ndjson --timing '' "$f" >"$out.out" 2>"$out.err"
	echo "rc=$?" >>"$out.out"
	grep -v '^timing' "$out.err" >"$out.warn"
	grep '^timing: .* read in' "$out.err" >"$out.chunks" || true
	for q in '| stats count() by requestParameters.policy' '| stats count() by resources[].ARN' \
		'eventName = "ListUsers" | stats count() by sourceIPAddress, pad'; do
		env "$@" "$TG" query -q -j 3 -f ndjson "$q" "$f" 2>&1
	done >"$out.stats"
}

same() { # same FILE DESC: whole vs chunked at three chunk sizes
	local f=$1 desc=$2 c
	load "$f" "$TMP/whole" TRAILGUIDE_BIG_FILE=1G
	is "$(cat "$TMP/whole.chunks")" "" "$desc: read whole with TRAILGUIDE_BIG_FILE=1G"
	for c in 1000 4096 65536; do
		load "$f" "$TMP/chunk" TRAILGUIDE_BIG_FILE=1 TRAILGUIDE_BIG_CHUNK=$c
		like "$(cat "$TMP/chunk.chunks")" "1 big file read in [0-9]+ chunks" "$desc, $c-byte chunks: read in chunks"
		cmp -s "$TMP/whole.out" "$TMP/chunk.out"
		ok $? "$desc, $c-byte chunks: same events, same order ($(wc -l <"$TMP/whole.out") lines)"
		diff "$TMP/whole.warn" "$TMP/chunk.warn" >"$TMP/d" 
		ok $? "$desc, $c-byte chunks: same warnings and summary" || sed 's/^/#   /' "$TMP/d" | head -20
		cmp -s "$TMP/whole.stats" "$TMP/chunk.stats"
		ok $? "$desc, $c-byte chunks: same extracted columns and stats"
	done
}

for fmt in ndjson records array; do
	gen $fmt 1500 1 >"$D/$fmt.json"
	same "$D/$fmt.json" "$fmt"
	gen $fmt 1500 2 damage utf8 pretty >"$D/$fmt-damaged.json"
	same "$D/$fmt-damaged.json" "$fmt, damaged"
	gen $fmt 1500 3 damage trunc crlf utf8 pretty >"$D/$fmt-truncated.json"
	same "$D/$fmt-truncated.json" "$fmt, damaged, CRLF, ending mid-record"
done

# The cuts are guesses: a clean walk that does not land on one walks that chunk again.
like "$(cat "$TMP/chunk.chunks")" "serial walks" "the timing line counts the serial walks"

# A gzip file is never cut (it is inflated whole), nor an unknown one.
gen ndjson 300 4 | gzip -c >"$D/small.json.gz"
load "$D/small.json.gz" "$TMP/gz" TRAILGUIDE_BIG_FILE=1 TRAILGUIDE_BIG_CHUNK=1000
is "$(cat "$TMP/gz.chunks")" "" "a gzip file is read whole"
like "$(tail -n 1 "$TMP/gz.warn")" "matching events" "and loads"

# One big file still uses every worker: chunks, not files, are the work items.
gen ndjson 400 6 >"$D/one.json"
TRAILGUIDE_BIG_FILE=1 TRAILGUIDE_BIG_CHUNK=2000 "$TG" query -q -j 4 --timing '' "$D/one.json" >/dev/null 2>"$TMP/one.err"
like "$(grep 'read in' "$TMP/one.err")" "1 big file read in [0-9]{2,} chunks" "one file, many chunks"

# A journalled load hashes a chunked file as a whole (one more work item).
"$TG" query -q --case "$TMP/case" '| stats count()' "$D/records-damaged.json" >/dev/null 2>&1
TRAILGUIDE_BIG_FILE=1 TRAILGUIDE_BIG_CHUNK=1000 "$TG" query -q --timing --case "$TMP/case" '| stats count()' "$D/records-damaged.json" >/dev/null 2>"$TMP/case.err"
like "$(cat "$TMP/case.err")" "1 big file read in" "a journalled load reads in chunks"
want=$(sha256sum "$D/records-damaged.json" | cut -c1-64)
is "$(grep -o "\"sha256\":\"$want\"" "$TMP/case/journal.jsonl" | wc -l | tr -d ' ')" "2" "and journals the file's SHA-256, as a whole load does"

done_testing

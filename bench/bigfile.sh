#!/usr/bin/env bash
# bench/bigfile.sh [EVENTS] — one big file, as an Athena or Lake result is cached: EVENTS
# (default 1,000,000) generated events printed by trailguide as one NDJSON file (about
# 1.5 GB) and wrapped as one Records file; each loaded (count by eventName, then every
# event printed back as NDJSON) read whole by one worker (TRAILGUIDE_BIG_FILE=1T, as
# before chunking) and in chunks by every worker (the default), beside jq on the same
# file. Prints wall, CPU (user+sys) and peak RSS from /usr/bin/time. Printing every event
# from the file read whole takes minutes (each batch of printed events read the whole file
# again): WHOLE_OUTPUT=1 runs it. A benchmark, not a test: it prints figures and never
# fails on them.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=${BENCH_DIR:-bench/out}
DATA="$OUT/ct-$N"
BIG="$OUT/big-$N"
TG=./trailguide
export TRAILGUIDE_CACHE=0 # the load cache (a second load reads columns back) would hide the load
[ -x "$TG" ] && [ -x ./tg-gen ] || { echo "build first: ./quickstart open (or make)" >&2; exit 2; }
mkdir -p "$OUT" "$BIG"
if [ ! -d "$DATA/AWSLogs" ]; then
	echo "generating $N events into $DATA ..."
	./tg-gen --out "$DATA" --events "$N" --level "${LEVEL:-6}"
fi
if [ ! -s "$BIG/events.ndjson" ]; then
	TRAILGUIDE_BIG_FILE=1T $TG query -q -f ndjson '' "$DATA" >"$BIG/events.ndjson.tmp"
	mv "$BIG/events.ndjson.tmp" "$BIG/events.ndjson"
fi
if [ ! -s "$BIG/records.json" ]; then
	{ printf '{"Records":['; sed '$!s/$/,/' "$BIG/events.ndjson" | tr -d '\n'; printf ']}\n'; } >"$BIG/records.json.tmp"
	mv "$BIG/records.json.tmp" "$BIG/records.json"
fi
cat "$BIG/events.ndjson" "$BIG/records.json" >/dev/null # warm the page cache
echo "data: $(wc -l <"$BIG/events.ndjson") events; events.ndjson $(($(stat -c %s "$BIG/events.ndjson") / 1000000)) MB, records.json $(($(stat -c %s "$BIG/records.json") / 1000000)) MB; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

t() { # t LABEL COMMAND... -> "LABEL  wall s  cpu s  peak MB  result"
	local label=$1 res
	shift
	/usr/bin/time -o "$OUT/.time" -f "%e %U %S %M" "$@" >"$OUT/.res" 2>/dev/null || true
	res=$(tail -n 1 "$OUT/.res" | tr -d '\r')
	tail -n 1 "$OUT/.time" | awk -v l="$label" -v r="$res" \
		'{ printf "%-52s %7s s %7.2f s %7d MB   %s\n", l, $1, $2 + $3, $4 / 1024, r }'
}

printf '%-52s %9s %9s %10s   %s\n' "what" "wall" "cpu" "peak RSS" "result"
for f in events.ndjson records.json; do
	for mode in whole chunks; do
		env=(env); [ $mode = whole ] && env=(env TRAILGUIDE_BIG_FILE=1T)
		t "trailguide $f, $mode: count by eventName" sh -c "${env[*]} $TG query -q -f csv '| stats count() by event' '$BIG/$f' | tail -n +2 | wc -l"
		# read whole, every batch of 64k printed events re-reads the whole file (minutes)
		[ $mode = whole ] && [ "${WHOLE_OUTPUT:-0}" != 1 ] && continue
		t "trailguide $f, $mode: every event as NDJSON" sh -c "${env[*]} $TG query -q -f ndjson '' '$BIG/$f' | wc -l"
	done
done
if command -v jq >/dev/null && [ "${SKIP_JQ:-0}" != 1 ]; then
	t "jq events.ndjson: count by eventName" sh -c "jq -n 'reduce inputs as \$r ({}; .[\$r.eventName] += 1) | length' '$BIG/events.ndjson'"
	t "jq events.ndjson: every event, compact" sh -c "jq -c . '$BIG/events.ndjson' | wc -l"
	t "jq records.json: count by eventName" sh -c "jq 'reduce .Records[] as \$r ({}; .[\$r.eventName] += 1) | length' '$BIG/records.json'"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# bench/run.sh [EVENTS] — generate EVENTS (default 1,000,000) CloudTrail events in the S3
# layout and time trailguide, jq and (when it installs) DuckDB on the same files:
#   1. load + count eventName == CreateUser
#   2. load + group-by count of eventName
#   3. every event printed as NDJSON (raw events read back, grouped by file and formatted
#      by the workers: store_raw_format), beside the load alone and jq's NDJSON
# plus trailguide's in-process figures (filter and stats over the loaded store) and peak
# RSS. This is a benchmark, not a test: it prints figures and never fails on them.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=${BENCH_DIR:-bench/out}
DATA="$OUT/ct-$N"
TG=./trailguide
[ -x "$TG" ] && [ -x ./tg-gen ] || { echo "build first: ./quickstart open (or make)" >&2; exit 2; }
mkdir -p "$OUT"
if [ ! -d "$DATA/AWSLogs" ]; then
	echo "generating $N events into $DATA ..."
	/usr/bin/time -f "  generated in %e s" ./tg-gen --out "$DATA" --events "$N" --level "${LEVEL:-6}"
fi
files=$(find -L "$DATA" -name '*.json.gz' -path '*/CloudTrail/*' | wc -l)
gz=$(du -sbL "$DATA" | cut -f1)
echo "data: $N events, $files files, $((gz / 1000000)) MB gz, $(nproc) cores"
# Warm the page cache so every tool reads from memory.
cat $(find -L "$DATA" -name '*.json.gz') >/dev/null

show() { # show LABEL RESULT (from $OUT/.time) -> "LABEL  wall s  CPU s  peak MB  RESULT"; CPU in $cpu
	local w m u s
	read -r w m u s <"$OUT/.time"
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	printf '%-44s %8s s %8s s %8s MB   %s\n' "$1" "$w" "$cpu" "$((m / 1024))" "$2"
}
t() { # t LABEL COMMAND...
	local label=$1
	shift
	/usr/bin/time -o "$OUT/.time" -f "%e %M %U %S" "$@" >"$OUT/.res" 2>/dev/null || true
	show "$label" "$(tail -n 1 "$OUT/.res" | tr -d '\r')"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-44s %10s %10s %11s   %s\n' "what" "wall" "CPU" "peak RSS" "result"
t "trailguide: count CreateUser" $TG query -q -f csv 'event = CreateUser | stats count()' "$DATA"
t "trailguide: count by eventName (groups)" sh -c "$TG query -q -f csv '| stats count() by event' '$DATA' | tail -n +2 | wc -l"
# the load alone (a query that matches nothing, as a table), then the load plus every event
# printed as NDJSON into a pipe (only trailguide is timed, not its reader), and into a file
# (the kernel's page-cache writes add system time that any tool writing 1.5 GB pays)
t "trailguide: load only (nothing printed)" sh -c "$TG query -q -f table 'event = NoSuchEvent' '$DATA' >/dev/null"
load_cpu=$cpu
lines=$(/usr/bin/time -o "$OUT/.time" -f "%e %M %U %S" $TG query -q -f ndjson 'event exists' "$DATA" 2>/dev/null | wc -l)
show "trailguide: every event as NDJSON (lines)" "$lines"
echo "  NDJSON (load + output) / load alone, CPU: $(awk -v a="$cpu" -v b="$load_cpu" 'BEGIN { printf "%.2fx", a / b }')"
t "trailguide: every event as NDJSON, to a file" sh -c "$TG query -q -f ndjson 'event exists' '$DATA' >'$OUT/.ndjson'"
echo "  NDJSON to a file / load alone, CPU: $(awk -v a="$cpu" -v b="$load_cpu" 'BEGIN { printf "%.2fx", a / b }')"
rm -f "$OUT/.ndjson"
if command -v jq >/dev/null && [ "${SKIP_JQ:-0}" != 1 ]; then
	t "jq: every event as NDJSON (lines)" sh -c "find -L '$DATA' -name '*.json.gz' -path '*/CloudTrail/*' -print0 | xargs -0 zcat | jq -c '.Records[]' | wc -l"
	t "jq: count CreateUser" sh -c "find -L '$DATA' -name '*.json.gz' -path '*/CloudTrail/*' -print0 | xargs -0 zcat | jq -n '[inputs.Records[] | select(.eventName == \"CreateUser\")] | length'"
	t "jq: count by eventName (groups)" sh -c "find -L '$DATA' -name '*.json.gz' -path '*/CloudTrail/*' -print0 | xargs -0 zcat | jq -n 'reduce (inputs.Records[]) as \$r ({}; .[\$r.eventName] += 1) | length'"
fi
if [ -f bench/duckdb.cjs ] && command -v node >/dev/null && [ "${SKIP_DUCKDB:-0}" != 1 ]; then
	if [ ! -d "$OUT/node/node_modules/@duckdb/node-api" ]; then
		(mkdir -p "$OUT/node" && cd "$OUT/node" && npm install --silent @duckdb/node-api >/dev/null 2>&1) || true
	fi
	if [ -d "$OUT/node/node_modules/@duckdb/node-api" ]; then
		t "duckdb read_json (schema): count CreateUser" env NODE_PATH="$OUT/node/node_modules" node bench/duckdb.cjs "$DATA" count
		t "duckdb read_json (schema): count by eventName" env NODE_PATH="$OUT/node/node_modules" node bench/duckdb.cjs "$DATA" group
	else
		echo "duckdb: @duckdb/node-api did not install; skipped"
	fi
fi
echo "(jq reads every delivery, so it counts the 10 duplicate deliveries that trailguide and"
echo " the ground truth drop; DuckDB's figures are the same queries with a declared schema.)"
echo
echo "trailguide in-process figures (each line: one load, then the query over the loaded store):"
$TG query -q --timing 'event = CreateUser | stats count()' "$DATA" 2>&1 >/dev/null | sed 's/^/  /'
$TG query -q --timing '| stats count() by event' "$DATA" 2>&1 >/dev/null | sed 's/^/  /'
$TG query -q --timing 'principal ~ "*admin*" and error exists | stats count()' "$DATA" 2>&1 >/dev/null | sed 's/^/  /'

#!/usr/bin/env bash
# bench/cache.sh [EVENTS] — the load cache: generate EVENTS (default 1,000,000) events in the
# S3 layout (the same data as bench/run.sh) and time, on the same query
# (`event = CreateUser | stats count()`):
#   1. a load without the cache (--no-cache)
#   2. the first load with it (a miss: load, then write the cache file)
#   3. reopening the same files (a hit), three times
#   4. reopening into a case (--case: the files are read and SHA-256'd again on a hit)
#   5. the same load into a case without the cache
#   6. jq on the same data, for scale
# each with wall time and peak RSS, plus the cache file's size and the in-process load time
# (--timing) of a hit. The cache lives in a private directory under $OUT, emptied first.
# Use `nice -n 5` on a shared machine and say the load average beside the figures (printed).
# This is a benchmark, not a test: it prints figures and never fails on them.
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
export TRAILGUIDE_CACHE_DIR="$OUT/cache-store"
rm -rf "$TRAILGUIDE_CACHE_DIR" "$OUT"/cache-case-*
unset TRAILGUIDE_CACHE TRAILGUIDE_CACHE_MIN_EVENTS TRAILGUIDE_CACHE_MAX
files=$(find -L "$DATA" -name '*.json.gz' -path '*/CloudTrail/*' | wc -l)
gz=$(du -sbL "$DATA" | cut -f1)
echo "data: $N events, $files files, $((gz / 1000000)) MB gz, $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cat $(find -L "$DATA" -name '*.json.gz') >/dev/null # warm the page cache
Q='event = CreateUser | stats count()'

t() { # t LABEL COMMAND... -> "LABEL  wall s  peak MB  result"
	local label=$1
	shift
	local res tm
	/usr/bin/time -o "$OUT/.time" -f "%e %M" "$@" >"$OUT/.res" 2>"$OUT/.err" || true
	res=$(tail -n 1 "$OUT/.res" | tr -d '\r')
	grep -q '(cached)' "$OUT/.err" && res="$res (cached)"
	tm=$(tail -n 1 "$OUT/.time")
	printf '%-46s %8s s %8s MB   %s\n' "$label" "${tm%% *}" "$(( ${tm##* } / 1024 ))" "$res"
}

echo
printf '%-46s %10s %11s   %s\n' "what" "wall" "peak RSS" "result"
t "trailguide --no-cache: load + count CreateUser" $TG query -f csv --no-cache "$Q" "$DATA"
t "trailguide: first load (miss, writes the cache)" $TG query -f csv "$Q" "$DATA"
for i in 1 2 3; do
	t "trailguide: reopen $i (hit)" $TG query -f csv "$Q" "$DATA"
done
t "trailguide: reopen into a case (hit, rehash)" $TG query -f csv --case "$OUT/cache-case-1" "$Q" "$DATA"
t "trailguide --no-cache: into a case" $TG query -f csv --no-cache --case "$OUT/cache-case-2" "$Q" "$DATA"
if command -v jq >/dev/null && [ "${SKIP_JQ:-0}" != 1 ]; then
	t "jq: count CreateUser" sh -c "find -L '$DATA' -name '*.json.gz' -path '*/CloudTrail/*' -print0 | xargs -0 zcat | jq -n '[inputs.Records[] | select(.eventName == \"CreateUser\")] | length'"
fi
size=$(find "$TRAILGUIDE_CACHE_DIR" -name '*.tgc' -printf '%s\n' | awk '{s += $1} END {print s}')
echo
echo "cache file: $((size / 1000000)) MB for $N events ($((gz / 1000000)) MB gz on disk)"
echo "a hit, in process (--timing):"
$TG query -f csv --timing "$Q" "$DATA" 2>&1 >/dev/null | grep -i -e load -e cached | sed 's/^/  /'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# bench/load.sh [EVENTS] [RUNS] — the load alone: RUNS (default 5) loads of EVENTS (default
# 1,000,000) generated CloudTrail events (the data of bench/run.sh), each with its phases as
# `query --timing` reports them (read+scan in the workers, merge, sort), CPU time, page
# faults and the load average, then the median; beside it jq reading the same files
# (SKIP_JQ=1 leaves it out: about 40 s a run for 1M events). A benchmark, not a test: it
# prints figures and never fails on them. The machine may be shared: compare the CPU
# seconds and faults, which the load average does not inflate as much as the wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${2:-5}
OUT=${BENCH_DIR:-bench/out}
DATA="$OUT/ct-$N"
TG=${TG:-./trailguide}
export TRAILGUIDE_CACHE=0 # the load itself, not the load cache (bench/cache.sh times that)
[ -x "$TG" ] && [ -x ./tg-gen ] || { echo "build first: ./quickstart open (or make)" >&2; exit 2; }
mkdir -p "$OUT"
if [ ! -d "$DATA/AWSLogs" ]; then
	echo "generating $N events into $DATA ..."
	./tg-gen --out "$DATA" --events "$N" --level "${LEVEL:-6}" >/dev/null
fi
files=$(find -L "$DATA" -name '*.json.gz' -path '*/CloudTrail/*' | wc -l)
gz=$(du -sbL "$DATA" | cut -f1)
echo "data: $N events, $files files, $((gz / 1000000)) MB gz, $(nproc) cores, THP $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo '?')"
cat $(find -L "$DATA" -name '*.json.gz') >/dev/null # warm the page cache

printf '%-4s %7s %9s %7s %7s %7s %7s %8s   %s\n' run "load s" "read+scan" merge sort "user s" "sys s" faults "load average"
rows=()
for r in $(seq 1 "$RUNS"); do
	/usr/bin/time -o "$OUT/.ltime" -f "%U %S %R" \
		"$TG" query -q --timing 'event = CreateUser | stats count()' "$DATA" 2>"$OUT/.lerr" >/dev/null
	line=$(grep '^timing:' "$OUT/.lerr")
	load=$(sed -E 's/.*load ([0-9.]+) s.*/\1/' <<<"$line")
	rs=$(sed -E 's/.*read\+scan ([0-9.]+),.*/\1/' <<<"$line")
	mg=$(sed -E 's/.*merge ([0-9.]+),.*/\1/' <<<"$line")
	so=$(sed -E 's/.*sort ([0-9.]+);.*/\1/' <<<"$line")
	read -r us sy flt <"$OUT/.ltime"
	la=$(cut -d' ' -f1-3 /proc/loadavg)
	printf '%-4s %7s %9s %7s %7s %7s %7s %8s   %s\n' "$r" "$load" "$rs" "$mg" "$so" "$us" "$sy" "$flt" "$la"
	rows+=("$load $rs $mg $so $us $sy $flt")
done
printf '%s\n' "${rows[@]}" | awk '{ for (i = 1; i <= NF; i++) v[i, NR] = $i } END {
	n = NR; printf "%-4s", "med"
	for (i = 1; i <= 7; i++) {
		for (a = 1; a <= n; a++) x[a] = v[i, a]
		for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (x[b] + 0 < x[a] + 0) { t = x[a]; x[a] = x[b]; x[b] = t }
		m = n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
		w = i == 1 ? 8 : i == 2 ? 10 : i == 7 ? 9 : 8
		printf "%*s", w, m
	}
	printf "\n" }'
if command -v jq >/dev/null && [ "${SKIP_JQ:-0}" != 1 ]; then
	/usr/bin/time -o "$OUT/.ltime" -f "%e %U %S" sh -c \
		"find -L '$DATA' -name '*.json.gz' -path '*/CloudTrail/*' -print0 | xargs -0 zcat | jq -c '.Records[]' | wc -l" >"$OUT/.lres"
	read -r e u s <"$OUT/.ltime"
	echo "jq (zcat | jq -c '.Records[]', $(tr -d ' ' <"$OUT/.lres") events): $e s wall, $u s user, $s s sys; load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi

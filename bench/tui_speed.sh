#!/usr/bin/env bash
# bench/tui_speed.sh [EVENTS] — the console's key-to-frame latency over EVENTS (default
# 1,000,000) generated events: scripted keys through `trailguide --screen-test`, whose `time`
# line measures inside the process from the key to the drawn frame (tui_exec + draw).
# Target: 16 ms per key (one frame at 60 Hz). A benchmark, not a test: it never fails on the
# figures. Reuses bench/run.sh's data (BENCH_DIR, default bench/out).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=${BENCH_DIR:-bench/out}
DATA="$OUT/ct-$N"
TG=./trailguide
[ -x "$TG" ] && [ -x ./tg-gen ] || { echo "build first: make" >&2; exit 2; }
mkdir -p "$OUT"
if [ ! -d "$DATA/AWSLogs" ]; then
	echo "generating $N events into $DATA ..."
	./tg-gen --out "$DATA" --events "$N" --level "${LEVEL:-6}"
fi
rb="$OUT/tui_speed.md"
cat >"$rb" <<'RB'
---
id: bench/tui-speed
title: Console speed
version: 1
severity: low
window: 3650d
owner: bench
tags: bench
---

Benchmark runbook.

## A column filter

```query findings
event = AssumeRole and region = us-east-1
```

Bench step.
RB
keys="$OUT/tui_speed.keys"
cat >"$keys" <<'KEYS'
dump
time key j
time key j
time key k
time key <C-d>
time key <PageDown>
time key <PageUp>
time cmd move bottom
time cmd move top
time cmd pivot principal
time cmd back
time cmd pivot ip
time cmd back
time cmd step-run
time key j
time cmd pivot event
time cmd back
time cmd zoom in
time cmd fold all
time cmd search amazonaws
time cmd sort event
time cmd query event exists
time cmd sort event
time cmd sort time desc
KEYS
echo "data: $DATA ($N events); loading ..."
start=$(date +%s.%N)
$TG -r "$rb" --screen-test "$keys" --size 160x50 "$DATA" \
	>"$OUT/tui_speed.out"
end=$(date +%s.%N)
printf 'loaded and ran in %.1f s; %s\n' "$(echo "$end - $start" | bc)" \
	"$(grep -o 'Events [0-9]* of [0-9]*' "$OUT/tui_speed.out" | head -n 1)"
printf '%-34s %10s   %s\n' "key" "key→frame" "target 16 ms"
grep '^time ' "$OUT/tui_speed.out" | while read -r _ rest; do
	ms=${rest##* ms}
	line=${rest% ms}
	ms=${line##* }
	what=${line% *}
	ok=$(awk -v m="$ms" 'BEGIN { print (m <= 16 ? "ok" : "SLOW") }')
	printf '%-34s %7s ms   %s\n' "$(echo "$what" | sed 's/ *$//')" "$ms" "$ok"
done

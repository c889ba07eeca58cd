#!/usr/bin/env bash
# soak.sh — the long journal checks, not run by make check: 5000 SIGKILLs of a writer
# (a fresh case every 500), then every byte of the tamper sample changed to all 255 other
# values. Run from a build tree: bash tests/soak.sh [KILLS]
set -euo pipefail
top_builddir=${top_builddir:-.}
kills=${1:-5000}
for p in tests/crash_harness tests/journal_tamper; do
	[ -x "$top_builddir/$p" ] || make -C "$top_builddir" -s "$p"
done
echo "== crash harness: $kills kills"
"$top_builddir/tests/crash_harness" "$kills" 500
echo "== tamper: every byte, every value"
"$top_builddir/tests/journal_tamper" --all

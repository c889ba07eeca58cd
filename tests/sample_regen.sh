#!/bin/sh
# sample_regen.sh - TAP: the bundled sample incident regenerates byte for byte.
#
# Runs $top_builddir/tg-gen with the documented arguments into a temporary directory and
# compares the result with $top_srcdir/samples/incident, samples/README.md and samples/truth.tsv
# (the machine-readable ground truth tests/runbooks.sh reads). Also checks
# that the output does not depend on how many worker processes share the work.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
gen="$top_builddir/tg-gen"
sample="$top_srcdir/samples/incident"
truth="$top_srcdir/samples/README.md"
truth_tsv="$top_srcdir/samples/truth.tsv"

echo "1..7"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-regen.XXXXXX") || { echo "Bail out! mktemp failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ -x "$gen" ] && "$gen" --out "$tmp/incident" --truth "$tmp/README.md" --truth-tsv "$tmp/truth.tsv" 2>"$tmp/gen.log"; then
    echo "ok 1 - tg-gen regenerates the sample"
else
    echo "not ok 1 - tg-gen regenerates the sample ($gen)"
    sed 's/^/# /' "$tmp/gen.log" 2>/dev/null
fi

if [ -d "$sample" ] && diff -r "$sample" "$tmp/incident" >"$tmp/diff.log" 2>&1; then
    echo "ok 2 - samples/incident is byte-identical to a fresh run"
else
    echo "not ok 2 - samples/incident is byte-identical to a fresh run"
    head -n 20 "$tmp/diff.log" | sed 's/^/# /'
fi

if [ -f "$truth" ] && cmp -s "$truth" "$tmp/README.md"; then
    echo "ok 3 - samples/README.md (ground truth) is identical to a fresh run"
else
    echo "not ok 3 - samples/README.md (ground truth) is identical to a fresh run"
    diff "$truth" "$tmp/README.md" 2>&1 | head -n 20 | sed 's/^/# /'
fi

if "$gen" --out "$tmp/serial" --jobs 1 2>/dev/null && diff -r "$tmp/incident" "$tmp/serial" >/dev/null 2>&1; then
    echo "ok 4 - output does not depend on --jobs"
else
    echo "not ok 4 - output does not depend on --jobs"
fi

n=$(find "$tmp/incident" -path '*/CloudTrail/*' -name '*.json.gz' | wc -l)
d=$(find "$tmp/incident" -path '*/CloudTrail-Digest/*' -name '*.json.gz' | wc -l)
if [ "$n" -gt 100 ] && [ "$d" -gt 0 ]; then
    echo "ok 5 - $n log files and $d digest files"
else
    echo "not ok 5 - $n log files and $d digest files"
fi

if [ -f "$truth_tsv" ] && cmp -s "$truth_tsv" "$tmp/truth.tsv"; then
    echo "ok 6 - samples/truth.tsv (ground truth for scripts) is identical to a fresh run"
else
    echo "not ok 6 - samples/truth.tsv (ground truth for scripts) is identical to a fresh run"
    diff "$truth_tsv" "$tmp/truth.tsv" 2>&1 | head -n 20 | sed 's/^/# /'
fi

# the TSV and the Markdown agree: every eventID of one is in the other
tsv_ids=$(grep -v '^#' "$tmp/truth.tsv" | cut -f3 | sort)
md_ids=$(grep -Eo '^\| `[0-9a-f-]{36}`' "$tmp/README.md" | tr -d '|` ' | sort)
if [ -n "$tsv_ids" ] && [ "$tsv_ids" = "$md_ids" ]; then
    echo "ok 7 - truth.tsv and README.md list the same $(printf '%s\n' "$tsv_ids" | wc -l) planted event IDs"
else
    echo "not ok 7 - truth.tsv and README.md list the same planted event IDs"
fi

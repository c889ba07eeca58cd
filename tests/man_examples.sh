#!/usr/bin/env bash
# man_examples.sh — every example marked in the man pages parses and lints.
# Examples sit between comment lines in the man source:
#   .\" example-begin runbook            (trailguide-runbook(5): a whole runbook)
#   .\" example-begin list NAME          (a lists/NAME file)
#   .\" example-begin query              (trailguide-query(7): one query)
#   .EX ... .EE
#   .\" example-end
. "${top_srcdir:-.}/tests/lib.sh"
EX="$TMP/ex"
mkdir -p "$EX/lists"

# extract MANPAGE: write each example to $EX/KIND-N (lists to $EX/lists/NAME)
extract() {
	awk -v dir="$EX" -v page="$(basename "$1")" '
	/^\.\\" example-begin / { kind = $3; name = $4; n++; inex = 0; next }
	/^\.\\" example-end/ { kind = ""; next }
	kind != "" && /^\.EX/ { inex = 1; out = (kind == "list") ? dir "/lists/" name : dir "/" page "-" kind "-" n; printf "" > out; next }
	kind != "" && /^\.EE/ { inex = 0; close(out); next }
	kind != "" && inex {
		l = $0
		gsub(/\\-/, "-", l); gsub(/\\\(aq/, "\047", l); gsub(/\\\(dq/, "\"", l)
		gsub(/\\\(ga/, "`", l); gsub(/\\&/, "", l); gsub(/\\e/, "\\", l)
		print l > out
	}' "$1"
}
extract "$top_srcdir/man/trailguide-runbook.5"
[ -f "$top_srcdir/man/trailguide-query.7" ] && extract "$top_srcdir/man/trailguide-query.7"

n_rb=$(ls "$EX" | grep -c -- '-runbook-' || true)
n_q=$(ls "$EX" | grep -c -- '-query-' || true)
n_l=$(ls "$EX/lists" | wc -l)
[ "$n_rb" -ge 2 ]
ok $? "found $n_rb runbook examples in trailguide-runbook(5)"
[ "$n_l" -ge 1 ]
ok $? "found $n_l list examples"
if grep -q 'example-begin query' "$top_srcdir/man/trailguide-query.7" 2>/dev/null; then
	[ "$n_q" -ge 1 ]
	ok $? "found $n_q query examples in trailguide-query(7)"
else
	skip "trailguide-query(7) has no marked examples yet"
fi

# queries become one-step runbooks; any @list they name gets a stand-in entry
for f in "$EX"/*-query-*; do
	[ -f "$f" ] || continue
	for l in $(grep -o '@[A-Za-z0-9_.-]*' "$f" | sed 's/^@//' | sort -u); do
		[ -f "$EX/lists/$l" ] || echo "stand-in | owner=test | reason=man example" >"$EX/lists/$l"
	done
	{
		printf -- '---\nid: man/%s\ntitle: example\nversion: 1\nseverity: info\n---\n## Example\n```query\n' "$(basename "$f")"
		cat "$f"
		printf '```\n'
	} >"$f.md"
	rm "$f"
done
for f in "$EX"/*-runbook-*; do mv "$f" "$f.md"; done

for f in "$EX"/*.md; do
	out=$("$TG" lint -q --now 2026-11-20 "$f" 2>&1)
	rc=$?
	is "$rc" 0 "lint $(basename "$f" .md)"
	[ "$rc" -eq 0 ] || { printf '%s\n' "$out" | sed 's/^/#   /'; sed 's/^/#   | /' "$f"; }
done
out=$("$TG" lint -q --now 2026-11-20 "$EX" 2>&1)
is "$?" 0 "all man examples together (unique ids, lists valid)"
[ $? -eq 0 ] || printf '%s\n' "$out" | sed 's/^/#   /'
done_testing

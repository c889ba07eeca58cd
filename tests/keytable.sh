#!/usr/bin/env bash
# keytable.sh — the KEYS tables of man/trailguide.1 and man/trailguide-keys.5 are what
# tools/keytable makes from the command table and keymaps/default.keys.
# TG_ACCEPT=1 rewrites the man pages in place instead of failing.
. "${top_srcdir:-.}/tests/lib.sh"
KT="$top_builddir/tools/keytable"
[ -x "$KT" ] || { echo "1..0 # SKIP tools/keytable not built"; exit 0; }
for page in man/trailguide.1 man/trailguide-keys.5; do
	src="$top_srcdir/$page"
	"$KT" "$src" >"$TMP/page" 2>"$TMP/err"
	ok $? "$page: keytable ran $(cat "$TMP/err")"
	if [ "${TG_ACCEPT:-}" = 1 ] && ! cmp -s "$TMP/page" "$src"; then
		cp "$TMP/page" "$src"
		echo "# rewrote $page"
	fi
	diff -u "$src" "$TMP/page" >"$TMP/diff"
	rc=$?
	ok $rc "$page: KEYS table matches the command table and default keymap"
	[ $rc -eq 0 ] || { head -n 30 "$TMP/diff" | sed 's/^/#   /'; echo "#   (TG_ACCEPT=1 $0 to accept)"; }
	n=$(grep -c '^\.TP' "$TMP/page")
	[ "$n" -gt 40 ]
	ok $? "$page: the table has entries ($n)"
done
if command -v groff >/dev/null 2>&1; then
	w=$(groff -man -Tutf8 -ww -z "$top_srcdir/man/trailguide-keys.5" 2>&1)
	is "$w" "" "trailguide-keys.5 renders without groff warnings"
fi
done_testing

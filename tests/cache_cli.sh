#!/usr/bin/env bash
# cache_cli.sh — the load cache from the command line: output byte for byte the same with
# and without it (query in three formats, run, a case's source entry), a touched file
# invalidates it, --no-cache and TRAILGUIDE_CACHE=0 bypass it, a small load writes nothing
# by default, the directory and files are private, a planted symlink, a damaged file and an
# open directory are refused with a note.
. "${top_srcdir:-.}/tests/lib.sh"
cd "$TMP" || exit 1
unset TRAILGUIDE_CACHE TRAILGUIDE_CACHE_DIR TRAILGUIDE_CACHE_MAX TRAILGUIDE_CACHE_MIN_EVENTS
export XDG_CACHE_HOME="$HOME/.cache"
CD="$HOME/.cache/trailguide/store"
"$top_builddir/tg-gen" --out data --events 4000 --days 14 >/dev/null
ok $? "generated 4,000 events"
ncache() { find "$CD" -name '*.tgc' 2>/dev/null | wc -l | tr -d ' '; }

# by default a load this small is not cached: the rest of the suite writes nothing
"$TG" query -f csv '| stats count()' data >/dev/null 2>err
is "$(ncache)" 0 "a load under 50,000 events writes no cache file"

export TRAILGUIDE_CACHE_MIN_EVENTS=1
Q1='| stats count() by event, principal | sort count desc'
Q2='event = CreateUser or error exists'
for fmt in table csv ndjson; do
	q=$Q1
	[ "$fmt" = ndjson ] && q=$Q2
	TRAILGUIDE_CACHE=0 "$TG" query -f "$fmt" --now 2026-11-20 "$q" data >want.$fmt 2>want.err
	"$TG" query -f "$fmt" --now 2026-11-20 "$q" data >got1.$fmt 2>got1.err
	"$TG" query -f "$fmt" --now 2026-11-20 "$q" data >got2.$fmt 2>got2.err
	[ -s want.$fmt ] && cmp -s want.$fmt got1.$fmt && cmp -s want.$fmt got2.$fmt
	ok $? "query -f $fmt: the same bytes without the cache, writing it and reading it"
	like "$(head -n 1 got2.err)" '\(cached\)$' "query -f $fmt: the second load says (cached)"
	is "$(sed 's/ (cached)$//' got2.err)" "$(cat want.err)" "query -f $fmt: stderr the same but for (cached)"
done
[ "$(wc -l <want.ndjson)" -gt 5 ]
ok $? "(the ndjson query printed raw events)"
is "$(ncache)" 1 "one cache file for one set of files"
is "$(stat -c %a "$CD")" 700 "the cache directory is 0700"
is "$(stat -c %a "$(find "$CD" -name '*.tgc')")" 600 "the cache file is 0600"

# a window served by the same cache file, and the same answer
TRAILGUIDE_CACHE=0 "$TG" query -f csv --since 2026-11-18 --until 2026-11-19 "$Q1" data >w.want 2>/dev/null
"$TG" query -f csv --since 2026-11-18 --until 2026-11-19 "$Q1" data >w.got1 2>/dev/null
"$TG" query -f csv --since 2026-11-18 --until 2026-11-19 "$Q1" data >w.got2 2>w.err
[ -s w.want ] && cmp -s w.want w.got1 && cmp -s w.want w.got2
ok $? "a --since/--until window: the same bytes"
like "$(cat w.err)" '\(cached\)' "the window's second load is cached"

# a touched file invalidates
f=$(find data -name '*.json.gz' -path '*/CloudTrail/*' | sort | sed -n 5p)
touch -d '2026-01-01 00:00:01' "$f"
"$TG" query -f csv "$Q1" data >t.got 2>t.err
TRAILGUIDE_CACHE=0 "$TG" query -f csv "$Q1" data >t.want 2>/dev/null
[ -s t.want ] && cmp -s t.got t.want
ok $? "after touching a file: the same bytes"
if grep -q '(cached)' t.err; then ok 1 "a touched file is a miss"; else ok 0 "a touched file is a miss"; fi

# --no-cache and TRAILGUIDE_CACHE=0: neither read nor written
rm -rf "$CD"
"$TG" query --no-cache -f csv "$Q1" data >n.got 2>n.err
cmp -s n.got t.want
ok $? "--no-cache: the same bytes"
is "$(ncache)" 0 "--no-cache writes nothing"
TRAILGUIDE_CACHE=0 "$TG" query -f csv "$Q1" data >/dev/null 2>&1
is "$(ncache)" 0 "TRAILGUIDE_CACHE=0 writes nothing"
"$TG" query -f csv "$Q1" data >/dev/null 2>&1
"$TG" query --no-cache -f csv "$Q1" data >/dev/null 2>n.err
if grep -q '(cached)' n.err; then ok 1 "--no-cache does not read it"; else ok 0 "--no-cache does not read it"; fi
TRAILGUIDE_CACHE=0 "$TG" query -f csv "$Q1" data >/dev/null 2>n.err
if grep -q '(cached)' n.err; then ok 1 "TRAILGUIDE_CACHE=0 does not read it"; else ok 0 "TRAILGUIDE_CACHE=0 does not read it"; fi
"$TG" query --help | grep -q -- '--no-cache'
ok $? "query --help documents --no-cache"
"$TG" run --help | grep -q -- '--no-cache'
ok $? "run --help documents --no-cache"

# run: the same report from the cache
RB=(--runbooks "$top_srcdir/runbooks")
TRAILGUIDE_CACHE=0 "$TG" run -f md "${RB[@]}" --now 2026-11-20 provisioning/new-iam-users data >r.want 2>/dev/null
"$TG" run -f md "${RB[@]}" --now 2026-11-20 provisioning/new-iam-users data >r.got1 2>/dev/null
"$TG" run -f md "${RB[@]}" --now 2026-11-20 provisioning/new-iam-users data >r.got2 2>r.err
[ -s r.want ] && cmp -s r.want r.got1 && cmp -s r.want r.got2
ok $? "run -f md: the same report"
like "$(cat r.err)" '\(cached\)' "run: the second load is cached"

# a case records the same source entry (the files are hashed again on a hit)
src_entry() { grep '"action":"source"' "$1/journal.jsonl" | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.readline())["details"], sort_keys=True))'; }
TRAILGUIDE_CACHE=0 "$TG" query -q --case case0 "$Q2" data >/dev/null 2>&1
"$TG" query --case case1 "$Q2" data >/dev/null 2>c1.err
like "$(cat c1.err)" '\(cached\)' "query --case: a hit"
is "$(src_entry case1)" "$(src_entry case0)" "the case's source entry is the same, SHA-256 and all"

# a damaged cache file: a one-line note, and the right answer
for cf in "$CD"/*.tgc; do truncate -s 5000 "$cf"; done
"$TG" query -f csv "$Q1" data >d.got 2>d.err
cmp -s d.got t.want
ok $? "a truncated cache file: the same bytes"
like "$(cat d.err)" "cache .*: .*; ignored, loading the sources" "said in one line"
is "$(grep -c 'cache ' d.err)" 1 "one line"

# a symlink planted as the cache file is not followed
rm -f "$CD"/*.tgc
"$TG" query -f csv "$Q1" data >/dev/null 2>&1 # writes it again
cf=$(find "$CD" -name '*.tgc' | head -n 1)
mv "$cf" planted
ln -s "$TMP/planted" "$cf"
sum_before=$(cksum <planted)
"$TG" query -f csv "$Q1" data >s.got 2>s.err
cmp -s s.got t.want
ok $? "a symlink as the cache file: the same bytes"
like "$(cat s.err)" "a symbolic link; ignored" "the symlink is refused, said"
is "$(cksum <planted)" "$sum_before" "its target is not written"
[ -f "$cf" ] && [ ! -L "$cf" ]
ok $? "a real cache file took its place"

# a cache directory open to others is not used
chmod 777 "$CD"
"$TG" query -f csv "$Q1" data >o.got 2>o.err
cmp -s o.got t.want
ok $? "an open cache directory: the same bytes"
like "$(cat o.err)" "is not private" "the open directory is refused, said"
if grep -q '(cached)' o.err; then ok 1 "and not read"; else ok 0 "and not read"; fi
chmod 700 "$CD"

# TRAILGUIDE_CACHE_DIR, and TRAILGUIDE_CACHE_MAX evicts
export TRAILGUIDE_CACHE_DIR="$TMP/tc"
"$TG" query -f csv "$Q1" data >/dev/null 2>&1
is "$(find "$TMP/tc" -name '*.tgc' | wc -l | tr -d ' ')" 1 "TRAILGUIDE_CACHE_DIR names the directory"
full=$(find "$TMP/tc" -name '*.tgc')
"$TG" query -f csv --since 2026-11-19 "$Q1" data >/dev/null 2>&1 # another set of files
is "$(find "$TMP/tc" -name '*.tgc' | wc -l | tr -d ' ')" 2 "two sets of files, two cache files"
two=$(cat "$TMP"/tc/*.tgc | wc -c)
TRAILGUIDE_CACHE_MAX=$((two - 1)) "$TG" query -f csv --since 2026-11-18T12:00Z "$Q1" data >/dev/null 2>&1
left=$(cat "$TMP"/tc/*.tgc | wc -c)
[ "$left" -le $((two - 1)) ] && [ ! -e "$full" ]
ok $? "TRAILGUIDE_CACHE_MAX: the least recently used are evicted ($left <= $((two - 1)) bytes)"
done_testing

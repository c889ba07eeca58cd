#!/bin/bash
# sql_golden.sh — every bundled runbook compiled to Athena and Lake SQL equals the
# reviewed copy in tests/sql/ID.{athena,lake}.sql (TG_ACCEPT=1 rewrites them).
. "${top_srcdir:-.}/tests/lib.sh"

rbdir="$top_srcdir/runbooks"
gold="$top_srcdir/tests/sql"
ids=$(cd "$rbdir" && find . -name '*.md' ! -name README.md ! -path './lists/*' | sed 's|^\./||; s|\.md$||' | sort)
[ -n "$ids" ] || skip_all "no runbooks in $rbdir"
n=0
for id in $ids; do
	f=$id; mkdir -p "$gold/$(dirname "$id")" 2>/dev/null || true
	for d in athena lake; do
		if [ $d = athena ]; then t=db.cloudtrail_logs; else t=EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE; fi
		"$TG" sql "$id" --dialect $d --table $t --since 2026-11-01 --until 2026-11-15 \
			--now 2026-11-15 --runbooks "$rbdir" >"$TMP/out.sql" 2>"$TMP/err"
		ok $? "$id: $d compiles"
		is "$(cat "$TMP/err")" "" "$id: $d: nothing on stderr"
		if [ -n "${TG_ACCEPT:-}" ]; then
			cp "$TMP/out.sql" "$gold/$f.$d.sql"
		fi
		if [ -f "$gold/$f.$d.sql" ]; then
			diff -u "$gold/$f.$d.sql" "$TMP/out.sql" >"$TMP/diff"
			ok $? "$id: $d equals tests/sql/$f.$d.sql" || cat "$TMP/diff" | head -40
		else
			ok 1 "$id: tests/sql/$f.$d.sql exists (TG_ACCEPT=1 writes it)"
		fi
		n=$((n + 1))
	done
done
echo "# compared $n statements files (runbooks x dialects)"

# the organization trail's table: account/region/date partitions from the query
for part in account,region,timestamp timestamp; do
	g="$gold/partition-${part//,/-}.athena.sql"
	"$TG" sql 'account in (111122223333, 444455556666) and region = eu-west-1 and event = ConsoleLogin' \
		--dialect athena --table db.cloudtrail_org --partition "$part" --since 2026-11-01 \
		--until 2026-11-15 --now 2026-11-15 >"$TMP/out.sql"
	[ -n "${TG_ACCEPT:-}" ] && cp "$TMP/out.sql" "$g"
	diff -u "$g" "$TMP/out.sql" >"$TMP/diff"
	ok $? "--partition $part equals tests/sql/$(basename "$g")" || head -20 "$TMP/diff"
done

# a query with an injection attempt stays one quoted literal
out=$("$TG" sql "principal = \"x' OR 1=1 --\"" --dialect athena)
like "$out" "= 'x'' OR 1=1 --'" "a quote in a value is doubled"
out=$("$TG" sql "principal = \"a\\nb\" and event = X" --dialect lake)
like "$out" "finished locally: filter 'principal = a\?b'" "a value with a line break is left to the local run"
is "$(printf '%s\n' "$out" | grep -c '^-- \|^SELECT\|^FROM\|^WHERE')" "$(printf '%s\n' "$out" | wc -l)" \
	"every line is a comment or a clause (no comment broken out of)"
"$TG" sql 'event = X' >/dev/null 2>&1
is $? 2 "--dialect is required"
"$TG" sql 'event = (' --dialect athena >/dev/null 2>"$TMP/err"
is $? 2 "a bad query exits 2"
like "$(cat "$TMP/err")" "bad query" "and says so"
"$TG" sql 'event = X' --dialect lake --table 'x; DROP' >/dev/null 2>&1
is $? 2 "a Lake table with other characters is refused"
out=$("$TG" sql 'event = X' --dialect athena --table 'my-db.t')
like "$out" 'FROM "my-db".t' "Athena table parts are quoted when needed"
out=$("$TG" sql 'event = X' --dialect athena --since 2026-11-01 --partition none)
ok $([ -z "$(printf '%s' "$out" | grep timestamp)" ]; echo $?) "--partition none: no partition condition"
like "$out" "WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventname = 'X'" "only the eventtime bound"
"$TG" sql anomaly/no-such-runbook --dialect athena --runbooks "$rbdir" >/dev/null 2>"$TMP/err"
is $? 2 "an unknown runbook id exits 2"
like "$(cat "$TMP/err")" "no runbook 'anomaly/no-such-runbook'" "and says so"
"$TG" sql "$rbdir/anomaly/root-activity.md" --dialect lake >"$TMP/f.sql"
"$TG" sql "$rbdir/anomaly/root-activity.md" --dialect lake | grep -c '^-- step' >"$TMP/n"
is "$(cat "$TMP/n")" "$(grep -c '^-- step' "$gold/anomaly/root-activity.lake.sql")" "a runbook given as a .md path"
"$TG" sql --help | grep -q -- '--dialect'
ok $? "--help"
done_testing

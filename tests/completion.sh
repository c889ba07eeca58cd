#!/usr/bin/env bash
# completion.sh — completion/trailguide.bash: subcommands, each command's options (and
# that they are exactly the long options its --help lists: drift fails here), option
# values, runbook ids from `trailguide runbooks`; completion/_trailguide parsed by zsh
# when zsh is installed.
. "${top_srcdir:-.}/tests/lib.sh"
BASHC="$top_srcdir/completion/trailguide.bash"
ZSHC="$top_srcdir/completion/_trailguide"
RB="$top_srcdir/runbooks"
[ -f "$BASHC" ] || skip_all "completion/trailguide.bash missing"

comp() { # WORDS... (the last one is being completed): the candidates, one per line
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_trailguide trailguide "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort
	' comp "$BASHC" "$@"
}
words() { tr '\n' ' ' | sed 's/ $//'; }

bash -n "$BASHC"
ok $? "trailguide.bash parses"
is "$(comp "$TG" "" | words)" "case help journal lint query report run runbooks sigma sql whoami" \
	"the subcommands"
is "$(comp "$TG" q | words)" "query" "a subcommand from its start"
like "$(comp "$TG" query --st | words)" "^--strict$" "query's options"
like "$(comp "$TG" query --format "" | words)" "^csv json ndjson table$" "--format's values"
is "$(comp "$TG" report --format "" | words)" "json md" "report's formats"
is "$(comp "$TG" sql --dialect "" | words)" "athena lake" "--dialect's values"
like "$(comp "$TG" sql --partition a | words)" "account,region,timestamp" "--partition's values"
is "$(comp "$TG" case "" | words)" "list mark note" "case's actions"
is "$(comp "$TG" journal "" | words)" "show verify" "journal's actions"
like "$(comp "$TG" --run | words)" "--runbook --runbooks" "the console's options"
ids=$(comp "$TG" run --runbooks "$RB" anomaly/cl | words)
is "$ids" "anomaly/cloudtrail-tampering" "run: runbook ids from \`trailguide runbooks\`"
n=$(comp "$TG" run --runbooks "$RB" "" | grep -c /)
is "$n" "$("$TG" runbooks --runbooks "$RB" 2>/dev/null | tail -n +2 | wc -l)" "every runbook id ($n)"
is "$(comp "$TG" --runbooks "$RB" -r anomaly/cl | words)" "anomaly/cloudtrail-tampering" "the console's -r: runbook ids"
like "$(comp "$TG" query 'event = X' s3 | words)" "s3://" "sources: the remote schemes"
mkdir -p "$TMP/logs dir"
like "$(cd "$TMP" && comp "$TG" query 'event = X' log | words)" "logs dir" "sources: files and directories"

# every command's options are its --help's long options, no more, no fewer
for c in query run runbooks lint report case journal sql sigma whoami console; do
	if [ "$c" = console ]; then h=$("$TG" --help-console 2>&1); else h=$("$TG" "$c" --help 2>&1); fi
	want=$(printf '%s\n' "$h" | grep -E '^ +(-[A-Za-z], )?--[a-z]' | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	[ "$c" = whoami ] && want=$(printf '%s\n--help\n' "$(printf '%s\n' "$h" | grep -oE -- '--[a-z][a-z-]*')" | sort -u)
	[ "$c" = console ] && want=$(printf '%s\n--help-console\n--version\n' "$want" | sort -u)
	have=$(bash -c '. "$1"; _trailguide_options "$2"' x "$BASHC" "$c" | tr -s ' \t\n' '\n' | grep . | sort -u)
	is "$(echo $have)" "$(echo $want)" "$c: the completion's options equal --help's"
done

if command -v zsh >/dev/null 2>&1; then
	zsh -n "$ZSHC"
	ok $? "_trailguide parses in zsh"
	for c in query run runbooks lint report case journal sql sigma whoami; do
		grep -q "^	$c)" "$ZSHC"
		ok $? "_trailguide handles $c"
	done
else
	skip "zsh is not installed: _trailguide is not checked"
fi
done_testing

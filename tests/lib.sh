# lib.sh — TAP helpers and a pinned environment for the shell tests.
# Source it; then call ok/is/like; finish with done_testing.
set -u
export LC_ALL=C.UTF-8 TZ=UTC TERM=xterm-256color
# Standard input pinned: whatever make or CI left there (a pipe, a file) must not change
# what trailguide says (with no SOURCE it notes a piped stdin). Tests pipe explicitly.
exec </dev/null
top_srcdir=$(cd "${top_srcdir:-.}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
TG="$top_builddir/trailguide"
export TRAILGUIDE_SAMPLE="$top_srcdir/samples/incident"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tg-test.XXXXXX")
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share" XDG_STATE_HOME="$TMP/home/.local/state"
mkdir -p "$HOME"
trap 'rm -rf "$TMP"' EXIT
_n=0
_failed=0

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION
	local rc=$1
	shift
	_n=$((_n + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $_n - $*"
	else
		echo "not ok $_n - $*"
		_failed=$((_failed + 1))
	fi
}
is() { # is GOT WANT DESCRIPTION
	local got=$1 want=$2
	shift 2
	if [ "$got" = "$want" ]; then ok 0 "$*"; else
		ok 1 "$*"
		printf '#   got:  %s\n#   want: %s\n' "$got" "$want"
	fi
}
like() { # like TEXT PATTERN DESCRIPTION (grep -E)
	local text=$1 pat=$2
	shift 2
	if printf '%s' "$text" | grep -Eq -- "$pat"; then ok 0 "$*"; else
		ok 1 "$*"
		printf '%s\n' "$text" | head -n 10 | sed 's/^/#   /'
		echo "#   wanted: /$pat/"
	fi
}
skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $*"; }
done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}

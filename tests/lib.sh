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
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share" XDG_STATE_HOME="$TMP/home/.local/state" XDG_CACHE_HOME="$TMP/home/.cache"
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
# heavy_test: called first by the slow tests (loopback AWS servers, tmux, SQLite, the shared
# datasets). With TG_SKIP_HEAVY=1 they skip, saying so: tests/run-all.sh sets it for
# `make distcheck`, whose job is the tarball (builds, installs, runs from a read-only VPATH
# source); the main suite and the ASan pass run them in full.
# TG_SKIP_TESTS="NAME ...": these test scripts (basename without .sh) skip, saying so;
# run-all.sh names the ones the ASan pass need not repeat.
case " ${TG_SKIP_TESTS:-} " in
*" $(basename "$0" .sh) "*) echo "1..0 # SKIP TG_SKIP_TESTS names $(basename "$0" .sh)"; exit 0 ;;
esac
heavy_test() {
	if [ "${TG_SKIP_HEAVY:-0}" = 1 ]; then skip_all "TG_SKIP_HEAVY=1: a slow test, run by the main suite"; fi
	return 0
}
done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}

#!/usr/bin/env bash
# run-all.sh — every test: the suite, the suite again under ASan+UBSan, short fuzz runs,
# and make distcheck. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
pass=0 fail=0
jobs=$(nproc)
# The public datasets sit beside the checkout; builds elsewhere (the ASan tree, distcheck)
# would not find them by a relative path.
if [ -z "${SHARED_DATA:-}" ] && [ -d "$top/../shared/data" ]; then
	SHARED_DATA=$(cd "$top/../shared/data" && pwd)
	export SHARED_DATA
fi

count_log() { # add the PASS/FAIL counts of an automake test-suite.log
	local log=$1 p f
	if [ ! -f "$log" ]; then
		fail=$((fail + 1))
		echo "== $2: no $log (the build failed)"
		return
	fi
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -n1)
	f=$(awk '/^# (FAIL|ERROR|XPASS):/ {s += $3} END {print s + 0}' "$log")
	pass=$((pass + ${p:-0}))
	fail=$((fail + f))
	echo "== $2: ${p:-0} passed, $f failed"
	if [ "$f" -gt 0 ]; then
		grep -E '^(FAIL|ERROR|XPASS)' "$log" | head -n 40
	fi
}
one() { # one named check: one() NAME COMMAND...
	local name=$1
	shift
	if "$@" >"/tmp/tg-check-$$.log" 2>&1; then
		pass=$((pass + 1))
		echo "== $name: ok"
	else
		fail=$((fail + 1))
		echo "== $name: FAILED"
		tail -n 30 "/tmp/tg-check-$$.log"
	fi
	rm -f "/tmp/tg-check-$$.log"
}

# 1. The suite.
make -s -j"$jobs" check >/dev/null 2>&1
count_log test-suite.log "make check"

# 2. The suite again under ASan+UBSan, from the distribution tarball (which also proves
#    the tarball holds everything the tests need). Built at -O1, the level ASan's manual
#    recommends (-O0 code makes this, the longest pass, much slower). sql_sqlite.sh is not repeated: its
#    300 runs compare compiled SQL with the local evaluator, which the ASan suite already
#    runs through sql_golden.sh, golden.sh and the unit tests; nor is stratus_coverage.sh,
#    about 1,000 runs of the runbooks over public detonation logs, whose code paths
#    runbooks.sh and session_parity.sh run under ASan. One more job than cores: many tests
#    wait on loopback servers and tmux.
rm -rf build-asan trailguide-*.tar.gz
make -s dist >/dev/null
mkdir -p build-asan
tar -xzf trailguide-*.tar.gz -C build-asan --strip-components=1
(
	cd build-asan &&
	./configure -q --enable-sanitizers CC=gcc CFLAGS="-g -O1" >/dev/null &&
	make -s -j"$jobs" >/dev/null 2>&1 &&
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		TG_SKIP_TESTS="${TG_SKIP_TESTS:-} sql_sqlite stratus_coverage" \
		make -s -j"$((jobs + 1))" check >/dev/null 2>&1
)
if [ -f build-asan/test-suite.log ]; then
	count_log build-asan/test-suite.log "make check under ASan+UBSan"
else
	fail=$((fail + 1))
	echo "== ASan+UBSan build: FAILED to build"
fi

# 3. Fuzz targets, a short run each (longer runs: tests/fuzz/run.sh NAME SECONDS). The
#    library is compiled for them once (run.sh --build-only); then the targets run $jobs at
#    a time, each for FUZZ_SECONDS of wall time, and are reported in order.
fuzzdir=$(mktemp -d "${TMPDIR:-/tmp}/tg-fuzz.XXXXXX")
if bash tests/fuzz/run.sh --build-only "$jobs" >"$fuzzdir/build.log" 2>&1; then
	fuzz_one() { # NAME
		bash tests/fuzz/run.sh "$1" "${FUZZ_SECONDS:-20}" >"$fuzzdir/$1.log" 2>&1
		echo $? >"$fuzzdir/$1.rc"
	}
	running=0
	for t in tests/fuzz/fuzz_*.c; do
		fuzz_one "$(basename "$t" .c)" &
		running=$((running + 1))
		if [ "$running" -ge "$jobs" ]; then
			wait -n
			running=$((running - 1))
		fi
	done
	wait
	for t in tests/fuzz/fuzz_*.c; do
		name=$(basename "$t" .c)
		one "fuzz $name (${FUZZ_SECONDS:-20} s)" sh -c 'cat "$1.log"; exit "$(cat "$1.rc" 2>/dev/null || echo 1)"' sh "$fuzzdir/$name"
	done
else
	fail=$((fail + 1))
	echo "== fuzz: the library did not build"
	tail -n 30 "$fuzzdir/build.log"
fi
rm -rf "$fuzzdir"

# 4. Warning-free under both compilers (the build above uses gcc without -Werror).
warnings_check() { # CC: every file, $jobs at a time; any warning fails
	local cc=$1 flags
	flags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fsyntax-only -Isrc -I. -DTG_PKGDATADIR=\"/x\"
		$(pkg-config --cflags ncursesw libcurl libcjson libdeflate zlib libcrypto yaml-0.1)"
	{ git ls-files 'src/*.c' 'src/tui/*.c' 'tools/*.c' 2>/dev/null || ls src/*.c src/tui/*.c tools/*.c; } |
		xargs -P "$jobs" -n 8 $cc $flags
}
one "gcc -Wall -Wextra: no warnings" warnings_check gcc
if command -v clang >/dev/null; then
	one "clang -Wall -Wextra: no warnings" warnings_check clang
fi

# 5. make distcheck: the tarball builds, installs, uninstalls and passes its tests from a
#    read-only VPATH source. The suite already ran twice above, so the slow tests skip here
#    (TG_SKIP_HEAVY=1: loopback AWS servers, tmux, SQLite, the shared datasets; see
#    tests/lib.sh); the rest run.
if [ "${SKIP_DISTCHECK:-0}" != 1 ]; then
	one "make distcheck (slow tests skipped: TG_SKIP_HEAVY=1)" env TG_SKIP_HEAVY=1 make -s -j"$jobs" distcheck
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

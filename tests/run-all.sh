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
#    the tarball holds everything the tests need).
rm -rf build-asan trailguide-*.tar.gz
make -s dist >/dev/null
mkdir -p build-asan
tar -xzf trailguide-*.tar.gz -C build-asan --strip-components=1
(
	cd build-asan &&
	./configure -q --enable-sanitizers --enable-debug CC=gcc >/dev/null &&
	make -s -j"$jobs" >/dev/null 2>&1 &&
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		make -s -j"$jobs" check >/dev/null 2>&1
)
if [ -f build-asan/test-suite.log ]; then
	count_log build-asan/test-suite.log "make check under ASan+UBSan"
else
	fail=$((fail + 1))
	echo "== ASan+UBSan build: FAILED to build"
fi

# 3. Fuzz targets, a short run each (longer runs: tests/fuzz/run.sh SECONDS).
for t in tests/fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	one "fuzz $name (${FUZZ_SECONDS:-20} s)" bash tests/fuzz/run.sh "$name" "${FUZZ_SECONDS:-20}"
done

# 4. Warning-free under both compilers (the build above uses gcc without -Werror).
warnings_check() {
	local cc=$1 flags
	flags="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fsyntax-only -Isrc -I. -DTG_PKGDATADIR=\"/x\"
		$(pkg-config --cflags ncursesw libcurl libcjson libdeflate zlib libcrypto yaml-0.1)"
	for f in $(git ls-files 'src/*.c' 'src/tui/*.c' 'tools/*.c' 2>/dev/null || ls src/*.c tools/*.c); do
		$cc $flags "$f" || return 1
	done
}
one "gcc -Wall -Wextra: no warnings" warnings_check gcc
if command -v clang >/dev/null; then
	one "clang -Wall -Wextra: no warnings" warnings_check clang
fi

# 5. make distcheck.
if [ "${SKIP_DISTCHECK:-0}" != 1 ]; then
	one "make distcheck" make -s distcheck
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# run.sh NAME [SECONDS] — build one libFuzzer target with ASan+UBSan and run it.
# run.sh --build-only [JOBS] — compile the library objects the targets share (build-fuzz/obj),
# JOBS at a time, and stop; run-all.sh does this once before running the targets.
# The library is compiled once into build-fuzz/obj (an object is rebuilt when its source
# or any src/*.h is newer), then each target is one small compile and a link.
# The seed corpus in tests/fuzz/corpus/NAME-without-fuzz_ is copied, never written.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build-fuzz
obj=$out/obj
mkdir -p "$obj"
# run-all.sh runs several targets at once: each writes its own temporary (a shared name
# raced: one run's mv took the file another was about to move)
printf '#define PACKAGE_VERSION "fuzz"\n' >"$out/config.h.new.$$"
cmp -s "$out/config.h.new.$$" "$out/config.h" 2>/dev/null || mv "$out/config.h.new.$$" "$out/config.h"
rm -f "$out/config.h.new.$$"
CFLAGS=(-std=c11 -D_GNU_SOURCE -g -O1 -fno-sanitize-recover=undefined -Isrc -I"$out"
	$(pkg-config --cflags libcjson libcurl yaml-0.1) -DTG_PKGDATADIR='"/nonexistent"' -include "$out/config.h")
LIBS=($(pkg-config --libs libcjson libdeflate zlib libcrypto libcurl yaml-0.1) -lpthread -lm)

# the library objects: fuzzer-no-link instrumentation, as libFuzzer wants for non-main code
build_objs() { # JOBS
	local newest_h stale=() s o
	newest_h=$(ls -t src/*.h "$out/config.h" | head -n 1)
	for s in $(ls src/*.c | grep -v -e '^src/main.c$'); do
		o=$obj/$(basename "$s" .c).o
		if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then stale+=("$s"); fi
	done
	[ ${#stale[@]} -eq 0 ] && return 0
	printf '%s\n' "${stale[@]}" | xargs -P "$1" -I{} sh -c '
		o="$0/$(basename "{}" .c).o"
		clang "$@" -fsanitize=fuzzer-no-link,address,undefined -c "{}" -o "$o.tmp" 2>"$o.log" &&
			mv "$o.tmp" "$o" || { cat "$o.log" >&2; exit 255; }' "$obj" "${CFLAGS[@]}"
}

if [ "${1:-}" = --build-only ]; then
	build_objs "${2:-$(nproc)}"
	exit 0
fi
name=$1
secs=${2:-20}
build_objs 1
clang "${CFLAGS[@]}" -fsanitize=fuzzer,address,undefined "tests/fuzz/$name.c" $(ls "$obj"/*.o) \
	-o "$out/$name" "${LIBS[@]}" 2>"$out/$name.build.log" ||
	{ cat "$out/$name.build.log"; exit 1; }
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
seed="tests/fuzz/corpus/${name#fuzz_}"
[ -d "$seed" ] && cp -r "$seed"/. "$corpus"/
"$out/$name" -artifact_prefix="$out/" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	"$corpus" 2>&1 | tail -n 15

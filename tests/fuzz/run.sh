#!/usr/bin/env bash
# run.sh NAME [SECONDS] — build one libFuzzer target with ASan+UBSan and run it.
# The seed corpus in tests/fuzz/corpus/NAME-without-fuzz_ is copied, never written.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=$1
secs=${2:-20}
out=build-fuzz
mkdir -p "$out"
printf '#define PACKAGE_VERSION "fuzz"\n' >"$out/config.h"
srcs=$(ls src/*.c | grep -v -e '^src/main.c$' -e '^src/tui' )
clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Isrc -Ibuild-fuzz \
	$(pkg-config --cflags libcjson libcurl yaml-0.1) -DTG_PKGDATADIR='"/nonexistent"' \
	-include "$out/config.h" \
	$srcs "tests/fuzz/$name.c" -o "$out/$name" \
	$(pkg-config --libs libcjson libdeflate zlib libcrypto libcurl yaml-0.1) -lpthread -lm 2>"$out/$name.build.log" ||
	{ cat "$out/$name.build.log"; exit 1; }
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
seed="tests/fuzz/corpus/${name#fuzz_}"
[ -d "$seed" ] && cp -r "$seed"/. "$corpus"/
"$out/$name" -artifact_prefix="$out/" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	"$corpus" 2>&1 | tail -n 15

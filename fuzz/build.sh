#!/usr/bin/env bash
# Build the libFuzzer targets with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer: the modules into build/fuzz/lib*.a (through
# the Makefile, so header changes rebuild what they should), each target
# into build/fuzz/fuzz-bin/NAME. See fuzz/README.md.
# Usage: bash fuzz/build.sh [target...]   (default: every fuzz/*_fuzzer.c)
# Only `make fuzz` / `make fuzz-one` call this: the normal build and
# `make test` need no clang.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=${FUZZ_CC:-clang}
OUT=${FUZZ_BUILD:-build/fuzz}
JOBS=${FUZZ_JOBS:-1}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

if ! command -v "$CC" >/dev/null; then
	echo "fuzz/build.sh: $CC not found; install clang with libFuzzer" \
		"(Debian/Ubuntu: apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi
probe=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fuzz-probe.XXXXXX")
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
	>"$probe/probe.c"
if ! "$CC" -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" 2>"$probe/log"; then
	echo "fuzz/build.sh: $CC cannot link -fsanitize=fuzzer,address,undefined:" >&2
	cat "$probe/log" >&2
	echo "(Debian/Ubuntu: apt-get install libclang-rt-14-dev)" >&2
	exit 1
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/*_fuzzer.c; do targets+=("$(basename "$f" .c)"); done
fi
bins=()
for t in "${targets[@]}"; do
	if [ ! -f "fuzz/$t.c" ]; then
		echo "fuzz/build.sh: no fuzz/$t.c" >&2
		exit 2
	fi
	bins+=("$OUT/fuzz-bin/$t")
done
# The module objects get fuzzer-no-link (coverage) only; the final link
# adds libFuzzer's main (the fuzz-bin rule passes -fsanitize=fuzzer).
make --no-print-directory -j"$JOBS" BUILD="$OUT" CC="$CC" \
	SETUP_STAMP=build/.deps-ok \
	CFLAGS="-g -O1 -fno-omit-frame-pointer $SAN -fsanitize=fuzzer-no-link" \
	LDFLAGS="$SAN" "${bins[@]}"

#!/usr/bin/env bash
# Build the libFuzzer targets in fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, into build/fuzz/ (see fuzz/README.md).
# Usage: bash fuzz/build.sh [target...]   (default: every fuzz/*_fuzzer.c)
set -euo pipefail
cd "$(dirname "$0")/.."
CC=${CC:-clang}
OUT=${OUT:-build/fuzz}
SAN=${SAN:--fsanitize=address,undefined}
FLAGS="-g -O1 -fno-omit-frame-pointer -std=c17 -D_GNU_SOURCE $SAN"
PKG_CFLAGS=$(pkg-config --cflags libxml-2.0 libpcre2-8 libidn2)
PKG_LIBS=$(pkg-config --libs libxml-2.0 libpcre2-8 libidn2)
mkdir -p "$OUT/obj"
objs=()
for src in parser/*.c config/*.c common/*.c; do
	obj="$OUT/obj/${src//\//_}.o"
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ]; then
		$CC $FLAGS -fsanitize=fuzzer-no-link $PKG_CFLAGS \
			-DVIGIL_CONFIG_DIR="\"$PWD/config\"" -DVIGIL_VERSION='"fuzz"' -c "$src" -o "$obj"
	fi
	objs+=("$obj")
done
rm -f "$OUT/libvigil-fuzz.a"
ar rcs "$OUT/libvigil-fuzz.a" "${objs[@]}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/*_fuzzer.c; do targets+=("$(basename "$f" .c)"); done
fi
for t in "${targets[@]}"; do
	$CC $FLAGS -fsanitize=fuzzer $PKG_CFLAGS "fuzz/$t.c" "$OUT/libvigil-fuzz.a" $PKG_LIBS \
		-o "$OUT/$t"
	echo "built $OUT/$t"
done

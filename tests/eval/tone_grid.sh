#!/bin/sh
# tone_grid.sh: measure the tone thresholds of parser/classify/classify_int.h
# on the development set. For every combination of the values below the
# classifier's files are recompiled with -D overrides into a scratch
# directory and linked with the eval driver; one line per combination:
#   base short_text chars_per_point  tune all holdout  (tone macro-F1 neg,sup)
# Choose on the "tune" column (tests/classify-dev/README.md, "Tone thresholds").
# Usage: tests/eval/tone_grid.sh   (after `make build/eval/classify_eval`)
set -eu
cd "$(dirname "$0")/../.."
BASES=${BASES:-"4 6 8 10 12"}           # quarter points: 1, 1.5, 2, 2.5, 3
SHORTS=${SHORTS:-"1000 2000 3000"}      # characters under which one rule may decide
PERPOINT=${PERPOINT:-"1000 2000 20000"} # characters per extra point of threshold
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
flags="-O1 -std=c17 -D_GNU_SOURCE -I/usr/include/x86_64-linux-gnu -I/usr/include/libxml2 -DVIGIL_CONFIG_DIR=\"$(pwd)/config\" -DVIGIL_VERSION=\"grid\""
libs="build/libparser.a build/libconfig.a build/libcommon.a -lcurl -lxml2 -lpcre2-8 -lzstd -lsqlite3 -lidn2 -lcrypto -lutf8proc -lm"
printf 'base short per_point   tune    all holdout\n'
for b in $BASES; do for s in $SHORTS; do for p in $PERPOINT; do
	d="-DTONE_BASE_QUARTERS=$b -DTONE_SHORT_TEXT=$s -DTONE_CHARS_PER_POINT=$p"
	# shellcheck disable=SC2086
	$CC $flags $d -o "$tmp/eval" tests/eval/classify_eval.c parser/classify/*.c $libs
	"$tmp/eval" --quiet | awk -v b="$b" -v s="$s" -v p="$p" '
		/^== / { split_name = $2 }
		/macro-F1\(neg,sup\)/ { f[split_name] = $NF }
		END { printf "%4.2f %5d %9d  %s  %s  %s\n", b / 4, s, p, f["tune:"], f["all:"], f["holdout:"] }'
done; done; done

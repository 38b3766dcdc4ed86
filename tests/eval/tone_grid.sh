#!/bin/sh
# tone_grid.sh: measure the tone thresholds of parser/classify/classify_int.h
# on the development set. For every combination of the values below the
# classifier's files are recompiled with -D overrides into a scratch
# directory and linked with the eval driver; one line per combination:
#   base short per_point floor reported  tune all holdout (tone macro-F1 neg,sup)
#   and the neutral F1 on tune (what a looser setting costs in event reports)
# (base: points a side needs; short: characters under which one rule may
# decide; per_point: characters per extra point; floor: points of the voice
# signal, a defender's words quoted; reported: 1 = the voice signal also
# from a defender's reported sentence without quotation marks).
# Choose on the "tune" column (tests/classify-dev/README.md, "Tone thresholds").
# Usage: tests/eval/tone_grid.sh   (after `make build/eval/classify_eval`)
set -eu
cd "$(dirname "$0")/../.."
BASES=${BASES:-"4 6 8 10 12"}           # quarter points: 1, 1.5, 2, 2.5, 3
SHORTS=${SHORTS:-"2000"}                # characters under which one rule may decide
PERPOINT=${PERPOINT:-"20000"}           # characters per extra point of threshold
FLOORS=${FLOORS:-"0 1 2 3"}             # points of the voice signal
REPORTED=${REPORTED:-"0 1"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CC=${CC:-cc}
# The grid binary lives outside the tree: point it at the shipped rules.
export VIGIL_CONFIG_DIR="$PWD/config"
flags="-O1 -std=c17 -D_GNU_SOURCE -I/usr/include/x86_64-linux-gnu -I/usr/include/libxml2 -DVIGIL_VERSION=\"grid\""
libs="build/libparser.a build/libconfig.a build/libcommon.a -lcurl -lxml2 -lpcre2-8 -lzstd -lsqlite3 -lidn2 -lcrypto -lutf8proc -lm"
printf 'base short per_point floor reported   tune    all holdout  tune-neutral-F1\n'
for b in $BASES; do for s in $SHORTS; do for p in $PERPOINT; do for f in $FLOORS; do for r in $REPORTED; do
	if [ "$f" = 0 ] && [ "$r" = 1 ]; then continue; fi
	d="-DTONE_BASE_QUARTERS=$b -DTONE_SHORT_TEXT=$s -DTONE_CHARS_PER_POINT=$p -DTONE_FLOOR_WEIGHT=$f -DTONE_FLOOR_REPORTED=$r"
	# shellcheck disable=SC2086
	$CC $flags $d -o "$tmp/eval" tests/eval/classify_eval.c parser/classify/*.c $libs
	"$tmp/eval" --quiet | awk -v b="$b" -v s="$s" -v p="$p" -v f="$f" -v r="$r" '
		/^== / { split_name = $2 }
		/macro-F1\(neg,sup\)/ { m[split_name] = $NF; n[split_name] = $8 }
		END { sub(",", "", n["tune:"])
		      printf "%4.2f %5d %9d %5d %8d  %s  %s  %s  %s\n", b / 4, s, p, f, r, m["tune:"], m["all:"], m["holdout:"], n["tune:"] }'
done; done; done; done; done

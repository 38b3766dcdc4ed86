#!/usr/bin/env bash
# classify_eval_test.sh [BUILD]: the classification evaluation driver
# (tests/eval/classify_eval.c) still builds, reads the development set
# (tests/classify-dev/dev.jsonl) and prints every figure. It does not apply
# the baseline gate: that is `make eval`, run separately.
set -u
. "$(dirname "$0")/lib.sh"
build=${1:-build}
eval_bin=$build/eval/classify_eval
if [ ! -x "$eval_bin" ]; then
	bad "$eval_bin missing (make $eval_bin)"
	finish
fi
out=$("$eval_bin" --quiet 2>&1)
rc=$?
check_eq "driver exit status" "$rc" 0
for what in "== all:" "== tune:" "== holdout:" "relevance P" "categories micro" "threats micro" \
	"macro-F1(neg,sup)" "region (" "negative "; do
	check_has "figure '$what'" "$out" "$what"
done
# Every passage is read: the set holds at least 150.
n=$(printf '%s\n' "$out" | sed -n 's/^classify_eval: \([0-9]*\) passages.*/\1/p')
if [ -n "$n" ] && [ "$n" -ge 150 ]; then ok; else bad "dev set read $n passages, expected >= 150"; fi
# A baseline above every figure fails, one at or below passes.
tmp_base=$(mktemp "${TMPDIR:-/tmp}/vigil-eval-base.XXXXXX")
echo "all.relevance_f1 1.5" >"$tmp_base"
"$eval_bin" --quiet --baseline "$tmp_base" >/dev/null 2>&1
check_eq "baseline above the figure fails" "$?" 1
echo "all.relevance_f1 0.0" >"$tmp_base"
"$eval_bin" --quiet --baseline "$tmp_base" >/dev/null 2>&1
check_eq "baseline below the figure passes" "$?" 0
rm -f "$tmp_base"
finish

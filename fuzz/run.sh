#!/usr/bin/env bash
# Run libFuzzer targets built by fuzz/build.sh, one after the other on one
# core. Usage: bash fuzz/run.sh SECONDS [target...] (default: every target)
#
# Corpus: build/fuzz-corpus/NAME (scratch, grows; libFuzzer writes there)
# plus fuzz/NAME.in (seeds, read only). Crashes, leaks, timeouts and OOMs go
# to build/fuzz-artifacts/NAME-*. Per target it prints runs, CPU seconds,
# new artifacts and the result, and appends
# "target<TAB>date<TAB>cpu_seconds<TAB>execs<TAB>result" to build/fuzz-log.tsv
# (sum the CPU column for fuzz/README.md). Exits 1 when a target failed.
# FUZZ_TIMEOUT (default 10) is libFuzzer's per-input limit in wall-clock
# seconds: raise it when fuzzing at low priority on a busy machine, where a
# starved process can sit for seconds inside one fast input.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [target...]}
shift
OUT=${FUZZ_BUILD:-build/fuzz}
LOG=${FUZZ_LOG:-build/fuzz-log.tsv}
artifacts=build/fuzz-artifacts
mkdir -p "$artifacts" "$(dirname "$LOG")"
[ -f "$LOG" ] || printf 'target\tdate\tcpu_seconds\texecs\tresult\n' >"$LOG"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/*_fuzzer.c; do targets+=("$(basename "$f" .c)"); done
fi
failed=0
printf '%-28s %12s %8s %8s  %s\n' target runs cpu_s crashes result
for t in "${targets[@]}"; do
	bin=$OUT/fuzz-bin/$t
	if [ ! -x "$bin" ]; then
		echo "fuzz/run.sh: $bin missing (bash fuzz/build.sh $t)" >&2
		failed=1
		continue
	fi
	corpus=build/fuzz-corpus/$t
	mkdir -p "$corpus"
	dict=()
	[ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
	seeds=()
	[ -d "fuzz/$t.in" ] && seeds=("fuzz/$t.in")
	before=$(find "$artifacts" -name "$t-*" | wc -l)
	out=$artifacts/$t.log
	TIMEFORMAT='%U %S'
	cpu=$( { time "$bin" "$corpus" "${seeds[@]}" "${dict[@]}" -max_total_time="$seconds" \
		-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$t-" >"$out" 2>&1; } 2>&1)
	rc=$?
	cpu=$(echo "$cpu" | tail -1 | awk '{ printf "%.1f", $1 + $2 }')
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out" | grep -o '[0-9]*$' | tail -1)
	execs=${execs:-0}
	crashes=$(( $(find "$artifacts" -name "$t-*" | wc -l) - before ))
	if [ "$rc" -eq 0 ]; then
		result=clean
	elif grep -q 'ERROR: libFuzzer: timeout' "$out"; then
		result=timeout
	elif grep -q 'ERROR: libFuzzer: out-of-memory' "$out"; then
		result=oom
	elif grep -q 'ERROR: LeakSanitizer' "$out"; then
		result=leak
	else
		result=crash
	fi
	[ "$result" = clean ] || failed=1
	printf '%-28s %12s %8s %8s  %s\n' "$t" "$execs" "$cpu" "$crashes" "$result"
	if [ "$result" != clean ]; then
		grep -m1 -E 'ERROR:|SUMMARY:|check failed' "$out" | sed 's/^/    /'
		echo "    log: $out; input: $(ls -t "$artifacts/$t-"* 2>/dev/null | grep -v '\.log$' | head -1)"
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$cpu" "$execs" \
		"$result" >>"$LOG"
done
exit "$failed"

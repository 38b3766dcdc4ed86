#!/usr/bin/env bash
# run.sh [BUILD]: every test of vigil (`make test`).
# Runs each BUILD/tests/test_* binary from the repo root with
# VIGIL_TEST_FIXTURES=tests/fixtures, then each BUILD/fuzz-replay/*_fuzzer
# (the fuzz targets on their saved inputs), then each tests/e2e/*_test.sh
# with BUILD. Every suite prints "N passed, N failed" as its last such line; a
# suite that crashes, times out, or exits non-zero without a count counts as
# 1 failed. Prints one line per suite, then exactly one total line
# "N passed, N failed"; exits 1 when anything failed.
# TEST_TIMEOUT (seconds, default 600) caps each suite.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
export VIGIL_TEST_FIXTURES=tests/fixtures
limit=${TEST_TIMEOUT:-600}
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/vigil-tests.XXXXXX")
trap 'rm -rf "$log_dir"' EXIT

total_passed=0 total_failed=0 any_failed=0

run_suite() { # NAME COMMAND...
	local name=$1 out rc counts p f note=""
	shift
	out=$log_dir/$(echo "$name" | tr '/ ' '__').log
	timeout --kill-after=10 "$limit" "$@" >"$out" 2>&1 </dev/null
	rc=$?
	counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
	if [ -n "$counts" ]; then
		p=${counts%% passed*}
		f=${counts#*passed, }
		f=${f%% failed*}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			note=" (exit status $rc)"
		fi
	else
		p=0 f=1
		case $rc in
		124 | 137) note=" (timed out after ${limit}s, no count)" ;;
		0) note=" (no count printed)" ;;
		*) if [ "$rc" -gt 128 ]; then note=" (killed by signal $((rc - 128)), no count)"
		   else note=" (exit status $rc, no count)"; fi ;;
		esac
	fi
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	if [ "$f" -gt 0 ]; then
		any_failed=1
		# The suite's own output explains the failure; show its tail.
		grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 30 | sed "s|^|  $name: |"
	fi
	echo "$name: $p passed, $f failed$note"
}

found=0
for bin in "$build"/tests/test_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	found=1
	# A binary left from a renamed or removed test source is not a test.
	if [ ! -f "tests/unit/$(basename "$bin").c" ]; then
		echo "$(basename "$bin"): skipped (stale: no tests/unit/$(basename "$bin").c)"
		continue
	fi
	run_suite "$(basename "$bin")" "$bin"
done
if [ "$found" -eq 0 ]; then
	echo "run.sh: no unit test binaries in $build/tests (run 'make test')"
	total_failed=$((total_failed + 1))
	any_failed=1
fi

# Each fuzz target replays fuzz/NAME.in and fuzz/NAME.repro (one check per
# input; see fuzz/README.md).
for bin in "$build"/fuzz-replay/*_fuzzer; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	[ -f "fuzz/$(basename "$bin").c" ] || continue
	run_suite "fuzz/$(basename "$bin")" "$bin"
done

for script in tests/e2e/*_test.sh; do
	[ -f "$script" ] || continue
	run_suite "e2e/$(basename "$script" .sh)" bash "$script" "$build"
done

echo "$total_passed passed, $total_failed failed"
[ "$any_failed" -eq 0 ] && [ "$total_failed" -eq 0 ]

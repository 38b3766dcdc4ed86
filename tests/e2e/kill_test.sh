#!/usr/bin/env bash
# kill_test.sh [BUILD]: kill -9 during crawls of the demo site.
# An uninterrupted run (crawl in phase 1, switch to phase 2, crawl) gives the
# reference. Then the same sequence runs on a fresh data directory, but each
# crawl is first started and killed with SIGKILL after a random delay, a few
# times (until KILL_TEST_KILLS/2 kills per phase have landed during a crawl),
# before one crawl runs to its end. After every kill:
#   - `vigil archive verify` passes and PRAGMA integrity_check says ok;
#   - the lock is free (flock -n succeeds) and the next crawl starts.
# At the end every material (search --json, deleted ones included: url,
# title, versions, deleted, classification; ids and times left out) equals
# the reference. The delays come from bash's RANDOM seeded with
# KILL_TEST_SEED (printed); KILL_TEST_KILLS sets the number of kills (20).
# Prints "N passed, N failed" last; exits 1 when anything failed.
set -u
. "$(dirname "$0")/lib.sh"
e2e_vigil "${1:-}"
seed=${KILL_TEST_SEED:-5}
kills=${KILL_TEST_KILLS:-20}
e2e_tmpdir kill

# The demo's politeness delay (50 ms per host) makes a crawl last long
# enough to be hit at many different moments.
e2e_demo_site || { bad "render config"; finish; }

now_ms() { date +%s%3N; }

integrity() { # DATA: prints "ok" or what is wrong
	if command -v sqlite3 >/dev/null; then # starts faster than python
		local out
		out=$(sqlite3 "$1/index.sqlite" "PRAGMA integrity_check; PRAGMA foreign_key_check;" 2>&1)
		[ "$out" = ok ] && echo ok || echo "integrity_check / foreign_key_check: $out" | head -3
		return
	fi
	python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1] + "/index.sqlite")
rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
fk = list(db.execute("PRAGMA foreign_key_check"))
print("ok" if rows == ["ok"] and not fk else "integrity %s, foreign keys %s" % (rows[:3], fk[:3]))
' "$1" 2>&1
}

# ---- the uninterrupted reference ----
ref=$tmp/ref
"$vigil" init --data "$ref" >/dev/null 2>&1 || { bad "init"; finish; }
declare -a took
for phase in 1 2; do
	fixture_phase "$state" "$phase"
	t0=$(now_ms)
	"$vigil" crawl --data "$ref" --config "$conf" >"$tmp/ref$phase.out" 2>"$tmp/ref$phase.err" ||
		bad "reference crawl $phase: $(cat "$tmp/ref$phase.err")"
	took[$phase]=$(($(now_ms) - t0))
done
"$vigil" search --data "$ref" --json --limit 1000 >"$tmp/ref.jsonl" 2>&1 || bad "reference search"
e2e_normalize_materials "$tmp/ref.jsonl" >"$tmp/ref.norm"
[ "$(wc -l <"$tmp/ref.norm")" -eq 33 ] && ok || bad "reference has $(wc -l <"$tmp/ref.norm") materials, not 33"
echo "kill_test: seed $seed, $kills kills; uninterrupted crawls took ${took[1]} ms and ${took[2]} ms"

# ---- the same with kills ----
RANDOM=$seed
data=$tmp/data
"$vigil" init --data "$data" >/dev/null 2>&1 || { bad "init"; finish; }
landed=0 missed=0
for phase in 1 2; do
	fixture_phase "$state" "$phase"
	if [ "$phase" -eq 1 ]; then n=$((kills / 2)); else n=$((kills - kills / 2)); fi
	# A crawl after a kill only resumes what is pending, so it is shorter
	# than the reference: aim within its first two thirds, and try again
	# (up to 3n crawls) until n kills have landed.
	goal=$((landed + n))
	for ((i = 1; landed < goal && i <= 3 * n; i++)); do
		delay=$((RANDOM % (took[phase] * 2 / 3 + 1)))
		"$vigil" crawl --data "$data" --config "$conf" >"$tmp/k.out" 2>"$tmp/k.err" &
		pid=$!
		sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
		if kill -9 "$pid" 2>/dev/null; then
			wait "$pid" 2>/dev/null
			landed=$((landed + 1))
			what="killed after $delay ms"
		else
			wait "$pid"
			rc=$?
			missed=$((missed + 1))
			what="finished before the kill at $delay ms (exit $rc)"
			# A crawl that ran its course must have succeeded (the one
			# before it may have been killed while holding the lock).
			[ "$rc" -eq 0 ] && ok || bad "phase $phase kill $i: crawl exit $rc: $(cat "$tmp/k.err")"
		fi
		if out=$("$vigil" archive verify --data "$data" 2>&1); then ok; else
			bad "phase $phase kill $i ($what): archive verify: $out"
			cp -a "$data" "$tmp/data-kill-$phase-$i"
		fi
		res=$(integrity "$data")
		[ "$res" = ok ] && ok || bad "phase $phase kill $i ($what): $res"
		flock -n "$data/lock" true && ok || bad "phase $phase kill $i ($what): lock still held"
		grep -q "in use" "$tmp/k.err" && bad "phase $phase kill $i: crawl found the lock taken: $(cat "$tmp/k.err")"
	done
	"$vigil" crawl --data "$data" --config "$conf" >"$tmp/c$phase.out" 2>"$tmp/c$phase.err"
	rc=$?
	[ "$rc" -eq 0 ] && ok || bad "phase $phase: crawl after the kills exit $rc: $(cat "$tmp/c$phase.err")"
	if out=$("$vigil" archive verify --data "$data" 2>&1); then ok; else bad "phase $phase: archive verify after the last crawl: $out"; fi
done
echo "kill_test: $landed kills landed during a crawl, $missed crawls finished before their kill"

"$vigil" search --data "$data" --json --limit 1000 >"$tmp/final.jsonl" 2>&1 || bad "final search"
e2e_normalize_materials "$tmp/final.jsonl" >"$tmp/final.norm"
check_same_lines "materials after the killed crawls differ from the uninterrupted run (- reference, + killed):" \
	"$tmp/ref.norm" "$tmp/final.norm"
[ "$landed" -ge "$kills" ] && ok || bad "only $landed of $kills kills landed during a crawl"
finish

#!/usr/bin/env bash
# workers_test.sh [BUILD]: the index does not depend on the number of
# analysis threads. The demo sequence (crawl in phase 1, switch to phase 2,
# crawl) runs into two fresh data directories, one with `crawl --workers 1`
# and one with `--workers 4`; after each crawl the summary lines must be
# equal, and so must every material (search --json with --deleted and
# without, ids and times left out: url, title, versions, deletions,
# classification). A third crawl with nothing changed must agree too.
# Prints "N passed, N failed" last; exits 1 when anything failed.
set -u
. "$(dirname "$0")/lib.sh"
e2e_vigil "${1:-}"
e2e_tmpdir workers
e2e_demo_site || { bad "render config"; finish; }

for n in 1 4; do
	"$vigil" init --data "$tmp/w$n" >/dev/null 2>&1 || bad "init w$n"
done
materials() { # DATA: normalised materials, live and deleted
	{ "$vigil" search --data "$1" --json --limit 1000
	  "$vigil" search --data "$1" --json --limit 1000 --deleted; } >"$tmp/m.jsonl" 2>&1
	e2e_normalize_materials "$tmp/m.jsonl" | sort
}
for step in 1 2 3; do
	[ "$step" -le 2 ] && fixture_phase "$state" "$step"
	for n in 1 4; do
		"$vigil" crawl --quiet --workers "$n" --data "$tmp/w$n" --config "$conf" >"$tmp/sum$n" 2>"$tmp/err$n" ||
			bad "crawl $step with $n workers: $(cat "$tmp/err$n")"
		materials "$tmp/w$n" >"$tmp/mat$n"
	done
	check_eq "crawl $step: summary with 4 workers" "$(cat "$tmp/sum4")" "$(cat "$tmp/sum1")"
	if [ -s "$tmp/mat1" ] && cmp -s "$tmp/mat1" "$tmp/mat4"; then
		ok
	else
		bad "crawl $step: materials differ between 1 and 4 workers: $(diff "$tmp/mat1" "$tmp/mat4" | head -5)"
	fi
done
# the summary says something: phase 1 found the demo's 33 materials
grep -q "new 0," "$tmp/sum1" && ok || bad "third crawl: $(cat "$tmp/sum1")"
[ "$(wc -l <"$tmp/mat1")" -ge 33 ] && ok || bad "only $(wc -l <"$tmp/mat1") materials"
"$vigil" crawl --workers 0 --data "$tmp/w1" --config "$conf" >/dev/null 2>"$tmp/err" && bad "--workers 0 accepted" || ok
grep -q "workers" "$tmp/err" && ok || bad "--workers 0: $(cat "$tmp/err")"
finish

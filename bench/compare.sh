#!/usr/bin/env bash
# bench/compare.sh [VIGIL]: vigil against Readability.js on the public
# extraction benchmark, in one run: pages/s (wall time of one process over
# the whole corpus, pages decompressed beforehand) and F1 (the shared
# evaluator on each tool's saved predictions). Installs @mozilla/readability
# and jsdom with npm into build/readability when they are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
vigil=${1:-$repo/build/vigil}
shared=$repo/../shared
eval_tool=$shared/tools/extract-eval.py
pages=$shared/bench-data/article-extraction/html
[ -f "$eval_tool" ] || { echo "compare: $eval_tool not found" >&2; exit 1; }
[ -x "$vigil" ] || { echo "compare: $vigil not built (make)" >&2; exit 1; }
command -v node >/dev/null || { echo "compare: node not found" >&2; exit 1; }

rdir=$repo/build/readability
if [ ! -d "$rdir/node_modules/@mozilla/readability" ] || [ ! -d "$rdir/node_modules/jsdom" ]; then
	mkdir -p "$rdir"
	(cd "$rdir" && { [ -f package.json ] || npm init -y >/dev/null; } &&
		npm install --no-audit --no-fund @mozilla/readability jsdom >&2)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in "$pages"/*.html.gz; do
	gzip -dc "$f" >"$work/$(basename "$f" .gz)"
done
n=$(ls "$work"/*.html | wc -l)

# predictions.json from JSON lines {"file", "text"}: id = file name without .html
to_predictions() {
	python3 -c '
import json, os, sys
out = {}
for line in sys.stdin:
    d = json.loads(line)
    out[os.path.basename(d["file"])[:-5]] = {"articleBody": d.get("text") or ""}
json.dump(out, open(sys.argv[1], "w"))' "$1"
}

seconds() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$@"; }

t0=$(date +%s.%N)
"$vigil" extract --json "$work"/*.html 2>/dev/null >"$work/vigil.jsonl" || true
t1=$(date +%s.%N)
NODE_PATH=$rdir/node_modules node "$here/readability_run.js" "$work"/*.html >"$work/readability.jsonl"
t2=$(date +%s.%N)
to_predictions "$work/vigil.json" <"$work/vigil.jsonl"
to_predictions "$work/readability.json" <"$work/readability.jsonl"

tv=$(seconds "$t0" "$t1")
tr=$(seconds "$t1" "$t2")
echo "pages: $n"
printf 'vigil        %6.2f s  %7.1f pages/s\n' "$tv" "$(python3 -c "print($n / $tv)")"
printf 'Readability  %6.2f s  %7.1f pages/s\n' "$tr" "$(python3 -c "print($n / $tr)")"
printf 'speed ratio vigil/Readability: %.1fx\n' "$(python3 -c "print($tr / $tv)")"
for tool in vigil readability; do
	echo "== $tool"
	python3 "$eval_tool" --predictions "$work/$tool.json" | sed -n '/^\[body\]/,$p'
done

#!/usr/bin/env bash
# bench/compare.sh [VIGIL [DATA]]: vigil against Readability.js on the public
# extraction benchmark (or on DATA/bench-data/article-extraction, e.g.
# bench/devset/heldout), in one run: pages/s (wall time of one process over
# the whole corpus, pages decompressed beforehand) and F1 (the shared
# evaluator on each tool's saved predictions). Installs @mozilla/readability
# and jsdom with npm into build/readability when they are missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
vigil=${1:-$repo/build/vigil}
shared=$repo/../shared
eval_tool=$shared/tools/extract-eval.py
data=${2:-}
if [ -n "$data" ]; then
	data=$(cd "$data" && pwd)
	pages=$data/bench-data/article-extraction/html
	eval_args=(--data-root "$data/bench-data")
else
	pages=$shared/bench-data/article-extraction/html
	eval_args=()
fi
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

# wall and CPU (user+sys) seconds of one command, into $1
TIMEFORMAT='%R %U %S'
timed() {
	local out=$1
	shift
	{ time "$@" 2>/dev/null; } 2>"$work/$out.time"
}

timed vigil.t sh -c '"$0" extract --json "$@" >"'"$work"'/vigil.jsonl" || true' "$vigil" "$work"/*.html
timed readability.t env NODE_PATH="$rdir/node_modules" node "$here/readability_run.js" "$work"/*.html \
	>"$work/readability.jsonl"
to_predictions "$work/vigil.json" <"$work/vigil.jsonl"
to_predictions "$work/readability.json" <"$work/readability.jsonl"

echo "pages: $n  (wall s, CPU s = user+sys; pages/s by each)"
python3 - "$n" "$work/vigil.t.time" "$work/readability.t.time" <<'PY'
import sys
n = int(sys.argv[1])
rows = []
for name, path in (("vigil", sys.argv[2]), ("Readability", sys.argv[3])):
    wall, user, system = (float(x) for x in open(path).read().split())
    cpu = user + system
    rows.append((name, wall, cpu))
    print("%-12s wall %7.2f s %7.1f pages/s   CPU %7.2f s %7.1f pages/s" % (name, wall, n / wall, cpu, n / cpu))
print("ratio Readability/vigil: wall %.1fx, CPU %.1fx" % (rows[1][1] / rows[0][1], rows[1][2] / rows[0][2]))
PY
for tool in vigil readability; do
	echo "== $tool"
	python3 "$eval_tool" "${eval_args[@]}" --predictions "$work/$tool.json" | sed -n '/^\[body\]/,$p'
done

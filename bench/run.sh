#!/usr/bin/env bash
# bench/run.sh VIGIL: the extraction benchmark through `vigil extract`, scored
# by the shared evaluator (needs ../shared beside the repository).
set -euo pipefail
vigil=${1:-build/vigil}
eval_tool=$(dirname "$0")/../../shared/tools/extract-eval.py
if [ ! -f "$eval_tool" ]; then
	echo "bench: $eval_tool not found (the shared benchmark data sits beside the repository)" >&2
	exit 1
fi
python3 "$eval_tool" "$vigil extract --text {}"

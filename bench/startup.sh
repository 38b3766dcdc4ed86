#!/usr/bin/env bash
# startup.sh [VIGIL] [RUNS] [ROUNDS]: process start-up cost of vigil
# (issue 8). Runs `VIGIL --help`, `VIGIL --version` and /bin/true RUNS
# times each (default 200), alternating, ROUNDS times (default 3), and
# prints per-run CPU time (user + system of the children) and wall time,
# the median over the rounds. Also prints the dynamic loader's own figures
# (LD_DEBUG=statistics): relocations and the share of start-up they take.
set -eu
vigil=${1:-build/vigil}
runs=${2:-200}
rounds=${3:-3}
[ -x "$vigil" ] || { echo "startup.sh: no executable $vigil (run make)" >&2; exit 1; }

# "CPU_ms WALL_ms" per run of "$@". Runs in a subshell of its own, so the
# children's CPU time (the shell's `times`) is that of these runs only.
measure() {
	local wall0 wall1
	wall0=$(date +%s%N)
	for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
	wall1=$(date +%s%N)
	times >"$times_file" # a builtin with a redirection: no fork, so it sees these children
	sed -n 2p "$times_file" | awk -v n="$runs" -v w="$(( wall1 - wall0 ))" '
		function sec(f, a) { split(f, a, "m"); return a[1] * 60 + a[2] + 0 }
		{ printf "%.2f %.2f\n", (sec($1) + sec($2)) * 1000 / n, w / 1e6 / n }'
}

times_file=$(mktemp)
trap 'rm -f "$times_file"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A cpu wall
names=("/bin/true" "vigil --help" "vigil --version")
for ((r = 0; r < rounds; r++)); do
	for name in "${names[@]}"; do
		case $name in
		/bin/true) set -- /bin/true ;;
		"vigil --help") set -- "$vigil" --help ;;
		"vigil --version") set -- "$vigil" --version ;;
		esac
		read -r c w < <(measure "$@")
		cpu[$name]="${cpu[$name]:-} $c"
		wall[$name]="${wall[$name]:-} $w"
	done
done
printf '%-18s %12s %12s   (%d runs x %d rounds, median of rounds)\n' command "CPU ms/run" "wall ms/run" "$runs" "$rounds"
for name in "${names[@]}"; do
	printf '%-18s %12s %12s\n' "$name" \
		"$(printf '%s\n' ${cpu[$name]} | median)" "$(printf '%s\n' ${wall[$name]} | median)"
done
echo
echo "dynamic loader, vigil --help ($(ldd "$vigil" | grep -c '=>') shared libraries):"
LD_DEBUG=statistics "$vigil" --help 2>&1 >/dev/null | sed -n 's/^ *[0-9]*:[[:space:]]*//p' |
	grep -E 'startup time|relocation:|number of relocations:|load objects' | sed 's/^/  /'

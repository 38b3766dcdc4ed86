#!/usr/bin/env bash
# startup.sh [VIGIL] [RUNS] [ROUNDS]: process start-up cost of vigil
# (issue 8; `make bench-startup`). Runs `VIGIL --help`, `VIGIL --version`
# and /bin/true RUNS times each (default 200), alternating, ROUNDS times
# (default 3), and prints per-run CPU time (user + system of the children)
# and wall time, the median over the rounds. Then the dynamic loader's own
# figures (LD_DEBUG=statistics): relocations and their share of start-up.
#   COMPARE=OTHER_VIGIL  adds `OTHER_VIGIL --help` to the same rounds (a
#                        build from before a change)
#   LIBRARIES=1          adds empty programs (main returns 0) linked with
#                        growing subsets of vigil's libraries: where the
#                        start-up goes, library by library
set -eu
vigil=${1:-build/vigil}
runs=${2:-200}
rounds=${3:-3}
[ -x "$vigil" ] || { echo "startup.sh: no executable $vigil (run make)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

names=("/bin/true" "vigil --help" "vigil --version")
declare -A command=([/bin/true]=/bin/true ["vigil --help"]="$vigil --help"
		    ["vigil --version"]="$vigil --version")
if [ -n "${COMPARE:-}" ]; then
	names+=("compare --help")
	command["compare --help"]="$COMPARE --help"
fi
if [ -n "${LIBRARIES:-}" ]; then
	echo 'int main(void) { return 0; }' >"$work/empty.c"
	# name|libraries, each set including the one before but the last two
	for set in "empty: libc|" \
		   "empty: +sqlite3 pcre2 zstd idn2 utf8proc|-lsqlite3 -lpcre2-8 -lzstd -lidn2 -lutf8proc" \
		   "empty: +crypto|-lsqlite3 -lpcre2-8 -lzstd -lidn2 -lutf8proc -lcrypto" \
		   "empty: +xml2|-lsqlite3 -lpcre2-8 -lzstd -lidn2 -lutf8proc -lcrypto -lxml2" \
		   "empty: +curl (all)|-lsqlite3 -lpcre2-8 -lzstd -lidn2 -lutf8proc -lcrypto -lxml2 -lcurl" \
		   "empty: curl only|-lcurl" \
		   "empty: xml2 only|-lxml2"; do
		name=${set%%|*}
		bin=$work/empty${#names[@]}
		# shellcheck disable=SC2086
		cc -O2 -o "$bin" "$work/empty.c" -Wl,--no-as-needed ${set#*|}
		names+=("$name")
		command["$name"]=$bin
	done
fi

times_file=$work/times
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

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A cpu wall
for ((r = 0; r < rounds; r++)); do
	for name in "${names[@]}"; do
		# shellcheck disable=SC2086
		read -r c w < <(measure ${command[$name]})
		cpu[$name]="${cpu[$name]:-} $c"
		wall[$name]="${wall[$name]:-} $w"
	done
done
printf '%-44s %8s %11s %7s %7s   (%d runs x %d rounds, median of rounds; load %s)\n' \
	command "CPU ms" "wall ms" libs relocs "$runs" "$rounds" "$(cut -d' ' -f1-3 /proc/loadavg)"
for name in "${names[@]}"; do
	set -- ${command[$name]}
	relocs=$(LD_DEBUG=statistics "$@" 2>&1 >/dev/null | sed -n 's/.*final number of relocations: *//p' | tail -1)
	printf '%-44s %8s %11s %7s %7s\n' "$name" \
		"$(printf '%s\n' ${cpu[$name]} | median)" "$(printf '%s\n' ${wall[$name]} | median)" \
		"$(ldd "$1" 2>/dev/null | grep -c '=>')" "${relocs:-?}"
done
echo
echo "dynamic loader, vigil --help:"
LD_DEBUG=statistics "$vigil" --help 2>&1 >/dev/null | sed -n 's/^ *[0-9]*:[[:space:]]*//p' |
	grep -E 'startup time|relocation:|load objects' | sed 's/^/  /'

# tests/e2e/lib.sh: what every end-to-end test script shares. Not a test
# itself (tests/run.sh runs only *_test.sh). Source it from bash, first thing
# after `set -u`:
#     . "$(dirname "$0")/lib.sh"
# Sourcing it changes to the repository root (sets repo to its path), sets the
# counters passed=0 failed=0 and sources tests/server/lib.sh (fixture_*).
#
# Counting checks (the short names every script already used):
#   ok                          count one passed check
#   bad MESSAGE                 count one failed check; "FAIL: MESSAGE" on stderr
#   check_eq NAME ACTUAL EXPECTED
#                               ok when equal, else bad with both values
#   check_has NAME HAYSTACK NEEDLE
#                               ok when NEEDLE is in HAYSTACK, else bad with
#                               the first 600 bytes of HAYSTACK
#   check_lacks NAME HAYSTACK NEEDLE
#                               the opposite of check_has
#   check_same_lines MESSAGE EXPECTED_FILE ACTUAL_FILE
#                               ok when the files are equal, else bad MESSAGE
#                               and the differing lines (cut at 300
#                               characters) as "  -expected" / "  +actual"
#   finish                      print "N passed, N failed" and exit: 0 when
#                               nothing failed, else 1 (tests/run.sh reads
#                               that line; it must come last)
#
# Setup:
#   e2e_vigil [BUILD]           build=BUILD (default build; made absolute
#                               against repo), vigil=$build/vigil; when that
#                               is not executable: bad, finish
#   e2e_tmpdir NAME [NOTE]      tmp=a new temp dir (vigil-NAME.XXXXXX under
#                               TMPDIR or /tmp), state=$tmp/state (for
#                               fixture_*), and an EXIT trap that runs the
#                               e2e_on_exit commands, stops the fixture server
#                               of $state and removes $tmp, unless something
#                               failed or NAME_TEST_KEEP (NAME in upper case)
#                               is set: then it says "NAME_test: kept $tmp
#                               NOTE" on stderr and keeps it
#   e2e_on_exit COMMAND         run COMMAND (eval'd) at exit, before $tmp goes:
#                               the script's own cleanup (a lock holder, a
#                               mount)
#   e2e_fixture_start ROOT      fixture_start ROOT "$state"; when it fails:
#                               bad "fixture server did not start", finish
#   e2e_demo_site               e2e_fixture_start tests/demo-site, then
#                               conf=$tmp/sources.conf rendered from
#                               tests/demo-site/sources.conf.in; returns the
#                               status of the rendering (the caller decides
#                               whether that is a check or fatal)
#
# Data:
#   e2e_normalize_materials JSONL
#                               print the materials of a `search --json`
#                               output minus id, first_seen, last_seen,
#                               deleted_at and story (an id too), one
#                               sorted-key JSON object per
#                               line, sorted by url: what must be equal
#                               between two runs of the same crawls
#
# Needs bash, python3 (stdlib); nothing here is exported.

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
repo=$(pwd)
. tests/server/lib.sh

passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check_eq() { # NAME ACTUAL EXPECTED
	if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi
}
check_has() { # NAME HAYSTACK NEEDLE
	case $2 in *"$3"*) ok ;; *) bad "$1: '$3' not in: $(printf '%s' "$2" | head -c 600)" ;; esac
}
check_lacks() { # NAME HAYSTACK NEEDLE
	case $2 in *"$3"*) bad "$1: '$3' unexpectedly in: $(printf '%s' "$2" | head -c 600)" ;; *) ok ;; esac
}
check_same_lines() { # MESSAGE EXPECTED_FILE ACTUAL_FILE
	if cmp -s "$2" "$3"; then ok; else
		bad "$1"
		diff "$2" "$3" | grep '^[<>]' | cut -c1-300 | sed 's/^</  -/; s/^>/  +/' >&2
	fi
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

e2e_vigil() { # [BUILD]
	build=${1:-build}
	case $build in /*) ;; *) build=$repo/$build ;; esac
	vigil=$build/vigil
	if [ ! -x "$vigil" ]; then
		bad "$vigil not built"
		finish
	fi
}

e2e_exit_commands=()
e2e_on_exit() { # COMMAND
	e2e_exit_commands+=("$1")
}

e2e_tmpdir() { # NAME [NOTE]
	e2e_name=$1
	e2e_keep_note=${2:-}
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-$1.XXXXXX")
	state=$tmp/state
	trap e2e_cleanup EXIT
}

e2e_cleanup() {
	local keep_var command
	fixture_stop "$state" >/dev/null 2>&1
	for command in "${e2e_exit_commands[@]}"; do
		eval "$command"
	done
	keep_var=${e2e_name^^}_TEST_KEEP
	if [ "$failed" -eq 0 ] && [ -z "${!keep_var:-}" ]; then
		rm -rf "$tmp"
	else
		echo "${e2e_name}_test: kept $tmp${e2e_keep_note:+ $e2e_keep_note}" >&2
	fi
}

e2e_fixture_start() { # ROOT
	if ! fixture_start "$1" "$state"; then
		bad "fixture server did not start"
		finish
	fi
}

e2e_demo_site() {
	e2e_fixture_start tests/demo-site
	conf=$tmp/sources.conf
	fixture_render_config "$state" tests/demo-site/sources.conf.in "$conf"
}

e2e_normalize_materials() { # JSONL
	python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
for r in rows:
    for k in ("id", "first_seen", "last_seen", "deleted_at", "story"):
        r.pop(k, None)
for r in sorted(rows, key=lambda r: r["url"]):
    print(json.dumps(r, ensure_ascii=False, sort_keys=True))
' "$1"
}

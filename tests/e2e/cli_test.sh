#!/usr/bin/env bash
# cli_test.sh [BUILD]: the command line's promises, each a regression test:
#  - README's command table and `vigil CMD --help` agree on every usage
#    line and option name (in the spirit of git's t0450), and so does the
#    man page (`vigil help --man`, rendered by man): synopsis lines, option
#    names, option texts and summaries;
#  - an index file that is empty, random bytes, or a SQLite database
#    without vigil's tables is refused by every command (init and crawl
#    too), pointing at `vigil archive reindex`, and stays byte-identical;
#    read commands never write a valid index either;
#  - a missing data directory or index gives the `vigil init` hint;
#  - small usage defects: `show ''`, `init --data ''`, `--config DIR`;
#  - FTS-hostile search queries give results or a clear usage error, never
#    SQL text or a crash; date options are validated (pre-1970 dates work).
# The searches run over one crawl of the demo site's channel page, served
# on 127.0.0.1 by the fixture server. Prints "N passed, N failed" last.
set -u
. "$(dirname "$0")/lib.sh"
e2e_vigil "${1:-}"
e2e_tmpdir cli
readme=${CLI_TEST_README:-$repo/README.md}

# ---- README's command table against --help ----
# A row is "| `vigil WORDS [options] ARGS` | ... |"; WORDS are the leading
# lower-case words (the command, or command and subcommand). In Markdown
# the table escapes '|' as '\|'.
rows=$(grep -E '^\| `vigil [a-z]' "$readme" | sed -E 's/^\| `([^`]*)`.*/\1/; s/\\\|/|/g')
[ -n "$rows" ] && ok || bad "no command rows in $readme"
documented=" "
while IFS= read -r row; do
	[ -n "$row" ] || continue
	words=$(printf '%s\n' "$row" | awk '{ w = ""; for (i = 2; i <= NF && $i ~ /^[a-z][a-z0-9-]*$/; i++) w = w (w ? " " : "") $i; print w }')
	documented="$documented$words "
	# shellcheck disable=SC2086
	help=$("$vigil" $words --help 2>&1)
	rc=$?
	check_eq "vigil $words --help exit" "$rc" "0"
	usage=$(printf '%s\n' "$help" | sed -n '1s/^usage: //p')
	check_eq "README usage of 'vigil $words' vs --help" "$row" "$usage"
	from_help=$(printf '%s\n' "$help" | sed -n 's/^  \(--[a-z0-9-]*\).*/\1/p' | grep -vx -- --help | sort -u | tr '\n' ' ')
	from_readme=$(printf '%s\n' "$row" | grep -oE -- '--[a-z0-9-]+' | sort -u | tr '\n' ' ')
	check_eq "option names of 'vigil $words': README vs --help" "$from_readme" "$from_help"
done <<EOF
$rows
EOF
commands=$("$vigil" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$commands" ] && ok || bad "vigil --help lists no commands"
for c in $commands; do
	case $documented in *" $c "* | *" $c "[a-z]*) ok ;; *) bad "command '$c' (vigil --help) has no row in README's command table" ;; esac
done

# ---- the man page against --help and README ----
# vigil(1) is generated from the same tables (cli/man.c); this catches a
# generator that drops or garbles a command, an option or its text, and a
# built page ($build/vigil.1) older than the tables.
"$vigil" help --man >"$tmp/vigil.1"
check_eq "vigil help --man exit" "$?" "0"
if [ -f "$build/vigil.1" ]; then
	cmp -s "$build/vigil.1" "$tmp/vigil.1" && ok || bad "$build/vigil.1 is stale: run make"
fi
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 MANPAGER=cat man -l "$tmp/vigil.1" 2>"$tmp/man.err" | sed 's/.\x08//g' >"$tmp/man.txt"
	check_eq "man -l renders vigil(1) without warnings" "$(cat "$tmp/man.err")" ""
	# SYNOPSIS: one paragraph per command, joined into one line.
	awk '/^SYNOPSIS/ { on = 1; next }
	     /^[A-Z]/ { if (on && p != "") print p; on = 0; p = "" }
	     on && /^[[:space:]]*$/ { if (p != "") print p; p = ""; next }
	     on { sub(/^[[:space:]]+/, ""); p = p (p == "" ? "" : " ") $0 }' "$tmp/man.txt" >"$tmp/man.synopsis"
	check_eq "man SYNOPSIS has one line per command" "$(wc -l <"$tmp/man.synopsis")" \
		"$(printf '%s\n' $commands | wc -l)"
	while IFS= read -r row; do
		[ -n "$row" ] || continue
		words=$(printf '%s\n' "$row" | awk '{ w = ""; for (i = 2; i <= NF && $i ~ /^[a-z][a-z0-9-]*$/; i++) w = w (w ? " " : "") $i; print w }')
		first=${words%% *}
		from_man=$(grep -E "^vigil $first( |\$)" "$tmp/man.synopsis")
		check_eq "README usage of 'vigil $words' vs the man page" "$row" "$from_man"
	done <<EOF2
$rows
EOF2
	# COMMANDS: "   vigil NAME", then the option items "       --name ...".
	for c in $commands; do
		section=$(awk -v c="vigil $c" '/^[A-Z]/ { in_commands = ($0 == "COMMANDS") }
			in_commands && /^   [^ ]/ { sub(/^   /, ""); on = ($0 == c); next }
			in_commands && on' "$tmp/man.txt")
		[ -n "$section" ] && ok || bad "man page has no COMMANDS entry for 'vigil $c'"
		help=$("$vigil" "$c" --help 2>&1)
		from_help=$(printf '%s\n' "$help" | sed -n 's/^  \(--[a-z0-9-]*\).*/\1/p' | sort | tr '\n' ' ')
		# An item's tag starts a paragraph (a description line may start with an option too).
		from_man=$(printf '%s\n' "$section" | awk 'blank && /^       --/ { sub(/^ +/, ""); sub(/ .*/, ""); print } { blank = /^[[:space:]]*$/ }' | sort | tr '\n' ' ')
		check_eq "option names of 'vigil $c': man page vs --help" "$from_man" "$from_help"
		flat_section=$(printf '%s\n' "$section" | tr -s ' \n' '  ')
		printf '%s\n' "$help" | sed -n 's/^  --[a-z0-9-]*\( [A-Z|.-]*\)\{0,1\}  *//p' | while IFS= read -r text; do
			case $flat_section in *"$(printf '%s' "$text" | tr -s ' ' ' ')"*) echo ok ;;
			*) echo "bad option text of 'vigil $c' missing from the man page: $text" ;; esac
		done >"$tmp/man.texts"
		while IFS= read -r verdict; do
			case $verdict in ok) ok ;; *) bad "${verdict#bad }" ;; esac
		done <"$tmp/man.texts"
		summary=$(printf '%s\n' "$help" | sed -n 3p)
		check_has "summary of 'vigil $c' in the man page" "$flat_section" "$summary"
	done
else
	echo "cli_test: man not found: the man page was generated but not rendered (SKIPPED)" >&2
fi

# ---- usage defects ----
mkdir -p "$tmp/cwd"
(cd "$tmp/cwd" && "$vigil" init --data '' >"$tmp/out" 2>"$tmp/err")
check_eq "init --data '' exit" "$?" "2"
check_has "init --data '' message" "$(cat "$tmp/err")" "--data"
[ ! -e "$tmp/cwd/vigil-data" ] && ok || bad "init --data '' created ./vigil-data"

data=$tmp/data
"$vigil" init --data "$data" >/dev/null 2>&1
check_eq "init exit" "$?" "0"

"$vigil" show --data "$data" '' >"$tmp/out" 2>"$tmp/err"
check_eq "show '' exit" "$?" "2"
check_has "show '' message" "$(cat "$tmp/err")" "vigil show: empty ID or URL"
check_lacks "show '' has no function name" "$(cat "$tmp/err")" "archive_"

for c in crawl sources; do
	"$vigil" $c --data "$data" --config "$tmp" >"$tmp/out" 2>"$tmp/err"
	check_eq "$c --config DIR exit" "$?" "1"
	check_has "$c --config DIR names it" "$(cat "$tmp/err")" "'$tmp' is a directory"
	check_lacks "$c --config DIR not a bare read error" "$(cat "$tmp/err")" "read error"
done

# A sources file that cannot fetch anything even if a crawl went ahead.
printf '[source nowhere]\nurl = http://127.0.0.1:9/\nkind = site\n' >"$tmp/nowhere.conf"

# ---- missing data directory or index: the init hint ----
for c in crawl search "show 1"; do
	# shellcheck disable=SC2086
	VIGIL_CONFIG=$tmp/nowhere.conf "$vigil" $c --data "$tmp/missing" >"$tmp/out" 2>"$tmp/err"
	check_eq "$c on a missing data dir exit" "$?" "1"
	check_has "$c on a missing data dir hint" "$(cat "$tmp/err")" "create it with 'vigil init --data $tmp/missing'"
	check_lacks "$c on a missing data dir: no lock error" "$(cat "$tmp/err")" "lock"
	[ ! -e "$tmp/missing" ] && ok || bad "$c created $tmp/missing"
done
mkdir -p "$tmp/noindex"
for c in crawl search; do
	VIGIL_CONFIG=$tmp/nowhere.conf "$vigil" $c --data "$tmp/noindex" >"$tmp/out" 2>"$tmp/err"
	check_eq "$c without index.sqlite exit" "$?" "1"
	check_has "$c without index.sqlite hint" "$(cat "$tmp/err")" "vigil init --data $tmp/noindex"
	[ ! -e "$tmp/noindex/index.sqlite" ] && ok || bad "$c created an index in $tmp/noindex"
done

# ---- damaged index files: refused by everyone, never written ----
make_bad() { # KIND DIR
	mkdir -p "$2/warc"
	case $1 in
	empty) : >"$2/index.sqlite" ;;
	random) head -c 20000 /dev/urandom >"$2/index.sqlite" ;;
	foreign) python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
db.execute("INSERT INTO notes (body) VALUES (?)", ("not vigil",))
db.commit()
db.close()' "$2/index.sqlite" ;;
	esac
}
for kind in empty random foreign; do
	d=$tmp/bad-$kind
	make_bad "$kind" "$d"
	cp "$d/index.sqlite" "$tmp/original"
	for c in search "show 1" sources crawl init; do
		# shellcheck disable=SC2086
		VIGIL_CONFIG=$tmp/nowhere.conf "$vigil" $c --data "$d" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		check_eq "$c on a $kind index exit" "$rc" "1"
		check_has "$c on a $kind index names the file" "$(cat "$tmp/err")" "$d/index.sqlite"
		check_has "$c on a $kind index points at reindex" "$(cat "$tmp/err")" "vigil archive reindex --data $d"
		cmp -s "$tmp/original" "$d/index.sqlite" && ok || bad "$c changed the $kind index file"
	done
	[ -z "$(ls "$d/warc")" ] && ok || bad "a crawl on a $kind index wrote WARC files"
done

# ---- a small real index: the demo site's channel page ----
e2e_fixture_start tests/demo-site
# The demo's [settings] as they are, and its channel source alone.
awk '/^\[source /{ exit } { print }' tests/demo-site/sources.conf.in >"$tmp/channel.conf.in"
awk '/^\[source kzdefenders\]/{ on = 1 } on && /^$/{ exit } on { print }' \
	tests/demo-site/sources.conf.in >>"$tmp/channel.conf.in"
fixture_render_config "$state" "$tmp/channel.conf.in" "$tmp/channel.conf"
"$vigil" crawl --data "$data" --config "$tmp/channel.conf" --quiet >"$tmp/crawl.out" 2>"$tmp/crawl.err"
check_eq "channel crawl exit" "$?" "0"
check_has "channel crawl found posts (3 pages of history)" "$(cat "$tmp/crawl.out")" "new 12"

# Read commands leave a valid index byte for byte as it was.
cp "$data/index.sqlite" "$tmp/before"
"$vigil" search --data "$data" >/dev/null 2>&1
check_eq "search exit" "$?" "0"
"$vigil" search --data "$data" --json правозащитник >/dev/null 2>&1
"$vigil" show --data "$data" 1 >/dev/null 2>&1
check_eq "show 1 exit" "$?" "0"
"$vigil" sources --data "$data" --config "$tmp/channel.conf" >/dev/null 2>&1
check_eq "sources exit" "$?" "0"
cmp -s "$tmp/before" "$data/index.sqlite" && ok || bad "a read command changed index.sqlite"

# FTS-hostile queries: results (exit 0) or a usage error (exit 2) that says
# why; never SQLite's words, never a crash.
long_query=$(head -c 10000 /dev/zero | tr '\0' 'a')
binary_query=$(head -c 2000 /dev/urandom | tr -d '\0')
n=0
for q in '"' '""' '"правозащитник' 'NEAR(' 'NEAR(a b, 2)' '*' 'AND' 'OR' 'NOT' 'a AND' \
	'-' '-правозащитник' '^' ':' 'title:x' '(' ')' "'" '{a b}' '+' 'a"b' \
	'правозащитник*' 'AND OR NOT' "$long_query" "$binary_query" ' '; do
	n=$((n + 1))
	"$vigil" search --data "$data" -- "$q" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
	case $rc in
	0) ok ;;
	2) case $err in
	   *"no words to search for"* | *"query column "*) ok ;;
	   *) bad "query $n: usage error does not say why: $err" ;;
	   esac ;;
	*) bad "query $n ($(printf '%s' "$q" | head -c 40)) exit $rc: $err" ;;
	esac
	for word in sqlite SQL fts5 "syntax error" "malformed"; do
		check_lacks "query $n: no SQLite text" "$err" "$word"
	done
done
"$vigil" search --data "$data" -- 'NEAR("правозащитник' >"$tmp/out" 2>"$tmp/err"
check_eq "an unclosed NEAR( exit" "$?" "2"
check_has "an unclosed NEAR( names the column" "$(cat "$tmp/err")" "query column 1: NEAR( is never closed"

# Date options: validated, pre-1970 fine, 1970-01-01 a bound like any other.
for d in 2024-02-30 2023-02-29 2024-05-14T25:61:61 '2024-01-01 junk' 2024-01-01T00:00:00+15:00 18.04.2024; do
	"$vigil" search --data "$data" --since "$d" >/dev/null 2>"$tmp/err"
	check_eq "--since '$d' exit" "$?" "2"
	check_has "--since '$d' message" "$(cat "$tmp/err")" "is not a date"
done
all=$("$vigil" search --data "$data" --json | wc -l)
[ "$all" -ge 5 ] && ok || bad "expected at least 5 materials, got $all"
check_eq "--since 1950-01-01" "$("$vigil" search --data "$data" --json --since 1950-01-01 | wc -l)" "$all"
check_eq "--until 1970-01-01" "$("$vigil" search --data "$data" --json --until 1970-01-01 | wc -l)" "0"
check_eq "--since 1969-12-31T23:59:59Z" \
	"$("$vigil" search --data "$data" --json --since 1969-12-31T23:59:59Z | wc -l)" "$all"
check_eq "--since 9999-12-31" "$("$vigil" search --data "$data" --json --since 9999-12-31 | wc -l)" "0"

# vigil extract over several files: one JSON line per file in order, with
# the file name; a missing file gets an "error" line, the others still
# come out, and the exit status is 1.
page=tests/fixtures/parser/optimism_article.html
"$vigil" extract --json "$page" "$tmp/no-such.html" "$page" >"$tmp/out" 2>"$tmp/err"
check_eq "extract of a missing file among others exit" "$?" "1"
check_eq "extract: one JSON line per file" "$(wc -l <"$tmp/out")" "3"
check_has "extract: line 1 names its file" "$(sed -n 1p "$tmp/out")" "\"file\":\"$page\""
check_has "extract: line 2 is the error" "$(sed -n 2p "$tmp/out")" "\"error\":\"cannot open"
check_has "extract: line 3 still extracted" "$(sed -n 3p "$tmp/out")" "\"text\":\""
check_eq "extract: lines 1 and 3 alike" "$(sed -n 1p "$tmp/out")" "$(sed -n 3p "$tmp/out")"
check_has "extract: the error on stderr" "$(cat "$tmp/err")" "no-such.html"
"$vigil" extract --text "$page" "$page" >"$tmp/out" 2>/dev/null
check_eq "extract --text of two files exit" "$?" "0"
check_eq "extract --text: a header per file" "$(grep -c '^==> ' "$tmp/out")" "2"
"$vigil" extract - - </dev/null >/dev/null 2>&1
check_eq "extract: stdin twice is a usage error" "$?" "2"
# extract --fetched: the anchor of relative dates, validated like --since.
page=tests/fixtures/dates/pages/ru_yesterday.html
out=$("$vigil" extract --json --fetched 2024-04-19T08:00:00Z "$page" 2>&1)
check_has "extract --fetched: yesterday" "$out" '"published":"2024-04-18T14:20:00"'
check_has "extract --json names the evidence" "$out" '"published_source":"text"'
"$vigil" extract --json --fetched 19.04.2024 "$page" >/dev/null 2>"$tmp/err"
check_eq "extract --fetched 19.04.2024 exit" "$?" "2"
check_has "extract --fetched message" "$(cat "$tmp/err")" "is not a date"

finish

#!/usr/bin/env bash
# search_test.sh [BUILD]: `vigil search` over one crawl of the demo site:
# stemming (verb forms, hyphenated names), the query language (phrases,
# OR, NOT / -word, NEAR, prefix*, title:, source:, region:), the filters
# added for researchers (--lang, --captured-since/--captured-until), the
# outputs (--csv, --count, --group-by with one and two keys, --json rows),
# --sort relevance, paging with --offset, and malformed queries (exit 2,
# the column named, never SQL). Prints "N passed, N failed" last.
set -u
. "$(dirname "$0")/lib.sh"
e2e_vigil "${1:-}"
e2e_tmpdir search
data=$tmp/data

e2e_demo_site && ok || bad "render config"
O=$(fixture_origin "$state" optimism)
P=$(fixture_origin "$state" pulse)
u_pavlodar=$O/2024/05/14/v-pavlodare-zaderzhali-zhurnalista/
u_oskemen=$P/articles/2024/05/ust-kamenogorsk-akimat.html
"$vigil" init --data "$data" >/dev/null 2>&1
"$vigil" crawl --data "$data" --config "$conf" --quiet >"$tmp/crawl.out" 2>"$tmp/crawl.err"
check_eq "crawl exit" "$?" "0"

s() { "$vigil" search --data "$data" "$@"; }
urls() { s --json --limit 1000 "$@" | python3 -c '
import json, sys
for line in sys.stdin:
    print(json.loads(line)["url"])' | sort; }
count() { s --count "$@"; }

all=$(count)
[ "$all" -gt 20 ] && ok || bad "the demo crawl indexed $all materials"
check_eq "--count = the rows of --json" "$all" "$(s --json --limit 1000 | wc -l)"

# Stemming: a verb form finds its participle; hyphenated names in all spellings.
check_has "задержан finds 'задержали'" "$(urls задержан)" "$u_pavlodar"
for q in Усть-Каменогорске Устькаменогорске 'Усть–Каменогорск' УСТЬ-КАМЕНОГОРСК; do
	check_has "query $q" "$(urls -- "$q")" "$u_oskemen"
done
check_has "a part of a hyphenated name" "$(urls Каменогорск)" "$u_oskemen"

# Phrases and NEAR: word order and distance matter.
check_eq "phrase" "$(urls '"задержали журналиста"')" "$u_pavlodar"
check_eq "phrase, stems: other forms" "$(urls '"задержал журналистов"')" "$u_pavlodar"
check_eq "phrase not in the text" "$(count '"журналиста сотрудники"')" "0"
check_eq "NEAR/0" "$(urls 'сотрудники NEAR/0 полиции')" "$(urls '"сотрудники полиции"')"
check_eq "NEAR( , N)" "$(urls 'NEAR(задержали журналиста, 1)')" "$(urls 'задержали NEAR/1 журналиста')"
check_eq "\"a b\"~N" "$(urls '"задержали журналиста"~1')" "$(urls 'задержали NEAR/1 журналиста')"

# Boolean algebra on counts.
a=$(count суд) b=$(count адвокат) ab=$(count 'суд AND адвокат')
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$ab" -gt 0 ] && ok || bad "суд $a, адвокат $b, both $ab"
check_eq "OR = a + b - both" "$(count 'суд OR адвокат')" "$((a + b - ab))"
check_eq "juxtaposition is AND" "$(count 'суд адвокат')" "$ab"
check_eq "-word" "$(count 'суд -адвокат')" "$((a - ab))"
check_eq "NOT word" "$(count 'суд NOT адвокат')" "$((a - ab))"
check_eq "-word alone" "$(count -- -суд)" "$((all - a))"
check_eq "parentheses" "$(count '(суд OR адвокат) -адвокат')" "$((a - ab))"
prefix=$(count 'журналис*') word=$(count журналист)
[ "$prefix" -gt "$word" ] && ok || bad "журналис* $prefix, журналист $word"
check_eq "prefix* holds the word's matches" "$(comm -13 <(urls 'журналис*') <(urls журналист))" ""

# Field scopes.
check_eq "title: the titles with a form of Павлодар" "$(s --json 'title:Павлодаре' | python3 -c '
import json, sys
print(all("Павлодар" in json.loads(l)["title"] for l in sys.stdin))')" "True"
[ "$(count журналист)" -gt "$(count title:журналист)" ] && ok || bad "title: narrows журналист"
check_eq "source:" "$(urls 'суд source:optimism')" "$(urls суд --source optimism)"
check_eq "source: in every row" "$(urls 'source:optimism' | grep -vc "^$O")" "0"
check_eq "region: = --region" "$(urls 'region:North')" "$(urls --region North)"
check_eq "region: and --region meet" "$(count 'region:North' --region PAV)" "$(count --region PAV)"

# Filters.
ru=$(count --lang ru) kk=$(count --lang kk)
[ "$ru" -gt 0 ] && [ $((ru + kk)) -le "$all" ] && ok || bad "--lang ru $ru kk $kk of $all"
check_eq "--lang is caseless" "$(count --lang RU)" "$ru"
check_eq "--captured-since 1970" "$(count --captured-since 1970-01-01)" "$all"
check_eq "--captured-until 1970" "$(count --captured-until 1970-01-01)" "0"
check_eq "--captured-since tomorrow" "$(count --captured-since "$(date -u -d tomorrow +%F)")" "0"

# Outputs: CSV (RFC 4180, parsed back), counts, paging, relevance.
s --csv --limit 1000 суд >"$tmp/s.csv"
python3 - "$tmp/s.csv" "$a" <<'EOF' && ok || bad "--csv does not parse back"
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), "CRLF line ends"
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
assert rows[0][:4] == ["id", "url", "source", "title"], rows[0]
assert len(rows) == int(sys.argv[2]) + 1, len(rows)
assert all(len(r) == len(rows[0]) for r in rows), "same number of fields"
EOF
tones=$(s --group-by tone --json | python3 -c '
import json, sys
print(sum(json.loads(l)["count"] for l in sys.stdin))')
check_eq "--group-by tone adds up to --count" "$tones" "$all"
check_eq "--group-by tone --csv header" "$(s --group-by tone --csv | head -1 | tr -d '\r')" "tone,count"
s --group-by region,tone --json >"$tmp/grid.jsonl"
python3 - "$tmp/grid.jsonl" <<'EOF' && ok || bad "--group-by region,tone --json rows"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert rows and all(set(r) == {"region", "tone", "count"} for r in rows), rows[:2]
assert any(r["region"] == "Павлодар" for r in rows)
EOF
check_has "--group-by region,tone: a contingency table" "$(s --group-by region,tone | head -1)" "negative"
check_has "--group-by quarter" "$(s --group-by quarter)" "2024-Q2"
check_eq "--group-by month adds up" "$(s --group-by month --csv | awk -F, 'NR > 1 { n += $2 } END { print n }')" "$all"
check_eq "--offset pages" "$(s --json --limit 5 --offset 5 | md5sum)" "$(s --json --limit 10 | tail -5 | md5sum)"
check_eq "--sort relevance: the same set" "$(s --json --limit 1000 --sort relevance суд | python3 -c '
import json, sys
print(sorted(json.loads(l)["id"] for l in sys.stdin))')" "$(s --json --limit 1000 суд | python3 -c '
import json, sys
print(sorted(json.loads(l)["id"] for l in sys.stdin))')"
check_eq "--sort relevance: the title match first" \
	"$(s --json --limit 1 --sort relevance 'задержали журналиста' | python3 -c '
import json, sys
print(json.loads(sys.stdin.readline())["url"])')" "$u_pavlodar"
check_has "snippet shows the matched form" "$(s --json --limit 1 'title:задержан' | python3 -c '
import json, sys
print(json.loads(sys.stdin.readline())["snippet"])')" "задерж"
check_lacks "no colour when not a terminal" "$(s задержали)" $'\033'

# Malformed queries: exit 2, the column, never SQL.
for q in 'суд AND|5' '(суд|1' 'суд "арест|5' 'a OR -b|3' 'NEAR(суд|1' 'title:|1'; do
	text=${q%|*} column=${q##*|}
	s -- "$text" >/dev/null 2>"$tmp/err"
	check_eq "'$text' exit" "$?" "2"
	check_has "'$text' names the column" "$(cat "$tmp/err")" "query column $column:"
	check_lacks "'$text' no SQL" "$(cat "$tmp/err")" "fts5"
done
s --sort size >/dev/null 2>&1
check_eq "--sort size exit" "$?" "2"
s --group-by colour >/dev/null 2>&1
check_eq "--group-by colour exit" "$?" "2"
s --json --csv >/dev/null 2>&1
check_eq "--json --csv exit" "$?" "2"
s --offset -1 >/dev/null 2>&1
check_eq "--offset -1 exit" "$?" "2"

finish

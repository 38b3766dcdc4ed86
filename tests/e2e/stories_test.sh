#!/usr/bin/env bash
# stories_test.sh [BUILD]: syndicated copies through a whole crawl. Three
# outlets (tests/fixtures/stories-site, see its generate.py) carry one story:
# ertis publishes it, dala and kaznews republish it with small edits;
# kaznews also has its own report of the same trial, dala an unrelated
# story. Checks: `search --story` gives one row per story with the numbers
# of copies and outlets (text and --json, with and without a query, with a
# source filter), plain search still counts every material; `show` lists the
# copies with outlet and date, the earliest marked first seen (text and
# --json); the other report of the same trial stays apart; `vigil archive
# reindex` gives the same grouping. Then the demo site: the seed 003 and
# seed 004 pages (two portals, the same opinion piece) are one story.
# Prints "N passed, N failed" last; exits 1 when anything failed.
set -u
. "$(dirname "$0")/lib.sh"

e2e_vigil "${1:-build}"
e2e_tmpdir stories
e2e_fixture_start tests/fixtures/stories-site
conf=$tmp/sources.conf
fixture_render_config "$state" tests/fixtures/stories-site/sources.conf.in "$conf" && ok ||
	bad "rendering sources.conf"
data=$tmp/data
ertis=$(fixture_origin "$state" ertis)
dala=$(fixture_origin "$state" dala)
kaznews=$(fixture_origin "$state" kaznews)
original=$ertis/2024/05/erzhanov-prigovor.html
copy_dala=$dala/news/erzhanov.html
copy_kaznews=$kaznews/sud/pavlodar-zhurnalist.html
other_report=$kaznews/sud/erzhanov-274.html

"$vigil" init --data "$data" >/dev/null || bad "init"
out=$("$vigil" crawl --data "$data" --config "$conf" --quiet 2>&1)
check_has "crawl" "$out" "new 5, changed 0, deleted 0, errors 0"

# field JSONL KEY: the values of KEY, one per line, in order.
field() {
	python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        v = json.loads(line)[sys.argv[2]]
        print(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
' "$1" "$2"
}
# stories JSONL: "url copies outlets" per row, sorted: the grouping without ids.
stories() {
	python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
for r in sorted(rows, key=lambda r: r["url"]):
    print(r["url"], r["copies"], r["outlets"])
' "$1"
}

# ---- search: every material, then one row per story ----
"$vigil" search --data "$data" --json >"$tmp/all.jsonl" || bad "search"
check_eq "plain search counts every copy" "$(wc -l <"$tmp/all.jsonl")" "5"
"$vigil" search --data "$data" --json --story >"$tmp/stories.jsonl" || bad "search --story"
stories "$tmp/stories.jsonl" >"$tmp/stories.txt"
printf '%s 1 1\n%s 3 3\n%s 1 1\n' "$dala/news/saparov.html" "$original" "$other_report" |
	sort >"$tmp/expected.txt"
check_same_lines "search --story: one row per story, the earliest copy, copies and outlets" \
	"$tmp/expected.txt" "$tmp/stories.txt"
# The story's row is the original (earliest published). The story id is the
# id of whichever copy was recorded first (crawl order), so one of the three.
story=$(python3 -c '
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["copies"] == 3:
        print(r["story"], r["id"], r["source"], r["published"])
' "$tmp/stories.jsonl")
read -r story_id first_id first_source first_published <<<"$story"
ids=$(python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(" ".join(str(r["id"]) for r in rows if r["url"] in sys.argv[2:]))
' "$tmp/all.jsonl" "$original" "$copy_dala" "$copy_kaznews")
check_eq "three copies found by URL" "$(wc -w <<<"$ids")" "3"
check_has "story id is one of its copies' ids" " $ids " " $story_id "
check_eq "earliest copy's outlet" "$first_source" "ertis"
check_eq "earliest copy's date" "$first_published" "2024-05-14T11:30:00+05:00"

# A query: the trial story and the other report; copies add up to plain search.
"$vigil" search --data "$data" --json --story Ержанов >"$tmp/q.jsonl" || bad "search --story QUERY"
check_eq "stories about Ержанов" "$(wc -l <"$tmp/q.jsonl")" "2"
check_eq "copies add up to the materials" "$(( $(field "$tmp/q.jsonl" copies | paste -sd+) ))" \
	"$("$vigil" search --data "$data" --json Ержанов | wc -l)"
# Filters select copies: dala's copy alone.
"$vigil" search --data "$data" --json --story --source dala Ержанов >"$tmp/dala.jsonl"
check_eq "source filter: dala's copy" "$(field "$tmp/dala.jsonl" url)" "$copy_dala"
check_eq "source filter: one copy" "$(field "$tmp/dala.jsonl" copies)" "1"

# The table says so too.
out=$("$vigil" search --data "$data" --story)
check_has "table: copies and outlets" "$out" "[3 copies, 3 outlets] Журналисту Марату Ержанову вынесли приговор"
check_has "table: footer" "$out" "3 stories of 5 materials"
out=$("$vigil" search --data "$data")
check_lacks "plain table: no story marks" "$out" "copies"
check_has "plain table: footer" "$out" "5 materials"

# ---- show: the copies, earliest first ----
out=$("$vigil" show --data "$data" "$copy_dala")
check_has "show: story line" "$out" "story       $story_id: 3 copies in 3 outlets, the earliest first"
lines=$(printf '%s\n' "$out" | grep -A3 '^story ' | tail -3)
check_has "show: first seen" "$(printf '%s\n' "$lines" | sed -n 1p)" \
	"2024-05-14  ertis          $original  [first seen]"
check_has "show: this copy" "$(printf '%s\n' "$lines" | sed -n 2p)" \
	"2024-05-15  dala           $copy_dala  [this]"
check_has "show: third copy" "$(printf '%s\n' "$lines" | sed -n 3p)" \
	"2024-05-16  kaznews        $copy_kaznews"
"$vigil" show --data "$data" --json "$copy_kaznews" >"$tmp/show.json" || bad "show --json"
check_eq "show --json: copies" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(d["story"], ";".join("%s %s %s %s" % (c["url"], c["source"], c["published"][:10], c["earliest"]) for c in d["copies"]))
' "$tmp/show.json")" "$story_id $original ertis 2024-05-14 True;$copy_dala dala 2024-05-15 False;$copy_kaznews kaznews 2024-05-16 False"
out=$("$vigil" show --data "$data" "$other_report")
check_has "show: the other report of the trial stands alone" "$out" "(no other copies)"
check_lacks "show: the other report lists no copy" "$out" "[first seen]"

# ---- reindex: the same grouping ----
"$vigil" archive reindex --data "$data" --config "$conf" >/dev/null 2>"$tmp/reindex.err" || bad "reindex"
"$vigil" search --data "$data" --json --story >"$tmp/stories2.jsonl" || bad "search --story after reindex"
stories "$tmp/stories2.jsonl" >"$tmp/stories2.txt"
check_same_lines "search --story after reindex" "$tmp/stories.txt" "$tmp/stories2.txt"
"$vigil" show --data "$data" --json "$copy_kaznews" >"$tmp/show2.json" || bad "show --json after reindex"
copies_of() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(" ".join("%s:%s" % (c["url"], c["earliest"]) for c in d["copies"]))
' "$1"
}
check_eq "show copies after reindex" "$(copies_of "$tmp/show2.json")" "$(copies_of "$tmp/show.json")"

# ---- the seeds: 003 (pulse) and 004 (optimism) through the demo crawl ----
# The same opinion piece on two portals, each page with its own chrome;
# the extracted texts must make one story.
demo_state=$tmp/demo-state
e2e_on_exit "fixture_stop '$demo_state'"
if fixture_start tests/demo-site "$demo_state" &&
	fixture_render_config "$demo_state" tests/demo-site/sources.conf.in "$tmp/demo.conf"; then
	"$vigil" init --data "$tmp/demo" >/dev/null || bad "init demo"
	"$vigil" crawl --data "$tmp/demo" --config "$tmp/demo.conf" --quiet >/dev/null 2>&1 || bad "demo crawl"
	pulse=$(fixture_origin "$demo_state" pulse)
	out=$("$vigil" show --data "$tmp/demo" "$pulse/articles/2025/05/dialog-vmesto-grantovoj-ritoriki.html")
	check_has "seed 003 and 004: one story" "$out" "2 copies in 2 outlets, the earliest first"
	check_has "seed 004 (optimism, 2024-04-18) first seen" "$(printf '%s\n' "$out" | grep -A1 '^story ' | tail -1)" \
		"2024-04-18  optimism"
	check_has "seed 004 marked" "$(printf '%s\n' "$out" | grep -A1 '^story ' | tail -1)" "[first seen]"
	out=$("$vigil" search --data "$tmp/demo" --story)
	check_has "demo: 32 stories of 33 materials" "$out" "32 stories of 33 materials"
else
	bad "demo site did not start"
fi

finish

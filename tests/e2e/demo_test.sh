#!/usr/bin/env bash
# demo_test.sh [BUILD]: the end-to-end test of vigil over the offline demo
# site (tests/demo-site/), with a fresh data directory in a temp dir:
# crawl 1 (the channel read back over three pages), phase 2 (an edit, an
# article deleted with 410, two channel posts deleted and confirmed on their
# embed pages, one edited, an album member gone; on vestnik: a redirect to
# the home page, a moved article, soft 404s in ru/kk/en, a 503 and a timeout
# that are not deletions, a 404, a minor edit), crawl 2, an idle crawl 3,
# phase 3 (the 404 page is back) and crawl 4, search / show / diff / sources
# / extract,
# robots.txt and scope in the server's request log, the data-dir lock, config
# errors, usage errors, and one crawl under valgrind.
# Prints "N passed, N failed" last; exits 1 when anything failed.
# Set DEMO_TEST_NO_VALGRIND=1 to skip the (slow) valgrind crawl.
set -u
. "$(dirname "$0")/lib.sh"
e2e_vigil "${1:-}"
e2e_tmpdir demo "(server log, request log, command outputs)"
data=$tmp/data
lockpid=
e2e_on_exit '[ -n "$lockpid" ] && kill "$lockpid" 2>/dev/null'

# ---- JSON helpers (python3 stdlib; no jq) ----
# One python3 process answers every query (a python start costs up to a
# second on a loaded 2-core machine, and there are ~80 queries). Request:
# one tab-separated line "MODE FILE [ARG...]"; answer: a line count, then
# that many lines. FILE holds JSON lines (search --json) or one object
# (show --json) and is re-read each time.
#   jfield FILE URL EXPR  EXPR (Python; m = the material with that url)
#   jurls FILE            the sorted urls
#   jeval FILE EXPR       EXPR over rows (the list of objects)
cat >"$tmp/q.py" <<'EOF'
import json, re, sys

def load(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        content = f.read()
    try:
        whole = json.loads(content)
        return whole if isinstance(whole, list) else [whole]
    except ValueError:
        rows = []
        for line in content.splitlines():
            line = line.strip()
            if line:
                rows.append(json.loads(line))
        return rows

def show(v):
    if isinstance(v, bool) or v is None:
        return str(v)
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)

def answer(req):
    mode, path, args = req[0], req[1], req[2:]
    try:
        rows = load(path)
    except (OSError, ValueError) as e:
        return "<cannot read %s: %s>" % (path, e)
    if mode == "urls":
        return "\n".join(sorted(r.get("url", "") for r in rows))
    if mode == "count":
        return str(len(rows))
    env = {"rows": rows, "re": re, "json": json}
    if mode == "field":
        ms = [r for r in rows if r.get("url") == args[0]]
        if not ms:
            return "<missing>"
        env["m"] = ms[0]
        expr = args[1]
    else:
        expr = args[0]
    try:
        return show(eval(expr, env))
    except Exception as e:
        return "<error in %s: %r>" % (expr, e)

for line in sys.stdin:
    text = answer(line.rstrip("\n").split("\t"))
    lines = text.split("\n")
    sys.stdout.write("%d\n%s\n" % (len(lines), "\n".join(lines)))
    sys.stdout.flush()
EOF
coproc JQ { exec python3 "$tmp/q.py"; }
jq_ask() {
	local IFS=$'\t' n i line
	printf '%s\n' "$*" >&"${JQ[1]}" || { echo "<query helper died>"; return; }
	read -r n <&"${JQ[0]}" || { echo "<query helper died>"; return; }
	for ((i = 0; i < n; i++)); do
		IFS= read -r line <&"${JQ[0]}"
		printf '%s\n' "$line"
	done
}
jfield() { jq_ask field "$@"; }
jurls() { jq_ask urls "$1"; }
jeval() { jq_ask eval "$@"; }
# summary LINE KEY: the number after KEY in "crawl: sources N, fetched N, ..."
summary() { printf '%s\n' "$1" | sed -n "s/.*[ ,]$2 \([0-9][0-9]*\).*/\1/p" | tail -1; }

e2e_demo_site && ok || bad "render config"
O=$(fixture_origin "$state" optimism)
C=$(fixture_origin "$state" civic)
P=$(fixture_origin "$state" pulse)
T=$(fixture_origin "$state" channel)
V=$(fixture_origin "$state" vestnik)

# The materials of the demo site, by role.
u_opinion004=$O/2024/04/18/konsultativno-soveshhatelnyj-organ-dialogovaya-ploshhadka/
u_pavlodar=$O/2024/05/14/v-pavlodare-zaderzhali-zhurnalista/
u_uralsk=$O/2024/06/03/obshhestvennyj-fond-v-uralske-oshtrafovali/
u_shymkent=$O/2024/06/10/v-shymkente-aktivista-arestovali/
u_road=$O/2024/06/12/v-almaty-perekroyut-tole-bi/
u_civicus=$C/news/2022/06/civicus-kazakhstan-repressed.html
u_interview=$C/interviews/2021/pravozashhitniki-ne-zashhishheny.html
u_karaganda=$C/news/2024/03/karaganda-obshhestvennyj-sovet.html
u_kostanay=$C/news/2024/04/kostanaj-dopros-zhurnalista.html
u_opinion003=$P/articles/2025/05/dialog-vmesto-grantovoj-ritoriki.html
u_oskemen=$P/articles/2024/05/ust-kamenogorsk-akimat.html
u_taraz=$P/articles/2024/05/taraz-advokat.html
u_post101=$T/kzdefenders/101
u_post102=$T/kzdefenders/102
u_post103=$T/kzdefenders/103
u_post104=$T/kzdefenders/104
u_post105=$T/kzdefenders/105
# The channel's history, read back with ?before=N (history = 11 posts).
u_history=$(for n in 90 91 93 94 95 98 100; do echo "$T/kzdefenders/$n"; done)
u_post93=$T/kzdefenders/93
u_post95=$T/kzdefenders/95
u_post98=$T/kzdefenders/98
# vestnik (tests/demo-site/generate_vestnik.py): how each ends in phase 2.
u_v_home=$V/2024/07/kyzylorda-zhurnalist.html       # 302 to the home page
u_v_moved=$V/2024/07/turkestan-fond.html            # 301 to its new address
u_v_moved_to=$V/2024/07/obshhestvo/turkestan-fond-pomeshhenie.html
u_v_ru=$V/2024/07/semey-piket.html                  # 200 "Страница не найдена"
u_v_kk=$V/2024/07/kokshetau-advokat.html            # 200 "Бет табылмады"
u_v_en=$V/2024/07/taldykorgan-blog.html             # 200 "Page not found"
u_v_503=$V/2024/07/aktau-profsoyuz.html             # 503
u_v_timeout=$V/2024/07/zhezkazgan-nablyudatel.html  # no answer within timeout
u_v_back=$V/2024/07/petropavlovsk-sud.html          # 404, back in phase 3
u_v_minor=$V/2024/07/pavlodar-pravozashhitniki.html # only its view counter changes
vestnik_urls=$(printf '%s\n' "$u_v_home" "$u_v_moved" "$u_v_ru" "$u_v_kk" "$u_v_en" "$u_v_503" \
	"$u_v_timeout" "$u_v_back" "$u_v_minor")
expected_urls=$(printf '%s\n' "$u_opinion004" "$u_pavlodar" "$u_uralsk" "$u_shymkent" "$u_road" \
	"$u_civicus" "$u_interview" "$u_karaganda" "$u_kostanay" \
	"$u_opinion003" "$u_oskemen" "$u_taraz" \
	"$u_post101" "$u_post102" "$u_post103" "$u_post104" "$u_post105" $u_history $vestnik_urls | sort)

# ---- init ----
"$vigil" init --data "$data" >"$tmp/init.out" 2>&1
check_eq "vigil init exit" "$?" "0"
[ -d "$data" ] && ok || bad "init did not create $data"

# ---- crawl 1 ----
"$vigil" crawl --data "$data" --config "$conf" >"$tmp/crawl1.out" 2>"$tmp/crawl1.err"
rc=$?
check_eq "crawl 1 exit" "$rc" "0"
line1=$(grep '^crawl: ' "$tmp/crawl1.out" | tail -1)
check_has "crawl 1 summary line" "$line1" "crawl: sources "
check_eq "crawl 1 sources" "$(summary "$line1" sources)" "5"
check_eq "crawl 1 new" "$(summary "$line1" new)" "33"
check_eq "crawl 1 changed" "$(summary "$line1" changed)" "0"
check_eq "crawl 1 deleted" "$(summary "$line1" deleted)" "0"
check_eq "crawl 1 errors" "$(summary "$line1" errors)" "0"
[ "$rc" -ne 0 ] || [ "$(summary "$line1" errors)" != "0" ] && sed 's/^/  crawl1: /' "$tmp/crawl1.err" >&2

"$vigil" search --data "$data" --json --limit 1000 >"$tmp/all1.jsonl" 2>"$tmp/all1.err"
check_eq "search --json exit" "$?" "0"
actual_urls=$(jurls "$tmp/all1.jsonl")
if [ "$actual_urls" = "$expected_urls" ]; then ok; else
	bad "materials after crawl 1 differ from the expected 33 (- expected, + actual):"
	diff <(printf '%s\n' "$expected_urls") <(printf '%s\n' "$actual_urls") | grep '^[<>]' | sed 's/^</  -/; s/^>/  +/' >&2
fi
check_eq "json keys" "$(jfield "$tmp/all1.jsonl" "$u_pavlodar" \
	'sorted(k for k in ["id","url","source","title","published","first_seen","last_seen","lang","tone","tone_score","relevant","regions","region_names","categories","threats","deleted","deleted_at","deleted_how","restored_at","edits","versions","post"] if k not in m)')" "[]"

# Relevance: everything is about defenders except the road closure.
for u in "$u_opinion004" "$u_pavlodar" "$u_uralsk" "$u_shymkent" "$u_civicus" "$u_interview" \
	"$u_karaganda" "$u_kostanay" "$u_opinion003" "$u_oskemen" "$u_taraz" \
	"$u_post101" "$u_post102" "$u_post103" "$u_post104" "$u_post105"; do
	check_eq "relevant ${u#http://127.0.0.1:}" "$(jfield "$tmp/all1.jsonl" "$u" 'm["relevant"] in (True, 1)')" "True"
done
check_eq "road closure not relevant" "$(jfield "$tmp/all1.jsonl" "$u_road" 'm["relevant"] in (True, 1)')" "False"

# Tone: seeds 003/004 (the discrediting opinion piece) negative, 002 supportive.
check_eq "tone seed 004 (optimism opinion)" "$(jfield "$tmp/all1.jsonl" "$u_opinion004" 'm["tone"]')" "negative"
check_eq "tone seed 003 (pulse republication)" "$(jfield "$tmp/all1.jsonl" "$u_opinion003" 'm["tone"]')" "negative"
check_eq "tone seed 002 (CIVICUS)" "$(jfield "$tmp/all1.jsonl" "$u_civicus" 'm["tone"]')" "supportive"
check_eq "tone_score seed 004 < 0" "$(jfield "$tmp/all1.jsonl" "$u_opinion004" 'm["tone_score"] < 0')" "True"
check_eq "tone_score seed 002 > 0" "$(jfield "$tmp/all1.jsonl" "$u_civicus" 'm["tone_score"] > 0')" "True"

# Regions: where the event happened; none from menus, widgets or footers.
check_eq "Pavlodar article region PAV" "$(jfield "$tmp/all1.jsonl" "$u_pavlodar" '"PAV" in m["regions"]')" "True"
check_eq "Pavlodar article names the city" "$(jfield "$tmp/all1.jsonl" "$u_pavlodar" \
	'any(re.fullmatch(r"(г\.\s*|город\s+)?Павлодар", n) for n in m["region_names"])')" "True"
check_eq "Pavlodar article: no other oblast" "$(jfield "$tmp/all1.jsonl" "$u_pavlodar" \
	'sorted(n for n in m["region_names"] if "Павлодар" not in n)')" "[]"
check_eq "Uralsk article region ZAP" "$(jfield "$tmp/all1.jsonl" "$u_uralsk" '"ZAP" in m["regions"]')" "True"
region_like() { # NAME URL REGEX: some region name matches REGEX
	check_eq "$1" "$(jfield "$tmp/all1.jsonl" "$2" "any(re.search(r\"$3\", n) for n in m[\"region_names\"]) or m[\"region_names\"]")" "True"
}
region_like "Shymkent article region" "$u_shymkent" "Шымкент"
region_like "Karaganda (windows-1251) region" "$u_karaganda" "Караганд|Қарағанд"
region_like "Kostanay (windows-1251) region" "$u_kostanay" "Костана|Қостана"
region_like "Oskemen article region" "$u_oskemen" "Усть-Каменогорск|Өскемен|Восточно-Казахстан|ВКО"
region_like "Taraz article region" "$u_taraz" "Тараз|Жамбыл"
region_like "post 101 region" "$u_post101" "Актобе|Ақтөбе|Актюбин"
region_like "post 102 region" "$u_post102" "Алматы"
region_like "post 103 region" "$u_post103" "Шымкент"
region_like "post 104 region" "$u_post104" "Атырау"
region_like "post 105 region" "$u_post105" "Петропавловск|Северо-Казахстан|СКО"
check_eq "seed 004: no region from the portal's region menu" "$(jfield "$tmp/all1.jsonl" "$u_opinion004" 'm["region_names"]')" "[]"
check_eq "seed 003: no region from the weather widget" "$(jfield "$tmp/all1.jsonl" "$u_opinion003" 'm["region_names"]')" "[]"
check_eq "road closure region Almaty" "$(jfield "$tmp/all1.jsonl" "$u_road" 'any("Алматы" in n for n in m["region_names"])')" "True"

# Metadata from the pages and feeds.
check_eq "seed 004 published" "$(jfield "$tmp/all1.jsonl" "$u_opinion004" 'm["published"][:10]')" "2024-04-18"
check_eq "seed 004 title" "$(jfield "$tmp/all1.jsonl" "$u_opinion004" 'm["title"]')" \
	"«Консультативно-совещательный орган «Диалоговая площадка по человеческому измерению» при МИД РК: возврат к диалогу критически важен"
check_eq "post 102 published" "$(jfield "$tmp/all1.jsonl" "$u_post102" 'm["published"][:10]')" "2024-06-02"
check_eq "language ru" "$(jfield "$tmp/all1.jsonl" "$u_civicus" 'm["lang"]')" "ru"
check_eq "source name" "$(jfield "$tmp/all1.jsonl" "$u_post104" 'm["source"]')" "kzdefenders"
check_eq "post key" "$(jfield "$tmp/all1.jsonl" "$u_post104" 'm["post"]')" "kzdefenders/104"
check_eq "an article has no post key" "$(jfield "$tmp/all1.jsonl" "$u_pavlodar" 'm["post"]')" "None"

# The channel's history: three pages, never the fourth; no embed checks yet.
log1=$state/requests.log
show_json_of() { # URL|ID EXPR: EXPR over the rows of vigil show --json
	"$vigil" show --data "$data" --json "$1" >"$tmp/post.json" 2>&1
	jeval "$tmp/post.json" "$2"
}
check_eq "channel pages read" "$(grep -cP '^\S+\tchannel\tGET\t/s/kzdefenders(\?before=(101|95))?\t200' "$log1")" "3"
check_eq "history ends at 11 posts" "$(grep -cP '^\S+\tchannel\t\S+\t/s/kzdefenders\?before=90' "$log1")" "0"
check_eq "no embed check in crawl 1" "$(grep -cP '^\S+\tchannel\t\S+\t\S*embed=1' "$log1")" "0"
check_eq "post 95 is an album" "$(show_json_of "$u_post95" 'rows[0]["channel_post"]["album"]')" '["95", "96", "97"]'
check_eq "service message 99 is no material" "$(jfield "$tmp/all1.jsonl" "$T/kzdefenders/99" 'm')" "<missing>"
check_eq "show by post key" "$(show_json_of kzdefenders/98 'rows[0]["url"]')" "$u_post98"
check_eq "post 100 language" "$(jfield "$tmp/all1.jsonl" "$T/kzdefenders/100" 'm["lang"]')" "ru"

# windows-1251 pages: title and text come out as proper UTF-8.
check_eq "cp1251 (header) title" "$(jfield "$tmp/all1.jsonl" "$u_karaganda" 'm["title"]')" \
	"В Караганде правозащитницу не допустили к заседанию общественного совета"
check_eq "cp1251 (meta) title" "$(jfield "$tmp/all1.jsonl" "$u_kostanay" 'm["title"]')" \
	"Журналиста из Костаная допросили по уголовному делу о ложной информации"
id_karaganda=$(jfield "$tmp/all1.jsonl" "$u_karaganda" 'm["id"]')
id_kostanay=$(jfield "$tmp/all1.jsonl" "$u_kostanay" 'm["id"]')
# show_text ID [ARGS]: the "text" of vigil show --json.
show_text() {
	"$vigil" show --data "$data" --json "$@" >"$tmp/show.json" 2>&1
	jeval "$tmp/show.json" 'rows[0]["text"]'
}
out=$(show_text "$id_karaganda")
check_has "cp1251 (header) text" "$out" "не допустили к заседанию общественного совета при акимате Карагандинской области"
check_lacks "cp1251 (header) no footer" "$out" "Жибек Жолы"
# show explains in JSON too: hits with context, the decision lines and who
# each threat comes from (here the akimat named in the threat's sentence).
x='rows[0]["explanation"]'
check_eq "show --json: explanation" "$(jeval "$tmp/show.json" "$x[\"available\"] and len($x[\"hits\"]) > 0 and len($x[\"decision\"]) > 0 and 'before' in $x[\"hits\"][0]")" "True"
check_has "show --json: threat source" "$(jeval "$tmp/show.json" "sorted(set(t['source'] for t in $x[\"threat_sources\"]))")" '"akimat"'
out=$("$vigil" show --data "$data" "$id_karaganda" 2>&1)
check_has "show: threat sources" "$out" "threat sources:"
check_has "show: a threat's source" "$out" ": akimat"
out=$(show_text "$id_kostanay")
check_has "cp1251 (meta) text" "$out" "Сергея Волкова допросили в качестве свидетеля"
check_has "cp1251 (meta) last paragraph" "$out" "требование удалить или изменить материал"
out=$("$vigil" extract --text tests/demo-site/civic/news/2024/04/kostanaj-dopros-zhurnalista.html 2>&1)
check_has "vigil extract of the cp1251 file" "$out" "Тобол-Пресс"

# Boilerplate: the seed 004 page's menus, "Рекомендуем" and footer are gone.
id_004=$(jfield "$tmp/all1.jsonl" "$u_opinion004" 'm["id"]')
out=$(show_text "$id_004")
check_has "seed 004 text" "$out" "Дискредитация, помноженная на дезинформацию"
for junk in "Рекомендуем" "Павлодарская область" "Яндекс.Метрика" "1xbet" "Загрузить еще" "Категории портала"; do
	check_lacks "seed 004 boilerplate '$junk'" "$out" "$junk"
done

# Inflected queries find their material.
"$vigil" search --data "$data" --json --limit 100 Павлодаре >"$tmp/q_pav.jsonl" 2>&1
check_has "query Павлодаре" "$(jurls "$tmp/q_pav.jsonl")" "$u_pavlodar"
"$vigil" search --data "$data" --json --limit 100 правозащитника >"$tmp/q_def.jsonl" 2>&1
check_has "query правозащитника -> 'Правозащитники считают'" "$(jurls "$tmp/q_def.jsonl")" "$u_taraz"
"$vigil" search --data "$data" --json --limit 100 Караганды >"$tmp/q_kar.jsonl" 2>&1
check_has "query Караганды (windows-1251 page)" "$(jurls "$tmp/q_kar.jsonl")" "$u_karaganda"
"$vigil" search --data "$data" --json --limit 100 --region ZAP >"$tmp/q_zap.jsonl" 2>&1
check_eq "search --region ZAP (the article and the album post from Uralsk)" "$(jurls "$tmp/q_zap.jsonl")" "$(printf '%s\n' "$u_uralsk" "$u_post95" | sort)"
"$vigil" search --data "$data" --json --limit 100 --tone negative >"$tmp/q_neg.jsonl" 2>&1
check_eq "search --tone negative = the opinion piece twice" "$(jurls "$tmp/q_neg.jsonl")" \
	"$(printf '%s\n' "$u_opinion004" "$u_opinion003" | sort)"

# robots.txt and scope, from the server's request log.
log=$state/requests.log
check_eq "pulse /admin/ never requested" "$(grep -cP '^\S+\tpulse\t\S+\t/admin' "$log")" "0"
check_eq "pulse robots.txt requested" "$(grep -cP '^\S+\tpulse\tGET\t/robots.txt\t' "$log" | awk '{ print ($1 >= 1) }')" "1"
check_eq "out-of-scope partner link not followed" "$(grep -cP '^\S+\toptimism\t\S+\t/partner/' "$log")" "0"
check_eq "user agent names vigil" "$(awk -F'\t' '$6 !~ /vigil/' "$log" | wc -l)" "0"
check_eq "pulse rubric page fetched (depth 1)" "$(grep -cP '^\S+\tpulse\tGET\t/rubric/pravo/\t200' "$log" | awk '{ print ($1 >= 1) }')" "1"

# ---- crawl 2, after phase 2 ----
fixture_phase "$state" 2
"$vigil" crawl --data "$data" --config "$conf" >"$tmp/crawl2.out" 2>"$tmp/crawl2.err"
rc=$?
check_eq "crawl 2 exit" "$rc" "0"
line2=$(grep '^crawl: ' "$tmp/crawl2.out" | tail -1)
check_eq "crawl 2 new (a moved article is no new material)" "$(summary "$line2" new)" "0"
# Uralsk (edited), channel post 98 (edited), the moved article (a minor version holding its new
# address), the counter change (a minor version).
check_eq "crawl 2 changed" "$(summary "$line2" changed)" "4"
# Shymkent (410), posts 103 and 93, vestnik: redirect to home, three soft 404s, 404.
check_eq "crawl 2 deleted" "$(summary "$line2" deleted)" "8"
check_eq "crawl 2 errors (the 503 and the timeout)" "$(summary "$line2" errors)" "2"
check_has "crawl 2 reports the 503" "$(cat "$tmp/crawl2.err")" "aktau-profsoyuz.html: HTTP 503"
check_has "crawl 2 reports the timeout" "$(cat "$tmp/crawl2.err")" "zhezkazgan-nablyudatel.html: Timeout"
[ "$rc" -ne 0 ] || [ "$(summary "$line2" errors)" != "2" ] && sed 's/^/  crawl2: /' "$tmp/crawl2.err" >&2

"$vigil" search --data "$data" --json --limit 1000 >"$tmp/all2.jsonl" 2>&1
check_eq "still 33 materials" "$(jq_ask count "$tmp/all2.jsonl")" "33"
check_eq "shymkent deleted" "$(jfield "$tmp/all2.jsonl" "$u_shymkent" 'm["deleted"]')" "True"
check_eq "shymkent deleted_at set" "$(jfield "$tmp/all2.jsonl" "$u_shymkent" 'bool(m["deleted_at"])')" "True"
check_eq "post 103 deleted" "$(jfield "$tmp/all2.jsonl" "$u_post103" 'm["deleted"]')" "True"
check_eq "post 102 not deleted" "$(jfield "$tmp/all2.jsonl" "$u_post102" 'm["deleted"]')" "False"
check_eq "uralsk versions" "$(jfield "$tmp/all2.jsonl" "$u_uralsk" 'm["versions"]')" "2"
check_eq "pavlodar versions" "$(jfield "$tmp/all2.jsonl" "$u_pavlodar" 'm["versions"]')" "1"
deleted_urls=$(printf '%s\n' "$u_shymkent" "$u_post103" "$u_post93" "$u_v_home" "$u_v_ru" "$u_v_kk" "$u_v_en" "$u_v_back" | sort)
check_eq "only these are deleted" "$(jeval "$tmp/all2.jsonl" 'sorted(r["url"] for r in rows if r["deleted"])')" \
	"$(python3 -c 'import json,sys; print(json.dumps(sorted(sys.argv[1:])))' $deleted_urls)"
"$vigil" search --data "$data" --json --deleted --limit 100 >"$tmp/deleted.jsonl" 2>&1
check_eq "search --deleted" "$(jurls "$tmp/deleted.jsonl")" "$deleted_urls"
# How each deletion was seen.
check_eq "how: 410" "$(jfield "$tmp/all2.jsonl" "$u_shymkent" 'm["deleted_how"]')" "410"
check_eq "how: channel" "$(jfield "$tmp/all2.jsonl" "$u_post103" 'm["deleted_how"]')" "channel"
check_eq "how: redirect to the home page" "$(jfield "$tmp/all2.jsonl" "$u_v_home" 'm["deleted_how"]')" "redirect"
check_eq "how: soft 404 (ru)" "$(jfield "$tmp/all2.jsonl" "$u_v_ru" 'm["deleted_how"]')" "soft-404"
check_eq "how: soft 404 (kk)" "$(jfield "$tmp/all2.jsonl" "$u_v_kk" 'm["deleted_how"]')" "soft-404"
check_eq "how: soft 404 (en)" "$(jfield "$tmp/all2.jsonl" "$u_v_en" 'm["deleted_how"]')" "soft-404"
check_eq "how: 404" "$(jfield "$tmp/all2.jsonl" "$u_v_back" 'm["deleted_how"]')" "404"
# Not deletions: a moved article, a 503, a timeout.
for u in "$u_v_moved" "$u_v_503" "$u_v_timeout" "$u_v_minor"; do
	check_eq "not deleted ${u#http://127.0.0.1:}" "$(jfield "$tmp/all2.jsonl" "$u" 'm["deleted"]')" "False"
done
check_eq "the moved article's new address is no material" "$(jfield "$tmp/all2.jsonl" "$u_v_moved_to" 'm')" "<missing>"
"$vigil" show --data "$data" --json "$u_v_moved" >"$tmp/moved.json" 2>&1
check_eq "moved: version 2 is minor and holds the new address" \
	"$(jeval "$tmp/moved.json" '[(v["number"], v["minor"], v["final_url"]) for v in rows[0]["versions_list"]]')" \
	"[[1, false, null], [2, true, \"$u_v_moved_to\"]]"
check_eq "moved: the classification is the article's" "$(jeval "$tmp/moved.json" 'rows[0]["title"]')" \
	"В Туркестане общественный фонд лишили помещения после доклада"
# The deleted article keeps its own title and classification, not the home page's.
check_eq "redirected: title kept" "$(jfield "$tmp/all2.jsonl" "$u_v_home" 'm["title"]')" \
	"В Кызылорде журналиста вызвали в полицию из-за поста о больнице"
check_eq "redirected: one version" "$(jfield "$tmp/all2.jsonl" "$u_v_home" 'm["versions"]')" "1"
out=$("$vigil" show --data "$data" "$u_v_home" 2>&1)
check_has "show: how" "$out" "redirected to a page that is not the article"
check_has "show: history names the target" "$out" "deleted  redirected to a page that is not the article: $V/"
"$vigil" show --data "$data" --json "$u_v_kk" >"$tmp/kk.json" 2>&1
check_eq "show --json events (kk soft 404)" \
	"$(jeval "$tmp/kk.json" '[(e["kind"], e["how"], "бет табылмады" in (e["detail"] or "")) for e in rows[0]["events"]]')" \
	'[["deleted", "soft-404", true]]'
# Edits: the counter change is a minor version, not an edit.
check_eq "minor edit: 2 versions" "$(jfield "$tmp/all2.jsonl" "$u_v_minor" 'm["versions"]')" "2"
check_eq "minor edit: no substantive edit" "$(jfield "$tmp/all2.jsonl" "$u_v_minor" 'm["edits"]')" "0"
"$vigil" search --data "$data" --json --edited --limit 100 >"$tmp/edited.jsonl" 2>&1
check_eq "search --edited: the Uralsk edit and channel post 98" "$(jurls "$tmp/edited.jsonl")" \
	"$(printf '%s\n' "$u_uralsk" "$u_post98" | sort)"
# The channel's history in phase 2: deletions confirmed on the embed page
# only; an edited post is a new version; an album member gone deletes nothing.
log2=$state/requests.log
check_eq "embed check of 103" "$(grep -cP '^\S+\tchannel\tGET\t/kzdefenders/103\?embed=1\t200' "$log2")" "1"
check_eq "embed check of 93" "$(grep -cP '^\S+\tchannel\tGET\t/kzdefenders/93\?embed=1\t200' "$log2")" "1"
check_eq "no other embed check (album member 96, gap 92, service 99)" \
	"$(grep -cP '^\S+\tchannel\t\S+\t\S*embed=1' "$log2")" "2"
check_eq "post 98 edited: 2 versions" "$(jfield "$tmp/all2.jsonl" "$u_post98" 'm["versions"]')" "2"
check_eq "post 98 bears the edited mark" "$(show_json_of "$u_post98" 'rows[0]["channel_post"]["edited"]')" "True"
check_has "post 98 new text" "$(show_json_of "$u_post98" 'rows[0]["text"]')" "защите предоставили доступ к делу"
check_eq "album post 95 not deleted" "$(jfield "$tmp/all2.jsonl" "$u_post95" 'm["deleted"]')" "False"
check_eq "album post 95 lost 96" "$(show_json_of "$u_post95" 'rows[0]["channel_post"]["album"]')" '["95", "97"]'
check_eq "post 93 deleted at its embed check" "$(show_json_of "$u_post93" 'rows[0]["deleted_at"] is not None')" "True"

id_shym=$(jfield "$tmp/all2.jsonl" "$u_shymkent" 'm["id"]')
out=$("$vigil" show --data "$data" "$id_shym" 2>&1)
check_eq "show deleted exit" "$?" "0"
check_has "show deleted article keeps its text" "$out" "арестовал на 10 суток гражданского активиста Нурлана Жаксылыкова"
out=$(show_text "$u_post103")
check_has "show deleted post by URL" "$out" "Дала Хабар"

id_ural=$(jfield "$tmp/all2.jsonl" "$u_uralsk" 'm["id"]')
old_para="Руководство фонда заявило, что намерено обжаловать постановление"
new_para="Обновлено 5 июня: Западно-Казахстанский областной суд отклонил жалобу фонда"
out=$("$vigil" show --data "$data" "$id_ural" 2>&1)
check_has "show edited: latest text" "$out" "$new_para"
check_lacks "show edited: latest lacks old paragraph" "$out" "$old_para"
check_has "show explains: hits with scope and context" "$out" "how (classified again now with the current rules):"
check_has "show explains: the place of the event" "$out" "region: C_URALSK (Уральск) is the place of the event"
check_has "show explains: the tone decision" "$out" "tone: "
out=$("$vigil" show --data "$data" "$id_ural" --version 1 2>&1)
check_has "show --version 1: old paragraph" "$out" "$old_para"
check_lacks "show --version 1: not the new one" "$out" "$new_para"
"$vigil" show --data "$data" --json "$id_ural" >"$tmp/ural.json" 2>&1
check_eq "show --json versions_list" "$(jeval "$tmp/ural.json" '[v["number"] for v in rows[0]["versions_list"]]')" "[1, 2]"
check_eq "show --json hits explain region" "$(jeval "$tmp/ural.json" 'any(h["kind"] == "region" and h["rule"] == "ZAP" for h in rows[0]["hits"])')" "True"
out=$("$vigil" diff --data "$data" "$id_ural" 2>&1)
check_eq "diff exit" "$?" "0"
check_has "diff: the added words" "$out" "{+Обновлено 5 июня: Западно-Казахстанский областной суд отклонил жалобу+}"
check_has "diff: the removed words" "$out" "[-заявило, что намерено обжаловать-]"
check_has "diff: versions named" "$out" "version 1 ("
"$vigil" diff --data "$data" --json "$u_uralsk" 1 2 >"$tmp/diff.json" 2>&1
check_eq "diff --json from/to" "$(jeval "$tmp/diff.json" '(rows[0]["from"]["number"], rows[0]["to"]["number"], rows[0]["to"]["minor"])')" "[1, 2, false]"
check_eq "diff --json added text" "$(jeval "$tmp/diff.json" 'any(s["op"] == "added" and "Обновлено 5 июня" in s["text"] for s in rows[0]["text"])')" "True"
"$vigil" diff --data "$data" --json "$u_v_minor" >"$tmp/diff_minor.json" 2>&1
check_eq "diff of the minor edit: only the counter" \
	"$(jeval "$tmp/diff_minor.json" '(rows[0]["to"]["minor"], [s["text"].strip() for s in rows[0]["text"] if s["op"] != "same"])')" \
	'[true, ["60", "107"]]'
"$vigil" diff --data "$data" "$u_pavlodar" >/dev/null 2>"$tmp/diff1.err"
check_eq "diff of a single version exit" "$?" "1"
check_has "diff of a single version says so" "$(cat "$tmp/diff1.err")" "only one version"
"$vigil" diff --data "$data" "$id_ural" 1 >/dev/null 2>&1
check_eq "diff with V1 only is a usage error" "$?" "2"

# ---- crawl 3: nothing changed ----
warc_bytes() { find "$data/warc" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
before=$(warc_bytes)
responses_before=$(find "$data/warc" -name '*.warc.zst' -exec zstd -dcq {} + | grep -a -c "^WARC-Type: response")
revisits_before=$(find "$data/warc" -name '*.warc.zst' -exec zstd -dcq {} + | grep -a -c "^WARC-Type: revisit")
[ "$before" -gt 0 ] && ok || bad "no WARC data under $data/warc"
"$vigil" crawl --data "$data" --config "$conf" >"$tmp/crawl3.out" 2>"$tmp/crawl3.err"
check_eq "crawl 3 exit" "$?" "0"
line3=$(grep '^crawl: ' "$tmp/crawl3.out" | tail -1)
check_eq "crawl 3 new" "$(summary "$line3" new)" "0"
check_eq "crawl 3 changed" "$(summary "$line3" changed)" "0"
check_eq "crawl 3 deleted" "$(summary "$line3" deleted)" "0"
check_eq "crawl 3 errors (the 503 and the timeout again)" "$(summary "$line3" errors)" "2"
after=$(warc_bytes)
# Every recheck is archived, but an unchanged answer only as a revisit
# record (a 304 to the conditional GET, or the same payload again): no
# response record, so no payload, is added.
warc_count() { find "$data/warc" -name '*.warc.zst' -exec zstd -dcq {} + | grep -a -c "^WARC-Type: $1"; }
check_eq "crawl 3 stores no new payload (response records)" "$(warc_count response)" "$responses_before"
check_eq "crawl 3 revisits = its summary" "$(warc_count revisit)" "$(( revisits_before + $(summary "$line3" revisits) ))"
[ "$(summary "$line3" revisits)" -gt 0 ] && ok || bad "crawl 3 wrote no revisit record: $line3"
[ "$after" -gt "$before" ] && [ $((after - before)) -lt $(( $(summary "$line3" fetched) * 2048 )) ] && ok ||
	bad "crawl 3 added $((after - before)) WARC bytes for $(summary "$line3" fetched) fetches"
check_eq "the moved article is rechecked at its new address" \
	"$(grep -cP "^\S+\tvestnik\tGET\t${u_v_moved_to#$V}\t(200|304)" "$state/requests.log")" "3"
check_eq "one probe of vestnik's not-found page (crawl 2; crawl 3 reuses it)" \
	"$(grep -cP '^\S+\tvestnik\tGET\t/vigil-probe-[0-9a-f]{16}\t404' "$state/requests.log")" "1"

# ---- crawl 4, after phase 3: the 404 page is back ----
fixture_phase "$state" 3
"$vigil" crawl --data "$data" --config "$conf" >"$tmp/crawl4.out" 2>"$tmp/crawl4.err"
check_eq "crawl 4 exit" "$?" "0"
line4=$(grep '^crawl: ' "$tmp/crawl4.out" | tail -1)
check_eq "crawl 4 changed (restored)" "$(summary "$line4" changed)" "1"
check_eq "crawl 4 deleted" "$(summary "$line4" deleted)" "0"
check_eq "crawl 4 errors" "$(summary "$line4" errors)" "0"
"$vigil" search --data "$data" --json --restored --limit 100 >"$tmp/restored.jsonl" 2>&1
check_eq "search --restored" "$(jurls "$tmp/restored.jsonl")" "$u_v_back"
check_eq "restored: live, restored_at set" "$(jfield "$tmp/restored.jsonl" "$u_v_back" '(m["deleted"], bool(m["restored_at"]), m["deleted_how"])')" '[false, true, null]'
"$vigil" show --data "$data" --json "$u_v_back" >"$tmp/back.json" 2>&1
check_eq "restored: history" "$(jeval "$tmp/back.json" '[(e["kind"], e["how"]) for e in rows[0]["events"]]')" '[["deleted", "404"], ["restored", null]]'
out=$("$vigil" show --data "$data" "$u_v_back" 2>&1)
check_has "show: restored at" "$out" "restored at"

# The search of the demo: seed-based materials with tone and region. (Seed
# 002 is not among them: it says "правозащитными группами", an adjective.)
"$vigil" search --data "$data" --json --limit 100 правозащитник >"$tmp/q_seed.jsonl" 2>&1
for u in "$u_opinion004" "$u_opinion003" "$u_interview"; do
	check_eq "правозащитник finds ${u#http://127.0.0.1:}" \
		"$(jfield "$tmp/q_seed.jsonl" "$u" 'm["tone"] in ("negative", "neutral", "supportive") and isinstance(m["regions"], list)')" "True"
done
out=$("$vigil" search --data "$data" правозащитник 2>&1)
check_has "plain search table" "$out" "Павлодар"

out=$("$vigil" sources --data "$data" --config "$conf" 2>&1)
check_eq "vigil sources exit" "$?" "0"
for s in optimism civic pulse kzdefenders vestnik; do check_has "sources lists $s" "$out" "$s"; done
check_has "sources shows due rechecks" "$out" "NEXT RECHECK"
"$vigil" sources --data "$data" --config "$conf" --json >"$tmp/sources.jsonl" 2>&1
# The demo config says recheck = always: every live material is due; a
# channel's posts are rechecked through its page (null).
check_eq "sources --json rechecks_due" "$(jeval "$tmp/sources.jsonl" '[r["rechecks_due"] is None if r["name"] == "kzdefenders" else r["rechecks_due"] == r["materials"] - r["deleted"] for r in rows]')" "[true, true, true, true, true]"

# ---- the lock ----
flock "$data/lock" sleep 5 &
lockpid=$!
for i in $(seq 1 40); do   # until the holder really has it
	flock -n "$data/lock" true 2>/dev/null || break
	sleep 0.1
done
"$vigil" crawl --data "$data" --config "$conf" >"$tmp/locked.out" 2>"$tmp/locked.err"
rc=$?
[ "$rc" -ne 0 ] && ok || bad "crawl while the lock is held exited 0"
case $(cat "$tmp/locked.err") in
*lock* | *"in use"*) ok ;;
*) bad "lock message: no 'lock' or 'in use' in: $(cat "$tmp/locked.err")" ;;
esac
# Killing flock(1) would leave its sleep holding the lock: let it end.
wait "$lockpid" 2>/dev/null
lockpid=
"$vigil" crawl --data "$data" --config "$conf" >/dev/null 2>"$tmp/unlocked.err"
check_eq "crawl once the lock is free" "$?" "0"

# ---- config and usage errors ----
{ head -n 12 "$conf"; echo "this line is not a setting"; tail -n +13 "$conf"; } >"$tmp/bad.conf"
"$vigil" crawl --data "$data" --config "$tmp/bad.conf" >"$tmp/bad.out" 2>"$tmp/bad.err"
rc=$?
[ "$rc" -ne 0 ] && ok || bad "crawl with a bad config exited 0"
check_has "bad config names file:line" "$(cat "$tmp/bad.err")" "bad.conf:13"
"$vigil" crawl --data "$data" --config "$tmp/nonexistent.conf" >/dev/null 2>"$tmp/nocfg.err"
[ "$?" -ne 0 ] && ok || bad "crawl with a missing config exited 0"
check_has "missing config named" "$(cat "$tmp/nocfg.err")" "nonexistent.conf"
# Without allow_private the demo sites (127.0.0.1) are refused: nothing sent.
grep -v '^allow_private' "$conf" >"$tmp/public.conf"
before=$(wc -l <"$log")
"$vigil" init --data "$tmp/public-data" >/dev/null 2>&1
"$vigil" crawl --data "$tmp/public-data" --config "$tmp/public.conf" >/dev/null 2>"$tmp/public.err"
check_has "loopback refused by default" "$(cat "$tmp/public.err")" \
	"refused to connect to 127.0.0.1 (loopback address)"
check_eq "no request sent without allow_private" "$(wc -l <"$log")" "$before"
"$vigil" crawl --data "$data" --no-such-option >/dev/null 2>"$tmp/usage.err"
check_eq "unknown option exit" "$?" "2"
"$vigil" search --data "$data" --limit >/dev/null 2>&1
check_eq "missing option value exit" "$?" "2"
"$vigil" no-such-command >/dev/null 2>&1
check_eq "unknown command exit" "$?" "2"
"$vigil" show --data "$data" 999999 >/dev/null 2>&1
check_eq "show unknown id exit" "$?" "1"
"$vigil" crawl --help >"$tmp/help.out" 2>&1
check_eq "crawl --help exit" "$?" "0"

# ---- one crawl under valgrind ----
if [ -z "${DEMO_TEST_NO_VALGRIND:-}" ] && command -v valgrind >/dev/null; then
	fixture_phase "$state" 1
	vdata=$tmp/vdata
	"$vigil" init --data "$vdata" >/dev/null 2>&1
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		"$vigil" crawl --data "$vdata" --config "$conf" >"$tmp/vg.out" 2>"$tmp/vg.err"
	rc=$?
	check_eq "crawl under valgrind exit" "$rc" "0"
	if [ "$rc" -ne 0 ]; then
		# The kinds of error, then the first one in full.
		grep -E '^==[0-9]+== [A-Z]' "$tmp/vg.err" | sed 's/^==[0-9]*== //' | sort | uniq -c |
			sort -rn | head -8 | sed 's/^/  valgrind: /' >&2
		grep -v '^vigil crawl: warning' "$tmp/vg.err" | head -16 | sed 's/^/  valgrind: /' >&2
	fi
	check_eq "valgrind crawl new" "$(summary "$(grep '^crawl: ' "$tmp/vg.out" | tail -1)" new)" "33"
fi

finish

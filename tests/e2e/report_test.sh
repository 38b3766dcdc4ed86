#!/usr/bin/env bash
# report_test.sh [BUILD]: `vigil report` over the demo site crawled twice
# (phase 1, then phase 2: edits and deletions). Checks: the figures of
# --format json against search (materials, outlets, deleted and edited
# materials, stories); every figure of the report (months, quarters, tones,
# threat totals and every non-empty matrix cell, regions, macro-regions,
# categories, outlets, deleted, edited, stories) equals the number of
# materials the search printed by --explain for that cell returns; md, csv
# and json agree on the matrix; the md layout (groups, blank cells); the
# html page is self-contained (no script, no external reference), its
# tile placement file (config/report_tiles.tsv) read and checked;
# --out; usage errors (exit 2). Then the html page in headless Chromium
# (Debian's chromium, installed by `scripts/setup.sh --test` when missing):
# a screenshot that is not blank (pixel variance, the heat colours present)
# and every matrix figure in the rendered DOM; without chromium a SKIP line.
# Prints "N passed, N failed" last; exits 1 when anything failed.
set -u
. "$(dirname "$0")/lib.sh"

e2e_vigil "${1:-build}"
e2e_tmpdir report
e2e_demo_site || bad "rendering sources.conf"
data=$tmp/data
"$vigil" init --data "$data" >/dev/null || bad "init"
"$vigil" crawl --data "$data" --config "$conf" --quiet >/dev/null 2>&1 || bad "crawl 1"
fixture_phase "$state" 2
"$vigil" crawl --data "$data" --config "$conf" --quiet >/dev/null 2>&1 # a 503 and a timeout: exit 0 or 1
fixture_stop "$state" >/dev/null 2>&1

from=2024-01-01 to=2025-01-01
report() { "$vigil" report --data "$data" --config "$conf" --from "$from" --to "$to" "$@"; }
report --format json >"$tmp/report.json" || bad "report --format json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/report.json" && ok ||
	bad "report json is not one JSON object"
# j EXPR: a value of the report (python expression over r)
j() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/report.json" "$1"; }
lines() { grep -c . || true; }

# ---- figures against plain searches ----
search() { "$vigil" search --data "$data" --relevant --since "$from" --until "$to" --limit 100000 --json "$@"; }
check_eq "materials" "$(j 'r["materials"]')" "$(search | lines)"
check_eq "outlets" "$(j 'r["outlets"]')" \
	"$(search | python3 -c 'import json,sys; print(len({json.loads(l)["source"] for l in sys.stdin}))')"
check_eq "stories" "$(j 'r["stories"]')" "$(search --story | lines)"
check_eq "deleted" "$(j 'len(r["deleted"])')" "$(search --deleted | lines)"
check_eq "edited" "$(j 'len(r["edited"])')" "$(search --edited | lines)"
# the demo's relevant materials of 2024 include deletions of five kinds and two edits
check_eq "deleted ways" "$(j '" ".join(sorted({d["deleted_how"] for d in r["deleted"]}))')" \
	"404 410 channel redirect soft-404"
check_eq "edited count" "$(j 'len(r["edited"])')" "2"
check_eq "months of 2024" "$(j 'len(r["months"])')" "12"
check_eq "months add up" "$(j 'sum(m["count"] for m in r["months"])')" "$(j 'r["materials"]')"
check_eq "quarters add up" "$(j 'sum(q["count"] for q in r["quarters"])')" "$(j 'r["materials"]')"
check_eq "tones add up" "$(j 'sum(t["count"] for t in r["tones"].values())')" "$(j 'r["materials"]')"
check_eq "threat sources left out" "$(j 'r["threat_sources"]')" "None"

# ---- every figure through --explain ----
# cells: "CELL<TAB>FIGURE" for every figure of the report
j_cells() {
	python3 - "$tmp/report.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
out = [("all", r["materials"]), ("stories", r["stories"]),
       ("deleted", len(r["deleted"])), ("edited", len(r["edited"]))]
out += [("month=" + m["key"], m["count"]) for m in r["months"]]
out += [("quarter=" + q["key"], q["count"]) for q in r["quarters"]]
out += [("tone=" + k, t["count"]) for k, t in r["tones"].items()]
for t in r["threats"]:
    out.append(("threat=" + t["id"], t["count"]))
    out += [("threat=%s,region=%s" % (t["id"], reg), n) for reg, n in t["regions"].items()]
out += [("region=" + x["id"], x["count"]) for x in r["regions"]]
out += [("region=" + x["id"], x["count"]) for x in r["macros"]]
out += [("category=" + x["id"], x["count"]) for x in r["categories"]]
out += [("source=" + x["id"], x["count"]) for x in r["sources"]]
for cell, n in out:
    print("%s\t%d" % (cell, n))
EOF
}
j_cells >"$tmp/cells.tsv"
cells=$(lines <"$tmp/cells.tsv")
[ "$cells" -gt 60 ] && ok || bad "only $cells figures to explain"
mismatches=0
while IFS=$'\t' read -r cell figure; do
	command=$(report --explain "$cell") || { bad "--explain $cell failed"; continue; }
	case $command in "vigil search --data "*) ;; *) bad "--explain $cell: $command"; continue ;; esac
	# run exactly the printed command (its quoting included), with --json
	got=$(eval "\"\$vigil\" ${command#vigil } --json" | lines)
	if [ "$got" != "$figure" ]; then
		mismatches=$((mismatches + 1))
		bad "--explain $cell: the report says $figure, '$command' returns $got"
	fi
done <"$tmp/cells.tsv"
check_eq "figures that differ from their search" "$mismatches" "0"
explained=$(report --explain "threat=police_detention,region=PAV")
check_eq "explain a matrix cell" "$explained" \
	"vigil search --data $data --relevant --since 2024-01-01 --until 2025-01-01 --threat police_detention --region PAV --limit 1000000"
check_eq "explain a month cuts the period" "$(report --explain month=2024-05 | grep -o -- '--since [^ ]* --until [^ ]*')" \
	"--since 2024-05-01 --until 2024-06-01"
check_eq "explain a quarter" "$(from=2024-05-15 report --explain quarter=2024-Q2 | grep -o -- '--since [^ ]* --until [^ ]*')" \
	"--since 2024-05-15 --until 2024-07-01"
report --explain threat=police_detention 2>"$tmp/err" >/dev/null
check_eq "explain a known threat: no warning" "$(cat "$tmp/err")" ""
check_has "explain a threat the rules lack: still explained" \
	"$(report --explain threat=polise_detention 2>"$tmp/err")" "--threat polise_detention"
check_has "explain a threat the rules lack: a warning" "$(cat "$tmp/err")" \
	"warning: --explain: threat 'polise_detention' is not in the rules"
check_has "explain quotes a Cyrillic name" "$(report --explain region=Павлодар)" "--region 'Павлодар'"

# ---- usage errors ----
for args in "--explain nosuch=1" "--explain month=2023-05" "--explain month=2024-13" \
	"--explain tone=angry" "--explain threat=a,threat=b" "--format pdf"; do
	# shellcheck disable=SC2086 # split on purpose
	report $args >/dev/null 2>"$tmp/err"
	check_eq "report $args: exit" "$?" "2"
done
"$vigil" report --data "$data" --to 2024-01-01 >/dev/null 2>&1
check_eq "--from missing" "$?" "2"
"$vigil" report --data "$data" --from 2024-02-01 --to 2024-01-01 >/dev/null 2>&1
check_eq "--to before --from" "$?" "2"
"$vigil" report --data "$tmp/none" --from 2024-01-01 --to 2024-02-01 >/dev/null 2>"$tmp/err"
check_eq "no index: exit" "$?" "1"
check_has "no index: hint" "$(cat "$tmp/err")" "vigil init"

# ---- md, csv and json agree ----
report --format md >"$tmp/report.md" || bad "report --format md"
report >"$tmp/default.md" && cmp -s "$tmp/report.md" "$tmp/default.md" && ok || bad "md is not the default"
report --format csv --out "$tmp/report.csv" >"$tmp/stdout" || bad "report --format csv --out"
check_eq "--out leaves stdout empty" "$(wc -c <"$tmp/stdout")" "0"
md=$(cat "$tmp/report.md")
check_has "md title" "$md" "# Media monitoring: 2024-01-01 to 2025-01-01 (exclusive)"
check_has "md matrix heading" "$md" "## Threat types by region"
check_has "md group row" "$md" "| **police** |"
check_has "md blank cells" "$md" "| | |"
check_has "md deleted with its show command" "$md" "\`vigil show --data $data "
check_has "md edited with its diff" "$md" "\`vigil diff --data $data "
check_has "md threat sources said" "$md" "Sources of threats are not counted"
python3 - "$tmp/report.json" "$tmp/report.csv" "$tmp/report.md" <<'EOF' && ok || bad "md, csv and json disagree on the matrix"
import csv, json, sys
r = json.load(open(sys.argv[1]))
want = {(t["id"], reg): n for t in r["threats"] for reg, n in t["regions"].items()}
rows = list(csv.reader(open(sys.argv[2], newline="")))
assert rows[0] == ["section", "row", "column", "value"], rows[0]
got = {(x[1], x[2]): int(x[3]) for x in rows if x[0] == "matrix"}
assert got == want, (got, want)
totals = {x[1]: int(x[3]) for x in rows if x[0] == "threat"}
assert totals == {t["id"]: t["count"] for t in r["threats"]}
# md: the matrix rows, cells by column heading
md = open(sys.argv[3]).read().split("## Threat types by region")[1].split("\n## ")[0]
table = [l for l in md.splitlines() if l.startswith("|")]
head = [c.strip() for c in table[0].strip("|").split("|")]
label_of = {x["id"]: x["label"] for x in r["regions"]}
for t in r["threats"]:
    line = next(l for l in table if l.startswith("| %s |" % (t["label"] or t["id"])))
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[1] == str(t["count"]), (line, t)
    for reg, n in t["regions"].items():
        assert cells[head.index(label_of[reg])] == str(n), (line, reg, n)
    assert sum(1 for c in cells[2:] if c) == len(t["regions"]), line
EOF

# ---- html: one self-contained file ----
report --format html --out "$tmp/report.html" || bad "report --format html"
html=$(cat "$tmp/report.html")
check_has "html doctype" "$html" "<!DOCTYPE html>"
check_has "html inline svg" "$html" "<svg"
check_has "html heat map" "$html" "class=heat"
for external in "<script" "<link" "src=" "href=" "@import" "url(" "@font-face"; do
	check_lacks "html has no $external" "$html" "$external"
done

# the tile map's placement file: a region it leaves out is listed under the
# map; a malformed line is an error naming file and line
cp -r config "$tmp/config"
grep -v '^PAV' config/report_tiles.tsv >"$tmp/config/report_tiles.tsv"
VIGIL_CONFIG_DIR=$tmp/config report --format html >"$tmp/unplaced.html" || bad "report with an unplaced region"
check_has "unplaced region listed" "$(cat "$tmp/unplaced.html")" "Not on the map: Павлодарская область (2)"
printf 'ABA\tnorth\t1\n' >>"$tmp/config/report_tiles.tsv"
VIGIL_CONFIG_DIR=$tmp/config report --format html >/dev/null 2>"$tmp/err"
check_eq "malformed tile file: exit" "$?" "1"
check_has "malformed tile file: where" "$(cat "$tmp/err")" "report_tiles.tsv:$(wc -l <"$tmp/config/report_tiles.tsv"): expected ID<TAB>COLUMN<TAB>ROW"

# ---- html in headless Chromium ----
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	bash scripts/setup.sh --test >"$tmp/setup.log" 2>&1 || true
	chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$chromium" ]; then
	echo "SKIP: headless Chromium checks of the html report (chromium could not be installed; see scripts/setup.sh --test)"
else
	browse() { # OUTPUT ARGS...: chromium headless on the report (60 s: a hang guard)
		local output=$1
		shift
		timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
			--disable-extensions --user-data-dir="$tmp/chromium" "$@" \
			"file://$tmp/report.html" >"$output" 2>>"$tmp/chromium.log"
	}
	chromium_checks() {
	# one run: the page at half scale (fewer pixels to decode), its DOM
	browse "$tmp/dom.html" --hide-scrollbars --force-device-scale-factor=0.5 \
		--window-size=1400,3000 --screenshot="$tmp/shot.png" --dump-dom ||
		bad "chromium failed: $(tail -3 "$tmp/chromium.log")"
	# the screenshot: a PNG decoded with zlib; not one colour, and the
	# deepest heat colour (#b2182b, the fullest matrix cell and tile) shows
	python3 - "$tmp/shot.png" <<'EOF' && ok || bad "the screenshot is blank or lacks the heat map"
import itertools, struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and colour in (2, 6), (depth, colour)
        channels = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * channels
prev = bytes(stride)
pixels = []
for y in range(height):
    f = raw[y * (stride + 1)]
    line = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
    if f == 1:  # Sub: a running sum per channel
        out = bytearray(stride)
        for c in range(channels):
            out[c::channels] = bytes(itertools.accumulate(line[c::channels], lambda a, b: (a + b) & 255))
        line = bytes(out)
    elif f == 2:  # Up
        line = bytes(map(lambda x, b: (x + b) & 255, line, prev))
    elif f in (3, 4):  # Average, Paeth: byte by byte
        out = bytearray(line)
        for i in range(stride):
            a = out[i - channels] if i >= channels else 0
            b = prev[i]
            if f == 3:
                out[i] = (out[i] + (a + b) // 2) & 255
                continue
            c = prev[i - channels] if i >= channels else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            out[i] = (out[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        line = bytes(out)
    pixels.append(line)
    prev = line
lum = [sum(row[i:i + 3]) / 3 for row in pixels for i in range(0, stride, channels)]
mean = sum(lum) / len(lum)
variance = sum((v - mean) ** 2 for v in lum) / len(lum)
assert variance > 100, "blank: variance %.1f" % variance
deep = sum(1 for row in pixels for i in range(0, stride, channels)
           if abs(row[i] - 0xb2) < 6 and abs(row[i + 1] - 0x18) < 6 and abs(row[i + 2] - 0x2b) < 6)
assert deep > 50, "no heat colour: %d pixels" % deep
print("screenshot %dx%d, variance %.0f, %d heat pixels" % (width, height, variance, deep))
EOF
	# the DOM Chromium built: the matrix with every figure of the json
	python3 - "$tmp/report.json" "$tmp/dom.html" <<'EOF' && ok || bad "the rendered matrix differs from the report's figures"
import json, sys
from html.parser import HTMLParser
r = json.load(open(sys.argv[1]))
class Matrix(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside = self.cell = False
        self.rows, self.text = [], ""
    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "heat") in attrs: self.inside = True
        elif self.inside and tag == "tr": self.rows.append([])
        elif self.inside and tag in ("td", "th"): self.cell, self.text = True, ""
    def handle_endtag(self, tag):
        if tag == "table": self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell:
            self.rows[-1].append(self.text.strip()); self.cell = False
    def handle_data(self, data):
        if self.cell: self.text += data
m = Matrix()
m.feed(open(sys.argv[2], encoding="utf-8").read())
assert m.rows, "no heat table in the DOM"
head = m.rows[0]
label_of = {x["id"]: x["label"] for x in r["regions"]}
checked = 0
for t in r["threats"]:
    row = next(x for x in m.rows if x and x[0] == (t["label"] or t["id"]))
    assert row[1] == str(t["count"]), row
    for reg, n in t["regions"].items():
        assert row[head.index(label_of[reg])] == str(n), (row, reg)
        checked += 1
assert checked == sum(len(t["regions"]) for t in r["threats"])
print("%d matrix cells in the rendered page" % checked)
EOF
	}
	# The budget is 20 s of CPU (chromium and the decoding); wall time on a
	# loaded machine is printed, not judged.
	TIMEFORMAT='%R %U %S'
	{ time chromium_checks 2>&3; } 3>&2 2>"$tmp/chromium.time"
	read -r wall user sys <"$tmp/chromium.time"
	cpu=$(python3 -c 'import sys; print(round(float(sys.argv[1]) + float(sys.argv[2]), 1))' "$user" "$sys")
	echo "chromium checks: ${wall}s wall, ${cpu}s CPU"
	python3 -c 'import sys; sys.exit(float(sys.argv[1]) >= 20)' "$cpu" && ok ||
		bad "chromium checks took ${cpu}s of CPU (budget 20)"
fi
finish

#!/usr/bin/env bash
# demo.sh VIGIL: the offline demo (`make demo`).
# Serves tests/demo-site/ on 127.0.0.1, crawls it into ./vigil-demo-data,
# switches the site to phase 2 (an article edited, one deleted, a channel
# post deleted; on vestnik articles redirected to the home page, moved, turned
# into "not found" pages, a 503 and a timeout), crawls again, then shows a
# search, what was deleted and how, the deleted article and the edit.
# The rendered sources file stays in vigil-demo-data/sources.conf, so
# `vigil crawl --data vigil-demo-data` works again while a fixture server
# with the same ports is up (the ports change with every run of this script).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

vigil=${1:-build/vigil}
case $vigil in /*) ;; *) vigil=$repo/$vigil ;; esac
if [ ! -x "$vigil" ]; then
	echo "demo: $vigil not found; run 'make' first" >&2
	exit 1
fi
data=vigil-demo-data

. tests/server/lib.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vigil-demo.XXXXXX")
state=$tmp/state
cleanup() {
	fixture_stop "$state" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n==> %s\n' "$*"; }

step "Starting the offline fixture sites (tests/demo-site)"
fixture_start tests/demo-site "$state"
while read -r site port; do
	printf '    %-9s http://127.0.0.1:%s/\n' "$site" "$port"
done <"$state/ports"

step "Creating a fresh data directory ./$data"
rm -rf "$data"
"$vigil" init --data "$data"
fixture_render_config "$state" tests/demo-site/sources.conf.in "$data/sources.conf"
echo "    sources: $data/sources.conf (5 sources: optimism feed, civic feed, pulse site, kzdefenders channel, vestnik feed)"

step "Crawl 1 (the sites as first published)"
"$vigil" crawl --data "$data" --config "$data/sources.conf"

step "Phase 2: articles edited, deleted (410, 404, redirect to the home page, \"not found\" pages), moved; channel posts deleted and edited; a 503 and a timeout"
fixture_phase "$state" 2

step "Crawl 2 (expect: changed 4, deleted 8, errors 2 (the 503 and the timeout, which are no deletions); the config is now found as $data/sources.conf)"
"$vigil" crawl --data "$data"

step "vigil search --data $data правозащитник"
"$vigil" search --data "$data" правозащитник

deleted_id=$("$vigil" search --data "$data" --deleted --json --limit 100 | python3 -c '
import json, sys
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    m = json.loads(line)
    # The deleted article, not the deleted channel posts.
    if m.get("deleted") and m.get("source") != "kzdefenders":
        print(m["id"])
        break
')
if [ -z "$deleted_id" ]; then
	echo "demo: no deleted article found by 'vigil search --deleted --json'" >&2
	exit 1
fi

step "vigil search --data $data --deleted   (deleted by the publisher, kept by vigil)"
"$vigil" search --data "$data" --deleted
"$vigil" search --data "$data" --deleted --json | python3 -c '
import json, sys
for line in sys.stdin:
    if line.strip():
        m = json.loads(line)
        print("    %-9s %s" % (m["deleted_how"], m["url"]))
'

step "vigil show --data $data $deleted_id   (how and when it was deleted, and its text)"
"$vigil" show --data "$data" "$deleted_id"

edited_id=$("$vigil" search --data "$data" --edited --json --limit 1 | python3 -c '
import json, sys
for line in sys.stdin:
    if line.strip():
        print(json.loads(line)["id"])
')
if [ -n "$edited_id" ]; then
	step "vigil diff --data $data $edited_id   (what the edit changed)"
	"$vigil" diff --data "$data" "$edited_id"
fi

step "Done"
echo "    data: ./$data   (try: $vigil search --data $data --json Павлодаре)"

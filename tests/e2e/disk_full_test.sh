#!/usr/bin/env bash
# disk_full_test.sh [BUILD]: a crawl on a really full disk (a small tmpfs).
# The data directory lives on a tmpfs whose free space is cut (with a filler
# file) to about half of what crawl 1 of the demo site needs. Then:
#   - the crawl stops with exit 1 and a message saying the disk is full
#     ("No space left on device" / "database or disk is full") and naming the
#     file (a .warc.zst or index.sqlite);
#   - `vigil archive verify` passes and PRAGMA integrity_check says ok;
#   - what was archived before the disk filled is there and readable (its
#     WARC records; the index rows of the batch that was open may be lost);
#   - with the filler gone the next crawl continues and succeeds; after
#     phase 2 every material equals an uninterrupted run's.
# Needs root and a working `mount -t tmpfs`; otherwise it prints a note and
# counts nothing. (The same failure is injected without root by the
# persistent write faults of tests/unit/test_crawler_faults.c.)
# Prints "N passed, N failed" last; exits 1 when anything failed.
set -u
. "$(dirname "$0")/lib.sh"
e2e_vigil "${1:-}"
e2e_tmpdir disk_full
mnt=$tmp/mnt
mounted=
e2e_on_exit '[ -n "$mounted" ] && umount "$mnt" 2>/dev/null'

mkdir -p "$mnt"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=16m vigil-test "$mnt" 2>/dev/null; then
	echo "disk_full_test: skipped (needs root and mount -t tmpfs; the injected full disk of test_crawler_faults still runs)"
	finish
fi
mounted=1

e2e_demo_site || { bad "render config"; finish; }

free_bytes() { df --output=avail -B1 "$mnt" | tail -1 | tr -d ' '; }

# The reference, on the ordinary disk; it also says how much crawl 1 needs.
ref=$tmp/ref
"$vigil" init --data "$ref" >/dev/null 2>&1 || { bad "init"; finish; }
empty=$(du -sb "$ref" | cut -f1)
fixture_phase "$state" 1
"$vigil" crawl --data "$ref" --config "$conf" >/dev/null 2>"$tmp/ref1.err" || bad "reference crawl 1: $(cat "$tmp/ref1.err")"
need=$(($(du -sb "$ref" | cut -f1) - empty))
fixture_phase "$state" 2
"$vigil" crawl --data "$ref" --config "$conf" >/dev/null 2>"$tmp/ref2.err" || bad "reference crawl 2: $(cat "$tmp/ref2.err")"
"$vigil" search --data "$ref" --json --limit 1000 >"$tmp/ref.jsonl" 2>&1 || bad "reference search"
e2e_normalize_materials "$tmp/ref.jsonl" >"$tmp/ref.norm"

# The full disk: leave about half of what crawl 1 needs.
data=$mnt/data
"$vigil" init --data "$data" >/dev/null 2>&1 || { bad "init on tmpfs"; finish; }
leave=$((need / 2))
fill=$(($(free_bytes) - leave))
if [ "$fill" -gt 0 ]; then
	head -c "$fill" /dev/zero >"$mnt/filler" 2>/dev/null
fi
echo "disk_full_test: crawl 1 needs $need bytes; $(free_bytes) bytes left free on the tmpfs"
fixture_phase "$state" 1
"$vigil" crawl --data "$data" --config "$conf" >"$tmp/full.out" 2>"$tmp/full.err"
rc=$?
msg=$(grep -v 'warning:' "$tmp/full.err" | tail -1)
[ "$rc" -eq 1 ] && ok || bad "crawl on a full disk: exit $rc, expected 1 (stderr: $(cat "$tmp/full.err"))"
case $msg in
*"No space left on device"* | *"disk is full"*) ok ;;
*) bad "no disk-full message: '$msg'" ;;
esac
case $msg in
*"$data/warc/"*".warc.zst"* | *"$data/index.sqlite"*) ok ;;
*) bad "the message names no file: '$msg'" ;;
esac
echo "disk_full_test: the crawl said: $msg"
if out=$("$vigil" archive verify --data "$data" 2>&1); then ok; else bad "archive verify on the full disk: $out"; fi
echo "disk_full_test: verify: $out"
res=$(sqlite3 "$data/index.sqlite" "PRAGMA integrity_check;" 2>&1)
[ "$res" = ok ] && ok || bad "integrity_check on the full disk: $res"
# What was archived is in the WARC files, every record read back by verify.
# (Its capture rows may be gone with the index batch that could not be
# committed on the full disk: crawler/README.md; the entries stay pending
# and the next crawl fetches them again, as checked below.)
records=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) records.*/\1/p' | tail -1)
case $records in
'' | *[!0-9]*) bad "cannot count the archived records: $out" ;;
*) [ "$records" -gt 0 ] && ok || bad "nothing was archived before the disk filled (need $need, left $leave)" ;;
esac
"$vigil" search --data "$data" --json --limit 1000 >"$tmp/partial.jsonl" 2>"$tmp/partial.err"
[ "$?" -eq 0 ] && ok || bad "search on the full disk: $(cat "$tmp/partial.err")"

# Space again: the next crawl continues, then phase 2 as in the reference.
rm -f "$mnt/filler"
"$vigil" crawl --data "$data" --config "$conf" >/dev/null 2>"$tmp/again.err"
rc=$?
[ "$rc" -eq 0 ] && ok || bad "crawl with space again: exit $rc: $(cat "$tmp/again.err")"
fixture_phase "$state" 2
"$vigil" crawl --data "$data" --config "$conf" >/dev/null 2>"$tmp/again2.err"
rc=$?
[ "$rc" -eq 0 ] && ok || bad "crawl 2: exit $rc: $(cat "$tmp/again2.err")"
if out=$("$vigil" archive verify --data "$data" 2>&1); then ok; else bad "archive verify at the end: $out"; fi
"$vigil" search --data "$data" --json --limit 1000 >"$tmp/final.jsonl" 2>&1 || bad "final search"
e2e_normalize_materials "$tmp/final.jsonl" >"$tmp/final.norm"
check_same_lines "materials differ from the uninterrupted run (- reference, + after the full disk):" \
	"$tmp/ref.norm" "$tmp/final.norm"
finish

#!/usr/bin/env bash
# Install the Debian packages vigil needs to build and test, only when one
# is missing. Run by `make` before the first compile; safe to run again.
# `scripts/setup.sh --test` (what .ci/run calls) adds what only tests need:
# chromium, for the html report in tests/e2e/report_test.sh (which runs
# this itself when chromium is missing and prints SKIP when it still
# cannot be had). `make` alone installs the build packages only.
set -euo pipefail
packages=(build-essential pkg-config libcurl4-openssl-dev libxml2-dev libpcre2-dev
	  libzstd-dev libsqlite3-dev libidn2-dev libssl-dev libutf8proc-dev libstemmer-dev python3 valgrind
	  man-db) # man-db: tests render the generated man page (man -l) against --help
if [ "${1:-}" = "--test" ]; then
	packages+=(chromium)
fi
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >&2

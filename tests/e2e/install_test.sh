#!/usr/bin/env bash
# install_test.sh [BUILD]: `make install` and what an installed vigil needs.
#  - make install DESTDIR=D PREFIX=/usr/local puts exactly the program, the
#    shipped configuration (sources.conf, rules/), the man page and the
#    systemd units under D/usr/local; make uninstall removes them again;
#  - the installed program, run from a directory outside the source tree
#    with no VIGIL_* variables, finds its configuration in ../share/vigil:
#    rules check names it, init and sources work, a crawl of the demo site
#    classifies with the installed rules; moved elsewhere or called through
#    a symlink it still finds them; without them it says where it looked;
#  - the installed man page renders and carries every command;
#  - the systemd units pass `systemd-analyze verify` (skipped, saying so,
#    when systemd-analyze is missing), which does catch a broken unit.
set -u
. "$(dirname "$0")/lib.sh"
e2e_vigil "${1:-}"
e2e_tmpdir install
unset VIGIL_CONFIG_DIR VIGIL_CONFIG VIGIL_DATA

install_into() { # DESTDIR PREFIX [TARGET]
	make -s --no-print-directory -C "$repo" BUILD="$build" DESTDIR="$1" PREFIX="$2" "${3:-install}" \
		>"$tmp/make.out" 2>&1
}

dest=$tmp/dest
install_into "$dest" /usr/local
check_eq "make install exit" "$?" "0"
root=$dest/usr/local
expected=$(cd "$repo" && {
	echo bin/vigil
	echo share/vigil/sources.conf
	for f in config/rules/*.rules config/rules/*.phrases; do echo "share/vigil/rules/${f##*/}"; done
	echo share/man/man1/vigil.1
	echo lib/systemd/system/vigil.service
	echo lib/systemd/system/vigil.timer
} | sort)
check_eq "installed files" "$(cd "$root" && find . -type f | sed 's|^\./||' | sort)" "$expected"
[ -z "$(find "$dest" -mindepth 1 -maxdepth 1 ! -name usr)" ] && ok || bad "make install wrote outside DESTDIR/usr"
cmp -s "$build/vigil" "$root/bin/vigil" && ok || bad "installed program differs from $build/vigil"
[ -x "$root/bin/vigil" ] && ok || bad "installed program not executable"
check_lacks "units have @BINDIR@ filled in" "$(cat "$root"/lib/systemd/system/*)" "@BINDIR@"
check_has "service runs the installed path" "$(cat "$root/lib/systemd/system/vigil.service")" \
	"ExecStart=/usr/local/bin/vigil crawl"

# ---- the installed program, outside the tree ----
mkdir -p "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
out=$("$root/bin/vigil" rules check 2>&1)
check_eq "installed rules check exit" "$?" "0"
check_has "installed rules check uses share/vigil" "$out" "in $root/share/vigil/rules: all compile"
out=$("$root/bin/vigil" init --data "$tmp/data" 2>&1)
check_eq "installed init exit" "$?" "0"
[ -f "$tmp/data/index.sqlite" ] && ok || bad "installed init made no index"
first_source=$(sed -n 's/^\[source \([^]]*\)\]/\1/p' "$repo/config/sources.conf" | head -1)
out=$("$root/bin/vigil" sources --data "$tmp/data" 2>&1)
check_eq "installed sources exit (shipped sources.conf)" "$?" "0"
check_has "installed sources lists the shipped starter list" "$out" "$first_source"

cd "$repo" || exit 1
e2e_demo_site || bad "demo sources.conf not rendered"
cp "$conf" "$tmp/data/sources.conf"
cd "$tmp/elsewhere" || exit 1
out=$("$root/bin/vigil" crawl --data "$tmp/data" --quiet 2>&1)
check_eq "installed crawl exit" "$?" "0"
check_has "installed crawl summary" "$out" "crawl: sources "
relevant=$("$root/bin/vigil" search --data "$tmp/data" --relevant --json --limit 1000 2>/dev/null | grep -c '"url"')
[ "$relevant" -gt 0 ] && ok || bad "installed crawl classified no material as relevant"
out=$("$root/bin/vigil" search --data "$tmp/data" --json --region PAV 2>/dev/null | grep -c '"url"')
[ "$out" -gt 0 ] && ok || bad "installed crawl found no material in region PAV"

# ---- the man page ----
if command -v man >/dev/null 2>&1; then
	page=$(MANWIDTH=80 MANPAGER=cat man -l "$root/share/man/man1/vigil.1" 2>&1)
	check_eq "man -l exit" "$?" "0"
	for c in $("$vigil" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p'); do
		check_has "installed man page has 'vigil $c'" "$page" "vigil $c"
	done
else
	echo "install_test: man not found: installed man page not rendered" >&2
fi

# ---- moved, symlinked, and without its configuration ----
mv "$root" "$tmp/moved"
out=$("$tmp/moved/bin/vigil" rules check 2>&1)
check_eq "moved rules check exit" "$?" "0"
check_has "moved tree finds its own share/vigil" "$out" "in $tmp/moved/share/vigil/rules: all compile"
mkdir -p "$tmp/links"
ln -s "$tmp/moved/bin/vigil" "$tmp/links/vigil"
out=$("$tmp/links/vigil" rules check 2>&1)
check_has "symlinked program finds the tree it points into" "$out" "in $tmp/moved/share/vigil/rules"
mv "$tmp/moved/share/vigil" "$tmp/moved/share/vigil.away"
out=$("$tmp/moved/bin/vigil" rules check 2>&1)
check_eq "no configuration: rules check exit" "$?" "1"
check_has "no configuration: says so" "$out" "no shipped configuration"
check_has "no configuration: names the program" "$out" "$tmp/moved/bin/vigil"
check_has "no configuration: names /etc/vigil" "$out" "/etc/vigil"
out=$(VIGIL_CONFIG_DIR="$tmp/moved/share/vigil.away" "$tmp/moved/bin/vigil" rules check 2>&1)
check_has "VIGIL_CONFIG_DIR overrides" "$out" "in $tmp/moved/share/vigil.away/rules: all compile"
cd "$repo" || exit 1

# ---- make uninstall ----
install_into "$tmp/dest2" /opt/vigil
check_eq "second make install exit" "$?" "0"
install_into "$tmp/dest2" /opt/vigil uninstall
check_eq "make uninstall exit" "$?" "0"
check_eq "files left after make uninstall" "$(find "$tmp/dest2" -type f | wc -l)" "0"
[ ! -e "$tmp/dest2/opt/vigil/share/vigil" ] && ok || bad "make uninstall left share/vigil"

# ---- systemd units ----
if command -v systemd-analyze >/dev/null 2>&1; then
	# Installed without DESTDIR so that ExecStart= names a real program.
	install_into "" "$tmp/prefix"
	check_eq "make install PREFIX=$tmp/prefix exit" "$?" "0"
	units=$tmp/prefix/lib/systemd/system
	out=$(systemd-analyze verify --man=no "$units/vigil.service" "$units/vigil.timer" 2>&1)
	check_eq "systemd-analyze verify exit" "$?" "0"
	check_eq "systemd-analyze verify says nothing" "$out" ""
	sed 's/^PrivateTmp=/PrivatTmp=/' "$units/vigil.service" >"$tmp/vigil.service"
	out=$(systemd-analyze verify --man=no "$tmp/vigil.service" 2>&1)
	check_has "systemd-analyze verify catches a misspelt key" "$out" "PrivatTmp"
	for key in DynamicUser=yes StateDirectory=vigil PrivateTmp=yes NoNewPrivileges=yes ProtectSystem=strict; do
		check_has "service has $key" "$(cat "$units/vigil.service")" "$key"
	done
	check_has "timer is daily" "$(cat "$units/vigil.timer")" "OnCalendar=daily"
else
	echo "install_test: systemd-analyze not found: systemd units not verified (SKIPPED)" >&2
fi

finish

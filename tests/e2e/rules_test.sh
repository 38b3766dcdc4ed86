#!/usr/bin/env bash
# rules_test.sh [BUILD]: `vigil rules check` and `vigil rules test`:
#  - the shipped rules compile and every `expect` example in them holds
#    (this is how `make test` runs the rule files' own examples);
#  - broken patterns are all listed with FILE:LINE and the PCRE2 message,
#    exit 1; a syntax error is reported with FILE:LINE, exit 1;
#  - a failing example is reported with its FILE:LINE, exit 1;
#  - the rules come from --rules, or from the sources file's `rules =`.
# Prints "N passed, N failed" last.
set -u
. "$(dirname "$0")/lib.sh"
e2e_vigil "${1:-}"
e2e_tmpdir rules

# ---- the shipped rules ----
out=$("$vigil" rules check 2>&1)
check_eq "rules check (shipped) exit" "$?" "0"
check_has "rules check (shipped)" "$out" "all compile"
out=$("$vigil" rules test 2>&1)
check_eq "rules test (shipped) exit" "$?" "0"
check_has "rules test (shipped)" "$out" " 0 failed"
case $out in "rules test: 0 examples"*) bad "the shipped rules carry no examples" ;; *) ok ;; esac

# ---- broken patterns: every one listed ----
mkdir -p "$tmp/bad"
cat >"$tmp/bad/a.rules" <<'RULES'
[category a]
pattern = (unclosed
all = [z-a]
expect match "x"
[threat b]
group = g
pattern = ok
none = a{2,1}
RULES
out=$("$vigil" rules check --rules "$tmp/bad" 2>&1)
check_eq "rules check (bad) exit" "$?" "1"
check_has "first error" "$out" "$tmp/bad/a.rules:2: pattern error at offset 9: missing closing parenthesis"
check_has "all = error" "$out" "$tmp/bad/a.rules:3: pattern error at offset 3: range out of order in character class"
check_has "none = error" "$out" "$tmp/bad/a.rules:8: pattern error at offset"
check_has "summary" "$out" "rules check: 3 problems in $tmp/bad"

# ---- a syntax error ----
mkdir -p "$tmp/syntax"
printf '[tone x]\ntone = negative\npattern = y\nquote = sideways\n' >"$tmp/syntax/s.rules"
out=$("$vigil" rules check --rules "$tmp/syntax" 2>&1)
check_eq "rules check (syntax) exit" "$?" "1"
check_has "syntax error" "$out" "$tmp/syntax/s.rules:4: quote: expected inside, outside or any, got 'sideways'"

# ---- failing examples, through a sources file's rules = ----
mkdir -p "$tmp/ex/rules"
cat >"$tmp/ex/rules/e.rules" <<'RULES'
[category journalist]
pattern = \bжурналист\w*
expect match "Журналиста задержали"
expect match "Тілші ұсталды"
expect no match "Журналист приехал"
RULES
printf '[settings]\nrules = rules\n' >"$tmp/ex/sources.conf"
out=$("$vigil" rules test --config "$tmp/ex/sources.conf" 2>&1)
check_eq "rules test (failing) exit" "$?" "1"
check_has "missing match" "$out" "$tmp/ex/rules/e.rules:4: [category journalist] expected a match in \"Тілші ұсталды\", got none"
check_has "unexpected match" "$out" "$tmp/ex/rules/e.rules:5: [category journalist] expected no match in \"Журналист приехал\", got \"Журналист\" ($tmp/ex/rules/e.rules:2)"
check_has "summary" "$out" "rules test: 3 examples, 2 failed"
out=$("$vigil" rules check --config "$tmp/ex/sources.conf" 2>&1)
check_eq "rules check (examples not run) exit" "$?" "0"

# ---- usage ----
"$vigil" rules lint >/dev/null 2>"$tmp/err"
check_eq "unknown action exit" "$?" "2"
check_has "unknown action message" "$(cat "$tmp/err")" "unknown action 'lint'"
"$vigil" rules test --rules "$tmp/bad" --config "$tmp/ex/sources.conf" >/dev/null 2>"$tmp/err"
check_eq "--rules with --config exit" "$?" "2"

finish

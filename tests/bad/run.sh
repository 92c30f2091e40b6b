#!/bin/sh
# Bad input: each tests/bad/NAME.pol must fail with exit status 1, print
# nothing on standard output, print exactly NAME.err on standard error (file,
# line, column, words and caret), and leave an existing -o file untouched.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0
for pol in tests/bad/*.pol; do
	n=$((n + 1))
	exp=${pol%.pol}.err
	printf 'previous ruleset\n' >"$tmp/existing.nft"
	$D6C compile -o "$tmp/existing.nft" "$pol" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	grep -av "^d6c: .*existing.nft was not written$" "$tmp/err" >"$tmp/diag"
	[ "$rc" -eq 1 ] && ok "$pol exit 1" || fail "$pol: exit status $rc, expected 1"
	[ ! -s "$tmp/out" ] && ok "$pol stdout" || fail "$pol: wrote to standard output"
	[ "$(cat "$tmp/existing.nft")" = "previous ruleset" ] && ok "$pol -o kept" || fail "$pol: -o file changed"
	[ -z "$(ls -A "$tmp" | grep -v -e '^existing.nft$' -e '^out$' -e '^err$' -e '^diag$')" ] && ok "$pol no temp left" || fail "$pol: temporary file left behind"
	if [ -f "$exp" ] && cmp -s "$tmp/diag" "$exp"; then
		ok "$pol diagnostics"
	else
		fail "$pol: diagnostics differ from $exp:"; diff -u "$exp" "$tmp/diag" | head -30
	fi
	# check reports the same and exits 1 too
	$D6C check "$pol" >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 1 ] && ok "$pol check" || fail "$pol: check exit $rc"
done
[ "$n" -ge 30 ] && ok "at least 30 bad policies ($n)" || fail "only $n bad policies"
finish

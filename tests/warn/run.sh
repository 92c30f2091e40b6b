#!/bin/sh
# Warnings: each tests/warn/NAME.pol compiles (exit 0, a ruleset on standard
# output) with exactly NAME.err on standard error; `check --werror` fails it
# with exit 1 and writes nothing with -o.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for pol in tests/warn/*.pol; do
	exp=${pol%.pol}.err
	$D6C compile "$pol" >"$tmp/out" 2>"$tmp/err"; rc=$?
	[ "$rc" -eq 0 ] && ok "$pol exit 0" || fail "$pol: exit $rc, expected 0"
	grep -q '^table inet d6c {' "$tmp/out" && ok "$pol output" || fail "$pol: no ruleset"
	if cmp -s "$tmp/err" "$exp"; then ok "$pol warnings"; else
		fail "$pol: warnings differ from $exp:"; diff -u "$exp" "$tmp/err" | head -20; fi
	$D6C check --werror "$pol" >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 1 ] && ok "$pol --werror" || fail "$pol: check --werror exit $rc"
	printf 'kept\n' >"$tmp/o.nft"
	$D6C compile --werror -o "$tmp/o.nft" "$pol" >/dev/null 2>&1
	[ "$(cat "$tmp/o.nft")" = kept ] && ok "$pol --werror -o kept" || fail "$pol: --werror wrote -o"
done
finish

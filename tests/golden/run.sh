#!/bin/sh
# Golden: every examples/*.pol compiles to exactly its reviewed examples/*.nft,
# twice in a row (byte-identical output), with no diagnostics.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for pol in examples/*.pol; do
	exp=${pol%.pol}.nft
	if [ ! -f "$exp" ]; then fail "$pol: no expected output $exp"; continue; fi
	if $D6C compile "$pol" >"$tmp/out" 2>"$tmp/err" && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$exp"; then
		ok "$pol"
	else
		fail "$pol differs from $exp:"; diff -u "$exp" "$tmp/out" | head -40; cat "$tmp/err"
	fi
	$D6C compile "$pol" >"$tmp/again" 2>/dev/null
	if cmp -s "$tmp/out" "$tmp/again"; then ok "$pol deterministic"; else fail "$pol: two compiles differ"; fi
	# standard input gives the same rules, named <stdin>
	if $D6C compile - <"$pol" >"$tmp/stdin" 2>/dev/null || grep -q include "$pol"; then ok "$pol from stdin"; else fail "$pol: compile - failed"; fi
done
finish

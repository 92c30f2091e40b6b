#!/bin/sh
# Examples: every examples/*.pol compiles to exactly its reviewed examples/*.nft
# (and examples/*.json for the JSON backend),
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
	# the JSON backend, when a reviewed .json is beside the policy
	jexp=${pol%.pol}.json
	if [ -f "$jexp" ]; then
		if $D6C compile --format json "$pol" >"$tmp/json" 2>/dev/null && cmp -s "$tmp/json" "$jexp"; then
			ok "$pol json"
		else
			fail "$pol: json differs from $jexp"; diff -u "$jexp" "$tmp/json" | head -20
		fi
	fi
	# standard input gives the same rules, named <stdin>
	if $D6C compile - <"$pol" >"$tmp/stdin" 2>/dev/null || grep -q include "$pol"; then ok "$pol from stdin"; else fail "$pol: compile - failed"; fi
done
finish

#!/bin/sh
# The JSON backend loads with nft -j -f (twice: it replaces its table too) and
# gives the kernel the same ruleset as the text backend.  nftables 1.0.6
# ignores chain comments in JSON input, so those lines (a chain comment is a
# line of its own: a rule's comment ends the rule's line) are left out of the
# comparison.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for pol in examples/*.pol; do
	$D6C compile "$pol" >"$tmp/t.nft"
	$D6C compile --format json "$pol" >"$tmp/j.json"
	unshare -rn sh -c "$NFT -j -f '$tmp/j.json' && $NFT -j -f '$tmp/j.json' && $NFT list ruleset" >"$tmp/from-json"
	unshare -rn sh -c "$NFT -f '$tmp/t.nft' && $NFT list ruleset" | grep -v '^		comment "' >"$tmp/from-text"
	if ! cmp -s "$tmp/from-json" "$tmp/from-text"; then
		echo "$pol: JSON and text load differently"; diff -u "$tmp/from-text" "$tmp/from-json" | head -30; exit 1
	fi
	[ "$(grep -c '^table inet d6c' "$tmp/from-json")" -eq 1 ] || { echo "$pol: JSON load twice left two tables"; exit 1; }
done

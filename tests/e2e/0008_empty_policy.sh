#!/bin/sh
# An empty policy is valid: its output is d6c's table with the base chain
# and no blocks, so loading it removes what an earlier d6c ruleset protected
# (which its one warning, D6C-W020, says).
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '# nothing protected yet\n' >"$tmp/empty.pol"
$D6C compile "$tmp/empty.pol" >"$tmp/empty.nft" 2>"$tmp/err"
[ "$(wc -l <"$tmp/err")" = 3 ] && grep -q "empty.pol:1:24: warning: no network blocks: .*\[D6C-W020\]" "$tmp/err" ||
	{ cat "$tmp/err"; exit 1; }
$D6C compile examples/full.pol >"$tmp/full.nft"
unshare -rn sh -c "$NFT -f '$tmp/full.nft' && $NFT -f '$tmp/empty.nft' && $NFT list ruleset" >"$tmp/after"
grep -q '^table inet d6c {' "$tmp/after" || { echo "no d6c table"; exit 1; }
grep -q 'hook forward' "$tmp/after" || { echo "no base chain"; exit 1; }
if grep -q 'chain net_\|dispatch' "$tmp/after"; then echo "blocks survived the empty policy"; exit 1; fi

#!/bin/sh
# Loading the output twice leaves one copy of d6c's table, replaces it in
# place, and leaves another table (standing in for Docker's) untouched.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
$D6C compile examples/full.pol >"$tmp/full.nft"
$D6C compile examples/site.pol >"$tmp/site.nft"
cat >"$tmp/inner.sh" <<INNER
set -eu
$NFT -f tests/e2e/other-table.nft
$NFT list ruleset >"$tmp/before"
$NFT -f "$tmp/full.nft"
$NFT -f "$tmp/full.nft"
$NFT list ruleset >"$tmp/twice"
$NFT -f "$tmp/site.nft"
$NFT list ruleset >"$tmp/replaced"
$NFT list table ip other >"$tmp/other"
INNER
unshare -rn sh "$tmp/inner.sh"
n=$(grep -c '^table inet d6c' "$tmp/twice")
[ "$n" -eq 1 ] || { echo "expected one table inet d6c after two loads, found $n"; exit 1; }
n=$(grep -c 'chain net_' "$tmp/twice")
[ "$n" -eq "$(grep -c 'chain net_' "$tmp/full.nft")" ] || { echo "chains doubled: $n"; exit 1; }
# the second policy replaced the first: only site's one network chain remains
[ "$(grep -c 'chain net_' "$tmp/replaced")" -eq 1 ] || { echo "old chains survived a reload"; exit 1; }
grep -q 'docker-like' "$tmp/other" || { echo "the other table was touched"; exit 1; }
grep -q 'table ip other' "$tmp/replaced" || { echo "the other table disappeared"; exit 1; }

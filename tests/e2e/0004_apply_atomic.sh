#!/bin/sh
# apply commits in one transaction: when the kernel refuses the second apply
# (a fault injected into the batch by the d6c-fault build), `nft list
# ruleset` is byte for byte what it was, another table included; the exit
# status is 2.  The fault is in the delta and in the whole table alike, so
# both were refused.  The same apply without the fault goes through, so the
# fault is what stopped it.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
: "${D6C_FAULT:=build/d6c-fault}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/inner.sh" <<INNER
set -u
$NFT -f tests/e2e/other-table.nft
$D6C apply examples/full.pol >"$tmp/apply1" || exit 10
$NFT list ruleset >"$tmp/before"
$D6C_FAULT apply examples/site.pol >"$tmp/out" 2>"$tmp/err"; echo \$? >"$tmp/rc"
$NFT list ruleset >"$tmp/after"
$D6C apply examples/site.pol >"$tmp/apply3" || exit 11
$NFT list ruleset >"$tmp/good"
INNER
unshare -rn sh "$tmp/inner.sh"
grep -q '^applied examples/full.pol: table inet d6c created, 4 networks' "$tmp/apply1" || { cat "$tmp/apply1"; exit 1; }
[ "$(cat "$tmp/rc")" = 2 ] || { echo "failed apply exited $(cat "$tmp/rc"), expected 2"; cat "$tmp/err"; exit 1; }
grep -q 'the running ruleset is unchanged' "$tmp/err" || { echo "no clear error:"; cat "$tmp/err"; exit 1; }
[ ! -s "$tmp/out" ] || { echo "a failed apply printed a summary"; exit 1; }
cmp -s "$tmp/before" "$tmp/after" || { echo "ruleset changed by a failed apply:"; diff "$tmp/before" "$tmp/after" | head; exit 1; }
grep -q 'chain net_4' "$tmp/before" || { echo "first apply missing"; exit 1; }
grep -q 'chain net_4' "$tmp/good" && { echo "good apply did not replace the table"; exit 1; }
grep -q 'docker-like' "$tmp/good" || { echo "other table touched"; exit 1; }
# the failed apply left the table as the first one made it: the good one
# commits only the difference
grep -q '^applied examples/site.pol: table inet d6c updated (delta: ' "$tmp/apply3" || { cat "$tmp/apply3"; exit 1; }

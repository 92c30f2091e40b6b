#!/bin/sh
# apply --dry-run lets the kernel check the batch and changes nothing: a good
# policy is reported as checked and the ruleset stays; a batch the kernel
# refuses fails with status 2, so the kernel really looked at it.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
: "${D6C_FAULT:=build/d6c-fault}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/inner.sh" <<INNER
set -u
$D6C apply examples/site.pol >/dev/null || exit 10
$NFT list ruleset >"$tmp/before"
$D6C apply --dry-run examples/full.pol >"$tmp/out"; echo \$? >"$tmp/rc1"
$NFT list ruleset >"$tmp/after1"
$D6C_FAULT apply --dry-run examples/full.pol >/dev/null 2>"$tmp/err"; echo \$? >"$tmp/rc2"
$NFT list ruleset >"$tmp/after2"
INNER
unshare -rn sh "$tmp/inner.sh"
[ "$(cat "$tmp/rc1")" = 0 ] || { echo "dry run of a good policy failed"; exit 1; }
grep -q 'dry run, nothing changed' "$tmp/out" || { cat "$tmp/out"; exit 1; }
cmp -s "$tmp/before" "$tmp/after1" || { echo "dry run changed the ruleset"; exit 1; }
[ "$(cat "$tmp/rc2")" = 2 ] || { echo "kernel did not check the dry run (exit $(cat "$tmp/rc2"))"; exit 1; }
cmp -s "$tmp/before" "$tmp/after2" || { echo "failed dry run changed the ruleset"; exit 1; }

#!/bin/sh
# d6c rollback inside the confirm window puts the saved table back at once
# (byte for byte, its record too) and confirm then has nothing to keep;
# outside a window it says there is nothing to roll back (exit 2).  A
# rollback of a first apply --confirm removes the table it created.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/inner.sh" <<INNER
set -u
export D6C_RUNDIR="$tmp/run"
fail() { echo "\$*"; exit 1; }
$D6C rollback >"$tmp/out" 2>&1; rc=\$?
[ \$rc = 2 ] || fail "rollback with nothing pending: exit \$rc"
grep -q 'nothing to roll back' "$tmp/out" || { cat "$tmp/out"; fail "no message"; }
$D6C apply examples/site.pol >/dev/null || fail "apply failed"
$NFT list table inet d6c >"$tmp/before"
start=\$(date +%s)
$D6C apply --confirm 120 examples/full.pol >/dev/null || fail "apply --confirm failed"
$NFT list table inet d6c | cmp -s - "$tmp/before" && fail "apply --confirm changed nothing"
$D6C rollback >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "rollback failed"; }
end=\$(date +%s)
grep -q "rolled back by 'd6c rollback': the previous table inet d6c was put back" "$tmp/out" ||
	{ cat "$tmp/out"; fail "rollback said"; }
[ \$((end - start)) -lt 60 ] || fail "rollback waited for the timeout"
$NFT list table inet d6c | cmp -s - "$tmp/before" || fail "rollback did not restore the table"
$D6C confirm >"$tmp/out" 2>&1 && fail "confirm after a rollback succeeded"
grep -q 'was rolled back' "$tmp/out" || { cat "$tmp/out"; fail "confirm said"; }
$D6C rollback >/dev/null 2>&1 && fail "a second rollback succeeded"
# the first apply: rolling back removes the table
$D6C remove >/dev/null || fail "remove failed"
$D6C apply --confirm 120 examples/site.pol >/dev/null || fail "apply --confirm failed"
$D6C rollback >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "rollback failed"; }
grep -q 'removed again (there was none before)' "$tmp/out" || { cat "$tmp/out"; fail "said"; }
$NFT list table inet d6c >/dev/null 2>&1 && fail "the table is still there"
exit 0
INNER
unshare -rn sh "$tmp/inner.sh"
set +e
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	$D6C rollback >"$tmp/out" 2>&1; rc=$?
set -e
[ "$rc" = 2 ] || { cat "$tmp/out"; echo "rollback without privilege: exit $rc, expected 2"; exit 1; }
grep -q 'rollback needs CAP_NET_ADMIN' "$tmp/out" || { cat "$tmp/out"; exit 1; }

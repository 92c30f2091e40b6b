#!/bin/sh
# d6c status against a real kernel: absent (2), current (0), drifted (1) when
# the policy file changes, has errors, is gone, or when the table is edited in
# the kernel; unknown (3) for a foreign table named like d6c's and without
# privilege.  The record in the table's comment names the policy's absolute
# path, so status finds it from any directory.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp examples/full.pol "$tmp/site.pol"; chmod 755 "$tmp"; chmod 644 "$tmp/site.pol"
cat >"$tmp/inner.sh" <<INNER
set -u
export D6C_RUNDIR="$tmp/run"
fail() { echo "\$*"; exit 1; }
st() { $D6C status "\$@" >"$tmp/out" 2>&1; echo \$?; }
# expect RC PATTERN [status args]
expect() {
	rc=\$1 pat=\$2; shift 2
	got=\$(st "\$@")
	[ "\$got" = "\$rc" ] || { cat "$tmp/out"; fail "status \$*: exit \$got, expected \$rc"; }
	grep -q -- "\$pat" "$tmp/out" || { cat "$tmp/out"; fail "status \$*: no '\$pat'"; }
}
expect 2 'table inet d6c: absent'
$D6C apply "$tmp/site.pol" >/dev/null || fail "apply failed"
$NFT list table inet d6c | grep -q 'comment "d6c/1 [^ ]* [0-9T:-]*Z [0-9a-f]\{16\} $tmp/site.pol"' ||
	{ $NFT list table inet d6c | head -3; fail "no record in the table's comment"; }
cd /
expect 0 'table inet d6c: current'
grep -q "policy    $tmp/site.pol" "$tmp/out" || { cat "$tmp/out"; fail "no policy path"; }
$D6C status --json >"$tmp/json" || fail "status --json of a current table failed"
jq -e '.state == "current" and .exit == 0 and .record.policy == "$tmp/site.pol" and
	(.record.ruleset | length) == 16 and .confirm.pending == false' "$tmp/json" >/dev/null ||
	{ cat "$tmp/json"; fail "status --json"; }
cd - >/dev/null
# the file changes: one port
sed -i 's/8000-8100/8000-8200/' "$tmp/site.pol"
expect 1 'the policy changed since the apply: 1 changed'
$D6C status --json | jq -e '.state == "drifted" and .changes.networks_changed == 1 and
	.changes.policy_changed == true' >/dev/null || fail "status --json of a drifted table"
sed -i 's/8000-8200/8000-8100/' "$tmp/site.pol"
expect 0 'current'
# the table changes in the kernel, the file does not
$NFT insert rule inet d6c net_2 tcp dport 8443 accept
expect 1 'the table was changed in the kernel since the apply'
$D6C apply "$tmp/site.pol" >/dev/null || fail "apply failed"
# errors, then no file
mkdir "$tmp/copy"; cp "$tmp/site.pol" "$tmp/copy/site.pol"
echo 'network 2001:db8::1/64 < allow tcp 22; >' >>"$tmp/site.pol"
expect 1 'has errors now'
rm "$tmp/site.pol"
expect 1 'cannot be read now'
# the policy given instead of the recorded one: comments name files by
# their names, so a copy elsewhere is the same
expect 0 'current' "$tmp/copy/site.pol"
# a table named like d6c's, not made by apply
$NFT delete table inet d6c
$NFT add table inet d6c
$NFT add chain inet d6c forward '{ type filter hook forward priority 0; }'
expect 3 'holds no d6c record'
expect 1 'drifted' "$tmp/copy/site.pol"
# a confirm pending shows its time left
$D6C apply --confirm 60 "$tmp/copy/site.pol" >/dev/null || fail "apply --confirm failed"
expect 0 'confirm   pending: rolls back in [0-9]* s'
$D6C confirm >/dev/null || fail "confirm failed"
expect 0 'confirm   none pending'
INNER
unshare -rn sh "$tmp/inner.sh"
# without privilege: unknown, 3
set +e
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	$D6C status >"$tmp/out" 2>&1; rc=$?
set -e
[ "$rc" = 3 ] || { cat "$tmp/out"; echo "status without privilege: exit $rc"; exit 1; }
grep -q 'CAP_NET_ADMIN' "$tmp/out" || { cat "$tmp/out"; exit 1; }
set +e
$D6C status --bogus >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 3 ] || { echo "status --bogus: exit $rc, expected 3"; exit 1; }

#!/bin/sh
# d6c diff against a real kernel, in the policy's terms: exit 0 for no
# change, 2 for a change (a changed block, an added and a removed network,
# lines that only moved), 1 for a policy with errors, 3 without privilege;
# apply --dry-run prints the same comparison; --nft gives nft's lines.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp examples/full.pol "$tmp/site.pol"; chmod 755 "$tmp"; chmod 644 "$tmp/site.pol"
# two networks that allow their own port from the same 20 prefixes: one
# named set for both rules (compiler/ir_sets.c)
{
	printf 'define admins ='
	for i in $(seq 0 19); do printf '%s 2001:db8:ad%02x::/48' "$([ "$i" = 0 ] || echo ,)" "$i"; done
	printf ';\nnetwork 2001:db8:10::/64 < allow tcp 22 from admins; >\n'
	printf 'network 2001:db8:11::/64 < allow tcp 80 from admins; >\n'
} >"$tmp/sets.pol"
chmod 644 "$tmp/sets.pol"
cat >"$tmp/inner.sh" <<INNER
set -u
export D6C_RUNDIR="$tmp/run"
fail() { echo "\$*"; exit 1; }
# expect RC PATTERN diff-args...: exit status and one line of the output
expect() {
	rc=\$1 pat=\$2; shift 2
	$D6C diff "\$@" >"$tmp/out" 2>&1; got=\$?
	[ "\$got" = "\$rc" ] || { cat "$tmp/out"; fail "diff \$*: exit \$got, expected \$rc"; }
	grep -q -- "\$pat" "$tmp/out" || { cat "$tmp/out"; fail "diff \$*: no '\$pat'"; }
}
cd "$tmp"
expect 2 'table inet d6c is not loaded; applying site.pol would create it' site.pol
grep -q '^4 networks added' "$tmp/out" || { cat "$tmp/out"; fail "absent: not 4 added"; }
$D6C apply site.pol >/dev/null || fail "apply failed"
expect 0 '^no change\$' site.pol
# the same file by another path is the same policy
expect 0 '^no change\$' "$tmp/site.pol"
# a changed rule, a network added, one removed
sed -i -e 's/allow tcp 8000-8100;/allow tcp 8000-8200;/' \
	-e 's|^network 192.0.2.0/24.*|network 2001:db8:5::/64 < allow tcp 22; >|' site.pol
expect 2 '^~ network at site.pol:5: changed\$' site.pol
for line in '    + site.pol:8: allow tcp 8000-8200;' \
	    '    - site.pol:8 (as applied): tcp dport 8000-8100 accept' \
	    '+ network at site.pol:20: added, 2001:db8:5::/64' \
	    '- network at site.pol:20 (as applied): removed, 192.0.2.0/24' \
	    '1 network added, 1 removed, 1 changed'; do
	grep -qF -- "\$line" "$tmp/out" || { cat "$tmp/out"; fail "no line: \$line"; }
done
summary=\$(tail -n 1 "$tmp/out")
# apply --dry-run: the same comparison, nothing changed
$NFT list table inet d6c >"$tmp/before"
$D6C apply --dry-run site.pol >"$tmp/dry" || fail "dry run failed"
$NFT list table inet d6c | cmp -s - "$tmp/before" || fail "the dry run changed the table"
[ "\$(tail -n 1 "$tmp/dry")" = "\$summary" ] || { cat "$tmp/dry"; fail "dry run's summary differs from diff's"; }
grep -qF '    + site.pol:8: allow tcp 8000-8200;' "$tmp/dry" || { cat "$tmp/dry"; fail "dry run: no rule line"; }
# nft's own lines on request
expect 2 '^+.*tcp dport 8000-8200 accept comment' site.pol --nft
grep -q '^-.*tcp dport 8000-8100 accept comment' "$tmp/out" || { cat "$tmp/out"; fail "--nft: no removed line"; }
$D6C apply site.pol >/dev/null || fail "apply failed"
expect 0 '^no change\$' site.pol
# a comment line at the top: every rule moves, none changes
sed -i '1i # moved' site.pol
expect 2 'rules at other lines of the policy only' site.pol
sed -i '1d' site.pol
# the table changed by hand: the policy is what apply would restore
$NFT add rule inet d6c net_2 tcp dport 9 accept
expect 2 '^    - tcp dport 9 accept\$' site.pol
grep -q '^~ network at site.pol:16: changed\$' "$tmp/out" || { cat "$tmp/out"; fail "hand edit: no block"; }
# a shared set: the same list in another network adds no set; a changed
# list is its set removed and another added, and every rule naming it changed
$D6C apply sets.pol >/dev/null || fail "apply sets.pol failed"
expect 0 '^no change\$' sets.pol
echo 'network 2001:db8:12::/64 < allow tcp 443 from admins; >' >>sets.pol
expect 2 '^+ network at sets.pol:4: added, 2001:db8:12::/64\$' sets.pol
! grep -q ' set s6_' "$tmp/out" || { cat "$tmp/out"; fail "a set in the diff of a new network"; }
$D6C apply sets.pol >/dev/null || fail "apply sets.pol failed"
sed -i 's|2001:db8:ad13::/48|2001:db8:ad14::/48|' sets.pol
expect 2 '^- set s6_[0-9a-f]*: removed\$' sets.pol
for pat in '^+ set s6_[0-9a-f]*: added\$' '^~ network at sets.pol:2: changed\$' \
	   '^~ network at sets.pol:4: changed\$' '^3 changed, 2 sets changed\$'; do
	grep -q -- "\$pat" "$tmp/out" || { cat "$tmp/out"; fail "changed list: no '\$pat'"; }
done
# a policy with errors: 1, and nothing compared
echo 'network 2001:db8::1/64 < allow tcp 22; >' >bad.pol
expect 1 'error' bad.pol
# a foreign table named like d6c's
$NFT delete table inet d6c; $NFT add table inet d6c
expect 2 'was not made by .d6c apply.' site.pol
INNER
unshare -rn sh "$tmp/inner.sh"
set +e
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	$D6C diff "$tmp/site.pol" >"$tmp/out" 2>&1; rc=$?
set -e
[ "$rc" = 3 ] || { cat "$tmp/out"; echo "diff without privilege: exit $rc, expected 3"; exit 1; }
grep -q 'CAP_NET_ADMIN' "$tmp/out" || { cat "$tmp/out"; exit 1; }
set +e
$D6C diff >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 3 ] || { echo "diff without POLICY: exit $rc, expected 3"; exit 1; }

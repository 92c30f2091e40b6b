#!/bin/sh
# apply commits only the difference when the table is what d6c committed
# last, and says so; the table it reaches lists as the same policy loaded
# afresh.  When it cannot vouch for the table (a rule or an element changed
# by hand, no record of the last commit, another d6c version's commit, a
# rollback) it takes the difference from the table as nft lists it, and
# says why; a change no delta makes (a new priority) gets the whole table.
# A commit to another table in between does not stop the delta.  status and diff read the record the
# delta wrote.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp examples/full.pol "$tmp/site.pol"
cat >"$tmp/inner.sh" <<INNER
set -u
export D6C_RUNDIR="$tmp/run"
fail() { echo "\$*"; exit 1; }
# apply_says PATTERN [ARGS...]: apply site.pol, and its line has PATTERN
apply_says() {
	pat=\$1; shift
	$D6C apply "\$@" site.pol >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "apply \$*: failed"; }
	grep -q -- "\$pat" "$tmp/out" || { cat "$tmp/out"; fail "apply \$*: no '\$pat'"; }
}
# blocks: the table's blocks, one a line, in name order, without the record
blocks() {
	$NFT list table inet d6c | awk '
		/^\t[a-z]+ [^ ]+ \{\$/ { b = \$0; name = \$2; next }
		b != "" { b = b "|" \$0; if (\$0 == "\t}") { if (name != "record") print b; b = "" } }' |
	sort
}
# same_as_fresh: the table in force lists as the policy loaded afresh
same_as_fresh() {
	blocks >"$tmp/reached"
	$D6C compile site.pol >"$tmp/fresh.nft" || fail "compile failed"
	$NFT list ruleset >"$tmp/saved.nft"
	$NFT -f "$tmp/fresh.nft" || fail "the fresh load failed"
	blocks >"$tmp/fresh"
	cmp -s "$tmp/reached" "$tmp/fresh" || { diff "$tmp/reached" "$tmp/fresh"; fail "\$1: the delta's table differs from a fresh load"; }
	$NFT flush ruleset
	$NFT -f "$tmp/saved.nft" || fail "cannot put the table back"
}
cd "$tmp"
apply_says 'table inet d6c created'
# a rule changed, a network added: only those
sed -i 's/allow tcp 8000-8100;/allow tcp 8000-8200;/' site.pol
echo 'network 2001:db8:77::/64 < allow tcp 8443; >' >>site.pol
apply_says 'table inet d6c updated (delta: 1 chain added, 1 chain replaced, 2 elements added)'
$D6C status site.pol >"$tmp/status" || { cat "$tmp/status"; fail "status after a delta: not current"; }
$D6C diff site.pol >"$tmp/diff" || { cat "$tmp/diff"; fail "diff after a delta: a change"; }
# (the fresh load below puts a copy back: the table is then not d6c's
# commit, but it is the same ruleset)
same_as_fresh "a rule changed, a network added"
apply_says 'updated (delta: no change; from the table as listed, as the table was changed since d6c.s last commit)'
# a network removed, at the end: its chain and range go
sed -i '\$d' site.pol
apply_says 'updated (delta: 1 chain deleted, 2 elements removed)'
# a commit to another table in between: the ruleset's generation moves on,
# the table's fingerprint does not
$NFT add table ip other
sed -i 's/allow tcp 443; >/allow tcp 443, 444; >/' site.pol
apply_says 'updated (delta: 1 chain replaced)'
# a rule added by hand, an element deleted by hand: undone by the delta
# from the listing
$NFT add rule inet d6c net_1 tcp dport 9999 accept
apply_says 'updated (delta: 1 chain replaced; from the table as listed, as the table was changed since d6c.s last commit)'
$NFT list table inet d6c | grep -q 'dport 9999' && fail "the rule added by hand survived"
same_as_fresh "a rule added by hand"
$D6C apply site.pol >/dev/null
$NFT delete element inet d6c dispatch6 '{ 2001:db8::10 }'
apply_says 'updated (delta: 1 element added; from the table as listed, as the table was changed since d6c.s last commit)'
$NFT list map inet d6c dispatch6 | grep -q '2001:db8::10 : jump' || fail "the element was not put back"
# the kept commit is the table again: the next apply needs no listing
apply_says 'updated (delta: no change)'
# the last commit was by another version of d6c
sed -i '1s/^d6c-applied [^ ]* /d6c-applied 0.0.9 /' run/*.applied
apply_says 'updated (delta: no change; from the table as listed, as the last commit was by d6c 0.0.9)'
# no record of the last commit
rm -f run/*.applied
apply_says 'updated (delta: no change; from the table as listed, as no record of d6c.s last commit)'
# a new priority: the hook changes, which no delta does
apply_says 'replaced (whole: a base chain changed its hook, type or priority)' --priority -5
apply_says 'updated (delta: ' --priority -5
# a rollback puts another table in force
sed -i 's/allow udp 53;/allow udp 53, 5353;/' site.pol
apply_says 'updated (delta: 1 chain replaced)' --priority -5 --confirm 30
$D6C rollback >/dev/null 2>&1 || fail "rollback failed"
apply_says 'updated (delta: 1 chain replaced; from the table as listed, as the table was changed since d6c.s last commit)' --priority -5
# the table is gone: created again
$D6C remove >/dev/null || fail "remove failed"
apply_says 'table inet d6c created'
INNER
unshare -rn sh "$tmp/inner.sh"

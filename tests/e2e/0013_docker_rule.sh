#!/bin/sh
# apply --docker-accept keeps ONE rule accepting d6c's mark where Docker's
# iptables chains need it, and `d6c remove` takes it away again.  Docker's
# chain layouts are built here with the real iptables and ip6tables, as
# measured on the real daemons (tests/docker runs them for real):
#   Docker 28, both families, and 20.10's IPv4: FORWARD jumps DOCKER-USER
#     first: the rule goes first in DOCKER-USER;
#   Docker 20.10's IPv6 (ip6tables on): no DOCKER-USER, FORWARD's policy is
#     drop and Docker's jumps are at its top: the rule goes first in FORWARD;
#   no Docker chains (ip6tables off): no rule.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
command -v iptables >/dev/null && command -v ip6tables >/dev/null || { echo "no iptables"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo 'network 2001:db8::/64, 192.0.2.0/24 < allow tcp 22; >' >"$tmp/p.pol"
RULE='-m mark --mark 0x10000000/0x10000000 -m comment --comment d6c-accept -j ACCEPT'
cat >"$tmp/inner.sh" <<INNER
set -u
fail() { echo "FAIL \$*"; iptables -S; ip6tables -S; exit 1; }
# first_rule CMD CHAIN: the chain's first rule, without "-A CHAIN "
first_rule() { \$1 -S \$2 | sed -n "s/^-A \$2 //p" | head -1; }
ours() { { iptables -S; ip6tables -S; } | grep -c 'd6c-accept'; }

# no Docker chains: marks, but no rule anywhere
$D6C apply --docker-accept $tmp/p.pol >$tmp/out || fail "apply with no Docker"
grep -q "Docker's accept rule" $tmp/out && fail "a rule put in with no Docker: \$(cat $tmp/out)"
[ "\$(ours)" = 0 ] || fail "rules with no Docker"
$NFT list chain inet d6c accept_any_source | grep -q 'meta mark set meta mark | 0x10000000 accept' ||
	fail "the default mark is not set"

# Docker 28's layout in both families
for t in iptables ip6tables; do
	\$t -N DOCKER-USER; \$t -N DOCKER-FORWARD
	\$t -A FORWARD -j DOCKER-USER; \$t -A FORWARD -j DOCKER-FORWARD
	\$t -A DOCKER-USER -s 198.51.100.0/24 -j RETURN 2>/dev/null || \$t -A DOCKER-USER -s 2001:db8:1::/48 -j RETURN
done
$D6C apply --docker-accept $tmp/p.pol >$tmp/out || fail "apply on Docker 28's layout"
grep -q "ip6tables DOCKER-USER rule inserted; iptables DOCKER-USER rule inserted" $tmp/out ||
	fail "apply said: \$(cat $tmp/out)"
for t in iptables ip6tables; do
	[ "\$(first_rule \$t DOCKER-USER)" = "$RULE" ] || fail "\$t: not first in DOCKER-USER"
done
[ "\$(ours)" = 2 ] || fail "\$(ours) rules, not one a family"
$D6C apply --docker-accept $tmp/p.pol >$tmp/out || fail "apply again"
grep -q "Docker's accept rule" $tmp/out && fail "apply again changed the rule: \$(cat $tmp/out)"
[ "\$(ours)" = 2 ] || fail "apply again: \$(ours) rules"
# another rule put above it: moved back to the top, the other rule kept
ip6tables -I DOCKER-USER -s 2001:db8:2::/48 -j DROP
$D6C apply --docker-accept $tmp/p.pol >$tmp/out || fail "apply after a move"
grep -q "ip6tables DOCKER-USER moved back to the top" $tmp/out || fail "after a move: \$(cat $tmp/out)"
[ "\$(first_rule ip6tables DOCKER-USER)" = "$RULE" ] || fail "not first again"
ip6tables -S DOCKER-USER | grep -q -- '-s 2001:db8:2::/48 -j DROP' || fail "the other rule was lost"
# another mark: the old rule replaced, not kept beside
$D6C apply --docker-accept --accept-mark 0x4/0x4 $tmp/p.pol >/dev/null || fail "apply with 0x4"
[ "\$(ours)" = 2 ] || fail "another mark: \$(ours) rules"
[ "\$(first_rule iptables DOCKER-USER)" = "-m mark --mark 0x4/0x4 -m comment --comment d6c-accept -j ACCEPT" ] ||
	fail "another mark: \$(first_rule iptables DOCKER-USER)"
# without --docker-accept, apply leaves Docker's chains alone
iptables -S >$tmp/before
$D6C apply $tmp/p.pol >/dev/null || fail "plain apply"
iptables -S | cmp -s - $tmp/before || fail "plain apply changed iptables"

# Docker 20.10's IPv6: no DOCKER-USER, Docker's jumps at FORWARD's top
ip6tables -F FORWARD; ip6tables -F DOCKER-USER; ip6tables -X DOCKER-USER; ip6tables -X DOCKER-FORWARD
ip6tables -N DOCKER-ISOLATION-STAGE-1; ip6tables -N DOCKER
ip6tables -P FORWARD DROP
ip6tables -A FORWARD -j DOCKER-ISOLATION-STAGE-1; ip6tables -A FORWARD -j DOCKER
$D6C apply --docker-accept $tmp/p.pol >$tmp/out || fail "apply on 20.10's IPv6 layout"
[ "\$(first_rule ip6tables FORWARD)" = "$RULE" ] || fail "20.10 IPv6: not first in FORWARD"
# a network created: Docker inserts its jump above everything
ip6tables -I FORWARD -j DOCKER-ISOLATION-STAGE-1
$D6C apply --docker-accept $tmp/p.pol >$tmp/out || fail "apply after Docker's insert"
[ "\$(first_rule ip6tables FORWARD)" = "$RULE" ] || fail "20.10 IPv6: not first again"
[ "\$(ip6tables -S | grep -c d6c-accept)" = 1 ] || fail "20.10 IPv6: copies left"

# remove: the table and every rule of d6c's; nothing else
$D6C remove >$tmp/out || fail "remove"
grep -q "removed table inet d6c" $tmp/out && grep -q "removed 2 rules accepting d6c's mark" $tmp/out ||
	fail "remove said: \$(cat $tmp/out)"
$NFT list table inet d6c >/dev/null 2>&1 && fail "remove left the table"
[ "\$(ours)" = 0 ] || fail "remove left rules"
iptables -S DOCKER-USER | grep -q -- '-s 198.51.100.0/24 -j RETURN' || fail "remove took another rule"
$D6C remove >$tmp/out || fail "remove with nothing there"
grep -q "table inet d6c was not loaded" $tmp/out || fail "remove again said: \$(cat $tmp/out)"
echo ok >$tmp/done
INNER
unshare -rn sh "$tmp/inner.sh"
[ -e "$tmp/done" ]

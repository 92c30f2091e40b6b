#!/bin/sh
# Pending confirmations belong to one network namespace: an apply --confirm
# waiting in one namespace neither blocks nor is confirmed by d6c running in
# another (ip netns exec on the same host, same run directory).
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d)
a=d6c-e2e-$$-a b=d6c-e2e-$$-b
trap 'ip netns del $a 2>/dev/null; ip netns del $b 2>/dev/null; rm -rf "$tmp"' EXIT
export D6C_RUNDIR="$tmp/run"
ip netns add $a; ip netns add $b
ip netns exec $a $D6C apply --confirm 2 examples/site.pol >/dev/null
ip netns exec $b $D6C apply examples/full.pol >/dev/null || { echo "apply in b blocked by a's pending confirm"; exit 1; }
if ip netns exec $b $D6C confirm >/dev/null 2>&1; then echo "confirm in b confirmed a's apply"; exit 1; fi
sleep 3
if ip netns exec $a $NFT list tables | grep -q 'inet d6c'; then echo "a was not rolled back"; exit 1; fi
ip netns exec $b $NFT list table inet d6c | grep -q 'chain net_4' || { echo "b lost its table"; exit 1; }

#!/bin/sh
# A flood of probes to a logged drop writes at most what the log's limit
# allows, and every probe is still dropped.  200 UDP datagrams (python3,
# sent in a few milliseconds: ping slows down when nothing answers) go to a
# host behind a router that carries the policy; an NFLOG listener (tcpdump
# -i nflog:G) in the router counts the log messages, and a counter on the
# host counts what got through.  The token bucket lets `burst` through
# at once and then `rate` a second, so in `elapsed` seconds at most
# burst + rate * elapsed (+ 2 for the edges) may arrive; at least 1 must.
# Without the limit in the emitted rule all 200 arrive and this fails.
# nflog, not the kernel log: a non-initial namespace's log lines reach the
# kernel log only with the global sysctl nf_log_all_netns, which a test
# should not touch.  Run twice: an explicit `limit 5/second burst 10`, and
# d6c's default (the same numbers, from no option at all).
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d)
o=d6c-e2e-$$-o r=d6c-e2e-$$-r i=d6c-e2e-$$-i
dump=
cleanup() {
	[ -n "$dump" ] && kill "$dump" 2>/dev/null
	for n in $o $r $i; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
PROBES=200

# outside (2001:db8:f::2) -- router -- inside (2001:db8:2::10)
for n in $o $r $i; do ip netns add "$n"; ip -n "$n" link set lo up; done
ip link add ro netns $r type veth peer name or netns $o
ip link add ri netns $r type veth peer name ir netns $i
ip -n $o addr add 2001:db8:f::2/64 dev or nodad
ip -n $r addr add 2001:db8:f::1/64 dev ro nodad
ip -n $r addr add 2001:db8:2::1/64 dev ri nodad
ip -n $i addr add 2001:db8:2::10/64 dev ir nodad
for l in "$o or" "$r ro" "$r ri" "$i ir"; do set -- $l; ip -n "$1" link set "$2" up; done
ip -n $o route add default via 2001:db8:f::1
ip -n $i route add default via 2001:db8:2::1
ip netns exec $r sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec $i $NFT -f - <<'EOF2'
table inet count {
	chain input {
		type filter hook input priority 0;
		udp dport 9 counter
	}
}
EOF2
arrived() {
	ip netns exec $i $NFT list chain inet count input | sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}
send() {   # COUNT datagrams to the host's port 9, as fast as they go; says how
	# many milliseconds passed from the first to the last (rounded up)
	ip netns exec $o python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
start = time.monotonic_ns()
for _ in range(int(sys.argv[1])): s.sendto(b"probe", ("2001:db8:2::10", 9))
print((time.monotonic_ns() - start + 999999) // 1000000)' "$1"
}
# The path works before any policy (ping also learns the neighbours), so
# the drops below are the policy's.
ip netns exec $o ping -6 -c 1 -w 5 2001:db8:2::10 >/dev/null || { echo "no path without a policy"; exit 1; }
send 3 >/dev/null; sleep 0.2
[ "$(arrived)" = 3 ] || { echo "without a policy $(arrived) of 3 datagrams arrived"; exit 1; }

# flood NAME GROUP RATE BURST POLICY: load POLICY, send the probes, check.
flood() {
	name=$1 group=$2 rate=$3 burst=$4
	printf '%s\n' "$5" >"$tmp/$name.pol"
	$D6C compile -o "$tmp/$name.nft" "$tmp/$name.pol"
	grep -q "limit rate $rate/second burst $burst packets log prefix .* group $group comment" \
		"$tmp/$name.nft" || { echo "$name: no limited log rule:"; cat "$tmp/$name.nft"; exit 1; }
	ip netns exec $r $NFT -f "$tmp/$name.nft"
	ip netns exec $r tcpdump -i "nflog:$group" -U -n -w "$tmp/$name.pcap" 2>"$tmp/$name.tcpdump" &
	dump=$!
	k=0   # until tcpdump listens (it says so), at most 5 s
	until grep -q listening "$tmp/$name.tcpdump" || [ $k -ge 50 ]; do sleep 0.1; k=$((k + 1)); done
	before=$(arrived)
	ms=$(send $PROBES)
	sleep 0.2
	got=$(( $(arrived) - before ))
	sleep 1.5   # nflog sends what it holds at least every second
	kill -INT $dump; wait $dump 2>/dev/null || true; dump=
	tcpdump -r "$tmp/$name.pcap" -n -tt 2>/dev/null >"$tmp/$name.log"
	logged=$(wc -l <"$tmp/$name.log")
	[ -z "${VERBOSE:-}" ] || cut -c1-60 "$tmp/$name.log"
	most=$(( burst + rate * (ms + 999) / 1000 + 2 ))
	echo "$name: $PROBES probes in $ms ms, $logged logged (at most $most), $got got through"
	[ "$got" = 0 ] || { echo "$name: $got probes got through a drop"; exit 1; }
	[ "$logged" -ge 1 ] || { echo "$name: nothing logged"; exit 1; }
	[ "$logged" -le "$most" ] || { echo "$name: $logged logged, more than $most"; exit 1; }
	# The probes took under a second, or the bound says little.
	[ "$ms" -lt 1000 ] || { echo "$name: the flood took $ms ms"; exit 1; }
}

flood explicit 7 5 10 'network 2001:db8:2::/64 < deny udp 9 log group 7 limit 5/second burst 10; >'
flood default 8 5 10 'log group 8;
network 2001:db8:2::/64 < allow tcp 22; default drop log; >'

#!/bin/sh
# bench/gen.sh N        the d6c policy of N network blocks, a realistic mix
# bench/gen.sh -r N     the same networks as the reference shape "one jump
#                       per network": an nftables script, no sets, no maps
# bench/gen.sh -c N     the same networks as a hand-written ruleset in the
#                       style of the seed nftables.conf, scaled with
#                       concatenated sets: (network . protocol . port) in one
#                       set per family, conntrack in front
# bench/gen.sh -d N K   up to K IPv6 /64s of the policy that allow udp 5001
#                       (the packet destinations of the forwarding test)
#
# The mix, per group of 20 blocks (block number b, r = b % 20):
#   r 0-13  IPv6 /64 with the shared rules (SHARED below)
#   r 14,15 IPv6 /64 with a port list of its own (derived from b: no two alike)
#   r 16    IPv6 /64 with port ranges and a `from` source list
#   r 17    a /128 host inside the /64 of block r 0 of its group, reachable
#           only from that /64 (nested prefixes to flatten)
#   r 18    IPv4 /28 with the shared rules
#   r 19    dual stack: an IPv6 /64 and an IPv4 /28 in one block, shared rules
# Block b owns 2001:db8:X:Y::/64 with X = b / 65536, Y = b % 65536, and
# 10.0.0.0/8's b-th /28: unique for every b below 2^20.
#
# All four outputs come from this one awk program so that they cannot drift
# apart.  awk, not a sh loop: 100 000 blocks must take a second, not minutes.
mode=policy
case ${1:-} in
-r) mode=ref; shift ;;
-c) mode=concat; shift ;;
-d) mode=dest; shift ;;
esac
n=${1:?usage: gen.sh [-r|-c|-d] N [K]}
k=${2:-16}
exec awk -v n="$n" -v mode="$mode" -v want="$k" '
function v6(b) { return sprintf("2001:db8:%x:%x::", int(b / 65536), b % 65536) }
function v4(b) { return sprintf("10.%d.%d.%d/28", int(b / 4096) % 256, int(b / 16) % 256, (b % 16) * 16) }

# ---- the policy
function policy(b,   r, k) {
	r = b % 20
	if (r <= 13) {
		printf "network %s/64 < %s >\n", v6(b), SHARED
	} else if (r <= 15) {
		# k numbers the own-port blocks 0, 1, 2...: every list is unique
		k = int(b / 20) * 2 + r - 14
		printf "network %s/64 < allow tcp 443,%d,%d; allow udp %d; allow icmp basic; >\n",
			v6(b), P1(k), P2(k), Q(k)
	} else if (r == 16) {
		printf "network %s/64 < allow tcp 8000-8100,9000-%d from admins, %s/64; allow udp 60000-60999; allow icmp basic; default reject; >\n",
			v6(b), R(b), SRC(b)
	} else if (r == 17) {
		printf "network %s10 < allow tcp 5432 from %s/64; >\n", v6(b - 17), v6(b - 17)
	} else if (r == 18) {
		printf "network %s < %s >\n", v4(b), SHARED
	} else {
		printf "network %s/64, %s < %s >\n", v6(b), v4(b), SHARED
	}
}
function P1(k) { return 1024 + k % 30000 }
function P2(k) { return 31024 + int(k / 30000) }
function Q(k) { return 40000 + k % 25000 }
function R(b) { return 9001 + b % 1000 }
function SRC(b) { return sprintf("2001:db8:fffe:%x::", b % 65536) }

# ---- the reference: the rules d6c gives each block, one rule per port and
# per source, in a chain of its own (no sharing of equal chains)
function rule(s) { printf "\t\t%s accept\n", s }
function icmp6(   i) { for (i = 1; i <= 8; i++) rule("icmpv6 type " T6[i]) }
function icmp4(   i) { for (i = 1; i <= 4; i++) rule("icmp type " T4[i]) }
function shared() { rule("tcp dport 22"); rule("tcp dport 80"); rule("tcp dport 443"); rule("udp dport 5001") }
function chain(b,   r, k, s, p, ns, np) {
	r = b % 20
	printf "\tchain net_%d {\n\t\tct state invalid drop\n", b
	if (r <= 13) {
		shared(); icmp6()
	} else if (r <= 15) {
		k = int(b / 20) * 2 + r - 14
		rule("tcp dport 443"); rule("tcp dport " P1(k)); rule("tcp dport " P2(k))
		rule("udp dport " Q(k)); icmp6()
	} else if (r == 16) {
		ns = split("2001:db8:ffff::/48 2001:db8:eeee::7 " SRC(b) "/64", s, " ")
		np = split("8000-8100 9000-" R(b), p, " ")
		for (i = 1; i <= ns; i++)
			for (j = 1; j <= np; j++)
				rule("ip6 saddr " s[i] " tcp dport " p[j])
		rule("udp dport 60000-60999"); icmp6()
		printf "\t\tmeta l4proto tcp reject with tcp reset\n\t\treject with icmpx admin-prohibited\n\t}\n"
		return
	} else if (r == 17) {
		rule("ip6 saddr " v6(b - 17) "/64 tcp dport 5432")
	} else if (r == 18) {
		shared(); icmp4()
	} else {
		shared(); icmp4(); icmp6()
	}
	printf "\t\tdrop\n\t}\n"
}
function jumps(b,   r) {
	r = b % 20
	if (r == 17)
		printf "\t\tip6 daddr %s10 jump net_%d\n", v6(b - 17), b
	else if (r == 18)
		printf "\t\tip daddr %s jump net_%d\n", v4(b), b
	else if (r == 19)
		printf "\t\tip6 daddr %s/64 jump net_%d\n\t\tip daddr %s jump net_%d\n", v6(b), b, v4(b), b
	else
		printf "\t\tip6 daddr %s/64 jump net_%d\n", v6(b), b
}
function ref(   b, g) {
	split("destination-unreachable packet-too-big time-exceeded parameter-problem echo-request nd-router-advert nd-neighbor-solicit nd-neighbor-advert", T6, " ")
	split("destination-unreachable echo-request time-exceeded parameter-problem", T4, " ")
	print "# bench/gen.sh -r " n ": one jump per network"
	print "table inet d6c\ndelete table inet d6c\ntable inet d6c {"
	print "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;"
	print "\t\tct state established,related accept"
	# First match wins: the /128 host (r 17) must come before the /64 that
	# holds it (r 0 of the same group), so each group starts with its host.
	for (g = 0; g * 20 < n; g++) {
		if (g * 20 + 17 < n)
			jumps(g * 20 + 17)
		for (b = g * 20; b < n && b < g * 20 + 20; b++)
			if (b % 20 != 17)
				jumps(b)
	}
	print "\t}"
	for (b = 0; b < n; b++)
		chain(b)
	print "}"
}

# ---- the hand-written ruleset: what an administrator would write for these
# networks with concatenated sets instead of a chain per network.  One rule
# per kind of match, each with its set:
#   from6    daddr . saddr . proto . port, for the rules with `from` (the
#            ranges of r 16, the /128 host of r 17)
#   hosts6   the /128 hosts: dropped when from6 has not accepted them, before
#            the /64 around them can (nested prefixes, first match wins)
#   allow6/4 daddr . proto . port for every other port rule
#   reject6  the networks with `default reject`; nets6/4 every network, drop
# ICMP needs no set: every /64 and /28 of the mix has `allow icmp basic` and
# traffic to other addresses is accepted anyway, so the types are accepted
# for any destination once the /128 hosts are decided.  It decides the
# packets to the networks as the policy does, with two approximations a
# hand-written ruleset would make too:
#   - `ct state invalid drop` is one rule for all forwarded traffic, not
#     only traffic to the networks (d6c drops invalid packets per network);
#   - no source checks: d6c also drops packets whose source is a protected
#     network arriving by another interface (fib saddr . iif) and sends
#     packets with a routing header to their block; the seed ruleset has
#     neither.
function concat(   b, r, k, i, j, s, p, ns, np) {
	for (b = 0; b < n; b++) {
		r = b % 20
		if (r <= 13 || r == 19) {
			add("allow6", v6(b) "/64 . tcp . 22"); add("allow6", v6(b) "/64 . tcp . 80")
			add("allow6", v6(b) "/64 . tcp . 443"); add("allow6", v6(b) "/64 . udp . 5001")
			add("nets6", v6(b) "/64")
		}
		if (r == 18 || r == 19) {
			add("allow4", v4(b) " . tcp . 22"); add("allow4", v4(b) " . tcp . 80")
			add("allow4", v4(b) " . tcp . 443"); add("allow4", v4(b) " . udp . 5001")
			add("nets4", v4(b))
		}
		if (r == 14 || r == 15) {
			k = int(b / 20) * 2 + r - 14
			add("allow6", v6(b) "/64 . tcp . 443"); add("allow6", v6(b) "/64 . tcp . " P1(k))
			add("allow6", v6(b) "/64 . tcp . " P2(k)); add("allow6", v6(b) "/64 . udp . " Q(k))
			add("nets6", v6(b) "/64")
		} else if (r == 16) {
			ns = split("2001:db8:ffff::/48 2001:db8:eeee::7 " SRC(b) "/64", s, " ")
			np = split("8000-8100 9000-" R(b), p, " ")
			for (i = 1; i <= ns; i++)
				for (j = 1; j <= np; j++)
					add("from6", v6(b) "/64 . " s[i] " . tcp . " p[j])
			add("allow6", v6(b) "/64 . udp . 60000-60999")
			add("reject6", v6(b) "/64")
			add("nets6", v6(b) "/64")
		} else if (r == 17) {
			add("from6", v6(b - 17) "10 . " v6(b - 17) "/64 . tcp . 5432")
			add("hosts6", v6(b - 17) "10")
		}
	}
	print "# bench/gen.sh -c " n ": hand-written, concatenated sets"
	print "table inet filter\ndelete table inet filter\ntable inet filter {"
	cset("from6", "ipv6_addr . ipv6_addr . inet_proto . inet_service")
	cset("hosts6", "ipv6_addr", 1)
	cset("allow6", "ipv6_addr . inet_proto . inet_service")
	cset("allow4", "ipv4_addr . inet_proto . inet_service")
	cset("reject6", "ipv6_addr")
	cset("nets6", "ipv6_addr")
	cset("nets4", "ipv4_addr")
	print "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;"
	print "\t\tct state vmap { established : accept, related : accept, invalid : drop }"
	if (NE["from6"]) print "\t\tip6 daddr . ip6 saddr . meta l4proto . th dport @from6 accept"
	if (NE["hosts6"]) print "\t\tip6 daddr @hosts6 drop"
	print "\t\ticmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem, echo-request, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } accept"
	if (NE["allow4"]) print "\t\ticmp type { destination-unreachable, echo-request, time-exceeded, parameter-problem } accept"
	if (NE["allow6"]) print "\t\tip6 daddr . meta l4proto . th dport @allow6 accept"
	if (NE["allow4"]) print "\t\tip daddr . meta l4proto . th dport @allow4 accept"
	if (NE["reject6"]) {
		print "\t\tip6 daddr @reject6 meta l4proto tcp reject with tcp reset"
		print "\t\tip6 daddr @reject6 reject with icmpx admin-prohibited"
	}
	if (NE["nets6"]) print "\t\tip6 daddr @nets6 drop"
	if (NE["nets4"]) print "\t\tip daddr @nets4 drop"
	print "\t}\n}"
}
# elements kept in an array and printed once: appending to one string would
# copy it for every element
function add(name, e) { E[name, ++NE[name]] = e }
function cset(name, type, exact,   i) {
	if (!NE[name])
		return
	printf "\tset %s {\n\t\ttype %s\n%s\t\telements = {\n", name, type, exact ? "" : "\t\tflags interval\n"
	for (i = 1; i <= NE[name]; i++)
		printf "\t\t\t%s,\n", E[name, i]
	print "\t\t}\n\t}"
}

# ---- packet destinations: shared-rule IPv6 blocks (r 1-13: r 0 holds a
# host), spread evenly over the whole policy, the last block included
function dest(   c, b, i, m, step) {
	m = 0
	for (b = 0; b < n; b++)
		if (b % 20 >= 1 && b % 20 <= 13)
			c[m++] = b
	if (m == 0) {
		print v6(0)
		return
	}
	if (want > m)
		want = m
	for (i = 0; i < want; i++) {
		step = want > 1 ? int(i * (m - 1) / (want - 1)) : m - 1
		print v6(c[step])
	}
}

BEGIN {
	SHARED = "allow tcp 22,80,443; allow udp 5001; allow icmp basic;"
	if (mode == "ref") {
		ref()
	} else if (mode == "concat") {
		concat()
	} else if (mode == "dest") {
		dest()
	} else {
		print "# bench/gen.sh " n ": " n " blocks"
		print "define admins = 2001:db8:ffff::/48, 2001:db8:eeee::7;"
		for (b = 0; b < n; b++)
			policy(b)
	}
}'

#!/bin/sh
# Packet-level end-to-end tests: real packets through a router that carries
# the compiled ruleset.
#
# Topology (network namespaces of this run only, deleted on exit or signal):
#
#   out (outside host: many sources) --veth-- rtr (forwards, ruleset) --veth-- ctr (containers)
#                                                  |
#                                                veth
#                                                  |
#                                    atk (the attacker's second host)
#
#   interfaces: out o0 -- r0 rtr r1 -- c0 ctr, and rtr r2 -- a0 atk
#
# atk holds no address of its own: it only sends the forged packets of the
# tcpforged and udpforged probes (see below), with any source it likes, to
# addresses in `out`; the router forwards them from r2 to r0.  A packet with
# a forged source sent from `out` to an address of `out` would never leave
# it (the kernel delivers it locally); a hand-made frame sent on o0 to the
# router's MAC address would, but then the probe would have to build every
# header and checksum and learn the MAC.  From atk, ordinary sockets send
# the forged packets (IP_TRANSPARENT: any source address), the kernel
# builds them, and a real TCP SYN is a real SYN.
#
# Every address is a /128 or /32 with a static route on the router, so any
# address can live on either side.  OUT6, OUT4, CTR6, CTR4 below list them; a probe
# runs in the namespace that holds its source address.  Both hosts run
# `probe serve` on every TCP/UDP port that any probe uses, so a refusal can
# only come from the firewall.
#
# Cases: tests/packet/cases/NAME.probes, with NAME.pol beside it, or a line
# `policy PATH` (relative to the repo root) naming the policy instead.  One
# probe per line, '#' starts a comment:
#     tcp  SRC -> DST PORT accept|drop|reject
#     udp  SRC -> DST PORT accept|drop|reject
#     icmp SRC -> DST      accept|drop|reject     (echo-request)
#     tcpack SRC -> DST PORT accept|drop          (a bare ACK of no connection:
#                                                  conntrack calls it invalid)
#     tcpx, udpx, icmpx: as tcp, udp, icmp, IPv6 only, every packet sent with
#                        a destination-options extension header
#     tcpforged SRC -> DST PORT accept|drop|reject
#     udpforged SRC -> DST PORT accept|drop|reject
#                        the forged-reply attack: atk first sends a packet
#                        that claims to come from DST:PORT, to SRC:SPORT (a
#                        SYN, or a datagram), through the router; then SRC
#                        probes DST:PORT from that SPORT as tcp/udp do.  A
#                        router that forwarded the forged packet takes the
#                        probe for its reply ("established").  SRC must be
#                        in `out`, DST anywhere.  The detail says whether the
#                        forged packet reached SRC.
# Port $CLOSED_PORT (9) is served nowhere: there the destination host itself
# answers (TCP reset, ICMP port unreachable), which shows "reject" when the
# answer gets back through the router (it is "related" or "established").
# A tcp "accept" means the connection completed and data went both ways.
#
# Each case runs once per format in D6C_FORMATS (default "text json delta"):
#     text: $D6C compile P                  loaded with nft -f
#     json: $D6C compile --format json P    loaded with nft -j -f
#     delta: $D6C apply P                   from the previous case's table,
#                                           which apply must change by a
#                                           delta: a chain of deltas through
#                                           every case, each then probed
# Then the equivalence test: a matrix of probes against reference.nft (the
# hand-written seed ruleset) and against the compiled examples/site.pol must
# give identical outcomes.
#
# Environment: D6C (default ./d6c), D6C_FORMATS, NFT (default nft), CC,
# PROBE_WAIT_MS (default 1000: how long silence means "drop"),
# D6C_PACKET_CASES (space-separated case names to run only those),
# D6C_PACKET_REQUIRED=1 (fail instead of skipping without root/namespaces),
# VERBOSE=1 (print every passing probe).
. "$(dirname "$0")/../lib.sh"
: "${D6C_FORMATS:=text json delta}" "${NFT:=nft}" "${PROBE_WAIT_MS:=1000}"
T0=$(date +%s)
DIR=tests/packet

# ------------------------------------------------------------ addresses
OUT6="2001:db8:1::2 2001:db8:ffff::5 2001:db8:bad::9 2001:db8:eeee::7 2001:db8:eeee::8
2001:db8:100::5 2001:db8::99 2001:db8:a::99"
OUT4="203.0.113.2 10.1.2.3 198.51.100.7 198.51.100.8"
CTR6="2001:db8::10 2001:db8::20 2001:db8::e 2001:db8::f 2001:db8::11 2001:db8::12 2001:db8::1f
2001:db8::21 2001:db8::ffff:ffff:ffff:ffff
2001:db8:0:1::5 2001:db8:0:2::5 2001:db8:0:3::5 2001:db8:a::10 2001:db8:a::da
2001:db8:a::db 2001:db8:a::dc 2001:db8:d0c::10 2001:db8:c::1"
CTR4="192.0.2.10 192.0.2.20 172.20.0.10 198.51.100.200"

P=d6cp-$$
NS_OUT=$P-out NS_RTR=$P-rtr NS_CTR=$P-ctr NS_ATK=$P-atk
tmp=$(mktemp -d)
SERVER_PIDS=""
cleanup() {
	trap - EXIT INT TERM HUP
	for pid in $SERVER_PIDS; do kill "$pid" 2>/dev/null; done
	for ns in $NS_OUT $NS_RTR $NS_CTR $NS_ATK; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null || [ ! -e "/run/netns/$ns" ] || echo "cannot delete network namespace $ns" >&2
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

skip() {
	if [ -n "${D6C_PACKET_REQUIRED:-}" ]; then
		fail "packet tests cannot run: $*"
	else
		echo "SKIP packet tests: $*"
	fi
	finish
	exit
}

# ------------------------------------------------------------ probe tool
[ "$(id -u)" = 0 ] || skip "not root"
for tool in ip "$NFT"; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
done
PROBE=$tmp/probe
if ! ${CC:-cc} -O2 -Wall -Wextra -o "$PROBE" $DIR/probe.c 2>"$tmp/cc.err"; then
	fail "cannot compile $DIR/probe.c:"; cat "$tmp/cc.err"; finish; exit
fi

# ------------------------------------------------------------ cases: parse
# Every .probes file is read once up front: syntax errors fail early, and
# the union of the ports tells the servers what to listen on.
# $tmp/cases lists "NAME POLICY"; $tmp/NAME.lines holds "LINENO PROTO SRC DST PORT EXPECT"
# (PORT "-" for icmp).
MATRIX_PORTS="22 80 443 25 8080 53"
CLOSED_PORT=9
: >"$tmp/cases"
PORTS=" $MATRIX_PORTS "
for probes in $DIR/cases/*.probes; do
	[ -f "$probes" ] || continue
	name=$(basename "$probes" .probes)
	if [ -n "${D6C_PACKET_CASES:-}" ]; then
		case " $D6C_PACKET_CASES " in *" $name "*) ;; *) continue ;; esac
	fi
	pol=""
	[ -f "${probes%.probes}.pol" ] && pol=${probes%.probes}.pol
	: >"$tmp/$name.lines"
	lineno=0 bad=0
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		line=${line%%#*}
		set -f; set -- $line; set +f # no globbing of probe words
		[ $# -eq 0 ] && continue
		case $1 in
		policy)
			if [ $# -ne 2 ] || [ -n "$pol" ]; then
				fail "$probes:$lineno: 'policy PATH' given twice or beside $name.pol"; bad=1; continue
			fi
			pol=$2 ;;
		tcp | udp | tcpack | tcpx | udpx | tcpforged | udpforged)
			if [ $# -ne 6 ] || [ "$3" != "->" ]; then
				fail "$probes:$lineno: expected '$1 SRC -> DST PORT accept|drop|reject': $line"; bad=1; continue
			fi
			echo "$lineno $1 $2 $4 $5 $6" >>"$tmp/$name.lines"
			case $PORTS in *" $5 "*) ;; *) [ "$5" = "$CLOSED_PORT" ] || PORTS="$PORTS$5 " ;; esac ;;
		icmp | icmpx)
			if [ $# -ne 5 ] || [ "$3" != "->" ]; then
				fail "$probes:$lineno: expected 'icmp SRC -> DST accept|drop|reject': $line"; bad=1; continue
			fi
			echo "$lineno $1 $2 $4 - $5" >>"$tmp/$name.lines" ;;
		*)
			fail "$probes:$lineno: unknown probe '$1'"; bad=1; continue ;;
		esac
		case $1 in policy) continue ;; esac
		case ${6:-$5} in accept | drop | reject) ;; *)
			fail "$probes:$lineno: outcome must be accept, drop or reject: $line"; bad=1 ;;
		esac
	done <"$probes"
	if [ -z "$pol" ] || [ ! -f "$pol" ]; then
		fail "$probes: no policy (neither $name.pol nor a 'policy PATH' line naming a file)"; bad=1
	fi
	[ -s "$tmp/$name.lines" ] || { fail "$probes: no probes"; bad=1; }
	[ "$bad" -eq 0 ] && echo "$name $pol" >>"$tmp/cases"
done
for pol in $DIR/cases/*.pol; do
	[ -f "$pol" ] && [ ! -f "${pol%.pol}.probes" ] && fail "$pol has no ${pol%.pol}.probes"
done
# every example policy is exercised by some case
if [ -z "${D6C_PACKET_CASES:-}" ]; then
	for ex in examples/*.pol; do
		[ -f "$ex" ] || continue
		cat $DIR/cases/*.probes | grep -qE "^[[:space:]]*policy[[:space:]]+$ex[[:space:]]*(#.*)?\$" ||
			fail "$ex has no packet case (a .probes file with the line 'policy $ex')"
	done
fi

# ------------------------------------------------------------ topology
ns_of() { # ADDR -> namespace that holds it
	for a in $OUT6 $OUT4; do [ "$a" = "$1" ] && { echo "$NS_OUT"; return; }; done
	for a in $CTR6 $CTR4; do [ "$a" = "$1" ] && { echo "$NS_CTR"; return; }; done
	return 1
}
ip netns add "$NS_OUT" 2>"$tmp/ns.err" || skip "cannot create network namespaces: $(cat "$tmp/ns.err")"
ip netns add "$NS_RTR" && ip netns add "$NS_CTR" && ip netns add "$NS_ATK" || { fail "ip netns add"; finish; exit; }
# nsctl NS KEY=VALUE...: sysctl inside a namespace, through /proc/sys (no procps)
nsctl() {
	ip netns exec "$1" sh -c 'shift; for kv; do k=$(echo "${kv%%=*}" | tr . /); echo "${kv#*=}" >"/proc/sys/$k" || exit 1; done' nsctl "$@"
}
setup() {
	# no DAD: addresses work at once; no ICMP rate limits: every reject and
	# port unreachable is sent, however many probes run at once
	for ns in $NS_OUT $NS_RTR $NS_CTR $NS_ATK; do
		nsctl "$ns" net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
			net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 || return 1
		# namespaced only on newer kernels; elsewhere the defaults (1000/s) do
		nsctl "$ns" net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000 2>/dev/null
	done
	nsctl "$NS_RTR" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 || return 1
	# a bare ACK is invalid, not picked up as a connection (the tcpack probe);
	# a rule with a ct match first, so that conntrack (and its sysctls) is there
	ip netns exec "$NS_RTR" $NFT -f - <<-EOF || return 1
		table inet d6cp_conntrack {
			chain forward {
				type filter hook forward priority 0;
				ct state new counter
			}
		}
	EOF
	nsctl "$NS_RTR" net.netfilter.nf_conntrack_tcp_loose=0 || return 1
	ip netns exec "$NS_RTR" $NFT flush ruleset || return 1
	ip -n "$NS_RTR" link add r0 type veth peer name o0 netns "$NS_OUT" || return 1
	ip -n "$NS_RTR" link add r1 type veth peer name c0 netns "$NS_CTR" || return 1
	ip -n "$NS_RTR" link add r2 type veth peer name a0 netns "$NS_ATK" || return 1
	{
		echo "link set lo up"
		echo "link set r0 up"
		echo "link set r1 up"
		echo "link set r2 up"
		echo "address add fe80::1/64 dev r0 nodad"
		echo "address add fe80::1/64 dev r1 nodad"
		echo "address add fe80::1/64 dev r2 nodad"
		echo "address add 198.18.0.1/30 dev r0"
		echo "address add 198.18.0.5/30 dev r1"
		echo "address add 198.18.0.9/30 dev r2"
		echo "address add 2001:db8:fffe::1/128 dev lo"
		for a in $OUT6; do echo "route add $a/128 via fe80::2 dev r0"; done
		for a in $OUT4; do echo "route add $a/32 via 198.18.0.2 dev r0"; done
		for a in $CTR6; do echo "route add $a/128 via fe80::2 dev r1"; done
		for a in $CTR4; do echo "route add $a/32 via 198.18.0.6 dev r1"; done
	} >"$tmp/rtr.ip"
	host_batch() { # DEV IPV4-LINK GATEWAY4 ADDRS...
		dev=$1 link=$2 gw=$3; shift 3
		echo "link set lo up"
		echo "link set $dev up"
		echo "address add fe80::2/64 dev $dev nodad"
		echo "address add $link dev $dev"
		for a in "$@"; do
			case $a in
			*:*) echo "address add $a/128 dev $dev nodad" ;;
			*) echo "address add $a/32 dev $dev" ;;
			esac
		done
		echo "route add ::/0 via fe80::1 dev $dev"
		echo "route add default via $gw dev $dev"
	}
	host_batch o0 198.18.0.2/30 198.18.0.1 $OUT6 $OUT4 >"$tmp/out.ip"
	host_batch c0 198.18.0.6/30 198.18.0.5 $CTR6 $CTR4 >"$tmp/ctr.ip"
	host_batch a0 198.18.0.10/30 198.18.0.9 >"$tmp/atk.ip"
	ip -n "$NS_RTR" -batch "$tmp/rtr.ip" && ip -n "$NS_OUT" -batch "$tmp/out.ip" &&
		ip -n "$NS_CTR" -batch "$tmp/ctr.ip" && ip -n "$NS_ATK" -batch "$tmp/atk.ip" || return 1
	# The attacker's own host does not answer a forged SYN with a reset
	# (which, in the reply direction, would end the flow on the router): it
	# drops pure SYNs to the probes' source ports.  SYN-ACKs pass.
	ip netns exec "$NS_OUT" $NFT -f - <<-EOF
		table inet d6cp_attacker {
			chain input {
				type filter hook input priority 0;
				tcp dport $SPORT_MIN-$SPORT_MAX tcp flags & (syn | ack) == syn drop
			}
		}
	EOF
}
SPORT_MIN=20001 SPORT_MAX=32000 # the probes' source ports: below the kernel's ephemeral range
setup || { fail "cannot build the namespace topology"; finish; exit; }

for ns in $NS_OUT $NS_CTR; do
	ip netns exec "$ns" "$PROBE" serve $PORTS >"$tmp/serve.$ns" 2>&1 &
	SERVER_PIDS="$SERVER_PIDS $!"
done
for ns in $NS_OUT $NS_CTR; do
	i=0
	until grep -q ready "$tmp/serve.$ns" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then fail "probe server in $ns did not start:"; cat "$tmp/serve.$ns"; finish; exit; fi
		sleep 0.05
	done
done

# ------------------------------------------------------------ running probes
# Each probe gets a source port (or echo id) of its own for the whole run, so
# no conntrack entry left by an earlier probe or case can decide a later one.
SPORT=$((SPORT_MIN - 1))
next_sport() {
	while :; do
		SPORT=$((SPORT + 1))
		[ $SPORT -gt $SPORT_MAX ] && SPORT=$SPORT_MIN
		case $PORTS in *" $SPORT "*) ;; *) return ;; esac
	done
}

# run_batch IN OUT: IN has lines "LINENO PROTO SRC DST PORT [EXPECT]"; all run
# at once; OUT gets "LINENO RESULT..." lines in the same order.
run_batch() {
	pids="" k=0
	while read -r ln proto src dst port _; do
		k=$((k + 1))
		ns=$(ns_of "$src") || { echo "error (source $src is on no host of the topology)" >"$tmp/res.$k"; continue; }
		ns_of "$dst" >/dev/null || { echo "error (destination $dst is on no host of the topology)" >"$tmp/res.$k"; continue; }
		next_sport
		x=""
		case $proto in
		tcpx | udpx | icmpx) proto=${proto%x} x=-x ;;
		tcpforged | udpforged) x="-f /run/netns/$NS_ATK" ;;
		esac
		if [ "$proto" = icmp ]; then
			ip netns exec "$ns" "$PROBE" icmp "$src" "$dst" -s $SPORT -w "$PROBE_WAIT_MS" $x >"$tmp/res.$k" 2>&1 &
		else
			ip netns exec "$ns" "$PROBE" "$proto" "$src" "$dst" "$port" -s $SPORT -w "$PROBE_WAIT_MS" $x >"$tmp/res.$k" 2>&1 &
		fi
		pids="$pids $!"
	done <"$1"
	[ -n "$pids" ] && wait $pids
	k=0
	: >"$2"
	while read -r ln _; do
		k=$((k + 1))
		echo "$ln $(tr '\n' ' ' <"$tmp/res.$k")" >>"$2"
		rm -f "$tmp/res.$k"
	done <"$1"
}

# load FORMAT POLICY: compile with d6c and load into the router (replacing
# everything there; delta: changing d6c's table in force); prints why on
# failure.
load() {
	if [ "$1" = delta ]; then
		D6C_RUNDIR=$tmp/run ip netns exec "$NS_RTR" $D6C apply "$2" >"$tmp/apply.out" 2>&1 ||
			{ echo "d6c apply failed:"; cat "$tmp/apply.out"; return 1; }
		grep -q 'table inet d6c updated (delta: \|table inet d6c created' "$tmp/apply.out" ||
			{ echo "apply did not take the delta:"; cat "$tmp/apply.out"; return 1; }
		return 0
	fi
	ip netns exec "$NS_RTR" $NFT flush ruleset || return 1
	case $1 in
	text) $D6C compile "$2" >"$tmp/ruleset" 2>"$tmp/compile.err" && flags="-f" ;;
	json) $D6C compile --format json "$2" >"$tmp/ruleset" 2>"$tmp/compile.err" && flags="-j -f" ;;
	*) echo "unknown format '$1' in D6C_FORMATS"; return 1 ;;
	esac || { echo "d6c compile failed (exit $?):"; cat "$tmp/compile.err"; return 1; }
	ip netns exec "$NS_RTR" $NFT $flags "$tmp/ruleset" 2>"$tmp/nft.err" ||
		{ echo "nft $flags rejected the ruleset:"; head -20 "$tmp/nft.err"; return 1; }
}

# matches PROTO PORT EXPECT GOT DETAIL: does the outcome GOT (with the probe's
# DETAIL) meet EXPECT?  A reject must also be of the right kind: a TCP reset
# for TCP; for UDP and ICMP administratively-prohibited (d6c's reject), or
# port-unreachable on $CLOSED_PORT (the host's own answer).
matches() {
	[ "$4" = "$3" ] || return 1
	[ "$4" = reject ] || return 0
	case $1 in
	tcp | tcpx | tcpforged) rwant=reset ;;
	*) if [ "$2" = "$CLOSED_PORT" ]; then rwant=port-unreachable; else rwant=admin-prohibited; fi ;;
	esac
	rkind=${5#(}
	[ "${rkind%%:*}" = "$rwant" ] && return 0
	detail="$5, but a reject here must be $rwant"
	return 1
}

# batch_meets IN OUT HEADLINE: every outcome in OUT meets its expectation in
# IN ("LINENO PROTO SRC DST PORT EXPECT" lines); otherwise fails once with
# HEADLINE, lists each probe that did not, and returns 1.
batch_meets() {
	bm=ok
	while read -r ln proto src dst port expect; do
		read -r _ got detail <&3
		if ! matches "$proto" "$port" "$expect" "$got" "$detail"; then
			[ $bm = ok ] && fail "$3"
			bm=bad
			echo "    $proto $src -> $dst $port: expected $expect, got $got $detail"
		fi
	done <"$1" 3<"$2"
	[ $bm = ok ]
}

# line_text CASE LINENO: the probe line as written
line_text() { sed -n "${2}p" "$DIR/cases/$1.probes" | sed 's/[[:space:]]*#.*//; s/^[[:space:]]*//'; }

# ------------------------------------------------------------ warm-up
# Fresh veths may lose the very first packets: ping through the router, both
# families, both ways, until the answers come (at most about 5 s).
warm() { # SRC DST
	i=0
	until ip netns exec "$(ns_of "$1")" "$PROBE" icmp "$1" "$2" -w 250 | grep -q '^accept'; do
		i=$((i + 1))
		[ $i -ge 20 ] && return 1
	done
}
ip netns exec "$NS_RTR" $NFT flush ruleset
for pair in "2001:db8:1::2 2001:db8::10" "203.0.113.2 192.0.2.10" "2001:db8::10 2001:db8:1::2" "192.0.2.10 203.0.113.2"; do
	warm $pair || { fail "topology broken: no echo reply for $pair through the router"; finish; exit; }
done

# ------------------------------------------------------------ sanity: topology
# With no ruleset at all every probe must pass, both ways, both families,
# and the closed port must be refused by the host itself; otherwise the
# topology or the probe tool is broken and nothing below means anything.
cat >"$tmp/sanity.in" <<EOF
1 tcp 2001:db8:1::2 2001:db8::10 22 accept
2 udp 2001:db8:1::2 2001:db8::10 53 accept
3 icmp 2001:db8:1::2 2001:db8::10 - accept
4 tcp 203.0.113.2 192.0.2.10 22 accept
5 udp 203.0.113.2 192.0.2.10 53 accept
6 icmp 203.0.113.2 192.0.2.10 - accept
7 tcp 2001:db8::20 2001:db8:ffff::5 80 accept
8 tcp 192.0.2.20 10.1.2.3 80 accept
9 tcpx 2001:db8:1::2 2001:db8::10 22 accept
10 udpx 2001:db8:1::2 2001:db8::10 53 accept
11 icmpx 2001:db8:1::2 2001:db8::10 - accept
12 tcpack 2001:db8:1::2 2001:db8::10 22 accept
13 tcp 2001:db8:1::2 2001:db8::10 $CLOSED_PORT reject
14 udp 203.0.113.2 192.0.2.10 $CLOSED_PORT reject
EOF
ip netns exec "$NS_RTR" $NFT flush ruleset
run_batch "$tmp/sanity.in" "$tmp/sanity.out"
batch_meets "$tmp/sanity.in" "$tmp/sanity.out" "topology broken: with an empty ruleset:" || { finish; exit; }
ok "topology: an empty ruleset passes everything; the closed port is refused"

# ------------------------------------------------------------ sanity: forging
# A forged probe that yields "drop" proves something only if forging works:
# through a stateful ruleset that, like d6c's, lets anything out to hosts it
# does not protect (new or even invalid: in the TCP attack the container's SYN-ACK
# is out of window for conntrack) but only replies in towards ctr,
# every forged probe must get in, and the same probes unforged must not.
# The first probes also warm the path from atk (its first packets may be lost).
cat >"$tmp/forging.in" <<EOF
1 udpforged 2001:db8:1::2 2001:db8::10 53 accept
2 udpforged 203.0.113.2 192.0.2.10 53 accept
3 tcpforged 2001:db8:1::2 2001:db8::10 22 accept
4 tcpforged 203.0.113.2 192.0.2.10 22 accept
5 udp 2001:db8:1::2 2001:db8::10 53 drop
6 tcp 203.0.113.2 192.0.2.10 22 drop
EOF
ip netns exec "$NS_RTR" $NFT flush ruleset
ip netns exec "$NS_RTR" $NFT -f - <<EOF
table inet d6cp_forging {
	chain forward {
		type filter hook forward priority 0; policy drop;
		ct state established,related accept
		oifname "r0" accept
	}
}
EOF
head -n 2 "$tmp/forging.in" >"$tmp/warm.in"
i=0
until [ "$(grep -c '^[0-9]* accept' "$tmp/warm.out" 2>/dev/null)" = 2 ] || [ $i -ge 10 ]; do
	i=$((i + 1))
	run_batch "$tmp/warm.in" "$tmp/warm.out"
done
run_batch "$tmp/forging.in" "$tmp/forging.out"
batch_meets "$tmp/forging.in" "$tmp/forging.out" \
	"forging broken: through a ruleset that forwards anything towards out, only replies towards ctr:" &&
	ok "forging: a forged packet opens a stateful ruleset to its sender, both families, tcp and udp"

# ------------------------------------------------------------ cases
# One format after the other: the delta format goes from case to case.
ncases=0 nprobes=0
for fmt in $D6C_FORMATS; do
	ip netns exec "$NS_RTR" $NFT flush ruleset
	while read -r name pol; do
		[ "$fmt" = "${D6C_FORMATS%% *}" ] && ncases=$((ncases + 1))
		if ! load "$fmt" "$pol" >"$tmp/load.msg" 2>&1; then
			fail "$name [$fmt] $pol: cannot load:"; sed 's/^/    /' "$tmp/load.msg"; continue
		fi
		run_batch "$tmp/$name.lines" "$tmp/$name.out"
		while read -r ln proto src dst port expect; do
			read -r oln got detail <&3
			nprobes=$((nprobes + 1))
			if [ "$oln" = "$ln" ] && matches "$proto" "$port" "$expect" "$got" "$detail"; then
				ok "$name [$fmt] line $ln: $(line_text "$name" "$ln")"
			else
				fail "$DIR/cases/$name.probes:$ln [$fmt, $pol]: '$(line_text "$name" "$ln")': expected $expect, got $got $detail"
			fi
		done <"$tmp/$name.lines" 3<"$tmp/$name.out"
	done <"$tmp/cases"
done

# ------------------------------------------------------------ equivalence
# The compiled reference policy must treat every probe of this matrix
# exactly as the hand-written seed ruleset (reference.nft) does.
if [ -z "${D6C_PACKET_CASES:-}" ]; then
	k=0
	: >"$tmp/matrix.in"
	for src in 2001:db8:1::2 2001:db8:ffff::5 2001:db8:bad::9 2001:db8:eeee::7; do
		for dst in 2001:db8::10 2001:db8::20 2001:db8::ffff:ffff:ffff:ffff 2001:db8:0:1::5 2001:db8:c::1; do
			for p in $MATRIX_PORTS; do
				k=$((k + 1)); echo "$k tcp $src $dst $p" >>"$tmp/matrix.in"
			done
			k=$((k + 1)); echo "$k udp $src $dst 53" >>"$tmp/matrix.in"
			k=$((k + 1)); echo "$k icmp $src $dst -" >>"$tmp/matrix.in"
		done
	done
	# replies towards the network, and IPv4, which neither ruleset protects
	for l in "tcp 2001:db8::10 2001:db8:1::2 22" "udp 2001:db8::20 2001:db8:ffff::5 53" \
		"icmp 2001:db8::10 2001:db8:1::2 -" "tcp 203.0.113.2 192.0.2.10 25" \
		"udp 10.1.2.3 192.0.2.10 53" "icmp 198.51.100.7 192.0.2.10 -"; do
		k=$((k + 1)); echo "$k $l" >>"$tmp/matrix.in"
	done
	ip netns exec "$NS_RTR" $NFT flush ruleset
	if ! ip netns exec "$NS_RTR" $NFT -f $DIR/reference.nft 2>"$tmp/nft.err"; then
		fail "nft rejects $DIR/reference.nft:"; cat "$tmp/nft.err"
	else
		run_batch "$tmp/matrix.in" "$tmp/matrix.ref"
		# the reference itself must show both verdicts, or the matrix proves nothing
		if grep -q ' accept ' "$tmp/matrix.ref" && grep -q ' drop ' "$tmp/matrix.ref" &&
			! grep -q -v -e ' accept ' -e ' drop ' "$tmp/matrix.ref"; then
			ok "equivalence: reference ruleset gives accept and drop only"
		else
			fail "equivalence: unexpected outcomes from the reference ruleset itself:"
			grep -v -e ' accept ' -e ' drop ' "$tmp/matrix.ref" | head
		fi
		for fmt in $D6C_FORMATS; do
			if ! load "$fmt" examples/site.pol >"$tmp/load.msg" 2>&1; then
				fail "equivalence [$fmt]: cannot load examples/site.pol:"; sed 's/^/    /' "$tmp/load.msg"; continue
			fi
			run_batch "$tmp/matrix.in" "$tmp/matrix.got"
			while read -r ln proto src dst port; do
				read -r _ want _ <&3
				read -r _ got detail <&4
				nprobes=$((nprobes + 1))
				what="$proto $src -> $dst"; [ "$port" = - ] || what="$what $port"
				if [ "$want" = "$got" ] && case $got in accept | drop) true ;; *) false ;; esac; then
					ok "equivalence [$fmt] $what: $got"
				else
					fail "equivalence [$fmt] examples/site.pol vs $DIR/reference.nft: '$what': reference $want, compiled $got $detail"
				fi
			done <"$tmp/matrix.in" 3<"$tmp/matrix.ref" 4<"$tmp/matrix.got"
		done
	fi
fi

echo "packet: $ncases cases, $nprobes probes checked, formats: $D6C_FORMATS, $(($(date +%s) - T0)) s"
finish

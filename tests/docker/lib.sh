# Helpers of the real-Docker suite (tests/docker/run.sh); sourced after
# tests/lib.sh.  Everything of a run lives under $tmp and in the network
# namespaces $P-host (dockerd, its bridges and containers), $P-out (the
# outside world) and $P-atk (the attacker's second host); teardown removes
# all of it.
#
#   $P-out (o0: fd00:ffff::2, 198.18.0.2, sources $SRC_*) --veth-- $P-host (h0: fd00:ffff::1, 198.18.0.1)
#                                                                    dockerd, bridges, containers
#   $P-atk (a0: fd00:fffe::2, 198.18.0.6) --veth-- $P-host (h1: fd00:fffe::1, 198.18.0.5)
#
# $P-atk only sends the forged packets of the tcpforged and udpforged probes
# (tests/packet/probe.c; tests/packet/run.sh explains the attack): a source
# of a container's network, to an address of $P-out, which the host
# forwards from h1 to h0.  $P-out drops incoming pure SYNs to the probes'
# source ports, so that its kernel does not answer a forged SYN with a
# reset (which would end the forged flow on the host).
#
# Variables the caller sets first: P, tmp.

NS_HOST=$P-host
NS_OUT=$P-out
NS_ATK=$P-atk
DAEMON_PID=""
# The mode in force (run.sh, mode_set): DKD and DOCKER_CLI the daemon and
# its own client (by full path: another docker client may come earlier on
# PATH), MAJOR its major version, IP6T on|off (daemon.json "ip6tables"), GW
# nat|routed (its IPv6 networks' gateway mode; empty before Docker 27, which
# has none), LEGACY=1 before Docker 27 (no DOCKER-USER for IPv6, ip6tables
# experimental).
DKD="" DOCKER_CLI="" MAJOR="" IP6T="" GW="" LEGACY=""
# d6c's default accept mark (apply --docker-accept), and its rule as
# iptables -S prints it
MARK=0x10000000
RULESPEC="-m mark --mark $MARK/$MARK -m comment --comment d6c-accept -j ACCEPT"

# The outside's addresses: probe sources and the servers of the egress checks.
OUT_LINK6=fd00:ffff::2 HOST_LINK6=fd00:ffff::1
OUT_LINK4=198.18.0.2 HOST_LINK4=198.18.0.1
ATK_LINK6=fd00:fffe::2 HOST_ATK6=fd00:fffe::1
ATK_LINK4=198.18.0.6 HOST_ATK4=198.18.0.5
SPORT_MIN=20001 SPORT_MAX=32000 # run.sh's probes' source ports (next_sport)
SRC_OK6=2001:db8:ffff::5   # named by the policies' `from`
SRC_BAD6=2001:db8:bad::9   # named by no `from`
SRC_OK4=203.0.113.5
SRC_BAD4=203.0.113.9

dk() { "$DOCKER_CLI" -H "unix://$tmp/docker.sock" "$@"; }
hns() { ip netns exec "$NS_HOST" "$@"; }
ons() { ip netns exec "$NS_OUT" "$@"; }

# nsctl NS KEY=VALUE...: sysctls inside a namespace, through /proc/sys
nsctl() {
	ip netns exec "$1" sh -c 'shift; for kv; do k=$(echo "${kv%%=*}" | tr . /); echo "${kv#*=}" >"/proc/sys/$k" || exit 1; done' nsctl "$@"
}

# ------------------------------------------------------------ namespaces
topology_up() {
	ip netns add "$NS_HOST" 2>"$tmp/ns.err" || return 1
	ip netns add "$NS_OUT" 2>>"$tmp/ns.err" || return 1
	ip netns add "$NS_ATK" 2>>"$tmp/ns.err" || return 1
	for ns in $NS_HOST $NS_OUT $NS_ATK; do
		nsctl "$ns" net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
			net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0 || return 1
		nsctl "$ns" net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000 2>/dev/null
	done
	# IPv6 forwarding on; IPv4's ip_forward is left to dockerd, which then
	# also sets ip filter FORWARD's policy to drop (as on a fresh host)
	nsctl "$NS_HOST" net.ipv6.conf.all.forwarding=1 || return 1
	ip -n "$NS_HOST" link add h0 type veth peer name o0 netns "$NS_OUT" || return 1
	ip -n "$NS_HOST" link add h1 type veth peer name a0 netns "$NS_ATK" || return 1
	ip -n "$NS_HOST" -batch - <<-EOF || return 1
		link set lo up
		link set h0 up
		link set h1 up
		address add $HOST_LINK6/64 dev h0 nodad
		address add $HOST_LINK4/30 dev h0
		address add $HOST_ATK6/64 dev h1 nodad
		address add $HOST_ATK4/30 dev h1
		route add $SRC_OK6/128 via $OUT_LINK6 dev h0
		route add $SRC_BAD6/128 via $OUT_LINK6 dev h0
		route add 203.0.113.0/24 via $OUT_LINK4 dev h0
	EOF
	ip -n "$NS_OUT" -batch - <<-EOF || return 1
		link set lo up
		link set o0 up
		address add $OUT_LINK6/64 dev o0 nodad
		address add $OUT_LINK4/30 dev o0
		address add $SRC_OK6/128 dev o0 nodad
		address add $SRC_BAD6/128 dev o0 nodad
		address add $SRC_OK4/32 dev o0
		address add $SRC_BAD4/32 dev o0
		route add ::/0 via $HOST_LINK6 dev o0
		route add default via $HOST_LINK4 dev o0
	EOF
	# the attacker: no address but its link's; everything goes to the host
	ip -n "$NS_ATK" -batch - <<-EOF || return 1
		link set lo up
		link set a0 up
		address add $ATK_LINK6/64 dev a0 nodad
		address add $ATK_LINK4/30 dev a0
		route add ::/0 via $HOST_ATK6 dev a0
		route add default via $HOST_ATK4 dev a0
	EOF
	ip netns exec "$NS_OUT" $NFT -f - <<-EOF || return 1
		table inet d6cd_attacker {
			chain input {
				type filter hook input priority 0;
				tcp dport $SPORT_MIN-$SPORT_MAX tcp flags & (syn | ack) == syn drop
			}
		}
	EOF
}

topology_down() {
	for ns in $NS_HOST $NS_OUT $NS_ATK; do
		[ -e "/run/netns/$ns" ] || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null || echo "cannot delete network namespace $ns" >&2
	done
}

# ------------------------------------------------------------ the image
# busybox and the static probe ($tmp/rootfs/bin/probe, built by run.sh) in
# a rootfs, imported (no registry).
build_image() {
	mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/tmp" "$tmp/rootfs/etc" || return 1
	cp "$BUSYBOX" "$tmp/rootfs/bin/busybox" || return 1
	ln -sf busybox "$tmp/rootfs/bin/sh"
	tar -C "$tmp/rootfs" -c . | dk import - d6ctest:1 >/dev/null
}

# ------------------------------------------------------------ the daemon
# daemon_start: a private dockerd of the mode in force in $NS_HOST.  Its
# directory first on PATH: a dockerd finds its docker-proxy there.
daemon_start() {
	case $LEGACY/$IP6T in
	1/on) extra='"experimental": true, "ip6tables": true,' ;;
	1/off) extra='' ;;
	/on) extra='"ip6tables": true,' ;;
	/off) extra='"ip6tables": false,' ;;
	esac
	cat >"$tmp/daemon.json" <<-EOF
		{ $extra
		  "default-address-pools": [{"base": "172.30.0.0/16", "size": 24},
		                            {"base": "2001:db8:d00::/56", "size": 64}] }
	EOF
	mkdir -p "$tmp/data" "$tmp/exec"
	PATH="$(dirname "$DKD"):$PATH" nsenter --net="/run/netns/$NS_HOST" "$DKD" --config-file "$tmp/daemon.json" \
		--data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/docker.pid" \
		-H "unix://$tmp/docker.sock" >>"$tmp/dockerd.log" 2>&1 &
	DAEMON_PID=$! # nsenter execs dockerd: this is dockerd's pid (the one in its --pidfile)
	i=0
	until dk info >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			echo "dockerd ($MODE) did not come up; its log:"; tail -20 "$tmp/dockerd.log"
			return 1
		fi
		sleep 0.05
	done
}

# wait_gone PID TENTHS: 0 once PID has exited, 1 if it still runs
wait_gone() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt "$2" ] && return 1
		sleep 0.1
	done
}

# daemon_stop: by pid (other dockerds may run on this machine), SIGKILL
# after 20 s; then its containerd and any shim left, found by our $tmp.
daemon_stop() {
	[ -n "$DAEMON_PID" ] || return 0
	if kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill "$DAEMON_PID" 2>/dev/null
		wait_gone "$DAEMON_PID" 200 || { echo "dockerd $DAEMON_PID ignored SIGTERM; killing it" >&2; kill -9 "$DAEMON_PID"; }
	fi
	wait "$DAEMON_PID" 2>/dev/null
	DAEMON_PID=""
	for pid in $(pgrep -f "$tmp/exec" 2>/dev/null); do kill "$pid" 2>/dev/null; done
	for pid in $(pgrep -f "$tmp/exec" 2>/dev/null); do wait_gone "$pid" 50 || kill -9 "$pid" 2>/dev/null; done
	rm -f "$tmp/docker.sock"
	return 0
}

# umount_under DIR: lazily unmount whatever is mounted at or below DIR
umount_under() {
	awk -v t="$1" '$2 == t || index($2, t "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
}

# ------------------------------------------------------------ containers and networks
SERVE_PORTS="22 80 443 25 53 8080"
# run_ctr NAME NETWORK IP [docker run options...]: a container serving $SERVE_PORTS
run_ctr() {
	name=$1 net=$2 ip=$3; shift 3
	case $ip in *:*) ipopt=--ip6 ;; *) ipopt=--ip ;; esac
	dk run -d --name "$name" --network "$net" $ipopt "$ip" "$@" d6ctest:1 /bin/probe serve $SERVE_PORTS >/dev/null
}
# subnet6 NETWORK, subnet4 NETWORK: the network's IPv6, IPv4 subnet
subnets() { dk network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$1" | tr ' ' '\n'; }
subnet6() { subnets "$1" | grep : ; }
subnet4() { subnets "$1" | grep '^[0-9.]*/[0-9]*$' ; }
# net_create NAME [OPTION...]: a dual-stack network (an IPv4 subnet from
# Docker's pool unless given) in the mode's gateway mode (Docker 27 and
# later), for both families: then 28's raw drops of what is routed straight
# to a container (NAT mode) hold for both or neither.
net_create() {
	name=$1; shift
	[ -n "$GW" ] && set -- -o com.docker.network.bridge.gateway_mode_ipv6=$GW \
		-o com.docker.network.bridge.gateway_mode_ipv4=$GW "$@"
	dk network create --ipv6 "$@" "$name" >/dev/null
}

# make_containers: the networks and containers every mode starts with; sets
# POOL6 and POOL4 (the subnets Docker picked for pool6), C2 (c2's address,
# from that pool) and C1V4 (c1's IPv4 address).  fixed6 and late6 (run.sh)
# have IPv4 subnets of Docker's IPv4 pool 172.30.0.0/16 given, so that
# base.pol can name them as names.pol does: docker "fixed6" is both its
# subnets.
make_containers() {
	net_create fixed6 --subnet 172.30.1.0/24 --subnet 2001:db8:d0c::/64 &&
		net_create pool6 &&
		net_create dual --subnet 192.0.2.0/24 --subnet 2001:db8:d0d::/64 || return 1
	POOL6=$(subnet6 pool6) POOL4=$(subnet4 pool6)
	case $POOL6 in 2001:db8:d00:*/64) ;; *) echo "pool6 got '$POOL6', not a /64 of 2001:db8:d00::/56"; return 1 ;; esac
	case $POOL4 in 172.30.1.0/24 | 172.30.3.0/24) echo "pool6 got $POOL4, fixed6's or late6's"; return 1 ;;
	172.30.*.0/24) ;; *) echo "pool6 got '$POOL4', not a /24 of 172.30.0.0/16"; return 1 ;; esac
	run_ctr c1 fixed6 2001:db8:d0c::10 -p 8080:8080 &&
		dk run -d --name c2 --network pool6 d6ctest:1 /bin/probe serve $SERVE_PORTS >/dev/null &&
		run_ctr c3 dual 2001:db8:d0d::10 --ip 192.0.2.10 -p 8081:8080 -p 8443:443 || return 1
	C2=$(dk inspect -f '{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}{{end}}' c2)
	[ -n "$C2" ] || { echo "c2 has no IPv6 address"; return 1; }
	C1V4=$(dk inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' c1)
	case $C1V4 in 172.30.1.*) ;; *) echo "c1's IPv4 address '$C1V4' is not of 172.30.1.0/24"; return 1 ;; esac
}

# addr_of NAME: the address behind a name of the .probes files
addr_of() {
	case $1 in
	ok6) echo $SRC_OK6 ;; bad6) echo $SRC_BAD6 ;; ok4) echo $SRC_OK4 ;; bad4) echo $SRC_BAD4 ;;
	out6) echo $OUT_LINK6 ;; out4) echo $OUT_LINK4 ;; host6) echo $HOST_LINK6 ;; host4) echo $HOST_LINK4 ;;
	c1) echo 2001:db8:d0c::10 ;; c1v4) echo "$C1V4" ;; c2) echo "$C2" ;; c3) echo 2001:db8:d0d::10 ;; c3v4) echo 192.0.2.10 ;;
	c4) echo 2001:db8:d0e::10 ;; c5) echo 2001:db8:d10::10 ;; c6) echo 2001:db8:d11::10 ;;
	*) return 1 ;;
	esac
}

# warm_up CONTAINER...: each one answers and has its neighbours: an echo
# from it to the outside (egress, which neither Docker nor d6c blocks)
# comes back, within about 5 s
warm_up() {
	for c; do
		i=0
		until dk exec "$c" /bin/probe icmp "$(addr_of "$c")" $OUT_LINK6 -w 250 2>/dev/null | grep -q '^accept'; do
			i=$((i + 1))
			[ $i -ge 20 ] && { fail "docker [$MODE] $c: no echo reply from the outside: broken topology"; return 1; }
		done
	done
}

# ------------------------------------------------------------ Docker's rules, d6c's rule
# rule_place FAMILY (ip6tables|iptables): the chain d6c's rule belongs first
# in, as measured: DOCKER-USER where Docker made it (IPv4 always; IPv6 on
# Docker 27 and later with ip6tables on), FORWARD for 20.10's IPv6 (no
# DOCKER-USER there), none where Docker does not filter the family
rule_place() {
	case $1/$IP6T/$LEGACY in
	iptables/*) echo DOCKER-USER ;;
	ip6tables/off/*) echo none ;;
	ip6tables/on/1) echo FORWARD ;;
	ip6tables/on/) echo DOCKER-USER ;;
	esac
}
# rule_state: "" when d6c's rule is exactly where it belongs in both
# families (first, once, with d6c's default mark; nowhere where Docker does
# not filter), else what is wrong
rule_state() {
	for t in ip6tables iptables; do
		where=$(rule_place $t)
		{ hns $t -w -S FORWARD; hns $t -w -S DOCKER-USER 2>/dev/null; } >"$tmp/rs.$t"
		n=$(grep -c -- '--comment d6c-accept' "$tmp/rs.$t")
		if [ "$where" = none ]; then
			[ "$n" = 0 ] || echo "$t: $n rule(s) of d6c's where Docker does not filter;"
			continue
		fi
		first=$(grep -m1 -- "^-A $where " "$tmp/rs.$t")
		[ "$first" = "-A $where $RULESPEC" ] && [ "$n" = 1 ] ||
			echo "$t: $n rule(s) of d6c's, $where's first rule is '${first:-none}';"
	done
}
# rule_wait WHEN TENTHS: d6c's rule in place within TENTHS tenths of a
# second; a check that says how long it took
rule_wait() {
	t0=$(date +%s%N)
	i=0
	while st=$(rule_state) && [ -n "$st" ]; do
		i=$((i + 1)); [ $i -gt $(($2 * 2)) ] && break
		sleep 0.05
	done
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ -z "$st" ]; then
		ok "docker [$MODE, $LOADED] $1: d6c's rule first in ip6 $(rule_place ip6tables), ip $(rule_place iptables) (after $ms ms)"
	else
		fail "docker [$MODE, $LOADED] $1: d6c's rule not where it belongs after $ms ms: $st"
	fi
	RULE_MS=$ms
}
# rule_none WHEN: no rule of d6c's in FORWARD or DOCKER-USER, either family
rule_none() {
	n=$( { for t in ip6tables iptables; do hns $t -w -S FORWARD; hns $t -w -S DOCKER-USER; done; } 2>/dev/null |
		grep -c -- '--comment d6c-accept')
	[ "$n" = 0 ] && ok "docker [$MODE] $1: no rule of d6c's in Docker's chains" ||
		fail "docker [$MODE] $1: $n rule(s) of d6c's left in Docker's chains"
}

# docker_facts: what Docker put into its filter tables, as checks, per
# version as measured (d6c's own rule left out)
docker_facts() {
	for t in ip6tables iptables; do
		hns $t -w -S FORWARD | grep -v -- '--comment d6c-accept' >"$tmp/fw.$t" 2>&1
		hns $t -w -S DOCKER-USER 2>/dev/null | grep -v -- '--comment d6c-accept' >"$tmp/du.$t" || rm -f "$tmp/du.$t"
	done
	hns ip6tables -w -t raw -S PREROUTING >"$tmp/raw6" 2>&1
	hns iptables -w -t raw -S PREROUTING >"$tmp/raw4" 2>&1
	fw6=$(tr '\n' ';' <"$tmp/fw.ip6tables") fw4=$(tr '\n' ';' <"$tmp/fw.iptables")
	# IPv6
	case $IP6T/$LEGACY in
	off/*)
		if [ "$fw6" = "-P FORWARD ACCEPT;" ] && [ ! -e "$tmp/du.ip6tables" ]; then
			ok "docker [$MODE] no ip6 filtering by Docker (FORWARD empty, policy accept, no DOCKER-USER)"
		else
			fail "docker [$MODE] Docker filters IPv6 though ip6tables is off: $fw6"
		fi ;;
	on/1)
		if [ "$(sed -n 1p "$tmp/fw.ip6tables")" = "-P FORWARD DROP" ] &&
			[ "$(sed -n 2p "$tmp/fw.ip6tables")" = "-A FORWARD -j DOCKER-ISOLATION-STAGE-1" ] &&
			[ ! -e "$tmp/du.ip6tables" ]; then
			ok "docker [$MODE] ip6 filter FORWARD: policy drop, isolation jump first, no DOCKER-USER"
		else
			fail "docker [$MODE] ip6 filter FORWARD is not as measured on 20.10 (policy drop, isolation jump first, no DOCKER-USER): $fw6"
		fi ;;
	on/)
		# the policy stays accept: IPv6 forwarding was on before dockerd
		# (topology_up), and Docker sets the drop only when it turns it on
		if [ "$fw6" = "-P FORWARD ACCEPT;-A FORWARD -j DOCKER-USER;-A FORWARD -j DOCKER-FORWARD;" ] &&
			[ -e "$tmp/du.ip6tables" ]; then
			ok "docker [$MODE] ip6 filter FORWARD: policy accept, DOCKER-USER then DOCKER-FORWARD"
		else
			fail "docker [$MODE] ip6 filter FORWARD is not as measured on $MAJOR (policy accept, DOCKER-USER, DOCKER-FORWARD): $fw6"
		fi
		# each bridge's DOCKER chain drops what enters it from elsewhere
		n=$(hns ip6tables -w -S DOCKER | grep -c -- '-j DROP$')
		[ "$n" -ge 3 ] && ok "docker [$MODE] ip6 DOCKER: a drop for each of the $n bridges" ||
			fail "docker [$MODE] ip6 DOCKER has $n drops, not one per bridge: $(hns ip6tables -w -S DOCKER | tr '\n' ';')" ;;
	esac
	# Docker's raw drop of what is routed straight to a NAT network's
	# container (27 and later, ip6tables on, gateway mode nat)
	n6=$(grep -c -- '-d 2001:db8:d0c::10/128 ! -i br-[0-9a-f]* -j DROP' "$tmp/raw6")
	want6=0; [ "$IP6T/$GW" = on/nat ] && want6=1
	[ "$n6" = $want6 ] && ok "docker [$MODE] ip6 raw PREROUTING: $n6 drop(s) of c1's address from elsewhere" ||
		fail "docker [$MODE] ip6 raw PREROUTING: $n6 drops of c1's address, not $want6: $(tr '\n' ';' <"$tmp/raw6")"
	# IPv4: policy drop (dockerd turned ip_forward on; topology_up leaves it off)
	n4=$(grep -c -- '-d 192.0.2.10/32 ! -i br-[0-9a-f]* -j DROP' "$tmp/raw4")
	want4=0; [ "$GW" = nat ] && want4=1
	[ "$n4" = $want4 ] && ok "docker [$MODE] ip raw PREROUTING: $n4 drop(s) of c3v4's address from elsewhere" ||
		fail "docker [$MODE] ip raw PREROUTING: $n4 drops of c3v4's address, not $want4: $(tr '\n' ';' <"$tmp/raw4")"
	if [ -n "$LEGACY" ]; then
		want="-P FORWARD DROP;-A FORWARD -j DOCKER-USER;-A FORWARD -j DOCKER-ISOLATION-STAGE-1;"
	else
		want="-P FORWARD DROP;-A FORWARD -j DOCKER-USER;-A FORWARD -j DOCKER-FORWARD;"
	fi
	case $fw4 in
	"$want"*) ok "docker [$MODE] ip filter FORWARD: policy drop, DOCKER-USER first" ;;
	*) fail "docker [$MODE] ip filter FORWARD is not as measured (${want%;}...): $fw4" ;;
	esac
}
# dump_tables LABEL: Docker's filter and raw tables as iptables-save shows them
dump_tables() {
	for t in ip6tables iptables; do
		echo "== $1: $t-save -t filter, -t raw (Docker $VERSION)"
		hns $t-save -t filter 2>&1 | grep -v '^#'
		hns $t-save -t raw 2>&1 | grep -v '^#'
	done
}

# teardown: containers, daemon, mounts, namespaces of this run
teardown() {
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		ids=$(dk ps -aq 2>/dev/null)
		[ -n "$ids" ] && dk rm -f $ids >/dev/null 2>&1
	fi
	daemon_stop
	umount_under "$tmp"
	topology_down
	rm -rf "$tmp/data" "$tmp/exec"
}
# leftovers: what of this run is still there (empty: nothing)
leftovers() {
	p=$(pgrep -f "$tmp" | tr '\n' ' ')
	[ -n "$p" ] && echo "processes $p"
	m=$(awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/self/mounts | tr '\n' ' ')
	[ -n "$m" ] && echo "mounts $m"
	n=$(ip netns list | awk -v p="$P-" 'index($1, p) == 1 { print $1 }' | tr '\n' ' ')
	[ -n "$n" ] && echo "namespaces $n"
	return 0
}

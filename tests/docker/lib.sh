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

DOCKER_CLI=/usr/bin/docker # by full path: another docker client comes earlier on PATH
NS_HOST=$P-host
NS_OUT=$P-out
NS_ATK=$P-atk
DAEMON_PID=""
MARK=0x00100000 # d6c --accept-mark; the recipe rules match it

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
# daemon_start on|off: a private dockerd in $NS_HOST.  on: Docker's IPv6
# filtering (ip6tables; experimental on 20.10), off: 20.10's default.
daemon_start() {
	mode=$1
	case $mode in
	on) extra='"experimental": true, "ip6tables": true,' ;;
	off) extra='' ;;
	esac
	cat >"$tmp/daemon.json" <<-EOF
		{ $extra
		  "default-address-pools": [{"base": "172.30.0.0/16", "size": 24},
		                            {"base": "2001:db8:d00::/56", "size": 64}] }
	EOF
	mkdir -p "$tmp/data" "$tmp/exec"
	nsenter --net="/run/netns/$NS_HOST" "$DOCKERD" --config-file "$tmp/daemon.json" \
		--data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/docker.pid" \
		-H "unix://$tmp/docker.sock" >>"$tmp/dockerd.log" 2>&1 &
	DAEMON_PID=$! # nsenter execs dockerd: this is dockerd's pid (the one in its --pidfile)
	i=0
	until dk info >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 150 ] || ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			echo "dockerd ($mode) did not come up; its log:"; tail -20 "$tmp/dockerd.log"
			return 1
		fi
		sleep 0.1
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
# subnet6 NETWORK: the network's IPv6 subnet
subnet6() { dk network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$1" | tr ' ' '\n' | grep : ; }

# make_containers: the networks and containers every mode starts with; sets
# POOL6 (the subnet Docker picked) and C2 (c2's address, from that pool)
make_containers() {
	dk network create --ipv6 --subnet 2001:db8:d0c::/64 fixed6 >/dev/null &&
		dk network create --ipv6 pool6 >/dev/null &&
		dk network create --ipv6 --subnet 192.0.2.0/24 --subnet 2001:db8:d0d::/64 dual >/dev/null || return 1
	POOL6=$(subnet6 pool6)
	case $POOL6 in 2001:db8:d00:*/64) ;; *) echo "pool6 got '$POOL6', not a /64 of 2001:db8:d00::/56"; return 1 ;; esac
	run_ctr c1 fixed6 2001:db8:d0c::10 -p 8080:8080 &&
		dk run -d --name c2 --network pool6 d6ctest:1 /bin/probe serve $SERVE_PORTS >/dev/null &&
		run_ctr c3 dual 2001:db8:d0d::10 --ip 192.0.2.10 -p 8081:8080 || return 1
	C2=$(dk inspect -f '{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}{{end}}' c2)
	[ -n "$C2" ] || { echo "c2 has no IPv6 address"; return 1; }
	C1V4=$(dk inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' c1)
	[ -n "$C1V4" ] || { echo "c1 has no IPv4 address"; return 1; }
}

# addr_of NAME: the address behind a name of the .probes files
addr_of() {
	case $1 in
	ok6) echo $SRC_OK6 ;; bad6) echo $SRC_BAD6 ;; ok4) echo $SRC_OK4 ;; bad4) echo $SRC_BAD4 ;;
	out6) echo $OUT_LINK6 ;; out4) echo $OUT_LINK4 ;;
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

# ------------------------------------------------------------ Docker's rules, the recipe
# docker_facts MODE: what Docker put into its filter tables, as checks
docker_facts() {
	hns ip6tables -S FORWARD >"$tmp/fw6" 2>&1
	hns iptables -S FORWARD >"$tmp/fw4" 2>&1
	if [ "$1" = on ]; then
		if grep -qx -- '-P FORWARD DROP' "$tmp/fw6" &&
			[ "$(sed -n 2p "$tmp/fw6")" = "-A FORWARD -j DOCKER-ISOLATION-STAGE-1" ] &&
			! hns ip6tables -S DOCKER-USER >/dev/null 2>&1; then
			ok "docker [$1] ip6 filter FORWARD: policy drop, isolation jump first, no DOCKER-USER"
		else
			fail "docker [$1] ip6 filter FORWARD is not as measured on 20.10 (policy drop, isolation jump first, no DOCKER-USER): $(tr '\n' ';' <"$tmp/fw6")"
		fi
	elif [ "$(grep -c . "$tmp/fw6")" -le 1 ] && ! grep -q DROP "$tmp/fw6"; then
		ok "docker [$1] no ip6 filtering by Docker"
	else
		fail "docker [$1] Docker filters IPv6 though ip6tables is off: $(tr '\n' ';' <"$tmp/fw6")"
	fi
	# policy drop: dockerd turned ip_forward on itself (topology_up leaves it off)
	if grep -qx -- '-P FORWARD DROP' "$tmp/fw4" && grep -qx -- '-A FORWARD -j DOCKER-USER' "$tmp/fw4"; then
		ok "docker [$1] ip filter FORWARD: policy drop, DOCKER-USER"
	else
		fail "docker [$1] ip filter FORWARD is not as measured (policy drop, DOCKER-USER): $(tr '\n' ';' <"$tmp/fw4")"
	fi
}
# dump_tables LABEL: Docker's filter tables as iptables-save shows them
dump_tables() {
	echo "== $1: ip6tables-save -t filter"; hns ip6tables-save -t filter 2>&1 | grep -v '^#'
	echo "== $1: iptables-save -t filter"; hns iptables-save -t filter 2>&1 | grep -v '^#'
}

# The recipe: one rule in Docker's filter table of each family accepts what
# d6c accepted (d6c compile/apply --accept-mark $MARK).
# The recipe (LANGUAGE.md, "Running with Docker"): one rule per family,
# APPENDED to Docker's FORWARD chain, so that it sits below Docker's
# isolation jump (Docker inserts its own rules at the top, before and after
# the admin's rule, at start, restart and every network it creates).
# recipe_install before|after: before dockerd starts (the boot order) or on
# a running Docker; IPv6 only with Docker's IPv6 filtering on.
RECIPE="FORWARD -m mark --mark $MARK/$MARK -j ACCEPT"
recipe_install() {
	[ "$MODE" = on ] && { hns ip6tables -A $RECIPE || return 1; }
	hns iptables -A $RECIPE
}
# recipe_check WHEN: each rule is there, below the isolation jump
recipe_check() {
	m=$(printf '0x%x' $MARK)
	for t in ip6tables iptables; do
		[ $t = ip6tables ] && [ "$MODE" != on ] && continue
		hns $t -S FORWARD >"$tmp/fw"
		rl=$(grep -n -- "-m mark --mark $m/$m -j ACCEPT" "$tmp/fw" | cut -d: -f1)
		il=$(grep -n -- "-j DOCKER-ISOLATION-STAGE-1" "$tmp/fw" | cut -d: -f1)
		if [ -n "$rl" ] && [ -n "$il" ] && [ "$rl" -gt "$il" ]; then
			ok "docker [$MODE] recipe $1: $t FORWARD rule $rl, below the isolation jump (rule $il)"
		else
			fail "docker [$MODE] recipe $1: $t FORWARD rule at '${rl:-none}', isolation jump at '${il:-none}': $(tr '\n' ';' <"$tmp/fw")"
		fi
	done
}

# isolation: where the recipe rule sits decides whether what d6c accepts
# (and marks: d6c marks the replies too) crosses Docker networks.  Below
# Docker's isolation jump (the recipe) it does not (base.probes).  IPv6
# (on): moved ABOVE the jump, it does, until the next network Docker
# creates puts its jump first again.  IPv4: in DOCKER-USER, which FORWARD
# jumps to before isolation (and where Docker's documentation puts user
# rules), it does, for as long as it is there.
isolation_top() {
	load apply mark >"$tmp/load.msg" 2>&1 || { fail "docker [$MODE] isolation: cannot load:"; cat "$tmp/load.msg"; return; }
	if [ "$MODE" = on ]; then
		hns ip6tables -D $RECIPE && hns ip6tables -I $RECIPE || { fail "docker [$MODE] cannot move the recipe rule"; return; }
		check_one "recipe rule above the isolation jump: c1 -> c2 80 crosses networks" accept tcp c1 c2 80
		dk network create --ipv6 --subnet 2001:db8:d0f::/64 iso6 >/dev/null
		recipe_check "after a network was created"
		check_one "Docker put its isolation jump above the recipe again: c1 -> c2 80 isolated" drop tcp c1 c2 80
	fi
	u4="DOCKER-USER -m mark --mark $MARK/$MARK -j ACCEPT"
	hns iptables -D $RECIPE && hns iptables -I $u4 || { fail "docker [$MODE] cannot move the IPv4 recipe rule"; return; }
	check_one "IPv4 recipe rule in DOCKER-USER instead: ok4 -> c3v4 22 gets in" accept tcp ok4 c3v4 22
	check_one "IPv4 recipe rule in DOCKER-USER instead: c1v4 -> c3v4 22 crosses networks" accept tcp c1v4 c3v4 22
	hns iptables -D $u4 && hns iptables -A $RECIPE || fail "docker [$MODE] cannot put the IPv4 recipe rule back"
	recipe_check "put back"
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

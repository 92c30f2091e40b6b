#!/bin/sh
# make bench-follow: d6c apply --follow-docker under churn, beside a real
# dockerd in a network namespace (as tests/docker/run.sh starts one).
# Numbers to read, never asserted.  Per daemon:
#   latency  for FOLLOW_LAT_N single network creations, the time from
#            `docker network create` returning to the network's prefix in
#            force in the kernel (the first `nft monitor` line of table inet
#            d6c that holds it): median and max (the aim: <= 100 ms)
#   burst    FOLLOW_BURST_N networks created, FOLLOW_PAR at a time through
#            the Engine API, then all removed: the applies follow made for
#            each half, and the time from the half's last event (Docker's
#            own timestamp) to d6c's last commit, once the map in force
#            holds exactly the prefixes Docker then has
#   memory   follow's VmRSS every 500 events over FOLLOW_MEM_EVENTS events
#            (networks created and removed 250 at a time): the curve
#   probe    during burst and memory, a loop in the outside namespace sends
#            FOLLOW_PROBE_RATE TCP SYNs and UDP datagrams a second to a
#            port the policy blocks on a protected network's container;
#            counters on the host say how many arrived and how many were
#            forwarded towards the container ("through": should be 0)
#
#   $P-out (o0: fd00:ffff::2, the probe loop) --veth-- $P-host (h0: fd00:ffff::1)
#                                                dockerd, d6c, the probed container
#
# The daemons run with "ip6tables": false, so that nothing but d6c filters
# IPv6 and a lapse of its protection shows in the probe counts; before d6c
# starts, probes are sent once to see that they do get through then.  And
# with "iptables": false unless FOLLOW_IPTABLES=1: Docker's own IPv4 rules
# make it create a network several times slower, and d6c's work does not
# depend on them.
#
# Environment: D6C (./d6c), FOLLOW_DOCKERDS (default "new": the cache's
# dockerd, tests/docker/fetch-dockerd.sh; "old" is /usr/sbin/dockerd, 20.10;
# "new old" both), DOCKERD, DOCKERD_NEW, DOCKER_CLI (/usr/bin/docker),
# BUSYBOX (/bin/busybox, static), FOLLOW_LAT_N (20), FOLLOW_BURST_N (1000),
# FOLLOW_MEM_EVENTS (10000), FOLLOW_PAR (8), FOLLOW_PROBE_RATE (200),
# FOLLOW_IPTABLES (0),
# BENCH_TAG (d6cfol: the start of this run's namespace names).  Progress and
# results go to standard error, and everything to the log named at the end.
# Needs root.
set -u
cd "$(dirname "$0")/.." || exit 2
D6C=${D6C:-./d6c}
D6C=$(realpath "$D6C" 2>/dev/null || echo "$D6C")
FOLLOW_DOCKERDS=${FOLLOW_DOCKERDS:-new}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
CACHE=${D6C_DOCKER_CACHE:-/var/cache/d6c-tests/docker}
DOCKERD_NEW=${DOCKERD_NEW:-$CACHE/root/usr/sbin/dockerd}
DOCKER_CLI=${DOCKER_CLI:-/usr/bin/docker}
BUSYBOX=${BUSYBOX:-/bin/busybox}
LAT_N=${FOLLOW_LAT_N:-20}
BURST_N=${FOLLOW_BURST_N:-1000}
MEM_EVENTS=${FOLLOW_MEM_EVENTS:-10000}
PAR=${FOLLOW_PAR:-8}
RATE=${FOLLOW_PROBE_RATE:-200}
IPTABLES=${FOLLOW_IPTABLES:-0}
PY=$(pwd)/bench/follow.py

P=${BENCH_TAG:-d6cfol}$$
NS_HOST=$P-host NS_OUT=$P-out
tmp=$(mktemp -d /tmp/${BENCH_TAG:-d6cfol}-bench.XXXXXX) || exit 2
LOG=/tmp/d6c-bench-follow-$(date +%Y%m%d-%H%M%S)-$$.log
: >"$LOG" || exit 2
DAEMON_PID="" FOLLOW_PID="" MON_PID="" EV_PID="" PROBE_PID="" CTR_PID=""
SOCK=$tmp/docker.sock
PROBE_NET=2001:db8:e0::/64 PROBE_DST=2001:db8:e0::10 PROBE_PORT=80

say() { echo "bench-follow: $*" >&2; echo "$*" >>"$LOG"; }
log() { echo "$*" >>"$LOG"; }
die() { say "$*"; exit 2; }
nowns() { date +%s%N; }
hns() { nsenter --net="/run/netns/$NS_HOST" "$@"; }
ons() { nsenter --net="/run/netns/$NS_OUT" "$@"; }
dk() { "$DOCKER_CLI" -H "unix://$SOCK" "$@"; }

# ------------------------------------------------------------ cleanup
# kill_wait PID: SIGTERM, then SIGKILL after 20 s
kill_wait() {
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && { kill -9 "$1" 2>/dev/null; break; }
		sleep 0.1
	done
	wait "$1" 2>/dev/null
}
stop_helpers() {
	for pid in $PROBE_PID $CTR_PID $MON_PID $EV_PID; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
	PROBE_PID="" CTR_PID="" MON_PID="" EV_PID=""
	kill_wait "$FOLLOW_PID"; FOLLOW_PID=""
}
daemon_stop() {
	[ -n "$DAEMON_PID" ] || return 0
	ids=$(dk ps -aq 2>/dev/null)
	[ -n "$ids" ] && dk rm -f $ids >/dev/null 2>&1
	kill_wait "$DAEMON_PID"
	DAEMON_PID=""
	# its containerd and shims, found by this run's directory
	for pid in $(pgrep -f "$tmp/exec" 2>/dev/null); do kill "$pid" 2>/dev/null; done
	sleep 0.5
	for pid in $(pgrep -f "$tmp/exec" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
	awk -v t="$tmp" '$2 == t || index($2, t "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$tmp/data" "$tmp/exec" "$SOCK"
}
topology_down() {
	for ns in $NS_HOST $NS_OUT; do
		[ -e "/run/netns/$ns" ] || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null || echo "bench-follow: cannot delete network namespace $ns" >&2
	done
}
cleanup() {
	trap - EXIT INT TERM HUP PIPE
	[ -e "$tmp/probe.stop" ] || touch "$tmp/probe.stop" 2>/dev/null
	stop_helpers
	daemon_stop
	topology_down
	[ "${FOLLOW_KEEP:-0}" = 1 ] && echo "bench-follow: kept $tmp" >&2 || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

# ------------------------------------------------------------ prerequisites
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, dockerd)"
for c in ip nft nsenter curl python3 containerd runc; do
	command -v $c >/dev/null || die "$c is missing"
done
[ -x "$D6C" ] || die "$D6C not found: run make first"
[ -x "$DOCKER_CLI" ] || die "no Docker client $DOCKER_CLI"
log "# d6c bench-follow $(date -u +%Y-%m-%dT%H:%M:%SZ), D6C=$D6C ($("$D6C" --version 2>&1 | head -n 1))"
log "# tree: $(git log -1 --oneline 2>/dev/null | cut -c1-100); $(uname -r), $(nft --version), $(nproc) cpus"
log "# LAT_N=$LAT_N BURST_N=$BURST_N MEM_EVENTS=$MEM_EVENTS PAR=$PAR RATE=$RATE IPTABLES=$IPTABLES"

# ------------------------------------------------------------ namespaces
topology_up() {
	ip netns add "$NS_HOST" && ip netns add "$NS_OUT" || return 1
	for ns in $NS_HOST $NS_OUT; do
		ip netns exec "$ns" sh -c 'echo 0 >/proc/sys/net/ipv6/conf/all/accept_dad;
			echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad' || return 1
	done
	ip netns exec "$NS_HOST" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/forwarding' || return 1
	ip -n "$NS_HOST" link add h0 type veth peer name o0 netns "$NS_OUT" || return 1
	ip -n "$NS_HOST" -batch - <<-EOF || return 1
		link set lo up
		link set h0 up
		address add fd00:ffff::1/64 dev h0 nodad
	EOF
	ip -n "$NS_OUT" -batch - <<-EOF || return 1
		link set lo up
		link set o0 up
		address add fd00:ffff::2/64 dev o0 nodad
		route add ::/0 via fd00:ffff::1 dev o0
	EOF
	# how many probe packets reach the host, and how many leave it
	# towards the probed container (postrouting: after every filter)
	hns nft -f - <<-EOF
		table inet d6cbench_count {
			counter seen_tcp {}
			counter seen_udp {}
			counter thru_tcp {}
			counter thru_udp {}
			chain pre {
				type filter hook prerouting priority -400;
				ip6 daddr $PROBE_DST tcp dport $PROBE_PORT counter name seen_tcp
				ip6 daddr $PROBE_DST udp dport $PROBE_PORT counter name seen_udp
			}
			chain post {
				type filter hook postrouting priority 400;
				ip6 daddr $PROBE_DST tcp dport $PROBE_PORT counter name thru_tcp
				ip6 daddr $PROBE_DST udp dport $PROBE_PORT counter name thru_udp
			}
		}
	EOF
}
# counts: "seen_tcp N seen_udp N thru_tcp N thru_udp N"
counts() {
	hns nft list counters table inet d6cbench_count |
		awk '/counter / { n = $2 } /packets/ { printf "%s %s ", n, $2 } END { print "" }'
}

# ------------------------------------------------------------ the daemon
daemon_start() { # DOCKERD
	major=$("$1" --version | sed -n 's/^Docker version \([0-9]*\)\..*/\1/p')
	case $major in
	20) extra='' ;;        # 20.10: no ip6tables unless experimental
	*) extra='"ip6tables": false,' ;;
	esac
	[ "$IPTABLES" = 1 ] || extra="$extra \"iptables\": false,"
	cat >"$tmp/daemon.json" <<-EOF
		{ $extra
		  "default-address-pools": [{"base": "10.128.0.0/9", "size": 24},
		                            {"base": "2001:db8:d00::/48", "size": 64}] }
	EOF
	mkdir -p "$tmp/data" "$tmp/exec"
	PATH="$(dirname "$1"):$PATH" nsenter --net="/run/netns/$NS_HOST" "$1" --config-file "$tmp/daemon.json" \
		--data-root "$tmp/data" --exec-root "$tmp/exec" --pidfile "$tmp/docker.pid" \
		-H "unix://$SOCK" >>"$tmp/dockerd.log" 2>&1 &
	DAEMON_PID=$!
	i=0
	until dk info >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$DAEMON_PID" 2>/dev/null; then
			tail -20 "$tmp/dockerd.log" >&2
			return 1
		fi
		sleep 0.05
	done
}
build_image() {
	[ -n "$(dk images -q d6cbench:1 2>/dev/null)" ] && return 0
	mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/tmp" || return 1
	cp "$BUSYBOX" "$tmp/rootfs/bin/busybox" && ln -sf busybox "$tmp/rootfs/bin/sh" || return 1
	tar -C "$tmp/rootfs" -c . | dk import - d6cbench:1 >/dev/null
}

# ------------------------------------------------------------ the policy
# The pool (every subnet Docker may pick) is a block of its own, as README
# advises; each named network is protected by name; the probed network,
# outside the pool, only by its name.
policy() {
	echo "network 2001:db8:d00::/48 < default drop; >"
	echo "network docker \"pr\" < allow tcp 22; >"
	# a port of its own in each block: identical blocks would share a
	# chain, and neighbouring prefixes of one chain are merged in the map
	i=1; while [ $i -le "$LAT_N" ]; do echo "network docker \"l$i\" < allow tcp 22, $((1000 + i)); >"; i=$((i + 1)); done
	i=1; while [ $i -le "$BURST_N" ]; do echo "network docker \"b$i\" < allow tcp 22, $((2000 + i)); reject tcp 25; >"; i=$((i + 1)); done
}

# ------------------------------------------------------------ measurements
# in_force: the IPv6 prefixes of named networks in d6c's dispatch map in
# force, sorted (net_1 is the pool's block: what is left of it around them)
in_force() {
	hns nft list map inet d6c dispatch6 2>/dev/null | tr ',{' '\n\n' |
		sed -n 's/^[[:space:]]*\([0-9a-f:]*\/[0-9]*\) : jump \(net_[0-9]*\).*/\1 \2/p' |
		awk '$2 != "net_1" { print $1 }' | sort
}
# expected: the prefixes the policy holds for what Docker has now, sorted
expected() {
	python3 "$PY" subnets "$SOCK" "" | sort -u | grep -vxF -f "$tmp/unnamed"
}
# applies: how many applies follow logged so far
applies() { grep -c '^applied ' "$tmp/follow.log"; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$FOLLOW_PID/status" 2>/dev/null; }
# settle: waits until follow made no commit for 2 s and the map in force is
# what Docker's networks call for (at most 60 s); 1 if it never was
settle() {
	i=0
	while :; do
		a=$(wc -l <"$tmp/mon")
		sleep 2
		[ "$(wc -l <"$tmp/mon")" = "$a" ] && in_force >"$tmp/have" && expected >"$tmp/want" &&
			cmp -s "$tmp/have" "$tmp/want" && return 0
		i=$((i + 1)); [ $i -gt 30 ] && return 1
	done
}
# par_api METHOD PATH-PREFIX [BODY-TEMPLATE] < names: one request per name,
# $PAR at a time; a name's @ in the template and path stands for it
par_api() {
	xargs -P "$PAR" -I @ curl -s -o /dev/null --unix-socket "$SOCK" -X "$1" \
		${3:+-H 'Content-Type: application/json' -d "$3"} "http://docker$2"
}
names() { i=$1; while [ $i -le "$2" ]; do echo "$3$i"; i=$((i + 1)); done; }
create_json='{"Name": "@", "EnableIPv6": true}'

bench_daemon() { # LABEL DOCKERD
	label=$1
	say "== $label: $("$2" --version)"
	topology_up || { say "cannot make the namespaces"; return 1; }
	daemon_start "$2" || { say "dockerd did not come up"; return 1; }
	build_image || { say "cannot import the image"; return 1; }
	# networks no block names, left out of expected()
	dk network ls -q --format '{{.Name}}' >"$tmp/netnames"
	: >"$tmp/unnamed"
	for n in $(cat "$tmp/netnames"); do
		dk network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$n" | tr ' ' '\n' | grep : >>"$tmp/unnamed"
	done
	dk network create --ipv6 --subnet $PROBE_NET pr >/dev/null &&
		dk run -d --name pr --network pr --ip6 $PROBE_DST d6cbench:1 /bin/sh -c 'sleep 100000' >/dev/null ||
		{ say "cannot start the probed container"; return 1; }
	# the control: without d6c the probes get through
	ons python3 "$PY" probe $PROBE_DST $PROBE_PORT 100 50 >"$tmp/probe0.out"
	sleep 0.2
	say "control, without d6c: sent $(cat "$tmp/probe0.out"), counted $(counts)"

	policy >"$tmp/bench.pol"
	# MON_PID: nft monitor itself (the stamper ends with it), not the
	# subshell a pipeline's first command may run in
	sh -c 'echo $$ >"$1"; exec nsenter --net="$2" nft monitor 2>/dev/null' sh "$tmp/mon.pid" \
		"/run/netns/$NS_HOST" | python3 "$PY" stamp >"$tmp/mon" &
	i=0
	until [ -s "$tmp/mon.pid" ]; do i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.05; done
	MON_PID=$(cat "$tmp/mon.pid" 2>/dev/null)
	env DOCKER_HOST="unix://$SOCK" nsenter --net="/run/netns/$NS_HOST" \
		"$D6C" apply --follow-docker "$tmp/bench.pol" >"$tmp/follow.log" 2>&1 &
	FOLLOW_PID=$!
	i=0
	until grep -q "following Docker's network events" "$tmp/follow.log"; do
		i=$((i + 1)); [ $i -gt 300 ] && { say "follow did not start: $(tail -3 "$tmp/follow.log")"; return 1; }
		sleep 0.1
	done
	settle || say "the policy in force never matched Docker's networks"
	say "follow started: $(applies) apply, VmRSS $(rss) kB"

	# -------------------------------- latency
	: >"$tmp/lat"
	i=1
	while [ $i -le "$LAT_N" ]; do
		dk network create --ipv6 "l$i" >/dev/null || { say "cannot create l$i"; return 1; }
		t1=$(nowns)
		sub=$(dk network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "l$i" | tr ' ' '\n' | grep :)
		j=0
		until t2=$(grep -F -m1 " $sub : jump" "$tmp/mon" | cut -d' ' -f1) && [ -n "$t2" ]; do
			j=$((j + 1)); [ $j -gt 500 ] && break
			sleep 0.01
		done
		if [ -n "$t2" ]; then
			echo $(((t2 - t1) / 1000000)) >>"$tmp/lat"
		else
			say "l$i ($sub) not in force after 5 s"
		fi
		sleep 0.3
		i=$((i + 1))
	done
	lat=$(sort -n "$tmp/lat" | awk '{ v[NR] = $1 } END {
		if (NR) printf "median %s ms, max %s ms, min %s ms (%d events)", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[NR], v[1], NR }')
	say "latency, network create returned -> its prefix in force: $lat"
	log "latency ms: $(tr '\n' ' ' <"$tmp/lat")"
	names 1 "$LAT_N" l | par_api DELETE /networks/@
	settle || say "removing the l networks: the policy in force never matched"

	# -------------------------------- burst, with the probe loop running
	rm -f "$tmp/probe.stop"
	hns nft reset counters table inet d6cbench_count >/dev/null
	ons python3 "$PY" probe $PROBE_DST $PROBE_PORT "$RATE" "$tmp/probe.stop" >"$tmp/probe.out" &
	PROBE_PID=$!
	# the counters every 0.2 s: when anything gets through, the log says when
	( while [ ! -e "$tmp/probe.stop" ]; do echo "$(nowns) $(counts)"; sleep 0.2; done ) >"$tmp/ctr" &
	CTR_PID=$!
	curl -sN --unix-socket "$SOCK" 'http://docker/events?filters=%7B%22type%22%3A%5B%22network%22%5D%7D' >"$tmp/events" &
	EV_PID=$!
	sleep 0.2
	for half in create remove; do
		a0=$(applies); : >"$tmp/events"
		t0=$(nowns)
		if [ $half = create ]; then
			names 1 "$BURST_N" b | par_api POST /networks/create "$create_json"
		else
			names 1 "$BURST_N" b | par_api DELETE /networks/@
		fi
		t1=$(nowns)
		settle_ok=yes; settle || settle_ok=no
		last_ev=$(python3 "$PY" lastevent "$tmp/events")
		last_commit=$(tail -n 1 "$tmp/mon" | cut -d' ' -f1)
		nev=$(wc -l <"$tmp/events")
		catch=$(((last_commit - last_ev) / 1000000))
		[ "$catch" -lt 0 ] && catch="0 (the last commit came before the last event)"
		say "burst $half: $nev events in $(((t1 - t0) / 1000000)) ms, $(($(applies) - a0)) applies," \
			"last event -> policy in force: $catch ms (in force matches Docker: $settle_ok), VmRSS $(rss) kB"
	done

	# -------------------------------- memory, the probe loop still running
	cycles=$((MEM_EVENTS / 500))
	echo "events 0 VmRSS $(rss) kB" >"$tmp/rss"
	c=1
	while [ $c -le $cycles ]; do
		names 1 250 b | par_api POST /networks/create "$create_json"
		names 1 250 b | par_api DELETE /networks/@
		echo "events $((c * 500)) VmRSS $(rss) kB" >>"$tmp/rss"
		c=$((c + 1))
	done
	settle || say "after the memory run: the policy in force never matched"
	echo "settled VmRSS $(rss) kB" >>"$tmp/rss"
	say "memory, follow's VmRSS every 500 events: $(awk '{ printf "%s%s", (NR > 1 ? " " : ""), $(NF - 1) }' "$tmp/rss") kB"
	log "$(cat "$tmp/rss")"

	touch "$tmp/probe.stop"; wait "$PROBE_PID"; PROBE_PID=""
	wait "$CTR_PID"; CTR_PID=""
	# when something got through: the samples around it, with d6c's commits
	awk '{ t = $7 + $9 } t != last { print; last = t }' "$tmp/ctr" >"$tmp/ctr.changes"
	if [ "$(wc -l <"$tmp/ctr.changes")" -gt 1 ]; then
		log "probe counters whenever the through counts changed:"; cat "$tmp/ctr.changes" >>"$LOG"
		log "d6c's commits (ns):"
		grep -E '^[0-9]+ (add|delete) table inet d6c' "$tmp/mon" >>"$LOG"
	fi
	say "probe during burst and memory: sent $(cat "$tmp/probe.out"), counted $(counts)"
	say "follow applied $(applies) times in all; its log: $(wc -l <"$tmp/follow.log") lines"
	cp "$tmp/follow.log" "$LOG.follow-$label"

	stop_helpers
	daemon_stop
	topology_down
}

for d in $FOLLOW_DOCKERDS; do
	case $d in
	new) dkd=$DOCKERD_NEW
		[ -x "$dkd" ] || sh tests/docker/fetch-dockerd.sh >&2 || { say "no Docker 28 (fetch-dockerd.sh)"; continue; } ;;
	old) dkd=$DOCKERD ;;
	*) say "FOLLOW_DOCKERDS: '$d' is neither new nor old"; continue ;;
	esac
	[ -x "$dkd" ] || { say "no dockerd at $dkd"; continue; }
	bench_daemon "$d" "$dkd"
	stop_helpers; daemon_stop; topology_down
done
echo "bench-follow: the log: $LOG" >&2

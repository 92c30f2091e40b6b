#!/bin/sh
# Real-Docker tests: d6c's table beside a real dockerd, its bridges and
# containers, probed from outside.
#
#   $P-out (many sources) --veth-- $P-host (dockerd, bridges, containers, d6c's table)
#
# For each Docker mode (a fresh dockerd, fresh namespaces, fresh data-root):
#   off: 20.10's default daemon.json: Docker does not filter IPv6
#   on : "ip6tables": true (experimental on 20.10, the default on 27+):
#        Docker's ip6 filter FORWARD has policy drop and accepts only
#        published ports (and its networks are isolated from each other)
# the suite
#   1. loads base.pol BEFORE dockerd starts (the boot order; mode on also
#      puts the accept-mark recipe rules in then: lib.sh, recipe_install);
#   2. starts dockerd, makes the networks fixed6 (2001:db8:d0c::/64), pool6
#      (Docker picks its /64 from the pool 2001:db8:d00::/56), dual
#      (192.0.2.0/24 + 2001:db8:d0d::/64) and containers c1 (publishes
#      8080), c2, c3 (publishes its 8080 as 8081); checks Docker's tables
#      are as measured, and that the reject loaded before dockerd is a reset;
#   3. loads base.pol with each loader (nft -f of compile, nft -j -f of
#      compile -f json, d6c apply), each without and with --accept-mark,
#      and runs every probe of base.probes after each load;
#      (tcpforged/udpforged rows: sources forged from $P-atk, lib.sh), then
#      the forged probes once more with d6c's source check emptied;
#   4. isolation: the recipe rule moved above Docker's isolation jump lets
#      marked traffic cross Docker networks, until Docker moves its jump up;
#   5. a network and a container created after d6c is loaded (late.probes);
#   6. restarts dockerd while a loop probes a published port d6c drops (no
#      probe may get through), starts the containers again, probes again;
#   7. names.pol: base.pol by Docker network names (docker "fixed6"...),
#      resolved from the Engine API by apply, compile --docker and
#      compile --docker-state: base.probes again; an unknown name;
#   8. apply --follow-docker (follow.pol): a network named before it
#      exists, created, removed and made again on another subnet, dockerd
#      going away and coming back;
#   9. (on) why the default priority is filter - 1: at priority filter in
#      the boot order Docker's chain comes first and its drop wins;
#  10. tears everything down and checks nothing is left.
# Probe tables: tests/docker/*.probes, one probe a line:
#     PROTO SRC -> DST PORT  OFF OFF+MARK ON ON+MARK      (PORT "-" for icmp)
# PROTO tcpforged and udpforged: the forged-reply attack from $P-atk (lib.sh,
# tests/packet/probe.c), then the tcp or udp probe.
# (base.probes explains the names and columns).
#
# Environment: D6C (default ./d6c), NFT (default nft), CC, DOCKERD (default:
# dockerd on PATH, else /usr/sbin/dockerd), BUSYBOX (default /bin/busybox,
# static), PROBE_WAIT_MS (default 800: how long silence means "drop"),
# D6C_DOCKER_MODES (default "off on"), D6C_PACKET_REQUIRED=1 (fail instead of
# skipping without root, dockerd or busybox), VERBOSE=1 (every passing check,
# and Docker's filter tables).
. "$(dirname "$0")/../lib.sh"
: "${NFT:=nft}" "${PROBE_WAIT_MS:=800}" "${D6C_DOCKER_MODES:=off on}"
T0=$(date +%s)
DIR=tests/docker
P=d6cd-$$
. $DIR/lib.sh
tmp=$(mktemp -d /tmp/d6c-docker.XXXXXX) || exit 2

WATCH_PID=""
cleanup() {
	trap - EXIT INT TERM HUP
	[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
	follow_stop
	teardown
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

skip() {
	if [ -n "${D6C_PACKET_REQUIRED:-}" ]; then
		fail "docker tests cannot run: $*"
	else
		echo "SKIP docker tests: $*"
	fi
	finish
	exit
}

[ "$(id -u)" = 0 ] || skip "not root"
: "${DOCKERD:=$(command -v dockerd || echo /usr/sbin/dockerd)}"
[ -n "$DOCKERD" ] && [ -x "$DOCKERD" ] || skip "no dockerd"
[ -x "$DOCKER_CLI" ] || skip "no docker client $DOCKER_CLI"
: "${BUSYBOX:=/bin/busybox}" # a static one: it is the containers' only userland
[ -x "$BUSYBOX" ] || skip "no $BUSYBOX"
for tool in ip nsenter "$NFT" iptables ip6tables; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
done
mkdir -p "$tmp/rootfs/bin"
PROBE=$tmp/rootfs/bin/probe # static: the same binary runs outside and in the containers
${CC:-cc} -static -O2 -Wall -Wextra -o "$PROBE" tests/packet/probe.c 2>"$tmp/cc.err" ||
	skip "cannot build a static probe: $(head -3 "$tmp/cc.err")"

if ! $D6C compile --help 2>&1 | grep -q -- --accept-mark; then
	fail "$D6C compile has no --accept-mark"; finish; exit
fi
if ! echo 'network 2001:db8::/64 < >' | $D6C compile - 2>/dev/null | grep -q 'priority filter - 1;'; then
	fail "$D6C compile: the default priority is not 'filter - 1' (Docker's chains at filter would come first)"
fi

# ------------------------------------------------------------ probe tables
# $tmp/NAME.lines: "LINENO PROTO SRC DST PORT OFF OFF+MARK ON ON+MARK"
parse_probes() { # FILE NAME
	file=$1 name=$2
	: >"$tmp/$name.lines"
	lineno=0
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		line=${line%%#*}
		set -f; set -- $line; set +f # no globbing of probe words
		[ $# -eq 0 ] && continue
		if [ $# -ne 9 ] || [ "$3" != "->" ]; then
			fail "$file:$lineno: expected 'PROTO SRC -> DST PORT OFF OFF+MARK ON ON+MARK': $line"; continue
		fi
		case $1 in tcp | udp | icmp) ;; tcpforged | udpforged)
			case $2 in c*) fail "$file:$lineno: a forged probe's source must be outside: $line"; continue ;; esac ;;
		*) fail "$file:$lineno: unknown protocol '$1'"; continue ;; esac
		bad=0
		for o in $6 $7 $8 $9; do case $o in accept | drop | reject) ;; *) bad=1 ;; esac; done
		[ $bad = 0 ] || { fail "$file:$lineno: outcomes are accept, drop or reject: $line"; continue; }
		echo "$lineno $1 $2 $4 $5 $6 $7 $8 $9" >>"$tmp/$name.lines"
	done <"$file"
}
for f in $DIR/*.probes; do parse_probes "$f" "$(basename "$f" .probes)"; done
for name in base late; do [ -s "$tmp/$name.lines" ] || { fail "$DIR/$name.probes: no probes"; finish; exit; }; done

# ------------------------------------------------------------ running probes
SPORT=20000
next_sport() { SPORT=$((SPORT + 1)); [ $SPORT -gt 32000 ] && SPORT=20001; }

# column MODE VARIANT: which expectation column of a .lines row applies
column() {
	case $1/$2 in off/plain) echo 6 ;; off/mark) echo 7 ;; on/plain) echo 8 ;; on/mark) echo 9 ;; esac
}

# run_probes NAME CONTEXT: all probes of NAME.lines at once, then one check
# each.  CONTEXT (mode, loader, variant...) goes into every message.
run_probes() {
	name=$1 ctx=$2
	col=$(column "$MODE" "$VARIANT")
	pids="" k=0
	while read -r ln proto src dst port _; do
		k=$((k + 1))
		next_sport
		s=$(addr_of "$src") && d=$(addr_of "$dst") || { echo "error (unknown name $src or $dst)" >"$tmp/res.$k"; continue; }
		set -- $proto "$s" "$d"
		[ "$proto" = icmp ] || set -- "$@" "$port"
		set -- "$@" -s $SPORT -w "$PROBE_WAIT_MS"
		case $proto in *forged) set -- "$@" -f "/run/netns/$NS_ATK" ;; esac
		case $src in
		c*) dk exec "${src%v4}" /bin/probe "$@" >"$tmp/res.$k" 2>&1 & ;;
		*) ons "$PROBE" "$@" >"$tmp/res.$k" 2>&1 & ;;
		esac
		pids="$pids $!"
	done <"$tmp/$name.lines"
	[ -n "$pids" ] && wait $pids
	k=0
	while read -r line; do
		k=$((k + 1))
		set -- $line
		ln=$1 proto=$2 src=$3 dst=$4 port=$5
		shift 5; shift $((col - 6)); want=$1
		read -r got detail <"$tmp/res.$k"
		rm -f "$tmp/res.$k"
		what="$proto $src -> $dst"; [ "$port" = - ] || what="$what $port"
		if matches "$proto" "$want" "$got" "$detail"; then
			ok "docker [$ctx] $DIR/$name.probes:$ln '$what': $got"
		else
			fail "docker [$ctx] $DIR/$name.probes:$ln '$what' ($(addr_of "$src") -> $(addr_of "$dst")): expected $want, got $got $detail"
		fi
	done <"$tmp/$name.lines"
}

# matches PROTO EXPECT GOT DETAIL: a reject must be a TCP reset for tcp,
# admin-prohibited (d6c's reject) for udp and icmp
matches() {
	[ "$3" = "$2" ] || return 1
	[ "$3" = reject ] || return 0
	case $1 in tcp | tcpforged) rwant=reset ;; *) rwant=admin-prohibited ;; esac
	rkind=${4#(}
	[ "${rkind%%:*}" = "$rwant" ] && return 0
	detail="$4, but this reject must be $rwant"
	return 1
}

# ------------------------------------------------------------ loading d6c
# policy_file: base.pol with the pool network's subnet filled in
policy_file() {
	sed "s|@POOL6@|${POOL6:-2001:db8:d00::/56}|" $DIR/base.pol >"$tmp/base.pol"
	echo "$tmp/base.pol"
}
# load LOADER VARIANT: replace d6c's table (deleted first, so that a failed
# load cannot leave the previous one in place); prints why on failure
load() {
	pol=$(policy_file)
	opt=""; [ "$2" = mark ] && opt="--accept-mark $MARK"
	LOADED="nothing loaded"
	hns $NFT delete table inet d6c 2>/dev/null
	case $1 in
	text) $D6C compile $opt "$pol" >"$tmp/ruleset" 2>"$tmp/load.err" && hns $NFT -f "$tmp/ruleset" 2>>"$tmp/load.err" ;;
	json) $D6C compile -f json $opt "$pol" >"$tmp/ruleset" 2>"$tmp/load.err" && hns $NFT -j -f "$tmp/ruleset" 2>>"$tmp/load.err" ;;
	apply) hns $D6C apply $opt "$pol" >"$tmp/load.err" 2>&1 ;;
	esac || { echo "$1 $opt failed:"; head -20 "$tmp/load.err"; return 1; }
	hns $NFT list table inet d6c >/dev/null 2>&1 || { echo "$1 $opt: no table inet d6c after loading"; return 1; }
	LOADED="$1, $2"
}

# ------------------------------------------------------------ case groups
# check_one WHAT EXPECT PROTO SRC DST [PORT]: one probe (names as in the
# .probes files) as one check
check_one() {
	what=$1 want=$2 proto=$3 src=$4 dst=$5 port=${6:-}
	next_sport
	set -- $proto "$(addr_of "$src")" "$(addr_of "$dst")" $port -s $SPORT -w "$PROBE_WAIT_MS"
	case $proto in *forged) set -- "$@" -f "/run/netns/$NS_ATK" ;; esac
	case $src in
	c*) res=$(dk exec "${src%v4}" /bin/probe "$@" 2>&1) ;;
	*) res=$(ons "$PROBE" "$@" 2>&1) ;;
	esac
	got=${res%% *} detail=${res#"$got"}; detail=${detail# }
	if matches "$proto" "$want" "$got" "$detail"; then
		ok "docker [$MODE, $LOADED] $what: $res"
	else
		fail "docker [$MODE, $LOADED] $what: '$proto $src -> $dst${port:+ $port}' ($2 -> $3): expected $want, got $got $detail"
	fi
}

group_loaders() {
	for loader in text json apply; do
		for VARIANT in plain mark; do
			if ! load $loader $VARIANT >"$tmp/load.msg" 2>&1; then
				fail "docker [$MODE, $loader, $VARIANT] cannot load base.pol:"; sed 's/^/    /' "$tmp/load.msg"; continue
			fi
			run_probes base "$MODE, $loader, $VARIANT"
		done
	done
}

# The forged probes of base.probes pass only if forging works: with d6c's
# source check taken out of the loaded table (chain source_route emptied),
# the forged SYN and datagram to c1 get through when Docker does not filter
# IPv6 (off); with "ip6tables" on, Docker's FORWARD (policy drop, accepting
# only what leaves or enters its bridges) drops the forged packet itself.
# IPv4: Docker's ip FORWARD drops it in both modes (and the NAT network's
# masquerade would rewrite its source anyway).
group_forged_unchecked() {
	VARIANT=plain
	load apply plain >"$tmp/load.msg" 2>&1 || { fail "docker [$MODE] forged: cannot load:"; cat "$tmp/load.msg"; return; }
	if ! hns $NFT flush chain inet d6c source_route; then
		fail "docker [$MODE] forged: no chain source_route to empty"; return
	fi
	LOADED="apply, source check emptied"
	case $MODE in off) want6=accept ;; on) want6=drop ;; esac
	check_one "forged source, no source check: tcp to c1's denied 53" $want6 tcpforged ok6 c1 53
	check_one "forged source, no source check: udp to c1's denied 80" $want6 udpforged ok6 c1 80
	check_one "forged source, no source check: tcp to c3v4's rejected 80 (Docker drops the forged packet)" reject tcpforged ok4 c3v4 80
	load apply plain >"$tmp/load.msg" 2>&1 || { fail "docker [$MODE] forged: cannot load again:"; cat "$tmp/load.msg"; }
}

# Why d6c's default priority is filter - 1.  At equal priority the kernel
# runs the base chain registered LAST first; d6c's loads re-register its
# chain each time, Docker's ip6 filter chain is registered once, when dockerd
# first creates the table.  So at d6c's old default (filter), in the boot
# order (d6c first, then dockerd creating its table), Docker's chain comes
# first and silently drops the unpublished port d6c rejects.  Recreated here:
# dockerd stopped, its ip6 filter table deleted, d6c loaded at filter,
# dockerd started again.
group_old_priority() {
	[ "$MODE" = on ] || return 0
	pol=$(policy_file)
	daemon_stop
	hns $NFT delete table ip6 filter || { fail "docker [$MODE] cannot delete Docker's ip6 filter table"; return; }
	hns $NFT delete table inet d6c 2>/dev/null
	LOADED="text, --priority filter, before dockerd"
	if ! $D6C compile --priority filter "$pol" >"$tmp/ruleset" || ! hns $NFT -f "$tmp/ruleset"; then
		fail "docker [$MODE] cannot load base.pol at --priority filter"; return
	fi
	if ! daemon_start "$MODE" >"$tmp/start.msg" 2>&1 || ! dk start c1 >/dev/null 2>&1; then
		fail "docker [$MODE] old priority: dockerd or c1 did not start again: $(cat "$tmp/start.msg")"; return
	fi
	warm_up c1 || return
	check_one "Docker's chain (registered after d6c's, same priority) comes first: tcp 25 is dropped, not reset" drop tcp ok6 c1 25
	check_one "d6c's drop of the published 8080 still holds" drop tcp ok6 c1 8080
	hns $NFT -f "$tmp/ruleset"
	LOADED="text, --priority filter, loaded again after dockerd"
	check_one "d6c's chain registered last comes first: tcp 25 is a reset" reject tcp ok6 c1 25
	load apply plain >"$tmp/load.msg" 2>&1 || { fail "docker [$MODE] cannot load base.pol:"; cat "$tmp/load.msg"; return; }
	check_one "d6c at its default priority: tcp 25 is a reset" reject tcp ok6 c1 25
}

group_late() { # a network and a container made while d6c's table is loaded
	VARIANT=mark
	load apply mark >"$tmp/load.msg" 2>&1 || { fail "docker [$MODE] late: cannot load:"; cat "$tmp/load.msg"; return; }
	if dk network create --ipv6 --subnet 2001:db8:d0e::/64 late6 >/dev/null 2>"$tmp/net.err" &&
		run_ctr c4 late6 2001:db8:d0e::10 2>>"$tmp/net.err"; then
		warm_up c4 && run_probes late "$MODE, late network, apply, mark"
	else
		fail "docker [$MODE] cannot create late6/c4: $(cat "$tmp/net.err")"
	fi
}

# restart dockerd (kill, start again: live-restore is off, so the containers
# stop and are started again) while a loop probes c1:8080, which Docker
# publishes and d6c drops: no probe of the loop may get through.
group_restart() {
	VARIANT=mark
	: >"$tmp/watch.log"
	(
		trap 'exit 0' TERM
		s=40000
		while [ ! -e "$tmp/watch.stop" ]; do
			s=$((s + 1))
			ons "$PROBE" tcp $SRC_OK6 2001:db8:d0c::10 8080 -s $s -w 200 >>"$tmp/watch.log" 2>&1
		done
	) &
	WATCH_PID=$!
	sleep 0.5
	daemon_stop
	before=$(wc -l <"$tmp/watch.log")
	if daemon_start "$MODE" >"$tmp/start.msg" 2>&1 && dk start c1 c2 c3 c4 >/dev/null 2>"$tmp/start.err"; then
		warm_up c1 c2 c3 c4
		restarted=1
	else
		fail "docker [$MODE] restart: $(cat "$tmp/start.msg" "$tmp/start.err")"
		restarted=""
	fi
	sleep 1 # some probes against the restarted containers, too
	touch "$tmp/watch.stop"
	wait "$WATCH_PID"; WATCH_PID=""
	rm -f "$tmp/watch.stop"
	n=$(wc -l <"$tmp/watch.log")
	through=$(grep -cv '^drop' "$tmp/watch.log")
	if [ "$through" -eq 0 ] && [ "$before" -ge 1 ] && [ "$n" -gt "$before" ]; then
		ok "docker [$MODE] restart: all $n probes of c1:8080 dropped while dockerd stopped and started ($before before it was back)"
	else
		fail "docker [$MODE] restart: $through of $n probes of c1:8080 not dropped while dockerd restarted ($before before it was back):"
		grep -v '^drop' "$tmp/watch.log" | sort | uniq -c | head -5
	fi
	[ -n "$restarted" ] || return
	dump_tables "$MODE, after dockerd restart" >"$tmp/facts.$MODE.restart"
	[ -n "${VERBOSE:-}" ] && cat "$tmp/facts.$MODE.restart"
	recipe_check "after restart"
	run_probes base "$MODE, after dockerd restart, apply, mark"
	run_probes late "$MODE, after dockerd restart, apply, mark"
}

# Policies that name Docker networks: names.pol is base.pol with each
# block's prefixes replaced by the Docker networks they are (docker "fixed6",
# "late6", "pool6", "dual"), resolved by d6c from the Engine API at
# $DOCKER_HOST.  base.probes must give the same verdicts, loaded by
# `d6c apply`, by `compile --docker` (text) and by `compile --docker-state`
# of a saved network list (JSON); the comments name the networks; a name
# Docker does not know is an error that leaves the running ruleset alone.
names() { DOCKER_HOST=unix://$tmp/docker.sock "$@"; }
group_docker_names() {
	VARIANT=mark
	pol=$DIR/names.pol
	hns $NFT delete table inet d6c 2>/dev/null
	LOADED="docker names, apply"
	if names hns $D6C apply --accept-mark $MARK $pol >"$tmp/load.err" 2>&1; then
		run_probes base "$MODE, docker names, apply, mark"
	else
		fail "docker [$MODE] d6c apply of $pol:"; sed 's/^/    /' "$tmp/load.err"
	fi
	hns $NFT list table inet d6c >"$tmp/names.list" 2>&1
	for want in 'comment "network at tests/docker/names.pol:5 (docker fixed6, late6)"' \
		'comment "network at tests/docker/names.pol:15 (docker pool6)"' "$POOL6 : jump net_2" \
		'2001:db8:d0e::/64 : jump net_1' '192.0.2.0/24 : jump net_3'; do
		grep -qF -- "$want" "$tmp/names.list" && ok "docker [$MODE, $LOADED] the table has '$want'" ||
			fail "docker [$MODE, $LOADED] the table lacks '$want': $(grep -E 'comment "net|jump' "$tmp/names.list" | tr '\n' ';')"
	done
	# compile --docker (the daemon) and --docker-state (a saved list) agree
	dk network inspect $(dk network ls -q) >"$tmp/state.json" 2>"$tmp/state.err" ||
		fail "docker [$MODE] cannot save the network list: $(cat "$tmp/state.err")"
	names $D6C compile --docker --accept-mark $MARK $pol >"$tmp/names.daemon.nft" 2>"$tmp/names.err" &&
		$D6C compile --docker-state "$tmp/state.json" --accept-mark $MARK $pol >"$tmp/names.state.nft" 2>>"$tmp/names.err" ||
		fail "docker [$MODE] compile of $pol: $(cat "$tmp/names.err")"
	cmp -s "$tmp/names.daemon.nft" "$tmp/names.state.nft" &&
		ok "docker [$MODE] compile --docker = compile --docker-state of the saved list, byte for byte" ||
		fail "docker [$MODE] compile --docker and --docker-state differ: $(diff "$tmp/names.daemon.nft" "$tmp/names.state.nft" | head -5)"
	hns $NFT delete table inet d6c
	LOADED="docker names, compile --docker, nft -f"
	if hns $NFT -f "$tmp/names.daemon.nft" 2>"$tmp/load.err"; then
		run_probes base "$MODE, docker names, compile --docker, nft -f, mark"
	else
		fail "docker [$MODE] nft -f of compile --docker: $(cat "$tmp/load.err")"
	fi
	hns $NFT delete table inet d6c
	LOADED="docker names, compile -f json --docker-state, nft -j -f"
	if $D6C compile -f json --docker-state "$tmp/state.json" --accept-mark $MARK $pol >"$tmp/names.json" &&
		hns $NFT -j -f "$tmp/names.json" 2>"$tmp/load.err"; then
		run_probes base "$MODE, docker names, compile -f json --docker-state, nft -j -f, mark"
	else
		fail "docker [$MODE] nft -j -f of compile -f json --docker-state: $(cat "$tmp/load.err")"
	fi
	# the Engine API client's own live test (events, fetch, host bits), which
	# make test's unit pass skips for want of a daemon
	unit=$(dirname "$D6C")/tests/test_docker
	if [ -x "$unit" ]; then
		if D6C_DOCKER_HOST_TEST=unix://$tmp/docker.sock hns "$unit" >"$tmp/unit.log" 2>&1 &&
			grep -q '^\[  PASSED  \]' "$tmp/unit.log" && ! grep -q 'SKIPPED' "$tmp/unit.log"; then
			ok "docker [$MODE] $unit against this dockerd"
		else
			fail "docker [$MODE] $unit against this dockerd:"; tail -15 "$tmp/unit.log" | sed 's/^/    /'
		fi
	fi
	# an unknown name: exit 1 at its place, Docker's networks listed
	# closest first, and the ruleset in force untouched
	hns $NFT list ruleset >"$tmp/before" 2>/dev/null # (xt targets it cannot print: noise)
	sed 's/docker "dual"/docker "duall"/' $pol >"$tmp/typo.pol"
	names hns $D6C apply "$tmp/typo.pol" >"$tmp/out" 2>"$tmp/err"; rc=$?
	hns $NFT list ruleset >"$tmp/after" 2>/dev/null
	[ $rc = 1 ] && ok "docker [$MODE] apply with an unknown network name: exit 1" ||
		fail "docker [$MODE] apply with an unknown network name: exit $rc"
	grep -qF "typo.pol:22:9: error: Docker has no network named \"duall\" [D6C-E103]" "$tmp/err" &&
		grep -qF "closest first: \"dual\"," "$tmp/err" && ok "docker [$MODE] unknown name: at its place, \"dual\" offered first" ||
		fail "docker [$MODE] unknown name: $(cat "$tmp/err")"
	cmp -s "$tmp/before" "$tmp/after" && ok "docker [$MODE] unknown name: the running ruleset is unchanged" ||
		fail "docker [$MODE] unknown name changed the running ruleset"
}

# d6c apply --follow-docker: a policy names "fol6", which does not exist
# yet.  Created, it is protected within a second and its container gets the
# policy's verdicts; removed and created again on another subnet, the new
# subnet is protected and the old one no longer listed; dockerd going away
# leaves the ruleset in force, and d6c follows the restarted daemon.
FOLLOW_PID=""
follow_stop() {
	[ -n "$FOLLOW_PID" ] || return 0
	kill "$FOLLOW_PID" 2>/dev/null
	wait_gone "$FOLLOW_PID" 50 || kill -9 "$FOLLOW_PID" 2>/dev/null
	wait "$FOLLOW_PID" 2>/dev/null; rc=$?
	FOLLOW_PID=""
	return $rc
}
# listed SUBNET TENTHS: 0 once SUBNET is in d6c's dispatch map (within
# TENTHS tenths of a second), and prints how many milliseconds that took
listed() {
	t0=$(date +%s%N)
	i=0
	until hns $NFT list map inet d6c dispatch6 2>/dev/null | grep -qF "$1 : jump"; do
		i=$((i + 1)); [ $i -gt $(($2 * 5)) ] && return 1
		sleep 0.02
	done
	echo $((($(date +%s%N) - t0) / 1000000))
}
unlisted() { # SUBNET TENTHS: 0 once SUBNET is no longer in the map
	i=0
	while hns $NFT list map inet d6c dispatch6 2>/dev/null | grep -qF "$1 : jump"; do
		i=$((i + 1)); [ $i -gt $(($2 * 5)) ] && return 1
		sleep 0.02
	done
}
follow_probes() { # CONTAINER ADDRESS WHEN
	VARIANT=mark
	check_one "$3: $1 allowed tcp 22" accept tcp ok6 "$2" 22
	check_one "$3: $1 rejected tcp 25" reject tcp ok6 "$2" 25
	check_one "$3: $1 unlisted tcp 80 dropped by the default" drop tcp ok6 "$2" 80
}
group_follow_docker() {
	VARIANT=mark
	LOADED="apply --follow-docker"
	hns $NFT delete table inet d6c 2>/dev/null
	# env and ip netns exec exec: $! is d6c itself, which follow_stop signals
	env DOCKER_HOST=unix://$tmp/docker.sock ip netns exec "$NS_HOST" \
		$D6C apply --follow-docker --accept-mark $MARK $DIR/follow.pol >"$tmp/follow.log" 2>&1 &
	FOLLOW_PID=$!
	i=0
	until hns $NFT list table inet d6c >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.05
	done
	grep -qF 'follow.pol:8:9: warning: Docker has no network named "fol6" (yet)' "$tmp/follow.log" &&
		ok "docker [$MODE, $LOADED] applied while fol6 does not exist, with a warning at its name" ||
		fail "docker [$MODE, $LOADED] start: $(cat "$tmp/follow.log")"
	# created: listed within a second of `network create` returning
	dk network create --ipv6 --subnet 2001:db8:d10::/64 fol6 >/dev/null
	if ms=$(listed 2001:db8:d10::/64 10); then
		ok "docker [$MODE, $LOADED] fol6 (2001:db8:d10::/64) protected ${ms} ms after it was created"
	else
		fail "docker [$MODE, $LOADED] fol6 not protected 1 s after it was created: $(tail -5 "$tmp/follow.log")"
	fi
	run_ctr c5 fol6 2001:db8:d10::10 && warm_up c5 && follow_probes c5 c5 "fol6 created"
	# removed and made again on another subnet (docker compose down && up)
	dk rm -f c5 >/dev/null; dk network rm fol6 >/dev/null
	unlisted 2001:db8:d10::/64 10 && ok "docker [$MODE, $LOADED] fol6 removed: its subnet no longer listed" ||
		fail "docker [$MODE, $LOADED] fol6 removed, 2001:db8:d10::/64 still listed after 1 s"
	dk network create --ipv6 --subnet 2001:db8:d11::/64 fol6 >/dev/null
	if ms=$(listed 2001:db8:d11::/64 10); then
		ok "docker [$MODE, $LOADED] fol6 made again on 2001:db8:d11::/64: protected ${ms} ms after"
	else
		fail "docker [$MODE, $LOADED] fol6's new subnet not protected 1 s after it was created: $(tail -5 "$tmp/follow.log")"
	fi
	hns $NFT list map inet d6c dispatch6 | grep -qF "2001:db8:d10::/64" &&
		fail "docker [$MODE, $LOADED] the old subnet 2001:db8:d10::/64 is still listed" ||
		ok "docker [$MODE, $LOADED] the old subnet is no longer listed"
	run_ctr c6 fol6 2001:db8:d11::10 && warm_up c6 && follow_probes c6 c6 "fol6 on its new subnet"
	# dockerd goes away: the ruleset stays, d6c waits and follows it again
	daemon_stop
	sleep 0.5
	kill -0 "$FOLLOW_PID" 2>/dev/null && ok "docker [$MODE, $LOADED] still running with dockerd gone" ||
		fail "docker [$MODE, $LOADED] exited when dockerd went away: $(tail -3 "$tmp/follow.log")"
	hns $NFT list map inet d6c dispatch6 2>/dev/null | grep -qF "2001:db8:d11::/64 : jump" &&
		ok "docker [$MODE, $LOADED] dockerd gone: the ruleset stays in force" ||
		fail "docker [$MODE, $LOADED] dockerd gone: fol6's subnet no longer protected"
	grep -q "Docker went away" "$tmp/follow.log" && ok "docker [$MODE, $LOADED] says Docker went away" ||
		fail "docker [$MODE, $LOADED] said nothing of Docker going away: $(tail -3 "$tmp/follow.log")"
	if daemon_start "$MODE" >"$tmp/start.msg" 2>&1; then
		i=0
		until grep -q "following Docker again" "$tmp/follow.log"; do
			i=$((i + 1)); [ $i -gt 50 ] && break; sleep 0.1
		done
		grep -q "following Docker again" "$tmp/follow.log" && ok "docker [$MODE, $LOADED] reconnected to the restarted dockerd" ||
			fail "docker [$MODE, $LOADED] did not reconnect: $(tail -3 "$tmp/follow.log")"
		dk network rm fol6 >/dev/null
		unlisted 2001:db8:d11::/64 10 && ok "docker [$MODE, $LOADED] after the restart: fol6 removed, no longer listed" ||
			fail "docker [$MODE, $LOADED] after the restart: fol6's removal not followed"
	else
		fail "docker [$MODE] follow: dockerd did not start again: $(cat "$tmp/start.msg")"
	fi
	follow_stop; rc=$?
	[ $rc = 0 ] && ok "docker [$MODE, $LOADED] SIGTERM: exit 0" || fail "docker [$MODE, $LOADED] SIGTERM: exit $rc"
	hns $NFT list table inet d6c >/dev/null 2>&1 && ok "docker [$MODE, $LOADED] stopped: the ruleset stays in force" ||
		fail "docker [$MODE, $LOADED] stopping removed d6c's table"
}

# ------------------------------------------------------------ the modes
for MODE in $D6C_DOCKER_MODES; do
	case $MODE in on | off) ;; *) fail "D6C_DOCKER_MODES: unknown mode '$MODE'"; continue ;; esac
	POOL6=""
	if ! topology_up; then
		fail "docker [$MODE] cannot build the namespaces: $(cat "$tmp/ns.err")"; teardown; continue
	fi
	ons "$PROBE" serve 80 53 >"$tmp/serve.out" 2>&1 &
	# the attacker's way to the host: its neighbours, before any forged probe
	ip netns exec "$NS_ATK" "$PROBE" icmp $ATK_LINK6 $HOST_ATK6 -w 500 >/dev/null 2>&1
	ip netns exec "$NS_ATK" "$PROBE" icmp $ATK_LINK4 $HOST_ATK4 -w 500 >/dev/null 2>&1
	# 1. boot order: d6c's table first, then dockerd
	VARIANT=plain
	if ! load apply plain >"$tmp/load.msg" 2>&1; then
		fail "docker [$MODE] cannot load base.pol before dockerd:"; cat "$tmp/load.msg"
	fi
	# the recipe rules: on, at boot before dockerd; off, on the running Docker
	if [ "$MODE" = on ] && ! recipe_install before; then
		fail "docker [$MODE] cannot install the recipe rules before dockerd"
	fi
	if ! daemon_start "$MODE" >"$tmp/start.msg" 2>&1 || ! build_image >"$tmp/image.msg" 2>&1; then
		fail "docker [$MODE] dockerd: $(cat "$tmp/start.msg" "$tmp/image.msg")"; teardown; continue
	fi
	# 2. networks, containers; Docker's tables; the boot order's verdicts
	if ! make_containers >"$tmp/ctr.msg" 2>&1; then
		fail "docker [$MODE] cannot make the networks and containers:"; sed 's/^/    /' "$tmp/ctr.msg"; teardown; continue
	fi
	ok "docker [$MODE] pool6 got $POOL6 from the pool"
	docker_facts "$MODE"
	dump_tables "$MODE" >"$tmp/facts.$MODE"
	[ -n "${VERBOSE:-}" ] && cat "$tmp/facts.$MODE"
	warm_up c1 c2 c3
	check_one "d6c loaded before dockerd: reject tcp 25 is a reset" reject tcp ok6 c1 25
	check_one "d6c loaded before dockerd: published 8080, not allowed, is dropped" drop tcp ok6 c1 8080
	if [ "$MODE" = off ]; then
		recipe_install after || fail "docker [$MODE] cannot install the recipe rules"
	fi
	recipe_check "installed $([ "$MODE" = on ] && echo before || echo after) dockerd started"
	# 3.-6.
	group_loaders
	group_forged_unchecked
	check_one "d6c loaded after dockerd: reject tcp 25 is a reset" reject tcp ok6 c1 25
	isolation_top
	group_late
	group_restart
	group_docker_names   # 7.
	group_follow_docker  # 8.
	group_old_priority   # 9.
	# 10.
	teardown
	left=$(leftovers)
	if [ -z "$left" ]; then
		ok "docker [$MODE] teardown: no process, mount or namespace left"
	else
		fail "docker [$MODE] teardown left: $left"
	fi
done

echo "docker: modes $D6C_DOCKER_MODES, $(($(date +%s) - T0)) s"
finish

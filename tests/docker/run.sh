#!/bin/sh
# Real-Docker tests: d6c's table beside a real dockerd, its bridges and
# containers, probed from outside.
#
#   $P-out (many sources) --veth-- $P-host (dockerd, bridges, containers, d6c's table)
#
# Two Dockers: Debian 12's 20.10 ($DOCKERD) and the newest Debian has
# (unstable's docker.io, fetched and unpacked by fetch-dockerd.sh into a
# cache, $DOCKERD_NEW).  A mode is MAJOR:IP6TABLES[:GATEWAY]:
#   MAJOR    the daemon whose `dockerd --version` has that major version
#            ("old" and "new" name $DOCKERD's and $DOCKERD_NEW's, whatever
#            their version: "new" still runs when unstable moves on)
#   IP6TABLES off|on: daemon.json "ip6tables" (on: experimental on 20.10,
#            the default on 27 and later)
#   GATEWAY  nat|routed (27 and later only): its networks' gateway mode
#            (network create -o com.docker.network.bridge.gateway_mode_ipv6,
#            and _ipv4 alike: in NAT mode 28 drops in its raw table what is
#            routed straight to a container, IPv4 too, so routed mode is
#            where its IPv4 filtering can be probed as 20.10's)
# Default: 20:off 20:on 28:off:nat 28:off:routed 28:on:nat 28:on:routed
# (with the majors the two daemons report).  For each mode (a fresh dockerd,
# fresh namespaces, fresh data-root) the suite
#   1. the boot order, through the shipped unit's command only
#      (contrib/systemd/d6c-docker.service's ExecStart, the policy
#      names.pol): d6c apply --follow-docker starts BEFORE dockerd; dockerd
#      starts, makes the networks fixed6 (2001:db8:d0c::/64), pool6 (Docker
#      picks its /64 from the pool 2001:db8:d00::/56), dual (192.0.2.0/24 +
#      2001:db8:d0d::/64) and containers c1 (publishes 8080), c2, c3
#      (publishes its 8080 as 8081, its 443 as 8443); checks Docker's tables
#      are as measured and d6c's rule where it belongs (lib.sh,
#      rule_place), base.probes; a network made under it (late6, c4:
#      late.probes); dockerd restarted under it, probed all along, and how
#      long until the policy holds again; d6c's rule moved by hand and put
#      back by d6c;
#   2. loads base.pol with d6c apply --docker-accept (every mode), and with
#      nft -f of compile and nft -j -f of compile -f json (the full modes:
#      below), base.probes after each; d6c's rule stays while its table is
#      replaced;
#   3. unchecked.probes: the forged-source probes with d6c's source check
#      emptied (they pass only if forging works);
#   4. (full modes) names.pol by compile --docker and --docker-state, an
#      unknown name; apply --follow-docker (follow.pol) following a network
#      created, removed and made again; why d6c's priority is filter - 1;
#   5. d6c remove: no table, no rule; plain.probes: the policy applied
#      without --docker-accept (Docker drops what d6c allows);
#   6. d6c doctor on networks of its own, NAT and routed, beside real
#      probes, and apply's warnings (doctor.sh);
#   7. tears everything down and checks nothing is left.
# The full modes (text and json loaders, 4.) are the ip6tables-on ones of
# each daemon (20:on, and on:routed on 27 and later): once per version is
# enough for what does not depend on the mode, and it keeps six modes
# within about 12 minutes.
#
# Probe tables: tests/docker/*.probes, one probe a line:
#     PROTO SRC -> DST PORT  OUTCOME...          (PORT "-" for icmp)
# after a line "columns: MODE..." that names the outcome columns: adding a
# mode is adding a column.  A daemon whose major version has no column of
# its own is held to the newest older major's (said once).  PROTO tcpforged
# and udpforged: the forged-reply attack from $P-atk (lib.sh,
# tests/packet/probe.c), then the tcp or udp probe.  (base.probes explains
# the names.)
#
# Environment: D6C (default ./d6c), NFT (default nft), CC, DOCKERD and
# DOCKER_CLI (default /usr/sbin/dockerd, /usr/bin/docker), DOCKERD_NEW and
# DOCKER_CLI_NEW (default the cache's, D6C_DOCKER_CACHE: fetch-dockerd.sh),
# BUSYBOX (default /bin/busybox, static), PROBE_WAIT_MS (default 800: how
# long silence means "drop"), D6C_DOCKER_MODES (the modes, in order),
# D6C_PACKET_REQUIRED=1 (fail instead of skipping without root, dockerd or
# busybox), VERBOSE=1 (every passing check, and Docker's tables),
# D6C_DOCKER_MEASURE=1 (print every probe's outcome as "measured FILE:LINE
# MODE OUTCOME"; outcomes "?" allowed: for filling a new column, which must
# then be reviewed against the policy).
. "$(dirname "$0")/../lib.sh"
: "${NFT:=nft}" "${PROBE_WAIT_MS:=800}"
T0=$(date +%s)
DIR=tests/docker
P=d6cd-$$
. $DIR/lib.sh
. $DIR/doctor.sh
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
: "${DOCKERD:=/usr/sbin/dockerd}" "${DOCKER_CLI:=/usr/bin/docker}"
OLD_DKD=$DOCKERD OLD_CLI=$DOCKER_CLI
[ -x "$OLD_DKD" ] || skip "no dockerd $OLD_DKD"
[ -x "$OLD_CLI" ] || skip "no docker client $OLD_CLI"
: "${D6C_DOCKER_CACHE:=/var/cache/d6c-tests/docker}"
export D6C_DOCKER_CACHE
: "${DOCKERD_NEW:=$D6C_DOCKER_CACHE/root/usr/sbin/dockerd}" "${DOCKER_CLI_NEW:=$D6C_DOCKER_CACHE/root/usr/bin/docker}"
# the newer Docker, when make test's setup-deps.sh has not fetched it yet
if [ ! -x "$DOCKERD_NEW" ] && [ "$DOCKERD_NEW" = "$D6C_DOCKER_CACHE/root/usr/sbin/dockerd" ]; then
	sh $DIR/fetch-dockerd.sh
fi
: "${BUSYBOX:=/bin/busybox}" # a static one: it is the containers' only userland
[ -x "$BUSYBOX" ] || skip "no $BUSYBOX"
for tool in ip nsenter "$NFT" iptables ip6tables pgrep; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found"
done
mkdir -p "$tmp/rootfs/bin"
PROBE=$tmp/rootfs/bin/probe # static: the same binary runs outside and in the containers
${CC:-cc} -static -O2 -Wall -Wextra -o "$PROBE" tests/packet/probe.c 2>"$tmp/cc.err" ||
	skip "cannot build a static probe: $(head -3 "$tmp/cc.err")"

if ! $D6C apply --help 2>&1 | grep -q -- --docker-accept; then
	fail "$D6C apply has no --docker-accept"; finish; exit
fi
if ! echo 'network 2001:db8::/64 < >' | $D6C compile - 2>/dev/null | grep -q 'priority filter - 1;'; then
	fail "$D6C compile: the default priority is not 'filter - 1' (Docker's chains at filter would come first)"
fi

# ------------------------------------------------------------ the daemons and modes
# major DOCKERD: the major version it reports (`dockerd --version`)
major() { "$1" --version 2>/dev/null | sed -n 's/^Docker version \([0-9][0-9]*\)\..*/\1/p'; }
OLD_MAJOR=$(major "$OLD_DKD")
[ -n "$OLD_MAJOR" ] || skip "$OLD_DKD --version: $("$OLD_DKD" --version 2>&1 | head -1)"
NEW_MAJOR=""
if [ -x "$DOCKERD_NEW" ] && [ -x "$DOCKER_CLI_NEW" ]; then
	NEW_MAJOR=$(major "$DOCKERD_NEW")
	[ -n "$NEW_MAJOR" ] || fail "$DOCKERD_NEW --version: $("$DOCKERD_NEW" --version 2>&1 | head -1)"
fi
: "${D6C_DOCKER_MODES:=$OLD_MAJOR:off $OLD_MAJOR:on${NEW_MAJOR:+ $NEW_MAJOR:off:nat $NEW_MAJOR:off:routed $NEW_MAJOR:on:nat $NEW_MAJOR:on:routed}}"
[ -n "$NEW_MAJOR" ] || fail "no newer dockerd ($DOCKERD_NEW; tests/docker/fetch-dockerd.sh fetches it): only $D6C_DOCKER_MODES"

# mode_set SPEC: MODE (SPEC with the real major), DKD, DOCKER_CLI, MAJOR,
# VERSION, IP6T, GW, LEGACY, FULL; 1 with the reason when SPEC is no mode
# this machine can run
mode_set() {
	IFS=: read -r v IP6T GW extra <<-EOF
		$1
	EOF
	case $v in
	old) DKD=$OLD_DKD DOCKER_CLI=$OLD_CLI MAJOR=$OLD_MAJOR ;;
	new) [ -n "$NEW_MAJOR" ] || { echo "no newer dockerd"; return 1; }
		DKD=$DOCKERD_NEW DOCKER_CLI=$DOCKER_CLI_NEW MAJOR=$NEW_MAJOR ;;
	"$NEW_MAJOR") DKD=$DOCKERD_NEW DOCKER_CLI=$DOCKER_CLI_NEW MAJOR=$NEW_MAJOR ;;
	"$OLD_MAJOR") DKD=$OLD_DKD DOCKER_CLI=$OLD_CLI MAJOR=$OLD_MAJOR ;;
	*) echo "no dockerd of major version '$v' (there are $OLD_MAJOR${NEW_MAJOR:+ and $NEW_MAJOR})"; return 1 ;;
	esac
	LEGACY=""; [ "$MAJOR" -lt 27 ] && LEGACY=1
	case $IP6T in on | off) ;; *) echo "'$IP6T' is not on or off"; return 1 ;; esac
	case $LEGACY/$GW in 1/ | /nat | /routed) ;;
	1/*) echo "Docker $MAJOR has no gateway modes"; return 1 ;;
	*) echo "Docker $MAJOR needs a gateway mode, nat or routed"; return 1 ;;
	esac
	[ -z "$extra" ] || { echo "too many fields"; return 1; }
	MODE=$MAJOR:$IP6T${GW:+:$GW}
	VERSION=$("$DKD" --version | sed 's/^Docker version //; s/,.*//')
	FULL=""
	[ "$IP6T" = on ] && { [ -z "$GW" ] || [ "$GW" = routed ]; } && FULL=1
	return 0
}

# ------------------------------------------------------------ probe tables
# $tmp/NAME.cols: the column names of NAME.probes; $tmp/NAME.lines:
# "LINENO PROTO SRC DST PORT OUTCOME..."
parse_probes() { # FILE NAME
	file=$1 name=$2
	: >"$tmp/$name.lines"
	cols=""
	lineno=0
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		line=${line%%#*}
		set -f; set -- $line; set +f # no globbing of probe words
		[ $# -eq 0 ] && continue
		if [ "$1" = columns: ]; then
			shift; cols="$*"; ncols=$#
			echo "$cols" >"$tmp/$name.cols"
			continue
		fi
		[ -n "$cols" ] || { fail "$file:$lineno: a probe before the 'columns:' line"; continue; }
		if [ $# -ne $((5 + ncols)) ] || [ "$3" != "->" ]; then
			fail "$file:$lineno: expected 'PROTO SRC -> DST PORT' and $ncols outcomes ($cols): $line"; continue
		fi
		case $1 in tcp | udp | icmp) ;; tcpforged | udpforged)
			case $2 in c*) fail "$file:$lineno: a forged probe's source must be outside: $line"; continue ;; esac ;;
		*) fail "$file:$lineno: unknown protocol '$1'"; continue ;; esac
		row="$lineno $1 $2 $4 $5"; shift 5
		bad=0
		for o; do case $o in accept | drop | reject) ;; "?") [ -n "${D6C_DOCKER_MEASURE:-}" ] || bad=1 ;; *) bad=1 ;; esac; done
		[ $bad = 0 ] || { fail "$file:$lineno: outcomes are accept, drop or reject: $line"; continue; }
		echo "$row $*" >>"$tmp/$name.lines"
	done <"$file"
}
for f in $DIR/*.probes; do parse_probes "$f" "$(basename "$f" .probes)"; done
for name in base late unchecked plain; do [ -s "$tmp/$name.lines" ] || { fail "$DIR/$name.probes: no probes"; finish; exit; }; done

# ------------------------------------------------------------ running probes
SPORT=20000
next_sport() { SPORT=$((SPORT + 1)); [ $SPORT -gt 32000 ] && SPORT=20001; }

# column NAME: which field of NAME.lines (1-based, after the 5 of the probe)
# holds the mode's outcome: the column named MODE, else the one of the
# newest older major with the same IP6TABLES:GATEWAY (said once per file)
column() {
	set -- "$1" $(cat "$tmp/$1.cols")
	name=$1; shift
	k=0 best="" bestk=""
	for c; do
		k=$((k + 1))
		[ "$c" = "$MODE" ] && { echo $k; return; }
		[ "${c#*:}" = "${MODE#*:}" ] || continue
		m=${c%%:*}
		[ "$m" -lt "$MAJOR" ] && { [ -z "$best" ] || [ "$m" -gt "$best" ]; } && best=$m bestk=$k
	done
	[ -n "$bestk" ] || return 1
	[ -e "$tmp/said.$name.$MODE" ] || { echo "docker [$MODE] $DIR/$name.probes has no column $MODE: Docker $VERSION held to $best:${MODE#*:}'s" >&2; : >"$tmp/said.$name.$MODE"; }
	echo $bestk
}

# run_probes NAME CONTEXT: all probes of NAME.lines at once, then one check
# each.  CONTEXT (mode, loader...) goes into every message.
run_probes() {
	name=$1 ctx=$2
	col=$(column "$name") || { fail "docker [$ctx] $DIR/$name.probes has no column for $MODE"; return; }
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
		shift $((5 + col - 1)); want=$1
		read -r got detail <"$tmp/res.$k"
		rm -f "$tmp/res.$k"
		what="$proto $src -> $dst"; [ "$port" = - ] || what="$what $port"
		[ -n "${D6C_DOCKER_MEASURE:-}" ] && echo "measured $DIR/$name.probes:$ln $MODE $got [$ctx] $detail"
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
# policy_file: base.pol with the pool network's subnets filled in
policy_file() {
	sed "s|@POOL6@|${POOL6:-2001:db8:d00::/56}|; s|@POOL4@|${POOL4:-172.30.2.0/24}|" $DIR/base.pol >"$tmp/base.pol"
	echo "$tmp/base.pol"
}
# load LOADER: replace d6c's table (deleted first, so that a failed load
# cannot leave the previous one in place); prints why on failure.
#   text   nft -f of `compile --accept-mark $MARK`   (d6c's rule left as it is)
#   json   nft -j -f of `compile -f json --accept-mark $MARK`
#   apply  d6c apply --docker-accept (the default mark, $MARK; d6c's rule put
#          where it belongs)
#   plain  d6c apply: no mark, no rule
load() {
	pol=$(policy_file)
	LOADED="nothing loaded"
	hns $NFT delete table inet d6c 2>/dev/null
	: >"$tmp/load.out"
	case $1 in
	text) $D6C compile --accept-mark $MARK "$pol" >"$tmp/ruleset" 2>"$tmp/load.err" && hns $NFT -f "$tmp/ruleset" 2>>"$tmp/load.err" ;;
	json) $D6C compile -f json --accept-mark $MARK "$pol" >"$tmp/ruleset" 2>"$tmp/load.err" && hns $NFT -j -f "$tmp/ruleset" 2>>"$tmp/load.err" ;;
	apply) hns $D6C apply --docker-accept "$pol" >"$tmp/load.out" 2>"$tmp/load.err" ;;
	plain) hns $D6C apply "$pol" >"$tmp/load.out" 2>"$tmp/load.err" ;;
	esac || { echo "$1 failed:"; head -20 "$tmp/load.out" "$tmp/load.err"; return 1; }
	hns $NFT list table inet d6c >/dev/null 2>&1 || { echo "$1: no table inet d6c after loading"; return 1; }
	case $1 in
	text) LOADED="compile --accept-mark, nft -f" ;;
	json) LOADED="compile -f json --accept-mark, nft -j -f" ;;
	apply) LOADED="apply --docker-accept" ;;
	plain) LOADED="apply (no --docker-accept)" ;;
	esac
}
# load_or_fail LOADER WHAT: load, a failure (with why) if it cannot
load_or_fail() {
	load "$1" >"$tmp/load.msg" 2>&1 && return 0
	fail "docker [$MODE] $2: cannot load base.pol:"; sed 's/^/    /' "$tmp/load.msg"
	return 1
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
# probe_is OUTCOME PROTO SRC DST [PORT]: 0 if one probe (-w 300) gets OUTCOME
probe_is() {
	want=$1 proto=$2 src=$3 dst=$4 port=${5:-}
	next_sport
	set -- $proto "$(addr_of "$src")" "$(addr_of "$dst")" $port -s $SPORT -w 300
	case $src in
	c*) res=$(dk exec "${src%v4}" /bin/probe "$@" 2>&1) ;;
	*) res=$(ons "$PROBE" "$@" 2>&1) ;;
	esac
	got=${res%% *} detail=${res#"$got"}; detail=${detail# }
	matches "$proto" "$want" "$got" "$detail"
}

# d6c apply --follow-docker, started in the background (FOLLOW_PID) with
# $DOCKER_HOST at this run's dockerd; follow_stop: SIGTERM, its exit status
FOLLOW_PID=""
follow_start() { # ARGS...
	# env and ip netns exec exec: $! is d6c itself, which follow_stop signals
	env DOCKER_HOST=unix://$tmp/docker.sock ip netns exec "$NS_HOST" \
		$D6C "$@" >"$tmp/follow.log" 2>&1 &
	FOLLOW_PID=$!
}
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
# log_has TEXT TENTHS: 0 once follow's log has TEXT
log_has() {
	i=0
	until grep -qF -- "$1" "$tmp/follow.log"; do
		i=$((i + 1)); [ $i -gt "$2" ] && return 1
		sleep 0.1
	done
}

# The shipped unit's command: contrib/systemd/d6c-docker.service's
# ExecStart with this d6c and the suite's policy put in for /usr/bin/d6c
# and /etc/d6c/site.pol, so that a changed unit is what gets tested (or
# fails here, if it no longer has that shape).  Prints its arguments.
UNIT=contrib/systemd/d6c-docker.service
unit_args() {
	cmd=$(sed -n 's/^ExecStart=//p' $UNIT)
	case $cmd in "/usr/bin/d6c "*" /etc/d6c/site.pol") ;; *) return 1 ;; esac
	cmd=${cmd#/usr/bin/d6c }
	echo "${cmd% /etc/d6c/site.pol}"
}

# 1. The boot order, with nothing but the unit's command running the policy
# (names.pol: base.pol by Docker network names, resolved by d6c itself):
# started before dockerd, it applies the policy with no Docker network
# known and puts no rule anywhere (Docker filters nothing yet); dockerd
# starting makes its chains, and d6c puts its rule first where it belongs
# (within its 2 s check); the networks and containers made, base.probes
# hold; a network made under it is protected, its rule kept first (20.10
# puts its own jumps above it at every network); dockerd restarted under
# it; its rule moved by hand.  1 when no dockerd or containers (the mode
# cannot go on).
group_unit() {
	LOADED="unit: apply --follow-docker names.pol"
	if ! args=$(unit_args); then
		fail "docker [$MODE] $UNIT: ExecStart is not '/usr/bin/d6c ... /etc/d6c/site.pol': $(grep ExecStart $UNIT)"
		return 1
	fi
	follow_start $args $DIR/names.pol
	i=0
	until hns $NFT list table inet d6c >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.05
	done
	if hns $NFT list table inet d6c >/dev/null 2>&1 && kill -0 "$FOLLOW_PID" 2>/dev/null; then
		ok "docker [$MODE, $LOADED] before dockerd: the table is in force ($args $DIR/names.pol)"
	else
		fail "docker [$MODE, $LOADED] before dockerd: no table inet d6c: $(tail -5 "$tmp/follow.log")"
	fi
	rule_none "before dockerd (Docker filters nothing yet)"
	if ! daemon_start >"$tmp/start.msg" 2>&1 || ! build_image >"$tmp/image.msg" 2>&1; then
		fail "docker [$MODE] dockerd: $(cat "$tmp/start.msg" "$tmp/image.msg")"; return 1
	fi
	if ! make_containers >"$tmp/ctr.msg" 2>&1; then
		fail "docker [$MODE] cannot make the networks and containers:"; sed 's/^/    /' "$tmp/ctr.msg"; return 1
	fi
	ok "docker [$MODE] Docker $VERSION; pool6 got $POOL6 from the pool"
	rule_wait "dockerd started, networks made" 40
	docker_facts
	dump_tables "$MODE" >"$tmp/facts.$MODE"
	[ -n "${VERBOSE:-}" ] && cat "$tmp/facts.$MODE"
	if ms=$(listed "$POOL6" 30); then
		ok "docker [$MODE, $LOADED] pool6's $POOL6 protected (${ms} ms after the containers)"
	else
		fail "docker [$MODE, $LOADED] pool6's $POOL6 not in d6c's table: $(tail -5 "$tmp/follow.log")"
	fi
	warm_up c1 c2 c3
	run_probes base "$MODE, unit"
	# a network made under it
	if net_create late6 --subnet 172.30.3.0/24 --subnet 2001:db8:d0e::/64 2>"$tmp/net.err" && run_ctr c4 late6 2001:db8:d0e::10 2>>"$tmp/net.err"; then
		rule_wait "late6 created" 40
		ms=$(listed 2001:db8:d0e::/64 30) && ok "docker [$MODE, $LOADED] late6 protected" ||
			fail "docker [$MODE, $LOADED] late6 not in d6c's table: $(tail -5 "$tmp/follow.log")"
		warm_up c4 && run_probes late "$MODE, unit, late network"
	else
		fail "docker [$MODE] cannot create late6/c4: $(cat "$tmp/net.err")"
	fi
	group_restart
	group_hand_move
	follow_stop; rc=$?
	[ $rc = 0 ] && ok "docker [$MODE, $LOADED] SIGTERM: exit 0" || fail "docker [$MODE, $LOADED] SIGTERM: exit $rc"
	hns $NFT list table inet d6c >/dev/null 2>&1 && ok "docker [$MODE, $LOADED] stopped: the ruleset stays in force" ||
		fail "docker [$MODE, $LOADED] stopping removed d6c's table"
	rule_wait "d6c stopped: its rule stays" 0
	return 0
}

# dockerd restarted (killed and started again: live-restore is off, so the
# containers stop and are started again) under the unit's d6c, while a
# loop probes c1:8080, which Docker publishes and d6c drops: no probe of the
# loop may get through.  Measured: from dockerd's start to the policy
# holding again: d6c's rule where it belongs, an allowed probe accepted and
# a denied one rejected (with ip6tables on in NAT mode, Docker's raw table
# drops whatever is routed straight to a container: the pair is then c3's
# 443 published as 8443 on the host's address, which d6c allows from ok6
# only, and Docker's DNAT takes to c3).
group_restart() {
	if [ "$IP6T/$GW" = on/nat ]; then
		set -- "tcp ok6 host6 8443" "tcp bad6 host6 8443"
	else
		set -- "tcp ok6 c1 22" "tcp ok6 c1 25"
	fi
	allowed=$1 denied=$2
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
	t0=$(date +%s%N)
	restarted=""
	if daemon_start >"$tmp/start.msg" 2>&1; then
		t_up=$((($(date +%s%N) - t0) / 1000000))
		if dk start c1 c2 c3 c4 >/dev/null 2>"$tmp/start.err"; then
			t_ctr=$((($(date +%s%N) - t0) / 1000000))
			restarted=1
		else
			fail "docker [$MODE] restart: the containers did not start: $(cat "$tmp/start.err")"
		fi
	else
		fail "docker [$MODE] restart: $(cat "$tmp/start.msg")"
	fi
	if [ -n "$restarted" ]; then
		i=0 holds=""
		while [ $i -lt 100 ]; do
			i=$((i + 1))
			[ -z "$(rule_state)" ] && probe_is accept $allowed && probe_is reject $denied && { holds=1; break; }
			sleep 0.1
		done
		t_hold=$((($(date +%s%N) - t0) / 1000000))
		if [ -n "$holds" ]; then
			ok "docker [$MODE, $LOADED] dockerd restarted: it answered after $t_up ms, the containers ran after $t_ctr ms, the policy held after $t_hold ms ('$allowed' accepted, '$denied' rejected, d6c's rule in place)"
			RESTART_INFO="restart: dockerd $t_up ms, containers $t_ctr ms, policy holding $t_hold ms"
		else
			fail "docker [$MODE, $LOADED] dockerd restarted: the policy did not hold within $t_hold ms ('$allowed' accepted, '$denied' rejected, rule: $(rule_state))"
		fi
	fi
	sleep 0.5 # some probes against the restarted containers, too
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
	grep -q "Docker went away" "$tmp/follow.log" && ok "docker [$MODE, $LOADED] said Docker went away" ||
		fail "docker [$MODE, $LOADED] said nothing of Docker going away: $(tail -3 "$tmp/follow.log")"
	log_has "following Docker again" 30 && ok "docker [$MODE, $LOADED] follows the restarted dockerd" ||
		fail "docker [$MODE, $LOADED] did not reconnect: $(tail -3 "$tmp/follow.log")"
	dump_tables "$MODE, after dockerd restart" >"$tmp/facts.$MODE.restart"
	[ -n "${VERBOSE:-}" ] && cat "$tmp/facts.$MODE.restart"
	warm_up c1 c2 c3 c4
	run_probes base "$MODE, unit, after dockerd restart"
	run_probes late "$MODE, unit, after dockerd restart"
}

# d6c's rule moved by hand in each family Docker filters: taken out,
# appended last, and a rule of someone else's (one that does nothing)
# inserted first: the unit's d6c puts its rule first again within its
# check's 2 s (measured).
group_hand_move() {
	said=$(grep -c "Docker's accept rule for mark" "$tmp/follow.log")
	for t in ip6tables iptables; do
		where=$(rule_place $t)
		[ "$where" = none ] && continue
		hns $t -w -D $where $RULESPEC && hns $t -w -A $where $RULESPEC &&
			hns $t -w -I $where 1 -m comment --comment d6c-test-hand ||
			fail "docker [$MODE] cannot move d6c's rule in $t $where"
	done
	if [ -z "$(rule_state)" ]; then
		# In place at the first look: d6c's check may have come between
		# the move and the look (on a loaded machine), and then its log
		# says so; else the move did not happen.
		if [ "$(grep -c "Docker's accept rule for mark" "$tmp/follow.log")" -gt "$said" ]; then
			ok "docker [$MODE, $LOADED] d6c's rule moved by hand: put back before the first look"
			REPAIR_MS=0
		else
			fail "docker [$MODE] d6c's rule moved by hand, yet in place"
		fi
	else
		rule_wait "d6c's rule moved by hand" 35
		REPAIR_MS=$RULE_MS
		[ "$RULE_MS" -le 3000 ] || fail "docker [$MODE, $LOADED] d6c's rule put back after $RULE_MS ms, more than its 2 s check"
	fi
	for t in ip6tables iptables; do
		where=$(rule_place $t)
		[ "$where" = none ] || hns $t -w -D $where -m comment --comment d6c-test-hand
	done
}

# 2. the loaders, on the running Docker: apply --docker-accept puts d6c's
# rule back (taken out by hand first); nft -f and nft -j -f of compile's
# output replace the table and leave the rule as it is (full modes only)
group_loaders() {
	for t in ip6tables iptables; do
		where=$(rule_place $t)
		[ "$where" = none ] || hns $t -w -D $where $RULESPEC || fail "docker [$MODE] cannot take d6c's rule out of $t $where"
	done
	load_or_fail apply "apply --docker-accept" || return
	if [ "$(rule_place ip6tables)$(rule_place iptables)" = noneDOCKER-USER ]; then
		want="Docker's accept rule for mark $MARK/$MARK: iptables DOCKER-USER rule inserted"
	else
		want="Docker's accept rule for mark $MARK/$MARK: ip6tables $(rule_place ip6tables) rule inserted; iptables DOCKER-USER rule inserted"
	fi
	grep -qxF "$want" "$tmp/load.out" && ok "docker [$MODE, $LOADED] says: $want" ||
		fail "docker [$MODE, $LOADED] did not say '$want': $(cat "$tmp/load.out")"
	rule_wait "applied" 0
	run_probes base "$MODE, apply --docker-accept"
	[ -n "$FULL" ] || return 0
	for loader in text json; do
		load_or_fail $loader $loader || continue
		rule_wait "table replaced by $LOADED" 0
		run_probes base "$MODE, $LOADED"
	done
}

# 3. The forged probes of base.probes pass only if forging works: with
# d6c's source check taken out of the loaded table (chain source_route
# emptied), unchecked.probes says what gets through.
group_unchecked() {
	load_or_fail apply "source check" || return
	if ! hns $NFT flush chain inet d6c source_route; then
		fail "docker [$MODE] forged: no chain source_route to empty"; return
	fi
	LOADED="apply --docker-accept, source check emptied"
	run_probes unchecked "$MODE, $LOADED"
	load_or_fail apply "source check again"
}

# Why d6c's default priority is filter - 1.  At equal priority the kernel
# runs the base chain registered LAST first; d6c's loads re-register its
# chain each time, Docker's ip6 filter chain is registered once, when dockerd
# first creates the table.  So at d6c's old default (filter), in the boot
# order (d6c first, then dockerd creating its table), Docker's chain comes
# first and silently drops the unpublished port d6c rejects.  Recreated here:
# dockerd stopped, its ip6 filter table deleted, d6c loaded at filter,
# dockerd started again.  (Full modes: ip6tables on.)
group_old_priority() {
	pol=$(policy_file)
	daemon_stop
	hns $NFT delete table ip6 filter || { fail "docker [$MODE] cannot delete Docker's ip6 filter table"; return; }
	hns $NFT delete table inet d6c 2>/dev/null
	LOADED="text, --priority filter, before dockerd"
	if ! $D6C compile --priority filter "$pol" >"$tmp/ruleset" || ! hns $NFT -f "$tmp/ruleset"; then
		fail "docker [$MODE] cannot load base.pol at --priority filter"; return
	fi
	if ! daemon_start >"$tmp/start.msg" 2>&1 || ! dk start c1 c3 >/dev/null 2>&1; then
		fail "docker [$MODE] old priority: dockerd or c1 did not start again: $(cat "$tmp/start.msg")"; return
	fi
	warm_up c1 c3 || return
	check_one "Docker's chain (registered after d6c's, same priority) comes first: tcp 25 is dropped, not reset" drop tcp ok6 c1 25
	check_one "d6c's drop of the published 8080 still holds" drop tcp ok6 c1 8080
	hns $NFT -f "$tmp/ruleset"
	LOADED="text, --priority filter, loaded again after dockerd"
	check_one "d6c's chain registered last comes first: tcp 25 is a reset" reject tcp ok6 c1 25
	load_or_fail apply "old priority" || return
	check_one "d6c at its default priority: tcp 25 is a reset" reject tcp ok6 c1 25
}

# 5. d6c remove: the table and every rule of d6c's in Docker's chains go,
# nothing else; then the policy applied without --docker-accept (no mark,
# no rule): plain.probes, Docker dropping what d6c allows where it filters
group_remove() {
	load_or_fail apply "remove" || return
	n=0
	for t in ip6tables iptables; do [ "$(rule_place $t)" = none ] || n=$((n + 1)); done
	if hns $D6C remove >"$tmp/remove.out" 2>&1 && grep -qxF "removed table inet d6c" "$tmp/remove.out" &&
		grep -qxF "removed $n rule$([ $n = 1 ] || echo s) accepting d6c's mark from Docker's chains" "$tmp/remove.out"; then
		ok "docker [$MODE] d6c remove: $(tr '\n' ';' <"$tmp/remove.out")"
	else
		fail "docker [$MODE] d6c remove (want the table and $n rules removed): $(tr '\n' ';' <"$tmp/remove.out")"
	fi
	hns $NFT list table inet d6c >/dev/null 2>&1 && fail "docker [$MODE] d6c remove left table inet d6c" ||
		ok "docker [$MODE] d6c remove: no table inet d6c"
	rule_none "d6c remove"
	load_or_fail plain "plain" || return
	rule_none "apply without --docker-accept"
	run_probes plain "$MODE, $LOADED"
	hns $D6C remove >"$tmp/remove.out" 2>&1 && [ "$(cat "$tmp/remove.out")" = "removed table inet d6c" ] &&
		ok "docker [$MODE] d6c remove with no rule of its own: $(cat "$tmp/remove.out")" ||
		fail "docker [$MODE] d6c remove with no rule of its own: $(tr '\n' ';' <"$tmp/remove.out")"
}

# 4. Policies that name Docker networks: names.pol is base.pol with each
# block's prefixes replaced by the Docker networks they are (docker "fixed6",
# "late6", "pool6", "dual"), resolved by d6c from the Engine API at
# $DOCKER_HOST.  base.probes must give the same verdicts, loaded by
# `d6c apply --follow-docker` (the unit group), by `compile --docker` (text)
# and by `compile --docker-state` of a saved network list (JSON); the
# comments name the networks; a name Docker does not know is an error that
# leaves the running ruleset alone.  (Full modes.)
names() { DOCKER_HOST=unix://$tmp/docker.sock "$@"; }
group_docker_names() {
	pol=$DIR/names.pol
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
		run_probes base "$MODE, $LOADED"
	else
		fail "docker [$MODE] nft -f of compile --docker: $(cat "$tmp/load.err")"
	fi
	hns $NFT list table inet d6c >"$tmp/names.list" 2>&1
	l1=$(grep -n '^network docker "fixed6"' $pol | cut -d: -f1) l2=$(grep -n '^network docker "pool6"' $pol | cut -d: -f1)
	for want in "comment \"network at tests/docker/names.pol:$l1 (docker fixed6, late6)\"" \
		"comment \"network at tests/docker/names.pol:$l2 (docker pool6)\"" "$POOL6 : jump net_2" \
		'2001:db8:d0e::/64 : jump net_1' '172.30.1.0/24 : jump net_1' '192.0.2.0/24 : jump net_3'; do
		grep -qF -- "$want" "$tmp/names.list" && ok "docker [$MODE, $LOADED] the table has '$want'" ||
			fail "docker [$MODE, $LOADED] the table lacks '$want': $(grep -E 'comment "net|jump' "$tmp/names.list" | tr '\n' ';')"
	done
	hns $NFT delete table inet d6c
	LOADED="docker names, compile -f json --docker-state, nft -j -f"
	if $D6C compile -f json --docker-state "$tmp/state.json" --accept-mark $MARK $pol >"$tmp/names.json" &&
		hns $NFT -j -f "$tmp/names.json" 2>"$tmp/load.err"; then
		run_probes base "$MODE, $LOADED"
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
	l3=$(grep -n '^network docker "dual"' $pol | cut -d: -f1)
	grep -qF "typo.pol:$l3:9: error: Docker has no network named \"duall\" [D6C-E103]" "$tmp/err" &&
		grep -qF "closest first: \"dual\"," "$tmp/err" && ok "docker [$MODE] unknown name: at its place, \"dual\" offered first" ||
		fail "docker [$MODE] unknown name: $(cat "$tmp/err")"
	cmp -s "$tmp/before" "$tmp/after" && ok "docker [$MODE] unknown name: the running ruleset is unchanged" ||
		fail "docker [$MODE] unknown name changed the running ruleset"
}

# d6c apply --follow-docker (follow.pol): a policy names "fol6", which does
# not exist yet.  Created, it is protected within a second and its
# container gets the policy's verdicts; removed and created again on
# another subnet, the new subnet is protected and the old one no longer
# listed.  (dockerd going away and coming back: the unit group.)  Full modes.
follow_probes() { # CONTAINER WHEN
	check_one "$2: $1 allowed tcp 22" accept tcp ok6 "$1" 22
	check_one "$2: $1 rejected tcp 25" reject tcp ok6 "$1" 25
	check_one "$2: $1 unlisted tcp 80 dropped by the default" drop tcp ok6 "$1" 80
}
group_follow_docker() {
	LOADED="apply --follow-docker follow.pol"
	hns $NFT delete table inet d6c 2>/dev/null
	cp $DIR/follow.pol "$tmp/follow.pol"   # a copy: edited below
	follow_start apply --follow-docker "$tmp/follow.pol"
	log_has 'follow.pol:8:9: warning: Docker has no network named "fol6" (yet)' 50 &&
		ok "docker [$MODE, $LOADED] applied while fol6 does not exist, with a warning at its name" ||
		fail "docker [$MODE, $LOADED] start: $(cat "$tmp/follow.log")"
	# created: listed within a second of `network create` returning
	net_create fol6 --subnet 2001:db8:d10::/64
	if ms=$(listed 2001:db8:d10::/64 10); then
		ok "docker [$MODE, $LOADED] fol6 (2001:db8:d10::/64) protected ${ms} ms after it was created"
	else
		fail "docker [$MODE, $LOADED] fol6 not protected 1 s after it was created: $(tail -5 "$tmp/follow.log")"
	fi
	rule_wait "fol6 created" 40
	run_ctr c5 fol6 2001:db8:d10::10 && warm_up c5 && follow_probes c5 "fol6 created"
	# removed and made again on another subnet (docker compose down && up)
	dk rm -f c5 >/dev/null; dk network rm fol6 >/dev/null
	unlisted 2001:db8:d10::/64 10 && ok "docker [$MODE, $LOADED] fol6 removed: its subnet no longer listed" ||
		fail "docker [$MODE, $LOADED] fol6 removed, 2001:db8:d10::/64 still listed after 1 s"
	net_create fol6 --subnet 2001:db8:d11::/64
	if ms=$(listed 2001:db8:d11::/64 10); then
		ok "docker [$MODE, $LOADED] fol6 made again on 2001:db8:d11::/64: protected ${ms} ms after"
	else
		fail "docker [$MODE, $LOADED] fol6's new subnet not protected 1 s after it was created: $(tail -5 "$tmp/follow.log")"
	fi
	hns $NFT list map inet d6c dispatch6 | grep -qF "2001:db8:d10::/64" &&
		fail "docker [$MODE, $LOADED] the old subnet 2001:db8:d10::/64 is still listed" ||
		ok "docker [$MODE, $LOADED] the old subnet is no longer listed"
	rule_wait "fol6 made again" 40
	run_ctr c6 fol6 2001:db8:d11::10 && warm_up c6 && follow_probes c6 "fol6 on its new subnet"
	# The policy edited and SIGHUP while dockerd is away (a rollout to a
	# host whose Docker is down): applied at once, with fol6's subnet as
	# last read, not held back until Docker returns nor without fol6.
	daemon_stop
	log_has "Docker went away" 50 || fail "docker [$MODE, $LOADED] dockerd stopped: nothing said"
	# (rules of its own: a block like the /47's would share its chain, and
	# its prefix would merge into the /47's range in the map)
	printf 'network 2001:db8:d12::/64 < allow tcp 443; >\n' >>"$tmp/follow.pol"
	kill -HUP "$FOLLOW_PID"
	# (within 20 s: a dockerd that is shutting down may still take the
	# event stream's connection, which d6c gives up only at its 15 s)
	if ms=$(listed 2001:db8:d12::/64 200); then
		if listed 2001:db8:d11::/64 1 >/dev/null; then
			ok "docker [$MODE, $LOADED] SIGHUP with dockerd away: the edited policy applied ($ms ms), fol6 as last read"
		else
			fail "docker [$MODE, $LOADED] SIGHUP with dockerd away: fol6's 2001:db8:d11::/64 was dropped"
		fi
	else
		fail "docker [$MODE, $LOADED] SIGHUP with dockerd away: the edited policy not applied in 20 s:"
		sed 's/^/    /' "$tmp/follow.log"
	fi
	daemon_start >"$tmp/start.msg" 2>&1 || fail "docker [$MODE] dockerd did not start again: $(cat "$tmp/start.msg")"
	log_has "following Docker again" 30 || fail "docker [$MODE, $LOADED] did not reconnect: $(tail -3 "$tmp/follow.log")"
	dk rm -f c6 >/dev/null; dk network rm fol6 >/dev/null
	unlisted 2001:db8:d11::/64 10 && ok "docker [$MODE, $LOADED] fol6 removed again: no longer listed" ||
		fail "docker [$MODE, $LOADED] fol6's second removal not followed"
	follow_stop; rc=$?
	[ $rc = 0 ] && ok "docker [$MODE, $LOADED] SIGTERM: exit 0" || fail "docker [$MODE, $LOADED] SIGTERM: exit $rc"
}

# ------------------------------------------------------------ the modes
for spec in $D6C_DOCKER_MODES; do
	if ! mode_set "$spec" >"$tmp/mode.err"; then
		fail "D6C_DOCKER_MODES: '$spec': $(cat "$tmp/mode.err")"; continue
	fi
	TM=$(date +%s)
	POOL6="" POOL4="" RESTART_INFO="" REPAIR_MS=""
	if ! topology_up; then
		fail "docker [$MODE] cannot build the namespaces: $(cat "$tmp/ns.err")"; teardown; continue
	fi
	ons "$PROBE" serve 80 53 >"$tmp/serve.out" 2>&1 &
	# the attacker's way to the host: its neighbours, before any forged probe
	ip netns exec "$NS_ATK" "$PROBE" icmp $ATK_LINK6 $HOST_ATK6 -w 500 >/dev/null 2>&1
	ip netns exec "$NS_ATK" "$PROBE" icmp $ATK_LINK4 $HOST_ATK4 -w 500 >/dev/null 2>&1
	if group_unit; then  # 1.
		group_loaders    # 2.
		group_unchecked  # 3.
		if [ -n "$FULL" ]; then  # 4.
			group_docker_names
			group_follow_docker
			group_old_priority
		fi
		group_remove     # 5.
		group_doctor     # 6.
	fi
	follow_stop
	# 7.
	teardown
	left=$(leftovers)
	if [ -z "$left" ]; then
		ok "docker [$MODE] teardown: no process, mount or namespace left"
	else
		fail "docker [$MODE] teardown left: $left"
	fi
	line="$MODE (Docker $VERSION): $(($(date +%s) - TM)) s; ${RESTART_INFO:-no restart measured}; rule repaired ${REPAIR_MS:-?} ms after a hand move"
	echo "docker [$line]"
done

echo "docker: modes $D6C_DOCKER_MODES, $(($(date +%s) - T0)) s"
finish

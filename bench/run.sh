#!/bin/sh
# make bench: how d6c scales with the number of network blocks.  One table,
# one row per N (blocks of bench/gen.sh's realistic mix): policy size,
# compile time and memory, load times into fresh network namespaces (d6c's
# text through nft -f, d6c apply, and the "one jump per network" reference
# shape), and the forwarding rate of a router carrying the ruleset against
# the same router with only conntrack, beside that of a router carrying a
# hand-written ruleset of concatenated sets for the same networks.  Numbers
# to read and compare, never asserted.
#
# Environment: BENCH_N (default "1 100 1000 10000 100000"), BENCH_PPS_N
# (default "1 1000 10000"), BENCH_PPS_PAIRS (5: rounds of one run per
# router), BENCH_PPS_SECONDS (3), BENCH_COUNTERS (1: also the forwarding
# rate of the ruleset compiled with --counters, a named counter on every
# rule: column cnt_ratio),
# D6C (./d6c), CC (cc).  Progress goes to standard error, every raw
# measurement to the log named at the end (/tmp/d6c-bench-*.log).
#
# Loads and packets need root (network namespaces); without it only the
# compile columns are measured.
set -u
cd "$(dirname "$0")/.." || exit 2
D6C=${D6C:-./d6c}
BENCH_N=${BENCH_N:-1 100 1000 10000 100000}
BENCH_PPS_N=${BENCH_PPS_N:-1 1000 10000}
BENCH_PPS_PAIRS=${BENCH_PPS_PAIRS:-5}
BENCH_PPS_SECONDS=${BENCH_PPS_SECONDS:-3}
BENCH_COUNTERS=${BENCH_COUNTERS:-0}
LOAD_TIMEOUT=300	# s: any single load slower than this is cut off
REF_LIMIT=60		# s: the reference shape is not grown past this
PPS_DESTS=16		# /64s the packets are spread over

P=d6cb$$	# every namespace of this run starts with this
tmp=$(mktemp -d /tmp/d6c-bench.XXXXXX) || exit 2
LOG=/tmp/d6c-bench-$(date +%Y%m%d-%H%M%S)-$$.log
: >"$LOG" || exit 2

# ------------------------------------------------------------ cleanup
# Namespaces die with their processes killed first; flood stops by itself
# but an interrupt must not leave one running.  Ctrl-C (SIGINT to the whole
# process group, as make passes it on) cleans up at once; a signal to this
# shell alone is handled when the step it waits for (a load, a pps run)
# ends, as sh does.
cleanup() {
	trap - EXIT INT TERM HUP PIPE
	for ns in $(ip netns list 2>/dev/null | awk -v p="$P-" 'index($1, p) == 1 { print $1 }'); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null || echo "bench: cannot delete network namespace $ns" >&2
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE

say() { echo "bench: $*" >&2; }
log() { echo "$*" >>"$LOG"; }
die() { say "$*"; exit 2; }
now() { date +%s.%N; }
# seconds from $1 to $2, 3 decimals
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# median of the numbers on standard input ("-" when there are none)
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) print "-"
		else if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ------------------------------------------------------------ prerequisites
# need COMMAND PACKAGE: install PACKAGE when COMMAND is missing and we are
# root (make bench has run tests/setup-deps.sh, sh bench/run.sh may not have)
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
		die "$1 is missing: install $2"
	fi
	say "installing $2"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1; } ||
		die "cannot install $2"
}
need /usr/bin/time time
need "${CC:-cc}" gcc
need taskset util-linux
need timeout coreutils
[ -x "$D6C" ] || die "$D6C not found: run make first"
ROOT=0
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && command -v nft >/dev/null &&
	ip netns add "$P-probe" 2>/dev/null; then
	ip netns del "$P-probe"
	ROOT=1
else
	say "not root (or no ip/nft/namespaces): measuring compile only"
fi
FLOOD=$tmp/flood
if [ "$ROOT" = 1 ] && ! ${CC:-cc} -O2 -Wall -Wextra -Werror -o "$FLOOD" bench/flood.c 2>"$tmp/cc.err"; then
	cat "$tmp/cc.err" >&2
	die "cannot build bench/flood.c"
fi
CTFLUSH=$tmp/ctflush
if [ "$ROOT" = 1 ] && ! ${CC:-cc} -O2 -Wall -Wextra -Werror -o "$CTFLUSH" bench/ctflush.c -lmnl 2>"$tmp/cc.err"; then
	cat "$tmp/cc.err" >&2
	die "cannot build bench/ctflush.c"
fi
# Other people may be changing the compiler while this runs: say what was
# measured (make bench has just built ./d6c from this tree).
log "# d6c bench $(date -u +%Y-%m-%dT%H:%M:%SZ), D6C=$D6C ($("$D6C" --version 2>&1 | head -n 1), built $(date -u -r "$D6C" +%H:%M:%SZ))"
log "# tree: $(git log -1 --oneline 2>/dev/null | cut -c1-100); changed in compiler/ runtime/ cli/ grammar/: $(git status --porcelain compiler runtime cli grammar 2>/dev/null | awk '{ c = c " " $2 } END { print c == "" ? "none" : c }')"
log "# kernel $(uname -r), $(nft --version 2>/dev/null), $(nproc) cpus"
log "# BENCH_N=$BENCH_N BENCH_PPS_N=$BENCH_PPS_N pairs=$BENCH_PPS_PAIRS seconds=$BENCH_PPS_SECONDS counters=$BENCH_COUNTERS"

# ------------------------------------------------------------ load times
# timed WHAT CMD...: runs CMD (cut off after LOAD_TIMEOUT), logs it and its
# output, prints its wall time in seconds, ">300" when cut off, "fail" when
# it failed.
timed() {
	what=$1; shift
	t0=$(now)
	timeout "$LOAD_TIMEOUT" "$@" >"$tmp/out" 2>&1
	rc=$?
	t1=$(now)
	t=$(secs "$t0" "$t1")
	log "$what: rc=$rc wall=${t}s (loadavg $(cut -d' ' -f1-3 /proc/loadavg)): $*"
	sed 's/^/    /' "$tmp/out" | head -20 >>"$LOG"
	if [ "$rc" = 124 ]; then echo ">$LOAD_TIMEOUT"
	elif [ "$rc" != 0 ]; then echo fail
	else echo "$t"
	fi
}

# fresh WHAT CMD...: the time of `ip netns exec NS CMD` in a namespace made
# for it and deleted after (only that command is timed).  A fresh
# namespace of the init user namespace, not `unshare -rn`: there nft could
# not enlarge its netlink buffer.
fresh() {
	what=$1; shift
	ns=$P-load
	ip netns add "$ns" || { echo fail; return; }
	timed "$what" ip netns exec "$ns" "$@"
	# Empty the table before the namespace goes, and give the kernel's
	# deferred teardown a moment, so it does not run into the next
	# measurement.
	ip netns exec "$ns" nft flush ruleset 2>/dev/null
	ip netns del "$ns"
	sleep 1
}

# over SECONDS: true when a time is too slow to grow that column further
over() {
	case $1 in
	">"* | fail) return 0 ;;
	*) awk -v t="$1" -v l="$2" 'BEGIN { exit !(t > l) }' ;;
	esac
}

# ------------------------------------------------------------ forwarding
# Identical lines of three namespaces, sender -> router -> receiver, one
# per router:
#   e  no ruleset
#   a  conntrack only (CT below): every packet is tracked and accepted, the
#      yardstick, since every ruleset measured here is stateful
#   b  d6c's ruleset
#   h  the hand-written ruleset of concatenated sets (bench/gen.sh -c)
# Lines e and a live for the whole run, b and h are built again for each N.
#
#   $P-sX [s0] ----veth---- [r0] $P-rX [r1] ----veth---- [c0] $P-cX
#   fd00:d6c:1::1/64     fd00:d6c:1::2/64 fd00:d6c:2::1/64     fd00:d6c:2::2/64
#
# The router routes 2001:db8::/32 (every IPv6 network of the mix) to the
# receiver, which drops them in a blackhole route; they are counted as they
# arrive on its interface (rx_packets).  Fixed MAC addresses and permanent
# neighbours: no neighbour discovery in the measurement.
MAC_S=02:d6:c0:00:00:01 MAC_R0=02:d6:c0:00:00:02 MAC_R1=02:d6:c0:00:00:03 MAC_C=02:d6:c0:00:00:04
nsctl() { ip netns exec "$1" sh -c "echo $3 >/proc/sys/$2"; }
line() {
	s=$P-s$1 r=$P-r$1 c=$P-c$1
	for ns in "$s" "$r" "$c"; do ip netns add "$ns" || return 1; done
	ip -n "$s" link add s0 address $MAC_S type veth peer name r0 address $MAC_R0 netns "$r" &&
	ip -n "$r" link add r1 address $MAC_R1 type veth peer name c0 address $MAC_C netns "$c" &&
	for ns in "$s" "$r" "$c"; do
		ip -n "$ns" link set lo up && nsctl "$ns" net/ipv6/conf/all/accept_dad 0 || return 1
	done &&
	ip -n "$s" link set s0 up && ip -n "$s" addr add fd00:d6c:1::1/64 dev s0 nodad &&
	ip -n "$r" link set r0 up && ip -n "$r" addr add fd00:d6c:1::2/64 dev r0 nodad &&
	ip -n "$r" link set r1 up && ip -n "$r" addr add fd00:d6c:2::1/64 dev r1 nodad &&
	ip -n "$c" link set c0 up && ip -n "$c" addr add fd00:d6c:2::2/64 dev c0 nodad &&
	nsctl "$r" net/ipv6/conf/all/forwarding 1 &&
	ip -n "$r" -6 neigh add fd00:d6c:2::2 lladdr $MAC_C dev r1 nud permanent &&
	ip -n "$r" -6 route add 2001:db8::/32 via fd00:d6c:2::2 dev r1 &&
	ip -n "$c" -6 route add blackhole 2001:db8::/32
}
unline() {
	for ns in $P-s$1 $P-r$1 $P-c$1; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
}
rx() { ip netns exec "$P-c$1" cat /sys/class/net/c0/statistics/rx_packets; }
# the number of connections router X tracks ("-": conntrack not loaded there)
tracked() { ip netns exec "$P-r$1" cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null || echo -; }
# A forward hook with a ct expression is what makes the kernel track the
# forwarded packets of a namespace (no ruleset: no conntrack at all).
CT='table inet d6cbench {
	chain forward {
		type filter hook forward priority filter; policy accept;
		ct state established,related accept
		ct state new accept
	}
}'

# blast X SECONDS WHAT: one run of the sender through line X; prints the
# packets per second that reached the receiver.  The sender is pinned to
# the last CPU (the forwarding path runs there too, in its softirq), away
# from this script.  Every run starts with an empty conntrack table: flood
# sends the same flows each run, and a table left full by earlier runs
# (nf_conntrack_max, each new flow evicting an old one) or holding this
# run's flows already would make the routers' runs unlike.
blast() {
	ip netns exec "$P-r$1" "$CTFLUSH" >/dev/null 2>&1
	c0=$(rx "$1")
	ip netns exec "$P-s$1" taskset -c "$(($(nproc) - 1))" "$FLOOD" s0 $MAC_S $MAC_R0 fd00:d6c:1::1 "$2" $DESTS >"$tmp/flood.out" 2>&1
	c1=$(rx "$1")
	# "sent P packets in S s"
	set -- "$1" "$2" "$3" $(cat "$tmp/flood.out")
	if [ "$4" != sent ]; then
		log "$3: flood failed: $*"
		echo 0
		return
	fi
	pps=$(awk -v n=$((c1 - c0)) -v t="$8" 'BEGIN { printf "%d\n", n / t }')
	log "$3: router $1: sent $5 in $8 s, received $((c1 - c0)): $pps pps, $(tracked "$1") connections tracked (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
	echo "$pps"
}

# load X RULESET WHAT: line X built afresh, its router carrying RULESET
load() {
	unline "$1"
	line "$1" || { log "$3: cannot build the namespaces of line $1"; return 1; }
	case $(timed "$3: load router $1" ip netns exec "$P-r$1" nft -f "$2") in
	[0-9]*) ;;
	*) unline "$1"; return 1 ;;
	esac
}

# quot OVER UNDER: OVER / UNDER, 4 decimals, nothing when UNDER is 0
quot() { [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", a / b }'; }

# forwarding N WHAT RULESET [HAND]: "RATIO HAND_RATIO CT_PPS BARE_RATIO
# BARE_PPS", medians over BENCH_PPS_PAIRS rounds, packets to the networks
# of the policy of N blocks: router b carrying RULESET and router h
# carrying HAND, each against router a (conntrack only) of the same round,
# CT_PPS router a's rate, BARE_RATIO router b against router e (no
# ruleset), BARE_PPS router e's rate.  Without HAND only routers a and b
# run; "-" for what was not measured.
forwarding() {
	fw_what=$2 fw_hand=${4:-}
	fw_lines="a b"
	load b "$3" "pps $fw_what" || { echo "- - - - -"; return; }
	if [ -n "$fw_hand" ]; then
		load h "$fw_hand" "pps $fw_what" || { unline b; echo "- - - - -"; return; }
		fw_lines="e a b h"
	fi
	DESTS=$(sh bench/gen.sh -d "$1" $PPS_DESTS)
	log "pps $fw_what: destinations $(echo $DESTS)"
	for x in $fw_lines; do blast "$x" 1 "pps $fw_what warm-up" >/dev/null; done
	for f in b h bare e a; do : >"$tmp/ratio.$f"; : >"$tmp/pps.$f"; done
	i=1
	while [ "$i" -le "$BENCH_PPS_PAIRS" ]; do
		say "$fw_what: forwarding, round $i of $BENCH_PPS_PAIRS"
		for x in $fw_lines; do
			blast "$x" "$BENCH_PPS_SECONDS" "pps $fw_what round $i" >>"$tmp/pps.$x"
		done
		fw_a=$(tail -n 1 "$tmp/pps.a")
		quot "$(tail -n 1 "$tmp/pps.b")" "$fw_a" >>"$tmp/ratio.b"
		if [ -n "$fw_hand" ]; then
			quot "$(tail -n 1 "$tmp/pps.h")" "$fw_a" >>"$tmp/ratio.h"
			quot "$(tail -n 1 "$tmp/pps.b")" "$(tail -n 1 "$tmp/pps.e")" >>"$tmp/ratio.bare"
		fi
		i=$((i + 1))
	done
	fw_out=""
	for f in ratio.b ratio.h pps.a ratio.bare pps.e; do
		fw_out="$fw_out $(median <"$tmp/$f" | awk -v f="$f" '
			$1 == "-" { print; next }
			{ printf f ~ /^ratio/ ? "%.3f\n" : "%d\n", $1 }')"
	done
	log "pps $fw_what: medians (d6c/ct hand/ct ct_pps d6c/bare bare_pps):$fw_out"
	unline b
	unline h
	echo "${fw_out# }"
}

# ------------------------------------------------------------ the table
FMT='%7s %10s %9s %8s %9s %8s %8s %8s %9s %10s %8s %10s %9s %9s %8s\n'
printf "$FMT" N policy_B compile_s peak_MiB B/block nft_f_s apply_s ref_s fwd_ratio hand_ratio ct_pps bare_ratio bare_pps cnt_ratio cnt_ct >"$tmp/table"
if [ "$ROOT" = 1 ]; then
	echo "$CT" >"$tmp/ct.nft"
	{ line e && line a; } || die "cannot build the forwarding namespaces"
	ip netns exec "$P-ra" nft -f "$tmp/ct.nft" || die "cannot load the conntrack-only router"
fi
stop_nft=0 stop_apply=0 stop_ref=0
for n in $BENCH_N; do
	say "N=$n: generating"
	sh bench/gen.sh "$n" >"$tmp/p.pol"
	bytes=$(wc -c <"$tmp/p.pol")
	# The mix must be a valid policy at every size; warnings are fine.
	if ! "$D6C" check "$tmp/p.pol" 2>"$tmp/check"; then
		cat "$tmp/check" >&2
		die "N=$n: bench/gen.sh wrote a policy with errors"
	fi
	log "N=$n: policy $bytes bytes, check: $(grep -c warning: "$tmp/check") warnings"

	say "N=$n: compiling"
	t0=$(now)
	/usr/bin/time -f %M -o "$tmp/mem" "$D6C" compile -o "$tmp/p.nft" "$tmp/p.pol" 2>>"$LOG" ||
		die "N=$n: compile failed (see $LOG)"
	t1=$(now)
	ct=$(secs "$t0" "$t1")
	kib=$(tail -n 1 "$tmp/mem")
	mib=$(awk -v k="$kib" 'BEGIN { printf "%.1f\n", k / 1024 }')
	per=$((kib * 1024 / n))
	log "N=$n: compile ${ct}s, peak ${kib} KiB, output $(wc -c <"$tmp/p.nft") bytes"

	nft_t=- apply_t=- ref_t=- ratio=- hratio=- ctpps=- bratio=- bpps=- cratio=- cct=-
	if [ "$ROOT" = 1 ]; then
		if [ "$stop_nft" = 0 ]; then
			say "N=$n: nft -f"
			nft_t=$(fresh "N=$n nft -f" nft -f "$tmp/p.nft")
			over "$nft_t" "$LOAD_TIMEOUT" && stop_nft=1
		fi
		if [ "$stop_apply" = 0 ]; then
			say "N=$n: d6c apply"
			apply_t=$(fresh "N=$n d6c apply" "$D6C" apply "$tmp/p.pol")
			over "$apply_t" "$LOAD_TIMEOUT" && stop_apply=1
		fi
		if [ "$stop_ref" = 0 ]; then
			say "N=$n: reference shape, nft -f"
			sh bench/gen.sh -r "$n" >"$tmp/ref.nft"
			ref_t=$(fresh "N=$n reference nft -f ($(wc -c <"$tmp/ref.nft") bytes)" nft -f "$tmp/ref.nft")
			over "$ref_t" "$REF_LIMIT" && stop_ref=1
		fi
		case " $BENCH_PPS_N " in
		*" $n "*)
			sh bench/gen.sh -c "$n" >"$tmp/hand.nft"
			set -- $(forwarding "$n" "N=$n" "$tmp/p.nft" "$tmp/hand.nft")
			ratio=$1 hratio=$2 ctpps=$3 bratio=$4 bpps=$5
			if [ "$BENCH_COUNTERS" = 1 ]; then
				"$D6C" compile --counters -o "$tmp/pc.nft" "$tmp/p.pol" 2>>"$LOG" ||
					die "N=$n: compile --counters failed (see $LOG)"
				set -- $(forwarding "$n" "N=$n --counters" "$tmp/pc.nft")
				cratio=$1 cct=$3
			fi
			;;
		esac
	fi
	printf "$FMT" "$n" "$bytes" "$ct" "$mib" "$per" "$nft_t" "$apply_t" "$ref_t" "$ratio" "$hratio" "$ctpps" "$bratio" "$bpps" "$cratio" "$cct" >>"$tmp/table"
	tail -n 1 "$tmp/table" >&2
done

cat "$tmp/table"
cat <<EOF

N          blocks of bench/gen.sh's mix (per 20: 14 IPv6 /64 with shared rules,
           2 with own ports, 1 with ranges and from, 1 /128 host in a /64,
           1 IPv4 /28, 1 dual-stack)
policy_B   size of the policy
compile_s  wall time of d6c compile (text); peak_MiB its peak RSS (/usr/bin/time %M);
           B/block that peak in bytes per block
nft_f_s    nft -f of the compiled text into a fresh network namespace
apply_s    d6c apply of the policy (it compiles, then commits in-process through libnftables)
           into a fresh namespace
ref_s      nft -f of the reference "one jump per network" ruleset (bench/gen.sh -r):
           one ip6/ip daddr ... jump per network in the forward chain, one chain per
           network with d6c's rules, one rule per port, no sets
           >$LOAD_TIMEOUT: cut off at $LOAD_TIMEOUT s; -: not measured (a column stops
           after its first N over $LOAD_TIMEOUT s, ref_s after its first N over $REF_LIMIT s)
fwd_ratio  forwarded packets per second with d6c's ruleset / with a conntrack-only ruleset
           (a forward chain of "ct state established,related accept; ct state new accept":
           every packet tracked, nothing else), the median of the ratios of
           $BENCH_PPS_PAIRS interleaved rounds of ${BENCH_PPS_SECONDS}-s runs, one per router;
           64-byte UDP to port 5001, every packet a new conntrack flow (bench/flood.c),
           over up to $PPS_DESTS allowed IPv6 /64s spread over the policy; each run starts
           with the router's conntrack table flushed (bench/ctflush.c)
hand_ratio the same for the hand-written ruleset of the same networks (bench/gen.sh -c):
           one forward chain, conntrack, then (daddr . proto . port) concatenated sets
ct_pps     the conntrack-only router: median packets per second at the receiver
bare_ratio d6c's ruleset against a router with no ruleset at all (no conntrack either)
bare_pps   that router's median packets per second; ct_pps / bare_pps is what
           conntrack alone costs
cnt_ratio  BENCH_COUNTERS=1: fwd_ratio of the same policy compiled with --counters (a named
           counter on every rule), measured against the conntrack-only router of its own
           rounds; cnt_ct that router's median pps
raw log    $LOG
EOF

#!/bin/sh
# make bench-delta: what one change costs `d6c apply` on a large table,
# through the delta (compiler/delta.h) and whole, and what a whole load
# costs.  Numbers to read, never asserted.
#
# For each N (blocks of bench/gen.sh's mix) in a network namespace of its
# own: the first apply (a whole table), then REPEAT times each of
#   change   one block in the middle changed in place (a port added and
#            taken away again: its lines stay where they are)
#   add      one block added at the end
#   remove   the last block removed
#   middle   one block removed from the middle and put back (every later
#            line moves: the chains of the blocks after it are made again)
#   listed   the same one-block change with the record of the last commit
#            removed: the delta from nft's listing of the table
#   whole    the same one-block change with the priority changed as well
#            (no delta makes that): the whole table, for comparison
# Each row: the path apply took, and the medians of
#   commit   ms from starting `d6c apply` to the kernel's commit (the
#            generation announced over netlink, bench/commits.c)
#   wall     ms until apply exited (it fingerprints the table after the
#            commit, for the next delta)
#   compile  ms of `d6c compile` of the same policy to /dev/null: the part
#            of commit that is compiling, not applying
#
# Environment: D6C (./d6c), BENCH_DELTA_N ("1000 10000 100000"),
# BENCH_DELTA_REPEAT (5), CC (cc).  Needs root.
set -u
cd "$(dirname "$0")/.." || exit 2
D6C=$(realpath "${D6C:-./d6c}")
BENCH_DELTA_N=${BENCH_DELTA_N:-1000 10000 100000}
REPEAT=${BENCH_DELTA_REPEAT:-5}
[ "$(id -u)" = 0 ] || { echo "bench-delta: needs root (network namespaces)" >&2; exit 2; }

NS=d6cdelta$$
tmp=$(mktemp -d /tmp/d6c-delta.XXXXXX) || exit 2
cleanup() {
	trap - EXIT INT TERM HUP
	for pid in $(ip netns pids "$NS" 2>/dev/null); do kill "$pid" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
${CC:-cc} -O2 -Wall -Wextra -Werror -o "$tmp/commits" bench/commits.c -lmnl 2>"$tmp/cc.err" ||
	{ cat "$tmp/cc.err" >&2; echo "bench-delta: cannot build bench/commits.c" >&2; exit 2; }

cat >"$tmp/inner.sh" <<'INNER'
set -u
D6C=$1 N=$2 REPEAT=$3 tmp=$4 prio=""
export D6C_RUNDIR=$tmp/run
now() { date +%s%N; }
"$tmp/commits" >"$tmp/commits.log" &
mon=$!
sleep 0.2
pol=$tmp/site.pol
sh bench/gen.sh "$N" >"$pol"
lines=$(wc -l <"$pol")
mid=$(awk -v m=$((lines / 2)) 'NR >= m && /^network 2001:db8:[0-9a-f:]*::\/64 < allow tcp 22,80,443; allow udp 5001; allow icmp basic; >$/ { print NR; exit }' "$pol")
# one apply: "PATH COMMIT_MS WALL_MS"
one() {
	t0=$(now)
	"$D6C" apply $prio "$pol" >"$tmp/out" 2>&1 &
	pid=$!
	wait $pid || { cat "$tmp/out" >&2; exit 1; }
	t1=$(now)
	sleep 0.05
	tc=$(awk -v p=$pid '$3 == p { t = $1 } END { print t }' "$tmp/commits.log")
	how=$(sed -n 's/.*table inet d6c \([a-z]*\).*/\1/p' "$tmp/out")
	echo "$how $(( (tc - t0) / 1000000 )) $(( (t1 - t0) / 1000000 ))"
}
compile_ms() { t0=$(now); "$D6C" compile "$pol" >/dev/null; echo $(( ($(now) - t0) / 1000000 )); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# row OP: REPEAT runs of the edit named OP, one line of medians
row() {
	: >"$tmp/c" ; : >"$tmp/w"; : >"$tmp/k"; path=""
	i=0
	while [ $i -lt "$REPEAT" ]; do
		case $1 in
		change) sed -i "${mid}s/allow tcp 22,80,443;/allow tcp 22,80,443,8443;/" "$pol" ;;
		add) echo 'network 2001:db8:ffff:ffff::/64 < allow tcp 8443; >' >>"$pol" ;;
		remove) tail -n 1 "$pol" >"$tmp/last"; sed -i '$d' "$pol" ;;
		middle) sed -n "${mid}p" "$pol" >"$tmp/line"; sed -i "${mid}d" "$pol" ;;
		listed) rm -f "$D6C_RUNDIR"/*.applied
			sed -i "${mid}s/allow tcp 22,80,443;/allow tcp 22,80,443,8443;/" "$pol" ;;
		whole) prio="--priority -2"
			sed -i "${mid}s/allow tcp 22,80,443;/allow tcp 22,80,443,8443;/" "$pol" ;;
		esac
		set -- "$1" $(one)
		path=$2; echo "$3" >>"$tmp/c"; echo "$4" >>"$tmp/w"
		compile_ms >>"$tmp/k"
		# undo, outside the measurement
		case $1 in
		change | listed | whole) sed -i "${mid}s/allow tcp 22,80,443,8443;/allow tcp 22,80,443;/" "$pol"
			prio="" ;;
		add) sed -i '$d' "$pol" ;;
		remove) cat "$tmp/last" >>"$pol" ;;
		middle) sed -i "$((mid - 1))r $tmp/line" "$pol" ;;
		esac
		one >/dev/null
		i=$((i + 1))
	done
	printf '%-8s %7s %-8s %10s %8s %9s\n' "$N" "$1" "$path" "$(median <"$tmp/c")" \
		"$(median <"$tmp/w")" "$(median <"$tmp/k")"
}
set -- $(one)
printf '%-8s %7s %-8s %10s %8s %9s\n' "$N" first "$1" "$2" "$3" "$(compile_ms)"
for op in change add remove middle listed whole; do
	row $op
done
kill $mon
INNER

printf '%-8s %7s %-8s %10s %8s %9s\n' N edit path commit_ms wall_ms compile_ms
for n in $BENCH_DELTA_N; do
	ip netns add "$NS" || exit 2
	ip netns exec "$NS" sh "$tmp/inner.sh" "$D6C" "$n" "$REPEAT" "$tmp" || echo "bench-delta: N=$n failed" >&2
	for pid in $(ip netns pids "$NS" 2>/dev/null); do kill "$pid" 2>/dev/null; done
	ip netns del "$NS"
	rm -rf "$tmp/run"
done

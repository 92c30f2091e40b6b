#!/bin/sh
# bench/shapes.sh SHAPE N   a policy of N blocks of one shape, on standard output
# bench/shapes.sh           compile time and peak memory of every shape at
#                           1 000, 10 000 and 100 000 blocks (BENCH_SHAPES_N),
#                           a table on standard output; never asserted
#
# Shapes that bench/gen.sh's realistic mix does not have, each the worst
# case of one thing a large host writes:
#   from     every block allows its own port from the same 20 admin
#            prefixes (a define): the same 20-element source list N times
#   defines  50 defines of 20 ports that differ in one port each, every
#            block using one of them and a port of its own
#   dual     dual-stack blocks (an IPv6 /64 and an IPv4 /28 each), each
#            with a port of its own
#   nested   a /48 per 100 blocks, /64s inside it, a /128 host inside each
#            /64: prefixes within prefixes to flatten
#   ports    every block a list of 30 ports of its own (40 would pass the
#            limit of 4 000 000 words at 100 000 blocks)
#   mixed    the five above in turn, block b of shape b % 5 (nested's
#            prefixes under 2001:db8:8000::/33, apart from the others')
# and a last row, gen: bench/gen.sh's realistic mix of N blocks.
#
# compile_s is the time it took, cpu_s the processor time it used (user
# and system: on a busy machine the steadier of the two).  Columns t_x, c_x
# and m_x are the compile time, processor time and peak memory over those of
# the row above of the same shape: about 10 for a tenfold N when the cost
# is linear (less while a fixed cost dominates), about 100 when quadratic.
#
# Environment: D6C (./d6c), BENCH_SHAPES_N ("1000 10000 100000"),
# BENCH_SHAPES (the shapes, in this order: "from defines dual nested ports
# mixed gen").
set -u
cd "$(dirname "$0")/.." || exit 2

gen() {
	awk -v shape="$1" -v n="$2" '
	function v6(b) { return sprintf("2001:db8:%x:%x::", int(b / 65536), b % 65536) }
	function v4(b) { return sprintf("10.%d.%d.%d/28", int(b / 4096) % 256, int(b / 16) % 256, (b % 16) * 16) }
	function port(b) { return 1024 + b % 60000 }
	function from_defs(   i) {
		printf "define admins ="
		for (i = 0; i < 20; i++)
			printf "%s 2001:db8:ad%02x::/48", i ? "," : "", i
		print ";"
	}
	function defines_defs(   d, i) {
		for (d = 0; d < 50; d++) {
			printf "define web%d =", d
			for (i = 0; i < 20; i++)
				printf "%s %d", i ? "," : "", i == 19 ? 9000 + d : 8000 + i
			print ";"
		}
	}
	# block b of a shape, i its number among the blocks of its shape; the nested
	# /48s start at base, so that in the mixed shape they hold no other block
	function from(b) { printf "network %s/64 < allow tcp 22, %d from admins; allow icmp basic; >\n", v6(b), port(b) }
	function defines(b, i) { printf "network %s/64 < allow tcp web%d, %d; allow icmp basic; >\n", v6(b), i % 50, port(b) }
	function dual(b) { printf "network %s/64, %s < allow tcp 443, %d; allow icmp basic; >\n", v6(b), v4(b), port(b) }
	function nested(b, i, base,   g, r, p48) {
		# r 0 the /48, then /64s and their /128 hosts in turn
		g = int(i / 100); r = i % 100
		p48 = sprintf("2001:db8:%x", base + g)
		if (r == 0)
			printf "network %s::/48 < allow icmp basic; >\n", p48
		else if (r % 2)
			printf "network %s:%x::/64 < allow tcp 443, %d; >\n", p48, r, port(b)
		else
			printf "network %s:%x::10 < allow tcp 22 from %s:%x::/64; >\n", p48, r - 1, p48, r - 1
	}
	function ports(b,   i) {
		printf "network %s/64 < allow tcp", v6(b)
		for (i = 0; i < 30; i++)
			printf "%s %d", i ? "," : "", 1024 + (b * 30 + i) % 64000
		print "; >"
	}
	BEGIN {
		if (shape == "from") {
			from_defs()
			for (b = 0; b < n; b++)
				from(b)
		} else if (shape == "defines") {
			defines_defs()
			for (b = 0; b < n; b++)
				defines(b, b)
		} else if (shape == "dual") {
			for (b = 0; b < n; b++)
				dual(b)
		} else if (shape == "nested") {
			for (b = 0; b < n; b++)
				nested(b, b, 0)
		} else if (shape == "ports") {
			for (b = 0; b < n; b++)
				ports(b)
		} else if (shape == "mixed") {
			from_defs()
			defines_defs()
			for (b = 0; b < n; b++) {
				k = b % 5
				if (k == 0) from(b)
				else if (k == 1) defines(b, int(b / 5))
				else if (k == 2) dual(b)
				else if (k == 3) nested(b, int(b / 5), 32768)
				else ports(b)
			}
		} else {
			print "shapes.sh: unknown shape " shape > "/dev/stderr"
			exit 2
		}
	}'
}

if [ $# -ge 2 ]; then
	gen "$1" "$2"
	exit
fi
[ $# = 0 ] || { echo "usage: bench/shapes.sh [SHAPE N]" >&2; exit 2; }
D6C=${D6C:-./d6c}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
printf '%-8s %7s %9s %10s %6s %9s %8s %8s %6s %6s %6s\n' shape N policy_B compile_s cpu_s peak_MiB B/block rules t_x c_x m_x
for shape in ${BENCH_SHAPES:-from defines dual nested ports mixed gen}; do
	pt=; pc=; pm=
	for n in ${BENCH_SHAPES_N:-1000 10000 100000}; do
		if [ "$shape" = gen ]; then
			sh bench/gen.sh "$n" >"$tmp/p.pol"
		else
			gen "$shape" "$n" >"$tmp/p.pol"
		fi
		/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$D6C" compile -o "$tmp/p.nft" "$tmp/p.pol" 2>"$tmp/err" ||
			{ echo "bench: $shape $n: compile failed" >&2; head -5 "$tmp/err" >&2; continue; }
		set -- $(cat "$tmp/time")
		rules=$(grep -c ' comment "' "$tmp/p.nft")
		awk -v s="$shape" -v n="$n" -v b="$(wc -c <"$tmp/p.pol")" -v t="$1" -v m="$2" -v c="$3 $4" -v r="$rules" \
			-v pt="$pt" -v pc="$pc" -v pm="$pm" '
			function x(v, p) { return p == "" ? "-" : p > 0 ? sprintf("%.1f", v / p) : "inf" }
			BEGIN {
				split(c, us)   # user and system seconds
				printf "%-8s %7d %9d %10.3f %6.2f %9.1f %8d %8d %6s %6s %6s\n", s, n, b, t, us[1] + us[2],
					m / 1024, m * 1024 / n, r, x(t, pt), x(us[1] + us[2], pc), x(m, pm)
			}'
		pt=$1; pc=$(echo "$3 $4" | awk '{ print $1 + $2 }'); pm=$2
	done
done

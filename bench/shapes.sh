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
#
# Environment: D6C (./d6c), BENCH_SHAPES_N ("1000 10000 100000").
set -u
cd "$(dirname "$0")/.." || exit 2

gen() {
	awk -v shape="$1" -v n="$2" '
	function v6(b) { return sprintf("2001:db8:%x:%x::", int(b / 65536), b % 65536) }
	function v4(b) { return sprintf("10.%d.%d.%d/28", int(b / 4096) % 256, int(b / 16) % 256, (b % 16) * 16) }
	function port(b) { return 1024 + b % 60000 }
	BEGIN {
		if (shape == "from") {
			printf "define admins ="
			for (i = 0; i < 20; i++)
				printf "%s 2001:db8:ad%02x::/48", i ? "," : "", i
			print ";"
			for (b = 0; b < n; b++)
				printf "network %s/64 < allow tcp 22, %d from admins; allow icmp basic; >\n", v6(b), port(b)
		} else if (shape == "defines") {
			for (d = 0; d < 50; d++) {
				printf "define web%d =", d
				for (i = 0; i < 20; i++)
					printf "%s %d", i ? "," : "", i == 19 ? 9000 + d : 8000 + i
				print ";"
			}
			for (b = 0; b < n; b++)
				printf "network %s/64 < allow tcp web%d, %d; allow icmp basic; >\n", v6(b), b % 50, port(b)
		} else if (shape == "dual") {
			for (b = 0; b < n; b++)
				printf "network %s/64, %s < allow tcp 443, %d; allow icmp basic; >\n", v6(b), v4(b), port(b)
		} else if (shape == "nested") {
			# block b: r 0 the /48, then /64s and their /128 hosts in turn
			for (b = 0; b < n; b++) {
				g = int(b / 100); r = b % 100
				p48 = sprintf("2001:db8:%x", g)
				if (r == 0)
					printf "network %s::/48 < allow icmp basic; >\n", p48
				else if (r % 2)
					printf "network %s:%x::/64 < allow tcp 443, %d; >\n", p48, r, port(b)
				else
					printf "network %s:%x::10 < allow tcp 22 from %s:%x::/64; >\n", p48, r - 1, p48, r - 1
			}
		} else if (shape == "ports") {
			for (b = 0; b < n; b++) {
				printf "network %s/64 < allow tcp", v6(b)
				for (i = 0; i < 30; i++)
					printf "%s %d", i ? "," : "", 1024 + (b * 30 + i) % 64000
				print "; >"
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
printf '%-8s %7s %9s %10s %9s %8s %8s\n' shape N policy_B compile_s peak_MiB B/block rules
for shape in from defines dual nested ports; do
	for n in ${BENCH_SHAPES_N:-1000 10000 100000}; do
		gen "$shape" "$n" >"$tmp/p.pol"
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$D6C" compile -o "$tmp/p.nft" "$tmp/p.pol" 2>"$tmp/err" ||
			{ echo "bench: $shape $n: compile failed" >&2; head -5 "$tmp/err" >&2; continue; }
		set -- $(cat "$tmp/time")
		rules=$(grep -c ' comment "' "$tmp/p.nft")
		awk -v s="$shape" -v n="$n" -v b="$(wc -c <"$tmp/p.pol")" -v t="$1" -v m="$2" -v r="$rules" \
			'BEGIN { printf "%-8s %7d %9d %10.3f %9.1f %8d %8d\n", s, n, b, t, m / 1024, m * 1024 / n, r }'
	done
done

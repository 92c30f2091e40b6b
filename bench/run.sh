#!/bin/sh
# make bench: compile time, peak memory and nft's own check time for
# policies of growing size.  Numbers to read and compare, never asserted.
set -eu
cd "$(dirname "$0")/.."
D6C=${D6C:-./d6c}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '%8s %10s %12s %10s %12s %10s\n' networks bytes compile_s peak_kib nft_check_s out_lines
for n in 100 1000 10000 50000; do
	sh bench/gen.sh "$n" >"$tmp/p.pol"
	start=$(date +%s.%N)
	/usr/bin/time -f '%M' -o "$tmp/mem" $D6C compile -o "$tmp/p.nft" "$tmp/p.pol"
	end=$(date +%s.%N)
	# A private namespace of the init user namespace: under `unshare -rn`
	# nft cannot enlarge its netlink buffer and big batches fail with
	# "Message too long".
	if [ "$n" -le 10000 ] && [ "$(id -u)" = 0 ] && ip netns add "d6cbench$$" 2>/dev/null; then
		s2=$(date +%s.%N); ip netns exec "d6cbench$$" nft -c -f "$tmp/p.nft"; e2=$(date +%s.%N)
		ip netns del "d6cbench$$"
		nftt=$(echo "$e2 - $s2" | bc)
	else
		nftt=-
	fi
	printf '%8d %10d %12.3f %10d %12s %10d\n' "$n" "$(wc -c <"$tmp/p.pol")" \
		"$(echo "$end - $start" | bc)" "$(cat "$tmp/mem")" "$nftt" "$(wc -l <"$tmp/p.nft")"
done

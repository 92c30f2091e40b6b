#!/bin/sh
# Defines that name defines are sets, not lists: a chain of defines each
# naming the previous one 8 times stays one value deep (found by fuzzing;
# before, it grew as 8^depth: gigabytes, millions of warnings).  Asserted on
# what is printed, not on time.
set -eu
: "${D6C:=./d6c}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for pol in tests/fuzz/crashes/*.pol; do
	$D6C compile "$pol" >"$tmp/out" 2>"$tmp/err" || { echo "$pol failed"; cat "$tmp/err" | head; exit 1; }
	# at most two warnings: one at the chain, and a policy of defines
	# alone protects nothing (D6C-W020)
	[ "$(wc -l <"$tmp/err")" -le 6 ] || { echo "$pol: $(wc -l <"$tmp/err") lines of diagnostics"; exit 1; }
	[ "$(wc -l <"$tmp/out")" -le 60 ] || { echo "$pol: $(wc -l <"$tmp/out") lines of output"; exit 1; }
done
# Repeated sources in a from list are one set element.
printf 'define a = 2001:db8:1::/64, 2001:db8:1::/64;\nnetwork 2001:db8::/64 < allow tcp 22 from a, 2001:db8:1::/64, a; >\n' >"$tmp/dup.pol"
$D6C compile "$tmp/dup.pol" >"$tmp/dup.nft"
grep -q 'ip6 saddr 2001:db8:1::/64 tcp dport 22 accept' "$tmp/dup.nft" || { grep saddr "$tmp/dup.nft"; exit 1; }

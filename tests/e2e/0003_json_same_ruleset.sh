#!/bin/sh
# The JSON backend loads with nft -j -f (twice: it replaces its table too) and
# gives the kernel the same ruleset as the text backend, with and without
# named counters (--counters; with --accept-mark too, whose chain
# accept_any_source has counted rules of its own), and with named sets.
# nftables 1.0.6 ignores chain comments in JSON input, so those lines (a
# chain comment is a line of its own: a rule's comment ends the rule's line)
# are left out of the comparison.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
same() {  # same POLICY [OPTION]...
	pol=$1; shift
	$D6C compile "$@" "$pol" >"$tmp/t.nft"
	$D6C compile --format json "$@" "$pol" >"$tmp/j.json"
	unshare -rn sh -c "$NFT -j -f '$tmp/j.json' && $NFT -j -f '$tmp/j.json' && $NFT list ruleset" >"$tmp/from-json"
	unshare -rn sh -c "$NFT -f '$tmp/t.nft' && $NFT list ruleset" | grep -v '^		comment "' >"$tmp/from-text"
	if ! cmp -s "$tmp/from-json" "$tmp/from-text"; then
		echo "$pol $*: JSON and text load differently"; diff -u "$tmp/from-text" "$tmp/from-json" | head -30; exit 1
	fi
	[ "$(grep -c '^table inet d6c' "$tmp/from-json")" -eq 1 ] || { echo "$pol $*: JSON load twice left two tables"; exit 1; }
}
for pol in examples/*.pol; do
	same "$pol"
	same "$pol" --counters
	# every rule counted: as many `counter name` as rules with a comment,
	# but a limited log's own rule (a log and no verdict: it decides
	# nothing, the rule after it counts the same packets)
	rules=$(grep ' comment "' "$tmp/from-text" | grep -vc ' log prefix "[^"]*" \(group [0-9]* \)\?comment "')
	counted=$(grep -c 'counter name "[a-z_0-9]*" ' "$tmp/from-text")
	[ "$rules" = "$counted" ] || { echo "$pol --counters: $counted of $rules rules counted"; exit 1; }
done
same examples/full.pol --counters --accept-mark 0x10
grep -q 'counter name "accept_any_source_2" meta mark set' "$tmp/from-text" ||
	{ echo "full.pol --counters --accept-mark: accept_any_source not counted"; exit 1; }
# named sets shared by rules (lists of more than 16 sources, ports, ICMP
# types): declared alike, named alike
for pol in tests/packet/cases/shared_sets.pol tests/diff/regress/shared_sets.pol; do
	same "$pol"
	grep -q '^	set [pst][46]*_[0-9a-f]\{12\} {$' "$tmp/from-text" || { echo "$pol: no named set"; exit 1; }
done

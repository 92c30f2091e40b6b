#!/bin/sh
# d6c stats against real counters: a router namespace between a sender and
# a receiver carries a policy applied with counters; pings through it move
# the counter of the line that allowed them (and the replies' table-wide
# one), an untouched line says never matched, a block sharing a chain says
# where it is counted, --json parses to the same numbers, --reset zeroes.
# And each refusal, with its message and exit status: no table, a table
# without counters, a table of another policy, a policy with errors, no
# CAP_NET_ADMIN.
set -u
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d)
s=d6c-e2e-$$-s r=d6c-e2e-$$-r c=d6c-e2e-$$-c
trap 'for n in $s $r $c; do ip netns del $n 2>/dev/null; done; rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL $*"; failed=1; }
expect() {  # expect STATUS DESCRIPTION -- COMMAND...
	want=$1 what=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"; got=$?
	[ "$got" = "$want" ] || { fail "$what: exit $got, expected $want"; cat "$tmp/out" "$tmp/err"; }
}
has() {  # has FILE TEXT DESCRIPTION
	grep -qF -- "$2" "$1" || { fail "$3: '$2' not in $1:"; head -20 "$1"; }
}
# the line of stats' text output for POLICY:LINE
row() { grep -F "$tmp/p.pol:$1 " "$tmp/out"; }
num() { row "$1" | awk '{ print $1 }'; }

for n in $s $r $c; do ip netns add $n || exit 1; ip -n $n link set lo up; done
ip -n $s link add s0 type veth peer name r0 netns $r
ip -n $r link add r1 type veth peer name c0 netns $c
ip -n $s link set s0 up; ip -n $r link set r0 up; ip -n $r link set r1 up; ip -n $c link set c0 up
ip -n $s addr add 2001:db8:1::1/64 dev s0 nodad
ip -n $r addr add 2001:db8:1::2/64 dev r0 nodad
ip -n $r addr add 2001:db8:2::1/64 dev r1 nodad
ip -n $c addr add 2001:db8:2::2/64 dev c0 nodad
ip -n $s -6 route add default via 2001:db8:1::2
ip -n $c -6 route add default via 2001:db8:2::1
ip netns exec $r sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/forwarding'

chmod 755 "$tmp"
cat >"$tmp/p.pol" <<'POL'
# stats e2e
network 2001:db8:2::/64 <
    allow icmp echo-request;
    allow tcp 22;
>
network 2001:db8:3::/64 <
    allow icmp echo-request;
    allow tcp 22;
>
network 2001:db8:4::/64 < reject tcp 25 log; default drop log; >
POL
printf 'network 2001:db8:2::/64 < allow icmp echo-request; >\n' >"$tmp/other.pol"
printf 'network 2001:db8:2::1/64 < allow tcp 22; >\n' >"$tmp/bad.pol"
chmod 644 "$tmp"/*.pol
R="ip netns exec $r"

expect 2 "no table" -- $R $D6C stats "$tmp/p.pol"
has "$tmp/err" "d6c: table inet d6c is not loaded" "no table"
has "$tmp/err" "d6c apply --counters" "no table: the way out"
[ -s "$tmp/out" ] && fail "no table: printed something"

expect 0 "apply without counters" -- $R $D6C apply "$tmp/p.pol"
expect 2 "no counters" -- $R $D6C stats "$tmp/p.pol"
has "$tmp/err" "table inet d6c has no counters: it was applied without them" "no counters"
has "$tmp/err" "'counters;'" "no counters: the statement"

expect 0 "apply another policy" -- $R $D6C apply --counters "$tmp/other.pol"
expect 2 "another policy's table" -- $R $D6C stats "$tmp/p.pol"
has "$tmp/err" "the table in force, table inet d6c, is not what $tmp/p.pol compiles to" "mismatch"
[ -s "$tmp/out" ] && fail "mismatch: printed counts"
expect 2 "another policy's table, --reset" -- $R $D6C stats --reset "$tmp/p.pol"
has "$tmp/err" "nothing was reset" "mismatch --reset"
expect 2 "--accept-mark not as applied" -- $R $D6C stats --accept-mark 0x10 "$tmp/other.pol"
has "$tmp/err" "is not what" "mismatch by --accept-mark"

expect 1 "policy with errors" -- $R $D6C stats "$tmp/bad.pol"
has "$tmp/err" "host bits set" "policy with errors"
expect 2 "no POLICY" -- $R $D6C stats
expect 2 "--counters is not stats'" -- $R $D6C stats --counters "$tmp/p.pol"
expect 2 "no CAP_NET_ADMIN" -- $R setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all $D6C stats "$tmp/p.pol"
has "$tmp/err" "d6c: stats needs CAP_NET_ADMIN" "no CAP_NET_ADMIN"

# the policy with counters: three pings through the router, each its own
# process and so its own ICMP id and conntrack flow, whose first packet the
# block's rule decides (the later ones of one flow pass as replies)
# first, until the router has its neighbours (the links' own addresses are
# still in duplicate address detection for a while): not counted, the apply
# below starts the counters afresh
i=0
until ip netns exec $s ping -6 -c 1 -W 1 2001:db8:2::2 >/dev/null; do
	i=$((i + 1)); [ $i -lt 10 ] || { fail "no ping through the router in 10 s"; break; }
done
expect 0 "apply --counters" -- $R $D6C apply --counters "$tmp/p.pol"
for i in 1 2 3; do
	ip netns exec $s ping -6 -c 1 -W 2 2001:db8:2::2 >/dev/null || fail "ping $i through the router"
done
expect 0 "stats" -- $R $D6C stats "$tmp/p.pol"
[ "$(num 3)" -ge 3 ] 2>/dev/null || fail "the echo-request line counts $(num 3), fewer than 3 pings"
row 4 | grep -q 'allow tcp 22;    (never matched)$' || fail "tcp 22 is not marked never matched: $(row 4)"
row 6 | grep -q "network 2001:db8:3::/64 <    (counted with the block at $tmp/p.pol:2)" ||
	fail "the second block does not say where it is counted: $(row 6)"
row 2 | grep -q 'never matched' || fail "the network line (invalid, default) saw packets: $(row 2)"
grep 'replies to allowed connections' "$tmp/out" | awk '{ exit !($1 >= 3) }' ||
	fail "the replies' counter is under 3"
row 7 >/dev/null && fail "a line of the sharing block's rules is listed"
# a logged rule is two in the table (the limited log, then the verdict):
# one counter, on the verdict
row 10 | grep -q 'network 2001:db8:4::/64 < reject tcp 25 log; default drop log; >    (never matched)$' ||
	fail "the logged block's line: $(row 10)"

expect 0 "stats --json" -- $R $D6C stats --json "$tmp/p.pol"
jq -e --arg f "$tmp/p.pol" '.table == "d6c" and .policy == $f and .reset == false
	and ([.lines[] | select(.line == 3)][0] | .packets >= 3 and .never_matched == false and .text == "allow icmp echo-request;")
	and ([.lines[] | select(.line == 4)][0] | .packets == 0 and .never_matched and .counters == ["net_1_3"])
	and ([.lines[] | select(.line == 6)][0] | .counted_with == {"file": $f, "line": 2})
	and ([.lines[] | select(.line == 10)][0] | .counters | length == 3)
	and ([.table_wide[] | select(.what | startswith("replies"))][0] | .packets >= 3)' "$tmp/out" >/dev/null ||
	{ fail "stats --json"; cat "$tmp/out"; }
cp "$tmp/out" "$tmp/stats.json"

expect 0 "stats --reset" -- $R $D6C stats --reset "$tmp/p.pol"
[ "$(num 3)" -ge 3 ] 2>/dev/null || { fail "--reset does not print the counts it zeroes"; cat "$tmp/out"; }
has "$tmp/out" "now reset to 0" "--reset says so"
expect 0 "stats after --reset" -- $R $D6C stats --json "$tmp/p.pol"
jq -e '[.lines[], .table_wide[] | select(.packets != null) | .packets] | all(. == 0)' "$tmp/out" >/dev/null ||
	{ fail "counters not zero after --reset"; cat "$tmp/out"; }
$R $NFT list counters table inet d6c | grep -q 'packets [1-9]' && fail "nft still sees counts after --reset"

# --table: stats reads the table it is told
expect 0 "apply --table" -- $R $D6C apply --counters --table fw6 "$tmp/other.pol"
expect 0 "stats --table" -- $R $D6C stats --table fw6 "$tmp/other.pol"
has "$tmp/out" "table inet fw6" "stats --table"
exit $failed

#!/bin/sh
# Docker networks by name, without a Docker daemon: `docker "NAME"` resolved
# from a saved Engine API answer (--docker-state), every diagnostic of the
# feature at its FILE:LINE:COL, and what happens when no daemon answers.
# The real daemon (--docker, apply, --follow-docker) is tests/docker's.
#
# The snapshot tests/unit/data/docker-networks.json is a real GET /networks
# of Docker 20.10: fixed6 172.30.1.0/24 + 2001:db8:d0c::/64, pool6
# 172.30.2.0/24 + 2001:db8:d00::/64, dual 192.0.2.0/24 + 2001:db8:d0d::/64,
# bridge 172.30.0.0/24, hostbits (2001:db8:d0e::1/64 as Docker stores it),
# host and none (no subnet).
. "$(dirname "$0")/../lib.sh"
: "${NFT:=nft}"
STATE=tests/unit/data/docker-networks.json
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# run NAME STATUS COMMAND...: stdout in $tmp/out, stderr in $tmp/err
run() {
	name=$1 want=$2; shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"; got=$?
	if [ "$got" = "$want" ]; then ok "$name: exit $got"; else
		fail "$name: exit $got, expected $want"; sed 's/^/    /' "$tmp/err" | head -8; fi
}
# has NAME FILE TEXT: a fixed string in $tmp/FILE
has() {
	if grep -qF -- "$3" "$tmp/$2"; then ok "$1: $3"; else
		fail "$1: '$3' not in $2:"; sed 's/^/    /' "$tmp/$2" | head -12; fi
}
hasnt() {
	if grep -qF -- "$3" "$tmp/$2"; then fail "$1: '$3' in $2"; else ok "$1: no '$3'"; fi
}

cat >"$tmp/p.pol" <<'POL'
define frontends = docker "dual";
network docker "fixed6" < allow tcp 22; >
network docker "pool6", 2001:db8:ffff::/64 < allow tcp 80 from frontends; reject tcp 25; >
network 2001:db8:d00::/56 < default drop; >
POL

# --- resolved from the snapshot: both families, ownership, comments
run resolve 0 $D6C compile --docker-state $STATE "$tmp/p.pol"
cp "$tmp/out" "$tmp/p.nft"
has resolve out "2001:db8:d0c::/64 : jump net_1,"
has resolve out "172.30.1.0/24 : jump net_1,"
has resolve out "172.30.2.0/24 : jump net_2,"
has resolve out "2001:db8:ffff::/64 : jump net_2,"
# pool6's /64 is more specific than the /56 block: it stays net_2's
has resolve out "2001:db8:d00::/64 : jump net_2,"
has resolve out "2001:db8:d00:1::-2001:db8:d00:ff:ffff:ffff:ffff:ffff : jump net_3,"
has resolve out 'comment "network at '"$tmp"'/p.pol:2 (docker fixed6)"'
has resolve out 'comment "network at '"$tmp"'/p.pol:3 (docker pool6)"'
has resolve out 'ip6 saddr 2001:db8:d0d::/64 tcp dport 80 accept'
has resolve out 'ip saddr 192.0.2.0/24 tcp dport 80 accept'
[ -s "$tmp/err" ] && fail "resolve: diagnostics: $(head -3 "$tmp/err")" || ok "resolve: quiet"
# nft -c needs a network namespace: a user may make one only where the
# kernel lets users have user namespaces (make check runs as anyone).
if ! unshare -rn true 2>/dev/null; then
	echo "SKIP resolve: nft -c: no user namespaces here"
elif unshare -rn $NFT -c -f "$tmp/p.nft" 2>"$tmp/nft.err"; then ok "resolve: nft takes it"; else
	fail "resolve: nft refuses: $(head -3 "$tmp/nft.err")"; fi
run json 0 $D6C compile -f json --docker-state $STATE "$tmp/p.pol"
has json out '"addr": "2001:db8:d0c::"'
# The same policy with the prefixes written out gives the same rules.
sed 's/docker "dual"/192.0.2.0\/24, 2001:db8:d0d::\/64/; s/docker "fixed6"/172.30.1.0\/24, 2001:db8:d0c::\/64/; s/docker "pool6"/172.30.2.0\/24, 2001:db8:d00::\/64/' \
	"$tmp/p.pol" >"$tmp/written.pol"
$D6C compile "$tmp/written.pol" 2>/dev/null | sed "s|written.pol|p.pol|g; s| (docker [a-z0-9]*)||" >"$tmp/written.nft"
sed "s| (docker [a-z0-9]*)||" "$tmp/p.nft" >"$tmp/p-plain.nft"
if cmp -s "$tmp/written.nft" "$tmp/p-plain.nft"; then ok "resolved = written"; else
	fail "resolved prefixes compile differently from the written ones:"; diff "$tmp/written.nft" "$tmp/p-plain.nft" | head; fi
# Docker's host bits are masked, as Docker itself routes the /64
printf 'network docker "hostbits" < allow tcp 22; >\n' >"$tmp/hb.pol"
run hostbits 0 $D6C compile --docker-state $STATE "$tmp/hb.pol"
has hostbits out "2001:db8:d0e::/64 : jump net_1"
# check, explain and test take the same option
run check 0 $D6C check --docker-state $STATE "$tmp/p.pol"
run explain 0 $D6C explain --docker-state $STATE "$tmp/p.pol" 'tcp 2001:db8:d0d::9 -> 2001:db8:d00::10 port 80'
has explain out "accept"
has explain out "(2001:db8:d00::/64, Docker network pool6)"
run explain-json 0 $D6C explain --json --docker-state $STATE "$tmp/p.pol" 'tcp 2001:db8:1::9 -> 2001:db8:d00::10 port 80'
has explain-json out '"prefix":"2001:db8:d00::/64","docker":"pool6"'
printf 'expect tcp 2001:db8:d0d::9 -> 2001:db8:d00::10 port 80 accept;\nexpect tcp 2001:db8:1::9 -> 2001:db8:d00::10 port 80 drop;\nexpect tcp 2001:db8:1::9 -> 2001:db8:d0c::10 port 25 drop;\n' >"$tmp/p.test"
run test 0 $D6C test --docker-state $STATE "$tmp/p.pol" "$tmp/p.test"
has test out "3 passed, 0 failed"

# --- without a state: one error, at the first name, saying how to resolve
run unasked 1 $D6C compile "$tmp/p.pol"
has unasked err "p.pol:1:20: error: docker \"dual\" names a Docker network, which is resolved only when asked: add --docker"
has unasked err "[D6C-E101]"
[ "$(grep -c 'error:' "$tmp/err")" = 1 ] && ok "unasked: said once" || fail "unasked: $(grep -c 'error:' "$tmp/err") errors"
[ -s "$tmp/out" ] && fail "unasked: wrote output" || ok "unasked: no output"
run unasked-check 1 $D6C check "$tmp/p.pol"
run both-options 2 $D6C compile --docker --docker-state $STATE "$tmp/p.pol"
run apply-option 2 $D6C apply --docker-state $STATE "$tmp/p.pol"
# a policy without names never asks Docker, even when told to
printf 'network 2001:db8::/64 < allow tcp 22; >\n' >"$tmp/plain.pol"
run no-names 0 env DOCKER_HOST=unix://$tmp/nothing.sock $D6C compile --docker "$tmp/plain.pol"

# --- a name Docker does not know: the closest names first
printf 'network docker "fixd6" < allow tcp 22; >\n' >"$tmp/typo.pol"
run unknown 1 $D6C compile --docker-state $STATE "$tmp/typo.pol"
has unknown err "typo.pol:1:9: error: Docker has no network named \"fixd6\" [D6C-E103]"
has unknown err "Docker's networks (from $STATE), closest first: \"fixed6\", \"pool6\","
has unknown err "and 2 more"
printf 'network docker "none" < allow tcp 22; >\n' >"$tmp/none.pol"
run no-subnet 1 $D6C compile --docker-state $STATE "$tmp/none.pol"
has no-subnet err "none.pol:1:9: error: Docker network \"none\" has no IP subnet to protect"
printf '[]' >"$tmp/empty.json"
run empty-state 1 $D6C compile --docker-state "$tmp/empty.json" "$tmp/typo.pol"
has empty-state err "Docker has no networks at all (from $tmp/empty.json)"

# --- the spelling
printf 'network dockr "app" < allow tcp 22; >\nnetwork "app" < allow tcp 22; >\nnetwork docker "" < allow tcp 22; >\n' >"$tmp/spell.pol"
run spelling 1 $D6C check --docker-state $STATE "$tmp/spell.pol"
has spelling err "spell.pol:1:9: error: a quoted name here must follow 'docker' (a Docker network: docker \"app\"), not 'dockr' [D6C-E100]"
has spelling err "spell.pol:2:9: error: a string is no address; to name a Docker network write docker \"app\" [D6C-E100]"
has spelling err "spell.pol:3:9: error: docker needs a network name, as in docker \"myapp_default\" [D6C-E105]"
# 'docker' stays a name a define may have
printf 'define docker = 2001:db8::/64;\nnetwork docker < allow tcp 22; >\n' >"$tmp/defname.pol"
run define-named-docker 0 $D6C compile "$tmp/defname.pol"
# the formatter keeps the spelling
printf 'network   docker   "app",2001:db8::/64<allow tcp 22 from docker "b";>\n' >"$tmp/fmt.pol"
run fmt 0 $D6C fmt "$tmp/fmt.pol"
has fmt out 'network docker "app", 2001:db8::/64 < allow tcp 22 from docker "b"; >'

# --- every check applies to resolved prefixes as to written ones
printf 'network docker "fixed6" < allow tcp 22; >\nnetwork 2001:db8:d0c::/64 < allow tcp 80; >\n' >"$tmp/twice.pol"
run two-blocks 1 $D6C compile --docker-state $STATE "$tmp/twice.pol"
has two-blocks err "twice.pol:2:9: error: 2001:db8:d0c::/64 is already protected by the block at line 1"
printf 'network 2001:db8:d0c::/64 < allow tcp 80; >\nnetwork docker "fixed6" < allow tcp 22; >\n' >"$tmp/twice2.pol"
run two-blocks-named 1 $D6C compile --docker-state $STATE "$tmp/twice2.pol"
has two-blocks-named err "2001:db8:d0c::/64 (Docker network \"fixed6\") is already protected by the block at line 1"
printf 'network docker "fixed6" < allow tcp 22 from docker "bridge"; >\n' >"$tmp/family.pol"
run source-family 0 $D6C compile --docker-state $STATE "$tmp/family.pol"
has source-family out 'ip saddr 172.30.0.0/24 tcp dport 22 accept'
printf 'network docker "fixed6", 2001:db8:d0c::/64 < allow tcp 22; >\n' >"$tmp/dup.pol"
run duplicate-prefix 0 $D6C check --docker-state $STATE "$tmp/dup.pol"
has duplicate-prefix err "dup.pol:1:26: warning: 2001:db8:d0c::/64 is listed twice in this block [D6C-W010]"

# --- Docker 28's NAT gateway mode (D6C-W014): tests/unit/data/docker28-networks.json
# is GET /networks of a dockerd 28.5.2 with natnet (NAT: 2001:db8:d0d::/64,
# 172.30.1.0/24) and routednet (gateway_mode_ipv6=routed: 2001:db8:d0e::/64)
STATE28=tests/unit/data/docker28-networks.json
cat >"$tmp/nat.pol" <<'POL'
network docker "natnet" < allow tcp 80; >
network docker "routednet" < allow tcp 80; >
  network 2001:db8:d0d::10, 2001:db8:ffff::/64 < allow tcp 22; >
network 2001:db8:d0d::/60 < allow tcp 25; >
POL
run nat-mode 0 $D6C check --docker-state $STATE28 "$tmp/nat.pol"
has nat-mode err "nat.pol:1:1: warning: Docker network \"natnet\" (2001:db8:d0d::/64) is in NAT gateway mode for IPv6: Docker drops packets routed to its containers in raw PREROUTING, before any forward chain, so this block's allows cannot take effect; recreate the network with -o com.docker.network.bridge.gateway_mode_ipv6=routed [D6C-W014]"
# a written prefix inside the network's subnet: its block, at its column
has nat-mode err "nat.pol:3:3: warning: Docker network \"natnet\" (2001:db8:d0d::/64) is in NAT gateway mode for IPv6"
hasnt nat-mode err "routednet"
# the /60 covers natnet's /64, but the block at line 1 owns it
hasnt nat-mode err "nat.pol:4:"
[ "$(grep -c 'D6C-W014' "$tmp/err")" = 2 ] && ok "nat-mode: two warnings" ||
	fail "nat-mode: $(grep -c 'D6C-W014' "$tmp/err") warnings, expected 2"
run nat-werror 1 $D6C check --werror --docker-state $STATE28 "$tmp/nat.pol"
run nat-json 0 $D6C check -f json --docker-state $STATE28 "$tmp/nat.pol"
has nat-json out '"code": "D6C-W014"'
run nat-compile 0 $D6C compile --docker-state $STATE28 "$tmp/nat.pol"
has nat-compile err "[D6C-W014]"
# Docker 20.10's networks (no gateway modes) never warn: see "resolve: quiet";
# nor does a policy that names no Docker network (Docker is not asked)
printf 'network 2001:db8:d0d::/64 < allow tcp 80; >\n' >"$tmp/natplain.pol"
run nat-unnamed 0 $D6C check --docker-state $STATE28 "$tmp/natplain.pol"
hasnt nat-unnamed err "D6C-W014"

# --- a dual-stack network as a source of an IPv4-only block: its IPv6
# subnet can never match (D6C-W011), and no edit avoids that; silenced by
# a comment on the line, on the line before, for the file, or for the run,
# check --werror passes (LANGUAGE.md, "Silencing a warning")
printf 'network 198.51.100.0/24 <\n    allow tcp 22 from docker "dual";\n>\n' >"$tmp/w11.pol"
run w011 1 $D6C check --werror --docker-state $STATE "$tmp/w11.pol"
has w011 err "w11.pol:2:23: warning: source 2001:db8:d0d::/64 is IPv6 and can never match in this IPv4-only block; it is ignored [D6C-W011]"
printf 'network 198.51.100.0/24 <\n    allow tcp 22 from docker "dual"; # d6c: disable W011 -- IPv4 side only\n>\n' >"$tmp/w11-line.pol"
printf 'network 198.51.100.0/24 <\n    # d6c: disable D6C-W011 -- IPv4 side only\n\n    allow tcp 22 from docker "dual";\n>\n' >"$tmp/w11-next.pol"
printf '# d6c: disable-file W011\nnetwork 198.51.100.0/24 <\n    allow tcp 22 from docker "dual";\n>\n' >"$tmp/w11-file.pol"
for w in line next file; do
	run "w011-$w" 0 $D6C check --werror --docker-state $STATE "$tmp/w11-$w.pol"
	[ -s "$tmp/err" ] && fail "w011-$w: said $(head -1 "$tmp/err")" || ok "w011-$w: quiet"
done
run w011-run 0 $D6C check --werror --disable W011 --docker-state $STATE "$tmp/w11.pol"
[ -s "$tmp/err" ] && fail "w011-run: said $(head -1 "$tmp/err")" || ok "w011-run: quiet"
# the same for compile: a ruleset, nothing said
run w011-compile 0 $D6C compile --werror --disable W005,W011 --docker-state $STATE "$tmp/w11.pol"
has w011-compile out "ip saddr 192.0.2.0/24 tcp dport 22 accept"
# silenced, yet in the JSON document, marked
run w011-json 0 $D6C check -f json --werror --docker-state $STATE "$tmp/w11-line.pol"
has w011-json out '"kind": "inSource"'
has w011-json out '"justification": "IPv4 side only"'
run w011-json-run 0 $D6C check -f json --disable W011 --docker-state $STATE "$tmp/w11.pol"
has w011-json-run out '"kind": "external"'
# a line-directive silences its line only: the block's other line still warns
printf 'network 198.51.100.0/24 <\n    allow tcp 22 from docker "dual"; # d6c: disable W011\n    allow tcp 25 from docker "dual";\n>\n' >"$tmp/w11-two.pol"
run w011-other-line 1 $D6C check --werror --docker-state $STATE "$tmp/w11-two.pol"
has w011-other-line err "w11-two.pol:3:23: warning: source 2001:db8:d0d::/64"
hasnt w011-other-line err "w11-two.pol:2:"

# --- bad snapshots and daemons that do not answer: Docker's networks could
# not be read, a system error (exit 2, as an unreadable POLICY), nothing
# written; the message still says which file or socket
printf '{"not": "a list"' >"$tmp/bad.json"
run bad-state 2 $D6C compile --docker-state "$tmp/bad.json" -o "$tmp/kept.nft" "$tmp/p.pol"
has bad-state err "p.pol:1:20: error: cannot resolve docker \"dual\":"
has bad-state err "[D6C-E102]"
[ -e "$tmp/kept.nft" ] && fail "bad-state: wrote -o" || ok "bad-state: -o not written"
run missing-state 2 $D6C compile --docker-state "$tmp/nope.json" "$tmp/p.pol"
has missing-state err "$tmp/nope.json"
run no-daemon 2 env DOCKER_HOST=unix://$tmp/nothing.sock $D6C compile --docker "$tmp/p.pol"
has no-daemon err "cannot reach the Docker daemon at unix://$tmp/nothing.sock"
run check-no-daemon 2 env DOCKER_HOST=unix://$tmp/nothing.sock $D6C check --docker "$tmp/p.pol"
has check-no-daemon err "p.pol:1:20: error: cannot resolve docker \"dual\": cannot reach the Docker daemon at unix://$tmp/nothing.sock"
# errors in the policy too: still 2, the worse of the two (the check was
# not complete); both are reported
printf 'network docker "web" < allow tcp 70000; >\n' >"$tmp/both.pol"
run errors-no-daemon 2 env DOCKER_HOST=unix://$tmp/nothing.sock $D6C check --docker "$tmp/both.pol"
has errors-no-daemon err "both.pol:1:9: error: cannot resolve docker \"web\""
has errors-no-daemon err "both.pol:1:34: error: port 70000 is out of range"
# several files: the worst status, 2, though plain.pol is fine
run check-many-no-daemon 2 env DOCKER_HOST=unix://$tmp/nothing.sock $D6C check --docker "$tmp/plain.pol" "$tmp/p.pol"
# explain and test say the same
run explain-no-daemon 2 env DOCKER_HOST=unix://$tmp/nothing.sock $D6C explain --docker "$tmp/p.pol" 'tcp 2001:db8::1 -> 2001:db8::2 port 22'
printf 'expect tcp 2001:db8::1 -> 2001:db8:d00::2 port 22 drop;\n' >"$tmp/p.pol.test"
run test-no-daemon 2 env DOCKER_HOST=unix://$tmp/nothing.sock $D6C test --docker "$tmp/p.pol"
has test-no-daemon out "0 passed, 1 failed"
run ssh-host 2 env DOCKER_HOST=ssh://builder $D6C check --docker "$tmp/p.pol"
has ssh-host err "DOCKER_HOST=ssh://builder is not supported"

# --- apply resolves at apply time: no daemon, nothing applied, ruleset kept
if [ "$(id -u)" = 0 ] && unshare -rn true 2>/dev/null; then
	printf 'table inet d6c {\n\tchain keep {\n\t}\n}\n' >"$tmp/old.nft"
	unshare -rn sh -c "$NFT -f '$tmp/old.nft' && DOCKER_HOST=unix://$tmp/nothing.sock $D6C apply '$tmp/p.pol'; echo \"rc=\$?\"; $NFT list ruleset" >"$tmp/out" 2>"$tmp/err"
	has apply-no-daemon out "rc=2"
	has apply-no-daemon out "chain keep"
	has apply-no-daemon err "nothing was applied"
	has apply-no-daemon err "cannot reach the Docker daemon"
else
	echo "SKIP apply without a daemon: needs root and user namespaces"
fi
finish

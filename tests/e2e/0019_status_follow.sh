#!/bin/sh
# status says whether apply --follow-docker runs: the follower holds a lock
# in the run directory for as long as it lives.  A second follower of the
# same table is refused.  No Docker is needed: with no daemon the follower
# applies the policy and keeps retrying.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp examples/site.pol "$tmp/site.pol"; chmod 755 "$tmp"; chmod 644 "$tmp/site.pol"
cat >"$tmp/inner.sh" <<INNER
set -u
export D6C_RUNDIR="$tmp/run" DOCKER_HOST="unix://$tmp/no-docker.sock"
fail() { echo "\$*"; [ -n "\${pid:-}" ] && kill "\$pid" 2>/dev/null; exit 1; }
$D6C apply --follow-docker "$tmp/site.pol" >"$tmp/follow.out" 2>&1 &
pid=\$!
i=0
until $NFT list table inet d6c >/dev/null 2>&1; do
	i=\$((i + 1)); [ \$i -lt 100 ] || fail "the follower applied nothing in 10 s"
	sleep 0.1
done
$D6C status >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "status of a followed table"; }
grep -q "follow    apply --follow-docker runs (pid \$pid)" "$tmp/out" || { cat "$tmp/out"; fail "no follower"; }
$D6C apply --follow-docker "$tmp/site.pol" >"$tmp/second" 2>&1 && fail "a second follower ran"
grep -q "another 'd6c apply --follow-docker' of table inet d6c is running (pid \$pid)" "$tmp/second" ||
	{ cat "$tmp/second"; fail "the second follower said"; }
kill "\$pid"; wait "\$pid" 2>/dev/null
$D6C status >"$tmp/out" 2>&1
grep -q 'follow    no apply --follow-docker runs' "$tmp/out" || { cat "$tmp/out"; fail "follower still shown"; }
INNER
unshare -rn sh "$tmp/inner.sh"

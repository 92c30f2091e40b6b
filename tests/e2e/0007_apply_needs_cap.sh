#!/bin/sh
# Without CAP_NET_ADMIN, apply says so and exits 2; a policy error is still
# exit 1 and nothing is applied.
set -eu
: "${D6C:=./d6c}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp examples/site.pol "$tmp/site.pol"; chmod 755 "$tmp"; chmod 644 "$tmp/site.pol"
set +e
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
	$D6C apply "$tmp/site.pol" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" = 2 ] || { echo "exit $rc without CAP_NET_ADMIN"; cat "$tmp/err"; exit 1; }
grep -q 'CAP_NET_ADMIN' "$tmp/err" || { cat "$tmp/err"; exit 1; }
printf 'network 2001:db8::1/64 < allow tcp 22; >\n' >"$tmp/bad.pol"
set +e
unshare -rn $D6C apply "$tmp/bad.pol" 2>"$tmp/err2"; rc=$?
set -e
[ "$rc" = 1 ] || { echo "policy error gave exit $rc"; exit 1; }
grep -q 'nothing was applied' "$tmp/err2" || { cat "$tmp/err2"; exit 1; }

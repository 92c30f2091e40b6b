#!/bin/sh
# explain and test: golden cases, the examples' test files, and the same
# expectations checked with real packets.
#
#   cases/NAME.cmd   d6c's arguments (shell words, may redirect stdin)
#   cases/NAME.out   expected standard output, NAME.err standard error,
#   cases/NAME.rc    expected exit status
# D6C_GOLDEN_UPDATE=1 rewrites .out/.err/.rc; review the diff like code.
#
# Then: every example has a test file that `d6c test` passes, and, as root,
# `d6c test --kernel` passes it too with both backends (a SKIP outside CI
# only, as in the packet suite: D6C_PACKET_REQUIRED=1 makes it a failure).
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for cmd in tests/explain/cases/*.cmd; do
	base=${cmd%.cmd}
	(eval "\$D6C $(cat "$cmd")") >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ -n "${D6C_GOLDEN_UPDATE:-}" ]; then
		cp "$tmp/out" "$base.out"; cp "$tmp/err" "$base.err"; echo "$rc" >"$base.rc"
	fi
	for part in out err; do
		if cmp -s "$tmp/$part" "$base.$part"; then ok "$base.$part"; else
			fail "$base: standard ${part}put differs from $base.$part:"
			diff -u "$base.$part" "$tmp/$part" | head -20
		fi
	done
	[ "$rc" = "$(cat "$base.rc")" ] && ok "$base exit $rc" || fail "$base: exit $rc, expected $(cat "$base.rc")"
done

# explain --json gives one valid JSON object per packet
$D6C explain --json examples/full.pol 'tcp 2001:db8:1::2 -> 2001:db8::10 port 22' - \
	<tests/explain/cases/stdin.in >"$tmp/json" 2>&1
if [ "$(wc -l <"$tmp/json")" -eq 4 ] && python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert o["verdict"] in ("accept", "drop", "reject"), o
    assert o["connection"] == "new"
' "$tmp/json"; then ok "explain --json: 4 packets, 4 JSON objects"; else
	fail "explain --json output:"; head -5 "$tmp/json"; fi

# every example has a test file, and it passes
for pol in examples/*.pol; do
	if [ ! -f "$pol.test" ]; then fail "$pol has no test file $pol.test"; continue; fi
	$D6C test "$pol" >"$tmp/out" 2>"$tmp/err"; rc=$?
	last=$(tail -1 "$tmp/out")
	if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ] && case $last in *" passed, 0 failed") true ;; *) false ;; esac; then
		ok "$pol.test: $last"
	else
		fail "$pol.test: exit $rc, '$last':"; cat "$tmp/err"
	fi
done

# the same expectations with real packets through both backends
if [ "$(id -u)" != 0 ]; then
	if [ -n "${D6C_PACKET_REQUIRED:-}" ]; then fail "d6c test --kernel needs root"
	else echo "SKIP d6c test --kernel: not root"; fi
	finish; exit
fi
for pol in examples/*.pol; do
	for fmt in text json; do
		$D6C test --kernel --format "$fmt" "$pol" >"$tmp/out" 2>"$tmp/err"; rc=$?
		last=$(tail -1 "$tmp/out")
		if [ "$rc" -eq 0 ] && case $last in *" passed, 0 failed") true ;; *) false ;; esac; then
			ok "$pol.test --kernel [$fmt]: $last"
		else
			fail "$pol.test --kernel [$fmt]: exit $rc, '$last':"; cat "$tmp/err"
		fi
	done
done
# a failing expectation fails in the kernel too, and names the decider
$D6C test --kernel examples/full.pol tests/explain/cases/failing.test >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ "$rc" -eq 1 ] && [ "$(tail -1 "$tmp/out")" = "1 passed, 5 failed" ] &&
	grep -q "failing.test:2:8: error: expected accept, the kernel gave drop through the text ruleset" "$tmp/err" &&
	grep -q "note: the rule that decides it" "$tmp/err"; then
	ok "test --kernel reports failures like test"
else
	fail "test --kernel of failing.test: exit $rc:"; cat "$tmp/out" "$tmp/err" | head -30
fi
# no namespace is left behind, whatever happened
finish

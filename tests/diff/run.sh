#!/bin/sh
# Differential testing: the evaluator (compiler/eval.c) against real packets
# through a real kernel (runtime/probe.c) that carries the compiled
# ruleset, in text and JSON, and reached by apply's delta from another
# policy's table (difftest.c says from which).
#
# 1. Random policies from a fixed seed, each with a batch of packets biased
#    to the edges of its prefixes, ports and ICMP types, and for half of the
#    seeds some protected prefixes routed to the container side, so that
#    packets from them arriving from the outside are forged: every verdict
#    the evaluator gives must be what the kernel does.  A disagreement prints
#    the seed, the packet and a minimised policy that still shows it.
#    Each policy's lint claims that a rule changes nothing (D6C-W001, W002,
#    W003, W016, W017) are checked with the evaluator too (lintcheck.c).
# 2. The regression cases tests/diff/regress/NAME.pol + NAME.packets:
#    verdicts checked by hand against the language contract, which the
#    evaluator and the kernel must both give (see tests/diff/replay.c for
#    the format, `kernel >= X.Y` and `known`).
#
# A long run: make difftest COUNT=2000 SEED=7.
#
# Environment: D6C_DIFFTEST (default build/difftest), D6C_DIFF_SEED
# (default 1), D6C_DIFF_COUNT (policies, default 40), D6C_DIFF_PACKETS
# (per policy, default 40), D6C_FORMATS (default "text json delta"),
# D6C_PACKET_REQUIRED=1 (fail instead of skipping without root/namespaces),
# VERBOSE=1 (every regression case's summary).
. "$(dirname "$0")/../lib.sh"
: "${D6C_DIFFTEST:=build/difftest}" "${D6C_DIFF_SEED:=1}" "${D6C_DIFF_COUNT:=40}"
: "${D6C_DIFF_PACKETS:=40}" "${D6C_FORMATS:=text json delta}"
FORMATS=$(echo $D6C_FORMATS | tr ' ' ',')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

skip() {
	if [ -n "${D6C_PACKET_REQUIRED:-}" ]; then
		fail "differential tests cannot run: $*"
	else
		echo "SKIP differential tests: $*"
	fi
	finish
	exit
}

[ "$(id -u)" = 0 ] || skip "not root"
if [ ! -x "$D6C_DIFFTEST" ]; then
	fail "$D6C_DIFFTEST is not built (make build/difftest)"
	finish
	exit
fi

# run NAME ARGS...: runs difftest, shows its report, adds its closing
# "N passed, M failed" line to this suite's counts.
run() {
	name=$1
	shift
	"$D6C_DIFFTEST" --formats "$FORMATS" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q -e 'cannot build the kernel topology' -e 'needs root' "$tmp/err"; then
		skip "$(cat "$tmp/err")"
	fi
	grep -v '^[0-9]* passed, [0-9]* failed$' "$tmp/out"
	cat "$tmp/err"
	counts=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$tmp/out" | tail -1)
	if [ -z "$counts" ]; then
		fail "$name: difftest ended without its counts (exit $rc)"
		return
	fi
	set -- $counts
	PASS=$((PASS + $1))
	FAIL=$((FAIL + $2))
	# A failure without a failed count (a system error): still a failure.
	[ $rc -eq 0 ] || [ "$2" -gt 0 ] || fail "$name: difftest exited $rc"
}

run "random policies" --seed "$D6C_DIFF_SEED" --count "$D6C_DIFF_COUNT" --packets "$D6C_DIFF_PACKETS"
set -- tests/diff/regress/*.pol
if [ -f "$1" ]; then
	run "regression cases" --replay "$@"
else
	fail "no regression cases in tests/diff/regress/"
fi
finish

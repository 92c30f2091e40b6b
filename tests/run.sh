#!/bin/sh
# Runs the cmocka unit binaries given as arguments, then each tests/*/run.sh
# (or only the suites D6C_SUITES names, e.g. "bad warn": make check's;
# D6C_SKIP_SUITES names suites to leave out, e.g. "fleet").
# Adds up what each reported and prints the closing line (tests/README.md).
# D6C names the binary under test (so D6C='valgrind ./d6c' works).
set -u
cd "$(dirname "$0")/.."
: "${D6C:=./d6c}"
export D6C
passed=0 failed=0 broken=""
log=$(mktemp); trap 'rm -f "$log"' EXIT

count() {  # $1: suite name; adds the counts found in $log
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^\([0-9]*\) passed, [0-9]* failed$/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p; s/^[0-9]* passed, \([0-9]*\) failed$/\1/p' "$log" | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
}

for t in "$@"; do
	echo "== $t"
	"$t" >"$log" 2>&1; rc=$?
	grep -v '^\[ \(RUN\|       OK\) ' "$log"
	count
	[ "$rc" -eq 0 ] || broken="$broken $t"
done
if [ -n "${D6C_SUITES:-}" ]; then
	suites=$(for s in $D6C_SUITES; do echo "tests/$s/run.sh"; done)
else
	suites=$(echo tests/*/run.sh)
fi
for suite in $suites; do
	case " ${D6C_SKIP_SUITES:-} " in
	*" $(basename "$(dirname "$suite")") "*) echo "== $suite: not run (D6C_SKIP_SUITES)"; continue ;;
	esac
	if [ ! -f "$suite" ]; then
		echo "== $suite: no such suite"; broken="$broken $suite"; continue
	fi
	echo "== $suite"
	start=$(date +%s)
	sh "$suite" >"$log" 2>&1; rc=$?
	cat "$log"
	count
	# the suite's wall time, to see where make test and CI spend theirs
	echo "== $suite: $(($(date +%s) - start)) s"
	[ "$rc" -eq 0 ] || broken="$broken $suite"
done
echo
if [ -n "$broken" ]; then
	echo "failing:$broken"
	[ "$failed" -gt 0 ] || failed=1
fi
echo "total: $passed passed, $failed failed"
[ -z "$broken" ]

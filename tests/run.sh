#!/bin/sh
# Runs every suite: unit binaries (arguments), then each tests/*/run.sh.
# Each suite prints its own results; this prints the closing count line.
# D6C names the binary under test (so D6C='valgrind ./d6c' works).
set -u
cd "$(dirname "$0")/.."
: "${D6C:=./d6c}"
export D6C
passed=0 failed=0 failed_names=""
for t in "$@"; do
	if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names="$failed_names $t"; fi
done
for suite in tests/*/run.sh; do
	[ -f "$suite" ] || continue
	echo "== $suite"
	if sh "$suite"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names="$failed_names $suite"; fi
done
echo
[ -n "$failed_names" ] && echo "failed suites:$failed_names"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

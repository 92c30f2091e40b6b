# Shared helpers for the file-driven suites; sourced, not run.
# Each suite counts with ok/fail and ends with `finish`, which prints the
# closing "N passed, N failed" line that tests/run.sh adds up.
set -u
cd "$(dirname "$0")/../.." || exit 2
: "${D6C:=./d6c}"
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $*"; return 0; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $*"; return 0; }
finish() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; }

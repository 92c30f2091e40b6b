#!/bin/sh
# Runs libFuzzer targets for SECONDS each, two processes at a time, and fails
# on any finding (crash, leak, timeout over 10 s, more than 2 GB).
#   sh tests/fuzz/fuzz.sh SECONDS TARGET...     (make fuzz FUZZ_SECONDS=N)
# TARGET is a name after build-fuzz/fuzz_ (compile, include, packet, ...).
# Each starts from its committed seeds, tests/fuzz/corpus/TARGET/, which are
# never written: what a run finds goes to $FUZZ_WORK/corpus/TARGET/ (kept for
# the next run), findings to $FUZZ_WORK/artifacts/TARGET/, logs to
# $FUZZ_WORK/logs/.  FUZZ_WORK defaults to build-fuzz.
#
# Two at a time, pair by pair; with an odd number of targets the last one
# runs as two processes of SECONDS/2 each on the same corpus, so every
# target gets SECONDS of one core and the wall time is SECONDS * targets / 2.
set -u
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 SECONDS TARGET..." >&2; exit 2; }
secs=$1; shift
: "${FUZZ_WORK:=build-fuzz}"
BIN=${FUZZ_BIN:-build-fuzz}
mkdir -p "$FUZZ_WORK/logs"

. tests/fuzz/dicts.sh

# run TARGET SECONDS LOG: one libFuzzer process; its exit status.
run() {
	t=$1
	mkdir -p "$FUZZ_WORK/corpus/$t" "$FUZZ_WORK/artifacts/$t"
	maxlen=4096
	[ "$t" = include ] && maxlen=8192
	[ "$t" = delta ] && maxlen=8192   # two scripts
	"$BIN/fuzz_$t" -max_total_time="$2" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
		-dict="$(dict_of "$t")" -print_final_stats=1 \
		-artifact_prefix="$FUZZ_WORK/artifacts/$t/" \
		"$FUZZ_WORK/corpus/$t" "tests/fuzz/corpus/$t" >"$3" 2>&1
}

# report TARGET LOG STATUS: one line of numbers, and the finding if any.
status=0
report() {
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$2")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$2")
	corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' "$2" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$2" | tail -1)
	if [ "$3" -eq 0 ] && grep -q '^Done [0-9]* runs' "$2"; then
		echo "fuzz_$1: ok, ${execs:-?} runs, ${rate:-?}/s, corpus ${corp:-?}, cov ${cov:-?} ($2)"
	else
		status=1
		what=$(grep -m1 -o 'ERROR: \(AddressSanitizer\|LeakSanitizer\|libFuzzer\|UndefinedBehaviorSanitizer\): [^ ]*\|SUMMARY: UndefinedBehaviorSanitizer: [^ ]*\|runtime error: .*' "$2")
		unit=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$2" | head -1)
		echo "fuzz_$1: FOUND ${what:-exit status $3}, after ${execs:-?} runs; input: ${unit:-none written}; log: $2"
		grep -m12 '^    #[0-9]' "$2" | sed 's/^/    /'
	fi
}

set -- "$@"
while [ $# -gt 0 ]; do
	if [ $# -eq 1 ]; then
		# The odd one out: two processes, half the time each.
		half=$(( (secs + 1) / 2 ))
		run "$1" "$half" "$FUZZ_WORK/logs/$1.log" & p1=$!
		run "$1" "$half" "$FUZZ_WORK/logs/$1.2.log" & p2=$!
		wait $p1; r1=$?
		wait $p2; r2=$?
		report "$1" "$FUZZ_WORK/logs/$1.log" $r1
		report "$1" "$FUZZ_WORK/logs/$1.2.log" $r2
		shift
	else
		run "$1" "$secs" "$FUZZ_WORK/logs/$1.log" & p1=$!
		run "$2" "$secs" "$FUZZ_WORK/logs/$2.log" & p2=$!
		wait $p1; r1=$?
		wait $p2; r2=$?
		report "$1" "$FUZZ_WORK/logs/$1.log" $r1
		report "$2" "$FUZZ_WORK/logs/$2.log" $r2
		shift 2
	fi
done
[ $status -eq 0 ] && echo "fuzz: no findings" || echo "fuzz: findings above; each input reproduces with: $BIN/fuzz_TARGET FILE"
exit $status

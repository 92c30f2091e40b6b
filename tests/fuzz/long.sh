#!/bin/sh
# Long fuzzing runs: each TARGET for SECONDS, two processes at a time, in
# libFuzzer's fork mode so that a finding is saved and the run goes on.
#   make fuzz-build && sh tests/fuzz/long.sh 900 compile include packet testfile docker_state
# Starts from the committed seeds and $FUZZ_WORK/long/corpus/TARGET/ (where
# new inputs go: keep them out of git, or merge a minimised set with
# tests/fuzz/merge.sh); findings go to $FUZZ_WORK/long/artifacts/TARGET/,
# logs to $FUZZ_WORK/long/TARGET.log, whose last "#N:" line counts the runs.
set -u
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: $0 SECONDS TARGET..." >&2; exit 2; }
secs=$1; shift
: "${FUZZ_WORK:=build-fuzz}"
W=$FUZZ_WORK/long
mkdir -p "$W"
. tests/fuzz/dicts.sh
# Fork mode starts a process per job: from a copy of the binaries, so that a
# rebuild during the run does not make jobs exec a half-written file.
mkdir -p "$W/bin"
for t; do cp "build-fuzz/fuzz_$t" "$W/bin/"; done
one() {
	mkdir -p "$W/corpus/$1" "$W/artifacts/$1"
	maxlen=4096
	[ "$1" = include ] && maxlen=8192
	"$W/bin/fuzz_$1" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
		-dict="$(dict_of "$1")" -artifact_prefix="$W/artifacts/$1/" \
		"$W/corpus/$1" "tests/fuzz/corpus/$1" >"$W/$1.log" 2>&1
	echo "fuzz_$1: exit $?; $(grep '^#[0-9]*:' "$W/$1.log" | tail -1); findings: $(ls "$W/artifacts/$1" | wc -l)"
}
while [ $# -gt 0 ]; do
	one "$1" & p1=$!
	p2=
	[ $# -ge 2 ] && { one "$2" & p2=$!; }
	wait $p1
	[ -n "$p2" ] && wait $p2
	shift; [ $# -gt 0 ] && shift
done

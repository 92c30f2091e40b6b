#!/bin/sh
# Runs tests/fuzz/fuzz_compile on one core (fork mode, so one crash does not
# end the run).  SECONDS_TOTAL (default 1200).
#   sh tests/fuzz/build.sh && sh tests/fuzz/fuzz.sh
# It runs in a scratch directory so that `include` (relative to the cwd for
# parse_string) reads only the fixtures copied there: tests/bad/inc as inc/
# and examples/split as split/; everything else fails to be found.  The
# harness skips inputs whose strings start with '/', '.' or '~'.
# New corpus entries go to tests/fuzz/corpus-run/ (the seeds stay as they are);
# crashes, timeouts, leaks and OOMs to tests/fuzz/artifacts/.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCRATCH=${SCRATCH:-$(mktemp -d /tmp/d6c-fuzz-XXXXXX)}
mkdir -p "$SCRATCH" "$HERE/corpus-run" "$HERE/artifacts"
cp -r "$ROOT/tests/bad/inc" "$SCRATCH/inc"
cp -r "$ROOT/examples/split" "$SCRATCH/split"
cd "$SCRATCH"
exec "$HERE/fuzz_compile" -dict="$HERE/policy.dict" \
	-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="${SECONDS_TOTAL:-1200}" -max_len=2048 \
	-timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$HERE/artifacts/" "$@" \
	"$HERE/corpus-run" "$HERE/corpus"

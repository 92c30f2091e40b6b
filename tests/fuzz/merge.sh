#!/bin/sh
# Adds to tests/fuzz/corpus/TARGET/ the inputs of a long run
# ($FUZZ_WORK/long/corpus/TARGET/) that reach code the committed seeds do
# not, as libFuzzer's -merge=1 chooses them, into a fresh copy of the seeds
# (so the seeds keep their names and only the additions are new).  Edges
# alone count (-use_counters=0): with hit counts too, a 15-minute run adds
# thousands of files for a few lines.
#   sh tests/fuzz/merge.sh TARGET...
set -eu
cd "$(dirname "$0")/../.."
: "${FUZZ_WORK:=build-fuzz}"
for t; do
	fresh=$(mktemp -d)
	cp tests/fuzz/corpus/$t/* "$fresh/"
	before=$(ls "$fresh" | wc -l)
	build-fuzz/fuzz_$t -merge=1 -use_counters=0 -timeout=10 -rss_limit_mb=2048 "$fresh" "$FUZZ_WORK/long/corpus/$t" \
		>"$FUZZ_WORK/merge-$t.log" 2>&1
	added=0
	for f in "$fresh"/*; do
		b=$(basename "$f")
		[ -e "tests/fuzz/corpus/$t/$b" ] && continue
		cp "$f" "tests/fuzz/corpus/$t/min_$b"
		added=$((added + 1))
	done
	echo "corpus/$t: $before seeds, $added added ($(du -sh tests/fuzz/corpus/$t | cut -f1))"
	rm -rf "$fresh"
done

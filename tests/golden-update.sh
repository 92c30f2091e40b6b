#!/bin/sh
# Rewrites the expected outputs from the current compiler.  Review the diff
# (git diff examples/ tests/bad/) like code before committing it.
set -e
cd "$(dirname "$0")/.."
for pol in examples/*.pol; do
	./d6c compile "$pol" >"${pol%.pol}.nft"
	./d6c compile --format json "$pol" >"${pol%.pol}.json"
done
for pol in tests/bad/*.pol; do
	./d6c compile "$pol" >/dev/null 2>"${pol%.pol}.err" || true
done
echo "rewritten; review with: git diff examples/ tests/bad/"

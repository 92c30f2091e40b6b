#!/bin/sh
# Line coverage that the fuzz targets' corpora reach, per source file.
#   sh tests/fuzz/cov.sh [TARGET...]     (default: all five)
# Builds the targets with clang source-based coverage and no sanitizers
# (make FUZZ=cov, in build-fuzzcov/), replays each target's committed seeds
# and what long runs found ($FUZZ_WORK/long/corpus/TARGET, $FUZZ_WORK/corpus/TARGET)
# once, and prints llvm-cov's report over all of them together and per target.
set -eu
cd "$(dirname "$0")/../.."
: "${FUZZ_WORK:=build-fuzz}"
[ $# -gt 0 ] || set -- compile include packet testfile docker_state
LLVM_COV=${LLVM_COV:-$(command -v llvm-cov-14 || echo llvm-cov)}
LLVM_PROFDATA=${LLVM_PROFDATA:-$(command -v llvm-profdata-14 || echo llvm-profdata)}
make --no-print-directory FUZZ=cov CC="${FUZZ_CC:-clang}" CFLAGS='-O1 -g' $(for t; do echo build-fuzzcov/fuzz_$t; done) >/dev/null
P=build-fuzzcov/prof
rm -rf "$P"; mkdir -p "$P"
objs=""
for t; do
	dirs=""
	for d in tests/fuzz/corpus/$t "$FUZZ_WORK/long/corpus/$t" "$FUZZ_WORK/corpus/$t"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	LLVM_PROFILE_FILE="$P/$t.profraw" build-fuzzcov/fuzz_$t -runs=0 $dirs >"$P/$t.log" 2>&1
	"$LLVM_PROFDATA" merge -sparse "$P/$t.profraw" -o "$P/$t.profdata"
	objs="$objs -object build-fuzzcov/fuzz_$t"
done
"$LLVM_PROFDATA" merge -sparse "$P"/*.profraw -o "$P/all.profdata"
SRCS="compiler/*.c runtime/*.c cli/*.c build-fuzzcov/parser.c build-fuzzcov/lexer.c grammar/parser.y grammar/lexer.l"
echo "== all targets"
# shellcheck disable=SC2086
"$LLVM_COV" report ${objs# -object} -instr-profile="$P/all.profdata" $SRCS
for t; do
	echo "== fuzz_$t"
	# shellcheck disable=SC2086
	"$LLVM_COV" report build-fuzzcov/fuzz_$t -instr-profile="$P/$t.profdata" $SRCS | tail -1
done

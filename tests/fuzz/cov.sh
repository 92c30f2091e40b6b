#!/bin/sh
# Line/branch coverage of compiler/ and the generated parser reached by a
# corpus:  sh tests/fuzz/cov.sh [CORPUS_DIR...]   (default: corpus-run corpus)
# Builds tests/fuzz/fuzz_compile_cov with clang source-based coverage (no
# sanitizers), replays the corpus once in a scratch directory laid out as
# fuzz.sh does, and prints llvm-cov's report.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
make build/parser.c build/lexer.c build/parser.h build/lexer.h >/dev/null
SRCS=$(ls compiler/*.c | grep -v '^compiler/main\.c$')
clang -g -O1 -fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping \
	-I. -Ibuild -D_GNU_SOURCE -std=gnu11 -DD6C_VERSION='"fuzz"' \
	-o "$HERE/fuzz_compile_cov" tests/fuzz/fuzz_compile.c $SRCS build/parser.c build/lexer.c -ljansson
[ $# -gt 0 ] || set -- "$HERE/corpus-run" "$HERE/corpus"
SCRATCH=$(mktemp -d /tmp/d6c-fuzzcov-XXXXXX)
cp -r tests/bad/inc "$SCRATCH/inc"
cp -r examples/split "$SCRATCH/split"
ABS=""
for d in "$@"; do ABS="$ABS $(cd "$d" && pwd)"; done
(cd "$SCRATCH" && LLVM_PROFILE_FILE="$SCRATCH/cov.profraw" \
	"$HERE/fuzz_compile_cov" -runs=0 $ABS >/dev/null 2>&1)
llvm-profdata merge -sparse "$SCRATCH/cov.profraw" -o "$SCRATCH/cov.profdata"
llvm-cov report "$HERE/fuzz_compile_cov" -instr-profile="$SCRATCH/cov.profdata" \
	$SRCS build/parser.c build/lexer.c grammar/parser.y grammar/lexer.l
rm -rf "$SCRATCH"

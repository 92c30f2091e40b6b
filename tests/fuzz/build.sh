#!/bin/sh
# Builds tests/fuzz/fuzz_compile (libFuzzer + ASan + UBSan) from a checkout.
#   sh tests/fuzz/build.sh        (from anywhere)
set -eu
cd "$(dirname "$0")/../.."
CC=${CC:-clang}
OUT=${OUT:-tests/fuzz/fuzz_compile}
# The generated scanner and parser: build/parser.c, build/lexer.c (and .h).
make build/parser.c build/lexer.c build/parser.h build/lexer.h >/dev/null
# lint.c judges rules with the evaluator's predicate, so eval.c comes too.
SRCS="$(ls compiler/*.c | grep -v '^compiler/main\.c$') runtime/eval.c"
$CC -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -I. -Ibuild -D_GNU_SOURCE -std=gnu11 \
	-DD6C_VERSION='"fuzz"' \
	-o "$OUT" tests/fuzz/fuzz_compile.c $SRCS build/parser.c build/lexer.c -ljansson
echo "built $OUT"

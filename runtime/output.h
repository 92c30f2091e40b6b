/*
 * output.h - writing a compiled ruleset to a file, whole or not at all.
 */
#ifndef D6C_OUTPUT_H
#define D6C_OUTPUT_H

#include <stdio.h>

#include "compiler/ir.h"

typedef int output_emit_fn(const struct ir_policy *ir, FILE *out);

/* Writes emit's output to path.  A regular file (or a missing one) is
 * replaced atomically: a temporary file beside it, renamed over it only when
 * complete, so on any failure path keeps its old contents.  A symbolic link
 * is followed to its target; a device or FIFO (/dev/stdout, a pipe) is
 * written directly.  Returns 0, or -1 with "cannot write 'PATH': REASON" in
 * err (the runtime's convention, apply.h). */
int output_write(const char *path, const struct ir_policy *ir, output_emit_fn *emit, char *err,
		 size_t errlen);

/* output_write() for text already in memory (d6c fmt -w). */
int output_write_text(const char *path, const char *text, size_t len, char *err, size_t errlen);

/* emit's whole output as a malloc'ed string (the caller frees it), as
 * `nft -f` or libnftables read it; NULL only when out of memory. */
char *output_string(const struct ir_policy *ir, output_emit_fn *emit);

#endif

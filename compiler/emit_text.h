/*
 * emit_text.h - the IR as an nftables script for `nft -f`, and the script
 * runtime/apply.c commits through libnftables.
 */
#ifndef D6C_EMIT_TEXT_H
#define D6C_EMIT_TEXT_H

#include <stdio.h>

#include "ir.h"

/* Writes the whole script; returns 0, or -1 when the stream failed. */
int emit_text(const struct ir_policy *ir, FILE *out);

#endif

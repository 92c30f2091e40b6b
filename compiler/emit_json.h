/*
 * emit_json.h - the IR as an nftables JSON ruleset (libnftables-json(5)),
 * for `nft -j -f` (compile -f json).  apply commits emit_text.h's script
 * instead (runtime/apply.c says why).
 */
#ifndef D6C_EMIT_JSON_H
#define D6C_EMIT_JSON_H

#include <jansson.h>
#include <stdio.h>

#include "ir.h"

/* The whole ruleset as one {"nftables": [...]} object; the caller owns it. */
json_t *emit_json_build(const struct ir_policy *ir);
/* Writes it, indented, with a final newline; returns 0, or -1 on failure. */
int emit_json(const struct ir_policy *ir, FILE *out);

#endif

/*
 * explain.h - telling an administrator why a packet gets its verdict.
 *
 * Prints an eval_result: the verdict word first, then the places that
 * decided it as diagnostics show places (FILE:LINE:COL, the source line, a
 * caret), or one JSON object per packet.
 */
#ifndef D6C_EXPLAIN_H
#define D6C_EXPLAIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "eval.h"

struct arena;

void explain_text(struct arena *a, FILE *out, const struct pkt *p,
		  const struct eval_result *r, bool color);
/* The closing line of a text explanation: what "new connection" means. */
void explain_text_footer(FILE *out);
/* The caller owns the object. */
json_t *explain_json(struct arena *a, const struct pkt *p, const struct eval_result *r);
/* "accept", "drop", "reject (tcp reset)"..., with ", logged". */
const char *explain_verdict(struct arena *a, const struct pkt *p, const struct eval_result *r);
/* "decided by the rule at FILE:LINE", "no block protects the destination"... */
const char *explain_decider(struct arena *a, const struct eval_result *r);

#endif

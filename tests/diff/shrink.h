/*
 * shrink.h - smaller variants of a model, for minimising a reproducer.
 *
 * shrink_candidate(m, i, out) writes the i-th one-step simplification of m:
 * big cuts first (a block, a define inlined into its uses, a rule), then
 * small ones (a `via` list or one of its names, a target, a list item, a whole `from` or port list, `log`,
 * a prefix cut to a rounder length, a range to its low port).  A candidate
 * need not be a valid policy; the caller compiles it and skips it if not.
 */
#ifndef D6C_TESTS_SHRINK_H
#define D6C_TESTS_SHRINK_H

#include "gen.h"

/* False when m has fewer than i + 1 candidates. */
bool shrink_candidate(const struct gen_model *m, int i, struct gen_model *out);

#endif

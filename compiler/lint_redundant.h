/*
 * lint_redundant.h - rules that match packets but change nothing (D6C-W016).
 */
#ifndef D6C_LINT_REDUNDANT_H
#define D6C_LINT_REDUNDANT_H

#include <stdbool.h>

#include "diag.h"
#include "sema.h"

/* Warns at every rule of b that later rules make redundant.  never[i]:
 * rule i was already told it can never match (lint.c). */
void lint_redundant(struct diag_list *dl, const struct sema_block *b, const bool *never);

#endif

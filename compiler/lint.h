/*
 * lint.h - warnings that need the whole checked policy.
 *
 * Shadowed rules and blocks that no packet reaches.  These never change the
 * output; `d6c check --werror` turns them into a failing exit status.
 */
#ifndef D6C_LINT_H
#define D6C_LINT_H

#include "diag.h"
#include "ir.h"
#include "sema.h"

void lint_check(struct diag_list *dl, const struct sema_policy *p,
		const struct ir_policy *ir);

#endif

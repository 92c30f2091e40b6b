/*
 * lint.h - warnings that need the whole checked policy.
 *
 * Rules that can never match (shadowed by earlier rules, alone or together,
 * or after a rule that matches every packet), blocks that no packet
 * reaches, and sources only the block's own hosts can have.  These never
 * change the output; `d6c check --werror` turns them into a failing exit
 * status.  lint reads the checked policy only, and judges matching with
 * the evaluator's eval_rule_matches().
 */
#ifndef D6C_LINT_H
#define D6C_LINT_H

#include "diag.h"
#include "sema.h"

void lint_check(struct diag_list *dl, const struct sema_policy *p);

struct docker_state;
/* Blocks that protect a Docker network whose NAT gateway mode drops the
 * packets routed to its containers (lint_docker.c), from Docker's state. */
void lint_docker_gateways(struct diag_list *dl, const struct sema_policy *p,
			  const struct docker_state *st);

#endif

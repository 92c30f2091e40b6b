/*
 * follow.h - d6c apply --follow-docker: keep the ruleset in step with Docker.
 *
 * Docker picks and changes the subnets of the networks a policy names
 * (`network docker "myapp_default"`): a `docker compose down && up` may
 * bring a network back on another subnet.  This loop listens to the Engine
 * API's network events and applies the policy again, atomically like every
 * apply, whenever the ruleset it compiles to differs from the one in force.
 */
#ifndef D6C_FOLLOW_H
#define D6C_FOLLOW_H

#include <stdbool.h>

#include "runtime/apply.h"
#include "compiler/ir.h"

/* Runs until SIGINT or SIGTERM (exit 0); SIGHUP reads the policy again.
 * Exits 1 when the policy has errors at the start, 2 when the first apply
 * fails.  Afterwards nothing stops it: a policy edited into errors, a
 * failed apply or a daemon that goes away leave the ruleset in force as it
 * was, are logged on standard error, and are retried.  disabled: the
 * warnings --disable silences, by code. */
int follow_docker(const char *policy, const struct ir_options *ir,
		  const struct apply_options *apply, bool werror, const bool *disabled);

#endif

/*
 * compile.h - the pipeline from a policy file to the IR, as one call.
 *
 *   parse_file -> [Docker's networks] -> sema_check -> ir_lower -> lint_check
 *
 * Every command (compile, check, apply, explain, test) runs this and then
 * decides what to do with the IR.  The IR is NULL when an error was queued;
 * warnings alone still give an IR.
 */
#ifndef D6C_COMPILE_H
#define D6C_COMPILE_H

#include <stdbool.h>

#include "diag.h"
#include "ir.h"
#include "sema.h"

struct docker_state;

/* Where `docker "NAME"` targets are resolved.  Docker is asked only when the
 * policy names a network: a host without Docker compiles every other policy. */
enum docker_from {
	DOCKER_FROM_NONE,    /* not asked for: a named network is an error */
	DOCKER_FROM_DAEMON,  /* --docker, and apply: the Engine API at DOCKER_HOST */
	DOCKER_FROM_FILE,    /* --docker-state FILE: a saved GET /networks */
	DOCKER_FROM_STATE,   /* already read (apply --follow-docker) */
};

struct docker_source {
	enum docker_from from;
	const char *path;                  /* DOCKER_FROM_FILE */
	const struct docker_state *state;  /* DOCKER_FROM_STATE (NULL: unreadable) */
	const char *error;                 /* DOCKER_FROM_STATE: why it is NULL */
	bool missing_ok;                   /* unknown names warn (sema_docker) */
	/* Warn (D6C-W014) at blocks protecting a network whose NAT gateway mode
	 * drops routed packets: check and compile.  apply says it after the
	 * commit instead, from the live host (runtime/doctor.h). */
	bool gateway_lint;
};

/* *unreadable is set when path itself could not be read (an I/O error,
 * not a policy error).  dk NULL: DOCKER_FROM_NONE. */
struct ir_policy *compile_policy(struct arena *a, struct diag_list *dl, const char *path,
				 const struct ir_options *opt, const struct docker_source *dk,
				 bool *unreadable);

/* Parse and check only, without lowering or lint: the checked policy that
 * the evaluator reads (explain, test).  NULL when an error was queued. */
struct sema_policy *compile_check(struct arena *a, struct diag_list *dl, const char *path,
				  const struct docker_source *dk, bool *unreadable);

#endif

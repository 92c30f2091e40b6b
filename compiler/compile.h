/*
 * compile.h - the pipeline from a policy file to the IR.
 *
 *   compile_parse -> [Docker's networks] -> compile_check -> compile_lower
 *   (parse_file)                            (sema_check)     (ir_lower, lint_check)
 *
 * Every command (compile, check, apply, explain, test) runs it and then
 * decides what to do with the IR.  Docker is the caller's business: the
 * pipeline never asks a daemon.  After compile_parse the caller asks
 * compile_names_docker() whether the policy names a network at all, reads
 * Docker's networks only then (runtime/docker_api.h, or a saved file), and
 * hands them to compile_check; a host without Docker compiles every other
 * policy.  compile_policy() runs the three stages for a caller that has its
 * networks already.  The IR is NULL when an error was queued; warnings
 * alone still give an IR.
 */
#ifndef D6C_COMPILE_H
#define D6C_COMPILE_H

#include <stdbool.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"
#include "sema.h"

/* Docker's networks as the compile takes them, already read. */
struct compile_docker {
	struct sema_docker view;   /* state (NULL: unreadable, error says why), missing_ok */
	/* Warn (D6C-W014) at blocks protecting a network whose NAT gateway mode
	 * drops routed packets: check and compile.  apply says it after the
	 * commit instead, from the live host (runtime/doctor.h). */
	bool gateway_lint;
};

/* A parsed policy waiting for compile_check.  The syntax tree lives in an
 * arena of its own, freed by compile_check: nothing after sema reads it,
 * and at 100 000 blocks it is a third of the memory. */
struct compile_tree {
	struct arena arena;
	struct ast_item *ast;
	const char *name;      /* the path, "<stdin>" for "-" */
	bool unreadable;       /* the file itself could not be read: an I/O error */
	const struct src_file *file;  /* the path's own file, NULL when not read */
};

/* Parses path (and its includes) into t; errors go to dl. */
void compile_parse(struct arena *a, struct diag_list *dl, const char *path,
		   struct compile_tree *t);
/* Whether t names a Docker network, so that its state must be read. */
bool compile_names_docker(const struct compile_tree *t);
/* Checks t and frees its tree: the checked policy that the evaluator reads
 * (explain, test), or NULL when an error was queued (or t is unreadable).
 * dk NULL: no networks were asked for, and a named one is an error. */
struct sema_policy *compile_check(struct arena *a, struct diag_list *dl, struct compile_tree *t,
				  const struct compile_docker *dk);
/* Lowers a checked policy and adds lint's warnings to dl. */
struct ir_policy *compile_lower(struct arena *a, struct diag_list *dl,
				const struct sema_policy *sp, const struct ir_options *opt);

/* The three stages at once, with Docker's networks read beforehand (dk as
 * for compile_check).  *unreadable as compile_tree's. */
struct ir_policy *compile_policy(struct arena *a, struct diag_list *dl, const char *path,
				 const struct ir_options *opt, const struct compile_docker *dk,
				 bool *unreadable);

#endif

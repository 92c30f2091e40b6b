/*
 * compile.h - the pipeline from a policy file to the IR, as one call.
 *
 *   parse_file -> sema_check -> ir_lower -> lint_check
 *
 * Every command (compile, check, and later apply and explain) runs this and
 * then decides what to do with the IR.  The IR is NULL when an error was
 * queued; warnings alone still give an IR.
 */
#ifndef D6C_COMPILE_H
#define D6C_COMPILE_H

#include <stdbool.h>

#include "diag.h"
#include "ir.h"
#include "sema.h"

/* *unreadable is set when path itself could not be read (an I/O error,
 * not a policy error). */
struct ir_policy *compile_policy(struct arena *a, struct diag_list *dl, const char *path,
				 const struct ir_options *opt, bool *unreadable);

/* Parse and check only, without lowering or lint: the checked policy that
 * the evaluator reads (explain, test).  NULL when an error was queued. */
struct sema_policy *compile_check(struct arena *a, struct diag_list *dl, const char *path,
				  bool *unreadable);

#endif

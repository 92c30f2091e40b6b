/*
 * testfile_kernel.h - `d6c test --kernel`: a test file's packets sent for
 * real through the compiled ruleset, in private network namespaces
 * (probe.h), and their outcomes checked (testfile.h).
 */
#ifndef D6C_TESTFILE_KERNEL_H
#define D6C_TESTFILE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/ir.h"
#include "compiler/testfile.h"

/* Loads ir's ruleset (text, or JSON when json) into private namespaces,
 * sends every case's packet and checks the outcomes as testfile_check_kernel().
 * Returns how many failed; -2 when a case cannot be sent (an error queued
 * at it); -1 on a system error, with the reason in err. */
int testfile_kernel_run(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
		     const struct ir_policy *ir, const struct testfile *t, bool json,
		     char *err, size_t errlen);

#endif

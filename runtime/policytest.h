/*
 * policytest.h - expectations kept beside a policy, checked against it.
 *
 * A test file (by default POLICY.test) holds statements
 *
 *     expect PACKET VERDICT;      # PACKET as packet.h writes it
 *
 * with VERDICT accept, drop or reject, and '#' comments.  ptest_check()
 * decides each packet with the evaluator; ptest_check_kernel() compares
 * outcomes that real packets had through the compiled ruleset.  Every
 * failure is an error at the expectation (TESTFILE:LINE:COL) with a note at
 * the place in the policy that decided it.
 */
#ifndef D6C_POLICYTEST_H
#define D6C_POLICYTEST_H

#include "compiler/diag.h"
#include "compiler/ir.h"
#include "eval.h"
#include "kernel.h"

struct ptest_case {
	struct pkt pkt;
	struct loc loc;        /* the packet description */
	enum verdict want;
};

struct ptest_file {
	struct ptest_case *v;
	int n;
};

/* Parses f; errors go to dl (the cases that parsed are kept). */
void ptest_parse(struct arena *a, struct diag_list *dl, const struct src_file *f,
		 struct ptest_file *t);
/* Queues an error for each case the evaluator decides otherwise; returns
 * how many failed. */
int ptest_check(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
		const struct ptest_file *t);
/* The same for outcomes got[i] that the kernel gave through the ruleset of
 * backend ("text" or "json"). */
int ptest_check_kernel(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
		       const struct ptest_file *t, const enum kern_outcome *got,
		       const char *backend);

/* Loads ir's ruleset (text, or JSON when json) into private namespaces,
 * sends every case's packet and checks the outcomes as ptest_check_kernel().
 * Returns how many failed; -2 when a case cannot be sent (an error queued
 * at it); -1 on a system error, with the reason in err. */
int ptest_run_kernel(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
		     const struct ir_policy *ir, const struct ptest_file *t, bool json,
		     char *err, size_t errlen);

#endif

/*
 * testfile.h - expectations kept beside a policy, checked against it.
 *
 * A test file (by default POLICY.test) holds statements
 *
 *     expect PACKET VERDICT;      # PACKET as packet.h writes it
 *
 * with VERDICT accept, drop or reject, and '#' comments.  testfile_check()
 * decides each packet with the evaluator; testfile_check_kernel() compares
 * outcomes that real packets had through the compiled ruleset.  Every
 * failure is an error at the expectation (TESTFILE:LINE:COL) with a note at
 * the place in the policy that decided it.
 */
#ifndef D6C_TESTFILE_H
#define D6C_TESTFILE_H

#include "diag.h"
#include "eval.h"      /* EVAL_KERNEL, the form of the kernel arguments */
#include "ir.h"
#include "outcome.h"
#include "packet.h"

struct testfile_case {
	struct pkt pkt;
	struct loc loc;        /* the packet description */
	enum verdict want;
};

struct testfile {
	struct testfile_case *v;
	int n;
};

/* Parses f; errors go to dl (the cases that parsed are kept). */
void testfile_parse(struct arena *a, struct diag_list *dl, const struct src_file *f,
		 struct testfile *t);
/* Queues an error for each case the evaluator decides otherwise on kernel
 * (EVAL_KERNEL); returns how many failed. */
int testfile_check(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
		   const struct testfile *t, int kernel);
/* The same for outcomes got[i] that the kernel gave through the ruleset of
 * backend ("text" or "json"). */
int testfile_check_kernel(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
			  const struct testfile *t, const enum outcome *got,
			  const char *backend, int kernel);

#endif

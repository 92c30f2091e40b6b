/*
 * outcome.h - what became of a probe packet sent through a real kernel, and
 * the outcome a policy's verdict must have there.
 *
 * A verdict is the policy's word (accept, drop, reject); an outcome is what
 * could be seen from outside the router: the packet came out, nothing came
 * out, or the router answered.  runtime/probe.h observes outcomes; the
 * test-file checks and the differential tester compare them with these.
 */
#ifndef D6C_OUTCOME_H
#define D6C_OUTCOME_H

#include "ast.h"
#include "packet.h"

enum outcome {
	OUTCOME_ACCEPT,            /* reached the container side */
	OUTCOME_DROP,              /* nothing came out on either side */
	OUTCOME_RESET,             /* the router answered with a TCP reset */
	OUTCOME_ADMIN_PROHIBITED,  /* ICMP or ICMPv6 administratively prohibited */
	OUTCOME_OTHER,             /* some other answer (another ICMP error) */
};

/* The outcome the policy's verdict v for p must have in the kernel. */
enum outcome outcome_expected(const struct pkt *p, enum verdict v);
const char *outcome_name(enum outcome o);

#endif

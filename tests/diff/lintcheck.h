/*
 * lintcheck.h - lint's claims that a rule changes nothing, checked with
 * the evaluator (lintcheck.c).
 */
#ifndef D6C_TESTS_LINTCHECK_H
#define D6C_TESTS_LINTCHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/eval.h"

/* The codes whose claim is "without this rule (or these rules), every
 * packet goes the same way", in the order the counts are printed. */
enum { LC_W001, LC_W002, LC_W003, LC_W016, LC_W017, LC_NCODES };

struct lint_counts {
	long claims[LC_NCODES];   /* claims checked, by code */
	long together;            /* policies checked with every claim's rules removed at once */
	long packets;             /* (policy, packet) verdicts compared */
	long wrong;               /* claims a packet disproves */
};

/* Lints text (a valid policy), and for every claim removes what it says
 * changes nothing and compares the verdicts and logs the evaluator gives
 * the two policies for the batch pkts (under routes) and for packets made
 * at the edges of the claimed rule's block.  Prints every claim a packet
 * disproves, naming the seed, the rule and the code; false then. */
bool lint_claims_hold(uint64_t seed, const char *text, const struct pkt *pkts, int n,
		      const struct eval_routes *routes, struct lint_counts *lc);

#endif

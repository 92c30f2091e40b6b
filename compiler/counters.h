/*
 * counters.h - the live values of a table's named counters, matched to the
 * policy lines whose rules they count (d6c stats).
 *
 * Pure: the caller reads the counters (runtime/stats.h) and compiles the
 * policy with counters on; this file says which line each value belongs
 * to, from the IR alone (ir_counters.c names a counter after its rule's
 * place in its chain).
 */
#ifndef D6C_COUNTERS_H
#define D6C_COUNTERS_H

#include <stdint.h>

#include "arena.h"
#include "ir.h"

/* One named counter of the live table. */
struct counter_value {
	const char *name;
	uint64_t packets, bytes;
};

/* A policy line that produced rules, with what they decided.  A line that
 * holds only a block sharing another's chain has counted_with set and no
 * counts of its own: they are at that block. */
struct counter_line {
	const char *path;             /* the file, as the policy names it */
	int line;
	const char *text;             /* the line as written, without indentation */
	uint64_t packets, bytes;
	int ncounters;                /* rules of this line (0: counted_with) */
	const char **counters;        /* their counter names */
	const struct loc *counted_with;  /* the network line of the chain's first block */
};

/* A rule of the whole table: the forward chain's, a source check's, the
 * accept_any_source chain's. */
struct counter_wide {
	const char *counter;
	const char *what;
	uint64_t packets, bytes;
};

struct counter_report {
	struct counter_line *lines;   /* in file order (first file met first), then line */
	int nlines;
	struct counter_wide *wide;    /* in the order the table declares them */
	int nwide;
	/* Disagreement with the live table: counters ir names that the table
	 * lacks, and counters of the table ir does not name. */
	const char **missing, **extra;
	int nmissing, nextra;
};

/* Matches live (n values) against ir (compiled with counters on) into r,
 * all in a.  r->nmissing or r->nextra nonzero: the table is not what ir
 * is, and the counts mean nothing. */
void counters_match(struct arena *a, const struct ir_policy *ir, const struct counter_value *live,
		    int n, struct counter_report *r);

#endif

/*
 * misspell.h - "did you mean": the closest known name to a misspelled one.
 */
#ifndef D6C_MISSPELL_H
#define D6C_MISSPELL_H

#include <stddef.h>

/* Optimal string alignment distance (Levenshtein plus swapping two
 * neighbours) between a and b; a value above max (max + 1) when it is
 * larger, which also caps the work. */
int misspell_distance(const char *a, const char *b, int max);

/* The furthest a name may be from a candidate to be suggested: a third of
 * its length, at least 1 (as nftables' src/misspell.c). */
int misspell_threshold(const char *name);

struct misspell {
	const char *name;   /* the word as written */
	const char *best;   /* NULL: nothing close */
	int dist;
};

void misspell_init(struct misspell *m, const char *name);
/* Offers one candidate; the first of the closest ones stays. */
void misspell_offer(struct misspell *m, const char *candidate);

#endif

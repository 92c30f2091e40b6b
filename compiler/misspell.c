/*
 * misspell.c - edit distance for "did you mean" hints.
 *
 * The candidates are the few names that fit where the word stood (the
 * keywords the parser expects, services, ICMP types of the block's
 * families, defines of the right kind), so a plain O(n*m) table per pair
 * is fast enough.  A candidate equal to the word is not a suggestion.
 */
#include "misspell.h"

#include <string.h>

#define MAXLEN 64

int misspell_distance(const char *a, const char *b, int max)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > MAXLEN || m > MAXLEN)
		return max + 1;
	if ((n > m ? n - m : m - n) > (size_t)max)
		return max + 1;
	/* Three rows: the one before the previous is needed for transpositions. */
	int rows[3][MAXLEN + 1];
	int *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= m; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (int)i;
		int rowmin = cur[0];
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (prev[j - 1] + cost < d)
				d = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cur[j] = d;
			if (d < rowmin)
				rowmin = d;
		}
		if (rowmin > max)
			return max + 1;
		int *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[m] > max ? max + 1 : prev[m];
}

int misspell_threshold(const char *name)
{
	int t = (int)strlen(name) / 3;
	return t < 1 ? 1 : t;
}

void misspell_init(struct misspell *m, const char *name)
{
	m->name = name;
	m->best = NULL;
	m->dist = misspell_threshold(name) + 1;
}

void misspell_offer(struct misspell *m, const char *candidate)
{
	if (!candidate || strcmp(candidate, m->name) == 0)
		return;
	int d = misspell_distance(m->name, candidate, m->dist - 1);
	if (d < m->dist) {
		m->best = candidate;
		m->dist = d;
	}
}

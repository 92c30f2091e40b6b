/*
 * tablediff.h - what replacing one d6c table by another changes, in the
 * policy's terms: networks added, removed or changed (their destination
 * ranges and rules), and the table-wide rules (source checks, replies,
 * dispatch).  Both tables are listings (listing.h) by the same nft.
 *
 * Networks are matched by destination ranges, not by chain name: a chain
 * is named after its first block's number, so a network added at the top
 * of a policy renames every chain after it and changes nothing else.
 * Where a rule comes from (its comment, its log prefix) is compared apart
 * from what it does: a rule that only moved to another line is a change of
 * the table (apply would rewrite its comment) but not of what it does.
 * Paths in comments are compared by their file names only, so a policy
 * applied as examples/site.pol and compared as /srv/examples/site.pol is
 * the same.
 */
#ifndef D6C_TABLEDIFF_H
#define D6C_TABLEDIFF_H

#include <stdbool.h>

#include "arena.h"
#include "listing.h"

enum td_kind {
	TD_ADDED,
	TD_REMOVED,
	TD_CHANGED,
	TD_MOVED,    /* the same rules, at other lines of the policy */
};

/* A rule of one side only: '-' the live table's, '+' the new one's. */
struct td_line {
	char sign;
	const char *where;   /* its comment: FILE:LINE, or what it is for */
	const char *text;    /* the rule as nft lists it, without its comment */
};

struct td_block {
	enum td_kind kind;
	const char *where;       /* the chain's comment, "network at FILE:LINE":
	                            the new table's, the live one's when removed */
	const char *old_where;   /* changed and moved: the live table's */
	const char **ranges;     /* added, removed: its ranges; changed: "+R" and
	                            "-R" for the ranges it gains and loses */
	int nranges, capranges;
	struct td_line *lines;   /* changed: the rules of one side only */
	int nlines, caplines;
};

/* A map or set other than dispatch (the source checks' maps): counted,
 * since its elements follow the networks' ranges. */
struct td_set {
	const char *kind, *name;
	bool added, removed, retyped;   /* whole, or its declaration changed */
	int elems_added, elems_removed;
};

struct table_diff {
	struct td_block *blocks;
	int nblocks, capblocks;
	int added, removed, changed, moved;
	/* table-wide: the forward chain and other chains no map routes to */
	struct td_line *wide;
	int nwide, capwide;
	struct td_set *sets;
	int nsets, capsets;
	int wide_moved;          /* table-wide rules whose comment alone differs */
};

/* What replacing old (the live table) by new changes. */
void tablediff(struct arena *a, const struct listing *old, const struct listing *new_,
	       struct table_diff *d);
/* Nothing would change. */
bool tablediff_same(const struct table_diff *d);
/* Whatever would change is where rules come from, not what they do. */
bool tablediff_moved_only(const struct table_diff *d);

#endif

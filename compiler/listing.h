/*
 * listing.h - a table as `nft -s list table` prints it, read back into
 * plain structures, so that two tables can be compared in the kernel's
 * own spelling (tablediff.h).
 *
 * Both sides of a comparison are listings by the same nft and kernel: the
 * live table, and the compiled policy loaded into a scratch network
 * namespace (runtime/live.h).  So nothing here has to know how nft
 * normalises a rule: equal rulesets list equal.
 */
#ifndef D6C_LISTING_H
#define D6C_LISTING_H

#include "arena.h"

struct listing_rule {
	const char *text;    /* the rule as listed, without its comment */
	const char *key;     /* text without log prefix and counter name: what it does */
	const char *where;   /* its comment ("FILE:LINE", ...), "" when none */
	const char *prefix;  /* its log prefix, "" when none */
};

struct listing_chain {
	const char *name;
	const char *comment;   /* "" when none */
	const char *hook;      /* "type filter hook ...; policy ...;", "" for a regular chain */
	struct listing_rule *rules;
	int nrules, cap;
};

/* A map or set: its declaration lines, and its elements one by one
 * ("2001:db8::/64 : jump net_1"). */
struct listing_set {
	const char *kind;      /* "map", "set", "counter", ... */
	const char *name;
	const char *head;      /* type, flags, ...: the lines before elements, joined */
	const char **elems;
	int nelems, cap;
};

struct listing {
	const char *table;     /* "inet d6c" */
	const char *comment;   /* the table's comment, "" when none */
	struct listing_chain *chains;
	int nchains, capchains;
	struct listing_set *sets;
	int nsets, capsets;
};

/* Reads text (one table) into l; -1 when it is not one table as nft
 * lists it. */
int listing_parse(struct arena *a, const char *text, struct listing *l);
const struct listing_chain *listing_chain(const struct listing *l, const char *name);
const struct listing_set *listing_set(const struct listing *l, const char *kind, const char *name);

#endif

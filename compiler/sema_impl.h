/*
 * sema_impl.h - what the two halves of sema share, for them alone:
 * sema.c walks the policy (defines, blocks, rules); sema_value.c resolves
 * the values in it (ports, addresses, Docker's networks) and checks each.
 * Not for any other file: the checked policy is sema.h.
 */
#ifndef D6C_SEMA_IMPL_H
#define D6C_SEMA_IMPL_H

#include "sema.h"

enum define_kind {
	DEF_UNKNOWN,  /* only bad values: uses stay quiet */
	DEF_PORTS,
	DEF_ADDRS,
};

struct define {
	const char *name;
	struct loc loc;
	enum define_kind kind;
	struct port_range *ports;
	int nports, capports;
	struct sema_prefix *addrs;
	int naddrs, capaddrs;
	bool used;
	struct define *next_hash;
};

/* Every define name in the policy, so that a use before its definition can
 * say where the definition is. */
struct later_name {
	const char *name;
	struct loc loc;
	bool used_early;  /* already reported as used before its definition */
};

#define HASH_SIZE 1024

/* LANGUAGE.md, Limits: far above real policies, low enough that a policy
 * at every limit still compiles in bounded memory and time.  At a limit
 * the policy is an error (exit 1), said once; what is past it is left out. */
#define MAX_BLOCKS 1000000
#define MAX_RULES 1000000          /* in all blocks */
#define MAX_PREFIXES 1000000       /* in all blocks' lists */
#define MAX_BLOCK_PREFIXES 10000   /* in one block's list: its duplicates are found pairwise */
#define MAX_VALUES 4000000         /* ports and addresses resolved, defines spliced in */

struct sema {
	struct arena *a;
	struct diag_list *dl;
	struct define *hash[HASH_SIZE];
	struct define **defs;          /* in order, for the unused warning */
	size_t ndefs, capdefs;
	struct later_name *later;
	size_t nlater, caplater;
	struct sema_block *blocks;
	size_t nblocks, capblocks;
	/* One target's prefixes, before they join their block's: one vector
	 * for every target of the policy, its capacity kept. */
	struct sema_prefix *targets;
	int captargets;
	size_t nrules, nprefixes, nvalues;  /* against the limits */
	bool said_blocks, said_rules, said_prefixes, said_values;
	const struct sema_docker *docker;  /* NULL: not asked for */
	bool counters;                     /* a `counters;` statement was read */
	const char *port_proto;            /* "tcp"/"udp" in a rule's ports, NULL in a define */
	bool docker_said;                  /* why no name resolves: said once */
	int docker_missing;                /* names not there yet (missing_ok) */
	/* The policy's `log ...;`: what a log that does not say gets, and
	 * where each part was set (NULL: d6c's default), for "set twice". */
	struct log_spec log_default;
	const struct ast_log_opt *log_default_limit, *log_default_group;
};

/* sema.c */
struct define *sema_lookup(struct sema *s, const char *name);
void sema_undefined(struct sema *s, struct loc loc, const char *name, const char *what,
		    enum define_kind kind);
bool sema_over_values(struct sema *s, struct loc loc);

/* sema_log.c */
/* The policy's own log options, from every top-level `log ...;` (includes
 * in place), into s->log_default: read before any rule, wherever they stand. */
void sema_log_defaults(struct sema *s, const struct ast_item *items);
/* A rule's or default's `log` options over the policy's into *out; false
 * when one is wrong (an error is queued). */
bool sema_log_spec(struct sema *s, const struct ast_log *log, struct log_spec *out);

/* sema_value.c */
/* Resolves one port-list value (a number, range, service or define) into
 * *out; false when it is wrong (an error is queued). */
bool sema_resolve_port(struct sema *s, const struct ast_value *v,
		       struct port_range **out, int *n, int *cap);
/* Sorts and merges ports; warns once for each value that repeats or
 * overlaps one written before it in the list. */
void sema_normalise_ports(struct sema *s, struct port_range *v, int *n, bool warn);
/* Drops the later copies of prefixes that appear twice, keeping order. */
void sema_dedupe_prefixes(struct sema_prefix *v, int *n);
/* Resolves one address-list value (a prefix, define or Docker network)
 * into *out; false when it is wrong (an error is queued). */
bool sema_resolve_addr(struct sema *s, const struct ast_value *v,
		       struct sema_prefix **out, int *n, int *cap);

#endif

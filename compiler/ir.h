/*
 * ir.h - the ruleset to build, independent of how it is written out.
 *
 * Everything a backend needs is decided here: which chain each destination
 * range jumps to (longest prefix already flattened into disjoint ranges),
 * for each chain its rules in order with one concrete family, layer-4
 * protocol and verdict each, and the named sets that rules' long lists
 * share (struct ir_set), declared once in the table.  A backend only spells this out: emit_text.c
 * (an nft script) and emit_json.c (nftables JSON) agree because they read
 * the same structures, and runtime/apply.c commits emit_text.c's script.
 */
#ifndef D6C_IR_H
#define D6C_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "sema.h"

enum ir_l4 {
	IR_L4_ANY,
	IR_L4_TCP,
	IR_L4_UDP,
	IR_L4_ICMP,    /* ICMP for IPv4 */
	IR_L4_ICMPV6,
};

enum ir_verdict {
	IR_ACCEPT,
	IR_DROP,
	IR_REJECT_TCP_RESET,
	IR_REJECT_ICMPX,    /* administratively prohibited, in either family */
};

/* Fields ordered by size, without holes: a policy of 100 000 blocks
 * lowers to half a million rules. */
struct ir_rule {
	bool ct_invalid;              /* match conntrack state invalid */
	bool match_family;            /* family needs a match of its own (meta
	                                 nfproto): no source or ICMP type carries it */
	bool log;
	/* A limited log is a rule of its own, with the same match and no
	 * verdict, just before the rule that decides: in nftables a limit
	 * that does not match ends the rule, verdict included. */
	bool log_only;
	int family;                   /* 0: as the chain; else FAM_IP4 / FAM_IP6 */
	enum ir_l4 l4;
	enum ir_verdict verdict;
	const struct port_range *ports;   /* destination ports; NULL: any */
	uint8_t *icmp_types;          /* ascending; NULL: any type */
	struct prefix *saddr;         /* all of `family`; NULL: any source */
	int nports, ntypes, nsaddr;
	/* A list of IR_SET_MIN values or more is a set of the table, named
	 * instead of listed (ir_set_of()): these are 1 + its index in
	 * ir->sets, 0 when the list is written in the rule.  l4_set is the
	 * ports' or the ICMP types' (a rule has never both). */
	int saddr_set, l4_set;
	struct log_spec log_spec;     /* when log: its limit and nflog group */
	const char *comment;          /* "FILE:LINE" */
	const char *log_prefix;       /* "d6c FILE:LINE ", within nftables' limit */
	struct loc loc;               /* the policy line it comes from (comment's) */
	const char *counter;          /* its named counter; NULL: counters are off */
};

/* A rule's list of IR_SET_MIN values or more, as a set declared once in
 * the table and shared by every rule with the same list.  Its name comes
 * from its content alone (type and elements), not from which rules use it,
 * so the same list keeps its name across edits of the rest of the policy. */
#define IR_SET_MIN 17
enum ir_set_type {
	IR_SET_IP4,      /* ipv4_addr, sources; name s4_HASH */
	IR_SET_IP6,      /* ipv6_addr, sources; name s6_HASH */
	IR_SET_PORT,     /* inet_service, destination ports of tcp and udp; p_HASH */
	IR_SET_ICMP,     /* icmp_type; t4_HASH */
	IR_SET_ICMPV6,   /* icmpv6_type; t6_HASH */
};

struct ir_set {
	const char *name;             /* PREFIX + 12 hex digits (+ _N after a
	                                 collision of different contents) */
	enum ir_set_type type;
	bool interval;                /* has a prefix or a port range */
	/* The elements, ascending: prefixes by first address (none inside
	 * another: a named interval set refuses overlaps), ports by value. */
	const struct prefix *saddr;
	const struct port_range *ports;
	const uint8_t *types;
	int n;
	int users;                    /* rules that name it */
};

/* Blocks whose rules are the same (everything but where they were written)
 * share one chain: a host with thousands of networks under one rule set
 * loads one chain, not thousands.  Its rules' comments name the first
 * block's lines; the chain comment says whether others share it. */
struct ir_chain {
	const char *name;             /* net_K: K is its first block's number */
	const char *comment;          /* FILE:LINE of the first network statement */
	const char *chain_comment;    /* "network at FILE:LINE" (+ "and others ...") */
	int nblocks;                  /* blocks that jump here */
	int families;
	struct ir_rule *rules;
	int nrules, caprules;
};

/* One disjoint destination range of the dispatch map. */
struct ir_interval {
	u128 first, last;
	int chain;
};

struct ir_dispatch {
	int family;
	struct ir_interval *v;
	int n;
};

/* The source check: a packet whose source lies in a protected network must
 * arrive through an interface that reaches it.  One check per distinct
 * `via` list, and the route check (nftables' fib) for blocks without one;
 * the sources maps send each protected range to its check's chain.
 * Checked before the reply rule: otherwise one forged packet to an
 * unprotected address leaves a conntrack entry whose "replies" pass every
 * block. */
struct ir_check {
	const char *name;             /* source_route, or source_via_K: K is the
	                                 number of the first block with this list */
	const char *chain_comment;
	const char *comment;          /* of its one rule */
	const char **via;             /* NULL: the route check */
	int nvia;
	const char *counter;          /* of its one rule; NULL: counters are off */
};

/* With counters on (--counters, `counters;`), every rule of the table has
 * a named counter (`counter name "NAME"`), declared in the table so that
 * `reset counters table inet T` resets them all: nftables 1.0.6 resets
 * named counters only.  NAME is <chain>_<rule number, from 1>, so it
 * follows from the IR alone and `d6c stats` finds each rule's counter by
 * compiling the policy again (ir_counters.c). */
struct ir_counter {
	const char *name;
	const struct loc *loc;        /* the policy line of the rule it counts;
	                                 NULL: a table-wide rule (what says which) */
	const char *what;             /* table-wide: what its rule does, in words */
};

/* A block of the policy and the chain it jumps to: blocks that share a
 * chain share its counters. */
struct ir_block {
	struct loc loc;               /* the network statement */
	int chain;                    /* index into chains */
};

struct ir_policy {
	const char *table;
	const char *priority;         /* as nftables text spells it */
	int priority_num;             /* the same as a number, for JSON */
	const char *source;           /* the policy file, for the header */
	const char *comment_replies, *comment_dispatch4, *comment_dispatch6;
	struct ir_chain *chains;
	int nchains;
	int nblocks;                  /* network blocks of the policy */
	struct ir_dispatch dispatch4, dispatch6;
	/* The source check; an interval's chain indexes checks[]. */
	const char *comment_sources4, *comment_sources6, *comment_rthdr;
	struct ir_check *checks;
	int nchecks;
	struct ir_dispatch sources4, sources6;
	uint32_t accept_mark, accept_mask;  /* mask 0: accepts set no mark */
	/* With a mark: the chain IR_ACCEPT_ANY_CHAIN, which an accept of a rule
	 * that names no source (`from`) goes to instead of accepting itself. */
	const char *comment_any_docker, *comment_any_mark;
	struct ir_block *blocks;      /* nblocks of them */
	/* Counters (NULL names and no list when off): the forward chain's
	 * rules, those of IR_ACCEPT_ANY_CHAIN, and every counter in the order
	 * the table declares them. */
	bool counters;
	const char *counter_sources6, *counter_sources4, *counter_rthdr, *counter_replies,
		*counter_dispatch6, *counter_dispatch4, *counter_any_docker, *counter_any_mark;
	struct ir_counter *counter_list;
	int ncounters;
	/* The shared sets, sorted by name: declared before the chains. */
	struct ir_set *sets;
	int nsets;
};

/* Docker's isolation between its networks, kept under an accept mark: a
 * packet that a rule naming no source accepts is marked only when it did not
 * come in through a Docker bridge (docker0, br-<network id>), so Docker's
 * own chains still decide whether one Docker network reaches another; a rule
 * whose `from` names the source marks it wherever it comes from. */
#define IR_ACCEPT_ANY_CHAIN "accept_any_source"
extern const char *const ir_docker_bridges[];   /* NULL-terminated ifname patterns */
/* The set that a rule's saddr_set or l4_set names; NULL: none. */
static inline const struct ir_set *ir_set_of(const struct ir_policy *ir, int ref)
{
	return ref ? &ir->sets[ref - 1] : NULL;
}

/* Whether rule r's accept goes to IR_ACCEPT_ANY_CHAIN. */
static inline bool ir_accept_any(const struct ir_policy *ir, const struct ir_rule *r)
{
	return ir->accept_mask && r->verdict == IR_ACCEPT && r->nsaddr == 0;
}

/* The mark that `apply --docker-accept` and --follow-docker use when no
 * --accept-mark is given: one bit that no common neighbour on a container
 * host sets (Kubernetes 0xc000, CNI portmap 0x2000, Cilium's low 13 bits,
 * Tailscale's and Weave's 0xff0000, WireGuard's 0xca6c, Istio's 0x1337,
 * AWS CNI's 0x80); only Calico's whole upper half (0xffff0000) covers it. */
#define IR_DEFAULT_ACCEPT_MARK 0x10000000u

/* A packet mark written VALUE[/MASK], 32-bit numbers in C notation (0x...),
 * as --accept-mark and Docker's bridge-accept-fwmark take it.  *has_mask
 * says whether "/MASK" was there (each user has its own default).  Checks
 * the syntax only. */
enum ir_mark_syntax { IR_MARK_OK, IR_MARK_BAD_VALUE, IR_MARK_BAD_MASK };
enum ir_mark_syntax ir_parse_mark(const char *s, uint32_t *value, uint32_t *mask,
				  bool *has_mask);

/* Runs before the chains other tools register at `filter` (Docker's
 * iptables-nft FORWARD among them), so that a reject of d6c's is sent before
 * another table's drop, whichever table was loaded first. */
#define IR_DEFAULT_PRIORITY "filter - 1"
#define IR_DEFAULT_PRIORITY_NUM (-1)

struct ir_options {
	const char *table;     /* default "d6c" */
	const char *priority;  /* default IR_DEFAULT_PRIORITY */
	int priority_num;      /* priority as a number (filter is 0) */
	/* --accept-mark VALUE/MASK: every packet d6c accepts gets the MASK bits
	 * of its mark set to VALUE, so that a rule in another table on the same
	 * hook (Docker's) can accept what d6c accepted.  mask 0: no mark. */
	uint32_t accept_mark, accept_mask;
	bool counters;         /* --counters: as a `counters;` statement */
};

/* nftables' names of the layer-4 protocols, for `meta l4proto` and `X dport`. */
extern const char *const ir_l4_name[];

struct ir_policy *ir_lower(struct arena *a, const struct sema_policy *p,
			   const struct ir_options *opt);
/* The ranges a family's prefixes own, longest prefix first; exposed for tests
 * and for lint.  pfx[i] belongs to chain owner[i]. */
struct ir_dispatch ir_flatten(struct arena *a, int family, const struct prefix *pfx,
			      const int *owner, int n);
/* ir_flatten over every block's prefixes, block i's owned by owner_of_block[i]:
 * the dispatch maps (owner: chain) and the sources maps (owner: check). */
struct ir_dispatch ir_flatten_blocks(struct arena *a, const struct sema_policy *p, int family,
				     const int *owner_of_block);
/* Names a counter for every rule of ir (ir_counters.c); ir->counters set. */
void ir_name_counters(struct arena *a, struct ir_policy *ir);
/* Moves every list of IR_SET_MIN values or more into ir->sets (ir_sets.c). */
void ir_share_sets(struct arena *a, struct ir_policy *ir);
/* nftables' name of a set's element type. */
extern const char *const ir_set_type_name[];
/* The source check's maps and chains (ir_source.c), into ir. */
void ir_lower_sources(struct arena *a, const struct sema_policy *p, struct ir_policy *ir);
/* "PREFIX PATH SUFFIX" within max bytes, the path shortened from the left. */
const char *ir_fit(struct arena *a, const char *prefix, const char *path, const char *suffix,
		   size_t max);
#define IR_COMMENT_MAX 128
/* nftables limits comments and log prefixes: "FILE:LINE" shortened from the
 * left of FILE, keeping the line. */
const char *ir_place(struct arena *a, const struct loc *loc, const char *prefix,
		     const char *suffix, size_t max);

#endif

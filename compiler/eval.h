/*
 * eval.h - what a policy does to one packet, decided from the checked policy.
 *
 * The evaluator reads the sema result only (blocks, their prefixes, rules in
 * order, defaults), never the IR or a generated ruleset: it is the oracle
 * that the IR, both backends and apply are tested against, so it must not
 * share their decisions.  Ownership is a plain longest-prefix search over
 * every block's prefixes; a rule matches by its checked values.
 *
 * A packet is the first packet of a new flow.  Replies to allowed
 * connections are accepted before any block and never reach the evaluator.
 *
 * Before everything, the source check: a packet whose source lies in a
 * protected network must arrive through an interface that reaches that
 * network (the block's `via` list, or else the interface the router's
 * route to the source leaves by); otherwise it is forged and dropped.  The
 * evaluator cannot read a routing table, so the caller passes what it
 * knows (struct eval_routes); a packet without an arrival interface, or
 * whose route nobody told, is taken as arriving the right way.
 * ICMP messages that conntrack cannot take as the start of a connection
 * (errors, echo replies) are "invalid" when they answer no connection, and
 * d6c drops invalid packets to a protected destination before its rules.
 */
#ifndef D6C_EVAL_H
#define D6C_EVAL_H

#include <stdbool.h>

#include "addr.h"
#include "packet.h"
#include "sema.h"

/* What the router's route lookup would answer for a source address: the
 * interface of the longest route covering it, else dflt.  The kernel's
 * `fib saddr . iif oif missing` asks exactly this. */
struct eval_route {
	struct prefix pfx;
	const char *ifname;
};

struct eval_routes {
	const struct eval_route *v;
	int n;
	const char *dflt;       /* the default route's interface; NULL: unknown */
};

/* What conntrack makes of a packet that answers no connection. */
enum pkt_ct {
	PKT_CT_NEW,        /* starts a connection: TCP SYN, UDP, echo-request... */
	PKT_CT_UNTRACKED,  /* neighbour discovery and MLD: never tracked */
	PKT_CT_INVALID,    /* ICMP errors and replies: invalid when unsolicited */
};

enum eval_reason {
	EVAL_FORGED,       /* its source lies in a protected network, but it
	                      arrives through an interface that does not reach
	                      it: dropped before anything else */
	EVAL_UNPROTECTED,  /* no block owns the destination: accepted, untouched */
	EVAL_INVALID,      /* conntrack calls it invalid: dropped before the rules */
	EVAL_RULE,         /* a rule of the owning block */
	EVAL_DEFAULT,      /* the owning block's default */
};

struct eval_result {
	enum verdict verdict;
	enum eval_reason reason;
	bool log;
	const struct log_spec *log_spec;         /* when log: its limit and group */
	const struct sema_block *block;          /* the owner; NULL: unprotected */
	const struct sema_prefix *prefix;        /* its longest prefix holding dst */
	const struct sema_block *broader;        /* another block with a shorter
	                                            prefix holding dst, the longest
	                                            such; NULL when none */
	const struct sema_prefix *broader_prefix;
	const struct sema_rule *rule;            /* EVAL_RULE */
	int rule_index;                          /* its index in block->rules */
	/* The source check.  src_block: the block whose prefix (src_prefix,
	 * the longest) holds the source; NULL: the source is in no block and
	 * nothing is checked.  route_if: the interface the check wanted the
	 * packet on (for a `via` block, its first name); NULL when the route
	 * is unknown, and then route_unknown says the packet was let through
	 * on trust. */
	const struct sema_block *src_block;
	const struct sema_prefix *src_prefix;
	const char *route_if;
	bool route_unknown;
};

/* A kernel release as the evaluator compares them, e.g. EVAL_KERNEL(6, 10):
 * what conntrack tracks changed between releases (eval_conntrack). */
#define EVAL_KERNEL(major, minor) ((major) * 1000 + (minor))
/* The release of uname's string ("6.1.0-18-amd64"); 0, older than any, when
 * it is not one. */
int eval_kernel_parse(const char *release);

/* How conntrack takes p's first packet on kernel (EVAL_KERNEL). */
enum pkt_ct eval_conntrack(const struct pkt *p, int kernel);
/* Does rule r match packet p?  Judged on the rule's checked values alone;
 * the caller has already decided that p's destination is r's block's. */
bool eval_rule_matches(const struct sema_rule *r, const struct pkt *p);
/* The longest prefix holding addr among every block's, or NULL; *block
 * receives its block.  Skips the block `except` (NULL: none) and prefixes no
 * shorter than below_len (129: any length). */
const struct sema_prefix *eval_owner(const struct sema_policy *pol, int family, u128 addr,
				     const struct sema_block *except, int below_len,
				     const struct sema_block **block);
/* eval_packet_routed with no routes known. */
struct eval_result eval_packet(const struct sema_policy *pol, const struct pkt *p, int kernel);
/* What pol does to p on kernel (EVAL_KERNEL); routes NULL: none known. */
struct eval_result eval_packet_routed(const struct sema_policy *pol, const struct pkt *p,
				      const struct eval_routes *routes, int kernel);
/* Does block b's source check let a packet from src in through iif?  For a
 * `via` block, iif must be one of its names; else routes decide (and
 * *unknown is set when they cannot). */
bool eval_source_ok(const struct sema_block *b, int family, u128 src, const char *iif,
		    const struct eval_routes *routes, const char **want, bool *unknown);

/* nftables' way to say what a reject sends back for this packet. */
const char *eval_reject_kind(const struct pkt *p);
extern const char *const eval_verdict_word[];   /* accept, drop, reject */

#endif

/*
 * docker_rule.h - the one rule d6c keeps in Docker's iptables chains.
 *
 * Docker's iptables backend filters forwarded traffic in its own chains, on
 * the same hook as d6c's table, and drops what it does not publish: an
 * accept of d6c's does not reach the container unless a rule of Docker's
 * table accepts it too.  With an accept mark (--accept-mark, or the default
 * IR_DEFAULT_ACCEPT_MARK) d6c marks what it accepts, and this rule accepts
 * the mark, for each family Docker filters:
 *
 *   -m mark --mark VALUE/MASK -m comment --comment d6c-accept -j ACCEPT
 *
 * first in DOCKER-USER where Docker made that chain (Docker 28 for both
 * families, every version for IPv4), else first in FORWARD where Docker's
 * jumps are (Docker 20.10's ip6tables); nowhere where Docker does not filter
 * the family.  Always through the iptables and ip6tables commands, which
 * pick the backend Docker uses: Docker's xtables tables are never written
 * with native nftables expressions.  The comment tells d6c's rule from
 * anyone else's, whatever mark it carries.
 */
#ifndef D6C_DOCKER_RULE_H
#define D6C_DOCKER_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOCKER_RULE_COMMENT "d6c-accept"

enum dr_place {
	DR_NONE,          /* Docker does not filter this family: no rule needed */
	DR_DOCKER_USER,   /* first in DOCKER-USER */
	DR_FORWARD,       /* first in FORWARD (no DOCKER-USER: Docker 20.10's IPv6) */
};

struct dr_family {
	const char *cmd;         /* "ip6tables" or "iptables" */
	bool usable;             /* the command ran and listed the filter table */
	bool docker_user;        /* the chain DOCKER-USER exists */
	bool forward_drop;       /* FORWARD's policy is DROP */
	bool reached;            /* FORWARD's first rule jumps to DOCKER-USER */
	enum dr_place place;     /* where d6c's rule belongs */
	int position;            /* 1-based place of d6c's rule in that chain; 0 */
	bool current;            /* there, first, with the mark asked for */
	int copies;              /* d6c's rules in FORWARD and DOCKER-USER */
	char why[160];           /* !usable: what the command said */
};

struct dr_status {
	struct dr_family fam[2];   /* [0] IPv6, [1] IPv4 */
};

/* The command of each family, in dr_status's order. */
extern const char *const docker_rule_cmd[2];

/* Reads where Docker filters and where d6c's rule is, for mark/mask. */
void docker_rule_inspect(uint32_t mark, uint32_t mask, struct dr_status *st);

/* Puts d6c's rule first where it belongs, with this mark, in each family
 * that needs it, and removes every other copy.  Writes what it did into
 * done (empty: nothing was needed).  0, or -1 with the reason in err. */
int docker_rule_ensure(uint32_t mark, uint32_t mask, char *done, size_t donelen, char *err,
		       size_t errlen);

/* Removes every rule of d6c's from FORWARD and DOCKER-USER, both families.
 * Returns how many were removed, or -1 with the reason in err. */
int docker_rule_remove(char *err, size_t errlen);

#endif

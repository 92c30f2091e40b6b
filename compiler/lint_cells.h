/*
 * lint_cells.h - one packet for every distinct case of a rule, for lint.
 *
 * A rule's match space is cut into cells at every boundary the other rules
 * it is compared with draw (family, protocol, destination port, ICMP type,
 * source address): inside one cell each of those rules matches every
 * packet or none, so one packet per cell answers for the whole cell.  The
 * destination is no dimension: every rule of a block sees the same ones.
 * lint.c asks whether earlier rules decide every cell (shadowing),
 * lint_redundant.c whether later ones decide them alike.
 */
#ifndef D6C_LINT_CELLS_H
#define D6C_LINT_CELLS_H

#include <stdbool.h>

#include "packet.h"
#include "sema.h"

/* More cells than this and the rule is not judged.  Cells multiply (a
 * source split times a port split), so this bounds a rule's time. */
#define LINT_CELL_MAX 200000
/* Ports and sources eval_rule_matches may scan for one rule: thousands of
 * cells against rules holding thousands of values each would otherwise
 * take minutes. */
#define LINT_WORK_MAX 10000000

struct lint_vec {
	u128 *v;
	size_t n, cap;
};

#define LINT_NPROTO 4   /* enum pkt_proto: tcp, udp, icmp, other */

struct lint_cells {
	/* Per family (index 0 IPv4, 1 IPv6): one source address per cell, and
	 * per protocol one port or ICMP type per cell (none: the rule cannot
	 * match that protocol; PKT_OTHER holds one placeholder). */
	struct lint_vec src[2];
	struct lint_vec inner[2][LINT_NPROTO];
};

/* The cells of rule j of b, cut where rules [0, upto) other than j draw a
 * boundary; false when there would be more than LINT_CELL_MAX.  Either way
 * the caller calls lint_cells_free(). */
bool lint_cells_make(const struct sema_block *b, int j, int upto, struct lint_cells *c);
void lint_cells_free(struct lint_cells *c);

/* Calls visit with one packet of each cell, family by family, until it
 * returns non-zero; returns that value, or 0 when every cell was visited. */
int lint_cells_each(const struct sema_block *b, int j, const struct lint_cells *c,
		    int (*visit)(void *ctx, const struct pkt *p), void *ctx);

/* What eval_rule_matches(e, p) scans, for the LINT_WORK_MAX budget. */
long lint_match_work(const struct sema_rule *e, const struct pkt *p);

/* Does rule r name protocol p (PROTO_ANY names them all)? */
bool lint_rule_has_proto(const struct sema_rule *r, enum pkt_proto p);

struct lint_span {
	u128 lo, hi;
};

/* The addresses of family f that r's sources hold, as sorted, merged spans
 * (the caller frees *out); returns the count. */
size_t lint_source_spans(const struct sema_rule *r, int f, struct lint_span **out);
u128 lint_family_max(int family);

/* "lines 2 and 3", "lines 2, 3 and 5", "line 4" into buf: the lines of the
 * rules i < n of b with mark[i] (all on one line: once), a handful named
 * and the rest counted. */
void lint_format_lines(char *buf, size_t size, const struct sema_block *b,
		       const bool *mark, int n);

#endif

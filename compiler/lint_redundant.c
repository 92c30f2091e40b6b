/*
 * lint_redundant.c - rules whose packets the rules after them decide the
 * same way (D6C-W016): `allow icmp echo-request from A;` before
 * `allow icmp basic;`.
 *
 * A rule is redundant when, for every packet it decides, the first later
 * rule that matches gives the same verdict and neither logs: without it
 * nothing changes.  A rule that logs never is (its log lines name its own
 * line and spend its own token bucket), nor one whose packets a logging
 * rule would take over.  The block's default never stands in for a later
 * rule: `deny tcp 23;` before `default drop;` is how people write down
 * intent, and warning at it would bury the warnings that matter.
 *
 * Each warning holds alone (remove that one rule: nothing changes) and
 * all of them hold together.  So rules are judged first to last, each as
 * if those already found redundant were gone; and a rule whose packets
 * would fall to a rule told it can never match (lint.c) is not redundant:
 * that rule can never match only because this one is there.  Two copies
 * of a rule get one warning (W001, at the second), not one each.
 *
 * Cost: the cells of rule j are cut at the boundaries of every other rule
 * of the block, and each cell is tried against the rules of the block, so
 * a block of n rules costs O(n^2) cells times O(n) tries, bounded by
 * LINT_CELL_MAX and LINT_WORK_MAX per rule (past them: no warning).
 */
#include "lint_redundant.h"
#include "lint_cells.h"
#include "arena.h"
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>

enum {
	SAME,        /* this packet goes the same way without the rule */
	DIFFERS,     /* this one does not (or nobody else decides it) */
	TOO_MUCH,    /* past the work budget: no judgement */
};

struct redundancy {
	const struct sema_block *b;
	int j;
	const bool *never;    /* told it can never match */
	const bool *gone;     /* found redundant before j */
	bool *decides;    /* rule k > j takes over some packet */
	bool reached;     /* some packet reaches rule j at all */
	long work;
};

static int same_without(void *ctx, const struct pkt *p)
{
	struct redundancy *rd = ctx;
	const struct sema_block *b = rd->b;
	const struct sema_rule *r = &b->rules[rd->j];
	for (int i = 0; i < rd->j; i++) {
		if (b->rules[i].bad || rd->gone[i])
			continue;
		rd->work += lint_match_work(&b->rules[i], p);
		if (eval_rule_matches(&b->rules[i], p))
			return SAME;   /* decided before the rule: not its packet */
	}
	rd->reached = true;
	for (int k = rd->j + 1; k < b->nrules; k++) {
		const struct sema_rule *e = &b->rules[k];
		if (e->bad)
			continue;
		rd->work += lint_match_work(e, p);
		if (!eval_rule_matches(e, p))
			continue;
		if (rd->never[k] || e->verdict != r->verdict || e->log)
			return DIFFERS;
		rd->decides[k] = true;
		return rd->work > LINT_WORK_MAX ? TOO_MUCH : SAME;
	}
	return DIFFERS;   /* the default would decide it */
}

/* Is rule j redundant, given the rules gone? */
static bool redundant(const struct sema_block *b, int j, const bool *never, const bool *gone,
		      bool *decides)
{
	const struct sema_rule *r = &b->rules[j];
	if (r->bad || never[j] || r->log)
		return false;
	for (int k = 0; k < b->nrules; k++)
		decides[k] = false;
	struct lint_cells c = { 0 };
	struct redundancy rd = { .b = b, .j = j, .never = never, .gone = gone,
				 .decides = decides };
	bool same = lint_cells_make(b, j, b->nrules, &c) &&
		    lint_cells_each(b, j, &c, same_without, &rd) == SAME && rd.reached;
	lint_cells_free(&c);
	return same;
}

static const char *const verdict_word[] = {
	[VERDICT_ACCEPT] = "allow", [VERDICT_DROP] = "deny", [VERDICT_REJECT] = "reject",
};

void lint_redundant(struct diag_list *dl, const struct sema_block *b, const bool *never)
{
	size_t n = (size_t)b->nrules + 1;
	bool *gone = xmalloc(sizeof(bool) * n), *decides = xmalloc(sizeof(bool) * n);
	for (int j = 0; j < b->nrules; j++)
		gone[j] = false;
	for (int j = 0; j < b->nrules; j++) {
		if (!redundant(b, j, never, gone, decides))
			continue;
		gone[j] = true;
		const struct sema_rule *r = &b->rules[j];
		int count = 0;
		for (int k = j + 1; k < b->nrules; k++)
			count += decides[k];
		char lines[128];
		lint_format_lines(lines, sizeof(lines), b, decides, b->nrules);
		struct diag *d = diag_warning(dl, DC_W_REDUNDANT, r->loc,
			"rule is redundant: without it, the rule%s at %s give%s every packet it "
			"decides the same verdict (%s)", count > 1 ? "s" : "", lines,
			count > 1 ? "" : "s", verdict_word[r->verdict]);
		for (int k = j + 1; k < b->nrules; k++)
			if (decides[k])
				diag_note(dl, d, b->rules[k].loc, count > 1
					  ? "one of the rules that would decide them is here"
					  : "the rule that would decide them is here");
	}
	free(gone);
	free(decides);
}

/*
 * lint.c - shadowed rules and unreachable blocks.
 *
 * "Shadowed" is decided conservatively: an earlier rule must match every
 * packet the later one matches, judged on the checked values (families,
 * protocol, ports, ICMP types, sources).  When in doubt, no warning: a
 * linter that cries wolf gets switched off.
 */
#include "lint.h"

#include <stdbool.h>
#include <stdlib.h>

static bool ports_cover(const struct sema_rule *outer, const struct sema_rule *inner)
{
	if (outer->all_ports)
		return true;
	if (inner->all_ports)
		return false;
	/* Both lists are sorted and merged: each inner range lies in one outer range. */
	for (int i = 0; i < inner->nports; i++) {
		bool in = false;
		for (int j = 0; j < outer->nports && !in; j++)
			in = inner->ports[i].lo >= outer->ports[j].lo &&
			     inner->ports[i].hi <= outer->ports[j].hi;
		if (!in)
			return false;
	}
	return true;
}

static bool icmp_subset(const struct icmp_set *inner, const struct icmp_set *outer)
{
	for (int i = 0; i < 4; i++)
		if (inner->bits[i] & ~outer->bits[i])
			return false;
	return true;
}

static bool icmp_cover(const struct sema_rule *outer, const struct sema_rule *inner)
{
	if (outer->all_icmp)
		return true;
	if (inner->all_icmp)
		return false;
	if ((inner->families & FAM_IP4) && !icmp_subset(&inner->icmp4, &outer->icmp4))
		return false;
	if ((inner->families & FAM_IP6) && !icmp_subset(&inner->icmp6, &outer->icmp6))
		return false;
	return true;
}

static bool sources_cover(const struct sema_rule *outer, const struct sema_rule *inner)
{
	if (outer->any_source)
		return true;
	if (inner->any_source)
		return false;
	for (int i = 0; i < inner->nsources; i++) {
		bool in = false;
		for (int j = 0; j < outer->nsources && !in; j++)
			in = addr_covers(&outer->sources[j].pfx, &inner->sources[i].pfx);
		if (!in)
			return false;
	}
	return true;
}

/* outer matches every packet inner matches. */
static bool covers(const struct sema_rule *outer, const struct sema_rule *inner)
{
	if (inner->families & ~outer->families)
		return false;
	if (outer->proto != PROTO_ANY && outer->proto != inner->proto)
		return false;
	if ((outer->proto == PROTO_TCP || outer->proto == PROTO_UDP) && !ports_cover(outer, inner))
		return false;
	if (outer->proto == PROTO_ICMP && !icmp_cover(outer, inner))
		return false;
	return sources_cover(outer, inner);
}

static void check_shadowing(struct diag_list *dl, const struct sema_block *b)
{
	for (int j = 1; j < b->nrules; j++) {
		const struct sema_rule *r = &b->rules[j];
		if (r->bad)
			continue;
		for (int i = 0; i < j; i++) {
			const struct sema_rule *e = &b->rules[i];
			if (e->bad || !covers(e, r))
				continue;
			struct diag *d = diag_warning(dl, r->loc,
				"rule can never match: the rule at line %d already decides all its packets",
				e->loc.first_line);
			diag_note(dl, d, e->loc, "shadowing rule is here");
			break;
		}
	}
}

void lint_check(struct diag_list *dl, const struct sema_policy *p,
		const struct ir_policy *ir)
{
	bool *reached = calloc((size_t)p->nblocks + 1, sizeof(bool));
	for (int i = 0; i < ir->dispatch4.n; i++)
		reached[ir->dispatch4.v[i].chain] = true;
	for (int i = 0; i < ir->dispatch6.n; i++)
		reached[ir->dispatch6.v[i].chain] = true;
	for (int i = 0; i < p->nblocks; i++) {
		const struct sema_block *b = &p->blocks[i];
		check_shadowing(dl, b);
		if (!reached[i] && b->nprefixes > 0)
			diag_warning(dl, b->loc,
				     "no packet reaches this block: every one of its prefixes is "
				     "covered by more specific blocks");
	}
	free(reached);
}

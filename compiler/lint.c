/*
 * lint.c - rules that can never match, blocks no packet reaches, odd sources.
 *
 * Whether a rule matches a packet is the evaluator's question
 * (eval_rule_matches in eval.c), so lint cannot disagree with the
 * test oracle about what a rule means.  To put that question for every
 * packet a rule matches, its match space is cut into cells (lint_cells.h)
 * at every boundary an earlier rule of the block draws; one packet per
 * cell answers for the whole cell.  Rules that can never match are found
 * here; rules that match but change nothing in lint_redundant.c.
 *
 * When in doubt, no warning: a linter that cries wolf gets switched off.
 * A rule whose cells would be too many to try is not judged at all.
 */
#include "lint.h"
#include "lint_redundant.h"
#include "lint_cells.h"
#include "arena.h"
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- shadowed rules ---- */

enum verdict_of_cells {
	CELLS_DECIDED,    /* earlier rules decide every packet so far */
	CELLS_OPEN,       /* some packet of the rule reaches it */
	CELLS_UNJUDGED,   /* too much work to tell */
};

struct judge {
	const struct sema_block *b;
	int j;
	bool *alive;      /* rule i matched every cell so far */
	bool *decides;    /* rule i is the first match of some cell */
	long work;
};

/* Tries one packet against the earlier rules: the first that matches
 * decides it, and every rule still alive is asked too, so that a single
 * rule matching everything is found even when it is not always first. */
static int try_packet(void *ctx, const struct pkt *p)
{
	struct judge *jd = ctx;
	int first = -1;
	for (int i = 0; i < jd->j; i++) {
		const struct sema_rule *e = &jd->b->rules[i];
		if (e->bad || (first >= 0 && !jd->alive[i]))
			continue;
		jd->work += lint_match_work(e, p);
		if (eval_rule_matches(e, p)) {
			if (first < 0)
				first = i;
		} else {
			jd->alive[i] = false;
		}
	}
	if (first < 0)
		return CELLS_OPEN;
	jd->decides[first] = true;
	return jd->work > LINT_WORK_MAX ? CELLS_UNJUDGED : CELLS_DECIDED;
}

/* Warns when earlier rules decide every packet of rule j; true then. */
static bool check_shadowing(struct diag_list *dl, const struct sema_block *b, int j)
{
	const struct sema_rule *r = &b->rules[j];
	struct lint_cells c = { 0 };
	struct judge jd = { .b = b, .j = j };
	jd.alive = xmalloc(sizeof(bool) * (size_t)j);
	jd.decides = xmalloc(sizeof(bool) * (size_t)j);
	for (int i = 0; i < j; i++) {
		jd.alive[i] = !b->rules[i].bad;
		jd.decides[i] = false;
	}
	bool shadowed = lint_cells_make(b, j, j, &c) &&
			lint_cells_each(b, j, &c, try_packet, &jd) == CELLS_DECIDED;
	if (shadowed) {
		int single = -1;
		for (int i = 0; i < j && single < 0; i++)
			if (jd.alive[i])
				single = i;
		if (single >= 0) {
			struct diag *d = diag_warning(dl, DC_W_SHADOWED, r->loc,
				"rule can never match: the rule at line %d already decides all its packets",
				b->rules[single].loc.first_line);
			diag_note(dl, d, b->rules[single].loc, "shadowing rule is here");
		} else {
			char lines[128];
			lint_format_lines(lines, sizeof(lines), b, jd.decides, j);
			struct diag *d = diag_warning(dl, DC_W_SHADOWED_UNION, r->loc,
				"rule can never match: the rules at %s together already decide all its packets",
				lines);
			for (int i = 0; i < j; i++)
				if (jd.decides[i])
					diag_note(dl, d, b->rules[i].loc,
						  "one of the shadowing rules is here");
		}
	}
	lint_cells_free(&c);
	free(jd.alive);
	free(jd.decides);
	return shadowed;
}

/* Every protocol, from every address of family f. */
static bool matches_family(const struct sema_rule *r, int f)
{
	if (r->bad || r->proto != PROTO_ANY || !(r->families & f))
		return false;
	struct lint_span *s;
	size_t n = lint_source_spans(r, f, &s);
	bool all = n == 1 && s[0].lo == 0 && s[0].hi == lint_family_max(f);
	free(s);
	return all;
}

/* Every protocol, from every address of each of the block's families. */
static bool matches_everything(const struct sema_block *b, const struct sema_rule *r)
{
	if (r->bad || r->families != b->families)
		return false;
	for (int f = FAM_IP4; f <= FAM_IP6; f <<= 1)
		if ((b->families & f) && !matches_family(r, f))
			return false;
	return true;
}

static void tell_after_match_all(struct diag_list *dl, const struct sema_block *b,
				 const struct sema_rule *r, int all)
{
	const struct loc *m = &b->rules[all].loc;
	struct diag *d = r->loc.first_line > m->first_line
		? diag_warning(dl, DC_W_AFTER_MATCH_ALL, r->loc,
			"rules after line %d can never match: the rule at line %d matches "
			"every packet to this block", m->first_line, m->first_line)
		: diag_warning(dl, DC_W_AFTER_MATCH_ALL, r->loc,
			"this rule and those after it can never match: the rule at line %d "
			"matches every packet to this block", m->first_line);
	diag_note(dl, d, *m, "the rule that matches every packet is here");
	if (b->has_default)
		diag_note(dl, d, b->default_loc, "this default never applies either");
}

/* In a block of both families, a rule that decides every packet of one
 * (`deny from ::/0`) hides that half of every later rule. */
static void tell_after_family_all(struct diag_list *dl, const struct sema_block *b,
				  const struct sema_rule *r, int all, int f)
{
	const char *fam = addr_family_name(f);
	struct diag *d = diag_warning(dl, DC_W_AFTER_FAMILY_ALL, r->loc,
		"%s packets never reach this rule or the rules after it: the rule at line %d "
		"decides every %s packet to this block", fam, b->rules[all].loc.first_line, fam);
	diag_note(dl, d, b->rules[all].loc, "the rule that decides every %s packet is here", fam);
}

/* Rules after one that matches everything are one mistake, not many:
 * one warning for all of them, and none of their own; so are the halves
 * of later rules after one that matches a whole family.  quiet[j] is set
 * for every rule told it can never match (lint_redundant.c leaves them
 * alone, and counts them as gone). */
static void check_rules(struct diag_list *dl, const struct sema_block *b, bool *quiet)
{
	int all = -1, fam_all[2] = { -1, -1 };   /* index 0 IPv4, 1 IPv6 */
	bool told = false, fam_told[2] = { false, false };
	for (int j = 0; j < b->nrules; j++) {
		const struct sema_rule *r = &b->rules[j];
		quiet[j] = false;
		if (r->bad)
			continue;
		if (all >= 0) {
			quiet[j] = true;
			if (!told)
				tell_after_match_all(dl, b, r, all);
			told = true;
			continue;
		}
		int hidden = 0;
		for (int fi = 0; fi < 2; fi++) {
			int f = fi == 0 ? FAM_IP4 : FAM_IP6;
			if (fam_all[fi] < 0 || !(r->families & f))
				continue;
			hidden |= f;
			if (!fam_told[fi])
				tell_after_family_all(dl, b, r, fam_all[fi], f);
			fam_told[fi] = true;
		}
		if (hidden == r->families)
			quiet[j] = true;
		else if (j > 0)
			quiet[j] = check_shadowing(dl, b, j);
		if (matches_everything(b, r)) {
			all = j;
			continue;
		}
		for (int fi = 0; b->families == FAM_BOTH && fi < 2; fi++)
			if (fam_all[fi] < 0 && matches_family(r, fi == 0 ? FAM_IP4 : FAM_IP6))
				fam_all[fi] = j;
	}
	if (all >= 0 && !told && b->has_default) {
		struct diag *d = diag_warning(dl, DC_W_DEFAULT_UNUSED, b->default_loc,
			"this default never applies: the rule at line %d matches every packet "
			"to this block", b->rules[all].loc.first_line);
		diag_note(dl, d, b->rules[all].loc, "the rule that matches every packet is here");
	}
}

/* ---- sources inside other sources of the same rule ---- */

struct src_span {
	u128 first, last;
	int family, len;
	const struct sema_prefix *p;
};

static int cmp_src_span(const void *pa, const void *pb)
{
	const struct src_span *a = pa, *b = pb;
	if (a->family != b->family)
		return a->family - b->family;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return a->len - b->len;   /* the outer prefix first */
}

static bool same_place(const struct loc *x, const struct loc *y)
{
	return x->file == y->file && x->first_line == y->first_line &&
	       x->first_column == y->first_column;
}

/* `from 2001:db8:1::/48, 2001:db8:1:2::/64`: the second adds nothing.
 * Sorted by first address, outer first, a source lies inside another
 * exactly when it starts before the current outermost one ends (prefixes
 * nest or are disjoint): O(s log s) a rule.  A define's values take the
 * place of its name in the rule; two from one name are the define's
 * doing, not the rule's, and a warning at each rule using it would repeat
 * itself. */
static void check_nested_sources(struct diag_list *dl, const struct sema_rule *r)
{
	if (r->bad || r->nsources < 2)
		return;
	struct src_span *v = xmalloc(sizeof(*v) * (size_t)r->nsources);
	for (int i = 0; i < r->nsources; i++)
		v[i] = (struct src_span){ addr_first(&r->sources[i].pfx), addr_last(&r->sources[i].pfx),
					  r->sources[i].pfx.family, r->sources[i].pfx.len,
					  &r->sources[i] };
	qsort(v, (size_t)r->nsources, sizeof(*v), cmp_src_span);
	size_t outer = 0;
	for (size_t i = 1; i < (size_t)r->nsources; i++) {
		const struct src_span *o = &v[outer];
		if (v[i].family != o->family || v[i].first > o->last) {
			outer = i;
			continue;
		}
		if (same_place(&v[i].p->loc, &o->p->loc))
			continue;
		char in[ADDR_STRLEN], out[ADDR_STRLEN];
		addr_format(&v[i].p->pfx, in);
		addr_format(&o->p->pfx, out);
		struct diag *d = diag_warning(dl, DC_W_NESTED_SOURCE, v[i].p->loc,
			"source %s lies inside %s, already in this rule", in, out);
		diag_note(dl, d, o->p->loc, "the larger source is here");
	}
	free(v);
}

/* ---- sources inside the block's own prefixes ---- */

struct pfx_span {
	u128 first, last;
	int len;
	const struct sema_prefix *p;
};

static int cmp_pfx_span(const void *pa, const void *pb)
{
	const struct pfx_span *a = pa, *b = pb;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return a->len - b->len;   /* the outer prefix first */
}

/* The block's outermost prefixes of family f, in address order: prefixes
 * nest or are disjoint, so these are disjoint and hold all the others. */
static size_t outer_prefixes(const struct sema_block *b, int f, struct pfx_span *out)
{
	size_t n = 0;
	for (int i = 0; i < b->nprefixes; i++)
		if (b->prefixes[i].pfx.family == f)
			out[n++] = (struct pfx_span){ addr_first(&b->prefixes[i].pfx),
						      addr_last(&b->prefixes[i].pfx),
						      b->prefixes[i].pfx.len, &b->prefixes[i] };
	if (n == 0)
		return 0;
	qsort(out, n, sizeof(*out), cmp_pfx_span);
	size_t k = 0;
	for (size_t i = 1; i < n; i++)
		if (out[i].first > out[k].last)
			out[++k] = out[i];
	return k + 1;
}

/* Hosts of a network rarely reach each other through the router; a source
 * that only they can have is most likely a typo for another network.  A
 * source that holds one of the block's prefixes (its whole network, say)
 * is deliberate and is left alone. */
static void check_own_sources(struct diag_list *dl, const struct sema_block *b)
{
	struct pfx_span *outer = xmalloc(sizeof(*outer) * (size_t)(b->nprefixes + 1));
	for (int f = FAM_IP4; f <= FAM_IP6; f <<= 1) {
		size_t n = outer_prefixes(b, f, outer);
		for (int j = 0; n > 0 && j < b->nrules; j++) {
			const struct sema_rule *r = &b->rules[j];
			for (int k = 0; !r->bad && k < r->nsources; k++) {
				const struct sema_prefix *s = &r->sources[k];
				if (s->pfx.family != f)
					continue;
				u128 first = addr_first(&s->pfx), last = addr_last(&s->pfx);
				size_t lo = 0, hi = n;   /* the last outer prefix with first <= ours */
				while (hi - lo > 1) {
					size_t mid = lo + (hi - lo) / 2;
					if (outer[mid].first <= first)
						lo = mid;
					else
						hi = mid;
				}
				const struct pfx_span *o = &outer[lo];
				if (o->first > first || o->last < last || o->len >= s->pfx.len)
					continue;
				char src[ADDR_STRLEN], own[ADDR_STRLEN];
				addr_format(&s->pfx, src);
				addr_format(&o->p->pfx, own);
				diag_warning(dl, DC_W_OWN_SOURCE, s->loc,
					"source %s lies inside this block's own prefix %s: only hosts this "
					"block protects send from there, and traffic between them does not "
					"usually pass through this router", src, own);
			}
		}
	}
	free(outer);
}

/* ---- blocks no packet reaches ---- */

struct owned {
	u128 first, last;
	int family, len, block;
};

static int cmp_owned(const void *pa, const void *pb)
{
	const struct owned *a = pa, *b = pb;
	if (a->family != b->family)
		return a->family - b->family;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return a->len - b->len;
}

/* Does the union of other blocks' longer prefixes inside v[k] cover it?
 * Sorted by first address (outer first), everything inside v[k] follows
 * it directly, so one sweep that stops at the first gap decides.  A prefix
 * sits inside at most 128 others, which bounds the total work. */
static bool covered_by_others(const struct owned *v, size_t n, size_t k)
{
	const struct owned *p = &v[k];
	u128 next = p->first;   /* the first address not yet covered */
	for (size_t i = k + 1; i < n && v[i].family == p->family && v[i].first <= p->last; i++) {
		if (v[i].block == p->block || v[i].len <= p->len)
			continue;
		if (v[i].first > next)
			return false;
		if (v[i].last >= next) {
			if (v[i].last == p->last)
				return true;
			next = v[i].last + 1;
		}
	}
	return false;
}

static void check_reached(struct diag_list *dl, const struct sema_policy *p)
{
	size_t n = 0;
	for (int i = 0; i < p->nblocks; i++)
		n += (size_t)p->blocks[i].nprefixes;
	struct owned *v = xmalloc(sizeof(*v) * (n ? n : 1));
	bool *reached = xmalloc(sizeof(bool) * (size_t)(p->nblocks + 1));
	size_t k = 0;
	for (int i = 0; i < p->nblocks; i++) {
		reached[i] = false;
		for (int j = 0; j < p->blocks[i].nprefixes; j++) {
			const struct prefix *x = &p->blocks[i].prefixes[j].pfx;
			v[k++] = (struct owned){ addr_first(x), addr_last(x), x->family, x->len, i };
		}
	}
	qsort(v, n, sizeof(*v), cmp_owned);
	for (size_t i = 0; i < n; i++)
		if (!reached[v[i].block] && !covered_by_others(v, n, i))
			reached[v[i].block] = true;
	for (int i = 0; i < p->nblocks; i++)
		if (!reached[i] && p->blocks[i].nprefixes > 0)
			diag_warning(dl, DC_W_COVERED_BLOCK, p->blocks[i].loc,
				     "no packet reaches this block: every one of its prefixes is "
				     "covered by more specific blocks");
	free(reached);
	free(v);
}

void lint_check(struct diag_list *dl, const struct sema_policy *p)
{
	for (int i = 0; i < p->nblocks; i++) {
		const struct sema_block *b = &p->blocks[i];
		bool *quiet = xmalloc(sizeof(bool) * (size_t)(b->nrules + 1));
		check_rules(dl, b, quiet);
		lint_redundant(dl, b, quiet);
		for (int j = 0; j < b->nrules; j++)
			check_nested_sources(dl, &b->rules[j]);
		check_own_sources(dl, b);
		free(quiet);
	}
	check_reached(dl, p);
}

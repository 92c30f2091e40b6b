/*
 * lint.c - rules that can never match, blocks no packet reaches, odd sources.
 *
 * Whether a rule matches a packet is the evaluator's question
 * (eval_rule_matches in eval.c), so lint cannot disagree with the
 * test oracle about what a rule means.  To put that question for every
 * packet a rule matches, its match space is cut into cells at every boundary
 * an earlier rule of the block draws (family, protocol, destination port,
 * ICMP type, source address): inside one cell each earlier rule matches
 * every packet or none, so one packet per cell answers for the whole cell.
 * The destination is no dimension: every rule of a block sees the same ones.
 *
 * When in doubt, no warning: a linter that cries wolf gets switched off.
 * A rule whose cells would be too many to try is not judged at all.
 */
#include "lint.h"
#include "arena.h"
#include "eval.h"

#include <stdio.h>
#include <stdlib.h>

/* More cells than this and the rule is not judged.  Cells multiply (a
 * source split times a port split), so this bounds a rule's time. */
#define LINT_CELL_MAX 200000
/* Ports and sources eval_rule_matches may scan for one rule: thousands of
 * cells against earlier rules holding thousands of values each would
 * otherwise take minutes. */
#define LINT_WORK_MAX 10000000

#define PORT_MAX 65535

/* ---- sorted values and spans ---- */

struct vec {
	u128 *v;
	size_t n, cap;
};

struct span {
	u128 lo, hi;
};

static void vec_push(struct vec *x, u128 val)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 16;
		x->v = xrealloc(x->v, x->cap * sizeof(*x->v));
	}
	x->v[x->n++] = val;
}

static int cmp_u128(const void *pa, const void *pb)
{
	u128 a = *(const u128 *)pa, b = *(const u128 *)pb;
	return (a > b) - (a < b);
}

static void vec_sort_unique(struct vec *x)
{
	if (x->n < 2)
		return;
	qsort(x->v, x->n, sizeof(*x->v), cmp_u128);
	size_t k = 1;
	for (size_t i = 1; i < x->n; i++)
		if (x->v[i] != x->v[k - 1])
			x->v[k++] = x->v[i];
	x->n = k;
}

static int cmp_span(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return (a->hi > b->hi) - (a->hi < b->hi);
}

static u128 family_max(int family)
{
	return family == FAM_IP4 ? (u128)0xffffffffu : ~(u128)0;
}

/* Sorts spans and merges those that overlap or touch; returns the count. */
static size_t merge_spans(struct span *s, size_t n)
{
	if (n == 0)
		return 0;
	qsort(s, n, sizeof(*s), cmp_span);
	size_t k = 0;
	for (size_t i = 1; i < n; i++) {
		if (s[i].lo <= s[k].hi || s[i].lo - 1 == s[k].hi) {
			if (s[i].hi > s[k].hi)
				s[k].hi = s[i].hi;
		} else {
			s[++k] = s[i];
		}
	}
	return k + 1;
}

/* The addresses of family f that r's sources hold, as merged spans (the
 * caller frees *out). */
static size_t source_spans(const struct sema_rule *r, int f, struct span **out)
{
	*out = xmalloc(sizeof(**out) * (size_t)(r->nsources + 1));
	if (r->any_source) {
		(*out)[0] = (struct span){ 0, family_max(f) };
		return 1;
	}
	size_t n = 0;
	for (int i = 0; i < r->nsources; i++)
		if (r->sources[i].pfx.family == f)
			(*out)[n++] = (struct span){ addr_first(&r->sources[i].pfx),
						     addr_last(&r->sources[i].pfx) };
	return merge_spans(*out, n);
}

/* Appends the first value of every cell of spans (sorted, disjoint) once
 * cut where a cell begins (cuts: sorted, distinct).  False when more than
 * LINT_CELL_MAX would come out. */
static bool cut_spans(const struct span *s, size_t ns, const struct vec *cuts, struct vec *out)
{
	size_t c = 0;
	for (size_t i = 0; i < ns; i++) {
		vec_push(out, s[i].lo);
		while (c < cuts->n && cuts->v[c] <= s[i].lo)
			c++;
		for (; c < cuts->n && cuts->v[c] <= s[i].hi; c++)
			vec_push(out, cuts->v[c]);
		if (out->n > LINT_CELL_MAX)
			return false;
	}
	return true;
}

/* A cell begins at an earlier value's first and just after its last. */
static void add_cut(struct vec *cuts, u128 lo, u128 hi, u128 max)
{
	vec_push(cuts, lo);
	if (hi < max)
		vec_push(cuts, hi + 1);
}

/* ---- the cells of one rule ---- */

static const enum proto proto_of[] = {
	[PKT_TCP] = PROTO_TCP,
	[PKT_UDP] = PROTO_UDP,
	[PKT_ICMP] = PROTO_ICMP,
	[PKT_OTHER] = PROTO_ANY,
};

#define NPKT_PROTO 4

struct cells {
	/* Per family (index 0 IPv4, 1 IPv6): one source address per cell, and
	 * per protocol one port or ICMP type per cell (none: r cannot match
	 * that protocol; PKT_OTHER holds one placeholder). */
	struct vec src[2];
	struct vec inner[2][NPKT_PROTO];
};

static void cells_free(struct cells *c)
{
	for (int f = 0; f < 2; f++) {
		free(c->src[f].v);
		for (int p = 0; p < NPKT_PROTO; p++)
			free(c->inner[f][p].v);
	}
}

static bool rule_has_proto(const struct sema_rule *r, enum pkt_proto p)
{
	return r->proto == PROTO_ANY || r->proto == proto_of[p];
}

static bool source_cells(const struct sema_block *b, int j, int f, struct vec *out)
{
	const struct sema_rule *r = &b->rules[j];
	struct vec cuts = { 0 };
	for (int i = 0; i < j; i++) {
		const struct sema_rule *e = &b->rules[i];
		if (e->bad || e->any_source)
			continue;
		for (int k = 0; k < e->nsources; k++)
			if (e->sources[k].pfx.family == f)
				add_cut(&cuts, addr_first(&e->sources[k].pfx),
					addr_last(&e->sources[k].pfx), family_max(f));
	}
	vec_sort_unique(&cuts);
	struct span *s;
	size_t ns = source_spans(r, f, &s);
	bool ok = cut_spans(s, ns, &cuts, out);
	free(s);
	free(cuts.v);
	return ok;
}

static bool port_cells(const struct sema_block *b, int j, enum proto proto, struct vec *out)
{
	const struct sema_rule *r = &b->rules[j];
	struct vec cuts = { 0 };
	for (int i = 0; i < j; i++) {
		const struct sema_rule *e = &b->rules[i];
		if (e->bad || e->proto != proto || e->all_ports)
			continue;
		for (int k = 0; k < e->nports; k++)
			add_cut(&cuts, e->ports[k].lo, e->ports[k].hi, PORT_MAX);
	}
	vec_sort_unique(&cuts);
	bool every = r->proto == PROTO_ANY || r->all_ports;
	size_t ns = every ? 1 : (size_t)r->nports;
	struct span *s = xmalloc(sizeof(*s) * (ns ? ns : 1));
	if (every)
		s[0] = (struct span){ 0, PORT_MAX };
	for (size_t k = 0; !every && k < ns; k++)
		s[k] = (struct span){ r->ports[k].lo, r->ports[k].hi };
	bool ok = cut_spans(s, ns, &cuts, out);
	free(s);
	free(cuts.v);
	return ok;
}

/* One cell per ICMP type only when an earlier rule names types; otherwise
 * every type r matches gets the same answer from every earlier rule. */
static void icmp_cells(const struct sema_block *b, int j, int f, struct vec *out)
{
	const struct sema_rule *r = &b->rules[j];
	bool split = false;
	for (int i = 0; i < j && !split; i++)
		split = !b->rules[i].bad && b->rules[i].proto == PROTO_ICMP &&
			!b->rules[i].all_icmp;
	const struct icmp_set *types = f == FAM_IP4 ? &r->icmp4 : &r->icmp6;
	bool every = r->proto == PROTO_ANY || r->all_icmp;
	for (int t = 0; t < 256; t++) {
		if (!every && !icmp_set_has(types, t))
			continue;
		vec_push(out, (u128)t);
		if (!split)
			return;
	}
}

/* Fills c for rule j; false when it has more than LINT_CELL_MAX cells. */
static bool make_cells(const struct sema_block *b, int j, struct cells *c)
{
	const struct sema_rule *r = &b->rules[j];
	size_t total = 0;
	for (int fi = 0; fi < 2; fi++) {
		int f = fi == 0 ? FAM_IP4 : FAM_IP6;
		if (!(r->families & f))
			continue;
		if (!source_cells(b, j, f, &c->src[fi]))
			return false;
		size_t inner = 0;
		for (int p = 0; p < NPKT_PROTO; p++) {
			if (!rule_has_proto(r, (enum pkt_proto)p))
				continue;
			struct vec *v = &c->inner[fi][p];
			if (p == PKT_TCP || p == PKT_UDP) {
				if (!port_cells(b, j, proto_of[p], v))
					return false;
			} else if (p == PKT_ICMP) {
				icmp_cells(b, j, f, v);
			} else {
				vec_push(v, 0);
			}
			inner += v->n;
		}
		/* Both factors are below a million here: no overflow. */
		total += inner * c->src[fi].n;
		if (total > LINT_CELL_MAX)
			return false;
	}
	return true;
}

/* ---- shadowed rules ---- */

enum verdict_of_cells {
	CELLS_OPEN,       /* some packet of the rule reaches it */
	CELLS_DECIDED,    /* earlier rules decide every packet */
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
static enum verdict_of_cells try_packet(struct judge *jd, const struct pkt *p)
{
	int first = -1;
	for (int i = 0; i < jd->j; i++) {
		const struct sema_rule *e = &jd->b->rules[i];
		if (e->bad || (first >= 0 && !jd->alive[i]))
			continue;
		/* What eval_rule_matches scans: nothing past a protocol it
		 * does not match. */
		if (rule_has_proto(e, p->proto))
			jd->work += 1 + e->nports + e->nsources;
		else
			jd->work++;
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

static enum verdict_of_cells judge_cells(struct judge *jd, const struct cells *c)
{
	const struct sema_rule *r = &jd->b->rules[jd->j];
	for (int fi = 0; fi < 2; fi++) {
		int f = fi == 0 ? FAM_IP4 : FAM_IP6;
		if (!(r->families & f))
			continue;
		for (int pp = 0; pp < NPKT_PROTO; pp++) {
			const struct vec *in = &c->inner[fi][pp];
			for (size_t k = 0; k < in->n; k++) {
				for (size_t s = 0; s < c->src[fi].n; s++) {
					struct pkt p = { .family = f, .proto = (enum pkt_proto)pp,
							 .src = c->src[fi].v[s] };
					if (pp == PKT_TCP || pp == PKT_UDP)
						p.port = (int)in->v[k];
					else if (pp == PKT_ICMP)
						p.icmp_type = (int)in->v[k];
					enum verdict_of_cells v = try_packet(jd, &p);
					if (v != CELLS_DECIDED)
						return v;
				}
			}
		}
	}
	return CELLS_DECIDED;
}

/* "lines 2 and 3", "lines 2, 3 and 5", "line 4" (all on one line); at
 * most a handful named, the rest counted. */
static void format_lines(char *buf, size_t size, const struct sema_block *b,
			 const bool *decides, int j)
{
	enum { SHOWN = 5 };
	int lines[SHOWN] = { 0 }, nshown = 0, more = 0, last = -1;
	for (int i = 0; i < j; i++) {
		if (!decides[i] || b->rules[i].loc.first_line == last)
			continue;
		last = b->rules[i].loc.first_line;
		if (nshown < SHOWN)
			lines[nshown++] = last;
		else
			more++;
	}
	size_t n = (size_t)snprintf(buf, size, "line%s %d", nshown > 1 ? "s" : "", lines[0]);
	for (int k = 1; k < nshown && n < size; k++) {
		const char *sep = k < nshown - 1 || more ? ", " : " and ";
		n += (size_t)snprintf(buf + n, size - n, "%s%d", sep, lines[k]);
	}
	if (more && n < size)
		snprintf(buf + n, size - n, " and %d other line%s", more, more > 1 ? "s" : "");
}

static void check_shadowing(struct diag_list *dl, const struct sema_block *b, int j)
{
	const struct sema_rule *r = &b->rules[j];
	struct cells c = { 0 };
	struct judge jd = { .b = b, .j = j };
	jd.alive = xmalloc(sizeof(bool) * (size_t)j);
	jd.decides = xmalloc(sizeof(bool) * (size_t)j);
	for (int i = 0; i < j; i++) {
		jd.alive[i] = !b->rules[i].bad;
		jd.decides[i] = false;
	}
	if (make_cells(b, j, &c) && judge_cells(&jd, &c) == CELLS_DECIDED) {
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
			format_lines(lines, sizeof(lines), b, jd.decides, j);
			struct diag *d = diag_warning(dl, DC_W_SHADOWED_UNION, r->loc,
				"rule can never match: the rules at %s together already decide all its packets",
				lines);
			for (int i = 0; i < j; i++)
				if (jd.decides[i])
					diag_note(dl, d, b->rules[i].loc,
						  "one of the shadowing rules is here");
		}
	}
	cells_free(&c);
	free(jd.alive);
	free(jd.decides);
}

/* Every protocol, from every address of each of the block's families. */
static bool matches_everything(const struct sema_block *b, const struct sema_rule *r)
{
	if (r->bad || r->proto != PROTO_ANY || r->families != b->families)
		return false;
	for (int f = FAM_IP4; f <= FAM_IP6; f <<= 1) {
		if (!(b->families & f))
			continue;
		struct span *s;
		size_t n = source_spans(r, f, &s);
		bool all = n == 1 && s[0].lo == 0 && s[0].hi == family_max(f);
		free(s);
		if (!all)
			return false;
	}
	return true;
}

/* Rules after one that matches everything are one mistake, not many:
 * one warning for all of them, and none of their own. */
static void check_rules(struct diag_list *dl, const struct sema_block *b)
{
	int all = -1;
	bool told = false;
	for (int j = 0; j < b->nrules; j++) {
		const struct sema_rule *r = &b->rules[j];
		if (r->bad)
			continue;
		if (all < 0) {
			if (j > 0)
				check_shadowing(dl, b, j);
			if (matches_everything(b, r))
				all = j;
			continue;
		}
		if (told)
			continue;
		told = true;
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
	if (all >= 0 && !told && b->has_default) {
		struct diag *d = diag_warning(dl, DC_W_DEFAULT_UNUSED, b->default_loc,
			"this default never applies: the rule at line %d matches every packet "
			"to this block", b->rules[all].loc.first_line);
		diag_note(dl, d, b->rules[all].loc, "the rule that matches every packet is here");
	}
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
		check_rules(dl, &p->blocks[i]);
		check_own_sources(dl, &p->blocks[i]);
	}
	check_reached(dl, p);
}

/*
 * lint_cells.c - one packet for every distinct case of a rule (lint_cells.h).
 *
 * A cell begins at every first value and just after every last value the
 * compared rules name; the rule's own spans, cut there, give the cells.
 * Values are u128 throughout, so addresses, ports and ICMP types share the
 * one cutting routine.
 */
#include "lint_cells.h"
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>

#define PORT_MAX 65535

static void vec_push(struct lint_vec *x, u128 val)
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

static void vec_sort_unique(struct lint_vec *x)
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
	const struct lint_span *a = pa, *b = pb;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return (a->hi > b->hi) - (a->hi < b->hi);
}

u128 lint_family_max(int family)
{
	return family == FAM_IP4 ? (u128)0xffffffffu : ~(u128)0;
}

/* Sorts spans and merges those that overlap or touch; returns the count. */
static size_t merge_spans(struct lint_span *s, size_t n)
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

size_t lint_source_spans(const struct sema_rule *r, int f, struct lint_span **out)
{
	*out = xmalloc(sizeof(**out) * (size_t)(r->nsources + 1));
	if (r->any_source) {
		(*out)[0] = (struct lint_span){ 0, lint_family_max(f) };
		return 1;
	}
	size_t n = 0;
	for (int i = 0; i < r->nsources; i++)
		if (r->sources[i].pfx.family == f)
			(*out)[n++] = (struct lint_span){ addr_first(&r->sources[i].pfx),
							  addr_last(&r->sources[i].pfx) };
	return merge_spans(*out, n);
}

/* Appends the first value of every cell of spans (sorted, disjoint) once
 * cut where a cell begins (cuts: sorted, distinct).  False when more than
 * LINT_CELL_MAX would come out. */
static bool cut_spans(const struct lint_span *s, size_t ns, const struct lint_vec *cuts,
		      struct lint_vec *out)
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

/* A cell begins at a compared value's first and just after its last. */
static void add_cut(struct lint_vec *cuts, u128 lo, u128 hi, u128 max)
{
	vec_push(cuts, lo);
	if (hi < max)
		vec_push(cuts, hi + 1);
}

static const enum proto proto_of[] = {
	[PKT_TCP] = PROTO_TCP,
	[PKT_UDP] = PROTO_UDP,
	[PKT_ICMP] = PROTO_ICMP,
	[PKT_OTHER] = PROTO_ANY,
};

bool lint_rule_has_proto(const struct sema_rule *r, enum pkt_proto p)
{
	return r->proto == PROTO_ANY || r->proto == proto_of[p];
}

long lint_match_work(const struct sema_rule *e, const struct pkt *p)
{
	/* Nothing past a protocol it does not match. */
	return lint_rule_has_proto(e, p->proto) ? 1 + e->nports + e->nsources : 1;
}

void lint_cells_free(struct lint_cells *c)
{
	for (int f = 0; f < 2; f++) {
		free(c->src[f].v);
		for (int p = 0; p < LINT_NPROTO; p++)
			free(c->inner[f][p].v);
	}
}

/* Is rule i one of those the cells are cut for? */
static bool compared(const struct sema_block *b, int i, int j)
{
	return i != j && !b->rules[i].bad;
}

static bool source_cells(const struct sema_block *b, int j, int upto, int f,
			 struct lint_vec *out)
{
	struct lint_vec cuts = { 0 };
	for (int i = 0; i < upto; i++) {
		const struct sema_rule *e = &b->rules[i];
		if (!compared(b, i, j) || e->any_source)
			continue;
		for (int k = 0; k < e->nsources; k++)
			if (e->sources[k].pfx.family == f)
				add_cut(&cuts, addr_first(&e->sources[k].pfx),
					addr_last(&e->sources[k].pfx), lint_family_max(f));
	}
	vec_sort_unique(&cuts);
	struct lint_span *s;
	size_t ns = lint_source_spans(&b->rules[j], f, &s);
	bool ok = cut_spans(s, ns, &cuts, out);
	free(s);
	free(cuts.v);
	return ok;
}

static bool port_cells(const struct sema_block *b, int j, int upto, enum proto proto,
		       struct lint_vec *out)
{
	const struct sema_rule *r = &b->rules[j];
	struct lint_vec cuts = { 0 };
	for (int i = 0; i < upto; i++) {
		const struct sema_rule *e = &b->rules[i];
		if (!compared(b, i, j) || e->proto != proto || e->all_ports)
			continue;
		for (int k = 0; k < e->nports; k++)
			add_cut(&cuts, e->ports[k].lo, e->ports[k].hi, PORT_MAX);
	}
	vec_sort_unique(&cuts);
	bool every = r->proto == PROTO_ANY || r->all_ports;
	size_t ns = every ? 1 : (size_t)r->nports;
	struct lint_span *s = xmalloc(sizeof(*s) * (ns ? ns : 1));
	if (every)
		s[0] = (struct lint_span){ 0, PORT_MAX };
	for (size_t k = 0; !every && k < ns; k++)
		s[k] = (struct lint_span){ r->ports[k].lo, r->ports[k].hi };
	bool ok = cut_spans(s, ns, &cuts, out);
	free(s);
	free(cuts.v);
	return ok;
}

/* One cell per ICMP type only when a compared rule names types; otherwise
 * every type r matches gets the same answer from every compared rule. */
static void icmp_cells(const struct sema_block *b, int j, int upto, int f,
		       struct lint_vec *out)
{
	const struct sema_rule *r = &b->rules[j];
	bool split = false;
	for (int i = 0; i < upto && !split; i++)
		split = compared(b, i, j) && b->rules[i].proto == PROTO_ICMP &&
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

bool lint_cells_make(const struct sema_block *b, int j, int upto, struct lint_cells *c)
{
	const struct sema_rule *r = &b->rules[j];
	size_t total = 0;
	for (int fi = 0; fi < 2; fi++) {
		int f = fi == 0 ? FAM_IP4 : FAM_IP6;
		if (!(r->families & f))
			continue;
		if (!source_cells(b, j, upto, f, &c->src[fi]))
			return false;
		size_t inner = 0;
		for (int p = 0; p < LINT_NPROTO; p++) {
			if (!lint_rule_has_proto(r, (enum pkt_proto)p))
				continue;
			struct lint_vec *v = &c->inner[fi][p];
			if (p == PKT_TCP || p == PKT_UDP) {
				if (!port_cells(b, j, upto, proto_of[p], v))
					return false;
			} else if (p == PKT_ICMP) {
				icmp_cells(b, j, upto, f, v);
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

int lint_cells_each(const struct sema_block *b, int j, const struct lint_cells *c,
		    int (*visit)(void *ctx, const struct pkt *p), void *ctx)
{
	const struct sema_rule *r = &b->rules[j];
	for (int fi = 0; fi < 2; fi++) {
		int f = fi == 0 ? FAM_IP4 : FAM_IP6;
		if (!(r->families & f))
			continue;
		for (int pp = 0; pp < LINT_NPROTO; pp++) {
			const struct lint_vec *in = &c->inner[fi][pp];
			for (size_t k = 0; k < in->n; k++) {
				for (size_t s = 0; s < c->src[fi].n; s++) {
					struct pkt p = { .family = f, .proto = (enum pkt_proto)pp,
							 .src = c->src[fi].v[s] };
					if (pp == PKT_TCP || pp == PKT_UDP)
						p.port = (int)in->v[k];
					else if (pp == PKT_ICMP)
						p.icmp_type = (int)in->v[k];
					int v = visit(ctx, &p);
					if (v)
						return v;
				}
			}
		}
	}
	return 0;
}

void lint_format_lines(char *buf, size_t size, const struct sema_block *b,
		       const bool *mark, int n)
{
	enum { SHOWN = 5 };
	int lines[SHOWN] = { 0 }, nshown = 0, more = 0, last = -1;
	for (int i = 0; i < n; i++) {
		if (!mark[i] || b->rules[i].loc.first_line == last)
			continue;
		last = b->rules[i].loc.first_line;
		if (nshown < SHOWN)
			lines[nshown++] = last;
		else
			more++;
	}
	size_t k = (size_t)snprintf(buf, size, "line%s %d", nshown > 1 ? "s" : "", lines[0]);
	for (int i = 1; i < nshown && k < size; i++) {
		const char *sep = i < nshown - 1 || more ? ", " : " and ";
		k += (size_t)snprintf(buf + k, size - k, "%s%d", sep, lines[i]);
	}
	if (more && k < size)
		snprintf(buf + k, size - k, " and %d other line%s", more, more > 1 ? "s" : "");
}

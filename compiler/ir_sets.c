/*
 * ir_sets.c - rules' long lists as named sets of the table, one per content.
 *
 * The kernel walks its list of sets for every set it adds (ir.c), so an
 * anonymous set per rule makes loading quadratic in the rules; thousands of
 * blocks that each allow the same 20 admin prefixes cost thousands of sets.
 * So every list of IR_SET_MIN values or more becomes a set declared once in
 * the table, and every rule with the same list (same type, same elements
 * once sorted) names it.  Shorter lists stay in their rules: ir.c writes a
 * rule of at most 16 values as one rule per value anyway.
 *
 * The convention to know: a set's name depends on its content and nothing
 * else, not on which blocks use it or in what order they come, so the same
 * list keeps its name when the rest of the policy is edited (an incremental
 * apply can keep the set; `d6c diff` shows no change).  The name is a type
 * prefix and 12 hex digits of the 64-bit FNV-1a hash of the set's canonical
 * text (its type, then its sorted elements one a line).  Different contents
 * with the same name, rare at 48 bits, are told apart deterministically:
 * sorted by content, the second gets _2, the third _3.
 */
#include "ir.h"
#include "arena.h"
#include "fnv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ir_set_type_name[] = {
	[IR_SET_IP4] = "ipv4_addr",
	[IR_SET_IP6] = "ipv6_addr",
	[IR_SET_PORT] = "inet_service",
	[IR_SET_ICMP] = "icmp_type",
	[IR_SET_ICMPV6] = "icmpv6_type",
};

static const char *const set_prefix[] = {
	[IR_SET_IP4] = "s4_",
	[IR_SET_IP6] = "s6_",
	[IR_SET_PORT] = "p_",
	[IR_SET_ICMP] = "t4_",
	[IR_SET_ICMPV6] = "t6_",
};

/* A rule's list and the set that holds it (an index into the sets as
 * found, before they are sorted by name). */
struct ref {
	struct ir_rule *rule;
	bool saddr;            /* its sources; else its ports or ICMP types */
	int set;
};

struct found {
	struct ir_set set;
	uint64_t hash;
	const char *base;      /* the name before a collision's suffix */
	int index;             /* in st->sets, which refs name */
};

struct state {
	struct arena *a, scratch;
	struct found *sets;
	size_t nsets, capsets;
	struct ref *refs;
	size_t nrefs, caprefs;
	int *slot;             /* open addressing by hash: index into sets, -1 */
	size_t size;
	struct prefix *buf;    /* a list being normalised */
	size_t capbuf;
};

/* ---- canonical content ---- */

/* Element i of s as the canonical text hashes it: numbers for ICMP types,
 * so a name added to tables.c renames no set. */
static void elem_text(const struct ir_set *s, int i, char buf[ADDR_STRLEN])
{
	switch (s->type) {
	case IR_SET_IP4:
	case IR_SET_IP6:
		addr_format(&s->saddr[i], buf);
		break;
	case IR_SET_PORT:
		if (s->ports[i].lo == s->ports[i].hi)
			snprintf(buf, ADDR_STRLEN, "%u", s->ports[i].lo);
		else
			snprintf(buf, ADDR_STRLEN, "%u-%u", s->ports[i].lo, s->ports[i].hi);
		break;
	case IR_SET_ICMP:
	case IR_SET_ICMPV6:
		snprintf(buf, ADDR_STRLEN, "%u", s->types[i]);
		break;
	}
}

static uint64_t hash_set(const struct ir_set *s)
{
	uint64_t h = fnv(FNV_OFFSET, ir_set_type_name[s->type]);
	h = fnv(h, "\n");
	for (int i = 0; i < s->n; i++) {
		char buf[ADDR_STRLEN];
		elem_text(s, i, buf);
		h = fnv(fnv(h, buf), "\n");
	}
	return h;
}

/* An order of contents (same type): by size, then element by element. */
static int cmp_content(const struct ir_set *x, const struct ir_set *y)
{
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	for (int i = 0; i < x->n; i++) {
		int c = 0;
		switch (x->type) {
		case IR_SET_IP4:
		case IR_SET_IP6: {
			u128 a = addr_first(&x->saddr[i]), b = addr_first(&y->saddr[i]);
			c = a != b ? (a < b ? -1 : 1) : x->saddr[i].len - y->saddr[i].len;
			break;
		}
		case IR_SET_PORT:
			c = x->ports[i].lo != y->ports[i].lo ? (x->ports[i].lo < y->ports[i].lo ? -1 : 1)
			    : x->ports[i].hi != y->ports[i].hi ? (x->ports[i].hi < y->ports[i].hi ? -1 : 1)
			    : 0;
			break;
		case IR_SET_ICMP:
		case IR_SET_ICMPV6:
			c = x->types[i] - y->types[i];
			break;
		}
		if (c)
			return c;
	}
	return 0;
}

static int cmp_prefix(const void *pa, const void *pb)
{
	const struct prefix *x = pa, *y = pb;
	u128 a = addr_first(x), b = addr_first(y);
	if (a != b)
		return a < b ? -1 : 1;
	return x->len - y->len;   /* the outer prefix first */
}

/* The rule's sources sorted, without those inside another: nftables
 * refuses overlapping elements in a named interval set (an anonymous one
 * merged them).  Prefixes are nested or disjoint, so after sorting one is
 * inside another exactly when it starts before the last kept one ends.
 * Into st->buf, its length returned. */
static int normalise(struct state *st, const struct prefix *v, int n)
{
	if ((size_t)n > st->capbuf) {
		st->capbuf = (size_t)n * 2;
		st->buf = xrealloc(st->buf, sizeof(*st->buf) * st->capbuf);
	}
	memcpy(st->buf, v, sizeof(*v) * (size_t)n);
	qsort(st->buf, (size_t)n, sizeof(*st->buf), cmp_prefix);
	int k = 0;
	u128 end = 0;
	for (int i = 0; i < n; i++) {
		if (k > 0 && addr_first(&st->buf[i]) <= end)
			continue;
		st->buf[k++] = st->buf[i];
		end = addr_last(&st->buf[i]);
	}
	return k;
}

/* ---- finding each content once ---- */

static void grow_table(struct state *st)
{
	size_t size = st->size ? st->size * 2 : 64;
	int *slot = arena_alloc(&st->scratch, sizeof(*slot) * size);
	for (size_t i = 0; i < size; i++)
		slot[i] = -1;
	for (size_t i = 0; i < st->nsets; i++) {
		size_t at = st->sets[i].hash & (size - 1);
		while (slot[at] >= 0)
			at = (at + 1) & (size - 1);
		slot[at] = (int)i;
	}
	st->slot = slot;
	st->size = size;
}

/* The index of the set with s's content, added when new; s's elements
 * are copied into the compile's arena when they live in st->buf. */
static int intern(struct state *st, struct ir_set *s)
{
	if ((st->nsets + 1) * 2 > st->size)
		grow_table(st);
	uint64_t h = hash_set(s);
	size_t at = h & (st->size - 1);
	for (; st->slot[at] >= 0; at = (at + 1) & (st->size - 1)) {
		struct found *f = &st->sets[st->slot[at]];
		if (f->hash == h && cmp_content(&f->set, s) == 0) {
			f->set.users++;
			return st->slot[at];
		}
	}
	if (s->saddr && s->saddr == st->buf) {
		struct prefix *copy = arena_alloc(st->a, sizeof(*copy) * (size_t)s->n);
		memcpy(copy, s->saddr, sizeof(*copy) * (size_t)s->n);
		s->saddr = copy;
	}
	s->users = 1;
	ARENA_PUSH(&st->scratch, st->sets, st->nsets, st->capsets);
	st->sets[st->nsets - 1] = (struct found){ .set = *s, .hash = h };
	st->slot[at] = (int)st->nsets - 1;
	return (int)st->nsets - 1;
}

static void add_ref(struct state *st, struct ir_rule *r, bool saddr, struct ir_set *s)
{
	int set = intern(st, s);
	ARENA_PUSH(&st->scratch, st->refs, st->nrefs, st->caprefs);
	st->refs[st->nrefs - 1] = (struct ref){ r, saddr, set };
}

static void find_lists(struct state *st, struct ir_rule *r)
{
	if (r->nsaddr >= IR_SET_MIN) {
		struct ir_set s = { .type = r->family == FAM_IP4 ? IR_SET_IP4 : IR_SET_IP6 };
		s.n = normalise(st, r->saddr, r->nsaddr);
		s.saddr = st->buf;
		for (int i = 0; i < s.n; i++)
			if (s.saddr[i].len < addr_bits(s.saddr[i].family))
				s.interval = true;
		add_ref(st, r, true, &s);
	}
	if (r->ntypes >= IR_SET_MIN) {
		/* ascending and distinct (ir.c's icmp_list) */
		struct ir_set s = { .type = r->l4 == IR_L4_ICMP ? IR_SET_ICMP : IR_SET_ICMPV6,
				    .types = r->icmp_types, .n = r->ntypes };
		add_ref(st, r, false, &s);
	} else if (r->nports >= IR_SET_MIN) {
		/* sorted and merged (sema_value.c) */
		struct ir_set s = { .type = IR_SET_PORT, .ports = r->ports, .n = r->nports };
		for (int i = 0; i < s.n; i++)
			if (s.ports[i].lo != s.ports[i].hi)
				s.interval = true;
		add_ref(st, r, false, &s);
	}
}

/* ---- names ---- */

static int cmp_base(const void *pa, const void *pb)
{
	const struct found *x = pa, *y = pb;
	int c = strcmp(x->base, y->base);
	return c ? c : cmp_content(&x->set, &y->set);
}

static int cmp_name(const void *pa, const void *pb)
{
	const struct found *x = pa, *y = pb;
	return strcmp(x->set.name, y->set.name);
}

/* st's sets into ir, sorted by name, and each rule pointed at its set. */
static void publish(struct state *st, struct ir_policy *ir)
{
	size_t n = st->nsets;
	for (size_t i = 0; i < n; i++) {
		struct found *f = &st->sets[i];
		f->index = (int)i;
		f->base = arena_printf(st->a, "%s%012llx", set_prefix[f->set.type],
				       (unsigned long long)(f->hash & 0xffffffffffffull));
	}
	/* Sorted by name and content, a collision's contents are neighbours. */
	struct found *sorted = arena_alloc(&st->scratch, sizeof(*sorted) * n);
	memcpy(sorted, st->sets, sizeof(*sorted) * n);
	qsort(sorted, n, sizeof(*sorted), cmp_base);
	for (size_t i = 0, k = 1; i < n; i++) {
		k = i > 0 && strcmp(sorted[i].base, sorted[i - 1].base) == 0 ? k + 1 : 1;
		sorted[i].set.name = k == 1 ? sorted[i].base
					    : arena_printf(st->a, "%s_%zu", sorted[i].base, k);
	}
	qsort(sorted, n, sizeof(*sorted), cmp_name);
	int *now = arena_alloc(&st->scratch, sizeof(*now) * n);   /* found index -> ir's */
	ir->sets = arena_alloc(st->a, sizeof(*ir->sets) * n);
	ir->nsets = (int)n;
	for (size_t i = 0; i < n; i++) {
		ir->sets[i] = sorted[i].set;
		now[sorted[i].index] = (int)i;
	}
	for (size_t i = 0; i < st->nrefs; i++) {
		const struct ref *f = &st->refs[i];
		if (f->saddr)
			f->rule->saddr_set = 1 + now[f->set];
		else
			f->rule->l4_set = 1 + now[f->set];
	}
}

void ir_share_sets(struct arena *a, struct ir_policy *ir)
{
	struct state st = { .a = a };
	arena_init(&st.scratch);
	for (int i = 0; i < ir->nchains; i++)
		for (int j = 0; j < ir->chains[i].nrules; j++)
			find_lists(&st, &ir->chains[i].rules[j]);
	if (st.nsets)
		publish(&st, ir);
	free(st.buf);
	arena_free(&st.scratch);
}

/*
 * ir_source.c - lowering the source check: no forged source gets in.
 *
 * A packet whose source lies in a protected network must arrive through an
 * interface that reaches that network, or it is dropped before the reply
 * rule.  Without this, one forged packet "from" a container to an address
 * in no block is forwarded, conntrack records the flow, and the sender's
 * next packet to the container is that flow's reply: accepted, whatever
 * the block says.
 *
 * Which interface reaches a network: by default the router's own route to
 * the source (nftables' `fib saddr . iif oif missing`, strict reverse-path
 * filtering for protected sources only); for a block written with `via`,
 * exactly the interfaces it names.  Blocks with the same `via` names share
 * one check, and each family's protected prefixes are flattened into
 * disjoint ranges, longest prefix first, exactly as the dispatch maps are:
 * a /128 host block without `via` inside a /64 with one is checked by the
 * route, as the host's own block says.
 */
#include "ir.h"
#include "arena.h"

#include <stdlib.h>
#include <string.h>

static int cmp_name(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The names of b's `via`, sorted, joined: the key blocks share a check by. */
static const char *via_key(struct arena *a, const struct sema_block *b, const char ***sorted)
{
	const char **v = arena_alloc(a, sizeof(*v) * (size_t)b->nvia);
	memcpy(v, b->via, sizeof(*v) * (size_t)b->nvia);
	qsort(v, (size_t)b->nvia, sizeof(*v), cmp_name);
	size_t len = 1;
	for (int i = 0; i < b->nvia; i++)
		len += strlen(v[i]) + 1;
	char *key = arena_alloc(a, len), *end = key;
	for (int i = 0; i < b->nvia; i++) {
		size_t n = strlen(v[i]);
		memcpy(end, v[i], n);
		end[n] = '\n';
		end += n + 1;
	}
	*end = '\0';
	*sorted = v;
	return key;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void route_check(struct arena *a, const char *src, struct ir_check *c)
{
	c->name = "source_route";
	c->chain_comment = ir_fit(a, "", src, ": sources of protected networks without via",
				  IR_COMMENT_MAX);
	c->comment = ir_fit(a, "", src, ": forged source: the route to it leaves by another "
			    "interface", IR_COMMENT_MAX);
}

static void via_check(struct arena *a, const struct sema_block *b, const char **names,
		      struct ir_check *c)
{
	c->name = arena_printf(a, "source_via_%d", b->index + 1);
	c->chain_comment = ir_place(a, &b->via_loc, "sources of the network at ", "",
				    IR_COMMENT_MAX);
	c->comment = ir_place(a, &b->via_loc, "", " via: forged source", IR_COMMENT_MAX);
	c->via = names;
	c->nvia = b->nvia;
}

/* check_of[i]: block i's check, an index into ir->checks; it and the
 * hash table in scratch. */
static int *assign_checks(struct arena *a, struct arena *scratch, const struct sema_policy *p,
			  struct ir_policy *ir)
{
	int n = p->nblocks;
	int *check_of = arena_alloc(scratch, sizeof(*check_of) * (size_t)(n ? n : 1));
	size_t size = 16;
	while (size < (size_t)n * 2)
		size *= 2;
	int *slot = arena_alloc(scratch, sizeof(*slot) * size);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): key holds pointers */
	const char **key = arena_alloc(scratch, sizeof(*key) * (size_t)(n + 1));
	for (size_t i = 0; i < size; i++)
		slot[i] = -1;
	int cap = 0;
	int route = -1;
	const char *src = p->top_path ? p->top_path : "<policy>";
	for (int i = 0; i < n; i++) {
		const struct sema_block *b = &p->blocks[i];
		if (b->nvia == 0) {
			if (route < 0) {
				ARENA_PUSH(a, ir->checks, ir->nchecks, cap);
				route = ir->nchecks - 1;
				route_check(a, src, &ir->checks[route]);
			}
			check_of[i] = route;
			continue;
		}
		const char **names;
		const char *k = via_key(a, b, &names);
		size_t at = hash_str(k) & (size - 1);
		while (slot[at] >= 0 && strcmp(key[slot[at]], k) != 0)
			at = (at + 1) & (size - 1);
		if (slot[at] < 0) {
			ARENA_PUSH(a, ir->checks, ir->nchecks, cap);
			slot[at] = ir->nchecks - 1;
			key[slot[at]] = k;
			via_check(a, b, names, &ir->checks[slot[at]]);
		}
		check_of[i] = slot[at];
	}
	return check_of;
}

void ir_lower_sources(struct arena *a, const struct sema_policy *p, struct ir_policy *ir)
{
	const char *src = p->top_path ? p->top_path : "<policy>";
	ir->comment_sources6 = ir_fit(a, "", src, ": IPv6 sources of protected networks arrive "
				      "only through their own interfaces", IR_COMMENT_MAX);
	ir->comment_sources4 = ir_fit(a, "", src, ": IPv4 sources of protected networks arrive "
				      "only through their own interfaces", IR_COMMENT_MAX);
	ir->comment_rthdr = ir_fit(a, "", src, ": a packet with a routing header is no reply: "
				   "its block decides", IR_COMMENT_MAX);
	struct arena scratch;
	arena_init(&scratch);
	int *check_of = assign_checks(a, &scratch, p, ir);
	ir->sources4 = ir_flatten_blocks(a, p, FAM_IP4, check_of);
	ir->sources6 = ir_flatten_blocks(a, p, FAM_IP6, check_of);
	arena_free(&scratch);
}

/*
 * routes.c - which prefixes a case's router routes to the container side.
 *
 * The source check drops a packet whose source lies in a protected network
 * but which arrives by an interface the router's route to that source does
 * not leave by.  Every packet comes in by r0, and the router's main table
 * sends everything back out r0, so nothing is forged until some prefixes
 * are routed to r1: for half of the seeds none is (the check must then let
 * everything through), for the other half some or all of the policy's
 * protected prefixes are, sometimes with a shorter prefix around one of
 * them (unprotected addresses routed inwards are no business of the check)
 * and a longer one inside one routed back to r0 (the longest route
 * decides).  The same list goes to the kernel (probe_route_set) and, with
 * default "r0", to the evaluator (struct eval_routes).
 */
#include "gen.h"

#include <string.h>

static const char *const inward = "r1", *const outward = "r0";

static void add(struct eval_route *out, int *n, int max, const struct prefix *p,
		const char *ifname)
{
	for (int i = 0; i < *n; i++)
		if (addr_equal(&out[i].pfx, p))
			return;   /* first wins: a prefix has one route */
	if (*n < max)
		out[(*n)++] = (struct eval_route){ .pfx = *p, .ifname = ifname };
}

/* A prefix around p, up to 8 bits shorter, no shorter than /8. */
static struct prefix around(struct gen_rng *r, const struct prefix *p)
{
	int len = p->len - 1 - (int)gen_below(r, 8);
	return gen_prefix(p->family, addr_first(p), len < 8 ? 8 : len);
}

/* A prefix inside p, often a single host, at its edges or anywhere. */
static struct prefix inside(struct gen_rng *r, const struct prefix *p)
{
	int max = addr_bits(p->family);
	int len = gen_chance(r, 60) ? max : p->len + 1 + (int)gen_below(r, (unsigned)(max - p->len));
	u128 first = addr_first(p), span = addr_last(p) - first;
	unsigned k = gen_below(r, 3);
	u128 at = k == 0 ? first : k == 1 ? first + span
		: first + ((((u128)gen_next(r) << 64) | gen_next(r)) % (span + 1));
	return gen_prefix(p->family, at, len);
}

int gen_routes(const struct gen_model *m, uint64_t seed, struct eval_route *out, int max)
{
	struct gen_rng r;
	gen_rng_init(&r, seed * 0x9e3779b97f4a7c15ull + 0x7f4a7c159e3779b9ull);
	if (gen_chance(&r, 50))
		return 0;
	struct prefix p[GEN_MAX_RESOLVED];
	int np = 0;
	for (int i = 0; i < m->nblocks; i++) {
		const struct gen_block *b = &m->blocks[i];
		np += gen_resolve_addrs(m, b->targets, b->ntargets, p + np, GEN_MAX_RESOLVED - np);
	}
	if (np == 0)
		return 0;
	int n = 0;
	bool all = gen_chance(&r, 30);
	for (int i = 0; i < np; i++)
		if (all || gen_chance(&r, 50))
			add(out, &n, max, &p[i], inward);
	if (n == 0)
		add(out, &n, max, &p[gen_below(&r, (unsigned)np)], inward);
	int chosen = n;
	if (gen_chance(&r, 20)) {
		struct prefix a = around(&r, &out[gen_below(&r, (unsigned)chosen)].pfx);
		add(out, &n, max, &a, inward);
	}
	if (gen_chance(&r, 25)) {
		const struct prefix *host = &out[gen_below(&r, (unsigned)chosen)].pfx;
		if (host->len < addr_bits(host->family)) {
			struct prefix in = inside(&r, host);
			add(out, &n, max, &in, outward);
		}
	}
	return n;
}

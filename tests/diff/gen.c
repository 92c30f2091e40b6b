/*
 * gen.c - random valid policies: the model, and the model as policy text.
 *
 * Addresses come from small pools (2001:db8::/32; 10.0.0.0/8 and the three
 * IPv4 documentation /24s) filled from a small alphabet of group values, and
 * most prefixes are derived from earlier ones (a child, a parent, a
 * sibling, a host inside), so that overlaps, nesting and shared
 * super-prefixes across blocks are the rule rather than luck.  Validity is
 * built in, not filtered afterwards: no prefix in two blocks, no ICMP name
 * of a family the block lacks, and every rule has a source (and ICMP type)
 * of a family its block holds -- the contract's errors.  The driver still
 * compiles each policy and counts an error as a generator bug.
 *
 * Rules that lint should call redundant or unreachable are made often on
 * purpose (lint_bait below): a narrowed copy of a later rule before it,
 * an exact copy, a rule from ::/0 or 0.0.0.0/0 -- so that the claims the
 * driver checks with the evaluator (lintcheck.c) come up in most runs.
 *
 * Some blocks name the interfaces their sources arrive on (`via`): r0, by
 * which every test packet comes in, r1, the container side, or one the
 * router does not have.  They are drawn from a stream of their own, so a
 * seed's policy is the one it was before `via` existed, plus `via` lists.
 */
#include "gen.h"
#include "compiler/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- splitmix64: tiny, fast, the same stream on every machine ---- */

void gen_rng_init(struct gen_rng *r, uint64_t seed)
{
	r->s = seed ^ 0x6a09e667f3bcc909ull;
}

uint64_t gen_next(struct gen_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

unsigned gen_below(struct gen_rng *r, unsigned n)
{
	return (unsigned)(gen_next(r) % n);
}

bool gen_chance(struct gen_rng *r, unsigned percent)
{
	return gen_below(r, 100) < percent;
}

/* ---- prefixes ---- */

static u128 mask_of(int family, int len)
{
	int host = addr_bits(family) - len;
	u128 hm = host == 0 ? 0 : host == 128 ? ~(u128)0 : ((u128)1 << host) - 1;
	u128 all = family == FAM_IP4 ? (u128)0xffffffffu : ~(u128)0;
	return all & ~hm;
}

struct prefix gen_prefix(int family, u128 v, int len)
{
	struct prefix p = { .family = (uint8_t)family, .len = (uint8_t)len };
	addr_to_bytes(family, v & mask_of(family, len), p.addr);
	return p;
}

struct root {
	int family;
	u128 base;
	int len;
};

static const struct root roots[] = {
	{ FAM_IP6, (u128)0x20010db8u << 96, 32 },
	{ FAM_IP4, 0x0a000000u, 8 },
	{ FAM_IP4, 0xc0000200u, 24 },
	{ FAM_IP4, 0xc6336400u, 24 },
	{ FAM_IP4, 0xcb007100u, 24 },
};

static const struct root *root_of(const struct prefix *p)
{
	u128 a = addr_first(p);
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (roots[i].family == p->family &&
		    (a & mask_of(p->family, roots[i].len)) == roots[i].base)
			return &roots[i];
	return &roots[p->family == FAM_IP4 ? 1 : 0];
}

struct weighted {
	int len, weight;
};

/* Towards the lengths real container networks have, and the edges. */
static const struct weighted len6[] = {
	{ 32, 2 }, { 40, 1 }, { 44, 1 }, { 48, 6 }, { 52, 1 }, { 56, 6 }, { 60, 1 },
	{ 64, 8 }, { 72, 1 }, { 80, 1 }, { 96, 5 }, { 104, 1 }, { 112, 2 }, { 120, 5 },
	{ 124, 2 }, { 126, 1 }, { 127, 1 }, { 128, 6 },
};
static const struct weighted len4[] = {
	{ 8, 1 }, { 12, 1 }, { 16, 3 }, { 20, 1 }, { 22, 1 }, { 24, 4 }, { 25, 1 },
	{ 26, 2 }, { 27, 1 }, { 28, 3 }, { 29, 1 }, { 30, 2 }, { 31, 1 }, { 32, 5 },
};

/* A weighted length in [lo, hi]; lo when none of the table lies there. */
static int pick_len(struct gen_rng *r, int family, int lo, int hi)
{
	const struct weighted *w = family == FAM_IP4 ? len4 : len6;
	size_t n = family == FAM_IP4 ? sizeof(len4) / sizeof(len4[0])
				     : sizeof(len6) / sizeof(len6[0]);
	int total = 0;
	for (size_t i = 0; i < n; i++)
		if (w[i].len >= lo && w[i].len <= hi)
			total += w[i].weight;
	if (total == 0)
		return lo;
	int x = (int)gen_below(r, (unsigned)total);
	for (size_t i = 0; i < n; i++) {
		if (w[i].len < lo || w[i].len > hi)
			continue;
		if (x < w[i].weight)
			return w[i].len;
		x -= w[i].weight;
	}
	return lo;
}

/* An address of the family, every group drawn from a small alphabet, so
 * that two draws share leading groups often. */
static u128 alphabet_fill(struct gen_rng *r, int family)
{
	static const unsigned g16[] = { 0, 0, 0, 0, 1, 2, 0xa, 0x10, 0xff, 0xffff };
	static const unsigned g8[] = { 0, 0, 0, 1, 2, 10, 128, 255 };
	u128 v = 0;
	if (family == FAM_IP6) {
		for (int i = 0; i < 8; i++) {
			unsigned g = gen_chance(r, 12) ? gen_below(r, 0x10000)
						       : g16[gen_below(r, sizeof(g16) / sizeof(g16[0]))];
			v = (v << 16) | g;
		}
	} else {
		for (int i = 0; i < 4; i++) {
			unsigned g = gen_chance(r, 15) ? gen_below(r, 256)
						       : g8[gen_below(r, sizeof(g8) / sizeof(g8[0]))];
			v = (v << 8) | g;
		}
	}
	return v;
}

static struct prefix fresh_prefix(struct gen_rng *r, int family)
{
	const struct root *rt = family == FAM_IP6 ? &roots[0]
			      : gen_chance(r, 50) ? &roots[1] : &roots[2 + gen_below(r, 3)];
	u128 m = mask_of(family, rt->len);
	u128 v = rt->base | (alphabet_fill(r, family) & ~m);
	return gen_prefix(family, v, pick_len(r, family, rt->len, addr_bits(family)));
}

/* A prefix related to p: inside it (often a host), around it, or beside it. */
static struct prefix derived_prefix(struct gen_rng *r, const struct prefix *p, bool host)
{
	int fam = p->family, max = addr_bits(fam);
	const struct root *rt = root_of(p);
	u128 a = addr_first(p);
	unsigned k = gen_below(r, 100);
	if (host || (k < 55 && p->len < max)) {
		int len = host ? max : pick_len(r, fam, p->len + 1, max);
		u128 keep = mask_of(fam, p->len);
		return gen_prefix(fam, (a & keep) | (alphabet_fill(r, fam) & ~keep), len);
	}
	if (k < 80 && p->len > rt->len)
		return gen_prefix(fam, a, pick_len(r, fam, rt->len, p->len - 1));
	if (p->len > rt->len)   /* the sibling: the other half of the parent */
		return gen_prefix(fam, a ^ ((u128)1 << (max - p->len)), p->len);
	return fresh_prefix(r, fam);
}

/* ---- the generator's state ---- */

#define POOL_MAX 96
#define OWNED_MAX (GEN_MAX_BLOCKS * GEN_MAX_RESOLVED)

struct gctx {
	struct gen_rng r;
	struct gen_model *m;
	struct prefix pool[POOL_MAX];      /* every prefix so far: parents to derive from */
	int npool;
	struct prefix *owned;              /* prefixes of finished blocks */
	int nowned;
	bool target_define[GEN_MAX_DEFINES];
	int next_id;
};

static void pool_add(struct gctx *g, const struct prefix *p)
{
	if (g->npool < POOL_MAX)
		g->pool[g->npool++] = *p;
	else
		g->pool[gen_below(&g->r, POOL_MAX)] = *p;
}

/* A new prefix of the family: mostly derived from one already in the pool. */
static struct prefix new_prefix(struct gctx *g, int family)
{
	struct prefix p;
	int same[POOL_MAX], n = 0;
	for (int i = 0; i < g->npool; i++)
		if (g->pool[i].family == family)
			same[n++] = i;
	if (n > 0 && gen_chance(&g->r, 65))
		p = derived_prefix(&g->r, &g->pool[same[gen_below(&g->r, (unsigned)n)]],
				   gen_chance(&g->r, 15));
	else
		p = fresh_prefix(&g->r, family);
	pool_add(g, &p);
	return p;
}

/* A host inside a prefix of a finished block, when there is one. */
static bool host_in_owned(struct gctx *g, int family, struct prefix *out)
{
	int idx[OWNED_MAX], n = 0;
	for (int i = 0; i < g->nowned; i++)
		if (g->owned[i].family == family && g->owned[i].len < addr_bits(family))
			idx[n++] = i;
	if (n == 0)
		return false;
	*out = derived_prefix(&g->r, &g->owned[idx[gen_below(&g->r, (unsigned)n)]], true);
	pool_add(g, out);
	return true;
}

static bool is_owned(const struct gctx *g, const struct prefix *p)
{
	for (int i = 0; i < g->nowned; i++)
		if (addr_equal(&g->owned[i], p))
			return true;
	return false;
}

static int random_family(struct gctx *g)
{
	return gen_chance(&g->r, 62) ? FAM_IP6 : FAM_IP4;
}

/* A define of the kind, chosen at random; -1 when there is none. */
static int pick_define(struct gctx *g, bool addrs)
{
	int ids[GEN_MAX_DEFINES], n = 0;
	for (int i = 0; i < g->m->ndefines; i++)
		if (g->m->defines[i].addrs == addrs)
			ids[n++] = g->m->defines[i].id;
	return n ? ids[gen_below(&g->r, (unsigned)n)] : -1;
}

/* ---- ports ---- */

static int some_port(struct gctx *g)
{
	static const int common[] = { 0, 1, 22, 25, 53, 80, 123, 443, 1023, 1024,
				      5432, 8080, 32768, 65534, 65535 };
	if (gen_chance(&g->r, 55))
		return common[gen_below(&g->r, sizeof(common) / sizeof(common[0]))];
	return gen_chance(&g->r, 50) ? (int)gen_below(&g->r, 1025) : (int)gen_below(&g->r, 65536);
}

static struct gen_value port_value(struct gctx *g, bool allow_name)
{
	struct gen_value v = { .kind = GV_PORT };
	unsigned k = gen_below(&g->r, 100);
	int id;
	if (k < 20 && allow_name && (id = pick_define(g, false)) >= 0) {
		v.kind = GV_NAME;
		v.ref = id;
	} else if (k < 45) {
		v.kind = GV_SERVICE;
		v.ref = (int)gen_below(&g->r, (unsigned)names_nservices);
	} else if (k < 70) {
		static const int spans[] = { 0, 1, 2, 10, 100, 1000, 30000 };
		v.kind = GV_RANGE;
		v.lo = some_port(g);
		int span = spans[gen_below(&g->r, sizeof(spans) / sizeof(spans[0]))];
		v.hi = v.lo + span > 65535 ? 65535 : v.lo + span;
	} else {
		v.lo = some_port(g);
	}
	return v;
}

static int port_list(struct gctx *g, struct gen_value *out)
{
	int n = 1 + (int)gen_below(&g->r, 3);
	for (int i = 0; i < n; i++)
		out[i] = port_value(g, true);
	/* An overlap on purpose: a port inside an earlier range, or a repeat. */
	if (n < GEN_MAX_ITEMS && gen_chance(&g->r, 15)) {
		struct gen_value v = out[gen_below(&g->r, (unsigned)n)];
		if (v.kind == GV_RANGE && gen_chance(&g->r, 60))
			v = (struct gen_value){ .kind = GV_PORT,
						.lo = v.lo + (int)gen_below(&g->r, (unsigned)(v.hi - v.lo + 1)) };
		out[n++] = v;
	}
	return n;
}

/* ---- defines ---- */

static void gen_defines(struct gctx *g)
{
	struct gen_model *m = g->m;
	int n = gen_chance(&g->r, 25) ? 0 : 1 + (int)gen_below(&g->r, GEN_MAX_DEFINES);
	for (int i = 0; i < n; i++) {
		struct gen_define *d = &m->defines[i];
		memset(d, 0, sizeof(*d));
		d->id = ++g->next_id;
		d->addrs = gen_chance(&g->r, 60);
		d->n = 1 + (int)gen_below(&g->r, 3);
		for (int j = 0; j < d->n; j++) {
			int id = pick_define(g, d->addrs);
			if (id >= 0 && gen_chance(&g->r, 30)) {
				d->v[j] = (struct gen_value){ .kind = GV_NAME, .ref = id };
			} else if (d->addrs) {
				d->v[j] = (struct gen_value){ .kind = GV_ADDR,
							      .pfx = new_prefix(g, random_family(g)) };
			} else {
				d->v[j] = port_value(g, false);
			}
		}
		/* Visible to later values only from here: a define never names itself. */
		m->ndefines = i + 1;
	}
}

/* ---- resolution (what sema will make of a list) ---- */

const struct gen_define *gen_define_by_id(const struct gen_model *m, int id)
{
	for (int i = 0; i < m->ndefines; i++)
		if (m->defines[i].id == id)
			return &m->defines[i];
	return NULL;
}

static int resolve_addrs(const struct gen_model *m, const struct gen_value *v, int n,
			 struct prefix *out, int k, int max, int depth)
{
	for (int i = 0; i < n && k < max; i++) {
		if (v[i].kind == GV_ADDR) {
			out[k++] = v[i].pfx;
		} else if (v[i].kind == GV_NAME && depth < GEN_MAX_DEFINES) {
			const struct gen_define *d = gen_define_by_id(m, v[i].ref);
			if (d && d->addrs)
				k = resolve_addrs(m, d->v, d->n, out, k, max, depth + 1);
		}
	}
	return k;
}

int gen_resolve_addrs(const struct gen_model *m, const struct gen_value *v, int n,
		      struct prefix *out, int max)
{
	return resolve_addrs(m, v, n, out, 0, max, 0);
}

static int resolve_ports(const struct gen_model *m, const struct gen_value *v, int n,
			 int (*out)[2], int k, int max, int depth)
{
	for (int i = 0; i < n && k < max; i++) {
		switch (v[i].kind) {
		case GV_PORT:
			out[k][0] = out[k][1] = v[i].lo;
			k++;
			break;
		case GV_RANGE:
			out[k][0] = v[i].lo;
			out[k][1] = v[i].hi;
			k++;
			break;
		case GV_SERVICE:
			out[k][0] = out[k][1] = names_services[v[i].ref].port;
			k++;
			break;
		case GV_NAME: {
			const struct gen_define *d = gen_define_by_id(m, v[i].ref);
			if (d && !d->addrs && depth < GEN_MAX_DEFINES)
				k = resolve_ports(m, d->v, d->n, out, k, max, depth + 1);
			break;
		}
		case GV_ADDR:
			break;
		}
	}
	return k;
}

int gen_resolve_ports(const struct gen_model *m, const struct gen_value *v, int n,
		      int (*out)[2], int max)
{
	return resolve_ports(m, v, n, out, 0, max, 0);
}

static int families_of(const struct prefix *p, int n)
{
	int f = 0;
	for (int i = 0; i < n; i++)
		f |= p[i].family;
	return f;
}

int gen_block_families(const struct gen_model *m, const struct gen_block *b)
{
	struct prefix p[GEN_MAX_RESOLVED];
	int n = gen_resolve_addrs(m, b->targets, b->ntargets, p, GEN_MAX_RESOLVED);
	return families_of(p, n);
}

/* ---- rules ---- */

static int family_in(struct gctx *g, int fams)
{
	if (fams == FAM_BOTH)
		return random_family(g);
	return fams;
}

static void icmp_list(struct gctx *g, struct gen_rule *r, int bf)
{
	static const int numbers[] = { 0, 1, 2, 3, 4, 5, 8, 11, 12, 13, 128, 129,
				       133, 134, 135, 136, 137, 143 };
	r->ntypes = 1 + (int)gen_below(&g->r, 3);
	for (int i = 0; i < r->ntypes; i++) {
		if (gen_chance(&g->r, 70)) {
			size_t n;
			const struct icmp_type *t = names_icmp_all(family_in(g, bf), &n);
			r->types[i] = (struct gen_icmp){ .name = t[gen_below(&g->r, (unsigned)n)].name };
		} else if (gen_chance(&g->r, 70)) {
			r->types[i].type = numbers[gen_below(&g->r, sizeof(numbers) / sizeof(numbers[0]))];
		} else {
			r->types[i].type = (int)gen_below(&g->r, 256);
		}
	}
}

/* The families an explicit ICMP list can match (a number: both). */
static int icmp_families(const struct gen_rule *r)
{
	int f = 0;
	for (int i = 0; i < r->ntypes; i++) {
		const char *nm = r->types[i].name;
		if (!nm)
			f |= FAM_BOTH;
		else
			f |= (names_icmp_type(FAM_IP4, nm) >= 0 ? FAM_IP4 : 0) |
			     (names_icmp_type(FAM_IP6, nm) >= 0 ? FAM_IP6 : 0);
	}
	return f;
}

static struct gen_value source_value(struct gctx *g, int fam)
{
	struct gen_value v = { .kind = GV_ADDR };
	struct prefix p;
	if (gen_chance(&g->r, 25) && host_in_owned(g, fam, &p))
		v.pfx = p;
	else
		v.pfx = new_prefix(g, fam);
	return v;
}

static void from_list(struct gctx *g, struct gen_rule *r, int bf)
{
	int need = bf;
	if (r->proto == PROTO_ICMP && r->icmp == GI_LIST)
		need &= icmp_families(r);
	r->nfrom = 1 + (int)gen_below(&g->r, 3);
	for (int i = 0; i < r->nfrom; i++) {
		int id = pick_define(g, true);
		if (id >= 0 && gen_chance(&g->r, 25))
			r->from[i] = (struct gen_value){ .kind = GV_NAME, .ref = id };
		else
			r->from[i] = source_value(g, gen_chance(&g->r, 75) ? family_in(g, bf)
						     : random_family(g));
	}
	/* The contract's error: no source of a family the rule can match. */
	struct prefix p[GEN_MAX_RESOLVED];
	int n = gen_resolve_addrs(g->m, r->from, r->nfrom, p, GEN_MAX_RESOLVED);
	if (!(families_of(p, n) & need))
		r->from[gen_below(&g->r, (unsigned)r->nfrom)] = source_value(g, family_in(g, need));
}

/* A log's options never change a verdict: the kernel must agree with the
 * evaluator whatever they are, tight limits (one packet an hour) included,
 * since a limited log is a rule of its own before the verdict's. */
static const char *const log_options[] = {
	NULL, NULL, " limit none", " limit 1/hour burst 1", " limit 2/second", " group 3",
	" limit 1/minute burst 2 group 4", " group 5 limit none", " limit 100/seconds burst 1000",
};
static const char *const log_defaults[] = {
	NULL, NULL, NULL, "log limit 1/hour burst 1;", "log group 6;", "log limit none;",
	"log limit 3/minutes group 7;",
};

static const char *pick(struct gen_rng *r, const char *const *v, unsigned n)
{
	return v[gen_below(r, n)];
}
#define PICK(r, v) pick((r), (v), sizeof(v) / sizeof((v)[0]))

static void gen_rule(struct gctx *g, struct gen_rule *r, int bf)
{
	static const enum verdict verdicts[] = { VERDICT_ACCEPT, VERDICT_ACCEPT, VERDICT_ACCEPT,
						 VERDICT_ACCEPT, VERDICT_ACCEPT, VERDICT_DROP,
						 VERDICT_DROP, VERDICT_DROP, VERDICT_REJECT,
						 VERDICT_REJECT };
	memset(r, 0, sizeof(*r));
	r->verdict = verdicts[gen_below(&g->r, 10)];
	r->log = gen_chance(&g->r, 12);
	unsigned k = gen_below(&g->r, 100);
	bool from;
	if (k < 30) {
		r->proto = gen_chance(&g->r, 60) ? PROTO_TCP : PROTO_UDP;
		r->nports = port_list(g, r->ports);
		from = gen_chance(&g->r, 35);
	} else if (k < 42) {
		r->proto = gen_chance(&g->r, 60) ? PROTO_TCP : PROTO_UDP;
		from = gen_chance(&g->r, 35);
	} else if (k < 82) {
		static const enum gen_icmp_mode modes[] = { GI_ANY, GI_ANY, GI_BASIC, GI_BASIC,
							    GI_BASIC, GI_ALL, GI_LIST, GI_LIST,
							    GI_LIST, GI_LIST };
		r->proto = PROTO_ICMP;
		r->icmp = modes[gen_below(&g->r, 10)];
		if (r->icmp == GI_LIST)
			icmp_list(g, r, bf);
		from = gen_chance(&g->r, 30);
	} else {
		r->proto = PROTO_ANY;
		from = true;
	}
	if (from)
		from_list(g, r, bf);
}

/* ---- rules lint has something to say about ---- */

/* r made narrower, so that a later r decides all of it the same way: one
 * value fewer in a list, or a list where there was none. */
static void narrow(struct gen_rng *r, struct gen_rule *x)
{
	if (x->nfrom > 1 && gen_chance(r, 50)) {
		x->nfrom--;
		return;
	}
	switch (x->proto) {
	case PROTO_TCP:
	case PROTO_UDP:
		if (x->nports > 1)
			x->nports--;
		else if (x->nports == 0)
			x->ports[x->nports++] = (struct gen_value){ .kind = GV_PORT,
								    .lo = gen_chance(r, 50) ? 22 : 443 };
		break;
	case PROTO_ICMP:
		if (x->icmp == GI_LIST && x->ntypes > 1) {
			x->ntypes--;
		} else if (x->icmp != GI_LIST) {
			/* In every family's basic group, and in `all`. */
			x->icmp = GI_LIST;
			x->ntypes = 1;
			x->types[0] = (struct gen_icmp){ .name = "echo-request" };
		}
		break;
	case PROTO_ANY:
		x->proto = gen_chance(r, 50) ? PROTO_TCP : PROTO_UDP;
		break;
	}
}

/* Inserts into b (of families bf) one rule lint should have a word for,
 * from a stream of its own: a seed's policy is the one it was before,
 * plus this rule. */
static void lint_bait(struct gen_rng *r, const struct gen_model *m, struct gen_block *b, int bf)
{
	if (b->nrules >= GEN_MAX_RULES || !gen_chance(r, 60))
		return;
	int rules[GEN_MAX_RULES], n = 0;
	for (int j = 0; j < b->nrules; j++)
		if (!b->rules[j].is_default)
			rules[n++] = j;
	struct gen_rule x;
	int at;
	unsigned k = gen_below(r, 100);
	/* A block of both families: a rule for one of them, early. */
	bool family_all = bf == FAM_BOTH && gen_chance(r, 50);
	if (!family_all && k < 70 && n > 0) {   /* a copy of a rule, before it */
		int of = rules[gen_below(r, (unsigned)n)];
		x = b->rules[of];
		x.log = gen_chance(r, 10);
		if (k < 58)
			narrow(r, &x);
		/* Still a valid rule: a source of a family its types and its
		 * block have (the contract's error otherwise). */
		struct prefix p[GEN_MAX_RESOLVED];
		int np = gen_resolve_addrs(m, x.from, x.nfrom, p, GEN_MAX_RESOLVED);
		int need = bf & (x.proto == PROTO_ICMP && x.icmp == GI_LIST ? icmp_families(&x) : FAM_BOTH);
		if (x.nfrom > 0 && !(families_of(p, np) & need))
			x = b->rules[of];
		at = (int)gen_below(r, (unsigned)of + 1);
	} else {                 /* every packet of one family */
		int fam = bf == FAM_BOTH ? (gen_chance(r, 50) ? FAM_IP6 : FAM_IP4) : bf;
		x = (struct gen_rule){ .verdict = gen_chance(r, 50) ? VERDICT_DROP : VERDICT_ACCEPT,
				       .proto = PROTO_ANY, .nfrom = 1 };
		/* Now and then half the family only: lint must not take it for all. */
		x.from[0] = (struct gen_value){ .kind = GV_ADDR,
						.pfx = gen_prefix(fam, 0, gen_chance(r, 25) ? 1 : 0) };
		at = (int)gen_below(r, (unsigned)(family_all ? b->nrules / 2 : b->nrules) + 1);
	}
	memmove(&b->rules[at + 1], &b->rules[at], sizeof(b->rules[0]) * (size_t)(b->nrules - at));
	b->rules[at] = x;
	b->nrules++;
}

/* ---- blocks ---- */

/* For some blocks, 1-3 distinct names out of r0, r1 and other. */
static void gen_via(struct gen_rng *r, struct gen_block *b)
{
	static const char *const names[] = { "r0", "r1", "other" };
	b->nvia = 0;
	if (!gen_chance(r, 20))
		return;
	int want = 1 + (int)gen_below(r, 3), first = (int)gen_below(r, 3);
	bool rev = gen_chance(r, 50);   /* so that r0 is not always first */
	for (int i = 0; i < want; i++)
		b->via[b->nvia++] = names[(first + (rev ? 3 - i : i)) % 3];
}

/* A define of addresses none of whose addresses another block holds. */
static int target_define(struct gctx *g)
{
	int ids[GEN_MAX_DEFINES], n = 0;
	for (int i = 0; i < g->m->ndefines; i++) {
		const struct gen_define *d = &g->m->defines[i];
		if (!d->addrs || g->target_define[i])
			continue;
		struct prefix p[GEN_MAX_RESOLVED];
		int np = gen_resolve_addrs(g->m, d->v, d->n, p, GEN_MAX_RESOLVED);
		bool ok = true;
		for (int j = 0; j < np && ok; j++)
			ok = !is_owned(g, &p[j]);
		if (ok)
			ids[n++] = i;
	}
	if (n == 0)
		return -1;
	int i = ids[gen_below(&g->r, (unsigned)n)];
	g->target_define[i] = true;
	return g->m->defines[i].id;
}

static void gen_targets(struct gctx *g, struct gen_block *b)
{
	unsigned k = gen_below(&g->r, 100);
	int want = k < 62 ? 1 : k < 88 ? 2 : 3;
	unsigned plan = gen_below(&g->r, 100);   /* v6 only, v4 only, mixed */
	b->ntargets = 0;
	for (int t = 0; t < want; t++) {
		int fam = plan < 50 ? FAM_IP6 : plan < 75 ? FAM_IP4
			: t == 0 ? FAM_IP6 : t == 1 ? FAM_IP4 : random_family(g);
		int id;
		if (gen_chance(&g->r, 15) && (id = target_define(g)) >= 0) {
			b->targets[b->ntargets++] = (struct gen_value){ .kind = GV_NAME, .ref = id };
			continue;
		}
		for (int tries = 0; tries < 30; tries++) {
			struct prefix p;
			if (!(gen_chance(&g->r, 25) && host_in_owned(g, fam, &p)))
				p = new_prefix(g, fam);
			if (is_owned(g, &p))
				continue;
			b->targets[b->ntargets++] = (struct gen_value){ .kind = GV_ADDR, .pfx = p };
			break;
		}
	}
}

void gen_policy(uint64_t seed, struct gen_model *m)
{
	struct gctx g = { .m = m };
	struct gen_rng via_r;
	memset(m, 0, sizeof(*m));
	m->seed = seed;
	gen_rng_init(&g.r, seed);
	gen_rng_init(&via_r, seed ^ 0x5be0cd19137e2179ull);
	/* Log options from a generator of their own, so that a seed still
	 * makes the policy it made before they existed, options aside. */
	struct gen_rng log_r, bait_r;
	gen_rng_init(&log_r, seed ^ 0x1f83d9abfb41bd6bull);
	gen_rng_init(&bait_r, seed ^ 0x9b05688c2b3e6c1full);
	m->log_default = PICK(&log_r, log_defaults);
	g.owned = malloc(sizeof(*g.owned) * (size_t)OWNED_MAX);
	if (!g.owned) {
		fputs("difftest: out of memory\n", stderr);
		exit(2);
	}
	gen_defines(&g);
	int nblocks = gen_chance(&g.r, 3) ? 0 : 1 + (int)gen_below(&g.r, GEN_MAX_BLOCKS);
	for (int i = 0; i < nblocks; i++) {
		struct gen_block *b = &m->blocks[m->nblocks];
		memset(b, 0, sizeof(*b));
		gen_targets(&g, b);
		if (b->ntargets == 0)
			continue;
		gen_via(&via_r, b);
		int bf = gen_block_families(m, b);
		int nrules = gen_chance(&g.r, 8) ? 0 : 1 + (int)gen_below(&g.r, GEN_MAX_RULES - 1);
		for (int j = 0; j < nrules; j++)
			gen_rule(&g, &b->rules[b->nrules++], bf);
		for (int j = 0; j < b->nrules; j++)
			b->rules[j].log_options = PICK(&log_r, log_options);
		if (gen_chance(&g.r, 40) && b->nrules < GEN_MAX_RULES) {
			static const enum verdict defs[] = { VERDICT_DROP, VERDICT_REJECT,
							     VERDICT_ACCEPT };
			int at = (int)gen_below(&g.r, (unsigned)b->nrules + 1);
			memmove(&b->rules[at + 1], &b->rules[at],
				sizeof(b->rules[0]) * (size_t)(b->nrules - at));
			b->nrules++;
			b->rules[at] = (struct gen_rule){ .is_default = true,
							  .verdict = defs[gen_below(&g.r, 3)],
							  .log = gen_chance(&g.r, 20),
							  .log_options = PICK(&log_r, log_options) };
		}
		lint_bait(&bait_r, m, b, bf);
		struct prefix p[GEN_MAX_RESOLVED];
		int np = gen_resolve_addrs(m, b->targets, b->ntargets, p, GEN_MAX_RESOLVED);
		for (int j = 0; j < np && g.nowned < OWNED_MAX; j++)
			g.owned[g.nowned++] = p[j];
		m->nblocks++;
	}
	free(g.owned);
}

/* ---- the model as text ---- */

static void put_value(FILE *f, const struct gen_model *m, const struct gen_value *v)
{
	char buf[ADDR_STRLEN];
	const struct gen_define *d;
	switch (v->kind) {
	case GV_ADDR:
		addr_format(&v->pfx, buf);
		fputs(buf, f);
		break;
	case GV_PORT:
		fprintf(f, "%d", v->lo);
		break;
	case GV_RANGE:
		fprintf(f, "%d-%d", v->lo, v->hi);
		break;
	case GV_SERVICE:
		fputs(names_services[v->ref].name, f);
		break;
	case GV_NAME:
		d = gen_define_by_id(m, v->ref);
		/* A name whose define was shrunk away stays an (invalid) name. */
		fprintf(f, "%s%d", d && !d->addrs ? "ports" : "nets", v->ref);
		break;
	}
}

static void put_list(FILE *f, const struct gen_model *m, const struct gen_value *v, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		put_value(f, m, &v[i]);
	}
}

static const char *const rule_word[] = {
	[VERDICT_ACCEPT] = "allow", [VERDICT_DROP] = "deny", [VERDICT_REJECT] = "reject",
};
static const char *const default_word[] = {
	[VERDICT_ACCEPT] = "accept", [VERDICT_DROP] = "drop", [VERDICT_REJECT] = "reject",
};

static void put_log(FILE *f, const struct gen_rule *r)
{
	if (r->log)
		fprintf(f, " log%s", r->log_options ? r->log_options : "");
}

static void put_rule(FILE *f, const struct gen_model *m, const struct gen_rule *r)
{
	if (r->is_default) {
		fprintf(f, "\tdefault %s", default_word[r->verdict]);
		put_log(f, r);
		fputs(";\n", f);
		return;
	}
	fprintf(f, "\t%s", rule_word[r->verdict]);
	switch (r->proto) {
	case PROTO_TCP:
	case PROTO_UDP:
		fputs(r->proto == PROTO_TCP ? " tcp" : " udp", f);
		if (r->nports) {
			fputc(' ', f);
			put_list(f, m, r->ports, r->nports);
		}
		break;
	case PROTO_ICMP:
		fputs(" icmp", f);
		if (r->icmp == GI_BASIC)
			fputs(" basic", f);
		else if (r->icmp == GI_ALL)
			fputs(" all", f);
		for (int i = 0; r->icmp == GI_LIST && i < r->ntypes; i++) {
			fputs(i ? ", " : " ", f);
			if (r->types[i].name)
				fputs(r->types[i].name, f);
			else
				fprintf(f, "%d", r->types[i].type);
		}
		break;
	case PROTO_ANY:
		break;
	}
	if (r->nfrom) {
		fputs(" from ", f);
		put_list(f, m, r->from, r->nfrom);
	}
	put_log(f, r);
	fputs(";\n", f);
}

char *gen_render(const struct gen_model *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		perror("difftest: open_memstream");
		exit(2);
	}
	fprintf(f, "# difftest seed %llu\n", (unsigned long long)m->seed);
	if (m->log_default)
		fprintf(f, "%s\n", m->log_default);
	for (int i = 0; i < m->ndefines; i++) {
		const struct gen_define *d = &m->defines[i];
		fprintf(f, "define %s%d = ", d->addrs ? "nets" : "ports", d->id);
		put_list(f, m, d->v, d->n);
		fputs(";\n", f);
	}
	for (int i = 0; i < m->nblocks; i++) {
		const struct gen_block *b = &m->blocks[i];
		fputs("network ", f);
		put_list(f, m, b->targets, b->ntargets);
		for (int j = 0; j < b->nvia; j++)
			fprintf(f, "%s\"%s\"", j ? ", " : " via ", b->via[j]);
		if (b->nrules == 0) {
			fputs(" < >\n", f);
			continue;
		}
		fputs(" <\n", f);
		for (int j = 0; j < b->nrules; j++)
			put_rule(f, m, &b->rules[j]);
		fputs(">\n", f);
	}
	if (fclose(f) != 0) {
		perror("difftest: writing the policy");
		exit(2);
	}
	return text;
}

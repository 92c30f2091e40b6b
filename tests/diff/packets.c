/*
 * packets.c - packets for a model, biased to where implementations differ.
 *
 * Off-by-one errors live at the edges: a prefix's first and last address,
 * one past the last, one before the first, a host nested inside a network,
 * a port range's ends and their neighbours.  So most packets are built
 * from the model's own prefixes, sources, ports and ICMP types, and the
 * rest are random: an address in no block, the other family, any ICMP
 * type 0-255 (most of which conntrack calls invalid when unsolicited).
 * Some sources are moved to the edges of the protected and routed
 * prefixes, where the source check decides (routes.c).
 * Each packet is drawn from the seed alone, so one (policy, packet) pair is
 * replayed exactly by its seed.
 */
#include "gen.h"
#include "compiler/names.h"
#include "runtime/probe.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACTS (GEN_MAX_BLOCKS * GEN_MAX_RESOLVED)

/* What the model says, flattened: the material edges are made of. */
struct facts {
	struct prefix dst[MAX_FACTS];
	int ndst;
	struct prefix src[MAX_FACTS];
	int nsrc;
	int ports[MAX_FACTS][2];
	int nports;
	int types[2][64];      /* [0] ICMP, [1] ICMPv6: types rules name */
	int ntypes[2];
	int families;          /* of the block prefixes */
};

static void add_type(struct facts *f, int fam, int t)
{
	int i = fam == FAM_IP4 ? 0 : 1;
	if (t >= 0 && f->ntypes[i] < 64)
		f->types[i][f->ntypes[i]++] = t;
}

static void collect(const struct gen_model *m, struct facts *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < m->nblocks; i++) {
		const struct gen_block *b = &m->blocks[i];
		f->ndst += gen_resolve_addrs(m, b->targets, b->ntargets, f->dst + f->ndst,
					     MAX_FACTS - f->ndst);
		for (int j = 0; j < b->nrules; j++) {
			const struct gen_rule *r = &b->rules[j];
			f->nsrc += gen_resolve_addrs(m, r->from, r->nfrom, f->src + f->nsrc,
						     MAX_FACTS - f->nsrc);
			f->nports += gen_resolve_ports(m, r->ports, r->nports, f->ports + f->nports,
						       MAX_FACTS - f->nports);
			for (int k = 0; r->icmp == GI_LIST && k < r->ntypes; k++) {
				const struct gen_icmp *t = &r->types[k];
				if (t->name) {
					add_type(f, FAM_IP4, names_icmp_type(FAM_IP4, t->name));
					add_type(f, FAM_IP6, names_icmp_type(FAM_IP6, t->name));
				} else {
					add_type(f, FAM_IP4, t->type);
					add_type(f, FAM_IP6, t->type);
				}
			}
		}
	}
	for (int i = 0; i < f->ndst; i++)
		f->families |= f->dst[i].family;
}

static u128 fam_max(int family)
{
	return family == FAM_IP4 ? (u128)0xffffffffu : ~(u128)0;
}

/* An address at or just beside an edge of p, or inside it. */
static u128 edge_of(struct gen_rng *r, const struct prefix *p)
{
	u128 first = addr_first(p), last = addr_last(p);
	unsigned k = gen_below(r, 100);
	if (k < 20)
		return first;
	if (k < 40)
		return last;
	if (k < 52 && last < fam_max(p->family))
		return last + 1;
	if (k < 64 && first > 0)
		return first - 1;
	if (k < 72 && last - first >= 2)
		return first + 1 + (last - first) / 2;   /* the middle: nested hosts sit there */
	u128 span = last - first;
	u128 rnd = ((u128)gen_next(r) << 64) | gen_next(r);
	return span == fam_max(p->family) ? rnd & span : first + rnd % (span + 1);
}

/* An address of the family from the generator's pools (fresh, often in no block). */
static u128 pool_address(struct gen_rng *r, int family)
{
	static const uint32_t nets4[] = { 0xc0000200u, 0xc6336400u, 0xcb007100u };
	struct prefix root;
	if (family == FAM_IP6)
		root = gen_prefix(FAM_IP6, (u128)0x20010db8u << 96, 32);
	else if (gen_chance(r, 50))
		root = gen_prefix(FAM_IP4, 0x0a000000u, 8);
	else
		root = gen_prefix(FAM_IP4, nets4[gen_below(r, 3)], 24);
	u128 first = addr_first(&root), span = addr_last(&root) - first;
	if (gen_chance(r, 30))   /* small host parts: where generated prefixes cluster */
		return first + gen_below(r, 300);
	u128 rnd = ((u128)gen_next(r) << 64) | gen_next(r);
	return first + rnd % (span + 1);
}

static bool usable(int family, u128 a)
{
	char why[128];
	return probe_usable(family, a, why, sizeof(why));
}

static u128 pick_dst(struct gen_rng *r, const struct facts *f, int *family)
{
	unsigned k = gen_below(r, 100);
	if (f->ndst > 0 && k < 72) {
		const struct prefix *p = &f->dst[gen_below(r, (unsigned)f->ndst)];
		*family = p->family;
		return edge_of(r, p);
	}
	if (k < 86 || f->families == 0)
		*family = gen_chance(r, 60) ? FAM_IP6 : FAM_IP4;
	else   /* the other family, or either when the policy has both */
		*family = f->families == FAM_IP4 ? FAM_IP6 : f->families == FAM_IP6 ? FAM_IP4
			: gen_chance(r, 50) ? FAM_IP6 : FAM_IP4;
	return pool_address(r, *family);
}

static u128 pick_src(struct gen_rng *r, const struct facts *f, int family)
{
	int idx[MAX_FACTS], n = 0;
	for (int i = 0; i < f->nsrc; i++)
		if (f->src[i].family == family)
			idx[n++] = i;
	unsigned k = gen_below(r, 100);
	if (n > 0 && k < 60)
		return edge_of(r, &f->src[idx[gen_below(r, (unsigned)n)]]);
	if (f->ndst > 0 && k < 70) {
		const struct prefix *p = &f->dst[gen_below(r, (unsigned)f->ndst)];
		if (p->family == family)
			return edge_of(r, p);
	}
	return pool_address(r, family);
}

static int pick_port(struct gen_rng *r, const struct facts *f)
{
	unsigned k = gen_below(r, 100);
	if (f->nports > 0 && k < 55) {
		const int *pr = f->ports[gen_below(r, (unsigned)f->nports)];
		int c = (int)gen_below(r, 5);
		int p = c == 0 ? pr[0] : c == 1 ? pr[1] : c == 2 ? pr[0] - 1 : c == 3 ? pr[1] + 1
			: pr[0] + (int)gen_below(r, (unsigned)(pr[1] - pr[0] + 1));
		return p < 0 ? 0 : p > 65535 ? 65535 : p;
	}
	if (k < 75)
		return names_services[gen_below(r, (unsigned)names_nservices)].port;
	if (k < 80)
		return gen_chance(r, 50) ? 0 : 65535;
	return 1 + (int)gen_below(r, 65535);
}

static int pick_type(struct gen_rng *r, const struct facts *f, int family)
{
	int fi = family == FAM_IP4 ? 0 : 1;
	unsigned k = gen_below(r, 100);
	if (f->ntypes[fi] > 0 && k < 35)
		return f->types[fi][gen_below(r, (unsigned)f->ntypes[fi])];
	if (k < 60) {
		const int *t;
		size_t n = names_icmp_basic(family, &t);
		return t[gen_below(r, (unsigned)n)];
	}
	if (k < 75)
		return family == FAM_IP4 ? 8 : 128;
	return (int)gen_below(r, 256);
}

/* A packet aimed at one rule of one block: its destination at an edge of
 * the block's prefixes, its source at an edge of the rule's sources, its
 * port at an edge of the rule's ports -- so that it matches the rule or
 * misses it by one.  False when the model has no block. */
static bool aimed(struct gen_rng *r, const struct gen_model *m, const struct facts *f,
		  struct pkt *p)
{
	if (m->nblocks == 0)
		return false;
	const struct gen_block *b = &m->blocks[gen_below(r, (unsigned)m->nblocks)];
	struct prefix t[GEN_MAX_RESOLVED];
	int nt = gen_resolve_addrs(m, b->targets, b->ntargets, t, GEN_MAX_RESOLVED);
	if (nt == 0)
		return false;
	const struct prefix *dp = &t[gen_below(r, (unsigned)nt)];
	p->family = dp->family;
	p->dst = edge_of(r, dp);
	const struct gen_rule *ru = b->nrules ? &b->rules[gen_below(r, (unsigned)b->nrules)] : NULL;
	if (ru && ru->is_default)
		ru = NULL;
	struct prefix s[GEN_MAX_RESOLVED];
	int ns = 0, same[GEN_MAX_RESOLVED], nsame = 0;
	if (ru)
		ns = gen_resolve_addrs(m, ru->from, ru->nfrom, s, GEN_MAX_RESOLVED);
	for (int i = 0; i < ns; i++)
		if (s[i].family == p->family)
			same[nsame++] = i;
	p->src = nsame && gen_chance(r, 85) ? edge_of(r, &s[same[gen_below(r, (unsigned)nsame)]])
					   : pick_src(r, f, p->family);
	unsigned c = gen_below(r, 100);
	p->proto = !ru || ru->proto == PROTO_ANY || c < 15
		? (c % 7 < 2 ? PKT_TCP : c % 7 < 4 ? PKT_UDP : c % 7 < 6 ? PKT_ICMP : PKT_OTHER)
		: ru->proto == PROTO_TCP ? PKT_TCP : ru->proto == PROTO_UDP ? PKT_UDP : PKT_ICMP;
	int pr[GEN_MAX_RESOLVED][2];
	int np = ru ? gen_resolve_ports(m, ru->ports, ru->nports, pr, GEN_MAX_RESOLVED) : 0;
	if (p->proto == PKT_ICMP) {
		int k = 0, ty[GEN_MAX_ITEMS];
		for (int i = 0; ru && ru->icmp == GI_LIST && i < ru->ntypes; i++) {
			const struct gen_icmp *x = &ru->types[i];
			int v = x->name ? names_icmp_type(p->family, x->name) : x->type;
			if (v >= 0)
				ty[k++] = v;
		}
		p->icmp_type = k && gen_chance(r, 70) ? ty[gen_below(r, (unsigned)k)]
						      : pick_type(r, f, p->family);
	} else if (p->proto == PKT_OTHER) {
		return true;
	} else if (np && gen_chance(r, 85)) {
		const int *e = pr[gen_below(r, (unsigned)np)];
		unsigned k = gen_below(r, 6);
		int v = k == 0 ? e[0] : k == 1 ? e[1] : k == 2 ? e[0] - 1 : k == 3 ? e[1] + 1
		      : e[0] + (int)gen_below(r, (unsigned)(e[1] - e[0] + 1));
		p->port = v < 0 ? 0 : v > 65535 ? 65535 : v;
	} else {
		p->port = pick_port(r, f);
	}
	return true;
}

/* A source where the source check decides, for some packets: at an edge
 * of a routed prefix or a protected one of the packet's family, so that
 * forged packets occur, and legit ones one address away from them. */
static void source_bias(struct gen_rng *r, const struct facts *f, const struct eval_route *rt,
			int nrt, struct pkt *p)
{
	if (!gen_chance(r, 30))
		return;
	const struct prefix *cand[MAX_FACTS + GEN_MAX_ROUTES];
	int nroute = 0, n = 0;
	for (int i = 0; i < nrt && n < MAX_FACTS + GEN_MAX_ROUTES; i++)
		if (rt[i].pfx.family == p->family)
			cand[n++] = &rt[i].pfx;
	nroute = n;
	for (int i = 0; i < f->ndst && n < MAX_FACTS + GEN_MAX_ROUTES; i++)
		if (f->dst[i].family == p->family)
			cand[n++] = &f->dst[i];
	if (n == 0)
		return;
	int i = nroute && gen_chance(r, 60) ? (int)gen_below(r, (unsigned)nroute)
					    : (int)gen_below(r, (unsigned)n);
	p->src = edge_of(r, cand[i]);
}

/* A packet of no rule in particular. */
static void unaimed(struct gen_rng *r, const struct facts *f, struct pkt *p)
{
	p->dst = pick_dst(r, f, &p->family);
	p->src = pick_src(r, f, p->family);
	unsigned c = gen_below(r, 100);
	p->proto = c < 33 ? PKT_TCP : c < 57 ? PKT_UDP : c < 95 ? PKT_ICMP : PKT_OTHER;
	if (p->proto == PKT_ICMP)
		p->icmp_type = pick_type(r, f, p->family);
	else if (p->proto != PKT_OTHER)
		p->port = pick_port(r, f);
}

int gen_packets(const struct gen_model *m, uint64_t seed, const struct eval_route *routes,
		int nroutes, struct pkt *out, int n)
{
	static struct facts f;   /* large: kept off the stack */
	struct gen_rng r;
	gen_rng_init(&r, seed * 0x2545f4914f6cdd1dull + 0x5851f42d4c957f2dull);
	collect(m, &f);
	int k = 0;
	for (int i = 0; i < n; i++) {
		struct pkt p = { 0 };
		bool ok = false;
		for (int tries = 0; tries < 50 && !ok; tries++) {
			memset(&p, 0, sizeof(p));
			if (!(gen_chance(&r, 55) && aimed(&r, m, &f, &p)))
				unaimed(&r, &f, &p);
			source_bias(&r, &f, routes, nroutes, &p);
			/* From the outside, as probe_run() sends every packet. */
			p.iif = "r0";
			ok = p.src != p.dst && usable(p.family, p.dst) && usable(p.family, p.src);
		}
		if (ok)
			out[k++] = p;
	}
	return k;
}

static const char *const proto_word[] = {
	[PKT_TCP] = "tcp", [PKT_UDP] = "udp", [PKT_ICMP] = "icmp", [PKT_OTHER] = "other",
};

void gen_format_pkt(const struct pkt *p, char *buf, size_t len)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN];
	addr_format_u128(p->family, p->src, s);
	addr_format_u128(p->family, p->dst, d);
	if (p->proto == PKT_ICMP)
		snprintf(buf, len, "%s %s -> %s type %d", proto_word[p->proto], s, d, p->icmp_type);
	else if (p->proto == PKT_OTHER)   /* the kernel sends an SCTP INIT */
		snprintf(buf, len, "%s %s -> %s", proto_word[p->proto], s, d);
	else
		snprintf(buf, len, "%s %s -> %s port %d", proto_word[p->proto], s, d, p->port);
}

static bool parse_addr(const char *text, int *family, u128 *v)
{
	struct prefix p;
	if (addr_parse(text, &p) != ADDR_OK || p.len != addr_bits(p.family))
		return false;
	*family = p.family;
	*v = addr_first(&p);
	return true;
}

bool gen_parse_pkt(const char *text, struct pkt *p)
{
	char proto[8], src[ADDR_STRLEN], arrow[4], dst[ADDR_STRLEN], what[8], digits[8];
	int f1, f2, used = 0;
	int got = sscanf(text, "%7s %63s %3s %63s %n%7s %7s %n", proto, src, arrow, dst, &used,
			 what, digits, &used);
	bool other = got == 4 && strcmp(proto, "other") == 0;
	if ((got != 6 && !other) || text[used] != '\0' || strcmp(arrow, "->") != 0)
		return false;
	/* the number in digits only: strtol reports what sscanf's %d cannot */
	long num = -1;
	if (!other) {
		char *end;
		if (!isdigit((unsigned char)digits[0]))
			return false;
		num = strtol(digits, &end, 10);
		if (*end)
			return false;
	}
	memset(p, 0, sizeof(*p));
	if (!parse_addr(src, &f1, &p->src) || !parse_addr(dst, &f2, &p->dst) || f1 != f2)
		return false;
	p->family = f1;
	if (other) {
		p->proto = PKT_OTHER;
		return true;
	}
	if (strcmp(proto, "icmp") == 0 && strcmp(what, "type") == 0 && num >= 0 && num <= 255) {
		p->proto = PKT_ICMP;
		p->icmp_type = (int)num;
		return true;
	}
	if ((strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0) &&
	    strcmp(what, "port") == 0 && num >= 0 && num <= 65535) {
		p->proto = proto[0] == 't' ? PKT_TCP : PKT_UDP;
		p->port = (int)num;
		return true;
	}
	return false;
}

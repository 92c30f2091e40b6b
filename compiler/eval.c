/*
 * eval.c - the policy's verdict for one packet, from the checked policy.
 *
 * Written as the contract reads, not as ir.c lowers: the owner is the block
 * with the longest prefix holding the destination (a linear search, no
 * flattened intervals); its rules are tried in order, first match decides,
 * else its default.  Keep it that way: its worth as a test oracle is that it
 * shares nothing with the IR or the backends.
 */
#include "eval.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const eval_verdict_word[] = {
	[VERDICT_ACCEPT] = "accept",
	[VERDICT_DROP] = "drop",
	[VERDICT_REJECT] = "reject",
};

/* Linux 6.10 ("netfilter: conntrack: fix ct-state for ICMPv6 Multicast
 * Router Discovery") stopped tracking ICMPv6 151 and 152; before it they
 * were invalid.  The evaluator answers for the kernel that will load the
 * ruleset, which the caller names (runtime/kernel_release.h reads it). */
static bool mrd_untracked(int kernel)
{
	return kernel >= EVAL_KERNEL(6, 10);
}

int eval_kernel_parse(const char *release)
{
	if (!isdigit((unsigned char)release[0]))
		return 0;
	char *dot;
	long major = strtol(release, &dot, 10);
	if (*dot != '.' || !isdigit((unsigned char)dot[1]) || major > 100000)
		return 0;
	long minor = strtol(dot + 1, NULL, 10);
	return EVAL_KERNEL((int)major, minor > 999 ? 999 : (int)minor);
}

/* Which ICMP types conntrack takes as new, and which it never tracks: the
 * kernel's nf_conntrack_proto_icmp.c and nf_conntrack_proto_icmpv6.c. */
enum pkt_ct eval_conntrack(const struct pkt *p, int kernel)
{
	if (p->proto != PKT_ICMP)
		return PKT_CT_NEW;
	int t = p->icmp_type;
	if (p->family == FAM_IP4)
		/* echo, timestamp, information and address-mask requests */
		return t == 8 || t == 13 || t == 15 || t == 17 ? PKT_CT_NEW : PKT_CT_INVALID;
	if (t == 128 || t == 139)      /* echo-request, node information query */
		return PKT_CT_NEW;
	/* MLD query, report and done; router and neighbour solicitation and
	 * advertisement; MLDv2 report */
	if ((t >= 130 && t <= 136) || t == 143)
		return PKT_CT_UNTRACKED;
	/* multicast router advertisement and solicitation */
	if ((t == 151 || t == 152) && mrd_untracked(kernel))
		return PKT_CT_UNTRACKED;
	return PKT_CT_INVALID;
}

bool eval_rule_matches(const struct sema_rule *r, const struct pkt *p)
{
	switch (r->proto) {
	case PROTO_ANY:
		break;
	case PROTO_TCP:
	case PROTO_UDP:
		if (p->proto != (r->proto == PROTO_TCP ? PKT_TCP : PKT_UDP))
			return false;
		if (!r->all_ports) {
			bool in = false;
			for (int i = 0; i < r->nports && !in; i++)
				in = p->port >= r->ports[i].lo && p->port <= r->ports[i].hi;
			if (!in)
				return false;
		}
		break;
	case PROTO_ICMP:
		if (p->proto != PKT_ICMP)
			return false;
		if (!r->all_icmp &&
		    !icmp_set_has(p->family == FAM_IP4 ? &r->icmp4 : &r->icmp6, p->icmp_type))
			return false;
		break;
	}
	if (r->any_source)
		return true;
	struct prefix src = addr_host(p->family, p->src);
	for (int i = 0; i < r->nsources; i++)
		if (addr_covers(&r->sources[i].pfx, &src))
			return true;
	return false;
}

const struct sema_prefix *eval_owner(const struct sema_policy *pol, int family, u128 addr,
				     const struct sema_block *except, int below_len,
				     const struct sema_block **block)
{
	struct prefix host = addr_host(family, addr);
	const struct sema_prefix *best = NULL;
	*block = NULL;
	for (int i = 0; i < pol->nblocks; i++) {
		const struct sema_block *b = &pol->blocks[i];
		if (b == except)
			continue;
		for (int j = 0; j < b->nprefixes; j++) {
			const struct sema_prefix *sp = &b->prefixes[j];
			if (sp->pfx.len >= below_len || !addr_covers(&sp->pfx, &host))
				continue;
			if (!best || sp->pfx.len > best->pfx.len) {
				best = sp;
				*block = b;
			}
		}
	}
	return best;
}

/* The interface of the longest route covering addr, else the default. */
static const char *route_of(const struct eval_routes *routes, int family, u128 addr)
{
	if (!routes)
		return NULL;
	struct prefix host = addr_host(family, addr);
	const struct eval_route *best = NULL;
	for (int i = 0; i < routes->n; i++) {
		const struct eval_route *r = &routes->v[i];
		if (addr_covers(&r->pfx, &host) && (!best || r->pfx.len > best->pfx.len))
			best = r;
	}
	return best ? best->ifname : routes->dflt;
}

bool eval_source_ok(const struct sema_block *b, int family, u128 src, const char *iif,
		    const struct eval_routes *routes, const char **want, bool *unknown)
{
	*unknown = false;
	if (b->nvia > 0) {
		*want = b->via[0];
		if (!iif)
			return true;
		for (int i = 0; i < b->nvia; i++)
			if (strcmp(b->via[i], iif) == 0)
				return true;
		return false;
	}
	*want = route_of(routes, family, src);
	if (!iif)
		return true;
	if (!*want) {
		*unknown = true;
		return true;
	}
	return strcmp(*want, iif) == 0;
}

struct eval_result eval_packet(const struct sema_policy *pol, const struct pkt *p, int kernel)
{
	return eval_packet_routed(pol, p, NULL, kernel);
}

struct eval_result eval_packet_routed(const struct sema_policy *pol, const struct pkt *p,
				      const struct eval_routes *routes, int kernel)
{
	struct eval_result res = { .verdict = VERDICT_ACCEPT, .reason = EVAL_UNPROTECTED,
				   .rule_index = -1 };
	res.prefix = eval_owner(pol, p->family, p->dst, NULL, 129, &res.block);
	/* The source check comes first, whatever the destination: a forged
	 * packet to no block would otherwise leave a conntrack entry whose
	 * "replies" pass every block. */
	res.src_prefix = eval_owner(pol, p->family, p->src, NULL, 129, &res.src_block);
	if (res.src_block && !eval_source_ok(res.src_block, p->family, p->src, p->iif, routes,
					     &res.route_if, &res.route_unknown)) {
		res.verdict = VERDICT_DROP;
		res.reason = EVAL_FORGED;
		return res;
	}
	if (!res.block)
		return res;
	res.broader_prefix = eval_owner(pol, p->family, p->dst, res.block, res.prefix->pfx.len,
					&res.broader);
	if (eval_conntrack(p, kernel) == PKT_CT_INVALID) {
		res.verdict = VERDICT_DROP;
		res.reason = EVAL_INVALID;
		return res;
	}
	const struct sema_block *b = res.block;
	for (int i = 0; i < b->nrules; i++) {
		if (!eval_rule_matches(&b->rules[i], p))
			continue;
		res.reason = EVAL_RULE;
		res.rule = &b->rules[i];
		res.rule_index = i;
		res.verdict = res.rule->verdict;
		res.log = res.rule->log;
		res.log_spec = &res.rule->log_spec;
		return res;
	}
	res.reason = EVAL_DEFAULT;
	res.verdict = b->default_verdict;
	res.log = b->default_log;
	res.log_spec = &b->default_log_spec;
	return res;
}

const char *eval_reject_kind(const struct pkt *p)
{
	if (p->proto == PKT_TCP)
		return "tcp reset";
	return p->family == FAM_IP4 ? "icmp admin-prohibited" : "icmpv6 admin-prohibited";
}

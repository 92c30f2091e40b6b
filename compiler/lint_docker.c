/*
 * lint_docker.c - blocks whose Docker network drops what they allow.
 *
 * From Docker 28 on, a bridge network in NAT gateway mode (the default)
 * gets one raw PREROUTING rule per container that drops every packet routed
 * to the container's own address from outside its bridge.  The raw table
 * runs before any forward chain, so a block that protects such a network
 * allows packets that never reach it.  The network's own JSON says whether
 * this is so (docker_network_nat_drops()), so the warning needs Docker's
 * state and nothing of the host: `d6c check --docker` gives it, and
 * `d6c doctor` confirms it against the live raw table.
 *
 * Only IPv6: Docker's IPv4 is NAT by design and reached through published
 * ports (DNAT happens after the raw table, so those packets pass), while an
 * IPv6 container network is meant to be routed to.
 */
#include "lint.h"
#include "docker_state.h"

#include <stdio.h>

/* Whether block b decides packets to some address of subnet s: one of its
 * prefixes lies inside s, or covers s with no other block's prefix more
 * specific and covering all of s (which would own s instead). */
static bool block_reaches(const struct sema_policy *p, const struct sema_block *b,
			  const struct prefix *s)
{
	for (int i = 0; i < b->nprefixes; i++) {
		const struct prefix *own = &b->prefixes[i].pfx;
		if (own->family != s->family)
			continue;
		if (addr_covers(s, own))
			return true;
		if (!addr_covers(own, s))
			continue;
		bool taken = false;
		for (int k = 0; k < p->nblocks && !taken; k++)
			for (int j = 0; k != b->index && j < p->blocks[k].nprefixes && !taken; j++) {
				const struct prefix *other = &p->blocks[k].prefixes[j].pfx;
				taken = other->len > own->len && addr_covers(other, s);
			}
		if (!taken)
			return true;
	}
	return false;
}

/* One warning per block and network, at the block, naming the first of
 * the network's IPv6 subnets it reaches. */
static void check_network(struct diag_list *dl, const struct sema_policy *p,
			  const struct docker_network *n)
{
	for (int i = 0; i < p->nblocks; i++) {
		const struct prefix *s = NULL;
		for (int k = 0; k < n->nsubnets && !s; k++)
			if (n->subnets[k].family == FAM_IP6 &&
			    block_reaches(p, &p->blocks[i], &n->subnets[k]))
				s = &n->subnets[k];
		if (!s)
			continue;
		char text[ADDR_STRLEN];
		addr_format(s, text);
		diag_warning(dl, DC_W_DOCKER_NAT, p->blocks[i].loc,
			     "Docker network \"%s\" (%s) is in NAT gateway mode for IPv6: Docker "
			     "drops packets routed to its containers in raw PREROUTING, before any "
			     "forward chain, so this block's allows cannot take effect; recreate the "
			     "network with -o com.docker.network.bridge.gateway_mode_ipv6=routed",
			     n->name, text);
	}
}

void lint_docker_gateways(struct diag_list *dl, const struct sema_policy *p,
			  const struct docker_state *st)
{
	for (int i = 0; i < st->n; i++)
		if (docker_network_nat_drops(&st->nets[i], FAM_IP6))
			check_network(dl, p, &st->nets[i]);
}

/*
 * netns.c - outside -- router -- container, built with rtnetlink.
 *
 * unshare(CLONE_NEWNET) three times, an fd kept for each namespace, then
 * rtnetlink does the wiring: both veth pairs are created in the router with
 * their far ends placed straight into the outside and container namespaces
 * (IFLA_NET_NS_FD); a socket of each of those brings its end up, and then
 * the router's socket does the rest.  Sysctls are files under
 * /proc/sys/net, which answer for the namespace of the thread that opens
 * them: each is written while this thread is in the right namespace, the
 * "default" ones before the links exist so that the links inherit them.
 *
 * Convention: every function that enters a namespace leaves it (for
 * netns.orig) on every path; a failure says what it was doing in err.
 */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

const uint8_t netns_mac[NETNS_NPORTS][6] = {
	[NETNS_R0] = { 0x02, 0xd6, 0xc0, 0x00, 0x00, 0x01 },
	[NETNS_O0] = { 0x02, 0xd6, 0xc0, 0x00, 0x00, 0x02 },
	[NETNS_R1] = { 0x02, 0xd6, 0xc0, 0x00, 0x00, 0x03 },
	[NETNS_C0] = { 0x02, 0xd6, 0xc0, 0x00, 0x00, 0x04 },
};

const char *const netns_ifname[NETNS_NPORTS] = {
	[NETNS_R0] = "r0", [NETNS_O0] = "o0", [NETNS_R1] = "r1", [NETNS_C0] = "c0",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Table 100 holds the way to the container; `iif r0` selects it. */
#define TABLE_INWARD 100
#define RULE_PRIORITY 100

static const uint8_t ll_router[16] = { 0xfe, 0x80, [15] = 1 };   /* fe80::1 */
static const uint8_t ll_peer[16] = { 0xfe, 0x80, [15] = 2 };     /* fe80::2 */
static const uint8_t v4_r0[4] = { 198, 18, 0, 1 }, v4_o0[4] = { 198, 18, 0, 2 };
static const uint8_t v4_r1[4] = { 198, 18, 0, 5 }, v4_c0[4] = { 198, 18, 0, 6 };

struct sysctl {
	const char *path;    /* under /proc/sys/net/ */
	const char *value;
	bool optional;       /* not in every kernel, or not per namespace */
};

/* Written in the router before its links exist, so r0 and r1 inherit the
 * "default" ones.  No automatic link-local address and no DAD: fe80::1 is
 * usable at once and the router sends no ND of its own.  Rate limits off:
 * a batch may make the router answer hundreds of packets in a few ms. */
static const struct sysctl router_sysctls[] = {
	{ "ipv6/conf/default/addr_gen_mode", "1", false },
	{ "ipv6/conf/all/accept_dad", "0", false },
	{ "ipv6/conf/default/accept_dad", "0", false },
	{ "ipv6/conf/default/accept_ra", "0", false },
	{ "ipv6/conf/default/router_solicitations", "0", false },
	{ "ipv4/ip_forward", "1", false },
	{ "ipv6/conf/all/forwarding", "1", false },
	/* Any source address comes in by r0, which no reverse path check likes. */
	{ "ipv4/conf/all/rp_filter", "0", false },
	{ "ipv4/conf/default/rp_filter", "0", false },
	{ "ipv4/icmp_ratelimit", "0", false },
	{ "ipv6/icmp/ratelimit", "0", false },
	{ "ipv4/icmp_msgs_per_sec", "1000000", true },
	{ "ipv4/icmp_msgs_burst", "1000000", true },
};

/* Written once r0 and r1 exist. */
static const struct sysctl router_link_sysctls[] = {
	{ "ipv4/conf/r0/rp_filter", "0", false },
	{ "ipv4/conf/r1/rp_filter", "0", false },
	{ "ipv6/conf/r0/accept_dad", "0", false },
	{ "ipv6/conf/r1/accept_dad", "0", false },
};

/* The outside and the container: no IPv6 at all (no link-local address,
 * no ND, no MLD from them), no forwarding. */
static const struct sysctl end_sysctls[] = {
	{ "ipv6/conf/all/disable_ipv6", "1", false },
	{ "ipv6/conf/default/disable_ipv6", "1", false },
	{ "ipv4/ip_forward", "0", false },
};

static int set_sysctls(const struct sysctl *v, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		char path[128];
		snprintf(path, sizeof(path), "/proc/sys/net/%s", v[i].path);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		size_t len = strlen(v[i].value);
		bool ok = fd >= 0 && write(fd, v[i].value, len) == (ssize_t)len;
		int e = errno;
		if (fd >= 0)
			close(fd);
		if (!ok && !v[i].optional) {
			snprintf(err, errlen, "cannot set %s to %s: %s", path, v[i].value, strerror(e));
			return -1;
		}
	}
	return 0;
}

/* ---- rtnetlink ---- */

/* Big enough for every request here; MNL_SOCKET_BUFFER_SIZE is a run-time
 * value and would make a VLA. */
#define NLBUF 8192

struct rtnl {
	struct mnl_socket *nl;
	unsigned seq, portid;
	char buf[NLBUF];
};

static struct nlmsghdr *request(struct rtnl *r, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(r->buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++r->seq;
	return nlh;
}

/* Sends nlh and waits for its acknowledgement. */
static int talk(struct rtnl *r, const struct nlmsghdr *nlh, const char *what, char *err,
		size_t errlen)
{
	char reply[NLBUF];
	int rc = -1;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) >= 0) {
		do {
			ssize_t n = mnl_socket_recvfrom(r->nl, reply, sizeof(reply));
			rc = n < 0 ? -1 : mnl_cb_run(reply, (size_t)n, nlh->nlmsg_seq, r->portid,
						     NULL, NULL);
		} while (rc > 0);   /* MNL_CB_OK: not our answer yet */
	}
	if (rc < 0)
		snprintf(err, errlen, "rtnetlink: %s: %s", what, strerror(errno));
	return rc < 0 ? -1 : 0;
}

static void put_link(struct nlmsghdr *nlh, const char *name, const uint8_t mac[6])
{
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
}

/* A veth pair, both ends down, the peer created in namespace peer_ns. */
static int add_veth(struct rtnl *r, enum netns_port here, enum netns_port peer, int peer_ns,
		    char *err, size_t errlen)
{
	struct nlmsghdr *nlh = request(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	put_link(nlh, netns_ifname[here], netns_mac[here]);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	struct nlattr *p = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	/* The peer's attributes follow an ifinfomsg of its own. */
	struct ifinfomsg *pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	put_link(nlh, netns_ifname[peer], netns_mac[peer]);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)peer_ns);
	mnl_attr_nest_end(nlh, p);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	char what[64];
	snprintf(what, sizeof(what), "creating veth %s-%s", netns_ifname[here], netns_ifname[peer]);
	return talk(r, nlh, what, err, errlen);
}

static int link_up(struct rtnl *r, const char *name, char *err, size_t errlen)
{
	struct nlmsghdr *nlh = request(r, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_flags = ifm->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	char what[32];
	snprintf(what, sizeof(what), "bringing %s up", name);
	return talk(r, nlh, what, err, errlen);
}

static int alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

static int add_addr(struct rtnl *r, int af, unsigned ifindex, const uint8_t *a, int plen,
		    char *err, size_t errlen)
{
	struct nlmsghdr *nlh = request(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)af;
	ifa->ifa_prefixlen = (uint8_t)plen;
	ifa->ifa_index = ifindex;
	ifa->ifa_scope = af == AF_INET6 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	ifa->ifa_flags = af == AF_INET6 ? IFA_F_NODAD : 0;
	mnl_attr_put(nlh, IFA_LOCAL, (size_t)alen(af), a);
	mnl_attr_put(nlh, IFA_ADDRESS, (size_t)alen(af), a);
	return talk(r, nlh, "adding an address", err, errlen);
}

static int add_neigh(struct rtnl *r, int af, unsigned ifindex, const uint8_t *a,
		     const uint8_t mac[6], char *err, size_t errlen)
{
	struct nlmsghdr *nlh = request(r, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
	struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = (uint8_t)af;
	nd->ndm_ifindex = (int)ifindex;
	nd->ndm_state = NUD_PERMANENT;
	mnl_attr_put(nlh, NDA_DST, (size_t)alen(af), a);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return talk(r, nlh, "adding a neighbour entry", err, errlen);
}

/* A route dst/plen of table via gw on ifindex, added (add) or removed. */
static int put_route(struct rtnl *r, bool add, int af, uint32_t table, const uint8_t *dst,
		     int plen, const uint8_t *gw, unsigned ifindex, char *err, size_t errlen)
{
	struct nlmsghdr *nlh = request(r, add ? RTM_NEWROUTE : RTM_DELROUTE,
				       add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	struct rtmsg *rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtm_family = (uint8_t)af;
	rt->rtm_dst_len = (uint8_t)plen;
	rt->rtm_table = (uint8_t)table;
	rt->rtm_protocol = RTPROT_STATIC;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	/* The IPv4 next hop is on the link whatever table 100 says. */
	rt->rtm_flags = af == AF_INET ? RTNH_F_ONLINK : 0;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (plen > 0)
		mnl_attr_put(nlh, RTA_DST, (size_t)alen(af), dst);
	mnl_attr_put(nlh, RTA_GATEWAY, (size_t)alen(af), gw);
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	char what[64];
	snprintf(what, sizeof(what), "%s a route", add ? "adding" : "removing");
	return talk(r, nlh, what, err, errlen);
}

/* The default route of table via gw on ifindex. */
static int add_default(struct rtnl *r, int af, uint32_t table, const uint8_t *gw,
		       unsigned ifindex, char *err, size_t errlen)
{
	static const uint8_t any[16];
	return put_route(r, true, af, table, any, 0, gw, ifindex, err, errlen);
}

static int add_rule(struct rtnl *r, int af, char *err, size_t errlen)
{
	struct nlmsghdr *nlh = request(r, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL);
	struct fib_rule_hdr *fr = mnl_nlmsg_put_extra_header(nlh, sizeof(*fr));
	fr->family = (uint8_t)af;
	fr->table = TABLE_INWARD;
	fr->action = FR_ACT_TO_TBL;
	mnl_attr_put_strz(nlh, FRA_IIFNAME, netns_ifname[NETNS_R0]);
	mnl_attr_put_u32(nlh, FRA_TABLE, TABLE_INWARD);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, RULE_PRIORITY);
	return talk(r, nlh, "adding the FIB rule 'iif r0 lookup 100'", err, errlen);
}

static int wire_links(struct rtnl *r, const void *arg, char *err, size_t errlen)
{
	const struct netns *ns = arg;
	return add_veth(r, NETNS_R0, NETNS_O0, ns->fd[NETNS_OUTSIDE], err, errlen) ||
	       add_veth(r, NETNS_R1, NETNS_C0, ns->fd[NETNS_CONTAINER], err, errlen) ? -1 : 0;
}

/* The router's side, once the far ends are up. */
static int wire_router(struct rtnl *r, const void *arg, char *err, size_t errlen)
{
	(void)arg;
	if (link_up(r, "lo", err, errlen) || link_up(r, "r0", err, errlen) ||
	    link_up(r, "r1", err, errlen))
		return -1;
	unsigned r0 = if_nametoindex("r0"), r1 = if_nametoindex("r1");
	if (!r0 || !r1) {
		snprintf(err, errlen, "the router's links are missing: %s", strerror(errno));
		return -1;
	}
	const uint8_t *o0mac = netns_mac[NETNS_O0], *c0mac = netns_mac[NETNS_C0];
	if (add_addr(r, AF_INET6, r0, ll_router, 64, err, errlen) ||
	    add_addr(r, AF_INET6, r1, ll_router, 64, err, errlen) ||
	    add_addr(r, AF_INET, r0, v4_r0, 30, err, errlen) ||
	    add_addr(r, AF_INET, r1, v4_r1, 30, err, errlen) ||
	    add_neigh(r, AF_INET6, r0, ll_peer, o0mac, err, errlen) ||
	    add_neigh(r, AF_INET, r0, v4_o0, o0mac, err, errlen) ||
	    add_neigh(r, AF_INET6, r1, ll_peer, c0mac, err, errlen) ||
	    add_neigh(r, AF_INET, r1, v4_c0, c0mac, err, errlen) ||
	    add_default(r, AF_INET6, RT_TABLE_MAIN, ll_peer, r0, err, errlen) ||
	    add_default(r, AF_INET, RT_TABLE_MAIN, v4_o0, r0, err, errlen) ||
	    add_default(r, AF_INET6, TABLE_INWARD, ll_peer, r1, err, errlen) ||
	    add_default(r, AF_INET, TABLE_INWARD, v4_c0, r1, err, errlen) ||
	    add_rule(r, AF_INET6, err, errlen) || add_rule(r, AF_INET, err, errlen))
		return -1;
	return set_sysctls(router_link_sysctls, NELEM(router_link_sysctls), err, errlen);
}

/* The far end of a wire, run in the outside or the container. */
static int wire_end(struct rtnl *r, const void *arg, char *err, size_t errlen)
{
	(void)arg;
	for (enum netns_port p = NETNS_O0; p < NETNS_NPORTS; p += 2)
		if (if_nametoindex(netns_ifname[p]))
			return link_up(r, netns_ifname[p], err, errlen);
	snprintf(err, errlen, "the far end of a veth pair is missing");
	return -1;
}

typedef int wire_fn(struct rtnl *r, const void *arg, char *err, size_t errlen);

/* Runs fn(arg) with an rtnetlink socket of the namespace this thread is in. */
static int with_rtnl(wire_fn *fn, const void *arg, char *err, size_t errlen)
{
	struct rtnl r = { .nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC) };
	if (!r.nl || mnl_socket_bind(r.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "rtnetlink socket: %s", strerror(errno));
		if (r.nl)
			mnl_socket_close(r.nl);
		return -1;
	}
	r.portid = mnl_socket_get_portid(r.nl);
	int rc = fn(&r, arg, err, errlen);
	mnl_socket_close(r.nl);
	return rc;
}

/* ---- the router's main table ---- */

struct route_job {
	const struct netns_route *v;
	int n;
	bool add;
};

static int do_routes(struct rtnl *r, const void *arg, char *err, size_t errlen)
{
	const struct route_job *job = arg;
	for (int i = 0; i < job->n; i++) {
		const struct netns_route *rt = &job->v[i];
		bool out = rt->via == NETNS_R0;
		unsigned ifindex = if_nametoindex(netns_ifname[out ? NETNS_R0 : NETNS_R1]);
		const uint8_t *gw = rt->af == AF_INET6 ? ll_peer : out ? v4_o0 : v4_c0;
		if (!ifindex) {
			snprintf(err, errlen, "the router's links are missing: %s", strerror(errno));
			return -1;
		}
		if (put_route(r, job->add, rt->af, RT_TABLE_MAIN, rt->dst, rt->plen, gw, ifindex,
			      err, errlen))
			return -1;
	}
	return 0;
}

int netns_routes(const struct netns *ns, const struct netns_route *v, int n, bool add,
		 char *err, size_t errlen)
{
	struct route_job job = { v, n, add };
	int rc = netns_enter(ns, NETNS_ROUTER, err, errlen);
	if (rc == 0)
		rc = with_rtnl(do_routes, &job, err, errlen);
	if (netns_leave(ns, err, errlen) != 0)
		rc = -1;
	return rc;
}

/* ---- namespaces ---- */

int netns_enter(const struct netns *ns, enum netns_id id, char *err, size_t errlen)
{
	if (setns(ns->fd[id], CLONE_NEWNET) == 0)
		return 0;
	snprintf(err, errlen, "setns: %s", strerror(errno));
	return -1;
}

int netns_leave(const struct netns *ns, char *err, size_t errlen)
{
	if (setns(ns->orig, CLONE_NEWNET) == 0)
		return 0;
	snprintf(err, errlen, "cannot return to the caller's network namespace: %s",
		 strerror(errno));
	return -1;
}

static int open_self(char *err, size_t errlen)
{
	/* thread-self: setns and unshare act on this thread, not the process. */
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, errlen, "/proc/thread-self/ns/net: %s", strerror(errno));
	return fd;
}

void netns_free(struct netns *ns)
{
	for (int i = 0; i < NETNS_COUNT; i++) {
		if (ns->fd[i] >= 0)
			close(ns->fd[i]);
		ns->fd[i] = -1;
	}
	if (ns->orig >= 0)
		close(ns->orig);
	ns->orig = -1;
}

int netns_build(struct netns *ns, char *err, size_t errlen)
{
	for (int i = 0; i < NETNS_COUNT; i++)
		ns->fd[i] = -1;
	ns->orig = open_self(err, errlen);
	if (ns->orig < 0)
		return -1;
	static const struct {
		const struct sysctl *v;
		size_t n;
	} early[NETNS_COUNT] = {
		[NETNS_ROUTER] = { router_sysctls, NELEM(router_sysctls) },
		[NETNS_OUTSIDE] = { end_sysctls, NELEM(end_sysctls) },
		[NETNS_CONTAINER] = { end_sysctls, NELEM(end_sysctls) },
	};
	int rc = 0;
	for (int i = 0; i < NETNS_COUNT && rc == 0; i++) {
		if (unshare(CLONE_NEWNET) != 0) {
			snprintf(err, errlen, "unshare(CLONE_NEWNET): %s%s", strerror(errno),
				 errno == EPERM ? " (needs root: CAP_SYS_ADMIN)" : "");
			rc = -1;
			break;
		}
		ns->fd[i] = open_self(err, errlen);
		rc = ns->fd[i] < 0 ? -1 : set_sysctls(early[i].v, early[i].n, err, errlen);
	}
	/* An end that comes up while its peer is down gets its queueing
	 * discipline only when the link watcher runs, up to a second later;
	 * until then it drops what it should send.  So the router's ends,
	 * which send, come up last, after the far ones (probe.c sends on o0
	 * past the queueing discipline). */
	static const struct {
		enum netns_id ns;
		wire_fn *fn;
	} steps[] = {
		{ NETNS_ROUTER, wire_links },
		{ NETNS_OUTSIDE, wire_end },
		{ NETNS_CONTAINER, wire_end },
		{ NETNS_ROUTER, wire_router },
	};
	for (size_t i = 0; i < NELEM(steps) && rc == 0; i++) {
		rc = netns_enter(ns, steps[i].ns, err, errlen);
		if (rc == 0)
			rc = with_rtnl(steps[i].fn, ns, err, errlen);
	}
	/* Back where we came from on every path; that error wins, as the
	 * caller could not go on in a foreign namespace. */
	if (netns_leave(ns, err, errlen) != 0)
		rc = -1;
	if (rc != 0)
		netns_free(ns);
	return rc;
}

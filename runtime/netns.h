/*
 * netns.h - the three private network namespaces behind probe.c.
 *
 *   outside [o0] ---veth--- [r0] router [r1] ---veth--- [c0] container
 *
 * Built in this process with rtnetlink (libmnl), no `ip` binary: every
 * address the outside sends from reaches the container side through the
 * router (FIB rule `iif r0 lookup 100`, table 100's default route leaves by
 * r1), and whatever the router itself sends (TCP resets, ICMP errors) goes
 * back out r0 (main table's default) -- unless netns_routes() put a route
 * to the container side in the main table, which is also where the
 * router's reverse path checks (nftables' fib) look.  Next hops are permanent neighbour
 * entries, so the router never asks for a MAC and nothing waits on ND/ARP.
 * The outside and container kernels carry no address and no IPv6: they
 * only hold the far ends of the wires for probe.c's packet sockets.
 *
 * The namespaces are held by file descriptors only, never bind-mounted, so
 * they vanish with the process.  Every function here returns to the
 * caller's namespace (netns.orig) before it returns, on errors too.
 */
#ifndef D6C_NETNS_H
#define D6C_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum netns_id {
	NETNS_ROUTER,
	NETNS_OUTSIDE,
	NETNS_CONTAINER,
	NETNS_COUNT,
};

/* The four veth ends; netns_mac[] holds their fixed addresses. */
enum netns_port {
	NETNS_R0,   /* router, facing the outside */
	NETNS_O0,   /* outside */
	NETNS_R1,   /* router, facing the container */
	NETNS_C0,   /* container */
	NETNS_NPORTS,
};

extern const uint8_t netns_mac[NETNS_NPORTS][6];
extern const char *const netns_ifname[NETNS_NPORTS];

struct netns {
	int orig;                 /* the caller's namespace */
	int fd[NETNS_COUNT];
};

/* Builds the topology into ns.  0 on success; -1 with the reason in err,
 * everything made so far released. */
int netns_build(struct netns *ns, char *err, size_t errlen);
/* Closes every descriptor; the kernel removes the namespaces. */
void netns_free(struct netns *ns);
/* A route of the router's main table, the one the router's own packets
 * and nftables' `fib saddr . iif` use (table 100 serves only what comes in
 * by r0).  Its next hop is the far end of via's wire. */
struct netns_route {
	int af;                   /* AF_INET or AF_INET6 */
	uint8_t dst[16];          /* network byte order, no host bits */
	int plen;
	enum netns_port via;      /* NETNS_R0 (the outside) or NETNS_R1 (the container) */
};

/* Adds (add true) or removes the n routes, in order; stops at the first
 * failure, with the reason in err. */
int netns_routes(const struct netns *ns, const struct netns_route *v, int n, bool add,
		 char *err, size_t errlen);
/* Moves this thread into namespace id / back to ns->orig.  -1 with the
 * reason in err. */
int netns_enter(const struct netns *ns, enum netns_id id, char *err, size_t errlen);
int netns_leave(const struct netns *ns, char *err, size_t errlen);

#endif

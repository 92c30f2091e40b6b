/*
 * probe.c - real packets through a real kernel: what probe_run() sends and
 * how it reads what became of each packet.
 *
 * netns.c builds outside -- router -- container; here two AF_PACKET
 * sockets, made once while this thread is in their namespace (a socket
 * stays in the namespace it was made in), tap the far ends: o0 sends the
 * crafted frames and hears the router's answers, c0 sees what the router
 * forwarded.  Both far ends drop everything at netdev ingress, which comes
 * after the taps, so their kernels never answer anything.
 *
 * The convention to know: every packet carries a tag (compiler/frame.h:
 * its TCP/UDP/SCTP source port, its ICMP identifier), unique here for the
 * life of a struct probe's namespaces, so no conntrack entry an earlier
 * packet left can decide a later one.  Tags of one batch are consecutive.
 * When the tags run out, the namespaces are rebuilt (the router's ruleset
 * listed and loaded into the new one, the routes of probe_route_set()
 * added again), and tags start over.  What each frame holds and how an
 * answer is matched to the packet it answers is compiler/frame.c's part;
 * this file sends the frames, reads the taps and keeps time.
 */
#include "probe.h"
#include "netns.h"

#include "compiler/frame.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <nftables/libnftables.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TAG_FIRST 1024
#define TAG_END 65536          /* one past the last tag */
/* At most this many packets go out before the sockets are read: well
 * below the per-CPU backlog (net.core.netdev_max_backlog, 1000) and what
 * the receive buffers hold. */
#define CHUNK 512
#define RCVBUF (8 << 20)
#define QUIET_MS 60            /* this long without news: the rest were dropped */
#define LIMIT_MS 500           /* a chunk is read for no longer than this */

enum tap { TAP_OUT, TAP_CTR, NTAPS };

struct probe {
	struct netns ns;
	bool built;             /* false after a rebuild failed */
	int tap[NTAPS];         /* AF_PACKET on o0 (sends too) and on c0 */
	unsigned next_tag;
	struct netns_route *routes;   /* probe_route_set()'s, in the router now */
	int nroutes;
};

static const char *const sink[NTAPS] = {
	[TAP_OUT] = "table netdev sink { chain in { type filter hook ingress device o0 "
		    "priority 0; policy drop; }; }",
	[TAP_CTR] = "table netdev sink { chain in { type filter hook ingress device c0 "
		    "priority 0; policy drop; }; }",
};

/* ---- libnftables inside a namespace ---- */

/* Runs cmd in namespace id; *out (if out) receives a copy of the output. */
static int run_nft(struct probe *k, enum netns_id id, const char *cmd, bool json, char **out,
		  char *err, size_t errlen)
{
	if (netns_enter(&k->ns, id, err, errlen) != 0)
		return -1;
	int rc = -1;
	/* Made here: its netlink socket belongs to the namespace it is made in. */
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (nft) {
		nft_ctx_buffer_output(nft);
		nft_ctx_buffer_error(nft);
		/* In nftables 1.0.x the JSON output flag also selects JSON input. */
		if (json)
			nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
		if (nft_run_cmd_from_buffer(nft, cmd) == 0) {
			rc = 0;
			if (out && !(*out = strdup(nft_ctx_get_output_buffer(nft)))) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
			}
		} else {
			const char *e = nft_ctx_get_error_buffer(nft);
			snprintf(err, errlen, "%s", e && *e ? e : "nftables gave no reason\n");
		}
		nft_ctx_free(nft);
	} else {
		snprintf(err, errlen, "cannot set up libnftables");
	}
	if (netns_leave(&k->ns, err, errlen) != 0 && rc == 0) {
		rc = -1;
		if (out) {   /* a failure returns no output: the caller frees none */
			free(*out);
			*out = NULL;
		}
	}
	return rc;
}

/* ---- building the topology ---- */

static int open_tap(struct probe *k, enum tap t, char *err, size_t errlen)
{
	enum netns_id id = t == TAP_OUT ? NETNS_OUTSIDE : NETNS_CONTAINER;
	const char *dev = netns_ifname[t == TAP_OUT ? NETNS_O0 : NETNS_C0];
	if (netns_enter(&k->ns, id, err, errlen) != 0)
		return -1;
	/* Protocol 0 until bind: a socket made listening would be unhooked
	 * again by bind, which waits for an RCU grace period (~15 ms). */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	int rcvbuf = RCVBUF, one = 1;
	bool ok = fd >= 0 && ioctl(fd, SIOCGIFINDEX, &ifr) == 0;
	if (ok) {
		struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
					   .sll_ifindex = ifr.ifr_ifindex };
		ok = bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == 0 &&
		     setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) == 0;
		/* Only saves reading our own frames back; they are skipped anyway. */
		setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
		/* Straight to the driver: o0 came up before its peer, and its
		 * queueing discipline is attached only when the link watcher
		 * gets round to it (netns.c). */
		ok = ok && (t != TAP_OUT ||
			    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) == 0);
	}
	if (!ok)
		snprintf(err, errlen, "packet socket on %s: %s", dev, strerror(errno));
	if (!ok && fd >= 0)
		close(fd);
	k->tap[t] = ok ? fd : -1;
	if (netns_leave(&k->ns, err, errlen) != 0)
		return -1;
	return ok ? 0 : -1;
}

static void topo_free(struct probe *k)
{
	for (int t = 0; t < NTAPS; t++) {
		if (k->tap[t] >= 0)
			close(k->tap[t]);
		k->tap[t] = -1;
	}
	if (k->built)
		netns_free(&k->ns);
	k->built = false;
}

static int topo_build(struct probe *k, char *err, size_t errlen)
{
	k->tap[TAP_OUT] = k->tap[TAP_CTR] = -1;
	if (netns_build(&k->ns, err, errlen) != 0)
		return -1;
	k->built = true;
	k->next_tag = TAG_FIRST;
	if (run_nft(k, NETNS_OUTSIDE, sink[TAP_OUT], false, NULL, err, errlen) != 0 ||
	    run_nft(k, NETNS_CONTAINER, sink[TAP_CTR], false, NULL, err, errlen) != 0 ||
	    open_tap(k, TAP_OUT, err, errlen) != 0 || open_tap(k, TAP_CTR, err, errlen) != 0) {
		topo_free(k);
		return -1;
	}
	return 0;
}

/* Fresh namespaces, so that tags (and conntrack tuples) start over; the
 * router keeps its ruleset and its routes. */
static int rebuild(struct probe *k, char *err, size_t errlen)
{
	char *saved = NULL;
	if (run_nft(k, NETNS_ROUTER, "list ruleset", false, &saved, err, errlen) != 0)
		return -1;
	topo_free(k);
	int rc = topo_build(k, err, errlen);
	if (rc == 0 && saved[0])
		rc = run_nft(k, NETNS_ROUTER, saved, false, NULL, err, errlen);
	if (rc == 0 && k->nroutes)
		rc = netns_routes(&k->ns, k->routes, k->nroutes, true, err, errlen);
	/* A router without its ruleset or routes must not answer for them. */
	if (rc != 0)
		topo_free(k);
	free(saved);
	return rc;
}

struct probe *probe_open(char *err, size_t errlen)
{
	struct probe *k = calloc(1, sizeof(*k));
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (topo_build(k, err, errlen) != 0) {
		free(k);
		return NULL;
	}
	return k;
}

void probe_close(struct probe *k)
{
	if (!k)
		return;
	topo_free(k);
	free(k->routes);
	free(k);
}

int probe_load(struct probe *k, const char *ruleset, bool json, char *err, size_t errlen)
{
	if (!k->built) {
		snprintf(err, errlen, "the test namespaces are gone (rebuilding them failed)");
		return -1;
	}
	return run_nft(k, NETNS_ROUTER, ruleset, json, NULL, err, errlen);
}

int probe_nft(struct probe *k, const char *cmd, char **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!k->built) {
		snprintf(err, errlen, "the test namespaces are gone (rebuilding them failed)");
		return -1;
	}
	return run_nft(k, NETNS_ROUTER, cmd, false, out, err, errlen);
}

/* ---- routes ---- */

static bool same_route(const struct netns_route *a, const struct netns_route *b)
{
	return a->af == b->af && a->plen == b->plen && memcmp(a->dst, b->dst, 16) == 0;
}

/* v as netns routes into out (room for n), repeats merged; the count, or
 * -1 with the reason. */
static int to_netns(const struct eval_route *v, int n, struct netns_route *out, char *err,
		    size_t errlen)
{
	int m = 0;
	for (int i = 0; i < n; i++) {
		const struct prefix *p = &v[i].pfx;
		const char *name = v[i].ifname ? v[i].ifname : "(none)";
		char text[ADDR_STRLEN];
		if ((p->family != FAM_IP4 && p->family != FAM_IP6) || p->len > addr_bits(p->family)) {
			snprintf(err, errlen, "route %d: no prefix", i + 1);
			return -1;
		}
		addr_format(p, text);
		struct netns_route r = { .af = p->family == FAM_IP4 ? AF_INET : AF_INET6,
					 .plen = p->len };
		if (strcmp(name, netns_ifname[NETNS_R0]) == 0) {
			r.via = NETNS_R0;
		} else if (strcmp(name, netns_ifname[NETNS_R1]) == 0) {
			r.via = NETNS_R1;
		} else {
			snprintf(err, errlen, "route %s: interface %s is neither r0 nor r1", text, name);
			return -1;
		}
		/* The kernel refuses host bits. */
		for (int b = 0; b < (p->family == FAM_IP4 ? 4 : 16); b++) {
			int keep = p->len - 8 * b;
			r.dst[b] = keep >= 8 ? p->addr[b] : keep <= 0 ? 0
				 : (uint8_t)(p->addr[b] & (0xff << (8 - keep)));
		}
		int j = 0;
		while (j < m && !same_route(&out[j], &r))
			j++;
		if (j < m && out[j].via != r.via) {
			snprintf(err, errlen, "route %s: given by both r0 and r1", text);
			return -1;
		}
		if (j == m)
			out[m++] = r;
	}
	return m;
}

int probe_route_set(struct probe *k, const struct eval_route *v, int n, char *err,
		   size_t errlen)
{
	if (!k->built) {
		snprintf(err, errlen, "the test namespaces are gone (rebuilding them failed)");
		return -1;
	}
	struct netns_route *nr = calloc(n > 0 ? (size_t)n : 1, sizeof(*nr));
	if (!nr) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int m = to_netns(v, n, nr, err, errlen);
	if (m < 0) {
		free(nr);
		return -1;
	}
	if (netns_routes(&k->ns, k->routes, k->nroutes, false, err, errlen) != 0 ||
	    netns_routes(&k->ns, nr, m, true, err, errlen) != 0) {
		/* Which routes the router holds is unknown now. */
		topo_free(k);
		m = 0;
	}
	free(k->routes);
	k->routes = nr;
	k->nroutes = m;
	return k->built ? 0 : -1;
}

/* ---- addresses ---- */

struct unusable {
	int family;
	u128 net;
	int len;
	const char *what;
};

#define V6(hi16) ((u128)(hi16) << 112)

/* First match wins: the limited broadcast address before 240.0.0.0/4. */
static const struct unusable unusable[] = {
	{ FAM_IP6, 0, 128, "unspecified (::)" },
	{ FAM_IP6, 1, 128, "loopback (::1)" },
	{ FAM_IP6, V6(0xff00), 8, "multicast (ff00::/8)" },
	{ FAM_IP6, V6(0xfe80), 10, "link-local (fe80::/10)" },
	/* Forwarded, but the kernel sends no TCP reset from or to one. */
	{ FAM_IP6, (u128)0xffff << 32, 96, "IPv4-mapped (::ffff:0:0/96)" },
	{ FAM_IP4, 0x00000000u, 8, "in 0.0.0.0/8 (this network)" },
	{ FAM_IP4, 0x7f000000u, 8, "loopback (127.0.0.0/8)" },
	{ FAM_IP4, 0xa9fe0000u, 16, "link-local (169.254.0.0/16)" },
	{ FAM_IP4, 0xe0000000u, 4, "multicast (224.0.0.0/4)" },
	{ FAM_IP4, 0xffffffffu, 32, "the limited broadcast address" },
	{ FAM_IP4, 0xf0000000u, 4, "reserved (240.0.0.0/4)" },
	{ FAM_IP4, 0xc6120000u, 30, "in 198.18.0.0/30, the router's link to the outside" },
	{ FAM_IP4, 0xc6120004u, 30, "in 198.18.0.4/30, the router's link to the container" },
};

bool probe_usable(int family, u128 addr, char *why, size_t whylen)
{
	if (family != FAM_IP4 && family != FAM_IP6) {
		snprintf(why, whylen, "address family %d is neither IPv4 nor IPv6", family);
		return false;
	}
	int bits = addr_bits(family);
	if (family == FAM_IP4 && addr >> 32) {
		snprintf(why, whylen, "an IPv4 address with more than 32 bits");
		return false;
	}
	for (size_t i = 0; i < sizeof(unusable) / sizeof(unusable[0]); i++) {
		const struct unusable *u = &unusable[i];
		if (u->family != family || (u->len < bits && (addr ^ u->net) >> (bits - u->len)) ||
		    (u->len == bits && addr != u->net))
			continue;
		char text[ADDR_STRLEN];
		addr_format_u128(family, addr, text);
		snprintf(why, whylen, "%s is %s", text, u->what);
		return false;
	}
	return true;
}

/* ---- sending and reading ---- */

/* Checks p, its addresses first, and fills s; -1 with the reason naming
 * what is wrong. */
static int describe(const struct pkt *p, int i, uint16_t tag, struct frame_sent *s, char *err,
		    size_t errlen)
{
	char why[160];
	if (!probe_usable(p->family, p->src, why, sizeof(why)) ||
	    !probe_usable(p->family, p->dst, why, sizeof(why))) {
		snprintf(err, errlen, "packet %d: %s, which the test namespaces cannot carry", i + 1,
			 why);
		return -1;
	}
	return frame_describe(p, i, tag, s, err, errlen);
}

/* Reads every frame waiting on tap t; true when one told something new. */
static bool read_tap(struct probe *k, enum tap t, struct frame_batch *b)
{
	uint8_t f[FRAME_MAX];
	bool news = false;
	for (;;) {
		struct sockaddr_ll from = { 0 };   /* what recvfrom does not fill is 0 */
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(k->tap[t], f, sizeof(f), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &fl);
		if (n < 0)
			return news;   /* EAGAIN: drained; a real error shows as silence */
		if (b && from.sll_pkttype != PACKET_OUTGOING)
			news |= frame_heard(b, f, (size_t)n,
					    t == TAP_CTR ? FRAME_CONTAINER : FRAME_OUTSIDE);
	}
}

/* Frames the packet sockets dropped for want of buffer since last asked. */
static unsigned lost(struct probe *k)
{
	unsigned drops = 0;
	for (int t = 0; t < NTAPS; t++) {
		struct tpacket_stats st = { 0 };
		socklen_t len = sizeof(st);
		if (getsockopt(k->tap[t], SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
			drops += st.tp_drops;
	}
	return drops;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends one chunk and reads what became of it: first the frames, then
 * every answer until QUIET_MS pass without news or all are decided. */
static int run_chunk(struct probe *k, const struct pkt *pkts, int n, enum outcome *out,
		     char *err, size_t errlen)
{
	struct frame_sent *s = malloc(sizeof(*s) * (size_t)n);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct frame_batch b = { s, n, k->next_tag, out, 0 };
	for (int i = 0; i < n; i++) {
		out[i] = OUTCOME_DROP;
		if (describe(&pkts[i], i, (uint16_t)(b.base + (unsigned)i), &s[i], err, errlen)) {
			free(s);
			return -1;
		}
	}
	k->next_tag += (unsigned)n;
	read_tap(k, TAP_OUT, NULL);
	read_tap(k, TAP_CTR, NULL);
	lost(k);   /* reading the statistics resets them */
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		uint8_t f[FRAME_MAX] = { 0 };
		size_t len = frame_build(&pkts[i], &s[i], netns_mac[NETNS_R0], netns_mac[NETNS_O0],
					 f);
		if (send(k->tap[TAP_OUT], f, len, 0) != (ssize_t)len) {
			snprintf(err, errlen, "sending packet %d on o0: %s", i + 1, strerror(errno));
			rc = -1;
		}
	}
	long start = now_ms(), last = start;
	while (rc == 0 && b.decided < n) {
		long t = now_ms(), until = last + QUIET_MS < start + LIMIT_MS ? last + QUIET_MS
									  : start + LIMIT_MS;
		if (t >= until)
			break;
		struct pollfd pfd[NTAPS] = { { k->tap[TAP_OUT], POLLIN, 0 },
					     { k->tap[TAP_CTR], POLLIN, 0 } };
		int r = poll(pfd, NTAPS, (int)(until - t));
		if (r < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			rc = -1;
		}
		bool news = false;
		for (int tp = 0; r > 0 && tp < NTAPS; tp++)
			if (pfd[tp].revents)
				news |= read_tap(k, (enum tap)tp, &b);
		if (news)
			last = now_ms();
	}
	/* A frame lost in a full buffer would read as a drop: say so instead. */
	unsigned drops = rc == 0 ? lost(k) : 0;
	if (drops) {
		snprintf(err, errlen, "%u captured frames were lost (receive buffer full)", drops);
		rc = -1;
	}
	free(s);
	return rc;
}

int probe_run(struct probe *k, const struct pkt *pkts, int n, enum outcome *out,
	     char *err, size_t errlen)
{
	/* Refused before anything is sent. */
	for (int i = 0; i < n; i++) {
		struct frame_sent s;
		if (describe(&pkts[i], i, 0, &s, err, errlen) != 0)
			return -1;
	}
	for (int done = 0; done < n;) {
		int m = n - done < CHUNK ? n - done : CHUNK;
		if (!k->built) {
			snprintf(err, errlen, "the test namespaces are gone (rebuilding them failed)");
			return -1;
		}
		if (k->next_tag + (unsigned)m > TAG_END && rebuild(k, err, errlen) != 0)
			return -1;
		if (run_chunk(k, pkts + done, m, out + done, err, errlen) != 0)
			return -1;
		done += m;
	}
	return 0;
}

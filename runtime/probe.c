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
 * The convention to know: every packet carries a tag, a 16-bit number
 * unique for the life of a struct probe, as its TCP/UDP/SCTP source port and
 * as its ICMP identifier (bytes 4-5 of the ICMP header).  The tag names the
 * packet's conntrack tuple, so no entry an earlier packet left can decide a
 * later one, and it finds the packet again in whatever comes back: the
 * forwarded copy, a reset sent to that port, an ICMP error quoting it.
 * Tags of one batch are consecutive, so the tag minus the batch's first is
 * the packet's index.  When the tags run out, the namespaces are rebuilt
 * (the router's ruleset listed and loaded into the new one, the routes of
 * probe_route_set() added again).
 *
 * What is sent: IPv6 hop limit 64; IPv4 TTL 64, DF, the tag as IP id; TCP a
 * bare SYN; UDP 8 bytes of payload; ICMP/ICMPv6 the type asked for, code 0,
 * identifier and sequence, 8 bytes of payload; PKT_OTHER an SCTP INIT
 * (protocol 132) to port 9, which conntrack takes as new.  Every checksum
 * is right: conntrack checks them (nf_conntrack_checksum).
 */
#include "probe.h"
#include "netns.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
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
#define FRAME_MAX 2048
#define OTHER_PORT 9
#define MAGIC 0xd6c0feedu      /* leads UDP and ICMP payloads */

enum tap { TAP_OUT, TAP_CTR, NTAPS };

struct probe {
	struct netns ns;
	bool built;             /* false after a rebuild failed */
	int tap[NTAPS];         /* AF_PACKET on o0 (sends too) and on c0 */
	unsigned next_tag;
	struct netns_route *routes;   /* probe_route_set()'s, in the router now */
	int nroutes;
};

/* Which evidence wins when a packet leaves more than one. */
static const int outcome_rank[] = {
	[OUTCOME_DROP] = 0, [OUTCOME_OTHER] = 1, [OUTCOME_RESET] = 2, [OUTCOME_ADMIN_PROHIBITED] = 2,
	[OUTCOME_ACCEPT] = 3,
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

/* ---- building frames ---- */

/* One packet of a chunk as it goes on the wire, in the form replies are
 * compared with. */
struct sent {
	int af_len;             /* address length: 4 or 16 */
	uint8_t src[16], dst[16];
	int proto;              /* IP protocol number */
	uint16_t tag, port;
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += get16(p + i);
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

static uint16_t fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* The pseudo-header both TCP/UDP and ICMPv6 checksums start from. */
static uint32_t pseudo(const struct sent *s, size_t l4len)
{
	uint32_t acc = sum16(s->src, (size_t)s->af_len, 0);
	acc = sum16(s->dst, (size_t)s->af_len, acc);
	return acc + (uint32_t)s->proto + (uint32_t)l4len;
}

/* CRC32c, reflected, as SCTP wants it (RFC 9260 appendix A). */
static uint32_t crc32c(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int b = 0; b < 8; b++)
			c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
	}
	return ~c;
}

static const int ip_proto[2][4] = {
	[0] = { [PKT_TCP] = IPPROTO_TCP, [PKT_UDP] = IPPROTO_UDP, [PKT_ICMP] = IPPROTO_ICMP,
		[PKT_OTHER] = IPPROTO_SCTP },
	[1] = { [PKT_TCP] = IPPROTO_TCP, [PKT_UDP] = IPPROTO_UDP, [PKT_ICMP] = IPPROTO_ICMPV6,
		[PKT_OTHER] = IPPROTO_SCTP },
};

/* The layer-4 part of p into l4; returns its length. */
static size_t build_l4(const struct pkt *p, const struct sent *s, uint8_t *l4)
{
	size_t n;
	switch (p->proto) {
	case PKT_TCP:
		n = 20;
		put16(l4, s->tag);
		put16(l4 + 2, s->port);
		put32(l4 + 4, 0x0d6c0000u | s->tag);    /* sequence number */
		l4[12] = 5 << 4;                         /* header length, no options */
		l4[13] = 0x02;                           /* SYN */
		put16(l4 + 14, 64240);                   /* window */
		put16(l4 + 16, fold(sum16(l4, n, pseudo(s, n))));
		return n;
	case PKT_UDP: {
		n = 16;
		put16(l4, s->tag);
		put16(l4 + 2, s->port);
		put16(l4 + 4, (unsigned)n);
		put32(l4 + 8, MAGIC);
		put16(l4 + 12, s->tag);
		uint16_t c = fold(sum16(l4, n, pseudo(s, n)));
		put16(l4 + 6, c ? c : 0xffff);           /* 0 would mean "no checksum" */
		return n;
	}
	case PKT_ICMP:
		n = 16;
		l4[0] = (uint8_t)p->icmp_type;
		put16(l4 + 4, s->tag);                   /* identifier */
		put16(l4 + 6, 1);                        /* sequence */
		put32(l4 + 8, MAGIC);
		put16(l4 + 12, s->tag);
		/* ICMPv6 sums a pseudo-header, ICMP for IPv4 does not. */
		put16(l4 + 2, fold(sum16(l4, n, s->af_len == 16 ? pseudo(s, n) : 0)));
		return n;
	case PKT_OTHER: {
		/* Common header (vtag 0, as an INIT must have) and one INIT chunk. */
		n = 32;
		put16(l4, s->tag);
		put16(l4 + 2, s->port);
		l4[12] = 1;                              /* chunk type INIT */
		put16(l4 + 14, 20);                      /* chunk length */
		put32(l4 + 16, 0xd6c00000u | s->tag);    /* initiate tag, never 0 */
		put32(l4 + 20, 65536);                   /* advertised receiver window */
		put16(l4 + 24, 1);                       /* outbound streams */
		put16(l4 + 26, 1);                       /* inbound streams */
		put32(l4 + 28, s->tag);                  /* initial TSN */
		uint32_t crc = crc32c(l4, n);
		/* Little-endian on the wire, unlike everything else. */
		for (int i = 0; i < 4; i++)
			l4[8 + i] = (uint8_t)(crc >> (8 * i));
		return n;
	}
	}
	return 0;
}

/* The whole Ethernet frame of p into f (FRAME_MAX bytes, zeroed). */
static size_t build_frame(const struct pkt *p, const struct sent *s, uint8_t *f)
{
	memcpy(f, netns_mac[NETNS_R0], 6);
	memcpy(f + 6, netns_mac[NETNS_O0], 6);
	bool v6 = s->af_len == 16;
	put16(f + 12, v6 ? ETH_P_IPV6 : ETH_P_IP);
	uint8_t *ip = f + 14;
	size_t hl = v6 ? 40 : 20;
	size_t l4len = build_l4(p, s, ip + hl);
	if (v6) {
		ip[0] = 0x60;
		put16(ip + 4, (unsigned)l4len);
		ip[6] = (uint8_t)s->proto;
		ip[7] = 64;                              /* hop limit */
		memcpy(ip + 8, s->src, 16);
		memcpy(ip + 24, s->dst, 16);
	} else {
		ip[0] = 0x45;
		put16(ip + 2, (unsigned)(hl + l4len));
		put16(ip + 4, s->tag);                   /* IP id: unique like the tag */
		put16(ip + 6, 0x4000);                   /* DF */
		ip[8] = 64;                              /* TTL */
		ip[9] = (uint8_t)s->proto;
		memcpy(ip + 12, s->src, 4);
		memcpy(ip + 16, s->dst, 4);
		put16(ip + 10, fold(sum16(ip, hl, 0)));
	}
	return 14 + hl + l4len;
}

/* Checks p and fills s; -1 with the reason naming what is wrong. */
static int describe(const struct pkt *p, int i, uint16_t tag, struct sent *s, char *err,
		    size_t errlen)
{
	char why[160];
	if (!probe_usable(p->family, p->src, why, sizeof(why)) ||
	    !probe_usable(p->family, p->dst, why, sizeof(why))) {
		snprintf(err, errlen, "packet %d: %s, which the test namespaces cannot carry", i + 1,
			 why);
		return -1;
	}
	if ((unsigned)p->proto > PKT_OTHER ||
	    ((p->proto == PKT_TCP || p->proto == PKT_UDP) && (p->port < 0 || p->port > 65535)) ||
	    (p->proto == PKT_ICMP && (p->icmp_type < 0 || p->icmp_type > 255))) {
		snprintf(err, errlen, "packet %d: protocol %d, port %d, ICMP type %d is no packet",
			 i + 1, (int)p->proto, p->port, p->icmp_type);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	s->af_len = p->family == FAM_IP4 ? 4 : 16;
	addr_to_bytes(p->family, p->src, s->src);
	addr_to_bytes(p->family, p->dst, s->dst);
	s->proto = ip_proto[p->family == FAM_IP6][p->proto];
	s->tag = tag;
	s->port = (uint16_t)(p->proto == PKT_OTHER  ? OTHER_PORT
			     : p->proto == PKT_ICMP ? 0
						    : p->port);
	return 0;
}

/* ---- reading what came back ---- */

struct ip_view {
	int af_len;
	const uint8_t *src, *dst;
	int proto;
	const uint8_t *l4;
	size_t l4len;           /* what the frame holds of it */
};

/* An IP packet at p (n bytes, maybe cut short, as inside an ICMP error).
 * No IPv6 extension headers: neither we nor the router's answers have any. */
static bool parse_ip(const uint8_t *p, size_t n, struct ip_view *v)
{
	if (n < 20)
		return false;
	if (p[0] >> 4 == 6) {
		if (n < 40)
			return false;
		*v = (struct ip_view){ 16, p + 8, p + 24, p[6], p + 40, n - 40 };
		return true;
	}
	/* Later fragments carry no layer-4 header; we send none anyway. */
	size_t hl = (size_t)(p[0] & 15) * 4;
	if (p[0] >> 4 != 4 || hl < 20 || n < hl || (get16(p + 6) & 0x1fff))
		return false;
	*v = (struct ip_view){ 4, p + 12, p + 16, p[9], p + hl, n - hl };
	return true;
}

/* The tag a packet of ours carries at v's layer 4; -1 if it cannot. */
static int tag_of(const struct ip_view *v)
{
	bool icmp = v->proto == IPPROTO_ICMP || v->proto == IPPROTO_ICMPV6;
	size_t at = icmp ? 4 : 0;
	if (v->l4len < at + 2)
		return -1;
	return (int)get16(v->l4 + at);
}

static bool same(const uint8_t *a, const uint8_t *b, int len)
{
	return memcmp(a, b, (size_t)len) == 0;
}

struct batch {
	const struct sent *s;
	int n;
	unsigned base;          /* the first tag */
	enum outcome *out;
	int decided;            /* packets out of OUTCOME_DROP */
};

/* The index of the packet of ours that v is (or quotes), or -1. */
static int find(const struct batch *b, const struct ip_view *v, int tag)
{
	if (tag < (int)b->base || tag >= (int)b->base + b->n)
		return -1;
	int i = tag - (int)b->base;
	const struct sent *s = &b->s[i];
	if (s->af_len != v->af_len || s->proto != v->proto || !same(s->src, v->src, s->af_len) ||
	    !same(s->dst, v->dst, s->af_len))
		return -1;
	return i;
}

static bool settle(struct batch *b, int i, enum outcome o)
{
	if (i < 0 || outcome_rank[o] <= outcome_rank[b->out[i]])
		return false;
	b->decided += b->out[i] == OUTCOME_DROP;
	b->out[i] = o;
	return true;
}

/* A frame the router sent towards the outside: a reset or an ICMP error? */
static bool judge_answer(struct batch *b, const struct ip_view *v)
{
	if (v->proto == IPPROTO_TCP && v->l4len >= 14 && (v->l4[13] & 0x04)) {
		/* From dst:port to src:tag: swap to compare with what we sent. */
		struct ip_view orig = *v;
		orig.src = v->dst;
		orig.dst = v->src;
		int i = find(b, &orig, (int)get16(v->l4 + 2));
		return i >= 0 && get16(v->l4) == b->s[i].port && settle(b, i, OUTCOME_RESET);
	}
	bool v6 = v->af_len == 16;
	if (v->proto != (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP) || v->l4len < 8)
		return false;
	int type = v->l4[0], code = v->l4[1];
	bool error = v6 ? type >= 1 && type <= 4
			: type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
	struct ip_view in;
	if (!error || !parse_ip(v->l4 + 8, v->l4len - 8, &in) || in.af_len != v->af_len)
		return false;
	int i = find(b, &in, tag_of(&in));
	if (i < 0 || !same(v->dst, b->s[i].src, v->af_len))
		return false;
	bool prohibited = v6 ? type == 1 && code == 1 : type == 3 && code == 13;
	return settle(b, i, prohibited ? OUTCOME_ADMIN_PROHIBITED : OUTCOME_OTHER);
}

/* Reads every frame waiting on tap t; true when one told something new. */
static bool read_tap(struct probe *k, enum tap t, struct batch *b)
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
		unsigned type = n >= 14 ? get16(f + 12) : 0;
		bool ip = type == ETH_P_IP || type == ETH_P_IPV6;
		struct ip_view v;
		if (!b || from.sll_pkttype == PACKET_OUTGOING || !ip ||
		    !parse_ip(f + 14, (size_t)n - 14, &v))
			continue;
		/* An answer to a source routed to the container side leaves by c0. */
		int i = t == TAP_CTR ? find(b, &v, tag_of(&v)) : -1;
		if (i >= 0)
			news |= settle(b, i, OUTCOME_ACCEPT);
		else
			news |= judge_answer(b, &v);
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
	struct sent *s = malloc(sizeof(*s) * (size_t)n);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	struct batch b = { s, n, k->next_tag, out, 0 };
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
		size_t len = build_frame(&pkts[i], &s[i], f);
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
		struct sent s;
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

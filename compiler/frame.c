/*
 * frame.c - the probe's frames, built and read back (frame.h).
 *
 * What is built: IPv6 hop limit 64; IPv4 TTL 64, DF, the tag as IP id; TCP a
 * bare SYN; UDP 8 bytes of payload; ICMP/ICMPv6 the type asked for, code 0,
 * identifier and sequence, 8 bytes of payload; PKT_OTHER an SCTP INIT
 * (protocol 132) to port 9, which conntrack takes as new.  Every checksum
 * is right: conntrack checks them (nf_conntrack_checksum).
 *
 * The convention to know: every packet carries its tag as its TCP/UDP/SCTP
 * source port and as its ICMP identifier.  The tag names the packet's
 * conntrack tuple, and it finds the packet again in whatever comes back:
 * the forwarded copy, a reset sent to that port, an ICMP error quoting it.
 * An answer counts only when its addresses, protocol and port are those of
 * the packet its tag names.
 */
#include "frame.h"

#include <linux/if_ether.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#define OTHER_PORT 9
#define MAGIC 0xd6c0feedu      /* leads UDP and ICMP payloads */

/* Which evidence wins when a packet leaves more than one. */
static const int outcome_rank[] = {
	[OUTCOME_DROP] = 0, [OUTCOME_OTHER] = 1, [OUTCOME_RESET] = 2, [OUTCOME_ADMIN_PROHIBITED] = 2,
	[OUTCOME_ACCEPT] = 3,
};

/* ---- building frames ---- */

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
static uint32_t pseudo(const struct frame_sent *s, size_t l4len)
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
static size_t build_l4(const struct pkt *p, const struct frame_sent *s, uint8_t *l4)
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

size_t frame_build(const struct pkt *p, const struct frame_sent *s, const uint8_t dst_mac[6],
		   const uint8_t src_mac[6], uint8_t *f)
{
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, src_mac, 6);
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

int frame_describe(const struct pkt *p, int i, uint16_t tag, struct frame_sent *s, char *err,
		   size_t errlen)
{
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

bool frame_parse_ip(const uint8_t *p, size_t n, struct frame_ip *v)
{
	if (n < 20)
		return false;
	if (p[0] >> 4 == 6) {
		if (n < 40)
			return false;
		*v = (struct frame_ip){ 16, p + 8, p + 24, p[6], p + 40, n - 40 };
		return true;
	}
	/* Later fragments carry no layer-4 header; we send none anyway. */
	size_t hl = (size_t)(p[0] & 15) * 4;
	if (p[0] >> 4 != 4 || hl < 20 || n < hl || (get16(p + 6) & 0x1fff))
		return false;
	*v = (struct frame_ip){ 4, p + 12, p + 16, p[9], p + hl, n - hl };
	return true;
}

int frame_tag(const struct frame_ip *v)
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

/* The index of the packet of ours that v is (or quotes), or -1. */
static int find(const struct frame_batch *b, const struct frame_ip *v, int tag)
{
	if (tag < (int)b->base || tag >= (int)b->base + b->n)
		return -1;
	int i = tag - (int)b->base;
	const struct frame_sent *s = &b->s[i];
	if (s->af_len != v->af_len || s->proto != v->proto || !same(s->src, v->src, s->af_len) ||
	    !same(s->dst, v->dst, s->af_len))
		return -1;
	return i;
}

static bool settle(struct frame_batch *b, int i, enum outcome o)
{
	if (i < 0 || outcome_rank[o] <= outcome_rank[b->out[i]])
		return false;
	b->decided += b->out[i] == OUTCOME_DROP;
	b->out[i] = o;
	return true;
}

/* A frame the router sent towards the outside: a reset or an ICMP error? */
static bool judge_answer(struct frame_batch *b, const struct frame_ip *v)
{
	if (v->proto == IPPROTO_TCP && v->l4len >= 14 && (v->l4[13] & 0x04)) {
		/* From dst:port to src:tag: swap to compare with what we sent. */
		struct frame_ip orig = *v;
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
	struct frame_ip in;
	if (!error || !frame_parse_ip(v->l4 + 8, v->l4len - 8, &in) || in.af_len != v->af_len)
		return false;
	int i = find(b, &in, frame_tag(&in));
	if (i < 0 || !same(v->dst, b->s[i].src, v->af_len))
		return false;
	bool prohibited = v6 ? type == 1 && code == 1 : type == 3 && code == 13;
	return settle(b, i, prohibited ? OUTCOME_ADMIN_PROHIBITED : OUTCOME_OTHER);
}

bool frame_heard(struct frame_batch *b, const uint8_t *f, size_t n, enum frame_side side)
{
	unsigned type = n >= 14 ? get16(f + 12) : 0;
	bool ip = type == ETH_P_IP || type == ETH_P_IPV6;
	struct frame_ip v;
	if (!ip || !frame_parse_ip(f + 14, n - 14, &v))
		return false;
	/* An answer to a source routed to the container side leaves by c0. */
	int i = side == FRAME_CONTAINER ? find(b, &v, frame_tag(&v)) : -1;
	if (i >= 0)
		return settle(b, i, OUTCOME_ACCEPT);
	return judge_answer(b, &v);
}

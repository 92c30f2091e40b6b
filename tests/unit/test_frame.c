/*
 * test_frame.c - frame.c: the probe's frames, built and read back, without
 * a socket or root.
 *
 * Every checksum is verified by a computation of this file's own (RFC 1071's
 * one's-complement sum over the bytes as they lie, the pseudo-header laid
 * out as the RFCs draw it; CRC32c by a table, itself checked against the
 * published check values), and every field against the RFCs' layout and
 * inet_pton's bytes, not against frame.c's helpers.  Answers (resets, ICMP
 * errors) are written here byte by byte, as the router would send them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "compiler/addr.h"
#include "compiler/frame.h"

#include "fixture.h"

static const uint8_t to_mac[6] = { 0x02, 0xd6, 0xc0, 0x00, 0x00, 0x01 };
static const uint8_t from_mac[6] = { 0x02, 0xd6, 0xc0, 0x00, 0x00, 0x02 };

/* ---- independent arithmetic ---- */

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void wr16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071: the one's-complement sum of the 16-bit words, an odd last byte
 * padded with zero, carries folded back in.  Over a header that holds its
 * right checksum it is 0xffff. */
static unsigned ones_sum(const uint8_t *p, size_t n, unsigned long acc)
{
	for (size_t i = 0; i < n; i++)
		acc += i % 2 ? p[i] : (unsigned long)p[i] << 8;
	while (acc > 0xffff)
		acc = (acc & 0xffff) + (acc >> 16);
	return (unsigned)acc;
}

/* The pseudo-header as RFC 793 (IPv4: src, dst, zero, protocol, length)
 * and RFC 8200 8.1 (IPv6: src, dst, 32-bit length, three zeros, next
 * header) draw it, summed. */
static unsigned pseudo_sum(const uint8_t *ip, size_t l4len, int proto)
{
	uint8_t ph[40] = { 0 };
	size_t n;
	if (ip[0] >> 4 == 6) {
		memcpy(ph, ip + 8, 32);
		ph[34] = (uint8_t)(l4len >> 8);
		ph[35] = (uint8_t)l4len;
		ph[39] = (uint8_t)proto;
		n = 40;
	} else {
		memcpy(ph, ip + 12, 8);
		ph[9] = (uint8_t)proto;
		wr16(ph + 10, (unsigned)l4len);
		n = 12;
	}
	return ones_sum(ph, n, 0);
}

/* CRC32c (Castagnoli, reflected polynomial 0x82f63b78) by a table. */
static uint32_t ref_crc32c(const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
			table[i] = c;
		}
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* ---- building ---- */

struct built {
	struct pkt p;
	struct frame_sent s;
	uint8_t src[16], dst[16];   /* inet_pton's bytes */
	int af_len;
	uint8_t f[FRAME_MAX];
	size_t len;
};

static void bytes_of(const char *text, uint8_t *out, int *af_len)
{
	*af_len = strchr(text, ':') ? 16 : 4;
	if (inet_pton(*af_len == 16 ? AF_INET6 : AF_INET, text, out) != 1)
		fail_msg("%s: no address", text);
}

/* n: the port (tcp, udp) or the ICMP type. */
static void build(struct built *b, enum pkt_proto proto, const char *src, const char *dst, int n,
		  uint16_t tag)
{
	memset(b, 0, sizeof(*b));
	struct prefix ps, pd;
	if (addr_parse(src, &ps) != ADDR_OK || addr_parse(dst, &pd) != ADDR_OK)
		fail_msg("bad address %s or %s", src, dst);
	b->p = (struct pkt){ .family = ps.family, .proto = proto, .src = addr_first(&ps),
			     .dst = addr_first(&pd), .port = n, .icmp_type = n };
	int dlen;
	bytes_of(src, b->src, &b->af_len);
	bytes_of(dst, b->dst, &dlen);
	assert_int_equal(b->af_len, dlen);
	char err[160];
	if (frame_describe(&b->p, 0, tag, &b->s, err, sizeof(err)) != 0)
		fail_msg("frame_describe: %s", err);
	b->len = frame_build(&b->p, &b->s, to_mac, from_mac, b->f);
}

static const uint8_t *ip_of(const struct built *b)
{
	return b->f + 14;
}

static size_t hl_of(const struct built *b)
{
	return b->af_len == 16 ? 40 : 20;
}

static const uint8_t *l4_of(const struct built *b)
{
	return b->f + 14 + hl_of(b);
}

/* The IP header's fields, for any protocol; returns the layer-4 length. */
static size_t check_ip(const struct built *b, int proto, uint16_t tag)
{
	const uint8_t *f = b->f, *ip = ip_of(b);
	size_t hl = hl_of(b), l4len = b->len - 14 - hl;
	assert_memory_equal(f, to_mac, 6);
	assert_memory_equal(f + 6, from_mac, 6);
	if (b->af_len == 16) {
		assert_int_equal(be16(f + 12), 0x86dd);
		assert_int_equal(ip[0], 0x60);           /* version 6, class 0 */
		assert_int_equal(ip[1] | ip[2] | ip[3], 0);  /* no flow label */
		assert_int_equal(be16(ip + 4), l4len);   /* payload length */
		assert_int_equal(ip[6], proto);          /* next header */
		assert_int_equal(ip[7], 64);             /* hop limit */
		assert_memory_equal(ip + 8, b->src, 16);
		assert_memory_equal(ip + 24, b->dst, 16);
	} else {
		assert_int_equal(be16(f + 12), 0x0800);
		assert_int_equal(ip[0], 0x45);           /* version 4, 20-byte header */
		assert_int_equal(be16(ip + 2), hl + l4len);
		assert_int_equal(be16(ip + 4), tag);     /* IP id */
		assert_int_equal(be16(ip + 6), 0x4000);  /* DF, offset 0 */
		assert_int_equal(ip[8], 64);             /* TTL */
		assert_int_equal(ip[9], proto);
		assert_memory_equal(ip + 12, b->src, 4);
		assert_memory_equal(ip + 16, b->dst, 4);
		assert_int_equal(ones_sum(ip, 20, 0), 0xffff);
	}
	return l4len;
}

static void test_crc32c_reference(void **state)
{
	(void)state;
	/* The check values of RFC 3720 B.4 and of the CRC catalogue: the
	 * reference below must be right before it judges the SCTP frames. */
	assert_int_equal(ref_crc32c((const uint8_t *)"123456789", 9), 0xe3069283u);
	uint8_t zeros[32] = { 0 }, ones[32];
	memset(ones, 0xff, sizeof(ones));
	assert_int_equal(ref_crc32c(zeros, 32), 0x8a9136aau);
	assert_int_equal(ref_crc32c(ones, 32), 0x62a8ab43u);
	/* And the sum: RFC 1071's example words sum to 0xddf2. */
	static const uint8_t words[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(ones_sum(words, sizeof(words), 0), 0xddf2);
}

static const char *const v6src = "2001:db8:bad::9", *const v6dst = "2001:db8::10";
static const char *const v4src = "203.0.113.9", *const v4dst = "192.0.2.10";

static void test_tcp(void **state)
{
	(void)state;
	for (int fam = 0; fam < 2; fam++) {
		struct built b;
		build(&b, PKT_TCP, fam ? v6src : v4src, fam ? v6dst : v4dst, 22, 4242);
		size_t n = check_ip(&b, 6, 4242);
		const uint8_t *t = l4_of(&b);
		assert_int_equal(n, 20);
		assert_int_equal(be16(t), 4242);         /* source port: the tag */
		assert_int_equal(be16(t + 2), 22);
		assert_int_equal(be16(t + 8) | be16(t + 10), 0);   /* no ack number */
		assert_int_equal(t[12], 0x50);           /* 5 words, no options */
		assert_int_equal(t[13], 0x02);           /* SYN alone */
		assert_true(be16(t + 14) > 0);           /* a window */
		assert_int_equal(ones_sum(t, n, pseudo_sum(ip_of(&b), n, 6)), 0xffff);
	}
}

static void test_udp(void **state)
{
	(void)state;
	for (int fam = 0; fam < 2; fam++) {
		struct built b;
		build(&b, PKT_UDP, fam ? v6src : v4src, fam ? v6dst : v4dst, 53, 1024);
		size_t n = check_ip(&b, 17, 1024);
		const uint8_t *u = l4_of(&b);
		assert_int_equal(n, 16);
		assert_int_equal(be16(u), 1024);
		assert_int_equal(be16(u + 2), 53);
		assert_int_equal(be16(u + 4), 16);       /* UDP length */
		assert_int_not_equal(be16(u + 6), 0);    /* 0: "no checksum", illegal in IPv6 */
		assert_int_equal(ones_sum(u, n, pseudo_sum(ip_of(&b), n, 17)), 0xffff);
	}
	/* Ports at both ends of their range. */
	struct built b;
	build(&b, PKT_UDP, v6src, v6dst, 0, 65535);
	assert_int_equal(be16(l4_of(&b)), 65535);
	assert_int_equal(be16(l4_of(&b) + 2), 0);
	assert_int_equal(ones_sum(l4_of(&b), 16, pseudo_sum(ip_of(&b), 16, 17)), 0xffff);
	build(&b, PKT_UDP, v4src, v4dst, 65535, 1);
	assert_int_equal(be16(l4_of(&b) + 2), 65535);
	assert_int_equal(ones_sum(l4_of(&b), 16, pseudo_sum(ip_of(&b), 16, 17)), 0xffff);
}

static void test_icmp(void **state)
{
	(void)state;
	/* ICMPv6 echo-request, neighbour solicitation, an error type. */
	static const int types6[] = { 128, 135, 1, 255 };
	for (size_t i = 0; i < sizeof(types6) / sizeof(types6[0]); i++) {
		struct built b;
		build(&b, PKT_ICMP, v6src, v6dst, types6[i], 3000);
		size_t n = check_ip(&b, 58, 3000);
		const uint8_t *c = l4_of(&b);
		assert_int_equal(n, 16);
		assert_int_equal(c[0], types6[i]);
		assert_int_equal(c[1], 0);               /* code */
		assert_int_equal(be16(c + 4), 3000);     /* identifier: the tag */
		assert_int_equal(be16(c + 6), 1);        /* sequence */
		/* ICMPv6 covers a pseudo-header (RFC 4443 2.3). */
		assert_int_equal(ones_sum(c, n, pseudo_sum(ip_of(&b), n, 58)), 0xffff);
	}
	static const int types4[] = { 8, 0, 3, 13 };
	for (size_t i = 0; i < sizeof(types4) / sizeof(types4[0]); i++) {
		struct built b;
		build(&b, PKT_ICMP, v4src, v4dst, types4[i], 3001);
		size_t n = check_ip(&b, 1, 3001);
		const uint8_t *c = l4_of(&b);
		assert_int_equal(c[0], types4[i]);
		assert_int_equal(c[1], 0);
		assert_int_equal(be16(c + 4), 3001);
		/* ICMP for IPv4 covers its own bytes only (RFC 792). */
		assert_int_equal(ones_sum(c, n, 0), 0xffff);
	}
}

static void test_sctp(void **state)
{
	(void)state;
	for (int fam = 0; fam < 2; fam++) {
		struct built b;
		build(&b, PKT_OTHER, fam ? v6src : v4src, fam ? v6dst : v4dst, 0, 50000);
		size_t n = check_ip(&b, 132, 50000);
		const uint8_t *s = l4_of(&b);
		assert_int_equal(n, 32);
		assert_int_equal(be16(s), 50000);
		assert_int_equal(be16(s + 2), 9);        /* the discard port */
		assert_int_equal(be16(s + 4) | be16(s + 6), 0);   /* an INIT's vtag is 0 */
		assert_int_equal(s[12], 1);              /* INIT */
		assert_int_equal(be16(s + 14), 20);      /* chunk length */
		assert_true(be16(s + 16) | be16(s + 18)); /* initiate tag, never 0 */
		assert_true(be16(s + 24) > 0 && be16(s + 26) > 0);   /* streams */
		/* RFC 9260 appendix A: CRC32c over the packet with the checksum
		 * field zero, stored least significant byte first. */
		uint8_t copy[32];
		memcpy(copy, s, 32);
		uint32_t stored = (uint32_t)copy[8] | (uint32_t)copy[9] << 8 |
				  (uint32_t)copy[10] << 16 | (uint32_t)copy[11] << 24;
		memset(copy + 8, 0, 4);
		assert_int_equal(stored, ref_crc32c(copy, 32));
	}
}

static void test_describe(void **state)
{
	(void)state;
	static const struct {
		enum pkt_proto proto;
		int n;
		bool ok;
		int ipproto, port;       /* what frame_sent says when ok */
	} c[] = {
		{ PKT_TCP, 0, true, 6, 0 },       { PKT_TCP, 65535, true, 6, 65535 },
		{ PKT_TCP, -1, false, 0, 0 },     { PKT_TCP, 65536, false, 0, 0 },
		{ PKT_UDP, 70000, false, 0, 0 },  { PKT_UDP, 53, true, 17, 53 },
		{ PKT_ICMP, 255, true, 58, 0 },   { PKT_ICMP, 256, false, 0, 0 },
		{ PKT_ICMP, -1, false, 0, 0 },    { PKT_OTHER, -5, true, 132, 9 },
		{ (enum pkt_proto)7, 0, false, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct pkt p = { .family = FAM_IP6, .proto = c[i].proto, .src = 1, .dst = 2,
				 .port = c[i].n, .icmp_type = c[i].n };
		struct frame_sent s;
		char err[160] = "";
		int rc = frame_describe(&p, 2, 77, &s, err, sizeof(err));
		if (rc != (c[i].ok ? 0 : -1))
			fail_msg("case %zu: rc %d (%s)", i, rc, err);
		if (!c[i].ok) {
			char want[160];
			snprintf(want, sizeof(want),
				 "packet 3: protocol %d, port %d, ICMP type %d is no packet",
				 (int)c[i].proto, c[i].n, c[i].n);
			assert_string_equal(err, want);
			continue;
		}
		assert_int_equal(s.af_len, 16);
		assert_int_equal(s.proto, c[i].ipproto);
		assert_int_equal(s.port, c[i].port);
		assert_int_equal(s.tag, 77);
		assert_int_equal(s.src[15], 1);
		assert_int_equal(s.dst[15], 2);
	}
	struct pkt p4 = { .family = FAM_IP4, .proto = PKT_ICMP, .src = 0xc0000201u,
			  .dst = 0xc000020au, .icmp_type = 8 };
	struct frame_sent s;
	char err[160];
	assert_int_equal(frame_describe(&p4, 0, 5, &s, err, sizeof(err)), 0);
	assert_int_equal(s.af_len, 4);
	assert_int_equal(s.proto, 1);
	static const uint8_t want[4] = { 192, 0, 2, 1 };
	assert_memory_equal(s.src, want, 4);
}

/* ---- reading ---- */

static void test_parse_back(void **state)
{
	(void)state;
	static const enum pkt_proto protos[] = { PKT_TCP, PKT_UDP, PKT_ICMP, PKT_OTHER };
	static const int ipproto[2][4] = { { 6, 17, 1, 132 }, { 6, 17, 58, 132 } };
	for (int fam = 0; fam < 2; fam++)
		for (int k = 0; k < 4; k++) {
			struct built b;
			build(&b, protos[k], fam ? v6src : v4src, fam ? v6dst : v4dst, 8, 9999);
			struct frame_ip v;
			assert_true(frame_parse_ip(b.f + 14, b.len - 14, &v));
			assert_int_equal(v.af_len, b.af_len);
			assert_memory_equal(v.src, b.src, (size_t)b.af_len);
			assert_memory_equal(v.dst, b.dst, (size_t)b.af_len);
			assert_int_equal(v.proto, ipproto[fam][k]);
			assert_ptr_equal(v.l4, l4_of(&b));
			assert_int_equal(v.l4len, b.len - 14 - hl_of(&b));
			assert_int_equal(frame_tag(&v), 9999);
		}
}

static void test_parse_refuses(void **state)
{
	(void)state;
	struct built b;
	struct frame_ip v;
	/* Every cut short of the IP header. */
	build(&b, PKT_TCP, v4src, v4dst, 80, 1500);
	for (size_t n = 0; n < 20; n++)
		assert_false(frame_parse_ip(b.f + 14, n, &v));
	assert_true(frame_parse_ip(b.f + 14, 20, &v));
	assert_int_equal(v.l4len, 0);
	assert_int_equal(frame_tag(&v), -1);     /* no room for a port */
	assert_true(frame_parse_ip(b.f + 14, 21, &v));
	assert_int_equal(frame_tag(&v), -1);
	assert_true(frame_parse_ip(b.f + 14, 22, &v));
	assert_int_equal(frame_tag(&v), 1500);
	uint8_t *ip = b.f + 14;
	ip[0] = 0x44;                            /* header shorter than 20 */
	assert_false(frame_parse_ip(ip, b.len - 14, &v));
	ip[0] = 0x4f;                            /* 60-byte header, 40 bytes there */
	assert_false(frame_parse_ip(ip, 40, &v));
	ip[0] = 0x55;                            /* version 5 */
	assert_false(frame_parse_ip(ip, b.len - 14, &v));
	ip[0] = 0x45;
	wr16(ip + 6, 0x2000);                    /* a first fragment: its ports are there */
	assert_true(frame_parse_ip(ip, b.len - 14, &v));
	wr16(ip + 6, 0x0001);                    /* a later fragment: no layer-4 header */
	assert_false(frame_parse_ip(ip, b.len - 14, &v));

	build(&b, PKT_ICMP, v6src, v6dst, 128, 1600);
	for (size_t n = 0; n < 40; n++)
		assert_false(frame_parse_ip(b.f + 14, n, &v));
	/* ICMP's tag is its identifier, bytes 4-5. */
	assert_true(frame_parse_ip(b.f + 14, 40 + 5, &v));
	assert_int_equal(frame_tag(&v), -1);
	assert_true(frame_parse_ip(b.f + 14, 40 + 6, &v));
	assert_int_equal(frame_tag(&v), 1600);
}

/* The router's answers, written as it sends them. */

/* An Ethernet + IP header from src to dst (af_len bytes each) with proto
 * and l4len bytes to follow; returns where layer 4 starts. */
static uint8_t *answer_ip(uint8_t *f, int af_len, const uint8_t *src, const uint8_t *dst,
			  int proto, size_t l4len)
{
	memset(f, 0, FRAME_MAX);
	memcpy(f, from_mac, 6);
	memcpy(f + 6, to_mac, 6);
	uint8_t *ip = f + 14;
	if (af_len == 16) {
		wr16(f + 12, 0x86dd);
		ip[0] = 0x60;
		wr16(ip + 4, (unsigned)l4len);
		ip[6] = (uint8_t)proto;
		ip[7] = 255;
		memcpy(ip + 8, src, 16);
		memcpy(ip + 24, dst, 16);
		return ip + 40;
	}
	wr16(f + 12, 0x0800);
	ip[0] = 0x45;
	wr16(ip + 2, (unsigned)(20 + l4len));
	ip[8] = 64;
	ip[9] = (uint8_t)proto;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	return ip + 20;
}

/* A reset from b's destination and port back to its source and tag. */
static size_t reset_to(const struct built *b, uint8_t *f, unsigned flags)
{
	uint8_t *t = answer_ip(f, b->af_len, b->dst, b->src, 6, 20);
	wr16(t, be16(l4_of(b) + 2));
	wr16(t + 2, be16(l4_of(b)));
	t[12] = 0x50;
	t[13] = (uint8_t)flags;
	return (size_t)(t + 20 - f);
}

/* An ICMP error of type/code from the router (addresses of its own) to b's
 * source, quoting the first quote bytes of b's IP packet. */
static size_t icmp_error(const struct built *b, int type, int code, size_t quote, uint8_t *f)
{
	uint8_t router[16];
	int len;
	bytes_of(b->af_len == 16 ? "2001:db8:ffff::1" : "198.18.0.1", router, &len);
	uint8_t *c = answer_ip(f, b->af_len, router, b->src, b->af_len == 16 ? 58 : 1, 8 + quote);
	c[0] = (uint8_t)type;
	c[1] = (uint8_t)code;
	memcpy(c + 8, ip_of(b), quote);
	return (size_t)(c + 8 + quote - f);
}

#define NB 4

/* Four packets of one batch, tags 2000..2003. */
struct bfx {
	struct built b[NB];
	struct frame_sent s[NB];
	enum outcome out[NB];
	struct frame_batch batch;
};

static struct bfx *batch_of(struct fx *f)
{
	struct bfx *x = arena_alloc(&f->a, sizeof(*x));
	build(&x->b[0], PKT_TCP, v6src, v6dst, 25, 2000);
	build(&x->b[1], PKT_UDP, v4src, v4dst, 53, 2001);
	build(&x->b[2], PKT_ICMP, v6src, v6dst, 128, 2002);
	build(&x->b[3], PKT_OTHER, v4src, v4dst, 0, 2003);
	for (int i = 0; i < NB; i++) {
		x->s[i] = x->b[i].s;
		x->out[i] = OUTCOME_DROP;
	}
	x->batch = (struct frame_batch){ x->s, NB, 2000, x->out, 0 };
	return x;
}

static void expect_out(const struct bfx *x, enum outcome o0, enum outcome o1, enum outcome o2,
		       enum outcome o3)
{
	const enum outcome want[NB] = { o0, o1, o2, o3 };
	for (int i = 0; i < NB; i++)
		if (x->out[i] != want[i])
			fail_msg("packet %d: %s, want %s", i, outcome_name(x->out[i]),
				 outcome_name(want[i]));
}

#define DROP OUTCOME_DROP

static void test_heard_forwarded(void **state)
{
	struct bfx *x = batch_of(*state);
	/* Our own frames heard where they were sent: no answer. */
	for (int i = 0; i < NB; i++)
		assert_false(frame_heard(&x->batch, x->b[i].f, x->b[i].len, FRAME_OUTSIDE));
	expect_out(x, DROP, DROP, DROP, DROP);
	/* Beyond the router: accepted, each by its own tag. */
	for (int i = 0; i < NB; i++) {
		assert_true(frame_heard(&x->batch, x->b[i].f, x->b[i].len, FRAME_CONTAINER));
		assert_int_equal(x->batch.decided, i + 1);
		assert_false(frame_heard(&x->batch, x->b[i].f, x->b[i].len, FRAME_CONTAINER));
	}
	expect_out(x, OUTCOME_ACCEPT, OUTCOME_ACCEPT, OUTCOME_ACCEPT, OUTCOME_ACCEPT);
	assert_int_equal(x->batch.decided, NB);

	/* A tag names its packet only with that packet's addresses and
	 * protocol: packet 0's frame carrying packet 2's tag is nobody's. */
	x = batch_of(*state);
	struct built other = x->b[0];
	wr16(other.f + 14 + 40, 2002);
	assert_false(frame_heard(&x->batch, other.f, other.len, FRAME_CONTAINER));
	/* A tag outside the batch, and a frame that is no IP. */
	wr16(other.f + 14 + 40, 2004);
	assert_false(frame_heard(&x->batch, other.f, other.len, FRAME_CONTAINER));
	wr16(other.f + 14 + 40, 1999);
	assert_false(frame_heard(&x->batch, other.f, other.len, FRAME_CONTAINER));
	/* Its tag, but another source or another destination. */
	other = x->b[0];
	other.f[14 + 8 + 15] ^= 1;
	assert_false(frame_heard(&x->batch, other.f, other.len, FRAME_CONTAINER));
	other = x->b[0];
	other.f[14 + 24] ^= 0x80;
	assert_false(frame_heard(&x->batch, other.f, other.len, FRAME_CONTAINER));
	other = x->b[0];
	wr16(other.f + 12, 0x0806);
	assert_false(frame_heard(&x->batch, other.f, other.len, FRAME_CONTAINER));
	expect_out(x, DROP, DROP, DROP, DROP);
	assert_int_equal(x->batch.decided, 0);
}

static void test_heard_reset(void **state)
{
	struct bfx *x = batch_of(*state);
	uint8_t f[FRAME_MAX];
	/* Not a reset: SYN+ACK. */
	size_t n = reset_to(&x->b[0], f, 0x12);
	assert_false(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	/* From another port than the one the packet went to. */
	n = reset_to(&x->b[0], f, 0x14);
	wr16(f + 14 + 40, 26);
	assert_false(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	/* The addresses not swapped: not an answer to packet 0. */
	n = reset_to(&x->b[0], f, 0x14);
	memcpy(f + 14 + 8, x->b[0].src, 16);
	memcpy(f + 14 + 24, x->b[0].dst, 16);
	assert_false(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	expect_out(x, DROP, DROP, DROP, DROP);
	/* RST+ACK, as the kernel's reject sends it; heard on either side. */
	n = reset_to(&x->b[0], f, 0x14);
	assert_true(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	expect_out(x, OUTCOME_RESET, DROP, DROP, DROP);
	assert_false(frame_heard(&x->batch, f, n, FRAME_CONTAINER));
	assert_int_equal(x->batch.decided, 1);

	x = batch_of(*state);
	n = reset_to(&x->b[0], f, 0x04);          /* a bare RST */
	assert_true(frame_heard(&x->batch, f, n, FRAME_CONTAINER));
	expect_out(x, OUTCOME_RESET, DROP, DROP, DROP);
}

static void test_heard_icmp_error(void **state)
{
	struct bfx *x = batch_of(*state);
	uint8_t f[FRAME_MAX];
	/* ICMPv6 destination unreachable, administratively prohibited, quoting
	 * the whole echo request (packet 2). */
	size_t n = icmp_error(&x->b[2], 1, 1, x->b[2].len - 14, f);
	assert_true(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	expect_out(x, DROP, DROP, OUTCOME_ADMIN_PROHIBITED, DROP);
	/* IPv4 communication administratively prohibited (3/13), quoting the
	 * IP header and 8 bytes, the least RFC 792 promises (packet 1). */
	n = icmp_error(&x->b[1], 3, 13, 20 + 8, f);
	assert_true(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	expect_out(x, DROP, OUTCOME_ADMIN_PROHIBITED, OUTCOME_ADMIN_PROHIBITED, DROP);
	/* Port unreachable (3/3) for the SCTP packet: some other answer; an
	 * admin-prohibited after it outranks it, and a forwarded copy
	 * outranks every answer; nothing goes back down. */
	n = icmp_error(&x->b[3], 3, 3, 20 + 8, f);
	assert_true(frame_heard(&x->batch, f, n, FRAME_CONTAINER));
	expect_out(x, DROP, OUTCOME_ADMIN_PROHIBITED, OUTCOME_ADMIN_PROHIBITED, OUTCOME_OTHER);
	assert_int_equal(x->batch.decided, 3);
	n = icmp_error(&x->b[3], 3, 13, 20 + 8, f);
	assert_true(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	assert_true(frame_heard(&x->batch, x->b[3].f, x->b[3].len, FRAME_CONTAINER));
	n = icmp_error(&x->b[3], 3, 3, 20 + 8, f);
	assert_false(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	expect_out(x, DROP, OUTCOME_ADMIN_PROHIBITED, OUTCOME_ADMIN_PROHIBITED, OUTCOME_ACCEPT);
	assert_int_equal(x->batch.decided, 3);

	/* No answer: an echo reply (129), a redirect (137), an error sent to
	 * another address than the packet's source.  Packet too big (2) is an
	 * error, if not a prohibition. */
	x = batch_of(*state);
	n = icmp_error(&x->b[0], 129, 0, x->b[0].len - 14, f);
	assert_false(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	n = icmp_error(&x->b[0], 137, 0, x->b[0].len - 14, f);
	assert_false(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	n = icmp_error(&x->b[0], 1, 1, x->b[0].len - 14, f);
	f[14 + 24 + 15] ^= 1;
	assert_false(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	expect_out(x, DROP, DROP, DROP, DROP);
	n = icmp_error(&x->b[0], 2, 0, x->b[0].len - 14, f);
	assert_true(frame_heard(&x->batch, f, n, FRAME_OUTSIDE));
	expect_out(x, OUTCOME_OTHER, DROP, DROP, DROP);
	/* An IPv4 error quoting an IPv6 packet is nobody's, even sent to the
	 * IPv4 address that the first bytes of its source spell. */
	static const uint8_t router4[4] = { 198, 18, 0, 1 };
	uint8_t *c = answer_ip(f, 4, router4, x->b[2].src, 1, 8 + 48);
	c[0] = 3;
	c[1] = 13;
	memcpy(c + 8, ip_of(&x->b[2]), 48);
	assert_false(frame_heard(&x->batch, f, (size_t)(c + 8 + 48 - f), FRAME_OUTSIDE));
	expect_out(x, OUTCOME_OTHER, DROP, DROP, DROP);
}

/* Which ICMP messages are errors, and which of those say administratively
 * prohibited: RFC 4443 (types 1-4 are errors; 1 code 1 is prohibited) and
 * RFC 792/1812 (3, 4, 5, 11, 12; 3 code 13). */
static void test_icmp_types(void **state)
{
	static const struct {
		int af_len, type, code;
		enum outcome o;         /* DROP: not an answer */
	} c[] = {
		{ 16, 1, 1, OUTCOME_ADMIN_PROHIBITED }, { 16, 1, 0, OUTCOME_OTHER },
		{ 16, 1, 4, OUTCOME_OTHER },            { 16, 1, 6, OUTCOME_OTHER },
		{ 16, 2, 0, OUTCOME_OTHER },            { 16, 3, 0, OUTCOME_OTHER },
		{ 16, 4, 1, OUTCOME_OTHER },            { 16, 0, 1, DROP },
		{ 16, 5, 1, DROP },                     { 16, 127, 0, DROP },
		{ 16, 128, 0, DROP },                   { 16, 129, 0, DROP },
		{ 16, 137, 0, DROP },
		{ 4, 3, 13, OUTCOME_ADMIN_PROHIBITED }, { 4, 3, 1, OUTCOME_OTHER },
		{ 4, 3, 3, OUTCOME_OTHER },             { 4, 3, 10, OUTCOME_OTHER },
		{ 4, 4, 0, OUTCOME_OTHER },             { 4, 5, 0, OUTCOME_OTHER },
		{ 4, 11, 0, OUTCOME_OTHER },            { 4, 12, 0, OUTCOME_OTHER },
		{ 4, 0, 0, DROP },                      { 4, 1, 13, DROP },
		{ 4, 2, 13, DROP },                     { 4, 6, 0, DROP },
		{ 4, 8, 0, DROP },                      { 4, 10, 0, DROP },
		{ 4, 13, 0, DROP },                     { 4, 255, 13, DROP },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct bfx *x = batch_of(*state);
		int who = c[i].af_len == 16 ? 0 : 1;
		uint8_t f[FRAME_MAX];
		size_t n = icmp_error(&x->b[who], c[i].type, c[i].code, x->b[who].len - 14, f);
		bool news = frame_heard(&x->batch, f, n, FRAME_OUTSIDE);
		if (news != (c[i].o != DROP) || x->out[who] != c[i].o)
			fail_msg("IPv%d ICMP type %d code %d: %s, want %s", c[i].af_len == 16 ? 6 : 4,
				 c[i].type, c[i].code, outcome_name(x->out[who]),
				 outcome_name(c[i].o));
	}
}

/* Two packets alike but for their tags: each answer goes to the one its
 * tag names. */
static void test_attribution(void **state)
{
	struct fx *fx = *state;
	struct built *b = arena_alloc(&fx->a, 3 * sizeof(*b));
	build(&b[0], PKT_TCP, v4src, v4dst, 25, 7000);
	build(&b[1], PKT_TCP, v4src, v4dst, 25, 7001);
	build(&b[2], PKT_TCP, v4src, v4dst, 25, 7002);
	struct frame_sent s[3] = { b[0].s, b[1].s, b[2].s };
	enum outcome out[3] = { DROP, DROP, DROP };
	struct frame_batch batch = { s, 3, 7000, out, 0 };
	uint8_t f[FRAME_MAX];
	size_t n = reset_to(&b[1], f, 0x14);
	assert_true(frame_heard(&batch, f, n, FRAME_OUTSIDE));
	n = icmp_error(&b[2], 3, 13, 20 + 8, f);
	assert_true(frame_heard(&batch, f, n, FRAME_OUTSIDE));
	assert_int_equal(out[0], DROP);
	assert_int_equal(out[1], OUTCOME_RESET);
	assert_int_equal(out[2], OUTCOME_ADMIN_PROHIBITED);
	assert_true(frame_heard(&batch, b[0].f, b[0].len, FRAME_CONTAINER));
	assert_int_equal(out[0], OUTCOME_ACCEPT);
	assert_int_equal(batch.decided, 3);
	/* The tag one past a batch's last names no packet of it, even when
	 * the packet after it in memory would match. */
	enum outcome out2[3] = { DROP, DROP, DROP };
	struct frame_batch first2 = { s, 2, 7000, out2, 0 };
	assert_false(frame_heard(&first2, b[2].f, b[2].len, FRAME_CONTAINER));
	assert_int_equal(out2[2], DROP);
	assert_true(frame_heard(&first2, b[1].f, b[1].len, FRAME_CONTAINER));
	assert_int_equal(out2[1], OUTCOME_ACCEPT);
}

/* Hears the first n bytes of f from a copy of exactly n bytes, so that a
 * read past them shows under SANITIZE=address. */
static bool heard_cut(struct frame_batch *b, const uint8_t *f, size_t n, enum frame_side side)
{
	uint8_t *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, f, n);
	bool news = frame_heard(b, copy, n, side);
	free(copy);
	return news;
}

static void clear(struct bfx *x)
{
	for (int i = 0; i < NB; i++)
		x->out[i] = DROP;
	x->batch.decided = 0;
}

struct cut {
	const uint8_t *f;
	size_t len;
	size_t need;            /* the fewest bytes that decide */
	enum frame_side side;
	int who;
	enum outcome o;
};

/* Every frame cut short of the bytes that make it evidence tells nothing;
 * cut at that length or later, it decides its packet. */
static void test_truncated(void **state)
{
	struct bfx *x = batch_of(*state);
	uint8_t rst[FRAME_MAX], e6[FRAME_MAX], e4[FRAME_MAX], e4s[FRAME_MAX];
	/* Forwarded: up to the tag.  Reset: up to its flags.  ICMP error: up
	 * to the quoted packet's tag. */
	const struct cut c[] = {
		{ x->b[0].f, x->b[0].len, 14 + 40 + 2, FRAME_CONTAINER, 0, OUTCOME_ACCEPT },
		{ x->b[2].f, x->b[2].len, 14 + 40 + 6, FRAME_CONTAINER, 2, OUTCOME_ACCEPT },
		{ rst, reset_to(&x->b[0], rst, 0x14), 14 + 40 + 14, FRAME_OUTSIDE, 0,
		  OUTCOME_RESET },
		{ e6, icmp_error(&x->b[2], 1, 1, x->b[2].len - 14, e6), 14 + 40 + 8 + 40 + 6,
		  FRAME_OUTSIDE, 2, OUTCOME_ADMIN_PROHIBITED },
		{ e4, icmp_error(&x->b[1], 3, 13, x->b[1].len - 14, e4), 14 + 20 + 8 + 20 + 2,
		  FRAME_OUTSIDE, 1, OUTCOME_ADMIN_PROHIBITED },
		{ e4s, icmp_error(&x->b[3], 3, 3, x->b[3].len - 14, e4s), 14 + 20 + 8 + 20 + 2,
		  FRAME_OUTSIDE, 3, OUTCOME_OTHER },
	};
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		for (size_t n = 0; n <= c[k].len; n++) {
			clear(x);
			bool news = heard_cut(&x->batch, c[k].f, n, c[k].side);
			if (news != (n >= c[k].need))
				fail_msg("case %zu cut to %zu bytes: %s", k, n,
					 news ? "decided" : "decided nothing");
			for (int i = 0; i < NB; i++)
				assert_int_equal(x->out[i], news && i == c[k].who ? c[k].o : DROP);
		}
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_crc32c_reference),
		T(test_tcp),
		T(test_udp),
		T(test_icmp),
		T(test_sctp),
		T(test_describe),
		T(test_parse_back),
		T(test_parse_refuses),
		T(test_heard_forwarded),
		T(test_heard_reset),
		T(test_heard_icmp_error),
		T(test_icmp_types),
		T(test_attribution),
		T(test_truncated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

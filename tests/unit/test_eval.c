/*
 * test_eval.c - eval.c and packet.c: verdicts from the checked policy, and
 * packet descriptions.  Every expected verdict here is read off the
 * language contract by hand, not produced by the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/parse.h"
#include "compiler/sema.h"
#include "compiler/eval.h"
#include "compiler/packet.h"

#include "fixture.h"

/* The evaluator answers for a kernel named by its caller; these tests name
 * one newer than every change it knows of, except where they test one. */
#define KERNEL EVAL_KERNEL(6, 12)

static const struct sema_policy *policy(struct fx *f, const char *text)
{
	struct ast_item *items = parse_string(&f->a, &f->dl, "t.pol", text);
	const struct sema_policy *p = sema_check(&f->a, &f->dl, items, "t.pol");
	if (f->dl.nerrors)
		fail_msg("policy has errors: %s", f->dl.items[0]->msg);
	return p;
}

/* Parses desc as `d6c explain` would; fails the test on a parse error. */
static struct pkt packet(struct fx *f, const char *desc)
{
	struct src_file *sf = src_from_string(&f->a, "<packet>", desc, strlen(desc));
	struct pkt_lexer lx;
	pkt_lexer_init(&lx, sf);
	struct pkt p;
	struct loc span;
	if (!pkt_parse(&f->a, &f->dl, &lx, NULL, &p, &span))
		fail_msg("'%s': %s", desc, f->dl.items[f->dl.n - 1]->msg);
	return p;
}

/* The verdict word, the reason, and the line of the decider (0: none). */
static void expect(struct fx *f, const struct sema_policy *pol, const char *desc,
		   const char *verdict, enum eval_reason reason, int line)
{
	struct pkt p = packet(f, desc);
	struct eval_result r = eval_packet(pol, &p, KERNEL);
	if (strcmp(eval_verdict_word[r.verdict], verdict) != 0 || r.reason != reason)
		fail_msg("'%s': %s (reason %d), want %s (reason %d)", desc,
			 eval_verdict_word[r.verdict], r.reason, verdict, reason);
	int got = r.reason == EVAL_RULE ? r.rule->loc.first_line
		: r.reason == EVAL_DEFAULT ? r.block->default_loc.first_line
		: r.reason == EVAL_INVALID ? r.block->loc.first_line : 0;
	if (got != line)
		fail_msg("'%s': decided at line %d, want %d", desc, got, line);
}

static void test_reference_policy(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = policy(f,
		"network 2001:db8::/64 < allow tcp 22,80,443; allow icmp basic; >\n");
	expect(f, p, "tcp 2001:db8:1::2 -> 2001:db8::10 port 22", "accept", EVAL_RULE, 1);
	expect(f, p, "tcp 2001:db8:1::2 -> 2001:db8::ffff:ffff:ffff:ffff port 443", "accept",
	       EVAL_RULE, 1);
	expect(f, p, "tcp 2001:db8:1::2 -> 2001:db8::10 port 25", "drop", EVAL_DEFAULT, 1);
	expect(f, p, "udp 2001:db8:1::2 -> 2001:db8::10 port 53", "drop", EVAL_DEFAULT, 1);
	expect(f, p, "icmp 2001:db8:1::2 -> 2001:db8::10", "accept", EVAL_RULE, 1);
	expect(f, p, "icmp 2001:db8:1::2 -> 2001:db8::10 type nd-neighbor-solicit", "accept",
	       EVAL_RULE, 1);
	/* An unsolicited ICMPv6 error is invalid: dropped before the rules. */
	expect(f, p, "icmp 2001:db8:1::2 -> 2001:db8::10 type packet-too-big", "drop",
	       EVAL_INVALID, 1);
	/* Not in the block: untouched, whatever it is. */
	expect(f, p, "tcp 2001:db8:1::2 -> 2001:db8:0:1::1 port 25", "accept", EVAL_UNPROTECTED, 0);
	expect(f, p, "icmp 2001:db8:1::2 -> 2001:db8:0:1::1 type 1", "accept", EVAL_UNPROTECTED, 0);
	expect(f, p, "udp 203.0.113.2 -> 192.0.2.10 port 53", "accept", EVAL_UNPROTECTED, 0);
}

static void test_first_match_and_defaults(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = policy(f,
		"define admins = 2001:db8:ffff::/48, 2001:db8:eeee::7;\n"   /* 1 */
		"network 2001:db8::/64 <\n"                                  /* 2 */
		"    allow tcp ssh from admins;\n"                           /* 3 */
		"    deny from 2001:db8:bad::/48;\n"                         /* 4 */
		"    allow tcp 8000-8100;\n"                                 /* 5 */
		"    reject tcp 25;\n"                                       /* 6 */
		"    default reject log;\n"                                  /* 7 */
		">\n"
		"network 192.0.2.0/24 < default accept; deny udp; >\n");     /* 9 */
	expect(f, p, "tcp 2001:db8:ffff:1::1 -> 2001:db8::1 port 22", "accept", EVAL_RULE, 3);
	expect(f, p, "tcp 2001:db8:eeee::7 -> 2001:db8::1 port 22", "accept", EVAL_RULE, 3);
	expect(f, p, "tcp 2001:db8:eeee::8 -> 2001:db8::1 port 22", "reject", EVAL_DEFAULT, 7);
	/* the deny of every protocol comes before the range: first match */
	expect(f, p, "tcp 2001:db8:bad::1 -> 2001:db8::1 port 8000", "drop", EVAL_RULE, 4);
	expect(f, p, "icmp 2001:db8:bad::1 -> 2001:db8::1", "drop", EVAL_RULE, 4);
	expect(f, p, "tcp 2001:db8:1::1 -> 2001:db8::1 port 8000", "accept", EVAL_RULE, 5);
	expect(f, p, "tcp 2001:db8:1::1 -> 2001:db8::1 port 8100", "accept", EVAL_RULE, 5);
	expect(f, p, "tcp 2001:db8:1::1 -> 2001:db8::1 port 8101", "reject", EVAL_DEFAULT, 7);
	expect(f, p, "tcp 2001:db8:1::1 -> 2001:db8::1 port 7999", "reject", EVAL_DEFAULT, 7);
	expect(f, p, "udp 2001:db8:1::1 -> 2001:db8::1 port 25", "reject", EVAL_DEFAULT, 7);
	expect(f, p, "udp 203.0.113.1 -> 192.0.2.255 port 53", "drop", EVAL_RULE, 9);
	expect(f, p, "tcp 203.0.113.1 -> 192.0.2.0 port 53", "accept", EVAL_DEFAULT, 9);

	struct pkt k = packet(f, "tcp 2001:db8:1::1 -> 2001:db8::1 port 1");
	struct eval_result r = eval_packet(p, &k, KERNEL);
	assert_true(r.log);
	assert_string_equal(eval_reject_kind(&k), "tcp reset");
	k = packet(f, "udp 203.0.113.1 -> 192.0.2.1 port 1");
	assert_string_equal(eval_reject_kind(&k), "icmp admin-prohibited");
}

static void test_longest_prefix(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = policy(f,
		"network 2001:db8::/48 < allow tcp; >\n"                          /* 1 */
		"network 2001:db8::10 < allow tcp 5432 from 2001:db8::/64; >\n"   /* 2 */
		"network 2001:db8::/64 < allow udp; >\n"                          /* 3 */
		"network 10.0.0.0/8, 10.1.0.0/16 < allow icmp; >\n");             /* 4 */
	/* the /128 beats the /64 and the /48; the /64 beats the /48 */
	expect(f, p, "tcp 2001:db8::20 -> 2001:db8::10 port 5432", "accept", EVAL_RULE, 2);
	expect(f, p, "tcp 2001:db8:1::20 -> 2001:db8::10 port 5432", "drop", EVAL_DEFAULT, 2);
	expect(f, p, "tcp 2001:db8:1::20 -> 2001:db8::11 port 5432", "drop", EVAL_DEFAULT, 3);
	expect(f, p, "udp 2001:db8:1::20 -> 2001:db8::11 port 1", "accept", EVAL_RULE, 3);
	expect(f, p, "tcp 2001:db8:1::20 -> 2001:db8:0:1:: port 1", "accept", EVAL_RULE, 1);
	expect(f, p, "tcp 2001:db8:1::20 -> 2001:db8:0:ffff:ffff:ffff:ffff:ffff port 1",
	       "accept", EVAL_RULE, 1);
	expect(f, p, "tcp 2001:db8:1::20 -> 2001:db8:1:: port 1", "accept", EVAL_UNPROTECTED, 0);
	expect(f, p, "icmp 10.9.9.9 -> 10.255.255.255", "accept", EVAL_RULE, 4);

	struct pkt k = packet(f, "tcp 2001:db8:1::20 -> 2001:db8::10 port 5432");
	struct eval_result r = eval_packet(p, &k, KERNEL);
	assert_int_equal(r.prefix->pfx.len, 128);
	assert_non_null(r.broader);
	assert_int_equal(r.broader->loc.first_line, 3);   /* the /64, not the /48 */
	assert_int_equal(r.broader_prefix->pfx.len, 64);
	/* the same block's own broader prefix takes nothing from it */
	k = packet(f, "icmp 10.9.9.9 -> 10.1.2.3");
	r = eval_packet(p, &k, KERNEL);
	assert_int_equal(r.prefix->pfx.len, 16);
	assert_null(r.broader);
}

static void test_icmp_families(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = policy(f,
		"network 2001:db8::/64, 192.0.2.0/24 <\n"          /* 1 */
		"    allow icmp router-advertisement;\n"            /* 2: IPv4 type 9 */
		"    allow icmp 13;\n"                              /* 3: both families */
		"    deny icmp;\n"                                  /* 4 */
		"    allow icmp echo-request;\n"                    /* 5: shadowed */
		">\n");
	expect(f, p, "icmp 203.0.113.1 -> 192.0.2.1 type 13", "accept", EVAL_RULE, 3);
	/* IPv6 type 9 is not router-advertisement; no rule but deny icmp */
	expect(f, p, "icmp 2001:db8:1::1 -> 2001:db8::1 type nd-router-advert", "drop",
	       EVAL_RULE, 4);
	expect(f, p, "icmp 2001:db8:1::1 -> 2001:db8::1", "drop", EVAL_RULE, 4);
	/* IPv4 router-advertisement is never new to conntrack */
	expect(f, p, "icmp 203.0.113.1 -> 192.0.2.1 type router-advertisement", "drop",
	       EVAL_INVALID, 1);
	expect(f, p, "icmp 203.0.113.1 -> 192.0.2.1 type echo-reply", "drop", EVAL_INVALID, 1);

	struct pkt k = { .family = FAM_IP6, .proto = PKT_ICMP };
	int untracked[] = { 130, 131, 132, 133, 134, 135, 136, 143 };
	for (size_t i = 0; i < sizeof(untracked) / sizeof(untracked[0]); i++) {
		k.icmp_type = untracked[i];
		assert_int_equal(eval_conntrack(&k, KERNEL), PKT_CT_UNTRACKED);
	}
	k.icmp_type = 128;
	assert_int_equal(eval_conntrack(&k, KERNEL), PKT_CT_NEW);
	k.icmp_type = 137;     /* redirect */
	assert_int_equal(eval_conntrack(&k, KERNEL), PKT_CT_INVALID);
	k.family = FAM_IP4;
	k.icmp_type = 17;      /* address-mask-request */
	assert_int_equal(eval_conntrack(&k, KERNEL), PKT_CT_NEW);
	k.icmp_type = 3;
	assert_int_equal(eval_conntrack(&k, KERNEL), PKT_CT_INVALID);
	k.proto = PKT_TCP;
	assert_int_equal(eval_conntrack(&k, KERNEL), PKT_CT_NEW);
}

/* Linux 6.10 stopped tracking ICMPv6 multicast router advertisement and
 * solicitation (151, 152); before it they were invalid. */
static void test_kernel_release(void **state)
{
	(void)state;
	struct pkt k = { .family = FAM_IP6, .proto = PKT_ICMP };
	for (int t = 151; t <= 152; t++) {
		k.icmp_type = t;
		assert_int_equal(eval_conntrack(&k, EVAL_KERNEL(6, 9)), PKT_CT_INVALID);
		assert_int_equal(eval_conntrack(&k, EVAL_KERNEL(6, 10)), PKT_CT_UNTRACKED);
		assert_int_equal(eval_conntrack(&k, EVAL_KERNEL(7, 0)), PKT_CT_UNTRACKED);
		assert_int_equal(eval_conntrack(&k, 0), PKT_CT_INVALID);
	}
	assert_int_equal(eval_kernel_parse("6.1.0-18-amd64"), EVAL_KERNEL(6, 1));
	assert_int_equal(eval_kernel_parse("6.10.3"), EVAL_KERNEL(6, 10));
	assert_int_equal(eval_kernel_parse("5.15"), EVAL_KERNEL(5, 15));
	assert_int_equal(eval_kernel_parse("6"), 0);
	assert_int_equal(eval_kernel_parse("6."), 0);
	assert_int_equal(eval_kernel_parse("linux"), 0);
	assert_int_equal(eval_kernel_parse(""), 0);
}

static void test_every_protocol_and_other(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = policy(f,
		"network 2001:db8::/64 < allow tcp; allow udp; allow icmp; default reject; >\n"
		"network 2001:db8:1::/64 < allow from 2001:db8:2::/64; >\n");
	/* a protocol other than tcp, udp and icmp meets only the default... */
	struct pkt k = { .family = FAM_IP6, .proto = PKT_OTHER };
	k.dst = (u128)0x20010db8 << 96;
	struct eval_result r = eval_packet(p, &k, KERNEL);
	assert_int_equal(r.reason, EVAL_DEFAULT);
	assert_int_equal(r.verdict, VERDICT_REJECT);
	/* ...but a rule of every protocol takes it */
	k.dst |= (u128)1 << 80;
	k.src = ((u128)0x20010db8 << 96) | ((u128)2 << 80) | 5;
	r = eval_packet(p, &k, KERNEL);
	assert_int_equal(r.reason, EVAL_RULE);
	assert_int_equal(r.verdict, VERDICT_ACCEPT);
}

/* Packet descriptions: what is read, and where errors point. */
static void test_packet_parse(void **state)
{
	struct fx *f = *state;
	struct pkt p = packet(f, "  udp\t192.0.2.1  ->  192.0.2.7 port dns  ");
	assert_int_equal(p.family, FAM_IP4);
	assert_int_equal(p.proto, PKT_UDP);
	assert_int_equal(p.port, 53);
	assert_true(p.src == 0xc0000201);
	assert_true(p.dst == 0xc0000207);
	p = packet(f, "icmp ::ffff:192.0.2.1 -> 2001:DB8::1 type 1");
	assert_int_equal(p.family, FAM_IP6);
	assert_int_equal(p.icmp_type, 1);
	p = packet(f, "icmp 192.0.2.1 -> 192.0.2.2");
	assert_int_equal(p.icmp_type, 8);
	char buf[PKT_STRLEN];
	pkt_format(&p, buf);
	assert_string_equal(buf, "icmp 192.0.2.1 -> 192.0.2.2 type echo-request");
	p = packet(f, "tcp 2001:db8::1 -> 2001:db8::2 port 022");
	pkt_format(&p, buf);
	assert_string_equal(buf, "tcp 2001:db8::1 -> 2001:db8::2 port 22");
	p = packet(f, "icmp 2001:db8::1 -> 2001:db8::2 in br-web");
	assert_string_equal(p.iif, "br-web");
	pkt_format(&p, buf);
	assert_string_equal(buf, "icmp 2001:db8::1 -> 2001:db8::2 type echo-request in br-web");

	static const struct { const char *text; int col; const char *msg; } bad[] = {
		{ "tcp 2001:db8::1 2001:db8::2 port 22", 17, "expected '->'" },
		{ "TCP 2001:db8::1 -> 2001:db8::2 port 22", 1, "unknown protocol 'TCP'" },
		{ "tcp 2001:db8::1 -> 192.0.2.1 port 22", 20, "one address family" },
		{ "tcp 2001:db8::1 -> 2001:db8::2", 31, "needs its destination port" },
		{ "udp 2001:db8::1 -> 2001:db8::2 port 65536", 37, "is not a port" },
		{ "udp 2001:db8::1 -> 2001:db8::2 port", 36, "port number is missing" },
		{ "icmp 2001:db8::1 -> 2001:db8::2 type 256", 38, "unknown ICMP type '256'" },
		{ "icmp 2001:db8::1 -> 2001:db8::2 type echo-requst", 38, "unknown ICMP type" },
		{ "icmp 192.0.2.1 -> 192.0.2.2 type nd-neighbor-solicit", 34, "is an ICMPv6 type" },
		{ "tcp 2001:db8::1/128 -> 2001:db8::2 port 1", 5, "not a prefix" },
		{ "tcp 2001:db8::1 -> 2001:db8::2 port 1 ;", 39, "unexpected ';'" },
		{ "tcp 2001:db8::1 -> 2001:db8::2 port 1 in", 41, "missing after 'in'" },
		{ "tcp 2001:db8::1 -> 2001:db8::2 port 1 in eth*", 42, "wildcards" },
		{ "tcp 2001:db8::1 -> 2001:db8::2 port 1 in a-name-too-long0", 42, "at most 15" },
		{ "udp 2001:db8::1 -> 2001:db8::2 port 1 in eth0 x", 47, "unexpected 'x'" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct src_file *sf = src_from_string(&f->a, "<p>", bad[i].text, strlen(bad[i].text));
		struct pkt_lexer lx;
		pkt_lexer_init(&lx, sf);
		struct loc span;
		size_t before = f->dl.n;
		if (pkt_parse(&f->a, &f->dl, &lx, NULL, &p, &span))
			fail_msg("'%s' parsed", bad[i].text);
		assert_int_equal(f->dl.n, before + 1);
		const struct diag *d = f->dl.items[before];
		if (!strstr(d->msg, bad[i].msg) || d->loc.first_column != bad[i].col)
			fail_msg("'%s': column %d '%s', want column %d '%s'", bad[i].text,
				 d->loc.first_column, d->msg, bad[i].col, bad[i].msg);
	}
}

/* The source check (issue: forged replies): a source inside a protected
 * network must arrive on an interface that reaches it, whatever the
 * destination; the verdicts are the contract's, read off by hand. */
static void test_forged_sources(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = policy(f,
		"network 2001:db8::/64 < allow tcp 80; >\n"
		"network 2001:db8::10 via \"br0\", \"br1\" < allow tcp 22; >\n"
		"network 192.0.2.0/24 < allow tcp 80; >\n");
	struct eval_route rt[] = {
		{ { FAM_IP6, 64, { 0x20, 0x01, 0x0d, 0xb8 } }, "br9" },
		{ { FAM_IP4, 24, { 192, 0, 2 } }, "br4" },
	};
	struct eval_routes routes = { rt, 2, "eth0" };
	static const struct {
		const char *pkt;
		const char *verdict;
		enum eval_reason reason;
	} c[] = {
		/* the attack: a forged reply to an address in no block */
		{ "udp 2001:db8::5 -> 2001:db8:ffff::2 port 5555 in eth0", "drop", EVAL_FORGED },
		{ "tcp 192.0.2.10 -> 203.0.113.2 port 5555 in eth0", "drop", EVAL_FORGED },
		/* and to another protected network */
		{ "tcp 2001:db8::5 -> 2001:db8::10 port 22 in eth0", "drop", EVAL_FORGED },
		/* the container's own egress, on its interface: untouched */
		{ "udp 2001:db8::5 -> 2001:db8:ffff::2 port 5555 in br9", "accept", EVAL_UNPROTECTED },
		{ "tcp 192.0.2.10 -> 203.0.113.2 port 443 in br4", "accept", EVAL_UNPROTECTED },
		/* a `via` block: its names decide, not the route */
		{ "tcp 2001:db8::10 -> 2001:db8:ffff::2 port 1 in br9", "drop", EVAL_FORGED },
		{ "tcp 2001:db8::10 -> 2001:db8:ffff::2 port 1 in br1", "accept", EVAL_UNPROTECTED },
		/* sources in no block are never checked */
		{ "tcp 2001:db8:1::1 -> 2001:db8::5 port 80 in eth0", "accept", EVAL_RULE },
		{ "tcp 2001:db8:1::1 -> 2001:db8::5 port 81 in br9", "drop", EVAL_DEFAULT },
		/* no arrival interface: taken to arrive the right way */
		{ "udp 2001:db8::5 -> 2001:db8:ffff::2 port 5555", "accept", EVAL_UNPROTECTED },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct pkt k = packet(f, c[i].pkt);
		struct eval_result r = eval_packet_routed(p, &k, &routes, KERNEL);
		if (strcmp(eval_verdict_word[r.verdict], c[i].verdict) != 0 || r.reason != c[i].reason)
			fail_msg("'%s': %s (reason %d), want %s (reason %d)", c[i].pkt,
				 eval_verdict_word[r.verdict], r.reason, c[i].verdict, c[i].reason);
	}
	/* Without routes, a route-checked source is let through on trust and
	 * says so; a `via` block needs no routes. */
	struct pkt k = packet(f, "udp 2001:db8::5 -> 2001:db8:ffff::2 port 5555 in eth0");
	struct eval_result r = eval_packet(p, &k, KERNEL);
	assert_int_equal(r.reason, EVAL_UNPROTECTED);
	assert_true(r.route_unknown);
	k = packet(f, "udp 2001:db8::10 -> 2001:db8:ffff::2 port 5555 in eth0");
	r = eval_packet(p, &k, KERNEL);
	assert_int_equal(r.reason, EVAL_FORGED);
	assert_false(r.route_unknown);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reference_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_match_and_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_longest_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_families, setup, teardown),
		cmocka_unit_test(test_kernel_release),
		cmocka_unit_test_setup_teardown(test_every_protocol_and_other, setup, teardown),
		cmocka_unit_test_setup_teardown(test_packet_parse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_sources, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

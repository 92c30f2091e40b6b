/*
 * test_ir.c - ir.c (ownership flattening, rule shapes, comments) and, through
 * the compile pipeline, lint.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "compiler/addr.h"
#include "compiler/arena.h"
#include "compiler/compile.h"
#include "compiler/diag.h"
#include "compiler/ir.h"
#include "compiler/parse.h"
#include "compiler/sema.h"

#include "fixture.h"

static u128 mk(uint64_t hi, uint64_t lo)
{
	return ((u128)hi << 64) | lo;
}

static const u128 ALL6 = ~(u128)0;

static struct prefix pfx(const char *text)
{
	struct prefix p;
	enum addr_err e = addr_parse(text, &p);
	if (e != ADDR_OK)
		fail_msg("addr_parse(%s): error %d", text, e);
	return p;
}

static void dump_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		print_message("  %s %d:%d %s\n", dl->items[i]->sev == DIAG_ERROR ? "error" : "warning",
			      dl->items[i]->loc.first_line, dl->items[i]->loc.first_column,
			      dl->items[i]->msg);
}

/* ---- ir_flatten ---- */

struct want_iv {
	u128 first, last;
	int chain;
};

static struct ir_dispatch flatten(struct fx *f, int family, const char *const *texts,
				  const int *owner, int n)
{
	struct prefix *v = arena_alloc(&f->a, sizeof(*v) * (size_t)n + 1);
	for (int i = 0; i < n; i++)
		v[i] = pfx(texts[i]);
	return ir_flatten(&f->a, family, v, owner, n);
}

static void expect_intervals(const struct ir_dispatch *d, int family,
			     const struct want_iv *want, int n)
{
	assert_int_equal(d->family, family);
	if (d->n != n) {
		for (int i = 0; i < d->n; i++)
			print_message("  [%d] %016llx%016llx-%016llx%016llx -> %d\n", i,
				      (unsigned long long)(d->v[i].first >> 64),
				      (unsigned long long)d->v[i].first,
				      (unsigned long long)(d->v[i].last >> 64),
				      (unsigned long long)d->v[i].last, d->v[i].chain);
		fail_msg("%d intervals, want %d", d->n, n);
	}
	for (int i = 0; i < n; i++) {
		if (d->v[i].first != want[i].first || d->v[i].last != want[i].last ||
		    d->v[i].chain != want[i].chain)
			fail_msg("interval %d: %016llx%016llx-%016llx%016llx -> %d, want "
				 "%016llx%016llx-%016llx%016llx -> %d", i,
				 (unsigned long long)(d->v[i].first >> 64),
				 (unsigned long long)d->v[i].first,
				 (unsigned long long)(d->v[i].last >> 64),
				 (unsigned long long)d->v[i].last, d->v[i].chain,
				 (unsigned long long)(want[i].first >> 64),
				 (unsigned long long)want[i].first,
				 (unsigned long long)(want[i].last >> 64),
				 (unsigned long long)want[i].last, want[i].chain);
	}
}

#define DB8 0x20010db800000000ull

static void test_flatten_host_in_network(void **state)
{
	struct fx *f = *state;
	const struct want_iv want[] = {
		{ mk(DB8, 0), mk(DB8, 0xf), 0 },
		{ mk(DB8, 0x10), mk(DB8, 0x10), 1 },
		{ mk(DB8, 0x11), mk(DB8, ~0ull), 0 },
	};
	const char *t1[] = { "2001:db8::/64", "2001:db8::10" };
	const int o1[] = { 0, 1 };
	struct ir_dispatch d = flatten(f, FAM_IP6, t1, o1, 2);
	expect_intervals(&d, FAM_IP6, want, 3);
	/* Input order does not matter. */
	const char *t2[] = { "2001:db8::10", "2001:db8::/64" };
	const int o2[] = { 1, 0 };
	d = flatten(f, FAM_IP6, t2, o2, 2);
	expect_intervals(&d, FAM_IP6, want, 3);
}

static void test_flatten_default_route_and_children(void **state)
{
	struct fx *f = *state;
	const char *t[] = { "::/0", "2001:db8::/32", "2001:db8:1::/48" };
	const int o[] = { 0, 1, 2 };
	struct ir_dispatch d = flatten(f, FAM_IP6, t, o, 3);
	const struct want_iv want[] = {
		{ 0, mk(0x20010db7ffffffffull, ~0ull), 0 },
		{ mk(DB8, 0), mk(0x20010db80000ffffull, ~0ull), 1 },
		{ mk(0x20010db800010000ull, 0), mk(0x20010db80001ffffull, ~0ull), 2 },
		{ mk(0x20010db800020000ull, 0), mk(0x20010db8ffffffffull, ~0ull), 1 },
		{ mk(0x20010db900000000ull, 0), ALL6, 0 },
	};
	expect_intervals(&d, FAM_IP6, want, 5);
}

static void test_flatten_top_of_address_space(void **state)
{
	struct fx *f = *state;
	const char *t[] = { "::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" };
	const int o[] = { 0, 1 };
	struct ir_dispatch d = flatten(f, FAM_IP6, t, o, 2);
	const struct want_iv want[] = { { 0, ALL6 - 1, 0 }, { ALL6, ALL6, 1 } };
	expect_intervals(&d, FAM_IP6, want, 2);

	const char *t1[] = { "::/0" };
	d = flatten(f, FAM_IP6, t1, o, 1);
	const struct want_iv want1[] = { { 0, ALL6, 0 } };
	expect_intervals(&d, FAM_IP6, want1, 1);

	/* A child that ends where its parent ends leaves nothing after it. */
	const char *t2[] = { "2001:db8::/64", "2001:db8::ffff:ffff:ffff:fff0/124" };
	d = flatten(f, FAM_IP6, t2, o, 2);
	const struct want_iv want2[] = {
		{ mk(DB8, 0), mk(DB8, 0xffffffffffffffefull), 0 },
		{ mk(DB8, 0xfffffffffffffff0ull), mk(DB8, ~0ull), 1 },
	};
	expect_intervals(&d, FAM_IP6, want2, 2);
}

static void test_flatten_ipv4(void **state)
{
	struct fx *f = *state;
	const int o[] = { 0, 1, 2 };
	const char *t1[] = { "0.0.0.0/0" };
	struct ir_dispatch d = flatten(f, FAM_IP4, t1, o, 1);
	const struct want_iv want1[] = { { 0, 0xffffffffu, 0 } };
	expect_intervals(&d, FAM_IP4, want1, 1);

	const char *t2[] = { "0.0.0.0/0", "10.0.0.0/8", "255.255.255.255" };
	d = flatten(f, FAM_IP4, t2, o, 3);
	const struct want_iv want2[] = {
		{ 0, 0x09ffffffu, 0 },
		{ 0x0a000000u, 0x0affffffu, 1 },
		{ 0x0b000000u, 0xfffffffeu, 0 },
		{ 0xffffffffu, 0xffffffffu, 2 },
	};
	expect_intervals(&d, FAM_IP4, want2, 4);
}

static void test_flatten_adjacent_same_owner_merge(void **state)
{
	struct fx *f = *state;
	const char *t[] = { "2001:db8::/64", "2001:db8:0:1::/64" };
	const int same[] = { 0, 0 }, differ[] = { 0, 1 };
	struct ir_dispatch d = flatten(f, FAM_IP6, t, same, 2);
	const struct want_iv want[] = { { mk(DB8, 0), mk(0x20010db800000001ull, ~0ull), 0 } };
	expect_intervals(&d, FAM_IP6, want, 1);

	d = flatten(f, FAM_IP6, t, differ, 2);
	const struct want_iv want2[] = {
		{ mk(DB8, 0), mk(DB8, ~0ull), 0 },
		{ mk(0x20010db800000001ull, 0), mk(0x20010db800000001ull, ~0ull), 1 },
	};
	expect_intervals(&d, FAM_IP6, want2, 2);

	const char *t4[] = { "192.0.2.128/25", "192.0.2.0/25" };
	d = flatten(f, FAM_IP4, t4, same, 2);
	const struct want_iv want4[] = { { 0xc0000200u, 0xc00002ffu, 0 } };
	expect_intervals(&d, FAM_IP4, want4, 1);

	/* One block listing a prefix and a prefix inside it: their union. */
	const char *tn[] = { "2001:db8::/32", "2001:db8:1::/48" };
	d = flatten(f, FAM_IP6, tn, same, 2);
	const struct want_iv wantn[] = { { mk(DB8, 0), mk(0x20010db8ffffffffull, ~0ull), 0 } };
	expect_intervals(&d, FAM_IP6, wantn, 1);

	/* The same prefix twice in one block. */
	const char *td[] = { "2001:db8::/64", "2001:db8::/64" };
	d = flatten(f, FAM_IP6, td, same, 2);
	const struct want_iv wantd[] = { { mk(DB8, 0), mk(DB8, ~0ull), 0 } };
	expect_intervals(&d, FAM_IP6, wantd, 1);
}

static void test_flatten_disjoint(void **state)
{
	struct fx *f = *state;
	const char *t[] = { "2001:db8:2::/48", "2001:db8:1::/48" };
	const int o[] = { 1, 0 };
	struct ir_dispatch d = flatten(f, FAM_IP6, t, o, 2);
	const struct want_iv want[] = {
		{ mk(0x20010db800010000ull, 0), mk(0x20010db80001ffffull, ~0ull), 0 },
		{ mk(0x20010db800020000ull, 0), mk(0x20010db80002ffffull, ~0ull), 1 },
	};
	expect_intervals(&d, FAM_IP6, want, 2);

	/* Not adjacent: one owner, two intervals. */
	const char *t2[] = { "2001:db8:1::/48", "2001:db8:3::/48" };
	const int o2[] = { 0, 0 };
	d = flatten(f, FAM_IP6, t2, o2, 2);
	const struct want_iv want2[] = {
		{ mk(0x20010db800010000ull, 0), mk(0x20010db80001ffffull, ~0ull), 0 },
		{ mk(0x20010db800030000ull, 0), mk(0x20010db80003ffffull, ~0ull), 0 },
	};
	expect_intervals(&d, FAM_IP6, want2, 2);
}

static void test_flatten_siblings_then_next(void **state)
{
	struct fx *f = *state;
	const char *t[] = { "2001:db8::/32", "2001:db8:1::/48", "2001:db8:3::/48", "2001:db9::/32" };
	const int o[] = { 0, 1, 2, 3 };
	struct ir_dispatch d = flatten(f, FAM_IP6, t, o, 4);
	const struct want_iv want[] = {
		{ mk(DB8, 0), mk(0x20010db80000ffffull, ~0ull), 0 },
		{ mk(0x20010db800010000ull, 0), mk(0x20010db80001ffffull, ~0ull), 1 },
		{ mk(0x20010db800020000ull, 0), mk(0x20010db80002ffffull, ~0ull), 0 },
		{ mk(0x20010db800030000ull, 0), mk(0x20010db80003ffffull, ~0ull), 2 },
		{ mk(0x20010db800040000ull, 0), mk(0x20010db8ffffffffull, ~0ull), 0 },
		{ mk(0x20010db900000000ull, 0), mk(0x20010db9ffffffffull, ~0ull), 3 },
	};
	expect_intervals(&d, FAM_IP6, want, 6);
}

static void test_flatten_family_filter(void **state)
{
	struct fx *f = *state;
	const char *t[] = { "2001:db8::/64", "192.0.2.0/24", "::ffff:0:0/96", "10.0.0.0/8" };
	const int o[] = { 0, 1, 2, 3 };
	struct ir_dispatch d4 = flatten(f, FAM_IP4, t, o, 4);
	const struct want_iv want4[] = {
		{ 0x0a000000u, 0x0affffffu, 3 },
		{ 0xc0000200u, 0xc00002ffu, 1 },
	};
	expect_intervals(&d4, FAM_IP4, want4, 2);
	struct ir_dispatch d6 = flatten(f, FAM_IP6, t, o, 4);
	const struct want_iv want6[] = {
		{ mk(0, 0x0000ffff00000000ull), mk(0, 0x0000ffffffffffffull), 2 },
		{ mk(DB8, 0), mk(DB8, ~0ull), 0 },
	};
	expect_intervals(&d6, FAM_IP6, want6, 2);
	struct ir_dispatch none = ir_flatten(&f->a, FAM_IP6, NULL, NULL, 0);
	assert_int_equal(none.n, 0);
}

/* ---- ir_lower ---- */

static const struct ir_policy *lower(struct fx *f, const char *text,
				     const struct ir_options *opt)
{
	struct ast_item *items = parse_string(&f->a, &f->dl, "t.pol", text);
	const struct sema_policy *p = sema_check(&f->a, &f->dl, items, "t.pol");
	if (f->dl.nerrors) {
		dump_diags(&f->dl);
		fail_msg("the policy has errors");
	}
	const struct ir_policy *ir = ir_lower(&f->a, p, opt);
	assert_non_null(ir);
	return ir;
}

static void expect_types(const struct ir_rule *r, const int *want, int n)
{
	if (r->ntypes != n)
		fail_msg("%d ICMP types, want %d", r->ntypes, n);
	for (int i = 0; i < n; i++)
		if (r->icmp_types[i] != want[i])
			fail_msg("type[%d] = %d, want %d", i, r->icmp_types[i], want[i]);
}

static void expect_saddr(const struct ir_rule *r, const char *const *want, int n)
{
	if (r->nsaddr != n)
		fail_msg("%d sources, want %d", r->nsaddr, n);
	for (int i = 0; i < n; i++) {
		struct prefix w = pfx(want[i]);
		if (!addr_equal(&r->saddr[i], &w))
			fail_msg("saddr[%d] is not %s", i, want[i]);
	}
}

static void test_reject_every_protocol(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8::/64 <\n"
		"  reject from 2001:db8:bad::/48;\n"
		"  default reject;\n"
		"  reject tcp 25;\n"
		"  reject udp 53;\n"
		">\n", NULL);
	assert_int_equal(ir->nchains, 1);
	const struct ir_chain *c = &ir->chains[0];
	assert_int_equal(c->nrules, 7);
	const struct ir_rule *r = c->rules;
	assert_true(r[0].ct_invalid);
	assert_int_equal(r[0].verdict, IR_DROP);
	/* reject from ...: a TCP reset for TCP, an ICMP answer for the rest. */
	assert_false(r[1].ct_invalid);
	assert_int_equal(r[1].family, FAM_IP6);
	assert_int_equal(r[1].l4, IR_L4_TCP);
	assert_int_equal(r[1].verdict, IR_REJECT_TCP_RESET);
	const char *bad[] = { "2001:db8:bad::/48" };
	expect_saddr(&r[1], bad, 1);
	assert_string_equal(r[1].comment, "t.pol:2");
	assert_int_equal(r[2].family, FAM_IP6);
	assert_int_equal(r[2].l4, IR_L4_ANY);
	assert_int_equal(r[2].verdict, IR_REJECT_ICMPX);
	expect_saddr(&r[2], bad, 1);
	assert_string_equal(r[2].comment, "t.pol:2");
	/* reject tcp 25: a reset only. */
	assert_int_equal(r[3].l4, IR_L4_TCP);
	assert_int_equal(r[3].verdict, IR_REJECT_TCP_RESET);
	assert_int_equal(r[3].nports, 1);
	assert_int_equal(r[3].ports[0].lo, 25);
	assert_int_equal(r[3].family, 0);
	assert_null(r[3].saddr);
	assert_string_equal(r[3].comment, "t.pol:4");
	/* reject udp 53: administratively prohibited. */
	assert_int_equal(r[4].l4, IR_L4_UDP);
	assert_int_equal(r[4].verdict, IR_REJECT_ICMPX);
	assert_string_equal(r[4].comment, "t.pol:5");
	/* default reject, last: the same pair, without a match. */
	assert_int_equal(r[5].l4, IR_L4_TCP);
	assert_int_equal(r[5].verdict, IR_REJECT_TCP_RESET);
	assert_int_equal(r[5].nports, 0);
	assert_int_equal(r[5].nsaddr, 0);
	assert_string_equal(r[5].comment, "t.pol:3");
	assert_int_equal(r[6].l4, IR_L4_ANY);
	assert_int_equal(r[6].verdict, IR_REJECT_ICMPX);
	assert_string_equal(r[6].comment, "t.pol:3");
}

static void test_icmp_in_mixed_block(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8::/64, 192.0.2.0/24 <\n"
		"  allow icmp basic;\n"
		"  allow icmp;\n"
		"  allow icmp packet-too-big;\n"
		">\n", NULL);
	const struct ir_chain *c = &ir->chains[0];
	assert_int_equal(c->families, FAM_BOTH);
	/* basic: one rule per type and family (4 + 8), no set */
	assert_int_equal(c->nrules, 17);
	const struct ir_rule *r = c->rules;
	const int basic4[] = { 3, 8, 11, 12 };
	const int basic6[] = { 1, 2, 3, 4, 128, 134, 135, 136 };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(r[1 + i].family, FAM_IP4);
		assert_int_equal(r[1 + i].l4, IR_L4_ICMP);
		expect_types(&r[1 + i], &basic4[i], 1);
		assert_int_equal(r[1 + i].verdict, IR_ACCEPT);
	}
	for (int i = 0; i < 8; i++) {
		assert_int_equal(r[5 + i].family, FAM_IP6);
		assert_int_equal(r[5 + i].l4, IR_L4_ICMPV6);
		expect_types(&r[5 + i], &basic6[i], 1);
	}
	/* Every type: one rule per family, no type list. */
	assert_int_equal(r[13].family, FAM_IP4);
	assert_int_equal(r[13].l4, IR_L4_ICMP);
	assert_int_equal(r[13].ntypes, 0);
	assert_null(r[13].icmp_types);
	assert_int_equal(r[14].family, FAM_IP6);
	assert_int_equal(r[14].l4, IR_L4_ICMPV6);
	assert_int_equal(r[14].ntypes, 0);
	/* An ICMPv6-only type: the IPv6 rule alone. */
	assert_int_equal(r[15].family, FAM_IP6);
	const int ptb[] = { 2 };
	expect_types(&r[15], ptb, 1);
	assert_int_equal(r[16].verdict, IR_DROP);
	assert_false(r[16].ct_invalid);
}

static void test_icmp_single_family(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8::/64 < allow icmp echo-request; >\n"
		"network 192.0.2.0/24 < allow icmp echo-request, 0; >\n", NULL);
	const struct ir_chain *c = &ir->chains[0];
	assert_int_equal(c->nrules, 3);
	assert_int_equal(c->rules[1].family, FAM_IP6);
	assert_int_equal(c->rules[1].l4, IR_L4_ICMPV6);
	const int t128[] = { 128 };
	expect_types(&c->rules[1], t128, 1);
	c = &ir->chains[1];
	assert_int_equal(c->nrules, 4);
	const int t08[] = { 0, 8 };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(c->rules[1 + i].family, FAM_IP4);
		assert_int_equal(c->rules[1 + i].l4, IR_L4_ICMP);
		expect_types(&c->rules[1 + i], &t08[i], 1);
	}
}

static void test_from_mixed_families(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8::/64, 192.0.2.0/24 <\n"
		"  allow tcp 22 from 2001:db8:1::/48, 198.51.100.0/24, 2001:db8:2::/48 log limit none;\n"
		"  allow tcp 80;\n"
		"  deny from 2001:db8:bad::/48;\n"
		">\n", NULL);
	const struct ir_chain *c = &ir->chains[0];
	assert_int_equal(c->nrules, 7);
	const struct ir_rule *r = c->rules;
	assert_int_equal(r[1].family, FAM_IP4);
	assert_int_equal(r[1].l4, IR_L4_TCP);
	assert_int_equal(r[1].nports, 1);
	assert_int_equal(r[1].ports[0].lo, 22);
	const char *s4[] = { "198.51.100.0/24" };
	expect_saddr(&r[1], s4, 1);
	assert_true(r[1].log);
	assert_string_equal(r[1].log_prefix, "d6c t.pol:2 ");
	/* The IPv6 sources: one rule each, both logging under line 2. */
	const char *s6[] = { "2001:db8:1::/48", "2001:db8:2::/48" };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(r[2 + i].family, FAM_IP6);
		expect_saddr(&r[2 + i], &s6[i], 1);
		assert_true(r[2 + i].log);
		assert_string_equal(r[2 + i].log_prefix, "d6c t.pol:2 ");
	}
	/* A rule for the whole block stays one rule, of the chain's families. */
	assert_int_equal(r[4].family, 0);
	assert_int_equal(r[4].l4, IR_L4_TCP);
	assert_null(r[4].saddr);
	assert_false(r[4].log);
	assert_null(r[4].log_prefix);
	/* IPv6 sources only: the IPv6 rule only. */
	assert_int_equal(r[5].family, FAM_IP6);
	assert_int_equal(r[5].l4, IR_L4_ANY);
	assert_int_equal(r[5].verdict, IR_DROP);
	assert_string_equal(r[5].comment, "t.pol:4");
	assert_int_equal(r[6].verdict, IR_DROP);
}

/* A limited log is a rule of its own, the same match without a verdict,
 * before the rule that decides: past the limit that rule still decides.
 * A reject of every protocol logs once, before its two rules. */
static void test_log_limit_split(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8::/64 <\n"
		"  reject tcp 25 log group 7 limit 1/minute burst 3;\n"
		"  reject from 2001:db8:bad::/48 log;\n"
		">\n", NULL);
	const struct ir_chain *c = &ir->chains[0];
	assert_int_equal(c->nrules, 7);
	const struct ir_rule *r = c->rules;
	assert_true(r[1].log_only);
	assert_true(r[1].log);
	assert_int_equal(r[1].l4, IR_L4_TCP);
	assert_int_equal(r[1].ports[0].lo, 25);
	assert_int_equal(r[1].log_spec.rate, 1);
	assert_int_equal(r[1].log_spec.unit, LOG_MINUTE);
	assert_int_equal(r[1].log_spec.burst, 3);
	assert_int_equal(r[1].log_spec.group, 7);
	assert_false(r[2].log_only);
	assert_false(r[2].log);
	assert_int_equal(r[2].verdict, IR_REJECT_TCP_RESET);
	assert_int_equal(r[2].ports[0].lo, 25);
	assert_string_equal(r[1].comment, r[2].comment);
	/* d6c's default limit, the kernel log */
	assert_true(r[3].log_only);
	assert_int_equal(r[3].l4, IR_L4_ANY);
	assert_int_equal(r[3].log_spec.rate, LOG_DEFAULT_RATE);
	assert_int_equal(r[3].log_spec.unit, LOG_SECOND);
	assert_int_equal(r[3].log_spec.burst, LOG_DEFAULT_BURST);
	assert_int_equal(r[3].log_spec.group, -1);
	assert_false(r[4].log);
	assert_int_equal(r[4].verdict, IR_REJECT_TCP_RESET);
	assert_false(r[5].log);
	assert_int_equal(r[5].verdict, IR_REJECT_ICMPX);
	assert_int_equal(r[6].verdict, IR_DROP);
}

/* Blocks on one line share a chain only when their logs log alike. */
static void test_log_options_keep_chains_apart(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8::/64 < deny tcp 22 log limit 1/second; > "
		"network 2001:db8:1::/64 < deny tcp 22 log limit 2/second; > "
		"network 2001:db8:2::/64 < deny tcp 22 log limit 2/second; > "
		"network 2001:db8:3::/64 < deny tcp 22 log limit 2/second group 1; >\n", NULL);
	assert_int_equal(ir->nchains, 3);
	assert_int_equal(ir->chains[1].nblocks, 2);
}

static void test_ct_invalid_first_default_last(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8::/64 <\n"
		"  default accept log limit none;\n"
		"  allow tcp 22;\n"
		">\n"
		"network 2001:db8:1::/64 < allow udp 53; >\n", NULL);
	assert_int_equal(ir->nchains, 2);
	const struct ir_chain *c = &ir->chains[0];
	assert_string_equal(c->name, "net_1");
	assert_string_equal(c->comment, "t.pol:1");
	assert_string_equal(c->chain_comment, "network at t.pol:1");
	assert_int_equal(c->families, FAM_IP6);
	assert_int_equal(c->nrules, 3);
	assert_true(c->rules[0].ct_invalid);
	assert_int_equal(c->rules[0].verdict, IR_DROP);
	assert_int_equal(c->rules[0].l4, IR_L4_ANY);
	assert_string_equal(c->rules[0].comment, "t.pol:1");
	assert_false(c->rules[1].ct_invalid);
	assert_int_equal(c->rules[1].verdict, IR_ACCEPT);
	assert_string_equal(c->rules[1].comment, "t.pol:3");
	const struct ir_rule *d = &c->rules[2];
	assert_false(d->ct_invalid);
	assert_int_equal(d->verdict, IR_ACCEPT);
	assert_int_equal(d->l4, IR_L4_ANY);
	assert_true(d->log);
	assert_string_equal(d->log_prefix, "d6c t.pol:2 ");
	assert_string_equal(d->comment, "t.pol:2");
	/* No default written: drop, placed at the network statement. */
	c = &ir->chains[1];
	assert_string_equal(c->name, "net_2");
	assert_string_equal(c->chain_comment, "network at t.pol:5");
	assert_int_equal(c->nrules, 3);
	assert_int_equal(c->rules[2].verdict, IR_DROP);
	assert_false(c->rules[2].log);
	assert_string_equal(c->rules[2].comment, "t.pol:5 default");
}

static void test_policy_options_and_dispatch(void **state)
{
	struct fx *f = *state;
	const char *text =
		"network 2001:db8::/64 < allow tcp 22; >\n"
		"network 2001:db8::10 < allow tcp 5432; >\n"
		"network 192.0.2.0/24 < allow tcp 80; >\n";
	const struct ir_policy *ir = lower(f, text, NULL);
	assert_string_equal(ir->table, "d6c");
	assert_string_equal(ir->priority, "filter - 1");
	assert_int_equal(ir->priority_num, -1);
	assert_string_equal(ir->source, "t.pol");
	assert_string_equal(ir->comment_replies, "t.pol: replies to allowed connections");
	assert_string_equal(ir->comment_dispatch6, "t.pol: IPv6 networks");
	assert_string_equal(ir->comment_dispatch4, "t.pol: IPv4 networks");
	assert_int_equal(ir->dispatch6.n, 3);
	assert_int_equal(ir->dispatch6.v[0].chain, 0);
	assert_int_equal(ir->dispatch6.v[1].chain, 1);
	assert_int_equal(ir->dispatch6.v[2].chain, 0);
	assert_int_equal(ir->dispatch4.n, 1);
	assert_int_equal(ir->dispatch4.v[0].chain, 2);
	assert_true(ir->dispatch4.v[0].first == 0xc0000200u);

	struct ir_options opt = { .table = "fw", .priority = "filter - 5", .priority_num = -5 };
	ir = lower(f, text, &opt);
	assert_string_equal(ir->table, "fw");
	assert_string_equal(ir->priority, "filter - 5");
	assert_int_equal(ir->priority_num, -5);
}

/* ---- ir_place ---- */

static void test_place_short(void **state)
{
	struct fx *f = *state;
	struct src_file *src = src_from_string(&f->a, "t.pol", "", 0);
	struct loc loc = { .file = src, .first_line = 7, .first_column = 1 };
	assert_string_equal(ir_place(&f->a, &loc, "", "", 128), "t.pol:7");
	assert_string_equal(ir_place(&f->a, &loc, "d6c ", " ", 127), "d6c t.pol:7 ");
	assert_string_equal(ir_place(&f->a, &loc, "network at ", "", 128), "network at t.pol:7");
	struct loc nofile = { .first_line = 3 };
	assert_string_equal(ir_place(&f->a, &nofile, "", "", 128), "<policy>:3");
	/* Bytes an nftables string cannot hold. */
	struct src_file *odd = src_from_string(&f->a, "we\"ird\tname.pol", "", 0);
	struct loc l2 = { .file = odd, .first_line = 1 };
	assert_string_equal(ir_place(&f->a, &l2, "", "", 128), "we?ird?name.pol:1");
}

static void test_place_long_path(void **state)
{
	struct fx *f = *state;
	char path[400];
	memset(path, 'a', sizeof(path));
	path[0] = '/';
	memcpy(path + sizeof(path) - 12, "/policy.pol", 12);
	struct src_file *src = src_from_string(&f->a, path, "", 0);
	struct loc loc = { .file = src, .first_line = 12345 };

	const char *c = ir_place(&f->a, &loc, "", "", 128);
	size_t n = strlen(c);
	assert_true(n < 128);
	assert_int_equal(n, 127);   /* as much of the path as fits */
	assert_memory_equal(c, "...", 3);
	assert_string_equal(c + n - strlen("/policy.pol:12345"), "/policy.pol:12345");

	const char *lp = ir_place(&f->a, &loc, "d6c ", " ", 127);
	n = strlen(lp);
	assert_true(n < 127);
	assert_memory_equal(lp, "d6c ...", 7);
	assert_string_equal(lp + n - strlen("/policy.pol:12345 "), "/policy.pol:12345 ");

	/* A path of exactly the limit is shortened too; one byte less is not. */
	char p2[200];
	size_t keep = 127 - strlen(":9");   /* "PATH:9" is 127 bytes: fits in 128 */
	memset(p2, 'b', keep);
	p2[keep] = '\0';
	struct src_file *s2 = src_from_string(&f->a, p2, "", 0);
	struct loc l2 = { .file = s2, .first_line = 9 };
	const char *fits = ir_place(&f->a, &l2, "", "", 128);
	assert_int_equal(strlen(fits), 127);
	assert_int_equal(fits[0], 'b');
	p2[keep] = 'b';
	p2[keep + 1] = '\0';
	s2 = src_from_string(&f->a, p2, "", 0);
	l2.file = s2;
	const char *cut = ir_place(&f->a, &l2, "", "", 128);
	assert_int_equal(strlen(cut), 127);
	assert_memory_equal(cut, "...", 3);
	assert_string_equal(cut + 125, ":9");
}

/* ---- lint, through the compile pipeline ---- */

static const struct ir_policy *compile_text(struct fx *f, const char *text)
{
	const char *file = write_file(f, "t.pol", text);
	bool unreadable = true;
	const struct ir_policy *ir = compile_policy(&f->a, &f->dl, file, NULL, NULL, &unreadable);
	assert_false(unreadable);
	return ir;
}

static const struct diag *find(struct fx *f, enum diag_severity sev, const char *msg)
{
	for (size_t i = 0; i < f->dl.n; i++)
		if (f->dl.items[i]->sev == sev && strstr(f->dl.items[i]->msg, msg))
			return f->dl.items[i];
	dump_diags(&f->dl);
	fail_msg("no diagnostic with '%s'", msg);
	return NULL;
}

static void expect_counts(struct fx *f, int nerrors, int nwarnings)
{
	if (f->dl.nerrors != nerrors || f->dl.nwarnings != nwarnings) {
		dump_diags(&f->dl);
		fail_msg("%d errors and %d warnings, want %d and %d", f->dl.nerrors,
			 f->dl.nwarnings, nerrors, nwarnings);
	}
}

static void test_lint_shadowed(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = compile_text(f,
		"network 2001:db8::/64 <\n"
		"    allow tcp;\n"
		"    allow tcp 22;\n"
		"    deny from 2001:db8::/32;\n"
		"    allow udp 53 from 2001:db8:1::/48;\n"
		"    allow icmp basic;\n"
		"    allow icmp echo-request;\n"
		">\n");
	assert_non_null(ir);
	expect_counts(f, 0, 3);
	const struct diag *d = find(f, DIAG_WARNING,
		"rule can never match: the rule at line 2 already decides all its packets");
	assert_int_equal(d->loc.first_line, 3);
	assert_int_equal(d->loc.first_column, 5);
	assert_non_null(d->notes);
	assert_int_equal(d->notes->loc.first_line, 2);
	d = find(f, DIAG_WARNING, "the rule at line 4 already decides");
	assert_int_equal(d->loc.first_line, 5);
	d = find(f, DIAG_WARNING, "the rule at line 6 already decides");
	assert_int_equal(d->loc.first_line, 7);
}

static void test_lint_not_shadowed(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = compile_text(f,
		"network 2001:db8::/64, 192.0.2.0/24 <\n"
		"    allow tcp 22 from 2001:db8:1::/48;\n"
		"    allow tcp 22;\n"
		"    allow tcp 80;\n"
		"    allow tcp 80-81;\n"
		"    allow icmp echo-request;\n"
		"    allow icmp basic;\n"
		"    allow udp 53 from 192.0.2.0/24;\n"
		"    deny udp from 192.0.2.0/23;\n"
		"    allow icmp nd-router-solicit;\n"
		"    allow icmp 2;\n"
		">\n");
	assert_non_null(ir);
	/* None can never match; but the narrower allows before the wider
	 * ones change nothing (D6C-W016), and type 2 is ICMPv6's
	 * packet-too-big while matching ICMP (IPv4) type 2 too (D6C-W019). */
	expect_counts(f, 0, 4);
	for (size_t i = 0; i < f->dl.n; i++)
		assert_true(f->dl.items[i]->code == DC_W_REDUNDANT ||
			    f->dl.items[i]->code == DC_W_ICMP_BOTH_FAMILIES);
}

static void test_lint_duplicate_port(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = compile_text(f,
		"network 2001:db8::/64 < allow tcp 22, 443, 22; >\n");
	assert_non_null(ir);
	expect_counts(f, 0, 1);
	const struct diag *d = find(f, DIAG_WARNING, "port 22 is already in this rule");
	assert_int_equal(d->loc.first_column, 44);
	/* merged to 22 and 443, each a rule of its own */
	assert_int_equal(ir->chains[0].nrules, 4);
	assert_int_equal(ir->chains[0].rules[1].ports[0].lo, 22);
	assert_int_equal(ir->chains[0].rules[2].ports[0].lo, 443);
}

static void test_lint_block_covered(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = compile_text(f,
		"network 2001:db8::/64 < allow tcp 22; >\n"
		"network 2001:db8::/65 < allow tcp 80; >\n"
		"network 2001:db8::8000:0:0:0/65 < allow tcp 443; >\n");
	assert_non_null(ir);
	expect_counts(f, 0, 1);
	const struct diag *d = find(f, DIAG_WARNING, "no packet reaches this block");
	assert_int_equal(d->loc.first_line, 1);
	assert_int_equal(d->loc.first_column, 1);
	assert_int_equal(ir->dispatch6.n, 2);
	assert_int_equal(ir->dispatch6.v[0].chain, 1);
	assert_int_equal(ir->dispatch6.v[1].chain, 2);
}

static void test_compile_errors_give_no_ir(void **state)
{
	struct fx *f = *state;
	assert_null(compile_text(f, "network 2001:db8::1/64 < allow tcp 22; >\n"));
	assert_int_equal(f->dl.nerrors, 1);
}

/* Blocks with the same rules share one chain; where a logging rule was
 * written is part of what it does, so those blocks keep their own. */
static void test_shared_chains(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8:0:1::/64 < allow tcp 22, 80; allow icmp basic; >\n"     /* 1 */
		"network 2001:db8:0:3::/64 < allow tcp 22, 80; allow icmp basic; >\n"     /* 2 */
		"network 2001:db8:0:2::/64 < allow tcp 22, 80; allow icmp basic; >\n"     /* 3 */
		"network 2001:db8:0:4::/64 < allow tcp 22; >\n"                           /* 4 */
		"network 2001:db8:0:5::/64 < allow tcp 22 log; >\n"                       /* 5 */
		"network 2001:db8:0:6::/64 < allow tcp 22 log; >\n"                       /* 6 */
		"network 192.0.2.0/24 < allow tcp 22, 80; allow icmp basic; >\n", NULL);  /* 7 */
	assert_int_equal(ir->nblocks, 7);
	assert_int_equal(ir->nchains, 5);
	const char *names[] = { "net_1", "net_4", "net_5", "net_6", "net_7" };
	for (int i = 0; i < 5; i++)
		assert_string_equal(ir->chains[i].name, names[i]);
	assert_int_equal(ir->chains[0].nblocks, 3);
	assert_string_equal(ir->chains[0].chain_comment,
			    "networks at t.pol:1 and others with the same rules");
	assert_string_equal(ir->chains[1].chain_comment, "network at t.pol:4");
	assert_string_equal(ir->chains[3].rules[1].log_prefix, "d6c t.pol:6 ");
	/* The IPv4 block has the same rules but another family: its own chain. */
	assert_int_equal(ir->chains[4].families, FAM_IP4);
	/* Blocks 1-3 are adjacent /64s of one chain: one range. */
	assert_int_equal(ir->dispatch6.n, 4);
	assert_int_equal(ir->dispatch6.v[0].chain, 0);
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	addr_format_u128(FAM_IP6, ir->dispatch6.v[0].first, a);
	addr_format_u128(FAM_IP6, ir->dispatch6.v[0].last, b);
	assert_string_equal(a, "2001:db8:0:1::");
	assert_string_equal(b, "2001:db8:0:3:ffff:ffff:ffff:ffff");
}

/* Few values in all: one rule per value; more: one rule with sets. */
static void test_expansion_limit(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f,
		"network 2001:db8::/64 <\n"
		"  allow tcp 1,3,5,7,9,11,13,15 from 2001:db8:1::/48, 2001:db8:2::/48;\n"   /* 16 */
		"  allow udp 1,3,5,7,9,11,13,15,17 from 2001:db8:1::/48, 2001:db8:2::/48;\n" /* 18 */
		"  reject from 2001:db8:3::/48, 2001:db8:4::/48;\n"
		">\n", NULL);
	const struct ir_chain *c = &ir->chains[0];
	/* ct invalid, 16, 1, 2 x (tcp reset + icmpx), default */
	assert_int_equal(c->nrules, 1 + 16 + 1 + 4 + 1);
	for (int i = 0; i < 16; i++) {
		const struct ir_rule *r = &c->rules[1 + i];
		assert_int_equal(r->nports, 1);
		assert_int_equal(r->ports[0].lo, 1 + 2 * (i % 8));
		assert_int_equal(r->nsaddr, 1);
		assert_int_equal(r->saddr[0].addr[5], i < 8 ? 1 : 2);
	}
	assert_int_equal(c->rules[17].nports, 9);
	assert_int_equal(c->rules[17].nsaddr, 2);
	/* a reject of every protocol: reset and icmpx for each source in turn */
	assert_int_equal(c->rules[18].verdict, IR_REJECT_TCP_RESET);
	assert_int_equal(c->rules[19].verdict, IR_REJECT_ICMPX);
	assert_int_equal(c->rules[18].saddr[0].addr[5], 3);
	assert_int_equal(c->rules[19].saddr[0].addr[5], 3);
	assert_int_equal(c->rules[20].verdict, IR_REJECT_TCP_RESET);
	assert_int_equal(c->rules[21].saddr[0].addr[5], 4);
}

/* Counters: off unless asked; then every rule named <chain>_<number from
 * 1>, the forward chain's in the order it is written, each block rule
 * with the policy line it comes from (the implicit default and the
 * invalid drop: the network line), and a shared chain counted once. */
static void test_counters(void **state)
{
	struct fx *f = *state;
	const char *text =
		"network 2001:db8::/64 <\n"
		"    allow tcp 22;\n"
		"    reject tcp 25;\n"
		">\n"
		"network 192.0.2.0/24 via \"eth1\" < allow udp 53; default reject; >\n"
		"network 2001:db8:1::/64 <\n"
		"    allow tcp 22;\n"
		"    reject tcp 25;\n"
		">\n";
	const struct ir_policy *off = lower(f, text, NULL);
	assert_false(off->counters);
	assert_int_equal(off->ncounters, 0);
	assert_null(off->counter_replies);
	assert_null(off->chains[0].rules[0].counter);

	const struct ir_policy *ir = lower(f, "counters;\n" "network 2001:db8::/64 < >\n", NULL);
	assert_true(ir->counters);

	struct ir_options opt = { .counters = true };
	ir = lower(f, text, &opt);
	assert_true(ir->counters);
	assert_int_equal(ir->nchains, 2);            /* blocks 1 and 3 share net_1 */
	assert_int_equal(ir->blocks[2].chain, 0);
	assert_int_equal(ir->blocks[2].loc.first_line, 6);
	/* forward: sources6, sources4, rthdr, replies, dispatch6, dispatch4 */
	assert_string_equal(ir->counter_sources6, "forward_1");
	assert_string_equal(ir->counter_sources4, "forward_2");
	assert_string_equal(ir->counter_rthdr, "forward_3");
	assert_string_equal(ir->counter_replies, "forward_4");
	assert_string_equal(ir->counter_dispatch6, "forward_5");
	assert_string_equal(ir->counter_dispatch4, "forward_6");
	assert_null(ir->counter_any_docker);         /* no mark, no accept_any_source */
	assert_int_equal(ir->nchecks, 2);
	assert_string_equal(ir->checks[0].counter, "source_route_1");
	assert_string_equal(ir->checks[1].counter, "source_via_2_1");
	const struct ir_chain *c = &ir->chains[0];
	assert_int_equal(c->nrules, 4);
	const char *names[] = { "net_1_1", "net_1_2", "net_1_3", "net_1_4" };
	const int lines[] = { 1, 2, 3, 1 };
	for (int i = 0; i < 4; i++) {
		assert_string_equal(c->rules[i].counter, names[i]);
		assert_int_equal(c->rules[i].loc.first_line, lines[i]);
	}
	/* default reject: a TCP reset and an ICMP answer, both from line 5 */
	c = &ir->chains[1];
	assert_string_equal(c->rules[c->nrules - 1].counter, "net_2_4");
	assert_int_equal(c->rules[c->nrules - 1].loc.first_line, 5);
	assert_int_equal(c->rules[c->nrules - 2].loc.first_line, 5);
	/* the list: every counter once, table-wide ones without a line */
	assert_int_equal(ir->ncounters, 6 + 2 + 4 + 4);
	int tablewide = 0;
	for (int i = 0; i < ir->ncounters; i++) {
		for (int j = 0; j < i; j++)
			assert_string_not_equal(ir->counter_list[i].name, ir->counter_list[j].name);
		if (!ir->counter_list[i].loc) {
			tablewide++;
			assert_non_null(ir->counter_list[i].what);
		}
	}
	assert_int_equal(tablewide, 8);

	opt.accept_mark = opt.accept_mask = 0x10;
	ir = lower(f, text, &opt);
	assert_string_equal(ir->counter_any_docker, "accept_any_source_1");
	assert_string_equal(ir->counter_any_mark, "accept_any_source_2");
}

/* ---- shared sets (ir_sets.c) ---- */

/* "define NAME = 2001:db8:adXX::/48, ..." of n prefixes from first. */
static const char *admins(struct fx *f, const char *name, int first, int n)
{
	const char *s = arena_printf(&f->a, "define %s =", name);
	for (int i = 0; i < n; i++)
		s = arena_printf(&f->a, "%s%s 2001:db8:ad%02x::/48", s, i ? "," : "", first + i);
	return arena_printf(&f->a, "%s;\n", s);
}

/* The one rule of block b's chain that has sources. */
static const struct ir_rule *rule_from(const struct ir_policy *ir, int b)
{
	const struct ir_chain *c = &ir->chains[ir->blocks[b].chain];
	for (int i = 0; i < c->nrules; i++)
		if (c->rules[i].nsaddr)
			return &c->rules[i];
	fail_msg("block %d has no rule with sources", b);
	return NULL;
}

static const struct ir_set *set_named(const struct ir_policy *ir, const char *name)
{
	for (int i = 0; i < ir->nsets; i++)
		if (strcmp(ir->sets[i].name, name) == 0)
			return &ir->sets[i];
	return NULL;
}

/* Two blocks with the same 20 sources (their own chains: other ports)
 * share one set; another list is another set; the names come from the
 * lists alone, whatever the order of the blocks. */
static void test_shared_sets(void **state)
{
	struct fx *f = *state;
	const char *defs = arena_printf(&f->a, "%s%s", admins(f, "admins", 0, 20),
					admins(f, "others", 1, 20));
	const char *a = "network 2001:db8:0:1::/64 < allow tcp 22 from admins; >\n";
	const char *b = "network 2001:db8:0:2::/64 < allow tcp 80 from admins; >\n";
	const char *c = "network 2001:db8:0:3::/64 < allow tcp 22 from others; >\n";
	const struct ir_policy *ir = lower(f, arena_printf(&f->a, "%s%s%s%s", defs, a, b, c), NULL);
	assert_int_equal(ir->nchains, 3);
	assert_int_equal(ir->nsets, 2);
	const struct ir_rule *ra = rule_from(ir, 0), *rb = rule_from(ir, 1), *rc = rule_from(ir, 2);
	assert_non_null(ir_set_of(ir, ra->saddr_set));
	assert_int_equal(ra->saddr_set, rb->saddr_set);
	assert_non_null(ir_set_of(ir, rc->saddr_set));
	assert_int_not_equal(ra->saddr_set, rc->saddr_set);
	const struct ir_set *s = ir_set_of(ir, ra->saddr_set);
	assert_int_equal(s->type, IR_SET_IP6);
	assert_true(s->interval);
	assert_int_equal(s->n, 20);
	assert_int_equal(s->users, 2);
	assert_int_equal(ir_set_of(ir, rc->saddr_set)->users, 1);
	assert_int_equal(strlen(s->name), 3 + 12);
	assert_memory_equal(s->name, "s6_", 3);
	/* sorted by name */
	assert_true(strcmp(ir->sets[0].name, ir->sets[1].name) < 0);
	const char *name_ab = s->name, *name_c = ir_set_of(ir, rc->saddr_set)->name;

	/* The blocks in another order, the list written in another order:
	 * the same names. */
	const char *rev = "define admins =";
	for (int i = 19; i >= 0; i--)
		rev = arena_printf(&f->a, "%s 2001:db8:ad%02x::/48%s", rev, i, i ? "," : ";\n");
	ir = lower(f, arena_printf(&f->a, "%s%s%s%s%s", rev, admins(f, "others", 1, 20), c, b, a),
		   NULL);
	assert_int_equal(ir->nsets, 2);
	assert_non_null(set_named(ir, name_ab));
	assert_non_null(set_named(ir, name_c));
	assert_string_equal(ir_set_of(ir, rule_from(ir, 2)->saddr_set)->name, name_ab);
	assert_string_equal(ir_set_of(ir, rule_from(ir, 1)->saddr_set)->name, name_ab);
	assert_string_equal(ir_set_of(ir, rule_from(ir, 0)->saddr_set)->name, name_c);
	/* the elements ascending, whatever order they were written in */
	char buf[ADDR_STRLEN];
	addr_format(&set_named(ir, name_ab)->saddr[0], buf);
	assert_string_equal(buf, "2001:db8:ad00::/48");

	/* Alone, a block's list is a set all the same: the name is the list's. */
	ir = lower(f, arena_printf(&f->a, "%s%s", admins(f, "admins", 0, 20), b), NULL);
	assert_int_equal(ir->nsets, 1);
	assert_string_equal(ir->sets[0].name, name_ab);
}

/* What a set holds: a prefix inside another of the list is left out (a
 * named interval set refuses overlaps); IPv4 and IPv6 sources, ports and
 * ICMP types are sets of their own types; 16 values or fewer, or a long
 * product of short lists, stay in the rule. */
static void test_set_contents(void **state)
{
	struct fx *f = *state;
	const char *v4 = "define v4 =";
	for (int i = 0; i < 17; i++)
		v4 = arena_printf(&f->a, "%s%s 198.51.100.%d", v4, i ? "," : "", i + 1);
	const struct ir_policy *ir = lower(f, arena_printf(&f->a,
		"%s;\n%s"
		"network 2001:db8::/64, 192.0.2.0/24 <\n"
		"  allow tcp 22 from admins, 2001:db8:ad03:1::/64, v4;\n"
		"  allow udp 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33-40;\n"
		"  allow tcp 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33-40;\n"
		"  allow tcp 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31;\n"
		"  allow udp 1000, 1002 from 2001:db8:1::/48, 2001:db8:2::/48, 2001:db8:3::/48,"
		" 2001:db8:4::/48, 2001:db8:5::/48, 2001:db8:6::/48, 2001:db8:7::/48, 2001:db8:8::/48,"
		" 2001:db8:9::/48;\n"
		"  allow icmp 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17;\n"
		">\n", v4, admins(f, "admins", 0, 20)), NULL);
	assert_int_equal(ir->nsets, 5);
	const char *prefix[] = { "p_", "s4_", "s6_", "t4_", "t6_" };
	for (int i = 0; i < 5; i++)
		assert_memory_equal(ir->sets[i].name, prefix[i], strlen(prefix[i]));
	const struct ir_set *p = &ir->sets[0], *s4 = &ir->sets[1], *s6 = &ir->sets[2],
			    *t4 = &ir->sets[3];
	assert_int_equal(p->type, IR_SET_PORT);
	assert_int_equal(p->n, 17);
	assert_true(p->interval);
	assert_int_equal(p->users, 2);            /* tcp and udp */
	assert_int_equal(s4->type, IR_SET_IP4);
	assert_int_equal(s4->n, 17);
	assert_false(s4->interval);               /* addresses only */
	assert_int_equal(s6->n, 20);              /* the /64 is inside a /48 */
	assert_int_equal(t4->type, IR_SET_ICMP);
	assert_int_equal(t4->n, 18);
	assert_false(t4->interval);
	assert_int_equal(ir->sets[4].type, IR_SET_ICMPV6);
	/* the 16 ports: 16 rules; 9 sources x 2 ports: lists in the rule */
	const struct ir_chain *c = &ir->chains[0];
	int listed = 0;
	for (int i = 0; i < c->nrules; i++) {
		const struct ir_rule *r = &c->rules[i];
		if (r->nsaddr == 9) {
			listed++;
			assert_int_equal(r->saddr_set, 0);
			assert_int_equal(r->l4_set, 0);
			assert_int_equal(r->nports, 2);
		}
		if (r->nports > 1 && r->nports <= 16)
			assert_int_equal(r->l4_set, 0);
		if (r->nports == 17)
			assert_ptr_equal(ir_set_of(ir, r->l4_set), p);
		if (r->ntypes)
			assert_ptr_equal(ir_set_of(ir, r->l4_set), r->family == FAM_IP4 ? t4 : &ir->sets[4]);
	}
	assert_int_equal(listed, 1);              /* IPv6 sources only */
}

/* A list that is a named set counts as one value for the expansion: two
 * ports from 20 prefixes are two rules naming one set, with no anonymous
 * set of ports; 17 ports from 16 sources are 16 rules naming the port set. */
static void test_set_expands_the_rest(void **state)
{
	struct fx *f = *state;
	const char *src16 = "";
	for (int i = 0; i < 16; i++)
		src16 = arena_printf(&f->a, "%s%s2001:db8:b%x::/48", src16, i ? ", " : "", i);
	const struct ir_policy *ir = lower(f, arena_printf(&f->a,
		"%snetwork 2001:db8::/64 <\n"
		"  allow tcp 22, 443 from admins;\n"
		"  allow udp 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33 from %s;\n"
		">\n", admins(f, "admins", 0, 20), src16), NULL);
	assert_int_equal(ir->nsets, 2);
	const struct ir_chain *c = &ir->chains[0];
	assert_int_equal(c->nrules, 1 + 2 + 16 + 1);
	for (int i = 1; i <= 2; i++) {
		assert_int_equal(c->rules[i].nports, 1);
		assert_int_equal(c->rules[i].ports[0].lo, i == 1 ? 22 : 443);
		assert_int_equal(c->rules[i].nsaddr, 20);
		assert_int_equal(ir_set_of(ir, c->rules[i].saddr_set)->type, IR_SET_IP6);
	}
	for (int i = 3; i < 3 + 16; i++) {
		assert_int_equal(c->rules[i].nsaddr, 1);
		assert_int_equal(c->rules[i].saddr_set, 0);
		assert_int_equal(c->rules[i].nports, 17);
		assert_int_equal(ir_set_of(ir, c->rules[i].l4_set)->type, IR_SET_PORT);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_flatten_host_in_network),
		T(test_flatten_default_route_and_children),
		T(test_flatten_top_of_address_space),
		T(test_flatten_ipv4),
		T(test_flatten_adjacent_same_owner_merge),
		T(test_flatten_disjoint),
		T(test_flatten_siblings_then_next),
		T(test_flatten_family_filter),
		T(test_reject_every_protocol),
		T(test_icmp_in_mixed_block),
		T(test_icmp_single_family),
		T(test_from_mixed_families),
		T(test_log_limit_split),
		T(test_log_options_keep_chains_apart),
		T(test_ct_invalid_first_default_last),
		T(test_policy_options_and_dispatch),
		T(test_place_short),
		T(test_place_long_path),
		T(test_lint_shadowed),
		T(test_lint_not_shadowed),
		T(test_lint_duplicate_port),
		T(test_lint_block_covered),
		T(test_compile_errors_give_no_ir),
		T(test_shared_chains),
		T(test_expansion_limit),
		T(test_counters),
		T(test_shared_sets),
		T(test_set_contents),
		T(test_set_expands_the_rest),
	};
#undef T
	return cmocka_run_group_tests_name("ir", tests, NULL, NULL);
}

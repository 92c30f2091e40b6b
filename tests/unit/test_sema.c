/*
 * test_sema.c - sema.c: names resolved, values checked, the checked policy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/addr.h"
#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/parse.h"
#include "compiler/sema.h"

#include "fixture.h"

static void dump_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		print_message("  %s %d:%d %s\n", dl->items[i]->sev == DIAG_ERROR ? "error" : "warning",
			      dl->items[i]->loc.first_line, dl->items[i]->loc.first_column,
			      dl->items[i]->msg);
}

static const struct sema_policy *check(struct fx *f, const char *text)
{
	struct ast_item *items = parse_string(&f->a, &f->dl, "t.pol", text);
	const struct sema_policy *p = sema_check(&f->a, &f->dl, items, "t.pol");
	assert_non_null(p);
	assert_string_equal(p->top_path, "t.pol");
	return p;
}

static void expect_counts(struct fx *f, int nerrors, int nwarnings)
{
	if (f->dl.nerrors != nerrors || f->dl.nwarnings != nwarnings) {
		dump_diags(&f->dl);
		fail_msg("%d errors and %d warnings, want %d and %d", f->dl.nerrors,
			 f->dl.nwarnings, nerrors, nwarnings);
	}
}

/* The one diagnostic of severity sev whose message holds msg; checks its place. */
static const struct diag *expect_diag(struct fx *f, enum diag_severity sev, const char *msg,
				      int line, int column)
{
	const struct diag *found = NULL;
	for (size_t i = 0; i < f->dl.n; i++)
		if (f->dl.items[i]->sev == sev && strstr(f->dl.items[i]->msg, msg)) {
			found = f->dl.items[i];
			break;
		}
	if (!found) {
		dump_diags(&f->dl);
		fail_msg("no %s with '%s'", sev == DIAG_ERROR ? "error" : "warning", msg);
	}
	if (found->loc.first_line != line || found->loc.first_column != column) {
		dump_diags(&f->dl);
		fail_msg("'%s' at %d:%d, want %d:%d", msg, found->loc.first_line,
			 found->loc.first_column, line, column);
	}
	return found;
}

static struct prefix pfx(const char *text)
{
	struct prefix p;
	enum addr_err e = addr_parse(text, &p);
	if (e != ADDR_OK)
		fail_msg("addr_parse(%s): error %d", text, e);
	return p;
}

static void expect_ports(const struct sema_rule *r, const uint16_t (*want)[2], int n)
{
	if (r->nports != n)
		fail_msg("%d port ranges, want %d", r->nports, n);
	for (int i = 0; i < n; i++)
		if (r->ports[i].lo != want[i][0] || r->ports[i].hi != want[i][1])
			fail_msg("ports[%d] = %u-%u, want %u-%u", i, r->ports[i].lo, r->ports[i].hi,
				 want[i][0], want[i][1]);
}

static void expect_icmp_set(const struct icmp_set *s, const int *want, int n)
{
	for (int t = 0; t < 256; t++) {
		bool in = false;
		for (int i = 0; i < n; i++)
			in = in || want[i] == t;
		if (icmp_set_has(s, t) != in)
			fail_msg("ICMP type %d: %s, want %s", t, in ? "absent" : "present",
				 in ? "present" : "absent");
	}
}

/* ---- the checked policy ---- */

static void test_block_families(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 < allow tcp 22; >\n"
		"network 192.0.2.0/24 < allow tcp 22; >\n"
		"network 2001:db8:1::/64, 198.51.100.0/24 < allow tcp 22; >\n"
		"network ::ffff:0:0/96 < allow tcp 22; >\n");
	expect_counts(f, 0, 0);
	assert_int_equal(p->nblocks, 4);
	const int want[] = { FAM_IP6, FAM_IP4, FAM_BOTH, FAM_IP6 };
	for (int i = 0; i < 4; i++) {
		const struct sema_block *b = &p->blocks[i];
		assert_int_equal(b->index, i);
		assert_int_equal(b->loc.first_line, i + 1);
		assert_int_equal(b->families, want[i]);
		assert_int_equal(b->nrules, 1);
		assert_int_equal(b->rules[0].families, want[i]);
		assert_false(b->has_default);
		assert_int_equal(b->default_verdict, VERDICT_DROP);
	}
	assert_int_equal(p->blocks[2].nprefixes, 2);
	struct prefix want0 = pfx("2001:db8:1::/64"), want1 = pfx("198.51.100.0/24");
	assert_true(addr_equal(&p->blocks[2].prefixes[0].pfx, &want0));
	assert_true(addr_equal(&p->blocks[2].prefixes[1].pfx, &want1));
	assert_int_equal(p->blocks[2].prefixes[1].loc.first_column, 26);
}

static void test_ports_sorted_and_merged(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 <\n"
		"  allow tcp 443, 22, 80, 23, 8000-8100, 8101-8200, 81;\n"
		"  allow udp;\n"
		"  allow udp 65535, 0, 65534;\n"
		"  allow tcp 1-10, 11-20, 30;\n"
		">\n");
	expect_counts(f, 0, 0);
	const struct sema_block *b = &p->blocks[0];
	assert_int_equal(b->nrules, 4);
	assert_int_equal(b->rules[0].proto, PROTO_TCP);
	assert_false(b->rules[0].all_ports);
	const uint16_t r0[][2] = { { 22, 23 }, { 80, 81 }, { 443, 443 }, { 8000, 8200 } };
	expect_ports(&b->rules[0], r0, 4);
	assert_int_equal(b->rules[1].proto, PROTO_UDP);
	assert_true(b->rules[1].all_ports);
	assert_int_equal(b->rules[1].nports, 0);
	const uint16_t r2[][2] = { { 0, 0 }, { 65534, 65535 } };
	expect_ports(&b->rules[2], r2, 2);
	const uint16_t r3[][2] = { { 1, 20 }, { 30, 30 } };
	expect_ports(&b->rules[3], r3, 2);
	assert_true(b->rules[0].any_source);
	assert_int_equal(b->rules[0].verdict, VERDICT_ACCEPT);
	assert_false(b->rules[0].bad);
}

static void test_duplicate_ports_warn(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 < allow tcp 22, 80, 22, 8000-8100, 8050-8060; >\n"
		"network 2001:db8:1::/64 < allow udp 8000-8100, 8050-8200, 7000-8000; >\n");
	expect_counts(f, 0, 4);
	expect_diag(f, DIAG_WARNING, "port 22 is already in this rule", 1, 43);
	expect_diag(f, DIAG_WARNING, "ports 8050-8060 are already in this rule", 1, 58);
	expect_diag(f, DIAG_WARNING, "ports 8050-8200 overlap ports 8000-8100", 2, 48);
	expect_diag(f, DIAG_WARNING, "ports 7000-8000 overlap ports 8000-8100", 2, 59);
	const uint16_t want[][2] = { { 22, 22 }, { 80, 80 }, { 8000, 8100 } };
	expect_ports(&p->blocks[0].rules[0], want, 3);
	const uint16_t want1[][2] = { { 7000, 8200 } };
	expect_ports(&p->blocks[1].rules[0], want1, 1);
}

static void test_services_resolved(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 <\n"
		"  allow tcp ssh, https, postgres;\n"
		"  allow udp dns, ntp;\n"
		"  allow tcp smtp, http, imaps, mysql, redis;\n"
		"  allow udp domain;\n"
		">\n");
	expect_counts(f, 0, 0);
	const struct sema_block *b = &p->blocks[0];
	const uint16_t r0[][2] = { { 22, 22 }, { 443, 443 }, { 5432, 5432 } };
	expect_ports(&b->rules[0], r0, 3);
	const uint16_t r1[][2] = { { 53, 53 }, { 123, 123 } };
	expect_ports(&b->rules[1], r1, 2);
	const uint16_t r2[][2] = { { 25, 25 }, { 80, 80 }, { 993, 993 }, { 3306, 3306 },
				   { 6379, 6379 } };
	expect_ports(&b->rules[2], r2, 5);
	const uint16_t r3[][2] = { { 53, 53 } };
	expect_ports(&b->rules[3], r3, 1);
}

static void test_defines_spliced(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"define web = http, https, 8080;\n"
		"define more = web, 9000-9001;\n"
		"define admins = 2001:db8:ffff::/48, 2001:db8:eeee::7;\n"
		"define ops = admins, 2001:db8:dddd::/48;\n"
		"define nets = 2001:db8::/64, 2001:db8:1::/64;\n"
		"network nets < allow tcp more from ops; >\n");
	expect_counts(f, 0, 0);
	const struct sema_block *b = &p->blocks[0];
	assert_int_equal(b->nprefixes, 2);
	assert_int_equal(b->families, FAM_IP6);
	const struct sema_rule *r = &b->rules[0];
	const uint16_t want[][2] = { { 80, 80 }, { 443, 443 }, { 8080, 8080 }, { 9000, 9001 } };
	expect_ports(r, want, 4);
	assert_false(r->any_source);
	assert_int_equal(r->nsources, 3);
	const char *srcs[] = { "2001:db8:ffff::/48", "2001:db8:eeee::7", "2001:db8:dddd::/48" };
	for (int i = 0; i < 3; i++) {
		struct prefix w = pfx(srcs[i]);
		assert_true(addr_equal(&r->sources[i].pfx, &w));
	}
}

static void test_icmp_basic_per_family(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64, 192.0.2.0/24 < allow icmp basic; >\n"
		"network 2001:db8:1::/64 < allow icmp basic; >\n"
		"network 198.51.100.0/24 < allow icmp basic; >\n");
	expect_counts(f, 0, 0);
	const int basic6[] = { 1, 2, 3, 4, 128, 134, 135, 136 };
	const int basic4[] = { 3, 8, 11, 12 };
	const struct sema_rule *r = &p->blocks[0].rules[0];
	assert_int_equal(r->proto, PROTO_ICMP);
	assert_false(r->all_icmp);
	assert_int_equal(r->families, FAM_BOTH);
	expect_icmp_set(&r->icmp6, basic6, 8);
	expect_icmp_set(&r->icmp4, basic4, 4);
	r = &p->blocks[1].rules[0];
	assert_int_equal(r->families, FAM_IP6);
	expect_icmp_set(&r->icmp6, basic6, 8);
	r = &p->blocks[2].rules[0];
	assert_int_equal(r->families, FAM_IP4);
	expect_icmp_set(&r->icmp4, basic4, 4);
}

static void test_icmp_names_in_mixed_block(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64, 192.0.2.0/24 <\n"
		"  allow icmp packet-too-big;\n"
		"  allow icmp router-advertisement;\n"
		"  allow icmp echo-request;\n"
		"  allow icmp;\n"
		"  allow icmp all;\n"
		"  allow icmp 200, nd-neighbor-solicit;\n"
		">\n");
	expect_counts(f, 0, 0);
	const struct sema_block *b = &p->blocks[0];
	assert_int_equal(b->nrules, 6);
	const int none[] = { -1 };
	const int t2[] = { 2 }, t9[] = { 9 }, t8[] = { 8 }, t128[] = { 128 };
	/* packet-too-big exists in ICMPv6 only: the rule is IPv6's. */
	expect_icmp_set(&b->rules[0].icmp6, t2, 1);
	expect_icmp_set(&b->rules[0].icmp4, none, 0);
	assert_int_equal(b->rules[0].families, FAM_IP6);
	/* router-advertisement exists in ICMP (IPv4) only. */
	expect_icmp_set(&b->rules[1].icmp4, t9, 1);
	expect_icmp_set(&b->rules[1].icmp6, none, 0);
	assert_int_equal(b->rules[1].families, FAM_IP4);
	/* echo-request is in both, with different numbers. */
	expect_icmp_set(&b->rules[2].icmp4, t8, 1);
	expect_icmp_set(&b->rules[2].icmp6, t128, 1);
	assert_int_equal(b->rules[2].families, FAM_BOTH);
	assert_true(b->rules[3].all_icmp);
	assert_int_equal(b->rules[3].families, FAM_BOTH);
	assert_true(b->rules[4].all_icmp);
	/* A number means that type in both families. */
	const int t200[] = { 200 }, t200_135[] = { 135, 200 };
	expect_icmp_set(&b->rules[5].icmp4, t200, 1);
	expect_icmp_set(&b->rules[5].icmp6, t200_135, 2);
	assert_int_equal(b->rules[5].families, FAM_BOTH);
}

static void test_sources_kept(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 < allow tcp 22 from 2001:db8:1::/48, 2001:db8:2::1; "
		"allow tcp 80; >\n"
		"network 2001:db8:9::/64, 192.0.2.0/24 <\n"
		"  allow tcp 22 from 198.51.100.0/24, 2001:db8:1::/48;\n"
		"  deny from 203.0.113.0/24;\n"
		">\n");
	expect_counts(f, 0, 0);
	const struct sema_rule *r = &p->blocks[0].rules[0];
	assert_false(r->any_source);
	assert_int_equal(r->nsources, 2);
	struct prefix s0 = pfx("2001:db8:1::/48"), s1 = pfx("2001:db8:2::1");
	assert_true(addr_equal(&r->sources[0].pfx, &s0));
	assert_true(addr_equal(&r->sources[1].pfx, &s1));
	assert_int_equal(r->sources[0].loc.first_column, 43);
	assert_true(p->blocks[0].rules[1].any_source);
	/* A mixed list in a mixed block: both kept, the rule is for both families. */
	r = &p->blocks[1].rules[0];
	assert_int_equal(r->nsources, 2);
	assert_int_equal(r->families, FAM_BOTH);
	/* IPv4 sources only: the rule can match IPv4 only. */
	r = &p->blocks[1].rules[1];
	assert_int_equal(r->proto, PROTO_ANY);
	assert_int_equal(r->verdict, VERDICT_DROP);
	assert_int_equal(r->nsources, 1);
	assert_int_equal(r->families, FAM_IP4);
}

static void test_default_anywhere(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 < default accept log; allow tcp 22; >\n"
		"network 2001:db8:1::/64 < allow tcp 22; default reject; >\n");
	expect_counts(f, 0, 0);
	const struct sema_block *b = &p->blocks[0];
	assert_true(b->has_default);
	assert_int_equal(b->default_verdict, VERDICT_ACCEPT);
	assert_true(b->default_log);
	assert_int_equal(b->default_loc.first_column, 25);
	assert_int_equal(b->nrules, 1);
	b = &p->blocks[1];
	assert_int_equal(b->default_verdict, VERDICT_REJECT);
	assert_false(b->default_log);
	assert_int_equal(b->nrules, 1);
}

/* ---- errors and warnings ---- */

static void test_undefined_name(void **state)
{
	struct fx *f = *state;
	check(f, "network 2001:db8::/64 < allow tcp foo; allow tcp 22 from bar; >\n"
		 "network baz < allow tcp 22; >\n");
	expect_counts(f, 3, 0);
	expect_diag(f, DIAG_ERROR, "'foo' is not defined", 1, 35);
	expect_diag(f, DIAG_ERROR, "'bar' is not defined", 1, 58);
	expect_diag(f, DIAG_ERROR, "'baz' is not defined", 2, 9);
}

static void test_used_before_define(void **state)
{
	struct fx *f = *state;
	check(f, "network 2001:db8::/64 < allow tcp web; >\ndefine web = 80;\n");
	expect_counts(f, 1, 0);
	const struct diag *d = expect_diag(f, DIAG_ERROR, "'web' is used before its definition",
					   1, 35);
	assert_non_null(d->notes);
	assert_int_equal(d->notes->loc.first_line, 2);
	assert_int_equal(d->notes->loc.first_column, 8);
	assert_non_null(strstr(d->notes->msg, "defined here"));
}

static void test_duplicate_define(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"define a = 22;\ndefine a = 80;\nnetwork 2001:db8::/64 < allow tcp a; >\n");
	expect_counts(f, 1, 0);
	const struct diag *d = expect_diag(f, DIAG_ERROR, "'a' is defined twice", 2, 8);
	assert_non_null(d->notes);
	assert_int_equal(d->notes->loc.first_line, 1);
	assert_int_equal(d->notes->loc.first_column, 8);
	/* The first definition stands. */
	const uint16_t want[][2] = { { 22, 22 } };
	expect_ports(&p->blocks[0].rules[0], want, 1);
}

static void test_mixed_define(void **state)
{
	struct fx *f = *state;
	check(f, "define m = 22, 2001:db8::1;\nnetwork 2001:db8::/64 < allow tcp m; >\n");
	expect_counts(f, 1, 0);
	const struct diag *d = expect_diag(f, DIAG_ERROR,
		"define 'm' mixes ports and addresses", 1, 16);
	assert_non_null(d->notes);
	assert_int_equal(d->notes->loc.first_column, 12);
	assert_non_null(strstr(d->notes->msg, "port"));
}

static void test_mixed_define_address_first(void **state)
{
	struct fx *f = *state;
	check(f, "define m = 2001:db8::1, ssh;\nnetwork 2001:db8::/64 < allow tcp 22 from m; >\n");
	expect_counts(f, 1, 0);
	const struct diag *d = expect_diag(f, DIAG_ERROR, "mixes ports and addresses", 1, 25);
	assert_non_null(d->notes);
	assert_int_equal(d->notes->loc.first_column, 12);
	assert_non_null(strstr(d->notes->msg, "address"));
}

static void test_service_redefined(void **state)
{
	struct fx *f = *state;
	check(f, "define ssh = 2222;\nnetwork 2001:db8::/64 < allow tcp ssh; >\n");
	expect_counts(f, 1, 0);
	expect_diag(f, DIAG_ERROR, "'ssh' is a built-in service name and cannot be redefined",
		    1, 8);
}

static void test_default_twice(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 <\n default drop;\n allow tcp 22;\n default accept;\n>\n");
	expect_counts(f, 1, 0);
	const struct diag *d = expect_diag(f, DIAG_ERROR, "already has a default", 4, 2);
	assert_non_null(d->notes);
	assert_int_equal(d->notes->loc.first_line, 2);
	assert_int_equal(p->blocks[0].default_verdict, VERDICT_DROP);
	assert_int_equal(p->blocks[0].nrules, 1);
}

static void test_same_prefix_twice_in_block(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64, 2001:DB8:0::/64, 2001:db8::/48 < allow tcp 22; >\n");
	expect_counts(f, 0, 1);
	expect_diag(f, DIAG_WARNING, "2001:db8::/64 is listed twice in this block", 1, 24);
	/* Overlapping prefixes are their union: both kept. */
	assert_int_equal(p->blocks[0].nprefixes, 2);
}

static void test_same_prefix_two_blocks(void **state)
{
	struct fx *f = *state;
	check(f, "network 2001:db8::/64 < allow tcp 22; >\n"
		 "network 192.0.2.0/24, 2001:DB8:0::/64 < allow tcp 80; >\n");
	expect_counts(f, 1, 0);
	const struct diag *d = expect_diag(f, DIAG_ERROR,
		"2001:db8::/64 is already protected by the block at line 1", 2, 23);
	assert_non_null(d->notes);
	assert_int_equal(d->notes->loc.first_line, 1);
	assert_int_equal(d->notes->loc.first_column, 9);
}

static void test_empty_block_warning(void **state)
{
	struct fx *f = *state;
	check(f, "network 2001:db8::/64 < >\nnetwork 2001:db8:1::/64 < default accept; >\n");
	expect_counts(f, 0, 1);
	expect_diag(f, DIAG_WARNING, "this block has no rules", 1, 1);
}

static void test_unused_define_warning(void **state)
{
	struct fx *f = *state;
	check(f, "define x = 22;\ndefine y = 80;\ndefine z = y;\n"
		 "network 2001:db8::/64 < allow tcp z; >\n");
	expect_counts(f, 0, 1);
	expect_diag(f, DIAG_WARNING, "'x' is defined but never used", 1, 8);
}

static void test_from_wrong_family_error(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 < allow tcp 22 from 192.0.2.0/24; >\n"
		"network 192.0.2.0/24 < deny from 2001:db8::/32, 2001:db8:1::1; >\n");
	expect_counts(f, 2, 0);
	expect_diag(f, DIAG_ERROR, "no source here is IPv6, but this block holds only IPv6", 1, 43);
	expect_diag(f, DIAG_ERROR, "no source here is IPv4, but this block holds only IPv4", 2, 34);
	assert_true(p->blocks[0].rules[0].bad);
	assert_true(p->blocks[1].rules[0].bad);
}

static void test_from_wrong_family_warning(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64 < allow tcp 22 from 2001:db8:1::/48, 192.0.2.0/24; >\n");
	expect_counts(f, 0, 1);
	expect_diag(f, DIAG_WARNING,
		    "source 192.0.2.0/24 is IPv4 and can never match in this IPv6-only block", 1, 60);
	const struct sema_rule *r = &p->blocks[0].rules[0];
	assert_false(r->bad);
	assert_int_equal(r->nsources, 1);
	assert_int_equal(r->sources[0].pfx.family, FAM_IP6);
	assert_int_equal(r->families, FAM_IP6);
}

static void test_wrong_kind_of_define(void **state)
{
	struct fx *f = *state;
	check(f, "define admins = 2001:db8::1;\ndefine web = 80;\n"
		 "network 2001:db8::/64 < allow tcp admins; allow tcp 22 from web; "
		 "allow tcp 22 from ssh; >\n");
	expect_counts(f, 3, 0);
	expect_diag(f, DIAG_ERROR, "'admins' is a list of addresses, not ports", 3, 35);
	expect_diag(f, DIAG_ERROR, "'web' is a list of ports, not addresses", 3, 61);
	expect_diag(f, DIAG_ERROR, "'ssh' is a service (a port), not an address", 3, 84);
}

static void test_port_errors(void **state)
{
	struct fx *f = *state;
	check(f, "network 2001:db8::/64 <\n"
		 "  allow tcp 70000;\n"
		 "  allow tcp 100-90;\n"
		 "  allow udp 1-65536;\n"
		 ">\n");
	expect_counts(f, 3, 0);
	expect_diag(f, DIAG_ERROR, "port 70000 is out of range (0-65535)", 2, 13);
	expect_diag(f, DIAG_ERROR, "port range 100-90 is backwards; did you mean 90-100?", 3, 13);
	expect_diag(f, DIAG_ERROR, "port range 1-65536 is out of range", 4, 13);
}

static void test_icmp_errors(void **state)
{
	struct fx *f = *state;
	check(f, "network 192.0.2.0/24 < allow icmp nd-router-advert; >\n"
		 "network 2001:db8::/64 <\n"
		 "  allow icmp router-advertisement;\n"
		 "  allow icmp bogus;\n"
		 "  allow icmp 256;\n"
		 "  allow icmp basic, echo-request;\n"
		 "  allow icmp echo-request, all;\n"
		 ">\n");
	expect_counts(f, 6, 0);
	expect_diag(f, DIAG_ERROR,
		    "'nd-router-advert' is an ICMPv6 type, but this block holds only IPv4", 1, 35);
	expect_diag(f, DIAG_ERROR,
		    "'router-advertisement' is an ICMP (IPv4) type, but this block holds only IPv6",
		    3, 14);
	expect_diag(f, DIAG_ERROR, "unknown ICMP type 'bogus'", 4, 14);
	expect_diag(f, DIAG_ERROR, "ICMP type 256 is out of range (0-255)", 5, 14);
	expect_diag(f, DIAG_ERROR, "'basic' cannot be combined with other ICMP types", 6, 14);
	expect_diag(f, DIAG_ERROR, "'all' cannot be combined with other ICMP types", 7, 28);
}

/* A number too big for the scanner must not be quoted as another number. */
static void test_huge_numbers_quoted_as_written(void **state)
{
	struct fx *f = *state;
	check(f, "network ::/0 <\n"
		 "  allow icmp 99999999999999999999;\n"
		 "  allow tcp 1-99999999999999999999;\n"
		 "  allow tcp 99999999999999999999;\n"
		 "  allow udp 99999999999999999999-2;\n"
		 ">\n");
	expect_counts(f, 4, 0);
	const int lines[] = { 2, 3, 4, 5 }, cols[] = { 14, 13, 13, 13 };
	for (size_t i = 0; i < f->dl.n; i++) {
		const struct diag *d = f->dl.items[i];
		if (d->loc.first_line != lines[i] || d->loc.first_column != cols[i] ||
		    !strstr(d->msg, "out of range") || strstr(d->msg, "18446744073709551615")) {
			dump_diags(&f->dl);
			fail_msg("diagnostic %zu: want %d:%d, 'out of range', and no number the "
				 "policy does not hold", i, lines[i], cols[i]);
		}
	}
}

/* ICMP types of one family and sources of the other: nothing can match, which
 * must not pass silently. */
static void test_icmp_and_sources_disjoint(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = check(f,
		"network 2001:db8::/64, 192.0.2.0/24 <\n"
		"  allow icmp packet-too-big from 192.0.2.0/24;\n"
		"  allow icmp router-advertisement from 2001:db8::/32;\n"
		">\n");
	expect_counts(f, 2, 0);
	expect_diag(f, DIAG_ERROR, "can never match", 2, 3);
	assert_true(p->blocks[0].rules[0].bad);
	assert_true(p->blocks[0].rules[1].bad);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_block_families),
		T(test_ports_sorted_and_merged),
		T(test_duplicate_ports_warn),
		T(test_services_resolved),
		T(test_defines_spliced),
		T(test_icmp_basic_per_family),
		T(test_icmp_names_in_mixed_block),
		T(test_sources_kept),
		T(test_default_anywhere),
		T(test_undefined_name),
		T(test_used_before_define),
		T(test_duplicate_define),
		T(test_mixed_define),
		T(test_mixed_define_address_first),
		T(test_service_redefined),
		T(test_default_twice),
		T(test_same_prefix_twice_in_block),
		T(test_same_prefix_two_blocks),
		T(test_empty_block_warning),
		T(test_unused_define_warning),
		T(test_from_wrong_family_error),
		T(test_from_wrong_family_warning),
		T(test_wrong_kind_of_define),
		T(test_port_errors),
		T(test_icmp_errors),
		T(test_huge_numbers_quoted_as_written),
		T(test_icmp_and_sources_disjoint),
	};
#undef T
	return cmocka_run_group_tests_name("sema", tests, NULL, NULL);
}

/*
 * test_delta.c - delta.c: the commands between two of d6c's scripts.  The
 * scripts are written the way emit_text.c writes them; the differential
 * test (tests/diff, format delta) loads real deltas into a kernel and
 * compares the table with a fresh load.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/delta.h"

#define HEAD "#!/usr/sbin/nft -f\n# Generated\n\ntable inet d6c\ndelete table inet d6c\n\n" \
	     "table inet d6c {\n"
#define FORWARD "\tchain forward {\n" \
		"\t\ttype filter hook forward priority filter - 1; policy accept;\n" \
		"\t\tip6 daddr vmap @dispatch6 comment \"p.pol: IPv6 networks\"\n" \
		"\t}\n"
#define NET(name, line, port) "\n\tchain " name " {\n" \
		"\t\tcomment \"network at p.pol:" line "\"\n" \
		"\t\ttcp dport " port " accept comment \"p.pol:" line "\"\n" \
		"\t\tdrop comment \"p.pol:" line " default\"\n" \
		"\t}\n"
#define MAP(elems) "\tmap dispatch6 {\n\t\ttype ipv6_addr : verdict\n\t\tflags interval\n" \
		   "\t\telements = {\n" elems "\t\t}\n\t}\n\n"

static const char base[] = HEAD MAP("\t\t\t2001:db8::/64 : jump net_1,\n"
				    "\t\t\t2001:db8:1::/64 : jump net_2,\n")
	FORWARD NET("net_1", "1", "22") NET("net_2", "2", "80") "}\n";

/* The delta, or "NONE: why". */
static char *delta(const char *a, const char *b, struct delta_stats *st)
{
	const char *why;
	char *d = delta_script(a, b, st, &why);
	if (d)
		return d;
	size_t n = strlen(why) + 8;
	d = malloc(n);
	snprintf(d, n, "NONE: %s", why);
	return d;
}

static void test_same(void **state)
{
	(void)state;
	struct delta_stats st;
	char *d = delta(base, base, &st);
	assert_string_equal(d, "");
	char what[128];
	delta_describe(&st, what, sizeof(what));
	assert_string_equal(what, "no change");
	free(d);
}

/* A network added whose rules are new, one whose range moved. */
static void test_elements_and_chain_added(void **state)
{
	(void)state;
	static const char next[] = HEAD MAP("\t\t\t2001:db8::/64 : jump net_1,\n"
					    "\t\t\t2001:db8:1::/64 : jump net_3,\n"
					    "\t\t\t2001:db8:2::/64 : jump net_2,\n")
		FORWARD NET("net_1", "1", "22") NET("net_2", "2", "80")
		NET("net_3", "3", "443") "}\n";
	struct delta_stats st;
	char *d = delta(base, next, &st);
	assert_string_equal(d,
		"delete element inet d6c dispatch6 { 2001:db8:1::/64 }\n"
		"table inet d6c {\n"
		"\tmap dispatch6 {\n"
		"\t\ttype ipv6_addr : verdict\n"
		"\t\tflags interval\n"
		"\t\telements = { 2001:db8:1::/64 : jump net_3, 2001:db8:2::/64 : jump net_2 }\n"
		"\t}\n"
		"\tchain net_3 {\n"
		"\t\tcomment \"network at p.pol:3\"\n"
		"\t\ttcp dport 443 accept comment \"p.pol:3\"\n"
		"\t\tdrop comment \"p.pol:3 default\"\n"
		"\t}\n"
		"}\n");
	char what[128];
	delta_describe(&st, what, sizeof(what));
	assert_string_equal(what, "1 chain added, 2 elements added, 1 element removed");
	free(d);
}

/* Rules changed: the chain is flushed and filled with its rules alone (its
 * comment stays); removed: deleted after the elements that jump to it. */
static void test_replaced_and_deleted(void **state)
{
	(void)state;
	static const char next[] = HEAD MAP("\t\t\t2001:db8::/64 : jump net_1,\n")
		FORWARD NET("net_1", "1", "2222") "}\n";
	struct delta_stats st;
	char *d = delta(base, next, &st);
	assert_string_equal(d,
		"delete element inet d6c dispatch6 { 2001:db8:1::/64 }\n"
		"flush chain inet d6c net_1\n"
		"flush chain inet d6c net_2\n"
		"delete chain inet d6c net_2\n"
		"table inet d6c {\n"
		"\tchain net_1 {\n"
		"\t\ttcp dport 2222 accept comment \"p.pol:1\"\n"
		"\t\tdrop comment \"p.pol:1 default\"\n"
		"\t}\n"
		"}\n");
	assert_int_equal(st.chains_replaced, 1);
	assert_int_equal(st.chains_deleted, 1);
	assert_int_equal(st.elems_removed, 1);
	free(d);
}

/* A chain's comment changed (its line moved): nftables cannot change it in
 * place, so the chain goes and comes back, and with it every element and
 * rule that jumps to it. */
static void test_recreated(void **state)
{
	(void)state;
	static const char before[] = HEAD MAP("\t\t\t2001:db8::/64 : jump net_1,\n")
		FORWARD NET("net_1", "1", "22")
		"\n\tchain other {\n\t\tjump net_1 comment \"x\"\n\t}\n}\n";
	static const char after[] = HEAD MAP("\t\t\t2001:db8::/64 : jump net_1,\n")
		FORWARD NET("net_1", "4", "22")
		"\n\tchain other {\n\t\tjump net_1 comment \"x\"\n\t}\n}\n";
	struct delta_stats st;
	char *d = delta(before, after, &st);
	assert_string_equal(d,
		"delete element inet d6c dispatch6 { 2001:db8::/64 }\n"
		"flush chain inet d6c net_1\n"
		"flush chain inet d6c other\n"
		"delete chain inet d6c net_1\n"
		"table inet d6c {\n"
		"\tmap dispatch6 {\n"
		"\t\ttype ipv6_addr : verdict\n"
		"\t\tflags interval\n"
		"\t\telements = { 2001:db8::/64 : jump net_1 }\n"
		"\t}\n"
		"\tchain net_1 {\n"
		"\t\tcomment \"network at p.pol:4\"\n"
		"\t\ttcp dport 22 accept comment \"p.pol:4\"\n"
		"\t\tdrop comment \"p.pol:4 default\"\n"
		"\t}\n"
		"\tchain other {\n"
		"\t\tjump net_1 comment \"x\"\n"
		"\t}\n"
		"}\n");
	assert_int_equal(st.chains_replaced, 2);
	assert_int_equal(st.chains_deleted, 0);
	free(d);
}

/* Sets and counters come and go whole; one-line sections too. */
static void test_sets_and_counters(void **state)
{
	(void)state;
	static const char before[] = HEAD "\tcounter net_1_1 { }\n" MAP("")
		"\tset old {\n\t\ttype ipv6_addr\n\t\telements = { 2001:db8::1, 2001:db8::2 }\n\t}\n"
		FORWARD "}\n";
	static const char after[] = HEAD "\tcounter net_1_2 { }\n" MAP("")
		"\tset new {\n\t\ttype ipv6_addr\n\t\telements = { 2001:db8::3 }\n\t}\n"
		FORWARD "}\n";
	struct delta_stats st;
	char *d = delta(before, after, &st);
	assert_string_equal(d,
		"delete counter inet d6c net_1_1\n"
		"delete set inet d6c old\n"
		"table inet d6c {\n"
		"\tcounter net_1_2 { }\n"
		"\tset new {\n\t\ttype ipv6_addr\n\t\telements = { 2001:db8::3 }\n\t}\n"
		"}\n");
	assert_int_equal(st.sets_added, 1);
	assert_int_equal(st.sets_deleted, 1);
	assert_int_equal(st.counters_added, 1);
	assert_int_equal(st.counters_deleted, 1);
	free(d);
}

/* The table as nft lists it (apply's second way, when it has no record of
 * its last commit): elements run on over lines, a counter shows its
 * values; neither is a change. */
static void test_from_listing(void **state)
{
	(void)state;
	static const char listed[] = "table inet d6c {\n"
		"\tcounter net_1_1 {\n\t\tpackets 12 bytes 960\n\t}\n\n"
		"\tmap dispatch6 {\n\t\ttype ipv6_addr : verdict\n\t\tflags interval\n"
		"\t\telements = { 2001:db8::/64 : jump net_1,\n"
		"\t\t\t     2001:db8:1::/64 : jump net_2 }\n\t}\n\n"
		FORWARD NET("net_1", "1", "22") NET("net_2", "2", "80") "}\n";
	static const char script[] = HEAD "\tcounter net_1_1 { }\n" MAP("\t\t\t2001:db8::/64 : jump net_1,\n"
		"\t\t\t2001:db8:1::/64 : jump net_2,\n")
		FORWARD NET("net_1", "1", "22") NET("net_2", "2", "80") "}\n";
	struct delta_stats st;
	char *d = delta(listed, script, &st);
	assert_string_equal(d, "");
	free(d);
	/* nft lists --priority -5 as "filter - 5" */
	static const char listed5[] = "table inet d6c {\n\tchain forward {\n"
		"\t\ttype filter hook forward priority filter - 5; policy accept;\n\t}\n}\n";
	static const char script5[] = HEAD "\tchain forward {\n"
		"\t\ttype filter hook forward priority -5; policy accept;\n\t}\n}\n";
	static const char script4[] = HEAD "\tchain forward {\n"
		"\t\ttype filter hook forward priority -4; policy accept;\n\t}\n}\n";
	d = delta(listed5, script5, &st);
	assert_string_equal(d, "");
	free(d);
	d = delta(listed5, script4, &st);
	assert_string_equal(d, "NONE: a base chain changed its hook, type or priority");
	free(d);
}

/* What a delta cannot do: the whole table is replaced instead. */
static void test_no_delta(void **state)
{
	(void)state;
	struct delta_stats st;
	static const char hook[] = HEAD MAP("\t\t\t2001:db8::/64 : jump net_1,\n"
					    "\t\t\t2001:db8:1::/64 : jump net_2,\n")
		"\tchain forward {\n"
		"\t\ttype filter hook forward priority filter - 5; policy accept;\n"
		"\t\tip6 daddr vmap @dispatch6 comment \"p.pol: IPv6 networks\"\n"
		"\t}\n" NET("net_1", "1", "22") NET("net_2", "2", "80") "}\n";
	char *d = delta(base, hook, &st);
	assert_string_equal(d, "NONE: a base chain changed its hook, type or priority");
	free(d);
	static const char type[] = HEAD "\tmap dispatch6 {\n\t\ttype ipv4_addr : verdict\n"
		"\t\tflags interval\n\t\telements = {\n\t\t}\n\t}\n\n" FORWARD "}\n";
	d = delta(base, type, &st);
	assert_string_equal(d, "NONE: a map or set changed its type or flags");
	free(d);
	static const char table[] = HEAD "\tcomment \"x\"\n" FORWARD "}\n";
	d = delta(base, table, &st);
	assert_string_equal(d, "NONE: the table's own settings changed");
	free(d);
	d = delta(base, "table inet d6c {\n", &st);
	assert_string_equal(d, "NONE: a script could not be read");
	free(d);
}

/* A delta that would remove more than DELTA_MAX_REMOVED elements is none:
 * nft 1.0.6 would take minutes over it. */
static void test_too_many_removed(void **state)
{
	(void)state;
	size_t cap = 64 * (size_t)(DELTA_MAX_REMOVED + 2) + 1024;
	char *big = malloc(cap), *small = malloc(cap);
	for (int n = DELTA_MAX_REMOVED; n <= DELTA_MAX_REMOVED + 1; n++) {
		size_t at = (size_t)snprintf(big, cap, HEAD "\tmap dispatch6 {\n\t\ttype ipv6_addr : "
					     "verdict\n\t\tflags interval\n\t\telements = {\n");
		for (int i = 0; i < n; i++)
			at += (size_t)snprintf(big + at, cap - at, "\t\t\t2001:db8:%x::/64 : jump "
					       "net_1,\n", i);
		snprintf(big + at, cap - at, "\t\t}\n\t}\n\n" FORWARD NET("net_1", "1", "22") "}\n");
		snprintf(small, cap, "%s", HEAD MAP("") FORWARD NET("net_1", "1", "22") "}\n");
		struct delta_stats st;
		char *d = delta(big, small, &st);
		if (n == DELTA_MAX_REMOVED)
			assert_int_equal(st.elems_removed, n);
		else
			assert_string_equal(d, "NONE: more map elements would go than a delta "
					       "removes in good time");
		free(d);
	}
	free(big);
	free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_elements_and_chain_added),
		cmocka_unit_test(test_replaced_and_deleted),
		cmocka_unit_test(test_recreated),
		cmocka_unit_test(test_sets_and_counters),
		cmocka_unit_test(test_from_listing),
		cmocka_unit_test(test_no_delta),
		cmocka_unit_test(test_too_many_removed),
	};
	return cmocka_run_group_tests_name("delta", tests, NULL, NULL);
}

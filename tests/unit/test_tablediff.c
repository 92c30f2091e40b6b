/*
 * test_tablediff.c - record.c (the line in d6c's record chain),
 * listing.c (nft's listing read back) and tablediff.c (two listings
 * compared in the policy's terms).  The listings are written as nft 1.0.6
 * prints d6c's tables; tests/e2e/0015 compares real ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/listing.h"
#include "compiler/record.h"
#include "compiler/tablediff.h"

static void test_record_round_trip(void **state)
{
	(void)state;
	struct table_record r = { .has_priority = true, .priority = -5, .mark = 0x10000000,
				  .mask = 0x10000000, .counters = true };
	snprintf(r.version, sizeof(r.version), "%s", "1.2.3");
	record_time(1796012345, r.applied);
	assert_string_equal(r.applied, "2026-11-30T04:19:05Z");
	assert_int_equal(record_time_parse(r.applied), 1796012345);
	snprintf(r.hash, sizeof(r.hash), "%s", "0123456789abcdef");
	snprintf(r.policy, sizeof(r.policy), "%s", "/etc/d6c/site.pol");
	char c[RECORD_MAX];
	record_format(&r, c, sizeof(c));
	assert_string_equal(c, "d6c/1 1.2.3 2026-11-30T04:19:05Z 0123456789abcdef p=-5 "
			       "m=0x10000000/0x10000000 c /etc/d6c/site.pol");
	struct table_record back;
	assert_int_equal(record_parse(c, &back), 0);
	assert_string_equal(back.version, "1.2.3");
	assert_true(back.has_priority);
	assert_int_equal(back.priority, -5);
	assert_int_equal(back.mask, 0x10000000);
	assert_true(back.counters);
	assert_string_equal(back.policy, "/etc/d6c/site.pol");
	assert_false(back.shortened);
	/* a path with spaces is the rest of the line */
	assert_int_equal(record_parse("d6c/1 1 2026-11-30T04:19:05Z 0123456789abcdef /srv/my "
				      "policies/a.pol", &back), 0);
	assert_string_equal(back.policy, "/srv/my policies/a.pol");
}

static void test_record_long_path(void **state)
{
	(void)state;
	struct table_record r = { 0 };
	snprintf(r.version, sizeof(r.version), "%s", "1.2.3");
	snprintf(r.applied, sizeof(r.applied), "%s", "2026-11-30T04:19:05Z");
	snprintf(r.hash, sizeof(r.hash), "%s", "0123456789abcdef");
	memset(r.policy, 'a', 100);
	memcpy(r.policy + 100, "/site.pol", 10);
	char c[RECORD_MAX];
	record_format(&r, c, sizeof(c));
	assert_int_equal(strlen(c), RECORD_MAX - 1);   /* nftables' limit, whole */
	assert_true(r.shortened);
	struct table_record back;
	assert_int_equal(record_parse(c, &back), 0);
	assert_true(back.shortened);
	assert_int_equal(strncmp(back.policy, "...", 3), 0);
	assert_string_equal(back.policy + strlen(back.policy) - 9, "/site.pol");
}

static void test_record_foreign(void **state)
{
	(void)state;
	struct table_record r;
	assert_int_equal(record_parse("", &r), -1);
	assert_int_equal(record_parse("my own table", &r), -1);
	assert_int_equal(record_parse("d6c/2 1 2026-11-30T04:19:05Z 0123456789abcdef /a", &r), -1);
	assert_int_equal(record_parse("d6c/1 1 yesterday 0123456789abcdef /a", &r), -1);
	assert_int_equal(record_parse("d6c/1 1 2026-11-30T04:19:05Z 0123 /a", &r), -1);
	assert_int_equal(record_parse("d6c/1 1 2026-11-30T04:19:05Z 0123456789abcdef", &r), -1);
	assert_int_equal(record_parse("d6c/1 1 2026-11-30T04:19:05Z 0123456789abcdef m=1 /a", &r),
			 -1);
}

static void test_record_hash_and_insert(void **state)
{
	(void)state;
	const char *a = "#!/usr/sbin/nft -f\n# from a.pol\n\ntable inet d6c\ndelete table inet d6c\n\n"
			"table inet d6c {\n\tchain forward {\n\t}\n}\n";
	const char *b = "#!/usr/sbin/nft -f\n# from /elsewhere/b.pol\n\ntable inet d6c\ndelete table "
			"inet d6c\n\ntable inet d6c {\n\tchain forward {\n\t}\n}\n";
	char ha[RECORD_HASH_HEX + 1], hb[RECORD_HASH_HEX + 1];
	record_hash(a, ha);
	record_hash(b, hb);
	assert_string_equal(ha, hb);   /* the header is not the ruleset */
	assert_int_equal(strlen(ha), 16);
	char *with = record_insert(a, "d6c", "d6c/1 x");
	assert_non_null(strstr(with, "table inet d6c {\n\tchain record {\n\t\treturn comment "
				     "\"d6c/1 x\"\n\t}\n\n\tchain forward"));
	free(with);
	assert_null(record_insert(a, "other", "x"));
}

/* The record chain as nft lists it, taken out of the listing. */
static void test_record_take(void **state)
{
	(void)state;
	char listing[] = "table inet d6c {\n"
			 "\tchain forward {\n\t\tdrop\n\t}\n\n"
			 "\tchain record {\n\t\treturn comment \"d6c/1 0.1.0 x\"\n\t}\n"
			 "}\n";
	char c[RECORD_MAX];
	assert_int_equal(record_take(listing, c, sizeof(c)), 0);
	assert_string_equal(c, "d6c/1 0.1.0 x");
	assert_string_equal(listing, "table inet d6c {\n\tchain forward {\n\t\tdrop\n\t}\n}\n");
	char first[] = "table inet d6c {\n"
		       "\tchain record {\n\t\treturn comment \"d6c/1 y\"\n\t}\n\n"
		       "\tchain forward {\n\t}\n}\n";
	assert_int_equal(record_take(first, c, sizeof(c)), 0);
	assert_string_equal(c, "d6c/1 y");
	assert_string_equal(first, "table inet d6c {\n\tchain forward {\n\t}\n}\n");
	char none[] = "table inet d6c {\n\tchain forward {\n\t}\n}\n";
	assert_int_equal(record_take(none, c, sizeof(c)), -1);
	assert_string_equal(c, "");
}

/* A live table: two networks, the second sharing nothing. */
static const char live[] =
	"table inet d6c {\n"
	"\tcomment \"d6c/1 0.1.0 2026-12-07T04:41:06Z 823e3967ffcd2e4f /etc/d6c/site.pol\"\n"
	"\tmap dispatch6 {\n"
	"\t\ttype ipv6_addr : verdict\n"
	"\t\tflags interval\n"
	"\t\telements = { 2001:db8::/64 : jump net_1,\n"
	"\t\t\t     2001:db8:1::/64 : jump net_2 }\n"
	"\t}\n"
	"\n"
	"\tchain forward {\n"
	"\t\ttype filter hook forward priority filter - 1; policy accept;\n"
	"\t\tct state established,related accept comment \"site.pol: replies to allowed connections\"\n"
	"\t\tip6 daddr vmap @dispatch6 comment \"site.pol: IPv6 networks\"\n"
	"\t}\n"
	"\n"
	"\tchain net_1 {\n"
	"\t\tcomment \"network at site.pol:1\"\n"
	"\t\ttcp dport 22 accept comment \"site.pol:2\"\n"
	"\t\tlog prefix \"d6c site.pol:3 \" drop comment \"site.pol:3\"\n"
	"\t}\n"
	"\n"
	"\tchain net_2 {\n"
	"\t\tcomment \"network at site.pol:5\"\n"
	"\t\ttcp dport 80 accept comment \"site.pol:5\"\n"
	"\t}\n"
	"}\n";

static void parse(struct arena *a, const char *text, struct listing *l)
{
	assert_int_equal(listing_parse(a, text, l), 0);
}

static void test_listing(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct listing l;
	parse(&a, live, &l);
	assert_string_equal(l.table, "inet d6c");
	assert_int_equal(strncmp(l.comment, "d6c/1 0.1.0", 11), 0);
	assert_int_equal(l.nchains, 3);
	assert_int_equal(l.nsets, 1);
	assert_int_equal(l.sets[0].nelems, 2);
	assert_string_equal(l.sets[0].elems[1], "2001:db8:1::/64 : jump net_2");
	const struct listing_chain *c = listing_chain(&l, "net_1");
	assert_non_null(c);
	assert_string_equal(c->comment, "network at site.pol:1");
	assert_int_equal(c->nrules, 2);
	assert_string_equal(c->rules[1].text, "log prefix \"d6c site.pol:3 \" drop");
	assert_string_equal(c->rules[1].key, "log prefix drop");
	assert_string_equal(c->rules[1].prefix, "d6c site.pol:3 ");
	assert_string_equal(c->rules[1].where, "site.pol:3");
	assert_string_equal(listing_chain(&l, "forward")->hook,
			    "type filter hook forward priority filter - 1; policy accept;");
	/* not one table */
	assert_int_equal(listing_parse(&a, "", &l), -1);
	assert_int_equal(listing_parse(&a, "table inet d6c {\n", &l), -1);
	assert_int_equal(listing_parse(&a, "table inet a {\n}\ntable inet b {\n}\n", &l), -1);
	arena_free(&a);
}

/* live with `from` replaced by `to` (once each). */
static char *edit(const char *from, const char *to)
{
	const char *at = strstr(live, from);
	assert_non_null(at);
	size_t n = strlen(live) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);
	snprintf(out, n, "%.*s%s%s", (int)(at - live), live, to, at + strlen(from));
	return out;
}

static void test_same_and_moved(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct listing o, n;
	struct table_diff d;
	parse(&a, live, &o);
	/* no record, another spelling of the same file: the same */
	char *t = edit("\tcomment \"d6c/1 0.1.0 2026-12-07T04:41:06Z 823e3967ffcd2e4f /etc/d6c/site.pol\"\n",
		       "");
	parse(&a, t, &n);
	tablediff(&a, &o, &n, &d);
	assert_true(tablediff_same(&d));
	free(t);
	t = edit("comment \"site.pol:2\"", "comment \"/srv/x/site.pol:2\"");
	parse(&a, t, &n);
	tablediff(&a, &o, &n, &d);
	assert_true(tablediff_same(&d));
	free(t);
	/* a rule at another line: moved, not changed */
	t = edit("log prefix \"d6c site.pol:3 \" drop comment \"site.pol:3\"",
		 "log prefix \"d6c site.pol:4 \" drop comment \"site.pol:4\"");
	parse(&a, t, &n);
	tablediff(&a, &o, &n, &d);
	assert_false(tablediff_same(&d));
	assert_true(tablediff_moved_only(&d));
	assert_int_equal(d.moved, 1);
	assert_int_equal(d.changed, 0);
	free(t);
	/* chains renamed: networks are matched by range */
	t = edit("jump net_1,", "jump net_7,");
	char *t2 = malloc(strlen(t) + 1);
	memcpy(t2, t, strlen(t) + 1);
	char *c = strstr(t2, "chain net_1 {");
	c[10] = '7';
	parse(&a, t2, &n);
	tablediff(&a, &o, &n, &d);
	assert_true(tablediff_same(&d));
	free(t);
	free(t2);
	arena_free(&a);
}

static void test_changed_added_removed(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct listing o, n;
	struct table_diff d;
	parse(&a, live, &o);
	/* a port changed in net_1 */
	char *t = edit("tcp dport 22 accept", "tcp dport 2222 accept");
	parse(&a, t, &n);
	tablediff(&a, &o, &n, &d);
	assert_int_equal(d.changed, 1);
	assert_int_equal(d.nblocks, 1);
	assert_int_equal(d.blocks[0].kind, TD_CHANGED);
	assert_string_equal(d.blocks[0].where, "network at site.pol:1");
	assert_int_equal(d.blocks[0].nlines, 2);
	assert_int_equal(d.blocks[0].lines[0].sign, '+');
	assert_string_equal(d.blocks[0].lines[0].text, "tcp dport 2222 accept");
	assert_int_equal(d.blocks[0].lines[1].sign, '-');
	assert_string_equal(d.blocks[0].lines[1].where, "site.pol:2");
	free(t);
	/* net_2's range moved to another /64: removed and added */
	t = edit("2001:db8:1::/64 : jump net_2", "2001:db8:9::/64 : jump net_2");
	parse(&a, t, &n);
	tablediff(&a, &o, &n, &d);
	assert_int_equal(d.added, 1);
	assert_int_equal(d.removed, 1);
	assert_int_equal(d.changed, 0);
	for (int i = 0; i < d.nblocks; i++) {
		assert_int_equal(d.blocks[i].nranges, 1);
		assert_string_equal(d.blocks[i].ranges[0], d.blocks[i].kind == TD_ADDED
			? "2001:db8:9::/64" : "2001:db8:1::/64");
	}
	free(t);
	/* net_2 narrowed to a /65 that overlaps: changed, its ranges said */
	t = edit("2001:db8:1::/64 : jump net_2", "2001:db8:1::/65 : jump net_2");
	parse(&a, t, &n);
	tablediff(&a, &o, &n, &d);
	assert_int_equal(d.changed, 1);
	assert_int_equal(d.added + d.removed, 0);
	assert_int_equal(d.blocks[0].nranges, 2);
	assert_string_equal(d.blocks[0].ranges[0], "+2001:db8:1::/65");
	assert_string_equal(d.blocks[0].ranges[1], "-2001:db8:1::/64");
	free(t);
	/* the forward chain's priority: a table-wide change */
	t = edit("priority filter - 1;", "priority filter - 5;");
	parse(&a, t, &n);
	tablediff(&a, &o, &n, &d);
	assert_int_equal(d.nblocks, 0);
	assert_int_equal(d.nwide, 2);
	assert_false(tablediff_same(&d));
	free(t);
	/* against no table at all: everything is added */
	struct listing empty = { .comment = "" };
	tablediff(&a, &empty, &o, &d);
	assert_int_equal(d.added, 2);
	assert_int_equal(d.nwide, 3);   /* the hook and two rules of forward */
	arena_free(&a);
}

/* Two networks whose rules share a set of sources (ir_sets.c), as nft
 * lists it: the set is compared by name and elements, like the maps. */
static const char with_set[] =
	"table inet d6c {\n"
	"\tset s6_fd76fa00826c {\n"
	"\t\ttype ipv6_addr\n"
	"\t\tflags interval\n"
	"\t\telements = { 2001:db8:ad00::/48,\n"
	"\t\t\t     2001:db8:ad01::/48,\n"
	"\t\t\t     2001:db8:ad02::/48 }\n"
	"\t}\n"
	"\n"
	"\tmap dispatch6 {\n"
	"\t\ttype ipv6_addr : verdict\n"
	"\t\tflags interval\n"
	"\t\telements = { 2001:db8::/64 : jump net_1,\n"
	"\t\t\t     2001:db8:1::/64 : jump net_2 }\n"
	"\t}\n"
	"\n"
	"\tchain forward {\n"
	"\t\ttype filter hook forward priority filter - 1; policy accept;\n"
	"\t\tip6 daddr vmap @dispatch6 comment \"site.pol: IPv6 networks\"\n"
	"\t}\n"
	"\n"
	"\tchain net_1 {\n"
	"\t\tcomment \"network at site.pol:2\"\n"
	"\t\tip6 saddr @s6_fd76fa00826c tcp dport 22 accept comment \"site.pol:2\"\n"
	"\t}\n"
	"\n"
	"\tchain net_2 {\n"
	"\t\tcomment \"network at site.pol:3\"\n"
	"\t\tip6 saddr @s6_fd76fa00826c tcp dport 80 accept comment \"site.pol:3\"\n"
	"\t}\n"
	"}\n";

/* text with every `from` replaced by `to` */
static char *replace_all(const char *text, const char *from, const char *to)
{
	size_t cap = strlen(text) * 2 + 1, n = 0;
	char *out = malloc(cap);
	for (const char *p = text; *p;) {
		if (strncmp(p, from, strlen(from)) == 0) {
			n += (size_t)snprintf(out + n, cap - n, "%s", to);
			p += strlen(from);
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

static void test_shared_set(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct listing o, n;
	struct table_diff d;
	parse(&a, with_set, &o);
	assert_int_equal(o.nsets, 2);
	const struct listing_set *s = listing_set(&o, "set", "s6_fd76fa00826c");
	assert_non_null(s);
	assert_string_equal(s->head, "type ipv6_addr; flags interval");
	assert_int_equal(s->nelems, 3);
	assert_string_equal(s->elems[2], "2001:db8:ad02::/48");
	/* the same table: nothing */
	parse(&a, with_set, &n);
	tablediff(&a, &o, &n, &d);
	assert_true(tablediff_same(&d));
	/* the list changed: a set of another name, both rules changed, the
	 * old set removed and the new one added */
	char *t = replace_all(with_set, "s6_fd76fa00826c", "s6_0123456789ab");
	char *t2 = replace_all(t, "2001:db8:ad02::/48", "2001:db8:ad03::/48");
	parse(&a, t2, &n);
	tablediff(&a, &o, &n, &d);
	assert_int_equal(d.changed, 2);
	assert_int_equal(d.nwide, 0);
	assert_int_equal(d.nsets, 2);
	for (int i = 0; i < d.nsets; i++) {
		assert_string_equal(d.sets[i].kind, "set");
		assert_true(d.sets[i].added != d.sets[i].removed);
		assert_string_equal(d.sets[i].name, d.sets[i].added ? "s6_0123456789ab"
								    : "s6_fd76fa00826c");
	}
	free(t);
	free(t2);
	/* one more network with the same list: the set is unchanged */
	t = replace_all(with_set, "jump net_2 }", "jump net_2,\n\t\t\t     2001:db8:2::/64 : jump net_2 }");
	parse(&a, t, &n);
	tablediff(&a, &o, &n, &d);
	assert_int_equal(d.nsets, 0);
	assert_int_equal(d.changed, 1);
	free(t);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_round_trip),
		cmocka_unit_test(test_record_long_path),
		cmocka_unit_test(test_record_foreign),
		cmocka_unit_test(test_record_hash_and_insert),
		cmocka_unit_test(test_record_take),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_same_and_moved),
		cmocka_unit_test(test_changed_added_removed),
		cmocka_unit_test(test_shared_set),
	};
	return cmocka_run_group_tests_name("tablediff", tests, NULL, NULL);
}

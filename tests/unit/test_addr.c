/*
 * test_addr.c - addr.c: parsing, printing and comparing prefixes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/addr.h"
#include "compiler/arena.h"

struct fx {
	struct arena a;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	arena_init(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_free(&f->a);
	free(f);
	return 0;
}

static u128 mk(uint64_t hi, uint64_t lo)
{
	return ((u128)hi << 64) | lo;
}

#define assert_u128_equal(got, want)                                                   \
	do {                                                                           \
		u128 g_ = (got), w_ = (want);                                          \
		if (g_ != w_)                                                          \
			fail_msg("%s: got %016llx%016llx, want %016llx%016llx", #got,   \
				 (unsigned long long)(g_ >> 64), (unsigned long long)g_, \
				 (unsigned long long)(w_ >> 64), (unsigned long long)w_); \
	} while (0)

static struct prefix must_parse(const char *text)
{
	struct prefix p;
	enum addr_err e = addr_parse(text, &p);
	if (e != ADDR_OK)
		fail_msg("addr_parse(%s) failed: error %d", text, e);
	return p;
}

/* ---- addr_parse: good ---- */

struct good {
	const char *text;
	int family;
	int len;
	const char *canon;  /* addr_format */
	uint64_t hi, lo;    /* the address as a 128-bit integer (IPv4: lo only) */
};

static const struct good good_cases[] = {
	{ "2001:db8::/64", FAM_IP6, 64, "2001:db8::/64", 0x20010db800000000ull, 0 },
	{ "2001:db8::/32", FAM_IP6, 32, "2001:db8::/32", 0x20010db800000000ull, 0 },
	{ "::", FAM_IP6, 128, "::", 0, 0 },
	{ "::/0", FAM_IP6, 0, "::/0", 0, 0 },
	{ "::/128", FAM_IP6, 128, "::", 0, 0 },
	{ "::1", FAM_IP6, 128, "::1", 0, 1 },
	{ "::1/128", FAM_IP6, 128, "::1", 0, 1 },
	{ "1::", FAM_IP6, 128, "1::", 0x0001000000000000ull, 0 },
	{ "::ffff:192.0.2.1", FAM_IP6, 128, "::ffff:192.0.2.1", 0, 0x0000ffffc0000201ull },
	{ "::FFFF:192.0.2.1", FAM_IP6, 128, "::ffff:192.0.2.1", 0, 0x0000ffffc0000201ull },
	{ "::ffff:0:0/96", FAM_IP6, 96, "::ffff:0.0.0.0/96", 0, 0x0000ffff00000000ull },
	{ "::ffff:192.0.2.0/120", FAM_IP6, 120, "::ffff:192.0.2.0/120", 0, 0x0000ffffc0000200ull },
	{ "2001:db8::192.0.2.1", FAM_IP6, 128, "2001:db8::c000:201", 0x20010db800000000ull,
	  0x00000000c0000201ull },
	{ "2001:DB8::1", FAM_IP6, 128, "2001:db8::1", 0x20010db800000000ull, 1 },
	{ "2001:DB8:ABCD::/48", FAM_IP6, 48, "2001:db8:abcd::/48", 0x20010db8abcd0000ull, 0 },
	{ "2001:0db8:0000:0000:0000:0000:0000:0001", FAM_IP6, 128, "2001:db8::1",
	  0x20010db800000000ull, 1 },
	{ "2001:db8:0:0:1:0:0:1", FAM_IP6, 128, "2001:db8::1:0:0:1", 0x20010db800000000ull,
	  0x0001000000000001ull },
	{ "1:2:3:4:5:6:7:8", FAM_IP6, 128, "1:2:3:4:5:6:7:8", 0x0001000200030004ull,
	  0x0005000600070008ull },
	/* Leading zeros in the length, as in every other number. */
	{ "2001:db8::/064", FAM_IP6, 64, "2001:db8::/64", 0x20010db800000000ull, 0 },
	{ "2001:db8::1/0128", FAM_IP6, 128, "2001:db8::1", 0x20010db800000000ull, 1 },
	{ "::/000", FAM_IP6, 0, "::/0", 0, 0 },
	{ "192.0.2.0/024", FAM_IP4, 24, "192.0.2.0/24", 0, 0xc0000200u },
	{ "fe80::/10", FAM_IP6, 10, "fe80::/10", 0xfe80000000000000ull, 0 },
	{ "2001:db8:0:1::/64", FAM_IP6, 64, "2001:db8:0:1::/64", 0x20010db800000001ull, 0 },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", FAM_IP6, 128,
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", ~0ull, ~0ull },
	{ "192.0.2.1", FAM_IP4, 32, "192.0.2.1", 0, 0xc0000201u },
	{ "192.0.2.1/32", FAM_IP4, 32, "192.0.2.1", 0, 0xc0000201u },
	{ "192.0.2.0/24", FAM_IP4, 24, "192.0.2.0/24", 0, 0xc0000200u },
	{ "198.51.100.128/25", FAM_IP4, 25, "198.51.100.128/25", 0, 0xc6336480u },
	{ "10.0.0.0/8", FAM_IP4, 8, "10.0.0.0/8", 0, 0x0a000000u },
	{ "0.0.0.0/0", FAM_IP4, 0, "0.0.0.0/0", 0, 0 },
	{ "0.0.0.0", FAM_IP4, 32, "0.0.0.0", 0, 0 },
	{ "255.255.255.255", FAM_IP4, 32, "255.255.255.255", 0, 0xffffffffu },
};

static void test_parse_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		const struct good *c = &good_cases[i];
		struct prefix p;
		enum addr_err e = addr_parse(c->text, &p);
		if (e != ADDR_OK)
			fail_msg("addr_parse(%s) failed: error %d", c->text, e);
		if (p.family != c->family || p.len != c->len)
			fail_msg("addr_parse(%s): family %d len %d, want %d %d", c->text, p.family,
				 p.len, c->family, c->len);
		char buf[ADDR_STRLEN];
		addr_format(&p, buf);
		if (strcmp(buf, c->canon) != 0)
			fail_msg("addr_format(%s) = '%s', want '%s'", c->text, buf, c->canon);
		assert_u128_equal(addr_first(&p), mk(c->hi, c->lo));
		if (c->family == FAM_IP4)
			for (int b = 4; b < 16; b++)
				assert_int_equal(p.addr[b], 0);
	}
}

/* ---- addr_parse: bad ---- */

struct bad {
	const char *text;
	enum addr_err err;
	const char *msg;  /* substring of the message */
};

static const struct bad bad_cases[] = {
	{ "192.0.2.010", ADDR_ERR_INVALID, "'192.0.2.010' is not a valid IPv4 address" },
	{ "2001:db8:::1", ADDR_ERR_INVALID, "'2001:db8:::1' is not a valid IPv6 address" },
	{ "2001:db8:::1/64", ADDR_ERR_INVALID, "'2001:db8:::1' is not a valid IPv6 address" },
	{ "256.1.1.1", ADDR_ERR_INVALID, "is not a valid IPv4 address" },
	{ "1.2.3", ADDR_ERR_INVALID, "is not a valid IPv4 address" },
	{ "1.2.3.4.5", ADDR_ERR_INVALID, "is not a valid IPv4 address" },
	{ "1:2:3:4:5:6:7:8:9", ADDR_ERR_INVALID, "is not a valid IPv6 address" },
	{ "2001:db8::g", ADDR_ERR_INVALID, "is not a valid IPv6 address" },
	{ ":", ADDR_ERR_INVALID, "is not a valid IPv6 address" },
	{ "2001:db8::/129", ADDR_ERR_LEN_RANGE, "prefix length '/129' is out of range for IPv6 (0-128)" },
	{ "::/1000", ADDR_ERR_LEN_RANGE, "is out of range for IPv6 (0-128)" },
	{ "2001:db8::/", ADDR_ERR_LEN_MISSING, "prefix length is missing after '/' in 2001:db8::/" },
	{ "192.0.2.0/0033", ADDR_ERR_LEN_RANGE, "prefix length '/0033' is out of range for IPv4 (0-32)" },
	{ "192.0.2.0/33", ADDR_ERR_LEN_RANGE, "prefix length '/33' is out of range for IPv4 (0-32)" },
	{ "192.0.2.0/", ADDR_ERR_LEN_MISSING, "prefix length is missing after '/' in 192.0.2.0/" },
	{ "192.0.2.0/2a", ADDR_ERR_LEN_RANGE, "is out of range for IPv4" },
	{ "192.0.2.0/-1", ADDR_ERR_LEN_RANGE, "is out of range for IPv4" },
	{ "2001:db8::1/64", ADDR_ERR_HOST_BITS,
	  "host bits set in 2001:db8::1/64; did you mean 2001:db8::/64?" },
	{ "2001:db8:0:1::/63", ADDR_ERR_HOST_BITS, "did you mean 2001:db8::/63?" },
	{ "::1/0", ADDR_ERR_HOST_BITS, "did you mean ::/0?" },
	{ "::ffff:192.0.2.1/96", ADDR_ERR_HOST_BITS, "did you mean ::ffff:0.0.0.0/96?" },
	{ "2001:db8::1/127", ADDR_ERR_HOST_BITS, "did you mean 2001:db8::/127?" },
	{ "192.0.2.1/24", ADDR_ERR_HOST_BITS,
	  "host bits set in 192.0.2.1/24; did you mean 192.0.2.0/24?" },
	{ "10.1.2.3/0", ADDR_ERR_HOST_BITS, "did you mean 0.0.0.0/0?" },
	{ "192.0.2.129/25", ADDR_ERR_HOST_BITS, "did you mean 192.0.2.128/25?" },
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *c = &bad_cases[i];
		struct prefix p;
		enum addr_err e = addr_parse(c->text, &p);
		if (e == ADDR_OK)
			fail_msg("addr_parse(%s) accepted it", c->text);
		if (e != c->err)
			fail_msg("addr_parse(%s): error %d, want %d", c->text, e, c->err);
		char err[256];
		addr_error_message(e, c->text, err, sizeof(err));
		if (!strstr(err, c->msg))
			fail_msg("addr_parse(%s): message '%s' lacks '%s'", c->text, err, c->msg);
	}
}

/* ---- printing ---- */

static void test_format(void **state)
{
	(void)state;
	char buf[ADDR_STRLEN];
	struct prefix p = { .family = FAM_IP6, .len = 32,
			    .addr = { 0x20, 0x01, 0x0d, 0xb8 } };
	addr_format(&p, buf);
	assert_string_equal(buf, "2001:db8::/32");
	p.len = 128;
	p.addr[15] = 0x10;
	addr_format(&p, buf);
	assert_string_equal(buf, "2001:db8::10");

	struct prefix q = { .family = FAM_IP4, .len = 24, .addr = { 192, 0, 2, 0 } };
	addr_format(&q, buf);
	assert_string_equal(buf, "192.0.2.0/24");
	q.len = 32;
	q.addr[3] = 7;
	addr_format(&q, buf);
	assert_string_equal(buf, "192.0.2.7");
	q.len = 0;
	memset(q.addr, 0, sizeof(q.addr));
	addr_format(&q, buf);
	assert_string_equal(buf, "0.0.0.0/0");

	addr_format_u128(FAM_IP6, 1, buf);
	assert_string_equal(buf, "::1");
	addr_format_u128(FAM_IP6, mk(0x20010db800000000ull, 0x11), buf);
	assert_string_equal(buf, "2001:db8::11");
	addr_format_u128(FAM_IP6, mk(~0ull, ~0ull), buf);
	assert_string_equal(buf, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	addr_format_u128(FAM_IP4, 0xc0000201u, buf);
	assert_string_equal(buf, "192.0.2.1");
	addr_format_u128(FAM_IP4, 0xffffffffu, buf);
	assert_string_equal(buf, "255.255.255.255");
}

static void test_family_helpers(void **state)
{
	(void)state;
	assert_int_equal(addr_bits(FAM_IP4), 32);
	assert_int_equal(addr_bits(FAM_IP6), 128);
	assert_string_equal(addr_family_name(FAM_IP4), "IPv4");
	assert_string_equal(addr_family_name(FAM_IP6), "IPv6");
	struct prefix a = must_parse("2001:db8::/64");
	struct prefix b = must_parse("2001:DB8:0::/64");
	struct prefix c = must_parse("2001:db8::/65");
	assert_true(addr_equal(&a, &b));
	assert_false(addr_equal(&a, &c));
	struct prefix v4 = must_parse("0.0.0.0/0");
	struct prefix v6 = must_parse("::/0");
	assert_false(addr_equal(&v4, &v6));
}

/* ---- first / last ---- */

static void test_first_last(void **state)
{
	(void)state;
	struct prefix p = must_parse("2001:db8::/64");
	assert_u128_equal(addr_first(&p), mk(0x20010db800000000ull, 0));
	assert_u128_equal(addr_last(&p), mk(0x20010db800000000ull, ~0ull));

	p = must_parse("2001:db8::/32");
	assert_u128_equal(addr_last(&p), mk(0x20010db8ffffffffull, ~0ull));

	p = must_parse("2001:db8::/63");
	assert_u128_equal(addr_last(&p), mk(0x20010db800000001ull, ~0ull));

	p = must_parse("2001:db8::10");
	assert_u128_equal(addr_first(&p), mk(0x20010db800000000ull, 0x10));
	assert_u128_equal(addr_last(&p), mk(0x20010db800000000ull, 0x10));

	p = must_parse("::/0");
	assert_u128_equal(addr_first(&p), 0);
	assert_u128_equal(addr_last(&p), mk(~0ull, ~0ull));

	p = must_parse("::/1");
	assert_u128_equal(addr_last(&p), mk(0x7fffffffffffffffull, ~0ull));

	p = must_parse("192.0.2.0/24");
	assert_u128_equal(addr_first(&p), 0xc0000200u);
	assert_u128_equal(addr_last(&p), 0xc00002ffu);

	p = must_parse("0.0.0.0/0");
	assert_u128_equal(addr_first(&p), 0);
	assert_u128_equal(addr_last(&p), 0xffffffffu);

	p = must_parse("10.0.0.0/8");
	assert_u128_equal(addr_last(&p), 0x0affffffu);

	p = must_parse("192.0.2.7");
	assert_u128_equal(addr_first(&p), 0xc0000207u);
	assert_u128_equal(addr_last(&p), 0xc0000207u);
}

/* ---- covers ---- */

struct cover_case {
	const char *outer, *inner;
	bool want;
};

static const struct cover_case cover_cases[] = {
	{ "2001:db8::/32", "2001:db8:1::/48", true },
	{ "2001:db8:1::/48", "2001:db8::/32", false },
	{ "2001:db8::/64", "2001:db8::/64", true },
	{ "2001:db8::/64", "2001:db8::10", true },
	{ "2001:db8::/64", "2001:db8:0:1::1", false },
	{ "2001:db8:1::/48", "2001:db8:2::/48", false },
	{ "::/0", "2001:db8::1", true },
	{ "::/0", "::", true },
	{ "::/0", "0.0.0.0/0", false },
	{ "0.0.0.0/0", "::/0", false },
	{ "0.0.0.0/0", "192.0.2.1", true },
	{ "::ffff:0:0/96", "::ffff:192.0.2.1", true },
	{ "::ffff:0:0/96", "192.0.2.1", false },
	{ "192.0.2.0/24", "192.0.2.128/25", true },
	{ "192.0.2.0/25", "192.0.2.128/25", false },
	{ "192.0.2.0/24", "192.0.3.0/24", false },
	{ "10.0.0.0/8", "10.255.255.255", true },
};

static void test_covers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cover_cases) / sizeof(cover_cases[0]); i++) {
		const struct cover_case *c = &cover_cases[i];
		struct prefix o = must_parse(c->outer), in = must_parse(c->inner);
		if (addr_covers(&o, &in) != c->want)
			fail_msg("addr_covers(%s, %s) != %d", c->outer, c->inner, c->want);
	}
}

/* ---- range_prefix_len ---- */

static void test_range_prefix_len(void **state)
{
	(void)state;
	u128 all6 = mk(~0ull, ~0ull);
	assert_int_equal(addr_range_prefix_len(FAM_IP6, 0, all6), 0);
	assert_int_equal(addr_range_prefix_len(FAM_IP4, 0, 0xffffffffu), 0);
	assert_int_equal(addr_range_prefix_len(FAM_IP4, 0xc0000201u, 0xc0000201u), 32);
	assert_int_equal(addr_range_prefix_len(FAM_IP6, 5, 5), 128);
	assert_int_equal(addr_range_prefix_len(FAM_IP6, all6, all6), 128);
	assert_int_equal(addr_range_prefix_len(FAM_IP4, 0xc0000200u, 0xc00002ffu), 24);
	assert_int_equal(addr_range_prefix_len(FAM_IP4, 0, 1), 31);
	assert_int_equal(addr_range_prefix_len(FAM_IP6, mk(0x20010db800000000ull, 0),
						mk(0x20010db800000000ull, ~0ull)), 64);
	assert_int_equal(addr_range_prefix_len(FAM_IP6, mk(0x20010db800000000ull, 0),
						mk(0x20010db800000000ull, 0xf)), 124);
	assert_int_equal(addr_range_prefix_len(FAM_IP6, 0, mk(0x7fffffffffffffffull, ~0ull)), 1);
	/* Not prefixes: unaligned start, short end, odd-sized ranges. */
	assert_int_equal(addr_range_prefix_len(FAM_IP4, 0xc0000201u, 0xc00002ffu), -1);
	assert_int_equal(addr_range_prefix_len(FAM_IP4, 0xc0000200u, 0xc00002feu), -1);
	assert_int_equal(addr_range_prefix_len(FAM_IP4, 1, 2), -1);
	assert_int_equal(addr_range_prefix_len(FAM_IP4, 0, 2), -1);
	assert_int_equal(addr_range_prefix_len(FAM_IP6, mk(0x20010db800000000ull, 0x11),
						mk(0x20010db800000000ull, ~0ull)), -1);
	assert_int_equal(addr_range_prefix_len(FAM_IP6, 0, all6 - 1), -1);
	/* Round trip with addr_first/addr_last. */
	const char *texts[] = { "2001:db8::/48", "::/0", "10.0.0.0/8", "192.0.2.64/26",
				"2001:db8::1" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct prefix p = must_parse(texts[i]);
		assert_int_equal(addr_range_prefix_len(p.family, addr_first(&p), addr_last(&p)),
				 p.len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_family_helpers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_last, setup, teardown),
		cmocka_unit_test_setup_teardown(test_covers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range_prefix_len, setup, teardown),
	};
	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}

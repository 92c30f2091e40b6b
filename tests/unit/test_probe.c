/*
 * test_probe.c - probe.c: real packets through a router namespace.
 *
 * The address and outcome tables run anywhere; everything else needs root
 * (it builds network namespaces and loads rulesets) and is skipped, saying
 * so, without it.  Each test gets a struct probe of its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "compiler/addr.h"
#include "runtime/probe.h"

struct fx {
	struct probe *k;   /* NULL when not root */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	*state = f;
	if (geteuid() != 0)
		return 0;
	char err[512];
	f->k = probe_open(err, sizeof(err));
	if (!f->k) {
		print_message("probe_open: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	probe_close(f->k);
	free(f);
	return 0;
}

static struct probe *need_root(void **state)
{
	struct fx *f = *state;
	if (!f->k) {
		print_message("skipped: needs root (builds network namespaces)\n");
		skip();
	}
	return f->k;
}

static u128 ad(const char *text, int *family)
{
	struct prefix p;
	enum addr_err e = addr_parse(text, &p);
	if (e != ADDR_OK)
		fail_msg("addr_parse(%s): error %d", text, e);
	*family = p.family;
	return addr_first(&p);
}

/* n: the port (tcp, udp) or the ICMP type. */
static struct pkt mk(enum pkt_proto proto, const char *src, const char *dst, int n)
{
	struct pkt p = { .proto = proto, .port = n, .icmp_type = n };
	int f1, f2;
	p.src = ad(src, &f1);
	p.dst = ad(dst, &f2);
	assert_int_equal(f1, f2);
	p.family = f1;
	return p;
}

static void run(struct probe *k, const struct pkt *p, int n, enum outcome *out)
{
	char err[512];
	if (probe_run(k, p, n, out, err, sizeof(err)) != 0)
		fail_msg("probe_run: %s", err);
}

static void load(struct probe *k, const char *ruleset, bool json)
{
	char err[2048];
	if (probe_load(k, ruleset, json, err, sizeof(err)) != 0)
		fail_msg("probe_load: %s", err);
}

/* ---- the hand-written ruleset and what it must do ---- */

static const char ruleset[] =
	"table inet t {\n"
	"	chain f {\n"
	"		type filter hook forward priority 0; policy accept;\n"
	"		ct state established,related accept\n"
	"		ip6 daddr 2001:db8::/64 ct state invalid drop\n"
	"		ip6 daddr 2001:db8::/64 tcp dport 22 accept\n"
	"		ip6 daddr 2001:db8::/64 tcp dport 25 reject with tcp reset\n"
	"		ip6 daddr 2001:db8::/64 udp dport 53 reject with icmpx admin-prohibited\n"
	"		ip6 daddr 2001:db8::/64 udp dport 54 reject\n"
	"		ip6 daddr 2001:db8::/64 icmpv6 type { echo-request, destination-unreachable, "
	"nd-neighbor-solicit } accept\n"
	"		ip6 daddr 2001:db8::/64 drop\n"
	"		ip daddr 192.0.2.0/24 tcp dport 80 accept\n"
	"		ip daddr 192.0.2.0/24 tcp dport 25 reject with tcp reset\n"
	"		ip daddr 192.0.2.0/24 udp dport 9 drop\n"
	"		ip daddr 192.0.2.0/24 udp dport 54 reject with icmp type host-unreachable\n"
	"		ip daddr 192.0.2.0/24 icmp type echo-request accept\n"
	"		ip daddr 192.0.2.0/24 reject with icmpx admin-prohibited\n"
	"	}\n"
	"}\n";

static const struct want {
	enum pkt_proto proto;
	const char *src, *dst;
	int n;
	enum outcome want;
} cases[] = {
	/* protected IPv6 */
	{ PKT_TCP, "2001:db8:bad::9", "2001:db8::10", 22, OUTCOME_ACCEPT },
	{ PKT_TCP, "2001:db8:bad::9", "2001:db8::10", 25, OUTCOME_RESET },
	{ PKT_TCP, "2001:db8:bad::9", "2001:db8::10", 23, OUTCOME_DROP },
	{ PKT_UDP, "2001:db8:bad::9", "2001:db8::10", 53, OUTCOME_ADMIN_PROHIBITED },
	{ PKT_UDP, "2001:db8:bad::9", "2001:db8::10", 54, OUTCOME_OTHER },   /* port-unreachable */
	{ PKT_UDP, "2001:db8:bad::9", "2001:db8::10", 55, OUTCOME_DROP },
	{ PKT_ICMP, "2001:db8:bad::9", "2001:db8::10", 128, OUTCOME_ACCEPT },
	/* An unsolicited error is invalid: dropped before the rule that
	 * would accept destination-unreachable. */
	{ PKT_ICMP, "2001:db8:bad::9", "2001:db8::10", 1, OUTCOME_DROP },
	{ PKT_ICMP, "2001:db8:bad::9", "2001:db8::10", 129, OUTCOME_DROP },  /* echo reply */
	/* Neighbour solicitation is untracked, not invalid: the rules decide. */
	{ PKT_ICMP, "2001:db8:bad::9", "2001:db8::10", 135, OUTCOME_ACCEPT },
	{ PKT_ICMP, "2001:db8:bad::9", "2001:db8::10", 136, OUTCOME_DROP },
	{ PKT_OTHER, "2001:db8:bad::9", "2001:db8::10", 0, OUTCOME_DROP },
	{ PKT_TCP, "2001:db8:ffff::5", "2001:db8::ffff:ffff:ffff:ffff", 25, OUTCOME_RESET },
	/* unprotected IPv6 */
	{ PKT_TCP, "2001:db8:bad::9", "2001:db8:1::10", 25, OUTCOME_ACCEPT },
	{ PKT_UDP, "2001:db8:bad::9", "2001:db8:1::10", 53, OUTCOME_ACCEPT },
	{ PKT_ICMP, "2001:db8:bad::9", "2001:db8:1::10", 1, OUTCOME_ACCEPT },
	{ PKT_ICMP, "2001:db8:bad::9", "2001:db8:1::10", 128, OUTCOME_ACCEPT },
	{ PKT_ICMP, "2001:db8:bad::9", "2001:db8:1::10", 135, OUTCOME_ACCEPT },
	{ PKT_OTHER, "2001:db8:ffff::5", "2001:db8:1::10", 0, OUTCOME_ACCEPT },
	/* protected IPv4 */
	{ PKT_TCP, "10.9.8.7", "192.0.2.10", 80, OUTCOME_ACCEPT },
	{ PKT_TCP, "10.9.8.7", "192.0.2.10", 25, OUTCOME_RESET },
	{ PKT_TCP, "10.9.8.7", "192.0.2.10", 81, OUTCOME_ADMIN_PROHIBITED },
	{ PKT_UDP, "10.9.8.7", "192.0.2.10", 53, OUTCOME_ADMIN_PROHIBITED },
	{ PKT_UDP, "10.9.8.7", "192.0.2.10", 9, OUTCOME_DROP },
	{ PKT_UDP, "198.51.100.7", "192.0.2.255", 54, OUTCOME_OTHER },      /* host-unreachable */
	{ PKT_ICMP, "10.9.8.7", "192.0.2.10", 8, OUTCOME_ACCEPT },
	{ PKT_ICMP, "10.9.8.7", "192.0.2.10", 13, OUTCOME_ADMIN_PROHIBITED }, /* timestamp */
	/* Rejected, but the kernel answers no ICMP error with another. */
	{ PKT_ICMP, "10.9.8.7", "192.0.2.10", 3, OUTCOME_DROP },
	{ PKT_OTHER, "10.9.8.7", "192.0.2.10", 0, OUTCOME_ADMIN_PROHIBITED },
	/* unprotected IPv4 */
	{ PKT_TCP, "10.9.8.7", "203.0.113.5", 81, OUTCOME_ACCEPT },
	{ PKT_UDP, "10.0.0.0", "198.18.0.8", 9, OUTCOME_ACCEPT },
	{ PKT_ICMP, "10.9.8.7", "203.0.113.5", 8, OUTCOME_ACCEPT },
	{ PKT_ICMP, "10.9.8.7", "203.0.113.5", 3, OUTCOME_ACCEPT },
	{ PKT_OTHER, "10.9.8.7", "203.0.113.5", 0, OUTCOME_ACCEPT },
};

#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

/* n packets cycling through cases; want[] (if given) what each must give. */
static struct pkt *case_packets(int n, enum outcome *want)
{
	struct pkt *p = calloc((size_t)n, sizeof(*p));
	assert_non_null(p);
	for (int i = 0; i < n; i++) {
		const struct want *c = &cases[i % NCASES];
		p[i] = mk(c->proto, c->src, c->dst, c->n);
		if (want)
			want[i] = c->want;
	}
	return p;
}

static void expect_outcomes(const struct pkt *p, const enum outcome *got,
			    const enum outcome *want, int n)
{
	int bad = 0;
	for (int i = 0; i < n; i++) {
		if (got[i] == want[i])
			continue;
		char src[ADDR_STRLEN], dst[ADDR_STRLEN];
		addr_format_u128(p[i].family, p[i].src, src);
		addr_format_u128(p[i].family, p[i].dst, dst);
		print_message("packet %d (proto %d %s -> %s, port/type %d): want %s, got %s\n", i,
			      (int)p[i].proto, src, dst, p[i].port, outcome_name(want[i]),
			      outcome_name(got[i]));
		bad++;
	}
	assert_int_equal(bad, 0);
}

/* ---- tests that need no privileges ---- */

static void test_usable(void **state)
{
	(void)state;
	static const char *const refused[] = {
		"fe80::1", "ff02::1", "127.0.0.1", "198.18.0.1", "::", "::1", "fe80::2",
		"febf::1", "ff05::2", "::ffff:10.1.2.3", "0.1.2.3", "127.255.255.254",
		"169.254.1.1", "224.0.0.1", "239.1.2.3", "240.0.0.1", "255.255.255.255",
		"198.18.0.0", "198.18.0.2", "198.18.0.3", "198.18.0.5", "198.18.0.6",
		"198.18.0.7",
	};
	static const char *const usable[] = {
		"2001:db8::1", "2001:db8:bad::9", "fc00::1", "fec0::1", "::2", "64:ff9b::1",
		"2001:db8::ffff:ffff:ffff:ffff", "10.9.8.7", "1.0.0.0", "192.0.2.255",
		"198.18.0.8", "198.17.255.255", "223.255.255.255", "10.0.0.0",
	};
	char why[160];
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		int fam;
		u128 a = ad(refused[i], &fam);
		why[0] = '\0';
		if (probe_usable(fam, a, why, sizeof(why)))
			fail_msg("%s should be refused", refused[i]);
		/* The reason names the address (in canonical form). */
		char text[ADDR_STRLEN];
		addr_format_u128(fam, a, text);
		if (!strstr(why, text))
			fail_msg("%s: reason '%s' does not name it", refused[i], why);
	}
	for (size_t i = 0; i < sizeof(usable) / sizeof(usable[0]); i++) {
		int fam;
		u128 a = ad(usable[i], &fam);
		if (!probe_usable(fam, a, why, sizeof(why)))
			fail_msg("%s should be usable: %s", usable[i], why);
	}
	assert_false(probe_usable(FAM_IP4, (u128)1 << 40, why, sizeof(why)));
	assert_false(probe_usable(7, 1, why, sizeof(why)));
	int fam;
	assert_false(probe_usable(FAM_IP4, ad("198.18.0.1", &fam), why, sizeof(why)));
	assert_non_null(strstr(why, "router"));
}

static void test_expected_and_names(void **state)
{
	(void)state;
	struct pkt tcp = mk(PKT_TCP, "2001:db8::1", "2001:db8::2", 22);
	struct pkt udp = mk(PKT_UDP, "10.0.0.1", "10.0.0.2", 53);
	struct pkt icmp = mk(PKT_ICMP, "2001:db8::1", "2001:db8::2", 128);
	struct pkt other = mk(PKT_OTHER, "10.0.0.1", "10.0.0.2", 0);
	assert_int_equal(outcome_expected(&tcp, VERDICT_ACCEPT), OUTCOME_ACCEPT);
	assert_int_equal(outcome_expected(&udp, VERDICT_DROP), OUTCOME_DROP);
	assert_int_equal(outcome_expected(&tcp, VERDICT_REJECT), OUTCOME_RESET);
	assert_int_equal(outcome_expected(&udp, VERDICT_REJECT), OUTCOME_ADMIN_PROHIBITED);
	assert_int_equal(outcome_expected(&icmp, VERDICT_REJECT), OUTCOME_ADMIN_PROHIBITED);
	assert_int_equal(outcome_expected(&other, VERDICT_REJECT), OUTCOME_ADMIN_PROHIBITED);
	assert_string_equal(outcome_name(OUTCOME_ACCEPT), "accept");
	assert_string_equal(outcome_name(OUTCOME_DROP), "drop");
	assert_string_equal(outcome_name(OUTCOME_RESET), "reject (tcp reset)");
	assert_string_equal(outcome_name(OUTCOME_ADMIN_PROHIBITED), "reject (admin-prohibited)");
	assert_string_equal(outcome_name(OUTCOME_OTHER), "other answer");
}

/* ---- real packets ---- */

static void test_empty_router_accepts(void **state)
{
	struct probe *k = need_root(state);
	enum outcome got[NCASES], want[NCASES];
	struct pkt *p = case_packets(NCASES, NULL);
	for (int i = 0; i < NCASES; i++)
		want[i] = OUTCOME_ACCEPT;
	run(k, p, NCASES, got);
	expect_outcomes(p, got, want, NCASES);
	free(p);
}

static void test_ruleset_outcomes(void **state)
{
	struct probe *k = need_root(state);
	load(k, ruleset, false);
	enum outcome got[NCASES], want[NCASES];
	struct pkt *p = case_packets(NCASES, want);
	run(k, p, NCASES, got);
	expect_outcomes(p, got, want, NCASES);
	free(p);
}

/* Each packet is a new flow: the same packets again give the same answers,
 * though the first batch left conntrack entries behind. */
static void test_batches_repeat(void **state)
{
	struct probe *k = need_root(state);
	load(k, ruleset, false);
	enum outcome a[150], b[150], want[150];
	struct pkt *p = case_packets(150, want);
	run(k, p, 150, a);
	run(k, p, 150, b);
	assert_memory_equal(a, b, sizeof(a));
	expect_outcomes(p, a, want, 150);
	free(p);
}

static void test_json_and_replace(void **state)
{
	struct probe *k = need_root(state);
	load(k, "{\"nftables\": [{\"add\": {\"table\": {\"family\": \"inet\", \"name\": \"j\"}}},"
		"{\"add\": {\"chain\": {\"family\": \"inet\", \"table\": \"j\", \"name\": \"f\","
		"\"type\": \"filter\", \"hook\": \"forward\", \"prio\": 0, \"policy\": \"drop\"}}}]}",
	     true);
	struct pkt p[2] = { mk(PKT_TCP, "2001:db8:bad::9", "2001:db8:1::10", 22),
			    mk(PKT_UDP, "10.9.8.7", "203.0.113.5", 53) };
	enum outcome got[2];
	run(k, p, 2, got);
	assert_int_equal(got[0], OUTCOME_DROP);
	assert_int_equal(got[1], OUTCOME_DROP);
	/* Loads add to what is there: this one takes the table away again. */
	load(k, "delete table inet j\n", false);
	run(k, p, 2, got);
	assert_int_equal(got[0], OUTCOME_ACCEPT);
	assert_int_equal(got[1], OUTCOME_ACCEPT);
}

static void test_load_error(void **state)
{
	struct probe *k = need_root(state);
	char err[2048] = "";
	assert_int_equal(probe_load(k, "table inet t { chain f { type filter hook forward "
				   "priority 0; bogus; }; }\n", false, err, sizeof(err)), -1);
	print_message("nft says: %s", err);
	assert_non_null(strstr(err, "Error:"));
	assert_non_null(strstr(err, "bogus"));
	err[0] = '\0';
	assert_int_equal(probe_load(k, "{\"nftables\": [{\"add\": 1}]}", true, err, sizeof(err)), -1);
	assert_true(err[0] != '\0');
	/* Nothing of the broken ruleset stays. */
	struct pkt p = mk(PKT_TCP, "2001:db8:bad::9", "2001:db8::10", 22);
	enum outcome got;
	run(k, &p, 1, &got);
	assert_int_equal(got, OUTCOME_ACCEPT);
}

static void test_run_refuses(void **state)
{
	struct probe *k = need_root(state);
	struct pkt p[2] = { mk(PKT_TCP, "2001:db8:bad::9", "2001:db8::10", 22),
			    mk(PKT_TCP, "fe80::1", "2001:db8::10", 22) };
	enum outcome got[2];
	char err[512];
	assert_int_equal(probe_run(k, p, 2, got, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fe80::1"));
	p[1] = mk(PKT_UDP, "10.9.8.7", "198.18.0.1", 53);
	assert_int_equal(probe_run(k, p, 2, got, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "198.18.0.1"));
	p[1].family = FAM_IP6;   /* an IPv4 value read as IPv6 is ::c612:1, usable */
	p[1].proto = PKT_UDP;
	p[1].port = 70000;
	assert_int_equal(probe_run(k, p, 2, got, err, sizeof(err)), -1);
	run(k, p, 1, got);
	assert_int_equal(got[0], OUTCOME_ACCEPT);
}

/* ---- routes to the container side: forged sources ---- */

static struct eval_route rt(const char *text, const char *ifname)
{
	struct eval_route r = { .ifname = ifname };
	enum addr_err e = addr_parse(text, &r.pfx);
	if (e != ADDR_OK)
		fail_msg("addr_parse(%s): error %d", text, e);
	return r;
}

static void route_set(struct probe *k, const struct eval_route *v, int n)
{
	char err[512];
	if (probe_route_set(k, v, n, err, sizeof(err)) != 0)
		fail_msg("probe_route_set: %s", err);
}

/* The reverse path check d6c's forward chain starts with: a source whose
 * route leaves by another interface than the packet came in by is forged. */
static const char fib_ruleset[] =
	"table inet t { chain f { type filter hook forward priority 0; policy accept;\n"
	"	fib saddr . iif oif missing drop\n"
	"	ip6 daddr 2001:db8:9::/64 tcp dport 25 reject with tcp reset\n"
	"	ip daddr 203.0.113.0/24 reject with icmpx admin-prohibited\n"
	"}\n}\n";

static void test_routes_forge_sources(void **state)
{
	struct probe *k = need_root(state);
	load(k, fib_ruleset, false);
	/* A /128 back to the outside inside a /48 to the container: the
	 * longest route decides, as the evaluator's eval_routes does. */
	struct eval_route r[] = {
		rt("2001:db8:bad::/48", "r1"), rt("2001:db8:bad::7/128", "r0"),
		rt("10.9.0.0/16", "r1"), rt("10.9.0.0/16", "r1"),   /* a repeat: merged */
		rt("10.10.1.2", "r1"),   /* made 10.10.1.2/16 below: host bits ignored */
	};
	r[4].pfx.len = 16;
	struct pkt p[] = {
		mk(PKT_TCP, "2001:db8:bad::9", "2001:db8:1::10", 22),
		mk(PKT_UDP, "2001:db8:bad::7", "2001:db8:1::10", 53),
		mk(PKT_ICMP, "2001:db8:bae::9", "2001:db8:1::10", 128),
		mk(PKT_UDP, "10.9.255.255", "192.0.2.1", 53),
		mk(PKT_TCP, "10.11.0.1", "192.0.2.1", 80),
		mk(PKT_UDP, "10.10.0.1", "192.0.2.1", 53),
	};
	enum outcome want[] = { OUTCOME_DROP, OUTCOME_ACCEPT, OUTCOME_ACCEPT,
				     OUTCOME_DROP, OUTCOME_ACCEPT, OUTCOME_DROP };
	int n = (int)(sizeof(p) / sizeof(p[0]));
	enum outcome got[sizeof(p) / sizeof(p[0])];
	route_set(k, r, (int)(sizeof(r) / sizeof(r[0])));
	run(k, p, n, got);
	expect_outcomes(p, got, want, n);
	/* Replaced, not added to: with no routes nothing is forged. */
	route_set(k, NULL, 0);
	enum outcome all[sizeof(p) / sizeof(p[0])];
	for (int i = 0; i < n; i++)
		all[i] = OUTCOME_ACCEPT;
	run(k, p, n, got);
	expect_outcomes(p, got, all, n);
}

/* The router's answer to a source routed to the container side leaves by
 * c0, and still counts as the answer it is. */
static void test_routes_answers_on_container_side(void **state)
{
	struct probe *k = need_root(state);
	load(k, "table inet t { chain f { type filter hook forward priority 0;\n"
		"	ip6 daddr 2001:db8:9::/64 tcp dport 25 reject with tcp reset\n"
		"	ip daddr 203.0.113.0/24 reject with icmpx admin-prohibited\n"
		"}\n}\n", false);
	struct eval_route r[] = { rt("2001:db8:bad::/48", "r1"), rt("10.9.0.0/16", "r1") };
	route_set(k, r, 2);
	struct pkt p[] = { mk(PKT_TCP, "2001:db8:bad::9", "2001:db8:9::10", 25),
			   mk(PKT_UDP, "10.9.8.7", "203.0.113.5", 53),
			   mk(PKT_TCP, "2001:db8:bad::9", "2001:db8:9::10", 22) };
	enum outcome want[] = { OUTCOME_RESET, OUTCOME_ADMIN_PROHIBITED, OUTCOME_ACCEPT }, got[3];
	run(k, p, 3, got);
	expect_outcomes(p, got, want, 3);
}

/* Running out of tags rebuilds the namespaces: the routes come back too. */
static void test_routes_survive_rebuild(void **state)
{
	struct probe *k = need_root(state);
	load(k, fib_ruleset, false);
	struct eval_route r[] = { rt("2001:db8:bad::/48", "r1") };
	route_set(k, r, 1);
	enum { FILL = 65536 - 1024 };
	struct pkt *fill = calloc(FILL, sizeof(*fill));
	enum outcome *out = calloc(FILL, sizeof(*out));
	assert_non_null(fill);
	assert_non_null(out);
	for (int i = 0; i < FILL; i++)
		fill[i] = mk(PKT_UDP, "2001:db8:beef::1", "2001:db8:1::10", 53);
	run(k, fill, FILL, out);
	struct pkt p[2] = { mk(PKT_UDP, "2001:db8:bad::9", "2001:db8:1::10", 53),
			    mk(PKT_UDP, "2001:db8:beef::1", "2001:db8:1::10", 53) };
	enum outcome want[2] = { OUTCOME_DROP, OUTCOME_ACCEPT }, got[2];
	run(k, p, 2, got);   /* past the last tag: sent from rebuilt namespaces */
	expect_outcomes(p, got, want, 2);
	free(fill);
	free(out);
}

static void test_routes_refused(void **state)
{
	struct probe *k = need_root(state);
	char err[512];
	struct eval_route bad[] = { rt("2001:db8::/48", "eth0") };
	assert_int_equal(probe_route_set(k, bad, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "eth0"));
	struct eval_route both[] = { rt("10.1.0.0/16", "r1"), rt("10.1.0.0/16", "r0") };
	assert_int_equal(probe_route_set(k, both, 2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "10.1.0.0/16"));
	/* Refused before the kernel saw anything: the namespaces still work. */
	struct pkt p = mk(PKT_TCP, "2001:db8:bad::9", "2001:db8::10", 22);
	enum outcome got;
	run(k, &p, 1, &got);
	assert_int_equal(got, OUTCOME_ACCEPT);
}

/* ---- timings, printed ---- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define REPEAT 5

static double median(double *v)
{
	qsort(v, REPEAT, sizeof(*v), cmp_double);
	return v[REPEAT / 2];
}

static void test_timings(void **state)
{
	struct probe *k = need_root(state);
	double open_t[REPEAT], load_t[REPEAT], run40[REPEAT], run200[REPEAT];
	char err[512];
	for (int i = 0; i < REPEAT; i++) {
		double t = now();
		struct probe *k2 = probe_open(err, sizeof(err));
		open_t[i] = now() - t;
		if (!k2)
			fail_msg("probe_open: %s", err);
		probe_close(k2);
	}
	/* A new table each time, then one replaced in place as d6c's output
	 * does it: deleting a base chain waits for an RCU grace period. */
	double replace_t[REPEAT];
	for (int i = 0; i < REPEAT; i++) {
		char text[512];
		snprintf(text, sizeof(text), "table inet s%d { chain f { type filter hook forward "
			 "priority 0; ip6 daddr 2001:db8::/64 tcp dport 22 accept; "
			 "ip6 daddr 2001:db8::/64 drop; }; }\n", i);
		double t = now();
		load(k, text, false);
		load_t[i] = now() - t;
		snprintf(text, sizeof(text), "table inet s%d\ndelete table inet s%d\n"
			 "table inet s%d { chain f { type filter hook forward priority 0; "
			 "ip6 daddr 2001:db8::/64 tcp dport 23 accept; }; }\n", i, i, i);
		t = now();
		load(k, text, false);
		replace_t[i] = now() - t;
	}
	load(k, ruleset, false);
	enum outcome got[200];
	struct pkt *p = case_packets(200, NULL);
	for (int i = 0; i < REPEAT; i++) {
		double t = now();
		run(k, p, 40, got);
		run40[i] = now() - t;
		t = now();
		run(k, p, 200, got);
		run200[i] = now() - t;
	}
	free(p);
	double r200 = median(run200);
	print_message("probe_open %.1f ms, probe_load %.1f ms (replacing a table %.1f ms), "
		      "probe_run 40 packets %.1f ms, 200 packets %.1f ms (medians of %d)\n",
		      median(open_t) * 1e3, median(load_t) * 1e3, median(replace_t) * 1e3,
		      median(run40) * 1e3, r200 * 1e3, REPEAT);
	/* Drops cost one quiet period (60 ms) per batch, not one per packet. */
	assert_true(r200 < 0.2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usable),
		cmocka_unit_test(test_expected_and_names),
		T(test_empty_router_accepts),
		T(test_ruleset_outcomes),
		T(test_batches_repeat),
		T(test_json_and_replace),
		T(test_load_error),
		T(test_run_refuses),
		T(test_routes_forge_sources),
		T(test_routes_answers_on_container_side),
		T(test_routes_survive_rebuild),
		T(test_routes_refused),
		T(test_timings),
	};
#undef T
	return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}

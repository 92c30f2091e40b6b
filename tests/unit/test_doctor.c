/*
 * test_doctor.c - doctor_parse.c and doctor_judge.c: what the host prints,
 * read; and hosts described by hand, judged.
 *
 * Every fixture here is written by hand from what Docker 28.5.2, 20.10 and
 * iptables 1.8.9 were seen to print (doc: the raw PREROUTING drop
 * `-A PREROUTING -d 2001:db8:d0d::10/128 ! -i br-4377de24197a -j DROP`,
 * GET /info's "FirewallBackend": {"Driver": "iptables"}, daemon.json's
 * keys), never produced by the code under test.  The live host is
 * tests/docker/doctor.sh's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/addr.h"
#include "runtime/doctor.h"

#include "fixture.h"

/* ---- iptables -t raw -S PREROUTING ---- */

static const char raw6[] =
	"-P PREROUTING ACCEPT\n"
	"-A PREROUTING -d 2001:db8:d0d::10/128 ! -i br-4377de24197a -j DROP\n"
	"-A PREROUTING -d 2001:db8:d0d::11/128 ! -i br-4377de24197a -j DROP\n"
	"-A PREROUTING -s 2001:db8::/64 -j DROP\n"                 /* someone else's */
	"-A PREROUTING -d 2001:db8:d0d::12/128 -i br-x -j DROP\n"  /* not negated */
	"-A PREROUTING -d 2001:db8:d0d::13/128 ! -i br-x -j ACCEPT\n"
	"-A PREROUTING -d 2001:db8:d0d::14/128 ! -i br-x -p tcp -j DROP\n"
	"-A PREROUTING -d 172.30.1.2/32 ! -i br-4377de24197a -j DROP\n"   /* other family */
	"-A PREROUTING -d not-an-address ! -i br-x -j DROP\n"
	"-A PREROUTING -d 2001:db8:e::/64 ! -i br-y -j DROP";            /* no newline */

static void test_raw_drops(void **state)
{
	struct fx *f = *state;
	struct doctor_raw_drop *v;
	int n = doctor_parse_raw_drops(&f->a, raw6, FAM_IP6, &v);
	assert_int_equal(n, 3);
	char text[ADDR_STRLEN];
	addr_format(&v[0].dst, text);
	assert_string_equal(text, "2001:db8:d0d::10");
	assert_int_equal(v[0].dst.len, 128);
	assert_string_equal(v[0].iface, "br-4377de24197a");
	addr_format(&v[2].dst, text);
	assert_string_equal(text, "2001:db8:e::/64");
	n = doctor_parse_raw_drops(&f->a, raw6, FAM_IP4, &v);
	assert_int_equal(n, 1);
	addr_format(&v[0].dst, text);
	assert_string_equal(text, "172.30.1.2");
	assert_int_equal(doctor_parse_raw_drops(&f->a, "-P PREROUTING ACCEPT\n", FAM_IP6, &v), 0);
	assert_int_equal(doctor_parse_raw_drops(&f->a, "", FAM_IP6, &v), 0);
}

/* ---- daemon.json ---- */

static void test_hints(void **state)
{
	struct fx *f = *state;
	static const char json[] =
		"{\n"
		"  \"ip6tables\": false,\n"
		"  \"userland-proxy\": true,\n"
		"  \"firewall-backend\": \"nftables\",\n"
		"  \"bridge-accept-fwmark\": \"0x10000000/0x10000000\",\n"
		"  \"default-address-pools\": [{\"base\": \"172.30.0.0/16\", \"size\": 24}]\n"
		"}\n";
	struct doctor_hints h = { .path = "daemon.json" };
	assert_true(doctor_parse_hints(&f->a, json, strlen(json), &h));
	assert_true(h.read);
	assert_int_equal(h.ip6tables, 0);
	assert_int_equal(h.userland_proxy, 1);
	assert_int_equal(h.iptables, -1);
	assert_int_equal(h.allow_direct_routing, -1);
	assert_string_equal(h.firewall_backend, "nftables");
	assert_string_equal(h.bridge_accept_fwmark, "0x10000000/0x10000000");

	struct doctor_hints e = { .path = "daemon.json" };
	assert_true(doctor_parse_hints(&f->a, "{}", 2, &e));
	assert_int_equal(e.ip6tables, -1);
	assert_null(e.bridge_accept_fwmark);
	/* the wrong type: not set */
	assert_true(doctor_parse_hints(&f->a, "{\"ip6tables\": \"no\"}", 19, &e));
	assert_int_equal(e.ip6tables, -1);

	struct doctor_hints bad = { .path = "daemon.json" };
	assert_false(doctor_parse_hints(&f->a, "{\"ip6tables\": fals", 18, &bad));
	assert_false(bad.read);
	assert_non_null(strstr(bad.error, "invalid JSON at line 1"));
	assert_false(doctor_parse_hints(&f->a, "[1]", 3, &bad));
	assert_string_equal(bad.error, "it is not a JSON object");
}

static void test_fwmark(void **state)
{
	(void)state;
	uint32_t v, m;
	assert_true(doctor_parse_fwmark("0x10000000/0x10000000", &v, &m));
	assert_int_equal(v, 0x10000000);
	assert_int_equal(m, 0x10000000);
	assert_true(doctor_parse_fwmark("0x10000000", &v, &m));
	assert_int_equal(m, 0xffffffff);
	assert_true(doctor_parse_fwmark("256/0xf00", &v, &m));
	assert_int_equal(v, 256);
	assert_int_equal(m, 0xf00);
	assert_false(doctor_parse_fwmark("", &v, &m));
	assert_false(doctor_parse_fwmark("mark", &v, &m));
	assert_false(doctor_parse_fwmark("0x1/", &v, &m));
	assert_false(doctor_parse_fwmark("0x1/0x1x", &v, &m));
	assert_false(doctor_parse_fwmark("0x100000000", &v, &m));
	assert_false(doctor_parse_fwmark("-1", &v, &m));

	/* Docker accepts (mark & dmask) == dvalue; d6c sets value under mask */
	assert_true(doctor_mark_covers(0x10000000, 0x10000000, 0x10000000, 0x10000000));
	assert_true(doctor_mark_covers(0x10000000, 0x30000000, 0x10000000, 0x10000000));
	/* the whole mark compared: other tools' bits would fail it */
	assert_false(doctor_mark_covers(0x10000000, 0x10000000, 0x10000000, 0xffffffff));
	assert_false(doctor_mark_covers(0x10000000, 0x10000000, 0x1, 0x1));
	assert_false(doctor_mark_covers(0x10000000, 0x10000000, 0x0, 0x10000000));
}

/* ---- GET /info ---- */

static void test_info(void **state)
{
	struct fx *f = *state;
	const char *version, *backend;
	static const char v28[] = "{\"ID\":\"x\",\"ServerVersion\":\"28.5.2+dfsg4\","
				  "\"FirewallBackend\":{\"Driver\":\"iptables\"},\"Driver\":\"overlay2\"}";
	doctor_parse_info(&f->a, v28, strlen(v28), &version, &backend);
	assert_string_equal(version, "28.5.2+dfsg4");
	assert_string_equal(backend, "iptables");
	static const char v29[] = "{\"ServerVersion\":\"29.0.0\",\"FirewallBackend\":"
				  "{\"Driver\":\"nftables\",\"Info\":[]}}";
	doctor_parse_info(&f->a, v29, strlen(v29), &version, &backend);
	assert_string_equal(backend, "nftables");
	static const char v20[] = "{\"ServerVersion\":\"20.10.24+dfsg1\"}";
	doctor_parse_info(&f->a, v20, strlen(v20), &version, &backend);
	assert_string_equal(version, "20.10.24+dfsg1");
	assert_null(backend);
	doctor_parse_info(&f->a, "garbage", 7, &version, &backend);
	assert_null(version);
	assert_null(backend);
}

/* ---- nft -j list chains ---- */

static const char chains_json[] =
	"{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"json_schema_version\": 1}},"
	/* Docker's iptables-nft FORWARD of each family */
	"{\"chain\": {\"family\": \"ip\", \"table\": \"filter\", \"name\": \"FORWARD\", \"handle\": 2,"
	" \"type\": \"filter\", \"hook\": \"forward\", \"prio\": 0, \"policy\": \"drop\"}},"
	"{\"chain\": {\"family\": \"ip6\", \"table\": \"filter\", \"name\": \"FORWARD\", \"handle\": 2,"
	" \"type\": \"filter\", \"hook\": \"forward\", \"prio\": 0, \"policy\": \"drop\"}},"
	"{\"chain\": {\"family\": \"ip\", \"table\": \"filter\", \"name\": \"DOCKER\", \"handle\": 9}},"
	/* firewalld */
	"{\"chain\": {\"family\": \"inet\", \"table\": \"firewalld\", \"name\": \"filter_FORWARD\","
	" \"handle\": 3, \"type\": \"filter\", \"hook\": \"forward\", \"prio\": 10, \"policy\": \"drop\"}},"
	/* d6c's own, and an input chain, and a bridge-family one: not counted */
	"{\"chain\": {\"family\": \"inet\", \"table\": \"d6c\", \"name\": \"forward\", \"handle\": 1,"
	" \"type\": \"filter\", \"hook\": \"forward\", \"prio\": -1, \"policy\": \"drop\"}},"
	"{\"chain\": {\"family\": \"inet\", \"table\": \"host\", \"name\": \"input\", \"handle\": 1,"
	" \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": \"drop\"}},"
	"{\"chain\": {\"family\": \"bridge\", \"table\": \"br\", \"name\": \"forward\", \"handle\": 1,"
	" \"type\": \"filter\", \"hook\": \"forward\", \"prio\": 0, \"policy\": \"drop\"}},"
	/* Docker 29's nftables backend */
	"{\"chain\": {\"family\": \"ip6\", \"table\": \"docker-bridges\", \"name\": \"filter-FORWARD\","
	" \"handle\": 4, \"type\": \"filter\", \"hook\": \"forward\", \"prio\": 0, \"policy\": \"accept\"}},"
	"{\"chain\": {\"family\": \"ip\", \"table\": \"docker-bridges\", \"name\": \"filter-FORWARD\","
	" \"handle\": 4, \"type\": \"filter\", \"hook\": \"forward\", \"prio\": 0, \"policy\": \"drop\"}},"
	"{\"chain\": {\"family\": \"inet\", \"table\": \"other\", \"name\": \"fw\", \"handle\": 1,"
	" \"type\": \"filter\", \"hook\": \"forward\", \"prio\": -5, \"policy\": \"accept\"}}]}";

static void test_chains(void **state)
{
	struct fx *f = *state;
	struct doctor_chain *v;
	bool bridges[2];
	int n = doctor_parse_chains(&f->a, chains_json, "d6c", &v, bridges);
	assert_int_equal(n, 4);
	assert_string_equal(v[0].family, "ip");
	assert_string_equal(v[0].table, "filter");
	assert_string_equal(v[0].name, "FORWARD");
	assert_true(v[0].docker);
	assert_true(v[1].docker);
	assert_string_equal(v[2].table, "firewalld");
	assert_int_equal(v[2].prio, 10);
	assert_false(v[2].docker);
	assert_string_equal(v[3].table, "docker-bridges");
	assert_true(v[3].docker);
	assert_true(bridges[DOCTOR_IP6]);
	assert_true(bridges[DOCTOR_IP4]);
	/* another table name of d6c's: its chain is counted */
	assert_int_equal(doctor_parse_chains(&f->a, chains_json, "d6c_test", &v, bridges), 5);
	assert_int_equal(doctor_parse_chains(&f->a, "{\"nftables\": []}", "d6c", &v, bridges), 0);
	assert_false(bridges[DOCTOR_IP6]);
	assert_int_equal(doctor_parse_chains(&f->a, "not json", "d6c", &v, bridges), 0);
}

/* ---- nft -j list table inet d6c ---- */

static void test_table(void **state)
{
	struct fx *f = *state;
	static const char json[] =
		"{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}},"
		"{\"table\": {\"family\": \"inet\", \"name\": \"d6c\", \"handle\": 7}},"
		"{\"map\": {\"family\": \"inet\", \"name\": \"dispatch6\", \"table\": \"d6c\","
		" \"type\": \"ipv6_addr\", \"map\": \"verdict\", \"flags\": [\"interval\"], \"elem\": ["
		"[{\"prefix\": {\"addr\": \"2001:db8:d0d::\", \"len\": 64}}, {\"jump\": {\"target\": \"net_1\"}}],"
		"[\"2001:db8:e::5\", {\"jump\": {\"target\": \"net_2\"}}],"
		"[{\"range\": [\"2001:db8:d00:1::\", \"2001:db8:d00:ff:ffff:ffff:ffff:ffff\"]},"
		" {\"jump\": {\"target\": \"net_3\"}}],"
		"[{\"elem\": {\"val\": {\"prefix\": {\"addr\": \"2001:db8:f::\", \"len\": 48}},"
		" \"comment\": \"x\"}}, {\"jump\": {\"target\": \"net_4\"}}],"
		"[{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 8}}, {\"jump\": {\"target\": \"net_5\"}}]]}},"
		"{\"map\": {\"family\": \"inet\", \"name\": \"dispatch4\", \"table\": \"d6c\","
		" \"type\": \"ipv4_addr\", \"map\": \"verdict\", \"elem\": ["
		"[{\"prefix\": {\"addr\": \"10.0.0.0\", \"len\": 8}}, {\"jump\": {\"target\": \"net_5\"}}]]}},"
		"{\"chain\": {\"family\": \"inet\", \"table\": \"d6c\", \"name\": \"forward\", \"handle\": 1,"
		" \"type\": \"filter\", \"hook\": \"forward\", \"prio\": -1, \"policy\": \"accept\"}},"
		"{\"rule\": {\"family\": \"inet\", \"table\": \"d6c\", \"chain\": \"forward\", \"expr\": ["
		"{\"match\": {\"op\": \"in\", \"left\": {\"ct\": {\"key\": \"state\"}},"
		" \"right\": [\"established\", \"related\"]}},"
		"{\"mangle\": {\"key\": {\"meta\": {\"key\": \"mark\"}}, \"value\": {\"|\": ["
		"{\"&\": [{\"meta\": {\"key\": \"mark\"}}, 3489660927]}, 268435456]}}},"
		"{\"accept\": null}]}}]}";
	struct doctor_facts fa = { 0 };
	assert_true(doctor_parse_table(&f->a, json, &fa));
	assert_true(fa.has_mark);
	assert_int_equal(fa.mark, 0x10000000);
	assert_int_equal(fa.mask, 0x30000000);   /* ~0xcfffffff */
	assert_int_equal(fa.table_prio, -1);
	const struct ir_dispatch *d6 = fa.protect[DOCTOR_IP6];
	assert_non_null(d6);
	assert_int_equal(d6->n, 4);   /* the IPv4 element of a v6 map is skipped */
	struct prefix p;
	assert_int_equal(addr_parse("2001:db8:e::5", &p), ADDR_OK);
	assert_true(d6->v[1].first == addr_first(&p) && d6->v[1].last == addr_first(&p));
	assert_int_equal(addr_parse("2001:db8:f::/48", &p), ADDR_OK);
	assert_true(d6->v[3].first == addr_first(&p) && d6->v[3].last == addr_last(&p));
	assert_int_equal(fa.protect[DOCTOR_IP4]->n, 1);

	/* "meta mark set meta mark | 0x10000000": the mask is the value */
	static const char plain[] =
		"{\"nftables\": [{\"rule\": {\"expr\": [{\"mangle\": {\"key\": {\"meta\": {\"key\": "
		"\"mark\"}}, \"value\": {\"|\": [{\"meta\": {\"key\": \"mark\"}}, 268435456]}}},"
		"{\"accept\": null}]}}]}";
	struct doctor_facts fb = { 0 };
	assert_true(doctor_parse_table(&f->a, plain, &fb));
	assert_true(fb.has_mark);
	assert_int_equal(fb.mask, 0x10000000);
	assert_null(fb.protect[DOCTOR_IP6]);
	/* no mark set anywhere */
	struct doctor_facts fc = { 0 };
	assert_true(doctor_parse_table(&f->a, "{\"nftables\": []}", &fc));
	assert_false(fc.has_mark);
	assert_false(doctor_parse_table(&f->a, "{}", &fc));
}

/* ---- GET /containers/json ---- */

static void test_ports(void **state)
{
	struct fx *f = *state;
	static const char nets[] =
		"[{\"Name\":\"natnet\",\"Id\":\"aaa1\",\"IPAM\":{\"Config\":[{\"Subnet\":\"2001:db8:d0d::/64\"}]}},"
		"{\"Name\":\"other\",\"Id\":\"bbb2\"}]";
	char err[200];
	struct docker_state *st = docker_state_parse(&f->a, nets, strlen(nets), "t", err, sizeof(err));
	assert_non_null(st);
	static const char json[] =
		"[{\"Id\":\"c1id\",\"Names\":[\"/c1\"],\"Ports\":["
		"{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},"
		"{\"IP\":\"::\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"},"
		"{\"IP\":\"::\",\"PrivatePort\":53,\"PublicPort\":5353,\"Type\":\"udp\"}],"
		"\"NetworkSettings\":{\"Networks\":{\"natnet\":{\"NetworkID\":\"aaa1\"}}}},"
		/* routed mode: no host port */
		"{\"Id\":\"c2id\",\"Names\":[\"/c2\"],\"Ports\":["
		"{\"IP\":\"::\",\"PrivatePort\":80,\"Type\":\"tcp\"}],"
		"\"NetworkSettings\":{\"Networks\":{\"natnet\":{\"NetworkID\":\"aaa1\"}}}},"
		/* a network not in the state */
		"{\"Id\":\"c3id\",\"Names\":[\"/c3\"],\"Ports\":["
		"{\"IP\":\"::\",\"PrivatePort\":22,\"PublicPort\":2222,\"Type\":\"tcp\"}],"
		"\"NetworkSettings\":{\"Networks\":{\"gone\":{\"NetworkID\":\"zzz\"}}}},"
		"7]";
	struct doctor_port *v;
	int n = doctor_parse_ports(&f->a, json, strlen(json), st, &v);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].container, "c1");
	assert_string_equal(v[0].network, "natnet");
	assert_string_equal(v[0].host_ip, "::");
	assert_int_equal(v[0].public_port, 8080);
	assert_int_equal(v[0].private_port, 80);
	assert_string_equal(v[1].proto, "udp");
	assert_int_equal(doctor_parse_ports(&f->a, "{}", 2, st, &v), 0);
}

/* ---- the judge, on hosts described by hand ---- */

struct host {
	struct docker_state st;
	struct docker_network nets[2];
	struct prefix subnets[2];
	struct ir_dispatch d6;
	struct ir_interval iv;
	struct doctor_raw_drop drop;
	struct doctor_report r;
};

static struct prefix pfx(const char *text)
{
	struct prefix p;
	enum addr_err e = addr_parse(text, &p);
	if (e != ADDR_OK)
		fail_msg("addr_parse(%s): error %d", text, e);
	return p;
}

/* Docker 28, iptables backend, ip6tables on; d6c's table loaded with its
 * mark, protecting 2001:db8:d0d::/64 (the network "web", in mode), the
 * rule first in DOCKER-USER of both families. */
static struct doctor_report *host28(struct host *h, const char *mode6)
{
	memset(h, 0, sizeof(*h));
	h->subnets[0] = pfx("2001:db8:d0d::/64");
	h->nets[0] = (struct docker_network){
		.name = "web", .id = "4377de24197a00", .subnets = h->subnets, .nsubnets = 1,
		.driver = "bridge", .ipv6 = true, .ipv4 = true, .guards_nat = true,
		.gateway_mode6 = mode6, .bridge = "br-4377de24197a",
	};
	h->st = (struct docker_state){ .nets = h->nets, .n = 1, .source = "unix:///x" };
	h->iv = (struct ir_interval){ addr_first(&h->subnets[0]), addr_last(&h->subnets[0]), 0 };
	h->d6 = (struct ir_dispatch){ .family = FAM_IP6, .v = &h->iv, .n = 1 };
	struct doctor_facts *f = &h->r.f;
	f->root = true;
	f->docker_host = "unix:///x";
	f->docker = &h->st;
	f->version = "28.5.2";
	f->backend = "iptables";
	f->backend_from = "GET /info";
	f->docker_chains[DOCTOR_IP6] = f->docker_chains[DOCTOR_IP4] = true;
	f->ip6_filter = 1;
	f->hints = (struct doctor_hints){ .path = "/etc/docker/daemon.json", .ip6tables = -1,
					  .iptables = -1, .userland_proxy = -1,
					  .allow_direct_routing = -1 };
	f->table = "d6c";
	f->table_loaded = 1;
	f->table_prio = -1;
	f->has_mark = true;
	f->mark = f->mask = 0x10000000;
	f->protect[DOCTOR_IP6] = &h->d6;
	f->protect_from = "site.pol";
	f->policy = true;
	f->rule_read = true;
	for (int fam = 0; fam < 2; fam++)
		f->rule.fam[fam] = (struct dr_family){
			.cmd = fam ? "iptables" : "ip6tables", .usable = true, .docker_user = true,
			.forward_drop = true, .reached = true, .place = DR_DOCKER_USER, .position = 1,
			.current = true, .copies = 1,
		};
	f->raw_read[DOCTOR_IP6] = f->raw_read[DOCTOR_IP4] = true;
	h->nets[0].gateway_mode6 = mode6;
	return &h->r;
}

/* The one network's facts (protected or not, raw drops into it), then the judge. */
static void settle(struct arena *a, struct host *h, bool protected_, int drops)
{
	struct doctor_facts *f = &h->r.f;
	f->nnets = 1;
	f->nets = arena_alloc(a, sizeof(*f->nets));
	f->nets[0].net = &h->nets[0];
	f->nets[0].protected_[DOCTOR_IP6] = protected_;
	f->nets[0].drops[DOCTOR_IP6] = drops;
	if (drops) {
		h->drop = (struct doctor_raw_drop){ pfx("2001:db8:d0d::10"), "br-4377de24197a" };
		f->nets[0].drop_example[DOCTOR_IP6] = &h->drop;
	}
	doctor_judge(a, &h->r);
}

/* The text of the first finding of topic at level, or NULL. */
static const char *finding(const struct doctor_report *r, const char *topic, enum doctor_level l)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->v[i].topic, topic) == 0 && r->v[i].level == l)
			return r->v[i].text;
	return NULL;
}

static void test_judge_routed_fine(void **state)
{
	struct fx *f = *state;
	struct host h;
	host28(&h, "routed");
	settle(&f->a, &h, true, 0);
	assert_int_equal(doctor_verdict_of(&h.r), 0);
	const char *t = finding(&h.r, "network", DOCTOR_OK);
	assert_non_null(t);
	assert_non_null(strstr(t, "network web (br-4377de24197a; 2001:db8:d0d::/64): IPv6 gateway "
				  "mode routed: packets routed to its containers reach d6c's rules"));
	assert_non_null(strstr(finding(&h.r, "rule", DOCTOR_OK), "first in ip6tables DOCKER-USER"));
}

static void test_judge_nat_drop(void **state)
{
	struct fx *f = *state;
	struct host h;
	host28(&h, NULL);
	settle(&f->a, &h, true, 2);
	assert_int_equal(doctor_verdict_of(&h.r), 1);
	assert_string_equal(finding(&h.r, "network", DOCTOR_PROBLEM),
			    "network web (br-4377de24197a; 2001:db8:d0d::/64): NAT gateway mode: "
			    "Docker drops packets routed to its containers in raw PREROUTING (2 rules, "
			    "e.g. -d 2001:db8:d0d::10/128 ! -i br-4377de24197a -j DROP); d6c's allows "
			    "cannot take effect. Recreate it with "
			    "-o com.docker.network.bridge.gateway_mode_ipv6=routed");
	/* no container yet: the drop is still coming */
	host28(&h, "nat");
	settle(&f->a, &h, true, 0);
	assert_non_null(strstr(finding(&h.r, "network", DOCTOR_PROBLEM), "Docker will drop"));
	/* not protected: nothing to fix */
	host28(&h, NULL);
	settle(&f->a, &h, false, 2);
	assert_int_equal(doctor_verdict_of(&h.r), 0);
	/* allow-direct-routing: Docker drops nothing routed */
	host28(&h, NULL);
	h.r.f.hints.allow_direct_routing = 1;
	settle(&f->a, &h, true, 0);
	assert_int_equal(doctor_verdict_of(&h.r), 0);
}

static void test_judge_rule(void **state)
{
	struct fx *f = *state;
	struct host h;
	/* removed by hand */
	host28(&h, "routed");
	h.r.f.rule.fam[DOCTOR_IP6].position = 0;
	h.r.f.rule.fam[DOCTOR_IP6].current = false;
	h.r.f.rule.fam[DOCTOR_IP6].copies = 0;
	settle(&f->a, &h, true, 0);
	assert_int_equal(doctor_verdict_of(&h.r), 1);
	assert_non_null(strstr(finding(&h.r, "rule", DOCTOR_PROBLEM),
			       "IPv6: d6c's rule accepting 0x10000000/0x10000000 is missing in "
			       "ip6tables DOCKER-USER"));
	/* moved down */
	host28(&h, "routed");
	h.r.f.rule.fam[DOCTOR_IP6].position = 3;
	h.r.f.rule.fam[DOCTOR_IP6].current = false;
	settle(&f->a, &h, true, 0);
	assert_non_null(strstr(finding(&h.r, "rule", DOCTOR_PROBLEM), "is not first in"));
	/* DOCKER-USER not reached first */
	host28(&h, "routed");
	h.r.f.rule.fam[DOCTOR_IP6].reached = false;
	settle(&f->a, &h, true, 0);
	assert_non_null(strstr(finding(&h.r, "rule", DOCTOR_PROBLEM), "does not jump to DOCKER-USER"));
	/* no mark at all */
	host28(&h, "routed");
	h.r.f.has_mark = false;
	settle(&f->a, &h, true, 0);
	assert_non_null(strstr(finding(&h.r, "rule", DOCTOR_PROBLEM), "apply with --docker-accept"));
	/* Docker 20.10's IPv6: FORWARD is the place */
	host28(&h, NULL);
	h.nets[0].guards_nat = false;
	h.r.f.rule.fam[DOCTOR_IP6].place = DR_FORWARD;
	h.r.f.rule.fam[DOCTOR_IP6].docker_user = false;
	h.r.f.rule.fam[DOCTOR_IP6].reached = false;
	settle(&f->a, &h, true, 0);
	assert_int_equal(doctor_verdict_of(&h.r), 0);
	assert_non_null(strstr(finding(&h.r, "network", DOCTOR_OK), "Docker before 28"));
	/* ip6tables off: no rule needed, published ports go through docker-proxy */
	host28(&h, NULL);
	h.nets[0].guards_nat = false;
	h.r.f.ip6_filter = 0;
	h.r.f.docker_chains[DOCTOR_IP6] = false;
	h.r.f.rule.fam[DOCTOR_IP6] = (struct dr_family){ .cmd = "ip6tables", .usable = true };
	struct doctor_port port = { "c1", "web", "::", 80, 8080, "tcp" };
	h.r.f.ports = &port;
	h.r.f.nports = 1;
	h.r.f.ports_read = true;
	settle(&f->a, &h, true, 0);
	assert_non_null(strstr(finding(&h.r, "rule", DOCTOR_OK), "no accept rule needed"));
	assert_string_equal(finding(&h.r, "proxy", DOCTOR_PROBLEM),
			    "container c1 (web): [::]:8080/tcp (its port 80) is served by docker-proxy "
			    "on the host's own addresses (input path), Docker's ip6tables being off; "
			    "d6c's forward chain never sees it (publish it on IPv4 only, or turn "
			    "Docker's ip6tables on)");
}

static void test_judge_other_tables(void **state)
{
	struct fx *f = *state;
	struct host h;
	host28(&h, "routed");
	struct doctor_chain c[2] = {
		{ "ip6", "filter", "FORWARD", 0, true },
		{ "inet", "firewalld", "filter_FORWARD", 10, false },
	};
	h.r.f.chains = c;
	h.r.f.nchains = 2;
	h.r.f.chains_read = true;
	const char *seg6[] = { "eth0" };
	h.r.f.seg6 = seg6;
	h.r.f.nseg6 = 1;
	settle(&f->a, &h, true, 0);
	assert_int_equal(doctor_verdict_of(&h.r), 1);
	assert_non_null(strstr(finding(&h.r, "chain", DOCTOR_OK), "ip6 filter FORWARD (priority 0) is Docker's"));
	assert_string_equal(finding(&h.r, "chain", DOCTOR_PROBLEM),
			    "chain inet firewalld filter_FORWARD (priority 10, after d6c's) drops "
			    "forwarded packets by policy: it drops what d6c allows unless one of its "
			    "rules accepts it (e.g. meta mark & 0x10000000 == 0x10000000 accept)");
	assert_non_null(strstr(finding(&h.r, "seg6", DOCTOR_NOTE), "processed on eth0"));
}

static void test_judge_nftables_backend(void **state)
{
	struct fx *f = *state;
	struct host h;
	static const char *const fwmark[] = { "0x10000000/0x10000000", "0x10000000", NULL };
	static const int status[] = { 0, 1, 1 };
	for (int i = 0; i < 3; i++) {
		host28(&h, "routed");
		h.r.f.backend = "nftables";
		h.r.f.bridges_table[DOCTOR_IP6] = h.r.f.bridges_table[DOCTOR_IP4] = true;
		h.r.f.docker_chains[DOCTOR_IP6] = h.r.f.docker_chains[DOCTOR_IP4] = false;
		for (int fam = 0; fam < 2; fam++)
			h.r.f.rule.fam[fam] = (struct dr_family){ .cmd = "iptables", .usable = true };
		h.r.f.hints.read = true;
		h.r.f.hints.bridge_accept_fwmark = fwmark[i];
		settle(&f->a, &h, true, 0);
		assert_int_equal(doctor_verdict_of(&h.r), status[i]);
		assert_null(finding(&h.r, "rule", DOCTOR_OK));   /* xtables are not Docker's */
	}
	assert_non_null(strstr(finding(&h.r, "fwmark", DOCTOR_PROBLEM),
			       "sets no \"bridge-accept-fwmark\": set it to \"0x10000000/0x10000000\""));
}

static void test_judge_not_root(void **state)
{
	struct fx *f = *state;
	struct host h;
	host28(&h, NULL);
	h.r.f.root = false;
	h.r.f.rule_read = false;
	h.r.f.table_loaded = -1;
	settle(&f->a, &h, true, 0);
	assert_int_equal(doctor_verdict_of(&h.r), 2);
	assert_non_null(strstr(finding(&h.r, "host", DOCTOR_NOTE), "run d6c doctor as root"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_raw_drops),
		T(test_hints),
		T(test_fwmark),
		T(test_info),
		T(test_chains),
		T(test_table),
		T(test_ports),
		T(test_judge_routed_fine),
		T(test_judge_nat_drop),
		T(test_judge_rule),
		T(test_judge_other_tables),
		T(test_judge_nftables_backend),
		T(test_judge_not_root),
	};
#undef T
	return cmocka_run_group_tests_name("doctor", tests, NULL, NULL);
}

/*
 * test_docker.c - docker_state.c and runtime/docker_api.c: Docker's network
 * JSON read into docker_state, from a file or from the daemon.
 *
 * data/docker-networks.json is GET /networks and data/docker-inspect.json
 * `docker network inspect fixed6 pool6 dual hostbits`, both saved from a
 * real dockerd 20.10.24 (API 1.41) with default-address-pools
 * 172.30.0.0/16 (/24) and 2001:db8:d00::/56 (/64); `dual` had a container
 * attached for the inspect.  The networks were made with
 *   network create --ipv6 --subnet 2001:db8:d0c::/64 fixed6
 *   network create --ipv6 pool6                          (from the pools)
 *   network create --ipv6 --subnet 192.0.2.0/24 --subnet 2001:db8:d0d::/64 dual
 *   network create --ipv6 --subnet 2001:db8:d0e::1/64 hostbits
 * Docker adds an IPv4 subnet from the pool to a network given only an
 * IPv6 one, and stores hostbits' subnet with its host bits.
 * data/docker28-networks.json is GET /networks of a dockerd 28.5.2, with a
 * network in NAT and one in routed gateway mode (test_docker28_fixture).
 *
 * With D6C_DOCKER_HOST_TEST=unix:///PATH (a daemon of one's own, which the
 * test adds a network to and removes it from: tests/docker/run.sh runs it
 * against Docker 20.10 and the newest), the last test also fetches from it
 * and watches its events; otherwise that test is skipped.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "compiler/addr.h"
#include "compiler/arena.h"
#include "compiler/docker_state.h"
#include "runtime/docker_api.h"

#include "fixture.h"

#define DATA "tests/unit/data/"

static char err[1024];

static struct docker_state *parse(struct fx *f, const char *json)
{
	err[0] = '\0';
	return docker_state_parse(&f->a, json, strlen(json), "snap.json", err, sizeof(err));
}

static void expect_error(struct fx *f, const char *json, const char *want)
{
	if (parse(f, json))
		fail_msg("parsed, expected error '%s'", want);
	assert_string_equal(err, want);
}

/* The network's subnets as one string, "A B ...". */
static const char *subnets(const struct docker_state *s, const char *name)
{
	static char buf[512];
	const struct docker_network *n = docker_state_find(s, name);
	if (!n)
		fail_msg("no network '%s'", name);
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < n->nsubnets && len < sizeof(buf); i++) {
		char one[ADDR_STRLEN];
		addr_format(&n->subnets[i], one);
		int w = snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "", one);
		assert_true(w >= 0 && (size_t)w < sizeof(buf) - len);
		len += (size_t)w;
	}
	return buf;
}

static struct docker_state *load(struct fx *f, const char *path)
{
	err[0] = '\0';
	return docker_state_load(&f->a, path, err, sizeof(err));
}

static void test_networks_fixture(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = load(f, DATA "docker-networks.json");
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->n, 7);
	assert_string_equal(s->source, DATA "docker-networks.json");
	/* Docker's order, not sorted. */
	const char *order[] = { "fixed6", "host", "pool6", "dual", "bridge", "hostbits", "none" };
	for (int i = 0; i < 7; i++)
		assert_string_equal(s->nets[i].name, order[i]);
	assert_string_equal(s->nets[0].id,
			    "eecdaaa29f11aae5b02ddb2a7b83fdbcf49f19b9e58feb81c7355ebdcc400ea3");
	assert_string_equal(subnets(s, "fixed6"), "172.30.1.0/24 2001:db8:d0c::/64");
	assert_string_equal(subnets(s, "pool6"), "172.30.2.0/24 2001:db8:d00::/64");
	assert_string_equal(subnets(s, "dual"), "192.0.2.0/24 2001:db8:d0d::/64");
	assert_string_equal(subnets(s, "bridge"), "172.30.0.0/24");
	/* Stored as 2001:db8:d0e::1/64. */
	assert_string_equal(subnets(s, "hostbits"), "172.30.3.0/24 2001:db8:d0e::/64");
	/* "Config": [] */
	assert_string_equal(subnets(s, "host"), "");
	assert_string_equal(subnets(s, "none"), "");
	const struct docker_network *d = docker_state_find(s, "dual");
	assert_int_equal(d->subnets[0].family, FAM_IP4);
	assert_int_equal(d->subnets[1].family, FAM_IP6);
	assert_int_equal(d->subnets[1].len, 64);
}

static void test_inspect_fixture(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = load(f, DATA "docker-inspect.json");
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->n, 4);
	assert_string_equal(s->nets[2].name, "dual");
	assert_string_equal(subnets(s, "dual"), "192.0.2.0/24 2001:db8:d0d::/64");
	assert_string_equal(subnets(s, "hostbits"), "172.30.3.0/24 2001:db8:d0e::/64");
}

/* pool6 as the daemon wrote it just after `network create` (before a
 * restart it gives the pool gateway with a length, "2001:db8:d00::1/64"):
 * gateways are not read, so neither form matters. */
static void test_gateway_with_length(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = parse(f,
		"[{\"Name\":\"pool6\",\"Id\":\"4348e0b1137e\",\"Scope\":\"local\","
		"\"Driver\":\"bridge\",\"EnableIPv6\":true,\"IPAM\":{\"Driver\":\"default\","
		"\"Options\":{},\"Config\":[{\"Subnet\":\"172.30.2.0/24\",\"Gateway\":\"172.30.2.1\"},"
		"{\"Subnet\":\"2001:db8:d00::/64\",\"Gateway\":\"2001:db8:d00::1/64\"}]}}]");
	if (!s)
		fail_msg("%s", err);
	assert_string_equal(subnets(s, "pool6"), "172.30.2.0/24 2001:db8:d00::/64");
}

static void test_empty_array(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = parse(f, " [ ]\n");
	assert_non_null(s);
	assert_int_equal(s->n, 0);
	assert_string_equal(s->source, "snap.json");
	assert_null(docker_state_find(s, "bridge"));
}

static void test_missing_ipam(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = parse(f,
		"[{\"Name\":\"a\",\"Id\":\"1\"},"
		"{\"Name\":\"b\",\"Id\":\"2\",\"IPAM\":null},"
		"{\"Name\":\"c\",\"Id\":\"3\",\"IPAM\":{\"Driver\":\"default\",\"Config\":null}},"
		"{\"Name\":\"d\",\"Id\":\"4\",\"IPAM\":{\"Config\":[{\"Gateway\":\"10.0.0.1\"},"
		"{\"Subnet\":\"\"},{\"Subnet\":\"10.9.0.0/16\"}]}}]");
	if (!s)
		fail_msg("%s", err);
	assert_int_equal(s->n, 4);
	assert_int_equal(docker_state_find(s, "a")->nsubnets, 0);
	assert_int_equal(docker_state_find(s, "b")->nsubnets, 0);
	assert_int_equal(docker_state_find(s, "c")->nsubnets, 0);
	assert_string_equal(subnets(s, "d"), "10.9.0.0/16");
}

static void test_host_bits_masked(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = parse(f,
		"[{\"Name\":\"h\",\"Id\":\"1\",\"IPAM\":{\"Config\":["
		"{\"Subnet\":\"2001:db8::1/64\"},{\"Subnet\":\"10.1.2.3/8\"},"
		"{\"Subnet\":\"2001:db8:1:2:3:4:5:6/61\"},{\"Subnet\":\"192.0.2.77/32\"},"
		"{\"Subnet\":\"::1/0\"},{\"Subnet\":\"2001:DB8::/048\"}]}}]");
	if (!s)
		fail_msg("%s", err);
	assert_string_equal(subnets(s, "h"),
			    "2001:db8::/64 10.0.0.0/8 2001:db8:1::/61 192.0.2.77 ::/0 2001:db8::/48");
}

static void test_bad_subnets(void **state)
{
	struct fx *f = *state;
#define NET(sub) "[{\"Name\":\"web\",\"Id\":\"1\",\"IPAM\":{\"Config\":[{\"Subnet\":" sub "}]}}]"
	expect_error(f, NET("\"2001:db8::zz/64\""),
		     "snap.json: network 'web': IPAM subnet '2001:db8::zz/64': "
		     "'2001:db8::zz' is not a valid IPv6 address");
	expect_error(f, NET("\"10.0.0.0/33\""),
		     "snap.json: network 'web': IPAM subnet '10.0.0.0/33': "
		     "prefix length '/33' is out of range for IPv4 (0-32)");
	expect_error(f, NET("\"2001:db8::/\""),
		     "snap.json: network 'web': IPAM subnet '2001:db8::/': "
		     "prefix length is missing after '/' in ::/");
	expect_error(f, NET("\"10.0.0.0\""),
		     "snap.json: network 'web': IPAM subnet '10.0.0.0': '10.0.0.0' has no prefix length");
	expect_error(f, NET("\"10.0.0.0/1234567890\""),
		     "snap.json: network 'web': IPAM subnet '10.0.0.0/1234567890': "
		     "prefix length '/1234567890' is out of range for IPv4 (0-32)");
	expect_error(f, NET("17"), "snap.json: network 'web': IPAM subnet is a number, not a string");
	expect_error(f, NET("\"fe80::1%eth0/64\""),
		     "snap.json: network 'web': IPAM subnet 'fe80::1%eth0/64': "
		     "'fe80::1%eth0' is not a valid IPv6 address");
#undef NET
}

static void test_malformed(void **state)
{
	struct fx *f = *state;
	expect_error(f, "[{\"Name\": \"x\",]",
		     "snap.json: invalid JSON at line 1, column 15: string or '}' expected near ']'");
	expect_error(f, "", "snap.json: empty, expected a JSON array of networks (what GET "
			    "/networks or `docker network inspect` gives)");
	expect_error(f, " \n\t", "snap.json: empty, expected a JSON array of networks (what GET "
			    "/networks or `docker network inspect` gives)");
	expect_error(f, "[]\n[]", "snap.json: invalid JSON at line 2, column 1: end of file expected near '['");
	expect_error(f, "{\"Name\":\"bridge\"}",
		     "snap.json: expected a JSON array of networks (what GET /networks or "
		     "`docker network inspect` gives), found an object");
	expect_error(f, "\"bridge\"",
		     "snap.json: expected a JSON array of networks (what GET /networks or "
		     "`docker network inspect` gives), found a string");
	expect_error(f, "{\"message\":\"client version 1.99 is too new. Maximum supported API version is 1.41\"}",
		     "snap.json: holds an error from the Docker daemon, not networks: "
		     "client version 1.99 is too new. Maximum supported API version is 1.41");
	expect_error(f, "[{\"Name\":\"a\",\"Id\":\"1\"}, 3]", "snap.json: network #2 is a number, not an object");
	expect_error(f, "[{\"Id\":\"1\"}]",
		     "snap.json: network #1 has no Name (is this Docker's network JSON?)");
	expect_error(f, "[{\"Name\":\"a\"}]", "snap.json: network 'a' has no Id");
	expect_error(f, "[{\"Name\":\"a\",\"Id\":\"1\",\"IPAM\":[]}]",
		     "snap.json: network 'a': IPAM is an array, not an object");
	expect_error(f, "[{\"Name\":\"a\",\"Id\":\"1\",\"IPAM\":{\"Config\":{}}}]",
		     "snap.json: network 'a': IPAM.Config is an object, not an array");
	expect_error(f, "[{\"Name\":\"a\",\"Id\":\"1\",\"IPAM\":{\"Config\":[\"10.0.0.0/8\"]}}]",
		     "snap.json: network 'a': IPAM.Config[0] is a string, not an object");
}

/* Docker 28's kind of network: data/docker28-networks.json is GET /networks
 * of a dockerd 28.5.2 after
 *   network create --ipv6 --subnet 2001:db8:d0d::/64 natnet
 *   network create --ipv6 --subnet 2001:db8:d0e::/64 \
 *       -o com.docker.network.bridge.gateway_mode_ipv6=routed routednet */
static void test_docker28_fixture(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = load(f, DATA "docker28-networks.json");
	if (!s)
		fail_msg("%s", err);
	const struct docker_network *nat = docker_state_find(s, "natnet");
	const struct docker_network *routed = docker_state_find(s, "routednet");
	const struct docker_network *bridge = docker_state_find(s, "bridge");
	const struct docker_network *host = docker_state_find(s, "host");
	assert_non_null(nat);
	assert_non_null(routed);
	assert_non_null(bridge);
	assert_non_null(host);
	assert_true(nat->guards_nat && nat->ipv6 && nat->ipv4 && !nat->internal);
	assert_string_equal(nat->driver, "bridge");
	assert_null(nat->gateway_mode6);
	assert_string_equal(nat->bridge, "br-2f416ca3143e");
	assert_string_equal(routed->gateway_mode6, "routed");
	assert_null(routed->gateway_mode4);
	assert_string_equal(bridge->bridge, "docker0");
	assert_false(bridge->ipv6);
	assert_string_equal(host->driver, "host");
	assert_null(host->bridge);
	assert_true(docker_network_nat_drops(nat, FAM_IP6));
	assert_true(docker_network_nat_drops(nat, FAM_IP4));
	assert_false(docker_network_nat_drops(routed, FAM_IP6));
	assert_true(docker_network_nat_drops(routed, FAM_IP4));
	assert_false(docker_network_nat_drops(bridge, FAM_IP6));   /* no IPv6 */
	assert_false(docker_network_nat_drops(host, FAM_IP6));
}

/* Docker 20.10's networks know no gateway modes and drop nothing routed. */
static void test_docker20_kind(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = load(f, DATA "docker-networks.json");
	if (!s)
		fail_msg("%s", err);
	const struct docker_network *n = docker_state_find(s, "fixed6");
	assert_non_null(n);
	assert_true(n->ipv6 && n->ipv4);
	assert_false(n->guards_nat);
	assert_string_equal(n->bridge, "br-eecdaaa29f11");
	assert_false(docker_network_nat_drops(n, FAM_IP6));
}

/* Every gateway mode and odd Options, written by hand. */
static void test_gateway_modes(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = parse(f,
		"[{\"Name\":\"a\",\"Id\":\"0123456789abcdef\",\"Driver\":\"bridge\","
		"\"EnableIPv4\":true,\"EnableIPv6\":true,\"Options\":{"
		"\"com.docker.network.bridge.gateway_mode_ipv6\":\"nat\","
		"\"com.docker.network.bridge.gateway_mode_ipv4\":\"routed\","
		"\"com.docker.network.bridge.name\":\"br-web\"}},"
		"{\"Name\":\"b\",\"Id\":\"b1\",\"Driver\":\"bridge\",\"EnableIPv4\":false,"
		"\"EnableIPv6\":true,\"Options\":{"
		"\"com.docker.network.bridge.gateway_mode_ipv6\":\"nat-unprotected\"}},"
		"{\"Name\":\"c\",\"Id\":\"c1\",\"Driver\":\"bridge\",\"EnableIPv4\":true,"
		"\"EnableIPv6\":true,\"Internal\":true,\"Options\":null},"
		"{\"Name\":\"d\",\"Id\":\"d1\",\"Driver\":\"bridge\",\"EnableIPv4\":true,"
		"\"EnableIPv6\":true,\"Options\":{"
		"\"com.docker.network.bridge.trusted_host_interfaces\":\"eth0:vxlan.1\"}},"
		"{\"Name\":\"e\",\"Id\":\"e1\",\"Driver\":\"macvlan\",\"EnableIPv4\":true,"
		"\"EnableIPv6\":\"yes\",\"Options\":[1,2]},"
		"{\"Name\":\"f\",\"Id\":\"f1\",\"Driver\":\"bridge\",\"EnableIPv4\":true,"
		"\"EnableIPv6\":true,\"Options\":{\"com.docker.network.bridge.name\":7}}]");
	if (!s)
		fail_msg("%s", err);
	const struct docker_network *n = s->nets;
	assert_string_equal(n[0].gateway_mode6, "nat");
	assert_string_equal(n[0].gateway_mode4, "routed");
	assert_string_equal(n[0].bridge, "br-web");
	assert_true(docker_network_nat_drops(&n[0], FAM_IP6));
	assert_false(docker_network_nat_drops(&n[0], FAM_IP4));
	assert_false(docker_network_nat_drops(&n[1], FAM_IP6));   /* nat-unprotected */
	assert_false(n[1].ipv4);
	assert_false(docker_network_nat_drops(&n[1], FAM_IP4));   /* IPv4 off */
	assert_true(n[2].internal);
	assert_false(docker_network_nat_drops(&n[2], FAM_IP6));
	assert_string_equal(n[2].bridge, "br-c1");                /* an Id shorter than 12 */
	assert_string_equal(n[3].trusted_ifaces, "eth0:vxlan.1");
	assert_false(docker_network_nat_drops(&n[3], FAM_IP6));
	assert_false(n[4].ipv6);                                  /* not a boolean: false */
	assert_null(n[4].bridge);
	assert_null(n[4].gateway_mode6);
	assert_string_equal(n[5].bridge, "br-f1");                /* a name not a string */
}

static void test_find(void **state)
{
	struct fx *f = *state;
	struct docker_state *s = parse(f,
		"[{\"Name\":\"web\",\"Id\":\"1\"},{\"Name\":\"db\",\"Id\":\"2\"},"
		"{\"Name\":\"web\",\"Id\":\"3\"}]");
	assert_non_null(s);
	assert_string_equal(docker_state_find(s, "db")->id, "2");
	/* Two of one name (CheckDuplicate=false): the first. */
	assert_string_equal(docker_state_find(s, "web")->id, "1");
	assert_null(docker_state_find(s, "We"));
	assert_null(docker_state_find(s, "we"));
	assert_null(docker_state_find(s, ""));
}

static void test_load_errors(void **state)
{
	struct fx *f = *state;
	assert_null(load(f, "/nonexistent/d6c/docker.json"));
	assert_string_equal(err, "cannot open Docker state file /nonexistent/d6c/docker.json: "
				 "No such file or directory");
	assert_null(load(f, "tests/unit/data"));
	assert_string_equal(err, "Docker state file tests/unit/data is a directory, not a regular file");
	assert_null(load(f, "/dev/null"));
	assert_string_equal(err, "Docker state file /dev/null is a special file, not a regular file");

	/* A sparse file just past the limit: cheap to make, refused before it is read. */
	const char *big = write_file(f, "big.json", "[");
	assert_int_equal(truncate(big, (off_t)DOCKER_STATE_MAX + 1), 0);
	assert_null(load(f, big));
	char want[256];
	snprintf(want, sizeof(want), "Docker state file %s is %u bytes; the limit is 64 MiB", big,
		 DOCKER_STATE_MAX + 1);
	assert_string_equal(err, want);

	/* A FIFO nobody writes is refused at once, not waited on. */
	char *fifo = NULL;
	assert_true(asprintf(&fifo, "%s/state.fifo", f->dir) > 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_true(f->nfiles < FX_MAX_FILES);
	f->files[f->nfiles++] = fifo;          /* the teardown removes it */
	assert_null(load(f, fifo));
	snprintf(want, sizeof(want), "Docker state file %s is a special file, not a regular file",
		 fifo);
	assert_string_equal(err, want);

	/* "-" is a file of that name, not the standard input. */
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	write_file(f, "-", "[{\"Name\": \"dash\", \"Id\": \"1\"}]");
	assert_int_equal(chdir(f->dir), 0);
	struct docker_state *s = load(f, "-");
	assert_int_equal(chdir(cwd), 0);
	assert_non_null(s);
	assert_string_equal(s->nets[0].name, "dash");
	assert_string_equal(s->source, "-");

	const char *bad = write_file(f, "bad.json", "[\n  {\"Name\": \"x\", \"Id\": \"1\"},\n  oops\n]\n");
	assert_null(load(f, bad));
	snprintf(want, sizeof(want), "%s: invalid JSON at line 3, column 6: invalid token near 'oops'", bad);
	assert_string_equal(err, want);

	const char *empty = write_file(f, "empty.json", "");
	assert_null(load(f, empty));
	snprintf(want, sizeof(want), "%s: empty, expected a JSON array of networks (what GET "
		 "/networks or `docker network inspect` gives)", empty);
	assert_string_equal(err, want);
}

/* DOCKER_HOST values refused before any connection is tried. */
static void test_docker_host_refused(void **state)
{
	struct fx *f = *state;
	const char *old = getenv("DOCKER_HOST");
	char *saved = old ? strdup(old) : NULL;
	setenv("DOCKER_HOST", "ssh://admin@build1", 1);
	assert_null(docker_state_fetch(&f->a, err, sizeof(err)));
	assert_non_null(strstr(err, "DOCKER_HOST=ssh://admin@build1 is not supported: d6c reaches "
				    "the Docker daemon at unix:///PATH or tcp://HOST:PORT (plain HTTP)"));
	assert_null(docker_events_open(err, sizeof(err)));
	assert_non_null(strstr(err, "DOCKER_HOST=ssh://admin@build1 is not supported"));
	setenv("DOCKER_HOST", "unix://run/docker.sock", 1);
	assert_null(docker_state_fetch(&f->a, err, sizeof(err)));
	assert_string_equal(err, "DOCKER_HOST=unix://run/docker.sock: a unix socket needs an "
				 "absolute path, as in unix:///var/run/docker.sock");
	setenv("DOCKER_HOST", "unix:///nonexistent/d6c.sock", 1);
	assert_null(docker_state_fetch(&f->a, err, sizeof(err)));
	assert_string_equal(err, "cannot reach the Docker daemon at unix:///nonexistent/d6c.sock: "
				 "Couldn't connect to server: No such file or directory "
				 "(is dockerd running? set DOCKER_HOST)");
	if (saved)
		setenv("DOCKER_HOST", saved, 1);
	else
		unsetenv("DOCKER_HOST");
	free(saved);
}

/* Runs /usr/bin/docker ARG... against host, without a shell (host comes
 * from the environment); its output goes nowhere, and its errors too when
 * quiet.  0 when it exits 0. */
static int docker_cli(const char *host, bool quiet, const char *const argv[])
{
	char name[] = "docker";
	char *args[16] = { name };   /* execv takes char *const[]; it writes none */
	int n = 1;
	for (; argv[n - 1] && n < 15; n++)
		args[n] = (char *)argv[n - 1];
	args[n] = NULL;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null < 0 || dup2(null, 1) < 0 || (quiet && dup2(null, 2) < 0) ||
		    setenv("DOCKER_HOST", host, 1) != 0)
			_exit(127);
		execv("/usr/bin/docker", args);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A network made while the stream is open is seen, by the events and by
 * the next fetch; its removal too. */
static void test_live_daemon(void **state)
{
	struct fx *f = *state;
	const char *host = getenv("D6C_DOCKER_HOST_TEST");
	if (!host || !*host)
		skip();
	setenv("DOCKER_HOST", host, 1);
	docker_cli(host, true, (const char *const[]){ "network", "rm", "d6c-unit-live", NULL });
	struct docker_events *ev = docker_events_open(err, sizeof(err));
	if (!ev)
		fail_msg("%s", err);
	struct docker_state *s = docker_state_fetch(&f->a, err, sizeof(err));
	if (!s)
		fail_msg("%s", err);
	assert_string_equal(s->source, host);
	assert_non_null(docker_state_find(s, "bridge"));
	assert_null(docker_state_find(s, "d6c-unit-live"));
	assert_int_equal(docker_events_wait(ev, 300, err, sizeof(err)), 0);

	/* Docker 20.10 keeps a subnet's host bits (d6c masks them); 27 and
	 * later refuse them ("it should be 2001:db8:d6c::/64"): then without */
	if (docker_cli(host, true,
		       (const char *const[]){ "network", "create", "--ipv6", "--subnet",
					      "2001:db8:d6c::1/64", "d6c-unit-live", NULL }) != 0)
		assert_int_equal(docker_cli(host, false,
					    (const char *const[]){ "network", "create", "--ipv6",
								   "--subnet", "2001:db8:d6c::/64",
								   "d6c-unit-live", NULL }), 0);
	assert_int_equal(docker_events_wait(ev, 5000, err, sizeof(err)), 1);
	assert_string_equal(docker_events_changes(ev), "create d6c-unit-live");
	s = docker_state_fetch(&f->a, err, sizeof(err));
	if (!s)
		fail_msg("%s", err);
	const struct docker_network *n = docker_state_find(s, "d6c-unit-live");
	assert_non_null(n);
	/* its IPv6 subnet: 20.10 lists the IPv4 one from the pool first, 28 last */
	int k = 0;
	while (k < n->nsubnets && n->subnets[k].family != FAM_IP6)
		k++;
	assert_true(k < n->nsubnets);
	char buf[ADDR_STRLEN];
	addr_format(&n->subnets[k], buf);
	assert_string_equal(buf, "2001:db8:d6c::/64");

	assert_int_equal(docker_cli(host, false,
				    (const char *const[]){ "network", "rm", "d6c-unit-live", NULL }),
			 0);
	assert_int_equal(docker_events_wait(ev, 5000, err, sizeof(err)), 1);
	assert_string_equal(docker_events_changes(ev), "destroy d6c-unit-live");
	docker_events_close(ev);
	unsetenv("DOCKER_HOST");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_networks_fixture),
		T(test_inspect_fixture),
		T(test_gateway_with_length),
		T(test_empty_array),
		T(test_missing_ipam),
		T(test_host_bits_masked),
		T(test_bad_subnets),
		T(test_malformed),
		T(test_docker28_fixture),
		T(test_docker20_kind),
		T(test_gateway_modes),
		T(test_find),
		T(test_load_errors),
		T(test_docker_host_refused),
		T(test_live_daemon),
	};
#undef T
	return cmocka_run_group_tests_name("docker", tests, NULL, NULL);
}

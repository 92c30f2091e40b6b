/*
 * names.c - services and ICMP type names, as designated-initializer tables.
 *
 * ICMP names are nftables' own (`nft describe icmpv6 type`), so that what a
 * policy says reads the same in the generated ruleset.
 */
#include "names.h"
#include "addr.h"

#include <string.h>

const struct service names_services[] = {
	{ "ftp", 21 },       { "ssh", 22 },       { "telnet", 23 },
	{ "smtp", 25 },      { "dns", 53 },       { "domain", 53 },
	{ "http", 80 },      { "pop3", 110 },     { "ntp", 123 },
	{ "imap", 143 },     { "snmp", 161 },     { "ldap", 389 },
	{ "https", 443 },    { "submission", 587 }, { "ldaps", 636 },
	{ "imaps", 993 },    { "pop3s", 995 },    { "mysql", 3306 },
	{ "postgres", 5432 }, { "redis", 6379 },
};
const size_t names_nservices = sizeof(names_services) / sizeof(names_services[0]);

static const struct icmp_type icmp4[] = {
	{ "echo-reply", 0 },
	{ "destination-unreachable", 3 },
	{ "source-quench", 4 },
	{ "redirect", 5 },
	{ "echo-request", 8 },
	{ "router-advertisement", 9 },
	{ "router-solicitation", 10 },
	{ "time-exceeded", 11 },
	{ "parameter-problem", 12 },
	{ "timestamp-request", 13 },
	{ "timestamp-reply", 14 },
	{ "info-request", 15 },
	{ "info-reply", 16 },
	{ "address-mask-request", 17 },
	{ "address-mask-reply", 18 },
};

static const struct icmp_type icmp6[] = {
	{ "destination-unreachable", 1 },
	{ "packet-too-big", 2 },
	{ "time-exceeded", 3 },
	{ "parameter-problem", 4 },
	{ "echo-request", 128 },
	{ "echo-reply", 129 },
	{ "mld-listener-query", 130 },
	{ "mld-listener-report", 131 },
	{ "mld-listener-done", 132 },
	{ "mld-listener-reduction", 132 },
	{ "nd-router-solicit", 133 },
	{ "nd-router-advert", 134 },
	{ "nd-neighbor-solicit", 135 },
	{ "nd-neighbor-advert", 136 },
	{ "nd-redirect", 137 },
	{ "router-renumbering", 138 },
	{ "ind-neighbor-solicit", 141 },
	{ "ind-neighbor-advert", 142 },
	{ "mld2-listener-report", 143 },
};

/* Names of other tools (iptables' --icmp-type, ip6tables' --icmpv6-type,
 * ping) for nftables' ones: a hint only, never a name of the language. */
static const struct {
	const char *name;
	int family;
	const char *nft;
} icmp_aliases[] = {
	{ "ping", FAM_IP4 | FAM_IP6, "echo-request" },
	{ "echo", FAM_IP4 | FAM_IP6, "echo-request" },
	{ "pong", FAM_IP4 | FAM_IP6, "echo-reply" },
	{ "ttl-exceeded", FAM_IP4 | FAM_IP6, "time-exceeded" },
	{ "neighbour-solicitation", FAM_IP6, "nd-neighbor-solicit" },
	{ "neighbor-solicitation", FAM_IP6, "nd-neighbor-solicit" },
	{ "neighbour-advertisement", FAM_IP6, "nd-neighbor-advert" },
	{ "neighbor-advertisement", FAM_IP6, "nd-neighbor-advert" },
	{ "router-solicitation", FAM_IP6, "nd-router-solicit" },
	{ "router-advertisement", FAM_IP6, "nd-router-advert" },
	{ "redirect", FAM_IP6, "nd-redirect" },
};

const char *names_icmp_alias(int families, const char *name)
{
	for (size_t i = 0; i < sizeof(icmp_aliases) / sizeof(icmp_aliases[0]); i++)
		if ((icmp_aliases[i].family & families) && strcmp(icmp_aliases[i].name, name) == 0)
			return icmp_aliases[i].nft;
	return NULL;
}

/* The contract's `basic` groups: what a host needs to work, plus ping. */
static const int basic4[] = { 3, 8, 11, 12 };
static const int basic6[] = { 1, 2, 3, 4, 128, 134, 135, 136 };

int names_service_port(const char *name)
{
	for (size_t i = 0; i < names_nservices; i++)
		if (strcmp(names_services[i].name, name) == 0)
			return names_services[i].port;
	return -1;
}

const struct icmp_type *names_icmp_all(int family, size_t *n)
{
	if (family == FAM_IP4) {
		*n = sizeof(icmp4) / sizeof(icmp4[0]);
		return icmp4;
	}
	*n = sizeof(icmp6) / sizeof(icmp6[0]);
	return icmp6;
}

int names_icmp_type(int family, const char *name)
{
	size_t n;
	const struct icmp_type *t = names_icmp_all(family, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].type;
	return -1;
}

const char *names_icmp_name(int family, int type)
{
	size_t n;
	const struct icmp_type *t = names_icmp_all(family, &n);
	for (size_t i = 0; i < n; i++)
		if (t[i].type == type)
			return t[i].name;
	return NULL;
}

size_t names_icmp_basic(int family, const int **types)
{
	if (family == FAM_IP4) {
		*types = basic4;
		return sizeof(basic4) / sizeof(basic4[0]);
	}
	*types = basic6;
	return sizeof(basic6) / sizeof(basic6[0]);
}

/* Words nftables 1.0.6 refuses as a table name: `table inet log { }` is a
 * syntax error.  Made by tests/tools/nft-reserved-names.sh; rerun it when
 * nftables is upgraded, since new keywords arrive with new versions. */
static const char *const nft_reserved[] = {
	"accept", "add", "ah", "all", "arp", "bridge", "cgroup", "chain",
	"comment", "comp", "constant", "continue", "counter", "cpu", "create",
	"ct", "day", "dccp", "define", "delete", "describe", "device", "devices",
	"dnat", "drop", "dst", "dup", "dynamic", "ecn", "element", "elements",
	"esp", "ether", "exists", "expires", "export", "exthdr", "fib", "flags",
	"flow", "flowtable", "flush", "frag", "fwd", "get", "goto", "handle",
	"hbh", "hook", "hour", "ibriport", "ibrname", "icmp", "icmpv6", "igmp",
	"iif", "iifgroup", "iifname", "iiftype", "import", "include", "index",
	"inet", "insert", "interval", "ip", "ip6", "ipsec", "jhash", "jump",
	"limit", "list", "log", "map", "mark", "masquerade", "meta", "meter",
	"mh", "missing", "monitor", "netdev", "nftrace", "notrack", "numgen",
	"obriport", "obrname", "offload", "oif", "oifgroup", "oifname", "oiftype",
	"or", "osf", "pkttype", "policy", "position", "priority", "queue",
	"quota", "random", "redefine", "redirect", "reject", "rename", "replace",
	"reset", "return", "rt", "rt0", "rt2", "rtclassid", "rule", "ruleset",
	"sctp", "secmark", "set", "size", "skgid", "skuid", "snat", "socket",
	"srh", "symhash", "synproxy", "table", "tcp", "th", "time", "timeout",
	"tproxy", "type", "typeof", "udp", "udplite", "undefine", "update",
	"vlan", "vmap", "xt",
};

bool names_nft_reserved(const char *name)
{
	for (size_t i = 0; i < sizeof(nft_reserved) / sizeof(nft_reserved[0]); i++)
		if (strcmp(nft_reserved[i], name) == 0)
			return true;
	return false;
}

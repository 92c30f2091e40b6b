/*
 * tables.c - services and ICMP type names, as designated-initializer tables.
 *
 * ICMP names are nftables' own (`nft describe icmpv6 type`), so that what a
 * policy says reads the same in the generated ruleset.
 */
#include "tables.h"
#include "addr.h"

#include <string.h>

const struct service tables_services[] = {
	{ "ftp", 21 },       { "ssh", 22 },       { "telnet", 23 },
	{ "smtp", 25 },      { "dns", 53 },       { "domain", 53 },
	{ "http", 80 },      { "pop3", 110 },     { "ntp", 123 },
	{ "imap", 143 },     { "snmp", 161 },     { "ldap", 389 },
	{ "https", 443 },    { "submission", 587 }, { "ldaps", 636 },
	{ "imaps", 993 },    { "pop3s", 995 },    { "mysql", 3306 },
	{ "postgres", 5432 }, { "redis", 6379 },
};
const size_t tables_nservices = sizeof(tables_services) / sizeof(tables_services[0]);

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

/* The contract's `basic` groups: what a host needs to work, plus ping. */
static const int basic4[] = { 3, 8, 11, 12 };
static const int basic6[] = { 1, 2, 3, 4, 128, 134, 135, 136 };

int tables_service_port(const char *name)
{
	for (size_t i = 0; i < tables_nservices; i++)
		if (strcmp(tables_services[i].name, name) == 0)
			return tables_services[i].port;
	return -1;
}

const struct icmp_type *tables_icmp_all(int family, size_t *n)
{
	if (family == FAM_IP4) {
		*n = sizeof(icmp4) / sizeof(icmp4[0]);
		return icmp4;
	}
	*n = sizeof(icmp6) / sizeof(icmp6[0]);
	return icmp6;
}

int tables_icmp_type(int family, const char *name)
{
	size_t n;
	const struct icmp_type *t = tables_icmp_all(family, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].type;
	return -1;
}

const char *tables_icmp_name(int family, int type)
{
	size_t n;
	const struct icmp_type *t = tables_icmp_all(family, &n);
	for (size_t i = 0; i < n; i++)
		if (t[i].type == type)
			return t[i].name;
	return NULL;
}

size_t tables_icmp_basic(int family, const int **types)
{
	if (family == FAM_IP4) {
		*types = basic4;
		return sizeof(basic4) / sizeof(basic4[0]);
	}
	*types = basic6;
	return sizeof(basic6) / sizeof(basic6[0]);
}

/*
 * names.h - fixed data of the language: services and ICMP types.
 *
 * Built in, never read from /etc/services or the running nft: a policy must
 * compile to the same bytes on every machine.
 */
#ifndef D6C_NAMES_H
#define D6C_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct service {
	const char *name;
	int port;
};

struct icmp_type {
	const char *name;
	int type;
};

extern const struct service names_services[];
extern const size_t names_nservices;

/* Returns the port of a built-in service, or -1. */
int names_service_port(const char *name);
/* ICMP type number by nftables name for one family (FAM_IP4/FAM_IP6), or -1. */
int names_icmp_type(int family, const char *name);
/* nftables' name of an ICMP type number, or NULL when it has none. */
const char *names_icmp_name(int family, int type);
/* The `basic` group of a family: numbers, ascending; returns the count. */
size_t names_icmp_basic(int family, const int **types);
/* Every ICMP type name of a family, for documentation and listings. */
const struct icmp_type *names_icmp_all(int family, size_t *n);

/* nftables' name for another tool's ICMP type name (ping, ip6tables'
 * neighbour-solicitation) in one of families (FAM_IP4 | FAM_IP6), or NULL. */
const char *names_icmp_alias(int families, const char *name);

/* True for words nftables' text parser refuses as a table name. */
bool names_nft_reserved(const char *name);

#endif

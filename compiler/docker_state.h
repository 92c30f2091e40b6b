/*
 * docker_state.h - what the Docker daemon says its networks are, parsed.
 *
 * A policy names Docker networks; d6c learns their subnets from the JSON of
 * the Engine API's GET /networks, which runtime/docker_api.h fetches, or
 * from a snapshot of the same JSON (--docker-state FILE, e.g. `docker
 * network inspect NET... > FILE`).  The `docker` CLI's table output is never
 * parsed.  This file only reads: no socket, no daemon.
 *
 * Convention: a state lives in the caller's arena and all its strings with
 * it.  Every function that fails writes a message an administrator can act
 * on into err (errlen bytes, always NUL-terminated) and returns NULL.
 */
#ifndef D6C_DOCKER_STATE_H
#define D6C_DOCKER_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "arena.h"

/* The largest network list d6c reads, from a file or from the daemon. */
#define DOCKER_STATE_MAX (64u << 20)

struct docker_network {
	const char *name;
	const char *id;
	/* IPAM.Config[].Subnet, both families, canonical (host bits masked),
	 * in the order Docker lists them; 0 for networks without IPAM config
	 * (host, none) and for config entries that name no subnet. */
	struct prefix *subnets;
	int nsubnets;
	const char *driver;        /* "bridge", "host", "null", "macvlan"...; "" if absent */
	bool ipv6;                 /* EnableIPv6 */
	bool ipv4;                 /* EnableIPv4, true where absent (before Docker 28) */
	bool internal;             /* Internal: Docker forwards nothing in or out */
	/* EnableIPv4 is there: the daemon is Docker 28 or later, which drops
	 * packets routed straight to a container of a NAT network (raw
	 * PREROUTING); earlier daemons have no such drop. */
	bool guards_nat;
	/* Options "com.docker.network.bridge.gateway_mode_ipv6" and "..._ipv4"
	 * as Docker stores them ("nat", "nat-unprotected", "routed",
	 * "isolated"); NULL when absent, which means "nat". */
	const char *gateway_mode6, *gateway_mode4;
	/* Options "com.docker.network.bridge.trusted_host_interfaces" (direct
	 * routing allowed from these); NULL when absent. */
	const char *trusted_ifaces;
	/* The bridge device of a bridge network: Options
	 * "com.docker.network.bridge.name", else "br-" and the first 12
	 * characters of the Id; NULL for other drivers. */
	const char *bridge;
};

struct docker_state {
	struct docker_network *nets;  /* in the order Docker lists them */
	int n;
	/* "unix:///var/run/docker.sock" (the DOCKER_HOST used) or the snapshot's
	 * path: where the state came from, for messages. */
	const char *source;
};

/* Parses the JSON array that GET /networks returns (or `docker network
 * inspect NAME...` prints: the same objects).  Name and Id are required;
 * a missing or null IPAM or IPAM.Config means no subnets.  A Subnet that
 * is no address/length is an error naming the network; one with host bits
 * set (Docker stores 2001:db8::1/64 as given) is masked to its prefix.
 * source names the input in messages and is copied into the state. */
struct docker_state *docker_state_parse(struct arena *a, const char *json, size_t len,
					const char *source, char *err, size_t errlen);

/* --docker-state FILE: reads path (a regular file of at most
 * DOCKER_STATE_MAX bytes that does not change while it is read; "-" is a
 * file of that name), then docker_state_parse() with the path as source. */
struct docker_state *docker_state_load(struct arena *a, const char *path,
				       char *err, size_t errlen);

/* Whether Docker drops packets routed straight to n's containers of family
 * (FAM_IP6 or FAM_IP4) in raw PREROUTING, as its NAT gateway mode does from
 * Docker 28 on: a bridge network with the family enabled, in mode "nat"
 * (or none given), with no trusted host interfaces. */
bool docker_network_nat_drops(const struct docker_network *n, int family);

/* The first network called name, or NULL.  Docker normally refuses a
 * second network of the same name, but its API can be told not to check
 * (CheckDuplicate=false), so a list may hold two. */
const struct docker_network *docker_state_find(const struct docker_state *s,
					       const char *name);

#endif

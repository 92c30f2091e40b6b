/*
 * docker.h - what the Docker daemon says its networks are.
 *
 * A policy names Docker networks; d6c learns their subnets from the Engine
 * API (GET /networks, through libcurl) or from a snapshot of the same JSON
 * (--docker-state FILE, e.g. `docker network inspect NET... > FILE`).  The
 * `docker` CLI's table output is never parsed.  For --follow-docker the
 * event stream (GET /events, network events only) says when to refetch.
 *
 * Where the daemon is: DOCKER_HOST if set and not empty, else
 * unix:///var/run/docker.sock.  unix:///PATH and tcp://HOST[:PORT] (plain
 * HTTP, port 2375 by default) are understood; anything else (ssh://, fd://,
 * DOCKER_TLS_VERIFY...) is an error that names DOCKER_HOST.
 *
 * Convention: a state lives in the caller's arena and all its strings with
 * it; the events object is malloc'd and freed by docker_events_close().
 * Every function that fails writes a message an administrator can act on
 * into err (errlen bytes, always NUL-terminated) and returns NULL or -1.
 */
#ifndef D6C_DOCKER_H
#define D6C_DOCKER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "compiler/addr.h"
#include "compiler/arena.h"

#define DOCKER_DEFAULT_HOST "unix:///var/run/docker.sock"
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
 * DOCKER_STATE_MAX bytes), then docker_state_parse() with the path as
 * source. */
struct docker_state *docker_state_load(struct arena *a, const char *path,
				       char *err, size_t errlen);

/* GET /networks from the daemon (see above for where it is), with a 5 s
 * connect and a 15 s total timeout, so a wedged daemon cannot hang apply.
 * The path is unversioned (/networks, not /v1.41/networks): every daemon
 * answers it in its own newest API version, so no version is refused. */
struct docker_state *docker_state_fetch(struct arena *a, char *err, size_t errlen);

/* Whether Docker drops packets routed straight to n's containers of family
 * (FAM_IP6 or FAM_IP4) in raw PREROUTING, as its NAT gateway mode does from
 * Docker 28 on: a bridge network with the family enabled, in mode "nat"
 * (or none given), with no trusted host interfaces. */
bool docker_network_nat_drops(const struct docker_network *n, int family);

/* GET path (as "/info") from the daemon, with the timeouts above: the body
 * of a 200 answer, malloc'd, NUL-terminated, of at most max bytes, its
 * length in *len; NULL with err set for anything else. */
char *docker_api_get(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/* Where the daemon is, as messages name it: DOCKER_HOST, or the default. */
const char *docker_host_name(void);

/* The first network called name, or NULL.  Docker normally refuses a
 * second network of the same name, but its API can be told not to check
 * (CheckDuplicate=false), so a list may hold two. */
const struct docker_network *docker_state_find(const struct docker_state *s,
					       const char *name);

/* ---- events: GET /events?filters={"type":["network"]} ---- */

struct docker_events;

/* Opens the event stream and returns once the daemon has answered 200
 * (within 15 s), so a refused or failing request is reported here.
 *
 * Open the stream FIRST, then docker_state_fetch(): a network created
 * between a fetch and an open would otherwise be seen by neither.  The
 * request also asks for events since the moment of the call (`since`),
 * which the daemon replays from its buffer, to cover the moment between
 * its answering and its subscribing.  (With a daemon on another host,
 * whose clock differs, that replay may bring one old event: one extra
 * refetch.) */
struct docker_events *docker_events_open(char *err, size_t errlen);

/* Waits up to timeout_ms (negative: no limit) for network events.
 * Returns 1 when at least one complete event arrived (all buffered events
 * are consumed; docker_events_changes() says which), 0 when the time
 * passed with none, or when the stop flag was raised, and -1 when the
 * stream ended or the daemon went away (err says why; every later call
 * returns -1 too).  Waits in slices of at most 200 ms, and a signal
 * handler's return cuts a slice short, so a SIGINT/SIGTERM handler that
 * raises the flag given to docker_events_set_stop() ends the wait at once. */
int docker_events_wait(struct docker_events *ev, int timeout_ms, char *err, size_t errlen);

/* A flag (set by the caller's signal handler, say) that ends a wait with
 * 0 as soon as it is nonzero; NULL for none. */
void docker_events_set_stop(struct docker_events *ev, volatile sig_atomic_t *stop);

/* What the events of the last wait that returned 1 were, for a log line:
 * "create net1, connect net1" (ACTION NETWORK, in arrival order; cut short
 * with "..." when long).  Valid until the next wait. */
const char *docker_events_changes(const struct docker_events *ev);

/* Closes the stream and frees ev; NULL is fine. */
void docker_events_close(struct docker_events *ev);

#endif

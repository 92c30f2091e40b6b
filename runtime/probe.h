/*
 * probe.h - real packets through a real kernel that carries a ruleset.
 *
 * probe_open() builds three private network namespaces, outside -- router --
 * container, joined by veth pairs.  They are held only by file descriptors
 * of this process, never bind-mounted, so they vanish when it exits,
 * however it exits.  probe_load() puts a ruleset into the router; probe_run()
 * sends crafted packets (the first packet of a new flow each: a TCP SYN, a
 * UDP datagram, an ICMP message of any type) from the outside with any
 * source address, and reads what happened from both sides: a packet that
 * reached the container side was accepted, one answered by the router with
 * a TCP reset or an ICMP administratively-prohibited was rejected, one of
 * which nothing came out was dropped.  No packet waits a timeout of its
 * own: a batch is sent at once and read after one short quiet period.
 *
 * Every packet arrives at the router on r0.  By default the router's main
 * table sends every address back out r0, so no source looks forged to a
 * reverse path check; probe_route_set() routes chosen prefixes to the
 * container side (r1) instead, which makes a packet from them arriving on
 * r0 a forged one.  The router's answers follow those routes too, so they
 * are looked for on both sides.
 *
 * Needs CAP_SYS_ADMIN and CAP_NET_ADMIN (root).  The router's addresses are
 * 198.18.0.1, 198.18.0.5 and link-local ones; probe_usable() says which
 * addresses a packet may carry.
 *
 * PKT_OTHER goes out as an SCTP INIT (protocol 132, port 9), which
 * conntrack takes as new.  The kernel answers no ICMP message that it
 * counts as an error (IPv4 types 1-7, 9-12 and above 18; ICMPv6 types
 * below 128) with an ICMP error, so rejecting one of those shows as
 * OUTCOME_DROP.
 */
#ifndef D6C_PROBE_H
#define D6C_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/eval.h"
#include "compiler/outcome.h"


struct probe;

/* NULL on failure, with the reason in err. */
struct probe *probe_open(char *err, size_t errlen);
/* Loads an nftables script (json false) or JSON ruleset into the router, in
 * addition to what is there (d6c's output replaces its own table).  0 on
 * success; else -1 with nftables' message in err. */
int probe_load(struct probe *k, const char *ruleset, bool json, char *err, size_t errlen);
/* Runs nft command cmd in the router; its output, malloc'ed, in *out.  0,
 * or -1 with nftables' message in err. */
int probe_nft(struct probe *k, const char *cmd, char **out, char *err, size_t errlen);
/* Sends the n packets and stores what became of each in out[].  Every
 * packet gets a conntrack tuple of its own for the life of k.  0 on
 * success; -1 with the reason in err (a system error, an unusable address). */
int probe_run(struct probe *k, const struct pkt *pkts, int n, enum outcome *out,
	     char *err, size_t errlen);
void probe_close(struct probe *k);
/* Replaces the routes probe_route_set() added to the router's main table
 * with v: each prefix by the interface named, "r0" (the outside) or "r1"
 * (the container side); struct eval_routes with dflt "r0" describes the
 * result to the evaluator.  Host bits are ignored; a prefix given twice
 * must name the same interface.  They stay across probe_run()'s rebuilds.
 * 0 on success; -1 with the reason in err (if the kernel refused, the
 * namespaces are given up, as their routes are unknown). */
int probe_route_set(struct probe *k, const struct eval_route *v, int n, char *err,
		   size_t errlen);

/* False, with the reason, for an address the topology cannot carry
 * (loopback, multicast, link-local, unspecified, the router's own...). */
bool probe_usable(int family, u128 addr, char *why, size_t whylen);
#endif

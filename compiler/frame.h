/*
 * frame.h - the probe's packets as bytes: crafting the Ethernet frames that
 * runtime/probe.c sends, and reading what comes back.
 *
 * A struct pkt becomes a struct frame_sent (the addresses as bytes, the IP
 * protocol number, the tag and the port), then a frame: the first packet of
 * a new flow, every checksum right.  What the router lets through or sends
 * back is matched against the frame_sent records of a batch and turns into
 * outcomes (outcome.h).  Nothing here touches a socket or a clock: probe.c
 * moves the bytes, this file decides what they are.
 *
 * Convention: a packet is found again by its tag, a 16-bit number that the
 * caller makes unique (probe.c: for the life of its namespaces), carried as
 * the TCP/UDP/SCTP source port and as the ICMP identifier (bytes 4-5 of the
 * ICMP header).  Tags of one batch are consecutive from frame_batch.base,
 * so a tag minus base is the packet's index.
 */
#ifndef D6C_FRAME_H
#define D6C_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outcome.h"
#include "packet.h"

/* The largest frame built or read. */
#define FRAME_MAX 2048

/* One packet as it goes on the wire, in the form answers are compared with. */
struct frame_sent {
	int af_len;             /* address length: 4 or 16 */
	uint8_t src[16], dst[16];
	int proto;              /* IP protocol number */
	uint16_t tag, port;
};

/* Checks p's protocol, port and ICMP type and fills s with tag; -1 with the
 * reason in err ("packet I+1: ...", i being p's index) when p is no packet.
 * The addresses are not judged: which ones can travel is the caller's
 * topology (probe_usable). */
int frame_describe(const struct pkt *p, int i, uint16_t tag, struct frame_sent *s, char *err,
		   size_t errlen);
/* The whole Ethernet frame of p (described by s) from src_mac to dst_mac
 * into f, FRAME_MAX bytes already zeroed; returns its length. */
size_t frame_build(const struct pkt *p, const struct frame_sent *s, const uint8_t dst_mac[6],
		   const uint8_t src_mac[6], uint8_t *f);

/* An IP packet as read, pointing into the bytes it was read from. */
struct frame_ip {
	int af_len;
	const uint8_t *src, *dst;
	int proto;
	const uint8_t *l4;
	size_t l4len;           /* what the bytes hold of it */
};

/* An IPv4 or IPv6 packet at p (n bytes, maybe cut short, as inside an ICMP
 * error) into v; false when it is none, or a later IPv4 fragment.  No IPv6
 * extension headers: neither the probe's packets nor the router's answers
 * have any. */
bool frame_parse_ip(const uint8_t *p, size_t n, struct frame_ip *v);
/* The tag a packet of ours carries at v's layer 4; -1 if it cannot. */
int frame_tag(const struct frame_ip *v);

/* The packets of one batch and what became of each so far. */
struct frame_batch {
	const struct frame_sent *s;
	int n;
	unsigned base;          /* the first tag */
	enum outcome *out;      /* n of them, OUTCOME_DROP until evidence comes */
	int decided;            /* packets out of OUTCOME_DROP */
};

/* Where a frame was heard. */
enum frame_side {
	FRAME_OUTSIDE,          /* where the packets were sent: answers come here */
	FRAME_CONTAINER,        /* beyond the router: what it forwarded */
};

/* Reads one Ethernet frame (n bytes) heard on side: a forwarded packet of
 * the batch (container side only), a TCP reset to one, or an ICMP error
 * quoting one, the answers looked for on both sides (they follow the
 * router's routes).  When a packet leaves more than one piece of evidence,
 * the strongest wins: accept, then a reset or admin-prohibited, then
 * another ICMP error.  True when the frame told something new. */
bool frame_heard(struct frame_batch *b, const uint8_t *f, size_t n, enum frame_side side);

#endif

/*
 * packet.h - one packet (struct pkt), as the evaluator, explain, test files
 * and the probe take it, and its description as administrators write it.
 *
 *     PROTO SRC -> DST [port N | type NAME|N]
 *
 * PROTO is tcp, udp or icmp (ICMPv6 for IPv6 addresses).  tcp and udp need
 * `port N` (a number or a service name); icmp takes an optional `type`
 * (nftables' name or a number), echo-request when none is given.  The same
 * words appear in `d6c explain` arguments and in policy test files, so the
 * scanner works on any span of a source file and errors carry
 * FILE:LINE:COL like every other diagnostic.
 */
#ifndef D6C_PACKET_H
#define D6C_PACKET_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "diag.h"

enum pkt_proto {
	PKT_TCP,
	PKT_UDP,
	PKT_ICMP,    /* ICMP for IPv4, ICMPv6 for IPv6 */
	PKT_OTHER,   /* any other layer-4 protocol (lint's "every protocol") */
};

/* The first packet of a new flow: what the evaluator decides (eval.h) and
 * the probe sends (frame.h). */
struct pkt {
	int family;             /* FAM_IP4 or FAM_IP6 */
	enum pkt_proto proto;
	u128 src, dst;          /* as addr_first() gives them */
	int port;               /* tcp/udp: destination port */
	int icmp_type;          /* icmp: type, 0-255 */
	const char *iif;        /* the interface it arrives on (`in IFACE`);
	                           NULL: the one that reaches its source */
};

/* Words of a source span: separated by blanks; '#' starts a comment to the
 * end of the line; ';' is a word of its own. */
struct pkt_lexer {
	const struct src_file *f;
	size_t pos, end;
	int line, col;
};

struct pkt_word {
	const char *s;      /* not NUL-terminated */
	size_t len;
	struct loc loc;
};

void pkt_lexer_init(struct pkt_lexer *lx, const struct src_file *f);
/* The next word, or false at the end of the span. */
bool pkt_next(struct pkt_lexer *lx, struct pkt_word *w);
bool pkt_peek(const struct pkt_lexer *lx, struct pkt_word *w);
bool pkt_word_is(const struct pkt_word *w, const char *s);

/* Parses one packet description from lx, stopping before `stop` (a word
 * that may follow it, e.g. a verdict in a test file; NULL: the span must
 * end after the packet).  On error queues one diagnostic at the offending
 * word and returns false.  *span receives the description's extent. */
bool pkt_parse(struct arena *a, struct diag_list *dl, struct pkt_lexer *lx,
	       bool (*stop)(const struct pkt_word *w), struct pkt *out, struct loc *span);

/* One packet from the whole of f (line 0) or from its line `line` alone;
 * *empty: that line holds no word (a blank line of a packet list, which
 * is no error).  False on a malformed packet (the error is queued). */
bool pkt_parse_line(struct arena *a, struct diag_list *dl, const struct src_file *f, int line,
		    struct pkt *out, bool *empty);

/* "tcp 2001:db8:1::2 -> 2001:db8::10 port 22"; the caller's buffer. */
#define PKT_STRLEN 200
void pkt_format(const struct pkt *p, char buf[PKT_STRLEN]);

#endif

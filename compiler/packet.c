/*
 * packet.c - scanning and parsing packet descriptions.
 *
 * A description is a handful of blank-separated words, so a small word
 * scanner does instead of flex; it tracks lines and columns itself so that
 * every error points at the word it is about.  Each error says which word
 * was wrong and what was expected there.
 */
#include "packet.h"
#include "arena.h"
#include "names.h"

#include <stdio.h>
#include <string.h>

void pkt_lexer_init(struct pkt_lexer *lx, const struct src_file *f)
{
	*lx = (struct pkt_lexer){ .f = f, .pos = 0, .end = f->len, .line = 1, .col = 1 };
}

static void advance(struct pkt_lexer *lx)
{
	if (lx->f->text[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool pkt_next(struct pkt_lexer *lx, struct pkt_word *w)
{
	const char *t = lx->f->text;
	for (;;) {
		while (lx->pos < lx->end && is_blank(t[lx->pos]))
			advance(lx);
		if (lx->pos < lx->end && t[lx->pos] == '#') {
			while (lx->pos < lx->end && t[lx->pos] != '\n')
				advance(lx);
			continue;
		}
		break;
	}
	if (lx->pos >= lx->end)
		return false;
	w->s = t + lx->pos;
	w->loc = (struct loc){ lx->f, lx->line, lx->col, lx->line, lx->col };
	if (t[lx->pos] == ';') {
		advance(lx);
	} else {
		while (lx->pos < lx->end && !is_blank(t[lx->pos]) && t[lx->pos] != ';' &&
		       t[lx->pos] != '#')
			advance(lx);
	}
	w->len = (size_t)(t + lx->pos - w->s);
	w->loc.last_column = lx->col - 1;
	return true;
}

bool pkt_peek(const struct pkt_lexer *lx, struct pkt_word *w)
{
	struct pkt_lexer copy = *lx;
	return pkt_next(&copy, w);
}

bool pkt_word_is(const struct pkt_word *w, const char *s)
{
	return strlen(s) == w->len && memcmp(w->s, s, w->len) == 0;
}

static char *word_text(struct arena *a, const struct pkt_word *w)
{
	return arena_strndup(a, w->s, w->len);
}

/* The word as quoted in a message: at most 60 bytes of it. */
static const char *quoted(struct arena *a, const struct pkt_word *w)
{
	if (w->len <= 60)
		return arena_printf(a, "'%s'", word_text(a, w));
	return arena_printf(a, "'%.57s...'", w->s);
}

/* The loc just after the last word, for "missing X" errors at the end. */
static struct loc after(const struct loc *last)
{
	struct loc l = *last;
	l.first_column = l.last_column = last->last_column + 1;
	return l;
}

static bool parse_addr(struct arena *a, struct diag_list *dl, const struct pkt_word *w,
		       const char *what, int *family, u128 *v)
{
	char *text = word_text(a, w);
	struct prefix p;
	if (strchr(text, '/')) {
		diag_error(dl, DC_PKT_PREFIX, w->loc, "%s: a packet has one address, not a prefix; write an "
			   "address without '/LEN'", what);
		return false;
	}
	enum addr_err e = addr_parse(text, &p);
	if (e != ADDR_OK) {
		char err[160];
		addr_error_message(e, text, err, sizeof(err));
		diag_error(dl, DC_PKT_ADDR, w->loc, "%s address expected: %s", what, err);
		return false;
	}
	*family = p.family;
	*v = addr_first(&p);
	return true;
}

static bool parse_number(const struct pkt_word *w, long max, long *out)
{
	if (w->len == 0 || w->len > 9)
		return false;
	long n = 0;
	for (size_t i = 0; i < w->len; i++) {
		if (w->s[i] < '0' || w->s[i] > '9')
			return false;
		n = n * 10 + (w->s[i] - '0');
	}
	if (n > max)
		return false;
	*out = n;
	return true;
}

static bool parse_port(struct arena *a, struct diag_list *dl, const struct pkt_word *w,
		       int *port)
{
	long n;
	if (parse_number(w, 65535, &n)) {
		*port = (int)n;
		return true;
	}
	int s = names_service_port(word_text(a, w));
	if (s >= 0) {
		*port = s;
		return true;
	}
	diag_error(dl, DC_PKT_PORT, w->loc, "%s is not a port: expected a number 0-65535 or a service "
		   "name such as ssh or https", quoted(a, w));
	return false;
}

static bool parse_icmp_type(struct arena *a, struct diag_list *dl, const struct pkt_word *w,
			    int family, int *type)
{
	long n;
	if (parse_number(w, 255, &n)) {
		*type = (int)n;
		return true;
	}
	char *name = word_text(a, w);
	int t = names_icmp_type(family, name);
	if (t >= 0) {
		*type = t;
		return true;
	}
	int other = family == FAM_IP6 ? FAM_IP4 : FAM_IP6;
	const char *nft = names_icmp_alias(family, name);
	if (names_icmp_type(other, name) >= 0)
		diag_error(dl, DC_PKT_ICMP_FAMILY, w->loc, "'%s' is an %s type, but this packet is %s%s%s%s",
			   name, other == FAM_IP6 ? "ICMPv6" : "ICMP (IPv4)", addr_family_name(family),
			   nft ? "; write '" : "", nft ? nft : "", nft ? "'" : "");
	else if (nft)
		diag_error(dl, DC_PKT_ICMP_UNKNOWN, w->loc, "unknown ICMP type %s; nftables calls it '%s'",
			   quoted(a, w), nft);
	else
		diag_error(dl, DC_PKT_ICMP_UNKNOWN, w->loc, "unknown ICMP type %s (use nftables' names, e.g. "
			   "echo-request, or a number 0-255)", quoted(a, w));
	return false;
}

static bool stop_here(bool (*stop)(const struct pkt_word *w), const struct pkt_word *w)
{
	return stop && stop(w);
}

/* PROTO SRC -> DST [port N | type NAME|N] */
bool pkt_parse(struct arena *a, struct diag_list *dl, struct pkt_lexer *lx,
	       bool (*stop)(const struct pkt_word *w), struct pkt *out, struct loc *span)
{
	struct pkt_word w, last;
	memset(out, 0, sizeof(*out));
	if (!pkt_next(lx, &w) || stop_here(stop, &w)) {
		struct loc at = { lx->f, lx->line, lx->col, lx->line, lx->col };
		diag_error(dl, DC_PKT_EXPECTED, at, "a packet is expected here: PROTO SRC -> DST [port N | type T]");
		return false;
	}
	*span = w.loc;
	if (pkt_word_is(&w, "tcp"))
		out->proto = PKT_TCP;
	else if (pkt_word_is(&w, "udp"))
		out->proto = PKT_UDP;
	else if (pkt_word_is(&w, "icmp"))
		out->proto = PKT_ICMP;
	else if (pkt_word_is(&w, "icmpv6") || pkt_word_is(&w, "ipv6-icmp")) {
		diag_error(dl, DC_PKT_PROTO, w.loc, "unknown protocol %s: write 'icmp', which means ICMPv6 "
			   "for IPv6 addresses", quoted(a, &w));
		return false;
	} else if (pkt_word_is(&w, "ping") || pkt_word_is(&w, "echo")) {
		diag_error(dl, DC_PKT_PROTO, w.loc, "unknown protocol %s: a ping is 'icmp SRC -> DST type "
			   "echo-request'", quoted(a, &w));
		return false;
	} else {
		diag_error(dl, DC_PKT_PROTO, w.loc, "unknown protocol %s (expected tcp, udp or icmp)",
			   quoted(a, &w));
		return false;
	}
	const char *proto = out->proto == PKT_TCP ? "tcp" : out->proto == PKT_UDP ? "udp" : "icmp";
	last = w;

	int sfam, dfam;
	if (!pkt_next(lx, &w) || stop_here(stop, &w)) {
		diag_error(dl, DC_PKT_SRC_MISSING, after(&last.loc), "the source address is missing after '%s'", proto);
		return false;
	}
	if (!parse_addr(a, dl, &w, "source", &sfam, &out->src))
		return false;
	last = w;
	if (!pkt_next(lx, &w) || stop_here(stop, &w)) {
		diag_error(dl, DC_PKT_ARROW, after(&last.loc), "'->' and the destination address are missing "
			   "after the source");
		return false;
	}
	if (!pkt_word_is(&w, "->")) {
		diag_error(dl, DC_PKT_ARROW, w.loc, "expected '->' between the source and the destination, "
			   "not %s", quoted(a, &w));
		return false;
	}
	last = w;
	if (!pkt_next(lx, &w) || stop_here(stop, &w)) {
		diag_error(dl, DC_PKT_DST_MISSING, after(&last.loc), "the destination address is missing after '->'");
		return false;
	}
	if (!parse_addr(a, dl, &w, "destination", &dfam, &out->dst))
		return false;
	if (dfam != sfam) {
		diag_error(dl, DC_PKT_FAMILIES, w.loc, "the destination is %s but the source is %s; a packet has "
			   "one address family", addr_family_name(dfam), addr_family_name(sfam));
		return false;
	}
	out->family = sfam;
	last = w;

	struct pkt_word kw;
	bool more = pkt_peek(lx, &kw) && !stop_here(stop, &kw);
	if (out->proto != PKT_ICMP) {
		if (!more || !pkt_word_is(&kw, "port")) {
			if (more && pkt_word_is(&kw, "type"))
				diag_error(dl, DC_PKT_PORT_TYPE, kw.loc, "a %s packet has a port, not a type: "
					   "write 'port N'", proto);
			else
				diag_error(dl, DC_PKT_PORT_MISSING, more ? kw.loc : after(&last.loc),
					   "a %s packet needs its destination port: write 'port N' "
					   "after the destination%s", proto,
					   more ? arena_printf(a, ", not %s", quoted(a, &kw)) : "");
			return false;
		}
		pkt_next(lx, &kw);
		if (!pkt_next(lx, &w) || stop_here(stop, &w)) {
			diag_error(dl, DC_PKT_PORT_MISSING, after(&kw.loc), "the port number is missing after 'port'");
			return false;
		}
		if (!parse_port(a, dl, &w, &out->port))
			return false;
		last = w;
	} else {
		out->icmp_type = out->family == FAM_IP6 ? 128 : 8;   /* echo-request */
		if (more && pkt_word_is(&kw, "type")) {
			pkt_next(lx, &kw);
			if (!pkt_next(lx, &w) || stop_here(stop, &w)) {
				diag_error(dl, DC_PKT_TYPE_MISSING, after(&kw.loc), "the ICMP type is missing after 'type'");
				return false;
			}
			if (!parse_icmp_type(a, dl, &w, out->family, &out->icmp_type))
				return false;
			last = w;
		} else if (more && pkt_word_is(&kw, "port")) {
			diag_error(dl, DC_PKT_PORT_TYPE, kw.loc, "an icmp packet has a type, not a port: write "
				   "'type NAME' or leave it out for echo-request");
			return false;
		}
	}
	if (pkt_peek(lx, &kw) && !stop_here(stop, &kw) && pkt_word_is(&kw, "in")) {
		pkt_next(lx, &kw);
		if (!pkt_next(lx, &w) || stop_here(stop, &w)) {
			diag_error(dl, DC_PKT_IFACE, after(&kw.loc), "the interface the packet arrives on "
				   "is missing after 'in'");
			return false;
		}
		char *name = word_text(a, &w);
		const char *why = addr_ifname_problem(name);
		if (why) {
			diag_error(dl, DC_PKT_IFACE, w.loc, "%s is not an interface name: %s",
				   quoted(a, &w), why);
			return false;
		}
		out->iif = name;
		last = w;
	}
	if (pkt_peek(lx, &w) && !stop_here(stop, &w)) {
		diag_error(dl, DC_PKT_TRAILING, w.loc, "unexpected %s after the packet", quoted(a, &w));
		return false;
	}
	span->last_line = last.loc.last_line;
	span->last_column = last.loc.last_column;
	return true;
}

void pkt_format(const struct pkt *p, char buf[PKT_STRLEN])
{
	static const char *const proto[] = {
		[PKT_TCP] = "tcp", [PKT_UDP] = "udp", [PKT_ICMP] = "icmp", [PKT_OTHER] = "other",
	};
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	addr_format_u128(p->family, p->src, src);
	addr_format_u128(p->family, p->dst, dst);
	int n = snprintf(buf, PKT_STRLEN, "%s %s -> %s", proto[p->proto], src, dst);
	if (p->proto == PKT_TCP || p->proto == PKT_UDP) {
		snprintf(buf + n, PKT_STRLEN - (size_t)n, " port %d", p->port);
	} else if (p->proto == PKT_ICMP) {
		const char *name = names_icmp_name(p->family, p->icmp_type);
		if (name)
			snprintf(buf + n, PKT_STRLEN - (size_t)n, " type %s", name);
		else
			snprintf(buf + n, PKT_STRLEN - (size_t)n, " type %d", p->icmp_type);
	}
	if (p->iif) {
		size_t len = strlen(buf);
		snprintf(buf + len, PKT_STRLEN - len, " in %s", p->iif);
	}
}

bool pkt_parse_line(struct arena *a, struct diag_list *dl, const struct src_file *f, int line,
		    struct pkt *out, bool *empty)
{
	struct pkt_lexer lx;
	pkt_lexer_init(&lx, f);
	if (line > 0) {
		size_t len;
		const char *text = src_line(f, line, &len);
		lx.pos = (size_t)(text - f->text);
		lx.end = lx.pos + len;
		lx.line = line;
	}
	struct pkt_word w;
	*empty = !pkt_peek(&lx, &w);
	if (*empty && line > 0)
		return true;
	struct loc span;
	return pkt_parse(a, dl, &lx, NULL, out, &span);
}

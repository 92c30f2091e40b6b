/*
 * addr.c - parsing, printing and comparing prefixes.
 *
 * inet_pton() decides what an address is, so d6c accepts exactly the forms
 * the C library does (every IPv6 notation, dotted-quad IPv4 without leading
 * zeros).  addr_parse() tells what is wrong as a code, by which the scanner
 * picks its diagnostic; addr_error_message() says it in words and, for host
 * bits, names the prefix meant.
 */
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int addr_bits(int family)
{
	return family == FAM_IP4 ? 32 : 128;
}

const char *addr_family_name(int family)
{
	return family == FAM_IP4 ? "IPv4" : family == FAM_IP6 ? "IPv6" : "IPv4 and IPv6";
}

u128 addr_first(const struct prefix *p)
{
	u128 v = 0;
	int nbytes = p->family == FAM_IP4 ? 4 : 16;
	for (int i = 0; i < nbytes; i++)
		v = (v << 8) | p->addr[i];
	return v;
}

/* Total over any len, so that a prefix read from a text that addr_parse()
 * refused (addr_error_message) cannot shift out of range. */
static u128 host_mask(int family, int len)
{
	int host = addr_bits(family) - len;
	if (host <= 0)
		return 0;
	if (host >= 128)
		return ~(u128)0;
	return ((u128)1 << host) - 1;
}

u128 addr_last(const struct prefix *p)
{
	return addr_first(p) | host_mask(p->family, p->len);
}

void addr_to_bytes(int family, u128 v, uint8_t out[16])
{
	int nbytes = family == FAM_IP4 ? 4 : 16;
	memset(out, 0, 16);
	for (int i = nbytes - 1; i >= 0; i--) {
		out[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

struct prefix addr_host(int family, u128 v)
{
	struct prefix h = { .family = (uint8_t)family, .len = (uint8_t)addr_bits(family) };
	addr_to_bytes(family, v, h.addr);
	return h;
}

void addr_format_u128(int family, u128 v, char buf[ADDR_STRLEN])
{
	uint8_t raw[16];
	addr_to_bytes(family, v, raw);
	inet_ntop(family == FAM_IP4 ? AF_INET : AF_INET6, raw, buf, ADDR_STRLEN);
}

void addr_format(const struct prefix *p, char buf[ADDR_STRLEN])
{
	inet_ntop(p->family == FAM_IP4 ? AF_INET : AF_INET6, p->addr, buf, ADDR_STRLEN);
	if (p->len < addr_bits(p->family)) {
		size_t n = strlen(buf);
		snprintf(buf + n, ADDR_STRLEN - n, "/%d", p->len);
	}
}

/* The address and length of text as written, host bits and all. */
static enum addr_err parse_loose(const char *text, struct prefix *out)
{
	char host[ADDR_STRLEN];
	const char *slash = strchr(text, '/');
	size_t hlen = slash ? (size_t)(slash - text) : strlen(text);
	int family = memchr(text, ':', hlen) ? FAM_IP6 : FAM_IP4;

	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)family;
	if (hlen >= sizeof(host))
		return ADDR_ERR_INVALID;
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	if (inet_pton(family == FAM_IP4 ? AF_INET : AF_INET6, host, out->addr) != 1)
		return ADDR_ERR_INVALID;
	int max = addr_bits(family);
	out->len = (uint8_t)max;
	if (slash) {
		const char *d = slash + 1;
		if (*d == '\0')
			return ADDR_ERR_LEN_MISSING;
		/* Leading zeros are fine, as in every other number. */
		const char *digits = d;
		while (digits[0] == '0' && digits[1] != '\0')
			digits++;
		long len = 0;
		if (strspn(d, "0123456789") != strlen(d) || strlen(digits) > 3 ||
		    (len = strtol(digits, NULL, 10)) > max)
			return ADDR_ERR_LEN_RANGE;
		out->len = (uint8_t)len;
	}
	return ADDR_OK;
}

enum addr_err addr_parse(const char *text, struct prefix *out)
{
	enum addr_err e = parse_loose(text, out);
	if (e == ADDR_OK && (addr_first(out) & host_mask(out->family, out->len)) != 0)
		return ADDR_ERR_HOST_BITS;
	return e;
}

/* A dotted quad that inet_pton refuses only for a leading zero (010):
 * the address without the zeros, in out. */
static bool leading_zero(const char *text, size_t hlen, char *out, size_t outlen)
{
	char plain[ADDR_STRLEN];
	size_t o = 0;
	bool zero = false;
	if (hlen >= sizeof(plain) || hlen >= outlen)
		return false;
	for (size_t i = 0; i < hlen; i++) {
		/* A zero that starts a number of more digits is dropped. */
		bool starts = i == 0 || text[i - 1] == '.' || (o > 0 && plain[o - 1] == '.');
		if (starts && text[i] == '0' && i + 1 < hlen && text[i + 1] >= '0' && text[i + 1] <= '9') {
			zero = true;
			continue;
		}
		plain[o++] = text[i];
	}
	plain[o] = '\0';
	unsigned char bytes[4];
	if (!zero || inet_pton(AF_INET, plain, bytes) != 1)
		return false;
	memcpy(out, plain, o + 1);
	return true;
}

void addr_error_message(enum addr_err e, const char *text, char *buf, size_t len)
{
	const char *slash = strchr(text, '/');
	size_t hlen = slash ? (size_t)(slash - text) : strlen(text);
	int family = memchr(text, ':', hlen) ? FAM_IP6 : FAM_IP4;
	const char *fname = addr_family_name(family);
	struct prefix fixed;
	char meant[ADDR_STRLEN];
	switch (e) {
	case ADDR_OK:
		if (len > 0)
			buf[0] = '\0';
		break;
	case ADDR_ERR_INVALID:
		if (family == FAM_IP4 && leading_zero(text, hlen, meant, sizeof(meant)))
			snprintf(buf, len, "'%.*s' is not a valid IPv4 address: a number in it has a "
				 "leading zero, which some tools read as octal; write %s "
				 "for the decimal address",
				 (int)hlen, text, meant);
		else
			snprintf(buf, len, "'%.*s' is not a valid %s address", (int)(hlen < 60 ? hlen : 60),
				 text, fname);
		break;
	case ADDR_ERR_LEN_MISSING:
		snprintf(buf, len, "prefix length is missing after '/' in %.60s", text);
		break;
	case ADDR_ERR_LEN_RANGE:
		snprintf(buf, len, "prefix length '/%.40s' is out of range for %s (0-%d)",
			 slash ? slash + 1 : "", fname, addr_bits(family));
		break;
	case ADDR_ERR_HOST_BITS:
		/* The prefix meant: the same length, the host bits cleared. */
		if (parse_loose(text, &fixed) == ADDR_OK)
			addr_to_bytes(fixed.family,
				      addr_first(&fixed) & ~host_mask(fixed.family, fixed.len),
				      fixed.addr);
		addr_format(&fixed, meant);
		snprintf(buf, len, "host bits set in %s; did you mean %s?", text, meant);
		break;
	}
}

bool addr_covers(const struct prefix *outer, const struct prefix *inner)
{
	if (outer->family != inner->family || outer->len > inner->len)
		return false;
	u128 mask = ~host_mask(outer->family, outer->len);
	return (addr_first(outer) & mask) == (addr_first(inner) & mask);
}

bool addr_equal(const struct prefix *a, const struct prefix *b)
{
	return a->family == b->family && a->len == b->len &&
	       memcmp(a->addr, b->addr, 16) == 0;
}

int addr_range_prefix_len(int family, u128 first, u128 last)
{
	int bits = addr_bits(family);
	for (int len = 0; len <= bits; len++) {
		u128 hm = host_mask(family, len);
		if ((first & hm) == 0 && (first | hm) == last)
			return len;
	}
	return -1;
}

const char *addr_ifname_problem(const char *name)
{
	size_t len = strlen(name);
	if (len == 0)
		return "it is empty";
	if (len > 15)
		return "Linux interface names are at most 15 bytes";
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return "'.' and '..' are no interface names";
	for (const char *c = name; *c; c++) {
		if (*c == '*')
			return "wildcards are not supported: name each interface";
		if (*c == '/' || *c == ':' || *c == '"' || *c == '\\' ||
		    (unsigned char)*c <= ' ' || (unsigned char)*c >= 0x7f)
			return "it holds a character interface names cannot have ('/', ':', "
			       "quotes, blanks or control characters)";
	}
	return NULL;
}

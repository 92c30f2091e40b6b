/*
 * addr.h - IPv4 and IPv6 prefixes.
 *
 * A prefix keeps its address in network byte order in addr[] (IPv4 in the
 * first four bytes) and is always canonical: addr_parse() refuses host bits
 * below the prefix length.  As 128-bit integers (addr_u128) both families
 * sort and compare alike, which the ownership flattening relies on.
 */
#ifndef D6C_ADDR_H
#define D6C_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum family {
	FAM_IP4 = 1,
	FAM_IP6 = 2,
	FAM_BOTH = FAM_IP4 | FAM_IP6,
};

struct prefix {
	uint8_t family;  /* FAM_IP4 or FAM_IP6 */
	uint8_t len;
	uint8_t addr[16];
};

typedef unsigned __int128 u128;

/* Longest text addr_format() writes, with its NUL. */
#define ADDR_STRLEN 64

/* What addr_parse() found wrong with a text. */
enum addr_err {
	ADDR_OK,
	ADDR_ERR_INVALID,      /* no address of its family, as inet_pton() judges */
	ADDR_ERR_LEN_MISSING,  /* a '/' with nothing after it */
	ADDR_ERR_LEN_RANGE,    /* a length that is no number or too long for the family */
	ADDR_ERR_HOST_BITS,    /* bits set past the length */
};

/* Parses "ADDR" or "ADDR/LEN" into *out (left undefined on an error). */
enum addr_err addr_parse(const char *text, struct prefix *out);
/* The message for e, what addr_parse(text) returned, in words an
 * administrator can act on: "host bits set in 2001:db8::1/64; did you mean
 * 2001:db8::/64?".  Empty for ADDR_OK. */
void addr_error_message(enum addr_err e, const char *text, char *buf, size_t len);
/* Canonical text; "/LEN" only when shorter than a host address. */
void addr_format(const struct prefix *p, char buf[ADDR_STRLEN]);
/* The inverse of addr_first(): an integer's bytes in network order, and
 * the host prefix (/32 or /128) of that address. */
void addr_to_bytes(int family, u128 v, uint8_t out[16]);
struct prefix addr_host(int family, u128 v);
/* An address of the family given as an integer, without a length. */
void addr_format_u128(int family, u128 v, char buf[ADDR_STRLEN]);
int addr_bits(int family);
u128 addr_first(const struct prefix *p);
u128 addr_last(const struct prefix *p);
/* outer contains inner (same family, outer no longer than inner). */
bool addr_covers(const struct prefix *outer, const struct prefix *inner);
bool addr_equal(const struct prefix *a, const struct prefix *b);
/* The prefix length that [first, last] is, or -1 when it is no prefix. */
int addr_range_prefix_len(int family, u128 first, u128 last);
const char *addr_family_name(int family);
/* NULL when name can be a Linux interface name (as the kernel's
 * dev_valid_name() says, without wildcards); else why not, in words. */
const char *addr_ifname_problem(const char *name);

#endif

/*
 * fnv.h - the 64-bit FNV-1a hash of a string, for tables keyed by text
 * (shared sets' names, the files a compile has read).  Fast and simple;
 * not for anything an attacker could aim collisions at to gain more than
 * a longer probe.
 */
#ifndef D6C_FNV_H
#define D6C_FNV_H

#include <stdint.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

/* h continued over s: start with FNV_OFFSET, chain calls to hash parts. */
static inline uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= FNV_PRIME;
	}
	return h;
}

#endif

/*
 * utf8.c - decoding one UTF-8 character and its width on a terminal.
 *
 * The width table is a short cut of Unicode's East Asian Width (W and F)
 * and of the zero-width marks: enough for carets to line up under text
 * people put in policy comments and names, not a full wcwidth().
 */
#include "utf8.h"

long utf8_decode(const char *s, size_t len, size_t *size)
{
	const unsigned char *u = (const unsigned char *)s;
	*size = 1;
	if (len == 0)
		return -1;
	if (u[0] < 0x80)
		return u[0];
	size_t n = u[0] >= 0xf0 && u[0] <= 0xf4 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc2 ? 2 : 0;
	if (u[0] > 0xf4 || n == 0 || n > len)
		return -1;
	long cp = u[0] & (0xff >> (n + 1));
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	/* Overlong forms and surrogates are not characters. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*size = n;
	return cp;
}

static const struct { long lo, hi; } zero_width[] = {
	{ 0x0300, 0x036f }, { 0x200b, 0x200f }, { 0x202a, 0x202e }, { 0x2060, 0x2064 },
	{ 0xfe00, 0xfe0f }, { 0xfeff, 0xfeff },
};

static const struct { long lo, hi; } wide[] = {
	{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
	{ 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
	{ 0xfe30, 0xfe4f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x3fffd },
};

int utf8_char_width(const char *s, size_t len, size_t *size)
{
	long cp = utf8_decode(s, len, size);
	if (cp < 0)
		return 1;
	for (size_t i = 0; i < sizeof(zero_width) / sizeof(zero_width[0]); i++)
		if (cp >= zero_width[i].lo && cp <= zero_width[i].hi)
			return 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (cp >= wide[i].lo && cp <= wide[i].hi)
			return 2;
	return 1;
}

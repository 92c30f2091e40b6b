/*
 * validate.c - the values of --table, --priority and --accept-mark: see
 * validate.h.  Each message says what was given and what is accepted, as
 * the command line prints it after "d6c COMMAND: ".
 */
#include "validate.h"
#include "ir.h"
#include "names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *validate_table(struct arena *a, const char *s)
{
	if (!*s || strlen(s) > 64 || strchr("0123456789", s[0]) ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(s))
		return arena_printf(a, "invalid table name '%.80s' (up to 64 letters, digits and "
				    "'_', not starting with a digit)", s);
	if (names_nft_reserved(s))
		return arena_printf(a, "'%s' is an nftables keyword and cannot name a table", s);
	return NULL;
}

const char *validate_mark(struct arena *a, const char *s, uint32_t *value, uint32_t *mask)
{
	bool has_mask;
	enum ir_mark_syntax syn = ir_parse_mark(s, value, mask, &has_mask);
	if (syn == IR_MARK_BAD_VALUE)
		return arena_printf(a, "invalid --accept-mark '%s' (VALUE or VALUE/MASK, 32-bit "
				    "numbers such as 0x100000)", s);
	if (syn == IR_MARK_BAD_MASK)
		return arena_printf(a, "invalid --accept-mark '%s': the mask after '/' must be a "
				    "32-bit number", s);
	if (!has_mask)
		*mask = *value;
	if (!*mask)
		return arena_printf(a, "invalid --accept-mark '%s': it marks no bit (give a "
				    "nonzero VALUE, or VALUE/MASK with a nonzero MASK)", s);
	if (*value & ~*mask)
		return arena_printf(a, "invalid --accept-mark '%s': VALUE has bits outside MASK", s);
	return NULL;
}

const char *validate_priority(struct arena *a, const char *s, int *num)
{
	static const char *const names[] = { "raw", "mangle", "filter", "security" };
	static const int values[] = { -300, -150, 0, 50 };
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (end != s && *end == '\0' && !errno && n >= -1000000 && n <= 1000000) {
		*num = (int)n;
		return arena_printf(a, "%ld", n);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len = strlen(names[i]);
		if (strncmp(s, names[i], len) != 0)
			continue;
		const char *p = s + len;
		while (*p == ' ')
			p++;
		if (*p == '\0') {
			*num = values[i];
			return names[i];
		}
		char sign = *p++;
		if (sign != '+' && sign != '-')
			return NULL;
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			return NULL;
		errno = 0;
		long off = strtol(p, &end, 10);
		if (*end != '\0' || errno || off > 1000000)
			return NULL;
		*num = values[i] + (sign == '+' ? (int)off : -(int)off);
		return arena_printf(a, "%s %c %ld", names[i], sign, off);
	}
	return NULL;
}

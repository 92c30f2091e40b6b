/*
 * udiff.h - unified diffs of two texts in memory (d6c fmt --diff).
 */
#ifndef D6C_UDIFF_H
#define D6C_UDIFF_H

#include <stddef.h>
#include <stdio.h>

/* Prints a unified diff (`--- a/NAME`, `+++ b/NAME`, hunks with 3 lines of
 * context, as `diff -u` does) from old to new. */
void udiff_print(FILE *out, const char *name, const char *old, size_t oldlen, const char *new_,
		 size_t newlen);

#endif

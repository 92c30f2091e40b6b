/*
 * fmt.h - `d6c fmt`: the one canonical layout of a policy file.
 *
 * fmt changes layout only: tokens are printed as they were written, in the
 * order they were written, and every comment is kept.  A file the scanner or
 * parser reports errors in is never formatted.  Includes are not followed.
 */
#ifndef D6C_FMT_H
#define D6C_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct arena;

enum fmt_mode {
	FMT_PRINT,   /* the formatted text on standard output */
	FMT_WRITE,   /* -w: rewrite each file that changes, atomically */
	FMT_CHECK,   /* --check: list the files that would change */
	FMT_DIFF,    /* --diff: a unified diff of each file that would change */
};

/* The canonical text of f, NUL-terminated, in a; *len receives its length.
 * NULL when the scanner or parser queued an error in dl (nothing else is
 * checked). */
char *fmt_source(struct arena *a, struct diag_list *dl, const struct src_file *f, size_t *len);

/* Prints a unified diff (`--- a/NAME`, `+++ b/NAME`, hunks with 3 lines of
 * context, as `diff -u` does) from old to new. */
void fmt_diff(FILE *out, const char *name, const char *old, size_t oldlen, const char *new_,
	      size_t newlen);

/* Runs `d6c fmt` over paths; returns the exit status (0, 1 a file has
 * syntax errors or would change under --check/--diff, 2 I/O errors). */
int fmt_files(enum fmt_mode mode, char **paths, int n, bool color);

#endif

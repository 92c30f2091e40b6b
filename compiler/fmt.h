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

/* The canonical text of f, NUL-terminated, in a; *len receives its length.
 * NULL when the scanner or parser queued an error in dl (nothing else is
 * checked). */
char *fmt_source(struct arena *a, struct diag_list *dl, const struct src_file *f, size_t *len);

#endif

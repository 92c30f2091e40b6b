/*
 * utf8.h - how wide UTF-8 text is on a terminal, for carets.
 *
 * Columns in diagnostics count bytes (LANGUAGE.md); the caret under a
 * source line must count what a terminal shows instead: one column per
 * character, two for East Asian wide ones, none for combining marks.
 */
#ifndef D6C_UTF8_H
#define D6C_UTF8_H

#include <stddef.h>

/* Decodes the character at s (at most len bytes): its code point, or -1
 * for a byte that starts no valid character; *size is its length (1 then). */
long utf8_decode(const char *s, size_t len, size_t *size);
/* The columns a terminal gives the character at s; *size as above.  An
 * invalid byte counts one column (terminals show a replacement mark). */
int utf8_char_width(const char *s, size_t len, size_t *size);

#endif

/*
 * validate.h - the settings of a compile given on the command line: the
 * name of d6c's table, its hook priority and the accept mark.
 *
 * Each function returns NULL when the value is fine, else a message (in a)
 * that says what is wrong with it.
 */
#ifndef D6C_VALIDATE_H
#define D6C_VALIDATE_H

#include <stdint.h>

#include "arena.h"

/* A name nft's text parser takes for a table: a letter or '_', then
 * letters, digits, '_', and not one of its keywords. */
const char *validate_table(struct arena *a, const char *s);
/* --accept-mark VALUE[/MASK]: MASK defaults to VALUE (set these bits); both
 * stored when fine. */
const char *validate_mark(struct arena *a, const char *s, uint32_t *value, uint32_t *mask);
/* A number, or a standard priority name of the inet forward hook with an
 * optional "+ N" / "- N".  Unlike the others, returns the value normalised
 * to nftables' spelling (in a), with its number in *num; NULL when s is no
 * priority. */
const char *validate_priority(struct arena *a, const char *s, int *num);

#endif

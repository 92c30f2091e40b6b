/*
 * live.h - d6c's table as the kernel holds it, and a compiled ruleset as
 * the kernel would hold it: both listed by nftables, so that they can be
 * compared in one spelling (compiler/listing.h, compiler/tablediff.h).
 */
#ifndef D6C_LIVE_H
#define D6C_LIVE_H

#include <stddef.h>

enum live_state {
	LIVE_TABLE,    /* *listing holds it */
	LIVE_ABSENT,   /* no such table */
	LIVE_FAILED,   /* could not list it: err says why */
};

/* `list table inet TABLE` (stateless: without counters' values when
 * stateless is set) into *listing (malloc'ed). */
enum live_state live_list(const char *table, int stateless, char **listing, char *err,
			  size_t errlen);
/* Loads script (emit_text's) into a new, empty network namespace of its
 * own and lists table inet TABLE there, stateless; the running ruleset is
 * not touched.  0 with *listing malloc'ed; -1 with err (the kernel
 * refused the script, or no namespace could be made: CAP_SYS_ADMIN). */
int live_list_scratch(const char *script, const char *table, char **listing, char *err,
		      size_t errlen);

#endif

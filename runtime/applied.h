/*
 * applied.h - what d6c committed last, kept beside the table, so that the
 * next apply can commit only the difference (compiler/delta.h).
 *
 * After every commit apply writes KEY.applied in the run directory: the
 * script it committed (with its record, compiler/record.h), d6c's version,
 * the ruleset's generation and the table's fingerprint just after the
 * commit (fingerprint.h).  The next apply takes the delta only when all
 * still hold: the file is there and from this version of d6c, and the
 * generation is the same (no commit since, by anyone) or the table in
 * force has the same fingerprint (commits since, to other tables: Docker's
 * ip6tables), so nothing changed it (nft by hand, a rollback, a restore,
 * another tool).  Anything else is a whole new table, as before.
 * The run directory is a tmpfs: after a reboot there is no table and no
 * file either.
 */
#ifndef D6C_APPLIED_H
#define D6C_APPLIED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fingerprint.h"

/* The first line of a delta applied_delta() returns. */
#define DELTA_HEADER "# d6c delta\n"

/* The delta from the table in force to script: malloc'ed ("" when there
 * is nothing to change), with what it does in how ("2 elements added");
 * NULL with why it cannot be had in how. */
char *applied_delta(const char *path, const char *table, const char *version, const char *script,
		    char *how, size_t howlen);
/* When applied_delta() had none but the table is there: the delta from
 * the table as nft lists it (listing), so that what stays in force stays
 * in the kernel's maps throughout the commit (a whole new table does not:
 * LANGUAGE.md, "Applying only the difference").  how holds
 * applied_delta()'s reason on entry; on return what the delta does and
 * that reason, or (NULL) why there is no delta either. */
char *applied_delta_listed(const char *listing, const char *script, char *how, size_t howlen);
/* The ruleset's generation before a commit (fingerprint.h), so that
 * applied_keep() can tell whether the commit after it was d6c's alone. */
struct applied_before {
	uint32_t gen;
	bool known;
	uint64_t netns;   /* fingerprint_netns() */
};
void applied_mark(struct applied_before *b);
/* After a commit of script (or, committed false, after finding that the
 * table is script's already): fingerprints table and keeps both in path.
 * When that cannot be done, or another commit came between before and
 * now, removes path instead, so that the next apply replaces the table. */
void applied_keep(const char *path, const char *table, const char *version, const char *script,
		  const struct applied_before *before, bool committed);
#endif

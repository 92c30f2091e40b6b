/*
 * fingerprint.h - a table's state in the kernel, in 128 bits.
 *
 * apply's delta (compiler/delta.h) is only right when the table in force
 * is exactly what d6c committed last.  The table's record says which
 * ruleset d6c committed, but not whether someone changed the table since:
 * `nft add rule`, `nft delete element`, a restore of a saved copy.  So
 * after every commit apply takes the table's fingerprint and keeps it, and
 * before a delta it takes it again: equal fingerprints, unchanged table.
 *
 * It is read over netlink directly (the table, its chains, rules, sets and
 * elements, as the kernel dumps them, handles included), not through nft:
 * a 10 000-network table is dumped and hashed in milliseconds, while nft
 * takes a third of a second to list it.  Named counters are left out, as
 * their values change with every packet; the rules that use them are in.
 * Dumping is the slow part (about 0.1 s at 10 000 networks), so apply
 * reads the ruleset's generation first: while no commit at all was made
 * since d6c's own, the table cannot have changed.
 *
 * The hash is not cryptographic: it tells an unchanged table from a
 * changed one, it does not stand against someone who can change the
 * ruleset anyway.
 */
#ifndef D6C_FINGERPRINT_H
#define D6C_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

#define FINGERPRINT_HEX 33   /* 32 hex digits and the NUL */

enum fp_state { FP_FAILED = -1, FP_ABSENT, FP_TABLE };

/* table inet TABLE's fingerprint into out; FP_ABSENT when there is no such
 * table; FP_FAILED with the reason in err. */
enum fp_state fingerprint_table(const char *table, char out[FINGERPRINT_HEX], char *err,
				size_t errlen);

/* The ruleset's generation: one more with every commit in this network
 * namespace, of any table, by anyone.  0, or -1 with the reason in err.
 * Another namespace has generations of its own, counted from its start:
 * only with fingerprint_netns() does a generation say anything. */
int fingerprint_generation(uint32_t *gen, char *err, size_t errlen);
/* This network namespace's cookie: unlike its inode number (what the run
 * directory's file names hold), never given to another namespace while
 * the machine runs.  0 when the kernel cannot say (before 5.14). */
uint64_t fingerprint_netns(void);

#endif

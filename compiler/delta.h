/*
 * delta.h - the difference between two of d6c's scripts for the same
 * table, as nft commands that turn the first table into the second in one
 * transaction.
 *
 * runtime/apply.c commits it instead of replacing the whole table when the
 * table in force is exactly what the older script made.  Both scripts are
 * emit_text.c's (with apply's record chain, record.h): one section a
 * line `\tKIND NAME {` up to its closing `\t}` (or on that one line), a
 * chain's `type ...` and `comment` lines before its rules, one rule a line,
 * a map's elements one a line.
 *
 * What the difference is made of, in this order in the transaction:
 *   1. map and set elements removed (and those that name a recreated chain);
 *   2. chains flushed: those whose rules changed, those deleted;
 *   3. maps, sets and counters deleted (a map holds the chains its
 *      elements jump to in use);
 *   4. chains deleted: gone, or recreated (a regular chain whose comment
 *      changed: nftables cannot change a chain's comment in place);
 *   5. one `table` block with the new sections whole, the new rules of
 *      the chains whose rules changed, and the elements added to a map or
 *      set, in its declaration.
 * A chain whose rules did not change but jump to a recreated chain is
 * flushed and filled again, since the old rules hold the chain in use.
 *
 * Some changes have no delta: a base chain's hook, type or priority, a set's
 * type or flags, the table's own lines, more than DELTA_MAX_REMOVED
 * elements to remove.  Then delta_script() says why, and
 * the caller replaces the table whole.
 */
#ifndef D6C_DELTA_H
#define D6C_DELTA_H

/* More elements to remove than this is no delta (delta.c says why). */
#define DELTA_MAX_REMOVED 5000

struct delta_stats {
	int chains_added, chains_replaced, chains_deleted;
	int sets_added, sets_deleted;         /* maps and sets */
	int counters_added, counters_deleted;
	int elems_added, elems_removed;
};

/* The commands that turn old's table into new's (malloc'ed; "" when they
 * are the same), with what they do in *st; NULL with *why when only a
 * whole new table will do. */
char *delta_script(const char *old, const char *new, struct delta_stats *st, const char **why);

/* "1 chain replaced, 2 elements added" (or "no change"), into buf. */
void delta_describe(const struct delta_stats *st, char *buf, int len);

#endif

/*
 * compare.h - the live table against a compiled policy, for diff, status
 * and apply --dry-run.
 *
 * The compiled script is loaded into a scratch network namespace
 * (runtime/live.h) and both tables are compared as nft lists them
 * (compiler/tablediff.h).  The live table's record (compiler/record.h)
 * says which policy it came from and with which options.
 */
#ifndef D6C_COMPARE_H
#define D6C_COMPARE_H

#include "cli.h"
#include "compiler/listing.h"
#include "compiler/record.h"
#include "compiler/tablediff.h"
#include "runtime/live.h"

struct compare {
	const char *table;
	enum live_state state;        /* LIVE_TABLE or LIVE_ABSENT once read */
	const char *live_text;        /* its listing, stateless (in the run's arena) */
	struct listing live;          /* empty when absent */
	bool has_record;
	struct table_record rec;
	/* once compared: */
	char hash[RECORD_HASH_HEX + 1];   /* of the compiled script */
	const char *new_text;         /* the compiled policy's, from the scratch namespace */
	struct listing fresh;
	struct table_diff diff;
};

/* Reads the live table of c->ir.table into k.  -1 with err when it cannot
 * be read (no privilege, nftables' error). */
int compare_read_live(struct cli *c, struct compare *k, char *err, size_t errlen);
/* Options the record has and the command line did not give, into c->ir:
 * the policy compiles as it did when applied. */
void compare_take_options(struct cli *c, const struct compare *k);
/* Compares ir with the live table read by compare_read_live(); -1 with err. */
int compare_policy(struct cli *c, const struct ir_policy *ir, struct compare *k, char *err,
		   size_t errlen);
/* Prints the difference in the policy's terms (or, nft, as a unified diff
 * of the two listings) on out. */
void compare_print(FILE *out, const struct compare *k, bool nft);
/* "1 network added, 2 changed; 3 table-wide rules" style, into a. */
const char *compare_summary(struct arena *a, const struct compare *k);

#endif

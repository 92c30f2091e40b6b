/*
 * record.h - where d6c's table came from, kept in the table itself.
 *
 * apply writes one line into the table, in the same transaction as the
 * ruleset, so the record lives and dies with the table and no state file
 * can disagree with the kernel.  It is the comment of the one rule of
 * chain `record`, which nothing jumps to (`return comment "..."`): unlike
 * the table's own comment, which nftables cannot change, a rule can be
 * replaced in the transaction of a delta (delta.h).  A table applied by an
 * older d6c kept it in the table's comment; it is read from there too.
 *
 *   d6c/1 VERSION APPLIED RULESET [OPTION]... POLICY
 *
 *   d6c/1     the record's format (a table without it was not made by apply)
 *   VERSION   d6c's version, as `d6c --version` prints it
 *   APPLIED   when, UTC: 2026-12-07T04:30:00Z
 *   RULESET   the first 16 hex digits of the SHA-256 of the script that
 *             was committed (record_hash: the script without its header)
 *   OPTION    the compile options that change the ruleset, only those not
 *             at their default: p=PRIORITY (a number), m=MARK/MASK, c
 *             (counters); status and diff compile the policy with them
 *   POLICY    the policy's absolute path, the rest of the line; shortened
 *             from the left to "..." when the comment's 128 bytes
 *             (nftables' limit) cannot hold it whole
 */
#ifndef D6C_RECORD_H
#define D6C_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECORD_MAGIC "d6c/1"
#define RECORD_CHAIN "record"
#define RECORD_MAX 128          /* nftables' longest comment */
#define RECORD_HASH_HEX 16

struct table_record {
	char version[32];
	char applied[24];               /* YYYY-MM-DDTHH:MM:SSZ */
	char hash[RECORD_HASH_HEX + 1];
	bool has_priority;
	int priority;
	uint32_t mark, mask;            /* mask 0: no accept mark */
	bool counters;
	char policy[RECORD_MAX];
	bool shortened;                 /* policy lost its left part */
};

/* The comment for r (at most RECORD_MAX bytes with its NUL); shortens
 * r->policy to fit and sets r->shortened. */
void record_format(struct table_record *r, char *out, size_t outlen);
/* 0 with r filled, -1 when comment is not a d6c record. */
int record_parse(const char *comment, struct table_record *r);
/* RULESET for a script as emit_text writes it: the hash of everything
 * after its leading '#' lines (they name the file, which is not the
 * ruleset). */
void record_hash(const char *script, char out[RECORD_HASH_HEX + 1]);
/* The script with chain RECORD_CHAIN, its one rule commented COMMENT, first
 * in its table: malloc'ed; NULL when the script holds no
 * `table inet TABLE {`. */
char *record_insert(const char *script, const char *table, const char *comment);
/* Takes chain RECORD_CHAIN out of an nft listing of the table, in place,
 * so that the listing compares with the compiled policy's: 0 with its
 * rule's comment in comment, -1 when the listing has no such chain. */
int record_take(char *listing, char *comment, size_t len);
/* "YYYY-MM-DDTHH:MM:SSZ" for t, into out (24 bytes). */
void record_time(long long t, char out[24]);
/* Seconds since the epoch for record_time's text; -1 when malformed. */
long long record_time_parse(const char *s);

#endif

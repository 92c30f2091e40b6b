/*
 * trust.h - whether apply may act on a policy file: sshd's StrictModes.
 *
 * Whoever can change a policy file, or any file it includes, decides the
 * firewall the next time root applies it.  apply therefore refuses a file
 * that anyone but root (or the applying user) could change: see trust.c.
 */
#ifndef D6C_TRUST_H
#define D6C_TRUST_H

struct arena;

/* The unsafe files, more than one error: a message each, in the order
 * found, saying what is wrong and the command that fixes it ("refusing to
 * apply: ...; nothing was applied", without "d6c: "). */
struct trust_report {
	const char **unsafe;
	int n;
};

/* Checks policy and every file it includes ("-", standard input, is not
 * checked: the compile reads it, once).  Returns 0 when all are safe;
 * otherwise -1, with each unsafe file's message in r (in a's memory).  A
 * file that cannot be read is left to the compile to report. */
int trust_check_policy(struct arena *a, const char *policy, struct trust_report *r);

#endif

/*
 * trust.h - whether apply may act on a policy file: sshd's StrictModes.
 *
 * Whoever can change a policy file, or any file it includes, decides the
 * firewall the next time root applies it.  apply therefore refuses a file
 * that anyone but root (or the applying user) could change: see trust.c.
 */
#ifndef D6C_TRUST_H
#define D6C_TRUST_H

/* Checks policy ("-": standard input, whose includes only) and every file
 * it includes.  Returns 0 when all are safe; otherwise prints, for each
 * unsafe file, what is wrong and the command that fixes it, and returns -1.
 * A file that cannot be read is left to the compile to report. */
int trust_check_policy(const char *policy);

#endif

/*
 * apply.h - committing a compiled policy to the running kernel; and, as the
 * runtime's central header, how all of runtime/ reports errors.
 *
 * Through libnftables, in this process: emit_text.c's nft script (the text,
 * not emit_json.c's JSON: apply.c says why) is parsed here and sent as one
 * netlink transaction that replaces d6c's own table and nothing else, so on
 * any failure the kernel keeps exactly the ruleset it had.  With a confirm
 * timeout the previous table (or its absence) is saved first and a watcher
 * process restores it unless `d6c confirm` runs in time.
 *
 * Errors, here and in every file of runtime/: a function that can fail
 * returns -1 (NULL when it returns a pointer) and writes one message an
 * administrator can act on into `char *err, size_t errlen`, always
 * NUL-terminated: what went wrong and, where there is one, the way out,
 * without "d6c: " and without a final newline (a message quoting nftables
 * carries nftables' own lines after its first).  Whatever is more than one
 * error -- each unsafe file trust_check_policy() finds, apply's notices and
 * summary, doctor's findings -- comes back as data for the caller to print.
 * Nothing in runtime/ writes to standard output or standard error (only to
 * a FILE * its caller hands it), returns an exit status, or exits (out of
 * memory aside, arena.h; forked children end in _exit): cli/ prints the
 * messages and maps results to exit statuses.
 */
#ifndef D6C_APPLY_H
#define D6C_APPLY_H

#include <stdbool.h>

#include "compiler/ir.h"

enum apply_status {
	APPLY_OK = 0,
	APPLY_FAILED = 2,    /* the kernel or the system refused; nothing changed */
};

struct apply_options {
	bool dry_run;          /* the kernel validates, nothing is committed */
	int confirm_seconds;   /* 0: no confirmation needed */
	const char *rundir;    /* where pending confirmations live */
	/* --docker-accept (implied by --follow-docker): after the commit, d6c's
	 * rule that accepts the accept mark is put in place in Docker's
	 * iptables chains (docker_rule.h). */
	bool docker_accept;
};

/* Commits ir; prints a one-line summary (or the error) and returns the exit status. */
int apply_policy(const struct ir_policy *ir, const struct apply_options *opt);
/* Keeps d6c's accept rule in Docker's chains for ir's mark: prints what it
 * changed, or a warning when it cannot (the table stays in force). */
void apply_docker_rule(const struct ir_policy *ir);
/* d6c remove: deletes table inet NAME and d6c's rules in Docker's chains;
 * returns the exit status. */
int apply_remove(const char *table);
/* Confirms a pending apply of table; returns the exit status. */
int apply_confirm(const char *table, const char *rundir);
/* True when this process may change the ruleset (CAP_NET_ADMIN). */
bool apply_have_cap(void);

#endif

/*
 * apply.h - committing a compiled policy to the running kernel.
 *
 * Through libnftables, in this process: the JSON ruleset is one netlink
 * transaction that replaces d6c's own table and nothing else, so on any
 * failure the kernel keeps exactly the ruleset it had.  With a confirm
 * timeout the previous table (or its absence) is saved first and a watcher
 * process restores it unless `d6c confirm` runs in time.
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
};

/* Commits ir; prints a one-line summary (or the error) and returns the exit status. */
int apply_policy(const struct ir_policy *ir, const struct apply_options *opt);
/* Confirms a pending apply of table; returns the exit status. */
int apply_confirm(const char *table, const char *rundir);
/* True when this process may change the ruleset (CAP_NET_ADMIN). */
bool apply_have_cap(void);

#endif

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
#include <stddef.h>

#include "compiler/ir.h"

/* Room enough in err for apply_policy(), apply_remove() and apply_confirm():
 * nftables' message about a refused ruleset is quoted whole. */
#define APPLY_ERRLEN 65536

/* What was found and dealt with on the way, said before the outcome,
 * whatever it is: a stale pending confirmation removed.  One message each,
 * without "d6c: ". */
#define APPLY_NOTICES 2
struct apply_notices {
	char line[APPLY_NOTICES][512];
	int n;
};

/* What apply_policy() did, for its caller to say. */
struct apply_result {
	const struct ir_policy *ir;          /* what was applied, and how */
	const struct apply_options *opt;
	struct apply_notices notices;
	/* failed: the table in force could not be read (err says why), so
	 * nothing was applied */
	bool unread;
	/* the summary line's facts, when it succeeded */
	bool existed;                        /* the table was there: replaced, not created */
	/* delta: only the difference was committed (applied.h), and how says
	 * what it was ("2 elements added"); else how says why the table was
	 * replaced whole ("" when nobody asked: a dry run, no run directory) */
	bool delta;
	char how[256];
	char hash[17];                       /* the record's RULESET (compiler/record.h) */
	int networks, rules, ranges6, ranges4;
	/* opt->docker_accept, after a commit with an accept mark: what
	 * docker_rule_ensure() changed ("" nothing), or why it could not put
	 * the rule in place ("" it could) */
	char docker_done[512], docker_error[512];
};

/* apply_policy() calls it once, last, with what it returns.  After a
 * commit SIGINT, SIGTERM, SIGHUP and SIGQUIT are still held then, so that
 * what the caller says about a ruleset now in force (and a watcher that
 * waits for `d6c confirm`) is out, written and flushed by report, before
 * such a signal ends the process. */
typedef void apply_report_fn(int rc, const struct apply_result *res, const char *err);

struct apply_options {
	bool dry_run;          /* the kernel validates, nothing is committed */
	int confirm_seconds;   /* 0: no confirmation needed */
	const char *rundir;    /* where pending confirmations live */
	/* --docker-accept (implied by --follow-docker): after the commit, d6c's
	 * rule that accepts the accept mark is put in place in Docker's
	 * iptables chains (docker_rule.h). */
	bool docker_accept;
	apply_report_fn *report;   /* NULL: none */
	/* for the record in the table's comment (compiler/record.h): the
	 * policy's absolute path (NULL: ir->source) and d6c's version */
	const char *policy_path;
	const char *version;
};

/* Commits ir (with opt->dry_run, has the kernel check it only).  0 with
 * res filled; -1 with the reason in err (errlen: APPLY_ERRLEN) when nothing
 * was applied -- or, when the confirm watcher could not be started, what
 * became of the ruleset.  Either way res->notices holds what was said on
 * the way, and opt->report is called. */
int apply_policy(const struct ir_policy *ir, const struct apply_options *opt,
		 struct apply_result *res, char *err, size_t errlen);
/* d6c remove: deletes table inet NAME (not d6c's rule in Docker's
 * chains: docker_rule_remove()).  0 with *existed telling whether there
 * was one; -1 with the reason in err. */
int apply_remove(const char *table, bool *existed, char *err, size_t errlen);
/* Confirms a pending apply of table: 0, with what was found on the way in
 * notices; -1 with the reason in err when there is nothing to confirm. */
int apply_confirm(const char *table, const char *rundir, struct apply_notices *notices,
		  char *err, size_t errlen);
/* A pending apply --confirm of a table, as `d6c status` says it. */
struct apply_pending {
	bool pending;        /* a watcher waits for `d6c confirm` */
	bool stale;          /* a pending file whose watcher is gone */
	long pid;            /* the watcher */
	long long deadline;  /* when it restores, seconds since the epoch (0: unknown) */
	char last[1200];     /* what the last watcher did, "" when unknown */
};
int apply_pending_state(const char *table, const char *rundir, struct apply_pending *st);
/* d6c rollback: has the watcher of a pending apply --confirm of table put
 * the previous table back now, and waits for it.  0 with what it did in
 * done; -1 with the reason in err (nothing pending, among others). */
int apply_rollback(const char *table, const char *rundir, char *done, size_t donelen,
		   char *err, size_t errlen);
/* apply --follow-docker holds a lock on a file of the run directory for as
 * long as it runs, so that status can tell: returns its descriptor (keep it
 * open), or -1 with *other the pid of a follower already running (-1 when
 * unknown; 0: no run directory, nothing to hold). */
int apply_follow_claim(const char *table, const char *rundir, long *other);
/* 1 with *pid when a follower of table runs, 0 when none does. */
int apply_follow_state(const char *table, const char *rundir, long *pid);
/* True when this process may change the ruleset (CAP_NET_ADMIN). */
bool apply_have_cap(void);

#endif

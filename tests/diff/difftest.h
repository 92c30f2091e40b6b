/*
 * difftest.h - what the differential driver (difftest.c) and the replay of
 * regression cases (replay.c) share: compiling a policy held in memory the
 * way compile.c does, and the counts both report.
 */
#ifndef D6C_TESTS_DIFFTEST_H
#define D6C_TESTS_DIFFTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/sema.h"
#include "compiler/eval.h"
#include "runtime/kernel_release.h"
#include "runtime/probe.h"

#define DT_MAX_PACKETS 4096

/* DT_DELTA: the text, reached from another policy's table by the delta
 * apply commits (compiler/delta.h), when dt_compiled.from is set. */
enum { DT_TEXT, DT_JSON, DT_DELTA, DT_NFMT };
extern const char *const dt_fmt_name[DT_NFMT];

/* Counts are per check: one packet against one format (or the evaluator). */
struct dt_stats {
	long pairs, passed, failed, known, disagreements, gen_errors, skipped;
	long forged;        /* packets the evaluator calls forged (EVAL_FORGED) */
	long forged_astray; /* of those, to a destination in no block: the packets
	                       whose conntrack entries issue 14 was about */
};

struct dt_compiled {
	struct arena a;
	struct diag_list dl;
	struct sema_policy *sp;
	char *ruleset[DT_NFMT];   /* text, JSON and text again, malloc'd */
	const char *from;         /* DT_DELTA's starting point: a script, or NULL */
	bool from_listing;        /* the delta from nft's listing of it, as apply
	                             makes it without a record of its last commit */
};

/* parse_string, sema_check, ir_lower with default options, both backends.
 * False when the policy has errors (they stay in c->dl).  Either way the
 * caller calls dt_release(). */
bool dt_compile(struct dt_compiled *c, const char *name, const char *text);
void dt_release(struct dt_compiled *c);
/* Loads format fmt of c into the kernel; 0, or -1 with nftables' reason.
 * DT_DELTA loads c->from, then the delta to c, and fails unless the table
 * then lists as c's loaded afresh does. */
int dt_load(struct probe *k, const struct dt_compiled *c, int fmt, char *err, size_t len);
/* What the evaluator based its verdict on: "drop: the rule at line 5". */
void dt_describe(const struct eval_result *r, char *buf, size_t len);
/* "routes: 2001:db8::/64 r1, 10.0.0.0/8 r1" (or "no routes: ...") to stdout,
 * indented: what a reproducer needs besides the policy. */
void dt_print_routes(const struct eval_routes *rt);
/* Each line of text, indented, to stdout. */
void dt_print_indented(const char *text);
/* Prints the reason and exits 2: a system error, not a finding. */
void dt_die_sys(const char *what) __attribute__((noreturn));

/* Replays tests/diff/regress/NAME.pol with NAME.packets beside it; false when
 * the case itself is malformed. */
bool dt_replay(struct probe *k, const char *pol, const bool fmt[DT_NFMT], struct dt_stats *st);

#endif

/*
 * cli.h - the d6c command line: what the files of cli/ share.
 *
 *   main.c         dispatch: d6c COMMAND [OPTION]... OPERAND...
 *   usage.c        the --help texts
 *   options.c      one option table for every command, and which takes what
 *   report.c       diagnostics in the run's format, colour, usage errors
 *   policy.c       compiling the policy operands, Docker's networks read once
 *   cmd_compile.c  compile, check
 *   cmd_apply.c    apply, confirm, rollback, remove
 *   cmd_diff.c     diff (and apply --dry-run's comparison)
 *   cmd_status.c   status
 *   compare.c      the live table against a compiled policy
 *   cmd_doctor.c   doctor
 *   cmd_explain.c  explain, test
 *   cmd_fmt.c      fmt
 *   cmd_stats.c    stats
 *   follow.c       apply --follow-docker
 *
 * cli/ is the only folder that includes both compiler/ and runtime/, and the
 * only one that prints to the terminal or decides an exit status: the
 * libraries below return values and diagnostics.
 */
#ifndef D6C_CLI_H
#define D6C_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "compiler/arena.h"
#include "compiler/compile.h"
#include "compiler/diag.h"
#include "compiler/diag_json.h"
#include "compiler/fmt.h"
#include "runtime/apply.h"
#include "runtime/output.h"

#ifndef D6C_VERSION
#define D6C_VERSION "0.0.0"
#endif

enum exit_status {
	EXIT_OK = 0,
	EXIT_POLICY = 1,   /* the policy has errors (doctor: a problem on the host) */
	EXIT_USAGE = 2,    /* usage, I/O or system errors (doctor: cannot tell) */
};

enum fmt_mode {
	FMT_PRINT,   /* the formatted text on standard output */
	FMT_WRITE,   /* -w: rewrite each file that changes, atomically */
	FMT_CHECK,   /* --check: list the files that would change */
	FMT_DIFF,    /* --diff: a unified diff of each file that would change */
};

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Diagnostics of a run: how they are printed, and the one JSON or SARIF
 * document they go into when the format is a machine's. */
struct diag_output {
	enum diag_format format;
	enum color_when color;
	FILE *out;                  /* machine formats: check stdout, compile stderr */
	json_t *doc;                /* json: the array; sarif: the results */
};

/* Where `docker "NAME"` networks come from. */
enum docker_from {
	DOCKER_FROM_NONE,    /* not asked for: a named network is an error */
	DOCKER_FROM_DAEMON,  /* --docker, and apply: the Engine API at DOCKER_HOST */
	DOCKER_FROM_FILE,    /* --docker-state FILE: a saved GET /networks */
	DOCKER_FROM_STATE,   /* already read: state, or error */
};

struct cli_docker {
	enum docker_from from;
	const char *path;                  /* DOCKER_FROM_FILE */
	const struct docker_state *state;  /* DOCKER_FROM_STATE (NULL: unreadable) */
	const char *error;                 /* DOCKER_FROM_STATE: why state is NULL */
	bool gateway_lint;                 /* compile_docker's */
};

struct cli {
	const char *cmd;            /* "compile", "check", ... */
	const char *usage;
	struct arena a;
	struct ir_options ir;       /* table and priority */
	bool werror;
	bool disabled[DC_COUNT];    /* --disable: warnings silenced in this run */
	struct diag_output diags;   /* check -f, compile --diagnostics-format, --color */
	bool list_codes;            /* check --list-codes */
	const char *output;         /* compile -o */
	output_emit_fn *emit;       /* compile -f */
	struct apply_options apply; /* apply -n, --confirm */
	struct cli_docker docker;   /* --docker, --docker-state; apply: the daemon */
	bool follow_docker;         /* apply --follow-docker */
	int docker_accept;          /* apply --docker-accept 1, --no-docker-accept -1 */
	bool json;                  /* explain --json, doctor --json, stats --json */
	bool reset;                 /* stats --reset */
	const char *daemon_json;    /* doctor --daemon-json */
	bool kernel;                /* test --kernel */
	bool nft;                   /* diff --nft */
	int fmt_modes;              /* fmt -w, --check, --diff: how many given */
	enum fmt_mode fmt_mode;
	int npolicies;              /* operands after the options */
	char **policies;
};

/* usage.c */
extern const char usage_main[], usage_compile[], usage_check[], usage_apply[],
	usage_confirm[], usage_remove[], usage_doctor[], usage_explain[], usage_test[],
	usage_fmt[], usage_status[], usage_diff[], usage_rollback[],
	usage_stats[];

/* options.c: parses argv into c; returns -1 to go on, or the exit status. */
int cli_parse_options(struct cli *c, int argc, char **argv);

/* report.c */
/* Prints "d6c CMD: MSG" and the hint to --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *msg);
/* Prints "d6c: MESSAGE" (printf style) on standard error. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The one colour decision: when is always or never, or auto: stream is a
 * terminal, NO_COLOR is unset or empty and TERM is set and not "dumb". */
bool cli_color(FILE *stream, enum color_when when);
/* Text diagnostics on standard error, coloured as --color (default auto). */
void cli_print_diags(struct diag_list *dl);
/* Reports dl in the run's format; `last`: the run's last list (the
 * document is printed).  Returns the exit status dl calls for. */
int cli_report(struct diag_output *o, struct diag_list *dl, bool werror, bool last);
/* Where pending confirmations live: $D6C_RUNDIR, else /run/d6c. */
const char *cli_rundir(void);

/* policy.c */
/* Compiles path in a (diagnostics in dl), Docker's networks read as c's
 * options say the first time a policy names one; *unreadable: path, or
 * the Docker networks it names, could not be read (exit 2). */
struct ir_policy *cli_compile(struct cli *c, struct arena *a, struct diag_list *dl,
			      const char *path, const struct ir_options *opt, bool *unreadable);
/* Compiles the one POLICY a command takes and reports its diagnostics;
 * NULL with *rc set on failure. */
struct ir_policy *cli_compile_one(struct cli *c, int *rc);
/* The checked policy of the first operand; NULL with *rc set (and the
 * diagnostics printed) on errors. */
struct sema_policy *cli_check_policy(struct cli *c, int *rc);
/* Docker's networks from the daemon, now, for the compile and the
 * doctor's checks: unreachable is not an error until the policy names a
 * network. */
void cli_fetch_docker(struct cli *c);

/* cmd_apply.c, for follow.c too */
/* Whether apply may read policy and its includes (runtime/trust.h);
 * prints each unsafe file when not. */
bool cli_trusted(struct arena *a, const char *policy);
/* apply_options' report: apply_policy()'s notices, then its error, or its
 * summary and what followed, on standard output (flushed) and standard
 * error. */
void cli_apply_report(int rc, const struct apply_result *res, const char *err);
/* The warning when Docker's accept rule could not be put in place (apply
 * and follow alike): err says why. */
void cli_docker_rule_warning(const char *err);

/* one function per command */
int cmd_compile(struct cli *c);
int cmd_check(struct cli *c);
int cmd_apply(struct cli *c);
int cmd_confirm(struct cli *c);
int cmd_remove(struct cli *c);
int cmd_doctor(struct cli *c);
int cmd_explain(struct cli *c);
int cmd_test(struct cli *c);
int cmd_fmt(struct cli *c);
int cmd_status(struct cli *c);
int cmd_diff(struct cli *c);
int cmd_rollback(struct cli *c);
int cmd_stats(struct cli *c);

/* cmd_diff.c, for apply --dry-run too */
struct compare;
/* What is compared, the difference (policy terms, or nft's unified diff)
 * and the summary line, on standard output. */
void cli_print_compare(const struct compare *k, const char *policy, bool nft);

#endif

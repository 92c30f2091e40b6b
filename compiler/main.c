/*
 * main.c - the d6c command line.
 *
 *   d6c compile [-f text|json] [-o FILE] [--table NAME] [--priority PRIO]
 *               [--diagnostics-format text|json|github|sarif] [--color WHEN] POLICY
 *   d6c check [--werror] [-f text|json|github|sarif] [--color WHEN] POLICY...
 *   d6c apply [--dry-run] [--confirm SECONDS] [--table NAME] [--priority PRIO] POLICY
 *   d6c confirm [--table NAME]
 *   d6c remove [--table NAME]
 *   d6c doctor [--json] [--table NAME] [--daemon-json FILE] [POLICY]
 *   d6c explain [--json] POLICY PACKET...      (PACKET '-': one per line on stdin)
 *   d6c test [--kernel [-f text|json]] POLICY [TESTFILE]
 *
 * Exit status: 0 success, 1 the policy has errors, 2 usage, I/O or system
 * errors (doctor: 0 fine, 1 a problem on the host, 2 cannot tell).
 * Options may come before or after POLICY (GNU getopt permutes); "--" ends
 * them.
 */
#include "arena.h"
#include "compile.h"
#include "diag.h"
#include "diag_json.h"
#include "emit_json.h"
#include "emit_text.h"
#include "fmt.h"
#include "output.h"
#include "tables.h"
#include "runtime/apply.h"
#include "runtime/docker.h"
#include "runtime/doctor.h"
#include "runtime/trust.h"
#include "runtime/eval.h"
#include "runtime/explain.h"
#include "runtime/follow.h"
#include "runtime/packet.h"
#include "runtime/policytest.h"

#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef D6C_VERSION
#define D6C_VERSION "0.0.0"
#endif

enum exit_status {
	EXIT_OK = 0,
	EXIT_POLICY = 1,
	EXIT_USAGE = 2,
};

static const char usage_main[] =
	"Usage: d6c COMMAND [OPTION]... POLICY...\n"
	"Compile a firewall policy for IPv6 container networks into nftables.\n"
	"\n"
	"Commands:\n"
	"  compile   print (or write with -o) the nftables ruleset of a policy\n"
	"  check     parse and check policies only; diagnostics on standard error\n"
	"  apply     compile and commit to the running kernel (needs CAP_NET_ADMIN)\n"
	"  confirm   keep a ruleset applied with 'apply --confirm'\n"
	"  remove    delete d6c's table and its rule in Docker's chains\n"
	"  doctor    say whether the host (Docker, other tables) does what d6c says\n"
	"  explain   say what a policy does to packets, and which rule decides\n"
	"  test      check the expectations of a policy's test file\n"
	"  fmt       reprint policies in the canonical layout (or check or diff it)\n"
	"\n"
	"Options:\n"
	"  -h, --help      show this help, or a command's with 'd6c COMMAND --help'\n"
	"  -V, --version   show the version\n"
	"\n"
	"Exit status: 0 success, 1 the policy has errors, 2 usage, I/O or system errors.\n"
	"The language is described in LANGUAGE.md.\n";

#define USAGE_DOCKER \
	"      --docker          resolve docker \"NAME\" networks from the Docker daemon\n" \
	"                        ($DOCKER_HOST, default unix:///var/run/docker.sock)\n" \
	"      --docker-state FILE\n" \
	"                        resolve them from FILE, a saved GET /networks of the\n" \
	"                        Engine API (or docker network inspect output)\n"

static const char usage_compile[] =
	"Usage: d6c compile [OPTION]... POLICY\n"
	"Compile POLICY ('-' for standard input) into an nftables script for 'nft -f'.\n"
	"\n"
	"  -f, --format FORMAT   'text' (an nftables script for nft -f, the default) or\n"
	"                        'json' (the nftables JSON ruleset, for nft -j -f)\n"
	"  -o, --output FILE     write to FILE (atomically: on any error FILE is unchanged)\n"
	"                        instead of standard output\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"      --priority PRIO   forward hook priority: a number or nftables' symbolic\n"
	"                        form, e.g. 'filter - 5' (default: filter - 1, before\n"
	"                        Docker's and other tools' chains at filter)\n"
	"      --accept-mark VALUE[/MASK]\n"
	"                        set these bits of the packet mark on every packet d6c\n"
	"                        accepts, for one rule in Docker's table to accept\n"
	"                        them too (see \"Running with Docker\" in LANGUAGE.md)\n"
	"      --werror          treat warnings as errors\n"
	"      --diagnostics-format FORMAT\n"
	"                        errors and warnings as 'text' (the default), 'json',\n"
	"                        'github' (workflow commands) or 'sarif' (SARIF 2.1.0),\n"
	"                        on standard error in every format\n"
	"      --color WHEN      colour text diagnostics: 'auto' (the default: when\n"
	"                        standard error is a terminal and NO_COLOR is unset),\n"
	"                        'always' or 'never'\n"
	USAGE_DOCKER
	"  -h, --help            show this help\n";

static const char usage_check[] =
	"Usage: d6c check [OPTION]... POLICY...\n"
	"Parse and check each POLICY; report every error and warning.\n"
	"\n"
	"  -f, --format FORMAT   'text' (the default): clang style on standard error;\n"
	"                        'json' (one array), 'github' (workflow commands) or\n"
	"                        'sarif' (one SARIF 2.1.0 log): on standard output,\n"
	"                        one document for all the POLICY files\n"
	"      --color WHEN      colour text diagnostics: 'auto' (the default: when\n"
	"                        standard error is a terminal and NO_COLOR is unset),\n"
	"                        'always' or 'never'\n"
	"      --werror          treat warnings as errors (exit 1 when there are any;\n"
	"                        they are still reported as warnings)\n"
	"      --list-codes      print the table of diagnostic codes and exit\n"
	USAGE_DOCKER
	"  -h, --help            show this help\n";

static const char usage_apply[] =
	"Usage: d6c apply [OPTION]... POLICY\n"
	"Compile POLICY and commit it to the running kernel through libnftables, in one\n"
	"transaction that replaces d6c's own table and touches no other.  On any failure\n"
	"the running ruleset stays exactly as it was.\n"
	"\n"
	"  -n, --dry-run         let the kernel check the ruleset; change nothing\n"
	"      --confirm SECONDS restore the previous table unless 'd6c confirm' runs\n"
	"                        within SECONDS (for remote sessions)\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"      --priority PRIO   forward hook priority (default: filter - 1)\n"
	"      --accept-mark VALUE[/MASK]\n"
	"                        mark what d6c accepts (see 'd6c compile --help')\n"
	"      --werror          treat warnings as errors\n"
	"      --follow-docker   stay running: apply again whenever a Docker network\n"
	"                        that POLICY names is created, removed or changed;\n"
	"                        keeps Docker's accept rule in place (--docker-accept)\n"
	"      --docker-accept   mark what d6c accepts (default mark 0x10000000) and put\n"
	"                        one rule accepting that mark first in Docker's\n"
	"                        DOCKER-USER chain (FORWARD on Docker 20.10's IPv6),\n"
	"                        through iptables and ip6tables, so that Docker lets\n"
	"                        through what the policy allows\n"
	"      --no-docker-accept  with --follow-docker: leave Docker's chains alone\n"
	"  -h, --help            show this help\n"
	"\n"
	"docker \"NAME\" networks are resolved from the Docker daemon at $DOCKER_HOST\n"
	"(default unix:///var/run/docker.sock) when POLICY names one.\n"
	"Pending confirmations live in $D6C_RUNDIR (default /run/d6c).\n";

static const char usage_confirm[] =
	"Usage: d6c confirm [--table NAME]\n"
	"Keep the ruleset of the last 'd6c apply --confirm'; stop its automatic restore.\n";

static const char usage_remove[] =
	"Usage: d6c remove [--table NAME]\n"
	"Delete d6c's table (table inet d6c) and the rules that accept d6c's mark in\n"
	"Docker's iptables chains (apply --docker-accept); no other table or rule.\n";

static const char usage_doctor[] =
	"Usage: d6c doctor [OPTION]... [POLICY]\n"
	"Read the live host, as root, and say whether what happens to forwarded\n"
	"packets is what d6c's policy says: Docker (reachable at $DOCKER_HOST, its\n"
	"version, firewall backend and IPv6 filtering), d6c's table and its mark,\n"
	"d6c's accept rule in Docker's chains, each Docker network (gateway mode, raw\n"
	"PREROUTING drops), other tables' forward chains with policy drop, SRv6 and\n"
	"docker-proxy.  With POLICY, what it protects counts (and only the Docker\n"
	"networks it protects are listed); without, what the live table protects.\n"
	"\n"
	"      --json            the same facts and findings as one JSON object\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"      --daemon-json FILE  Docker's daemon.json, read for hints (default\n"
	"                        /etc/docker/daemon.json)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 what happens is what the policy says, 1 something makes it\n"
	"otherwise (each problem says what to change), 2 usage errors, a POLICY with\n"
	"errors, or too little of the host could be read (not root).\n";

static const char usage_explain[] =
	"Usage: d6c explain [OPTION]... POLICY PACKET...\n"
	"Say what POLICY does to each PACKET, the first packet of a new connection, and\n"
	"which rule or default decides it.  A PACKET is written\n"
	"    PROTO SRC -> DST [port N | type NAME|N]\n"
	"with PROTO tcp, udp or icmp (ICMPv6 for IPv6 addresses), e.g.\n"
	"    'tcp 2001:db8:1::2 -> 2001:db8::10 port 22'\n"
	"PACKET '-' reads one packet a line from standard input ('#' comments).\n"
	"\n"
	"      --json            one JSON object a packet, one a line\n"
	USAGE_DOCKER
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every packet explained, 1 the policy has errors, 2 a malformed\n"
	"packet (nothing is explained) or another usage error.\n";

static const char usage_test[] =
	"Usage: d6c test [OPTION]... POLICY [TESTFILE]\n"
	"Check the expectations in TESTFILE (default: POLICY.test), lines such as\n"
	"    expect tcp 2001:db8:1::2 -> 2001:db8::10 port 22 accept;\n"
	"against POLICY, without privileges.  Each failure is reported at its\n"
	"TESTFILE:LINE:COL with the verdict the policy gives and the rule that gives it.\n"
	"\n"
	"      --kernel          send real packets through the compiled ruleset instead,\n"
	"                        in private network namespaces (needs root)\n"
	"  -f, --format FORMAT   with --kernel: load the 'text' (default) or 'json' ruleset\n"
	USAGE_DOCKER
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every expectation holds, 1 one fails or a file has errors,\n"
	"2 usage, I/O or system errors.\n";

static const char usage_fmt[] =
	"Usage: d6c fmt [OPTION]... POLICY...\n"
	"Reprint each POLICY in the one canonical layout of LANGUAGE.md: layout only,\n"
	"never a token or a comment changed.  A file with syntax errors is not touched.\n"
	"Includes are not followed.  Without an option the formatted text of the one\n"
	"POLICY ('-' for standard input) goes to standard output.\n"
	"\n"
	"  -w, --write           rewrite each POLICY that changes, in place (atomically,\n"
	"                        its mode kept)\n"
	"      --check           write nothing; list the files that would change\n"
	"      --diff            write nothing; print a unified diff of each change\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 success (with --check or --diff: nothing would change), 1 a file\n"
	"has syntax errors or would change, 2 usage or I/O errors.\n";

static const char *rundir(void)
{
	const char *d = getenv("D6C_RUNDIR");
	return d && *d ? d : "/run/d6c";
}

static bool use_color(void)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !(nc && *nc) && term && strcmp(term, "dumb") != 0;
}

static int usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "d6c%s%s: %s\nTry 'd6c %s%s--help' for more information.\n",
		*cmd ? " " : "", cmd, msg, cmd, *cmd ? " " : "");
	return EXIT_USAGE;
}

/* A name nft's text parser takes for a table: a letter or '_', then
 * letters, digits, '_', and not one of its keywords.  NULL when fine. */
static const char *table_problem(struct arena *a, const char *s)
{
	if (!*s || strlen(s) > 64 || strchr("0123456789", s[0]) ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(s))
		return arena_printf(a, "invalid table name '%.80s' (up to 64 letters, digits and "
				    "'_', not starting with a digit)", s);
	if (tables_nft_reserved(s))
		return arena_printf(a, "'%s' is an nftables keyword and cannot name a table", s);
	return NULL;
}

/* --accept-mark VALUE[/MASK]: MASK defaults to VALUE (set these bits). */
static const char *parse_mark(struct arena *a, const char *s, uint32_t *value, uint32_t *mask)
{
	bool has_mask;
	enum ir_mark_syntax syn = ir_parse_mark(s, value, mask, &has_mask);
	if (syn == IR_MARK_BAD_VALUE)
		return arena_printf(a, "invalid --accept-mark '%s' (VALUE or VALUE/MASK, 32-bit "
				    "numbers such as 0x100000)", s);
	if (syn == IR_MARK_BAD_MASK)
		return arena_printf(a, "invalid --accept-mark '%s': the mask after '/' must be a "
				    "32-bit number", s);
	if (!has_mask)
		*mask = *value;
	if (!*mask)
		return arena_printf(a, "invalid --accept-mark '%s': it marks no bit (give a "
				    "nonzero VALUE, or VALUE/MASK with a nonzero MASK)", s);
	if (*value & ~*mask)
		return arena_printf(a, "invalid --accept-mark '%s': VALUE has bits outside MASK", s);
	return NULL;
}

/* A number, or a standard priority name of the inet forward hook with an
 * optional "+ N" / "- N"; normalised to nftables' spelling, and its value. */
static const char *normalise_priority(struct arena *a, const char *s, int *num)
{
	static const char *const names[] = { "raw", "mangle", "filter", "security" };
	static const int values[] = { -300, -150, 0, 50 };
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (end != s && *end == '\0' && !errno && n >= -1000000 && n <= 1000000) {
		*num = (int)n;
		return arena_printf(a, "%ld", n);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t len = strlen(names[i]);
		if (strncmp(s, names[i], len) != 0)
			continue;
		const char *p = s + len;
		while (*p == ' ')
			p++;
		if (*p == '\0') {
			*num = values[i];
			return names[i];
		}
		char sign = *p++;
		if (sign != '+' && sign != '-')
			return NULL;
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			return NULL;
		errno = 0;
		long off = strtol(p, &end, 10);
		if (*end != '\0' || errno || off > 1000000)
			return NULL;
		*num = values[i] + (sign == '+' ? (int)off : -(int)off);
		return arena_printf(a, "%s %c %ld", names[i], sign, off);
	}
	return NULL;
}

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* Diagnostics of a run: how they are printed, and the one JSON or SARIF
 * document they go into when the format is a machine's. */
struct diag_output {
	enum diag_format format;
	enum color_when color;
	FILE *out;                  /* machine formats: check stdout, compile stderr */
	json_t *doc;                /* json: the array; sarif: the results */
};

/* Prints the JSON or SARIF document of the run, if any. */
static void flush_diags(struct diag_output *o)
{
	if (o->format != DIAG_FORMAT_JSON && o->format != DIAG_FORMAT_SARIF)
		return;
	if (!o->doc)
		o->doc = json_array();
	json_t *doc = o->format == DIAG_FORMAT_SARIF ? diag_sarif_log(o->doc) : o->doc;
	o->doc = NULL;
	/* Through a buffer: jansson writes a token at a time, and compile's
	 * out is unbuffered stderr. */
	FILE *b = diag_buffered(o->out);
	json_dumpf(doc, b, JSON_INDENT(2));
	fputc('\n', b);
	diag_buffered_end(b, o->out);
	fflush(o->out);
	json_decref(doc);
}

/* Reports dl in the run's format; `last`: the run's last list (the
 * document is printed).  Returns the exit status dl calls for. */
static int finish_diags(struct diag_output *o, struct diag_list *dl, bool werror, bool last)
{
	switch (o->format) {
	case DIAG_FORMAT_TEXT:
		diag_print(dl, stderr, o->color == COLOR_ALWAYS ||
				       (o->color == COLOR_AUTO && use_color()));
		break;
	case DIAG_FORMAT_GITHUB:
		diag_github_print(o->out, dl);
		fflush(o->out);
		break;
	case DIAG_FORMAT_JSON:
	case DIAG_FORMAT_SARIF:
		if (!o->doc)
			o->doc = json_array();
		(o->format == DIAG_FORMAT_JSON ? diag_json_append : diag_sarif_append)(o->doc, dl);
		break;
	}
	if (last)
		flush_diags(o);
	if (diag_has_errors(dl))
		return EXIT_POLICY;
	if (werror && dl->nwarnings > 0) {
		fprintf(stderr, "d6c: %d warning%s treated as %s (--werror)\n", dl->nwarnings,
			dl->nwarnings == 1 ? "" : "s", dl->nwarnings == 1 ? "an error" : "errors");
		return EXIT_POLICY;
	}
	return EXIT_OK;
}

/* ---- options shared by the commands ---- */

enum {
	OPT_TABLE = 256,
	OPT_PRIORITY,
	OPT_WERROR,
	OPT_CONFIRM,
	OPT_JSON,
	OPT_KERNEL,
	OPT_COLOR,
	OPT_DIAG_FORMAT,
	OPT_LIST_CODES,
	OPT_CHECK,
	OPT_DIFF,
	OPT_ACCEPT_MARK,
	OPT_DOCKER,
	OPT_DOCKER_STATE,
	OPT_FOLLOW_DOCKER,
	OPT_DOCKER_ACCEPT,
	OPT_NO_DOCKER_ACCEPT,
	OPT_DAEMON_JSON,
};

struct cli {
	const char *cmd;            /* "compile", "check", ... */
	const char *usage;
	struct arena a;
	struct ir_options ir;       /* table and priority */
	bool werror;
	struct diag_output diags;   /* check -f, compile --diagnostics-format, --color */
	bool list_codes;            /* check --list-codes */
	const char *output;         /* compile -o */
	output_emit_fn *emit;       /* compile -f */
	struct apply_options apply; /* apply -n, --confirm */
	struct docker_source docker; /* --docker, --docker-state; apply: the daemon */
	bool follow_docker;         /* apply --follow-docker */
	int docker_accept;          /* apply --docker-accept 1, --no-docker-accept -1 */
	bool json;                  /* explain --json, doctor --json */
	const char *daemon_json;    /* doctor --daemon-json */
	bool kernel;                /* test --kernel */
	int fmt_modes;              /* fmt -w, --check, --diff: how many given */
	enum fmt_mode fmt_mode;
	int npolicies;              /* operands after the options */
	char **policies;
};

static const struct option all_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "priority", required_argument, NULL, OPT_PRIORITY },
	{ "accept-mark", required_argument, NULL, OPT_ACCEPT_MARK },
	{ "docker", no_argument, NULL, OPT_DOCKER },
	{ "docker-state", required_argument, NULL, OPT_DOCKER_STATE },
	{ "follow-docker", no_argument, NULL, OPT_FOLLOW_DOCKER },
	{ "docker-accept", no_argument, NULL, OPT_DOCKER_ACCEPT },
	{ "no-docker-accept", no_argument, NULL, OPT_NO_DOCKER_ACCEPT },
	{ "daemon-json", required_argument, NULL, OPT_DAEMON_JSON },
	{ "werror", no_argument, NULL, OPT_WERROR },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "confirm", required_argument, NULL, OPT_CONFIRM },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "kernel", no_argument, NULL, OPT_KERNEL },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "diagnostics-format", required_argument, NULL, OPT_DIAG_FORMAT },
	{ "list-codes", no_argument, NULL, OPT_LIST_CODES },
	{ "write", no_argument, NULL, 'w' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Which options each command takes, by their getopt value. */
static bool takes(const char *cmd, int opt)
{
	enum { MAXOPTS = 16 };
	static const struct { const char *cmd; const int opts[MAXOPTS]; } table[] = {
		{ "compile", { 'o', 'f', OPT_TABLE, OPT_PRIORITY, OPT_ACCEPT_MARK, OPT_WERROR,
			       OPT_DIAG_FORMAT, OPT_COLOR, OPT_DOCKER, OPT_DOCKER_STATE, 'h' } },
		{ "check", { OPT_WERROR, 'f', OPT_COLOR, OPT_LIST_CODES, OPT_DOCKER,
			     OPT_DOCKER_STATE, 'h' } },
		{ "apply", { 'n', OPT_CONFIRM, OPT_TABLE, OPT_PRIORITY, OPT_ACCEPT_MARK, OPT_WERROR,
			     OPT_FOLLOW_DOCKER, OPT_DOCKER_ACCEPT, OPT_NO_DOCKER_ACCEPT, 'h' } },
		{ "confirm", { OPT_TABLE, 'h' } },
		{ "remove", { OPT_TABLE, 'h' } },
		{ "doctor", { OPT_JSON, OPT_TABLE, OPT_DAEMON_JSON, 'h' } },
		{ "explain", { OPT_JSON, OPT_DOCKER, OPT_DOCKER_STATE, 'h' } },
		{ "test", { OPT_KERNEL, 'f', OPT_DOCKER, OPT_DOCKER_STATE, 'h' } },
		{ "fmt", { 'w', OPT_CHECK, OPT_DIFF, 'h' } },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].cmd, cmd) == 0)
			for (int k = 0; k < MAXOPTS && table[i].opts[k]; k++)
				if (table[i].opts[k] == opt)
					return true;
	return false;
}

/* Parses argv into cli; returns -1 to go on, or the exit status. */
static int parse_options(struct cli *c, int argc, char **argv)
{
	opterr = 0;
	int o;
	while ((o = getopt_long(argc, argv, ":o:f:nwh", all_options, NULL)) != -1) {
		const char *arg = optarg;
		if (o == '?' || o == ':') {
			const char *what = argv[optind - 1];
			return usage_error(c->cmd, arena_printf(&c->a, o == ':'
				? "option '%s' needs a value" : "unknown option '%s'", what));
		}
		if (!takes(c->cmd, o))
			return usage_error(c->cmd, arena_printf(&c->a, "option '%s' does not apply to "
				"'d6c %s'", argv[optind - 1 - (arg && arg == argv[optind - 1])], c->cmd));
		const char *problem = NULL;
		switch (o) {
		case 'h':
			fputs(c->usage, stdout);
			return EXIT_OK;
		case 'o':
			c->output = arg;
			break;
		case 'f':
			if (strcmp(c->cmd, "check") == 0) {
				if (!diag_format_parse(arg, &c->diags.format))
					problem = arena_printf(&c->a, "unknown format '%s' (text, json, "
							       "github or sarif)", arg);
			} else if (strcmp(arg, "text") == 0 || strcmp(arg, "nft") == 0)
				c->emit = emit_text;
			else if (strcmp(arg, "json") == 0)
				c->emit = emit_json;
			else
				problem = arena_printf(&c->a, "unknown format '%s' (text or json)", arg);
			break;
		case OPT_TABLE:
			problem = table_problem(&c->a, arg);
			c->ir.table = arg;
			break;
		case OPT_PRIORITY:
			c->ir.priority = normalise_priority(&c->a, arg, &c->ir.priority_num);
			if (!c->ir.priority)
				problem = arena_printf(&c->a, "invalid priority '%s' (a number, or raw, "
					"mangle, filter or security with an optional '+ N' or '- N')", arg);
			break;
		case OPT_ACCEPT_MARK:
			problem = parse_mark(&c->a, arg, &c->ir.accept_mark, &c->ir.accept_mask);
			break;
		case OPT_DOCKER:
		case OPT_DOCKER_STATE:
			if (c->docker.from != DOCKER_FROM_NONE)
				problem = "give one of --docker and --docker-state, once";
			c->docker.from = o == OPT_DOCKER ? DOCKER_FROM_DAEMON : DOCKER_FROM_FILE;
			c->docker.path = arg;
			break;
		case OPT_FOLLOW_DOCKER:
			c->follow_docker = true;
			break;
		case OPT_DOCKER_ACCEPT:
		case OPT_NO_DOCKER_ACCEPT:
			if (c->docker_accept)
				problem = "give one of --docker-accept and --no-docker-accept, once";
			c->docker_accept = o == OPT_DOCKER_ACCEPT ? 1 : -1;
			break;
		case OPT_WERROR:
			c->werror = true;
			break;
		case OPT_DIAG_FORMAT:
			if (!diag_format_parse(arg, &c->diags.format))
				problem = arena_printf(&c->a, "unknown diagnostics format '%s' (text, "
						       "json, github or sarif)", arg);
			break;
		case OPT_COLOR:
			if (strcmp(arg, "auto") == 0)
				c->diags.color = COLOR_AUTO;
			else if (strcmp(arg, "always") == 0)
				c->diags.color = COLOR_ALWAYS;
			else if (strcmp(arg, "never") == 0)
				c->diags.color = COLOR_NEVER;
			else
				problem = arena_printf(&c->a, "invalid --color '%s' (auto, always or "
						       "never)", arg);
			break;
		case OPT_LIST_CODES:
			c->list_codes = true;
			break;
		case 'n':
			c->apply.dry_run = true;
			break;
		case OPT_JSON:
			c->json = true;
			break;
		case OPT_DAEMON_JSON:
			c->daemon_json = arg;
			break;
		case OPT_KERNEL:
			c->kernel = true;
			break;
		case 'w':
		case OPT_CHECK:
		case OPT_DIFF:
			c->fmt_mode = o == 'w' ? FMT_WRITE : o == OPT_CHECK ? FMT_CHECK : FMT_DIFF;
			c->fmt_modes++;
			break;
		case OPT_CONFIRM: {
			char *end;
			errno = 0;
			long n = strtol(arg, &end, 10);
			if (*arg == '\0' || *end || errno || n < 1 || n > 86400)
				problem = arena_printf(&c->a, "invalid --confirm '%s' (seconds, 1-86400)", arg);
			c->apply.confirm_seconds = (int)n;
			break;
		}
		}
		if (problem)
			return usage_error(c->cmd, problem);
	}
	c->npolicies = argc - optind;
	c->policies = argv + optind;
	return -1;
}

/* Compiles the one POLICY a command takes; NULL with *rc set on failure. */
static struct ir_policy *compile_one(struct cli *c, int *rc)
{
	if (c->npolicies != 1) {
		*rc = usage_error(c->cmd, c->npolicies ? "give one POLICY" : "no POLICY given");
		return NULL;
	}
	struct diag_list dl;
	diag_init(&dl, &c->a);
	bool unreadable;
	struct ir_policy *ir = compile_policy(&c->a, &dl, c->policies[0], &c->ir, &c->docker,
					      &unreadable);
	*rc = finish_diags(&c->diags, &dl, c->werror, true);
	if (unreadable)
		*rc = EXIT_USAGE;
	else if (*rc == EXIT_OK && !ir)
		*rc = EXIT_POLICY;
	return *rc == EXIT_OK ? ir : NULL;
}

static int cmd_compile(struct cli *c)
{
	int rc;
	c->docker.gateway_lint = true;
	struct ir_policy *ir = compile_one(c, &rc);
	if (!ir) {
		if (c->output && rc == EXIT_POLICY)
			fprintf(stderr, "d6c: %s was not written\n", c->output);
		return rc;
	}
	if (c->output)
		return output_write(c->output, ir, c->emit) == 0 ? EXIT_OK : EXIT_USAGE;
	if (c->emit(ir, stdout) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "d6c: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The rows of LANGUAGE.md's table of codes. */
static int list_codes(void)
{
	for (int i = DC_NONE + 1; i < DC_COUNT; i++) {
		const struct diag_code_info *ci = diag_code_info((enum diag_code)i);
		printf("| %s | %s | %s |\n", ci->code, ci->sev == DIAG_ERROR ? "error" : "warning",
		       ci->explanation);
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_USAGE;
}

static int cmd_check(struct cli *c)
{
	if (c->list_codes)
		return list_codes();
	if (c->npolicies == 0)
		return usage_error(c->cmd, "no POLICY given");
	c->diags.out = stdout;
	c->docker.gateway_lint = true;
	int worst = EXIT_OK;
	for (int i = 0; i < c->npolicies; i++) {
		struct arena a;
		arena_init(&a);
		struct diag_list dl;
		diag_init(&dl, &a);
		bool unreadable;
		compile_policy(&a, &dl, c->policies[i], NULL, &c->docker, &unreadable);
		int rc = finish_diags(&c->diags, &dl, c->werror, i == c->npolicies - 1);
		if (unreadable)
			rc = EXIT_USAGE;
		if (rc > worst)
			worst = rc;
		arena_free(&a);
	}
	return worst;
}

/* Docker's networks, once, for the compile and the doctor's checks:
 * unreachable is not an error until the policy names a network. */
static void fetch_docker(struct cli *c)
{
	char err[512] = "";
	c->docker.from = DOCKER_FROM_STATE;
	c->docker.state = docker_state_fetch(&c->a, err, sizeof(err));
	c->docker.error = c->docker.state ? NULL : arena_strdup(&c->a, err);
}

static int cmd_apply(struct cli *c)
{
	int rc;
	/* apply resolves Docker's names at apply time, from the daemon */
	c->docker.from = DOCKER_FROM_DAEMON;
	/* Docker's accept rule: asked for, or following Docker (unless refused);
	 * it needs a mark, the default one unless --accept-mark gave another */
	c->apply.docker_accept = c->docker_accept > 0 || (c->follow_docker && c->docker_accept == 0);
	if (c->apply.docker_accept && !c->ir.accept_mask)
		c->ir.accept_mark = c->ir.accept_mask = IR_DEFAULT_ACCEPT_MARK;
	if (c->follow_docker) {
		if (c->npolicies != 1)
			return usage_error(c->cmd, c->npolicies ? "give one POLICY" : "no POLICY given");
		if (c->apply.dry_run || c->apply.confirm_seconds)
			return usage_error(c->cmd, "--follow-docker applies for as long as it runs; "
					   "it takes neither --dry-run nor --confirm");
		if (!apply_have_cap()) {
			fputs("d6c: apply needs CAP_NET_ADMIN to change the ruleset; run it as root\n",
			      stderr);
			return EXIT_USAGE;
		}
		return follow_docker(c->policies[0], &c->ir, &c->apply, c->werror);
	}
	/* Before the compile: a file others can change is not even read. */
	for (int i = 0; i < c->npolicies; i++)
		if (trust_check_policy(c->policies[i]) != 0)
			return EXIT_USAGE;
	fetch_docker(c);
	struct ir_policy *ir = compile_one(c, &rc);
	if (!ir) {
		if (rc == EXIT_POLICY)
			fputs("d6c: nothing was applied\n", stderr);
		return rc;
	}
	rc = apply_policy(ir, &c->apply);
	if (rc == APPLY_OK && !c->apply.dry_run) {
		/* what on this host makes the policy not what happens, a line each */
		struct doctor_report r;
		struct doctor_options o = { .table = ir->table, .ir = ir, .cheap = true,
					    .state = c->docker.state, .fetched = true,
					    .state_error = c->docker.error };
		doctor_run(&c->a, &o, &r);
		doctor_print_warnings(stderr, &r);
	}
	return rc;
}

static int cmd_doctor(struct cli *c)
{
	if (c->npolicies > 1)
		return usage_error(c->cmd, "give at most one POLICY");
	fetch_docker(c);
	struct doctor_options o = { .table = c->ir.table, .state = c->docker.state,
				    .state_error = c->docker.error, .fetched = true,
				    .daemon_json = c->daemon_json };
	if (c->npolicies == 1) {
		int rc;
		o.ir = compile_one(c, &rc);
		if (!o.ir) {
			fputs("d6c: doctor: POLICY does not compile; nothing was checked\n", stderr);
			return EXIT_USAGE;
		}
		o.policy_path = o.ir->source;
	}
	struct doctor_report r;
	doctor_run(&c->a, &o, &r);
	(c->json ? doctor_print_json : doctor_print_text)(stdout, &r);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "d6c: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return doctor_status(&r);
}

static int cmd_remove(struct cli *c)
{
	if (c->npolicies != 0)
		return usage_error(c->cmd, "remove takes no POLICY");
	return apply_remove(c->ir.table);
}

static int cmd_confirm(struct cli *c)
{
	if (c->npolicies != 0)
		return usage_error(c->cmd, "confirm takes no POLICY");
	return apply_confirm(c->ir.table, rundir());
}

/* The packets of explain's operands, in order; NULL after printing why. */
static struct pkt *explain_packets(struct cli *c, int *n, int *rc)
{
	struct diag_list dl;
	diag_init(&dl, &c->a);
	struct pkt *v = NULL;
	size_t nv = 0, cap = 0;
	for (int i = 1; i < c->npolicies; i++) {
		const char *arg = c->policies[i];
		struct src_file *f;
		bool from_stdin = strcmp(arg, "-") == 0;
		if (from_stdin) {
			const char *why;
			f = src_read(&c->a, "-", NULL, (struct loc){ 0 }, SRC_MAX_FILE, &why);
			if (!f) {
				fprintf(stderr, "d6c: cannot read standard input: %s\n", why);
				*rc = EXIT_USAGE;
				return NULL;
			}
		} else {
			f = src_from_string(&c->a, arena_printf(&c->a, "<packet %d>", i), arg,
					    strlen(arg));
		}
		for (int line = from_stdin ? 1 : 0; line <= (from_stdin ? f->nlines : 0); line++) {
			struct pkt p;
			bool empty;
			if (!pkt_parse_line(&c->a, &dl, f, line, &p, &empty) || empty)
				continue;
			ARENA_PUSH(&c->a, v, nv, cap);
			v[nv - 1] = p;
		}
	}
	if (diag_has_errors(&dl)) {
		diag_print(&dl, stderr, use_color());
		*rc = EXIT_USAGE;
		return NULL;
	}
	*n = (int)nv;
	return v;
}

/* The checked policy of the first operand; NULL with *rc set on errors. */
static struct sema_policy *check_policy(struct cli *c, int *rc)
{
	struct diag_list dl;
	diag_init(&dl, &c->a);
	bool unreadable;
	struct sema_policy *sp = compile_check(&c->a, &dl, c->policies[0], &c->docker,
					       &unreadable);
	*rc = EXIT_OK;
	if (!sp) {
		diag_print(&dl, stderr, use_color());
		*rc = unreadable ? EXIT_USAGE : EXIT_POLICY;
	}
	return sp;
}

static int cmd_explain(struct cli *c)
{
	if (c->npolicies < 2)
		return usage_error(c->cmd, c->npolicies ? "no PACKET given" : "no POLICY given");
	int rc, n = 0;
	for (int i = 1; i < c->npolicies; i++)
		if (strcmp(c->policies[i], "-") == 0 && strcmp(c->policies[0], "-") == 0)
			return usage_error(c->cmd, "POLICY and PACKET cannot both be standard input");
	struct sema_policy *sp = check_policy(c, &rc);
	if (!sp)
		return rc;
	struct pkt *v = explain_packets(c, &n, &rc);
	if (!v && rc != EXIT_OK)
		return rc;
	bool color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	for (int i = 0; i < n; i++) {
		struct eval_result r = eval_packet(sp, &v[i]);
		if (c->json) {
			json_t *o = explain_json(&c->a, &v[i], &r);
			json_dumpf(o, stdout, JSON_COMPACT);
			putchar('\n');
			json_decref(o);
		} else {
			if (i > 0)
				putchar('\n');
			explain_text(&c->a, stdout, &v[i], &r, color);
		}
	}
	if (!c->json && n > 0)
		explain_text_footer(stdout);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "d6c: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int cmd_test(struct cli *c)
{
	if (c->npolicies < 1 || c->npolicies > 2)
		return usage_error(c->cmd, c->npolicies ? "give POLICY and at most one TESTFILE"
						       : "no POLICY given");
	if (c->emit != emit_text && !c->kernel)
		return usage_error(c->cmd, "option '--format' needs '--kernel'");
	const char *path = c->npolicies == 2 ? c->policies[1]
			   : arena_printf(&c->a, "%s.test", c->policies[0]);
	if (strcmp(path, "-.test") == 0)
		return usage_error(c->cmd, "name the TESTFILE when POLICY is standard input");
	int rc;
	struct sema_policy *sp = check_policy(c, &rc);
	if (!sp)
		return rc;
	const char *why;
	struct src_file *f = src_read(&c->a, path, NULL, (struct loc){ 0 }, SRC_MAX_FILE, &why);
	if (!f) {
		fprintf(stderr, "d6c: cannot read test file %s: %s\n", path, why);
		return EXIT_USAGE;
	}
	struct diag_list dl;
	diag_init(&dl, &c->a);
	struct ptest_file t;
	ptest_parse(&c->a, &dl, f, &t);
	if (diag_has_errors(&dl)) {
		diag_print(&dl, stderr, use_color());
		return EXIT_POLICY;
	}
	int failed;
	if (c->kernel) {
		if (!apply_have_cap())
			return usage_error(c->cmd, "--kernel builds network namespaces and needs root "
					   "(CAP_SYS_ADMIN and CAP_NET_ADMIN)");
		char err[512] = "";
		struct ir_policy *ir = ir_lower(&c->a, sp, &c->ir);
		failed = ptest_run_kernel(&c->a, &dl, sp, ir, &t, c->emit == emit_json, err,
					  sizeof(err));
		if (failed == -1) {
			fprintf(stderr, "d6c: cannot test in the kernel: %s\n", err);
			return EXIT_USAGE;
		}
		if (failed == -2) {
			diag_print(&dl, stderr, use_color());
			return EXIT_USAGE;
		}
	} else {
		failed = ptest_check(&c->a, &dl, sp, &t);
	}
	diag_print(&dl, stderr, use_color());
	printf("%d passed, %d failed\n", t.n - failed, failed);
	return failed ? EXIT_POLICY : EXIT_OK;
}

static int cmd_fmt(struct cli *c)
{
	if (c->npolicies == 0)
		return usage_error(c->cmd, "no POLICY given");
	if (c->fmt_modes > 1)
		return usage_error(c->cmd, "give at most one of -w, --check and --diff");
	if (c->fmt_mode == FMT_PRINT && c->npolicies > 1)
		return usage_error(c->cmd, "give one POLICY, or use -w, --check or --diff");
	for (int i = 0; i < c->npolicies; i++)
		if (c->fmt_mode == FMT_WRITE && strcmp(c->policies[i], "-") == 0)
			return usage_error(c->cmd, "-w cannot rewrite standard input");
	return fmt_files(c->fmt_mode, c->policies, c->npolicies, use_color());
}

static const struct command {
	const char *name;
	const char *usage;
	int (*run)(struct cli *c);
} commands[] = {
	{ "compile", usage_compile, cmd_compile },
	{ "check", usage_check, cmd_check },
	{ "apply", usage_apply, cmd_apply },
	{ "confirm", usage_confirm, cmd_confirm },
	{ "remove", usage_remove, cmd_remove },
	{ "doctor", usage_doctor, cmd_doctor },
	{ "explain", usage_explain, cmd_explain },
	{ "test", usage_test, cmd_test },
	{ "fmt", usage_fmt, cmd_fmt },
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("", "no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("d6c %s\n", D6C_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) != 0)
			continue;
		struct cli c = {
			.cmd = commands[i].name,
			.usage = commands[i].usage,
			.ir = { .table = "d6c", .priority = IR_DEFAULT_PRIORITY,
				.priority_num = IR_DEFAULT_PRIORITY_NUM },
			.emit = emit_text,
			.apply = { .rundir = rundir() },
			.diags = { .out = stderr },
		};
		arena_init(&c.a);
		int rc = parse_options(&c, argc - 1, argv + 1);
		if (rc < 0)
			rc = commands[i].run(&c);
		arena_free(&c.a);
		return rc;
	}
	char msg[100];
	snprintf(msg, sizeof(msg), "unknown command '%.64s'", cmd);
	return usage_error("", msg);
}

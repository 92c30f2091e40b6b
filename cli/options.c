/*
 * options.c - one getopt_long table for every command; each command takes
 * the options takes() lists for it and refuses the others by name, with a
 * "did you mean" among its own long options.
 * Options may come before or after the operands (GNU getopt permutes);
 * "--" ends them.
 */
#include "cli.h"
#include "compiler/emit_json.h"
#include "compiler/emit_text.h"
#include "compiler/misspell.h"
#include "compiler/suppress.h"
#include "compiler/validate.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

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
	OPT_NFT,
	OPT_COUNTERS,
	OPT_RESET,
	OPT_DISABLE,
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
	{ "counters", no_argument, NULL, OPT_COUNTERS },
	{ "reset", no_argument, NULL, OPT_RESET },
	{ "werror", no_argument, NULL, OPT_WERROR },
	{ "disable", required_argument, NULL, OPT_DISABLE },
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
	{ "nft", no_argument, NULL, OPT_NFT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Which options each command takes, by their getopt value. */
static bool takes(const char *cmd, int opt)
{
	enum { MAXOPTS = 16 };
	static const struct { const char *cmd; const int opts[MAXOPTS]; } table[] = {
		{ "compile", { 'o', 'f', OPT_TABLE, OPT_PRIORITY, OPT_ACCEPT_MARK, OPT_COUNTERS,
			       OPT_WERROR, OPT_DISABLE, OPT_DIAG_FORMAT, OPT_COLOR, OPT_DOCKER,
			       OPT_DOCKER_STATE, 'h' } },
		{ "check", { OPT_WERROR, OPT_DISABLE, 'f', OPT_COLOR, OPT_LIST_CODES, OPT_DOCKER,
			     OPT_DOCKER_STATE, 'h' } },
		{ "apply", { 'n', OPT_CONFIRM, OPT_TABLE, OPT_PRIORITY, OPT_ACCEPT_MARK, OPT_COUNTERS,
			     OPT_WERROR, OPT_DISABLE, OPT_FOLLOW_DOCKER, OPT_DOCKER_ACCEPT,
			     OPT_NO_DOCKER_ACCEPT, 'h' } },
		/* stats compiles POLICY as apply did: the options that change
		 * the ruleset's shape (a mark adds accept_any_source's rules) */
		{ "stats", { OPT_JSON, OPT_RESET, OPT_TABLE, OPT_ACCEPT_MARK,
			     OPT_DOCKER_ACCEPT, 'h' } },
		{ "confirm", { OPT_TABLE, 'h' } },
		{ "rollback", { OPT_TABLE, 'h' } },
		{ "status", { OPT_JSON, OPT_TABLE, 'h' } },
		{ "diff", { OPT_NFT, OPT_TABLE, OPT_PRIORITY, OPT_ACCEPT_MARK, OPT_DISABLE, 'h' } },
		{ "remove", { OPT_TABLE, 'h' } },
		{ "doctor", { OPT_JSON, OPT_TABLE, OPT_DAEMON_JSON, 'h' } },
		{ "explain", { OPT_JSON, OPT_DOCKER, OPT_DOCKER_STATE, OPT_DISABLE, 'h' } },
		{ "test", { OPT_KERNEL, 'f', OPT_DOCKER, OPT_DOCKER_STATE, OPT_DISABLE, 'h' } },
		{ "fmt", { 'w', OPT_CHECK, OPT_DIFF, 'h' } },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].cmd, cmd) == 0)
			for (int k = 0; k < MAXOPTS && table[i].opts[k]; k++)
				if (table[i].opts[k] == opt)
					return true;
	return false;
}

/* The long option of cmd closest to word as written ("-Werror",
 * "--dryrun=x"), without its dashes; NULL when none is close.  A single
 * letter (-x) gets none: every letter is one edit from some option. */
static const char *closest_option(const char *cmd, const char *word)
{
	const char *w = word + strspn(word, "-");
	size_t n = strcspn(w, "=");
	char name[64];
	if (n < 2 || n >= sizeof(name))
		return NULL;
	memcpy(name, w, n);
	name[n] = '\0';
	struct misspell m;
	misspell_init(&m, name);
	for (const struct option *o = all_options; o->name; o++) {
		if (!takes(cmd, o->val))
			continue;
		if (strcmp(o->name, name) == 0)
			return o->name;   /* the right name with one dash: -werror */
		misspell_offer(&m, o->name);
	}
	return m.best;
}

/* Where getopt_long is in argv.  It skips operands (GNU getopt permutes
 * them to the end later) and reads a cluster such as -Werror a letter a
 * call, leaving optind on it until its last letter: argv[optind - 1] is
 * not always the word an error is about (it was 'check' for -Werror). */
struct cursor {
	int at;       /* the word the next option comes from */
	bool inside;  /* a cluster's letters are left in argv[at] */
};

static void cursor_before(struct cursor *k, int argc, char *const *argv)
{
	if (k->inside)
		return;
	k->at = optind;
	while (k->at < argc && !(argv[k->at][0] == '-' && argv[k->at][1]))
		k->at++;
}

static const struct option *find_option(const char *name)
{
	for (const struct option *o = all_options; o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* Says what is wrong with the option o (getopt_long's answer: '?'
 * unknown, ':' no value, else one cmd does not take) read from word;
 * returns EXIT_USAGE. */
static int option_error(struct cli *c, int o, const char *word)
{
	bool is_long = strncmp(word, "--", 2) == 0;
	int letter = o == '?' || o == ':' ? optopt : o;
	/* "--name" without its "=VALUE", or the one letter of a cluster */
	const char *name = is_long ? arena_printf(&c->a, "%.*s", (int)strcspn(word, "="), word)
			   : arena_printf(&c->a, "-%c", letter);
	/* A word of one dash near a long option (-Werror, -werror, fmt
	 * -write) was meant as that option, as gcc spells its own: it is named
	 * whole, whichever of its letters getopt stumbled on; -nx names the x */
	const char *near = is_long || word[2] ? closest_option(c->cmd, word) : NULL;
	bool one_dash_word = !is_long && near;
	/* getopt_long says '?' for --dry-run=1 too */
	const struct option *given = is_long ? find_option(name + 2) : NULL;
	if (given && o == '?')
		o = given->val;
	const char *msg;
	if (o == ':')
		msg = arena_printf(&c->a, "option '%s' needs a value", name);
	else if (given && takes(c->cmd, o))
		msg = arena_printf(&c->a, "option '%s' takes no value", name);
	else if (o != '?' && !one_dash_word)
		msg = arena_printf(&c->a, "option '%s' does not apply to 'd6c %s'", name, c->cmd);
	else if (near)
		msg = arena_printf(&c->a, "unknown option '%s'; did you mean '--%s'?",
				   one_dash_word ? word : name, near);
	else
		msg = arena_printf(&c->a, "unknown option '%s'", one_dash_word ? word : name);
	return cli_usage_error(c->cmd, msg);
}

/* --disable W011[,D6C-W005...]: warning codes only; NULL, or what is wrong. */
static const char *disable_codes(struct cli *c, const char *arg)
{
	for (const char *p = arg;; p++) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0)
			return arena_printf(&c->a, "--disable '%s' has an empty code (give codes "
					    "like W011, separated by ',')", arg);
		char *word = arena_strndup(&c->a, p, len);
		enum diag_code code;
		switch (suppress_code(word, len, &code)) {
		case SUPPRESS_WARNING:
			c->disabled[code] = true;
			break;
		case SUPPRESS_ERROR:
			return arena_printf(&c->a, "--disable %s: %s is an error, and errors cannot "
					    "be silenced", word, diag_code_info(code)->code);
		case SUPPRESS_UNKNOWN: {
			const char *close = suppress_code_suggest(word);
			return close ? arena_printf(&c->a, "--disable %s: no warning has this code; "
						    "did you mean '%s'?", word, close)
				     : arena_printf(&c->a, "--disable %s: no warning has this code "
						    "('d6c check --list-codes' lists them)", word);
		}
		}
		if (!end)
			return NULL;
		p = end;
	}
}

int cli_parse_options(struct cli *c, int argc, char **argv)
{
	opterr = 0;
	int o;
	struct cursor k = { .at = 1 };
	for (;;) {
		cursor_before(&k, argc, argv);
		if ((o = getopt_long(argc, argv, ":o:f:nwh", all_options, NULL)) == -1)
			break;
		const char *arg = optarg;
		k.inside = optind == k.at;
		if (o == '?' || o == ':' || !takes(c->cmd, o))
			return option_error(c, o, argv[k.at]);
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
			problem = validate_table(&c->a, arg);
			c->ir.table = arg;
			break;
		case OPT_PRIORITY:
			c->ir.priority = validate_priority(&c->a, arg, &c->ir.priority_num);
			if (!c->ir.priority)
				problem = arena_printf(&c->a, "invalid priority '%s' (a number, or raw, "
					"mangle, filter or security with an optional '+ N' or '- N')", arg);
			break;
		case OPT_ACCEPT_MARK:
			problem = validate_mark(&c->a, arg, &c->ir.accept_mark, &c->ir.accept_mask);
			break;
		case OPT_DOCKER:
		case OPT_DOCKER_STATE:
			if (c->docker.from != DOCKER_FROM_NONE)
				problem = "give one of --docker and --docker-state, once";
			c->docker.from = o == OPT_DOCKER ? DOCKER_FROM_DAEMON : DOCKER_FROM_FILE;
			c->docker.path = arg;
			break;
		case OPT_COUNTERS:
			c->ir.counters = true;
			break;
		case OPT_RESET:
			c->reset = true;
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
		case OPT_DISABLE:
			problem = disable_codes(c, arg);
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
		case OPT_NFT:
			c->nft = true;
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
			return cli_usage_error(c->cmd, problem);
	}
	c->npolicies = argc - optind;
	c->policies = argv + optind;
	return -1;
}

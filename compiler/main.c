/*
 * main.c - the d6c command line.
 *
 *   d6c compile [-f text|json] [-o FILE] [--table NAME] [--priority PRIO] POLICY
 *   d6c check [--werror] POLICY...
 *
 * Exit status: 0 success, 1 the policy has errors, 2 usage, I/O or system
 * errors.  Output files are written whole or not at all: a temporary file in
 * the same directory, renamed over FILE only after everything succeeded.
 */
#include "arena.h"
#include "compile.h"
#include "diag.h"
#include "emit_json.h"
#include "emit_text.h"
#include "runtime/apply.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	"\n"
	"Options:\n"
	"  -h, --help      show this help, or a command's with 'd6c COMMAND --help'\n"
	"  -V, --version   show the version\n"
	"\n"
	"Exit status: 0 success, 1 the policy has errors, 2 usage, I/O or system errors.\n"
	"The language is described in LANGUAGE.md.\n";

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
	"                        form, e.g. 'filter - 5' (default: filter)\n"
	"      --werror          treat warnings as errors\n"
	"  -h, --help            show this help\n";

static const char usage_check[] =
	"Usage: d6c check [OPTION]... POLICY...\n"
	"Parse and check each POLICY; report every error and warning on standard error.\n"
	"\n"
	"      --werror          treat warnings as errors (exit 1 when there are any)\n"
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
	"      --priority PRIO   forward hook priority (default: filter)\n"
	"      --werror          treat warnings as errors\n"
	"  -h, --help            show this help\n"
	"\n"
	"Pending confirmations live in $D6C_RUNDIR (default /run/d6c).\n";

static const char usage_confirm[] =
	"Usage: d6c confirm [--table NAME]\n"
	"Keep the ruleset of the last 'd6c apply --confirm'; stop its automatic restore.\n";

static const char *rundir(void)
{
	const char *d = getenv("D6C_RUNDIR");
	return d && *d ? d : "/run/d6c";
}

static bool use_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(STDERR_FILENO) && !(nc && *nc) && getenv("TERM") &&
	       strcmp(getenv("TERM"), "dumb") != 0;
}

static int usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "d6c: %s\nTry 'd6c %s--help' for more information.\n", msg, cmd);
	return EXIT_USAGE;
}

/* nftables identifiers: a letter or '_', then letters, digits, '_'. */
static bool valid_table(const char *s)
{
	if (!*s || strlen(s) > 64 || strchr("0123456789", s[0]))
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
	       strlen(s);
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

/* Writes through a temporary file in FILE's directory and renames it into
 * place, so that FILE is either the old one or the complete new one. */
typedef int emit_fn(const struct ir_policy *ir, FILE *out);

static int write_atomically(const char *path, const struct ir_policy *ir, emit_fn *emit)
{
	char *dup = strdup(path);
	if (!dup) {
		fputs("d6c: out of memory\n", stderr);
		return EXIT_USAGE;
	}
	size_t tlen = strlen(path) + 32;
	char *tmp = xmalloc(tlen);
	snprintf(tmp, tlen, "%s/.%s.XXXXXX", dirname(dup), basename((char *)path));
	free(dup);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "d6c: cannot write '%s': %s\n", path, strerror(errno));
		free(tmp);
		return EXIT_USAGE;
	}
	struct stat st;
	mode_t mode = 0644;
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	FILE *out = fdopen(fd, "w");
	int err = 0;
	if (!out) {
		err = errno;
		close(fd);
	} else {
		if (emit(ir, out) != 0 || fflush(out) != 0 || fchmod(fd, mode) != 0 ||
		    fsync(fd) != 0)
			err = errno ? errno : EIO;
		if (fclose(out) != 0 && !err)
			err = errno;
	}
	if (!err && rename(tmp, path) != 0)
		err = errno;
	if (err) {
		unlink(tmp);
		fprintf(stderr, "d6c: cannot write '%s': %s\n", path, strerror(err));
		free(tmp);
		return EXIT_USAGE;
	}
	free(tmp);
	return EXIT_OK;
}

static int finish_diags(struct diag_list *dl, bool werror)
{
	diag_print(dl, stderr, use_color());
	if (diag_has_errors(dl))
		return EXIT_POLICY;
	if (werror && dl->nwarnings > 0) {
		fprintf(stderr, "d6c: %d warning%s treated as %s (--werror)\n", dl->nwarnings,
			dl->nwarnings == 1 ? "" : "s", dl->nwarnings == 1 ? "an error" : "errors");
		return EXIT_POLICY;
	}
	return EXIT_OK;
}

enum { OPT_TABLE = 256, OPT_PRIORITY, OPT_WERROR };

static int cmd_compile(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "table", required_argument, NULL, OPT_TABLE },
		{ "priority", required_argument, NULL, OPT_PRIORITY },
		{ "werror", no_argument, NULL, OPT_WERROR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *table = "d6c", *priority = "filter";
	int priority_num = 0;
	emit_fn *emit = emit_text;
	bool werror = false;
	struct arena a;
	arena_init(&a);
	int c, rc = EXIT_OK;
	while ((c = getopt_long(argc, argv, "+o:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'f':
			if (strcmp(optarg, "text") == 0 || strcmp(optarg, "nft") == 0)
				emit = emit_text;
			else if (strcmp(optarg, "json") == 0)
				emit = emit_json;
			else {
				rc = usage_error("compile ", arena_printf(&a, "unknown format '%s' (text or json)", optarg));
				goto out;
			}
			break;
		case OPT_TABLE:
			if (!valid_table(optarg)) {
				rc = usage_error("compile ", arena_printf(&a, "invalid table name '%s' (letters, digits and '_', not starting with a digit)", optarg));
				goto out;
			}
			table = optarg;
			break;
		case OPT_PRIORITY:
			priority = normalise_priority(&a, optarg, &priority_num);
			if (!priority) {
				rc = usage_error("compile ", arena_printf(&a, "invalid priority '%s' (a number, or raw, mangle, filter or security with an optional '+ N' or '- N')", optarg));
				goto out;
			}
			break;
		case OPT_WERROR: werror = true; break;
		case 'h': fputs(usage_compile, stdout); goto out;
		default: rc = usage_error("compile ", "invalid option"); goto out;
		}
	}
	if (argc - optind != 1) {
		rc = usage_error("compile ", argc - optind ? "compile takes one POLICY" : "no POLICY given");
		goto out;
	}

	struct diag_list dl;
	diag_init(&dl, &a);
	struct ir_options opt = { .table = table, .priority = priority,
				  .priority_num = priority_num };
	bool unreadable;
	struct ir_policy *ir = compile_policy(&a, &dl, argv[optind], &opt, &unreadable);
	rc = finish_diags(&dl, werror);
	if (unreadable) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (rc != EXIT_OK || !ir) {
		if (output)
			fprintf(stderr, "d6c: %s was not written\n", output);
		rc = EXIT_POLICY;
		goto out;
	}
	if (output) {
		rc = write_atomically(output, ir, emit);
	} else if (emit(ir, stdout) != 0 || fflush(stdout) != 0) {
		fprintf(stderr, "d6c: cannot write to standard output: %s\n", strerror(errno));
		rc = EXIT_USAGE;
	}
out:
	arena_free(&a);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "werror", no_argument, NULL, OPT_WERROR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool werror = false;
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_WERROR: werror = true; break;
		case 'h': fputs(usage_check, stdout); return EXIT_OK;
		default: return usage_error("check ", "invalid option");
		}
	}
	if (optind == argc)
		return usage_error("check ", "no POLICY given");
	int worst = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		struct arena a;
		arena_init(&a);
		struct diag_list dl;
		diag_init(&dl, &a);
		bool unreadable;
		compile_policy(&a, &dl, argv[i], NULL, &unreadable);
		int rc = finish_diags(&dl, werror);
		if (unreadable)
			rc = EXIT_USAGE;
		if (rc > worst)
			worst = rc;
		arena_free(&a);
	}
	return worst;
}

static int cmd_apply(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "confirm", required_argument, NULL, 'c' },
		{ "table", required_argument, NULL, OPT_TABLE },
		{ "priority", required_argument, NULL, OPT_PRIORITY },
		{ "werror", no_argument, NULL, OPT_WERROR },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ir_options opt = { .table = "d6c", .priority = "filter" };
	struct apply_options aopt = { .rundir = rundir() };
	bool werror = false;
	struct arena a;
	arena_init(&a);
	int c, rc = EXIT_OK;
	while ((c = getopt_long(argc, argv, "+nh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': aopt.dry_run = true; break;
		case 'c': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || n < 1 || n > 86400) {
				rc = usage_error("apply ", arena_printf(&a, "invalid --confirm '%s' (seconds, 1-86400)", optarg));
				goto out;
			}
			aopt.confirm_seconds = (int)n;
			break;
		}
		case OPT_TABLE:
			if (!valid_table(optarg)) {
				rc = usage_error("apply ", arena_printf(&a, "invalid table name '%s'", optarg));
				goto out;
			}
			opt.table = optarg;
			break;
		case OPT_PRIORITY:
			opt.priority = normalise_priority(&a, optarg, &opt.priority_num);
			if (!opt.priority) {
				rc = usage_error("apply ", arena_printf(&a, "invalid priority '%s'", optarg));
				goto out;
			}
			break;
		case OPT_WERROR: werror = true; break;
		case 'h': fputs(usage_apply, stdout); goto out;
		default: rc = usage_error("apply ", "invalid option"); goto out;
		}
	}
	if (argc - optind != 1) {
		rc = usage_error("apply ", argc - optind ? "apply takes one POLICY" : "no POLICY given");
		goto out;
	}
	struct diag_list dl;
	diag_init(&dl, &a);
	bool unreadable;
	struct ir_policy *ir = compile_policy(&a, &dl, argv[optind], &opt, &unreadable);
	rc = finish_diags(&dl, werror);
	if (unreadable)
		rc = EXIT_USAGE;
	else if (rc != EXIT_OK || !ir)
		rc = EXIT_POLICY;
	else
		rc = apply_policy(ir, &aopt);
	if (rc == EXIT_POLICY)
		fputs("d6c: nothing was applied\n", stderr);
out:
	arena_free(&a);
	return rc;
}

static int cmd_confirm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "table", required_argument, NULL, OPT_TABLE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *table = "d6c";
	int c;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_TABLE:
			if (!valid_table(optarg))
				return usage_error("confirm ", "invalid table name");
			table = optarg;
			break;
		case 'h': fputs(usage_confirm, stdout); return EXIT_OK;
		default: return usage_error("confirm ", "invalid option");
		}
	}
	if (optind != argc)
		return usage_error("confirm ", "confirm takes no POLICY");
	return apply_confirm(table, rundir());
}

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
	if (strcmp(cmd, "compile") == 0)
		return cmd_compile(argc - 1, argv + 1);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "apply") == 0)
		return cmd_apply(argc - 1, argv + 1);
	if (strcmp(cmd, "confirm") == 0)
		return cmd_confirm(argc - 1, argv + 1);
	{
		char msg[128];
		snprintf(msg, sizeof(msg), "unknown command '%.64s'", cmd);
		return usage_error("", msg);
	}
}

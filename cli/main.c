/*
 * main.c - the d6c command line: finds the command and runs it.
 *
 *   d6c compile [-f text|json] [-o FILE] [--table NAME] [--priority PRIO]
 *               [--diagnostics-format text|json|github|sarif] [--color WHEN] POLICY
 *   d6c check [--werror] [-f text|json|github|sarif] [--color WHEN] POLICY...
 *   d6c apply [--dry-run] [--confirm SECONDS] [--table NAME] [--priority PRIO] POLICY
 *   d6c confirm [--table NAME]
 *   d6c rollback [--table NAME]
 *   d6c status [--json] [--table NAME] [POLICY]
 *   d6c diff [--nft] [--table NAME] [--priority PRIO] [--accept-mark V[/M]] POLICY
 *   d6c remove [--table NAME]
 *   d6c doctor [--json] [--table NAME] [--daemon-json FILE] [POLICY]
 *   d6c explain [--json] POLICY PACKET...      (PACKET '-': one per line on stdin)
 *   d6c test [--kernel [-f text|json]] POLICY [TESTFILE]
 *   d6c fmt [-w | --check | --diff] POLICY...
 *   d6c stats [--json] [--reset] [--table NAME] POLICY
 *
 * Exit status: 0 success, 1 the policy has errors, 2 usage, I/O or system
 * errors (stats: 2 also when the table in force is not POLICY's with
 * counters; status: 0 current, 1 drifted, 2 absent, 3 unknown; diff: 0 no
 * change, 2 a change, 1 policy errors, 3 cannot tell; doctor: 0 fine, 1 a problem on the host, 2 cannot tell; fmt
 * --check and --diff: 1 a file would change).  The options each command
 * takes are in options.c, its help in usage.c, and the command itself in
 * the cmd_*.c file of its group (cli.h lists them).
 */
#include "cli.h"
#include "compiler/emit_text.h"
#include "compiler/misspell.h"
#include "compiler/service_hint.h"
#include "runtime/host_services.h"

#include <string.h>

static const struct command {
	const char *name;
	const char *usage;
	int (*run)(struct cli *c);
} commands[] = {
	{ "compile", usage_compile, cmd_compile },
	{ "check", usage_check, cmd_check },
	{ "apply", usage_apply, cmd_apply },
	{ "confirm", usage_confirm, cmd_confirm },
	{ "rollback", usage_rollback, cmd_rollback },
	{ "remove", usage_remove, cmd_remove },
	{ "status", usage_status, cmd_status },
	{ "diff", usage_diff, cmd_diff },
	{ "doctor", usage_doctor, cmd_doctor },
	{ "explain", usage_explain, cmd_explain },
	{ "test", usage_test, cmd_test },
	{ "fmt", usage_fmt, cmd_fmt },
	{ "stats", usage_stats, cmd_stats },
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("", "no command given");
	/* An undefined port name may be a service the host knows: its number. */
	service_hint_set_host(host_services_lookup);
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
			.apply = { .rundir = cli_rundir() },
			.diags = { .out = stderr },
		};
		arena_init(&c.a);
		int rc = cli_parse_options(&c, argc - 1, argv + 1);
		/* diff's 2 means "a change", status's 2 "absent": a usage error
		 * there is 3, "cannot tell" */
		if (rc == EXIT_USAGE && (strcmp(c.cmd, "diff") == 0 || strcmp(c.cmd, "status") == 0))
			rc = 3;
		if (rc < 0)
			rc = commands[i].run(&c);
		arena_free(&c.a);
		return rc;
	}
	struct misspell m;
	misspell_init(&m, cmd);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		misspell_offer(&m, commands[i].name);
	char msg[160];
	if (m.best)
		snprintf(msg, sizeof(msg), "unknown command '%.64s'; did you mean '%s'?", cmd, m.best);
	else
		snprintf(msg, sizeof(msg), "unknown command '%.64s'", cmd);
	return cli_usage_error("", msg);
}

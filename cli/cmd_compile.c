/*
 * cmd_compile.c - d6c compile (a policy to a ruleset, on standard output or
 * atomically to a file) and d6c check (diagnostics only, for many policies
 * at once).
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int cmd_compile(struct cli *c)
{
	int rc;
	c->docker.gateway_lint = true;
	struct ir_policy *ir = cli_compile_one(c, &rc);
	if (!ir) {
		if (c->output && rc == EXIT_POLICY)
			fprintf(stderr, "d6c: %s was not written\n", c->output);
		return rc;
	}
	if (c->output) {
		/* the message names the path as given, or its target (< PATH_MAX) */
		size_t errlen = strlen(c->output) + PATH_MAX + 256;
		char *err = arena_alloc(&c->a, errlen);
		if (output_write(c->output, ir, c->emit, err, errlen) != 0) {
			cli_error("%s", err);
			return EXIT_USAGE;
		}
		return EXIT_OK;
	}
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

int cmd_check(struct cli *c)
{
	if (c->list_codes)
		return list_codes();
	if (c->npolicies == 0)
		return cli_usage_error(c->cmd, "no POLICY given");
	c->diags.out = stdout;
	c->docker.gateway_lint = true;
	int worst = EXIT_OK;
	for (int i = 0; i < c->npolicies; i++) {
		struct arena a;
		arena_init(&a);
		struct diag_list dl;
		diag_init(&dl, &a);
		bool unreadable;
		cli_compile(c, &a, &dl, c->policies[i], NULL, &unreadable);
		int rc = cli_report(&c->diags, &dl, c->werror, i == c->npolicies - 1);
		if (unreadable)
			rc = EXIT_USAGE;
		if (rc > worst)
			worst = rc;
		arena_free(&a);
	}
	return worst;
}

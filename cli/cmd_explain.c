/*
 * cmd_explain.c - d6c explain (what a policy does to packets given on the
 * command line or standard input) and d6c test (a policy's test file,
 * through the evaluator or, with --kernel, through a real kernel).
 */
#include "cli.h"
#include "compiler/emit_json.h"
#include "compiler/emit_text.h"
#include "compiler/explain.h"
#include "compiler/packet.h"
#include "compiler/testfile.h"
#include "runtime/kernel_release.h"
#include "runtime/testfile_kernel.h"

#include <errno.h>
#include <string.h>

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
	/* A packet is text the user wrote, as a policy or a test file is: a
	 * mistake in it is exit 1, as the same packet in a test file is. */
	if (diag_has_errors(&dl)) {
		cli_print_diags(&dl);
		*rc = EXIT_POLICY;
		return NULL;
	}
	*n = (int)nv;
	return v;
}

int cmd_explain(struct cli *c)
{
	if (c->npolicies < 2)
		return cli_usage_error(c->cmd, c->npolicies ? "no PACKET given" : "no POLICY given");
	int rc, n = 0;
	for (int i = 1; i < c->npolicies; i++)
		if (strcmp(c->policies[i], "-") == 0 && strcmp(c->policies[0], "-") == 0)
			return cli_usage_error(c->cmd, "POLICY and PACKET cannot both be standard input");
	struct sema_policy *sp = cli_check_policy(c, &rc);
	if (!sp)
		return rc;
	struct pkt *v = explain_packets(c, &n, &rc);
	if (!v && rc != EXIT_OK)
		return rc;
	bool color = cli_color(stdout, COLOR_AUTO);
	int kernel = kernel_release_running();
	for (int i = 0; i < n; i++) {
		struct eval_result r = eval_packet(sp, &v[i], kernel);
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

/* test's last line, however it ends: a CI log shows how it went even when
 * nothing could be checked (then every expectation counts as failed). */
static int summary(int passed, int failed, int rc)
{
	printf("%d passed, %d failed\n", passed, failed);
	if (fflush(stdout) != 0) {
		fprintf(stderr, "d6c: cannot write to standard output: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return rc;
}

int cmd_test(struct cli *c)
{
	if (c->npolicies < 1 || c->npolicies > 2)
		return cli_usage_error(c->cmd, c->npolicies ? "give POLICY and at most one TESTFILE"
						       : "no POLICY given");
	if (c->emit != emit_text && !c->kernel)
		return cli_usage_error(c->cmd, "option '--format' needs '--kernel'");
	const char *path = c->npolicies == 2 ? c->policies[1]
			   : arena_printf(&c->a, "%s.test", c->policies[0]);
	if (strcmp(path, "-.test") == 0)
		return cli_usage_error(c->cmd, "name the TESTFILE when POLICY is standard input");
	if (c->kernel && !apply_have_cap())
		return cli_usage_error(c->cmd, "--kernel builds network namespaces and needs root "
				   "(CAP_SYS_ADMIN and CAP_NET_ADMIN)");
	/* The policy's errors first, then the test file's: both are read, so
	 * that one run shows every mistake and the line can count them. */
	int policy_rc;
	struct sema_policy *sp = cli_check_policy(c, &policy_rc);
	const char *why;
	struct src_file *f = src_read(&c->a, path, NULL, (struct loc){ 0 }, SRC_MAX_FILE, &why);
	if (!f) {
		fprintf(stderr, "d6c: cannot read test file %s: %s\n", path, why);
		return EXIT_USAGE;
	}
	struct diag_list dl;
	diag_init(&dl, &c->a);
	struct testfile t;
	testfile_parse(&c->a, &dl, f, &t);
	/* An empty or cut-short file must not pass CI by testing nothing. */
	if (t.n == 0 && !diag_has_errors(&dl))
		diag_error(&dl, DC_TEST_EMPTY, src_end(f), "no expectations in this test file: it would "
			   "pass without testing anything; write 'expect PACKET VERDICT;' statements");
	/* A mistake in the test file counts as one failure; nothing is checked */
	if (diag_has_errors(&dl)) {
		cli_print_diags(&dl);
		return summary(0, dl.nerrors, policy_rc == EXIT_USAGE ? EXIT_USAGE : EXIT_POLICY);
	}
	if (!sp)
		return summary(0, t.n, policy_rc);
	int failed;
	if (c->kernel) {
		char err[512] = "";
		struct ir_policy *ir = ir_lower(&c->a, sp, &c->ir);
		failed = testfile_kernel_run(&c->a, &dl, sp, ir, &t, c->emit == emit_json, err,
					  sizeof(err));
		if (failed == -1)
			fprintf(stderr, "d6c: cannot test in the kernel: %s\n", err);
		else if (failed == -2)
			cli_print_diags(&dl);
		if (failed < 0)
			return summary(0, t.n, EXIT_USAGE);
	} else {
		failed = testfile_check(&c->a, &dl, sp, &t, kernel_release_running());
	}
	cli_print_diags(&dl);
	return summary(t.n - failed, failed, failed ? EXIT_POLICY : EXIT_OK);
}

/*
 * cmd_apply.c - d6c apply (compile, then commit through libnftables),
 * confirm (keep an apply --confirm) and remove (d6c's table and its rule in
 * Docker's chains).
 */
#include "cli.h"
#include "follow.h"
#include "runtime/doctor.h"
#include "runtime/trust.h"

#include <stdio.h>

bool cli_trusted(struct arena *a, const char *policy)
{
	struct trust_report r;
	if (trust_check_policy(a, policy, &r) == 0)
		return true;
	for (int i = 0; i < r.n; i++)
		cli_error("%s", r.unsafe[i]);
	return false;
}

int cmd_apply(struct cli *c)
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
			return cli_usage_error(c->cmd, c->npolicies ? "give one POLICY" : "no POLICY given");
		if (c->apply.dry_run || c->apply.confirm_seconds)
			return cli_usage_error(c->cmd, "--follow-docker applies for as long as it runs; "
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
		if (!cli_trusted(&c->a, c->policies[i]))
			return EXIT_USAGE;
	cli_fetch_docker(c);
	struct ir_policy *ir = cli_compile_one(c, &rc);
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

int cmd_remove(struct cli *c)
{
	if (c->npolicies != 0)
		return cli_usage_error(c->cmd, "remove takes no POLICY");
	return apply_remove(c->ir.table);
}

int cmd_confirm(struct cli *c)
{
	if (c->npolicies != 0)
		return cli_usage_error(c->cmd, "confirm takes no POLICY");
	return apply_confirm(c->ir.table, cli_rundir());
}

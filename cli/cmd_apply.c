/*
 * cmd_apply.c - d6c apply (compile, then commit through libnftables),
 * confirm (keep an apply --confirm) and remove (d6c's table and its rule in
 * Docker's chains); and what apply's runtime calls have to say, which
 * follow.c says too.
 */
#include "cli.h"
#include "compare.h"
#include "follow.h"
#include "runtime/docker_rule.h"
#include "runtime/doctor.h"
#include "runtime/trust.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cli_trusted(struct arena *a, const char *policy)
{
	struct trust_report r;
	if (trust_check_policy(a, policy, &r) == 0)
		return true;
	for (int i = 0; i < r.n; i++)
		cli_error("%s", r.unsafe[i]);
	return false;
}

void cli_docker_rule_warning(const char *err)
{
	cli_error("warning: cannot put the rule that accepts d6c's mark into Docker's chains "
		  "(%s); Docker may drop what d6c allows", err);
}

static void print_notices(const struct apply_notices *nt)
{
	for (int i = 0; i < nt->n; i++)
		cli_error("%s", nt->line[i]);
}

void cli_apply_report(int rc, const struct apply_result *res, const char *err)
{
	const struct ir_policy *ir = res->ir;
	const struct apply_options *opt = res->opt;
	print_notices(&res->notices);
	if (rc != 0) {
		cli_error("%s", err);
		if (res->unread)
			cli_error("nothing was applied");
		fflush(stdout);
		return;
	}
	/* which way it went in: the difference only, or the whole table and why */
	char how[400];
	if (opt->dry_run)
		snprintf(how, sizeof(how), "%s", res->existed ? "would be replaced" : "would be created");
	else if (res->delta)
		snprintf(how, sizeof(how), "updated (delta: %s)", res->how);
	else if (res->existed && res->how[0])
		snprintf(how, sizeof(how), "replaced (whole: %s)", res->how);
	else
		snprintf(how, sizeof(how), "%s", res->existed ? "replaced" : "created");
	printf("%s %s: table inet %s %s, %d network%s, %d rule%s, %d IPv6 and %d IPv4 ranges\n",
	       opt->dry_run ? "checked (dry run, nothing changed)" : "applied", ir->source,
	       ir->table, how, res->networks, res->networks == 1 ? "" : "s", res->rules, res->rules == 1 ? "" : "s",
	       res->ranges6, res->ranges4);
	if (res->docker_error[0])
		cli_docker_rule_warning(res->docker_error);
	else if (res->docker_done[0])
		printf("Docker's accept rule for mark 0x%x/0x%x: %s\n", ir->accept_mark,
		       ir->accept_mask, res->docker_done);
	if (!opt->dry_run && opt->confirm_seconds > 0)
		printf("run 'd6c confirm%s%s' within %d seconds, or the previous table inet %s comes back\n",
		       strcmp(ir->table, "d6c") ? " --table " : "",
		       strcmp(ir->table, "d6c") ? ir->table : "", opt->confirm_seconds, ir->table);
	fflush(stdout);
}

/* The policy's path for the table's record: absolute, so that status
 * finds it from any directory. */
static const char *record_path(struct cli *c, const char *policy)
{
	char buf[PATH_MAX];
	if (strcmp(policy, "-") == 0 || !realpath(policy, buf))
		return policy;
	return arena_strdup(&c->a, buf);
}

/* apply --dry-run: what the commit would change, as d6c diff says it.
 * The kernel has accepted the ruleset already; a comparison that cannot be
 * made is a warning. */
static void dry_run_diff(struct cli *c, const struct ir_policy *ir)
{
	struct compare k;
	char err[4096];
	if (compare_read_live(c, &k, err, sizeof(err)) != 0 ||
	    compare_policy(c, ir, &k, err, sizeof(err)) != 0) {
		cli_error("warning: cannot compare with the table in force: %s", err);
		return;
	}
	cli_print_compare(&k, c->policies[0], false);
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
	c->apply.report = cli_apply_report;
	c->apply.version = D6C_VERSION;
	if (c->npolicies == 1)
		c->apply.policy_path = record_path(c, c->policies[0]);
	if (c->follow_docker) {
		if (c->npolicies != 1)
			return cli_usage_error(c->cmd, c->npolicies ? "give one POLICY" : "no POLICY given");
		if (c->apply.dry_run || c->apply.confirm_seconds)
			return cli_usage_error(c->cmd, "--follow-docker applies for as long as it runs; "
					   "it takes neither --dry-run nor --confirm");
		if (!apply_have_cap()) {
			cli_error("apply needs CAP_NET_ADMIN to change the ruleset; run it as root");
			return EXIT_USAGE;
		}
		return follow_docker(c->policies[0], &c->ir, &c->apply, c->werror, c->disabled);
	}
	/* Before the compile: a file others can change is not even read. */
	for (int i = 0; i < c->npolicies; i++)
		if (!cli_trusted(&c->a, c->policies[i]))
			return EXIT_USAGE;
	cli_fetch_docker(c);
	struct ir_policy *ir = cli_compile_one(c, &rc);
	if (!ir) {
		/* errors, or Docker's networks unreadable (exit 2); not a usage error */
		if (c->npolicies == 1)
			cli_error("nothing was applied");
		return rc;
	}
	struct apply_result res;
	char *err = arena_alloc(&c->a, APPLY_ERRLEN);
	if (apply_policy(ir, &c->apply, &res, err, APPLY_ERRLEN) != 0)
		return EXIT_USAGE;   /* cli_apply_report said why */
	if (c->apply.dry_run)
		dry_run_diff(c, ir);
	else {
		/* what on this host makes the policy not what happens, a line each */
		struct doctor_report r;
		struct doctor_options o = { .table = ir->table, .ir = ir, .cheap = true,
					    .state = c->docker.state, .fetched = true,
					    .state_error = c->docker.error };
		doctor_run(&c->a, &o, &r);
		doctor_print_warnings(stderr, &r);
	}
	return EXIT_OK;
}

int cmd_remove(struct cli *c)
{
	if (c->npolicies != 0)
		return cli_usage_error(c->cmd, "remove takes no POLICY");
	const char *table = c->ir.table;
	char *err = arena_alloc(&c->a, APPLY_ERRLEN);
	bool existed;
	if (apply_remove(table, &existed, err, APPLY_ERRLEN) != 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	if (existed)
		printf("removed table inet %s\n", table);
	else
		printf("table inet %s was not loaded\n", table);
	int n = docker_rule_remove(err, APPLY_ERRLEN);
	if (n < 0) {
		cli_error("cannot remove d6c's rule from Docker's chains: %s", err);
		return EXIT_USAGE;
	}
	if (n > 0)
		printf("removed %d rule%s accepting d6c's mark from Docker's chains\n", n,
		       n == 1 ? "" : "s");
	return EXIT_OK;
}

int cmd_rollback(struct cli *c)
{
	if (c->npolicies != 0)
		return cli_usage_error(c->cmd, "rollback takes no POLICY");
	/* without it the run directory is not even readable: "nothing to
	 * roll back" would be a lie */
	if (!apply_have_cap()) {
		cli_error("rollback needs CAP_NET_ADMIN to change the ruleset; run it as root");
		return EXIT_USAGE;
	}
	char *err = arena_alloc(&c->a, APPLY_ERRLEN);
	char done[1200];
	if (apply_rollback(c->ir.table, cli_rundir(), done, sizeof(done), err, APPLY_ERRLEN) != 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	/* the watcher's own words, without its "d6c: " */
	printf("%s\n", strncmp(done, "d6c: ", 5) == 0 ? done + 5 : done);
	return EXIT_OK;
}

int cmd_confirm(struct cli *c)
{
	if (c->npolicies != 0)
		return cli_usage_error(c->cmd, "confirm takes no POLICY");
	const char *table = c->ir.table;
	char *err = arena_alloc(&c->a, APPLY_ERRLEN);
	struct apply_notices nt;
	int rc = apply_confirm(table, cli_rundir(), &nt, err, APPLY_ERRLEN);
	print_notices(&nt);
	if (rc != 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	printf("confirmed: table inet %s stays\n", table);
	return EXIT_OK;
}

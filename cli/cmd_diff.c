/*
 * cmd_diff.c - d6c diff: what apply would change against the live table,
 * in the policy's terms; and the same for apply --dry-run.
 *
 * Exit status as `terraform plan -detailed-exitcode` and `kubectl diff`:
 * 0 no change, 2 a change; 1 the policy has errors; 3 cannot tell (no
 * privilege, the table cannot be read, usage).
 */
#include "compare.h"

#include <stdio.h>
#include <string.h>

enum { DIFF_SAME = 0, DIFF_POLICY = 1, DIFF_CHANGED = 2, DIFF_UNKNOWN = 3 };

/* The line before the differences: what is compared with what. */
static void print_header(const struct compare *k, const char *policy)
{
	if (k->state == LIVE_ABSENT)
		printf("table inet %s is not loaded; applying %s would create it\n", k->table, policy);
	else if (!k->has_record)
		printf("table inet %s was not made by 'd6c apply' (no d6c record in its comment); "
		       "applying %s would replace it\n", k->table, policy);
	else
		printf("table inet %s (applied %s from %s) against %s\n", k->table, k->rec.applied,
		       k->rec.policy, policy);
}

void cli_print_compare(const struct compare *k, const char *policy, bool nft)
{
	print_header(k, policy);
	struct arena a;
	arena_init(&a);
	if (!tablediff_same(&k->diff))
		compare_print(stdout, k, nft);
	printf("%s\n", compare_summary(&a, k));
	arena_free(&a);
	fflush(stdout);
}

int cmd_diff(struct cli *c)
{
	if (c->npolicies != 1) {
		cli_usage_error(c->cmd, c->npolicies ? "give one POLICY" : "no POLICY given");
		return DIFF_UNKNOWN;
	}
	c->docker.from = DOCKER_FROM_DAEMON;
	struct compare k;
	char err[4096];
	if (compare_read_live(c, &k, err, sizeof(err)) != 0) {
		cli_error("%s", err);
		return DIFF_UNKNOWN;
	}
	compare_take_options(c, &k);
	int rc;
	struct ir_policy *ir = cli_compile_one(c, &rc);
	if (!ir)
		return rc == EXIT_POLICY ? DIFF_POLICY : DIFF_UNKNOWN;
	if (compare_policy(c, ir, &k, err, sizeof(err)) != 0) {
		cli_error("%s", err);
		return DIFF_UNKNOWN;
	}
	cli_print_compare(&k, c->policies[0], c->nft);
	return tablediff_same(&k.diff) ? DIFF_SAME : DIFF_CHANGED;
}

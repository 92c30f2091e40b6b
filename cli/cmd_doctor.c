/*
 * cmd_doctor.c - d6c doctor: whether the host does what d6c's policy says
 * (runtime/doctor.h), as text or JSON.
 */
#include "cli.h"
#include "runtime/doctor.h"

#include <errno.h>
#include <string.h>

static const int verdict_exit[] = {
	[DOCTOR_FINE] = EXIT_OK,
	[DOCTOR_PROBLEMS] = EXIT_POLICY,
	[DOCTOR_CANNOT_TELL] = EXIT_USAGE,
};

int cmd_doctor(struct cli *c)
{
	if (c->npolicies > 1)
		return cli_usage_error(c->cmd, "give at most one POLICY");
	cli_fetch_docker(c);
	struct doctor_options o = { .table = c->ir.table, .state = c->docker.state,
				    .state_error = c->docker.error, .fetched = true,
				    .daemon_json = c->daemon_json };
	if (c->npolicies == 1) {
		int rc;
		o.ir = cli_compile_one(c, &rc);
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
	return verdict_exit[doctor_verdict_of(&r)];
}

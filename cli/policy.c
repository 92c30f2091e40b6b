/*
 * policy.c - compiling the policy operands of a command.
 *
 * The compile pipeline never asks Docker (compiler/compile.h); this file
 * does, between parse and check, and only when the policy names a network:
 * from the daemon (--docker, apply), from a saved file (--docker-state), or
 * from a state read already.  What it read is kept for the rest of the run,
 * in the run's arena, so `check a.pol b.pol --docker` asks once.
 */
#include "cli.h"
#include "compiler/docker_state.h"
#include "compiler/suppress.h"
#include "runtime/docker_api.h"

/* Keeps what was read (or why nothing was) for the rest of the run. */
static void keep_state(struct cli *c, const struct docker_state *st, const char *err)
{
	c->docker.from = DOCKER_FROM_STATE;
	c->docker.state = st;
	c->docker.error = st ? NULL : arena_strdup(&c->a, err);
}

void cli_fetch_docker(struct cli *c)
{
	char err[512] = "";
	const struct docker_state *st = docker_state_fetch(&c->a, err, sizeof(err));
	keep_state(c, st, err);
}

/* Docker's networks for t: NULL when none were asked for, or t names none. */
static const struct compile_docker *docker_for(struct cli *c, const struct compile_tree *t,
					       struct compile_docker *dk)
{
	if (c->docker.from == DOCKER_FROM_NONE || !compile_names_docker(t))
		return NULL;
	if (c->docker.from == DOCKER_FROM_DAEMON) {
		cli_fetch_docker(c);
	} else if (c->docker.from == DOCKER_FROM_FILE) {
		char err[512] = "";
		const struct docker_state *st = docker_state_load(&c->a, c->docker.path, err,
								  sizeof(err));
		keep_state(c, st, err);
	}
	*dk = (struct compile_docker){
		.view = { .state = c->docker.state,
			  .error = c->docker.state ? NULL
				 : c->docker.error ? c->docker.error
				 : "Docker's networks could not be read" },
		.gateway_lint = c->docker.gateway_lint,
	};
	return dk;
}

/* Parses and checks path; *unreadable: the file, or the Docker networks
 * it names, could not be read.  That is an I/O or system error (exit 2),
 * whatever else is wrong with the policy: the check was not complete. */
static struct sema_policy *check_in(struct cli *c, struct arena *a, struct diag_list *dl,
				    const char *path, bool *unreadable)
{
	struct compile_tree t;
	struct compile_docker dk;
	suppress_external(dl, c->disabled);
	compile_parse(a, dl, path, &t);
	const struct compile_docker *docker = docker_for(c, &t, &dk);
	*unreadable = t.unreadable || (docker && !docker->view.state);
	return compile_check(a, dl, &t, docker);
}

struct ir_policy *cli_compile(struct cli *c, struct arena *a, struct diag_list *dl,
			      const char *path, const struct ir_options *opt, bool *unreadable)
{
	struct sema_policy *sp = check_in(c, a, dl, path, unreadable);
	return sp ? compile_lower(a, dl, sp, opt) : NULL;
}

struct ir_policy *cli_compile_one(struct cli *c, int *rc)
{
	if (c->npolicies != 1) {
		*rc = cli_usage_error(c->cmd, c->npolicies ? "give one POLICY" : "no POLICY given");
		return NULL;
	}
	struct diag_list dl;
	diag_init(&dl, &c->a);
	bool unreadable;
	struct ir_policy *ir = cli_compile(c, &c->a, &dl, c->policies[0], &c->ir, &unreadable);
	*rc = cli_report(&c->diags, &dl, c->werror, true);
	if (unreadable)
		*rc = EXIT_USAGE;
	else if (*rc == EXIT_OK && !ir)
		*rc = EXIT_POLICY;
	return *rc == EXIT_OK ? ir : NULL;
}

struct sema_policy *cli_check_policy(struct cli *c, int *rc)
{
	struct diag_list dl;
	diag_init(&dl, &c->a);
	bool unreadable;
	struct sema_policy *sp = check_in(c, &c->a, &dl, c->policies[0], &unreadable);
	*rc = EXIT_OK;
	if (!sp) {
		cli_print_diags(&dl);
		*rc = unreadable ? EXIT_USAGE : EXIT_POLICY;
	}
	return sp;
}

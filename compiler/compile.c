/*
 * compile.c - the compile pipeline; each stage's output is the next's input.
 *
 * The syntax tree lives in an arena of its own and is freed as soon as sema
 * has turned it into the checked policy: nothing after sema reads it, and
 * at 100 000 blocks it is a third of the memory.
 */
#include "compile.h"
#include "arena.h"
#include "lint.h"
#include "parse.h"
#include "sema.h"
#include "runtime/docker.h"

#include <string.h>

/* Docker's networks, read only when the tree names one. */
static const struct sema_docker *docker_view(struct arena *a, const struct docker_source *dk,
					     const struct ast_item *ast)
{
	if (!dk || dk->from == DOCKER_FROM_NONE || !sema_first_docker(ast))
		return NULL;
	struct sema_docker *v = arena_alloc(a, sizeof(*v));
	v->missing_ok = dk->missing_ok;
	char err[512] = "";
	switch (dk->from) {
	case DOCKER_FROM_DAEMON:
		v->state = docker_state_fetch(a, err, sizeof(err));
		break;
	case DOCKER_FROM_FILE:
		v->state = docker_state_load(a, dk->path, err, sizeof(err));
		break;
	case DOCKER_FROM_STATE:
		v->state = dk->state;
		snprintf(err, sizeof(err), "%s", dk->error ? dk->error : "");
		break;
	case DOCKER_FROM_NONE:
		break;
	}
	if (!v->state)
		v->error = arena_printf(a, "%s", err[0] ? err : "Docker's networks could not be read");
	return v;
}

struct sema_policy *compile_check(struct arena *a, struct diag_list *dl, const char *path,
				  const struct docker_source *dk, bool *unreadable)
{
	struct arena tree;
	arena_init(&tree);
	struct ast_item *ast = parse_file_tree(a, &tree, dl, path, unreadable);
	struct sema_policy *sp = NULL;
	if (!*unreadable) {
		const struct sema_docker *view = docker_view(a, dk, ast);
		sp = sema_check_docker(a, dl, ast, strcmp(path, "-") == 0 ? "<stdin>" : path, view);
		if (sp && view && view->state && dk->gateway_lint && !diag_has_errors(dl))
			lint_docker_gateways(dl, sp, view->state);
	}
	arena_free(&tree);
	return diag_has_errors(dl) ? NULL : sp;
}

struct ir_policy *compile_policy(struct arena *a, struct diag_list *dl, const char *path,
				 const struct ir_options *opt, const struct docker_source *dk,
				 bool *unreadable)
{
	struct sema_policy *sp = compile_check(a, dl, path, dk, unreadable);
	if (!sp)
		return NULL;
	struct ir_policy *ir = ir_lower(a, sp, opt);
	lint_check(dl, sp);
	return ir;
}

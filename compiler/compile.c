/*
 * compile.c - the compile pipeline; each stage's output is the next's input.
 */
#include "compile.h"
#include "docker_state.h"
#include "lint.h"
#include "parse.h"
#include "suppress.h"

#include <string.h>

void compile_parse(struct arena *a, struct diag_list *dl, const char *path,
		   struct compile_tree *t)
{
	arena_init(&t->arena);
	t->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	t->ast = parse_file_tree(a, &t->arena, dl, path, &t->unreadable, &t->file);
}

bool compile_names_docker(const struct compile_tree *t)
{
	return !t->unreadable && sema_first_docker(t->ast) != NULL;
}

struct sema_policy *compile_check(struct arena *a, struct diag_list *dl, struct compile_tree *t,
				  const struct compile_docker *dk)
{
	struct sema_policy *sp = NULL;
	if (!t->unreadable) {
		const struct sema_docker *view = dk ? &dk->view : NULL;
		sp = sema_check_docker(a, dl, t->ast, t->name, view);
		if (sp && view && view->state && dk->gateway_lint && !diag_has_errors(dl))
			lint_docker_gateways(dl, sp, view->state);
		/* What was not looked for here cannot be said to be absent. */
		else
			suppress_unjudged(dl, DC_W_DOCKER_NAT);
		if (!view || !view->missing_ok)
			suppress_unjudged(dl, DC_W_DOCKER_MISSING);
		/* Valid, but loading it replaces d6c's table with one that lets
		 * every forwarded packet through: worth a word before it runs. */
		if (sp && sp->nblocks == 0 && t->file && !diag_has_errors(dl))
			diag_warning(dl, DC_W_EMPTY_POLICY, src_end(t->file), "no network blocks: "
				     "this policy filters nothing, and loading it removes whatever an "
				     "earlier d6c ruleset protected");
	}
	arena_free(&t->arena);
	t->ast = NULL;
	return diag_has_errors(dl) ? NULL : sp;
}

struct ir_policy *compile_lower(struct arena *a, struct diag_list *dl,
				const struct sema_policy *sp, const struct ir_options *opt)
{
	struct ir_policy *ir = ir_lower(a, sp, opt);
	lint_check(dl, sp);
	/* Every warning has been looked for: a directive unused now is stale. */
	suppress_report_unused(dl);
	return ir;
}

struct ir_policy *compile_policy(struct arena *a, struct diag_list *dl, const char *path,
				 const struct ir_options *opt, const struct compile_docker *dk,
				 bool *unreadable)
{
	struct compile_tree t;
	compile_parse(a, dl, path, &t);
	*unreadable = t.unreadable;
	struct sema_policy *sp = compile_check(a, dl, &t, dk);
	return sp ? compile_lower(a, dl, sp, opt) : NULL;
}

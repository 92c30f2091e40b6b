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

#include <string.h>

struct sema_policy *compile_check(struct arena *a, struct diag_list *dl, const char *path,
				  bool *unreadable)
{
	struct arena tree;
	arena_init(&tree);
	struct ast_item *ast = parse_file_tree(a, &tree, dl, path, unreadable);
	struct sema_policy *sp = NULL;
	if (!*unreadable)
		sp = sema_check(a, dl, ast, strcmp(path, "-") == 0 ? "<stdin>" : path);
	arena_free(&tree);
	return diag_has_errors(dl) ? NULL : sp;
}

struct ir_policy *compile_policy(struct arena *a, struct diag_list *dl, const char *path,
				 const struct ir_options *opt, bool *unreadable)
{
	struct sema_policy *sp = compile_check(a, dl, path, unreadable);
	if (!sp)
		return NULL;
	struct ir_policy *ir = ir_lower(a, sp, opt);
	lint_check(dl, sp);
	return ir;
}

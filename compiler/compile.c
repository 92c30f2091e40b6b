/*
 * compile.c - the compile pipeline; each stage's output is the next's input.
 */
#include "compile.h"
#include "lint.h"
#include "parse.h"
#include "sema.h"

#include <string.h>

struct ir_policy *compile_policy(struct arena *a, struct diag_list *dl, const char *path,
				 const struct ir_options *opt, bool *unreadable)
{
	*unreadable = false;
	struct ast_item *ast = parse_file(a, dl, path, unreadable);
	if (*unreadable)
		return NULL;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct sema_policy *sp = sema_check(a, dl, ast, name);
	if (diag_has_errors(dl))
		return NULL;
	struct ir_policy *ir = ir_lower(a, sp, opt);
	lint_check(dl, sp);
	return ir;
}

struct sema_policy *compile_check(struct arena *a, struct diag_list *dl, const char *path,
				  bool *unreadable)
{
	*unreadable = false;
	struct ast_item *ast = parse_file(a, dl, path, unreadable);
	if (*unreadable)
		return NULL;
	struct sema_policy *sp = sema_check(a, dl, ast, strcmp(path, "-") == 0 ? "<stdin>" : path);
	return diag_has_errors(dl) ? NULL : sp;
}

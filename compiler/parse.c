/*
 * parse.c - running the scanner and parser over a file and its includes.
 *
 * An include is parsed with a fresh scanner after its parent is complete, so
 * the scanner never needs a buffer stack.  Its path is relative to the file
 * that names it.  Cycles are found by comparing real paths along the chain
 * of parents; the include that closes a cycle is the one reported.
 *
 * A file is scanned in place (yy_scan_buffer): its text in the arena ends
 * in the two NULs flex needs, so the input is held once.  One budget per
 * compile bounds what includes may add: bytes in all and files read.
 * d6c fmt runs the same scanner without the parser (parse_scanner_open).
 */
#include "parse.h"
#include "arena.h"
#include "parser.h"
#include "lexer.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than this is surely a mistake, even without a cycle. */
#define MAX_INCLUDE_DEPTH 32
/* Files one policy may read, the top one included: includes of includes
 * branch, and 2 of each at 32 levels would be 4 billion reads. */
#define MAX_FILES 10000

struct file_chain {
	const char *real;
	const struct file_chain *up;
};


void *parse_scanner_open(struct parse_ctx *ctx)
{
	yyscan_t scanner;
	if (d6c_yylex_init_extra(ctx, &scanner) != 0) {
		diag_error(ctx->dl, DC_SCANNER, (struct loc){ 0 }, "cannot start the scanner: %s",
			   strerror(errno));
		return NULL;
	}
	ctx->line = 1;
	ctx->column = 1;
	/* In place: text is followed by the two NULs flex needs. */
	if (!d6c_yy_scan_buffer(ctx->file->text, ctx->file->len + 2, scanner)) {
		diag_error(ctx->dl, DC_SCANNER, (struct loc){ 0 }, "cannot start the scanner on '%s'",
			   ctx->file->path);
		d6c_yylex_destroy(scanner);
		return NULL;
	}
	return scanner;
}

void parse_scanner_close(void *scanner)
{
	/* A scan that stops before the end leaves flex's NUL after the last
	 * token in the text, which diagnostics still quote. */
	d6c_yy_restore_text(scanner);
	/* The buffer goes too: d6c_yylex_destroy() frees every buffer it has. */
	d6c_yylex_destroy(scanner);
}

int parse_run(struct parse_ctx *ctx)
{
	yyscan_t scanner = parse_scanner_open(ctx);
	if (!scanner)
		return -1;
	int rc = d6c_yyparse(scanner, ctx);
	parse_scanner_close(scanner);
	return rc;
}

static const char *dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	return arena_strndup(a, path, (size_t)(slash - path));
}

static struct ast_item *parse_src(struct arena *a, struct arena *tree, struct diag_list *dl,
				  struct src_file *f, const struct file_chain *chain,
				  struct parse_budget *bg);

/* "cannot read ... : WHY", a limit's error when WHY is one. */
static void unreadable_include(struct diag_list *dl, int err, struct loc at, const char *path,
			       const char *why)
{
	diag_error(dl, err == EFBIG ? DC_LIMIT : DC_INCLUDE_UNREADABLE, at,
		   "cannot read included file '%s': %s", path, why);
}

/* a holds the files (diagnostics quote them long after parsing), tree the
 * syntax tree, which nothing needs once sema has read it. */
static void resolve_includes(struct arena *a, struct arena *tree, struct diag_list *dl,
			     struct ast_item *items, const struct src_file *parent,
			     const struct file_chain *chain, struct parse_budget *bg)
{
	for (struct ast_item *it = items; it; it = it->next) {
		if (it->kind != ITEM_INCLUDE)
			continue;
		/* Past the error cap nothing more would be reported. */
		if (diag_full(dl) || bg->words > PARSE_MAX_WORDS)
			return;
		const char *dir = strcmp(parent->path, "<stdin>") ? dir_of(a, parent->path) : NULL;
		const char *path = it->path[0] == '/' || !dir
					   ? it->path
					   : arena_printf(a, "%s/%s", dir, it->path);
		if (it->path[0] == '\0') {
			diag_error(dl, DC_INCLUDE_EMPTY, it->path_loc, "include names no file");
			continue;
		}
		if (parent->depth + 1 > MAX_INCLUDE_DEPTH) {
			diag_error(dl, DC_INCLUDE_DEPTH, it->path_loc, "includes are nested more than %d deep",
				   MAX_INCLUDE_DEPTH);
			continue;
		}
		if (bg->files >= MAX_FILES) {
			diag_error(dl, DC_LIMIT, it->path_loc, "too many files: a policy and its "
				   "includes may read at most %d files", MAX_FILES);
			continue;
		}
		char real[PATH_MAX];
		if (!realpath(path, real)) {
			unreadable_include(dl, errno, it->path_loc, path, strerror(errno));
			continue;
		}
		bool cycle = false;
		for (const struct file_chain *c = chain; c; c = c->up)
			if (strcmp(c->real, real) == 0)
				cycle = true;
		if (cycle) {
			diag_error(dl, DC_INCLUDE_CYCLE, it->path_loc,
				   "include cycle: '%s' is already being read", path);
			continue;
		}
		const char *why;
		struct src_file *f = src_read(a, path, parent, it->loc, SRC_MAX_TOTAL - bg->bytes, &why);
		if (!f) {
			unreadable_include(dl, errno, it->path_loc, path, why);
			continue;
		}
		bg->bytes += f->len;
		bg->files++;
		struct file_chain link = { arena_strdup(a, real), chain };
		it->file = f;
		it->body = parse_src(a, tree, dl, f, &link, bg);
	}
}

static struct ast_item *parse_src(struct arena *a, struct arena *tree, struct diag_list *dl,
				  struct src_file *f, const struct file_chain *chain,
				  struct parse_budget *bg)
{
	struct parse_ctx ctx = { .a = tree, .dl = dl, .file = f, .budget = bg };
	parse_run(&ctx);
	resolve_includes(a, tree, dl, ctx.items.head, f, chain, bg);
	return ctx.items.head;
}

struct ast_item *parse_file(struct arena *a, struct diag_list *dl, const char *path,
			    bool *unreadable)
{
	return parse_file_tree(a, a, dl, path, unreadable, NULL);
}

struct ast_item *parse_file_tree(struct arena *a, struct arena *tree, struct diag_list *dl,
				 const char *path, bool *unreadable,
				 const struct src_file **top_file)
{
	const char *why;
	struct src_file *f = src_read(a, path, NULL, (struct loc){ 0 }, SRC_MAX_FILE, &why);
	if (top_file)
		*top_file = f;
	if (!f) {
		/* Over a limit is the policy's fault (exit 1); the rest is I/O (exit 2). */
		bool limit = errno == EFBIG;
		*unreadable = !limit;
		diag_error(dl, limit ? DC_LIMIT : DC_UNREADABLE, (struct loc){ 0 }, "cannot read '%s': %s",
			   strcmp(path, "-") ? path : "<stdin>", why);
		return NULL;
	}
	*unreadable = false;
	struct parse_budget bg = { f->len, 1, 0 };
	char real[PATH_MAX];
	struct file_chain top = { NULL, NULL };
	if (strcmp(path, "-") != 0 && realpath(path, real))
		top.real = arena_strdup(a, real);
	return parse_src(a, tree, dl, f, top.real ? &top : NULL, &bg);
}

struct ast_item *parse_string(struct arena *a, struct diag_list *dl,
			      const char *name, const char *text)
{
	struct src_file *f = src_from_string(a, name, text, strlen(text));
	struct parse_budget bg = { f->len, 1, 0 };
	return parse_src(a, a, dl, f, NULL, &bg);
}

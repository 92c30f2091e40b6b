/*
 * parse.c - running the scanner and parser over a file and its includes.
 *
 * An include is parsed with a fresh scanner after its parent is complete, so
 * the scanner never needs a buffer stack.  Its path is relative to the file
 * that names it.  Cycles are found by comparing real paths along the chain
 * of parents; the include that closes a cycle is the one reported.  A file
 * reached again once it is done (web.pol and db.pol both include
 * common.pol) is read once, the first time, as #pragma once does: the
 * compile keeps the real path of every file it read.  An include whose path
 * holds a wildcard reads each file that matches (pathglob.h), as one
 * include item each.
 *
 * A file is scanned in place (yy_scan_buffer): its text in the arena ends
 * in the two NULs flex needs, so the input is held once.  One budget per
 * compile bounds what includes may add: bytes in all, files read, and
 * files named (includes and glob matches).
 * d6c fmt runs the same scanner without the parser (parse_scanner_open).
 */
#include "parse.h"
#include "arena.h"
#include "parser.h"
#include "lexer.h"
#include "fnv.h"
#include "pathglob.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than this is surely a mistake, even without a cycle. */
#define MAX_INCLUDE_DEPTH 32
/* Files one policy may read, the top one included: includes of includes
 * branch, and 2 of each at 32 levels would be 4 billion reads. */
#define MAX_FILES 10000
/* Files includes may name in all, read or read before (an include of a
 * file already read costs its realpath(3)), and the globs among them. */
#define MAX_INCLUDES 100000
/* One glob may match no more files than a policy may read. */
#define MAX_GLOB_MATCHES MAX_FILES

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

/* ---- the files read so far, by real path ---- */

struct file_set {
	const char **slot;   /* open addressing; NULL: free */
	size_t cap, n;
};

/* The slot that holds real, or the free one where it would go. */
static size_t file_set_slot(const struct file_set *s, const char *real)
{
	size_t i = (size_t)fnv(FNV_OFFSET, real) & (s->cap - 1);
	while (s->slot[i] && strcmp(s->slot[i], real) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static bool file_set_has(const struct file_set *s, const char *real)
{
	return s->cap && s->slot[file_set_slot(s, real)];
}

/* Adds real, which is not there yet. */
static void file_set_add(struct arena *a, struct file_set *s, const char *real)
{
	if (2 * (s->n + 1) > s->cap) {
		/* The old slots stay in the arena: at most 10 000 files are read. */
		struct file_set grown = { NULL, s->cap ? 2 * s->cap : 64, 0 };
		grown.slot = arena_alloc(a, grown.cap * sizeof(*grown.slot));
		memset(grown.slot, 0, grown.cap * sizeof(*grown.slot));
		for (size_t i = 0; i < s->cap; i++)
			if (s->slot[i])
				file_set_add(a, &grown, s->slot[i]);
		*s = grown;
	}
	s->slot[file_set_slot(s, real)] = real;
	s->n++;
}

/* ---- includes ---- */

/* What resolving the includes of one compile needs at every level.  a
 * holds the files (diagnostics quote them long after parsing), tree the
 * syntax tree, which nothing needs once sema has read it. */
struct includer {
	struct arena *a, *tree;
	struct diag_list *dl;
	struct parse_budget *bg;
};

static struct ast_item *parse_src(const struct includer *in, struct src_file *f,
				  const struct file_chain *chain);

/* "cannot read ... : WHY", a limit's error when WHY is one. */
static void unreadable_include(struct diag_list *dl, int err, struct loc at, const char *path,
			       const char *why)
{
	diag_error(dl, err == EFBIG ? DC_LIMIT : DC_INCLUDE_UNREADABLE, at,
		   "cannot read included file '%s': %s", path, why);
}

/* Past the error cap, or the scanner's word limit, nothing more would be
 * reported. */
static bool stop_reading(const struct includer *in)
{
	return diag_full(in->dl) || in->bg->words > PARSE_MAX_WORDS;
}

/* Counts one file an include names against the limit; false past it. */
static bool count_include(const struct includer *in, const struct ast_item *it)
{
	if (in->bg->includes >= MAX_INCLUDES) {
		diag_error(in->dl, DC_LIMIT, it->path_loc, "too many includes: a policy and its "
			   "includes may hold at most %d includes and glob matches", MAX_INCLUDES);
		return false;
	}
	in->bg->includes++;
	return true;
}

/* Reads path into it, the match-th file its include names.  A file read
 * before (by its real path) is left out silently, as #pragma once does;
 * one still open up the chain is a cycle.  false when a limit stops the
 * include's other files too. */
static bool include_file(const struct includer *in, struct ast_item *it, const char *path,
			 int match, const struct src_file *parent, const struct file_chain *chain)
{
	if (!count_include(in, it))
		return false;
	char real[PATH_MAX];
	if (!realpath(path, real)) {
		unreadable_include(in->dl, errno, it->path_loc, path, strerror(errno));
		return true;
	}
	for (const struct file_chain *c = chain; c; c = c->up)
		if (strcmp(c->real, real) == 0) {
			diag_error(in->dl, DC_INCLUDE_CYCLE, it->path_loc,
				   "include cycle: '%s' is already being read", path);
			return true;
		}
	if (file_set_has(in->bg->read, real))
		return true;
	if (in->bg->files >= MAX_FILES) {
		diag_error(in->dl, DC_LIMIT, it->path_loc, "too many files: a policy and its "
			   "includes may read at most %d files", MAX_FILES);
		return false;
	}
	const char *kept = arena_strdup(in->a, real);
	file_set_add(in->a, in->bg->read, kept);
	const char *why;
	struct src_file *f = src_read(in->a, path, parent, it->loc, SRC_MAX_TOTAL - in->bg->bytes,
				      &why);
	if (!f) {
		unreadable_include(in->dl, errno, it->path_loc, path, why);
		return true;
	}
	f->match = match;
	in->bg->bytes += f->len;
	in->bg->files++;
	struct file_chain link = { kept, chain };
	it->file = f;
	it->body = parse_src(in, f, &link);
	return true;
}

/* An include whose path holds a wildcard: one include item a matching
 * file, in byte order, all at the statement's place; the first is it.
 * Returns the last of them. */
static struct ast_item *include_glob(const struct includer *in, struct ast_item *it,
				     const char *pattern, const struct src_file *parent,
				     const struct file_chain *chain)
{
	if (!count_include(in, it))
		return it;
	struct pathglob_matches m;
	switch (pathglob_expand(in->a, pattern, MAX_GLOB_MATCHES, &m)) {
	case PATHGLOB_OK:
		break;
	case PATHGLOB_UNREADABLE:
		diag_error(in->dl, DC_INCLUDE_UNREADABLE, it->path_loc,
			   "cannot read included files '%s': directory '%s': %s", it->path, m.failed,
			   strerror(m.err));
		return it;
	case PATHGLOB_TOO_MANY:
		diag_error(in->dl, DC_LIMIT, it->path_loc, "'%s' matches %zu files, more than "
			   "the limit of %d for one include", it->path, m.n, MAX_GLOB_MATCHES);
		return it;
	case PATHGLOB_NO_MEMORY:
		diag_error(in->dl, DC_PARSER, it->path_loc, "out of memory matching '%s'", it->path);
		return it;
	}
	struct ast_item *last = it;
	for (size_t i = 0; i < m.n && !stop_reading(in); i++) {
		struct ast_item *at = it;
		if (i > 0) {
			at = ast_item(in->tree, ITEM_INCLUDE, it->loc);
			at->path = it->path;
			at->path_loc = it->path_loc;
			at->next = last->next;
			last->next = at;
			last = at;
		}
		if (!include_file(in, at, m.path[i], (int)i, parent, chain))
			break;
	}
	return last;
}

static void resolve_includes(const struct includer *in, struct ast_item *items,
			     const struct src_file *parent, const struct file_chain *chain)
{
	for (struct ast_item *it = items; it; it = it->next) {
		if (it->kind != ITEM_INCLUDE)
			continue;
		if (stop_reading(in))
			return;
		if (it->path[0] == '\0') {
			diag_error(in->dl, DC_INCLUDE_EMPTY, it->path_loc, "include names no file");
			continue;
		}
		if (parent->depth + 1 > MAX_INCLUDE_DEPTH) {
			diag_error(in->dl, DC_INCLUDE_DEPTH, it->path_loc,
				   "includes are nested more than %d deep", MAX_INCLUDE_DEPTH);
			continue;
		}
		const char *dir = strcmp(parent->path, "<stdin>") ? dir_of(in->a, parent->path) : NULL;
		if (pathglob_is_pattern(it->path)) {
			const char *wild = pathglob_wild_dir(in->a, it->path);
			if (wild) {
				diag_error(in->dl, DC_INCLUDE_WILD_DIR, it->path_loc, "a wildcard may "
					   "stand only in the file name, the last part of the path: "
					   "'%s' is a directory", wild);
				continue;
			}
			/* The directories' own '*' (star*dir/x*.pol) is no wildcard. */
			it = include_glob(in, it, pathglob_pattern(in->a, dir, it->path), parent, chain);
			continue;
		}
		const char *path = it->path[0] == '/' || !dir
					   ? it->path
					   : arena_printf(in->a, "%s/%s", dir, it->path);
		include_file(in, it, path, 0, parent, chain);
	}
}

static struct ast_item *parse_src(const struct includer *in, struct src_file *f,
				  const struct file_chain *chain)
{
	struct parse_ctx ctx = { .a = in->tree, .dl = in->dl, .file = f, .budget = in->bg };
	parse_run(&ctx);
	resolve_includes(in, ctx.items.head, f, chain);
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
	struct file_set read = { 0 };
	struct parse_budget bg = { .bytes = f->len, .files = 1, .read = &read };
	char real[PATH_MAX];
	struct file_chain top = { NULL, NULL };
	if (strcmp(path, "-") != 0 && realpath(path, real)) {
		top.real = arena_strdup(a, real);
		file_set_add(a, &read, top.real);
	}
	struct includer in = { a, tree, dl, &bg };
	return parse_src(&in, f, top.real ? &top : NULL);
}

struct ast_item *parse_string(struct arena *a, struct diag_list *dl,
			      const char *name, const char *text)
{
	struct src_file *f = src_from_string(a, name, text, strlen(text));
	struct file_set read = { 0 };
	struct parse_budget bg = { .bytes = f->len, .files = 1, .read = &read };
	struct includer in = { a, a, dl, &bg };
	return parse_src(&in, f, NULL);
}

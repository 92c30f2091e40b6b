/*
 * parse.h - from policy files to the syntax tree, includes resolved.
 *
 * parse_file() runs the scanner and parser over one file, then reads every
 * `include` it found with a fresh scanner, depth first, so the tree holds the
 * included items under their include node.  Errors go to the diag list; the
 * tree returned is whatever could be recovered, never NULL for a readable file.
 */
#ifndef D6C_PARSE_H
#define D6C_PARSE_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/* What the files of one compile used so far (LANGUAGE.md, Limits). */
#define PARSE_MAX_WORDS 4000000   /* names, numbers, addresses and strings */
struct file_set;
struct parse_budget {
	size_t bytes;
	int files;             /* read */
	int includes;          /* named by includes and globs, read or not */
	long words;
	struct file_set *read; /* the real paths of the files read */
};

/* State shared by the scanner and the parser of one file. */
struct parse_ctx {
	struct arena *a;
	struct diag_list *dl;
	struct src_file *file;
	struct ast_items items;
	int line, column;          /* scanner position: next byte */
	bool in_block;             /* between '<' and '>' */
	struct loc block_open;     /* the last '<' */
	int syntax_errors;
	struct loc this_token, prev_token;  /* the last two tokens scanned */
	const char *last_text;     /* of the last NAME, NUMBER or STRING, for messages */
	struct loc last_name;      /* the last NAME: whether last_text is the token before */
	bool after_log;            /* between 'log' and ';': a name is a log option */
	bool log_before_semicolon; /* after_log as the last ';' found it */
	struct parse_budget *budget;  /* of the compile; NULL: no limit (d6c fmt) */
	bool keep_comments;        /* d6c fmt's scan: a comment is a TOK_COMMENT */
	/* A token the scanner already called wrong and replaced (a '{' read
	 * as '<'): the parser adds no error of its own at it. */
	struct loc reported;
	struct loc quiet_until;    /* scanner errors up to here are said (a bare path) */
	bool brace_said;           /* a '{' was reported: its '}' closes quietly */
};

/* Parses path and its includes.  Returns NULL when path itself cannot be
 * read (the error is queued); *unreadable is then true for an I/O error,
 * false for a file past a limit of the language (LANGUAGE.md, Limits). */
struct ast_item *parse_file(struct arena *a, struct diag_list *dl, const char *path,
			    bool *unreadable);
/* The same with the syntax tree in an arena of its own, which the caller
 * may free once sema_check() has read it; files stay in a.  *top (when
 * top is not NULL) receives path's file, NULL when it was not read. */
struct ast_item *parse_file_tree(struct arena *a, struct arena *tree, struct diag_list *dl,
				 const char *path, bool *unreadable,
				 const struct src_file **top);
/* Parses text held in memory (includes are resolved relative to name). */
struct ast_item *parse_string(struct arena *a, struct diag_list *dl,
			      const char *name, const char *text);

/* The generated scanner and parser, for this module and its tests.
 * ctx->file's text must end in two NULs, as src_read() leaves it. */
int parse_run(struct parse_ctx *ctx);
/* The scanner alone over ctx->file, for parse_run() and d6c fmt, which
 * calls d6c_yylex() itself; NULL when it cannot start (the error is queued). */
void *parse_scanner_open(struct parse_ctx *ctx);
/* Gives the text back whole (see d6c_yy_restore_text) and frees the scanner. */
void parse_scanner_close(void *scanner);
/* Puts back the byte flex replaced by a NUL after the last token. */
void d6c_yy_restore_text(void *scanner);

#endif

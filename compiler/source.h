/*
 * source.h - policy files held in memory.
 *
 * A source file keeps its whole text and the offsets of its lines, so that a
 * diagnostic can quote the offending line long after parsing.  A file read by
 * `include` remembers where it was included from: diagnostics print that chain
 * and sort by it, so errors come out in the order a reader meets them.
 */
#ifndef D6C_SOURCE_H
#define D6C_SOURCE_H

#include <stddef.h>

struct arena;
struct src_file;

/* A span of source: 1-based lines, 1-based byte columns, inclusive end. */
struct loc {
	const struct src_file *file;
	int first_line, first_column;
	int last_line, last_column;
};

struct src_file {
	const char *path;    /* as the user or the include statement named it */
	const char *text;    /* NUL-terminated; may hold NULs of its own */
	size_t len;
	size_t *line_start;  /* byte offset of each line, 0-based index */
	int nlines;
	const struct src_file *parent;  /* NULL for a file named on the command line */
	struct loc included_at;         /* the include statement in parent */
	int depth;
};

/* Reads path ("-" is standard input).  Returns NULL and sets errno on failure. */
struct src_file *src_read(struct arena *a, const char *path,
			  const struct src_file *parent, struct loc included_at);
/* A file from a string, for tests and standard input. */
struct src_file *src_from_string(struct arena *a, const char *path,
				 const char *text, size_t len);
/* The source text a one-line span covers, as the user wrote it. */
char *src_text(struct arena *a, const struct loc *loc);
/* The text of line (1-based) without its newline; *len receives its length. */
const char *src_line(const struct src_file *f, int line, size_t *len);

#endif

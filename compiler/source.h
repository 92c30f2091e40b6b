/*
 * source.h - policy files held in memory.
 *
 * A source file keeps its whole text and the offsets of its lines, so that a
 * diagnostic can quote the offending line long after parsing.  A file read by
 * `include` remembers where it was included from: diagnostics print that chain
 * and sort by it, so errors come out in the order a reader meets them.
 *
 * The text is held once: read straight into the arena, followed by two NULs
 * so that the scanner can scan it in place (flex's yy_scan_buffer).
 */
#ifndef D6C_SOURCE_H
#define D6C_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct arena;
struct src_file;

/* The largest policy file d6c reads, and the most bytes a policy and all
 * of its includes may hold (LANGUAGE.md, Limits). */
#define SRC_MAX_FILE ((size_t)64 << 20)
#define SRC_MAX_TOTAL ((size_t)64 << 20)

/* A span of source: 1-based lines, 1-based byte columns, inclusive end. */
struct loc {
	const struct src_file *file;
	int first_line, first_column;
	int last_line, last_column;
};

struct src_file {
	const char *path;    /* as the user or the include statement named it */
	char *text;          /* len bytes, then two NULs; may hold NULs of its own */
	size_t len;
	uint32_t *line_start;  /* byte offset of each line, 0-based index (files < 4 GiB) */
	int nlines;
	const struct src_file *parent;  /* NULL for a file named on the command line */
	struct loc included_at;         /* the include statement in parent */
	int depth;
	int match;   /* which of its include's glob matches, from 0; 0 for a plain include */
};

/*
 * Reads path ("-" is standard input, which may be a pipe).  Anything else
 * must be a regular file: a FIFO, a device or a directory is refused without
 * waiting on it.  At most max bytes (at most SRC_MAX_FILE) are read; the size
 * is judged from fstat before reading.  A file that grows or shrinks while
 * it is read is refused.  Returns NULL on failure with *why set to the
 * reason in words, for "cannot read 'PATH': WHY" (strerror's, or the kind
 * of file, or the limit), and errno set: EFBIG when the file is over max
 * (a limit of the language, not an I/O error).
 */
struct src_file *src_read(struct arena *a, const char *path, const struct src_file *parent,
			  struct loc included_at, size_t max, const char **why);
/* What src_read_file() found wrong, as facts for the caller's own words. */
enum src_fault_kind {
	SRC_FAULT_OPEN,      /* open(2) failed: err */
	SRC_FAULT_READ,      /* fstat(2) or read(2) failed: err */
	SRC_FAULT_TYPE,      /* not a regular file: mode says what it is */
	SRC_FAULT_SIZE,      /* over max: size, as fstat gave it */
	SRC_FAULT_CHANGED,   /* it grew (grew) or shrank while read; size when opened */
};
struct src_fault {
	enum src_fault_kind kind;
	int err;
	mode_t mode;
	unsigned long long size;
	bool grew;
	bool stream;         /* src_read's standard input: size is what was read */
};
/* src_read() of a file that is not policy text (--docker-state), with the
 * same guarantees (regular files only, no waiting on a FIFO, the size
 * judged before reading, at most max bytes, no file that changes while
 * read), where "-" is a file of that name.  NULL on failure, with *fault
 * saying why. */
struct src_file *src_read_file(struct arena *a, const char *path, size_t max,
			       struct src_fault *fault);
/* A file from a string, for tests and command-line operands. */
struct src_file *src_from_string(struct arena *a, const char *path,
				 const char *text, size_t len);
/* "12.3 MiB", "512 bytes": a size in the words of the limit messages. */
const char *src_size_words(struct arena *a, unsigned long long n);
/* The source text a one-line span covers, as the user wrote it. */
char *src_text(struct arena *a, const struct loc *loc);
/* The text of line (1-based) without its newline; *len receives its length. */
const char *src_line(const struct src_file *f, int line, size_t *len);
/* Where f ends, for what is missing from a whole file: just after the last
 * character that is not blank (1:1 when there is none). */
struct loc src_end(const struct src_file *f);

#endif

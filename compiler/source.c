/*
 * source.c - reading policy files and finding their lines.
 *
 * A file is opened without blocking (a FIFO nobody writes must not hang the
 * compile), judged by fstat (regular files only, and no larger than the
 * caller's limit) and read in one arena allocation of its size plus the two
 * NULs the scanner needs.  Standard input, which may be a pipe of unknown
 * size, is the one stream read by chunks, up to the same limit.  What goes
 * wrong is first a struct src_fault: src_read() words it for policy files,
 * src_read_file() hands it to a caller with words of its own.
 */
#include "source.h"
#include "arena.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void index_lines(struct arena *a, struct src_file *f)
{
	int n = 1;
	for (const char *p = f->text, *end = f->text + f->len;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		n++;
	f->line_start = arena_alloc(a, sizeof(*f->line_start) * (size_t)n);
	f->nlines = n;
	int k = 0;
	f->line_start[k++] = 0;
	for (const char *p = f->text, *end = f->text + f->len;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		f->line_start[k++] = (uint32_t)(p - f->text + 1);
}

/* Text of len bytes in an arena block of len + 2: the two NULs end it for
 * C strings and for flex (YY_END_OF_BUFFER_CHAR twice). */
static struct src_file *new_file(struct arena *a, const char *path, char *text, size_t len)
{
	struct src_file *f = arena_alloc(a, sizeof(*f));
	f->path = arena_strdup(a, path);
	text[len] = text[len + 1] = '\0';
	/* A UTF-8 byte order mark that an editor put at the start is no text
	 * of the policy (gcc and rustc skip it too): columns count from after
	 * it.  Anywhere else it is an error, as any invisible character. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	f->text = text;
	f->len = len;
	index_lines(a, f);
	return f;
}

struct src_file *src_from_string(struct arena *a, const char *path,
				 const char *text, size_t len)
{
	char *copy = arena_alloc(a, len + 2);
	memcpy(copy, text, len);
	return new_file(a, path, copy, len);
}

const char *src_size_words(struct arena *a, unsigned long long n)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;
	while (u < 4 && n >= 1024ULL << (10 * u))
		u++;
	unsigned long long one = 1ULL << (10 * u);
	if (u == 0)
		return arena_printf(a, "%llu byte%s", n, n == 1 ? "" : "s");
	if (n % one == 0)
		return arena_printf(a, "%llu %s", n / one, unit[u]);
	return arena_printf(a, "%.1f %s (%llu bytes)", (double)n / (double)one, unit[u], n);
}

/* at_least: a stream, read up to one byte past max. */
static const char *too_large(struct arena *a, unsigned long long size, size_t max,
			     bool at_least)
{
	errno = EFBIG;
	if (at_least)
		return arena_printf(a, "it is more than %s, the limit for a policy file",
				    src_size_words(a, max));
	if (size <= SRC_MAX_FILE)
		return arena_printf(a, "it is %s: with the files read before it, the policy "
				    "would pass the limit of %s in all", src_size_words(a, size),
				    src_size_words(a, SRC_MAX_TOTAL));
	return arena_printf(a, "it is %s, more than the limit of %s for a policy file",
			    src_size_words(a, size), src_size_words(a, SRC_MAX_FILE));
}

static const char *kind_of(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO (named pipe)"
	       : S_ISCHR(m) ? "a character device" : S_ISBLK(m) ? "a block device"
	       : S_ISSOCK(m) ? "a socket" : "a special file";
}

/* src_read()'s words for x, and its errno. */
static const char *fault_words(struct arena *a, const struct src_fault *x, size_t max)
{
	switch (x->kind) {
	case SRC_FAULT_OPEN:
	case SRC_FAULT_READ:
		break;
	case SRC_FAULT_TYPE:
		errno = EINVAL;
		return arena_printf(a, "it is %s, not a regular file", kind_of(x->mode));
	case SRC_FAULT_SIZE:
		return too_large(a, x->size, max, x->stream);
	case SRC_FAULT_CHANGED:
		errno = EAGAIN;
		return arena_printf(a, "it changed while it was read (it had %s when it "
				    "was opened, %s now); try again once it is written",
				    src_size_words(a, x->size), x->grew ? "more" : "fewer");
	}
	errno = x->err;
	return strerror(x->err);
}

static bool io_fault(struct src_fault *x, enum src_fault_kind kind, int err)
{
	*x = (struct src_fault){ .kind = kind, .err = err };
	return false;
}

/* Reads exactly want bytes into buf; a short read is a file that shrank,
 * a byte past want one that grew: either way not the file fstat saw. */
static bool read_regular(int fd, char *buf, size_t want, struct src_fault *x)
{
	size_t got = 0;
	for (;;) {
		char probe;
		bool past = got == want;
		ssize_t n = past ? read(fd, &probe, 1) : read(fd, buf + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return io_fault(x, SRC_FAULT_READ, errno);
		if (n == 0 && past)
			return true;
		if (n == 0 || past) {
			*x = (struct src_fault){ .kind = SRC_FAULT_CHANGED, .size = want,
						 .grew = n != 0 };
			return false;
		}
		got += (size_t)n;
	}
}

/* Standard input, of unknown size: by chunks into a growing buffer, then
 * into the arena (the one input held twice, while it is read). */
static char *read_stream(struct arena *a, int fd, size_t max, size_t *len, struct src_fault *x)
{
	size_t cap = 65536, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
		/* One byte past max is enough to know it is too large. */
		size_t room = cap - n;
		if (room > max + 1 - n)
			room = max + 1 - n;
		ssize_t got = read(fd, buf + n, room);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			io_fault(x, SRC_FAULT_READ, errno);
			free(buf);
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			free(buf);
			*x = (struct src_fault){ .kind = SRC_FAULT_SIZE, .size = n, .stream = true };
			return NULL;
		}
	}
	char *text = arena_alloc(a, n + 2);
	memcpy(text, buf, n);
	free(buf);
	*len = n;
	return text;
}

/* The text of path (of the standard input when is_stdin) in the arena, with
 * room for the two NULs; NULL with *x filled. */
static char *read_text(struct arena *a, const char *path, bool is_stdin, size_t max, size_t *len,
		       struct src_fault *x)
{
	if (max > SRC_MAX_FILE)
		max = SRC_MAX_FILE;
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer, forever if there is none.  fstat then refuses it. */
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		io_fault(x, SRC_FAULT_OPEN, errno);
		return NULL;
	}
	struct stat st;
	char *text = NULL;
	if (fstat(fd, &st) != 0) {
		io_fault(x, SRC_FAULT_READ, errno);
	} else if (S_ISREG(st.st_mode)) {
		off_t at = is_stdin ? lseek(fd, 0, SEEK_CUR) : 0;
		unsigned long long size = (unsigned long long)st.st_size -
					  (at > 0 && at <= st.st_size ? (unsigned long long)at : 0);
		if (size > max) {
			*x = (struct src_fault){ .kind = SRC_FAULT_SIZE, .size = size };
		} else {
			*len = (size_t)size;
			text = arena_alloc(a, *len + 2);
			if (!read_regular(fd, text, *len, x))
				text = NULL;
		}
	} else if (is_stdin) {
		text = read_stream(a, fd, max, len, x);
	} else {
		*x = (struct src_fault){ .kind = SRC_FAULT_TYPE, .mode = st.st_mode };
	}
	if (!is_stdin)
		close(fd);
	return text;
}

struct src_file *src_read(struct arena *a, const char *path, const struct src_file *parent,
			  struct loc included_at, size_t max, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*why = NULL;
	if (max > SRC_MAX_FILE)
		max = SRC_MAX_FILE;
	bool is_stdin = strcmp(path, "-") == 0;
	size_t len = 0;
	struct src_fault x;
	char *text = read_text(a, path, is_stdin, max, &len, &x);
	if (!text) {
		*why = fault_words(a, &x, max);
		return NULL;
	}
	struct src_file *f = new_file(a, is_stdin ? "<stdin>" : path, text, len);
	f->parent = parent;
	f->included_at = included_at;
	f->depth = parent ? parent->depth + 1 : 0;
	return f;
}

struct src_file *src_read_file(struct arena *a, const char *path, size_t max,
			       struct src_fault *fault)
{
	size_t len = 0;
	char *text = read_text(a, path, false, max, &len, fault);
	return text ? new_file(a, path, text, len) : NULL;
}

const char *src_line(const struct src_file *f, int line, size_t *len)
{
	if (line < 1 || line > f->nlines) {
		*len = 0;
		return "";
	}
	size_t start = f->line_start[line - 1];
	size_t end = line < f->nlines ? f->line_start[line] - 1 : f->len;
	if (end > start && f->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return f->text + start;
}

struct loc src_end(const struct src_file *f)
{
	int line = f->nlines + 1;
	size_t len = 0;
	do {
		const char *text = src_line(f, --line, &len);
		while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
			len--;
	} while (len == 0 && line > 1);
	int col = (int)len + 1;
	return (struct loc){ .file = f, .first_line = line, .first_column = col,
			     .last_line = line, .last_column = col };
}

char *src_text(struct arena *a, const struct loc *loc)
{
	size_t len;
	const char *line = loc->file ? src_line(loc->file, loc->first_line, &len) : "";
	if (!loc->file)
		len = 0;
	size_t from = loc->first_column > 0 ? (size_t)loc->first_column - 1 : 0;
	size_t to = loc->last_line == loc->first_line ? (size_t)loc->last_column : len;
	if (from > len)
		from = len;
	if (to > len)
		to = len;
	if (to < from)
		to = from;
	return arena_strndup(a, line + from, to - from);
}

/*
 * source.c - reading policy files and finding their lines.
 */
#include "source.h"
#include "arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void index_lines(struct arena *a, struct src_file *f)
{
	int n = 1;
	for (size_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			n++;
	f->line_start = arena_alloc(a, sizeof(size_t) * (size_t)n);
	f->nlines = n;
	int k = 0;
	f->line_start[k++] = 0;
	for (size_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			f->line_start[k++] = i + 1;
}

struct src_file *src_from_string(struct arena *a, const char *path,
				 const char *text, size_t len)
{
	struct src_file *f = arena_alloc(a, sizeof(*f));
	f->path = arena_strdup(a, path);
	f->text = arena_strndup(a, text, len);
	f->len = len;
	index_lines(a, f);
	return f;
}

struct src_file *src_read(struct arena *a, const char *path,
			  const struct src_file *parent, struct loc included_at)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	if (!fp)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len == cap)
			buf = xrealloc(buf, cap *= 2);
		size_t got = fread(buf + len, 1, cap - len, fp);
		len += got;
		if (got == 0)
			break;
	}
	int failed = ferror(fp);
	int saved = errno;
	if (!is_stdin)
		fclose(fp);
	if (failed) {
		free(buf);
		errno = saved ? saved : EIO;
		return NULL;
	}
	struct src_file *f = src_from_string(a, is_stdin ? "<stdin>" : path, buf, len);
	free(buf);
	f->parent = parent;
	f->included_at = included_at;
	f->depth = parent ? parent->depth + 1 : 0;
	return f;
}

const char *src_line(const struct src_file *f, int line, size_t *len)
{
	if (line < 1 || line > f->nlines) {
		*len = 0;
		return "";
	}
	size_t start = f->line_start[line - 1];
	size_t end = start;
	while (end < f->len && f->text[end] != '\n')
		end++;
	if (end > start && f->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return f->text + start;
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

/*
 * pathglob.c - the files an include's wildcard names (pathglob.h).
 *
 * glob(3) does the matching.  Its error callback takes no argument of the
 * caller's, so the one directory that failed is kept in a thread-local: the
 * callback runs inside our own call to glob(), never after it returns.
 */
#include "pathglob.h"
#include "arena.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool pathglob_is_pattern(const char *path)
{
	return strpbrk(path, "*?[") != NULL;
}

char *pathglob_quote(struct arena *a, const char *dir)
{
	size_t n = 0;
	for (const char *p = dir; *p; p++)
		n += strchr("*?[]\\", *p) ? 2 : 1;
	char *out = arena_alloc(a, n + 1), *o = out;
	for (const char *p = dir; *p; p++) {
		if (strchr("*?[]\\", *p))
			*o++ = '\\';
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

const char *pathglob_wild_dir(struct arena *a, const char *path)
{
	const char *last = strrchr(path, '/');
	for (const char *part = path; last && part < last;) {
		const char *end = strchr(part, '/');
		size_t len = (size_t)(end - part);
		for (size_t i = 0; i < len; i++)
			if (strchr("*?[", part[i]))
				return arena_strndup(a, part, len);
		part = end + 1;
	}
	return NULL;
}

char *pathglob_pattern(struct arena *a, const char *base, const char *path)
{
	const char *last = strrchr(path, '/');
	const char *name = last ? last + 1 : path;
	const char *dir = last ? pathglob_quote(a, arena_strndup(a, path, (size_t)(last - path)))
			       : NULL;
	if (path[0] == '/' || !base)
		return dir ? arena_printf(a, "%s/%s", dir, name) : arena_strdup(a, name);
	base = pathglob_quote(a, base);
	return dir ? arena_printf(a, "%s/%s/%s", base, dir, name)
		   : arena_printf(a, "%s/%s", base, name);
}

static _Thread_local struct {
	char path[4096];
	int err;
} glob_failure;

/* A directory that is not there, or not a directory, holds no match; any
 * other error stops the glob. */
static int on_glob_error(const char *path, int err)
{
	if (err == ENOENT || err == ENOTDIR)
		return 0;
	snprintf(glob_failure.path, sizeof(glob_failure.path), "%s", path);
	glob_failure.err = err;
	return 1;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

enum pathglob_result pathglob_expand(struct arena *a, const char *pattern, size_t max,
				     struct pathglob_matches *m)
{
	*m = (struct pathglob_matches){ 0 };
	glob_failure.path[0] = '\0';
	glob_failure.err = 0;
	glob_t g;
	/* GLOB_MARK ends a directory's match in '/', which is how it is left
	 * out; GLOB_NOSORT: glob(3) would sort by the locale's collation. */
	int rc = glob(pattern, GLOB_MARK | GLOB_NOSORT, on_glob_error, &g);
	if (rc == GLOB_NOMATCH)
		return PATHGLOB_OK;
	if (rc == GLOB_NOSPACE) {
		globfree(&g);
		return PATHGLOB_NO_MEMORY;
	}
	if (rc == GLOB_ABORTED) {
		globfree(&g);
		m->failed = arena_strdup(a, glob_failure.path[0] ? glob_failure.path : pattern);
		m->err = glob_failure.err ? glob_failure.err : EIO;
		return PATHGLOB_UNREADABLE;
	}
	size_t files = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t len = strlen(g.gl_pathv[i]);
		if (len && g.gl_pathv[i][len - 1] != '/')
			files++;
	}
	if (files > max) {
		globfree(&g);
		m->n = files;
		return PATHGLOB_TOO_MANY;
	}
	m->path = arena_alloc(a, (files ? files : 1) * sizeof(*m->path));
	for (size_t i = 0; i < g.gl_pathc; i++) {
		size_t len = strlen(g.gl_pathv[i]);
		if (len && g.gl_pathv[i][len - 1] != '/')
			m->path[m->n++] = arena_strdup(a, g.gl_pathv[i]);
	}
	globfree(&g);
	qsort(m->path, m->n, sizeof(*m->path), by_bytes);
	return PATHGLOB_OK;
}

/*
 * output.c - atomic replacement of the output file.
 *
 * The temporary file lives in the target's own directory (rename() is only
 * atomic within a file system), starts with '.', keeps the mode of the file
 * it replaces, and is fsync'ed before the rename so that a crash leaves the
 * old file or the new one, never a torn one.
 */
#include "output.h"
#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *path, int err)
{
	fprintf(stderr, "d6c: cannot write '%s': %s\n", path, strerror(err));
	return -1;
}

/* What to write: a function and its argument, so that a ruleset and any
 * other text (d6c fmt -w) go through the same replacement. */
struct writer {
	int (*fn)(void *arg, FILE *out);
	void *arg;
};

static int write_stream(FILE *out, const struct writer *w)
{
	if (w->fn(w->arg, out) != 0 || fflush(out) != 0)
		return errno ? errno : EIO;
	return 0;
}

/* Not a regular file: write in place, as `> /dev/stdout` would. */
static int write_direct(const char *path, const struct writer *w)
{
	FILE *out = fopen(path, "w");
	if (!out)
		return fail(path, errno);
	errno = 0;
	int err = write_stream(out, w);
	if (fclose(out) != 0 && !err)
		err = errno;
	return err ? fail(path, err) : 0;
}

static int write_replace(const char *path, const struct writer *w)
{
	/* DIR/.BASE.XXXXXX beside the target */
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = !slash ? 1 : slash == path ? 0 : (int)(slash - path);
	const char *dir = slash ? path : ".";
	size_t tlen = strlen(path) + 32;
	char *tmp = xmalloc(tlen);
	snprintf(tmp, tlen, "%.*s/.%s.XXXXXX", dirlen, dir, base);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int err = errno;
		free(tmp);
		return fail(path, err);
	}
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	int err = 0;
	FILE *out = fdopen(fd, "w");
	if (!out) {
		err = errno;
		close(fd);
	} else {
		errno = 0;
		err = write_stream(out, w);
		if (!err && (fchmod(fd, mode) != 0 || fsync(fd) != 0))
			err = errno;
		if (fclose(out) != 0 && !err)
			err = errno;
	}
	if (!err && rename(tmp, path) != 0)
		err = errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err ? fail(path, err) : 0;
}

static int write_to(const char *path, const struct writer *w)
{
	size_t len = strlen(path);
	if (len == 0 || path[len - 1] == '/')
		return fail(path, EISDIR);
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char real[PATH_MAX];
		if (!realpath(path, real)) {
			/* A dangling link: create its target, as a shell would. */
			char target[PATH_MAX];
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			if (n <= 0)
				return fail(path, errno ? errno : ENOENT);
			target[n] = '\0';
			const char *slash = strrchr(path, '/');
			size_t dirlen = target[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
			if (dirlen + (size_t)n >= sizeof(real))
				return fail(path, ENAMETOOLONG);
			memcpy(real, path, dirlen);
			memcpy(real + dirlen, target, (size_t)n + 1);
		}
		if (stat(real, &st) == 0 && !S_ISREG(st.st_mode))
			return S_ISDIR(st.st_mode) ? fail(path, EISDIR) : write_direct(real, w);
		return write_replace(real, w);
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? fail(path, EISDIR) : write_direct(path, w);
	return write_replace(path, w);
}

struct emit_arg {
	const struct ir_policy *ir;
	output_emit_fn *emit;
};

static int emit_ruleset(void *arg, FILE *out)
{
	const struct emit_arg *e = arg;
	return e->emit(e->ir, out);
}

int output_write(const char *path, const struct ir_policy *ir, output_emit_fn *emit)
{
	struct emit_arg e = { ir, emit };
	struct writer w = { emit_ruleset, &e };
	return write_to(path, &w);
}

struct text_arg {
	const char *text;
	size_t len;
};

static int emit_text_bytes(void *arg, FILE *out)
{
	const struct text_arg *t = arg;
	return fwrite(t->text, 1, t->len, out) == t->len ? 0 : -1;
}

int output_write_text(const char *path, const char *text, size_t len)
{
	struct text_arg t = { text, len };
	struct writer w = { emit_text_bytes, &t };
	return write_to(path, &w);
}

char *output_string(const struct ir_policy *ir, output_emit_fn *emit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	int rc = emit(ir, f);
	if (fclose(f) != 0 || rc != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

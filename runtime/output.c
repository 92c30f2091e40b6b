/*
 * output.c - atomic replacement of the output file.
 *
 * The temporary file lives in the target's own directory (rename() is only
 * atomic within a file system), is named .BASE.d6c-XXXXXX, keeps the mode of
 * the file it replaces, and is fsync'ed before the rename so that a crash
 * leaves the old file or the new one, never a torn one.  On an error it is
 * removed; one a SIGKILL left behind is removed by the next successful
 * write of the same file (see remove_stale()).
 */
#include "output.h"
#include "compiler/arena.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int fail(char *err, size_t errlen, const char *path, int e)
{
	snprintf(err, errlen, "cannot write '%s': %s", path, strerror(e));
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
static int write_direct(const char *path, const struct writer *w, char *errbuf, size_t errlen)
{
	FILE *out = fopen(path, "w");
	if (!out)
		return fail(errbuf, errlen, path, errno);
	errno = 0;
	int err = write_stream(out, w);
	if (fclose(out) != 0 && !err)
		err = errno;
	return err ? fail(errbuf, errlen, path, err) : 0;
}

/* The temporary file of target BASE is DIR/.BASE.d6c-XXXXXX.  Its writer
 * holds an flock on it for as long as it has a name, so a name nobody locks
 * is one a killed d6c left behind (SIGKILL cannot be cleaned up after),
 * and the next successful write of the same target removes it. */
#define TMP_TAG ".d6c-"

static char *tmp_name(const char *dir, int dirlen, const char *base)
{
	size_t n = (size_t)dirlen + strlen(base) + sizeof(TMP_TAG) + 16;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%.*s/.%s" TMP_TAG "XXXXXX", dirlen, dir, base);
	return tmp;
}

/* Removes the unlocked temporary files of base in dir, after a write of
 * base succeeded.  Best effort: a name that cannot be opened stays. */
static void remove_stale(const char *dir, int dirlen, const char *base)
{
	char *d = xmalloc((size_t)dirlen + 2);
	snprintf(d, (size_t)dirlen + 2, "%.*s", dirlen, dir);
	if (dirlen == 0)
		snprintf(d, 2, "/");
	int dfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(d);
	if (dfd < 0)
		return;
	DIR *ds = fdopendir(dfd);
	if (!ds) {
		close(dfd);
		return;
	}
	size_t blen = strlen(base), tlen = strlen(TMP_TAG);
	struct dirent *e;
	/* readdir_r is deprecated (glibc 2.24); d6c has one thread and this stream */
	// cppcheck-suppress readdirCalled
	while ((e = readdir(ds))) {
		const char *n = e->d_name;
		if (n[0] != '.' || strncmp(n + 1, base, blen) != 0 ||
		    strncmp(n + 1 + blen, TMP_TAG, tlen) != 0 || strlen(n + 1 + blen + tlen) != 6)
			continue;
		int fd = openat(dfd, n, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct stat fst, nst;
		/* Still the file we locked: a writer whose name we had opened
		 * finds it gone once it gets its lock, and makes another. */
		if (fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		    fstatat(dfd, n, &nst, AT_SYMLINK_NOFOLLOW) == 0 && nst.st_ino == fst.st_ino &&
		    nst.st_dev == fst.st_dev)
			unlinkat(dfd, n, 0);
		close(fd);
	}
	closedir(ds);
}

/* Gives the unnamed file fd (O_TMPFILE) the name tmp, locked already. */
static int link_unnamed(int fd, char *tmp)
{
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	char *x = tmp + strlen(tmp) - 6;
	for (int tries = 0; tries < 100; tries++) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		unsigned long v = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
				  (unsigned long)tries * 2654435761u;
		for (int i = 0; i < 6; i++, v /= 62)
			x[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"[v % 62];
		/* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc works for anyone */
		if (linkat(fd, "", AT_FDCWD, tmp, AT_EMPTY_PATH) == 0 ||
		    linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

/* A named temporary file, locked, that is still ours once locked. */
static int make_named(char *tmp)
{
	size_t n = strlen(tmp);
	for (int tries = 0; tries < 100; tries++) {
		memcpy(tmp + n - 6, "XXXXXX", 6);
		int fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0)
			return -1;
		struct stat fst, nst;
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &fst) == 0 && stat(tmp, &nst) == 0 &&
		    nst.st_ino == fst.st_ino && nst.st_dev == fst.st_dev)
			return fd;
		close(fd);   /* removed as stale before we locked it: another name */
	}
	errno = EEXIST;
	return -1;
}

/* Writes w into fd: whole, with mode, on disk. */
static int fill(int fd, const struct writer *w, mode_t mode)
{
	FILE *out = fdopen(dup(fd), "w");
	if (!out)
		return errno;
	errno = 0;
	int err = write_stream(out, w);
	if (!err && (fchmod(fd, mode) != 0 || fsync(fd) != 0))
		err = errno;
	if (fclose(out) != 0 && !err)
		err = errno;
	return err;
}

/*
 * The new contents go to a file without a name first (O_TMPFILE), which a
 * SIGKILL leaves nothing of; it gets its temporary name only when complete
 * and synced, an instant before the rename.  File systems without O_TMPFILE
 * get a named temporary file from the start.
 */
static int write_replace(const char *path, const struct writer *w, char *errbuf, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = !slash ? 1 : slash == path ? 0 : (int)(slash - path);
	const char *dir = slash ? path : ".";
	char *tmp = tmp_name(dir, dirlen, base);
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	char *dname = xmalloc((size_t)dirlen + 2);
	snprintf(dname, (size_t)dirlen + 2, "%.*s", dirlen, dir);
	if (dirlen == 0)
		snprintf(dname, 2, "/");
	int err = 0;
	bool named = false;
	int fd = open(dname, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	free(dname);
	if (fd >= 0) {
		if (flock(fd, LOCK_EX) != 0 || (err = fill(fd, w, mode)) != 0) {
			err = err ? err : errno;
		} else if (link_unnamed(fd, tmp) == 0) {
			named = true;
		} else {
			/* no /proc, say: write it again under a name */
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0 && !err) {
		fd = make_named(tmp);
		if (fd < 0)
			err = errno;
		else {
			named = true;
			err = fill(fd, w, mode);
		}
	}
	if (!err && rename(tmp, path) != 0)
		err = errno;
	else if (!err)
		named = false;
	if (named)
		unlink(tmp);
	if (fd >= 0)
		close(fd);
	if (!err)
		remove_stale(dir, dirlen, base);
	free(tmp);
	return err ? fail(errbuf, errlen, path, err) : 0;
}

static int write_to(const char *path, const struct writer *w, char *errbuf, size_t errlen)
{
	size_t len = strlen(path);
	if (len == 0 || path[len - 1] == '/')
		return fail(errbuf, errlen, path, EISDIR);
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char real[PATH_MAX];
		if (!realpath(path, real)) {
			/* A dangling link: create its target, as a shell would. */
			char target[PATH_MAX];
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			if (n <= 0)
				return fail(errbuf, errlen, path, errno ? errno : ENOENT);
			target[n] = '\0';
			const char *slash = strrchr(path, '/');
			size_t dirlen = target[0] == '/' || !slash ? 0 : (size_t)(slash - path) + 1;
			if (dirlen + (size_t)n >= sizeof(real))
				return fail(errbuf, errlen, path, ENAMETOOLONG);
			memcpy(real, path, dirlen);
			memcpy(real + dirlen, target, (size_t)n + 1);
		}
		if (stat(real, &st) == 0 && !S_ISREG(st.st_mode))
			return S_ISDIR(st.st_mode) ? fail(errbuf, errlen, path, EISDIR)
						     : write_direct(real, w, errbuf, errlen);
		return write_replace(real, w, errbuf, errlen);
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? fail(errbuf, errlen, path, EISDIR)
					     : write_direct(path, w, errbuf, errlen);
	return write_replace(path, w, errbuf, errlen);
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

int output_write(const char *path, const struct ir_policy *ir, output_emit_fn *emit, char *err,
		 size_t errlen)
{
	struct emit_arg e = { ir, emit };
	struct writer w = { emit_ruleset, &e };
	return write_to(path, &w, err, errlen);
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

int output_write_text(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	struct text_arg t = { text, len };
	struct writer w = { emit_text_bytes, &t };
	return write_to(path, &w, err, errlen);
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

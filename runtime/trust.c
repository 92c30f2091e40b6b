/*
 * trust.c - the files apply reads must be changeable by root only.
 *
 * The rule is OpenSSH's StrictModes (secure_filename() in auth.c, safe_path()
 * in misc.c), with the applying user in place of the logged-in one: the file
 * and every directory above it, up to '/', must be owned by root or by the
 * user running apply (for apply as root: by root), and must not be writable
 * by group or others.  A directory writable by others is let through when it
 * has the sticky bit (/tmp): there nobody can rename or remove a name they do
 * not own, which for a root-owned file and root-owned directories is the
 * guarantee the rule is after.  Both the path as written (its directories hold
 * any symbolic links along it) and the real path (where the text lives) are
 * walked.
 *
 * The includes come from parsing the policy once more on a scratch arena:
 * the compile frees its tree before apply could see it.  That parse's
 * diagnostics are dropped; the real compile reports any error.  What is
 * unsafe is collected, one message a file, for the caller to print.
 */
#include "trust.h"
#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/parse.h"

#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where the unsafe files go: r's list, in a's memory. */
struct check {
	struct arena *a;
	struct trust_report *r;
	int cap;
};

static void unsafe(struct check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void unsafe(struct check *c, const char *fmt, ...)
{
	va_list ap, aq;
	va_start(ap, fmt);
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	char *msg = arena_alloc(c->a, (size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ARENA_PUSH(c->a, c->r->unsafe, c->r->n, c->cap);
	c->r->unsafe[c->r->n - 1] = msg;
}

static bool owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

static const char *user_name(uid_t uid, char *buf, size_t len)
{
	/* d6c has one thread: nothing else uses getpwuid's static buffer */
	// cppcheck-suppress getpwuidCalled
	struct passwd *pw = getpwuid(uid);
	if (pw)
		snprintf(buf, len, "%s (uid %u)", pw->pw_name, (unsigned)uid);
	else
		snprintf(buf, len, "uid %u", (unsigned)uid);
	return buf;
}

/* what: the file as the policy names it, with where it was included. */
static bool file_ok(struct check *c, const char *path, const struct stat *st, const char *what)
{
	char who[128];
	if (!owner_ok(st->st_uid)) {
		unsafe(c, "refusing to apply: %s is owned by %s, who could change the firewall "
		       "through it; make it root's ('chown root:root %s') and not writable by "
		       "others ('chmod go-w %s'); nothing was applied",
		       what, user_name(st->st_uid, who, sizeof(who)), path, path);
		return false;
	}
	if (st->st_mode & 022) {
		unsafe(c, "refusing to apply: %s is writable by %s (mode %04o), who could change "
		       "the firewall through it; run 'chmod go-w %s'; nothing was applied",
		       what, (st->st_mode & 002) ? "everyone" : "its group",
		       (unsigned)(st->st_mode & 07777), path);
		return false;
	}
	return true;
}

static bool dir_ok(struct check *c, const char *dir, const char *what)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return true;   /* the compile will say why the file cannot be read */
	char who[128];
	if (!owner_ok(st.st_uid)) {
		unsafe(c, "refusing to apply: the directory '%s' above %s is owned by %s, who "
		       "could replace the file; keep the policy in a directory of root's "
		       "('chown root:root %s'); nothing was applied",
		       dir, what, user_name(st.st_uid, who, sizeof(who)), dir);
		return false;
	}
	if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX)) {
		unsafe(c, "refusing to apply: the directory '%s' above %s is writable by %s "
		       "(mode %04o, no sticky bit), who could replace the file; run "
		       "'chmod go-w %s'; nothing was applied",
		       dir, what, (st.st_mode & 002) ? "everyone" : "its group",
		       (unsigned)(st.st_mode & 07777), dir);
		return false;
	}
	return true;
}

/* Each directory above abs (an absolute path), nearest first. */
static bool dirs_ok(struct check *c, const char *abs, const char *what)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", abs) >= (int)sizeof(buf))
		return true;
	for (;;) {
		char *slash = strrchr(buf, '/');
		if (!slash)
			return true;
		if (slash == buf) {
			return dir_ok(c, "/", what);
		}
		*slash = '\0';
		if (!dir_ok(c, buf, what))
			return false;
	}
}

static bool path_ok(struct check *c, const char *path, const char *what)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return true;
	if (!file_ok(c, path, &st, what))
		return false;
	char abs[PATH_MAX], real[PATH_MAX];
	if (path[0] == '/') {
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof(cwd)))
			return true;
		if (snprintf(abs, sizeof(abs), "%s/%s", cwd, path) >= (int)sizeof(abs))
			return true;
	}
	if (!dirs_ok(c, abs, what))
		return false;
	if (realpath(path, real) && strcmp(real, abs) != 0)
		return dirs_ok(c, real, what);
	return true;
}

static bool items_ok(struct check *c, struct arena *a, const struct ast_item *it)
{
	bool ok = true;
	for (; it; it = it->next) {
		if (it->kind != ITEM_INCLUDE || !it->file)
			continue;
		const struct src_file *f = it->file;
		const char *what = arena_printf(a, "'%s' (included at %s:%d)", f->path,
						f->parent ? f->parent->path : "?",
						it->loc.first_line);
		if (!path_ok(c, f->path, what))
			ok = false;
		if (!items_ok(c, a, it->body))
			ok = false;
	}
	return ok;
}

int trust_check_policy(struct arena *a, const char *policy, struct trust_report *r)
{
	*r = (struct trust_report){ 0 };
	struct check c = { a, r, 0 };
	if (strcmp(policy, "-") == 0)
		return 0;   /* standard input is read once, by the compile */
	char what[PATH_MAX + 16];
	snprintf(what, sizeof(what), "'%s'", policy);
	/* The top file first: a policy that is not safe is not parsed. */
	if (!path_ok(&c, policy, what))
		return -1;
	struct arena scratch;
	arena_init(&scratch);
	struct diag_list dl;
	diag_init(&dl, &scratch);
	bool unreadable = false;
	struct ast_item *items = parse_file(&scratch, &dl, policy, &unreadable);
	bool ok = unreadable || items_ok(&c, &scratch, items);
	arena_free(&scratch);
	return ok ? 0 : -1;
}

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
 * the compile frees its tree before apply could see it.  Nothing is printed
 * for that parse; the real compile reports any error.
 */
#include "trust.h"
#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/parse.h"

#include <limits.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
static bool file_ok(const char *path, const struct stat *st, const char *what)
{
	char who[128];
	if (!owner_ok(st->st_uid)) {
		fprintf(stderr, "d6c: refusing to apply: %s is owned by %s, who could change the "
			"firewall through it; make it root's ('chown root:root %s') and not "
			"writable by others ('chmod go-w %s'); nothing was applied\n",
			what, user_name(st->st_uid, who, sizeof(who)), path, path);
		return false;
	}
	if (st->st_mode & 022) {
		fprintf(stderr, "d6c: refusing to apply: %s is writable by %s (mode %04o), who could "
			"change the firewall through it; run 'chmod go-w %s'; nothing was applied\n",
			what, (st->st_mode & 002) ? "everyone" : "its group",
			(unsigned)(st->st_mode & 07777), path);
		return false;
	}
	return true;
}

static bool dir_ok(const char *dir, const char *what)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return true;   /* the compile will say why the file cannot be read */
	char who[128];
	if (!owner_ok(st.st_uid)) {
		fprintf(stderr, "d6c: refusing to apply: the directory '%s' above %s is owned by %s, "
			"who could replace the file; keep the policy in a directory of root's "
			"('chown root:root %s'); nothing was applied\n",
			dir, what, user_name(st.st_uid, who, sizeof(who)), dir);
		return false;
	}
	if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX)) {
		fprintf(stderr, "d6c: refusing to apply: the directory '%s' above %s is writable by "
			"%s (mode %04o, no sticky bit), who could replace the file; run "
			"'chmod go-w %s'; nothing was applied\n",
			dir, what, (st.st_mode & 002) ? "everyone" : "its group",
			(unsigned)(st.st_mode & 07777), dir);
		return false;
	}
	return true;
}

/* Each directory above abs (an absolute path), nearest first. */
static bool dirs_ok(const char *abs, const char *what)
{
	char buf[PATH_MAX];
	if (snprintf(buf, sizeof(buf), "%s", abs) >= (int)sizeof(buf))
		return true;
	for (;;) {
		char *slash = strrchr(buf, '/');
		if (!slash)
			return true;
		if (slash == buf) {
			return dir_ok("/", what);
		}
		*slash = '\0';
		if (!dir_ok(buf, what))
			return false;
	}
}

static bool path_ok(const char *path, const char *what)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return true;
	if (!file_ok(path, &st, what))
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
	if (!dirs_ok(abs, what))
		return false;
	if (realpath(path, real) && strcmp(real, abs) != 0)
		return dirs_ok(real, what);
	return true;
}

static bool items_ok(struct arena *a, const struct ast_item *it)
{
	bool ok = true;
	for (; it; it = it->next) {
		if (it->kind != ITEM_INCLUDE || !it->file)
			continue;
		const struct src_file *f = it->file;
		const char *what = arena_printf(a, "'%s' (included at %s:%d)", f->path,
						f->parent ? f->parent->path : "?",
						it->loc.first_line);
		if (!path_ok(f->path, what))
			ok = false;
		if (!items_ok(a, it->body))
			ok = false;
	}
	return ok;
}

int trust_check_policy(const char *policy)
{
	bool ok = true;
	if (strcmp(policy, "-") != 0) {
		char what[PATH_MAX + 16];
		snprintf(what, sizeof(what), "'%s'", policy);
		/* The top file first: a policy that is not safe is not parsed. */
		if (!path_ok(policy, what))
			return -1;
	}
	if (strcmp(policy, "-") == 0)
		return 0;   /* standard input is read once, by the compile */
	struct arena a;
	arena_init(&a);
	struct diag_list dl;
	diag_init(&dl, &a);
	bool unreadable = false;
	struct ast_item *items = parse_file(&a, &dl, policy, &unreadable);
	if (!unreadable)
		ok = items_ok(&a, items);
	arena_free(&a);
	return ok ? 0 : -1;
}

/*
 * pathglob.h - the files an include's wildcard names.
 *
 * `include "conf.d/<star>.pol";` reads the files that match, as nft's
 * include does.  A path is a pattern when it holds '*', '?' or '['; glob(3) says
 * what matches, with its rules: a '*' or '?' does not match a leading '.',
 * nor a '/', and a backslash makes the character after it plain.  The
 * order is byte order (strcmp), never the locale's, so that a policy
 * compiles alike on every machine.
 */
#ifndef D6C_PATHGLOB_H
#define D6C_PATHGLOB_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct pathglob_matches {
	const char **path;   /* n paths, in byte order, spelled as glob(3) found them */
	size_t n;
	const char *failed;  /* PATHGLOB_UNREADABLE: the directory that could not be read */
	int err;             /* and its errno */
};

enum pathglob_result {
	PATHGLOB_OK,           /* n matches, maybe none */
	PATHGLOB_UNREADABLE,   /* a directory on the way could not be read */
	PATHGLOB_TOO_MANY,     /* more than max matches: n is how many */
	PATHGLOB_NO_MEMORY,
};

/* Whether path holds a wildcard: '*', '?' or '['. */
bool pathglob_is_pattern(const char *path);
/* dir with a backslash before each character glob(3) would read as a
 * wildcard or an escape, so that it can prefix a pattern and match itself. */
char *pathglob_quote(struct arena *a, const char *dir);
/* The first directory part of path that holds a wildcard, as written
 * ("conf*" for "conf* /a.pol" without the blank); NULL when only the file
 * name holds one. */
const char *pathglob_wild_dir(struct arena *a, const char *path);
/* The pattern for path, relative to base (the including file's directory;
 * NULL: the working directory, as for an absolute path): every character
 * of base and of path's directories plain, path's file name a pattern. */
char *pathglob_pattern(struct arena *a, const char *base, const char *path);
/* The files pattern matches.  Directories are left out, as nft leaves them
 * (conf.d/<star> beside a subdirectory old/ reads the files only); a missing directory matches
 * nothing; one that cannot be read (EACCES) is an error, since its files
 * would be left out silently. */
enum pathglob_result pathglob_expand(struct arena *a, const char *pattern, size_t max,
				     struct pathglob_matches *m);

#endif

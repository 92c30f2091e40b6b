/*
 * fixture.h - the per-test state every unit test file shares: an arena, a
 * diagnostics list, and a temporary directory for tests that need files,
 * all fresh for each test and removed after it.  Include after <cmocka.h>.
 */
#ifndef D6C_TEST_FIXTURE_H
#define D6C_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/arena.h"
#include "compiler/diag.h"

/* cmocka's _fail() and _skip() end the test (they jump out of it), but
 * cmocka.h 1.1 does not say so, and clang's analyzer (make lint) then
 * follows a failed check into the code after it, as in
 * `if (!s) fail_msg(...); s->n`.  Said to the analyzer only: the build
 * keeps cmocka's declarations. */
#ifdef __clang_analyzer__
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): cmocka's name */
void _fail(const char *const file, const int line) __attribute__((analyzer_noreturn));
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): cmocka's name */
void _skip(const char *const file, const int line) __attribute__((analyzer_noreturn));
#endif

#define FX_MAX_FILES 8

struct fx {
	struct arena a;
	struct diag_list dl;
	char dir[64];                 /* made on the first write_file() */
	char *files[FX_MAX_FILES];
	int nfiles;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	arena_init(&f->a);
	diag_init(&f->dl, &f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < f->nfiles; i++) {
		unlink(f->files[i]);
		free(f->files[i]);
	}
	if (f->dir[0])
		rmdir(f->dir);
	arena_free(&f->a);
	free(f);
	return 0;
}

/* Writes name in the test's temporary directory; returns its path. */
static inline const char *write_file(struct fx *f, const char *name, const char *text)
{
	if (!f->dir[0]) {
		strcpy(f->dir, "/tmp/d6c-unit-XXXXXX");
		if (!mkdtemp(f->dir))
			fail_msg("mkdtemp failed");
	}
	for (int i = 0; i < f->nfiles; i++) {
		const char *slash = strrchr(f->files[i], '/');
		if (slash && strcmp(slash + 1, name) == 0) {
			FILE *fp = fopen(f->files[i], "w");
			assert_non_null(fp);
			fputs(text, fp);
			fclose(fp);
			return f->files[i];
		}
	}
	assert_true(f->nfiles < FX_MAX_FILES);
	char *path = NULL;
	if (asprintf(&path, "%s/%s", f->dir, name) < 0)
		fail_msg("asprintf failed");
	f->files[f->nfiles++] = path;
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

#endif

/*
 * test_pathglob.c - compiler/pathglob.c: which paths are patterns, quoting
 * a directory, and the files a pattern matches (in byte order, files only,
 * no hidden files for a leading '*', nothing for a missing directory).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "compiler/arena.h"
#include "compiler/pathglob.h"

#include "fixture.h"

static void test_is_pattern(void **state)
{
	(void)state;
	assert_true(pathglob_is_pattern("conf.d/*.pol"));
	assert_true(pathglob_is_pattern("?.pol"));
	assert_true(pathglob_is_pattern("site[12].pol"));
	assert_true(pathglob_is_pattern("*/web.pol"));
	assert_false(pathglob_is_pattern("conf.d/web.pol"));
	assert_false(pathglob_is_pattern("../a b/{x}.pol"));
	assert_false(pathglob_is_pattern(""));
}

static void test_quote(void **state)
{
	struct fx *f = *state;
	assert_string_equal(pathglob_quote(&f->a, "/etc/d6c"), "/etc/d6c");
	assert_string_equal(pathglob_quote(&f->a, "a*b?[c]\\d"), "a\\*b\\?\\[c\\]\\\\d");
	assert_string_equal(pathglob_quote(&f->a, ""), "");
}

static void test_wild_dir_and_pattern(void **state)
{
	struct fx *f = *state;
	assert_null(pathglob_wild_dir(&f->a, "conf.d/*.pol"));
	assert_null(pathglob_wild_dir(&f->a, "*.pol"));
	assert_null(pathglob_wild_dir(&f->a, "/etc/d6c/conf.d/[0-9]*.pol"));
	assert_string_equal(pathglob_wild_dir(&f->a, "*/web.pol"), "*");
	assert_string_equal(pathglob_wild_dir(&f->a, "a/b?/c*/x.pol"), "b?");
	assert_string_equal(pathglob_wild_dir(&f->a, "/x/[ab]/*.pol"), "[ab]");
	/* Only the file name stays a pattern. */
	assert_string_equal(pathglob_pattern(&f->a, "pol", "conf.d/*.pol"), "pol/conf.d/*.pol");
	assert_string_equal(pathglob_pattern(&f->a, "st*r", "*.pol"), "st\\*r/*.pol");
	assert_string_equal(pathglob_pattern(&f->a, "base", "a\\b/x*.pol"), "base/a\\\\b/x*.pol");
	assert_string_equal(pathglob_pattern(&f->a, "base", "/etc/d6c/*.pol"), "/etc/d6c/*.pol");
	assert_string_equal(pathglob_pattern(&f->a, NULL, "conf.d/*.pol"), "conf.d/*.pol");
	assert_string_equal(pathglob_pattern(&f->a, NULL, "*.pol"), "*.pol");
	assert_string_equal(pathglob_pattern(&f->a, "base", "/*.pol"), "/*.pol");
}

/* A tree of its own: write_file() makes no directories. */
static const char *make_tree(struct fx *f)
{
	write_file(f, "b.pol", "");
	const char *base = f->dir;
	static const char *const files[] = { "B.pol", "_x.pol", "a.pol", ".hidden.pol",
					     "notes.txt" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		write_file(f, files[i], "");
	/* A directory named like a match, and one whose name holds a '*'. */
	assert_int_equal(mkdir(arena_printf(&f->a, "%s/dir.pol", base), 0700), 0);
	assert_int_equal(mkdir(arena_printf(&f->a, "%s/w*d", base), 0700), 0);
	FILE *fp = fopen(arena_printf(&f->a, "%s/w*d/x.pol", base), "w");
	assert_non_null(fp);
	fclose(fp);
	return base;
}

static void remove_tree(struct fx *f, const char *base)
{
	unlink(arena_printf(&f->a, "%s/w*d/x.pol", base));
	rmdir(arena_printf(&f->a, "%s/w*d", base));
	rmdir(arena_printf(&f->a, "%s/dir.pol", base));
}

static void test_expand(void **state)
{
	struct fx *f = *state;
	const char *base = make_tree(f);
	struct pathglob_matches m;
	/* Byte order: 'B' (66) < '_' (95) < 'a' (97), whatever the locale. */
	assert_int_equal(pathglob_expand(&f->a, arena_printf(&f->a, "%s/*.pol", base), 100, &m),
			 PATHGLOB_OK);
	assert_int_equal(m.n, 4);
	assert_string_equal(m.path[0], arena_printf(&f->a, "%s/B.pol", base));
	assert_string_equal(m.path[1], arena_printf(&f->a, "%s/_x.pol", base));
	assert_string_equal(m.path[2], arena_printf(&f->a, "%s/a.pol", base));
	assert_string_equal(m.path[3], arena_printf(&f->a, "%s/b.pol", base));
	/* A leading '.' is matched only by a '.' written in the pattern. */
	assert_int_equal(pathglob_expand(&f->a, arena_printf(&f->a, "%s/.*.pol", base), 100, &m),
			 PATHGLOB_OK);
	assert_int_equal(m.n, 1);
	/* Nothing, and a directory that is not there: no matches, no error. */
	assert_int_equal(pathglob_expand(&f->a, arena_printf(&f->a, "%s/*.nft", base), 100, &m),
			 PATHGLOB_OK);
	assert_int_equal(m.n, 0);
	assert_int_equal(pathglob_expand(&f->a, arena_printf(&f->a, "%s/nodir/*.pol", base), 100,
					 &m), PATHGLOB_OK);
	assert_int_equal(m.n, 0);
	/* The directory's '*' quoted matches itself only. */
	const char *pat = arena_printf(&f->a, "%s/*.pol", pathglob_quote(&f->a,
				       arena_printf(&f->a, "%s/w*d", base)));
	assert_int_equal(pathglob_expand(&f->a, pat, 100, &m), PATHGLOB_OK);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.path[0], arena_printf(&f->a, "%s/w*d/x.pol", base));
	/* Past max: how many, and no paths. */
	assert_int_equal(pathglob_expand(&f->a, arena_printf(&f->a, "%s/*.pol", base), 3, &m),
			 PATHGLOB_TOO_MANY);
	assert_int_equal(m.n, 4);
	remove_tree(f, base);
}

/* A directory that cannot be listed is an error, not an empty match. */
static void test_unreadable_directory(void **state)
{
	struct fx *f = *state;
	if (geteuid() == 0)
		skip();   /* root lists a chmod 000 directory anyway */
	const char *base = make_tree(f);
	const char *dir = arena_printf(&f->a, "%s/dir.pol", base);
	assert_int_equal(chmod(dir, 0), 0);
	struct pathglob_matches m;
	enum pathglob_result r = pathglob_expand(&f->a, arena_printf(&f->a, "%s/*", dir), 100, &m);
	chmod(dir, 0700);
	assert_int_equal(r, PATHGLOB_UNREADABLE);
	assert_string_equal(m.failed, dir);
	remove_tree(f, base);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_is_pattern),
		T(test_quote),
		T(test_wild_dir_and_pattern),
		T(test_expand),
		T(test_unreadable_directory),
	};
#undef T
	return cmocka_run_group_tests_name("pathglob", tests, NULL, NULL);
}

/*
 * test_misspell.c - misspell.c: edit distance and the closest candidate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/misspell.h"

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(misspell_distance("allow", "allow", 3), 0);
	assert_int_equal(misspell_distance("alow", "allow", 3), 1);        /* deletion */
	assert_int_equal(misspell_distance("alllow", "allow", 3), 1);      /* insertion */
	assert_int_equal(misspell_distance("allaw", "allow", 3), 1);       /* substitution */
	assert_int_equal(misspell_distance("alolw", "allow", 3), 1);       /* transposition */
	assert_int_equal(misspell_distance("htps", "https", 3), 1);
	assert_int_equal(misspell_distance("echo-requets", "echo-request", 3), 1);
	assert_int_equal(misspell_distance("kitten", "sitting", 5), 3);
	assert_int_equal(misspell_distance("", "abc", 5), 3);
	assert_int_equal(misspell_distance("abc", "", 5), 3);
	assert_int_equal(misspell_distance("", "", 0), 0);
	/* Past max: max + 1, however far. */
	assert_int_equal(misspell_distance("kitten", "sitting", 2), 3);
	assert_int_equal(misspell_distance("a", "abcdefgh", 2), 3);
	assert_int_equal(misspell_distance("qwertyuiop", "admins", 1), 2);
}

static void test_threshold(void **state)
{
	(void)state;
	assert_int_equal(misspell_threshold(""), 1);
	assert_int_equal(misspell_threshold("ab"), 1);
	assert_int_equal(misspell_threshold("alow"), 1);
	assert_int_equal(misspell_threshold("admin"), 1);
	assert_int_equal(misspell_threshold("echo-requst"), 3);
}

static void test_closest(void **state)
{
	(void)state;
	struct misspell m;
	misspell_init(&m, "alow");
	misspell_offer(&m, "deny");
	misspell_offer(&m, "allow");
	misspell_offer(&m, "default");
	assert_non_null(m.best);
	assert_string_equal(m.best, "allow");
	assert_int_equal(m.dist, 1);

	/* The first of equally close candidates stays. */
	misspell_init(&m, "ab");
	misspell_offer(&m, "abc");
	misspell_offer(&m, "abd");
	assert_string_equal(m.best, "abc");

	/* A closer one replaces it. */
	misspell_init(&m, "echo-requst");
	misspell_offer(&m, "echo-reply");
	misspell_offer(&m, "echo-request");
	assert_string_equal(m.best, "echo-request");

	/* Nothing close, the word itself, no candidate: no suggestion. */
	misspell_init(&m, "qwertyuiop");
	misspell_offer(&m, "admins");
	misspell_offer(&m, NULL);
	assert_null(m.best);
	misspell_init(&m, "ssh");
	misspell_offer(&m, "ssh");
	assert_null(m.best);
	misspell_init(&m, "SSH");
	misspell_offer(&m, "ssh");
	assert_null(m.best);
}

static void test_long_words(void **state)
{
	(void)state;
	char a[200], b[200];
	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	/* Longer than the table: never close, never out of bounds. */
	assert_int_equal(misspell_distance(a, b, 3), 4);
	struct misspell m;
	misspell_init(&m, a);
	misspell_offer(&m, "x");
	assert_null(m.best);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_closest),
		cmocka_unit_test(test_long_words),
	};
	return cmocka_run_group_tests_name("misspell", tests, NULL, NULL);
}

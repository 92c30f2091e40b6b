/*
 * test_source.c - source.c: where a file ends, for the diagnostics about
 * what a whole file lacks (a policy with no block, a test file with no
 * expectation).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/arena.h"
#include "compiler/source.h"

static void test_end(void **state)
{
	(void)state;
	static const struct { const char *text; int line, col; } cases[] = {
		{ "", 1, 1 },                          /* empty: the first column */
		{ "\n\n\n", 1, 1 },                    /* only blank lines */
		{ "# a comment", 1, 12 },              /* after the last character */
		{ "# a comment\n", 1, 12 },            /* the newline is no line */
		{ "counters; \t\n\n  \n", 1, 10 },    /* blanks are skipped, lines of them too */
		{ "\tx\n", 1, 3 },                     /* a tab is one column */
		{ "a;\nb;\r\n\n", 2, 3 },              /* CR belongs to the newline */
		{ "expect tcp", 1, 11 },               /* cut short */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		arena_init(&a);
		const struct src_file *f = src_from_string(&a, "t", cases[i].text,
							   strlen(cases[i].text));
		struct loc l = src_end(f);
		assert_ptr_equal(l.file, f);
		assert_int_equal(l.first_line, cases[i].line);
		assert_int_equal(l.last_line, cases[i].line);
		assert_int_equal(l.first_column, cases[i].col);
		assert_int_equal(l.last_column, cases[i].col);
		arena_free(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_end),
	};
	return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}

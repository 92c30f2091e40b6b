/*
 * test_suppress.c - suppress.c: reading `# d6c: disable` directives, which
 * lines they silence, and the warnings about those that silence nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/source.h"
#include "compiler/suppress.h"

#include "fixture.h"

static struct src_file *file(struct fx *f, const char *text)
{
	return src_from_string(&f->a, "t.pol", text, strlen(text));
}

/* Hands every comment of s to suppress_comment(), as the scanner does. */
static void scan_comments(struct fx *f, const struct src_file *s)
{
	for (int n = 1; n <= s->nlines; n++) {
		size_t len;
		const char *line = src_line(s, n, &len);
		const char *hash = memchr(line, '#', len);
		if (!hash)
			continue;
		int col = (int)(hash - line) + 1;
		struct loc loc = { .file = s, .first_line = n, .first_column = col,
				   .last_line = n, .last_column = (int)len };
		suppress_comment(&f->dl, loc, hash, len - (size_t)(hash - line));
	}
}

static struct loc at(const struct src_file *s, int line, int col)
{
	return (struct loc){ .file = s, .first_line = line, .first_column = col,
			     .last_line = line, .last_column = col };
}

/* The code written both ways; errors and unknown codes told apart. */
static void test_codes(void **state)
{
	(void)state;
	enum diag_code c;
	assert_int_equal(suppress_code("W011", 4, &c), SUPPRESS_WARNING);
	assert_int_equal(c, DC_W_OTHER_FAMILY_SOURCE);
	assert_int_equal(suppress_code("D6C-W011", 8, &c), SUPPRESS_WARNING);
	assert_int_equal(c, DC_W_OTHER_FAMILY_SOURCE);
	assert_int_equal(suppress_code("W015", 4, &c), SUPPRESS_WARNING);
	assert_int_equal(c, DC_W_UNUSED_DISABLE);
	assert_int_equal(suppress_code("E014", 4, &c), SUPPRESS_ERROR);
	assert_int_equal(c, DC_UNDEFINED);
	assert_int_equal(suppress_code("W999", 4, &c), SUPPRESS_UNKNOWN);
	assert_int_equal(suppress_code("W01", 3, &c), SUPPRESS_UNKNOWN);
	assert_int_equal(suppress_code("W0111", 5, &c), SUPPRESS_UNKNOWN);
	/* a prefix of the word is not the word */
	assert_int_equal(suppress_code("W011x", 4, &c), SUPPRESS_WARNING);
	assert_int_equal(suppress_code("W011x", 5, &c), SUPPRESS_UNKNOWN);
	assert_string_equal(suppress_code_suggest("D6C-W11"), "D6C-W011");
	assert_null(suppress_code_suggest("W999"));
	assert_null(suppress_code_suggest("because"));
}

/* On a line of its own: the next line of code, past blank and comment
 * lines; after code: its own line. */
static void test_lines(void **state)
{
	struct fx *f = *state;
	const struct src_file *s = file(f,
		"network 2001:db8::/64 <\n"                           /* 1 */
		"    # d6c: disable W005 -- generated\n"                /* 2 */
		"\n"                                                    /* 3 */
		"    # another comment\n"                               /* 4 */
		"    allow tcp 22,22;\n"                                /* 5 */
		"    allow tcp 80,80; # d6c: disable W001, D6C-W005\n"  /* 6 */
		">\n");                                                 /* 7 */
	scan_comments(f, s);
	assert_int_equal(f->dl.nwarnings, 0);
	const struct suppression *w = suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(s, 5, 18));
	assert_non_null(w);
	assert_int_equal(w->kind, SUPPRESS_IN_SOURCE);
	assert_string_equal(w->justification, "generated");
	assert_int_equal(w->loc.first_line, 2);
	assert_int_equal(w->loc.first_column, 20);
	w = suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(s, 6, 18));
	assert_non_null(w);
	assert_null(w->justification);
	assert_int_equal(w->loc.first_column, 43);
	assert_null(suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(s, 4, 5)));
	assert_null(suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(s, 7, 1)));
	assert_null(suppress_match(&f->dl, DC_W_SHADOWED, at(s, 5, 5)));
	/* W001 at line 6 never came: that one directive code is stale */
	suppress_report_unused(&f->dl);
	assert_int_equal(f->dl.nwarnings, 1);
	const struct diag *d = f->dl.items[0];
	assert_int_equal(d->code, DC_W_UNUSED_DISABLE);
	assert_int_equal(d->loc.first_line, 6);
	assert_int_equal(d->loc.first_column, 37);
	assert_string_equal(d->msg, "this directive silences nothing: there is no D6C-W001 "
			    "warning at line 6");
}

/* disable-file: any line of its file, none of another. */
static void test_whole_file(void **state)
{
	struct fx *f = *state;
	const struct src_file *s = file(f, "network 2001:db8::/64 < allow tcp 22,22; >\n"
				    "#d6c:disable-file W005,W008--why not\n");
	const struct src_file *other = file(f, "network 2001:db8:1::/64 < >\n");
	scan_comments(f, s);
	assert_int_equal(f->dl.nwarnings, 0);
	const struct suppression *w = suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(s, 1, 38));
	assert_non_null(w);
	assert_string_equal(w->justification, "why not");
	assert_null(suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(other, 1, 1)));
	assert_null(suppress_match(&f->dl, DC_W_EMPTY_BLOCK, at(other, 1, 1)));
	/* a check that did not run does not make its directive stale */
	suppress_unjudged(&f->dl, DC_W_EMPTY_BLOCK);
	suppress_report_unused(&f->dl);
	assert_int_equal(f->dl.nwarnings, 0);
}

/* Everything d6c cannot use is a warning at the word at fault. */
static void test_malformed(void **state)
{
	struct fx *f = *state;
	static const struct { const char *text; int col; const char *msg; } cases[] = {
		{ "# d6c: disabel W005", 8, "unknown d6c directive 'disabel'; did you mean 'disable'?" },
		{ "# d6c: silence W005", 8, "unknown d6c directive 'silence' (disable or disable-file)" },
		{ "# d6c:", 1, "this d6c directive says nothing: write '# d6c: disable W011' (or disable-file)" },
		{ "# d6c: disable -- why", 8, "'disable' names no warning to silence: write '# d6c: disable W011'" },
		{ "# d6c: disable E014", 16, "D6C-E014 is an error, and errors cannot be silenced: fix the policy instead" },
		{ "# d6c: disable W011 because", 21, "'because' is not a warning code of d6c (d6c check --list-codes lists them; a reason goes after '--')" },
		{ "# d6c: disable D6C-W11", 16, "'D6C-W11' is not a warning code of d6c; did you mean 'D6C-W011'?" },
		{ "# d6c: disable W015", 16, "D6C-W015 speaks of these directives and is not silenced by one; silence it for a run with --disable W015" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		diag_init(&f->dl, &f->a);
		const struct src_file *s = file(f, cases[i].text);
		scan_comments(f, s);
		assert_int_equal(f->dl.nwarnings, 1);
		assert_int_equal(f->dl.items[0]->code, DC_W_UNUSED_DISABLE);
		assert_int_equal(f->dl.items[0]->loc.first_column, cases[i].col);
		assert_string_equal(f->dl.items[0]->msg, cases[i].msg);
	}
	/* Not directives at all: ordinary comments say nothing. */
	static const char *const plain[] = { "# d6c", "# disable W011", "# d6c disable W011",
					     "#" };
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		diag_init(&f->dl, &f->a);
		scan_comments(f, file(f, plain[i]));
		assert_int_equal(f->dl.nwarnings, 0);
		assert_null(f->dl.suppress);
	}
}

/* A directive with no code after it silences nothing, and says so. */
static void test_nothing_follows(void **state)
{
	struct fx *f = *state;
	const struct src_file *s = file(f, "network 2001:db8::/64 < allow tcp 22; >\n"
				    "# d6c: disable W008\n\n# the end\n");
	scan_comments(f, s);
	assert_null(suppress_match(&f->dl, DC_W_EMPTY_BLOCK, at(s, 2, 1)));
	suppress_report_unused(&f->dl);
	assert_int_equal(f->dl.nwarnings, 1);
	assert_string_equal(f->dl.items[0]->msg,
			    "this directive silences nothing: no line of code follows it");
}

/* A directive with no line after it does not hide a disable-file of the
 * same code from the search (both have no line to silence). */
static void test_nothing_follows_file(void **state)
{
	struct fx *f = *state;
	const struct src_file *s = file(f, "network 2001:db8::/64 < >\n"
				    "# d6c: disable W008\n# d6c: disable-file W008\n");
	scan_comments(f, s);
	assert_non_null(suppress_match(&f->dl, DC_W_EMPTY_BLOCK, at(s, 1, 1)));
	suppress_report_unused(&f->dl);
	assert_int_equal(f->dl.nwarnings, 1);
	assert_int_equal(f->dl.items[0]->loc.first_line, 2);
}

/* Many directives for one line, many warnings there: each directive is
 * marked once, not once a warning (a generated file must not hang). */
static void test_many(void **state)
{
	struct fx *f = *state;
	enum { N = 20000 };
	size_t size = (size_t)N * 21 + 32;
	char *text = arena_alloc(&f->a, size);
	size_t end = 0;
	for (int i = 0; i < N; i++)
		end += (size_t)snprintf(text + end, size - end, "# d6c: disable W005\n");
	snprintf(text + end, size - end, "allow tcp 22,22;\n");
	const struct src_file *s = file(f, text);
	scan_comments(f, s);
	for (int i = 0; i < N; i++)
		assert_non_null(suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(s, N + 1, 11)));
	suppress_report_unused(&f->dl);
	assert_int_equal(f->dl.nwarnings, 0);
}

/* --disable: everywhere, below the comments, which give the reason. */
static void test_external(void **state)
{
	struct fx *f = *state;
	static bool disabled[DC_COUNT];
	disabled[DC_W_DUPLICATE_PORT] = true;
	const struct src_file *s = file(f, "allow tcp 22,22; # d6c: disable W005 -- mine\n");
	suppress_external(&f->dl, disabled);
	scan_comments(f, s);
	assert_int_equal(suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(s, 1, 1))->kind,
			 SUPPRESS_IN_SOURCE);
	const struct suppression *w = suppress_match(&f->dl, DC_W_DUPLICATE_PORT, at(s, 2, 1));
	assert_int_equal(w->kind, SUPPRESS_EXTERNAL);
	assert_null(w->justification);
	assert_null(suppress_match(&f->dl, DC_W_SHADOWED, at(s, 1, 1)));
}

/* diag.c: a silenced warning is kept apart from the counts and the cap. */
static void test_diag_counts(void **state)
{
	struct fx *f = *state;
	static bool disabled[DC_COUNT];
	disabled[DC_W_DUPLICATE_PORT] = true;
	suppress_external(&f->dl, disabled);
	const struct src_file *s = file(f, "x\n");
	for (int i = 0; i < DIAG_MAX_WARNINGS + 50; i++)
		diag_warning(&f->dl, DC_W_DUPLICATE_PORT, at(s, 1, 1), "port 22 is already in this rule");
	diag_warning(&f->dl, DC_W_SHADOWED, at(s, 1, 1), "shown");
	assert_int_equal(f->dl.nwarnings, 1);
	assert_int_equal(f->dl.nsuppressed, DIAG_MAX_WARNINGS + 50);
	assert_int_equal(f->dl.dropped_warnings, 0);
	assert_int_equal(f->dl.n, DIAG_MAX_WARNINGS + 1);   /* the silenced ones kept: 100 */
	assert_false(diag_has_errors(&f->dl));
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	diag_print(&f->dl, m, false);
	fclose(m);
	assert_string_equal(buf, "t.pol:1:1: warning: shown [D6C-W001]\n    x\n    ^\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codes),
		cmocka_unit_test_setup_teardown(test_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_follows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_follows_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_external, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diag_counts, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

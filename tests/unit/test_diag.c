/*
 * test_diag.c - diag.c and source.c: collecting and printing diagnostics.
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
#include "compiler/parse.h"
#include "compiler/source.h"

#include "fixture.h"

static const char *printed(struct fx *f, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	diag_print(&f->dl, m, color);
	fclose(m);
	char *s = arena_strdup(&f->a, buf);
	free(buf);
	return s;
}

static struct src_file *file(struct fx *f, const char *path, const char *text)
{
	return src_from_string(&f->a, path, text, strlen(text));
}

static struct loc span(const struct src_file *s, int line, int first, int last)
{
	return (struct loc){ .file = s, .first_line = line, .first_column = first,
			     .last_line = line, .last_column = last };
}

/* ---- source.c ---- */

static void test_source_lines(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "one\r\ntwo\n\nlast");
	assert_int_equal(s->nlines, 4);
	assert_null(s->parent);
	assert_int_equal(s->depth, 0);
	size_t len;
	const char *l = src_line(s, 1, &len);
	assert_int_equal(len, 3);   /* the CR is not part of the line */
	assert_memory_equal(l, "one", 3);
	l = src_line(s, 2, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(l, "two", 3);
	src_line(s, 3, &len);
	assert_int_equal(len, 0);
	l = src_line(s, 4, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(l, "last", 4);
	src_line(s, 5, &len);
	assert_int_equal(len, 0);
	src_line(s, 0, &len);
	assert_int_equal(len, 0);
}

/* ---- collecting ---- */

static void test_counts(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "x\n");
	assert_false(diag_has_errors(&f->dl));
	diag_warning(&f->dl, DC_NONE, span(s, 1, 1, 1), "w %d", 1);
	assert_false(diag_has_errors(&f->dl));
	struct diag *d = diag_error(&f->dl, DC_NONE, span(s, 1, 1, 1), "e %s", "one");
	diag_note(&f->dl, d, span(s, 1, 1, 1), "a note");
	assert_true(diag_has_errors(&f->dl));
	assert_int_equal(f->dl.nerrors, 1);
	assert_int_equal(f->dl.nwarnings, 1);
	assert_int_equal(f->dl.n, 2);   /* notes are not records of their own */
	assert_string_equal(f->dl.items[0]->msg, "w 1");
	assert_string_equal(f->dl.items[1]->msg, "e one");
	assert_int_equal(f->dl.items[1]->sev, DIAG_ERROR);
	assert_string_equal(d->notes->msg, "a note");
	assert_int_equal(d->notes->sev, DIAG_NOTE);
	assert_string_equal(printed(f, false),
		"t.pol:1:1: warning: w 1\n"
		"    x\n"
		"    ^\n"
		"t.pol:1:1: error: e one\n"
		"    x\n"
		"    ^\n"
		"t.pol:1:1: note: a note\n"
		"    x\n"
		"    ^\n");
}

/* ---- printing ---- */

static void test_error_with_caret(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "network 2001:db8::1/64 < allow tcp 22; >\n");
	diag_error(&f->dl, DC_NONE, span(s, 1, 9, 22),
		   "host bits set in 2001:db8::1/64; did you mean 2001:db8::/64?");
	assert_string_equal(printed(f, false),
		"t.pol:1:9: error: host bits set in 2001:db8::1/64; did you mean 2001:db8::/64?\n"
		"    network 2001:db8::1/64 < allow tcp 22; >\n"
		"            ^~~~~~~~~~~~~~\n");
}

static void test_warning_single_column(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "dir/p.pol", "a\n  allow tcp 22, 22;\n");
	diag_warning(&f->dl, DC_NONE, span(s, 2, 17, 18), "port 22 is already in this rule");
	diag_warning(&f->dl, DC_NONE, span(s, 2, 3, 3), "one byte");
	assert_string_equal(printed(f, false),
		"dir/p.pol:2:3: warning: one byte\n"
		"      allow tcp 22, 22;\n"
		"      ^\n"
		"dir/p.pol:2:17: warning: port 22 is already in this rule\n"
		"      allow tcp 22, 22;\n"
		"                    ^~\n");
}

static void test_tab_copied(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "network ::/0 <\n\tallow tcp 70000;\n>\n");
	diag_error(&f->dl, DC_NONE, span(s, 2, 12, 16), "port 70000 is out of range (0-65535)");
	assert_string_equal(printed(f, false),
		"t.pol:2:12: error: port 70000 is out of range (0-65535)\n"
		"    \tallow tcp 70000;\n"
		"    \t          ^~~~~\n");
}

static void test_tabs_inside_line(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "\t\tallow\ttcp\tfoo;\n");
	diag_error(&f->dl, DC_NONE, span(s, 1, 13, 15), "'foo' is not defined");
	assert_string_equal(printed(f, false),
		"t.pol:1:13: error: 'foo' is not defined\n"
		"    \t\tallow\ttcp\tfoo;\n"
		"    \t\t     \t   \t^~~\n");
}

/* Columns count bytes, the caret line counts what a terminal shows: one
 * column for a character of several bytes, two for a wide one, none for a
 * byte order mark. */
static void test_caret_after_multibyte(void **state)
{
	struct fx *f = *state;
	/* "caf\xc3\xa9" is 5 bytes, 4 columns; the en dash 3 bytes, 1 column. */
	struct src_file *s = file(f, "t.pol", "# caf\xc3\xa9\n  allow tcp 1\xe2\x80\x93" "2, 70000;\n"
				  "\xe6\xbc\xa2 x \xef\xbc\x9b\n");
	diag_error(&f->dl, DC_NONE, span(s, 2, 20, 24), "port 70000 is out of range (0-65535)");
	diag_error(&f->dl, DC_NONE, span(s, 2, 14, 16), "en dash");
	diag_error(&f->dl, DC_NONE, span(s, 3, 5, 5), "after a wide character");
	diag_error(&f->dl, DC_NONE, span(s, 3, 7, 9), "a wide character itself");
	assert_string_equal(printed(f, false),
		"t.pol:2:14: error: en dash\n"
		"      allow tcp 1\xe2\x80\x93" "2, 70000;\n"
		"                 ^\n"
		"t.pol:2:20: error: port 70000 is out of range (0-65535)\n"
		"      allow tcp 1\xe2\x80\x93" "2, 70000;\n"
		"                     ^~~~~\n"
		"t.pol:3:5: error: after a wide character\n"
		"    \xe6\xbc\xa2 x \xef\xbc\x9b\n"
		"       ^\n"
		"t.pol:3:7: error: a wide character itself\n"
		"    \xe6\xbc\xa2 x \xef\xbc\x9b\n"
		"         ^~\n");
}

/* A UTF-8 byte order mark at the start is no part of the text: line 1
 * column 1 is the byte after it.  Anywhere else it stays. */
static void test_byte_order_mark_skipped(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "\xef\xbb\xbfnetwork x\n\xef\xbb\xbfy\n");
	assert_int_equal(s->len, 15);
	assert_memory_equal(s->text, "network x\n", 10);
	diag_error(&f->dl, DC_NONE, span(s, 1, 9, 9), "x");
	diag_error(&f->dl, DC_NONE, span(s, 2, 4, 4), "y");
	assert_string_equal(printed(f, false),
		"t.pol:1:9: error: x\n"
		"    network x\n"
		"            ^\n"
		"t.pol:2:4: error: y\n"
		"    \xef\xbb\xbfy\n"
		"    ^\n");
}

static void test_crlf_line(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "network ::/0 <\r\n  allow tcp x;\r\n>\r\n");
	diag_error(&f->dl, DC_NONE, span(s, 2, 13, 13), "'x' is not defined");
	assert_string_equal(printed(f, false),
		"t.pol:2:13: error: 'x' is not defined\n"
		"      allow tcp x;\n"
		"                ^\n");
}

static void test_span_past_end_and_across_lines(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "abc\ndef\n");
	/* At end of file: just after the last byte of the line. */
	diag_error(&f->dl, DC_NONE, span(s, 2, 4, 4), "unexpected end of file");
	/* A span running onto the next line: the caret alone. */
	struct loc two = { .file = s, .first_line = 1, .first_column = 2,
			   .last_line = 2, .last_column = 2 };
	diag_error(&f->dl, DC_NONE, two, "across");
	/* A span past the end of its line stops there. */
	diag_warning(&f->dl, DC_NONE, span(s, 2, 2, 40), "long");
	assert_string_equal(printed(f, false),
		"t.pol:1:2: error: across\n"
		"    abc\n"
		"     ^\n"
		"t.pol:2:2: warning: long\n"
		"    def\n"
		"     ^~\n"
		"t.pol:2:4: error: unexpected end of file\n"
		"    def\n"
		"       ^\n");
}

static void test_notes_after_their_diagnostic(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "define a = 22;\ndefine a = 80;\nnetwork ::/0 < >\n");
	diag_warning(&f->dl, DC_NONE, span(s, 3, 1, 7), "this block has no rules");
	struct diag *d = diag_error(&f->dl, DC_NONE, span(s, 2, 8, 8), "'a' is defined twice");
	diag_note(&f->dl, d, span(s, 1, 8, 8), "first definition of 'a' is here");
	diag_note(&f->dl, d, span(s, 3, 1, 7), "second note");
	assert_string_equal(printed(f, false),
		"t.pol:2:8: error: 'a' is defined twice\n"
		"    define a = 80;\n"
		"           ^\n"
		"t.pol:1:8: note: first definition of 'a' is here\n"
		"    define a = 22;\n"
		"           ^\n"
		"t.pol:3:1: note: second note\n"
		"    network ::/0 < >\n"
		"    ^~~~~~~\n"
		"t.pol:3:1: warning: this block has no rules\n"
		"    network ::/0 < >\n"
		"    ^~~~~~~\n");
}

static void test_sorted_by_position(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "aaaa\nbbbb\ncccc\n");
	diag_error(&f->dl, DC_NONE, span(s, 3, 1, 1), "third");
	diag_warning(&f->dl, DC_NONE, span(s, 1, 3, 3), "first, column 3");
	diag_error(&f->dl, DC_NONE, span(s, 2, 2, 2), "second, a");
	diag_error(&f->dl, DC_NONE, span(s, 1, 1, 1), "first, column 1");
	diag_warning(&f->dl, DC_NONE, span(s, 2, 2, 2), "second, b");
	diag_error(&f->dl, DC_NONE, (struct loc){ 0 }, "no place");
	/* Before printing, records are in the order they came. */
	assert_string_equal(f->dl.items[0]->msg, "third");
	assert_string_equal(f->dl.items[5]->msg, "no place");
	const char *out = printed(f, false);
	const char *order[] = { "d6c: error: no place\n", "first, column 1", "first, column 3",
				"second, a", "second, b", "third" };
	const char *prev = out;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *p = strstr(out, order[i]);
		if (!p || p < prev) {
			print_message("%s", out);
			fail_msg("'%s' out of order", order[i]);
		}
		prev = p;
	}
	assert_memory_equal(out, "d6c: error: no place\n", strlen("d6c: error: no place\n"));
}

static void test_include_chain(void **state)
{
	struct fx *f = *state;
	struct src_file *top = file(f, "main.pol",
		"define a = 1;\ninclude \"inc/web.pol\";\nnetwork ::/0 < allow tcp a; >\n");
	struct src_file *inc = file(f, "inc/web.pol", "network 10.0.0.0/8 < allow tcp 99999; >\n");
	inc->parent = top;
	inc->included_at = span(top, 2, 1, 21);
	inc->depth = 1;
	struct src_file *deep = file(f, "inc/deep.pol", "bad\n");
	deep->parent = inc;
	deep->included_at = span(inc, 1, 1, 1);
	deep->depth = 2;

	diag_warning(&f->dl, DC_NONE, span(top, 3, 1, 7), "after the include");
	diag_error(&f->dl, DC_NONE, span(inc, 1, 32, 36), "port 99999 is out of range (0-65535)");
	diag_error(&f->dl, DC_NONE, span(top, 1, 8, 8), "before the include");
	diag_error(&f->dl, DC_NONE, span(deep, 1, 1, 3), "deep");
	assert_string_equal(printed(f, false),
		"main.pol:1:8: error: before the include\n"
		"    define a = 1;\n"
		"           ^\n"
		"In file included from inc/web.pol:1:1:\n"
		"In file included from main.pol:2:1:\n"
		"inc/deep.pol:1:1: error: deep\n"
		"    bad\n"
		"    ^~~\n"
		"In file included from main.pol:2:1:\n"
		"inc/web.pol:1:32: error: port 99999 is out of range (0-65535)\n"
		"    network 10.0.0.0/8 < allow tcp 99999; >\n"
		"                                   ^~~~~\n"
		"main.pol:3:1: warning: after the include\n"
		"    network ::/0 < allow tcp a; >\n"
		"    ^~~~~~~\n");
}

static void test_note_in_other_file(void **state)
{
	struct fx *f = *state;
	struct src_file *top = file(f, "main.pol", "include \"a.pol\";\ndefine x = 2;\n");
	struct src_file *inc = file(f, "a.pol", "define x = 1;\n");
	inc->parent = top;
	inc->included_at = span(top, 1, 1, 16);
	inc->depth = 1;
	struct diag *d = diag_error(&f->dl, DC_NONE, span(top, 2, 8, 8), "'x' is defined twice");
	diag_note(&f->dl, d, span(inc, 1, 8, 8), "first definition of 'x' is here");
	assert_string_equal(printed(f, false),
		"main.pol:2:8: error: 'x' is defined twice\n"
		"    define x = 2;\n"
		"           ^\n"
		"In file included from main.pol:1:1:\n"
		"a.pol:1:8: note: first definition of 'x' is here\n"
		"    define x = 1;\n"
		"           ^\n");
}

static void test_color(void **state)
{
	struct fx *f = *state;
	struct src_file *s = file(f, "t.pol", "x\n");
	diag_error(&f->dl, DC_NONE, span(s, 1, 1, 1), "bad");
	const char *out = printed(f, true);
	assert_non_null(strstr(out, "\033[1;31merror"));
	assert_non_null(strstr(out, "bad"));
	assert_non_null(strstr(out, "    x\n    ^\n"));
}

static void test_nothing_to_print(void **state)
{
	struct fx *f = *state;
	assert_string_equal(printed(f, false), "");
}

/* Parser and printer together: a missing ';' on the line before. */
static void test_parse_then_print(void **state)
{
	struct fx *f = *state;
	parse_string(&f->a, &f->dl, "t.pol",
		     "network 2001:db8::/64 <\n    allow tcp 80\n    allow udp 53;\n>\n");
	const char *out = printed(f, false);
	const char *head = "t.pol:3:5: error: unexpected 'allow'";
	assert_memory_equal(out, head, strlen(head));
	assert_non_null(strstr(out, "(is a ';' missing at the end of line 2?) [D6C-E001]\n"
				    "        allow udp 53;\n"
				    "        ^~~~~\n"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_source_lines),
		T(test_counts),
		T(test_error_with_caret),
		T(test_caret_after_multibyte),
		T(test_byte_order_mark_skipped),
		T(test_warning_single_column),
		T(test_tab_copied),
		T(test_tabs_inside_line),
		T(test_crlf_line),
		T(test_span_past_end_and_across_lines),
		T(test_notes_after_their_diagnostic),
		T(test_sorted_by_position),
		T(test_include_chain),
		T(test_note_in_other_file),
		T(test_color),
		T(test_nothing_to_print),
		T(test_parse_then_print),
	};
#undef T
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}

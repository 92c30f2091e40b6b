/*
 * test_lexer_parser.c - grammar/lexer.l, grammar/parser.y and parse.c:
 * policy text to the syntax tree, compared as ast_print() text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "compiler/arena.h"
#include "compiler/ast.h"
#include "compiler/diag.h"
#include "compiler/parse.h"
#include "compiler/source.h"
#include "parser.h"
#include "lexer.h"

#include "fixture.h"

static const char *in_dir(struct fx *f, const char *name)
{
	return arena_printf(&f->a, "%s/%s", f->dir, name);
}

/* The tree as ast_print() writes it, kept in the arena. */
static const char *tree(struct fx *f, const struct ast_item *items)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	ast_print(items, m);
	fclose(m);
	char *s = arena_strdup(&f->a, buf);
	free(buf);
	return s;
}

static const char *parse_tree(struct fx *f, const char *text)
{
	struct ast_item *items = parse_string(&f->a, &f->dl, "t.pol", text);
	return tree(f, items);
}

static void dump_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		print_message("  diag %zu: %d:%d %s\n", i, dl->items[i]->loc.first_line,
			      dl->items[i]->loc.first_column, dl->items[i]->msg);
}

#define assert_no_diags(f)                                     \
	do {                                                   \
		if ((f)->dl.n != 0) {                          \
			dump_diags(&(f)->dl);                  \
			fail_msg("unexpected diagnostics");    \
		}                                              \
	} while (0)

/* ---- trees ---- */

static void test_one_line_block(void **state)
{
	struct fx *f = *state;
	const char *t = parse_tree(f,
		"network 2001:db8::/64 < allow tcp 22,80,443; allow icmp basic; >");
	assert_no_diags(f);
	assert_string_equal(t,
		"1:1 network 2001:db8::/64\n"
		"  1:25 accept tcp ports 22,80,443\n"
		"  1:46 accept icmp types basic\n");
}

static void test_multi_line_block_and_comments(void **state)
{
	struct fx *f = *state;
	const char *t = parse_tree(f,
		"# site.pol\n"
		"define admins = 2001:db8:ffff::/48, 2001:db8:eeee::7;\n"
		"define web    = http, https, 8080;   # the web ports\n"
		"\n"
		"network 2001:db8::/64 <\n"
		"    allow tcp ssh from admins;\n"
		"    allow tcp web;   # web\n"
		"    allow tcp 8000-8100;\n"
		"    allow udp 53;\n"
		"    allow icmp basic;\n"
		"    reject tcp 25;\n"
		"    deny from 2001:db8:bad::/48;\n"
		"    default drop log;\n"
		">  # end\n");
	assert_no_diags(f);
	assert_string_equal(t,
		"2:1 define admins = 2001:db8:ffff::/48,2001:db8:eeee::7\n"
		"3:1 define web = $http,$https,8080\n"
		"5:1 network 2001:db8::/64\n"
		"  6:5 accept tcp ports $ssh from $admins\n"
		"  7:5 accept tcp ports $web\n"
		"  8:5 accept tcp ports 8000-8100\n"
		"  9:5 accept udp ports 53\n"
		"  10:5 accept icmp types basic\n"
		"  11:5 reject tcp ports 25\n"
		"  12:5 drop any from 2001:db8:bad::/48\n"
		"  13:5 default drop log\n");
}

static void test_crlf_and_tabs(void **state)
{
	struct fx *f = *state;
	const char *t = parse_tree(f,
		"network 2001:db8::/64, 192.0.2.0/24 <\r\n"
		"\tallow tcp 22 log;\r\n"
		"\tdeny udp;\r\n"
		"# comment\r\n"
		"\tdefault accept;\r\n"
		">\r\n");
	assert_no_diags(f);
	assert_string_equal(t,
		"1:1 network 2001:db8::/64,192.0.2.0/24\n"
		"  2:2 accept tcp ports 22 log\n"
		"  3:2 drop udp\n"
		"  5:2 default accept\n");
}

static void test_defines_and_ranges(void **state)
{
	struct fx *f = *state;
	const char *t = parse_tree(f,
		"define p = 022, 1000-2000, ssh, other;\n"
		"define a = 2001:DB8::1, ::ffff:192.0.2.1, 10.0.0.0/8, others;\n"
		"network a, 2001:db8:1::/48 < allow udp 0-65535, p; >\n");
	assert_no_diags(f);
	assert_string_equal(t,
		"1:1 define p = 22,1000-2000,$ssh,$other\n"
		"2:1 define a = 2001:db8::1,::ffff:192.0.2.1,10.0.0.0/8,$others\n"
		"3:1 network $a,2001:db8:1::/48\n"
		"  3:30 accept udp ports 0-65535,$p\n");
}

static void test_icmp_lists_from_log(void **state)
{
	struct fx *f = *state;
	const char *t = parse_tree(f,
		"network ::/0 < allow icmp echo-request, 128, packet-too-big; allow icmp; "
		"allow icmp all; reject icmp 1 from ::1 log; >");
	assert_no_diags(f);
	assert_string_equal(t,
		"1:1 network ::/0\n"
		"  1:16 accept icmp types $echo-request,128,$packet-too-big\n"
		"  1:62 accept icmp\n"
		"  1:74 accept icmp types all\n"
		"  1:90 reject icmp types 1 from ::1 log\n");
}

static void test_from_and_default(void **state)
{
	struct fx *f = *state;
	const char *t = parse_tree(f,
		"network 192.0.2.0/24 <\n"
		"  default reject log;\n"
		"  deny from 198.51.100.0/24, bad;\n"
		"  reject tcp from 203.0.113.1 log;\n"
		"  allow udp 53 from ::/0;\n"
		">\n"
		"network 198.51.100.0/24 < default accept; >\n");
	assert_no_diags(f);
	assert_string_equal(t,
		"1:1 network 192.0.2.0/24\n"
		"  2:3 default reject log\n"
		"  3:3 drop any from 198.51.100.0/24,$bad\n"
		"  4:3 reject tcp from 203.0.113.1 log\n"
		"  5:3 accept udp ports 53 from ::/0\n"
		"7:1 network 198.51.100.0/24\n"
		"  7:27 default accept\n");
}

static void test_empty_and_comment_only(void **state)
{
	struct fx *f = *state;
	assert_null(parse_string(&f->a, &f->dl, "t.pol", ""));
	assert_null(parse_string(&f->a, &f->dl, "t.pol", "# nothing\n   \n\t# here\n"));
	assert_no_diags(f);
	assert_string_equal(parse_tree(f, "network ::/0 < >"), "1:1 network ::/0\n");
	assert_no_diags(f);
}

static void test_token_spans(void **state)
{
	struct fx *f = *state;
	struct ast_item *it = parse_string(&f->a, &f->dl, "t.pol",
		"define web = http;\nnetwork 2001:db8::/64 <\n  allow tcp 80-90;\n>\n");
	assert_no_diags(f);
	assert_non_null(it);
	assert_string_equal(it->name, "web");
	assert_int_equal(it->name_loc.first_line, 1);
	assert_int_equal(it->name_loc.first_column, 8);
	assert_int_equal(it->name_loc.last_column, 10);
	assert_string_equal(it->loc.file->path, "t.pol");
	struct ast_item *net = it->next;
	assert_non_null(net);
	assert_int_equal(net->kind, ITEM_NETWORK);
	assert_int_equal(net->targets->n, 1);
	const struct ast_value *pfx = net->targets->head;
	assert_int_equal(pfx->kind, VAL_ADDR);
	assert_int_equal(pfx->loc.first_column, 9);
	assert_int_equal(pfx->loc.last_column, 21);
	assert_int_equal(net->close_loc.first_line, 4);
	assert_int_equal(net->close_loc.first_column, 1);
	const struct ast_rule *r = net->rules.head;
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_TCP);
	assert_int_equal(r->proto_loc.first_line, 3);
	assert_int_equal(r->proto_loc.first_column, 9);
	const struct ast_value *range = r->ports->head;
	assert_int_equal(range->kind, VAL_RANGE);
	assert_int_equal(range->lo, 80);
	assert_int_equal(range->hi, 90);
	assert_int_equal(range->loc.first_column, 13);
	assert_int_equal(range->loc.last_column, 17);
	/* The rule spans from its verdict to its ';'. */
	assert_int_equal(r->loc.first_column, 3);
	assert_int_equal(r->loc.last_column, 18);
}

/* ---- the scanner alone, comments kept (d6c fmt) ---- */

static void test_comment_tokens(void **state)
{
	struct fx *f = *state;
	const char *text = "# top\ndefine a = 1;  # one \r\n\t#\n";
	struct src_file *file = src_from_string(&f->a, "t.pol", text, strlen(text));
	struct parse_ctx ctx = { .a = &f->a, .dl = &f->dl, .file = file, .keep_comments = true };
	void *scanner = parse_scanner_open(&ctx);
	assert_non_null(scanner);
	static const struct {
		int kind;
		const char *text;
		int line, column;
	} want[] = {
		{ TOK_COMMENT, "# top", 1, 1 }, { TOK_DEFINE, "define", 2, 1 }, { TOK_NAME, "a", 2, 8 },
		{ '=', "=", 2, 10 }, { TOK_NUMBER, "1", 2, 12 }, { ';', ";", 2, 13 },
		{ TOK_COMMENT, "# one \r", 2, 16 }, { TOK_COMMENT, "#", 3, 2 },
	};
	D6C_YYSTYPE val;
	struct loc loc;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(d6c_yylex(&val, &loc, scanner), want[i].kind);
		assert_int_equal(d6c_yyget_leng(scanner), strlen(want[i].text));
		assert_memory_equal(d6c_yyget_text(scanner), want[i].text, strlen(want[i].text));
		assert_int_equal(loc.first_line, want[i].line);
		assert_int_equal(loc.first_column, want[i].column);
	}
	assert_int_equal(d6c_yylex(&val, &loc, scanner), TOK_YYEOF);
	parse_scanner_close(scanner);
	assert_no_diags(f);
	assert_memory_equal(file->text, text, strlen(text) + 1);

	/* Without the mode comments are skipped: the parser never sees one. */
	ctx = (struct parse_ctx){ .a = &f->a, .dl = &f->dl, .file = file };
	scanner = parse_scanner_open(&ctx);
	assert_int_equal(d6c_yylex(&val, &loc, scanner), TOK_DEFINE);
	parse_scanner_close(scanner);
}

/* ---- includes ---- */

static void test_include_node(void **state)
{
	struct fx *f = *state;
	write_file(f, "inc.pol", "define x = 22;\nnetwork 10.0.0.0/8 < allow tcp x; >\n");
	struct ast_item *items = parse_string(&f->a, &f->dl, in_dir(f, "main.pol"),
		"include \"inc.pol\";\nnetwork ::/0 < allow udp; >\n");
	assert_no_diags(f);
	assert_string_equal(tree(f, items),
		"1:1 include \"inc.pol\"\n"
		"1:1 define x = 22\n"
		"2:1 network 10.0.0.0/8\n"
		"  2:22 accept tcp ports $x\n"
		"end include\n"
		"2:1 network ::/0\n"
		"  2:16 accept udp\n");
	assert_int_equal(items->kind, ITEM_INCLUDE);
	assert_string_equal(items->path, "inc.pol");
	assert_int_equal(items->path_loc.first_column, 9);
	const struct src_file *inc = items->file;
	assert_non_null(inc);
	assert_int_equal(inc->depth, 1);
	assert_non_null(inc->parent);
	assert_int_equal(inc->included_at.first_line, 1);
	assert_string_equal(inc->path, in_dir(f, "inc.pol"));
	assert_ptr_equal(items->body->loc.file, inc);
}

static void test_include_missing(void **state)
{
	struct fx *f = *state;
	write_file(f, "unused.pol", "");
	struct ast_item *items = parse_string(&f->a, &f->dl, in_dir(f, "main.pol"),
		"network ::/0 < allow udp; >\ninclude \"nope.pol\";\n");
	assert_int_equal(f->dl.nerrors, 1);
	const struct diag *d = f->dl.items[0];
	assert_int_equal(d->loc.first_line, 2);
	assert_int_equal(d->loc.first_column, 9);
	assert_non_null(strstr(d->msg, "cannot read included file"));
	assert_non_null(strstr(d->msg, "nope.pol"));
	assert_string_equal(tree(f, items),
		"1:1 network ::/0\n  1:16 accept udp\n2:1 include \"nope.pol\"\nend include\n");
}

static void test_include_cycle(void **state)
{
	struct fx *f = *state;
	write_file(f, "a.pol", "include \"b.pol\";\n");
	write_file(f, "b.pol", "network ::/0 < allow udp; >\ninclude \"a.pol\";\n");
	bool unreadable = true;
	struct ast_item *items = parse_file(&f->a, &f->dl, in_dir(f, "a.pol"), &unreadable);
	assert_false(unreadable);
	assert_non_null(items);
	assert_int_equal(f->dl.nerrors, 1);
	const struct diag *d = f->dl.items[0];
	/* Reported at the include that closes the cycle, in b.pol. */
	assert_non_null(d->loc.file);
	assert_string_equal(d->loc.file->path, in_dir(f, "b.pol"));
	assert_int_equal(d->loc.first_line, 2);
	assert_int_equal(d->loc.first_column, 9);
	assert_non_null(strstr(d->msg, "include cycle"));
}

static void test_include_self(void **state)
{
	struct fx *f = *state;
	const char *path = write_file(f, "self.pol", "include \"self.pol\";\n");
	bool unreadable = true;
	parse_file(&f->a, &f->dl, path, &unreadable);
	assert_false(unreadable);
	assert_int_equal(f->dl.nerrors, 1);
	assert_int_equal(f->dl.items[0]->loc.first_line, 1);
	assert_int_equal(f->dl.items[0]->loc.first_column, 9);
	assert_non_null(strstr(f->dl.items[0]->msg, "include cycle"));
}

/* web.pol and db.pol both include common.pol: it is read once, where
 * web.pol includes it, and db.pol's include of it is left empty. */
static void test_include_diamond(void **state)
{
	struct fx *f = *state;
	write_file(f, "common.pol", "define admins = 2001:db8:ffff::/48;\n");
	write_file(f, "web.pol", "include \"common.pol\";\nnetwork 2001:db8:a::/64 < allow tcp 22 from admins; >\n");
	write_file(f, "db.pol", "include \"./common.pol\";\nnetwork 2001:db8:b::/64 < allow tcp 5432 from admins; >\n");
	const char *site = write_file(f, "site.pol", "include \"web.pol\";\ninclude \"db.pol\";\n");
	bool unreadable = true;
	struct ast_item *items = parse_file(&f->a, &f->dl, site, &unreadable);
	assert_false(unreadable);
	assert_no_diags(f);
	assert_string_equal(tree(f, items),
		"1:1 include \"web.pol\"\n"
		"1:1 include \"common.pol\"\n"
		"1:1 define admins = 2001:db8:ffff::/48\n"
		"end include\n"
		"2:1 network 2001:db8:a::/64\n"
		"  2:27 accept tcp ports 22 from $admins\n"
		"end include\n"
		"2:1 include \"db.pol\"\n"
		"1:1 include \"./common.pol\"\n"
		"end include\n"
		"2:1 network 2001:db8:b::/64\n"
		"  2:27 accept tcp ports 5432 from $admins\n"
		"end include\n");
	const struct ast_item *db_common = items->next->body;
	assert_null(db_common->file);
	assert_null(db_common->body);
}

/* A glob is one include item a matching file, in byte order ("B" before
 * "a"), all at the statement's place; a glob that matches nothing is no
 * error and leaves its item empty. */
static void test_include_glob(void **state)
{
	struct fx *f = *state;
	write_file(f, "inc-b.pol", "define b = 2;\n");
	write_file(f, "inc-B.pol", "define B = 1;\n");
	write_file(f, "inc-a.pol", "define a = 3;\n");
	const char *main_pol = write_file(f, "main.pol",
		"include \"inc-*.pol\";\ninclude \"none-*.pol\";\ninclude \"inc-[ab].pol\";\n");
	bool unreadable = true;
	struct ast_item *items = parse_file(&f->a, &f->dl, main_pol, &unreadable);
	assert_no_diags(f);
	assert_string_equal(tree(f, items),
		"1:1 include \"inc-*.pol\"\n"
		"1:1 define B = 1\n"
		"end include\n"
		"1:1 include \"inc-*.pol\"\n"
		"1:1 define a = 3\n"
		"end include\n"
		"1:1 include \"inc-*.pol\"\n"
		"1:1 define b = 2\n"
		"end include\n"
		"2:1 include \"none-*.pol\"\n"
		"end include\n"
		"3:1 include \"inc-[ab].pol\"\n"
		"end include\n"
		"3:1 include \"inc-[ab].pol\"\n"
		"end include\n");
	assert_string_equal(items->file->path, in_dir(f, "inc-B.pol"));
	assert_int_equal(items->file->match, 0);
	assert_string_equal(items->next->next->file->path, in_dir(f, "inc-b.pol"));
	assert_int_equal(items->next->next->file->match, 2);
	assert_int_equal(items->next->next->loc.first_line, 1);
}

/* A glob that matches the file that holds it closes a cycle; the other
 * files it matches are read. */
static void test_include_glob_cycle(void **state)
{
	struct fx *f = *state;
	write_file(f, "p-1.pol", "define one = 1;\n");
	const char *p2 = write_file(f, "p-2.pol", "include \"p-*.pol\";\n");
	bool unreadable = true;
	struct ast_item *items = parse_file(&f->a, &f->dl, p2, &unreadable);
	assert_int_equal(f->dl.n, 1);
	const struct diag *d = f->dl.items[0];
	assert_int_equal(d->code, DC_INCLUDE_CYCLE);
	assert_int_equal(d->loc.first_column, 9);
	assert_string_equal(d->msg, arena_printf(&f->a, "include cycle: '%s' is already being read",
						 in_dir(f, "p-2.pol")));
	assert_non_null(items->body);
	assert_null(items->next->body);
}

static void test_parse_file_unreadable(void **state)
{
	struct fx *f = *state;
	bool unreadable = false;
	assert_null(parse_file(&f->a, &f->dl, "/nonexistent/d6c/policy.pol", &unreadable));
	assert_true(unreadable);
	assert_int_equal(f->dl.nerrors, 1);
	assert_null(f->dl.items[0]->loc.file);
	assert_non_null(strstr(f->dl.items[0]->msg, "/nonexistent/d6c/policy.pol"));
}

/* ---- syntax and lexical errors ---- */

struct bad {
	const char *text;
	int nerrors;
	int line, column;     /* of the first error queued */
	const char *msg;      /* substring of its message */
	const char *msg2;     /* another substring, or NULL */
};

static const struct bad bad_cases[] = {
	{ "define = 22;", 1, 1, 8, "unexpected '='", "expected name" },
	{ "define tcp = 1;", 1, 1, 8, "unexpected 'tcp'",
	  "'tcp' is a keyword and cannot be used as a name" },
	{ "Network ::/0 < >", 1, 1, 1, "unexpected name 'Network'",
	  "keywords are lower case: did you mean 'network'?" },
	{ "network 2001:db8::/64 < allow tcp 22 >", 1, 1, 38, "unexpected '>'", "';'" },
	{ "network 2001:db8::/64 <\n    allow tcp 22\n    allow udp 53;\n>\n", 1, 3, 5,
	  "unexpected 'allow'", "(is a ';' missing at the end of line 2?)" },
	{ "define a = 1\nnetwork ::/0 < allow tcp a; >\n", 1, 2, 1, "unexpected 'network'",
	  "(is a ';' missing at the end of line 1?)" },
	{ "network 2001:db8::/64 <\n  allow tcp 22;\n", 1, 2, 16, "unexpected end of file",
	  "(to close '<' at line 1)" },
	{ "network 2001:db8::/64 <\n  allow tcp 22;\n\n\n", 1, 2, 16, "unexpected end of file",
	  NULL },
	{ "define x 2;\ndefine = 1;\n", 2, 1, 10, "unexpected number 2", "expected '='" },
	{ "network ::/0 < allow tcp 070000x; >", 1, 1, 32, "unexpected name 'x'", NULL },
	{ "network 2001:db8::/64 < allow tcp 22 @; >", 1, 1, 38, "unexpected character '@'",
	  NULL },
	{ "network ::/0 < allow tcp 22\xff; >", 1, 1, 28, "unexpected byte 0xff", NULL },
	{ "network 2001:db8::1/64 < allow tcp 22; >", 1, 1, 9,
	  "host bits set in 2001:db8::1/64; did you mean 2001:db8::/64?", NULL },
	{ "network 192.0.2.010 < allow tcp 22; >", 1, 1, 9,
	  "'192.0.2.010' is not a valid IPv4 address", NULL },
	{ "network 2001:db8:::1 < allow tcp 22; >", 1, 1, 9, "not a valid IPv6 address", NULL },
	{ "network ::/129 < >", 1, 1, 9, "out of range for IPv6 (0-128)", NULL },
	{ "include \"foo;\n", 2, 1, 9, "string is not closed on its line", NULL },
	{ "network ::/0 < allow tcp 22; > >", 1, 1, 32, "unexpected '>'", NULL },
	{ "allow tcp 22;", 1, 1, 1, "unexpected 'allow'", NULL },
	{ "network ::/0 < default allow; >", 1, 1, 24, "unexpected 'allow'", NULL },
};

static void test_syntax_errors(void **state)
{
	struct fx *f = *state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *c = &bad_cases[i];
		struct diag_list dl;
		diag_init(&dl, &f->a);
		parse_string(&f->a, &dl, "t.pol", c->text);
		if (dl.nerrors != c->nerrors || dl.n == 0) {
			dump_diags(&dl);
			fail_msg("case %zu '%s': %d errors, want %d", i, c->text, dl.nerrors,
				 c->nerrors);
		}
		const struct diag *d = dl.items[0];
		if (d->sev != DIAG_ERROR || d->loc.first_line != c->line ||
		    d->loc.first_column != c->column || !strstr(d->msg, c->msg) ||
		    (c->msg2 && !strstr(d->msg, c->msg2))) {
			dump_diags(&dl);
			fail_msg("case %zu '%s': want %d:%d '%s' / '%s'", i, c->text, c->line,
				 c->column, c->msg, c->msg2 ? c->msg2 : "");
		}
	}
}

/* A missing ';' costs one error: the next statement is still read. */
static void test_recovery_keeps_later_statements(void **state)
{
	struct fx *f = *state;
	struct ast_item *items = parse_string(&f->a, &f->dl, "t.pol",
		"define x 2;\n"
		"network 2001:db8::/64 <\n"
		"    allow tcp 22\n"
		"    allow udp 53;\n"
		">\n"
		"network 192.0.2.0/24 < allow tcp 80; >\n");
	assert_int_equal(f->dl.nerrors, 2);
	assert_int_equal(f->dl.items[0]->loc.first_line, 1);
	assert_int_equal(f->dl.items[1]->loc.first_line, 4);
	const char *t = tree(f, items);
	assert_non_null(strstr(t, "  4:5 accept udp ports 53\n"));
	assert_non_null(strstr(t, "6:1 network 192.0.2.0/24\n  6:24 accept tcp ports 80\n"));
}

/* A block whose only rule failed to parse is marked, so sema does not also
 * call it empty. */
static void test_broken_rule_marks_block(void **state)
{
	struct fx *f = *state;
	struct ast_item *items = parse_string(&f->a, &f->dl, "t.pol",
		"network ::/0 < allow; >\nnetwork 10.0.0.0/8 < >\n");
	assert_int_equal(f->dl.nerrors, 1);
	assert_int_equal(f->dl.items[0]->loc.first_line, 1);
	assert_int_equal(f->dl.items[0]->loc.first_column, 21);
	assert_non_null(strstr(f->dl.items[0]->msg, "unexpected ';'"));
	assert_non_null(items);
	assert_non_null(items->next);
	assert_null(items->rules.head);
	assert_true(items->rules.had_error);
	assert_false(items->next->rules.had_error);
}

static void test_lexical_errors_do_not_stop_parsing(void **state)
{
	struct fx *f = *state;
	const char *t = parse_tree(f,
		"network 2001:db8::1/64 < allow tcp 22 @; >\n"
		"network 192.0.2.0/24 < allow udp 53; >\n");
	assert_int_equal(f->dl.nerrors, 2);
	assert_int_equal(f->dl.items[0]->loc.first_column, 9);
	assert_int_equal(f->dl.items[1]->loc.first_column, 39);
	assert_string_equal(t,
		"1:1 network <bad>\n"
		"  1:26 accept tcp ports 22\n"
		"2:1 network 192.0.2.0/24\n"
		"  2:24 accept udp ports 53\n");
}

static void test_utf8_character(void **state)
{
	struct fx *f = *state;
	parse_string(&f->a, &f->dl, "t.pol", "network ::/0 < allow tcp 22 \xc3\xa9; >");
	assert_int_equal(f->dl.nerrors, 1);
	assert_int_equal(f->dl.items[0]->loc.first_column, 29);
	assert_string_equal(f->dl.items[0]->msg, "unexpected character U+00E9 '\xc3\xa9'");
}

/* A pasted look-alike is one error, and the policy reads as if the ASCII
 * character stood there: the range, the string and the block are whole. */
static void test_lookalikes_read_as_meant(void **state)
{
	struct fx *f = *state;
	const char *t = parse_tree(f,
		"network ::/0 { allow tcp 8000\xe2\x80\x93" "8100\xef\xbc\x9b }\n"
		"include \xe2\x80\x9c" "inc.pol\xe2\x80\x9d;\n");
	/* '{', the dash, the ';', the quotes; then the include, which is read */
	assert_int_equal(f->dl.nerrors, 5);
	assert_non_null(strstr(f->dl.items[4]->msg, "cannot read included file"));
	assert_string_equal(f->dl.items[0]->msg, "unexpected character '{'; a block is written "
			    "with '<' and '>': network PREFIX < RULES >");
	assert_int_equal(f->dl.items[1]->loc.first_column, 30);
	assert_string_equal(f->dl.items[1]->msg,
			    "unexpected character U+2013 (en dash) '\xe2\x80\x93'; did you mean '-'?");
	assert_string_equal(f->dl.items[2]->msg, "unexpected character U+FF1B (fullwidth semicolon) "
			    "'\xef\xbc\x9b'; did you mean ';'?");
	assert_int_equal(f->dl.items[3]->loc.first_line, 2);
	assert_int_equal(f->dl.items[3]->loc.last_column, 21);
	assert_non_null(strstr(t, "1:16 accept tcp ports 8000-8100\n"));
	assert_non_null(strstr(t, "include \"inc.pol\""));
}

/* A path without quotes: one error that quotes it whole, none at its '.'. */
static void test_bare_include_path(void **state)
{
	struct fx *f = *state;
	parse_string(&f->a, &f->dl, "t.pol", "include inc/x.pol;\nnetwork ::/0 < allow tcp 22; >\n");
	assert_int_equal(f->dl.n, 1);
	assert_string_equal(f->dl.items[0]->msg,
			    "unexpected name 'inc'; expected string (write it in quotes: \"inc/x.pol\")");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_one_line_block),
		T(test_multi_line_block_and_comments),
		T(test_crlf_and_tabs),
		T(test_defines_and_ranges),
		T(test_icmp_lists_from_log),
		T(test_from_and_default),
		T(test_empty_and_comment_only),
		T(test_token_spans),
		T(test_comment_tokens),
		T(test_include_node),
		T(test_include_missing),
		T(test_include_cycle),
		T(test_include_self),
		T(test_include_diamond),
		T(test_include_glob),
		T(test_include_glob_cycle),
		T(test_parse_file_unreadable),
		T(test_syntax_errors),
		T(test_recovery_keeps_later_statements),
		T(test_broken_rule_marks_block),
		T(test_lexical_errors_do_not_stop_parsing),
		T(test_utf8_character),
		T(test_lookalikes_read_as_meant),
		T(test_bare_include_path),
	};
#undef T
	return cmocka_run_group_tests_name("lexer_parser", tests, NULL, NULL);
}

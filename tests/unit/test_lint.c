/*
 * test_lint.c - lint.c: shadowing judged cell by cell with the evaluator,
 * rules after a rule that matches everything, blocks covered by more
 * specific blocks, sources inside the block's own prefixes, and the bound
 * that keeps a huge rule from taking minutes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "compiler/addr.h"
#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/lint.h"
#include "compiler/parse.h"
#include "compiler/sema.h"
#include "compiler/eval.h"

#include "fixture.h"

static void dump_diags(const struct diag_list *dl)
{
	for (size_t i = 0; i < dl->n; i++)
		print_message("  %s %d:%d %s\n", dl->items[i]->sev == DIAG_ERROR ? "error" : "warning",
			      dl->items[i]->loc.first_line, dl->items[i]->loc.first_column,
			      dl->items[i]->msg);
}

/* Checks text (which must have no errors nor sema warnings) and lints it. */
static const struct sema_policy *lint(struct fx *f, const char *text)
{
	struct ast_item *items = parse_string(&f->a, &f->dl, "t.pol", text);
	const struct sema_policy *p = sema_check(&f->a, &f->dl, items, "t.pol");
	size_t icmp_numbers = 0;   /* sema's D6C-W019, which some cases are about */
	for (size_t i = 0; i < f->dl.n; i++)
		icmp_numbers += f->dl.items[i]->code == DC_W_ICMP_BOTH_FAMILIES;
	if (f->dl.n != icmp_numbers) {
		dump_diags(&f->dl);
		fail_msg("the policy itself has diagnostics");
	}
	lint_check(&f->dl, p);
	return p;
}

static void expect_warnings(struct fx *f, int n)
{
	if (f->dl.nerrors != 0 || f->dl.nwarnings != n) {
		dump_diags(&f->dl);
		fail_msg("%d errors and %d warnings, want 0 and %d", f->dl.nerrors,
			 f->dl.nwarnings, n);
	}
}

/* The warning whose message is msg exactly; checks its place. */
static const struct diag *expect_warning(struct fx *f, const char *msg, int line, int column)
{
	for (size_t i = 0; i < f->dl.n; i++) {
		const struct diag *d = f->dl.items[i];
		if (d->sev != DIAG_WARNING || strcmp(d->msg, msg) != 0)
			continue;
		if (d->loc.first_line != line || d->loc.first_column != column)
			fail_msg("'%s' at %d:%d, want %d:%d", msg, d->loc.first_line,
				 d->loc.first_column, line, column);
		return d;
	}
	dump_diags(&f->dl);
	fail_msg("no warning '%s'", msg);
	return NULL;
}

/* d's notes are at these lines, in order, each with message msg. */
static void expect_notes(const struct diag *d, const char *msg, const int *lines, int n)
{
	const struct diag *note = d->notes;
	for (int i = 0; i < n; i++, note = note->next_note) {
		if (!note)
			fail_msg("%d notes, want %d", i, n);
		assert_int_equal(note->loc.first_line, lines[i]);
		if (msg)
			assert_string_equal(note->msg, msg);
	}
	if (note)
		fail_msg("more than %d notes", n);
}

static char *port_list(int from, int to, int step)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	s[0] = '\0';
	for (int p = from; p <= to; p += step) {
		char one[16];
		int len = snprintf(one, sizeof(one), "%s%d", n ? "," : "", p);
		if (n + (size_t)len + 1 > cap) {
			cap = 2 * (n + (size_t)len + 1);
			char *more = realloc(s, cap);
			if (!more) {
				free(s);
				fail_msg("out of memory");
			}
			s = more;
		}
		memcpy(s + n, one, (size_t)len + 1);
		n += (size_t)len;
	}
	return s;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- shadowing ---- */

static void test_union_of_port_ranges(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 <\n"
	     "    allow tcp 1-100;\n"
	     "    allow tcp 101-200;\n"
	     "    deny tcp 50-150;\n"
	     ">\n");
	expect_warnings(f, 1);
	const struct diag *d = expect_warning(f,
		"rule can never match: the rules at lines 2 and 3 together already decide all "
		"its packets", 4, 5);
	const int lines[] = { 2, 3 };
	expect_notes(d, "one of the shadowing rules is here", lines, 2);
}

static void test_one_port_left(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 <\n"
	     "    allow tcp 1-100;\n"
	     "    allow tcp 102-200;\n"
	     "    deny tcp 50-150;\n"
	     "    allow udp 0-65534;\n"
	     "    deny udp;\n"
	     ">\n");
	expect_warnings(f, 0);
}

/* A single rule that covers it all is named alone, even when another rule
 * comes first for some of its packets. */
static void test_single_rule_preferred(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 <\n"
	     "    allow tcp 22;\n"
	     "    allow tcp;\n"
	     "    deny tcp 20-30;\n"
	     ">\n");
	expect_warnings(f, 2);
	const struct diag *d = expect_warning(f,
		"rule can never match: the rule at line 3 already decides all its packets", 4, 5);
	const int lines[] = { 3 };
	expect_notes(d, "shadowing rule is here", lines, 1);
	/* And line 2 changes nothing: without it, line 3 allows the same. */
	d = expect_warning(f, "rule is redundant: without it, the rule at line 3 gives every "
			      "packet it decides the same verdict (allow)", 2, 5);
	expect_notes(d, "the rule that would decide them is here", lines, 1);
}

/* Only the rules that decide some of its packets get a note: line 3 is
 * never first for tcp 22 from the /48. */
static void test_union_of_source_halves(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 <\n"
	     "    allow tcp 22 from 2001:db8:1::/49;\n"
	     "    allow tcp 22 from 2001:db8:1::/50;\n"
	     "    allow tcp 22 from 2001:db8:1:8000::/49;\n"
	     "    deny tcp 22 from 2001:db8:1::/48;\n"
	     ">\n");
	expect_warnings(f, 2);
	expect_warning(f, "rule can never match: the rule at line 2 already decides all its packets",
		       3, 5);
	const struct diag *d = expect_warning(f,
		"rule can never match: the rules at lines 2 and 4 together already decide all "
		"its packets", 5, 5);
	const int lines[] = { 2, 4 };
	expect_notes(d, NULL, lines, 2);
}

static void test_every_protocol_needs_other_protocols(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 <\n"
	     "    allow tcp;\n"
	     "    allow udp;\n"
	     "    allow icmp;\n"
	     "    deny from 2001:db8:bad::/48;\n"
	     "    deny from 2001:db8:bad::/64;\n"
	     ">\n");
	expect_warnings(f, 1);
	expect_warning(f, "rule can never match: the rule at line 5 already decides all its packets",
		       6, 5);
}

static void test_icmp_types_union(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 < allow icmp echo-request; allow icmp 129; deny icmp 128,129; >\n"
	     "network 192.0.2.0/24 < allow icmp echo-request; allow icmp 129; deny icmp 8,129; >\n"
	     "network 2001:db8:1::/64, 198.51.100.0/24 <\n"
	     "    allow icmp echo-request; allow icmp 129; deny icmp 128,129;\n"
	     ">\n");
	/* The third block's deny still decides ICMP (IPv4) type 128; that
	 * numbers match both families there is said at each (sema.c). */
	expect_warnings(f, 5);
	expect_warning(f, "ICMP type 128 matches both families in this dual-stack block: ICMPv6 "
			  "echo-request and ICMP (IPv4) type 128 (no name); a name (icmp "
			  "echo-request) matches each family's own number", 4, 56);
	expect_warning(f, "rule can never match: the rules at line 1 together already decide all "
			  "its packets", 1, 66);
	expect_warning(f, "rule can never match: the rules at line 2 together already decide all "
			  "its packets", 2, 65);
}

static void test_shadowed_in_one_family_only(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64, 192.0.2.0/24 <\n"
	     "    allow tcp 22 from ::/0;\n"
	     "    deny tcp 22;\n"
	     "    allow tcp 80 from 0.0.0.0/0;\n"
	     "    allow tcp 80 from ::/0;\n"
	     "    deny tcp 80;\n"
	     ">\n");
	expect_warnings(f, 1);
	expect_warning(f, "rule can never match: the rules at lines 4 and 5 together already "
			  "decide all its packets", 6, 5);
}

/* More than five lines are counted, not listed. */
static void test_many_shadowing_lines(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 <\n"
	     "    allow tcp 1;\n    allow tcp 2;\n    allow tcp 3;\n    allow tcp 4;\n"
	     "    allow tcp 5;\n    allow tcp 6;\n    allow tcp 7;\n"
	     "    deny tcp 1-7;\n"
	     ">\n");
	expect_warnings(f, 1);
	expect_warning(f, "rule can never match: the rules at lines 2, 3, 4, 5, 6 and 2 other "
			  "lines together already decide all its packets", 9, 5);
}

/* ---- rules after a rule that matches everything ---- */

static void test_match_all(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 <\n"
	     "    allow tcp 22;\n"
	     "    deny from ::/0;\n"
	     "    allow tcp 80;\n"
	     "    deny tcp 80;\n"
	     "    default reject;\n"
	     ">\n"
	     "network 2001:db8:1::/64, 192.0.2.0/24 < default accept; allow from ::/1, 8000::/1, 0.0.0.0/0; >\n"
	     "network 2001:db8:2::/64 < allow tcp 22; deny from ::/0; >\n"
	     "network 2001:db8:3::/64, 198.51.100.0/24 < allow from ::/0; allow tcp 22; >\n");
	expect_warnings(f, 3);
	/* In a block of both families, ::/0 decides only the IPv6 half. */
	const int lines10[] = { 10 };
	expect_notes(expect_warning(f, "IPv6 packets never reach this rule or the rules after it: "
				       "the rule at line 10 decides every IPv6 packet to this block",
				    10, 61),
		     "the rule that decides every IPv6 packet is here", lines10, 1);
	const struct diag *d = expect_warning(f,
		"rules after line 3 can never match: the rule at line 3 matches every packet to "
		"this block", 4, 5);
	const int lines[] = { 3, 6 };
	expect_notes(d, NULL, lines, 2);
	assert_string_equal(d->notes->next_note->msg, "this default never applies either");
	d = expect_warning(f,
		"this default never applies: the rule at line 8 matches every packet to this block",
		8, 41);
	const int lines8[] = { 8 };
	expect_notes(d, "the rule that matches every packet is here", lines8, 1);
}

/* ---- blocks no packet reaches ---- */

static const char *const COVERED =
	"network 2001:db8::/64 < allow tcp 22; >\n"
	"network 2001:db8::/65 < allow tcp 22; >\n"
	"network 2001:db8:0:0:8000::/66 < allow tcp 22; >\n"
	"network 2001:db8:0:0:c000::/66, 192.0.2.0/25 < allow tcp 22; >\n"
	"network 192.0.2.0/24, 2001:db8:1::/64 < allow tcp 22; >\n"
	"network 192.0.2.128/25 < allow tcp 22; >\n"
	"network 2001:db8:1::/65, 2001:db8:1:0:8000::/66 < allow tcp 22; >\n"
	"network ::/0 < allow tcp 22; >\n";

static void test_covered_blocks(void **state)
{
	struct fx *f = *state;
	const struct sema_policy *p = lint(f, COVERED);
	expect_warnings(f, 1);
	const char *msg = "no packet reaches this block: every one of its prefixes is covered by "
			  "more specific blocks";
	expect_warning(f, msg, 1, 1);
	/* The evaluator agrees: no address at the edges of any cell of the
	 * first block's /64 is owned by it. */
	const struct sema_block *owner;
	struct prefix net;
	assert_int_equal(addr_parse("2001:db8::/64", &net), ADDR_OK);
	const u128 quarter = ((u128)1 << 62);
	for (int i = 0; i < 4; i++) {
		u128 a = addr_first(&net) + quarter * (u128)i;
		eval_owner(p, FAM_IP6, a, NULL, 129, &owner);
		assert_ptr_not_equal(owner, &p->blocks[0]);
		eval_owner(p, FAM_IP6, a + quarter - 1, NULL, 129, &owner);
		assert_ptr_not_equal(owner, &p->blocks[0]);
	}
	/* Block 5 keeps 2001:db8:1:0:c000::/66, so it is reached. */
	assert_int_equal(addr_parse("2001:db8:1:0:c000::", &net), ADDR_OK);
	eval_owner(p, FAM_IP6, addr_first(&net), NULL, 129, &owner);
	assert_ptr_equal(owner, &p->blocks[4]);
}

/* ---- sources inside the block's own prefixes ---- */

static void test_own_sources(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "define inner = 2001:db8::5, 2001:db8:2::/48;\n"
	     "network 2001:db8::/64, 192.0.2.0/24 <\n"
	     "    allow tcp 22 from 2001:db8::/80, 2001:db8::/64;\n"
	     "    allow tcp 23 from 192.0.2.0/25, 192.0.2.0/23;\n"
	     "    allow tcp 24 from inner;\n"
	     ">\n"
	     "network 2001:db8::10 < allow tcp 5432 from 2001:db8::/64; >\n");
	expect_warnings(f, 5);
	/* The nested sources of lines 3 and 4 are said too (D6C-W018). */
	expect_warning(f, "source 2001:db8::/80 lies inside 2001:db8::/64, already in this rule", 3, 23);
	expect_warning(f, "source 192.0.2.0/25 lies inside 192.0.2.0/23, already in this rule", 4, 23);
	expect_warning(f, "source 2001:db8::/80 lies inside this block's own prefix 2001:db8::/64: "
			  "only hosts this block protects send from there, and traffic between "
			  "them does not usually pass through this router", 3, 23);
	expect_warning(f, "source 192.0.2.0/25 lies inside this block's own prefix 192.0.2.0/24: "
			  "only hosts this block protects send from there, and traffic between "
			  "them does not usually pass through this router", 4, 23);
	expect_warning(f, "source 2001:db8::5 lies inside this block's own prefix 2001:db8::/64: "
			  "only hosts this block protects send from there, and traffic between "
			  "them does not usually pass through this router", 5, 23);
}

/* ---- the bound ---- */

/* A thousand port ranges on each side: still judged, quickly. */
static void test_many_ports_judged(void **state)
{
	struct fx *f = *state;
	char *odd = port_list(1, 1999, 2), *even = port_list(2, 2000, 2);
	char *text = NULL;
	assert_true(asprintf(&text,
			     "network 2001:db8::/64 <\n  allow tcp %s;\n  allow tcp %s;\n"
			     "  deny tcp 1-2000;\n>\n", odd, even) > 0);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lint(f, text);
	assert_true(seconds_since(&t0) < 2.0);
	expect_warnings(f, 1);
	expect_warning(f, "rule can never match: the rules at lines 2 and 3 together already "
			  "decide all its packets", 4, 3);
	free(odd);
	free(even);
	free(text);
}

/* Ten thousand ports times a hundred sources is more cells than lint
 * tries: the rule is shadowed (line 3 decides it all) but gets no
 * warning, and lint does not take long to give up. */
static void test_cell_bound(void **state)
{
	struct fx *f = *state;
	char *odd = port_list(1, 19999, 2);
	size_t cap = 8192, n = 0;
	char *srcs = malloc(cap);
	assert_non_null(srcs);
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(srcs + n, cap - n, "%s2001:db8:%x::/48", i ? ", " : "", i);
	char *text = NULL;
	assert_true(asprintf(&text,
			     "network 2001:db8:ffff::/64 <\n  allow tcp %s;\n  allow tcp;\n"
			     "  deny tcp 1-20000 from %s;\n"
			     "  reject tcp %s from %s;\n>\n", odd, srcs, odd, srcs) > 0);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lint(f, text);
	assert_true(seconds_since(&t0) < 2.0);
	expect_warnings(f, 0);
	free(odd);
	free(srcs);
	free(text);
}

/* Earlier rules with ten thousand ports each would take minutes to ask
 * about every cell: lint gives up on each rule (no warning, though every
 * rule after the second is shadowed) instead. */
static void test_work_bound(void **state)
{
	struct fx *f = *state;
	char *odd = port_list(1, 19999, 2), *even = port_list(2, 20000, 2);
	size_t len = 64 + 12 * (strlen(odd) + 16);
	char *text = malloc(len);
	assert_non_null(text);
	size_t n = (size_t)snprintf(text, len, "network 2001:db8::/64 <\n");
	for (int i = 0; i < 6; i++)
		n += (size_t)snprintf(text + n, len - n, "  allow tcp %s;\n", i % 2 ? even : odd);
	snprintf(text + n, len - n, "  deny tcp 1-20000;\n>\n");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lint(f, text);
	assert_true(seconds_since(&t0) < 10.0);
	expect_warnings(f, 0);
	free(odd);
	free(even);
	free(text);
}

/* ---- rules that change nothing (D6C-W016) ---- */

static void test_redundant(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 <\n"
	     "    allow icmp echo-request from 2001:db8:5::/64;\n"
	     "    allow icmp basic;\n"
	     ">\n"
	     "network 2001:db8:1::/64 < allow tcp 22-23; allow tcp 20-22; allow tcp 23-25; >\n");
	expect_warnings(f, 2);
	const struct diag *d = expect_warning(f, "rule is redundant: without it, the rule at line 3 "
					 "gives every packet it decides the same verdict (allow)", 2, 5);
	const int lines3[] = { 3 };
	expect_notes(d, "the rule that would decide them is here", lines3, 1);
	/* Two later rules together, on one line: named once. */
	d = expect_warning(f, "rule is redundant: without it, the rules at line 5 give every packet "
			      "it decides the same verdict (allow)", 5, 27);
	const int lines5[] = { 5, 5 };
	expect_notes(d, "one of the rules that would decide them is here", lines5, 2);
}

/* A log is an effect: a rule that logs, or whose packets a logging rule
 * would take over, changes something.  So does a rule between that decides
 * some of the packets otherwise, and the default never stands in. */
static void test_not_redundant(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 < allow tcp 22 log; allow tcp; >\n"
	     "network 2001:db8:1::/64 < allow tcp 22; allow tcp log; >\n"
	     "network 2001:db8:2::/64 < allow tcp 22 from 2001:db8::/32; deny tcp 20-30; allow tcp; >\n"
	     "network 2001:db8:3::/64 < deny tcp 23; default drop; >\n"
	     "network 2001:db8:4::/64 < deny tcp 23; >\n"
	     "network 2001:db8:5::/64 < reject tcp 23; deny tcp; >\n"
	     "network 2001:db8:6::/64, 192.0.2.0/24 < allow tcp 22; allow tcp 22, 80 from ::/0; >\n"
	     /* Line 8's second rule can never match (W001), but only because
	      * the first is there: without the first, it would log. */
	     "network 2001:db8:7::/64 < allow tcp 22; allow tcp 22 log; allow tcp; >\n");
	expect_warnings(f, 1);
	expect_warning(f, "rule can never match: the rule at line 8 already decides all its packets",
		       8, 41);
}

/* Each warning holds with the others' rules removed too: of two copies
 * only the second is told (it can never match), and a rule whose
 * replacement is itself redundant is judged without it. */
static void test_redundant_together(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64 < allow tcp 22; allow tcp 22; >\n"
	     "network 2001:db8:1::/64 <\n"
	     "    allow tcp 22;\n"
	     "    allow tcp 22, 80;\n"
	     "    deny tcp 20-30;\n"
	     "    allow tcp 80-81;\n"
	     ">\n");
	expect_warnings(f, 2);
	expect_warning(f, "rule can never match: the rule at line 1 already decides all its packets",
		       1, 39);
	/* Line 4 alone would look redundant too (its tcp 80 goes to line 6),
	 * but without line 3 its tcp 22 would go to line 5's deny. */
	expect_warning(f, "rule is redundant: without it, the rule at line 4 gives every packet it "
			  "decides the same verdict (allow)", 3, 5);
}

/* ---- a rule that decides a whole family (D6C-W017) ---- */

static void test_after_family_all(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64, 192.0.2.0/24 <\n"
	     "    allow tcp 80;\n"
	     "    deny from ::/0;\n"
	     "    allow tcp 22 from 2001:db8:1::/48;\n"
	     "    allow tcp 23 from 2001:db8:1::/48;\n"
	     "    allow tcp 25;\n"
	     ">\n"
	     "network 2001:db8:1::/64 < deny from ::/0; allow tcp 22; >\n"
	     "network 2001:db8:2::/64, 198.51.100.0/24 < deny from 0.0.0.0/0; allow tcp 22 from ::/0; >\n");
	/* One warning for the IPv6 halves after line 3 (the IPv6-only rules
	 * get none of their own); an IPv6-only block keeps D6C-W003; an IPv4
	 * rule before IPv6-only ones hides nothing. */
	expect_warnings(f, 2);
	const struct diag *d = expect_warning(f, "IPv6 packets never reach this rule or the rules "
					 "after it: the rule at line 3 decides every IPv6 packet to "
					 "this block", 4, 5);
	const int lines[] = { 3 };
	expect_notes(d, "the rule that decides every IPv6 packet is here", lines, 1);
	expect_warning(f, "this rule and those after it can never match: the rule at line 8 "
			  "matches every packet to this block", 8, 43);
}

/* ---- nested sources (D6C-W018) ---- */

static void test_nested_sources(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "define both = 2001:db8:7::/48, 2001:db8:7:1::/64;\n"
	     "define wide = 2001:db8:8::/48;\n"
	     "network 2001:db8::/64, 192.0.2.0/24 <\n"
	     "    allow tcp 22 from 2001:db8:1:2::/64, 2001:db8:1::/48, 198.51.100.7;\n"
	     "    allow tcp 23 from 198.51.100.0/24, 203.0.113.0/24, 198.51.100.7;\n"
	     "    allow tcp 24 from both;\n"
	     "    allow tcp 25 from wide, 2001:db8:8:1::/64;\n"
	     "    allow tcp 26 from 2001:db8:9::/48, 2001:db8:a::/48;\n"
	     ">\n");
	expect_warnings(f, 3);
	const struct diag *d = expect_warning(f, "source 2001:db8:1:2::/64 lies inside "
					 "2001:db8:1::/48, already in this rule", 4, 23);
	const int lines4[] = { 4 };
	expect_notes(d, "the larger source is here", lines4, 1);
	assert_int_equal(d->notes->loc.first_column, 42);
	expect_warning(f, "source 198.51.100.7 lies inside 198.51.100.0/24, already in this rule",
		       5, 56);
	/* Both from one define: the define's business, not every rule's. */
	d = expect_warning(f, "source 2001:db8:8:1::/64 lies inside 2001:db8:8::/48, already in "
			      "this rule", 7, 29);
	const int lines7[] = { 7 };   /* a define's values stand where its name does */
	expect_notes(d, "the larger source is here", lines7, 1);
}

/* ---- ICMP numbers in a block of both families (D6C-W019) ---- */

static void test_icmp_numbers(void **state)
{
	struct fx *f = *state;
	lint(f,
	     "network 2001:db8::/64, 192.0.2.0/24 <\n"
	     "    allow icmp 128;\n"
	     "    allow icmp 3, 200;\n"
	     "    allow icmp 8;\n"
	     "    allow icmp 129 from 2001:db8:1::/48;\n"
	     "    allow icmp nd-neighbor-solicit;\n"
	     ">\n"
	     "network 2001:db8:1::/64 < allow icmp 128; >\n"
	     "network 198.51.100.0/24 < allow icmp 128; >\n");
	expect_warnings(f, 3);
	expect_warning(f, "ICMP type 128 matches both families in this dual-stack block: ICMPv6 "
			  "echo-request and ICMP (IPv4) type 128 (no name); a name (icmp "
			  "echo-request) matches each family's own number", 2, 16);
	expect_warning(f, "ICMP type 3 matches both families in this dual-stack block: ICMPv6 "
			  "time-exceeded and ICMP (IPv4) destination-unreachable; a name (icmp "
			  "time-exceeded) matches each family's own number", 3, 16);
	expect_warning(f, "ICMP type 8 matches both families in this dual-stack block: ICMPv6 "
			  "type 8 (no name) and ICMP (IPv4) echo-request; a name (icmp "
			  "echo-request) matches each family's own number", 4, 16);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_union_of_port_ranges),
		T(test_one_port_left),
		T(test_single_rule_preferred),
		T(test_union_of_source_halves),
		T(test_every_protocol_needs_other_protocols),
		T(test_icmp_types_union),
		T(test_shadowed_in_one_family_only),
		T(test_many_shadowing_lines),
		T(test_match_all),
		T(test_covered_blocks),
		T(test_own_sources),
		T(test_redundant),
		T(test_not_redundant),
		T(test_redundant_together),
		T(test_after_family_all),
		T(test_nested_sources),
		T(test_icmp_numbers),
		T(test_many_ports_judged),
		T(test_cell_bound),
		T(test_work_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

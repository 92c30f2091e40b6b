/*
 * test_counters.c - counters.c: live counter values matched to the policy
 * lines of a compiled policy (d6c stats), with no kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/counters.h"
#include "compiler/ir.h"
#include "compiler/parse.h"
#include "compiler/sema.h"

#include "fixture.h"

static const char POLICY[] =
	"network 2001:db8::/64 <\n"          /* 1: invalid drop, implicit default */
	"    allow tcp 22, 80;\n"             /* 2: two rules */
	"    allow icmp basic;\n"             /* 3: eight rules */
	">\n"
	"network 2001:db8:1::/64 < allow tcp 22, 80; allow icmp basic; >\n";  /* 5: shares net_1 */

static const struct ir_policy *lower_text(struct fx *f, const char *policy)
{
	struct ast_item *items = parse_string(&f->a, &f->dl, "t.pol", policy);
	const struct sema_policy *p = sema_check(&f->a, &f->dl, items, "t.pol");
	assert_int_equal(f->dl.nerrors, 0);
	struct ir_options opt = { .counters = true };
	const struct ir_policy *ir = ir_lower(&f->a, p, &opt);
	assert_non_null(ir);
	return ir;
}

static const struct ir_policy *lower(struct fx *f)
{
	return lower_text(f, POLICY);
}

/* Every counter ir names, each with packets i and bytes 100 i. */
static struct counter_value *values(struct fx *f, const struct ir_policy *ir)
{
	struct counter_value *v = arena_alloc(&f->a, sizeof(*v) * (size_t)ir->ncounters);
	for (int i = 0; i < ir->ncounters; i++)
		v[i] = (struct counter_value){ ir->counter_list[i].name, (uint64_t)i,
					       (uint64_t)i * 100 };
	return v;
}

static uint64_t packets_of(const struct ir_policy *ir, const char *name)
{
	for (int i = 0; i < ir->ncounters; i++)
		if (strcmp(ir->counter_list[i].name, name) == 0)
			return (uint64_t)i;
	fail_msg("no counter %s", name);
	return 0;
}

static void test_lines_summed(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f);
	struct counter_report r;
	counters_match(&f->a, ir, values(f, ir), ir->ncounters, &r);
	assert_int_equal(r.nmissing + r.nextra, 0);
	assert_int_equal(r.nlines, 4);
	/* line 1: the invalid drop (net_1_1) and the default (net_1_12) */
	assert_int_equal(r.lines[0].line, 1);
	assert_string_equal(r.lines[0].text, "network 2001:db8::/64 <");
	assert_int_equal(r.lines[0].ncounters, 2);
	assert_true(r.lines[0].packets == packets_of(ir, "net_1_1") + packets_of(ir, "net_1_12"));
	/* line 2: tcp 22 and tcp 80, as written, without indentation */
	assert_int_equal(r.lines[1].line, 2);
	assert_string_equal(r.lines[1].text, "allow tcp 22, 80;");
	assert_int_equal(r.lines[1].ncounters, 2);
	assert_true(r.lines[1].bytes == 100 * (packets_of(ir, "net_1_2") + packets_of(ir, "net_1_3")));
	assert_int_equal(r.lines[2].ncounters, 8);
	/* line 5: the second block, counted with the first */
	assert_int_equal(r.lines[3].line, 5);
	assert_int_equal(r.lines[3].ncounters, 0);
	assert_non_null(r.lines[3].counted_with);
	assert_int_equal(r.lines[3].counted_with->first_line, 1);
	/* table-wide: the forward chain's four rules and the route check */
	assert_int_equal(r.nwide, 5);
	assert_string_equal(r.wide[0].counter, "forward_1");
	assert_true(r.wide[2].packets == packets_of(ir, "forward_3"));
	assert_string_equal(r.wide[4].counter, "source_route_1");
}

/* A limited log is a rule of its own, without a counter: its line counts
 * the rule after it, once. */
static void test_log_rule_uncounted(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower_text(f, "network 2001:db8::/64 <\n"
						   "    reject tcp 25 log;\n"
						   "    default drop log;\n"
						   ">\n");
	struct counter_report r;
	counters_match(&f->a, ir, values(f, ir), ir->ncounters, &r);
	assert_int_equal(r.nmissing + r.nextra, 0);
	assert_int_equal(r.nlines, 3);
	assert_int_equal(r.lines[1].line, 2);
	assert_int_equal(r.lines[1].ncounters, 1);   /* the reject, not its log */
	assert_int_equal(r.lines[2].line, 3);
	assert_int_equal(r.lines[2].ncounters, 1);   /* the drop, not its log */
	assert_true(r.lines[2].packets == packets_of(ir, "net_1_5"));
}

static void test_mismatch(void **state)
{
	struct fx *f = *state;
	const struct ir_policy *ir = lower(f);
	struct counter_value *v = values(f, ir);
	struct counter_report r;
	/* one missing */
	counters_match(&f->a, ir, v + 1, ir->ncounters - 1, &r);
	assert_int_equal(r.nmissing, 1);
	assert_string_equal(r.missing[0], ir->counter_list[0].name);
	assert_int_equal(r.nextra, 0);
	assert_int_equal(r.nlines, 0);
	/* one the policy does not name */
	v[0].name = "net_9_1";
	counters_match(&f->a, ir, v, ir->ncounters, &r);
	assert_int_equal(r.nmissing, 1);
	assert_int_equal(r.nextra, 1);
	assert_string_equal(r.extra[0], "net_9_1");
	/* none at all */
	counters_match(&f->a, ir, v, 0, &r);
	assert_int_equal(r.nmissing, ir->ncounters);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_lines_summed),
		T(test_log_rule_uncounted),
		T(test_mismatch),
	};
#undef T
	return cmocka_run_group_tests_name("counters", tests, NULL, NULL);
}

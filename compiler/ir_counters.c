/*
 * ir_counters.c - naming a counter for every rule of the table.
 *
 * With counters on, each rule that decides something carries a named
 * counter: the forward chain's rules (the source check's lookups, the
 * routing-header lookup, the replies, the dispatch), the source checks'
 * drops, IR_ACCEPT_ANY_CHAIN's accepts, and every rule of every block's
 * chain (its invalid drop, its rules, its default).  Named, not anonymous:
 * nftables 1.0.6 resets named counters only (`reset counters table`).
 *
 * A name is <chain>_<rule number, from 1>, numbered as the backends write
 * the chain, so it follows from the IR alone: `d6c stats` compiles the
 * policy again and finds each rule's counter, and so its policy line,
 * without storing anything beside the ruleset.
 */
#include "ir.h"
#include "arena.h"

struct list {
	struct arena *a;
	struct ir_policy *ir;
	int cap;
};

static const char *add(struct list *l, const char *chain, int number, const struct loc *loc,
		       const char *what)
{
	const char *name = arena_printf(l->a, "%s_%d", chain, number);
	size_t n = (size_t)l->ir->ncounters, cap = (size_t)l->cap;
	ARENA_PUSH(l->a, l->ir->counter_list, n, cap);
	l->ir->counter_list[n - 1] = (struct ir_counter){ name, loc, what };
	l->ir->ncounters = (int)n;
	l->cap = (int)cap;
	return name;
}

void ir_name_counters(struct arena *a, struct ir_policy *ir)
{
	struct list l = { a, ir, 0 };
	int k = 0;
	ir->counters = true;
	/* The forward chain, in the order emit_text.c writes it.  A lookup
	 * rule's counter counts every packet that reaches it, mapped or not. */
	if (ir->sources6.n)
		ir->counter_sources6 = add(&l, "forward", ++k, NULL,
			"IPv6 packets looked up in the source check (sources6)");
	if (ir->sources4.n)
		ir->counter_sources4 = add(&l, "forward", ++k, NULL,
			"IPv4 packets looked up in the source check (sources4)");
	if (ir->dispatch6.n)
		ir->counter_rthdr = add(&l, "forward", ++k, NULL,
			"IPv6 packets with a routing header, sent to their block");
	ir->counter_replies = add(&l, "forward", ++k, NULL,
		"replies to allowed connections, accepted");
	if (ir->dispatch6.n)
		ir->counter_dispatch6 = add(&l, "forward", ++k, NULL,
			"IPv6 packets looked up in the networks (dispatch6)");
	if (ir->dispatch4.n)
		ir->counter_dispatch4 = add(&l, "forward", ++k, NULL,
			"IPv4 packets looked up in the networks (dispatch4)");
	if (ir->accept_mask) {
		ir->counter_any_docker = add(&l, IR_ACCEPT_ANY_CHAIN, 1, NULL,
			"accepted from a Docker bridge, unmarked (Docker's isolation decides)");
		ir->counter_any_mark = add(&l, IR_ACCEPT_ANY_CHAIN, 2, NULL,
			"accepted and marked for Docker's chains");
	}
	for (int i = 0; i < ir->nchecks; i++) {
		struct ir_check *c = &ir->checks[i];
		c->counter = add(&l, c->name, 1, NULL, c->via
			? arena_printf(a, "forged sources dropped: %s", c->chain_comment)
			: "forged sources dropped: the route to the source leaves by another interface");
	}
	for (int i = 0; i < ir->nchains; i++) {
		struct ir_chain *c = &ir->chains[i];
		for (int j = 0; j < c->nrules; j++)
			/* a log of its own decides nothing: the rule after it
			 * counts the same packets */
			if (!c->rules[j].log_only)
				c->rules[j].counter = add(&l, c->name, j + 1, &c->rules[j].loc, NULL);
	}
}

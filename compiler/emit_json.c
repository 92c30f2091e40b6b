/*
 * emit_json.c - spelling the IR as nftables JSON commands with jansson.
 *
 * The command list mirrors the text script: add the table, delete it, add
 * it again with its chains, maps and rules, all in one transaction.  The
 * JSON schema has no symbolic priorities, so the IR's numeric one is used.
 * Ownership: every json_*_new / _set_new call hands its argument over, so
 * only the root is ever freed.
 */
#include "emit_json.h"
#include "names.h"

static json_t *addr_json(int family, u128 v)
{
	char buf[ADDR_STRLEN];
	addr_format_u128(family, v, buf);
	return json_string(buf);
}

static json_t *prefix_json(const struct prefix *p)
{
	char buf[ADDR_STRLEN];
	if (p->len == addr_bits(p->family)) {
		addr_format(p, buf);
		return json_string(buf);
	}
	struct prefix host = *p;
	host.len = (uint8_t)addr_bits(p->family);
	addr_format(&host, buf);
	return json_pack("{s:{s:s, s:i}}", "prefix", "addr", buf, "len", p->len);
}

static json_t *interval_json(int family, u128 first, u128 last)
{
	int len = addr_range_prefix_len(family, first, last);
	if (len == addr_bits(family))
		return addr_json(family, first);
	if (len >= 0) {
		char buf[ADDR_STRLEN];
		addr_format_u128(family, first, buf);
		return json_pack("{s:{s:s, s:i}}", "prefix", "addr", buf, "len", len);
	}
	return json_pack("{s:[o, o]}", "range", addr_json(family, first), addr_json(family, last));
}

/* A single value stays bare; several become an anonymous set. */
static json_t *maybe_set(json_t *arr)
{
	if (json_array_size(arr) == 1) {
		json_t *one = json_incref(json_array_get(arr, 0));
		json_decref(arr);
		return one;
	}
	return json_pack("{s:o}", "set", arr);
}

/* A rule's list: "@NAME" for a shared set (then arr is empty), else as
 * maybe_set(). */
static json_t *list_or_set(json_t *arr, const struct ir_set *shared)
{
	if (!shared)
		return maybe_set(arr);
	json_decref(arr);
	return json_pack("s+", "@", shared->name);
}

static json_t *port_json(const struct port_range *p)
{
	if (p->lo == p->hi)
		return json_integer(p->lo);
	return json_pack("{s:[i, i]}", "range", p->lo, p->hi);
}

static json_t *type_json(int family, uint8_t t)
{
	const char *name = names_icmp_name(family, t);
	return name ? json_string(name) : json_integer(t);
}

/* As emit_text.c's print_set(): a shared set's declaration. */
static json_t *set_json(const struct ir_policy *ir, const struct ir_set *s)
{
	json_t *elem = json_array();
	for (int i = 0; i < s->n; i++)
		switch (s->type) {
		case IR_SET_IP4:
		case IR_SET_IP6:
			json_array_append_new(elem, prefix_json(&s->saddr[i]));
			break;
		case IR_SET_PORT:
			json_array_append_new(elem, port_json(&s->ports[i]));
			break;
		case IR_SET_ICMP:
		case IR_SET_ICMPV6:
			json_array_append_new(elem, type_json(s->type == IR_SET_ICMP ? FAM_IP4 : FAM_IP6,
							      s->types[i]));
			break;
		}
	json_t *set = json_pack("{s:s, s:s, s:s, s:s}", "family", "inet", "table", ir->table,
				"name", s->name, "type", ir_set_type_name[s->type]);
	if (s->interval)
		json_object_set_new(set, "flags", json_pack("[s]", "interval"));
	json_object_set_new(set, "elem", elem);
	return json_pack("{s:{s:o}}", "add", "set", set);
}

static json_t *match(json_t *left, const char *op, json_t *right)
{
	return json_pack("{s:{s:s, s:o, s:o}}", "match", "op", op, "left", left, "right", right);
}

static json_t *payload(const char *proto, const char *field)
{
	return json_pack("{s:{s:s, s:s}}", "payload", "protocol", proto, "field", field);
}

static json_t *meta(const char *key)
{
	return json_pack("{s:{s:s}}", "meta", "key", key);
}


static json_t *verdict_json(enum ir_verdict v)
{
	switch (v) {
	case IR_ACCEPT: return json_pack("{s:n}", "accept");
	case IR_DROP: return json_pack("{s:n}", "drop");
	case IR_REJECT_TCP_RESET: return json_pack("{s:{s:s}}", "reject", "type", "tcp reset");
	case IR_REJECT_ICMPX:
		return json_pack("{s:{s:s, s:s}}", "reject", "type", "icmpx", "expr", "admin-prohibited");
	}
	return json_null();
}

/* --accept-mark: meta mark set (meta mark & ~MASK) | VALUE, before an accept. */
static void append_mark(json_t *e, const struct ir_policy *ir)
{
	if (!ir->accept_mask)
		return;
	json_t *old = meta("mark");
	if (ir->accept_mask != ir->accept_mark)
		old = json_pack("{s:[o, I]}", "&", old, (json_int_t)(uint32_t)~ir->accept_mask);
	json_array_append_new(e, json_pack("{s:{s:o, s:{s:[o, I]}}}", "mangle", "key", meta("mark"),
					   "value", "|", old, (json_int_t)ir->accept_mark));
}

/* As emit_text.c's print_log(): the limit, then the log. */
static void append_log(json_t *e, const struct ir_rule *r)
{
	const struct log_spec *ls = &r->log_spec;
	if (ls->rate)
		json_array_append_new(e, json_pack("{s:{s:I, s:s, s:I}}", "limit", "rate",
						   (json_int_t)ls->rate, "per", sema_log_unit[ls->unit],
						   "burst", (json_int_t)ls->burst));
	json_t *log = json_pack("{s:s}", "prefix", r->log_prefix);
	if (ls->group >= 0)
		json_object_set_new(log, "group", json_integer(ls->group));
	json_array_append_new(e, json_pack("{s:o}", "log", log));
}

/* counter name "NAME", where emit_text.c's print_counter() writes it. */
static void append_counter(json_t *e, const char *name)
{
	if (name)
		json_array_append_new(e, json_pack("{s:s}", "counter", name));
}

/* The same statements, in the same order, as emit_text.c's print_rule(). */
static json_t *rule_expr(const struct ir_policy *ir, const struct ir_rule *r)
{
	json_t *e = json_array();
	if (r->ct_invalid)
		json_array_append_new(e, match(json_pack("{s:{s:s}}", "ct", "key", "state"), "in",
					       json_string("invalid")));
	if (r->match_family)
		json_array_append_new(e, match(meta("nfproto"), "==",
					       json_string(r->family == FAM_IP4 ? "ipv4" : "ipv6")));
	if (r->nsaddr > 0) {
		json_t *set = json_array();
		for (int i = 0; i < r->nsaddr && !r->saddr_set; i++)
			json_array_append_new(set, prefix_json(&r->saddr[i]));
		json_array_append_new(e, match(payload(r->family == FAM_IP4 ? "ip" : "ip6", "saddr"),
					       "==", list_or_set(set, ir_set_of(ir, r->saddr_set))));
	}
	if (r->ntypes > 0) {
		json_t *set = json_array();
		int fam = r->l4 == IR_L4_ICMP ? FAM_IP4 : FAM_IP6;
		for (int i = 0; i < r->ntypes && !r->l4_set; i++)
			json_array_append_new(set, type_json(fam, r->icmp_types[i]));
		json_array_append_new(e, match(payload(r->l4 == IR_L4_ICMP ? "icmp" : "icmpv6", "type"),
					       "==", list_or_set(set, ir_set_of(ir, r->l4_set))));
	} else if (r->nports > 0) {
		json_t *set = json_array();
		for (int i = 0; i < r->nports && !r->l4_set; i++)
			json_array_append_new(set, port_json(&r->ports[i]));
		json_array_append_new(e, match(payload(ir_l4_name[r->l4], "dport"), "==",
					       list_or_set(set, ir_set_of(ir, r->l4_set))));
	} else if (r->l4 != IR_L4_ANY) {
		json_array_append_new(e, match(meta("l4proto"), "==", json_string(ir_l4_name[r->l4])));
	}
	append_counter(e, r->counter);
	if (r->log)
		append_log(e, r);
	if (r->log_only)
		return e;
	if (ir_accept_any(ir, r)) {
		json_array_append_new(e, json_pack("{s:{s:s}}", "goto", "target", IR_ACCEPT_ANY_CHAIN));
		return e;
	}
	if (r->verdict == IR_ACCEPT)
		append_mark(e, ir);
	json_array_append_new(e, verdict_json(r->verdict));
	return e;
}

static json_t *add(const char *what, json_t *obj)
{
	return json_pack("{s:{s:o}}", "add", what, obj);
}

static json_t *rule(const struct ir_policy *ir, const char *chain, json_t *expr,
		    const char *comment)
{
	return add("rule", json_pack("{s:s, s:s, s:s, s:o, s:s}", "family", "inet", "table",
				     ir->table, "chain", chain, "expr", expr, "comment", comment));
}

/* As emit_text.c's print_map(): dispatch or sources. */
static json_t *map_json(const struct ir_policy *ir, const struct ir_dispatch *d, bool sources)
{
	json_t *elem = json_array();
	for (int i = 0; i < d->n; i++)
		json_array_append_new(elem,
			json_pack("[o, {s:{s:s}}]", interval_json(d->family, d->v[i].first, d->v[i].last),
				  "jump", "target", sources ? ir->checks[d->v[i].chain].name
							    : ir->chains[d->v[i].chain].name));
	const char *name = sources ? (d->family == FAM_IP4 ? "sources4" : "sources6")
				   : (d->family == FAM_IP4 ? "dispatch4" : "dispatch6");
	return add("map", json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s], s:o}", "family", "inet",
				    "table", ir->table, "name", name, "type",
				    d->family == FAM_IP4 ? "ipv4_addr" : "ipv6_addr", "map", "verdict",
				    "flags", "interval", "elem", elem));
}

/* ip[6] FIELD vmap @MAP */
static json_t *vmap(int family, const char *field, const char *map)
{
	return json_pack("{s:{s:o, s:s}}", "vmap", "key",
			 payload(family == FAM_IP4 ? "ip" : "ip6", field), "data", map);
}

/* A lookup rule: its counter (emit_text.c: before the vmap), the vmap. */
static json_t *lookup(const char *counter, json_t *vmap_stmt)
{
	json_t *e = json_array();
	append_counter(e, counter);
	json_array_append_new(e, vmap_stmt);
	return e;
}

static json_t *vmap_rule(const struct ir_policy *ir, int family, const char *comment)
{
	json_t *expr = lookup(family == FAM_IP4 ? ir->counter_dispatch4 : ir->counter_dispatch6,
			      vmap(family, "daddr", family == FAM_IP4 ? "@dispatch4" : "@dispatch6"));
	return rule(ir, "forward", expr, comment);
}

/* The source check's rules in the forward chain, as emit_text.c writes them. */
static void source_rules(const struct ir_policy *ir, json_t *cmds)
{
	if (ir->sources6.n)
		json_array_append_new(cmds, rule(ir, "forward", lookup(ir->counter_sources6,
			vmap(FAM_IP6, "saddr", "@sources6")), ir->comment_sources6));
	if (ir->sources4.n)
		json_array_append_new(cmds, rule(ir, "forward", lookup(ir->counter_sources4,
			vmap(FAM_IP4, "saddr", "@sources4")), ir->comment_sources4));
	if (ir->dispatch6.n) {
		json_t *e = json_pack("[o]", match(json_pack("{s:{s:s}}", "exthdr", "name", "rt"),
						   "==", json_true()));
		append_counter(e, ir->counter_rthdr);
		json_array_append_new(e, vmap(FAM_IP6, "daddr", "@dispatch6"));
		json_array_append_new(cmds, rule(ir, "forward", e, ir->comment_rthdr));
	}
}

/* As emit_text.c's print_accept_any(): its two rules (the chain is added
 * with the others). */
static void accept_any_rules(const struct ir_policy *ir, json_t *cmds)
{
	json_t *names = json_array();
	for (int i = 0; ir_docker_bridges[i]; i++)
		json_array_append_new(names, json_string(ir_docker_bridges[i]));
	json_t *d = json_pack("[o]", match(meta("iifname"), "==", json_pack("{s:o}", "set", names)));
	append_counter(d, ir->counter_any_docker);
	json_array_append_new(d, json_pack("{s:n}", "accept"));
	json_array_append_new(cmds, rule(ir, IR_ACCEPT_ANY_CHAIN, d, ir->comment_any_docker));
	json_t *e = json_array();
	append_counter(e, ir->counter_any_mark);
	append_mark(e, ir);
	json_array_append_new(e, json_pack("{s:n}", "accept"));
	json_array_append_new(cmds, rule(ir, IR_ACCEPT_ANY_CHAIN, e, ir->comment_any_mark));
}

static json_t *check_rule(const struct ir_policy *ir, const struct ir_check *c)
{
	json_t *m;
	if (!c->via) {
		m = match(json_pack("{s:{s:s, s:[s, s]}}", "fib", "result", "oif", "flags", "saddr",
				    "iif"), "==", json_false());
	} else {
		json_t *names = json_array();
		for (int i = 0; i < c->nvia; i++)
			json_array_append_new(names, json_string(c->via[i]));
		m = match(meta("iifname"), "!=", maybe_set(names));
	}
	json_t *e = json_pack("[o]", m);
	append_counter(e, c->counter);
	json_array_append_new(e, json_pack("{s:n}", "drop"));
	return rule(ir, c->name, e, c->comment);
}

json_t *emit_json_build(const struct ir_policy *ir)
{
	json_t *cmds = json_array();
	json_array_append_new(cmds, json_pack("{s:{s:i}}", "metainfo", "json_schema_version", 1));
	json_t *table = json_pack("{s:s, s:s}", "family", "inet", "name", ir->table);
	json_array_append_new(cmds, add("table", json_deep_copy(table)));
	json_array_append_new(cmds, json_pack("{s:{s:O}}", "delete", "table", table));
	json_array_append_new(cmds, add("table", table));
	/* Counters before the rules that name them, in emit_text.c's order. */
	for (int i = 0; i < ir->ncounters; i++)
		json_array_append_new(cmds, add("counter", json_pack("{s:s, s:s, s:s}", "family",
			"inet", "table", ir->table, "name", ir->counter_list[i].name)));
	/* Sets before the rules that name them, in emit_text.c's order. */
	for (int i = 0; i < ir->nsets; i++)
		json_array_append_new(cmds, set_json(ir, &ir->sets[i]));
	/* Chains before maps: a map element that jumps to a chain needs it. */
	json_array_append_new(cmds, add("chain", json_pack(
		"{s:s, s:s, s:s, s:s, s:s, s:i, s:s}", "family", "inet", "table", ir->table,
		"name", "forward", "type", "filter", "hook", "forward", "prio", ir->priority_num,
		"policy", "accept")));
	if (ir->accept_mask)
		json_array_append_new(cmds, add("chain", json_pack("{s:s, s:s, s:s}", "family",
			"inet", "table", ir->table, "name", IR_ACCEPT_ANY_CHAIN)));
	for (int i = 0; i < ir->nchecks; i++)
		json_array_append_new(cmds, add("chain", json_pack("{s:s, s:s, s:s, s:s}", "family",
			"inet", "table", ir->table, "name", ir->checks[i].name, "comment",
			ir->checks[i].chain_comment)));
	for (int i = 0; i < ir->nchains; i++)
		json_array_append_new(cmds, add("chain", json_pack("{s:s, s:s, s:s, s:s}", "family",
			"inet", "table", ir->table, "name", ir->chains[i].name, "comment",
			ir->chains[i].chain_comment)));
	if (ir->dispatch6.n)
		json_array_append_new(cmds, map_json(ir, &ir->dispatch6, false));
	if (ir->dispatch4.n)
		json_array_append_new(cmds, map_json(ir, &ir->dispatch4, false));
	if (ir->sources6.n)
		json_array_append_new(cmds, map_json(ir, &ir->sources6, true));
	if (ir->sources4.n)
		json_array_append_new(cmds, map_json(ir, &ir->sources4, true));

	source_rules(ir, cmds);

	json_t *est = json_pack("[o]", match(json_pack("{s:{s:s}}", "ct", "key", "state"), "in",
					     json_pack("[s, s]", "established", "related")));
	append_counter(est, ir->counter_replies);
	append_mark(est, ir);
	json_array_append_new(est, json_pack("{s:n}", "accept"));
	json_array_append_new(cmds, rule(ir, "forward", est, ir->comment_replies));
	if (ir->dispatch6.n)
		json_array_append_new(cmds, vmap_rule(ir, FAM_IP6, ir->comment_dispatch6));
	if (ir->dispatch4.n)
		json_array_append_new(cmds, vmap_rule(ir, FAM_IP4, ir->comment_dispatch4));

	if (ir->accept_mask)
		accept_any_rules(ir, cmds);
	for (int i = 0; i < ir->nchecks; i++)
		json_array_append_new(cmds, check_rule(ir, &ir->checks[i]));
	for (int i = 0; i < ir->nchains; i++) {
		const struct ir_chain *c = &ir->chains[i];
		for (int j = 0; j < c->nrules; j++)
			json_array_append_new(cmds, rule(ir, c->name, rule_expr(ir, &c->rules[j]),
							 c->rules[j].comment));
	}
	return json_pack("{s:o}", "nftables", cmds);
}

int emit_json(const struct ir_policy *ir, FILE *out)
{
	json_t *root = emit_json_build(ir);
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc == 0)
		fputc('\n', out);
	return rc == 0 && !ferror(out) ? 0 : -1;
}

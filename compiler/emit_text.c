/*
 * emit_text.c - spelling the IR as nftables text.
 *
 * The script opens with `table` + `delete table` + the full table: one file
 * is one nft transaction, so loading it again replaces d6c's table
 * atomically and leaves every other table alone.  Nothing is decided here;
 * the IR says which family, protocol and verdict each rule has.
 */
#include "emit_text.h"
#include "names.h"

#include <string.h>


static const char *const verdict_text[] = {
	[IR_ACCEPT] = "accept",
	[IR_DROP] = "drop",
	[IR_REJECT_TCP_RESET] = "reject with tcp reset",
	[IR_REJECT_ICMPX] = "reject with icmpx admin-prohibited",
};

static void print_interval(FILE *out, int family, u128 first, u128 last)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	int len = addr_range_prefix_len(family, first, last);
	addr_format_u128(family, first, a);
	if (len == addr_bits(family))
		fputs(a, out);
	else if (len >= 0)
		fprintf(out, "%s/%d", a, len);
	else {
		addr_format_u128(family, last, b);
		fprintf(out, "%s-%s", a, b);
	}
}

static void print_ports(FILE *out, const struct port_range *p, int n)
{
	if (n > 1)
		fputs("{ ", out);
	for (int i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		if (p[i].lo == p[i].hi)
			fprintf(out, "%u", p[i].lo);
		else
			fprintf(out, "%u-%u", p[i].lo, p[i].hi);
	}
	if (n > 1)
		fputs(" }", out);
}

static void print_types(FILE *out, int family, const uint8_t *t, int n)
{
	if (n > 1)
		fputs("{ ", out);
	for (int i = 0; i < n; i++) {
		const char *name = names_icmp_name(family, t[i]);
		if (i)
			fputs(", ", out);
		if (name)
			fputs(name, out);
		else
			fprintf(out, "%u", t[i]);
	}
	if (n > 1)
		fputs(" }", out);
}

static void print_saddr(FILE *out, const struct prefix *p, int n)
{
	if (n > 1)
		fputs("{ ", out);
	for (int i = 0; i < n; i++) {
		char buf[ADDR_STRLEN];
		addr_format(&p[i], buf);
		fprintf(out, "%s%s", i ? ", " : "", buf);
	}
	if (n > 1)
		fputs(" }", out);
}

/* A shared set (ir_sets.c): its declaration, elements one a line as in
 * the maps. */
static void print_set(FILE *out, const struct ir_set *s)
{
	fprintf(out, "\tset %s {\n\t\ttype %s\n", s->name, ir_set_type_name[s->type]);
	if (s->interval)
		fputs("\t\tflags interval\n", out);
	fputs("\t\telements = {\n", out);
	for (int i = 0; i < s->n; i++) {
		fputs("\t\t\t", out);
		switch (s->type) {
		case IR_SET_IP4:
		case IR_SET_IP6:
			print_saddr(out, &s->saddr[i], 1);
			break;
		case IR_SET_PORT:
			print_ports(out, &s->ports[i], 1);
			break;
		case IR_SET_ICMP:
		case IR_SET_ICMPV6:
			print_types(out, s->type == IR_SET_ICMP ? FAM_IP4 : FAM_IP6, &s->types[i], 1);
			break;
		}
		fputs(",\n", out);
	}
	fputs("\t\t}\n\t}\n\n", out);
}

/* --accept-mark: the mark set just before an accept. */
static void print_mark(FILE *out, const struct ir_policy *ir)
{
	if (!ir->accept_mask)
		return;
	if (ir->accept_mask == ir->accept_mark)
		fprintf(out, "meta mark set meta mark | 0x%08x ", ir->accept_mark);
	else
		fprintf(out, "meta mark set meta mark & 0x%08x | 0x%08x ", ~ir->accept_mask,
			ir->accept_mark);
}

/* The limit first: past it the rule stops before logging (ir.h, log_only). */
static void print_log(FILE *out, const struct ir_rule *r)
{
	const struct log_spec *ls = &r->log_spec;
	if (ls->rate)
		fprintf(out, "limit rate %llu/%s burst %u packets ", (unsigned long long)ls->rate,
			sema_log_unit[ls->unit], ls->burst);
	fprintf(out, "log prefix \"%s\" ", r->log_prefix);
	if (ls->group >= 0)
		fprintf(out, "group %d ", ls->group);
}

/* A named counter, before the rule's log and verdict (counters on). */
static void print_counter(FILE *out, const char *name)
{
	if (name)
		fprintf(out, "counter name \"%s\" ", name);
}

static void print_rule(FILE *out, const struct ir_policy *ir, const struct ir_rule *r)
{
	fputs("\t\t", out);
	if (r->ct_invalid)
		fputs("ct state invalid ", out);
	if (r->match_family)
		fprintf(out, "meta nfproto %s ", r->family == FAM_IP4 ? "ipv4" : "ipv6");
	if (r->nsaddr > 0) {
		fprintf(out, "%s saddr ", r->family == FAM_IP4 ? "ip" : "ip6");
		if (r->saddr_set)
			fprintf(out, "@%s", ir_set_of(ir, r->saddr_set)->name);
		else
			print_saddr(out, r->saddr, r->nsaddr);
		fputc(' ', out);
	}
	if (r->ntypes > 0) {
		fputs(r->l4 == IR_L4_ICMP ? "icmp type " : "icmpv6 type ", out);
		if (r->l4_set)
			fprintf(out, "@%s", ir_set_of(ir, r->l4_set)->name);
		else
			print_types(out, r->family, r->icmp_types, r->ntypes);
		fputc(' ', out);
	} else if (r->nports > 0) {
		fprintf(out, "%s dport ", ir_l4_name[r->l4]);
		if (r->l4_set)
			fprintf(out, "@%s", ir_set_of(ir, r->l4_set)->name);
		else
			print_ports(out, r->ports, r->nports);
		fputc(' ', out);
	} else if (r->l4 != IR_L4_ANY) {
		fprintf(out, "meta l4proto %s ", ir_l4_name[r->l4]);
	}
	print_counter(out, r->counter);
	if (r->log)
		print_log(out, r);
	if (r->log_only) {
		fprintf(out, "comment \"%s\"\n", r->comment);
		return;
	}
	if (ir_accept_any(ir, r)) {
		fputs("goto " IR_ACCEPT_ANY_CHAIN " ", out);
	} else {
		if (r->verdict == IR_ACCEPT)
			print_mark(out, ir);
		fprintf(out, "%s ", verdict_text[r->verdict]);
	}
	fprintf(out, "comment \"%s\"\n", r->comment);
}

/* With a mark: where the accepts of rules that name no source go (ir.h). */
static void print_accept_any(FILE *out, const struct ir_policy *ir)
{
	if (!ir->accept_mask)
		return;
	fputs("\n\tchain " IR_ACCEPT_ANY_CHAIN " {\n\t\tiifname { ", out);
	for (int i = 0; ir_docker_bridges[i]; i++)
		fprintf(out, "%s\"%s\"", i ? ", " : "", ir_docker_bridges[i]);
	fputs(" } ", out);
	print_counter(out, ir->counter_any_docker);
	fprintf(out, "accept comment \"%s\"\n\t\t", ir->comment_any_docker);
	print_counter(out, ir->counter_any_mark);
	print_mark(out, ir);
	fprintf(out, "accept comment \"%s\"\n\t}\n", ir->comment_any_mark);
}

/* A map from destination ranges to block chains (dispatch), or from source
 * ranges to source checks (sources). */
static void print_map(FILE *out, const struct ir_policy *ir, const struct ir_dispatch *d,
		      bool sources)
{
	fprintf(out, "\tmap %s%s {\n", sources ? "sources" : "dispatch",
		d->family == FAM_IP4 ? "4" : "6");
	fprintf(out, "\t\ttype %s : verdict\n", d->family == FAM_IP4 ? "ipv4_addr" : "ipv6_addr");
	fputs("\t\tflags interval\n", out);
	fputs("\t\telements = {\n", out);
	for (int i = 0; i < d->n; i++) {
		fputs("\t\t\t", out);
		print_interval(out, d->family, d->v[i].first, d->v[i].last);
		fprintf(out, " : jump %s,\n", sources ? ir->checks[d->v[i].chain].name
						       : ir->chains[d->v[i].chain].name);
	}
	fputs("\t\t}\n\t}\n\n", out);
}

static void print_check(FILE *out, const struct ir_check *c)
{
	fprintf(out, "\n\tchain %s {\n\t\tcomment \"%s\"\n\t\t", c->name, c->chain_comment);
	if (!c->via) {
		fputs("fib saddr . iif oif missing", out);
	} else {
		fputs(c->nvia > 1 ? "iifname != { " : "iifname != ", out);
		for (int i = 0; i < c->nvia; i++)
			fprintf(out, "%s\"%s\"", i ? ", " : "", c->via[i]);
		if (c->nvia > 1)
			fputs(" }", out);
	}
	fputc(' ', out);
	print_counter(out, c->counter);
	fprintf(out, "drop comment \"%s\"\n\t}\n", c->comment);
}

int emit_text(const struct ir_policy *ir, FILE *out)
{
	const char *src = ir->source ? ir->source : "<policy>";
	fprintf(out, "#!/usr/sbin/nft -f\n");
	fprintf(out, "# Generated by d6c from %s; do not edit: change the policy and compile again.\n",
		src);
	fprintf(out, "# Loading this file replaces table inet %s in one transaction and no other table.\n\n",
		ir->table);
	fprintf(out, "table inet %s\ndelete table inet %s\n\n", ir->table, ir->table);
	fprintf(out, "table inet %s {\n", ir->table);
	for (int i = 0; i < ir->ncounters; i++)
		fprintf(out, "\tcounter %s { }\n%s", ir->counter_list[i].name,
			i == ir->ncounters - 1 ? "\n" : "");
	for (int i = 0; i < ir->nsets; i++)
		print_set(out, &ir->sets[i]);
	if (ir->dispatch6.n)
		print_map(out, ir, &ir->dispatch6, false);
	if (ir->dispatch4.n)
		print_map(out, ir, &ir->dispatch4, false);
	if (ir->sources6.n)
		print_map(out, ir, &ir->sources6, true);
	if (ir->sources4.n)
		print_map(out, ir, &ir->sources4, true);

	fputs("\tchain forward {\n", out);
	fprintf(out, "\t\ttype filter hook forward priority %s; policy accept;\n", ir->priority);
	/* A lookup's counter stands before it (a vmap is the rule's verdict):
	 * it counts every packet that reaches the rule. */
	if (ir->sources6.n) {
		fputs("\t\t", out);
		print_counter(out, ir->counter_sources6);
		fprintf(out, "ip6 saddr vmap @sources6 comment \"%s\"\n", ir->comment_sources6);
	}
	if (ir->sources4.n) {
		fputs("\t\t", out);
		print_counter(out, ir->counter_sources4);
		fprintf(out, "ip saddr vmap @sources4 comment \"%s\"\n", ir->comment_sources4);
	}
	if (ir->dispatch6.n) {
		fputs("\t\texthdr rt exists ", out);
		print_counter(out, ir->counter_rthdr);
		fprintf(out, "ip6 daddr vmap @dispatch6 comment \"%s\"\n", ir->comment_rthdr);
	}
	fputs("\t\tct state established,related ", out);
	print_counter(out, ir->counter_replies);
	print_mark(out, ir);
	fprintf(out, "accept comment \"%s\"\n", ir->comment_replies);
	if (ir->dispatch6.n) {
		fputs("\t\t", out);
		print_counter(out, ir->counter_dispatch6);
		fprintf(out, "ip6 daddr vmap @dispatch6 comment \"%s\"\n", ir->comment_dispatch6);
	}
	if (ir->dispatch4.n) {
		fputs("\t\t", out);
		print_counter(out, ir->counter_dispatch4);
		fprintf(out, "ip daddr vmap @dispatch4 comment \"%s\"\n", ir->comment_dispatch4);
	}
	fputs("\t}\n", out);

	print_accept_any(out, ir);
	for (int i = 0; i < ir->nchecks; i++)
		print_check(out, &ir->checks[i]);
	for (int i = 0; i < ir->nchains; i++) {
		const struct ir_chain *c = &ir->chains[i];
		fprintf(out, "\n\tchain %s {\n", c->name);
		fprintf(out, "\t\tcomment \"%s\"\n", c->chain_comment);
		for (int j = 0; j < c->nrules; j++)
			print_rule(out, ir, &c->rules[j]);
		fputs("\t}\n", out);
	}
	fputs("}\n", out);
	return ferror(out) ? -1 : 0;
}

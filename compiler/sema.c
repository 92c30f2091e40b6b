/*
 * sema.c - name resolution and every check that makes a policy an error
 * (the values in it: sema_value.c).
 *
 * One walk in reading order: a define must come before its use, and that
 * is what a reader expects too.  Errors never stop the walk; a rule with an
 * error is kept but marked bad so later checks do not pile onto it.
 * Warnings that need the whole policy (shadowing, coverage) are in lint.c.
 */
#include "sema_impl.h"
#include "arena.h"
#include "misspell.h"
#include "names.h"
#include "service_hint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned hash_name(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % HASH_SIZE;
}

struct define *sema_lookup(struct sema *s, const char *name)
{
	for (struct define *d = s->hash[hash_name(name)]; d; d = d->next_hash)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/* The closest name that fits where an undefined one stood: the defines of
 * that kind so far and, for ports, what service_hint() says (services
 * with their ports); "; did you mean ..." or NULL when none is close. */
static const char *closest_name(const struct sema *s, const char *name, enum define_kind kind)
{
	if (kind == DEF_PORTS) {
		const char **defs = arena_alloc(s->a, sizeof(*defs) * (s->ndefs + 1));
		int n = 0;
		for (size_t i = 0; i < s->ndefs; i++)
			if (s->defs[i]->kind == kind)
				defs[n++] = s->defs[i]->name;
		return service_hint(s->a, name, s->port_proto, defs, n);
	}
	struct misspell m;
	misspell_init(&m, name);
	for (size_t i = 0; i < s->ndefs; i++)
		if (s->defs[i]->kind == kind)
			misspell_offer(&m, s->defs[i]->name);
	return m.best ? arena_printf(s->a, "; did you mean '%s'?", m.best) : NULL;
}

/* A use of an undefined name: say whether it is defined further down, or
 * which known name of the kind is close to it. */
void sema_undefined(struct sema *s, struct loc loc, const char *name, const char *what,
		    enum define_kind kind)
{
	/* Past the cap the error is only counted: skip the searches, which
	 * cost the number of defines for every use. */
	if (diag_full(s->dl)) {
		diag_error(s->dl, DC_UNDEFINED, loc, "'%s' is not defined", name);
		return;
	}
	for (size_t i = 0; i < s->nlater; i++) {
		struct later_name *l = &s->later[i];
		if (strcmp(l->name, name) == 0 && l->loc.file == loc.file &&
		    (l->loc.first_line > loc.first_line ||
		     (l->loc.first_line == loc.first_line && l->loc.first_column > loc.first_column))) {
			l->used_early = true;
			struct diag *d = diag_error(s->dl, DC_USE_BEFORE_DEFINE, loc,
				"'%s' is used before its definition; move the define above this line",
				name);
			diag_note(s->dl, d, l->loc, "'%s' is defined here", name);
			return;
		}
	}
	const char *hint = closest_name(s, name, kind);
	diag_error(s->dl, DC_UNDEFINED, loc, "'%s' is not defined (expected %s)%s", name, what,
		   hint ? hint : "");
}

static void collect_names(struct sema *s, const struct ast_item *items)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		if (it->kind == ITEM_DEFINE) {
			ARENA_PUSH(s->a, s->later, s->nlater, s->caplater);
			s->later[s->nlater - 1] = (struct later_name){ it->name, it->name_loc, false };
		} else if (it->kind == ITEM_INCLUDE) {
			collect_names(s, it->body);
		}
	}
}

/* The one error of a limit, at the first place past it. */
static bool over(struct sema *s, bool *said, size_t n, size_t max, struct loc loc,
		 const char *what)
{
	if (n < max)
		return false;
	if (!*said)
		diag_error(s->dl, DC_LIMIT, loc, "too many %s: a policy may hold at most %zu", what, max);
	*said = true;
	return true;
}

/* Values spliced from defines are copies: a define of defines of a large
 * list multiplies it, so every resolved value counts. */
bool sema_over_values(struct sema *s, struct loc loc)
{
	return over(s, &s->said_values, s->nvalues++, MAX_VALUES, loc,
		    "ports and addresses (counting each define's values at every use)");
}

/* ---- define := 'define' NAME '=' value (',' value)* ';' ---- */

static void check_define(struct sema *s, const struct ast_item *it)
{
	struct define *old = sema_lookup(s, it->name);
	if (old) {
		struct diag *d = diag_error(s->dl, DC_DEFINED_TWICE, it->name_loc, "'%s' is defined twice", it->name);
		diag_note(s->dl, d, old->loc, "first definition of '%s' is here", it->name);
		return;
	}
	if (names_service_port(it->name) >= 0) {
		diag_error(s->dl, DC_REDEFINE_SERVICE, it->name_loc,
			   "'%s' is a built-in service name and cannot be redefined", it->name);
		return;
	}
	struct define *d = arena_alloc(s->a, sizeof(*d));
	d->name = it->name;
	d->loc = it->name_loc;
	const struct ast_value *first_port = NULL, *first_addr = NULL;
	bool mixed = false;
	for (const struct ast_value *v = it->values->head; v; v = v->next) {
		enum define_kind k = DEF_UNKNOWN;
		if (v->kind == VAL_ADDR || v->kind == VAL_DOCKER) {
			k = sema_resolve_addr(s, v, &d->addrs, &d->naddrs, &d->capaddrs) ? DEF_ADDRS
										   : DEF_UNKNOWN;
		} else if (v->kind == VAL_NAME) {
			struct define *inner = sema_lookup(s, v->name);
			if (inner && inner->kind == DEF_ADDRS)
				k = sema_resolve_addr(s, v, &d->addrs, &d->naddrs, &d->capaddrs)
					    ? DEF_ADDRS : DEF_UNKNOWN;
			else if (inner && inner->kind == DEF_UNKNOWN)
				inner->used = true;
			else
				k = sema_resolve_port(s, v, &d->ports, &d->nports, &d->capports)
					    ? DEF_PORTS : DEF_UNKNOWN;
		} else {
			k = sema_resolve_port(s, v, &d->ports, &d->nports, &d->capports) ? DEF_PORTS
										   : DEF_UNKNOWN;
		}
		if (k == DEF_PORTS && !first_port)
			first_port = v;
		if (k == DEF_ADDRS && !first_addr)
			first_addr = v;
		if (first_port && first_addr && !mixed) {
			/* v is the first value of the second kind: report it. */
			mixed = true;
			const struct ast_value *other = v == first_port ? first_addr : first_port;
			struct diag *e = diag_error(s->dl, DC_DEFINE_MIXED, v->loc,
				"define '%s' mixes ports and addresses; a define holds one or the other",
				it->name);
			diag_note(s->dl, e, other->loc, "the first %s is here",
				  other == first_port ? "port" : "address");
		}
	}
	d->kind = mixed ? DEF_UNKNOWN : first_addr ? DEF_ADDRS : first_port ? DEF_PORTS
									    : DEF_UNKNOWN;
	/* A define holds a set: without this, defines naming defines grow
	 * exponentially with their depth. */
	sema_normalise_ports(s, d->ports, &d->nports, false);
	sema_dedupe_prefixes(d->addrs, &d->naddrs);
	unsigned h = hash_name(d->name);
	d->next_hash = s->hash[h];
	s->hash[h] = d;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): defs holds pointers */
	ARENA_PUSH(s->a, s->defs, s->ndefs, s->capdefs);
	s->defs[s->ndefs - 1] = d;
}

/* ---- rules ---- */

static int families_of(const struct sema_prefix *v, int n)
{
	int f = 0;
	for (int i = 0; i < n; i++)
		f |= v[i].pfx.family;
	return f;
}

static void check_icmp(struct sema *s, const struct sema_block *b,
		       const struct ast_rule *ar, struct sema_rule *r)
{
	if (!ar->icmp) {
		r->all_icmp = true;
		return;
	}
	const struct ast_list *l = ar->icmp;
	for (const struct ast_value *v = l->head; v; v = v->next) {
		if ((v->kind == VAL_BASIC || v->kind == VAL_ALL) && l->n > 1) {
			diag_error(s->dl, DC_ICMP_GROUP_COMBINED, v->loc,
				   "'%s' cannot be combined with other ICMP types in one rule; "
				   "write a rule of its own",
				   v->kind == VAL_BASIC ? "basic" : "all");
			r->bad = true;
			return;
		}
	}
	for (const struct ast_value *v = l->head; v; v = v->next) {
		switch (v->kind) {
		case VAL_ALL:
			r->all_icmp = true;
			break;
		case VAL_BASIC:
			for (int fam = FAM_IP4; fam <= FAM_IP6; fam <<= 1) {
				const int *t;
				size_t n = names_icmp_basic(fam, &t);
				for (size_t i = 0; i < n; i++)
					icmp_set_add(fam == FAM_IP4 ? &r->icmp4 : &r->icmp6, t[i]);
			}
			break;
		case VAL_NUMBER:
			if (v->lo > 255) {
				diag_error(s->dl, DC_ICMP_RANGE, v->loc, "ICMP type %s is out of range (0-255)",
					   src_text(s->a, &v->loc));
				r->bad = true;
				break;
			}
			icmp_set_add(&r->icmp4, (int)v->lo);
			icmp_set_add(&r->icmp6, (int)v->lo);
			break;
		case VAL_NAME: {
			int t4 = names_icmp_type(FAM_IP4, v->name);
			int t6 = names_icmp_type(FAM_IP6, v->name);
			if (t4 < 0 && t6 < 0) {
				/* Only names of the block's families are worth suggesting. */
				struct misspell m;
				misspell_init(&m, v->name);
				for (int fam = FAM_IP4; fam <= FAM_IP6; fam <<= 1) {
					if (b->families && !(b->families & fam))
						continue;
					size_t nt;
					const struct icmp_type *t = names_icmp_all(fam, &nt);
					for (size_t i = 0; i < nt; i++)
						misspell_offer(&m, t[i].name);
				}
				const char *nft = names_icmp_alias(b->families ? b->families : FAM_IP4 | FAM_IP6,
								   v->name);
				/* ip6tables' neighbour-solicitation in an IPv4 block: no
				 * look-alike of the wrong family. */
				const char *nft6 = names_icmp_alias(FAM_IP6, v->name);
				if (nft)
					diag_error(s->dl, DC_ICMP_UNKNOWN, v->loc,
						   "unknown ICMP type '%s'; nftables calls it '%s'", v->name, nft);
				else if (nft6)
					diag_error(s->dl, DC_ICMP_UNKNOWN, v->loc,
						   "unknown ICMP type '%s'; nftables calls it '%s', an ICMPv6 type, "
						   "but this block holds only IPv4 prefixes", v->name, nft6);
				else if (m.best)
					diag_error(s->dl, DC_ICMP_UNKNOWN, v->loc,
						   "unknown ICMP type '%s'; did you mean '%s'?", v->name,
						   m.best);
				else
					diag_error(s->dl, DC_ICMP_UNKNOWN, v->loc,
						   "unknown ICMP type '%s' (use nftables' names, e.g. "
						   "echo-request, or a number 0-255)", v->name);
				r->bad = true;
				break;
			}
			/* A block whose prefixes all failed has no family to judge by. */
			if (b->families && !(b->families & FAM_IP6) && t4 < 0) {
				diag_error(s->dl, DC_ICMP6_IN_IP4, v->loc,
					   "'%s' is an ICMPv6 type, but this block holds only IPv4 prefixes",
					   v->name);
				r->bad = true;
				break;
			}
			if (b->families && !(b->families & FAM_IP4) && t6 < 0) {
				/* iptables' router-solicitation is nftables' IPv4 name too. */
				const char *nft = names_icmp_alias(FAM_IP6, v->name);
				diag_error(s->dl, DC_ICMP4_IN_IP6, v->loc,
					   "'%s' is an ICMP (IPv4) type, but this block holds only IPv6 prefixes%s%s%s",
					   v->name, nft ? "; for ICMPv6 write '" : "", nft ? nft : "", nft ? "'" : "");
				r->bad = true;
				break;
			}
			if (t4 >= 0)
				icmp_set_add(&r->icmp4, t4);
			if (t6 >= 0)
				icmp_set_add(&r->icmp6, t6);
			break;
		}
		default:
			diag_error(s->dl, DC_ICMP_EXPECTED, v->loc, "an ICMP type is expected here");
			r->bad = true;
		}
	}
}

static void check_sources(struct sema *s, const struct sema_block *b,
			  const struct ast_rule *ar, struct sema_rule *r)
{
	if (!ar->from) {
		r->any_source = true;
		return;
	}
	int cap = 0;
	struct sema_prefix *all = NULL;
	int nall = 0;
	for (const struct ast_value *v = ar->from->head; v; v = v->next)
		if (!sema_resolve_addr(s, v, &all, &nall, &cap))
			r->bad = true;
	if (r->bad || b->families == 0)
		goto keep;
	int fits = 0;
	for (int i = 0; i < nall; i++)
		if (all[i].pfx.family & b->families)
			fits++;
	if (fits == 0 && nall > 0) {
		diag_error(s->dl, DC_SOURCE_FAMILY, ar->from->loc,
			   "no source here is %s, but this block holds only %s prefixes: "
			   "the rule could never match",
			   addr_family_name(b->families), addr_family_name(b->families));
		r->bad = true;
		goto keep;
	}
	for (int i = 0; i < nall; i++) {
		if (all[i].pfx.family & b->families)
			continue;
		char buf[ADDR_STRLEN];
		addr_format(&all[i].pfx, buf);
		diag_warning(s->dl, DC_W_OTHER_FAMILY_SOURCE, all[i].loc,
			     "source %s is %s and can never match in this %s-only block; it is ignored",
			     buf, addr_family_name(all[i].pfx.family),
			     addr_family_name(b->families));
	}
keep:
	if (!all) {   /* nothing resolved: no source to keep */
		r->sources = arena_alloc(s->a, sizeof(*r->sources));
		return;
	}
	sema_dedupe_prefixes(all, &nall);
	/* Only sources of the block's families can match; keep those, in
	 * place. */
	for (int i = 0; i < nall; i++)
		if (all[i].pfx.family & (b->families ? b->families : FAM_BOTH))
			all[r->nsources++] = all[i];
	r->sources = all;
}

/* `icmp 128` in a block of both families matches ICMPv6 echo-request and
 * ICMP (IPv4) type 128 alike: a number means one type in each family,
 * while a name means each family's own number.  Said when a number is the
 * name of something in at least one family (a number neither names is no
 * sign of a family meant) and the rule reaches both families. */
static void warn_icmp_numbers(struct sema *s, const struct sema_block *b,
			      const struct ast_rule *ar, const struct sema_rule *r)
{
	if (r->bad || b->families != FAM_BOTH || r->families != FAM_BOTH || !ar->icmp)
		return;
	for (const struct ast_value *v = ar->icmp->head; v; v = v->next) {
		if (v->kind != VAL_NUMBER || v->lo > 255)
			continue;
		int t = (int)v->lo;
		const char *n6 = names_icmp_name(FAM_IP6, t), *n4 = names_icmp_name(FAM_IP4, t);
		if (!n6 && !n4)
			continue;
		char in6[64], in4[64];
		if (n6)
			snprintf(in6, sizeof(in6), "ICMPv6 %s", n6);
		else
			snprintf(in6, sizeof(in6), "ICMPv6 type %d (no name)", t);
		if (n4)
			snprintf(in4, sizeof(in4), "ICMP (IPv4) %s", n4);
		else
			snprintf(in4, sizeof(in4), "ICMP (IPv4) type %d (no name)", t);
		diag_warning(s->dl, DC_W_ICMP_BOTH_FAMILIES, v->loc,
			     "ICMP type %d matches both families in this dual-stack block: %s and "
			     "%s; a name (icmp %s) matches each family's own number",
			     t, in6, in4, n6 ? n6 : n4);
	}
}

/* rule := verdict match [log] ';' */
static void check_rule(struct sema *s, const struct sema_block *b,
		       const struct ast_rule *ar, struct sema_rule *r)
{
	r->loc = ar->loc;
	r->verdict = ar->verdict;
	r->log = ar->log != NULL;
	if (ar->log && !sema_log_spec(s, ar->log, &r->log_spec))
		r->bad = true;
	r->proto = ar->proto;
	if (ar->proto == PROTO_TCP || ar->proto == PROTO_UDP) {
		if (!ar->ports) {
			r->all_ports = true;
		} else {
			int cap = 0;
			s->port_proto = ar->proto == PROTO_TCP ? "tcp" : "udp";
			for (const struct ast_value *v = ar->ports->head; v; v = v->next)
				if (!sema_resolve_port(s, v, &r->ports, &r->nports, &cap))
					r->bad = true;
			s->port_proto = NULL;
			sema_normalise_ports(s, r->ports, &r->nports, true);
		}
	}
	if (ar->proto == PROTO_ICMP)
		check_icmp(s, b, ar, r);
	int missing = s->docker_missing;
	check_sources(s, b, ar, r);
	/* from docker "NAME" of networks that are not there yet: no source, so
	 * the rule matches nothing (families 0), and that is no mistake. */
	bool no_source_yet = !r->any_source && r->nsources == 0 && s->docker_missing > missing;

	int fam = b->families ? b->families : FAM_BOTH;
	if (!r->any_source)
		fam &= families_of(r->sources, r->nsources);
	if (ar->proto == PROTO_ICMP && !r->all_icmp) {
		int icmpfam = (icmp_set_empty(&r->icmp4) ? 0 : FAM_IP4) |
			      (icmp_set_empty(&r->icmp6) ? 0 : FAM_IP6);
		fam &= icmpfam;
	}
	r->families = fam;
	if (no_source_yet)
		return;
	/* Past the value limit the sources were cut short: no second error. */
	if (fam == 0 && !r->bad && !s->said_values)
		diag_error(s->dl, DC_ICMP_SOURCE_FAMILY, r->loc,
			   "this rule can never match: its ICMP types and its sources belong to "
			   "different address families");
	if (fam == 0)
		r->bad = true;
	warn_icmp_numbers(s, b, ar, r);
}

static void add_block_prefix(struct sema *s, struct sema_block *b, int *cap,
			     const struct sema_prefix *p, bool *said)
{
	if (b->nprefixes >= MAX_BLOCK_PREFIXES) {
		if (!*said)
			diag_error(s->dl, DC_LIMIT, p->loc, "too many prefixes in one block: a block "
				   "may list at most %d", MAX_BLOCK_PREFIXES);
		*said = true;
		return;
	}
	if (over(s, &s->said_prefixes, s->nprefixes, MAX_PREFIXES, p->loc,
		 "prefixes (in all blocks' lists)"))
		return;
	for (int i = 0; i < b->nprefixes; i++) {
		if (addr_equal(&b->prefixes[i].pfx, &p->pfx)) {
			char buf[ADDR_STRLEN];
			addr_format(&p->pfx, buf);
			struct diag *d = diag_warning(s->dl, DC_W_DUPLICATE_PREFIX, p->loc,
				"%s is listed twice in this block", buf);
			diag_note(s->dl, d, b->prefixes[i].loc, "first listed here");
			return;
		}
	}
	size_t n = (size_t)b->nprefixes, c = (size_t)*cap;
	ARENA_PUSH(s->a, b->prefixes, n, c);
	b->prefixes[n - 1] = *p;
	b->nprefixes = (int)n;
	s->nprefixes++;
	*cap = (int)c;
}

/* The Docker networks a block's prefixes came from, each once, for the
 * generated comments. */
static const char *docker_names(struct sema *s, const struct sema_block *b)
{
	const char *list = NULL;
	for (int i = 0; i < b->nprefixes; i++) {
		const char *name = b->prefixes[i].docker;
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = b->prefixes[j].docker && strcmp(b->prefixes[j].docker, name ? name : "") == 0;
		if (name && !seen)
			list = list ? arena_printf(s->a, "%s, %s", list, name) : name;
	}
	return list;
}

/* via := 'via' STRING (',' STRING)*: the interfaces the block's own packets
 * arrive on.  A name given twice is kept once; nftables would refuse it
 * twice in one set. */
static void check_via(struct sema *s, struct sema_block *b, const struct ast_list *via)
{
	if (!via)
		return;
	b->via = arena_alloc(s->a, sizeof(*b->via) * (size_t)via->n);
	b->via_loc = via->loc;
	for (const struct ast_value *v = via->head; v; v = v->next) {
		const char *why = addr_ifname_problem(v->name);
		if (why) {
			diag_error(s->dl, DC_VIA_IFNAME, v->loc, "\"%s\" is not an interface name: %s",
				   v->name, why);
			continue;
		}
		bool seen = false;
		for (int i = 0; i < b->nvia && !seen; i++)
			seen = strcmp(b->via[i], v->name) == 0;
		if (!seen)   /* the syntax tree dies after sema: copy */
			b->via[b->nvia++] = arena_strdup(s->a, v->name);
	}
}

/* network := 'network' target (',' target)* ['via' STRING (',' STRING)*] '<' rule* '>' */
static void check_network(struct sema *s, const struct ast_item *it)
{
	if (over(s, &s->said_blocks, s->nblocks, MAX_BLOCKS, it->loc, "network blocks"))
		return;
	ARENA_PUSH(s->a, s->blocks, s->nblocks, s->capblocks);
	struct sema_block *b = &s->blocks[s->nblocks - 1];
	memset(b, 0, sizeof(*b));
	b->loc = it->loc;
	b->index = (int)s->nblocks - 1;
	b->default_verdict = VERDICT_DROP;
	b->default_loc = it->loc;

	int pcap = 0;
	bool said_block_prefixes = false;
	for (const struct ast_value *v = it->targets ? it->targets->head : NULL; v; v = v->next) {
		int n = 0;
		if (v->kind != VAL_ADDR && v->kind != VAL_NAME && v->kind != VAL_DOCKER) {
			diag_error(s->dl, DC_NETWORK_EXPECTED, v->loc, "a network address or prefix is expected here");
			continue;
		}
		sema_resolve_addr(s, v, &s->targets, &n, &s->captargets);
		/* Room for them at once: most blocks have one prefix, and a
		 * vector doubled from 2 kept a dead slot in each. */
		if (b->nprefixes + n > pcap) {
			b->prefixes = arena_grow(s->a, b->prefixes, (size_t)pcap,
						 (size_t)b->nprefixes + (size_t)n, sizeof(*b->prefixes));
			pcap = b->nprefixes + n;
		}
		for (int i = 0; i < n; i++)
			add_block_prefix(s, b, &pcap, &s->targets[i], &said_block_prefixes);
	}
	b->docker = docker_names(s, b);
	b->families = families_of(b->prefixes, b->nprefixes);
	check_via(s, b, it->via);

	int nrules = 0;
	const struct ast_rule *first_default = NULL;
	for (const struct ast_rule *r = it->rules.head; r; r = r->next)
		if (!r->is_default)
			nrules++;
	b->rules = arena_alloc(s->a, sizeof(*b->rules) * (size_t)(nrules ? nrules : 1));
	for (const struct ast_rule *r = it->rules.head; r; r = r->next) {
		if (r->is_default) {
			if (first_default) {
				struct diag *d = diag_error(s->dl, DC_DEFAULT_TWICE, r->loc,
					"this block already has a default; a block has at most one");
				diag_note(s->dl, d, first_default->loc, "the first default is here");
				continue;
			}
			first_default = r;
			b->has_default = true;
			b->default_verdict = r->verdict;
			b->default_log = r->log != NULL;
			if (r->log)
				sema_log_spec(s, r->log, &b->default_log_spec);
			b->default_loc = r->loc;
			continue;
		}
		if (over(s, &s->said_rules, s->nrules, MAX_RULES, r->loc, "rules (in all blocks)"))
			continue;
		s->nrules++;
		check_rule(s, b, r, &b->rules[b->nrules++]);
	}
	if (!it->rules.head && !it->rules.had_error)
		diag_warning(s->dl, DC_W_EMPTY_BLOCK, it->loc,
			     "this block has no rules: every packet to it gets the default (drop)");
}

static void walk(struct sema *s, const struct ast_item *items)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		switch (it->kind) {
		case ITEM_DEFINE:
			check_define(s, it);
			break;
		case ITEM_INCLUDE:
			walk(s, it->body);
			break;
		case ITEM_NETWORK:
			check_network(s, it);
			break;
		case ITEM_LOG:   /* read before the walk: sema_log_defaults() */
			break;
		case ITEM_COUNTERS:
			s->counters = true;   /* said twice means the same */
			break;
		}
	}
}

/* The same prefix in two blocks: sorted so that thousands of blocks cost
 * n log n, then every occurrence after the first is an error. */
struct owned {
	const struct sema_prefix *p;
	int block;
};

static int cmp_owned(const void *pa, const void *pb)
{
	const struct owned *a = pa, *b = pb;
	if (a->p->pfx.family != b->p->pfx.family)
		return a->p->pfx.family - b->p->pfx.family;
	int c = memcmp(a->p->pfx.addr, b->p->pfx.addr, 16);
	if (c)
		return c;
	if (a->p->pfx.len != b->p->pfx.len)
		return a->p->pfx.len - b->p->pfx.len;
	return a->block - b->block;
}

static void check_duplicate_prefixes(struct sema *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->nblocks; i++)
		n += (size_t)s->blocks[i].nprefixes;
	struct arena scratch;
	arena_init(&scratch);
	struct owned *v = arena_alloc(&scratch, sizeof(*v) * (n ? n : 1));
	size_t k = 0;
	for (size_t i = 0; i < s->nblocks; i++)
		for (int j = 0; j < s->blocks[i].nprefixes; j++)
			v[k++] = (struct owned){ &s->blocks[i].prefixes[j], (int)i };
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_owned);
	/* first: where the current run of one prefix began, in block order. */
	for (size_t i = 1, first = 0; i < n; i++) {
		if (!addr_equal(&v[first].p->pfx, &v[i].p->pfx)) {
			first = i;
			continue;
		}
		char buf[ADDR_STRLEN];
		addr_format(&v[i].p->pfx, buf);
		const struct loc *at = &s->blocks[v[first].block].loc;
		const char *where = at->file == v[i].p->loc.file
			? arena_printf(s->a, "line %d", at->first_line)
			: arena_printf(s->a, "%s:%d", at->file ? at->file->path : "?", at->first_line);
		const char *what = v[i].p->docker
			? arena_printf(s->a, "%s (Docker network \"%s\")", buf, v[i].p->docker) : buf;
		struct diag *d = diag_error(s->dl, DC_PREFIX_TWO_BLOCKS, v[i].p->loc,
			"%s is already protected by the block at %s; a prefix belongs to one block",
			what, where);
		diag_note(s->dl, d, v[first].p->loc, "first used here");
	}
	arena_free(&scratch);
}

static const struct ast_value *first_docker_in(const struct ast_list *l)
{
	for (const struct ast_value *v = l ? l->head : NULL; v; v = v->next)
		if (v->kind == VAL_DOCKER)
			return v;
	return NULL;
}

const struct ast_value *sema_first_docker(const struct ast_item *items)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		const struct ast_value *v = NULL;
		if (it->kind == ITEM_INCLUDE)
			v = sema_first_docker(it->body);
		else if (it->kind == ITEM_DEFINE)
			v = first_docker_in(it->values);
		else if (it->kind == ITEM_NETWORK) {
			v = first_docker_in(it->targets);
			for (const struct ast_rule *r = it->rules.head; r && !v; r = r->next)
				v = first_docker_in(r->from);
		}
		if (v)
			return v;
	}
	return NULL;
}

/* The network blocks of items and of the files they include, up to the
 * limit: s->blocks is allocated once at this size, as a vector of 100 000
 * blocks doubled in the arena left as much again in dead copies. */
static size_t count_networks(const struct ast_item *items, size_t n)
{
	for (const struct ast_item *it = items; it && n <= MAX_BLOCKS; it = it->next)
		if (it->kind == ITEM_NETWORK)
			n++;
		else if (it->kind == ITEM_INCLUDE)
			n = count_networks(it->body, n);
	return n;
}

struct sema_policy *sema_check(struct arena *a, struct diag_list *dl,
			       const struct ast_item *items, const char *top_path)
{
	return sema_check_docker(a, dl, items, top_path, NULL);
}

struct sema_policy *sema_check_docker(struct arena *a, struct diag_list *dl,
				      const struct ast_item *items, const char *top_path,
				      const struct sema_docker *dk)
{
	struct sema s = { .a = a, .dl = dl, .docker = dk };
	collect_names(&s, items);
	sema_log_defaults(&s, items);
	s.capblocks = count_networks(items, 0);
	if (s.capblocks)
		s.blocks = arena_alloc(a, sizeof(*s.blocks) * s.capblocks);
	walk(&s, items);
	check_duplicate_prefixes(&s);
	for (size_t i = 0; i < s.nlater; i++)
		if (s.later[i].used_early) {
			struct define *d = sema_lookup(&s, s.later[i].name);
			if (d)
				d->used = true;
		}
	for (size_t i = 0; i < s.ndefs; i++)
		if (!s.defs[i]->used)
			diag_warning(dl, DC_W_UNUSED_DEFINE, s.defs[i]->loc, "'%s' is defined but never used",
				     s.defs[i]->name);

	struct sema_policy *p = arena_alloc(a, sizeof(*p));
	p->blocks = s.blocks;
	p->nblocks = (int)s.nblocks;
	p->top_path = top_path;
	p->counters = s.counters;
	return p;
}

/*
 * ir.c - lowering the checked policy into chains, rules and dispatch maps.
 *
 * The decisions live here and nowhere else.  Ownership: nftables interval
 * maps reject nested prefixes, so each family's prefixes are flattened into
 * disjoint ranges, each owned by the longest prefix that covers it.  Rule
 * shape: a rule is split per family when its match differs by family (ICMP
 * types, sources, a rule narrower than its block), and a reject of every
 * protocol becomes a TCP reset for TCP plus an ICMP answer for the rest.
 *
 * Load time at scale: the kernel walks its list of sets for every set it
 * adds, so a set per rule makes loading quadratic in the number of blocks
 * (10 000 blocks of `tcp dport { 22, 80, 443 }`: over two minutes).  Two
 * things keep sets rare.  Blocks with the same rules share one chain, and
 * a rule whose lists hold few values in all becomes one rule per value
 * (consecutive rules with one verdict cannot disagree, so their order does
 * not matter); only longer lists stay sets.  A list of more than 16
 * values is a named set that every rule with the same list shares
 * (ir_sets.c), and counts as one value when its rule is expanded.
 */
#include "ir.h"
#include "arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* nftables refuses longer comments and log prefixes. */
#define COMMENT_MAX IR_COMMENT_MAX
#define LOG_PREFIX_MAX 127
/* A rule with at most this many values (ports x ICMP types x sources) is
 * written as one rule per value, without a set. */
#define EXPAND_MAX 16

/* "PREFIX PATH SUFFIX" within max bytes, the path shortened from the left,
 * and with the bytes nftables strings cannot hold replaced. */
const char *ir_fit(struct arena *a, const char *prefix, const char *path, const char *suffix,
		   size_t max)
{
	char *s = arena_printf(a, "%s%s%s", prefix, path, suffix);
	size_t len = strlen(s);
	if (len >= max) {
		size_t plen = strlen(path), cut = len - (max - 1) + 3;
		if (cut > plen)
			cut = plen;
		s = arena_printf(a, "%s...%s%s", prefix, path + cut, suffix);
	}
	for (char *c = s; *c; c++)
		if (*c == '"' || (unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	return s;
}

const char *ir_place(struct arena *a, const struct loc *loc, const char *prefix,
		     const char *suffix, size_t max)
{
	const char *path = loc->file ? loc->file->path : "<policy>";
	/* The suffix is needed only while ir_fit copies it: one a rule. */
	char buf[64];
	const char *tail = buf;
	if (snprintf(buf, sizeof(buf), ":%d%s", loc->first_line, suffix) >= (int)sizeof(buf))
		tail = arena_printf(a, ":%d%s", loc->first_line, suffix);
	return ir_fit(a, prefix, path, tail, max);
}

/* ---- ownership ---- */

struct pfx_owner {
	u128 first, last;
	int len;
	int owner;
};

static int cmp_pfx_owner(const void *pa, const void *pb)
{
	const struct pfx_owner *a = pa, *b = pb;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	return a->len - b->len;   /* the outer prefix first */
}

static void emit_interval(struct arena *a, struct ir_dispatch *d, int *cap,
			  u128 first, u128 last, int owner)
{
	if (first > last)
		return;
	/* Adjacent ranges of one owner (its own adjacent prefixes) merge. */
	if (d->n > 0 && d->v[d->n - 1].chain == owner && d->v[d->n - 1].last + 1 == first) {
		d->v[d->n - 1].last = last;
		return;
	}
	size_t n = (size_t)d->n, c = (size_t)*cap;
	ARENA_PUSH(a, d->v, n, c);
	d->v[n - 1] = (struct ir_interval){ first, last, owner };
	d->n = (int)n;
	*cap = (int)c;
}

/* Prefixes are nested or disjoint, never partly overlapping, so a sweep in
 * address order with a stack of the prefixes that are open yields every
 * range with its innermost (longest) prefix on top of the stack.  v (k
 * prefixes of the family) is sorted in place; the stack is in scratch. */
static struct ir_dispatch sweep(struct arena *a, struct arena *scratch, int family,
				struct pfx_owner *v, int k)
{
	struct ir_dispatch d = { .family = family };
	qsort(v, (size_t)k, sizeof(*v), cmp_pfx_owner);
	/* An array of pointers: its element is the pointer. */
	struct pfx_owner **stack =
		arena_alloc(scratch, sizeof(*stack) * (size_t)(k ? k : 1)); /* NOLINT(bugprone-sizeof-expression) */
	int top = 0, cap = 0;
	u128 cur = 0;
	bool done = false;   /* cur wrapped past the last address */
	for (int i = 0; i < k; i++) {
		/* The same prefix twice (one block's overlapping list): the outer
		 * copy already covers it. */
		if (top > 0 && stack[top - 1]->first == v[i].first &&
		    stack[top - 1]->last == v[i].last && stack[top - 1]->owner == v[i].owner)
			continue;
		while (top > 0 && stack[top - 1]->last < v[i].first) {
			struct pfx_owner *t = stack[--top];
			emit_interval(a, &d, &cap, cur, t->last, t->owner);
			cur = t->last + 1;
		}
		if (top > 0 && cur < v[i].first)
			emit_interval(a, &d, &cap, cur, v[i].first - 1, stack[top - 1]->owner);
		stack[top++] = &v[i];
		cur = v[i].first;
	}
	while (top > 0 && !done) {
		struct pfx_owner *t = stack[--top];
		emit_interval(a, &d, &cap, cur, t->last, t->owner);
		cur = t->last + 1;
		if (cur == 0 || (family == FAM_IP4 && t->last == 0xffffffffu))
			done = true;
	}
	return d;
}

struct ir_dispatch ir_flatten(struct arena *a, int family, const struct prefix *pfx,
			      const int *owner, int n)
{
	struct arena scratch;
	arena_init(&scratch);
	int k = 0;
	for (int i = 0; i < n; i++)
		k += pfx[i].family == family;
	struct pfx_owner *v = arena_alloc(&scratch, sizeof(*v) * (size_t)(k ? k : 1));
	k = 0;
	for (int i = 0; i < n; i++)
		if (pfx[i].family == family)
			v[k++] = (struct pfx_owner){ addr_first(&pfx[i]), addr_last(&pfx[i]),
						     pfx[i].len, owner[i] };
	struct ir_dispatch d = sweep(a, &scratch, family, v, k);
	arena_free(&scratch);
	return d;
}

/* As ir_flatten, straight from the blocks: no copy of every prefix first
 * (at 100 000 blocks that copy and the unfiltered one ir_flatten made were
 * a transient 9 MB a family, twice for the dispatch and sources maps). */
struct ir_dispatch ir_flatten_blocks(struct arena *a, const struct sema_policy *p, int family,
				     const int *owner_of_block)
{
	int k = 0;
	for (int i = 0; i < p->nblocks; i++)
		for (int j = 0; j < p->blocks[i].nprefixes; j++)
			k += p->blocks[i].prefixes[j].pfx.family == family;
	struct arena scratch;
	arena_init(&scratch);
	struct pfx_owner *v = arena_alloc(&scratch, sizeof(*v) * (size_t)(k ? k : 1));
	k = 0;
	for (int i = 0; i < p->nblocks; i++)
		for (int j = 0; j < p->blocks[i].nprefixes; j++) {
			const struct prefix *x = &p->blocks[i].prefixes[j].pfx;
			if (x->family == family)
				v[k++] = (struct pfx_owner){ addr_first(x), addr_last(x), x->len,
							     owner_of_block[i] };
		}
	struct ir_dispatch d = sweep(a, &scratch, family, v, k);
	arena_free(&scratch);
	return d;
}

/* ---- rules ---- */

const char *const ir_l4_name[] = {
	[IR_L4_ANY] = "",
	[IR_L4_TCP] = "tcp",
	[IR_L4_UDP] = "udp",
	[IR_L4_ICMP] = "icmp",
	[IR_L4_ICMPV6] = "ipv6-icmp",
};

/* A chain's rules are gathered in one malloc'd buffer that ir_lower hands
 * from chain to chain, and copied into the arena at their final count: a
 * vector grown in the arena, between the strings of its rules, left a dead
 * copy at every doubling (bench/shapes.sh mixed 100000: 48 MB of 400). */
static struct ir_rule *add_rule(struct ir_chain *c)
{
	if (c->nrules == c->caprules) {
		c->caprules = c->caprules ? c->caprules * 2 : 16;
		c->rules = xrealloc(c->rules, sizeof(*c->rules) * (size_t)c->caprules);
	}
	struct ir_rule *r = &c->rules[c->nrules++];
	memset(r, 0, sizeof(*r));
	return r;
}

static uint8_t *icmp_list(struct arena *a, const struct icmp_set *s, int *n)
{
	*n = 0;
	for (int t = 0; t < 256; t++)
		if (icmp_set_has(s, t))
			(*n)++;
	uint8_t *v = arena_alloc(a, (size_t)*n + 1);
	int k = 0;
	for (int t = 0; t < 256; t++)
		if (icmp_set_has(s, t))
			v[k++] = (uint8_t)t;
	return v;
}

/* Appends the rule (or the pair, for a reject of every protocol). */
static void add_verdict(struct ir_chain *c, const struct ir_rule *m,
			enum verdict v)
{
	struct ir_rule base = *m;
	/* Sources and ICMP type matches imply their family; nothing else does. */
	base.match_family = m->family && !m->nsaddr && !m->ntypes;
	/* Over its limit a rule stops, so a limited log cannot share the rule
	 * of the verdict: the packets past the limit would skip the verdict. */
	if (m->log && m->log_spec.rate) {
		struct ir_rule *l = add_rule(c);
		*l = base;
		l->log_only = true;
		base.log = false;
	}
	if (v == VERDICT_REJECT && m->l4 == IR_L4_ANY) {
		struct ir_rule *tcp = add_rule(c);
		*tcp = base;
		tcp->l4 = IR_L4_TCP;
		tcp->verdict = IR_REJECT_TCP_RESET;
	}
	struct ir_rule *r = add_rule(c);
	*r = base;
	switch (v) {
	case VERDICT_ACCEPT: r->verdict = IR_ACCEPT; break;
	case VERDICT_DROP: r->verdict = IR_DROP; break;
	case VERDICT_REJECT:
		r->verdict = m->l4 == IR_L4_TCP ? IR_REJECT_TCP_RESET : IR_REJECT_ICMPX;
		break;
	}
}

/* The values a list of n splits into when its rule is expanded: none for
 * an absent list, and none for a list that stays whole as a named set
 * (ir_sets.c), which costs the kernel one set however many rules name it. */
static int split_count(int n)
{
	return n > 0 && n < IR_SET_MIN ? n : 0;
}

/* One rule per value of each short list, or the rule as it is when that
 * would make more than EXPAND_MAX rules.  A long list is one value here:
 * `allow tcp 22, 80 from` 20 prefixes is two rules that name one set. */
static void add_expanded(struct ir_chain *c, const struct ir_rule *m,
			 enum verdict v)
{
	int sp = split_count(m->nports), st = split_count(m->ntypes), ss = split_count(m->nsaddr);
	int np = sp ? sp : 1, nt = st ? st : 1, ns = ss ? ss : 1;
	if ((long)np * nt * ns > EXPAND_MAX || np * nt * ns == 1) {
		add_verdict(c, m, v);
		return;
	}
	for (int i = 0; i < ns; i++)
		for (int j = 0; j < nt; j++)
			for (int k = 0; k < np; k++) {
				struct ir_rule one = *m;
				if (ss) {
					one.saddr = &m->saddr[i];
					one.nsaddr = 1;
				}
				if (st) {
					one.icmp_types = &m->icmp_types[j];
					one.ntypes = 1;
				}
				if (sp) {
					one.ports = &m->ports[k];
					one.nports = 1;
				}
				add_verdict(c, &one, v);
			}
}

static void lower_rule(struct arena *a, const struct sema_block *b,
		       const struct sema_rule *r, struct ir_chain *c)
{
	bool split = r->proto == PROTO_ICMP || !r->any_source || r->families != b->families;
	struct ir_rule m = { 0 };
	m.log = r->log;
	m.log_spec = r->log_spec;
	m.comment = ir_place(a, &r->loc, "", "", COMMENT_MAX);
	m.loc = r->loc;
	if (r->log)
		m.log_prefix = ir_place(a, &r->loc, "d6c ", " ", LOG_PREFIX_MAX);
	if (r->proto == PROTO_TCP || r->proto == PROTO_UDP) {
		m.l4 = r->proto == PROTO_TCP ? IR_L4_TCP : IR_L4_UDP;
		if (!r->all_ports) {
			m.ports = r->ports;
			m.nports = r->nports;
		}
	}
	if (!split) {
		add_expanded(c, &m, r->verdict);
		return;
	}
	for (int fam = FAM_IP4; fam <= FAM_IP6; fam <<= 1) {
		if (!(r->families & fam))
			continue;
		struct ir_rule f = m;
		f.family = fam;
		if (r->proto == PROTO_ICMP) {
			f.l4 = fam == FAM_IP4 ? IR_L4_ICMP : IR_L4_ICMPV6;
			if (!r->all_icmp)
				f.icmp_types = icmp_list(a, fam == FAM_IP4 ? &r->icmp4 : &r->icmp6,
							 &f.ntypes);
		}
		if (!r->any_source) {
			f.saddr = arena_alloc(a, sizeof(*f.saddr) * (size_t)(r->nsources + 1));
			for (int i = 0; i < r->nsources; i++)
				if (r->sources[i].pfx.family == fam)
					f.saddr[f.nsaddr++] = r->sources[i].pfx;
		}
		add_expanded(c, &f, r->verdict);
	}
}

static void lower_block(struct arena *a, const struct sema_block *b, int nblocks,
			struct ir_chain *c)
{
	c->name = arena_printf(a, "net_%d", b->index + 1);
	c->comment = ir_place(a, &b->loc, "", "", COMMENT_MAX);
	/* A Docker network is named by its name, the one thing about it that
	 * stays when Docker moves it to another subnet. */
	const char *docker = b->docker ? arena_printf(a, " (docker %.60s%s)", b->docker,
						      strlen(b->docker) > 60 ? "..." : "") : "";
	/* Not how many blocks share it: a delta (delta.h) that adds one more
	 * would have to recreate the chain, and re-add every range that jumps
	 * to it, since nftables cannot change a chain's comment in place. */
	c->chain_comment = nblocks == 1
		? ir_place(a, &b->loc, "network at ", docker, COMMENT_MAX)
		: ir_place(a, &b->loc, "networks at ",
			   arena_printf(a, "%s and others with the same rules", docker),
			   COMMENT_MAX);
	c->families = b->families;
	c->nblocks = nblocks;

	/* Invalid packets to a protected destination never reach the rules. */
	struct ir_rule *inv = add_rule(c);
	inv->ct_invalid = true;
	inv->verdict = IR_DROP;
	inv->comment = c->comment;
	inv->loc = b->loc;

	for (int i = 0; i < b->nrules; i++)
		lower_rule(a, b, &b->rules[i], c);

	struct ir_rule d = { 0 };
	d.log = b->default_log;
	d.log_spec = b->default_log_spec;
	d.comment = ir_place(a, &b->default_loc, "", b->has_default ? "" : " default", COMMENT_MAX);
	d.loc = b->default_loc;   /* the network line when the default is implicit */
	if (d.log)
		d.log_prefix = ir_place(a, &b->default_loc, "d6c ", " ", LOG_PREFIX_MAX);
	add_verdict(c, &d, b->default_verdict);
}

/* ---- blocks with the same rules ---- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

/* Where a logging rule was written is part of what it does: its log
 * prefix names that line.  So are its limit and group. */
static uint64_t mix_place(uint64_t h, bool log, const struct loc *l, const struct log_spec *ls)
{
	if (!log)
		return h;
	h = mix(mix(h, (uintptr_t)l->file), (uint64_t)l->first_line);
	return mix(mix(mix(h, ls->rate), (uint64_t)ls->group), ls->rate ? ls->burst : 0);
}

static bool same_place(bool log, const struct loc *x, const struct loc *y,
		       const struct log_spec *lx, const struct log_spec *ly)
{
	return !log || (x->file == y->file && x->first_line == y->first_line &&
			sema_log_equal(lx, ly));
}

static uint64_t hash_rules(const struct sema_block *b)
{
	uint64_t h = mix((uint64_t)b->families, (uint64_t)b->nrules);
	h = mix(mix(h, b->default_verdict), b->default_log);
	h = mix_place(h, b->default_log, &b->default_loc, &b->default_log_spec);
	for (int i = 0; i < b->nrules; i++) {
		const struct sema_rule *r = &b->rules[i];
		h = mix(mix(mix(h, r->verdict), r->proto), (uint64_t)r->families);
		h = mix(mix(mix(h, r->log), r->nports), r->nsources);
		h = mix_place(h, r->log, &r->loc, &r->log_spec);
		for (int j = 0; j < r->nports; j++)
			h = mix(h, (uint64_t)r->ports[j].lo << 16 | r->ports[j].hi);
		for (int j = 0; j < 4; j++)
			h = mix(mix(h, r->icmp4.bits[j]), r->icmp6.bits[j]);
		for (int j = 0; j < r->nsources; j++) {
			uint64_t v = r->sources[j].pfx.len;
			for (int k = 0; k < 16; k++)
				v = mix(v, r->sources[j].pfx.addr[k]);
			h = mix(h, v);
		}
	}
	return h;
}

static bool same_rule(const struct sema_rule *x, const struct sema_rule *y)
{
	if (x->verdict != y->verdict || x->log != y->log || x->proto != y->proto ||
	    x->families != y->families || x->all_ports != y->all_ports ||
	    x->nports != y->nports || x->all_icmp != y->all_icmp ||
	    x->any_source != y->any_source || x->nsources != y->nsources ||
	    memcmp(&x->icmp4, &y->icmp4, sizeof(x->icmp4)) != 0 ||
	    memcmp(&x->icmp6, &y->icmp6, sizeof(x->icmp6)) != 0 ||
	    !same_place(x->log, &x->loc, &y->loc, &x->log_spec, &y->log_spec))
		return false;
	for (int i = 0; i < x->nports; i++)
		if (x->ports[i].lo != y->ports[i].lo || x->ports[i].hi != y->ports[i].hi)
			return false;
	for (int i = 0; i < x->nsources; i++)
		if (!addr_equal(&x->sources[i].pfx, &y->sources[i].pfx))
			return false;
	return true;
}

static bool same_rules(const struct sema_block *x, const struct sema_block *y)
{
	if (x->families != y->families || x->nrules != y->nrules ||
	    x->default_verdict != y->default_verdict || x->default_log != y->default_log ||
	    !same_place(x->default_log, &x->default_loc, &y->default_loc,
			&x->default_log_spec, &y->default_log_spec))
		return false;
	for (int i = 0; i < x->nrules; i++)
		if (!same_rule(&x->rules[i], &y->rules[i]))
			return false;
	return true;
}

/* class[i]: the first block with block i's rules.  An open-addressing
 * table keyed by the rules' hash keeps this linear in the blocks.  All in
 * scratch. */
static int *classify(struct arena *scratch, const struct sema_policy *p)
{
	int n = p->nblocks;
	int *class = arena_alloc(scratch, sizeof(*class) * (size_t)(n ? n : 1));
	size_t size = 16;
	while (size < (size_t)n * 2)
		size *= 2;
	int *slot = arena_alloc(scratch, sizeof(*slot) * size);
	uint64_t *key = arena_alloc(scratch, sizeof(*key) * (size_t)(n ? n : 1));
	for (size_t i = 0; i < size; i++)
		slot[i] = -1;
	for (int i = 0; i < n; i++) {
		key[i] = hash_rules(&p->blocks[i]);
		size_t at = key[i] & (size - 1);
		class[i] = i;
		while (slot[at] >= 0) {
			int j = slot[at];
			if (key[j] == key[i] && same_rules(&p->blocks[j], &p->blocks[i])) {
				class[i] = j;
				break;
			}
			at = (at + 1) & (size - 1);
		}
		if (class[i] == i)
			slot[at] = i;
	}
	return class;
}

const char *const ir_docker_bridges[] = { "docker0", "br-*", NULL };

/* A 32-bit number in C notation; *end after it. */
static bool parse_u32(const char *s, const char **end, uint32_t *out)
{
	char *e;
	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	unsigned long long v = strtoull(s, &e, 0);
	if (e == s || errno || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	*end = e;
	return true;
}

enum ir_mark_syntax ir_parse_mark(const char *s, uint32_t *value, uint32_t *mask,
				  bool *has_mask)
{
	const char *end;
	if (!parse_u32(s, &end, value) || (*end && *end != '/'))
		return IR_MARK_BAD_VALUE;
	*has_mask = *end == '/';
	if (*has_mask && (!parse_u32(end + 1, &end, mask) || *end))
		return IR_MARK_BAD_MASK;
	return IR_MARK_OK;
}

struct ir_policy *ir_lower(struct arena *a, const struct sema_policy *p,
			   const struct ir_options *opt)
{
	struct ir_policy *ir = arena_alloc(a, sizeof(*ir));
	ir->table = opt && opt->table ? opt->table : "d6c";
	ir->priority = opt && opt->priority ? opt->priority : IR_DEFAULT_PRIORITY;
	ir->priority_num = opt && opt->priority ? opt->priority_num : IR_DEFAULT_PRIORITY_NUM;
	if (opt && opt->accept_mask) {
		ir->accept_mark = opt->accept_mark;
		ir->accept_mask = opt->accept_mask;
	}
	const char *src = p->top_path ? p->top_path : "<policy>";
	ir->source = ir_fit(a, "", src, "", 1024);
	ir->comment_replies = ir_fit(a, "", src, ": replies to allowed connections", COMMENT_MAX);
	ir->comment_dispatch6 = ir_fit(a, "", src, ": IPv6 networks", COMMENT_MAX);
	ir->comment_dispatch4 = ir_fit(a, "", src, ": IPv4 networks", COMMENT_MAX);
	ir->comment_any_docker = ir_fit(a, "", src, ": from a Docker network: Docker's isolation "
					"decides (no mark)", COMMENT_MAX);
	ir->comment_any_mark = ir_fit(a, "", src, ": accepted: the mark lets Docker's chains "
				      "accept it too", COMMENT_MAX);
	ir->nblocks = p->nblocks;
	struct arena scratch;
	arena_init(&scratch);
	int *class = classify(&scratch, p);
	int *users = arena_alloc(&scratch, sizeof(*users) * (size_t)(p->nblocks + 1));
	int *chain_of = arena_alloc(&scratch, sizeof(*chain_of) * (size_t)(p->nblocks + 1));
	for (int i = 0; i < p->nblocks; i++)
		users[class[i]]++;
	int nchains = 0;
	for (int i = 0; i < p->nblocks; i++)
		if (class[i] == i)
			nchains++;
	ir->chains = arena_alloc(a, sizeof(*ir->chains) * (size_t)(nchains + 1));
	struct ir_rule *rules = NULL;   /* add_rule's buffer, from chain to chain */
	int caprules = 0;
	for (int i = 0; i < p->nblocks; i++) {
		if (class[i] != i) {
			chain_of[i] = chain_of[class[i]];
			continue;
		}
		chain_of[i] = ir->nchains;
		struct ir_chain *c = &ir->chains[ir->nchains++];
		c->rules = rules;
		c->caprules = caprules;
		lower_block(a, &p->blocks[i], users[i], c);
		rules = c->rules;
		caprules = c->caprules;
		c->rules = arena_alloc(a, sizeof(*c->rules) * (size_t)c->nrules);
		if (rules)   /* always: a chain starts with its invalid-state drop */
			memcpy(c->rules, rules, sizeof(*c->rules) * (size_t)c->nrules);
		c->caprules = c->nrules;
	}
	free(rules);
	ir->blocks = arena_alloc(a, sizeof(*ir->blocks) * (size_t)(p->nblocks + 1));
	for (int i = 0; i < p->nblocks; i++)
		ir->blocks[i] = (struct ir_block){ p->blocks[i].loc, chain_of[i] };
	ir->dispatch4 = ir_flatten_blocks(a, p, FAM_IP4, chain_of);
	ir->dispatch6 = ir_flatten_blocks(a, p, FAM_IP6, chain_of);
	ir_lower_sources(a, p, ir);
	arena_free(&scratch);
	ir_share_sets(a, ir);
	if (p->counters || (opt && opt->counters))
		ir_name_counters(a, ir);
	return ir;
}

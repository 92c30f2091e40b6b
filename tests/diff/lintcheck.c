/*
 * lintcheck.c - lint's claims that a rule changes nothing, checked with
 * the evaluator.
 *
 * D6C-W001, W002, W003 and W016 say that a rule (W003: a rule and every
 * rule after it) could go without any packet going another way; W017 says
 * the same for one family's packets.  Each claim is taken at its word: its
 * lines are cut from the policy text (generated policies hold one rule a
 * line) and the evaluator, which knows nothing of lint's cells, judges
 * both policies for the seed's packets and for packets made here at the
 * edges of the claimed block's sources, ports and ICMP types.  Then all
 * the claims of W001, W002, W003 and W016 are cut at once: lint promises
 * that they hold together too.
 */
#include "lintcheck.h"
#include "difftest.h"
#include "gen.h"
#include "compiler/lint.h"
#include "compiler/names.h"
#include "compiler/parse.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EDGE_PACKETS 30000

static const struct {
	enum diag_code code;
	const char *name;
	bool to_block_end;    /* the rule and the block's rules after it */
} claim_of[LC_NCODES] = {
	[LC_W001] = { DC_W_SHADOWED, "D6C-W001", false },
	[LC_W002] = { DC_W_SHADOWED_UNION, "D6C-W002", false },
	[LC_W003] = { DC_W_AFTER_MATCH_ALL, "D6C-W003", true },
	[LC_W016] = { DC_W_REDUNDANT, "D6C-W016", false },
	[LC_W017] = { DC_W_AFTER_FAMILY_ALL, "D6C-W017", true },
};

struct claim {
	int code;        /* LC_* */
	int line;
	int family;      /* the packets it speaks of: FAM_BOTH, or W017's one */
};

struct policy {
	struct arena a;
	struct diag_list dl;
	struct sema_policy *sp;
};

static bool load(struct policy *p, const char *text, bool lint)
{
	arena_init(&p->a);
	diag_init(&p->dl, &p->a);
	struct ast_item *ast = parse_string(&p->a, &p->dl, "lint.pol", text);
	p->sp = sema_check(&p->a, &p->dl, ast, "lint.pol");
	if (diag_has_errors(&p->dl))
		return false;
	if (lint)
		lint_check(&p->dl, p->sp);
	return true;
}

/* text without the lines cut[line] (1-based); the caller frees it. */
static char *without(const char *text, const bool *cut, int nlines)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	if (!out)
		dt_die_sys("malloc");
	int line = 1;
	for (const char *t = text; *t; line++) {
		const char *end = strchr(t, '\n');
		size_t len = end ? (size_t)(end - t) + 1 : strlen(t);
		if (line > nlines || !cut[line]) {
			memcpy(o, t, len);
			o += len;
		}
		t += len;
	}
	*o = '\0';
	return out;
}

static int count_lines(const char *text)
{
	int n = 1;
	for (const char *t = text; *t; t++)
		n += *t == '\n';
	return n;
}

/* Marks the lines a claim cuts: its rule's, and for W003 and W017 every
 * rule line after it up to the block's '>' (defaults stay: they are no
 * rule). */
static void mark(const char *text, const struct claim *c, bool *cut)
{
	int line = 1;
	for (const char *t = text; *t; line++) {
		const char *end = strchr(t, '\n');
		size_t len = end ? (size_t)(end - t) : strlen(t);
		if (line == c->line) {
			cut[line] = true;
		} else if (line > c->line && claim_of[c->code].to_block_end) {
			if (t[0] == '>')
				return;
			if (strncmp(t, "\tdefault", 8) != 0)
				cut[line] = true;
		}
		t += len + (end != NULL);
	}
}

/* ---- packets at the edges of one block ---- */

struct edges {
	struct pkt *v;
	int n;
};

static void push(struct edges *e, const struct pkt *p)
{
	if (e->n < EDGE_PACKETS)
		e->v[e->n++] = *p;
}

static void add_value(u128 *v, int *n, int max, u128 x)
{
	for (int i = 0; i < *n; i++)
		if (v[i] == x)
			return;
	if (*n < max)
		v[(*n)++] = x;
}

/* Every source edge times every destination of b, for each protocol at
 * each port or type edge the block's rules draw. */
static void block_edges(const struct sema_block *b, struct edges *e)
{
	enum { MAXV = 96 };
	for (int f = FAM_IP4; f <= FAM_IP6; f <<= 1) {
		if (!(b->families & f))
			continue;
		u128 max = f == FAM_IP4 ? (u128)0xffffffffu : ~(u128)0;
		u128 src[MAXV], dst[MAXV], port[MAXV], type[MAXV];
		int ns = 0, nd = 0, np = 0, nt = 0;
		add_value(src, &ns, MAXV, 0);
		add_value(src, &ns, MAXV, max);
		add_value(src, &ns, MAXV, f == FAM_IP4 ? 0x0a010203u : ((u128)0x20010db8u << 96) | 0x1234);
		for (int i = 0; i < b->nprefixes; i++) {
			const struct prefix *x = &b->prefixes[i].pfx;
			if (x->family != f)
				continue;
			add_value(dst, &nd, MAXV, addr_first(x));
			add_value(dst, &nd, MAXV, addr_last(x));
		}
		static const int fixed_ports[] = { 0, 22, 80, 443, 65535 };
		for (size_t i = 0; i < sizeof(fixed_ports) / sizeof(fixed_ports[0]); i++)
			add_value(port, &np, MAXV, (u128)fixed_ports[i]);
		static const int fixed_types[] = { 0, 3, 8, 11, 128, 129, 135, 200 };
		for (size_t i = 0; i < sizeof(fixed_types) / sizeof(fixed_types[0]); i++)
			add_value(type, &nt, MAXV, (u128)fixed_types[i]);
		for (int j = 0; j < b->nrules; j++) {
			const struct sema_rule *r = &b->rules[j];
			for (int k = 0; k < r->nsources; k++) {
				const struct prefix *x = &r->sources[k].pfx;
				if (x->family != f)
					continue;
				u128 lo = addr_first(x), hi = addr_last(x);
				add_value(src, &ns, MAXV, lo);
				add_value(src, &ns, MAXV, hi);
				if (lo > 0)
					add_value(src, &ns, MAXV, lo - 1);
				if (hi < max)
					add_value(src, &ns, MAXV, hi + 1);
			}
			for (int k = 0; k < r->nports; k++) {
				int lo = r->ports[k].lo, hi = r->ports[k].hi;
				add_value(port, &np, MAXV, (u128)lo);
				add_value(port, &np, MAXV, (u128)hi);
				if (lo > 0)
					add_value(port, &np, MAXV, (u128)lo - 1);
				if (hi < 65535)
					add_value(port, &np, MAXV, (u128)hi + 1);
			}
			const struct icmp_set *ts = f == FAM_IP4 ? &r->icmp4 : &r->icmp6;
			for (int t = 0; t < 256; t++)
				if (icmp_set_has(ts, t))
					add_value(type, &nt, MAXV, (u128)t);
		}
		for (int d = 0; d < nd; d++) {
			for (int s = 0; s < ns; s++) {
				struct pkt p = { .family = f, .src = src[s], .dst = dst[d] };
				p.proto = PKT_OTHER;
				push(e, &p);
				for (int k = 0; k < np; k++) {
					p.port = (int)port[k];
					p.proto = PKT_TCP;
					push(e, &p);
					p.proto = PKT_UDP;
					push(e, &p);
				}
				p.port = 0;
				p.proto = PKT_ICMP;
				for (int k = 0; k < nt; k++) {
					p.icmp_type = (int)type[k];
					push(e, &p);
				}
			}
		}
	}
}

/* The block of policy sp holding a rule (or its default) at line. */
static const struct sema_block *block_at(const struct sema_policy *sp, int line)
{
	for (int i = 0; i < sp->nblocks; i++) {
		const struct sema_block *b = &sp->blocks[i];
		for (int j = 0; j < b->nrules; j++)
			if (b->rules[j].loc.first_line == line)
				return b;
	}
	return NULL;
}

/* ---- comparing ---- */

static bool same_effect(const struct eval_result *x, const struct eval_result *y)
{
	if (x->verdict != y->verdict || x->log != y->log)
		return false;
	return !x->log || sema_log_equal(x->log_spec, y->log_spec);
}

/* Does every packet of family fam go the same way under both policies?
 * Prints the first that does not. */
static bool compare(uint64_t seed, const char *what, const struct policy *with,
		    const struct policy *cut, const struct pkt *pkts, int n,
		    const struct eval_routes *routes, int fam, struct lint_counts *lc)
{
	int kernel = kernel_release_running();
	for (int i = 0; i < n; i++) {
		if (!(pkts[i].family & fam))
			continue;
		lc->packets++;
		struct eval_result a = eval_packet_routed(with->sp, &pkts[i], routes, kernel);
		struct eval_result b = eval_packet_routed(cut->sp, &pkts[i], routes, kernel);
		if (same_effect(&a, &b))
			continue;
		char pk[256], wa[256], wb[256];
		gen_format_pkt(&pkts[i], pk, sizeof(pk));
		dt_describe(&a, wa, sizeof(wa));
		dt_describe(&b, wb, sizeof(wb));
		printf("difftest: LINT CLAIM WRONG seed %" PRIu64 ": %s: %s: %s%s with the rule, "
		       "%s%s without\n", seed, what, pk, wa, a.log ? " (logged)" : "", wb,
		       b.log ? " (logged)" : "");
		return false;
	}
	return true;
}

/* The text of line (1-based), for the report. */
static void line_text(const char *text, int line, char *buf, size_t len)
{
	for (int l = 1; l < line && text; l++) {
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	if (!text) {
		snprintf(buf, len, "?");
		return;
	}
	while (*text == '\t' || *text == ' ')
		text++;
	size_t n = strcspn(text, "\n");
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), text);
}

static bool check_cut(uint64_t seed, const char *text, const struct policy *with,
		      const bool *cut, int nlines, const char *what, const struct edges *e,
		      const struct pkt *pkts, int n, const struct eval_routes *routes, int fam,
		      struct lint_counts *lc)
{
	char *t = without(text, cut, nlines);
	struct policy p;
	bool ok = load(&p, t, false);
	if (!ok)
		printf("difftest: LINT CLAIM WRONG seed %" PRIu64 ": %s: the policy without it has "
		       "errors\n", seed, what);
	ok = ok && compare(seed, what, with, &p, pkts, n, routes, fam, lc) &&
	     compare(seed, what, with, &p, e->v, e->n, NULL, fam, lc);
	arena_free(&p.a);
	free(t);
	return ok;
}

bool lint_claims_hold(uint64_t seed, const char *text, const struct pkt *pkts, int n,
		      const struct eval_routes *routes, struct lint_counts *lc)
{
	struct policy with;
	if (!load(&with, text, true)) {
		arena_free(&with.a);
		return true;   /* not lint's to answer: the driver reports the errors */
	}
	int nlines = count_lines(text);
	bool *cut = calloc((size_t)nlines + 1, sizeof(bool));
	bool *all = calloc((size_t)nlines + 1, sizeof(bool));
	struct edges one = { malloc(sizeof(struct pkt) * EDGE_PACKETS), 0 };
	struct edges every = { malloc(sizeof(struct pkt) * EDGE_PACKETS), 0 };
	if (!cut || !all || !one.v || !every.v)
		dt_die_sys("malloc");
	bool ok = true, any = false;
	for (size_t i = 0; i < with.dl.n; i++) {
		const struct diag *d = with.dl.items[i];
		struct claim c = { .code = -1, .line = d->loc.first_line, .family = FAM_BOTH };
		for (int k = 0; k < LC_NCODES; k++)
			if (d->code == claim_of[k].code)
				c.code = k;
		if (c.code < 0)
			continue;
		if (c.code == LC_W017)
			c.family = strncmp(d->msg, "IPv4", 4) == 0 ? FAM_IP4 : FAM_IP6;
		memset(cut, 0, sizeof(bool) * ((size_t)nlines + 1));
		mark(text, &c, cut);
		one.n = 0;
		const struct sema_block *b = block_at(with.sp, c.line);
		if (b)
			block_edges(b, &one);
		char rule[160], what[256];
		line_text(text, c.line, rule, sizeof(rule));
		snprintf(what, sizeof(what), "%s at line %d (%s)%s", claim_of[c.code].name, c.line,
			 rule, c.family == FAM_IP4 ? ", IPv4 packets" : c.family == FAM_IP6 ?
			 ", IPv6 packets" : "");
		lc->claims[c.code]++;
		if (!check_cut(seed, text, &with, cut, nlines, what, &one, pkts, n, routes,
			       c.family, lc)) {
			lc->wrong++;
			ok = false;
			continue;
		}
		if (c.code == LC_W017)
			continue;
		any = true;
		for (int l = 1; l <= nlines; l++)
			all[l] = all[l] || cut[l];
		if (b && every.n + one.n <= EDGE_PACKETS) {
			memcpy(every.v + every.n, one.v, sizeof(struct pkt) * (size_t)one.n);
			every.n += one.n;
		}
	}
	if (ok && any) {
		lc->together++;
		if (!check_cut(seed, text, &with, all, nlines, "every claim of D6C-W001, W002, "
			       "W003 and W016 at once", &every, pkts, n, routes, FAM_BOTH, lc)) {
			lc->wrong++;
			ok = false;
		}
	}
	if (!ok)
		dt_print_indented(text);
	free(cut);
	free(all);
	free(one.v);
	free(every.v);
	arena_free(&with.a);
	return ok;
}

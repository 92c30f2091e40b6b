/*
 * tablediff.c - two d6c tables compared in the policy's terms
 * (tablediff.h).
 */
#include "tablediff.h"

#include "addr.h"

#include <stdlib.h>
#include <string.h>

/* ---- one side, indexed ---- */

struct route {            /* a dispatch element: range -> chain */
	const char *range;
	const struct listing_chain *chain;
	int family;           /* 0: a range nft spelt in a way not read here */
	u128 first, last;
};

struct side {
	const struct listing *l;
	const struct listing_chain **by_name;   /* sorted by name */
	struct route *routes;                   /* sorted by range, as text */
	int nroutes, caproutes;
	struct route *byaddr;                   /* the same by family, first address */
	/* per chain: */
	bool *is_block;                         /* a dispatch map routes to it */
	bool *is_routed;                        /* some map routes to it */
	const char ***ranges;                   /* the dispatch ranges routed to it */
	int *nranges;
};

static int cmp_chain_name(const void *x, const void *y)
{
	const struct listing_chain *const *a = x, *const *b = y;
	return strcmp((*a)->name, (*b)->name);
}

static const struct listing_chain *find_chain(const struct side *s, const char *name)
{
	struct listing_chain key = { .name = name };
	const struct listing_chain *kp = &key;
	const struct listing_chain **hit =
		bsearch(&kp, s->by_name, (size_t)s->l->nchains, sizeof(const struct listing_chain *), cmp_chain_name);
	return hit ? *hit : NULL;
}

static int cmp_route(const void *x, const void *y)
{
	const struct route *a = x, *b = y;
	return strcmp(a->range, b->range);
}

static const struct route *find_route(const struct side *s, const char *range)
{
	struct route key = { .range = range };
	if (!s->nroutes)
		return NULL;   /* no table: routes is NULL */
	return bsearch(&key, s->routes, (size_t)s->nroutes, sizeof(*s->routes), cmp_route);
}

/* "RANGE : jump CHAIN" (or goto): RANGE and CHAIN, or false. */
static bool split_elem(struct arena *a, const char *e, const char **range, const char **chain)
{
	const char *sep = strstr(e, " : ");
	if (!sep)
		return false;
	const char *v = sep + 3;
	if (strncmp(v, "jump ", 5) != 0 && strncmp(v, "goto ", 5) != 0)
		return false;
	v += 5;
	*range = arena_strndup(a, e, (size_t)(sep - e));
	*chain = v;
	return true;
}

static bool is_dispatch(const struct listing_set *m)
{
	return strcmp(m->kind, "map") == 0 && strncmp(m->name, "dispatch", 8) == 0;
}

/* "PREFIX", "ADDRESS" or "FIRST-LAST" as numbers; false when not one. */
static bool parse_range(struct arena *a, const char *s, struct route *r)
{
	struct prefix p, q;
	const char *dash = strchr(s, '-');
	if (!dash) {
		if (addr_parse(s, &p) != ADDR_OK)
			return false;
		r->family = p.family;
		r->first = addr_first(&p);
		r->last = addr_last(&p);
		return true;
	}
	if (addr_parse(arena_strndup(a, s, (size_t)(dash - s)), &p) != ADDR_OK ||
	    addr_parse(dash + 1, &q) != ADDR_OK || p.family != q.family)
		return false;
	r->family = p.family;
	r->first = addr_first(&p);
	r->last = addr_last(&q);
	return true;
}

static int cmp_addr(const void *x, const void *y)
{
	const struct route *a = x, *b = y;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

static void index_side(struct arena *a, const struct listing *l, struct side *s)
{
	size_t nc = (size_t)l->nchains + 1;
	*s = (struct side){ .l = l };
	s->by_name = arena_alloc(a, sizeof(const struct listing_chain *) * nc);
	for (int i = 0; i < l->nchains; i++)
		s->by_name[i] = &l->chains[i];
	qsort(s->by_name, (size_t)l->nchains, sizeof(const struct listing_chain *), cmp_chain_name);
	s->is_block = arena_alloc(a, sizeof(bool) * nc);
	s->is_routed = arena_alloc(a, sizeof(bool) * nc);
	s->nranges = arena_alloc(a, sizeof(int) * nc);
	s->ranges = arena_alloc(a, sizeof(*s->ranges) * nc);
	int *cap = xmalloc(sizeof(int) * nc);
	memset(cap, 0, sizeof(int) * nc);
	for (int i = 0; i < l->nsets; i++) {
		const struct listing_set *m = &l->sets[i];
		for (int j = 0; j < m->nelems; j++) {
			const char *range, *name;
			const struct listing_chain *c;
			if (!split_elem(a, m->elems[j], &range, &name) || !(c = find_chain(s, name)))
				continue;
			size_t k = (size_t)(c - l->chains);
			s->is_routed[k] = true;
			if (!is_dispatch(m))
				continue;
			s->is_block[k] = true;
			ARENA_PUSH(a, s->routes, s->nroutes, s->caproutes);
			struct route *r = &s->routes[s->nroutes - 1];
			*r = (struct route){ range, c, 0, 0, 0 };
			if (!parse_range(a, range, r))
				r->family = 0;
			ARENA_PUSH(a, s->ranges[k], s->nranges[k], cap[k]);
			s->ranges[k][s->nranges[k] - 1] = range;
		}
	}
	free(cap);
	s->byaddr = arena_alloc(a, sizeof(*s->byaddr) * (size_t)(s->nroutes + 1));
	if (s->nroutes) {
		qsort(s->routes, (size_t)s->nroutes, sizeof(*s->routes), cmp_route);
		memcpy(s->byaddr, s->routes, sizeof(*s->byaddr) * (size_t)s->nroutes);
		qsort(s->byaddr, (size_t)s->nroutes, sizeof(*s->byaddr), cmp_addr);
	}
}

/* Calls fn for each route of s that overlaps r (the ranges of one side
 * are disjoint, so they are consecutive in byaddr). */
static void each_overlap(const struct side *s, const struct route *r,
			 void (*fn)(const struct route *, void *), void *arg)
{
	if (!r->family)
		return;
	int lo = 0, hi = s->nroutes;   /* first with (family, last) >= (r->family, r->first) */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		const struct route *m = &s->byaddr[mid];
		if (m->family < r->family || (m->family == r->family && m->last < r->first))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo; i < s->nroutes; i++) {
		const struct route *m = &s->byaddr[i];
		if (m->family != r->family || m->first > r->last)
			break;
		fn(m, arg);
	}
}

/* The ranges routed to chain c, in the maps' order. */
static const char **ranges_of(const struct side *s, const struct listing_chain *c, int *n)
{
	*n = s->nranges[c - s->l->chains];
	return s->ranges[c - s->l->chains];
}

/* ---- where a rule comes from ---- */

/* A comment or log prefix with every path cut to its file name, so that
 * examples/site.pol:7 and /srv/examples/site.pol:7 compare equal. */
static const char *norm_where(struct arena *a, const char *s)
{
	char *out = arena_alloc(a, strlen(s) + 1), *o = out;
	const char *p = s;
	while (*p) {
		size_t sp = strspn(p, " ");
		memcpy(o, p, sp);
		o += sp;
		p += sp;
		size_t n = strcspn(p, " ");
		const char *w = p;
		for (const char *q = p; q < p + n; q++)
			if (*q == '/')
				w = q + 1;
		memcpy(o, w, (size_t)(p + n - w));
		o += p + n - w;
		p += n;
	}
	*o = '\0';
	return out;
}

static bool same_where(struct arena *a, const struct listing_rule *x, const struct listing_rule *y)
{
	return strcmp(norm_where(a, x->where), norm_where(a, y->where)) == 0 &&
	       strcmp(norm_where(a, x->prefix), norm_where(a, y->prefix)) == 0;
}

/* ---- rules of two chains ---- */

static void push_line(struct arena *a, struct td_line **v, int *n, int *cap, char sign,
		      const struct listing_rule *r)
{
	ARENA_PUSH(a, *v, *n, *cap);
	(*v)[*n - 1] = (struct td_line){ sign, r->where, r->text };
}

/* The rules of one side only (longest common subsequence of what they do)
 * into v; *moved counts the common ones whose comment differs.  Chains
 * are a policy block's rules: tens, so the quadratic table is small. */
static void diff_rules(struct arena *a, const struct listing_chain *o, const struct listing_chain *n,
		       struct td_line **v, int *nv, int *cap, int *moved)
{
	int no = o ? o->nrules : 0, nn = n ? n->nrules : 0;
	int *t = xmalloc(sizeof(int) * (size_t)(no + 1) * (size_t)(nn + 1));
#define T(i, j) t[(size_t)(i) * (size_t)(nn + 1) + (size_t)(j)]
	for (int i = no; i >= 0; i--)
		for (int j = nn; j >= 0; j--)
			T(i, j) = i == no || j == nn ? 0
				  : strcmp(o->rules[i].key, n->rules[j].key) == 0
					  ? T(i + 1, j + 1) + 1
					  : (T(i + 1, j) > T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
	int i = 0, j = 0;
	while (i < no || j < nn) {
		if (i < no && j < nn && strcmp(o->rules[i].key, n->rules[j].key) == 0) {
			if (!same_where(a, &o->rules[i], &n->rules[j]))
				(*moved)++;
			i++, j++;
		} else if (j < nn && (i == no || T(i, j + 1) >= T(i + 1, j))) {
			push_line(a, v, nv, cap, '+', &n->rules[j++]);
		} else {
			push_line(a, v, nv, cap, '-', &o->rules[i++]);
		}
	}
#undef T
	free(t);
}

/* ---- networks ---- */

static struct td_block *new_block(struct arena *a, struct table_diff *d, enum td_kind kind,
				  const char *where)
{
	ARENA_PUSH(a, d->blocks, d->nblocks, d->capblocks);
	struct td_block *b = &d->blocks[d->nblocks - 1];
	*b = (struct td_block){ .kind = kind, .where = where, .old_where = "" };
	return b;
}

static void add_range(struct arena *a, struct td_block *b, const char *r)
{
	ARENA_PUSH(a, b->ranges, b->nranges, b->capranges);
	b->ranges[b->nranges - 1] = r;
}

struct tally {
	const struct listing_chain **chain;
	int *count;
	int n, cap;
};

static void count_overlap(const struct route *r, void *arg)
{
	struct tally *t = arg;
	for (int i = 0; i < t->n; i++)
		if (t->chain[i] == r->chain) {
			t->count[i]++;
			return;
		}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		t->chain = xrealloc(t->chain, sizeof(const struct listing_chain *) * (size_t)t->cap);
		t->count = xrealloc(t->count, sizeof(*t->count) * (size_t)t->cap);
	}
	t->chain[t->n] = r->chain;
	t->count[t->n++] = 1;
}

/* New chain c against the live chain that holds most of its ranges. */
static void diff_block(struct arena *a, const struct side *os, const struct side *ns,
		       const struct listing_chain *c, bool *matched, struct table_diff *d)
{
	int nr;
	const char **rs = ranges_of(ns, c, &nr);
	/* the live chain whose ranges overlap most of this one's */
	struct tally t = { 0 };
	for (int i = 0; i < nr; i++) {
		const struct route *r = find_route(ns, rs[i]);
		if (r)
			each_overlap(os, r, count_overlap, &t);
	}
	const struct listing_chain *best = NULL;
	int best_n = 0;
	for (int i = 0; i < t.n; i++)
		if (t.count[i] > best_n)
			best = t.chain[i], best_n = t.count[i];
	free(t.chain);
	free(t.count);
	if (!best) {
		struct td_block *b = new_block(a, d, TD_ADDED, c->comment);
		for (int i = 0; i < nr; i++)
			add_range(a, b, rs[i]);
		d->added++;
		return;
	}
	matched[best - os->l->chains] = true;
	int no;
	const char **ro = ranges_of(os, best, &no);
	struct td_block b = { .kind = TD_CHANGED, .where = c->comment, .old_where = best->comment };
	for (int i = 0; i < nr; i++) {
		const struct route *q = find_route(os, rs[i]);
		if (!q || q->chain != best)
			add_range(a, &b, arena_printf(a, "+%s", rs[i]));
	}
	for (int i = 0; i < no; i++) {
		const struct route *q = find_route(ns, ro[i]);
		if (!q || q->chain != c)
			add_range(a, &b, arena_printf(a, "-%s", ro[i]));
	}
	int moved = 0;
	diff_rules(a, best, c, &b.lines, &b.nlines, &b.caplines, &moved);
	if (b.nranges == 0 && b.nlines == 0) {
		if (moved == 0 && strcmp(norm_where(a, best->comment), norm_where(a, c->comment)) == 0)
			return;
		b.kind = TD_MOVED;
		d->moved++;
	} else {
		d->changed++;
	}
	*new_block(a, d, b.kind, b.where) = b;
}

/* ---- table-wide ---- */

/* A map element with its target chain spelled out: source checks are
 * named after a block's number too. */
static const char *canon_elem(struct arena *a, const struct side *s, const char *e)
{
	const char *range, *name;
	const struct listing_chain *c;
	if (!split_elem(a, e, &range, &name) || !(c = find_chain(s, name)))
		return e;
	const char *out = arena_printf(a, "%s ->", range);
	for (int i = 0; i < c->nrules; i++)
		out = arena_printf(a, "%s %s;", out, c->rules[i].key);
	return out;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char **canon_elems(struct arena *a, const struct side *s, const struct listing_set *m,
				int *n)
{
	*n = m ? m->nelems : 0;
	const char **v = arena_alloc(a, sizeof(*v) * (size_t)(*n + 1));
	for (int i = 0; i < *n; i++)
		v[i] = canon_elem(a, s, m->elems[i]);
	qsort(v, (size_t)*n, sizeof(*v), cmp_str);
	return v;
}

/* The maps and sets other than dispatch, by name: how many elements each
 * side has alone. */
static void diff_set(struct arena *a, const struct side *os, const struct side *ns,
		     const struct listing_set *om, const struct listing_set *nm, struct table_diff *d)
{
	const struct listing_set *any = nm ? nm : om;
	struct td_set t = { .kind = any->kind, .name = any->name, .added = !om, .removed = !nm,
			    .retyped = om && nm && strcmp(om->head, nm->head) != 0 };
	int no, nn;
	const char **vo = canon_elems(a, os, om, &no), **vn = canon_elems(a, ns, nm, &nn);
	int i = 0, j = 0;
	while (i < no || j < nn) {
		int c = i == no ? 1 : j == nn ? -1 : strcmp(vo[i], vn[j]);
		if (c == 0)
			i++, j++;
		else if (c < 0)
			i++, t.elems_removed++;
		else
			j++, t.elems_added++;
	}
	if (t.added || t.removed || t.retyped || t.elems_added || t.elems_removed) {
		ARENA_PUSH(a, d->sets, d->nsets, d->capsets);
		d->sets[d->nsets - 1] = t;
	}
}

/* Chains no map routes to (forward, accept_any_source) are compared by
 * name. */
static bool routed(const struct side *s, const struct listing_chain *c)
{
	return s->is_routed[c - s->l->chains];
}

static void diff_chain_wide(struct arena *a, const struct listing_chain *o,
			    const struct listing_chain *n, struct table_diff *d)
{
	if (!o || !n || strcmp(o->hook, n->hook) != 0) {
		struct listing_rule h;
		if (o) {
			h = (struct listing_rule){ .where = arena_printf(a, "chain %s", o->name),
						   .text = *o->hook ? o->hook : "(a chain)" };
			push_line(a, &d->wide, &d->nwide, &d->capwide, '-', &h);
		}
		if (n) {
			h = (struct listing_rule){ .where = arena_printf(a, "chain %s", n->name),
						   .text = *n->hook ? n->hook : "(a chain)" };
			push_line(a, &d->wide, &d->nwide, &d->capwide, '+', &h);
		}
	}
	diff_rules(a, o, n, &d->wide, &d->nwide, &d->capwide, &d->wide_moved);
}

static void diff_wide(struct arena *a, const struct side *os, const struct side *ns,
		      struct table_diff *d)
{
	const struct listing *o = os->l, *n = ns->l;
	for (int i = 0; i < n->nsets; i++) {
		const struct listing_set *m = &n->sets[i];
		if (is_dispatch(m) || strcmp(m->kind, "counter") == 0)
			continue;
		diff_set(a, os, ns, listing_set(o, m->kind, m->name), m, d);
	}
	for (int i = 0; i < o->nsets; i++) {
		const struct listing_set *m = &o->sets[i];
		if (!is_dispatch(m) && strcmp(m->kind, "counter") != 0 &&
		    !listing_set(n, m->kind, m->name))
			diff_set(a, os, ns, m, NULL, d);
	}
	for (int i = 0; i < n->nchains; i++) {
		const struct listing_chain *c = &n->chains[i];
		if (!routed(ns, c)) {
			const struct listing_chain *oc = find_chain(os, c->name);
			diff_chain_wide(a, oc && !routed(os, oc) ? oc : NULL, c, d);
		}
	}
	for (int i = 0; i < o->nchains; i++) {
		const struct listing_chain *c = &o->chains[i];
		const struct listing_chain *nc = find_chain(ns, c->name);
		if (!routed(os, c) && !(nc && !routed(ns, nc)))
			diff_chain_wide(a, c, NULL, d);
	}
}

void tablediff(struct arena *a, const struct listing *old, const struct listing *new_,
	       struct table_diff *d)
{
	*d = (struct table_diff){ 0 };
	struct side os, ns;
	index_side(a, old, &os);
	index_side(a, new_, &ns);
	bool *matched = arena_alloc(a, sizeof(bool) * (size_t)(old->nchains + 1));
	for (int i = 0; i < new_->nchains; i++)
		if (ns.is_block[i])
			diff_block(a, &os, &ns, &new_->chains[i], matched, d);
	for (int i = 0; i < old->nchains; i++) {
		if (!os.is_block[i] || matched[i])
			continue;
		const struct listing_chain *c = &old->chains[i];
		struct td_block *b = new_block(a, d, TD_REMOVED, c->comment);
		int nr;
		const char **rs = ranges_of(&os, c, &nr);
		for (int j = 0; j < nr; j++)
			add_range(a, b, rs[j]);
		d->removed++;
	}
	diff_wide(a, &os, &ns, d);
}

bool tablediff_same(const struct table_diff *d)
{
	return d->nblocks == 0 && d->nwide == 0 && d->nsets == 0 && d->wide_moved == 0;
}

bool tablediff_moved_only(const struct table_diff *d)
{
	return !tablediff_same(d) && d->added == 0 && d->removed == 0 && d->changed == 0 &&
	       d->nwide == 0 && d->nsets == 0;
}

/*
 * delta.c - the difference of two scripts as nft commands (delta.h).
 *
 * Both scripts are read into sections that point into their text (nothing
 * is copied), matched by kind and name after sorting, and compared line by
 * line: a 10 000-network script is 40 000 lines, and this must take a few
 * milliseconds, not the time of the full replace it saves.
 */
#include "delta.h"
#include "arena.h"
#include "record.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct span {
	const char *p;
	size_t n;
};

enum fate { KEEP, ADD, REPLACE, RECREATE, DELETE };

struct section {
	struct span kind, name;
	struct span text;      /* its lines, opening to closing, newlines included */
	struct span head;      /* a chain's type and comment lines; a set's lines before
				* its elements; a one-line section's inside */
	struct span *items;    /* a chain's rules; a set's or map's elements */
	int nitems, cap;
	bool chain, hook;
	enum fate fate;
	struct section *other; /* the same section in the other script */
	int nrm;               /* elements to remove (new side only) */
	struct span *rm, *add; /* elements to remove and to add (new side) */
	int nadd;
};

struct script {
	struct span table;     /* "inet d6c" */
	struct span *lines;    /* the table's own lines (comment, flags) */
	int nlines, caplines;
	struct section *s;
	int n, cap;
};

static bool span_eq(struct span a, struct span b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static int span_cmp(struct span a, struct span b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;   /* an empty span may have no pointer */
	return c ? c : (a.n > b.n) - (a.n < b.n);
}

static bool starts(struct span s, const char *w)
{
	size_t n = strlen(w);
	return s.n >= n && memcmp(s.p, w, n) == 0;
}

static struct span trim(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == ','))
		n--;
	return (struct span){ p, n };
}

static void push(struct arena *a, struct span **v, int *n, int *cap, struct span s)
{
	ARENA_PUSH(a, *v, *n, *cap);
	(*v)[*n - 1] = s;
}

/* Elements of s from a list "a, b, c" (up to a '}'); true when the '}'
 * closed the list. */
static bool add_elems(struct arena *a, struct section *s, struct span l)
{
	const char *p = l.p, *end = l.p + l.n;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != ',' && *q != '}')
			q++;
		struct span e = trim(p, (size_t)(q - p));
		if (e.n)
			push(a, &s->items, &s->nitems, &s->cap, e);
		if (q < end && *q == '}')
			return true;
		p = q + 1;
	}
	return false;
}

/* "KIND NAME {" (or "KIND NAME { ... }" on one line) into s. */
static bool open_section(struct span l, struct section *s)
{
	const char *sp = memchr(l.p, ' ', l.n);
	if (!sp)
		return false;
	const char *nm = sp + 1, *end = l.p + l.n;
	const char *brace = memchr(nm, '{', (size_t)(end - nm));
	if (!brace || brace == nm)
		return false;
	*s = (struct section){ .kind = { l.p, (size_t)(sp - l.p) },
			       .name = trim(nm, (size_t)(brace - nm)) };
	s->chain = span_eq(s->kind, (struct span){ "chain", 5 });
	if (end[-1] == '}' && end - 1 > brace)   /* one line */
		s->head = trim(brace + 1, (size_t)(end - 1 - brace - 1));
	return true;
}

static int parse(struct arena *a, const char *text, struct script *sc)
{
	*sc = (struct script){ 0 };
	const char *p = text;
	bool in_table = false, closed = false, elems = false;
	struct section *cur = NULL;
	while (*p && !closed) {
		const char *eol = strchr(p, '\n');
		const char *next = eol ? eol + 1 : p + strlen(p);
		const char *lend = eol ? eol : next;
		struct span raw = { p, (size_t)(lend - p) };
		struct span l = trim(p, (size_t)(lend - p));
		/* trim() drops a trailing comma; a rule never ends in one, and
		 * elements are split on commas anyway */
		if (!in_table) {
			if (starts(l, "table ") && l.n > 8 && l.p[l.n - 1] == '{') {
				sc->table = trim(l.p + 6, l.n - 7);
				in_table = true;
			}
		} else if (!l.n) {
			/* blank */
		} else if (!cur) {
			if (l.n == 1 && l.p[0] == '}') {
				closed = true;
			} else if (l.p[l.n - 1] == '{' || l.p[l.n - 1] == '}') {
				ARENA_PUSH(a, sc->s, sc->n, sc->cap);
				cur = &sc->s[sc->n - 1];
				if (!open_section(l, cur))
					return -1;
				cur->text = (struct span){ raw.p, (size_t)(next - raw.p) };
				if (l.p[l.n - 1] == '}')
					cur = NULL;
			} else {
				push(a, &sc->lines, &sc->nlines, &sc->caplines, l);
			}
		} else if (elems) {
			elems = !add_elems(a, cur, l);
		} else if (l.n == 1 && l.p[0] == '}') {
			cur->text.n = (size_t)(next - cur->text.p);
			cur = NULL;
		} else if (cur->chain) {
			if (cur->nitems == 0 && (starts(l, "type ") || starts(l, "comment "))) {
				if (!cur->head.p)
					cur->head.p = raw.p;
				cur->head.n = (size_t)(lend - cur->head.p);
				cur->hook = cur->hook || starts(l, "type ");
			} else {
				push(a, &cur->items, &cur->nitems, &cur->cap, l);
			}
		} else if (starts(l, "elements = {")) {
			struct span rest = { l.p + 12, l.n - 12 };
			elems = !add_elems(a, cur, rest);
		} else {
			if (!cur->head.p)
				cur->head.p = raw.p;
			cur->head.n = (size_t)(lend - cur->head.p);
		}
		p = next;
	}
	return closed ? 0 : -1;
}

static int cmp_sections(const struct section *a, const struct section *b)
{
	int c = span_cmp(a->kind, b->kind);
	return c ? c : span_cmp(a->name, b->name);
}

static int cmp_index(const void *x, const void *y, void *sections)
{
	const struct section *s = sections;
	return cmp_sections(&s[*(const int *)x], &s[*(const int *)y]);
}

static int cmp_span(const void *x, const void *y)
{
	return span_cmp(*(const struct span *)x, *(const struct span *)y);
}

/* The indexes of sc's sections in kind and name order; the sections stay
 * in the script's order, which the delta keeps. */
static int *sorted(const struct script *sc)
{
	int *v = xmalloc(sizeof(int) * (size_t)(sc->n + 1));
	for (int i = 0; i < sc->n; i++)
		v[i] = i;
	qsort_r(v, (size_t)sc->n, sizeof(int), cmp_index, sc->s);
	return v;
}

/* The chain a rule or an element jumps to or goes to, one after another:
 * from *at on; false when there is none left. */
static bool next_target(struct span s, size_t *at, struct span *name)
{
	for (size_t i = *at; i + 5 < s.n; i++) {
		if ((memcmp(s.p + i, "jump ", 5) != 0 && memcmp(s.p + i, "goto ", 5) != 0) ||
		    (i > 0 && s.p[i - 1] != ' ' && s.p[i - 1] != '{'))
			continue;
		size_t b = i + 5, e = b;
		while (e < s.n && s.p[e] != ' ' && s.p[e] != ',' && s.p[e] != '}')
			e++;
		*name = (struct span){ s.p + b, e - b };
		*at = e;
		return true;
	}
	return false;
}

/* Whether s names a chain of the sorted list r. */
static bool names_any(struct span s, struct span *r, int nr)
{
	if (!nr)
		return false;
	size_t at = 0;
	struct span name;
	while (next_target(s, &at, &name))
		if (bsearch(&name, r, (size_t)nr, sizeof(*r), cmp_span))
			return true;
	return false;
}

/* A base chain's head with its priority as nft lists it: "priority -5"
 * (the script's, from --priority) is "priority filter - 5" (the listing's)
 * in a filter chain; into buf, at most len bytes. */
static size_t listed_head(struct span h, char *buf, size_t len)
{
	const char *p = memmem(h.p, h.n, "priority ", 9);
	char *end;
	long v = p ? strtol(p + 9, &end, 10) : 0;
	if (!p || end == p + 9 || *end != ';' || !memmem(h.p, h.n, "type filter ", 12))
		return (size_t)snprintf(buf, len, "%.*s", (int)h.n, h.p);
	char num[32] = "";
	if (v)
		snprintf(num, sizeof(num), " %c %ld", v < 0 ? '-' : '+', v < 0 ? -v : v);
	return (size_t)snprintf(buf, len, "%.*spriority filter%s%.*s", (int)(p - h.p), h.p, num,
				(int)(h.p + h.n - end), end);
}

static bool same_head(const struct section *o, const struct section *n)
{
	if (span_eq(o->head, n->head))
		return true;
	if (!o->hook || !n->hook || o->head.n > 400 || n->head.n > 400)
		return false;
	char a[512], b[512];
	size_t la = listed_head(o->head, a, sizeof(a)), lb = listed_head(n->head, b, sizeof(b));
	return la == lb && memcmp(a, b, la) == 0;
}

static bool is_counter(const struct section *s)
{
	return span_eq(s->kind, (struct span){ "counter", 7 });
}

static bool same_items(const struct section *a, const struct section *b)
{
	if (a->nitems != b->nitems)
		return false;
	for (int i = 0; i < a->nitems; i++)
		if (!span_eq(a->items[i], b->items[i]))
			return false;
	return true;
}

/* Elements of new's set n against old's o: what to remove, what to add;
 * an element naming a recreated chain goes and comes back. */
static void diff_elems(struct arena *a, struct section *o, struct section *n, struct span *r,
		       int nr)
{
	struct span *ov = arena_alloc(a, sizeof(*ov) * (size_t)(o->nitems + 1));
	struct span *nv = arena_alloc(a, sizeof(*nv) * (size_t)(n->nitems + 1));
	if (o->nitems)
		memcpy(ov, o->items, sizeof(*ov) * (size_t)o->nitems);
	if (n->nitems)
		memcpy(nv, n->items, sizeof(*nv) * (size_t)n->nitems);
	qsort(ov, (size_t)o->nitems, sizeof(*ov), cmp_span);
	qsort(nv, (size_t)n->nitems, sizeof(*nv), cmp_span);
	int caprm = 0, capadd = 0, i = 0, j = 0;
	while (i < o->nitems || j < n->nitems) {
		int c = i == o->nitems ? 1 : j == n->nitems ? -1 : span_cmp(ov[i], nv[j]);
		if (c < 0) {
			push(a, &n->rm, &n->nrm, &caprm, ov[i++]);
		} else if (c > 0) {
			push(a, &n->add, &n->nadd, &capadd, nv[j++]);
		} else {
			if (names_any(ov[i], r, nr)) {
				push(a, &n->rm, &n->nrm, &caprm, ov[i]);
				push(a, &n->add, &n->nadd, &capadd, nv[j]);
			}
			i++, j++;
		}
	}
}

/* Matches the sections of both scripts and decides each one's fate; NULL
 * or why there is no delta. */
static const char *decide(struct arena *a, struct script *os, struct script *ns,
			  struct span **rec, int *nrec)
{
	if (!span_eq(os->table, ns->table))
		return "the table's name changed";
	if (os->nlines != ns->nlines)
		return "the table's own settings changed";
	for (int i = 0; i < os->nlines; i++)
		if (!span_eq(os->lines[i], ns->lines[i]))
			return "the table's own settings changed";
	int *ov = sorted(os), *nv = sorted(ns);
	const char *why = NULL;
	int i = 0, j = 0, caprec = 0;
	for (int k = 0; k < os->n; k++)
		os->s[k].fate = DELETE;
	while (j < ns->n) {
		int c = i == os->n ? 1 : cmp_sections(&os->s[ov[i]], &ns->s[nv[j]]);
		if (c < 0) {
			i++;   /* stays DELETE */
			continue;
		}
		struct section *n = &ns->s[nv[j++]];
		if (c > 0) {
			n->fate = ADD;
			continue;
		}
		struct section *o = &os->s[ov[i++]];
		o->other = n;
		n->other = o;
		o->fate = KEEP;
		/* a counter's head is its values, when listed */
		if (!same_head(o, n) && !is_counter(n)) {
			if (!n->chain) {
				why = "a map or set changed its type or flags";
				break;
			}
			if (o->hook || n->hook) {
				why = "a base chain changed its hook, type or priority";
				break;
			}
			n->fate = RECREATE;
			push(a, rec, nrec, &caprec, n->name);
		} else if (n->chain) {
			n->fate = same_items(o, n) ? KEEP : REPLACE;
		} else {
			n->fate = KEEP;   /* elements compared below */
		}
	}
	free(ov);
	free(nv);
	if (why)
		return why;
	if (*nrec)
		qsort(*rec, (size_t)*nrec, sizeof(**rec), cmp_span);
	for (int k = 0; k < ns->n; k++) {
		struct section *n = &ns->s[k];
		if (n->fate != KEEP)
			continue;
		if (n->chain) {
			for (int r = 0; r < n->nitems; r++)
				if (names_any(n->items[r], *rec, *nrec)) {
					n->fate = REPLACE;
					break;
				}
		} else {
			diff_elems(a, n->other, n, *rec, *nrec);
		}
	}
	return NULL;
}

/* delete element: a map's elements by their keys */
static void delete_elements(FILE *out, struct span table, const struct section *s, bool keys)
{
	if (!s->nrm)
		return;
	fprintf(out, "delete element %.*s %.*s { ", (int)table.n, table.p, (int)s->name.n,
		s->name.p);
	for (int i = 0; i < s->nrm; i++) {
		struct span e = s->rm[i];
		if (keys) {
			const char *colon = memmem(e.p, e.n, " : ", 3);
			if (colon)
				e.n = (size_t)(colon - e.p);
		}
		fprintf(out, "%s%.*s", i ? ", " : "", (int)e.n, e.p);
	}
	fputs(" }\n", out);
}

static void write_delta(FILE *out, struct script *os, struct script *ns, struct delta_stats *st)
{
	struct span t = ns->table;
	/* 1. elements out */
	for (int k = 0; k < ns->n; k++) {
		const struct section *n = &ns->s[k];
		bool map = span_eq(n->kind, (struct span){ "map", 3 });
		delete_elements(out, t, n, map);
		st->elems_removed += n->nrm;
	}
	/* 2. chains emptied: their rules may hold other chains and sets in use */
	for (int k = 0; k < os->n; k++) {
		const struct section *o = &os->s[k];
		enum fate f = o->fate == DELETE ? DELETE : o->other->fate;
		if (o->chain && (f == DELETE || f == REPLACE || f == RECREATE) && o->nitems)
			fprintf(out, "flush chain %.*s %.*s\n", (int)t.n, t.p, (int)o->name.n,
				o->name.p);
	}
	/* 3. maps, sets and counters deleted: a map holds the chains its
	 * elements jump to in use */
	for (int k = 0; k < os->n; k++) {
		const struct section *o = &os->s[k];
		if (!o->chain && o->fate == DELETE) {
			fprintf(out, "delete %.*s %.*s %.*s\n", (int)o->kind.n, o->kind.p, (int)t.n,
				t.p, (int)o->name.n, o->name.p);
			if (is_counter(o))
				st->counters_deleted++;
			else
				st->sets_deleted++;
		}
	}
	/* 4. chains deleted */
	for (int k = 0; k < os->n; k++) {
		const struct section *o = &os->s[k];
		if (o->chain && (o->fate == DELETE || o->other->fate == RECREATE)) {
			fprintf(out, "delete chain %.*s %.*s\n", (int)t.n, t.p, (int)o->name.n,
				o->name.p);
			st->chains_deleted += o->fate == DELETE;
		}
	}
	/* 5. what is new, in the script's own words: new sections whole, the
	 * rules of replaced chains, and elements added to a map or set in its
	 * own declaration.  Not `add element`: for that nft 1.0.6 first reads
	 * every interval set of the table back into its cache (0.1 s at
	 * 10 000 networks); a declaration does not need it. */
	bool block = false;
	for (int k = 0; k < ns->n; k++) {
		const struct section *n = &ns->s[k];
		if (n->fate == KEEP && !n->nadd)
			continue;
		if (!block)
			fprintf(out, "table %.*s {\n", (int)t.n, t.p);
		block = true;
		if (n->fate == KEEP) {
			fprintf(out, "\t%.*s %.*s {\n%.*s\n\t\telements = { ", (int)n->kind.n,
				n->kind.p, (int)n->name.n, n->name.p, (int)n->head.n, n->head.p);
			for (int i = 0; i < n->nadd; i++)
				fprintf(out, "%s%.*s", i ? ", " : "", (int)n->add[i].n, n->add[i].p);
			fputs(" }\n\t}\n", out);
			st->elems_added += n->nadd;
			continue;
		}
		if (n->fate == REPLACE) {
			fprintf(out, "\tchain %.*s {\n", (int)n->name.n, n->name.p);
			for (int r = 0; r < n->nitems; r++)
				fprintf(out, "\t\t%.*s\n", (int)n->items[r].n, n->items[r].p);
			fputs("\t}\n", out);
		} else {
			fwrite(n->text.p, 1, n->text.n, out);
		}
		/* the record changes with every apply: not worth saying */
		if (n->chain && span_eq(n->name, (struct span){ RECORD_CHAIN, strlen(RECORD_CHAIN) }))
			;
		else if (n->chain && n->fate == ADD)
			st->chains_added++;
		else if (n->chain)
			st->chains_replaced++;
		else if (is_counter(n))
			st->counters_added++;
		else
			st->sets_added++;
	}
	if (block)
		fputs("}\n", out);
}

/* nft 1.0.6 looks each element to delete up in its copy of the set: an
 * edit that renames most of 100 000 networks' chains (a block removed near
 * the top of the file moves every later line) would take minutes.  The
 * whole table takes seconds. */
static const char *too_many_removed(const struct script *ns)
{
	long n = 0;
	for (int k = 0; k < ns->n; k++)
		n += ns->s[k].nrm;
	return n > DELTA_MAX_REMOVED ? "more map elements would go than a delta removes in good time" : NULL;
}

char *delta_script(const char *old, const char *new, struct delta_stats *st, const char **why)
{
	*st = (struct delta_stats){ 0 };
	*why = NULL;
	struct arena a;
	arena_init(&a);
	struct script os, ns;
	struct span *rec = NULL;
	int nrec = 0;
	char *out = NULL;
	size_t len = 0;
	if (parse(&a, old, &os) != 0 || parse(&a, new, &ns) != 0) {
		*why = "a script could not be read";
	} else if (!(*why = decide(&a, &os, &ns, &rec, &nrec)) &&
		   !(*why = too_many_removed(&ns))) {
		FILE *f = open_memstream(&out, &len);
		if (!f) {
			*why = "out of memory";
		} else {
			write_delta(f, &os, &ns, st);
			if (fclose(f) != 0) {
				free(out);
				out = NULL;
				*why = "out of memory";
			}
		}
	}
	arena_free(&a);
	return out;
}

static void part(char *buf, int len, int *at, int n, const char *one, const char *many)
{
	if (!n || *at >= len)
		return;
	*at += snprintf(buf + *at, (size_t)(len - *at), "%s%d %s", *at ? ", " : "", n,
			n == 1 ? one : many);
}

void delta_describe(const struct delta_stats *st, char *buf, int len)
{
	int at = 0;
	buf[0] = '\0';
	part(buf, len, &at, st->chains_added, "chain added", "chains added");
	part(buf, len, &at, st->chains_replaced, "chain replaced", "chains replaced");
	part(buf, len, &at, st->chains_deleted, "chain deleted", "chains deleted");
	part(buf, len, &at, st->sets_added, "set added", "sets added");
	part(buf, len, &at, st->sets_deleted, "set deleted", "sets deleted");
	part(buf, len, &at, st->counters_added, "counter added", "counters added");
	part(buf, len, &at, st->counters_deleted, "counter deleted", "counters deleted");
	part(buf, len, &at, st->elems_added, "element added", "elements added");
	part(buf, len, &at, st->elems_removed, "element removed", "elements removed");
	if (!at)
		snprintf(buf, (size_t)len, "no change");
}

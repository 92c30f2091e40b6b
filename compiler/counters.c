/*
 * counters.c - a table's counter values matched to policy lines.
 *
 * Every counter ir names must be in the live table and the table must hold
 * no other: the names are <chain>_<N> and say nothing of what a rule
 * matches, so two different policies can share names, but a policy whose
 * names are not exactly the table's is certainly not what is in force.
 * Then each rule's counter is added to its line (struct ir_rule.loc): the
 * lines of a chain shared by several blocks are its first block's, and the
 * other blocks get a line saying so.  Lines are sorted by file (in the
 * order the IR meets them) and line number, and one line's rules summed.
 */
#include "counters.h"
#include "source.h"

#include <stdlib.h>
#include <string.h>

static int cmp_value(const void *pa, const void *pb)
{
	return strcmp(((const struct counter_value *)pa)->name,
		      ((const struct counter_value *)pb)->name);
}

/* A line's worth of one rule or one sharing block, before merging. */
struct raw {
	const struct loc *loc;
	int file;                     /* order of first appearance */
	int seq;                      /* keeps sort stable */
	const struct counter_value *v;   /* NULL: counted_with */
	const char *counter;
	const struct loc *counted_with;
};

static int cmp_raw(const void *pa, const void *pb)
{
	const struct raw *a = pa, *b = pb;
	if (a->file != b->file)
		return a->file - b->file;
	if (a->loc->first_line != b->loc->first_line)
		return a->loc->first_line - b->loc->first_line;
	return a->seq - b->seq;
}

/* The text of loc's first line, without indentation or trailing blanks. */
static const char *line_text(struct arena *a, const struct loc *loc)
{
	const struct src_file *f = loc->file;
	if (!f || loc->first_line < 1 || loc->first_line > f->nlines)
		return "";
	const char *s = f->text + f->line_start[loc->first_line - 1];
	const char *end = f->text + f->len;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	const char *e = s;
	while (e < end && *e != '\n' && *e != '\0')
		e++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	char *t = arena_alloc(a, (size_t)(e - s) + 1);
	memcpy(t, s, (size_t)(e - s));
	t[e - s] = '\0';
	return t;
}

static const struct counter_value *find(const struct counter_value *sorted, int n, const char *name)
{
	struct counter_value key = { .name = name };
	return bsearch(&key, sorted, (size_t)n, sizeof(*sorted), cmp_value);
}

void counters_match(struct arena *a, const struct ir_policy *ir, const struct counter_value *live,
		    int n, struct counter_report *r)
{
	memset(r, 0, sizeof(*r));
	struct counter_value *sorted = arena_alloc(a, sizeof(*sorted) * (size_t)(n + 1));
	if (n > 0)
		memcpy(sorted, live, sizeof(*sorted) * (size_t)n);
	qsort(sorted, (size_t)n, sizeof(*sorted), cmp_value);
	/* ir's names, sorted too, for the extra ones */
	struct counter_value *want = arena_alloc(a, sizeof(*want) * (size_t)(ir->ncounters + 1));
	for (int i = 0; i < ir->ncounters; i++)
		want[i] = (struct counter_value){ .name = ir->counter_list[i].name };
	qsort(want, (size_t)ir->ncounters, sizeof(*want), cmp_value);
	size_t capm = 0, cape = 0, nm = 0, ne = 0;
	for (int i = 0; i < ir->ncounters; i++)
		if (!find(sorted, n, ir->counter_list[i].name)) {
			ARENA_PUSH(a, r->missing, nm, capm);
			r->missing[nm - 1] = ir->counter_list[i].name;
		}
	for (int i = 0; i < n; i++)
		if (!find(want, ir->ncounters, sorted[i].name)) {
			ARENA_PUSH(a, r->extra, ne, cape);
			r->extra[ne - 1] = sorted[i].name;
		}
	r->nmissing = (int)nm;
	r->nextra = (int)ne;
	if (nm || ne)
		return;

	/* table-wide rules */
	r->wide = arena_alloc(a, sizeof(*r->wide) * (size_t)(ir->ncounters + 1));
	for (int i = 0; i < ir->ncounters; i++) {
		const struct ir_counter *c = &ir->counter_list[i];
		if (c->loc)
			continue;
		const struct counter_value *v = find(sorted, n, c->name);
		r->wide[r->nwide++] = (struct counter_wide){ c->name, c->what, v->packets, v->bytes };
	}

	/* every block rule, and every block that shares an earlier block's chain */
	size_t nraw = 0, capraw = 0, nfiles = 0, capfiles = 0;
	struct raw *raw = NULL;
	const struct src_file **files = NULL;
	bool *seen = arena_alloc(a, sizeof(*seen) * (size_t)(ir->nchains + 1));
	memset(seen, 0, sizeof(*seen) * (size_t)(ir->nchains + 1));
	const struct loc **first = arena_alloc(a, sizeof(*first) * (size_t)(ir->nchains + 1)); /* NOLINT(bugprone-sizeof-expression) */
	for (int b = 0; b < ir->nblocks; b++) {
		int ch = ir->blocks[b].chain;
		const struct ir_chain *c = &ir->chains[ch];
		int nrules = seen[ch] ? 1 : c->nrules;
		for (int j = 0; j < nrules; j++) {
			if (!seen[ch] && !c->rules[j].counter)
				continue;   /* a log of its own: the next rule counts */
			const struct loc *loc = seen[ch] ? &ir->blocks[b].loc : &c->rules[j].loc;
			size_t f = 0;
			while (f < nfiles && files[f] != loc->file)
				f++;
			if (f == nfiles) {
				/* files holds pointers: its element is the pointer */
				ARENA_PUSH(a, files, nfiles, capfiles); /* NOLINT(bugprone-sizeof-expression) */
				files[f] = loc->file;
			}
			ARENA_PUSH(a, raw, nraw, capraw);
			raw[nraw - 1] = (struct raw){ .loc = loc, .file = (int)f, .seq = (int)nraw };
			if (seen[ch]) {
				raw[nraw - 1].counted_with = first[ch];
			} else {
				raw[nraw - 1].counter = c->rules[j].counter;
				raw[nraw - 1].v = find(sorted, n, c->rules[j].counter);
			}
		}
		if (!seen[ch]) {
			seen[ch] = true;
			first[ch] = &ir->blocks[b].loc;
		}
	}
	if (nraw)
		qsort(raw, nraw, sizeof(*raw), cmp_raw);
	r->lines = arena_alloc(a, sizeof(*r->lines) * (nraw + 1));
	for (size_t i = 0; i < nraw;) {
		size_t k = i;
		struct counter_line *l = &r->lines[r->nlines++];
		memset(l, 0, sizeof(*l));
		l->path = raw[i].loc->file ? raw[i].loc->file->path : "<policy>";
		l->line = raw[i].loc->first_line;
		l->text = line_text(a, raw[i].loc);
		while (k < nraw && raw[k].file == raw[i].file &&
		       raw[k].loc->first_line == raw[i].loc->first_line)
			k++;
		l->counters = arena_alloc(a, sizeof(*l->counters) * (k - i + 1));
		for (size_t j = i; j < k; j++) {
			if (raw[j].v) {
				l->counters[l->ncounters++] = raw[j].counter;
				l->packets += raw[j].v->packets;
				l->bytes += raw[j].v->bytes;
			} else if (!l->counted_with) {
				l->counted_with = raw[j].counted_with;
			}
		}
		i = k;
	}
}

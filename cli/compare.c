/*
 * compare.c - the live table against a compiled policy (compare.h).
 */
#include "compare.h"
#include "compiler/emit_text.h"
#include "compiler/source.h"
#include "compiler/udiff.h"
#include "compiler/validate.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int compare_read_live(struct cli *c, struct compare *k, char *err, size_t errlen)
{
	*k = (struct compare){ .table = c->ir.table, .live = { .comment = "" } };
	if (!apply_have_cap()) {
		snprintf(err, errlen, "reading table inet %s needs CAP_NET_ADMIN; run it as root",
			 k->table);
		return -1;
	}
	char *text;
	k->state = live_list(k->table, 1, &text, err, errlen);
	if (k->state == LIVE_FAILED)
		return -1;
	char record[RECORD_MAX] = "";
	if (text) {   /* kept for the run, in its arena, without the record */
		record_take(text, record, sizeof(record));
		k->live_text = arena_strdup(&c->a, text);
		free(text);
	}
	if (k->state == LIVE_TABLE) {
		if (listing_parse(&c->a, k->live_text, &k->live) != 0) {
			snprintf(err, errlen, "cannot make sense of nft's listing of table inet %s",
				 k->table);
			return -1;
		}
		/* an older d6c kept the record in the table's comment */
		k->has_record = record_parse(record[0] ? record : k->live.comment, &k->rec) == 0;
	}
	return 0;
}

void compare_take_options(struct cli *c, const struct compare *k)
{
	if (!k->has_record)
		return;
	if (k->rec.has_priority && strcmp(c->ir.priority, IR_DEFAULT_PRIORITY) == 0) {
		int num;
		const char *p = validate_priority(&c->a, arena_printf(&c->a, "%d", k->rec.priority),
						  &num);
		if (p) {
			c->ir.priority = p;
			c->ir.priority_num = num;
		}
	}
	if (k->rec.mask && !c->ir.accept_mask) {
		c->ir.accept_mark = k->rec.mark;
		c->ir.accept_mask = k->rec.mask;
	}
	if (k->rec.counters)
		c->ir.counters = true;
}

int compare_policy(struct cli *c, const struct ir_policy *ir, struct compare *k, char *err,
		   size_t errlen)
{
	char *script = output_string(ir, emit_text);
	if (!script) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	record_hash(script, k->hash);
	char *text;
	int rc = live_list_scratch(script, ir->table, &text, err, errlen);
	free(script);
	if (rc != 0)
		return -1;
	k->new_text = arena_strdup(&c->a, text);
	free(text);
	if (listing_parse(&c->a, k->new_text, &k->fresh) != 0) {
		snprintf(err, errlen, "cannot make sense of nft's listing of the compiled policy");
		return -1;
	}
	tablediff(&c->a, &k->live, &k->fresh, &k->diff);
	return 0;
}

/* ---- printing ---- */

/* A policy line's text, by a rule's comment "FILE:LINE[ ...]": each file
 * read once (compiler/source.h), at most 16 of them. */
struct sources {
	struct arena *a;
	const struct src_file *file[16];
	int n;
};

static const char *line_text(struct sources *s, const char *where)
{
	const char *colon = strrchr(where, ':');
	if (!colon || colon == where || strncmp(where, "...", 3) == 0)
		return NULL;
	char *end;
	long line = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || (*end && *end != ' ') || line < 1 || line > INT_MAX)
		return NULL;
	const char *path = arena_strndup(s->a, where, (size_t)(colon - where));
	const struct src_file *f = NULL;
	for (int i = 0; i < s->n && !f; i++)
		if (strcmp(s->file[i]->path, path) == 0)
			f = s->file[i];
	if (!f && s->n < 16) {
		struct src_fault fault;
		f = src_read_file(s->a, path, SRC_MAX_FILE, &fault);
		if (!f)
			return NULL;
		s->file[s->n++] = f;
	}
	if (!f)
		return NULL;   /* a 17th file: nft's text */
	size_t n;
	const char *p = src_line(f, (int)line, &n);
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return n ? arena_strndup(s->a, p, n) : NULL;   /* no such line: nft's text */
}

/* Whether a comment is "FILE:LINE", possibly followed by a word. */
static bool at_line(const char *where)
{
	const char *colon = strrchr(where, ':');
	return colon && colon[1] >= '0' && colon[1] <= '9';
}

/* The rules of one side only: a policy line once for the new side (with
 * its text from the file when it can be read), nft's text for the live. */
static void print_lines(FILE *out, struct sources *src, const struct td_line *v, int n,
			const char *indent)
{
	for (int i = 0; i < n; i++) {
		const struct td_line *l = &v[i];
		if (l->sign == '+' && i > 0 && v[i - 1].sign == '+' && *l->where &&
		    strcmp(v[i - 1].where, l->where) == 0)
			continue;   /* one policy line, several rules */
		const char *text = l->sign == '+' && !strstr(l->where, " default")
			? line_text(src, l->where) : NULL;
		if (text)
			fprintf(out, "%s%c %s: %s\n", indent, l->sign, l->where, text);
		else if (at_line(l->where))
			fprintf(out, "%s%c %s%s: %s\n", indent, l->sign, l->where,
				l->sign == '-' ? " (as applied)" : "", l->text);
		else if (*l->where)   /* a table-wide rule: its comment says what for */
			fprintf(out, "%s%c %s    # %s\n", indent, l->sign, l->text, l->where);
		else
			fprintf(out, "%s%c %s\n", indent, l->sign, l->text);
	}
}

static void print_ranges(FILE *out, const struct td_block *b)
{
	fputs(" ", out);
	for (int i = 0; i < b->nranges; i++)
		fprintf(out, "%s%s", i ? ", " : "", b->ranges[i]);
	fputs("\n", out);
}

const char *compare_summary(struct arena *a, const struct compare *k)
{
	const struct table_diff *d = &k->diff;
	if (tablediff_same(d))
		return "no change";
	const char *s = "";
	const char *sep = "";
	if (d->added)
		s = arena_printf(a, "%s%s%d network%s added", s, sep, d->added, d->added == 1 ? "" : "s"),
		sep = ", ";
	if (d->removed)
		s = arena_printf(a, "%s%s%d removed", s, sep, d->removed), sep = ", ";
	if (d->changed)
		s = arena_printf(a, "%s%s%d changed", s, sep, d->changed), sep = ", ";
	if (d->nwide)
		s = arena_printf(a, "%s%s%d table-wide rule%s changed", s, sep, d->nwide,
				 d->nwide == 1 ? "" : "s"), sep = ", ";
	/* the source checks' maps, and the sets that rules' long lists share */
	int nmaps = 0, nsets = 0;
	for (int i = 0; i < d->nsets; i++) {
		if (strcmp(d->sets[i].kind, "set") == 0)
			nsets++;
		else
			nmaps++;
	}
	if (nmaps)
		s = arena_printf(a, "%s%s%d map%s changed", s, sep, nmaps, nmaps == 1 ? "" : "s"),
		sep = ", ";
	if (nsets)
		s = arena_printf(a, "%s%s%d set%s changed", s, sep, nsets, nsets == 1 ? "" : "s"),
		sep = ", ";
	if (d->moved || d->wide_moved)
		s = arena_printf(a, "%s%s%s", s, sep,
				 *sep ? "and rules at other lines" : "rules at other lines of the "
				 "policy only (their comments change, not what they do)");
	return s;
}

void compare_print(FILE *out, const struct compare *k, bool nft)
{
	if (nft) {
		char name[160];
		const char *old = k->live_text ? k->live_text : "";
		snprintf(name, sizeof(name), "table inet %s", k->table);
		udiff_print(out, name, old, strlen(old), k->new_text, strlen(k->new_text));
		return;
	}
	struct arena a;
	arena_init(&a);
	struct sources src = { .a = &a };
	const struct table_diff *d = &k->diff;
	for (int i = 0; i < d->nblocks; i++) {
		const struct td_block *b = &d->blocks[i];
		switch (b->kind) {
		case TD_ADDED:
			fprintf(out, "+ %s: added,", b->where);
			print_ranges(out, b);
			break;
		case TD_REMOVED:
			fprintf(out, "- %s (as applied): removed,", b->where);
			print_ranges(out, b);
			break;
		case TD_CHANGED:
			fprintf(out, "~ %s: changed\n", b->where);
			for (int j = 0; j < b->nranges; j++)
				fprintf(out, "    %c range %s\n", b->ranges[j][0], b->ranges[j] + 1);
			print_lines(out, &src, b->lines, b->nlines, "    ");
			break;
		case TD_MOVED:
			break;
		}
	}
	if (d->nwide) {
		fputs("~ table-wide rules (forward chain, Docker's accept mark):\n", out);
		print_lines(out, &src, d->wide, d->nwide, "    ");
	}
	for (int i = 0; i < d->nsets; i++) {
		const struct td_set *t = &d->sets[i];
		if (t->added || t->removed)
			fprintf(out, "%c %s %s: %s\n", t->added ? '+' : '-', t->kind, t->name,
				t->added ? "added" : "removed");
		else
			fprintf(out, "~ %s %s: %s%d element%s added, %d removed\n", t->kind, t->name,
				t->retyped ? "declaration changed, " : "", t->elems_added,
				t->elems_added == 1 ? "" : "s", t->elems_removed);
	}
	int moved = d->moved;
	if (moved)
		fprintf(out, "= %d network%s with the same rules at other lines of the policy\n", moved,
			moved == 1 ? "" : "s");
	arena_free(&a);
}

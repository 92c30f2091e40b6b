/*
 * ast.c - constructors and a printer for the syntax tree.
 *
 * The printer's output is stable and plain so that parser tests can compare
 * whole trees as text.
 */
#include "ast.h"
#include "arena.h"

#include <stdio.h>

struct ast_value *ast_value(struct arena *a, enum value_kind kind, struct loc loc)
{
	struct ast_value *v = arena_alloc(a, sizeof(*v));
	v->kind = kind;
	v->loc = loc;
	return v;
}

struct ast_list *ast_list_new(struct arena *a, struct ast_value *first)
{
	struct ast_list *l = arena_alloc(a, sizeof(*l));
	l->head = l->tail = first;
	l->loc = first->loc;
	l->n = 1;
	return l;
}

struct ast_list *ast_list_append(struct ast_list *l, struct ast_value *v)
{
	l->tail->next = v;
	l->tail = v;
	l->n++;
	l->loc.last_line = v->loc.last_line;
	l->loc.last_column = v->loc.last_column;
	return l;
}

void ast_rules_append(struct ast_rules *l, struct ast_rule *r)
{
	if (l->tail)
		l->tail->next = r;
	else
		l->head = r;
	l->tail = r;
}

void ast_items_append(struct ast_items *l, struct ast_item *it)
{
	if (l->tail)
		l->tail->next = it;
	else
		l->head = it;
	l->tail = it;
}

struct ast_item *ast_item(struct arena *a, enum item_kind kind, struct loc loc)
{
	struct ast_item *it = arena_alloc(a, sizeof(*it));
	it->kind = kind;
	it->loc = loc;
	return it;
}

struct ast_rule *ast_rule(struct arena *a, struct loc loc)
{
	struct ast_rule *r = arena_alloc(a, sizeof(*r));
	r->loc = loc;
	return r;
}

struct ast_log *ast_log(struct arena *a, struct loc loc)
{
	struct ast_log *l = arena_alloc(a, sizeof(*l));
	l->loc = loc;
	return l;
}

void ast_log_append(struct ast_log *l, struct ast_log_opt *o)
{
	if (l->tail)
		l->tail->next = o;
	else
		l->head = o;
	l->tail = o;
}

static const char *const verdict_word[] = {
	[VERDICT_ACCEPT] = "accept",
	[VERDICT_DROP] = "drop",
	[VERDICT_REJECT] = "reject",
};

static const char *const proto_word[] = {
	[PROTO_ANY] = "any",
	[PROTO_TCP] = "tcp",
	[PROTO_UDP] = "udp",
	[PROTO_ICMP] = "icmp",
};

static void print_list(const struct ast_list *l, FILE *out)
{
	const char *sep = "";
	for (const struct ast_value *v = l->head; v; v = v->next, sep = ",") {
		char buf[ADDR_STRLEN];
		fputs(sep, out);
		switch (v->kind) {
		case VAL_NUMBER: fprintf(out, "%lu", v->lo); break;
		case VAL_RANGE: fprintf(out, "%lu-%lu", v->lo, v->hi); break;
		case VAL_ADDR:
			if (v->bad)
				fputs("<bad>", out);
			else {
				addr_format(&v->pfx, buf);
				fputs(buf, out);
			}
			break;
		case VAL_NAME: fprintf(out, "$%s", v->name); break;
		case VAL_BASIC: fputs("basic", out); break;
		case VAL_ALL: fputs("all", out); break;
		case VAL_DOCKER: fprintf(out, "docker \"%s\"", v->name); break;
		}
	}
}

static void print_log(const struct ast_log *l, FILE *out)
{
	if (!l)
		return;
	fputs(" log", out);
	for (const struct ast_log_opt *o = l->head; o; o = o->next) {
		switch (o->arg) {
		case LOGARG_NUMBER: fprintf(out, " %s %lu", o->word, o->num); break;
		case LOGARG_RATE: fprintf(out, " %s %lu/%s", o->word, o->num, o->name); break;
		case LOGARG_WORD: fprintf(out, " %s %s", o->word, o->name); break;
		}
	}
}

void ast_print(const struct ast_item *items, FILE *out)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		fprintf(out, "%d:%d ", it->loc.first_line, it->loc.first_column);
		switch (it->kind) {
		case ITEM_DEFINE:
			fprintf(out, "define %s = ", it->name);
			print_list(it->values, out);
			fputc('\n', out);
			break;
		case ITEM_INCLUDE:
			fprintf(out, "include \"%s\"\n", it->path);
			ast_print(it->body, out);
			fputs("end include\n", out);
			break;
		case ITEM_COUNTERS:
			fputs("counters\n", out);
			break;
		case ITEM_NETWORK:
			fputs("network ", out);
			if (it->targets)
				print_list(it->targets, out);
			else
				fputs("<error>", out);
			fputc('\n', out);
			for (const struct ast_rule *r = it->rules.head; r; r = r->next) {
				fprintf(out, "  %d:%d %s%s", r->loc.first_line, r->loc.first_column,
					r->is_default ? "default " : "", verdict_word[r->verdict]);
				if (!r->is_default) {
					fprintf(out, " %s", proto_word[r->proto]);
					if (r->ports) {
						fputs(" ports ", out);
						print_list(r->ports, out);
					}
					if (r->icmp) {
						fputs(" types ", out);
						print_list(r->icmp, out);
					}
					if (r->from) {
						fputs(" from ", out);
						print_list(r->from, out);
					}
				}
				print_log(r->log, out);
				fputc('\n', out);
			}
			break;
		case ITEM_LOG:
			fputs("default", out);
			print_log(it->log, out);
			fputc('\n', out);
			break;
		}
	}
}

/*
 * common.c - compiling in memory and reporting, for difftest.c and replay.c.
 *
 * The pipeline is compile.c's, minus files and lint (lint only warns): the
 * evaluator must judge exactly the checked policy the backends print.
 */
#include "difftest.h"
#include "compiler/emit_json.h"
#include "compiler/emit_text.h"
#include "runtime/output.h"
#include "compiler/ir.h"
#include "compiler/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const dt_fmt_name[DT_NFMT] = { [DT_TEXT] = "text", [DT_JSON] = "json" };

void dt_die_sys(const char *what)
{
	fprintf(stderr, "difftest: %s: %s\n", what, strerror(errno));
	exit(2);
}

static char *emit(const struct ir_policy *ir, int fmt)
{
	char *buf = output_string(ir, fmt == DT_TEXT ? emit_text : emit_json);
	if (!buf)
		dt_die_sys("emitting the ruleset");
	return buf;
}

bool dt_compile(struct dt_compiled *c, const char *name, const char *text)
{
	memset(c, 0, sizeof(*c));
	arena_init(&c->a);
	diag_init(&c->dl, &c->a);
	struct ast_item *ast = parse_string(&c->a, &c->dl, name, text);
	c->sp = sema_check(&c->a, &c->dl, ast, name);
	if (diag_has_errors(&c->dl))
		return false;
	struct ir_policy *ir = ir_lower(&c->a, c->sp, NULL);
	for (int f = 0; f < DT_NFMT; f++)
		c->ruleset[f] = emit(ir, f);
	return true;
}

void dt_release(struct dt_compiled *c)
{
	for (int f = 0; f < DT_NFMT; f++)
		free(c->ruleset[f]);
	arena_free(&c->a);
}

int dt_load(struct probe *k, const struct dt_compiled *c, int fmt, char *err, size_t len)
{
	return probe_load(k, c->ruleset[fmt], fmt == DT_JSON, err, len);
}

void dt_describe(const struct eval_result *r, char *buf, size_t len)
{
	const char *v = eval_verdict_word[r->verdict];
	char pfx[ADDR_STRLEN] = "?";
	switch (r->reason) {
	case EVAL_FORGED:
		if (r->src_prefix)
			addr_format(&r->src_prefix->pfx, pfx);
		snprintf(buf, len, "%s: forged, its source is in %s (block at line %d), which is "
			 "reached by %s", v, pfx, r->src_block ? r->src_block->loc.first_line : 0,
			 r->route_if ? r->route_if : "?");
		break;
	case EVAL_UNPROTECTED:
		snprintf(buf, len, "%s: no block owns the destination", v);
		break;
	case EVAL_INVALID:
		snprintf(buf, len, "%s: conntrack calls it invalid (block at line %d)", v,
			 r->block->loc.first_line);
		break;
	case EVAL_RULE:
		snprintf(buf, len, "%s: the rule at line %d", v, r->rule->loc.first_line);
		break;
	case EVAL_DEFAULT:
		snprintf(buf, len, "%s: the default of the block at line %d", v,
			 r->block->loc.first_line);
		break;
	}
}

void dt_print_routes(const struct eval_routes *rt)
{
	if (rt->n == 0) {
		printf("    (no routes: every source is routed by %s)\n", rt->dflt);
		return;
	}
	printf("    routes (else %s):", rt->dflt);
	for (int i = 0; i < rt->n; i++) {
		char text[ADDR_STRLEN];
		addr_format(&rt->v[i].pfx, text);
		printf("%s %s by %s", i ? "," : "", text, rt->v[i].ifname);
	}
	printf("\n");
}

void dt_print_indented(const char *text)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		int n = nl ? (int)(nl - p) : (int)strlen(p);
		printf("    %.*s\n", n, p);
		p += n + (nl ? 1 : 0);
	}
}

/*
 * common.c - compiling in memory and reporting, for difftest.c and replay.c.
 *
 * The pipeline is compile.c's, minus files and lint (lint only warns): the
 * evaluator must judge exactly the checked policy the backends print.
 */
#include "difftest.h"
#include "compiler/emit_json.h"
#include "compiler/emit_text.h"
#include "compiler/delta.h"
#include "runtime/output.h"
#include "compiler/ir.h"
#include "compiler/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const dt_fmt_name[DT_NFMT] = { [DT_TEXT] = "text", [DT_JSON] = "json",
					    [DT_DELTA] = "delta" };

void dt_die_sys(const char *what)
{
	fprintf(stderr, "difftest: %s: %s\n", what, strerror(errno));
	exit(2);
}

static char *emit(const struct ir_policy *ir, int fmt)
{
	char *buf = output_string(ir, fmt == DT_JSON ? emit_json : emit_text);
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

static int cmp_block(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A listing with its table's blocks in name order: nft lists chains in the
 * order they were made, and a delta makes its new chains last. */
static char *canonical(char *listing)
{
	char *blocks[4096];
	int n = 0;
	size_t len = strlen(listing);
	char *out = malloc(len + 1);
	if (!out)
		dt_die_sys("sorting a listing");
	for (char *p = listing; *p && n < 4096;) {
		char *end = strstr(p, "\n\t}\n");
		char *start = strstr(p, "\n\t");
		if (!start || !end)
			break;
		blocks[n++] = start + 1;
		end[3] = '\0';
		p = end + 4;
	}
	qsort(blocks, (size_t)n, sizeof(*blocks), cmp_block);
	size_t at = 0;
	for (int i = 0; i < n; i++) {
		size_t m = strlen(blocks[i]);
		memcpy(out + at, blocks[i], m);
		out[at + m] = '\n';
		at += m + 1;
	}
	out[at] = '\0';
	return out;
}

static int list_table(struct probe *k, char **out, char *err, size_t len)
{
	char *raw;
	if (probe_nft(k, "list table inet d6c", &raw, err, len) != 0)
		return -1;
	*out = canonical(raw);
	free(raw);
	return 0;
}

static int load_delta(struct probe *k, const struct dt_compiled *c, char *err, size_t len)
{
	struct delta_stats st;
	const char *why;
	char *fresh = NULL, *reached = NULL, *delta = NULL;
	int rc = -1;
	if (probe_load(k, c->ruleset[DT_TEXT], false, err, len) != 0 ||
	    list_table(k, &fresh, err, len) != 0)
		goto out;
	if (probe_load(k, c->from, false, err, len) != 0) {
		snprintf(err, len, "the starting point does not load");
		goto out;
	}
	char *listed = NULL;
	if (c->from_listing && probe_nft(k, "list table inet d6c", &listed, err, len) != 0)
		goto out;
	delta = delta_script(listed ? listed : c->from, c->ruleset[DT_TEXT], &st, &why);
	free(listed);
	if (!delta) {
		snprintf(err, len, "no delta: %s", why);
		goto out;
	}
	if (probe_load(k, delta, false, err, len) != 0) {
		size_t at = strlen(err);
		snprintf(err + at, len - at, "from:\n%s\ndelta:\n%s", c->from, delta);
		goto out;
	}
	if (list_table(k, &reached, err, len) != 0)
		goto out;
	if (strcmp(fresh, reached) != 0) {
		snprintf(err, len, "the table reached by the delta lists differently from a fresh load "
			 "of the same ruleset:\n--- delta\n%s--- fresh\n%s", reached, fresh);
		goto out;
	}
	rc = 0;
out:
	free(fresh);
	free(reached);
	free(delta);
	return rc;
}

int dt_load(struct probe *k, const struct dt_compiled *c, int fmt, char *err, size_t len)
{
	if (fmt == DT_DELTA && c->from)
		return load_delta(k, c, err, len);
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

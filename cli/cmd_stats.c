/*
 * cmd_stats.c - d6c stats: which rules of the policy are used.
 *
 * POLICY is compiled as apply compiles it, counters on, and every counter
 * of the live table matched to the policy line whose rule it counts
 * (compiler/counters.h).  Nothing is printed unless the live table's
 * counters are exactly the ones POLICY names: counts laid against the
 * wrong lines would mislead.  With --reset the table is checked first and
 * then read and zeroed in one step; the counts shown are those zeroed.
 */
#include "cli.h"
#include "compare.h"
#include "compiler/counters.h"
#include "runtime/stats.h"

#include <inttypes.h>
#include <string.h>

/* "(never matched)" is said of a line or rule with counters that saw nothing. */
#define NEVER "never matched"

/* Reads the counters (reset: and zeroes them) and matches them to ir;
 * EXIT_OK, or the exit status after saying what is wrong. */
static int read_matched(struct cli *c, const struct ir_policy *ir, bool reset,
			struct counter_report *r)
{
	char err[4096];
	struct counter_value *v;
	int n;
	enum stats_status st = stats_read(&c->a, ir->table, reset, &v, &n, err, sizeof(err));
	if (st == STATS_NO_TABLE) {
		cli_error("%s: there is nothing to count; apply the policy with counters first "
			  "('d6c apply --counters %s')", err, c->policies[0]);
		return EXIT_USAGE;
	}
	if (st != STATS_OK) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	if (n == 0) {
		cli_error("table inet %s has no counters: it was applied without them; apply it "
			  "again with 'd6c apply --counters %s' (or put 'counters;' in the policy)",
			  ir->table, c->policies[0]);
		return EXIT_USAGE;
	}
	counters_match(&c->a, ir, v, n, r);
	if (r->nmissing || r->nextra) {
		const char *which = r->nmissing ? r->missing[0] : r->extra[0];
		cli_error("the table in force, table inet %s, is not what %s compiles to: %d of its "
			  "counters are missing from the table and the table has %d the policy does "
			  "not name (%s %s)%s; apply %s again, or give the policy that was applied "
			  "(with the same --accept-mark or --docker-accept)", ir->table, c->policies[0],
			  r->nmissing, r->nextra, r->nmissing ? "missing:" : "not the policy's:", which,
			  c->reset && !reset ? "; nothing was reset" : "", c->policies[0]);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static json_t *line_json(const struct counter_line *l)
{
	json_t *o = json_pack("{s:s, s:i, s:s}", "file", l->path, "line", l->line, "text", l->text);
	if (l->ncounters == 0) {
		json_object_set_new(o, "counted_with", json_pack("{s:s, s:i}", "file",
			l->counted_with->file ? l->counted_with->file->path : "<policy>",
			"line", l->counted_with->first_line));
		return o;
	}
	json_t *names = json_array();
	for (int i = 0; i < l->ncounters; i++)
		json_array_append_new(names, json_string(l->counters[i]));
	json_object_set_new(o, "packets", json_integer((json_int_t)l->packets));
	json_object_set_new(o, "bytes", json_integer((json_int_t)l->bytes));
	json_object_set_new(o, "never_matched", json_boolean(l->packets == 0));
	json_object_set_new(o, "counters", names);
	return o;
}

static void print_json(const struct ir_policy *ir, const struct counter_report *r, bool reset)
{
	json_t *lines = json_array(), *wide = json_array();
	for (int i = 0; i < r->nlines; i++)
		json_array_append_new(lines, line_json(&r->lines[i]));
	for (int i = 0; i < r->nwide; i++)
		json_array_append_new(wide, json_pack("{s:s, s:s, s:I, s:I, s:b}", "counter",
			r->wide[i].counter, "what", r->wide[i].what, "packets",
			(json_int_t)r->wide[i].packets, "bytes", (json_int_t)r->wide[i].bytes,
			"never_matched", r->wide[i].packets == 0));
	json_t *doc = json_pack("{s:s, s:s, s:b, s:o, s:o}", "policy", ir->source, "table",
				ir->table, "reset", reset, "lines", lines, "table_wide", wide);
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(doc);
}

static void print_text(const struct ir_policy *ir, const struct counter_report *r, bool reset)
{
	printf("table inet %s, policy %s: packets and bytes each line's rules decided, %s\n\n",
	       ir->table, ir->source, reset ? "until now (the counters are now reset to 0)"
					    : "since the apply or the last reset");
	/* the place column as wide as its widest entry */
	int w = 0;
	for (int i = 0; i < r->nlines; i++) {
		int n = snprintf(NULL, 0, "%s:%d", r->lines[i].path, r->lines[i].line);
		if (n > w)
			w = n;
	}
	printf("%12s %14s  %-*s  %s\n", "packets", "bytes", w, "line", "text");
	for (int i = 0; i < r->nlines; i++) {
		const struct counter_line *l = &r->lines[i];
		char place[4200];
		snprintf(place, sizeof(place), "%s:%d", l->path, l->line);
		if (l->ncounters == 0) {
			printf("%12s %14s  %-*s  %s    (counted with the block at %s:%d)\n", "-", "-",
			       w, place, l->text, l->counted_with->file ? l->counted_with->file->path
									: "<policy>",
			       l->counted_with->first_line);
			continue;
		}
		printf("%12" PRIu64 " %14" PRIu64 "  %-*s  %s%s\n", l->packets, l->bytes, w, place,
		       l->text, l->packets ? "" : "    (" NEVER ")");
	}
	printf("\ntable-wide rules:\n");
	for (int i = 0; i < r->nwide; i++)
		printf("%12" PRIu64 " %14" PRIu64 "  %s%s\n", r->wide[i].packets, r->wide[i].bytes,
		       r->wide[i].what, r->wide[i].packets ? "" : "    (" NEVER ")");
}

int cmd_stats(struct cli *c)
{
	int rc;
	/* As apply: Docker's names from the daemon, asked only when POLICY
	 * names a network; a mark when --docker-accept implies one. */
	c->docker.from = DOCKER_FROM_DAEMON;
	if (c->docker_accept > 0 && !c->ir.accept_mask)
		c->ir.accept_mark = c->ir.accept_mask = IR_DEFAULT_ACCEPT_MARK;
	/* and the options the table was applied with, from its record */
	struct compare k;
	char err[4096];
	if (apply_have_cap() && compare_read_live(c, &k, err, sizeof(err)) == 0)
		compare_take_options(c, &k);
	c->ir.counters = true;
	struct ir_policy *ir = cli_compile_one(c, &rc);
	if (!ir)
		return rc;
	if (!apply_have_cap()) {
		cli_error("stats needs CAP_NET_ADMIN to read the counters; run it as root");
		return EXIT_USAGE;
	}
	struct counter_report r;
	rc = read_matched(c, ir, false, &r);
	if (rc == EXIT_OK && c->reset)
		rc = read_matched(c, ir, true, &r);
	if (rc != EXIT_OK)
		return rc;
	if (c->json)
		print_json(ir, &r, c->reset);
	else
		print_text(ir, &r, c->reset);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_USAGE;
}

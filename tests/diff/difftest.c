/*
 * difftest.c - differential testing: the evaluator against a real kernel.
 *
 *   difftest [--seed N] [--count N] [--packets N] [--formats text,json,delta]
 *            [--shrink N] [--no-kernel] [--verbose]
 *   difftest --replay NAME.pol...     (each with NAME.packets beside it)
 *
 * For each seed a random valid policy (gen.c) is compiled in memory, the
 * router gets the seed's routes (routes.c: for half of the seeds some
 * protected prefixes lie on the container side, so that packets from them
 * arriving from the outside are forged), every packet of its edge-biased
 * batch (packets.c) is judged by the evaluator, told the same routes,
 * and the compiled ruleset, text and JSON in turn, is loaded into one
 * kernel (runtime/probe.h) that sends the same packets.  The evaluator
 * reads only the checked policy and the kernel only the ruleset, so a
 * disagreement is a bug in the IR, a backend, the evaluator or the
 * contract's model of conntrack -- and is shrunk to a small policy that
 * still shows it, re-running the kernel for each candidate.
 *
 * Format delta is the text ruleset reached by apply's delta (compiler/
 * delta.h) from a starting point that changes with the seed: the previous
 * seed's policy, or this one with a block or a rule left out (so the delta
 * adds it back, and every later line moves); for odd seeds the delta is
 * taken from nft's listing of that table, as apply takes it when it has
 * no record of its last commit.  The table reached must list
 * as the ruleset loaded afresh does, and then give the same verdicts.
 *
 * Lint's claims that a rule changes nothing (D6C-W001, W002, W003, W016,
 * W017) are checked on every policy, kernel or not (lintcheck.c): without
 * the rule the evaluator must give every packet the same verdict and log.
 *
 * --no-kernel only generates, compiles and evaluates (no root needed): a
 * quick check at scale that every generated policy is valid, and that
 * lint's claims hold.
 *
 * --replay checks hand-verified cases (tests/diff/regress/, replay.c): the
 * verdicts the contract gives, which the evaluator and the kernel (in
 * each format) must both agree with.
 *
 * Counts are per (policy, packet) pair per format, in the closing
 * "N passed, M failed" line that tests/run.sh adds up.  Exit status: 0 all
 * agree, 1 a disagreement or a generated policy with errors, 2 a system
 * error (not root, no namespaces, a kernel run that failed).
 */
#include "difftest.h"
#include "gen.h"
#include "lintcheck.h"
#include "shrink.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Kernel loads one minimisation may spend before it prints what it has. */
#define SHRINK_RUNS 600

struct opts {
	uint64_t seed;
	int count, packets;
	bool fmt[DT_NFMT];
	int shrink;        /* minimisations left in this run */
	bool no_kernel;    /* the generator and the evaluator only */
	bool verbose;
	struct lint_counts lint;
};

/* ---- shrinking ---- */

/* The failure a candidate must still show. */
struct symptom {
	int fmt;
	bool load_fails;            /* the kernel refuses the ruleset */
	const struct eval_routes *routes;   /* the router's, left as they are */
	struct pkt pkt;
	enum outcome expected, got;
};

/* 1 when the policy text still shows s, 0 when not; *runs counts kernel loads. */
static int still_fails(struct probe *k, const char *text, const struct symptom *s, int *runs)
{
	struct dt_compiled c;
	int result = 0;
	char err[4096];
	if (!dt_compile(&c, "shrink.pol", text))
		goto out;
	if (!s->load_fails) {
		struct eval_result r = eval_packet_routed(c.sp, &s->pkt, s->routes, kernel_release_running());
		if (outcome_expected(&s->pkt, r.verdict) != s->expected)
			goto out;
	}
	(*runs)++;
	bool loaded = probe_load(k, c.ruleset[s->fmt], s->fmt == DT_JSON, err, sizeof(err)) == 0;
	if (s->load_fails || !loaded) {
		result = s->load_fails && !loaded;
		goto out;
	}
	enum outcome got;
	if (probe_run(k, &s->pkt, 1, &got, err, sizeof(err)) != 0) {
		fprintf(stderr, "difftest: kernel run failed while shrinking: %s\n", err);
		exit(2);
	}
	result = got == s->got;
out:
	dt_release(&c);
	return result;
}

/* Prints the smallest model found that still shows s. */
static void minimise(struct probe *k, const struct gen_model *m, const struct symptom *s,
		     struct opts *o)
{
	if (o->shrink <= 0) {
		printf("  not minimised (shrink budget spent): replay with --seed %" PRIu64
		       " --count 1\n", m->seed);
		return;
	}
	o->shrink--;
	struct gen_model *cur = malloc(sizeof(*cur)), *cand = malloc(sizeof(*cand));
	if (!cur || !cand)
		dt_die_sys("malloc");
	*cur = *m;
	char *text = gen_render(cur);
	int runs = 0;
	if (!s->load_fails && !still_fails(k, text, s, &runs)) {
		printf("  NOT REPRODUCED when the packet is sent again alone (flaky?)\n");
		goto out;
	}
	/* Passes over every candidate until one changes nothing: a cut that
	 * failed early (a define still in use) may work once others are made.
	 * Texts, not bytes, say whether a candidate changed anything. */
	for (bool changed = true; changed && runs < SHRINK_RUNS;) {
		changed = false;
		for (int i = 0; runs < SHRINK_RUNS && shrink_candidate(cur, i, cand);) {
			char *t = gen_render(cand);
			if (strcmp(t, text) != 0 && still_fails(k, t, s, &runs)) {
				struct gen_model *swap = cur;
				cur = cand;
				cand = swap;
				free(text);
				text = t;
				changed = true;
			} else {
				free(t);
				i++;
			}
		}
	}
	printf("  minimised reproducer (%d kernel loads%s):\n", runs,
	       runs >= SHRINK_RUNS ? ", stopped early" : "");
	dt_print_indented(text);
	dt_print_routes(s->routes);
out:
	free(text);
	free(cur);
	free(cand);
}

/* ---- one policy ---- */

/* The policy DT_DELTA starts from, for m: see the top of this file.  NULL
 * when there is none (the first seed). */
static char *starting_point(const struct gen_model *m, uint64_t seed)
{
	static struct gen_model prev, from;
	static bool have_prev;
	char *text = NULL;
	struct gen_rng r;
	gen_rng_init(&r, seed ^ 0x5deece66dULL);
	from = *m;
	switch (seed % 3) {
	case 0:   /* another policy altogether */
		if (have_prev)
			text = gen_render(&prev);
		break;
	case 1:   /* without one of its blocks */
		if (from.nblocks > 1) {
			int b = (int)gen_below(&r, (unsigned)from.nblocks);
			memmove(&from.blocks[b], &from.blocks[b + 1],
				sizeof(from.blocks[0]) * (size_t)(from.nblocks - b - 1));
			from.nblocks--;
			text = gen_render(&from);
		}
		break;
	default: { /* one block without one of its rules */
		struct gen_block *b = from.nblocks ?
			&from.blocks[gen_below(&r, (unsigned)from.nblocks)] : NULL;
		if (b && b->nrules > 1) {
			int i = (int)gen_below(&r, (unsigned)b->nrules);
			memmove(&b->rules[i], &b->rules[i + 1],
				sizeof(b->rules[0]) * (size_t)(b->nrules - i - 1));
			b->nrules--;
			text = gen_render(&from);
		}
		break;
	}
	}
	prev = *m;
	have_prev = true;
	return text;
}

static void one_policy(struct probe *k, uint64_t seed, struct opts *o, struct dt_stats *st)
{
	static struct gen_model m;
	static struct pkt pkts[DT_MAX_PACKETS];
	static struct eval_result res[DT_MAX_PACKETS];
	static enum outcome want[DT_MAX_PACKETS], got[DT_MAX_PACKETS];
	static struct eval_route route[GEN_MAX_ROUTES];
	char name[64], err[4096], pk[256], why[256];
	snprintf(name, sizeof(name), "seed-%" PRIu64 ".pol", seed);

	gen_policy(seed, &m);
	char *text = gen_render(&m);
	struct dt_compiled c;
	if (!dt_compile(&c, name, text)) {
		printf("difftest: seed %" PRIu64 ": GENERATOR BUG: the policy has errors:\n", seed);
		fflush(stdout);
		diag_print(&c.dl, stdout, false);
		dt_print_indented(text);
		st->gen_errors++;
		st->failed++;
		dt_release(&c);
		free(text);
		return;
	}
	struct eval_routes routes = { route, gen_routes(&m, seed, route, GEN_MAX_ROUTES), "r0" };
	int n = gen_packets(&m, seed, route, routes.n, pkts, o->packets);
	for (int i = 0; i < n; i++) {
		res[i] = eval_packet_routed(c.sp, &pkts[i], &routes, kernel_release_running());
		want[i] = outcome_expected(&pkts[i], res[i].verdict);
		st->forged += res[i].reason == EVAL_FORGED;
		st->forged_astray += res[i].reason == EVAL_FORGED && !res[i].block;
	}
	if (lint_claims_hold(seed, text, pkts, n, &routes, &o->lint)) {
		st->passed++;
	} else {
		st->failed++;
		st->disagreements++;
	}
	if (o->verbose) {
		printf("== seed %" PRIu64 "\n", seed);
		dt_print_indented(text);
		dt_print_routes(&routes);
	}
	/* Replaces the previous seed's routes, none included. */
	if (!o->no_kernel && probe_route_set(k, route, routes.n, err, sizeof(err)) != 0) {
		fprintf(stderr, "difftest: seed %" PRIu64 ": setting the routes: %s\n", seed, err);
		exit(2);
	}
	/* The starting point, compiled under this policy's name: its comments
	 * then differ only where its lines do. */
	char *from_text = o->fmt[DT_DELTA] ? starting_point(&m, seed) : NULL;
	struct dt_compiled from = { 0 };
	bool have_from = from_text && dt_compile(&from, name, from_text);
	c.from = have_from ? from.ruleset[DT_TEXT] : NULL;
	c.from_listing = seed % 2 == 1;
	st->pairs += n;
	if (o->no_kernel)
		st->passed++;   /* the one check made: the policy is valid */
	for (int f = 0; f < DT_NFMT && !o->no_kernel; f++) {
		if (!o->fmt[f])
			continue;
		if (dt_load(k, &c, f, err, sizeof(err)) != 0) {
			printf("difftest: seed %" PRIu64 " [%s]: the kernel refuses the ruleset: %s\n",
			       seed, dt_fmt_name[f], err);
			st->failed += n;
			st->disagreements++;
			struct symptom s = { .fmt = f, .load_fails = true, .routes = &routes };
			minimise(k, &m, &s, o);
			continue;
		}
		if (probe_run(k, pkts, n, got, err, sizeof(err)) != 0) {
			fprintf(stderr, "difftest: seed %" PRIu64 " [%s]: kernel run failed: %s\n",
				seed, dt_fmt_name[f], err);
			exit(2);
		}
		for (int i = 0; i < n; i++) {
			gen_format_pkt(&pkts[i], pk, sizeof(pk));
			dt_describe(&res[i], why, sizeof(why));
			if (got[i] == want[i]) {
				st->passed++;
				if (o->verbose)
					printf("  ok [%s] %s: %s (%s)\n", dt_fmt_name[f], pk,
					       outcome_name(got[i]), why);
				continue;
			}
			st->failed++;
			st->disagreements++;
			printf("difftest: DISAGREEMENT seed %" PRIu64 " [%s]: %s: expected %s "
			       "(evaluator: %s), got %s\n", seed, dt_fmt_name[f], pk,
			       outcome_name(want[i]), why, outcome_name(got[i]));
			dt_print_routes(&routes);
			struct symptom s = { .fmt = f, .routes = &routes, .pkt = pkts[i],
					     .expected = want[i], .got = got[i] };
			minimise(k, &m, &s, o);
			/* The shrinker loaded other rulesets: put this one back. */
			if (dt_load(k, &c, f, err, sizeof(err)) != 0) {
				fprintf(stderr, "difftest: reloading seed %" PRIu64 ": %s\n", seed, err);
				exit(2);
			}
		}
	}
	fflush(stdout);
	if (from_text)
		dt_release(&from);
	free(from_text);
	dt_release(&c);
	free(text);
}

/* ---- command line ---- */

static void usage(FILE *out)
{
	fputs("usage: difftest [--seed N] [--count N] [--packets N] [--formats text,json,delta]\n"
	      "                [--shrink N] [--no-kernel] [--verbose]\n"
	      "       difftest [--formats text,json,delta] --replay NAME.pol...\n", out);
}

static bool number(const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || x > max)
		return false;
	*v = x;
	return true;
}

static bool formats(const char *s, bool fmt[DT_NFMT])
{
	memset(fmt, 0, sizeof(bool) * DT_NFMT);
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *save, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int f = -1;
		for (int i = 0; i < DT_NFMT; i++)
			if (strcmp(w, dt_fmt_name[i]) == 0)
				f = i;
		if (f < 0)
			return false;
		fmt[f] = true;
	}
	return fmt[DT_TEXT] || fmt[DT_JSON] || fmt[DT_DELTA];
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct opts o = { .seed = 1, .count = 40, .packets = 40, .fmt = { true, true, true },
			  .shrink = 10 };
	int replay = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t x;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			o.verbose = true;
		} else if (strcmp(a, "--no-kernel") == 0) {
			o.no_kernel = true;
		} else if (strcmp(a, "--replay") == 0) {
			replay = i + 1;
			break;
		} else if (v && strcmp(a, "--seed") == 0 && number(v, UINT64_MAX, &x)) {
			o.seed = x, i++;
		} else if (v && strcmp(a, "--count") == 0 && number(v, 10000000, &x)) {
			o.count = (int)x, i++;
		} else if (v && strcmp(a, "--packets") == 0 && number(v, DT_MAX_PACKETS, &x) && x > 0) {
			o.packets = (int)x, i++;
		} else if (v && strcmp(a, "--shrink") == 0 && number(v, 1000000, &x)) {
			o.shrink = (int)x, i++;
		} else if (v && strcmp(a, "--formats") == 0 && formats(v, o.fmt)) {
			i++;
		} else {
			fprintf(stderr, "difftest: bad option or value: %s\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (replay && replay >= argc) {
		fputs("difftest: --replay needs at least one NAME.pol\n", stderr);
		return 2;
	}
	if (replay && o.no_kernel) {
		fputs("difftest: --replay needs the kernel\n", stderr);
		return 2;
	}
	if (geteuid() != 0 && !o.no_kernel) {
		fputs("difftest: needs root (it builds network namespaces)\n", stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	char err[1024];
	double t0 = now();
	struct probe *k = o.no_kernel ? NULL : probe_open(err, sizeof(err));
	if (!k && !o.no_kernel) {
		fprintf(stderr, "difftest: cannot build the kernel topology: %s\n", err);
		return 2;
	}
	char fl[64] = "";
	for (int f = 0, at = 0; f < DT_NFMT; f++)
		if (o.fmt[f])
			at += snprintf(fl + at, sizeof(fl) - (size_t)at, "%s%s", at ? "," : "",
				       dt_fmt_name[f]);
	if (o.no_kernel)
		snprintf(fl, sizeof(fl), "no kernel (generator and evaluator only)");
	struct dt_stats st = { 0 };
	if (replay) {
		for (int i = replay; i < argc; i++)
			if (!dt_replay(k, argv[i], o.fmt, &st))
				st.failed++;   /* a malformed case */
		printf("difftest: %d regression cases (%ld skipped), %ld checks on evaluator,%s in "
		       "%.1f s, %ld disagreements, %ld known, %ld forged packets (%ld to no block)\n",
		       argc - replay, st.skipped, st.pairs, fl, now() - t0, st.disagreements, st.known,
		       st.forged, st.forged_astray);
	} else {
		for (int i = 0; i < o.count; i++)
			one_policy(k, o.seed + (uint64_t)i, &o, &st);
		printf("difftest: %d policies x %d packets = %ld pairs checked on %s in %.1f s, "
		       "%ld forged (%ld to no block), %ld disagreements", o.count, o.packets, st.pairs,
		       fl, now() - t0, st.forged, st.forged_astray, st.disagreements);
		if (st.gen_errors)
			printf(", %ld generated policies with errors", st.gen_errors);
		const struct lint_counts *lc = &o.lint;
		printf("\ndifftest: lint claims checked with the evaluator: %ld D6C-W001, %ld W002, "
		       "%ld W003, %ld W016, %ld W017 (%ld policies with all at once), %ld packets, "
		       "%ld claims wrong\n", lc->claims[LC_W001], lc->claims[LC_W002],
		       lc->claims[LC_W003], lc->claims[LC_W016], lc->claims[LC_W017], lc->together,
		       lc->packets, lc->wrong);
	}
	if (k)
		probe_close(k);
	printf("%ld passed, %ld failed\n", st.passed, st.failed);
	return st.failed ? 1 : 0;
}

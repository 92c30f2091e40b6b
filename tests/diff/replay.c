/*
 * replay.c - regression cases: hand-checked verdicts, through the evaluator
 * and through the kernel.
 *
 * A case is tests/diff/regress/NAME.pol and NAME.packets.  Each line of the
 * packets file is a packet and the verdict the language contract gives it;
 * '#' starts a comment:
 *
 *     kernel >= 6.10                              # optional: run only there
 *                                                 # (`kernel < 6.10`: only before)
 *     route 2001:db8:1::/48                       # optional, any number of them
 *     route 2001:db8:1:2::/64 via r0
 *     icmp 2001:db8:1::1 -> 2001:db8::5 type 151 accept
 *     tcp 10.0.0.1 -> 10.0.0.2 port 22 reject known
 *
 * Every packet comes from the outside, arriving at the router by r0.  The
 * router's main table sends every address out r0 too, so no source is
 * forged, unless `route PREFIX` lines route prefixes to the container
 * side (r1; `via r0`: back to the outside, to carve a longer prefix out of
 * a routed one).  The longest route holding a packet's source says which
 * interface its source check wants; the lines apply to the whole case,
 * wherever they stand, and the evaluator is told the same routes.
 *
 * The evaluator must give that verdict, and the kernel the outcome
 * outcome_expected() names for it, in every format.  `known` marks a packet
 * of a disagreement that was reported but is not fixed yet: its mismatches
 * are listed as KNOWN and do not fail the suite, but once it agrees
 * everywhere it fails as FIXED, so that the mark is removed and the case
 * guards the fix from then on.  The kernel lines exist because what
 * conntrack calls invalid changes between kernel versions (the running
 * kernel's release decides; a distribution's backport can blur it).
 */
#include "difftest.h"
#include "gen.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#define MAX_ROUTES 64

/* The case's `route` lines. */
struct case_routes {
	struct eval_route v[MAX_ROUTES];
	int n;
};

struct line {
	int lineno;
	struct pkt pkt;
	enum verdict verdict;
	bool known;
	bool disagreed;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, len = 0, got;
	do {
		if (len + 4097 > cap) {
			char *more = realloc(buf, cap = 2 * cap + 4097);
			if (!more)
				dt_die_sys("realloc");
			buf = more;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

static bool parse_verdict(const char *w, enum verdict *v)
{
	for (int i = VERDICT_ACCEPT; i <= VERDICT_REJECT; i++)
		if (strcmp(w, eval_verdict_word[i]) == 0) {
			*v = (enum verdict)i;
			return true;
		}
	return false;
}

/* Splits off the last blank-separated word of s (cut from s). */
static char *last_word(char *s)
{
	char *sp = strrchr(s, ' ');
	if (!sp)
		return NULL;
	*sp = '\0';
	return sp + 1;
}

/* "PACKET VERDICT [known]" into l; false when it is not. */
static bool parse_line(char *s, struct line *l)
{
	char *w = last_word(s);
	if (w && strcmp(w, "known") == 0) {
		l->known = true;
		w = last_word(s);
	}
	return w && parse_verdict(w, &l->verdict) && gen_parse_pkt(s, &l->pkt);
}

/* "MAJOR.MINOR" at the start of s, digits only; *end: what follows. */
static bool parse_version(const char *s, int *major, int *minor, const char **end)
{
	char *e;
	if (!isdigit((unsigned char)s[0]))
		return false;
	long a = strtol(s, &e, 10);
	if (*e != '.' || !isdigit((unsigned char)e[1]))
		return false;
	long b = strtol(e + 1, &e, 10);
	if (a > INT_MAX || b > INT_MAX)
		return false;
	*major = (int)a;
	*minor = (int)b;
	*end = e;
	return true;
}

/* Is the running kernel at least major.minor? */
static bool kernel_at_least(int major, int minor, char *release, size_t len)
{
	struct utsname u;
	int a = 0, b = 0;
	const char *rest;
	if (uname(&u) != 0 || !parse_version(u.release, &a, &b, &rest))
		return true;   /* unknown: run the case rather than hide it */
	snprintf(release, len, "%s", u.release);
	return a > major || (a == major && b >= minor);
}

/* "route PREFIX [via r0|r1]" into rt; false when s is no route line, or a
 * malformed one (then *bad is set). */
static bool parse_route(const char *s, struct case_routes *rt, bool *bad)
{
	char pfx[ADDR_STRLEN], via[8], ifname[8];
	int used = 0;
	int got = sscanf(s, "route %63s %n%7s %7s %n", pfx, &used, via, ifname, &used);
	if (got < 1)
		return false;
	struct prefix p;
	*bad = s[used] != '\0' || (got != 1 && got != 3) || rt->n == MAX_ROUTES ||
	       addr_parse(pfx, &p) != ADDR_OK ||
	       (got == 3 && (strcmp(via, "via") != 0 ||
			     (strcmp(ifname, "r0") != 0 && strcmp(ifname, "r1") != 0)));
	if (!*bad)
		rt->v[rt->n++] = (struct eval_route){ .pfx = p,
						      .ifname = got == 3 && ifname[1] == '0' ? "r0"
										    : "r1" };
	return true;
}

/* Reads NAME.packets into *lines and *rt; *skip_why is set when the kernel
 * does not fit. */
static int read_packets(const char *path, struct line *lines, struct case_routes *rt,
			char *skip_why, size_t whylen, bool *ok)
{
	char *text = slurp(path);
	int n = 0, ln = 0;
	*ok = text != NULL;
	if (!text)
		printf("difftest: cannot read %s: %s\n", path, strerror(errno));
	for (char *s = text, *next; *ok && s && *s; s = next) {
		next = strchr(s, '\n');
		if (next)
			*next++ = '\0';
		ln++;
		char *hash = strchr(s, '#');
		if (hash)
			*hash = '\0';
		for (char *t = s; *t; t++)
			if (*t == '\t' || *t == '\r')
				*t = ' ';
		char *end = s + strlen(s);
		while (end > s && end[-1] == ' ')
			*--end = '\0';
		while (*s == ' ')
			s++;
		if (!*s)
			continue;
		int major, minor, used = 0;
		char op[3];
		const char *rest = "";
		if (sscanf(s, "kernel %2[<>=] %n", op, &used) == 1 && used > 0 &&
		    parse_version(s + used, &major, &minor, &rest) && !*rest &&
		    (strcmp(op, ">=") == 0 || strcmp(op, "<") == 0)) {
			char release[128] = "?";
			bool newer = kernel_at_least(major, minor, release, sizeof(release));
			if (newer != (op[0] == '>'))
				snprintf(skip_why, whylen, "needs Linux %s %d.%d, this is %s", op, major,
					 minor, release);
			continue;
		}
		bool bad = false;
		if (parse_route(s, rt, &bad) && !bad)
			continue;
		memset(&lines[n], 0, sizeof(lines[n]));
		if (bad || n == DT_MAX_PACKETS || !parse_line(s, &lines[n])) {
			printf("difftest: %s:%d: expected 'PROTO SRC -> DST [port N|type N] "
			       "accept|drop|reject [known]', 'route PREFIX [via r0|r1]' or "
			       "'kernel >= X.Y' or 'kernel < X.Y'\n", path, ln);
			*ok = false;
			break;
		}
		/* Sent from the outside: probe_run() puts every packet on o0. */
		lines[n].pkt.iif = "r0";
		lines[n++].lineno = ln;
	}
	free(text);
	return n;
}

/* Counts one check of line l; what says who disagreed and how. */
static void check(struct dt_stats *st, const char *path, struct line *l, bool agree,
		  const char *what)
{
	st->pairs++;
	if (agree) {
		st->passed++;
		return;
	}
	l->disagreed = true;
	char pk[256];
	gen_format_pkt(&l->pkt, pk, sizeof(pk));
	if (l->known) {
		st->known++;
		printf("difftest: KNOWN %s:%d: %s: %s\n", path, l->lineno, pk, what);
		return;
	}
	st->failed++;
	st->disagreements++;
	printf("difftest: %s:%d: %s: %s\n", path, l->lineno, pk, what);
}

bool dt_replay(struct probe *k, const char *pol, const bool fmt[DT_NFMT], struct dt_stats *st)
{
	static struct line lines[DT_MAX_PACKETS];
	static struct pkt pkts[DT_MAX_PACKETS];
	static enum outcome got[DT_MAX_PACKETS];
	static struct case_routes rt;
	char path[4096], err[4096], what[512], why[256], skip_why[256] = "";
	size_t plen = strlen(pol);
	if (plen < 4 || strcmp(pol + plen - 4, ".pol") != 0 || plen + 10 > sizeof(path)) {
		printf("difftest: %s: a regression case is NAME.pol\n", pol);
		return false;
	}
	snprintf(path, sizeof(path), "%.*s.packets", (int)(plen - 4), pol);
	bool ok;
	rt.n = 0;
	int n = read_packets(path, lines, &rt, skip_why, sizeof(skip_why), &ok);
	struct eval_routes routes = { rt.v, rt.n, "r0" };
	if (!ok)
		return false;
	if (skip_why[0]) {
		printf("difftest: SKIP %s: %s\n", pol, skip_why);
		st->skipped++;
		return true;
	}
	char *text = slurp(pol);
	if (!text) {
		printf("difftest: cannot read %s: %s\n", pol, strerror(errno));
		return false;
	}
	struct dt_compiled c;
	if (!dt_compile(&c, pol, text)) {
		printf("difftest: %s has errors:\n", pol);
		fflush(stdout);
		diag_print(&c.dl, stdout, false);
		dt_release(&c);
		free(text);
		return false;
	}
	for (int i = 0; i < n; i++) {
		struct eval_result r = eval_packet_routed(c.sp, &lines[i].pkt, &routes, kernel_release_running());
		st->forged += r.reason == EVAL_FORGED;
		st->forged_astray += r.reason == EVAL_FORGED && !r.block;
		dt_describe(&r, why, sizeof(why));
		snprintf(what, sizeof(what), "[evaluator] the contract says %s, the evaluator %s",
			 eval_verdict_word[lines[i].verdict], why);
		check(st, path, &lines[i], r.verdict == lines[i].verdict, what);
		pkts[i] = lines[i].pkt;
	}
	/* Replaces the previous case's, none included. */
	if (probe_route_set(k, rt.v, rt.n, err, sizeof(err)) != 0) {
		fprintf(stderr, "difftest: %s: setting the routes: %s\n", pol, err);
		exit(2);
	}
	for (int f = 0; f < DT_NFMT; f++) {
		if (!fmt[f])
			continue;
		if (dt_load(k, &c, f, err, sizeof(err)) != 0) {
			printf("difftest: %s [%s]: the kernel refuses the ruleset: %s\n", pol,
			       dt_fmt_name[f], err);
			for (int i = 0; i < n; i++)
				check(st, path, &lines[i], false, "the kernel refuses the ruleset");
			continue;
		}
		if (probe_run(k, pkts, n, got, err, sizeof(err)) != 0) {
			fprintf(stderr, "difftest: %s [%s]: kernel run failed: %s\n", pol,
				dt_fmt_name[f], err);
			exit(2);
		}
		for (int i = 0; i < n; i++) {
			enum outcome w = outcome_expected(&pkts[i], lines[i].verdict);
			snprintf(what, sizeof(what), "[%s] the contract says %s (%s), the kernel did %s",
				 dt_fmt_name[f], eval_verdict_word[lines[i].verdict],
				 outcome_name(w), outcome_name(got[i]));
			check(st, path, &lines[i], got[i] == w, what);
		}
	}
	for (int i = 0; i < n; i++)
		if (lines[i].known && !lines[i].disagreed) {
			st->failed++;
			printf("difftest: FIXED %s:%d: marked known but agrees everywhere now: "
			       "remove 'known'\n", path, lines[i].lineno);
		}
	dt_release(&c);
	free(text);
	return true;
}

/*
 * cmd_status.c - d6c status: what is in force, from which policy, and
 * whether that policy still compiles to it.
 *
 * The exit status is a monitoring plugin's (Nagios, Icinga, Zabbix), so
 * that status can be a check as it is:
 *   0  current: d6c's table is loaded, and its policy compiles to it
 *   1  drifted: the policy file changed since the apply (or has errors, or
 *      is gone), or the table was changed in the kernel
 *   2  absent: no table inet NAME is loaded: nothing d6c applied protects
 *   3  unknown: cannot tell (no privilege, a table without d6c's record and
 *      no POLICY given, usage)
 */
#include "compare.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum status { ST_CURRENT = 0, ST_DRIFTED = 1, ST_ABSENT = 2, ST_UNKNOWN = 3 };

static const char *const status_name[] = { "current", "drifted", "absent", "unknown" };

struct status_report {
	enum status st;
	const char *why;           /* one line: why not current */
	const char *policy;        /* compiled, or NULL */
	bool compiled;
	bool same_ruleset;         /* the policy compiles to the record's RULESET */
	struct apply_pending pend;
	int follow;                /* 1 runs, 0 not */
	long follow_pid;
};

static json_t *record_json(const struct compare *k)
{
	if (!k->has_record)
		return json_null();
	const struct table_record *r = &k->rec;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "version", r->version, "applied",
			      r->applied, "ruleset", r->hash, "policy", r->policy, "shortened",
			      r->shortened, "counters", r->counters);
	if (r->has_priority)
		json_object_set_new(o, "priority", json_integer(r->priority));
	if (r->mask)
		json_object_set_new(o, "accept_mark",
				    json_sprintf("0x%x/0x%x", r->mark, r->mask));
	return o;
}

static void print_json(const struct compare *k, const struct status_report *s)
{
	const struct table_diff *d = &k->diff;
	json_t *o = json_pack("{s:s, s:s, s:i}", "table", k->table, "state", status_name[s->st],
			      "exit", (int)s->st);
	json_object_set_new(o, "message", s->why ? json_string(s->why) : json_null());
	json_object_set_new(o, "record", record_json(k));
	json_object_set_new(o, "policy", s->policy ? json_string(s->policy) : json_null());
	if (s->compiled) {
		json_object_set_new(o, "changes", json_pack(
			"{s:b, s:i, s:i, s:i, s:i, s:i, s:b}", "any", !tablediff_same(d),
			"networks_added", d->added, "networks_removed", d->removed,
			"networks_changed", d->changed, "table_wide", d->nwide,
			"moved", d->moved + d->wide_moved, "policy_changed", !s->same_ruleset));
	}
	json_t *cf = json_pack("{s:b}", "pending", s->pend.pending);
	if (s->pend.pending) {
		json_object_set_new(cf, "pid", json_integer(s->pend.pid));
		if (s->pend.deadline)
			json_object_set_new(cf, "seconds_left",
					    json_integer(s->pend.deadline - (long long)time(NULL)));
	}
	json_object_set_new(cf, "last", *s->pend.last ? json_string(s->pend.last) : json_null());
	json_object_set_new(o, "confirm", cf);
	json_t *fl = json_pack("{s:b}", "running", s->follow == 1);
	if (s->follow == 1)
		json_object_set_new(fl, "pid", json_integer(s->follow_pid));
	json_object_set_new(o, "follow", fl);
	json_dumpf(o, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(o);
}

/* "12 min ago" for a record's time. */
static const char *ago(struct arena *a, const char *applied)
{
	long long t = record_time_parse(applied), d = (long long)time(NULL) - t;
	if (t < 0 || d < 0)
		return "";
	if (d < 120)
		return arena_printf(a, " (%lld s ago)", d);
	if (d < 7200)
		return arena_printf(a, " (%lld min ago)", d / 60);
	if (d < 172800)
		return arena_printf(a, " (%lld h ago)", d / 3600);
	return arena_printf(a, " (%lld days ago)", d / 86400);
}

static void print_text(struct cli *c, const struct compare *k, const struct status_report *s)
{
	printf("table inet %s: %s\n", k->table, status_name[s->st]);
	if (s->why)
		printf("  %s\n", s->why);
	if (k->has_record) {
		const struct table_record *r = &k->rec;
		printf("  policy    %s\n", r->policy);
		printf("  applied   %s%s by d6c %s, ruleset %s\n", r->applied, ago(&c->a, r->applied),
		       r->version, r->hash);
		if (r->has_priority || r->mask || r->counters)
			printf("  options  %s%s%s\n",
			       r->has_priority ? arena_printf(&c->a, " --priority %d", r->priority) : "",
			       r->mask ? arena_printf(&c->a, " --accept-mark 0x%x/0x%x", r->mark, r->mask)
				       : "",
			       r->counters ? " --counters" : "");
	}
	if (s->pend.pending) {
		long long left = s->pend.deadline ? s->pend.deadline - (long long)time(NULL) : -1;
		if (left >= 0)
			printf("  confirm   pending: rolls back in %lld s unless 'd6c confirm' runs "
			       "(watcher pid %ld)\n", left, s->pend.pid);
		else
			printf("  confirm   pending (watcher pid %ld)\n", s->pend.pid);
	} else {
		printf("  confirm   none pending%s%s\n", *s->pend.last ? "; last: " : "",
		       s->pend.last);
	}
	if (s->follow == 1)
		printf("  follow    apply --follow-docker runs (pid %ld)\n", s->follow_pid);
	else
		printf("  follow    no apply --follow-docker runs\n");
}

/* Compiles policy as it was applied and compares: current or drifted. */
static void judge(struct cli *c, struct compare *k, struct status_report *s)
{
	struct diag_list dl;
	diag_init(&dl, &c->a);
	bool unreadable;
	compare_take_options(c, k);
	struct ir_policy *ir = cli_compile(c, &c->a, &dl, s->policy, &c->ir, &unreadable);
	if (!ir || diag_has_errors(&dl)) {
		s->st = ST_DRIFTED;
		s->why = unreadable
			? arena_printf(&c->a, "the policy %s, or the Docker networks it names, cannot "
				       "be read now", s->policy)
			: arena_printf(&c->a, "the policy %s has errors now: 'd6c check %s' shows them; "
				       "the table in force stays", s->policy, s->policy);
		return;
	}
	char err[4096];
	if (compare_policy(c, ir, k, err, sizeof(err)) != 0) {
		s->st = ST_UNKNOWN;
		s->why = arena_strdup(&c->a, err);
		return;
	}
	s->compiled = true;
	s->same_ruleset = k->has_record && strcmp(k->hash, k->rec.hash) == 0;
	if (tablediff_same(&k->diff)) {
		s->st = ST_CURRENT;
		return;
	}
	s->st = ST_DRIFTED;
	const char *what = compare_summary(&c->a, k);
	if (s->same_ruleset)
		s->why = arena_printf(&c->a, "the table was changed in the kernel since the apply "
				      "(by hand or by another tool): %s; 'd6c diff %s' shows it",
				      what, s->policy);
	else
		s->why = arena_printf(&c->a, "the policy changed since the apply: %s; 'd6c diff %s' "
				      "shows it", what, s->policy);
}

int cmd_status(struct cli *c)
{
	if (c->npolicies > 1) {
		cli_usage_error(c->cmd, "give at most one POLICY");
		return ST_UNKNOWN;
	}
	c->docker.from = DOCKER_FROM_DAEMON;
	struct status_report s = { .st = ST_UNKNOWN };
	struct compare k;
	char err[4096];
	if (compare_read_live(c, &k, err, sizeof(err)) != 0) {
		s.why = arena_strdup(&c->a, err);
	} else if (k.state == LIVE_ABSENT) {
		s.st = ST_ABSENT;
		s.why = arena_printf(&c->a, "table inet %s is not loaded: nothing d6c applied is in "
				     "force", k.table);
	} else if (c->npolicies == 1) {
		s.policy = c->policies[0];
	} else if (!k.has_record) {
		s.why = arena_printf(&c->a, "table inet %s holds no d6c record in its comment: it was "
				     "not made by 'd6c apply' (nft -f, by hand, another tool); give "
				     "the policy to compare: d6c status POLICY", k.table);
	} else if (k.rec.shortened || strcmp(k.rec.policy, "-") == 0) {
		s.why = arena_printf(&c->a, "the record names no policy file whole (%s); give it: "
				     "d6c status POLICY", k.rec.policy);
	} else {
		s.policy = k.rec.policy;
	}
	if (s.policy)
		judge(c, &k, &s);
	apply_pending_state(c->ir.table, cli_rundir(), &s.pend);
	s.follow = apply_follow_state(c->ir.table, cli_rundir(), &s.follow_pid);
	if (c->json)
		print_json(&k, &s);
	else
		print_text(c, &k, &s);
	fflush(stdout);
	return s.st;
}

/*
 * follow.c - apply --follow-docker: the policy applied again when Docker's
 * networks change.
 *
 * One round: read Docker's networks, compile the policy against them (a
 * name Docker does not know yet is a warning: its block protects nothing
 * until the network exists), and apply only when the ruleset text differs
 * from the one last applied.  A round runs at the start, after network
 * events, after SIGHUP, and on reconnecting.
 *
 * Events are coalesced, so that a burst (a compose project of fifty
 * networks coming up, a script making a thousand) costs a few rounds, not
 * one per event: after the first event of a wake, the wait goes on while
 * events keep coming less than QUIET_MS apart, and the round runs once
 * QUIET_MS passed with none, or BURST_MAX_MS after that first event
 * whatever still comes, so that new networks are not left unprotected for
 * as long as a burst lasts.  A single event is then in force about
 * QUIET_MS plus one round after Docker sent it; the last event of a burst
 * at most QUIET_MS plus two rounds (the one under way when it came, and
 * its own).  Each round is one apply, and each apply one atomic
 * transaction: the kernel never holds a mix of two.
 *
 * The event stream is opened before the networks are read: a network
 * created in between is then an event, not a change seen by neither.
 * Whatever fails later (the daemon going away, a policy edited into
 * errors, a refused commit) leaves the ruleset in force as it is.  Each
 * apply commits only the difference when d6c's table is what it committed
 * last (compiler/delta.h): a network that comes or goes is a few map
 * elements, and the ranges of the networks that stay are never out of the
 * kernel's maps, not even for the length of a commit.
 *
 * Docker's accept rule (docker_rule.h) is checked after every round and
 * every RULE_CHECK_MS while the event stream is quiet: dockerd restarting,
 * a network created (Docker 20.10 puts its jumps above it) or another tool
 * moving it are all repaired within that time.
 */
#include "follow.h"
#include "cli.h"
#include "compiler/arena.h"
#include "compiler/compile.h"
#include "compiler/docker_state.h"
#include "compiler/emit_text.h"
#include "compiler/suppress.h"
#include "runtime/apply.h"
#include "runtime/docker_api.h"
#include "runtime/docker_rule.h"
#include "runtime/output.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RULE_CHECK_MS 2000
/* Coalescing (see above): a burst ends at QUIET_MS of silence; a round
 * runs BURST_MAX_MS after its first event at the latest. */
#define QUIET_MS 50
#define BURST_MAX_MS 500

static volatile sig_atomic_t wake, stop, reload;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		stop = 1;
	wake = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a signal cuts the wait short */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Sleeps ms milliseconds, less when a signal comes. */
static void pause_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (!wake && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

struct follower {
	const char *policy;
	const struct ir_options *ir;
	const struct apply_options *apply;
	bool werror;
	const bool *disabled;   /* --disable */
	char *applied;      /* the ruleset text last applied; NULL: none yet */
	/* Docker's networks as last read, in their own arena: a SIGHUP while
	 * Docker is away compiles with them.  NULL: never read. */
	struct docker_state *known;
	struct arena known_arena;
	char rule_err[512]; /* the last failure to keep Docker's rule: said once */
};

/* Docker's accept rule back in place when it is not (only once something
 * was applied: the rule accepts a mark that only d6c's table sets). */
static void keep_docker_rule(struct follower *f)
{
	if (!f->apply->docker_accept || !f->applied || !f->ir->accept_mask)
		return;
	char done[512], err[512];
	if (docker_rule_ensure(f->ir->accept_mark, f->ir->accept_mask, done, sizeof(done), err,
			       sizeof(err)) != 0) {
		if (strcmp(err, f->rule_err) != 0)
			cli_docker_rule_warning(err);
		snprintf(f->rule_err, sizeof(f->rule_err), "%s", err);
		return;
	}
	f->rule_err[0] = '\0';
	if (*done)
		cli_error("Docker's accept rule for mark 0x%x/0x%x: %s", f->ir->accept_mark,
			  f->ir->accept_mask, done);
}

enum round_result { ROUND_OK, ROUND_POLICY_ERROR, ROUND_APPLY_FAILED, ROUND_NO_DOCKER };

/* One round: Docker's networks, compile, apply when different.  When
 * Docker cannot be reached (offline: known before; or the read fails) the
 * policy is compiled with the networks last read, or before Docker was
 * ever reached with none known, so that its written prefixes (a block over
 * Docker's whole address pool, say) are protected at once, as when d6c
 * starts at boot before Docker does.  A changed policy is thus not held
 * back until Docker returns. */
static enum round_result round_once(struct follower *f, bool offline)
{
	struct arena a;
	arena_init(&a);
	char err[512] = "";
	enum round_result res = ROUND_OK;
	struct docker_state *st = NULL;
	if (!offline) {
		struct arena fresh;
		arena_init(&fresh);
		st = docker_state_fetch(&fresh, err, sizeof(err));
		if (st) {
			arena_free(&f->known_arena);
			f->known_arena = fresh;
			f->known = st;
		} else {
			arena_free(&fresh);
			cli_error("cannot read Docker's networks: %s; %s", err,
				  f->known ? "using them as last read"
				  : f->applied ? "the ruleset in force stays"
				  : "applying the policy without them");
		}
	}
	if (!st)
		st = f->known;
	if (!st && f->applied && !offline) {
		arena_free(&a);
		return ROUND_NO_DOCKER;
	}
	if (!st) {
		st = arena_alloc(&a, sizeof(*st));
		st->source = "no Docker daemon";
	}
	/* Each round: the policy may have been moved or its modes changed. */
	if (!cli_trusted(&a, f->policy)) {
		cli_error("%s is not safe to apply; the ruleset in force stays", f->policy);
		arena_free(&a);
		return ROUND_APPLY_FAILED;   /* exit 2 on the first round, as apply */
	}
	struct compile_docker dk = { .view = { .state = st, .missing_ok = true } };
	struct diag_list dl;
	diag_init(&dl, &a);
	suppress_external(&dl, f->disabled);
	bool unreadable = false;
	struct ir_policy *ir = compile_policy(&a, &dl, f->policy, f->ir, &dk, &unreadable);
	bool failed = !ir || unreadable || (f->werror && dl.nwarnings > 0);
	char *text = failed ? NULL : output_string(ir, emit_text);
	bool changed = text && (!f->applied || strcmp(text, f->applied) != 0);
	/* Diagnostics when something is to be said: not again each round. */
	if (failed || changed)
		diag_print(&dl, stderr, false);
	if (failed) {
		cli_error("%s has errors; the ruleset in force stays", f->policy);
		res = ROUND_POLICY_ERROR;
	} else if (changed) {
		fflush(stdout);
		struct apply_result ar;
		char *aerr = arena_alloc(&a, APPLY_ERRLEN);
		if (apply_policy(ir, f->apply, &ar, aerr, APPLY_ERRLEN) == 0) {
			free(f->applied);
			f->applied = text;
			text = NULL;
		} else {
			res = ROUND_APPLY_FAILED;
		}
		fflush(stdout);
	}
	free(text);
	arena_free(&a);
	return res;
}

static long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* After a wait that returned 1: takes in the events that follow within
 * QUIET_MS of each other, for at most BURST_MAX_MS, and logs them as one
 * line.  A signal (stop, SIGHUP) ends it at once.  Returns 1, or -1 when
 * the stream was lost meanwhile (err says why). */
static int coalesce(struct docker_events *ev, char *err, size_t errlen)
{
	char changes[256];
	snprintf(changes, sizeof(changes), "%s", docker_events_changes(ev));
	unsigned long n = docker_events_count(ev);
	long end = mono_ms() + BURST_MAX_MS;
	int rc = 1;
	for (;;) {
		long left = end - mono_ms();
		if (left <= 0 || stop || reload)
			break;
		rc = docker_events_wait(ev, left < QUIET_MS ? (int)left : QUIET_MS, err, errlen);
		if (rc != 1)
			break;
		n += docker_events_count(ev);
	}
	if (n > 1)
		cli_error("Docker: %lu events: %s", n, changes);
	else
		cli_error("Docker: %s", changes);
	return rc < 0 ? -1 : 1;
}

int follow_docker(const char *policy, const struct ir_options *ir,
		  const struct apply_options *apply, bool werror, const bool *disabled)
{
	struct follower f = { .policy = policy, .ir = ir, .apply = apply, .werror = werror,
			      .disabled = disabled };
	/* one follower per table; the lock it holds tells `d6c status` it runs */
	long other;
	int claim = apply_follow_claim(ir->table, apply->rundir, &other);
	if (claim < 0 && other != 0) {
		if (other > 0)
			cli_error("another 'd6c apply --follow-docker' of table inet %s is running "
				  "(pid %ld)", ir->table, other);
		else
			cli_error("another 'd6c apply --follow-docker' of table inet %s is running",
				  ir->table);
		return EXIT_USAGE;
	}
	catch_signals();
	bool first = true, lost = false;
	int backoff = 250;
	int exit_code = -1;   /* set when the first round fails: 1 or 2, as apply */
	while (!stop) {
		char err[512] = "";
		wake = 0;
		struct docker_events *ev = docker_events_open(err, sizeof(err));
		if (!ev) {
			if (first || !lost)
				cli_error("cannot follow Docker: %s; %s; retrying", err, f.applied
					  ? "the ruleset in force stays"
					  : "applying the policy with no Docker network known yet");
			lost = true;
			/* A SIGHUP while Docker is away still reads the policy
			 * again, with the networks last read (round_once). */
			if (!f.applied || reload) {
				reload = 0;
				enum round_result res = round_once(&f, true);
				if (first && res != ROUND_OK) {
					exit_code = res == ROUND_POLICY_ERROR ? 1 : 2;
					break;
				}
				first = false;
			}
			/* at most a second: containers start soon after dockerd */
			pause_ms(backoff);
			backoff = backoff * 2 > 1000 ? 1000 : backoff * 2;
			continue;
		}
		docker_events_set_stop(ev, &wake);
		if (lost)
			cli_error("following Docker again");
		lost = false;
		backoff = 250;
		int rc = 1;
		while (rc >= 0 && !stop) {
			reload = 0;
			enum round_result res = round_once(&f, false);
			if (first) {
				first = false;
				if (res == ROUND_POLICY_ERROR || res == ROUND_APPLY_FAILED) {
					exit_code = res == ROUND_POLICY_ERROR ? 1 : 2;
					break;
				}
				cli_error("following Docker's network events; the policy is applied again "
					  "when they change what it compiles to");
			}
			keep_docker_rule(&f);
			do {
				wake = 0;
				rc = docker_events_wait(ev, RULE_CHECK_MS, err, sizeof(err));
				if (rc == 0)
					keep_docker_rule(&f);
			} while (rc == 0 && !stop && !reload);
			if (rc == 1)
				rc = coalesce(ev, err, sizeof(err));
		}
		docker_events_close(ev);
		if (exit_code >= 0)
			break;
		if (rc < 0 && !stop) {
			cli_error("Docker went away (%s); the ruleset in force stays; reconnecting", err);
			lost = true;
			pause_ms(backoff);
		}
	}
	free(f.applied);
	arena_free(&f.known_arena);
	if (exit_code >= 0)
		return exit_code;
	cli_error("stopped following Docker; the ruleset in force stays");
	return 0;
}

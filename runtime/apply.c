/*
 * apply.c - the netlink backend: the ruleset committed by libnftables.
 *
 * The commit is emit_text.c's script, which libnftables parses in this
 * process and sends as one batch: either all of it takes effect or none.
 * Text, not the JSON of emit_json.c: libnftables reads it faster and in
 * less memory (10 000 mixed networks: 0.36 s and 70 MB against 0.53 s and
 * 110 MB for the same ruleset as JSON, before d6c's own copy of the tree).
 *
 * --confirm: the previous table is saved as nft text (`list table`), the
 * new one committed, and a detached watcher process left behind.  Unless
 * `d6c confirm` removes the pending file first, the watcher puts the saved
 * table back when the timeout passes.  Files in the run directory, one set
 * per table and network namespace (KEY = TABLE.NETNS-INODE):
 *   KEY.lock     held by an apply from before it reads the table until its
 *                watcher is armed, and by a watcher while it restores, so
 *                two applies never interleave;
 *   KEY.pending  the watcher's pid; the watcher holds a lock on it for as
 *                long as it lives, so a stale file is told from a live one;
 *   KEY.outcome  what the last watcher did, for `d6c confirm` to report;
 *   KEY.applied  the script committed last and the table's fingerprint
 *                after it (applied.h): when the table is still exactly
 *                that, the next apply commits only the difference.
 */
#include "apply.h"
#include "applied.h"
#include "docker_rule.h"
#include "live.h"
#include "nftctx.h"
#include "compiler/arena.h"
#include "compiler/emit_text.h"
#include "compiler/record.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define CAP_NET_ADMIN_BIT 12

bool apply_have_cap(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return geteuid() == 0;
	char line[256];
	unsigned long long eff = 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "CapEff:", 7) == 0) {
			eff = strtoull(line + 7, NULL, 16);   /* unparsable: 0, no capability */
			break;
		}
	fclose(f);
	return (eff >> CAP_NET_ADMIN_BIT) & 1;
}

/* ---- run-directory files ---- */

struct paths {
	char *lock, *pending, *outcome, *follow, *applied;
};

static char *path_of(const char *rundir, const char *key, const char *ext)
{
	size_t n = strlen(rundir) + strlen(key) + strlen(ext) + 3;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s.%s", rundir, key, ext);
	return p;
}

/* Keyed by table and network namespace: `ip netns exec` on one host must
 * not confirm or block another namespace's apply. */
static void make_paths(struct paths *p, const char *rundir, const char *table)
{
	struct stat st;
	unsigned long long ns = stat("/proc/self/ns/net", &st) == 0 ? (unsigned long long)st.st_ino : 0;
	char key[160];
	snprintf(key, sizeof(key), "%s.%llu", table, ns);
	p->lock = path_of(rundir, key, "lock");
	p->pending = path_of(rundir, key, "pending");
	p->outcome = path_of(rundir, key, "outcome");
	p->follow = path_of(rundir, key, "follow");
	p->applied = path_of(rundir, key, "applied");
}

static void free_paths(struct paths *p)
{
	free(p->lock);
	free(p->pending);
	free(p->outcome);
	free(p->follow);
	free(p->applied);
}

/* mkdir -p, private to root. */
static int make_rundir(const char *dir)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int open_locked(const char *path, int flags, int how)
{
	int fd = open(path, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, how | LOCK_NB) != 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/* A watcher holds the lock on its pending file while it waits. */
static bool pending_alive(const char *pending)
{
	int fd = open(pending, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool alive = flock(fd, LOCK_SH | LOCK_NB) != 0;
	close(fd);
	return alive;
}

/* The pid a pending file names, 0 when it names none (an apply killed
 * before its watcher was armed). */
static long pending_pid(int fd)
{
	char buf[32] = "";
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	return n > 0 ? strtol(buf, NULL, 10) : 0;
}

static void notice(struct apply_notices *nt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void notice(struct apply_notices *nt, const char *fmt, ...)
{
	if (nt->n == APPLY_NOTICES)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(nt->line[nt->n++], sizeof(nt->line[0]), fmt, ap);
	va_end(ap);
}

/* A pending file whose watcher is gone: the machine rebooted with the run
 * directory kept, the watcher was killed, or an apply --confirm died
 * before arming it.  Nothing will roll the table back; say so once and
 * remove the file.  Called with KEY.lock held, so no apply is arming a
 * watcher meanwhile. */
static void clear_stale(const struct paths *p, const char *table, struct apply_notices *nt)
{
	int fd = open(p->pending, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		long pid = pending_pid(fd);
		if (unlink(p->pending) == 0) {
			if (pid > 0)
				notice(nt, "removed a stale pending confirmation of table inet %s: "
				       "its watcher (pid %ld) is no longer running (a reboot, or it "
				       "was killed), so nothing was going to roll it back", table, pid);
			else
				notice(nt, "removed a stale pending confirmation of table inet %s: "
				       "the apply --confirm that made it stopped before arming its "
				       "watcher", table);
		}
	}
	close(fd);
}

static void record_outcome(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void record_outcome(const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	syslog(LOG_WARNING | LOG_USER, "%s", msg);
	FILE *f = fopen(path, "w");
	if (f) {
		time_t now = time(NULL);
		char when[64] = "time unknown";
		struct tm tm;
		if (localtime_r(&now, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", &tm);
		fprintf(f, "%s (%s)\n", msg, when);
		fclose(f);
	}
}

/* What the last watcher did (record_outcome's line, without its
 * newline), "" when there is no record. */
static void read_outcome(const char *path, char *buf, size_t len)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* ---- saving and restoring the previous table ---- */

enum saved_state {
	SAVED_TABLE,    /* text holds it */
	SAVED_ABSENT,   /* there was none */
	SAVED_FAILED,   /* could not read it */
};

/* SAVED_FAILED with the reason in err. */
static enum saved_state save_table(const char *table, char **text, char *err, size_t errlen)
{
	switch (live_list(table, 0, text, err, errlen)) {
	case LIVE_TABLE:
		return SAVED_TABLE;
	case LIVE_ABSENT:
		return SAVED_ABSENT;
	default:
		return SAVED_FAILED;
	}
}

/* Puts the saved table (or its absence) back, in one transaction.  On
 * failure the reason is copied to why. */
static int restore(const char *table, const char *saved, char *why, size_t whylen)
{
	struct nft_ctx *nft = nftctx_open(0);
	if (!nft) {
		snprintf(why, whylen, "cannot set up libnftables");
		return -1;
	}
	size_t n = strlen(table) * 2 + (saved ? strlen(saved) : 0) + 64;
	char *cmd = malloc(n);
	int rc = -1;
	if (cmd) {
		snprintf(cmd, n, "table inet %s\ndelete table inet %s\n%s", table, table,
			 saved ? saved : "");
		rc = nft_run_cmd_from_buffer(nft, cmd) == 0 ? 0 : -1;
		if (rc != 0)
			snprintf(why, whylen, "%s", nftctx_error(nft));
		free(cmd);
	} else {
		snprintf(why, whylen, "out of memory");
	}
	nft_ctx_free(nft);
	return rc;
}

/* ---- the watcher ---- */

/* SIGUSR1 (`d6c rollback`): restore now instead of at the timeout. */
static volatile sig_atomic_t rollback_now;

static void on_rollback(int sig)
{
	(void)sig;
	rollback_now = 1;
}

static void watch(const struct paths *p, const char *table, const char *saved, int seconds)
{
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	while (!rollback_now &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &end, NULL) == EINTR)
		;
	/* Not while an apply is between reading and committing the table. */
	int lock = open(p->lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lock >= 0)
		flock(lock, LOCK_EX);
	/* `d6c confirm` removes the pending file before it stops us. */
	if (unlink(p->pending) != 0)
		_exit(0);
	char why[1024], cause[64];
	if (rollback_now)
		snprintf(cause, sizeof(cause), "rolled back by 'd6c rollback'");
	else
		snprintf(cause, sizeof(cause), "not confirmed within %d s", seconds);
	if (restore(table, saved, why, sizeof(why)) != 0)
		record_outcome(p->outcome, "d6c: %s, and restoring the previous table inet %s "
			       "FAILED: %s", cause, table, why);
	else if (saved)
		record_outcome(p->outcome, "d6c: %s: the previous table inet %s was put back",
			       cause, table);
	else
		record_outcome(p->outcome, "d6c: %s: table inet %s was removed again (there was "
			       "none before)", cause, table);
	_exit(0);
}

/* Forks the watcher; it keeps pending_fd (and its lock) and nothing else of
 * ours, so a caller reading our output is not held up until the timeout.
 * The child ends in _exit, here or in watch(), never in a return or exit():
 * the stdio buffers and atexit handlers it inherited are its parent's. */
static pid_t start_watcher(const struct paths *p, int pending_fd, const char *table,
			   const char *saved, int seconds)
{
	/* Blocked across fork(): a SIGHUP for the caller's process group (its
	 * terminal closing) must not reach the child before it ignores it. */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid_t pid = fork();
	if (pid != 0) {
		int err = errno;
		sigprocmask(SIG_SETMASK, &old, NULL);
		errno = err;
		return pid;
	}
	/* Its own session, so no controlling terminal and no process group a
	 * terminal signals; SIGHUP and SIGINT ignored all the same.  SIGTERM
	 * is how `d6c confirm` stops it.  chdir: it must not keep the
	 * caller's directory (a mount) busy for the whole timeout. */
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	struct sigaction sa = { .sa_handler = on_rollback };   /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	setsid();
	if (chdir("/") != 0)
		_exit(1);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	if (dup2(pending_fd, 3) != 3)
		_exit(1);
	for (int fd = 4; fd < 1024; fd++)
		close(fd);
	watch(p, table, saved, seconds);
	_exit(0);
}

/* ---- apply ---- */

static const char *version(const struct apply_options *opt)
{
	return opt->version ? opt->version : "unknown";
}

/* The script with its record (compiler/record.h) in its chain record;
 * frees script. */
static char *with_record(const struct ir_policy *ir, const struct apply_options *opt,
			 char *script, struct apply_result *res)
{
	struct table_record r = { .mark = ir->accept_mark, .mask = ir->accept_mask,
				  .counters = ir->counters };
	snprintf(r.version, sizeof(r.version), "%s", version(opt));
	record_time((long long)time(NULL), r.applied);
	record_hash(script, r.hash);
	if (strcmp(ir->priority, IR_DEFAULT_PRIORITY) != 0) {
		r.has_priority = true;
		r.priority = ir->priority_num;
	}
	snprintf(r.policy, sizeof(r.policy), "%s", opt->policy_path ? opt->policy_path : ir->source);
	char comment[RECORD_MAX];
	record_format(&r, comment, sizeof(comment));
	snprintf(res->hash, sizeof(res->hash), "%s", r.hash);
	char *out = record_insert(script, ir->table, comment);
	free(script);
	return out;
}

static void count(const struct ir_policy *ir, struct apply_result *res)
{
	res->networks = ir->nblocks;
	for (int i = 0; i < ir->nchains; i++)
		res->rules += ir->chains[i].nrules;
	res->ranges6 = ir->dispatch6.n;
	res->ranges4 = ir->dispatch4.n;
}

int apply_remove(const char *table, bool *existed, char *err, size_t errlen)
{
	*existed = false;
	if (!apply_have_cap()) {
		nftctx_errf(err, errlen, "remove needs CAP_NET_ADMIN to change the ruleset; run it as root");
		return -1;
	}
	char *saved = NULL;
	enum saved_state st = save_table(table, &saved, err, errlen);
	free(saved);
	if (st == SAVED_FAILED)
		return -1;
	if (st == SAVED_TABLE) {
		char why[1024];
		if (restore(table, NULL, why, sizeof(why)) != 0) {
			nftctx_errf(err, errlen, "cannot delete table inet %s:\n%s", table, why);
			return -1;
		}
		*existed = true;
	}
	return 0;
}

int apply_policy(const struct ir_policy *ir, const struct apply_options *opt,
		 struct apply_result *res, char *err, size_t errlen)
{
	*res = (struct apply_result){ .ir = ir, .opt = opt };
	err[0] = '\0';
	bool confirm = !opt->dry_run && opt->confirm_seconds > 0;
	struct paths p = { 0 };
	int lock_fd = -1, pending_fd = -1, rc = -1;
	char *saved = NULL, *text = NULL, *delta = NULL;
	struct nft_ctx *nft = NULL;
	sigset_t old_mask;
	bool masked = false;

	if (!apply_have_cap()) {
		nftctx_errf(err, errlen, "apply needs CAP_NET_ADMIN to change the ruleset; run it as root");
		goto out;
	}
	make_paths(&p, opt->rundir, ir->table);
	/* Serialise applies of this table.  Without a run directory a plain
	 * apply still works; a confirmed one must not start. */
	if (!opt->dry_run && make_rundir(opt->rundir) == 0) {
		lock_fd = open_locked(p.lock, O_RDWR, LOCK_EX);
		if (lock_fd < 0 && errno == EWOULDBLOCK) {
			nftctx_errf(err, errlen, "another d6c apply of table inet %s is running", ir->table);
			goto out;
		}
	}
	if (confirm && lock_fd < 0) {
		nftctx_errf(err, errlen, "--confirm needs the run directory '%s' (set D6C_RUNDIR): %s; "
		     "nothing was applied", opt->rundir, strerror(errno));
		goto out;
	}
	/* A watcher would later roll this apply back to its own saved table. */
	if (!opt->dry_run && pending_alive(p.pending)) {
		nftctx_errf(err, errlen, "an 'apply --confirm' of table inet %s is waiting for "
		     "'d6c confirm'; confirm it (or let it roll back) first", ir->table);
		goto out;
	}
	if (lock_fd >= 0)
		clear_stale(&p, ir->table, &res->notices);
	text = output_string(ir, emit_text);
	if (text && !opt->dry_run)
		text = with_record(ir, opt, text, res);
	/* Only the difference, when the table is what d6c committed last;
	 * the lock keeps another apply from changing it meanwhile. */
	if (text && lock_fd >= 0)
		delta = applied_delta(p.applied, ir->table, version(opt), text, res->how,
				      sizeof(res->how));
	/* --confirm restores the table as it is; a delta needs no listing. */
	enum saved_state st = SAVED_TABLE;
	if (!delta || confirm)
		st = save_table(ir->table, &saved, err, errlen);
	if (st == SAVED_FAILED) {
		res->unread = true;
		goto out;
	}
	/* Not d6c's last commit, but a table: the difference from it as nft
	 * lists it still beats a new table, which lets packets through for a
	 * moment after its commit (its maps are new). */
	bool listed = false;
	if (!delta && text && lock_fd >= 0 && st == SAVED_TABLE && saved)
		listed = (delta = applied_delta_listed(saved, text, res->how, sizeof(res->how)));
	if (confirm) {
		pending_fd = open_locked(p.pending, O_WRONLY, LOCK_EX);
		if (pending_fd < 0 || ftruncate(pending_fd, 0) != 0) {
			nftctx_errf(err, errlen, "cannot prepare '%s': %s; nothing was applied", p.pending,
			     strerror(errno));
			goto out;
		}
	}

	nft = text ? nftctx_open(0) : NULL;
	if (!nft) {
		nftctx_errf(err, errlen, "cannot set up libnftables; nothing was applied");
		goto out;
	}
	nft_ctx_set_dry_run(nft, opt->dry_run);
	/* From the commit until the watcher is armed, SIGINT, SIGTERM and
	 * SIGHUP wait: the ruleset is then either untouched or replaced with
	 * its rollback armed, not replaced with nobody watching.  (The commit
	 * itself is one transaction whatever happens to this process.)  They
	 * wait on until opt->report has said what happened. */
	sigset_t hold;
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigprocmask(SIG_BLOCK, &hold, &old_mask);
	masked = true;
	struct applied_before before = { 0 };
	if (!opt->dry_run && lock_fd >= 0)
		applied_mark(&before);
	res->delta = delta != NULL;
	/* an empty delta (the same ruleset and record, in the same second)
	 * commits nothing; what applied_keep() kept still holds, unless the
	 * delta came from the listing (there is nothing kept, or it is stale) */
	bool nothing = delta && !*delta;
	if (delta && !nothing && nft_run_cmd_from_buffer(nft, delta) != 0) {
		/* not expected; the whole table still goes in, and says why */
		char first[160];
		snprintf(first, sizeof(first), "%s", nftctx_error(nft));
		first[strcspn(first, "\n")] = '\0';
		snprintf(res->how, sizeof(res->how), "the kernel refused the delta: %s", first);
		res->delta = false;
		/* was there a table at all?  (created or replaced, said below) */
		if (!saved && save_table(ir->table, &saved, err, errlen) == SAVED_ABSENT)
			st = SAVED_ABSENT;
		err[0] = '\0';
	}
	if (!res->delta && nft_run_cmd_from_buffer(nft, text) != 0) {
		nftctx_errf(err, errlen, "the kernel refused the ruleset; the running ruleset is "
		     "unchanged\n%s", nftctx_error(nft));
		goto out;
	}
	if (!opt->dry_run && lock_fd >= 0 && (!nothing || listed))
		applied_keep(p.applied, ir->table, version(opt), text, &before, !nothing);
	if (confirm) {
		pid_t pid = start_watcher(&p, pending_fd, ir->table, saved, opt->confirm_seconds);
		if (pid < 0) {
			char why[1024];
			int e = errno;
			if (restore(ir->table, saved, why, sizeof(why)) == 0)
				nftctx_errf(err, errlen, "cannot start the confirm watcher (%s); the previous "
				     "table was put back", strerror(e));
			else
				nftctx_errf(err, errlen, "cannot start the confirm watcher (%s), and putting "
				     "the previous table back FAILED; the new ruleset is live:\n%s",
				     strerror(e), why);
			unlink(p.pending);
			goto out;
		}
		/* the pid, and when the watcher restores (d6c status) */
		dprintf(pending_fd, "%ld %lld\n", (long)pid,
			(long long)time(NULL) + opt->confirm_seconds);
		unlink(p.outcome);
	}
	res->existed = st == SAVED_TABLE;
	count(ir, res);
	if (opt->docker_accept && !opt->dry_run && ir->accept_mask)
		docker_rule_ensure(ir->accept_mark, ir->accept_mask, res->docker_done,
				   sizeof(res->docker_done), res->docker_error,
				   sizeof(res->docker_error));
	rc = 0;
out:
	if (opt->report)
		opt->report(rc, res, err);
	if (masked)
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (nft)
		nft_ctx_free(nft);
	if (pending_fd >= 0)
		close(pending_fd);   /* the watcher's copy keeps the lock */
	if (lock_fd >= 0)
		close(lock_fd);
	free(text);
	free(delta);
	free(saved);
	free_paths(&p);
	return rc;
}

int apply_confirm(const char *table, const char *rundir, struct apply_notices *notices,
		  char *err, size_t errlen)
{
	notices->n = 0;
	struct paths p;
	make_paths(&p, rundir, table);
	int rc = -1;
	int fd = open(p.pending, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		char last[1200];
		read_outcome(p.outcome, last, sizeof(last));
		if (last[0])
			nftctx_errf(err, errlen, "nothing to confirm for table inet %s; the last one %s:\n%s",
			     table, strstr(last, "by 'd6c rollback'") ? "was rolled back"
								       : "was not confirmed in time", last);
		else
			nftctx_errf(err, errlen, "nothing to confirm for table inet %s (no pending "
			     "apply --confirm)", table);
		goto out;
	}
	long pid = pending_pid(fd);
	bool alive = flock(fd, LOCK_EX | LOCK_NB) != 0;
	/* Removing the file is what confirms: the watcher checks for it. */
	int gone = unlink(p.pending);
	close(fd);
	if (gone != 0) {
		nftctx_errf(err, errlen, "too late: the previous table inet %s is being put back", table);
		goto out;
	}
	if (alive && pid > 0)
		kill((pid_t)pid, SIGTERM);
	else if (alive)
		;   /* an apply --confirm not armed yet: its watcher will find no file */
	else if (pid > 0)
		notice(notices, "removed a stale pending confirmation: its watcher (pid %ld) "
		       "was no longer running (a reboot, or it was killed), so nothing was going "
		       "to roll table inet %s back; the table stays as it is", pid, table);
	else
		notice(notices, "removed a stale pending confirmation: the apply --confirm "
		       "that made it stopped before arming its watcher (it was no longer "
		       "running); table inet %s stays as it is", table);
	rc = 0;
out:
	free_paths(&p);
	return rc;
}

/* ---- what is pending, and rolling it back ---- */

int apply_pending_state(const char *table, const char *rundir, struct apply_pending *st)
{
	*st = (struct apply_pending){ 0 };
	struct paths p;
	make_paths(&p, rundir, table);
	int fd = open(p.pending, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		char buf[64] = "";
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n > 0) {
			char *end;
			st->pid = strtol(buf, &end, 10);
			st->deadline = strtoll(end, NULL, 10);
		}
		st->pending = flock(fd, LOCK_SH | LOCK_NB) != 0;
		st->stale = !st->pending;
		close(fd);
	}
	read_outcome(p.outcome, st->last, sizeof(st->last));
	free_paths(&p);
	return 0;
}

/* Waits (at most seconds) for the watcher holding fd's lock to end. */
static bool wait_watcher(int fd, int seconds)
{
	for (int i = 0; i < seconds * 50; i++) {
		if (flock(fd, LOCK_SH | LOCK_NB) == 0)
			return true;
		struct timespec ts = { 0, 20000000L };   /* 20 ms */
		nanosleep(&ts, NULL);
	}
	return false;
}

int apply_rollback(const char *table, const char *rundir, char *done, size_t donelen,
		   char *err, size_t errlen)
{
	done[0] = '\0';
	struct paths p;
	make_paths(&p, rundir, table);
	int rc = -1;
	int fd = open(p.pending, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		nftctx_errf(err, errlen, "nothing to roll back: no 'apply --confirm' of table inet %s is "
		     "waiting for 'd6c confirm'", table);
		goto out;
	}
	long pid = pending_pid(fd);
	bool alive = flock(fd, LOCK_SH | LOCK_NB) != 0;
	if (!alive) {
		nftctx_errf(err, errlen, "nothing to roll back: the pending confirmation of table inet %s "
		     "is stale (its watcher, pid %ld, is no longer running, and the table it "
		     "saved went with it); the table stays as it is", table, pid);
		goto out;
	}
	if (pid <= 0) {
		nftctx_errf(err, errlen, "the 'apply --confirm' of table inet %s is still starting; run "
		     "'d6c rollback' again in a moment", table);
		goto out;
	}
	if (kill((pid_t)pid, SIGUSR1) != 0) {
		nftctx_errf(err, errlen, "cannot signal the confirm watcher (pid %ld): %s", pid,
		     strerror(errno));
		goto out;
	}
	if (!wait_watcher(fd, 30)) {
		nftctx_errf(err, errlen, "the confirm watcher (pid %ld) has not finished restoring table "
		     "inet %s after 30 s; see the system log", pid, table);
		goto out;
	}
	read_outcome(p.outcome, done, donelen);
	if (!strstr(done, "rolled back by")) {
		/* it timed out, or was confirmed, just before our signal */
		nftctx_errf(err, errlen, "the pending confirmation ended before the rollback: %s",
		     done[0] ? done : "it was confirmed");
		goto out;
	}
	rc = strstr(done, "FAILED") ? -1 : 0;
	if (rc != 0)
		nftctx_errf(err, errlen, "%s", done);
out:
	if (fd >= 0)
		close(fd);
	free_paths(&p);
	return rc;
}

int apply_follow_claim(const char *table, const char *rundir, long *other)
{
	*other = 0;
	struct paths p;
	make_paths(&p, rundir, table);
	int fd = -1;
	if (make_rundir(rundir) == 0) {
		fd = open_locked(p.follow, O_RDWR, LOCK_EX);
		if (fd < 0 && errno == EWOULDBLOCK) {
			int r = open(p.follow, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (r >= 0) {
				*other = pending_pid(r);
				close(r);
			}
			if (*other <= 0)
				*other = -1;
		} else if (fd >= 0 && (ftruncate(fd, 0) != 0 ||
				       dprintf(fd, "%ld\n", (long)getpid()) < 0)) {
			close(fd);
			fd = -1;
		}
	}
	free_paths(&p);
	return fd;
}

int apply_follow_state(const char *table, const char *rundir, long *pid)
{
	*pid = 0;
	struct paths p;
	make_paths(&p, rundir, table);
	int rc = 0;
	int fd = open(p.follow, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
			*pid = pending_pid(fd);
			rc = 1;
		}
		close(fd);
	}
	free_paths(&p);
	return rc;
}

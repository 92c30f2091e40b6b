/*
 * apply.c - the netlink backend: the JSON ruleset committed by libnftables.
 *
 * One nft_ctx lives from apply_policy()'s start to its end.  The commit is
 * the JSON command list of emit_json.c, which libnftables sends as one
 * batch: either all of it takes effect or none.  --confirm saves the
 * previous table as nft text (`list table`), commits, then leaves a watcher
 * process that reloads the saved text when the timeout passes unless
 * `d6c confirm` removed the pending file and stopped it first.
 */
#include "apply.h"
#include "compiler/emit_json.h"

#include <errno.h>
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
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
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> CAP_NET_ADMIN_BIT) & 1;
}

static struct nft_ctx *new_ctx(bool json)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft)
		return NULL;
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	/* In nftables 1.0.x the JSON output flag also selects JSON input. */
	if (json)
		nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
	return nft;
}

/* Runs cmd; on failure prints nft's error text under a heading. */
static int run(struct nft_ctx *nft, const char *cmd, const char *what)
{
	if (nft_run_cmd_from_buffer(nft, cmd) == 0)
		return 0;
	const char *err = nft_ctx_get_error_buffer(nft);
	fprintf(stderr, "d6c: %s failed; the running ruleset is unchanged\n%s", what,
		err && *err ? err : "(no reason given)\n");
	return -1;
}

/* The current table as nft text, or NULL when there is none. */
static char *save_table(const char *table)
{
	struct nft_ctx *nft = new_ctx(false);
	if (!nft)
		return NULL;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "list table inet %s", table);
	char *saved = NULL;
	if (nft_run_cmd_from_buffer(nft, cmd) == 0)
		saved = strdup(nft_ctx_get_output_buffer(nft));
	nft_ctx_free(nft);
	return saved;
}

static char *pending_path(const char *rundir, const char *table)
{
	size_t n = strlen(rundir) + strlen(table) + 16;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s.pending", rundir, table);
	return p;
}

/* Puts the saved table (or its absence) back, in one transaction. */
static int restore(const char *table, const char *saved)
{
	struct nft_ctx *nft = new_ctx(false);
	if (!nft)
		return -1;
	size_t n = strlen(table) * 2 + (saved ? strlen(saved) : 0) + 64;
	char *cmd = malloc(n);
	if (!cmd) {
		nft_ctx_free(nft);
		return -1;
	}
	snprintf(cmd, n, "table inet %s\ndelete table inet %s\n%s", table, table,
		 saved ? saved : "");
	int rc = run(nft, cmd, "restoring the previous table");
	free(cmd);
	nft_ctx_free(nft);
	return rc;
}

/* The watcher: a detached child that waits, then restores unless confirmed. */
static void watch(const char *pending, const char *table, const char *saved, int seconds)
{
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &end, NULL) == EINTR)
		;
	/* `d6c confirm` removes the pending file before it stops us. */
	if (unlink(pending) != 0)
		_exit(0);
	if (restore(table, saved) == 0)
		fprintf(stderr, "d6c: not confirmed within %d s: the previous table inet %s is back\n",
			seconds, table);
	_exit(0);
}

static int arm_confirm(const struct ir_policy *ir, const struct apply_options *opt,
		       const char *saved)
{
	char *pending = pending_path(opt->rundir, ir->table);
	if (!pending)
		return -1;
	mkdir(opt->rundir, 0700);
	int fd = open(pending, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "d6c: cannot write '%s': %s\n", pending, strerror(errno));
		free(pending);
		return -1;
	}
	/* The lock is held for as long as the watcher lives (it inherits the
	 * open file), so `d6c confirm` can tell a live watcher from a stale file
	 * and never signals a pid that has been reused. */
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		fprintf(stderr, "d6c: another apply --confirm of table inet %s is pending; "
			"confirm it first\n", ir->table);
		close(fd);
		free(pending);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "d6c: cannot start the confirm watcher: %s\n", strerror(errno));
		close(fd);
		unlink(pending);
		free(pending);
		return -1;
	}
	if (pid == 0) {
		setsid();
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
		watch(pending, ir->table, saved, opt->confirm_seconds);
	}
	dprintf(fd, "%ld\n", (long)pid);
	close(fd);   /* the watcher's copy keeps the lock */
	free(pending);
	return 0;
}

/* A watcher holds the lock on its pending file while it waits. */
static bool pending_alive(const char *rundir, const char *table)
{
	char *pending = pending_path(rundir, table);
	int fd = pending ? open(pending, O_RDONLY | O_CLOEXEC) : -1;
	free(pending);
	if (fd < 0)
		return false;
	bool alive = flock(fd, LOCK_SH | LOCK_NB) != 0;
	close(fd);
	return alive;
}

static void summary(const struct ir_policy *ir, const struct apply_options *opt, bool existed)
{
	int rules = 0;
	for (int i = 0; i < ir->nchains; i++)
		rules += ir->chains[i].nrules;
	printf("%s %s: table inet %s %s, %d network%s, %d rule%s, %d IPv6 and %d IPv4 ranges\n",
	       opt->dry_run ? "checked (dry run, nothing changed)" : "applied", ir->source,
	       ir->table, opt->dry_run ? (existed ? "would be replaced" : "would be created")
					: (existed ? "replaced" : "created"),
	       ir->nchains, ir->nchains == 1 ? "" : "s", rules, rules == 1 ? "" : "s",
	       ir->dispatch6.n, ir->dispatch4.n);
}

int apply_policy(const struct ir_policy *ir, const struct apply_options *opt)
{
	if (!apply_have_cap()) {
		fputs("d6c: apply needs CAP_NET_ADMIN to change the ruleset; run it as root\n", stderr);
		return APPLY_FAILED;
	}
	/* A watcher would later roll this apply back to its own saved table. */
	if (!opt->dry_run && pending_alive(opt->rundir, ir->table)) {
		fprintf(stderr, "d6c: an 'apply --confirm' of table inet %s is waiting for "
			"'d6c confirm'; confirm it (or let it roll back) first\n", ir->table);
		return APPLY_FAILED;
	}
	char *saved = save_table(ir->table);
	bool existed = saved != NULL;
	json_t *root = emit_json_build(ir);
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	struct nft_ctx *nft = text ? new_ctx(true) : NULL;
	int rc = APPLY_FAILED;
	if (!nft) {
		fputs("d6c: cannot set up libnftables\n", stderr);
		goto out;
	}
	nft_ctx_set_dry_run(nft, opt->dry_run);
	if (run(nft, text, opt->dry_run ? "the kernel's check" : "the commit") != 0)
		goto out;
	if (!opt->dry_run && opt->confirm_seconds > 0 && arm_confirm(ir, opt, saved) != 0) {
		/* Without a watcher there is no way back: undo now. */
		restore(ir->table, saved);
		goto out;
	}
	summary(ir, opt, existed);
	if (!opt->dry_run && opt->confirm_seconds > 0)
		printf("run 'd6c confirm%s%s' within %d seconds, or the previous table inet %s comes back\n",
		       strcmp(ir->table, "d6c") ? " --table " : "",
		       strcmp(ir->table, "d6c") ? ir->table : "", opt->confirm_seconds, ir->table);
	rc = APPLY_OK;
out:
	if (nft)
		nft_ctx_free(nft);
	free(text);
	free(saved);
	return rc;
}

int apply_confirm(const char *table, const char *rundir)
{
	char *pending = pending_path(rundir, table);
	if (!pending)
		return APPLY_FAILED;
	int fd = open(pending, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "d6c: nothing to confirm for table inet %s (no pending apply in %s)\n",
			table, rundir);
		free(pending);
		return APPLY_FAILED;
	}
	long pid = 0;
	char buf[32] = "";
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0)
		pid = strtol(buf, NULL, 10);
	bool alive = flock(fd, LOCK_EX | LOCK_NB) != 0;
	/* Removing the file first is what confirms: the watcher checks it. */
	int rc = unlink(pending);
	close(fd);
	free(pending);
	if (rc != 0) {
		fprintf(stderr, "d6c: too late: the previous table inet %s is being restored\n", table);
		return APPLY_FAILED;
	}
	if (alive && pid > 0)
		kill((pid_t)pid, SIGTERM);
	else
		fprintf(stderr, "d6c: the confirm watcher was no longer running; the table stays "
			"as it is\n");
	printf("confirmed: table inet %s stays\n", table);
	return APPLY_OK;
}

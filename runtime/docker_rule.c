/*
 * docker_rule.c - d6c's accept rule in Docker's iptables chains (see the
 * header for what and where).
 *
 * Each step lists a chain with `CMD -w -S CHAIN` and acts on that listing:
 * Docker may change its chains at any time (a network created, dockerd
 * restarting), so the rule is checked and put back, never assumed.  Rules
 * are deleted by their own spec (`-D CHAIN <the listed rule>`), not by
 * number, so a rule Docker inserted meanwhile is never the one removed.
 */
#include "docker_rule.h"
#include "command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX (1u << 20)   /* a listing longer than this is cut: FORWARD is short */
#define MAX_ARGS 40

const char *const docker_rule_cmd[2] = { "ip6tables", "iptables" };

/* `CMD -w -S CHAIN` into a malloc'd buffer; its exit status in *rc. */
static char *list_chain(const char *cmd, const char *chain, int *rc)
{
	const char *argv[] = { cmd, "-w", "-S", chain, NULL };
	return command_output(argv, LIST_MAX, rc);
}

/* The first line of a command's output, for a message. */
static const char *first_line(char *out, const char *none)
{
	out[strcspn(out, "\n")] = '\0';
	return *out ? out : none;
}

static bool is_ours(const char *line)
{
	return strstr(line, "--comment " DOCKER_RULE_COMMENT " ") != NULL ||
	       strstr(line, "--comment \"" DOCKER_RULE_COMMENT "\"") != NULL;
}

/* Our rule's spec after "-A CHAIN ", as -S prints it. */
static void wanted_spec(uint32_t mark, uint32_t mask, char *buf, size_t len)
{
	snprintf(buf, len, "-m mark --mark 0x%x/0x%x -m comment --comment " DOCKER_RULE_COMMENT
		 " -j ACCEPT", mark, mask);
}

/* Calls fn on each "-A CHAIN ..." line of a listing, with its 1-based number. */
typedef void rule_fn(const char *line, size_t len, int number, void *ctx);
static void each_rule(const char *listing, const char *chain, rule_fn *fn, void *ctx)
{
	size_t clen = strlen(chain);
	int number = 0;
	for (const char *p = listing; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 3 + clen && strncmp(p, "-A ", 3) == 0 && strncmp(p + 3, chain, clen) == 0 &&
		    p[3 + clen] == ' ') {
			number++;
			fn(p, len, number, ctx);
		}
		p += len + (nl ? 1 : 0);
	}
}

struct scan {
	const char *chain;
	const char *spec;    /* wanted, after "-A CHAIN " */
	int first_ours;      /* number of the first of ours; 0 */
	bool first_current;  /* rule 1 is ours with the wanted spec */
	int ours;
	bool jumps_user_first;
	bool docker_jump;    /* some rule jumps to a DOCKER... chain */
};

static void scan_rule(const char *line, size_t len, int number, void *ctx)
{
	struct scan *s = ctx;
	char buf[512];
	snprintf(buf, sizeof(buf), "%.*s ", (int)(len < sizeof(buf) - 2 ? len : sizeof(buf) - 2),
		 line);
	const char *body = buf + 3 + strlen(s->chain) + 1;
	if (is_ours(buf)) {
		s->ours++;
		if (!s->first_ours)
			s->first_ours = number;
		if (number == 1 && strncmp(body, s->spec, strlen(s->spec)) == 0 &&
		    body[strlen(s->spec)] == ' ')
			s->first_current = true;
	}
	if (number == 1 && strcmp(body, "-j DOCKER-USER ") == 0)
		s->jumps_user_first = true;
	if (strstr(buf, " -j DOCKER"))
		s->docker_jump = true;
}

static void inspect_family(int i, uint32_t mark, uint32_t mask, struct dr_family *f)
{
	memset(f, 0, sizeof(*f));
	f->cmd = docker_rule_cmd[i];
	char spec[160];
	wanted_spec(mark, mask, spec, sizeof(spec));
	int rc;
	char *fw = list_chain(f->cmd, "FORWARD", &rc);
	if (!fw || rc != 0) {
		snprintf(f->why, sizeof(f->why), "%s", rc == 127 ? "the command is not installed"
			 : fw ? first_line(fw, "it failed") : "out of memory");
		free(fw);
		return;
	}
	f->usable = true;
	f->forward_drop = strstr(fw, "-P FORWARD DROP") != NULL;
	struct scan sf = { .chain = "FORWARD", .spec = spec };
	each_rule(fw, "FORWARD", scan_rule, &sf);
	free(fw);
	char *du = list_chain(f->cmd, "DOCKER-USER", &rc);
	struct scan su = { .chain = "DOCKER-USER", .spec = spec };
	f->docker_user = du && rc == 0;
	if (f->docker_user)
		each_rule(du, "DOCKER-USER", scan_rule, &su);
	free(du);
	f->reached = sf.jumps_user_first;
	f->copies = sf.ours + su.ours;
	if (f->docker_user) {
		f->place = DR_DOCKER_USER;
		f->position = su.first_ours;
		f->current = su.first_current;
	} else if (sf.docker_jump) {
		f->place = DR_FORWARD;
		f->position = sf.first_ours;
		f->current = sf.first_current;
	} else {
		f->place = DR_NONE;
	}
}

void docker_rule_inspect(uint32_t mark, uint32_t mask, struct dr_status *st)
{
	for (int i = 0; i < 2; i++)
		inspect_family(i, mark, mask, &st->fam[i]);
}

/* Deletes each of our rules in chain, by its listed spec; returns how many. */
struct del {
	const char *cmd, *chain;
	int removed, failed;
	char err[200];
};

static void delete_rule(const char *line, size_t len, int number, void *ctx)
{
	(void)number;
	struct del *d = ctx;
	char buf[512];
	snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) - 1 ? len : sizeof(buf) - 1), line);
	if (!is_ours(buf))
		return;
	const char *argv[MAX_ARGS] = { d->cmd, "-w" };
	int n = 2;
	char *save = NULL;
	for (char *tok = strtok_r(buf, " ", &save); tok && n < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " ", &save)) {
		if (*tok == '"') {   /* our comment, if the listing quotes it */
			tok++;
			tok[strcspn(tok, "\"")] = '\0';
		}
		argv[n++] = strcmp(tok, "-A") == 0 ? "-D" : tok;
	}
	argv[n] = NULL;
	char out[512];
	if (command_run(argv, out, sizeof(out)) == 0) {
		d->removed++;
	} else {
		d->failed++;
		snprintf(d->err, sizeof(d->err), "%s -D %s: %.120s", d->cmd, d->chain,
			 first_line(out, "failed"));
	}
}

static int remove_in(const char *cmd, const char *chain, char *err, size_t errlen)
{
	int rc;
	char *l = list_chain(cmd, chain, &rc);
	if (!l || rc != 0) {
		free(l);
		return 0;   /* no such chain (or no such command): nothing of ours in it */
	}
	struct del d = { .cmd = cmd, .chain = chain };
	each_rule(l, chain, delete_rule, &d);
	free(l);
	if (d.failed) {
		snprintf(err, errlen, "%s", d.err);
		return -1;
	}
	return d.removed;
}

int docker_rule_remove(char *err, size_t errlen)
{
	int total = 0;
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 2; k++) {
			int n = remove_in(docker_rule_cmd[i], k ? "DOCKER-USER" : "FORWARD", err, errlen);
			if (n < 0)
				return -1;
			total += n;
		}
	return total;
}

static int insert_first(const char *cmd, const char *chain, uint32_t mark, uint32_t mask,
			char *err, size_t errlen)
{
	char m[40], out[512];
	snprintf(m, sizeof(m), "0x%x/0x%x", mark, mask);
	const char *argv[] = { cmd, "-w", "-I", chain, "1", "-m", "mark", "--mark", m,
			 "-m", "comment", "--comment", DOCKER_RULE_COMMENT, "-j", "ACCEPT", NULL };
	if (command_run(argv, out, sizeof(out)) == 0)
		return 0;
	snprintf(err, errlen, "%s -I %s: %s", cmd, chain, first_line(out, "failed"));
	return -1;
}

int docker_rule_ensure(uint32_t mark, uint32_t mask, char *done, size_t donelen, char *err,
		       size_t errlen)
{
	done[0] = '\0';
	for (int i = 0; i < 2; i++) {
		struct dr_family f;
		inspect_family(i, mark, mask, &f);
		if (!f.usable)
			continue;   /* no such command or table: Docker cannot filter with it */
		bool right = f.place == DR_NONE ? f.copies == 0 : f.current && f.copies == 1;
		if (right)
			continue;
		for (int k = 0; k < 2; k++)
			if (remove_in(f.cmd, k ? "DOCKER-USER" : "FORWARD", err, errlen) < 0)
				return -1;
		const char *chain = f.place == DR_DOCKER_USER ? "DOCKER-USER" : "FORWARD";
		size_t used = strlen(done);
		if (f.place == DR_NONE) {
			snprintf(done + used, donelen - used, "%sremoved from %s (Docker does not "
				 "filter it)", used ? "; " : "", f.cmd);
			continue;
		}
		if (insert_first(f.cmd, chain, mark, mask, err, errlen) < 0)
			return -1;
		snprintf(done + used, donelen - used, "%s%s %s %s", used ? "; " : "", f.cmd,
			 chain, f.position ? "moved back to the top" : "rule inserted");
	}
	return 0;
}

/*
 * doctor_host.c - the live host read into struct doctor_facts (doctor.h).
 *
 * Sources, cheapest first: daemon.json and /proc/sys (files), the Engine
 * API (GET /networks, and for the doctor GET /info and GET
 * /containers/json, which apply asks only when Docker's ip6tables is off
 * and a protected Docker network has IPv6), libnftables (d6c's table and every chain, as JSON),
 * and the iptables commands (Docker's chains, the raw table, d6c's accept
 * rule).  nftables and iptables need CAP_NET_ADMIN; without it they are
 * left unread and the facts say so.  A source that fails leaves its facts
 * unknown: the judge says "cannot tell", never guesses.
 */
#include "doctor.h"
#include "docker_api.h"
#include "apply.h"
#include "command.h"

#include <glob.h>
#include <errno.h>
#include <fcntl.h>
#include <nftables/libnftables.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LISTING_MAX (4u << 20)      /* a raw PREROUTING of many containers */
#define HINTS_MAX (1u << 20)
#define INFO_MAX (4u << 20)
#define CONTAINERS_MAX (64u << 20)


/* ---- files ---- */

/* A small file's text, NUL-terminated; NULL with errno set. */
static char *read_file(struct arena *a, const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	char *buf = arena_alloc(a, max + 1);
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, max - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == max)
			break;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void read_hints(struct arena *a, const char *path, struct doctor_hints *h)
{
	h->path = path;
	h->ip6tables = h->iptables = h->userland_proxy = h->allow_direct_routing = -1;
	size_t len = 0;
	char *text = read_file(a, path, HINTS_MAX, &len);
	if (!text) {
		if (errno != ENOENT)
			h->error = arena_printf(a, "%s", strerror(errno));
		return;
	}
	doctor_parse_hints(a, text, len, h);
}

/* A sysctl that is on: its file holds a number of at least 1. */
static bool sysctl_on(struct arena *a, const char *path)
{
	size_t len;
	const char *v = read_file(a, path, 16, &len);
	return v && strtol(v, NULL, 10) >= 1;
}

/* Interfaces that process SRv6 routing headers: the kernel takes the
 * smaller of conf/all and the interface's own seg6_enabled. */
static void read_seg6(struct arena *a, struct doctor_facts *f)
{
	static const char conf[] = "/proc/sys/net/ipv6/conf/";
	if (!sysctl_on(a, "/proc/sys/net/ipv6/conf/all/seg6_enabled"))
		return;
	glob_t g;
	if (glob("/proc/sys/net/ipv6/conf/*/seg6_enabled", 0, NULL, &g) != 0)
		return;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *dev = g.gl_pathv[i] + strlen(conf);
		size_t devlen = strcspn(dev, "/");
		if ((devlen == 3 && strncmp(dev, "all", 3) == 0) ||
		    (devlen == 7 && strncmp(dev, "default", 7) == 0) || !sysctl_on(a, g.gl_pathv[i]))
			continue;
		ARENA_PUSH(a, f->seg6, n, cap);
		f->seg6[n - 1] = arena_strndup(a, dev, devlen);
	}
	globfree(&g);
	f->nseg6 = (int)n;
}

/* ---- the Engine API ---- */

static void read_docker(struct arena *a, const struct doctor_options *opt, struct doctor_facts *f)
{
	char err[512] = "";
	f->docker_host = docker_host_name();
	if (opt->fetched) {
		f->docker = opt->state;
		f->docker_error = opt->state_error;
	} else {
		f->docker = docker_state_fetch(a, err, sizeof(err));
		f->docker_error = f->docker ? NULL : arena_strdup(a, err);
	}
	if (!f->docker || opt->cheap)
		return;
	size_t len = 0;
	char *info = docker_api_get("/info", INFO_MAX, &len, err, sizeof(err));
	if (info)
		doctor_parse_info(a, info, len, &f->version, &f->backend);
	free(info);
	if (f->backend)
		f->backend_from = "GET /info";
}

/* The containers' published ports.  apply asks only when they matter:
 * Docker's ip6tables off and a protected IPv6 network of Docker's. */
static void read_ports(struct arena *a, struct doctor_facts *f)
{
	bool matter = !f->cheap;
	for (int i = 0; i < f->nnets && !matter; i++)
		matter = f->nets[i].protected_[DOCTOR_IP6] && f->nets[i].net->bridge &&
			 f->ip6_filter == 0;
	if (!f->docker || !matter)
		return;
	char err[512];
	size_t len = 0;
	char *list = docker_api_get("/containers/json", CONTAINERS_MAX, &len, err, sizeof(err));
	if (list) {
		f->nports = doctor_parse_ports(a, list, len, f->docker, &f->ports);
		f->ports_read = true;
	}
	free(list);
}

/* ---- libnftables ---- */

/* `nft -j CMD` into the arena; NULL with *why set when nft refused. */
static char *nft_json(struct arena *a, const char *cmd, const char **why)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft) {
		*why = "cannot set up libnftables";
		return NULL;
	}
	nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	char *out = NULL;
	if (nft_run_cmd_from_buffer(nft, cmd) == 0) {
		out = arena_strdup(a, nft_ctx_get_output_buffer(nft));
	} else {
		const char *e = nft_ctx_get_error_buffer(nft);
		*why = arena_strndup(a, e ? e : "nft failed", e ? strcspn(e, "\n") : 10);
	}
	nft_ctx_free(nft);
	return out;
}

static void read_table(struct arena *a, struct doctor_facts *f)
{
	const char *why = "";
	char *json = nft_json(a, arena_printf(a, "list table inet %s", f->table), &why);
	if (!json) {
		bool absent = strstr(why, "No such file or directory") != NULL;
		f->table_loaded = absent ? 0 : -1;
		f->table_error = absent ? NULL : why;
		return;
	}
	f->table_loaded = 1;
	if (!doctor_parse_table(a, json, f)) {
		f->table_loaded = -1;
		f->table_error = "libnftables listed it in a form d6c cannot read";
	}
}

/* apply: the table is the IR just committed */
static void from_ir(const struct ir_policy *ir, struct doctor_facts *f)
{
	f->table_loaded = 1;
	f->table_prio = ir->priority_num;
	f->has_mark = ir->accept_mask != 0;
	f->mark = ir->accept_mark;
	f->mask = ir->accept_mask;
}

static void read_chains(struct arena *a, struct doctor_facts *f)
{
	const char *why = "";
	char *json = nft_json(a, "list chains", &why);
	if (!json)
		return;
	f->nchains = doctor_parse_chains(a, json, f->table, &f->chains, f->bridges_table);
	f->chains_read = true;
}

/* ---- iptables ---- */

static void read_raw(struct arena *a, int fam, struct doctor_facts *f)
{
	const char *argv[] = { docker_rule_cmd[fam], "-w", "-t", "raw", "-S", "PREROUTING", NULL };
	int rc;
	char *out = command_output(argv, LISTING_MAX, &rc);
	if (out && rc == 0) {
		f->ndrops[fam] = doctor_parse_raw_drops(a, out, fam == DOCTOR_IP6 ? FAM_IP6 : FAM_IP4,
						       &f->drops[fam]);
		f->raw_read[fam] = true;
	} else {
		f->raw_error[fam] = !out ? "out of memory" : rc == 127 ? "the command is not installed"
				    : arena_strndup(a, out, strcspn(out, "\n"));
	}
	free(out);
}

static bool has_chain(const char *cmd, const char *chain)
{
	const char *argv[] = { cmd, "-w", "-S", chain, NULL };
	char out[256];
	return command_run(argv, out, sizeof(out)) == 0;
}

static void read_iptables(struct arena *a, struct doctor_facts *f)
{
	for (int fam = 0; fam < 2; fam++) {
		f->docker_chains[fam] = has_chain(docker_rule_cmd[fam], "DOCKER");
		read_raw(a, fam, f);
	}
	uint32_t mark = f->has_mark ? f->mark : IR_DEFAULT_ACCEPT_MARK;
	uint32_t mask = f->has_mark ? f->mask : IR_DEFAULT_ACCEPT_MARK;
	docker_rule_inspect(mark, mask, &f->rule);
	f->rule_read = true;
}

/* ---- putting it together ---- */

static bool overlaps(const struct ir_dispatch *d, const struct prefix *s)
{
	u128 first = addr_first(s), last = addr_last(s);
	for (int i = 0; d && i < d->n; i++)
		if (d->v[i].first <= last && first <= d->v[i].last)
			return true;
	return false;
}

static void match_networks(struct arena *a, struct doctor_facts *f)
{
	if (!f->docker)
		return;
	f->nnets = f->docker->n;
	f->nets = arena_alloc(a, (size_t)(f->nnets ? f->nnets : 1) * sizeof(*f->nets));
	for (int i = 0; i < f->nnets; i++) {
		struct doctor_net *dn = &f->nets[i];
		dn->net = &f->docker->nets[i];
		for (int k = 0; k < dn->net->nsubnets; k++) {
			const struct prefix *s = &dn->net->subnets[k];
			int fam = s->family == FAM_IP6 ? DOCTOR_IP6 : DOCTOR_IP4;
			dn->protected_[fam] |= overlaps(f->protect[fam], s);
			for (int d = 0; d < f->ndrops[fam]; d++)
				if (addr_covers(s, &f->drops[fam][d].dst)) {
					if (!dn->drops[fam]++)
						dn->drop_example[fam] = &f->drops[fam][d];
				}
		}
	}
}

/* Which firewall Docker uses: what it says, else what it made. */
static void settle_backend(struct doctor_facts *f)
{
	bool nft = f->bridges_table[DOCTOR_IP6] || f->bridges_table[DOCTOR_IP4];
	bool xt = f->docker_chains[DOCTOR_IP6] || f->docker_chains[DOCTOR_IP4];
	if (!f->backend && nft) {
		f->backend = "nftables";
		f->backend_from = "its docker-bridges tables";
	} else if (!f->backend && xt) {
		f->backend = "iptables";
		f->backend_from = "its DOCKER chains";
	}
	if (f->root)
		f->ip6_filter = f->docker_chains[DOCTOR_IP6] || f->bridges_table[DOCTOR_IP6];
}

void doctor_gather(struct arena *a, const struct doctor_options *opt, struct doctor_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->cheap = opt->cheap;
	f->root = apply_have_cap();
	f->table = opt->table;
	f->table_loaded = -1;
	f->ip6_filter = -1;
	read_hints(a, opt->daemon_json ? opt->daemon_json : DOCTOR_DAEMON_JSON, &f->hints);
	read_docker(a, opt, f);
	if (f->root) {
		if (opt->cheap && opt->ir)
			from_ir(opt->ir, f);
		else
			read_table(a, f);
		read_chains(a, f);
		read_iptables(a, f);
	} else {
		f->table_error = "reading the ruleset needs CAP_NET_ADMIN";
	}
	if (opt->ir) {
		f->protect[DOCTOR_IP6] = &opt->ir->dispatch6;
		f->protect[DOCTOR_IP4] = &opt->ir->dispatch4;
		f->protect_from = opt->policy_path;
		f->policy = true;
	} else if (f->table_loaded == 1) {
		f->protect_from = arena_printf(a, "table inet %s", f->table);
	}
	match_networks(a, f);
	settle_backend(f);
	read_ports(a, f);
	if (!opt->cheap)
		read_seg6(a, f);
}

void doctor_run(struct arena *a, const struct doctor_options *opt, struct doctor_report *r)
{
	memset(r, 0, sizeof(*r));
	doctor_gather(a, opt, &r->f);
	doctor_judge(a, r);
}

/*
 * doctor_judge.c - facts to findings: what will happen, and what to change
 * when it is not what the policy says (doctor.h).
 *
 * A PROBLEM is something that makes the policy not what happens: Docker
 * dropping what d6c allows (no accept rule, a NAT gateway mode's raw drop,
 * a fwmark Docker does not accept), another table dropping it, or a
 * published port d6c never sees.  A NOTE is worth knowing and changes no
 * verdict; OK lines say what was checked.  Where the host could not be
 * read the finding says so rather than guess.  Only facts are read here,
 * so the unit tests judge hand-written hosts.
 */
#include "doctor.h"

#include <stdarg.h>
#include <string.h>

static const char *const fam_name[2] = { [DOCTOR_IP6] = "IPv6", [DOCTOR_IP4] = "IPv4" };

static void add(struct arena *a, struct doctor_report *r, enum doctor_level level,
		const char *topic, const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void add(struct arena *a, struct doctor_report *r, enum doctor_level level,
		const char *topic, const char *subject, const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	size_t n = (size_t)r->n, cap = r->cap;
	ARENA_PUSH(a, r->v, n, cap);
	r->cap = cap;
	r->v[r->n++] = (struct doctor_finding){ level, topic, subject, arena_strdup(a, text) };
}

bool doctor_mark_covers(uint32_t value, uint32_t mask, uint32_t dvalue, uint32_t dmask)
{
	return (dmask & ~mask) == 0 && (value & dmask) == dvalue;
}

static const char *mark_text(struct arena *a, const struct doctor_facts *f)
{
	return arena_printf(a, "0x%x/0x%x", f->mark, f->mask);
}

/* Something of family fam is protected that Docker's filter stands in
 * front of: any protected range when Docker's FORWARD drops by policy,
 * else a protected subnet of a Docker bridge. */
static bool behind_docker(const struct doctor_facts *f, int fam, bool forward_drop)
{
	if (!f->protect[fam])
		return false;
	if (forward_drop && f->protect[fam]->n > 0)
		return true;
	for (int i = 0; i < f->nnets; i++)
		if (f->nets[i].protected_[fam] && f->nets[i].net->bridge)
			return true;
	return false;
}

/* ---- Docker and d6c's table ---- */

static void judge_docker(struct arena *a, struct doctor_report *r)
{
	const struct doctor_facts *f = &r->f;
	if (!f->docker) {
		add(a, r, DOCTOR_NOTE, "docker", NULL, "Docker: not reachable (%s)",
		    f->docker_error ? f->docker_error : f->docker_host);
		return;
	}
	const char *ip6 = f->ip6_filter == 1 ? "on" : f->ip6_filter == 0 ? "off" : "unknown (needs root)";
	add(a, r, DOCTOR_OK, "docker", NULL, "Docker %s at %s: firewall backend %s%s%s%s, IPv6 filtering "
	    "(ip6tables) %s", f->version ? f->version : "(version unknown)", f->docker_host,
	    f->backend ? f->backend : "unknown", f->backend_from ? " (from " : "",
	    f->backend_from ? f->backend_from : "", f->backend_from ? ")" : "", ip6);
	const struct doctor_hints *h = &f->hints;
	if (h->error)
		add(a, r, DOCTOR_NOTE, "docker", NULL, "%s could not be read (%s): its hints are left out",
		    h->path, h->error);
	if (h->read && h->ip6tables == 0 && f->ip6_filter == 1)
		add(a, r, DOCTOR_NOTE, "docker", NULL, "%s says \"ip6tables\": false, but Docker's IPv6 "
		    "chains are there: the running dockerd was started otherwise, or not restarted",
		    h->path);
}

static int ranges(const struct doctor_facts *f, int fam)
{
	return f->protect[fam] ? f->protect[fam]->n : 0;
}

static void judge_table(struct arena *a, struct doctor_report *r)
{
	const struct doctor_facts *f = &r->f;
	if (f->policy)
		add(a, r, DOCTOR_OK, "table", f->table, "POLICY %s: its %d IPv6 and %d IPv4 ranges are "
		    "what d6c protects here", f->protect_from, ranges(f, DOCTOR_IP6),
		    ranges(f, DOCTOR_IP4));
	if (f->table_loaded < 0) {
		add(a, r, DOCTOR_NOTE, "table", f->table, "table inet %s: cannot tell whether it is "
		    "loaded (%s)", f->table, f->table_error ? f->table_error : "unreadable");
		return;
	}
	if (f->table_loaded == 0) {
		add(a, r, f->protect_from ? DOCTOR_PROBLEM : DOCTOR_NOTE, "table", f->table,
		    "table inet %s is not loaded: no policy of d6c's is in force%s", f->table,
		    f->protect_from ? " (run d6c apply POLICY)" : "");
		return;
	}
	if (f->has_mark)
		add(a, r, DOCTOR_OK, "table", f->table, "table inet %s is loaded (forward hook, priority "
		    "%d) and marks what it accepts with %s", f->table, f->table_prio, mark_text(a, f));
	else
		add(a, r, DOCTOR_OK, "table", f->table, "table inet %s is loaded (forward hook, priority "
		    "%d) and sets no mark", f->table, f->table_prio);
	bool docker_filters = f->docker_chains[DOCTOR_IP6] || f->docker_chains[DOCTOR_IP4] ||
			      f->bridges_table[DOCTOR_IP6] || f->bridges_table[DOCTOR_IP4];
	if (docker_filters && f->table_prio >= 0)
		add(a, r, DOCTOR_PROBLEM, "table", f->table, "its forward chain runs at priority %d, "
		    "not before Docker's (0): Docker's drops come first and d6c's mark is set too "
		    "late; apply with the default priority (filter - 1)", f->table_prio);
}

/* ---- d6c's accept rule (iptables backend) ---- */

static void judge_rule_family(struct arena *a, struct doctor_report *r, int fam)
{
	const struct doctor_facts *f = &r->f;
	const struct dr_family *d = &f->rule.fam[fam];
	const char *who = fam_name[fam];
	if (f->bridges_table[fam])
		return;   /* Docker's nftables backend: judge_fwmark's */
	if (!d->usable) {
		add(a, r, DOCTOR_NOTE, "rule", who, "%s: %s cannot list FORWARD (%s): whether Docker "
		    "filters it is unknown", who, d->cmd, d->why);
		return;
	}
	if (d->place == DR_NONE) {
		add(a, r, d->copies ? DOCTOR_NOTE : DOCTOR_OK, "rule", who, "%s: Docker does not filter "
		    "forwarded packets (%s has no DOCKER chains): no accept rule needed%s", who, d->cmd,
		    d->copies ? "; a rule of d6c's is left there (d6c apply --docker-accept removes it)" : "");
		return;
	}
	const char *chain = d->place == DR_DOCKER_USER ? "DOCKER-USER" : "FORWARD";
	enum doctor_level bad = behind_docker(f, fam, d->forward_drop) ? DOCTOR_PROBLEM : DOCTOR_NOTE;
	const char *unless = bad == DOCTOR_NOTE ? " (no protected network is behind it)" : "";
	if (!f->has_mark) {
		add(a, r, f->table_loaded == 1 ? bad : DOCTOR_NOTE, "rule", who, "%s: Docker's %s chains "
		    "drop forwarded packets Docker does not publish, and d6c marks nothing: they drop "
		    "what d6c allows%s; apply with --docker-accept", who, d->cmd, unless);
		return;
	}
	if (!d->current) {
		add(a, r, bad, "rule", who, "%s: d6c's rule accepting %s is %s in %s %s, so Docker drops "
		    "what d6c allows%s; run d6c apply --docker-accept (--follow-docker keeps it there)",
		    who, mark_text(a, f), d->position ? "not first" : "missing", d->cmd, chain, unless);
		return;
	}
	if (d->place == DR_DOCKER_USER && !d->reached) {
		add(a, r, bad, "rule", who, "%s: d6c's rule is first in DOCKER-USER, but FORWARD's first "
		    "rule does not jump to DOCKER-USER: Docker's rules above it may drop first%s", who,
		    unless);
		return;
	}
	add(a, r, DOCTOR_OK, "rule", who, "%s: d6c's rule accepting %s is first in %s %s%s", who,
	    mark_text(a, f), d->cmd, chain,
	    d->place == DR_DOCKER_USER ? ", which FORWARD jumps to first" : "");
	if (d->copies > 1)
		add(a, r, DOCTOR_NOTE, "rule", who, "%s: %d copies of d6c's rule (one is needed; d6c "
		    "apply --docker-accept removes the others)", who, d->copies);
}

/* ---- Docker 29's nftables backend: bridge-accept-fwmark ---- */

static void judge_fwmark(struct arena *a, struct doctor_report *r)
{
	const struct doctor_facts *f = &r->f;
	if (!f->backend || strcmp(f->backend, "nftables") != 0)
		return;
	const struct doctor_hints *h = &f->hints;
	enum doctor_level bad = behind_docker(f, DOCTOR_IP6, false) ||
				behind_docker(f, DOCTOR_IP4, false) ? DOCTOR_PROBLEM : DOCTOR_NOTE;
	uint32_t dv, dm;
	if (!f->has_mark)
		add(a, r, bad, "fwmark", NULL, "Docker's nftables backend drops forwarded packets it "
		    "does not publish, and d6c marks nothing; apply with --docker-accept and set "
		    "\"bridge-accept-fwmark\": \"0x%x/0x%x\" in daemon.json", IR_DEFAULT_ACCEPT_MARK,
		    IR_DEFAULT_ACCEPT_MARK);
	else if (!h->read)
		add(a, r, DOCTOR_NOTE, "fwmark", NULL, "Docker's nftables backend: %s cannot be read, "
		    "so whether its \"bridge-accept-fwmark\" accepts d6c's mark %s is unknown", h->path,
		    mark_text(a, f));
	else if (!h->bridge_accept_fwmark)
		add(a, r, bad, "fwmark", NULL, "Docker's nftables backend drops forwarded packets it does "
		    "not publish, and %s sets no \"bridge-accept-fwmark\": set it to \"%s\" (d6c's "
		    "mark) and restart dockerd", h->path, mark_text(a, f));
	else if (!doctor_parse_fwmark(h->bridge_accept_fwmark, &dv, &dm) ||
		 !doctor_mark_covers(f->mark, f->mask, dv, dm))
		add(a, r, bad, "fwmark", NULL, "Docker accepts packets marked \"%s\" "
		    "(bridge-accept-fwmark), which d6c's mark %s does not give: set it to \"%s\"",
		    h->bridge_accept_fwmark, mark_text(a, f), mark_text(a, f));
	else
		add(a, r, DOCTOR_OK, "fwmark", NULL, "Docker's nftables backend accepts d6c's mark %s "
		    "(bridge-accept-fwmark \"%s\")", mark_text(a, f), h->bridge_accept_fwmark);
}

/* ---- networks ---- */

static const char *drop_text(struct arena *a, const struct doctor_net *n, int fam)
{
	char dst[ADDR_STRLEN];
	addr_format(&n->drop_example[fam]->dst, dst);
	/* as iptables -S prints it, with the length */
	return arena_printf(a, "%d rule%s, e.g. -d %s%s ! -i %s -j DROP", n->drops[fam],
			    n->drops[fam] == 1 ? "" : "s", dst,
			    strchr(dst, '/') ? "" : fam == DOCTOR_IP6 ? "/128" : "/32",
			    n->drop_example[fam]->iface);
}

static const char *subnets_text(struct arena *a, const struct docker_network *n)
{
	char *s = arena_strdup(a, "");
	for (int i = 0; i < n->nsubnets; i++) {
		char one[ADDR_STRLEN];
		addr_format(&n->subnets[i], one);
		s = arena_printf(a, "%s%s%s", s, i ? ", " : "", one);
	}
	return s;
}

/* The one line of a network: its IPv6 verdict. */
static void judge_net6(struct arena *a, struct doctor_report *r, const struct doctor_net *n,
		       const char *head)
{
	const struct doctor_facts *f = &r->f;
	const struct docker_network *net = n->net;
	const char *mode = net->gateway_mode6 ? net->gateway_mode6 : "nat";
	bool prot = n->protected_[DOCTOR_IP6];
	bool will_drop = docker_network_nat_drops(net, FAM_IP6) && f->ip6_filter == 1 &&
			 f->hints.allow_direct_routing != 1;
	static const char fix[] = "Recreate it with -o com.docker.network.bridge.gateway_mode_ipv6=routed";
	if (!net->ipv6)
		add(a, r, DOCTOR_OK, "network", net->name, "%s: IPv6 not enabled%s", head,
		    prot ? "" : "; not protected by d6c");
	else if (!prot)
		add(a, r, DOCTOR_OK, "network", net->name, "%s: IPv6 gateway mode %s; not protected by "
		    "d6c", head, mode);
	else if (n->drops[DOCTOR_IP6])
		add(a, r, DOCTOR_PROBLEM, "network", net->name, "%s: NAT gateway mode: Docker drops "
		    "packets routed to its containers in raw PREROUTING (%s); d6c's allows cannot take "
		    "effect. %s", head, drop_text(a, n, DOCTOR_IP6), fix);
	else if (will_drop)
		add(a, r, DOCTOR_PROBLEM, "network", net->name, "%s: NAT gateway mode: Docker will drop "
		    "packets routed to each container it starts here (raw PREROUTING); d6c's allows "
		    "cannot take effect. %s", head, fix);
	else if (!net->guards_nat)
		add(a, r, DOCTOR_OK, "network", net->name, "%s: Docker before 28 (no gateway modes) "
		    "does not drop packets routed to its containers: they reach d6c's rules", head);
	else
		add(a, r, DOCTOR_OK, "network", net->name, "%s: IPv6 gateway mode %s: packets routed to "
		    "its containers reach d6c's rules", head, mode);
}

static void judge_networks(struct arena *a, struct doctor_report *r, bool only_protected)
{
	const struct doctor_facts *f = &r->f;
	for (int i = 0; i < f->nnets; i++) {
		const struct doctor_net *n = &f->nets[i];
		const struct docker_network *net = n->net;
		bool prot = n->protected_[DOCTOR_IP6] || n->protected_[DOCTOR_IP4];
		if (!net->bridge || !net->nsubnets || (only_protected && !prot))
			continue;
		const char *head = arena_printf(a, "network %s (%s%s; %s)", net->name, net->bridge,
						net->internal ? ", internal" : "", subnets_text(a, net));
		judge_net6(a, r, n, head);
		if (n->protected_[DOCTOR_IP4] && n->drops[DOCTOR_IP4])
			add(a, r, DOCTOR_NOTE, "network", net->name, "network %s: IPv4 in NAT gateway "
			    "mode: Docker drops IPv4 packets routed to its containers (%s); published "
			    "ports still reach them through the host's addresses", net->name,
			    drop_text(a, n, DOCTOR_IP4));
	}
}

/* ---- other tables, SRv6, docker-proxy ---- */

static void judge_chains(struct arena *a, struct doctor_report *r)
{
	const struct doctor_facts *f = &r->f;
	for (int i = 0; i < f->nchains; i++) {
		const struct doctor_chain *c = &f->chains[i];
		int fam = strcmp(c->family, "ip6") == 0 ? DOCTOR_IP6 : DOCTOR_IP4;
		bool docker = c->docker && (strcmp(c->table, "docker-bridges") == 0 ||
					    f->docker_chains[fam]);
		const char *name = arena_printf(a, "%s %s %s", c->family, c->table, c->name);
		if (docker)
			add(a, r, DOCTOR_OK, "chain", name, "chain %s (priority %d) is Docker's, policy "
			    "drop: d6c's allows pass it through %s judged above", name, c->prio,
			    strcmp(c->table, "docker-bridges") == 0 ? "the bridge-accept-fwmark"
								    : "the accept rule");
		else
			add(a, r, DOCTOR_PROBLEM, "chain", name, "chain %s (priority %d, %s d6c's) drops "
			    "forwarded packets by policy: it drops what d6c allows unless one of its "
			    "rules accepts it%s", name, c->prio, c->prio < f->table_prio ? "before" : "after",
			    f->has_mark ? arena_printf(a, " (e.g. meta mark & 0x%x == 0x%x accept)",
							f->mask, f->mark) : "");
	}
}

static void judge_seg6(struct arena *a, struct doctor_report *r)
{
	const struct doctor_facts *f = &r->f;
	if (!f->nseg6)
		return;
	char *list = arena_strdup(a, "");
	for (int i = 0; i < f->nseg6; i++)
		list = arena_printf(a, "%s%s%s", list, i ? ", " : "", f->seg6[i]);
	add(a, r, DOCTOR_NOTE, "seg6", NULL, "SRv6 routing headers are processed on %s "
	    "(seg6_enabled = 1): d6c's routing-header rule sends such packets to their block, "
	    "never as replies", list);
}

static bool protected6(const struct doctor_facts *f, const char *network)
{
	for (int i = 0; i < f->nnets; i++)
		if (strcmp(f->nets[i].net->name, network) == 0)
			return f->nets[i].protected_[DOCTOR_IP6];
	return false;
}

/* Ports published over IPv6 while Docker does not filter IPv6: docker-proxy
 * serves them on the host's own addresses (the input path). */
static void judge_proxy(struct arena *a, struct doctor_report *r)
{
	const struct doctor_facts *f = &r->f;
	if (!f->docker || f->ip6_filter != 0 || f->bridges_table[DOCTOR_IP6])
		return;
	bool any = false;
	for (int i = 0; i < f->nports; i++) {
		const struct doctor_port *p = &f->ports[i];
		if (!protected6(f, p->network))
			continue;
		any = true;
		add(a, r, DOCTOR_PROBLEM, "proxy", p->container, "container %s (%s): [%s]:%d/%s (its "
		    "port %d) is served by docker-proxy on the host's own addresses (input path), "
		    "Docker's ip6tables being off; d6c's forward chain never sees it (publish it on "
		    "IPv4 only, or turn Docker's ip6tables on)", p->container, p->network, p->host_ip,
		    p->public_port, p->proto, p->private_port);
	}
	if (any || f->ports_read)
		return;
	for (int i = 0; i < f->nnets; i++)
		if (f->nets[i].protected_[DOCTOR_IP6] && f->nets[i].net->bridge) {
			add(a, r, DOCTOR_PROBLEM, "proxy", NULL, "Docker's ip6tables is off: ports its "
			    "containers publish over IPv6 are served by docker-proxy on the host's own "
			    "addresses (input path), which d6c's forward chain never sees (Docker's "
			    "container list could not be read to say which)");
			return;
		}
}

void doctor_judge(struct arena *a, struct doctor_report *r)
{
	const struct doctor_facts *f = &r->f;
	if (!f->root) {
		add(a, r, DOCTOR_NOTE, "host", NULL, "not root: nftables, iptables and Docker's chains "
		    "cannot be read without CAP_NET_ADMIN; run d6c doctor as root");
		r->cannot_run = true;
	}
	/* apply says nothing of Docker when Docker does not answer */
	bool docker = f->docker || !f->cheap;
	if (!f->cheap)
		judge_docker(a, r);
	if (!f->cheap)
		judge_table(a, r);
	if (docker && f->rule_read)
		for (int fam = 0; fam < 2; fam++)
			judge_rule_family(a, r, fam);
	if (docker)
		judge_fwmark(a, r);
	judge_networks(a, r, f->policy);
	judge_chains(a, r);
	if (docker)
		judge_proxy(a, r);
	judge_seg6(a, r);
}

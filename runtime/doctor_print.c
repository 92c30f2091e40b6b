/*
 * doctor_print.c - a doctor's report as text or as one JSON object
 * (doctor.h).
 *
 * Text is the findings in the order they were judged, one a line, each
 * led by its level, then one verdict line.  JSON carries the same findings
 * and the facts behind them, for scripts and monitoring; a fact that could
 * not be read is null, never false.
 */
#include "doctor.h"

static const char *const level_name[] = {
	[DOCTOR_OK] = "ok", [DOCTOR_NOTE] = "note", [DOCTOR_PROBLEM] = "problem",
};

static const char *const fam_key[2] = { [DOCTOR_IP6] = "ipv6", [DOCTOR_IP4] = "ipv4" };

enum doctor_verdict doctor_verdict_of(const struct doctor_report *r)
{
	if (r->cannot_run)
		return DOCTOR_CANNOT_TELL;
	for (int i = 0; i < r->n; i++)
		if (r->v[i].level == DOCTOR_PROBLEM)
			return DOCTOR_PROBLEMS;
	return DOCTOR_FINE;
}

void doctor_print_text(FILE *out, const struct doctor_report *r)
{
	int problems = 0;
	for (int i = 0; i < r->n; i++) {
		fprintf(out, "%-8s %s\n", level_name[r->v[i].level], r->v[i].text);
		problems += r->v[i].level == DOCTOR_PROBLEM;
	}
	if (r->cannot_run)
		fputs("verdict: cannot tell: too little of the host could be read\n", out);
	else if (problems)
		fprintf(out, "verdict: %d problem%s: what happens is not what the policy says\n",
			problems, problems == 1 ? "" : "s");
	else if (!r->f.policy && r->f.table_loaded == 0)
		fprintf(out, "verdict: nothing to judge: no table inet %s and no POLICY\n", r->f.table);
	else
		fputs("verdict: fine: what happens is what the policy says\n", out);
}

void doctor_print_warnings(FILE *out, const struct doctor_report *r)
{
	for (int i = 0; i < r->n; i++)
		if (r->v[i].level == DOCTOR_PROBLEM)
			fprintf(out, "d6c: warning: %s\n", r->v[i].text);
}

/* ---- JSON ---- */

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* 1 true, 0 false, else null */
static json_t *tristate(int v)
{
	return v == 1 ? json_true() : v == 0 ? json_false() : json_null();
}

static json_t *hints_json(const struct doctor_hints *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(h->path));
	json_object_set_new(o, "read", json_boolean(h->read));
	json_object_set_new(o, "error", str_or_null(h->error));
	json_object_set_new(o, "ip6tables", tristate(h->ip6tables));
	json_object_set_new(o, "iptables", tristate(h->iptables));
	json_object_set_new(o, "userland-proxy", tristate(h->userland_proxy));
	json_object_set_new(o, "allow-direct-routing", tristate(h->allow_direct_routing));
	json_object_set_new(o, "firewall-backend", str_or_null(h->firewall_backend));
	json_object_set_new(o, "bridge-accept-fwmark", str_or_null(h->bridge_accept_fwmark));
	return o;
}

static json_t *docker_json(const struct doctor_facts *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "host", json_string(f->docker_host));
	json_object_set_new(o, "reachable", json_boolean(f->docker != NULL));
	json_object_set_new(o, "error", str_or_null(f->docker_error));
	json_object_set_new(o, "version", str_or_null(f->version));
	json_object_set_new(o, "firewall_backend", str_or_null(f->backend));
	json_object_set_new(o, "firewall_backend_from", str_or_null(f->backend_from));
	json_object_set_new(o, "ip6tables", tristate(f->ip6_filter));
	json_object_set_new(o, "daemon_json", hints_json(&f->hints));
	return o;
}

static json_t *table_json(const struct doctor_facts *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(f->table));
	json_object_set_new(o, "loaded", tristate(f->table_loaded));
	json_object_set_new(o, "error", str_or_null(f->table_error));
	json_object_set_new(o, "priority", f->table_loaded == 1 ? json_integer(f->table_prio)
								: json_null());
	char mark[32];
	snprintf(mark, sizeof(mark), "0x%x/0x%x", f->mark, f->mask);
	json_object_set_new(o, "mark", f->has_mark ? json_string(mark) : json_null());
	json_object_set_new(o, "protected_from", str_or_null(f->protect_from));
	return o;
}

static json_t *rule_json(const struct doctor_facts *f)
{
	static const char *const place[] = {
		[DR_NONE] = NULL, [DR_DOCKER_USER] = "DOCKER-USER", [DR_FORWARD] = "FORWARD",
	};
	json_t *o = json_object();
	for (int fam = 0; fam < 2 && f->rule_read; fam++) {
		const struct dr_family *d = &f->rule.fam[fam];
		json_t *x = json_object();
		json_object_set_new(x, "command", json_string(d->cmd));
		json_object_set_new(x, "usable", json_boolean(d->usable));
		json_object_set_new(x, "error", d->usable ? json_null() : json_string(d->why));
		json_object_set_new(x, "needed_in", str_or_null(place[d->place]));
		json_object_set_new(x, "docker_user", json_boolean(d->docker_user));
		json_object_set_new(x, "forward_policy_drop", json_boolean(d->forward_drop));
		json_object_set_new(x, "reached", json_boolean(d->reached));
		json_object_set_new(x, "position", json_integer(d->position));
		json_object_set_new(x, "current", json_boolean(d->current));
		json_object_set_new(x, "copies", json_integer(d->copies));
		json_object_set_new(o, fam_key[fam], x);
	}
	return o;
}

static json_t *net_json(const struct doctor_net *n)
{
	const struct docker_network *net = n->net;
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(net->name));
	json_object_set_new(o, "id", json_string(net->id));
	json_object_set_new(o, "driver", json_string(net->driver));
	json_object_set_new(o, "bridge", str_or_null(net->bridge));
	json_object_set_new(o, "enable_ipv6", json_boolean(net->ipv6));
	json_object_set_new(o, "internal", json_boolean(net->internal));
	json_object_set_new(o, "gateway_mode_ipv6", json_string(net->gateway_mode6 ? net->gateway_mode6 : "nat"));
	json_object_set_new(o, "gateway_mode_ipv4", json_string(net->gateway_mode4 ? net->gateway_mode4 : "nat"));
	json_t *subs = json_array();
	for (int i = 0; i < net->nsubnets; i++) {
		char text[ADDR_STRLEN];
		addr_format(&net->subnets[i], text);
		json_array_append_new(subs, json_string(text));
	}
	json_object_set_new(o, "subnets", subs);
	for (int fam = 0; fam < 2; fam++) {
		char key[32];
		snprintf(key, sizeof(key), "protected_%s", fam_key[fam]);
		json_object_set_new(o, key, json_boolean(n->protected_[fam]));
		snprintf(key, sizeof(key), "raw_drops_%s", fam_key[fam]);
		json_object_set_new(o, key, json_integer(n->drops[fam]));
	}
	return o;
}

static json_t *lists_json(const struct doctor_facts *f, json_t *o)
{
	json_t *nets = json_array();
	for (int i = 0; i < f->nnets; i++)
		json_array_append_new(nets, net_json(&f->nets[i]));
	json_object_set_new(o, "networks", f->docker ? nets : (json_decref(nets), json_null()));
	json_t *chains = json_array();
	for (int i = 0; i < f->nchains; i++) {
		const struct doctor_chain *c = &f->chains[i];
		json_array_append_new(chains, json_pack("{s:s, s:s, s:s, s:i, s:b}", "family", c->family,
							"table", c->table, "chain", c->name, "priority",
							c->prio, "docker", c->docker));
	}
	json_object_set_new(o, "forward_drop_chains", f->chains_read ? chains
				: (json_decref(chains), json_null()));
	json_t *raw = json_object();
	for (int fam = 0; fam < 2; fam++)
		json_object_set_new(raw, fam_key[fam], f->raw_read[fam] ? json_integer(f->ndrops[fam])
									: json_null());
	json_object_set_new(o, "raw_prerouting_drops", raw);
	json_t *seg6 = json_array();
	for (int i = 0; i < f->nseg6; i++)
		json_array_append_new(seg6, json_string(f->seg6[i]));
	json_object_set_new(o, "seg6_enabled", f->cheap ? (json_decref(seg6), json_null()) : seg6);
	json_t *ports = json_array();
	for (int i = 0; i < f->nports; i++) {
		const struct doctor_port *p = &f->ports[i];
		json_array_append_new(ports, json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "container",
						       p->container, "network", p->network, "host_ip",
						       p->host_ip, "port", p->private_port, "host_port",
						       p->public_port, "proto", p->proto));
	}
	json_object_set_new(o, "published_ipv6_ports", f->ports_read ? ports
				: (json_decref(ports), json_null()));
	return o;
}

json_t *doctor_json(const struct doctor_report *r)
{
	const struct doctor_facts *f = &r->f;
	json_t *o = json_object();
	json_object_set_new(o, "root", json_boolean(f->root));
	json_object_set_new(o, "docker", docker_json(f));
	json_object_set_new(o, "table", table_json(f));
	json_object_set_new(o, "accept_rule", f->rule_read ? rule_json(f) : json_null());
	lists_json(f, o);
	json_t *found = json_array();
	for (int i = 0; i < r->n; i++)
		json_array_append_new(found, json_pack("{s:s, s:s, s:o, s:s}", "level",
						       level_name[r->v[i].level], "topic", r->v[i].topic,
						       "subject", str_or_null(r->v[i].subject), "text",
						       r->v[i].text));
	json_object_set_new(o, "findings", found);
	json_object_set_new(o, "status", json_integer(doctor_verdict_of(r)));
	return o;
}

void doctor_print_json(FILE *out, const struct doctor_report *r)
{
	json_t *j = doctor_json(r);
	json_dumpf(j, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(j);
}

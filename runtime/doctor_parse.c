/*
 * doctor_parse.c - reading what the host prints, for the doctor (doctor.h).
 *
 * Each parser takes text as a command or the daemon gave it and keeps only
 * what a check needs; whatever it does not recognise it skips, so a newer
 * iptables, nftables or Docker that adds fields costs a fact, never a
 * wrong one.  Nothing here runs a command or opens a file.
 */
#include "doctor.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *get_string(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- iptables -t raw -S PREROUTING ---- */

/* One line, exactly "-A PREROUTING -d ADDR/LEN ! -i IFACE -j DROP" (Docker
 * 28's direct-routing guard); any other match makes it someone else's. */
static bool raw_drop(struct arena *a, char *line, int family, struct doctor_raw_drop *out)
{
	char *tok[12];
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == 12)
			return false;
		tok[n++] = t;
	}
	static const char *const want[9] = { "-A", "PREROUTING", "-d", NULL, "!", "-i", NULL,
					      "-j", "DROP" };
	if (n != 9)
		return false;
	for (int i = 0; i < 9; i++)
		if (want[i] && strcmp(tok[i], want[i]) != 0)
			return false;
	if (addr_parse(tok[3], &out->dst) != ADDR_OK || out->dst.family != family)
		return false;
	out->iface = arena_strdup(a, tok[6]);
	return true;
}

int doctor_parse_raw_drops(struct arena *a, const char *listing, int family,
			   struct doctor_raw_drop **out)
{
	size_t n = 0, cap = 0;
	*out = NULL;
	for (const char *p = listing; *p;) {
		size_t len = strcspn(p, "\n");
		struct doctor_raw_drop d;
		if (raw_drop(a, arena_strndup(a, p, len), family, &d)) {
			ARENA_PUSH(a, *out, n, cap);
			(*out)[n - 1] = d;
		}
		p += len + (p[len] == '\n');
	}
	return (int)n;
}

/* ---- daemon.json ---- */

static int get_bool(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_boolean(v) ? json_is_true(v) : -1;
}

bool doctor_parse_hints(struct arena *a, const char *json, size_t len, struct doctor_hints *h)
{
	h->ip6tables = h->iptables = h->userland_proxy = h->allow_direct_routing = -1;
	h->firewall_backend = h->bridge_accept_fwmark = NULL;
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je);
	if (!json_is_object(root)) {
		h->error = root ? "it is not a JSON object"
				: arena_printf(a, "invalid JSON at line %d: %s", je.line, je.text);
		json_decref(root);
		return false;
	}
	h->ip6tables = get_bool(root, "ip6tables");
	h->iptables = get_bool(root, "iptables");
	h->userland_proxy = get_bool(root, "userland-proxy");
	h->allow_direct_routing = get_bool(root, "allow-direct-routing");
	const char *s = get_string(root, "firewall-backend");
	h->firewall_backend = s ? arena_strdup(a, s) : NULL;
	s = get_string(root, "bridge-accept-fwmark");
	h->bridge_accept_fwmark = s ? arena_strdup(a, s) : NULL;
	h->read = true;
	json_decref(root);
	return true;
}

/* Docker's bridge-accept-fwmark: a MASK defaults to all bits (the value
 * must match exactly), as Docker reads it. */
bool doctor_parse_fwmark(const char *s, uint32_t *value, uint32_t *mask)
{
	bool has_mask;
	if (ir_parse_mark(s, value, mask, &has_mask) != IR_MARK_OK)
		return false;
	if (!has_mask)
		*mask = UINT32_MAX;
	return true;
}

/* ---- GET /info ---- */

void doctor_parse_info(struct arena *a, const char *json, size_t len, const char **version,
		       const char **backend)
{
	*version = *backend = NULL;
	json_t *root = json_loadb(json, len, 0, NULL);
	const char *v = get_string(root, "ServerVersion");
	const char *b = get_string(json_object_get(root, "FirewallBackend"), "Driver");
	*version = v ? arena_strdup(a, v) : NULL;
	*backend = b && *b ? arena_strdup(a, b) : NULL;
	json_decref(root);
}

/* ---- nft -j list chains ---- */

static bool forward_family(const char *family)
{
	return strcmp(family, "ip") == 0 || strcmp(family, "ip6") == 0 ||
	       strcmp(family, "inet") == 0;
}

int doctor_parse_chains(struct arena *a, const char *json, const char *ours,
			struct doctor_chain **out, bool bridges_table[2])
{
	*out = NULL;
	bridges_table[DOCTOR_IP6] = bridges_table[DOCTOR_IP4] = false;
	json_t *root = json_loads(json, 0, NULL);
	const json_t *list = json_object_get(root, "nftables");
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *c = json_object_get(json_array_get(list, i), "chain");
		const char *family = get_string(c, "family"), *table = get_string(c, "table");
		const char *name = get_string(c, "name"), *hook = get_string(c, "hook");
		const char *policy = get_string(c, "policy");
		if (!family || !table || !name)
			continue;
		if (strcmp(table, "docker-bridges") == 0 && strcmp(family, "ip6") == 0)
			bridges_table[DOCTOR_IP6] = true;
		if (strcmp(table, "docker-bridges") == 0 && strcmp(family, "ip") == 0)
			bridges_table[DOCTOR_IP4] = true;
		if (!hook || strcmp(hook, "forward") != 0 || !policy || strcmp(policy, "drop") != 0 ||
		    !forward_family(family) || (strcmp(family, "inet") == 0 && strcmp(table, ours) == 0))
			continue;
		ARENA_PUSH(a, *out, n, cap);
		struct doctor_chain *d = &(*out)[n - 1];
		d->family = arena_strdup(a, family);
		d->table = arena_strdup(a, table);
		d->name = arena_strdup(a, name);
		d->prio = (int)json_integer_value(json_object_get(c, "prio"));
		d->docker = strcmp(table, "docker-bridges") == 0 ||
			    (strcmp(family, "inet") != 0 && strcmp(table, "filter") == 0 &&
			     strcmp(name, "FORWARD") == 0);
	}
	json_decref(root);
	return (int)n;
}

/* ---- nft -j list table inet NAME ---- */

static bool meta_mark(const json_t *e)
{
	const char *key = get_string(json_object_get(e, "meta"), "key");
	return key && strcmp(key, "mark") == 0;
}

static uint32_t u32(const json_t *e)
{
	return (uint32_t)json_integer_value(e);
}

/* The value of `meta mark set`: "meta mark | V" (mask V), "(meta mark &
 * ~M) | V" (mask M), or a constant (mask all bits). */
static bool mark_value(const json_t *v, uint32_t *value, uint32_t *mask)
{
	if (json_is_integer(v)) {
		*value = u32(v);
		*mask = UINT32_MAX;
		return true;
	}
	const json_t *or = json_object_get(v, "|");
	if (json_array_size(or) != 2 || !json_is_integer(json_array_get(or, 1)))
		return false;
	const json_t *left = json_array_get(or, 0);
	*value = u32(json_array_get(or, 1));
	if (meta_mark(left)) {
		*mask = *value;
		return true;
	}
	const json_t *and = json_object_get(left, "&");
	if (json_array_size(and) != 2 || !meta_mark(json_array_get(and, 0)))
		return false;
	*mask = ~u32(json_array_get(and, 1));
	return true;
}

static void find_mark(const json_t *rule, struct doctor_facts *f)
{
	const json_t *expr = json_object_get(rule, "expr");
	for (size_t i = 0; i < json_array_size(expr); i++) {
		const json_t *m = json_object_get(json_array_get(expr, i), "mangle");
		if (m && meta_mark(json_object_get(m, "key")) &&
		    mark_value(json_object_get(m, "value"), &f->mark, &f->mask) && f->mask) {
			f->has_mark = true;
			return;
		}
	}
}

/* An element's key as a range: "ADDR", {"prefix": ...}, {"range": [A, B]},
 * or any of these inside {"elem": {"val": ...}}. */
static bool elem_range(const json_t *k, int family, u128 *first, u128 *last)
{
	const json_t *wrapped = json_object_get(json_object_get(k, "elem"), "val");
	if (wrapped)
		k = wrapped;
	struct prefix p;
	if (json_is_string(k)) {
		if (addr_parse(json_string_value(k), &p) != ADDR_OK || p.family != family)
			return false;
		*first = *last = addr_first(&p);
		return true;
	}
	const json_t *pre = json_object_get(k, "prefix");
	if (pre) {
		const char *addr = get_string(pre, "addr");
		if (!addr || !json_is_integer(json_object_get(pre, "len")))
			return false;
		char text[ADDR_STRLEN + 8];
		snprintf(text, sizeof(text), "%.*s/%d", ADDR_STRLEN - 1, addr,
			 (int)json_integer_value(json_object_get(pre, "len")));
		if (addr_parse(text, &p) != ADDR_OK || p.family != family)
			return false;
		*first = addr_first(&p);
		*last = addr_last(&p);
		return true;
	}
	const json_t *range = json_object_get(k, "range");
	u128 ends[2];
	for (int i = 0; i < 2; i++) {
		const char *s = json_string_value(json_array_get(range, (size_t)i));
		if (!s || addr_parse(s, &p) != ADDR_OK || p.family != family)
			return false;
		ends[i] = addr_first(&p);
	}
	*first = ends[0];
	*last = ends[1];
	return true;
}

static const struct ir_dispatch *map_ranges(struct arena *a, const json_t *map, int family)
{
	struct ir_dispatch *d = arena_alloc(a, sizeof(*d));
	d->family = family;
	const json_t *elems = json_object_get(map, "elem");
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < json_array_size(elems); i++) {
		const json_t *e = json_array_get(elems, i);
		u128 first, last;
		if (!elem_range(json_is_array(e) ? json_array_get(e, 0) : e, family, &first, &last))
			continue;
		ARENA_PUSH(a, d->v, n, cap);
		d->v[n - 1] = (struct ir_interval){ first, last, -1 };
	}
	d->n = (int)n;
	return d;
}

bool doctor_parse_table(struct arena *a, const char *json, struct doctor_facts *f)
{
	json_t *root = json_loads(json, 0, NULL);
	const json_t *list = json_object_get(root, "nftables");
	if (!json_is_array(list)) {
		json_decref(root);
		return false;
	}
	f->has_mark = false;
	for (size_t i = 0; i < json_array_size(list); i++) {
		const json_t *item = json_array_get(list, i);
		const json_t *map = json_object_get(item, "map");
		const char *name = get_string(map, "name");
		const json_t *chain = json_object_get(item, "chain");
		const char *hook = get_string(chain, "hook");
		if (name && strcmp(name, "dispatch6") == 0)
			f->protect[DOCTOR_IP6] = map_ranges(a, map, FAM_IP6);
		else if (name && strcmp(name, "dispatch4") == 0)
			f->protect[DOCTOR_IP4] = map_ranges(a, map, FAM_IP4);
		else if (hook && strcmp(hook, "forward") == 0)
			f->table_prio = (int)json_integer_value(json_object_get(chain, "prio"));
		else if (!f->has_mark && json_object_get(item, "rule"))
			find_mark(json_object_get(item, "rule"), f);
	}
	json_decref(root);
	return true;
}

/* ---- GET /containers/json ---- */

static const char *network_name(const struct docker_state *st, const char *id)
{
	for (int i = 0; id && i < st->n; i++)
		if (strcmp(st->nets[i].id, id) == 0)
			return st->nets[i].name;
	return NULL;
}

/* Each published IPv6 port of one container, once per network of st it is on. */
static void container_ports(struct arena *a, const json_t *c, const struct docker_state *st,
			    struct doctor_port **out, size_t *n, size_t *cap)
{
	const char *cname = json_string_value(json_array_get(json_object_get(c, "Names"), 0));
	if (!cname)
		cname = get_string(c, "Id");
	if (!cname)
		return;
	if (*cname == '/')
		cname++;
	const json_t *nets = json_object_get(json_object_get(c, "NetworkSettings"), "Networks");
	const json_t *ports = json_object_get(c, "Ports");
	for (size_t i = 0; i < json_array_size(ports); i++) {
		const json_t *port = json_array_get(ports, i);
		const char *ip = get_string(port, "IP");
		int pub = (int)json_integer_value(json_object_get(port, "PublicPort"));
		if (!ip || !strchr(ip, ':') || pub <= 0)
			continue;
		/* json_object_iter() takes no const; it changes nothing */
		for (void *it = json_object_iter((json_t *)nets); it;
		     it = json_object_iter_next((json_t *)nets, it)) {
			const json_t *ep = json_object_iter_value(it);
			const char *net = network_name(st, get_string(ep, "NetworkID"));
			if (!net)
				continue;
			ARENA_PUSH(a, *out, *n, *cap);
			struct doctor_port *p = &(*out)[*n - 1];
			const char *proto = get_string(port, "Type");
			p->container = arena_strdup(a, cname);
			p->network = net;
			p->host_ip = arena_strdup(a, ip);
			p->private_port = (int)json_integer_value(json_object_get(port, "PrivatePort"));
			p->public_port = pub;
			p->proto = arena_strdup(a, proto ? proto : "tcp");
		}
	}
}

int doctor_parse_ports(struct arena *a, const char *json, size_t len,
		       const struct docker_state *st, struct doctor_port **out)
{
	*out = NULL;
	json_t *root = json_loadb(json, len, 0, NULL);
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < json_array_size(root); i++)
		container_ports(a, json_array_get(root, i), st, out, &n, &cap);
	json_decref(root);
	return (int)n;
}

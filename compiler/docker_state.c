/*
 * docker_state.c - Docker's networks as d6c reads them (docker_state.h).
 *
 * Parsing turns the network objects of GET /networks (and of `docker
 * network inspect`, which prints the same objects) into docker_state with
 * jansson, from a --docker-state file (read by source.c's src_read_file,
 * with the guarantees of a policy file's reading) or from the daemon's
 * answer, which runtime/docker_api.c fetches.
 *
 * Convention: nothing here prints or exits; a failure is one message in
 * the caller's err buffer that names where the daemon or file was, what
 * went wrong, and, when there is one, what to do about it.
 */
#include "docker_state.h"

#include "source.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define NETWORKS_JSON \
	"a JSON array of networks (what GET /networks or `docker network inspect` gives)"

static const char *json_kind(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* Clears every bit of p's address below its length. */
static void mask_host_bits(struct prefix *p)
{
	for (int i = 0; i < 16; i++) {
		int keep = p->len - 8 * i;
		if (keep <= 0)
			p->addr[i] = 0;
		else if (keep < 8)
			p->addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
}

/* "ADDR/LEN" as Docker stores it.  addr_parse() refuses host bits, which
 * Docker keeps (`--subnet 2001:db8::1/64` is stored as given and means
 * 2001:db8::/64), so the address and the length are checked apart, each
 * by addr.c's own rules and messages, and the host bits then cleared. */
static bool parse_subnet(const char *text, struct prefix *out, char *err, size_t errlen)
{
	const char *slash = strchr(text, '/');
	if (!slash) {
		snprintf(err, errlen, "'%.60s' has no prefix length", text);
		return false;
	}
	char host[ADDR_STRLEN];
	size_t hlen = (size_t)(slash - text);
	if (hlen >= sizeof(host)) {
		snprintf(err, errlen, "'%.60s' is not a valid address", text);
		return false;
	}
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	enum addr_err e = addr_parse(host, out);
	if (e != ADDR_OK) {
		addr_error_message(e, host, err, errlen);
		return false;
	}
	/* The length, on the family's zero address, where no bit is a host bit. */
	char zero[32];
	if (strlen(slash + 1) > 8) {
		snprintf(err, errlen, "prefix length '/%.40s' is out of range for %s (0-%d)",
			 slash + 1, addr_family_name(out->family), addr_bits(out->family));
		return false;
	}
	snprintf(zero, sizeof(zero), "%s/%s", out->family == FAM_IP4 ? "0.0.0.0" : "::",
		 slash + 1);
	struct prefix lenp;
	e = addr_parse(zero, &lenp);
	if (e != ADDR_OK) {
		addr_error_message(e, zero, err, errlen);
		return false;
	}
	out->len = lenp.len;
	mask_host_bits(out);
	return true;
}

static const char *get_string(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* IPAM.Config[].Subnet.  Entries without a Subnet (an IPAM driver may give
 * only ranges or gateways) add nothing; a Subnet that is there must parse. */
static bool parse_ipam(struct arena *a, const json_t *net, struct docker_network *out,
		       const char *source, char *err, size_t errlen)
{
	const json_t *ipam = json_object_get(net, "IPAM");
	if (!ipam || json_is_null(ipam))
		return true;
	if (!json_is_object(ipam)) {
		snprintf(err, errlen, "%s: network '%s': IPAM is %s, not an object", source,
			 out->name, json_kind(ipam));
		return false;
	}
	const json_t *config = json_object_get(ipam, "Config");
	if (!config || json_is_null(config))
		return true;
	if (!json_is_array(config)) {
		snprintf(err, errlen, "%s: network '%s': IPAM.Config is %s, not an array", source,
			 out->name, json_kind(config));
		return false;
	}
	size_t n = json_array_size(config);
	out->subnets = n ? arena_alloc(a, n * sizeof(*out->subnets)) : NULL;
	for (size_t i = 0; i < n; i++) {
		const json_t *c = json_array_get(config, i);
		if (!json_is_object(c)) {
			snprintf(err, errlen, "%s: network '%s': IPAM.Config[%zu] is %s, not an object",
				 source, out->name, i, json_kind(c));
			return false;
		}
		const json_t *sub = json_object_get(c, "Subnet");
		if (!sub || json_is_null(sub) ||
		    (json_is_string(sub) && json_string_length(sub) == 0))
			continue;
		if (!json_is_string(sub)) {
			snprintf(err, errlen, "%s: network '%s': IPAM subnet is %s, not a string",
				 source, out->name, json_kind(sub));
			return false;
		}
		char why[160];
		if (!parse_subnet(json_string_value(sub), &out->subnets[out->nsubnets], why,
				  sizeof(why))) {
			snprintf(err, errlen, "%s: network '%s': IPAM subnet '%.80s': %s", source,
				 out->name, json_string_value(sub), why);
			return false;
		}
		out->nsubnets++;
	}
	return true;
}

#define BRIDGE_OPT "com.docker.network.bridge."

/* A string option of Options, copied; NULL when absent or not a string. */
static const char *get_option(struct arena *a, const json_t *opts, const char *key)
{
	const char *v = get_string(opts, key);
	return v ? arena_strdup(a, v) : NULL;
}

/* What kind of network it is and how Docker forwards to it.  Read
 * leniently: these say how Docker filters, not which subnets there are, so
 * a daemon that leaves one out (20.10 has no EnableIPv4 and no gateway
 * modes) or types one oddly gets the defaults, never an error. */
static void parse_kind(struct arena *a, const json_t *net, struct docker_network *out)
{
	const char *driver = get_string(net, "Driver");
	out->driver = arena_strdup(a, driver ? driver : "");
	out->ipv6 = json_is_true(json_object_get(net, "EnableIPv6"));
	const json_t *v4 = json_object_get(net, "EnableIPv4");
	out->guards_nat = json_is_boolean(v4);
	out->ipv4 = !json_is_false(v4);
	out->internal = json_is_true(json_object_get(net, "Internal"));
	const json_t *opts = json_object_get(net, "Options");
	if (!json_is_object(opts))
		opts = NULL;   /* json_object_get(NULL, ...) is NULL: no options */
	out->gateway_mode6 = get_option(a, opts, BRIDGE_OPT "gateway_mode_ipv6");
	out->gateway_mode4 = get_option(a, opts, BRIDGE_OPT "gateway_mode_ipv4");
	out->trusted_ifaces = get_option(a, opts, BRIDGE_OPT "trusted_host_interfaces");
	if (strcmp(out->driver, "bridge") != 0)
		return;
	const char *dev = get_string(opts, BRIDGE_OPT "name");
	out->bridge = dev && *dev ? arena_strdup(a, dev) : arena_printf(a, "br-%.12s", out->id);
}

bool docker_network_nat_drops(const struct docker_network *n, int family)
{
	const char *mode = family == FAM_IP6 ? n->gateway_mode6 : n->gateway_mode4;
	return n->guards_nat && n->bridge && (family == FAM_IP6 ? n->ipv6 : n->ipv4) &&
	       !n->internal && (!mode || strcmp(mode, "nat") == 0) &&
	       !(n->trusted_ifaces && *n->trusted_ifaces);
}

static bool parse_network(struct arena *a, const json_t *net, size_t idx,
			  struct docker_network *out, const char *source, char *err, size_t errlen)
{
	if (!json_is_object(net)) {
		snprintf(err, errlen, "%s: network #%zu is %s, not an object", source, idx + 1,
			 json_kind(net));
		return false;
	}
	const char *name = get_string(net, "Name"), *id = get_string(net, "Id");
	if (!name || !*name) {
		snprintf(err, errlen, "%s: network #%zu has no Name (is this Docker's network JSON?)",
			 source, idx + 1);
		return false;
	}
	if (!id || !*id) {
		snprintf(err, errlen, "%s: network '%s' has no Id", source, name);
		return false;
	}
	out->name = arena_strdup(a, name);
	out->id = arena_strdup(a, id);
	parse_kind(a, net, out);
	return parse_ipam(a, net, out, source, err, errlen);
}

static struct docker_state *parse_root(struct arena *a, const json_t *root, const char *source,
				       char *err, size_t errlen)
{
	if (!json_is_array(root)) {
		const char *msg = json_is_object(root) ? get_string(root, "message") : NULL;
		if (msg)
			snprintf(err, errlen, "%s: holds an error from the Docker daemon, not networks: %s",
				 source, msg);
		else
			snprintf(err, errlen, "%s: expected %s, found %s", source, NETWORKS_JSON,
				 json_kind(root));
		return NULL;
	}
	struct docker_state *s = arena_alloc(a, sizeof(*s));
	s->source = arena_strdup(a, source);
	size_t n = json_array_size(root);
	if (n > (size_t)INT32_MAX) {
		snprintf(err, errlen, "%s: too many networks", source);
		return NULL;
	}
	s->nets = n ? arena_alloc(a, n * sizeof(*s->nets)) : NULL;
	for (size_t i = 0; i < n; i++, s->n++)
		if (!parse_network(a, json_array_get(root, i), i, &s->nets[i], source, err, errlen))
			return NULL;
	return s;
}

struct docker_state *docker_state_parse(struct arena *a, const char *json, size_t len,
					const char *source, char *err, size_t errlen)
{
	size_t blank = 0;
	while (blank < len && json[blank] && strchr(" \t\r\n", json[blank]))
		blank++;
	if (blank == len) {
		snprintf(err, errlen, "%s: empty, expected %s", source, NETWORKS_JSON);
		return NULL;
	}
	json_error_t je;
	/* Any value, so that a string or a number gets the message below. */
	json_t *root = json_loadb(json, len, JSON_DECODE_ANY, &je);
	if (!root) {
		snprintf(err, errlen, "%s: invalid JSON at line %d, column %d: %s", source, je.line,
			 je.column, je.text);
		return NULL;
	}
	struct docker_state *s = parse_root(a, root, source, err, errlen);
	json_decref(root);
	return s;
}

const struct docker_network *docker_state_find(const struct docker_state *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->nets[i].name, name) == 0)
			return &s->nets[i];
	return NULL;
}

/* ---- files ---- */

/* src_read_file() clamps its limit to a policy file's. */
_Static_assert(DOCKER_STATE_MAX <= SRC_MAX_FILE, "DOCKER_STATE_MAX above what src_read_file reads");

struct docker_state *docker_state_load(struct arena *a, const char *path, char *err, size_t errlen)
{
	/* The text is needed only while it is parsed: jansson copies it, and
	 * the state holds copies of its strings. */
	struct arena text;
	arena_init(&text);
	struct src_fault x;
	const struct src_file *f = src_read_file(&text, path, DOCKER_STATE_MAX, &x);
	struct docker_state *s = NULL;
	if (f) {
		s = docker_state_parse(a, f->text, f->len, path, err, errlen);
	} else if (x.kind == SRC_FAULT_OPEN) {
		snprintf(err, errlen, "cannot open Docker state file %s: %s", path, strerror(x.err));
	} else if (x.kind == SRC_FAULT_READ) {
		snprintf(err, errlen, "cannot read Docker state file %s: %s", path, strerror(x.err));
	} else if (x.kind == SRC_FAULT_TYPE) {
		snprintf(err, errlen, "Docker state file %s is %s, not a regular file", path,
			 S_ISDIR(x.mode) ? "a directory" : "a special file");
	} else if (x.kind == SRC_FAULT_SIZE) {
		snprintf(err, errlen, "Docker state file %s is %llu bytes; the limit is %u MiB", path,
			 x.size, DOCKER_STATE_MAX >> 20);
	} else {
		snprintf(err, errlen, "Docker state file %s changed while it was read; try again "
			 "once it is written", path);
	}
	arena_free(&text);
	return s;
}

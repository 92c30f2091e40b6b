/*
 * sema_value.c - the values of a policy resolved and checked: port lists
 * (numbers, ranges, services, defines) and address lists (prefixes,
 * defines, Docker's networks by name).  Each resolver appends to the
 * caller's vector and queues an error for a wrong value, which it leaves
 * out; sema.c decides what a list means for its rule or block.
 */
#include "sema_impl.h"
#include "docker_state.h"
#include "misspell.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

/* Room in the vector v (n values, capacity *cap) for more values at once:
 * a define's values pushed one by one doubled the vector up to twice their
 * number, the rest dead in the arena (`from admins` of 20 prefixes in each
 * of 100 000 blocks: 36 MB). */
static void *reserve(struct sema *s, void *v, int n, int *cap, int more, size_t elem)
{
	if (n + more <= *cap)
		return v;
	v = arena_grow(s->a, v, (size_t)*cap, (size_t)n + (size_t)more, elem);
	*cap = n + more;
	return v;
}

/* ---- ports ---- */

static void push_port(struct sema *s, struct port_range **v, int *n, int *cap,
		      unsigned long lo, unsigned long hi, struct loc loc)
{
	if (sema_over_values(s, loc))
		return;
	size_t nn = (size_t)*n, cc = (size_t)*cap;
	ARENA_PUSH(s->a, *v, nn, cc);
	(*v)[nn - 1] = (struct port_range){ (uint16_t)lo, (uint16_t)hi, loc };
	*n = (int)nn;
	*cap = (int)cc;
}

static bool check_port_number(struct sema *s, const struct ast_value *v)
{
	/* Quoted as written: a number too big to read has no value to print. */
	if (v->kind == VAL_NUMBER && v->lo > 65535) {
		diag_error(s->dl, DC_PORT_RANGE, v->loc, "port %s is out of range (0-65535)",
			   src_text(s->a, &v->loc));
		return false;
	}
	if (v->kind == VAL_RANGE) {
		if (v->lo > 65535 || v->hi > 65535) {
			diag_error(s->dl, DC_PORT_RANGE_RANGE, v->loc, "port range %s is out of range (0-65535)",
				   src_text(s->a, &v->loc));
			return false;
		}
		if (v->lo > v->hi) {
			diag_error(s->dl, DC_PORT_BACKWARDS, v->loc,
				   "port range %lu-%lu is backwards; did you mean %lu-%lu?",
				   v->lo, v->hi, v->hi, v->lo);
			return false;
		}
	}
	return true;
}

/* Resolves one port-list value into ports; false when it is wrong. */
bool sema_resolve_port(struct sema *s, const struct ast_value *v,
		       struct port_range **out, int *n, int *cap)
{
	switch (v->kind) {
	case VAL_NUMBER:
	case VAL_RANGE:
		if (!check_port_number(s, v))
			return false;
		push_port(s, out, n, cap, v->lo, v->kind == VAL_RANGE ? v->hi : v->lo, v->loc);
		return true;
	case VAL_NAME: {
		struct define *d = sema_lookup(s, v->name);
		if (d) {
			d->used = true;
			if (d->kind == DEF_ADDRS) {
				struct diag *e = diag_error(s->dl, DC_ADDRS_AS_PORTS, v->loc,
					"'%s' is a list of addresses, not ports", v->name);
				diag_note(s->dl, e, d->loc, "'%s' is defined here", v->name);
				return false;
			}
			if (d->kind == DEF_UNKNOWN)
				return false;
			*out = reserve(s, *out, *n, cap, d->nports, sizeof(**out));
			for (int i = 0; i < d->nports; i++)
				push_port(s, out, n, cap, d->ports[i].lo, d->ports[i].hi, v->loc);
			return true;
		}
		int port = names_service_port(v->name);
		if (port >= 0) {
			push_port(s, out, n, cap, (unsigned long)port, (unsigned long)port, v->loc);
			return true;
		}
		sema_undefined(s, v->loc, v->name, "a port, a service name or a define of ports",
			  DEF_PORTS);
		return false;
	}
	default:
		diag_error(s->dl, DC_PORT_EXPECTED, v->loc, "a port is expected here");
		return false;
	}
}

static int cmp_port(const void *pa, const void *pb)
{
	const struct port_range *a = pa, *b = pb;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return (a->hi > b->hi) - (a->hi < b->hi);
}

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	return (a > b) - (a < b);
}

/* Whether any two of the n ports overlap, in n log n: sorted by their
 * start, one overlaps an earlier one when it starts at or below the
 * highest end before it. */
static bool any_overlap(const struct port_range *v, int n)
{
	uint32_t *key = xmalloc(sizeof(*key) * (size_t)n);
	for (int i = 0; i < n; i++)
		key[i] = (uint32_t)v[i].lo << 16 | v[i].hi;
	qsort(key, (size_t)n, sizeof(*key), cmp_u32);
	bool overlap = false;
	uint32_t end = key[0] & 0xffff;
	for (int i = 1; i < n && !overlap; i++) {
		overlap = key[i] >> 16 <= end;
		if ((key[i] & 0xffff) > end)
			end = key[i] & 0xffff;
	}
	free(key);
	return overlap;
}

/* Sorts and merges ports; warns once for each value that repeats or
 * overlaps one written before it in the list.  Finding the earlier one
 * is pairwise, so a long list is first asked whether any two overlap at
 * all: a define of thousands of ports in every block was quadratic in
 * the define for each. */
void sema_normalise_ports(struct sema *s, struct port_range *v, int *n, bool warn)
{
	if (warn && *n > 32 && !any_overlap(v, *n))
		warn = false;
	for (int j = 1; warn && j < *n; j++) {
		for (int i = 0; i < j; i++) {
			if (v[j].hi < v[i].lo || v[j].lo > v[i].hi)
				continue;
			char what[32], earlier[32];
			if (v[j].lo == v[j].hi)
				snprintf(what, sizeof(what), "port %u", v[j].lo);
			else
				snprintf(what, sizeof(what), "ports %u-%u", v[j].lo, v[j].hi);
			if (v[i].lo == v[i].hi)
				snprintf(earlier, sizeof(earlier), "port %u", v[i].lo);
			else
				snprintf(earlier, sizeof(earlier), "ports %u-%u", v[i].lo, v[i].hi);
			if (v[j].lo >= v[i].lo && v[j].hi <= v[i].hi)
				diag_warning(s->dl, DC_W_DUPLICATE_PORT, v[j].loc, "%s %s already in this rule", what,
					     v[j].lo == v[j].hi ? "is" : "are");
			else
				diag_warning(s->dl, DC_W_DUPLICATE_PORT, v[j].loc, "%s overlap %s, already in this rule",
					     what, earlier);
			break;
		}
	}
	if (*n == 0)
		return;
	qsort(v, (size_t)*n, sizeof(*v), cmp_port);
	int k = 0;
	for (int i = 0; i < *n; i++) {
		if (k > 0 && (unsigned)v[i].lo <= (unsigned)v[k - 1].hi + 1) {
			if (v[i].hi > v[k - 1].hi)
				v[k - 1].hi = v[i].hi;
		} else {
			v[k++] = v[i];
		}
	}
	*n = k;
}

/* ---- addresses ---- */

static void push_addr(struct sema *s, struct sema_prefix **v, int *n, int *cap,
		      const struct prefix *p, struct loc loc, const char *docker)
{
	if (sema_over_values(s, loc))
		return;
	size_t nn = (size_t)*n, cc = (size_t)*cap;
	ARENA_PUSH(s->a, *v, nn, cc);
	(*v)[nn - 1] = (struct sema_prefix){ *p, loc, docker };
	*n = (int)nn;
	*cap = (int)cc;
}

/* Removes repeated prefixes, keeping the first of each in written order.
 * Sorting a copy keeps this n log n for defines of thousands of addresses. */
struct pfx_index {
	const struct prefix *p;
	int i;
};

static int cmp_pfx_index(const void *pa, const void *pb)
{
	const struct pfx_index *a = pa, *b = pb;
	int c = memcmp(a->p, b->p, sizeof(*a->p));
	return c ? c : a->i - b->i;
}

void sema_dedupe_prefixes(struct sema_prefix *v, int *n)
{
	if (*n < 2)
		return;
	struct arena scratch;
	arena_init(&scratch);
	struct pfx_index *idx = arena_alloc(&scratch, sizeof(*idx) * (size_t)*n);
	bool *dup = arena_alloc(&scratch, sizeof(bool) * (size_t)*n);
	for (int i = 0; i < *n; i++)
		idx[i] = (struct pfx_index){ &v[i].pfx, i };
	qsort(idx, (size_t)*n, sizeof(*idx), cmp_pfx_index);
	for (int i = 1; i < *n; i++)
		if (memcmp(idx[i].p, idx[i - 1].p, sizeof(*idx[i].p)) == 0)
			dup[idx[i].i] = true;
	int k = 0;
	for (int i = 0; i < *n; i++)
		if (!dup[i])
			v[k++] = v[i];
	*n = k;
	arena_free(&scratch);
}

/* Docker's networks in the order to offer them for a name it does not
 * know: closest first, at most a few. */
static const char *closest_networks(struct sema *s, const struct docker_state *st,
				    const char *name)
{
	enum { OFFER = 5 };
	int best[OFFER], dist[OFFER], k = 0;
	for (int i = 0; i < st->n; i++) {
		int d = misspell_distance(name, st->nets[i].name, 64);
		int at = k < OFFER ? k++ : OFFER;
		/* Docker lists its networks in no fixed order: ties go by name, so
		 * that the message is the same every time. */
		while (at > 0 && (dist[at - 1] > d || (dist[at - 1] == d &&
			strcmp(st->nets[best[at - 1]].name, st->nets[i].name) > 0))) {
			if (at < OFFER) {
				best[at] = best[at - 1];
				dist[at] = dist[at - 1];
			}
			at--;
		}
		if (at < OFFER) {
			best[at] = i;
			dist[at] = d;
		}
	}
	const char *list = "";
	for (int i = 0; i < k; i++)
		list = arena_printf(s->a, "%s%s\"%s\"", list, i ? ", " : "", st->nets[best[i]].name);
	if (st->n > k)
		list = arena_printf(s->a, "%s and %d more", list, st->n - k);
	return list;
}

/* docker "NAME": the network's IPAM subnets, both families. */
static bool resolve_docker(struct sema *s, const struct ast_value *v,
			   struct sema_prefix **out, int *n, int *cap)
{
	if (!*v->name) {
		diag_error(s->dl, DC_DOCKER_EMPTY, v->loc,
			   "docker needs a network name, as in docker \"myapp_default\"");
		return false;
	}
	if (!s->docker) {
		if (s->docker_said)
			return false;
		s->docker_said = true;
		diag_error(s->dl, DC_DOCKER_UNRESOLVED, v->loc,
			   "docker \"%s\" names a Docker network, which is resolved only when "
			   "asked: add --docker (ask the Docker daemon) or --docker-state FILE "
			   "(a saved copy of its GET /networks)", v->name);
		return false;
	}
	const struct docker_state *st = s->docker->state;
	if (!st) {
		if (!s->docker_said)
			diag_error(s->dl, DC_DOCKER_UNAVAILABLE, v->loc, "cannot resolve docker \"%s\": %s",
				   v->name, s->docker->error);
		s->docker_said = true;
		return false;
	}
	const struct docker_network *net = docker_state_find(st, v->name);
	if (!net && s->docker->missing_ok) {
		diag_warning(s->dl, DC_W_DOCKER_MISSING, v->loc, "Docker has no network named \"%s\" "
			     "(yet): it is protected as soon as Docker creates it", v->name);
		s->docker_missing++;
		return true;
	}
	if (!net) {
		struct diag *e = diag_error(s->dl, DC_DOCKER_UNKNOWN, v->loc,
					    "Docker has no network named \"%s\"", v->name);
		if (st->n)
			diag_note(s->dl, e, (struct loc){ 0 }, "Docker's networks (from %s), closest first: %s", st->source,
				  closest_networks(s, st, v->name));
		else
			diag_note(s->dl, e, (struct loc){ 0 }, "Docker has no networks at all (from %s)", st->source);
		return false;
	}
	if (net->nsubnets == 0) {
		diag_error(s->dl, DC_DOCKER_NO_SUBNET, v->loc,
			   "Docker network \"%s\" has no IP subnet to protect (its IPAM "
			   "configuration lists none)", v->name);
		return false;
	}
	for (int i = 0; i < net->nsubnets; i++)
		push_addr(s, out, n, cap, &net->subnets[i], v->loc, net->name);
	return true;
}

bool sema_resolve_addr(struct sema *s, const struct ast_value *v,
		       struct sema_prefix **out, int *n, int *cap)
{
	switch (v->kind) {
	case VAL_ADDR:
		if (v->bad)
			return false;
		push_addr(s, out, n, cap, &v->pfx, v->loc, NULL);
		return true;
	case VAL_DOCKER:
		return !v->bad && resolve_docker(s, v, out, n, cap);
	case VAL_NAME: {
		struct define *d = sema_lookup(s, v->name);
		if (d) {
			d->used = true;
			if (d->kind == DEF_PORTS) {
				struct diag *e = diag_error(s->dl, DC_PORTS_AS_ADDRS, v->loc,
					"'%s' is a list of ports, not addresses", v->name);
				diag_note(s->dl, e, d->loc, "'%s' is defined here", v->name);
				return false;
			}
			if (d->kind == DEF_UNKNOWN)
				return false;
			*out = reserve(s, *out, *n, cap, d->naddrs, sizeof(**out));
			for (int i = 0; i < d->naddrs; i++)
				push_addr(s, out, n, cap, &d->addrs[i].pfx, v->loc, d->addrs[i].docker);
			return true;
		}
		if (names_service_port(v->name) >= 0) {
			diag_error(s->dl, DC_SERVICE_AS_ADDR, v->loc, "'%s' is a service (a port), not an address",
				   v->name);
			return false;
		}
		sema_undefined(s, v->loc, v->name, "an address or a define of addresses",
			  DEF_ADDRS);
		return false;
	}
	default:
		diag_error(s->dl, DC_ADDR_EXPECTED, v->loc, "an address or prefix is expected here, not a port");
		return false;
	}
}

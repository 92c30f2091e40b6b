/*
 * doctor.h - whether what the host does is what d6c's policy says: the
 * checks of `d6c doctor`, and the warnings apply prints after a commit.
 *
 * Three steps, each its own file:
 *   doctor_host.c   reads the live host into struct doctor_facts: the Docker
 *                   Engine API, libnftables, iptables -S, /proc/sys, and
 *                   daemon.json; each source that cannot be read says why;
 *   doctor_judge.c  turns facts into findings, one line each: what will
 *                   happen and, when that is not what the policy says, what
 *                   to change.  Pure: the unit tests feed it facts;
 *   doctor_print.c  writes a report as text or as one JSON object.
 * doctor_parse.c holds the parsers of what the host prints (iptables -S
 * lines, nftables JSON, the Engine API's /info and /containers/json,
 * daemon.json), apart so that they are tested on fixtures written by hand.
 *
 * "Protected" means: inside a range that d6c's dispatch maps send to a
 * block, the compiled POLICY's when one is given, else the live table's.
 *
 * Convention: the runtime's (apply.h).  A doctor has more to say than one
 * error, so all of it is data in the caller's arena: each source that
 * cannot be read leaves its reason in the facts, each judgement is a
 * finding, and doctor_print.c writes only to the FILE * it is handed.
 */
#ifndef D6C_DOCTOR_H
#define D6C_DOCTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "compiler/docker_state.h"
#include "docker_rule.h"
#include "compiler/arena.h"
#include "compiler/ir.h"

/* index of per-family arrays, as in struct dr_status */
enum { DOCTOR_IP6, DOCTOR_IP4 };

/* Hints from Docker's daemon.json, when it can be read: what the daemon
 * was told at its start (the running daemon may have been told otherwise
 * on its command line).  -1 or NULL: not set there. */
struct doctor_hints {
	const char *path;
	bool read;                       /* found and parsed */
	const char *error;               /* why not, when it exists but was not */
	int ip6tables, iptables, userland_proxy, allow_direct_routing;
	const char *firewall_backend;    /* "iptables", "nftables" */
	const char *bridge_accept_fwmark;   /* "VALUE[/MASK]" */
};

/* -A PREROUTING -d ADDR/LEN ! -i IFACE -j DROP in the raw table: Docker 28
 * dropping packets routed to a container of a NAT network. */
struct doctor_raw_drop {
	struct prefix dst;
	const char *iface;
};

/* A base chain on the forward hook whose policy is drop. */
struct doctor_chain {
	const char *family, *table, *name;
	int prio;
	bool docker;   /* Docker's own (ip/ip6 filter FORWARD, docker-bridges) */
};

/* A published port of a container, as GET /containers/json lists it. */
struct doctor_port {
	const char *container, *network;   /* network: its NetworkID's name */
	const char *host_ip;               /* "::", "0.0.0.0", ... */
	int private_port, public_port;     /* public 0: none (routed mode) */
	const char *proto;
};

struct doctor_net {
	const struct docker_network *net;
	bool protected_[2];    /* [DOCTOR_IP6], [DOCTOR_IP4] */
	int drops[2];          /* raw PREROUTING drops into its subnets */
	const struct doctor_raw_drop *drop_example[2];
};

struct doctor_facts {
	bool root;                     /* CAP_NET_ADMIN: nftables and iptables readable */
	bool cheap;                    /* apply's: no /info, containers or sysctls */
	bool policy;                   /* a POLICY was given: only its networks count */
	/* Docker */
	const char *docker_host;
	const struct docker_state *docker;   /* NULL: unreachable */
	const char *docker_error;
	const char *version;                 /* ServerVersion; NULL */
	const char *backend;                 /* "iptables", "nftables"; NULL */
	const char *backend_from;            /* where backend came from */
	bool docker_chains[2];               /* CMD -S DOCKER lists a chain */
	bool bridges_table[2];               /* nftables: ip6/ip docker-bridges */
	int ip6_filter;                      /* Docker filters IPv6: 1, 0, -1 unknown */
	struct doctor_hints hints;
	/* d6c's table */
	const char *table;
	int table_loaded;                    /* 1, 0, -1 unreadable (why: table_error) */
	const char *table_error;
	int table_prio;                      /* its forward chain's, when loaded */
	bool has_mark;
	uint32_t mark, mask;
	const struct ir_dispatch *protect[2];   /* what is protected; NULL: unknown */
	const char *protect_from;            /* "POLICY" path or "table inet d6c" */
	/* d6c's accept rule in Docker's chains */
	bool rule_read;
	struct dr_status rule;
	/* raw PREROUTING */
	bool raw_read[2];
	const char *raw_error[2];
	struct doctor_raw_drop *drops[2];
	int ndrops[2];
	struct doctor_net *nets;             /* every network of docker, in its order */
	int nnets;
	bool chains_read;
	struct doctor_chain *chains;
	int nchains;
	const char **seg6;                   /* interfaces with seg6_enabled = 1 */
	int nseg6;
	bool ports_read;
	struct doctor_port *ports;           /* published IPv6 ports */
	int nports;
};

enum doctor_level { DOCTOR_OK, DOCTOR_NOTE, DOCTOR_PROBLEM };

struct doctor_finding {
	enum doctor_level level;
	const char *topic;     /* "docker", "table", "rule", "network", "chain",
	                          "fwmark", "seg6", "proxy", "host" */
	const char *subject;   /* the network, family or chain; NULL */
	const char *text;      /* one line, no newline */
};

struct doctor_report {
	struct doctor_facts f;
	struct doctor_finding *v;
	int n;
	size_t cap;
	bool cannot_run;       /* too little could be read to judge: exit 2 */
};

struct doctor_options {
	const char *table;                   /* d6c's table, "d6c" */
	const struct ir_policy *ir;          /* POLICY compiled; NULL: the live table's */
	const char *policy_path;
	const struct docker_state *state;    /* already fetched; NULL: fetch */
	const char *state_error;             /* with state NULL and fetched: why */
	bool fetched;                        /* state (or state_error) is the fetch */
	const char *daemon_json;             /* default /etc/docker/daemon.json */
	bool cheap;                          /* apply: one Engine API round trip */
};

#define DOCTOR_DAEMON_JSON "/etc/docker/daemon.json"

/* ---- doctor_host.c ---- */
void doctor_gather(struct arena *a, const struct doctor_options *opt, struct doctor_facts *f);

/* ---- doctor_judge.c ---- */
void doctor_judge(struct arena *a, struct doctor_report *r);
/* Whether Docker's test (mark & dmask) == dvalue holds for every packet d6c
 * marks with value/mask. */
bool doctor_mark_covers(uint32_t value, uint32_t mask, uint32_t dvalue, uint32_t dmask);

/* gather + judge.  For apply, cheap and with the IR just committed: one
 * Engine API round trip (none when state is given; one more for the
 * containers' ports when Docker's ip6tables is off), the iptables
 * listings, no libnftables listing of d6c's own table (its mark is the
 * IR's). */
void doctor_run(struct arena *a, const struct doctor_options *opt, struct doctor_report *r);

/* ---- doctor_print.c ---- */
/* What a report comes to.  Its number is the JSON's "status", and the exit
 * status d6c doctor gives for it (cli/cmd_doctor.c). */
enum doctor_verdict {
	DOCTOR_FINE = 0,          /* what happens is what the policy says */
	DOCTOR_PROBLEMS = 1,      /* a finding is a problem */
	DOCTOR_CANNOT_TELL = 2,   /* too little of the host could be read (cannot_run) */
};
enum doctor_verdict doctor_verdict_of(const struct doctor_report *r);
void doctor_print_text(FILE *out, const struct doctor_report *r);
/* apply's lines: "d6c: warning: TEXT", one a problem, nothing else. */
void doctor_print_warnings(FILE *out, const struct doctor_report *r);
json_t *doctor_json(const struct doctor_report *r);
/* doctor_json(), indented, and a newline. */
void doctor_print_json(FILE *out, const struct doctor_report *r);

/* ---- doctor_parse.c ---- */
/* Raw drops in `CMD -t raw -S PREROUTING` output of family (FAM_IP6/FAM_IP4). */
int doctor_parse_raw_drops(struct arena *a, const char *listing, int family,
			   struct doctor_raw_drop **out);
/* daemon.json's text into h (h->path is kept); false with h->error set when
 * it is no JSON object. */
bool doctor_parse_hints(struct arena *a, const char *json, size_t len, struct doctor_hints *h);
/* "VALUE[/MASK]" in C notation (MASK defaults to 0xffffffff, as Docker's). */
bool doctor_parse_fwmark(const char *s, uint32_t *value, uint32_t *mask);
/* GET /info: ServerVersion and FirewallBackend.Driver (NULL when absent). */
void doctor_parse_info(struct arena *a, const char *json, size_t len, const char **version,
		       const char **backend);
/* `nft -j list chains`: the base chains on the forward hook with policy
 * drop, not in table inet `ours`; and whether ip6/ip docker-bridges exist. */
int doctor_parse_chains(struct arena *a, const char *json, const char *ours,
			struct doctor_chain **out, bool bridges_table[2]);
/* `nft -j list table inet NAME`: the mark its accepts set, its forward
 * chain's priority and its dispatch maps (ranges, chain -1). */
bool doctor_parse_table(struct arena *a, const char *json, struct doctor_facts *f);
/* GET /containers/json: the published IPv6 ports (host IP with a ':') of
 * containers on networks of st. */
int doctor_parse_ports(struct arena *a, const char *json, size_t len,
		       const struct docker_state *st, struct doctor_port **out);

#endif

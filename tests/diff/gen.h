/*
 * gen.h - random valid policies and edge-biased packets for differential
 * testing of the evaluator against the kernel.
 *
 * A policy is first a *model*: plain fixed-size structs without pointers
 * into the heap, so that a model is copied by assignment.  The shrinker
 * (shrink.c) depends on that: it edits copies and keeps the smaller one.
 * gen_render() spells a model as policy text; the driver compiles that
 * text, never the model, so the model can only be as wrong as the text.
 *
 * Everything random comes from one splitmix64 stream per seed (no libc
 * rand()), so a seed gives the same policy and packets on every machine.
 */
#ifndef D6C_TESTS_GEN_H
#define D6C_TESTS_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler/addr.h"
#include "compiler/ast.h"
#include "compiler/eval.h"

#define GEN_MAX_DEFINES 6
#define GEN_MAX_BLOCKS 8
#define GEN_MAX_TARGETS 4
#define GEN_MAX_RULES 9
#define GEN_MAX_ITEMS 5
#define GEN_MAX_VIA 3
/* Resolved lists: a define may splice in every earlier one. */
#define GEN_MAX_RESOLVED 256

struct gen_rng {
	uint64_t s;
};

void gen_rng_init(struct gen_rng *r, uint64_t seed);
uint64_t gen_next(struct gen_rng *r);
/* Uniform-enough in [0, n); n > 0. */
unsigned gen_below(struct gen_rng *r, unsigned n);
/* True with probability percent/100. */
bool gen_chance(struct gen_rng *r, unsigned percent);

enum gen_vkind {
	GV_ADDR,      /* pfx */
	GV_PORT,      /* lo */
	GV_RANGE,     /* lo-hi */
	GV_SERVICE,   /* ref: index into names_services */
	GV_NAME,      /* ref: a define's id */
};

struct gen_value {
	enum gen_vkind kind;
	struct prefix pfx;
	int lo, hi;
	int ref;
};

struct gen_define {
	int id;                       /* stable across shrinking: names it */
	bool addrs;                   /* addresses, else ports */
	int n;
	struct gen_value v[GEN_MAX_ITEMS];
};

enum gen_icmp_mode {
	GI_ANY,     /* `icmp` */
	GI_BASIC,
	GI_ALL,
	GI_LIST,
};

struct gen_icmp {
	const char *name;             /* nftables' name (static), or NULL */
	int type;                     /* the number when name is NULL */
};

struct gen_rule {
	bool is_default;
	enum verdict verdict;
	bool log;
	const char *log_options;      /* static, after `log` (" limit 1/hour burst 1"); NULL: none */
	enum proto proto;             /* PROTO_ANY: a `from`-only rule */
	int nports;                   /* tcp/udp; 0: every port */
	struct gen_value ports[GEN_MAX_ITEMS];
	enum gen_icmp_mode icmp;
	int ntypes;
	struct gen_icmp types[GEN_MAX_ITEMS];
	int nfrom;                    /* 0: no `from` */
	struct gen_value from[GEN_MAX_ITEMS];
};

struct gen_block {
	int ntargets;
	struct gen_value targets[GEN_MAX_TARGETS];
	int nvia;                     /* 0: no `via`, the route decides */
	const char *via[GEN_MAX_VIA]; /* static: "r0", "r1" or "other" */
	int nrules;
	struct gen_rule rules[GEN_MAX_RULES];
};

struct gen_model {
	uint64_t seed;
	int ndefines;
	struct gen_define defines[GEN_MAX_DEFINES];
	int nblocks;
	struct gen_block blocks[GEN_MAX_BLOCKS];
	const char *log_default;      /* static, a top-level `log ...;`; NULL: none */
};

/* Builds the policy of seed into m. */
void gen_policy(uint64_t seed, struct gen_model *m);
/* The policy text; the caller frees it. */
char *gen_render(const struct gen_model *m);

/* The define with that id, or NULL. */
const struct gen_define *gen_define_by_id(const struct gen_model *m, int id);
/* Addresses of a list (defines spliced in, repeats kept); returns the count,
 * at most max. */
int gen_resolve_addrs(const struct gen_model *m, const struct gen_value *v, int n,
		      struct prefix *out, int max);
/* Port ranges of a list; returns the count, at most max. */
int gen_resolve_ports(const struct gen_model *m, const struct gen_value *v, int n,
		      int (*out)[2], int max);
/* The families of a block's resolved targets. */
int gen_block_families(const struct gen_model *m, const struct gen_block *b);
/* A prefix from an integer address; host bits below len are cleared. */
struct prefix gen_prefix(int family, u128 v, int len);

/* At most this many routes for one case. */
#define GEN_MAX_ROUTES 24

/* The routes seed's router gets for m (routes.c): each a prefix by "r1"
 * (the container side) or "r0" (the outside); none for half of the seeds.
 * Returns the count, at most max. */
int gen_routes(const struct gen_model *m, uint64_t seed, struct eval_route *out, int max);

/* Up to n packets for m, biased to the edges of its prefixes, sources,
 * ports and ICMP types, and of the routes' prefixes as sources (where the
 * source check decides); every address passes probe_usable().  Every packet
 * arrives by r0.  Returns the count. */
int gen_packets(const struct gen_model *m, uint64_t seed, const struct eval_route *routes,
		int nroutes, struct pkt *out, int n);
/* "tcp|udp SRC -> DST port N", "icmp SRC -> DST type N" or "other SRC -> DST"
 * (PKT_OTHER: any other protocol; the kernel engine sends an SCTP INIT). */
void gen_format_pkt(const struct pkt *p, char *buf, size_t len);
/* Reads that form back; false when it is not. */
bool gen_parse_pkt(const char *text, struct pkt *p);

#endif

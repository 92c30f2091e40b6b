/*
 * sema.h - names resolved, numbers and families checked: the checked policy.
 *
 * sema_check() walks the syntax tree in reading order (includes in place),
 * reports every error it can find and returns the policy as plain resolved
 * data: each block with its canonical prefixes and each rule with its ports,
 * ICMP types and sources as values, and the address families it can match.
 * Later stages (lint.c, ir.c) read only this, never the syntax tree.
 */
#ifndef D6C_SEMA_H
#define D6C_SEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "ast.h"
#include "diag.h"

struct port_range {
	uint16_t lo, hi;
	struct loc loc;
};

struct sema_prefix {
	struct prefix pfx;
	struct loc loc;
	const char *docker;            /* from docker "NAME": NAME; else NULL */
};

/* 256 bits: one per ICMP type. */
struct icmp_set {
	uint64_t bits[4];
};

/* How a `log` logs (LANGUAGE.md, log): through a token bucket that holds
 * `burst` packets and refills at `rate` a `unit` (rate 0: no limit), to the
 * kernel log or to an nflog group.  Every `log` has one, its own options
 * over the policy's (`log ...;` at top level) over d6c's defaults. */
enum log_unit {
	LOG_SECOND,
	LOG_MINUTE,
	LOG_HOUR,
};

struct log_spec {
	uint64_t rate;                 /* packets a unit; 0: no limit */
	enum log_unit unit;
	uint32_t burst;
	int group;                     /* nflog group 0-65535; -1: the kernel log */
};

/* d6c's defaults: a port scan writes 10 lines at once, then 5 a second. */
#define LOG_DEFAULT_RATE 5
#define LOG_DEFAULT_BURST 10
extern const char *const sema_log_unit[];   /* nftables' words: second, minute, hour */
bool sema_log_equal(const struct log_spec *x, const struct log_spec *y);

struct sema_rule {
	struct loc loc;
	enum verdict verdict;
	bool log;
	struct log_spec log_spec;      /* when log */
	enum proto proto;
	int families;                  /* FAM_* this rule can match; never 0 */
	bool all_ports;                /* tcp/udp without a port list */
	struct port_range *ports;      /* sorted, merged */
	int nports;
	bool all_icmp;                 /* icmp without a type list */
	struct icmp_set icmp4, icmp6;  /* explicit types, per family */
	bool any_source;               /* no `from` */
	struct sema_prefix *sources;   /* each family's sources, as written */
	int nsources;
	bool bad;                      /* had an error: lint skips it */
};

struct sema_block {
	struct loc loc;                /* the `network` statement */
	int index;                     /* 0-based, in reading order */
	const char *docker;            /* the Docker networks it names, "a, b"; NULL: none */
	struct sema_prefix *prefixes;  /* distinct, as written */
	int nprefixes;
	int families;
	struct sema_rule *rules;
	int nrules;
	enum verdict default_verdict;
	bool default_log;
	struct log_spec default_log_spec;  /* when default_log */
	struct loc default_loc;        /* the `default` rule, else the block */
	bool has_default;
	/* `via "IF", ...`: packets with a source in this block's prefixes must
	 * arrive on one of these interfaces.  nvia 0: the router's route to
	 * the source decides (nftables' fib). */
	const char **via;
	int nvia;
	struct loc via_loc;
};

struct sema_policy {
	struct sema_block *blocks;
	int nblocks;
	const char *top_path;          /* the file named on the command line */
	bool counters;                 /* `counters;`: a named counter on every rule */
};

struct docker_state;

/* Where `docker "NAME"` is looked up (compile.c fills it in). */
struct sema_docker {
	const struct docker_state *state;  /* NULL: it could not be read */
	const char *error;                 /* then why, for the message */
	/* apply --follow-docker: a name Docker does not know (yet) is a
	 * warning and contributes no prefix, instead of an error. */
	bool missing_ok;
};

struct sema_policy *sema_check(struct arena *a, struct diag_list *dl,
			       const struct ast_item *items, const char *top_path);
/* The same, with Docker's networks; dk NULL: none were asked for, and every
 * `docker "NAME"` is an error that says how to ask. */
struct sema_policy *sema_check_docker(struct arena *a, struct diag_list *dl,
				      const struct ast_item *items, const char *top_path,
				      const struct sema_docker *dk);
/* The first `docker "NAME"` of the tree (includes read), or NULL: whether
 * Docker needs to be asked at all. */
const struct ast_value *sema_first_docker(const struct ast_item *items);

static inline bool icmp_set_has(const struct icmp_set *s, int t)
{
	return (s->bits[t >> 6] >> (t & 63)) & 1;
}

static inline void icmp_set_add(struct icmp_set *s, int t)
{
	s->bits[t >> 6] |= (uint64_t)1 << (t & 63);
}

static inline bool icmp_set_empty(const struct icmp_set *s)
{
	return !(s->bits[0] | s->bits[1] | s->bits[2] | s->bits[3]);
}

#endif

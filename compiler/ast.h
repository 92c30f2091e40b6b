/*
 * ast.h - the policy as written, one node per statement.
 *
 * Nodes carry their source span and nothing decided: names are unresolved,
 * numbers unchecked.  sema.c decides; ir.c lowers.  Lists are singly linked
 * in source order, built through a head/tail pair so appends are O(1).
 */
#ifndef D6C_AST_H
#define D6C_AST_H

#include <stdbool.h>
#include <stdio.h>

#include "addr.h"
#include "source.h"

struct arena;

enum value_kind {
	VAL_NUMBER,  /* lo */
	VAL_RANGE,   /* lo-hi */
	VAL_ADDR,    /* pfx (bad: the scanner already reported it) */
	VAL_NAME,    /* name: a define, a service or an ICMP type */
	VAL_BASIC,   /* icmp basic */
	VAL_ALL,     /* icmp all */
	VAL_DOCKER,  /* docker "name": a Docker network's subnets (bad: reported) */
};

/* A policy of 100 000 blocks holds about a million values: the kind says
 * which member of the union is there. */
struct ast_value {
	enum value_kind kind;
	bool bad;
	struct loc loc;
	union {
		struct {
			unsigned long lo, hi;  /* VAL_NUMBER, VAL_RANGE */
		};
		struct prefix pfx;             /* VAL_ADDR */
		const char *name;              /* VAL_NAME, VAL_DOCKER */
	};
	struct ast_value *next;
};

struct ast_list {
	struct ast_value *head, *tail;
	struct loc loc;   /* span of the whole list */
	int n;
};

enum verdict {
	VERDICT_ACCEPT,
	VERDICT_DROP,
	VERDICT_REJECT,
};

enum proto {
	PROTO_ANY,
	PROTO_TCP,
	PROTO_UDP,
	PROTO_ICMP,
};

/* One option after `log`: a word and its value, as written.  The words
 * (limit, burst, group, none, the units) are no keywords; sema_log.c
 * checks them, so that `limt` can be answered with a suggestion. */
enum log_arg {
	LOGARG_NUMBER,   /* WORD N: group 2, burst 20 */
	LOGARG_RATE,     /* WORD N/UNIT: limit 5/second */
	LOGARG_WORD,     /* WORD WORD: limit none */
};

struct ast_log_opt {
	struct loc loc;           /* the whole option */
	const char *word;
	struct loc word_loc;
	enum log_arg arg;
	unsigned long num;        /* NUMBER, RATE (ULONG_MAX: too big to read) */
	const char *name;         /* RATE: the unit; WORD: the word */
	struct loc arg_loc;       /* the number, or the word */
	struct loc unit_loc;      /* RATE */
	struct ast_log_opt *next;
};

/* `log [option...]`, after a rule or as a statement of its own (the
 * policy's default for every `log`). */
struct ast_log {
	struct loc loc;
	struct ast_log_opt *head, *tail;
};

struct ast_rule {
	struct loc loc;
	bool is_default;
	enum verdict verdict;
	struct ast_log *log;      /* NULL: the rule does not log */
	enum proto proto;
	struct loc proto_loc;
	struct ast_list *ports;   /* tcp/udp; NULL: every port */
	struct ast_list *icmp;    /* icmp; NULL: every type */
	struct ast_list *from;    /* NULL: every source */
	struct ast_rule *next;
};

struct ast_rules {
	struct ast_rule *head, *tail;
	bool had_error;   /* a rule failed to parse: the block is not empty */
};

enum item_kind {
	ITEM_DEFINE,
	ITEM_INCLUDE,
	ITEM_NETWORK,
	ITEM_LOG,       /* `log option...;` at top level: the policy's default */
	ITEM_COUNTERS,   /* `counters;`: nothing but its place */
};

/* The kind says which member of the union is there (at 100 000 blocks,
 * one struct with all of them was 20 MB). */
struct ast_item {
	enum item_kind kind;
	struct loc loc;
	union {
		struct {   /* define */
			const char *name;
			struct loc name_loc;
			struct ast_list *values;
		};
		/* An include of a glob is one item a matching file, in order,
		 * all at the statement's place.  An item with no file is an
		 * include of a file read before (or one that failed, or a glob
		 * that matched nothing). */
		struct {   /* include */
			const char *path;           /* as written */
			struct loc path_loc;
			struct ast_item *body;          /* the included file's items, once read */
			const struct src_file *file;    /* the included file */
		};
		struct {   /* network */
			struct ast_list *targets;
			struct ast_list *via;           /* `via "IF", ...`: VAL_NAME strings; NULL: none */
			struct ast_rules rules;
			struct loc close_loc;           /* the '>' */
		};
		struct ast_log *log;                    /* log */
	};
	struct ast_item *next;
};

struct ast_items {
	struct ast_item *head, *tail;
};

struct ast_value *ast_value(struct arena *a, enum value_kind kind, struct loc loc);
struct ast_list *ast_list_new(struct arena *a, struct ast_value *first);
struct ast_list *ast_list_append(struct ast_list *l, struct ast_value *v);
void ast_rules_append(struct ast_rules *l, struct ast_rule *r);
void ast_items_append(struct ast_items *l, struct ast_item *it);
struct ast_item *ast_item(struct arena *a, enum item_kind kind, struct loc loc);
struct ast_rule *ast_rule(struct arena *a, struct loc loc);
struct ast_log *ast_log(struct arena *a, struct loc loc);
void ast_log_append(struct ast_log *l, struct ast_log_opt *o);
/* Prints the tree, one node a line, for tests and `d6c dump`-style debugging. */
void ast_print(const struct ast_item *items, FILE *out);

#endif

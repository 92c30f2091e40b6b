/*
 * diag.h - errors, warnings and notes, collected then printed once.
 *
 * No stage stops at the first problem: each appends records here and goes on.
 * diag_print() sorts them into the order a reader meets them in the files
 * (includes expanded in place) and prints them clang-style with the source
 * line and a caret.  A note belongs to the record before it.  At most
 * DIAG_MAX_ERRORS errors and DIAG_MAX_WARNINGS warnings are kept; the rest
 * are counted, and one closing record says so in every format.  A warning
 * silenced by `# d6c: disable` or --disable (suppress.h) is kept apart:
 * counted in nsuppressed, not in nwarnings, and never printed as text.
 */
#ifndef D6C_DIAG_H
#define D6C_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "source.h"

struct arena;

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE,
};

/* The kind of a diagnostic; its stable code (D6C-E014), severity and one-line
 * explanation are in the table of diag_codes.c.  Notes have none (DC_NONE). */
enum diag_code {
	DC_NONE,
	DC_SYNTAX,
	DC_PARSER,
	DC_BAD_CHAR,
	DC_BAD_BYTE,
	DC_UNCLOSED_STRING,
	DC_DEFINED_TWICE,
	DC_REDEFINE_SERVICE,
	DC_DEFINE_MIXED,
	DC_USE_BEFORE_DEFINE,
	DC_UNDEFINED,
	DC_ADDRS_AS_PORTS,
	DC_PORTS_AS_ADDRS,
	DC_SERVICE_AS_ADDR,
	DC_PORT_RANGE,
	DC_PORT_RANGE_RANGE,
	DC_PORT_BACKWARDS,
	DC_PORT_EXPECTED,
	DC_ICMP_UNKNOWN,
	DC_ICMP_RANGE,
	DC_ICMP6_IN_IP4,
	DC_ICMP4_IN_IP6,
	DC_ICMP_GROUP_COMBINED,
	DC_ICMP_EXPECTED,
	DC_ADDR_INVALID,
	DC_PREFIX_LEN_MISSING,
	DC_PREFIX_LEN_RANGE,
	DC_HOST_BITS,
	DC_ADDR_EXPECTED,
	DC_NETWORK_EXPECTED,
	DC_SOURCE_FAMILY,
	DC_ICMP_SOURCE_FAMILY,
	DC_INCLUDE_UNREADABLE,
	DC_INCLUDE_CYCLE,
	DC_INCLUDE_DEPTH,
	DC_INCLUDE_EMPTY,
	DC_INCLUDE_WILD_DIR,
	DC_DEFAULT_TWICE,
	DC_PREFIX_TWO_BLOCKS,
	DC_UNREADABLE,
	DC_SCANNER,
	DC_PKT_PREFIX,
	DC_PKT_ADDR,
	DC_PKT_PORT,
	DC_PKT_ICMP_FAMILY,
	DC_PKT_ICMP_UNKNOWN,
	DC_PKT_EXPECTED,
	DC_PKT_PROTO,
	DC_PKT_SRC_MISSING,
	DC_PKT_ARROW,
	DC_PKT_DST_MISSING,
	DC_PKT_FAMILIES,
	DC_PKT_PORT_TYPE,
	DC_PKT_PORT_MISSING,
	DC_PKT_TYPE_MISSING,
	DC_PKT_TRAILING,
	DC_PKT_IFACE,
	DC_TEST_EXPECT,
	DC_TEST_VERDICT_MISSING,
	DC_TEST_VERDICT,
	DC_TEST_SEMICOLON,
	DC_TEST_FAILED,
	DC_TEST_KERNEL,
	DC_TEST_UNSENDABLE,
	DC_TEST_EMPTY,
	DC_DOCKER_WORD,
	DC_DOCKER_UNRESOLVED,
	DC_DOCKER_UNAVAILABLE,
	DC_DOCKER_UNKNOWN,
	DC_DOCKER_NO_SUBNET,
	DC_DOCKER_EMPTY,
	DC_LIMIT,
	DC_TOO_MANY_ERRORS,
	DC_VIA_IFNAME,
	DC_LOG_OPTION,
	DC_LOG_RATE,
	DC_LOG_BURST,
	DC_LOG_GROUP,
	DC_LOG_UNIT,
	DC_LOG_TWICE,
	DC_LOG_DEFAULT_TWICE,
	DC_W_SHADOWED,
	DC_W_SHADOWED_UNION,
	DC_W_AFTER_MATCH_ALL,
	DC_W_DEFAULT_UNUSED,
	DC_W_DUPLICATE_PORT,
	DC_W_COVERED_BLOCK,
	DC_W_OWN_SOURCE,
	DC_W_EMPTY_BLOCK,
	DC_W_UNUSED_DEFINE,
	DC_W_DUPLICATE_PREFIX,
	DC_W_OTHER_FAMILY_SOURCE,
	DC_W_DOCKER_MISSING,
	DC_W_TOO_MANY,
	DC_W_DOCKER_NAT,
	DC_W_UNUSED_DISABLE,
	DC_W_REDUNDANT,
	DC_W_AFTER_FAMILY_ALL,
	DC_W_NESTED_SOURCE,
	DC_W_ICMP_BOTH_FAMILIES,
	DC_W_EMPTY_POLICY,
	DC_COUNT,
};

struct diag_code_info {
	const char *code;          /* "D6C-E014" */
	enum diag_severity sev;
	const char *explanation;
};

/* NULL for DC_NONE. */
const struct diag_code_info *diag_code_info(enum diag_code c);

/* Reported at most (LANGUAGE.md, Limits): past these, records are counted
 * and dropped, and one record at the end says how many were not shown. */
#define DIAG_MAX_ERRORS 100
#define DIAG_MAX_WARNINGS 100
/* Messages quote names and text of the policy: longer ones are cut. */
#define DIAG_MAX_MESSAGE 1024
/* A source line longer than this is shown as a window around the caret. */
#define DIAG_MAX_LINE 160
#define DIAG_WINDOW 120

struct diag {
	enum diag_severity sev;
	enum diag_code code;
	struct loc loc;    /* loc.file NULL: not tied to a place */
	const char *msg;
	struct diag *notes, *next_note;
	unsigned seq;      /* keeps records at one place in the order they came */
	bool cap;          /* "too many errors": printed after every other record */
	/* A silenced warning (suppress.h): kept for JSON and SARIF only. */
	const struct suppression *suppressed;
};

struct suppress;

struct diag_list {
	struct arena *a;
	struct diag **items;
	size_t n, cap;
	int nerrors, nwarnings;              /* all of them, reported or not */
	int dropped_errors, dropped_warnings;
	struct diag *cap_error, *cap_warning;  /* in items once something is dropped */
	struct diag *sink;                   /* what a dropped record's caller gets */
	struct suppress *suppress;           /* directives and --disable; NULL: none */
	int nsuppressed;                     /* silenced warnings, kept or not */
};

void diag_init(struct diag_list *dl, struct arena *a);
struct diag *diag_error(struct diag_list *dl, enum diag_code code, struct loc loc,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct diag *diag_warning(struct diag_list *dl, enum diag_code code, struct loc loc,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Attaches a note (a second place) to d. */
void diag_note(struct diag_list *dl, struct diag *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool diag_has_errors(const struct diag_list *dl);
/* True once DIAG_MAX_ERRORS errors are queued: a stage may stop looking,
 * or skip work (suggestions) for messages nobody will see. */
bool diag_full(const struct diag_list *dl);
/* Puts the records in the order diag_print() prints them. */
void diag_sort(struct diag_list *dl);
/* Text, clang style, with the code after the message: "... (0-65535) [D6C-E020]". */
void diag_print(struct diag_list *dl, FILE *out, bool color);
/* For printing much through an unbuffered out (stderr): a fully buffered
 * stream on out's descriptor (out is flushed first), or out itself;
 * diag_buffered_end() flushes and closes it. */
FILE *diag_buffered(FILE *out);
void diag_buffered_end(FILE *b, FILE *out);
/* One record printed at once, unsorted, as diag_print() prints it: for
 * output that is not a list of problems (d6c explain). */
void diag_show(FILE *out, enum diag_severity sev, struct loc loc, const char *msg, bool color);

#endif

/*
 * suppress.h - silencing warnings: `# d6c: disable W011 -- why` comments and
 * the run's `--disable W011`.
 *
 * The scanner hands every comment to suppress_comment(); one that starts
 * with `d6c:` is a directive, read here and kept in the diagnostics list of
 * the compile (dl->suppress), so that diag.c can ask suppress_match() about
 * each warning as it is queued.  Every warning comes from the checks after
 * the parse, so all directives of the policy are known by then.  A silenced
 * warning is kept, marked, for the JSON and SARIF documents; it is not
 * printed as text, not counted by --werror and not counted against the
 * warnings cap.  Errors are never silenced.
 *
 *   # d6c: disable W011,W005 -- reason    on a line of its own: the next line
 *                                          that holds code; after code: its line
 *   # d6c: disable-file W011 -- reason    every line of this file (not its includes)
 */
#ifndef D6C_SUPPRESS_H
#define D6C_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum suppress_kind {
	SUPPRESS_IN_SOURCE,   /* a `# d6c: disable` comment */
	SUPPRESS_EXTERNAL,    /* the run's --disable */
};

/* Why a warning is silenced; what JSON and SARIF say about it. */
struct suppression {
	enum suppress_kind kind;
	const char *justification;   /* the text after `--`; NULL: none given */
	struct loc loc;              /* in source: the directive's code */
};

/* What a word names as a code to silence: "W011" and "D6C-W011" alike. */
enum suppress_lookup {
	SUPPRESS_WARNING,    /* *code is a warning */
	SUPPRESS_ERROR,      /* *code is an error: never silenced */
	SUPPRESS_UNKNOWN,    /* no such code */
};
enum suppress_lookup suppress_code(const char *word, size_t len, enum diag_code *code);
/* The closest code to an unknown word ("D6C-W011"), or NULL. */
const char *suppress_code_suggest(const char *word);

/* Reads the comment at loc (text from '#', len bytes, no newline): a
 * directive is kept in dl; a directive d6c cannot read, or one naming an
 * error or an unknown code, is a warning (D6C-W015) at the word at fault.
 * Other comments are ignored. */
void suppress_comment(struct diag_list *dl, struct loc loc, const char *text, size_t len);

/* The run's --disable: disabled[c] true silences code c everywhere.  The
 * array must outlive dl. */
void suppress_external(struct diag_list *dl, const bool *disabled);

/* Whether a warning of code at loc is silenced, and by what; marks the
 * directive used.  NULL: it is not. */
const struct suppression *suppress_match(struct diag_list *dl, enum diag_code code,
					 struct loc loc);

/* A check that did not run in this compile (the Docker gateway lint): a
 * directive naming its code silences nothing, but is not wrong. */
void suppress_unjudged(struct diag_list *dl, enum diag_code code);

/* A warning (D6C-W015) at each code of a directive that silenced nothing.
 * Called once every check has run, on a policy without errors. */
void suppress_report_unused(struct diag_list *dl);

#endif

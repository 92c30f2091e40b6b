/*
 * diag.h - errors, warnings and notes, collected then printed once.
 *
 * No stage stops at the first problem: each appends records here and goes on.
 * diag_print() sorts them into the order a reader meets them in the files
 * (includes expanded in place) and prints them clang-style with the source
 * line and a caret.  A note belongs to the record before it.
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

struct diag {
	enum diag_severity sev;
	struct loc loc;    /* loc.file NULL: not tied to a place */
	const char *msg;
	struct diag *notes, *next_note;
	unsigned seq;      /* keeps records at one place in the order they came */
};

struct diag_list {
	struct arena *a;
	struct diag **items;
	size_t n, cap;
	int nerrors, nwarnings;
};

void diag_init(struct diag_list *dl, struct arena *a);
struct diag *diag_error(struct diag_list *dl, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct diag *diag_warning(struct diag_list *dl, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Attaches a note (a second place) to d. */
void diag_note(struct diag_list *dl, struct diag *d, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool diag_has_errors(const struct diag_list *dl);
void diag_print(struct diag_list *dl, FILE *out, bool color);
/* One record printed at once, unsorted, as diag_print() prints it: for
 * output that is not a list of problems (d6c explain). */
void diag_show(FILE *out, enum diag_severity sev, struct loc loc, const char *msg, bool color);

#endif

/*
 * diag_json.h - diagnostics for machines: JSON, GitHub workflow commands, SARIF.
 *
 * Each function sorts dl as diag_print() does and adds its records to one
 * document shared by every policy of a run, so that `d6c check a.pol b.pol`
 * prints one JSON array or one SARIF log.  The text format is diag_print().
 */
#ifndef D6C_DIAG_JSON_H
#define D6C_DIAG_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

enum diag_format {
	DIAG_FORMAT_TEXT,
	DIAG_FORMAT_JSON,
	DIAG_FORMAT_GITHUB,
	DIAG_FORMAT_SARIF,
};

/* "text", "json", "github" or "sarif"; false for anything else. */
bool diag_format_parse(const char *name, enum diag_format *f);

/* Appends one object per record to arr: {file, line, column, end_line,
 * end_column, severity, code, message, notes, included_from}; columns are
 * 1-based bytes and end_column is inclusive, as the caret shows it. */
void diag_json_append(json_t *arr, struct diag_list *dl);
/* Appends one SARIF result per record to results. */
void diag_sarif_append(json_t *results, struct diag_list *dl);
/* A SARIF 2.1.0 log of one run of d6c around results (the reference is stolen). */
json_t *diag_sarif_log(json_t *results);
/* One ::error / ::warning workflow command a record, notes folded into it. */
void diag_github_print(FILE *to, struct diag_list *dl);

#endif

/*
 * report.c - what the command line says on its own behalf: diagnostics in
 * the run's format, usage errors, "d6c: ..." messages, and the one decision
 * about colour.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_rundir(void)
{
	const char *d = getenv("D6C_RUNDIR");
	return d && *d ? d : "/run/d6c";
}

bool cli_color(FILE *stream, enum color_when when)
{
	if (when != COLOR_AUTO)
		return when == COLOR_ALWAYS;
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	return isatty(fileno(stream)) && !(nc && *nc) && term && strcmp(term, "dumb") != 0;
}

int cli_usage_error(const char *cmd, const char *msg)
{
	fprintf(stderr, "d6c%s%s: %s\nTry 'd6c %s%s--help' for more information.\n",
		*cmd ? " " : "", cmd, msg, cmd, *cmd ? " " : "");
	return EXIT_USAGE;
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("d6c: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cli_print_diags(struct diag_list *dl)
{
	diag_print(dl, stderr, cli_color(stderr, COLOR_AUTO));
}

/* Prints the JSON or SARIF document of the run, if any. */
static void flush_diags(struct diag_output *o)
{
	if (o->format != DIAG_FORMAT_JSON && o->format != DIAG_FORMAT_SARIF)
		return;
	if (!o->doc)
		o->doc = json_array();
	json_t *doc = o->format == DIAG_FORMAT_SARIF ? diag_sarif_log(o->doc) : o->doc;
	o->doc = NULL;
	/* Through a buffer: jansson writes a token at a time, and compile's
	 * out is unbuffered stderr. */
	FILE *b = diag_buffered(o->out);
	json_dumpf(doc, b, JSON_INDENT(2));
	fputc('\n', b);
	diag_buffered_end(b, o->out);
	fflush(o->out);
	json_decref(doc);
}

int cli_report(struct diag_output *o, struct diag_list *dl, bool werror, bool last)
{
	switch (o->format) {
	case DIAG_FORMAT_TEXT:
		diag_print(dl, stderr, cli_color(stderr, o->color));
		break;
	case DIAG_FORMAT_GITHUB:
		diag_github_print(o->out, dl);
		fflush(o->out);
		break;
	case DIAG_FORMAT_JSON:
	case DIAG_FORMAT_SARIF:
		if (!o->doc)
			o->doc = json_array();
		(o->format == DIAG_FORMAT_JSON ? diag_json_append : diag_sarif_append)(o->doc, dl);
		break;
	}
	if (last)
		flush_diags(o);
	if (diag_has_errors(dl))
		return EXIT_POLICY;
	if (werror && dl->nwarnings > 0) {
		cli_error("%d warning%s treated as %s (--werror)", dl->nwarnings,
			dl->nwarnings == 1 ? "" : "s", dl->nwarnings == 1 ? "an error" : "errors");
		return EXIT_POLICY;
	}
	return EXIT_OK;
}

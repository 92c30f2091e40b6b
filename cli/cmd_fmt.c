/*
 * cmd_fmt.c - d6c fmt: the canonical layout of policy files (compiler/fmt.h)
 * printed, written in place, checked or shown as a diff.
 */
#include "cli.h"
#include "compiler/udiff.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* Runs fmt over paths; returns the exit status (0, 1 a file has syntax
 * errors or would change under --check/--diff, 2 I/O errors). */
static int fmt_files(enum fmt_mode mode, char **paths, int n, bool color)
{
	int worst = 0;
	for (int i = 0; i < n; i++) {
		int rc = 0;
		struct arena a;
		arena_init(&a);
		struct diag_list dl;
		diag_init(&dl, &a);
		const char *path = paths[i];
		const char *why;
		struct src_file *f = src_read(&a, path, NULL, (struct loc){ 0 }, SRC_MAX_FILE, &why);
		if (!f) {
			/* Past a limit is the policy's (1), the rest I/O (2), as for compile. */
			rc = errno == EFBIG ? 1 : 2;
			fprintf(stderr, "d6c: cannot read '%s': %s\n", strcmp(path, "-") ? path : "<stdin>",
				why);
			goto next;
		}
		size_t len;
		char *text = fmt_source(&a, &dl, f, &len);
		if (!text) {
			diag_print(&dl, stderr, color);
			fprintf(stderr, "d6c: %s has syntax errors: not formatted\n", path);
			rc = 1;
			goto next;
		}
		bool changed = len != f->len || memcmp(text, f->text, len) != 0;
		switch (mode) {
		case FMT_PRINT:
			if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
				fprintf(stderr, "d6c: cannot write to standard output: %s\n",
					strerror(errno));
				rc = 2;
			}
			break;
		case FMT_WRITE: {
			/* the message names the path as given, or its target (< PATH_MAX) */
			size_t errlen = strlen(path) + PATH_MAX + 256;
			char *err = arena_alloc(&a, errlen);
			if (changed && output_write_text(path, text, len, err, errlen) != 0) {
				cli_error("%s", err);
				rc = 2;
			}
			break;
		}
		case FMT_CHECK:
			if (changed) {
				printf("%s\n", path);
				rc = 1;
			}
			break;
		case FMT_DIFF:
			if (changed) {
				udiff_print(stdout, path, f->text, f->len, text, len);
				rc = 1;
			}
			break;
		}
next:
		if (rc > worst)
			worst = rc;
		arena_free(&a);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "d6c: cannot write to standard output: %s\n", strerror(errno));
		worst = 2;
	}
	return worst;
}

int cmd_fmt(struct cli *c)
{
	if (c->npolicies == 0)
		return cli_usage_error(c->cmd, "no POLICY given");
	if (c->fmt_modes > 1)
		return cli_usage_error(c->cmd, "give at most one of -w, --check and --diff");
	if (c->fmt_mode == FMT_PRINT && c->npolicies > 1)
		return cli_usage_error(c->cmd, "give one POLICY, or use -w, --check or --diff");
	for (int i = 0; i < c->npolicies; i++)
		if (c->fmt_mode == FMT_WRITE && strcmp(c->policies[i], "-") == 0)
			return cli_usage_error(c->cmd, "-w cannot rewrite standard input");
	return fmt_files(c->fmt_mode, c->policies, c->npolicies, cli_color(stderr, COLOR_AUTO));
}

/*
 * fuzz_compile.c - libFuzzer target for the whole d6c front end.
 *
 *   parse_string -> sema_check -> ir_lower -> lint_check -> emit_text,
 *   emit_json_build (+ json_dumpf), and diag_print of every diagnostic.
 *
 * The input is one policy file named "f.pol".  `include` paths resolve
 * against the current directory, so run the fuzzer from a scratch directory
 * (tests/fuzz/fuzz.sh does).  The input is cut at its first NUL, because
 * parse_string() takes a C string.
 *
 * Build: tests/fuzz/build.sh    Run: tests/fuzz/fuzz.sh
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/emit_json.h"
#include "compiler/emit_text.h"
#include "compiler/ir.h"
#include "compiler/lint.h"
#include "compiler/parse.h"
#include "compiler/sema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

/* Absolute paths and paths leaving the scratch directory could make an
 * include read /dev/zero, /dev/stdin or /proc files: not the compiler's
 * bugs, only a hung or flaky fuzzer.  Inputs with a string that starts with
 * '/', '.' or '~', or that holds "..", are not run. */
static bool escapes_scratch_dir(const char *s)
{
	for (const char *q = strchr(s, '"'); q; q = strchr(q + 1, '"')) {
		const char *p = q + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (p[0] == '/' || p[0] == '.' || p[0] == '~')
			return true;
		const char *end = strpbrk(p, "\"\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (memmem(p, len, "..", 2))
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		if (!devnull)
			abort();
	}
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (escapes_scratch_dir(text)) {
		free(text);
		return -1;   /* do not keep it in the corpus */
	}

	struct arena a;
	arena_init(&a);
	struct diag_list dl;
	diag_init(&dl, &a);

	struct ast_item *ast = parse_string(&a, &dl, "f.pol", text);
	struct sema_policy *sp = sema_check(&a, &dl, ast, "f.pol");
	if (!diag_has_errors(&dl)) {
		struct ir_options opt = { .table = "d6c", .priority = "filter",
					  .priority_num = 0 };
		struct ir_policy *ir = ir_lower(&a, sp, &opt);
		lint_check(&dl, sp);
		if (emit_text(ir, devnull) != 0)
			abort();
		json_t *j = emit_json_build(ir);
		if (!j)
			abort();
		json_dumpf(j, devnull, JSON_INDENT(2));
		json_decref(j);
	}

	char *buf = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&buf, &len);
	if (ms) {
		diag_print(&dl, ms, false);
		diag_print(&dl, ms, true);
		fclose(ms);
	}
	free(buf);

	arena_free(&a);
	free(text);
	fflush(devnull);
	return 0;
}

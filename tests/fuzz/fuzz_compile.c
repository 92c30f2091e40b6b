/*
 * fuzz_compile.c - libFuzzer target: one policy file, the whole pipeline.
 *
 *   parse_string -> sema (with a fixed Docker state) -> ir_lower -> lint ->
 *   emit_text, emit_json_build (dumped) -> every diagnostic in every format;
 *   and d6c fmt of the same bytes, which must be a fixed point: formatting
 *   the formatted text again changes nothing, and it parses without errors;
 *   and fmt --diff's unified diff from the input to the formatted text.
 *
 * The input is one file, "f.pol", cut at its first NUL (parse_string takes a
 * C string).  Includes go to the empty in-memory file system (fuzz_common.h)
 * and all fail: reading them is fuzz_include's target.
 *
 * Build and run: make fuzz (tests/fuzz/README).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "compiler/fmt.h"
#include "compiler/udiff.h"
#include "compiler/parse.h"
#include "compiler/source.h"

/* NOLINTNEXTLINE(readability-non-const-parameter): libFuzzer fixes this signature */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_common();
	return 0;
}

/* fmt's promise: one canonical layout, so fmt(fmt(x)) == fmt(x). */
static void check_fmt(const char *text, size_t len)
{
	struct arena a;
	arena_init(&a);
	struct diag_list dl;
	diag_init(&dl, &a);
	struct src_file *f = src_from_string(&a, "f.pol", text, len);
	size_t n1;
	char *once = fmt_source(&a, &dl, f, &n1);
	if (once) {
		struct diag_list dl2;
		diag_init(&dl2, &a);
		struct src_file *g = src_from_string(&a, "f.pol", once, n1);
		size_t n2;
		char *twice = fmt_source(&a, &dl2, g, &n2);
		if (!twice) {
			fprintf(stderr, "fmt's output has syntax errors:\n%s\n", once);
			diag_print(&dl2, stderr, false);
			abort();
		}
		if (n1 != n2 || memcmp(once, twice, n1) != 0) {
			fprintf(stderr, "fmt is not idempotent:\n--- once\n%s\n--- twice\n%s\n", once, twice);
			abort();
		}
		/* What d6c fmt --diff prints for this file. */
		udiff_print(fuzz_devnull(), "f.pol", text, len, once, n1);
		fflush(fuzz_devnull());
	}
	arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct arena a;
	arena_init(&a);
	struct diag_list dl;
	diag_init(&dl, &a);
	struct sema_docker dk = { .state = fuzz_docker_fixture() };
	memfs_begin();
	struct ast_item *ast = parse_string(&a, &dl, "f.pol", text);
	fuzz_pipeline(&a, &dl, ast, "f.pol", &dk);
	memfs_end();
	arena_free(&a);

	check_fmt(text, strlen(text));
	free(text);
	return 0;
}

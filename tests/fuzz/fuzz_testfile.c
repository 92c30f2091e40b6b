/*
 * fuzz_testfile.c - libFuzzer target: `d6c test` files.
 *
 * testfile_parse() over the input as a test file (which may hold NULs, as
 * src_read() keeps them), then testfile_check() of every expectation that
 * parsed against a fixed policy (fuzz_common.c), and every diagnostic (the
 * failures carry notes into the policy) printed in every format.
 */
#include <stdlib.h>

#include "fuzz_common.h"
#include "compiler/source.h"
#include "compiler/testfile.h"

/* NOLINTNEXTLINE(readability-non-const-parameter): libFuzzer fixes this signature */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_common();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	struct diag_list dl;
	diag_init(&dl, &a);
	struct src_file *f = src_from_string(&a, "fixed.pol.test", (const char *)data, size);
	struct testfile t;
	testfile_parse(&a, &dl, f, &t);
	int failed = testfile_check(&a, &dl, fuzz_fixed_policy(), &t, EVAL_KERNEL(6, 12));
	if (failed < 0 || failed > t.n)
		abort();
	fuzz_print_diags(&dl);
	arena_free(&a);
	return 0;
}

/*
 * fuzz_include.c - libFuzzer target: a policy spread over several files.
 *
 * The input is cut at every line "%%" (the bytes "\n%%\n") into up to 64
 * files of the in-memory file system (fuzz_common.h), named in order
 *
 *     a.pol  b.pol  dir/c.pol  dir/d.pol  dir/sub/e.pol  f.pol
 *     deep/6.pol  deep/7.pol ... deep/63.pol
 *
 * and a.pol is compiled with parse_file() as `d6c compile a.pol` would: its
 * includes, theirs (relative to the including file), cycles through any of
 * them (a.pol included back, "dir/../a.pol", "./b.pol"), missing files,
 * directories named as files, and chains deeper than the include limit
 * (deep/N.pol including "N+1.pol"), files reached twice (read once) and
 * globs (a '*' in a file name, "deep/[0-9]?.pol", matched by the in-memory
 * file system's glob) all reach the real parse.c, pathglob.c and source.c.
 * Then the whole pipeline runs over the tree, as fuzz_compile does.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "compiler/parse.h"

/* NOLINTNEXTLINE(readability-non-const-parameter): libFuzzer fixes this signature */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_common();
	return 0;
}

static const char *const names[] = {
	"a.pol", "b.pol", "dir/c.pol", "dir/d.pol", "dir/sub/e.pol", "f.pol",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))
#define NFILES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n%%\n";
	static char deep[NFILES][32];
	const char *text = (const char *)data;
	struct arena a;
	arena_init(&a);
	struct diag_list dl;
	diag_init(&dl, &a);

	memfs_begin();
	size_t pos = 0;
	for (size_t i = 0; i < NFILES; i++) {
		const char *end = memmem(text + pos, size - pos, sep, sizeof(sep) - 1);
		size_t len = end ? (size_t)(end - (text + pos)) : size - pos;
		const char *name = names[i < NNAMES ? i : 0];
		if (i >= NNAMES) {
			snprintf(deep[i], sizeof(deep[i]), "deep/%zu.pol", i);
			name = deep[i];
		}
		memfs_add(name, text + pos, len);
		if (!end)
			break;
		pos += len + sizeof(sep) - 1;
	}
	bool unreadable;
	struct ast_item *ast = parse_file(&a, &dl, "a.pol", &unreadable);
	if (unreadable)
		abort();   /* a.pol is always there */
	struct sema_docker dk = { .state = fuzz_docker_fixture() };
	fuzz_pipeline(&a, &dl, ast, "a.pol", &dk);
	memfs_end();
	arena_free(&a);
	return 0;
}

/*
 * fuzz_delta.c - libFuzzer target: the delta between two scripts.
 *
 * The input is two scripts, parted by the first NUL byte (no NUL: the
 * input against itself): the one apply kept in the run directory, which a
 * full disk or a hand could have damaged, and the one it compiled now.
 * delta_script() must read both without reading past them, and either say
 * why there is no delta or return commands: none for a script against
 * itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "compiler/delta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* two NUL-terminated copies, exactly as long as their text */
	const uint8_t *nul = memchr(data, 0, size);
	size_t n1 = nul ? (size_t)(nul - data) : size;
	size_t n2 = nul ? size - n1 - 1 : size;
	char *old = malloc(n1 + 1), *new = malloc(n2 + 1);
	if (!old || !new)
		abort();
	memcpy(old, data, n1);
	old[n1] = '\0';
	memcpy(new, nul ? nul + 1 : data, n2);
	new[n2] = '\0';
	struct delta_stats st;
	const char *why;
	char *d = delta_script(old, new, &st, &why);
	if (!d && !why)
		abort();   /* no delta says why */
	if (d && !nul && *d)
		abort();   /* a script against itself: nothing to do */
	char what[256];
	delta_describe(&st, what, sizeof(what));
	free(d);
	free(old);
	free(new);
	return 0;
}

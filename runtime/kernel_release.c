/*
 * kernel_release.c - uname(2)'s release for the evaluator: see kernel_release.h.
 */
#include "kernel_release.h"
#include "compiler/eval.h"

#include <sys/utsname.h>

int kernel_release_running(void)
{
	static int known = -1;
	if (known < 0) {
		struct utsname u;
		known = uname(&u) == 0 ? eval_kernel_parse(u.release) : 0;
	}
	return known;
}

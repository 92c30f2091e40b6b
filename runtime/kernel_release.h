/*
 * kernel_release.h - the release of the running kernel, which the evaluator
 * takes as an input (compiler/eval.h): d6c answers for the kernel that will
 * load its ruleset, and that is the one it runs on.
 */
#ifndef D6C_KERNEL_RELEASE_H
#define D6C_KERNEL_RELEASE_H

/* EVAL_KERNEL(major, minor) of uname(2)'s release, read once; 0 (older
 * than any) when it cannot be read. */
int kernel_release_running(void);

#endif

/*
 * fuzz_common.h - what the libFuzzer targets in tests/fuzz/ share.
 *
 * An in-memory file system the compiler reads instead of the disk while a
 * target runs (memfs_*), the whole compile pipeline after parsing
 * (fuzz_pipeline), and fixed policies and a fixed Docker state that the
 * packet, test-file and Docker targets run their inputs against.
 *
 * The file system is reached by link-time wrapping (-Wl,--wrap=open,
 * --wrap=fopen, --wrap=realpath; see the Makefile's fuzz section):
 * src_read() opens files with open(2) (then fstat and read, which a memfd
 * answers like a regular file) and parse.c finds include cycles with
 * realpath(), so no line of the compiler changes for the fuzzer.  While
 * memfs_begin() ... memfs_end() brackets a run, every open, fopen and
 * realpath goes to the in-memory files only
 * (anything else is ENOENT: no input can make the compiler read /dev/zero or
 * /proc); outside, both pass through to the C library, for libFuzzer's own
 * corpus and artifact files.  fuzz_init_common() checks once that an include
 * really reaches the in-memory files, so a change in how source.c reads files
 * fails loudly instead of silently fuzzing only missing-file errors.
 */
#ifndef D6C_FUZZ_COMMON_H
#define D6C_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler/arena.h"
#include "compiler/ast.h"
#include "compiler/diag.h"
#include "compiler/sema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The in-memory file system's working directory: relative paths are below it. */
#define MEMFS_CWD "/fuzz"

/* Forgets every file, then serves open/fopen/realpath from memory until memfs_end(). */
void memfs_begin(void);
/* path relative to MEMFS_CWD or absolute; the text is not copied and must
 * outlive the run. */
void memfs_add(const char *path, const char *text, size_t len);
void memfs_end(void);

/* /dev/null, opened once. */
FILE *fuzz_devnull(void);

/* A fixed state of four Docker networks (web, db, dual and none, which has
 * no subnet), for policies that name Docker networks. */
const struct docker_state *fuzz_docker_fixture(void);

/* sema (with dk: Docker's networks; NULL: none asked for), then, when no
 * error was queued, ir_lower, lint and both backends (text, JSON dumped),
 * then every diagnostic in every format d6c prints.  Aborts when a backend
 * fails on a policy sema accepted. */
void fuzz_pipeline(struct arena *a, struct diag_list *dl, const struct ast_item *ast,
		   const char *top, const struct sema_docker *dk);

/* Every diagnostic of dl in text (plain and colour), JSON, GitHub and SARIF,
 * to memory. */
void fuzz_print_diags(struct diag_list *dl);

/* A checked policy of many blocks (both families, nested prefixes, every
 * verdict, ports, ICMP types, sources), parsed once and kept for the process. */
const struct sema_policy *fuzz_fixed_policy(void);

/* Everything above that needs setting up; call from LLVMFuzzerInitialize. */
void fuzz_init_common(void);

#endif

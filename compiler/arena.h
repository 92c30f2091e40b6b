/*
 * arena.h - one bump allocator per compile.
 *
 * Every AST node, IR object and string of a compile comes from one arena and
 * dies with arena_free(); none of them is freed one by one.  Scratch space,
 * which a pass needs only while it runs, is not the compile's: it comes
 * from a scratch arena of the pass's own (ir.c, ir_source.c, sema.c) or
 * from xmalloc/xrealloc, and either way is gone when the pass returns.
 * xrealloc is for buffers that grow by doubling, of which an arena would
 * keep every outgrown copy (lint.c's cells, fmt.c's output, standard input
 * in source.c).  Out of memory is not recoverable for a compiler: the
 * allocator exits with status 2.
 */
#ifndef D6C_ARENA_H
#define D6C_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/* Zeroed, aligned for any type. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Grows an arena array whose capacity is n (all of it one allocation):
 * returns it, or a copy, with room for cap.  In place when it is the
 * newest allocation and its chunk has room. */
void *arena_grow(struct arena *a, void *old, size_t n, size_t cap, size_t elem);

/* Append helper for arena-backed vectors: ptr, count, capacity.  Most
 * vectors of a policy hold one or two values (a block's prefixes, a rule's
 * ports), so they start small: at 100 000 blocks a start of 8 cost 80 MB. */
#define ARENA_PUSH(a, ptr, n, cap)                                               \
	do {                                                                     \
		if ((n) == (cap)) {                                              \
			size_t nc_ = (cap) ? (cap) * 2 : 2;                      \
			(ptr) = arena_grow((a), (ptr), (n), nc_, sizeof(*(ptr))); \
			(cap) = nc_;                                             \
		}                                                                \
		(n)++;                                                           \
	} while (0)

void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);

#endif

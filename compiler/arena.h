/*
 * arena.h - one bump allocator per compile.
 *
 * Every AST node, IR object and string of a compile comes from one arena and
 * dies with arena_free(); nothing else is ever freed one by one.  Out of
 * memory is not recoverable for a compiler: the allocator exits with status 2.
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
/* Grows an arena array: returns a copy of old (n elements) with room for cap. */
void *arena_grow(struct arena *a, void *old, size_t n, size_t cap, size_t elem);

/* Append helper for arena-backed vectors: ptr, count, capacity. */
#define ARENA_PUSH(a, ptr, n, cap)                                               \
	do {                                                                     \
		if ((n) == (cap)) {                                              \
			size_t nc_ = (cap) ? (cap) * 2 : 8;                      \
			(ptr) = arena_grow((a), (ptr), (n), nc_, sizeof(*(ptr))); \
			(cap) = nc_;                                             \
		}                                                                \
		(n)++;                                                           \
	} while (0)

void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);

#endif

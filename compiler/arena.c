/*
 * arena.c - bump allocation in large chunks.
 *
 * Chunks are linked newest first; an allocation larger than a chunk gets a
 * chunk of its own.  Memory is zeroed so that nodes start in a known state.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE ((size_t)64 * 1024)
#define ALIGN 16

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	_Alignas(ALIGN) unsigned char data[];
};

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p) {
		fputs("d6c: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		fputs("d6c: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

void *arena_alloc(struct arena *a, size_t size)
{
	size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		size_t cap = size > CHUNK_SIZE ? size : CHUNK_SIZE;
		c = xmalloc(sizeof(*c) + cap);
		c->size = cap;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *arena_grow(struct arena *a, void *old, size_t n, size_t cap, size_t elem)
{
	/* The newest allocation of the newest chunk grows in place when there
	 * is room: a vector filled without other allocations between leaves no
	 * dead copies behind. */
	struct arena_chunk *c = a->head;
	if (old && c && (unsigned char *)old >= c->data && (unsigned char *)old < c->data + c->used) {
		size_t off = (size_t)((unsigned char *)old - c->data);
		size_t want = (cap * elem + ALIGN - 1) & ~(size_t)(ALIGN - 1);
		size_t had = (n * elem + ALIGN - 1) & ~(size_t)(ALIGN - 1);
		if (off + had == c->used && off + want <= c->size) {
			memset(c->data + c->used, 0, off + want - c->used);
			c->used = off + want;
			return old;
		}
	}
	void *p = arena_alloc(a, cap * elem);
	if (n && old)   /* old is NULL only for a vector never grown (n == 0) */
		memcpy(p, old, n * elem);
	return p;
}

/*
 * arena.c - bump allocation in large chunks.
 *
 * Chunks are linked newest first.  Each is twice the size of the one before,
 * from 64 KiB up to 32 MiB, so a small compile stays small and a large one
 * takes few chunks; an allocation larger than the next chunk gets a chunk of
 * its own.  Memory is zeroed so that nodes start in a known state.  Chunks
 * of 2 MiB and more are mapped, zeroed by the kernel, and the arena never
 * hands out a byte twice, so their allocations are not cleared again; they
 * are mapped on huge-page boundaries and ask for huge pages, one page fault
 * each 2 MiB.  At 100 000 blocks a memset on every allocation, and the
 * page faults it took on fresh pages 4 KiB at a time, were half the
 * compile's time.  Smaller chunks come from malloc and are cleared an
 * allocation at a time, as a scratch arena of a few bytes should not clear
 * a whole chunk.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK_MIN ((size_t)64 * 1024)
#define CHUNK_MAX ((size_t)32 * 1024 * 1024)
#define HUGE_PAGE ((size_t)2 * 1024 * 1024)
#define ALIGN 16

/* AddressSanitizer sees leaks of malloc's memory only: under it every
 * chunk comes from malloc. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_MMAP 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_MMAP 0
#endif
#endif
#ifndef ARENA_MMAP
#define ARENA_MMAP 1
#endif

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	size_t mapped;   /* bytes mmap()ed at this chunk (zeroed), 0 when malloc()ed */
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
		if (c->mapped)
			munmap(c, c->mapped);
		else
			free(c);
		c = next;
	}
	a->head = NULL;
}

/* A chunk with room for cap bytes.  Big ones are mapped 2 MiB-aligned
 * (mapping one huge page more and unmapping the ends) so that every 2 MiB
 * of them can be one huge page. */
static struct arena_chunk *chunk_new(size_t cap)
{
	size_t bytes = sizeof(struct arena_chunk) + cap;
	if (ARENA_MMAP && bytes >= HUGE_PAGE) {
		bytes = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		int prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS;
		/* fd -1 is what MAP_ANONYMOUS asks for */
		// cppcheck-suppress invalidFunctionArg
		unsigned char *m = mmap(NULL, bytes + HUGE_PAGE, prot, flags, -1, 0);
		if (m != MAP_FAILED) {
			size_t lead = (HUGE_PAGE - (uintptr_t)m % HUGE_PAGE) % HUGE_PAGE;
			if (lead)
				munmap(m, lead);
			if (HUGE_PAGE - lead)
				munmap(m + lead + bytes, HUGE_PAGE - lead);
#ifdef MADV_HUGEPAGE
			madvise(m + lead, bytes, MADV_HUGEPAGE);   /* a hint: ignored where unsupported */
#endif
			struct arena_chunk *c = (struct arena_chunk *)(m + lead);
			c->size = bytes - sizeof(*c);
			c->mapped = bytes;
			return c;
		}
	}
	struct arena_chunk *c = xmalloc(bytes);
	c->size = cap;
	c->used = 0;
	c->mapped = 0;
	return c;
}

void *arena_alloc(struct arena *a, size_t size)
{
	size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		size_t cap = !c ? CHUNK_MIN : c->size >= CHUNK_MAX / 2 ? CHUNK_MAX : c->size * 2;
		if (cap < size)
			cap = size;
		c = chunk_new(cap);
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += size;
	if (!c->mapped)
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
			if (!c->mapped)
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

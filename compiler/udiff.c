/*
 * udiff.c - a unified diff of two texts, as `diff -u` prints it: see udiff.h.
 *
 * The edit script keeps the common head and tail, then the longest common
 * subsequence of the lines between them (one coarse replacement when that
 * table would pass DIFF_MAX_CELLS); d6c diffs a policy against its own
 * formatting, so texts are small and alike.
 */
#include "udiff.h"
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct text_line {
	const char *s;
	size_t len;        /* with its '\n', if it has one */
};

static struct text_line *split_lines(const char *s, size_t len, size_t *n)
{
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += s[i] == '\n';
	if (len > 0 && s[len - 1] != '\n')
		count++;
	struct text_line *v = xmalloc(sizeof(*v) * (count + 1));
	size_t k = 0, start = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n') {
			v[k++] = (struct text_line){ s + start, i + 1 - start };
			start = i + 1;
		}
	if (start < len)
		v[k++] = (struct text_line){ s + start, len - start };
	*n = k;
	return v;
}

static bool same_line(const struct text_line *x, const struct text_line *y)
{
	return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
}

enum { ED_SAME, ED_DEL, ED_ADD };

struct edit {
	int op;
	size_t o, n;       /* 0-based line in old and in new, before this edit */
};

/* Beyond this many cells the table is not built: the whole middle is
 * replaced (still a correct diff, only a coarse one). */
#define DIFF_MAX_CELLS ((size_t)32 * 1024 * 1024)

static struct edit *diff_edits(const struct text_line *o, size_t no, const struct text_line *w,
			       size_t nw, size_t *nedits)
{
	size_t pre = 0;
	while (pre < no && pre < nw && same_line(&o[pre], &w[pre]))
		pre++;
	size_t suf = 0;
	while (suf < no - pre && suf < nw - pre && same_line(&o[no - 1 - suf], &w[nw - 1 - suf]))
		suf++;
	size_t m1 = no - pre - suf, m2 = nw - pre - suf;
	struct edit *e = xmalloc(sizeof(*e) * (no + nw + 1));
	size_t k = 0;
	for (size_t i = 0; i < pre; i++)
		e[k++] = (struct edit){ ED_SAME, i, i };
	uint32_t *lcs = NULL;
	if ((m1 + 1) * (m2 + 1) <= DIFF_MAX_CELLS)
		lcs = xmalloc(sizeof(uint32_t) * (m1 + 1) * (m2 + 1));
	size_t i = 0, j = 0;
	if (lcs) {
		/* lcs[i][j]: the longest common subsequence of the suffixes at i, j */
#define L(i, j) lcs[(i) * (m2 + 1) + (j)]
		for (size_t x = m1 + 1; x-- > 0;)
			for (size_t y = m2 + 1; y-- > 0;) {
				if (x == m1 || y == m2)
					L(x, y) = 0;
				else if (same_line(&o[pre + x], &w[pre + y]))
					L(x, y) = L(x + 1, y + 1) + 1;
				else
					L(x, y) = L(x + 1, y) > L(x, y + 1) ? L(x + 1, y) : L(x, y + 1);
			}
		while (i < m1 && j < m2) {
			if (same_line(&o[pre + i], &w[pre + j])) {
				e[k++] = (struct edit){ ED_SAME, pre + i, pre + j };
				i++, j++;
			} else if (L(i + 1, j) > L(i, j + 1) ||
				   (L(i + 1, j) == L(i, j + 1) &&
				    /* a tie: take the step after which a line
				     * matches at once, as diff -u tends to */
				    !(i + 1 < m1 && same_line(&o[pre + i + 1], &w[pre + j])) &&
				    !(j + 1 < m2 && same_line(&o[pre + i], &w[pre + j + 1]))) ||
				   (L(i + 1, j) == L(i, j + 1) && i + 1 < m1 &&
				    same_line(&o[pre + i + 1], &w[pre + j]))) {
				e[k++] = (struct edit){ ED_DEL, pre + i, pre + j };
				i++;
			} else {
				e[k++] = (struct edit){ ED_ADD, pre + i, pre + j };
				j++;
			}
		}
#undef L
		free(lcs);
	}
	for (; i < m1; i++)
		e[k++] = (struct edit){ ED_DEL, pre + i, pre + j };
	for (; j < m2; j++)
		e[k++] = (struct edit){ ED_ADD, pre + i, pre + j };
	for (size_t x = 0; x < suf; x++)
		e[k++] = (struct edit){ ED_SAME, no - suf + x, nw - suf + x };
	*nedits = k;
	return e;
}

/* diff -u's ranges: "START" for one line, "START,COUNT" otherwise, and for
 * an empty range START is the line before it. */
static void print_range(FILE *out, size_t start, size_t count)
{
	if (count == 1)
		fprintf(out, "%zu", start + 1);
	else
		fprintf(out, "%zu,%zu", count ? start + 1 : start, count);
}

static void print_line(FILE *out, char mark, const struct text_line *l)
{
	fputc(mark, out);
	fwrite(l->s, 1, l->len, out);
	if (l->len == 0 || l->s[l->len - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

#define DIFF_CONTEXT ((size_t)3)

void udiff_print(FILE *out, const char *name, const char *old, size_t oldlen, const char *new_,
	      size_t newlen)
{
	size_t no, nw, ne;
	struct text_line *o = split_lines(old, oldlen, &no);
	struct text_line *w = split_lines(new_, newlen, &nw);
	struct edit *e = diff_edits(o, no, w, nw, &ne);
	bool header = false;
	for (size_t k = 0; k < ne;) {
		if (e[k].op == ED_SAME) {
			k++;
			continue;
		}
		/* A hunk: from DIFF_CONTEXT lines before this change to DIFF_CONTEXT
		 * after the last change that is at most 2 * DIFF_CONTEXT lines on. */
		size_t first = k >= DIFF_CONTEXT ? k - DIFF_CONTEXT : 0;
		size_t last = k;  /* the last changed edit of the hunk */
		for (size_t x = k; x < ne; x++) {
			if (e[x].op == ED_SAME)
				continue;
			if (x - last > 2 * DIFF_CONTEXT)
				break;
			last = x;
		}
		size_t end = last + 1 + DIFF_CONTEXT < ne ? last + 1 + DIFF_CONTEXT : ne;
		size_t ocount = 0, ncount = 0;
		for (size_t x = first; x < end; x++) {
			ocount += e[x].op != ED_ADD;
			ncount += e[x].op != ED_DEL;
		}
		if (!header) {
			fprintf(out, "--- a/%s\n+++ b/%s\n", name, name);
			header = true;
		}
		fputs("@@ -", out);
		print_range(out, e[first].o, ocount);
		fputs(" +", out);
		print_range(out, e[first].n, ncount);
		fputs(" @@\n", out);
		for (size_t x = first; x < end; x++) {
			if (e[x].op == ED_ADD)
				print_line(out, '+', &w[e[x].n]);
			else
				print_line(out, e[x].op == ED_DEL ? '-' : ' ', &o[e[x].o]);
		}
		k = end;
	}
	free(e);
	free(o);
	free(w);
}

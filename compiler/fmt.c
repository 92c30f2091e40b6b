/*
 * fmt.c - `d6c fmt`: reprints a policy in its one canonical layout.
 *
 * The file is parsed first (scanner and parser only, includes not followed);
 * any error there and it is left alone.  Then the scanner runs over it once
 * more, in the mode of grammar/lexer.l that returns comments as tokens, and
 * its tokens, each with its text as written and the newlines before it, feed
 * a printer that knows only the shape of the grammar: top-level statements
 * end at ';', a network block runs from its '<' to its '>', and a rule ends
 * at ';'.  Token text is copied byte for byte, so fmt can change layout and
 * never meaning.
 *
 * The layout (LANGUAGE.md, "Formatting: d6c fmt"): one statement a line;
 * single spaces between words, none before ',' and ';' and none around the
 * '-' of a range; a block stays on one line when it was written on one line,
 * holds at most 3 rules and fits in 100 columns, otherwise its rules go one
 * a line indented by 4 and '>' stands alone; a line break the user made
 * after a ',' is kept (the rest of the statement is indented by 4 more), as is
 * every comment: a trailing comment stays at the end of its line, the
 * trailing comments of adjacent lines of one indentation are aligned two
 * columns past the longest of those lines, a full-line comment is indented like the code
 * around it.  Runs of blank lines become one; blank lines at the start and
 * end of the file and of a block go.
 */
#include "fmt.h"
#include "output.h"
#include "arena.h"
#include "parse.h"
#include "parser.h"
#include "lexer.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FMT_WIDTH 100
#define FMT_INDENT 4
#define FMT_ONE_LINE_RULES 3

struct tok {
	int kind;          /* the scanner's TOK_* or the punctuation character itself */
	const char *s;     /* as written, in the file's text */
	size_t len;
	int nl;            /* newlines between the previous token (or comment) and this one */
};

/* ---- the tokens: grammar/lexer.l's, comments kept ---- */

/* f's tokens in order into *out, comments among them; f scanned without an
 * error already.  False when the scanner cannot start (the error is in dl). */
static bool tokenize(struct arena *a, struct diag_list *dl, const struct src_file *f,
		     struct tok **out, size_t *ntoks)
{
	struct parse_ctx ctx = { .a = a, .dl = dl, .file = (struct src_file *)f,
				 .keep_comments = true };
	void *scanner = parse_scanner_open(&ctx);
	if (!scanner)
		return false;
	/* A clean file queues nothing here; a list of the scan's own keeps a
	 * caller's list that is full (diag_full) from ending the scan early. */
	struct diag_list quiet;
	diag_init(&quiet, a);
	ctx.dl = &quiet;
	struct tok *v = NULL;
	size_t n = 0, cap = 0;
	int line = 0;  /* the last line of the token before: the file's start is a line start */
	D6C_YYSTYPE val;
	struct loc loc;
	int kind;
	while ((kind = d6c_yylex(&val, &loc, scanner)) != TOK_YYEOF) {
		ARENA_PUSH(a, v, n, cap);
		v[n - 1] = (struct tok){ kind, d6c_yyget_text(scanner), (size_t)d6c_yyget_leng(scanner),
					 loc.first_line - line };
		line = loc.last_line;
	}
	parse_scanner_close(scanner);
	*out = v;
	*ntoks = n;
	return true;
}

/* ---- the printer ---- */

struct out_line {
	int indent;
	char *code;        /* NULL: a blank line */
	size_t codelen;
	const char *comment;
	size_t commentlen;
};

struct printer {
	struct arena *a;
	struct out_line *lines;
	size_t n, cap;
	/* the line being built */
	bool open;
	int indent;
	char *buf;
	size_t len, bufcap;
	int last;          /* kind of the last token on the line; 0 at its start */
	bool no_blank;     /* the next line may not follow a blank one */
};

static void buf_add(struct printer *p, const char *s, size_t len)
{
	if (!p->buf || p->len + len + 1 > p->bufcap) {
		p->bufcap = (p->len + len + 1) * 2;
		p->buf = xrealloc(p->buf, p->bufcap);
	}
	memcpy(p->buf + p->len, s, len);
	p->len += len;
	p->buf[p->len] = '\0';
}

static void push_line(struct printer *p, struct out_line l)
{
	ARENA_PUSH(p->a, p->lines, p->n, p->cap);
	p->lines[p->n - 1] = l;
}

static void finish_line(struct printer *p, const struct tok *comment)
{
	if (!p->open)
		return;
	struct out_line l = { .indent = p->indent,
			      .code = arena_strndup(p->a, p->buf ? p->buf : "", p->len),
			      .codelen = p->len };
	if (comment) {
		l.comment = comment->s;
		l.commentlen = comment->len;
	}
	push_line(p, l);
	p->open = false;
}

/* Starts a line at indent; blank: the source had a blank line before it. */
static void start_line(struct printer *p, int indent, bool blank)
{
	finish_line(p, NULL);
	if (blank && !p->no_blank && p->n > 0 && p->lines[p->n - 1].code)
		push_line(p, (struct out_line){ 0 });
	p->no_blank = false;
	p->open = true;
	p->indent = indent;
	p->len = 0;
	p->last = 0;
}

/* Appends a token to the current line with the spacing of the layout. */
static void put(struct printer *p, const struct tok *t)
{
	bool space = p->last != 0 && t->kind != ',' && t->kind != ';' && t->kind != '-' &&
		     p->last != '-';
	if (space)
		buf_add(p, " ", 1);
	buf_add(p, t->s, t->len);
	p->last = t->kind;
}

static bool blank_before(const struct tok *t)
{
	return t->nl >= 2;
}

/* A comment: trailing when it shares a line with the token before it. */
static void comment(struct printer *p, const struct tok *t, int indent, bool blank_ok)
{
	if (t->nl == 0 && p->open) {
		finish_line(p, t);
		return;
	}
	start_line(p, indent, blank_ok && blank_before(t));
	p->open = false;
	push_line(p, (struct out_line){ .indent = indent, .code = arena_strdup(p->a, ""),
					.comment = t->s, .commentlen = t->len });
}

/* Tokens from t[i] through the first one of kind stop, onto lines at indent
 * (continuation lines at indent + 4); returns the index after stop. */
static size_t statement(struct printer *p, const struct tok *t, size_t n, size_t i, int stop,
			int indent)
{
	start_line(p, indent, blank_before(&t[i]));
	bool broken = false;  /* a comment ended the line */
	for (; i < n; i++) {
		if (t[i].kind == TOK_COMMENT) {
			comment(p, &t[i], indent + FMT_INDENT, false);
			broken = true;
			continue;
		}
		if (broken || (p->last == ',' && t[i].nl > 0))
			start_line(p, indent + FMT_INDENT, false);
		broken = false;
		put(p, &t[i]);
		if (t[i].kind == stop)
			return i + 1;
	}
	return i;
}

/* The width of tokens t[i..j] printed on one line after the line so far. */
static size_t run_width(const struct printer *p, const struct tok *t, size_t i, size_t j)
{
	size_t w = (size_t)p->indent + p->len;
	int last = p->last;
	for (size_t k = i; k <= j; k++) {
		if (last != 0 && t[k].kind != ',' && t[k].kind != ';' && t[k].kind != '-' &&
		    last != '-')
			w++;
		w += t[k].len;
		last = t[k].kind;
	}
	return w;
}

/* network := 'network' targets '<' rule* '>' */
static size_t network(struct printer *p, const struct tok *t, size_t n, size_t i)
{
	i = statement(p, t, n, i, '<', 0);
	size_t close = i;
	int rules = 0;
	bool one_line = true;
	for (; close < n && t[close].kind != '>'; close++) {
		rules += t[close].kind == ';';
		if (t[close].nl > 0 || t[close].kind == TOK_COMMENT)
			one_line = false;
	}
	if (close >= n)
		return n;  /* not reached: the file parsed */
	if (t[close].nl > 0 || rules > FMT_ONE_LINE_RULES ||
	    run_width(p, t, i, close) > FMT_WIDTH)
		one_line = false;
	if (one_line) {
		for (; i <= close; i++)
			put(p, &t[i]);
		return close + 1;
	}
	p->no_blank = true;  /* none right after '<' */
	while (i < close) {
		if (t[i].kind == TOK_COMMENT) {
			comment(p, &t[i], FMT_INDENT, true);
			i++;
		} else {
			i = statement(p, t, n, i, ';', FMT_INDENT);
		}
	}
	p->no_blank = true;  /* none right before '>' */
	start_line(p, 0, false);
	put(p, &t[close]);
	return close + 1;
}

/* Trailing comments of adjacent lines of one indentation line up two columns past the longest
 * of those lines; the comment text loses only its trailing blanks. */
static char *render(struct printer *p, size_t *outlen)
{
	while (p->n > 0 && !p->lines[p->n - 1].code)
		p->n--;
	size_t total = 1;
	for (size_t i = 0; i < p->n; i++)
		total += (size_t)p->lines[i].indent + p->lines[i].codelen + p->lines[i].commentlen + 2;
	size_t *col = arena_alloc(p->a, sizeof(size_t) * (p->n + 1));
	for (size_t i = 0; i < p->n;) {
		const struct out_line *l = &p->lines[i];
		if (!l->code || !l->comment || l->codelen == 0) {
			i++;
			continue;
		}
		size_t j = i, w = 0;
		for (; j < p->n && p->lines[j].code && p->lines[j].comment && p->lines[j].codelen > 0 &&
		       p->lines[j].indent == l->indent;
		     j++) {
			size_t lw = (size_t)p->lines[j].indent + p->lines[j].codelen;
			if (lw > w)
				w = lw;
		}
		for (size_t k = i; k < j; k++)
			col[k] = w + 2;
		total += (j - i) * (w + 2);
		i = j;
	}
	char *out = arena_alloc(p->a, total);
	size_t len = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct out_line *l = &p->lines[i];
		if (l->code) {
			size_t start = len;
			if (l->codelen > 0 || l->comment) {
				memset(out + len, ' ', (size_t)l->indent);
				len += (size_t)l->indent;
			}
			memcpy(out + len, l->code, l->codelen);
			len += l->codelen;
			if (l->comment) {
				size_t clen = l->commentlen;
				while (clen > 0 && strchr(" \t\r", l->comment[clen - 1]))
					clen--;
				if (l->codelen > 0)
					while (len - start < col[i])
						out[len++] = ' ';
				memcpy(out + len, l->comment, clen);
				len += clen;
			}
		}
		out[len++] = '\n';
	}
	out[len] = '\0';
	*outlen = len;
	return out;
}

char *fmt_source(struct arena *a, struct diag_list *dl, const struct src_file *f, size_t *len)
{
	/* The scanner and parser alone: fmt does not follow includes. */
	struct parse_ctx ctx = { .a = a, .dl = dl, .file = (struct src_file *)f };
	int before = dl->nerrors;
	int rc = parse_run(&ctx);
	if (rc != 0 || dl->nerrors > before)
		return NULL;

	struct tok *t;
	size_t n;
	if (!tokenize(a, dl, f, &t, &n))
		return NULL;
	struct printer p = { .a = a };
	for (size_t i = 0; i < n;) {
		if (t[i].kind == TOK_COMMENT) {
			comment(&p, &t[i], 0, true);
			i++;
		} else if (t[i].kind == TOK_NETWORK) {
			i = network(&p, t, n, i);
		} else {
			i = statement(&p, t, n, i, ';', 0);
		}
	}
	finish_line(&p, NULL);
	free(p.buf);
	return render(&p, len);
}

/* ---- unified diff ---- */

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

void fmt_diff(FILE *out, const char *name, const char *old, size_t oldlen, const char *new_,
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

/* ---- the command ---- */

int fmt_files(enum fmt_mode mode, char **paths, int n, bool color)
{
	int worst = 0;
	for (int i = 0; i < n; i++) {
		int rc = 0;
		struct arena a;
		arena_init(&a);
		struct diag_list dl;
		diag_init(&dl, &a);
		const char *path = paths[i];
		const char *why;
		struct src_file *f = src_read(&a, path, NULL, (struct loc){ 0 }, SRC_MAX_FILE, &why);
		if (!f) {
			/* Past a limit is the policy's (1), the rest I/O (2), as for compile. */
			rc = errno == EFBIG ? 1 : 2;
			fprintf(stderr, "d6c: cannot read '%s': %s\n", strcmp(path, "-") ? path : "<stdin>",
				why);
			goto next;
		}
		size_t len;
		char *text = fmt_source(&a, &dl, f, &len);
		if (!text) {
			diag_print(&dl, stderr, color);
			fprintf(stderr, "d6c: %s has syntax errors: not formatted\n", path);
			rc = 1;
			goto next;
		}
		bool changed = len != f->len || memcmp(text, f->text, len) != 0;
		switch (mode) {
		case FMT_PRINT:
			if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
				fprintf(stderr, "d6c: cannot write to standard output: %s\n",
					strerror(errno));
				rc = 2;
			}
			break;
		case FMT_WRITE:
			if (changed && output_write_text(path, text, len) != 0)
				rc = 2;
			break;
		case FMT_CHECK:
			if (changed) {
				printf("%s\n", path);
				rc = 1;
			}
			break;
		case FMT_DIFF:
			if (changed) {
				fmt_diff(stdout, path, f->text, f->len, text, len);
				rc = 1;
			}
			break;
		}
next:
		if (rc > worst)
			worst = rc;
		arena_free(&a);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "d6c: cannot write to standard output: %s\n", strerror(errno));
		worst = 2;
	}
	return worst;
}

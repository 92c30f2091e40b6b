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
 * '-' of a range or the '/' of a rate; a block stays on one line when it was written on one line,
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

/* No space around the '-' of a range or the '/' of a rate (5/second). */
static bool tight(int kind)
{
	return kind == '-' || kind == '/';
}

/* Appends a token to the current line with the spacing of the layout. */
static void put(struct printer *p, const struct tok *t)
{
	bool space = p->last != 0 && t->kind != ',' && t->kind != ';' && !tight(t->kind) &&
		     !tight(p->last);
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
		if (last != 0 && t[k].kind != ',' && t[k].kind != ';' && !tight(t[k].kind) &&
		    !tight(last))
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

/*
 * fmt.c - `d6c fmt`: reprints a policy in its one canonical layout.
 *
 * The file is parsed first (scanner and parser only, includes not followed);
 * any error there and it is left alone.  Then a small tokenizer of our own,
 * which mirrors the token classes of grammar/lexer.l but keeps comments and
 * counts the newlines before each token, feeds a printer that knows only the
 * shape of the grammar: top-level statements end at ';', a network block runs
 * from its '<' to its '>', and a rule ends at ';'.  Token text is copied
 * byte for byte, so fmt can change layout and never meaning.
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
#include "arena.h"
#include "parse.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FMT_WIDTH 100
#define FMT_INDENT 4
#define FMT_ONE_LINE_RULES 3

enum {
	TOK_WORD = 256,  /* keyword, name, number or address */
	TOK_STR,
	TOK_COMMENT,
};

struct tok {
	int kind;          /* TOK_* or the punctuation character itself */
	const char *s;
	size_t len;
	int nl;            /* newlines between the previous token (or comment) and this one */
};

/* ---- the tokenizer: grammar/lexer.l's classes, comments kept ---- */

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* An optional "/" DIGIT* after an address. */
static size_t prefix_len(const char *s, size_t i, size_t end)
{
	if (i < end && s[i] == '/') {
		i++;
		while (i < end && is_digit(s[i]))
			i++;
	}
	return i;
}

/* The longest of the word classes at s[i]; flex picks the longest match. */
static size_t word_end(const char *s, size_t i, size_t end)
{
	size_t best = i;
	/* {HEX}*":"[0-9A-Fa-f:.]*("/"{DIGIT}*)? */
	size_t j = i;
	while (j < end && is_hex(s[j]))
		j++;
	if (j < end && s[j] == ':') {
		j++;
		while (j < end && (is_hex(s[j]) || s[j] == ':' || s[j] == '.'))
			j++;
		j = prefix_len(s, j, end);
		if (j > best)
			best = j;
	}
	/* {DIGIT}+"."[0-9.]*("/"{DIGIT}*)?  and  {DIGIT}+ */
	j = i;
	while (j < end && is_digit(s[j]))
		j++;
	if (j > i) {
		if (j > best)
			best = j;
		if (j < end && s[j] == '.') {
			j++;
			while (j < end && (is_digit(s[j]) || s[j] == '.'))
				j++;
			j = prefix_len(s, j, end);
			if (j > best)
				best = j;
		}
	}
	/* [A-Za-z_][A-Za-z0-9_-]* (keywords are names to the layout) */
	if (is_alpha(s[i])) {
		j = i + 1;
		while (j < end && (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '-'))
			j++;
		if (j > best)
			best = j;
	}
	return best > i ? best : i + 1;
}

static struct tok *tokenize(struct arena *a, const struct src_file *f, size_t *ntoks)
{
	struct tok *v = NULL;
	size_t n = 0, cap = 0;
	const char *s = f->text;
	size_t end = f->len, i = 0;
	int nl = 1;  /* the start of the file counts as a line start */
	while (i < end) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			nl += c == '\n';
			i++;
			continue;
		}
		size_t j = i + 1;
		int kind = (unsigned char)c;
		if (c == '#') {
			while (j < end && s[j] != '\n')
				j++;
			kind = TOK_COMMENT;
		} else if (c == '"') {
			while (j < end && s[j] != '"' && s[j] != '\n')
				j++;
			if (j < end && s[j] == '"')
				j++;
			kind = TOK_STR;
		} else if (!strchr("<>;,=-", c)) {
			j = word_end(s, i, end);
			kind = TOK_WORD;
		}
		ARENA_PUSH(a, v, n, cap);
		v[n - 1] = (struct tok){ kind, s + i, j - i, nl };
		nl = 0;
		i = j;
	}
	*ntoks = n;
	return v;
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

	size_t n;
	struct tok *t = tokenize(a, f, &n);
	struct printer p = { .a = a };
	for (size_t i = 0; i < n;) {
		if (t[i].kind == TOK_COMMENT) {
			comment(&p, &t[i], 0, true);
			i++;
		} else if (t[i].kind == TOK_WORD && t[i].len == 7 && memcmp(t[i].s, "network", 7) == 0) {
			i = network(&p, t, n, i);
		} else {
			i = statement(&p, t, n, i, ';', 0);
		}
	}
	finish_line(&p, NULL);
	free(p.buf);
	return render(&p, len);
}

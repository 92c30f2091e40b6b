/*
 * diag.c - printing diagnostics in file order with carets.
 *
 * Sort key: the chain of include positions from the top file down to the
 * record's own position, compared place by place.  Records without a place
 * come first, the "too many" records last.  The caret line copies the tabs of
 * the source line so that the marker sits under the offending bytes whatever
 * the terminal's tab width; a line longer than DIAG_MAX_LINE is shown as a
 * window of DIAG_WINDOW bytes around the caret, "..." at each cut end.
 *
 * stderr is unbuffered: a list is printed through a fully buffered stream of
 * its own on the same descriptor, so a caret line is not a write(2) a byte.
 */
#include "diag.h"
#include "utf8.h"
#include "arena.h"
#include "suppress.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const sev_name[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
	[DIAG_NOTE] = "note",
};

static const char *const sev_color[] = {
	[DIAG_ERROR] = "\033[1;31m",
	[DIAG_WARNING] = "\033[1;35m",
	[DIAG_NOTE] = "\033[1;36m",
};

void diag_init(struct diag_list *dl, struct arena *a)
{
	memset(dl, 0, sizeof(*dl));
	dl->a = a;
}

static struct diag *make(struct diag_list *dl, enum diag_severity sev,
			 struct loc loc, const char *fmt, va_list ap)
{
	static unsigned seq;
	struct diag *d = arena_alloc(dl->a, sizeof(*d));
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	size_t size = (size_t)n + 1 > DIAG_MAX_MESSAGE ? DIAG_MAX_MESSAGE : (size_t)n + 1;
	char *msg = arena_alloc(dl->a, size);
	vsnprintf(msg, size, fmt, ap);
	if ((size_t)n + 1 > size) {
		/* Cut at a character, not inside one, and say so. */
		size_t end = size - 4;
		while (end > 0 && ((unsigned char)msg[end] & 0xc0) == 0x80)
			end--;
		memcpy(msg + end, "...", 4);
	}
	d->sev = sev;
	d->code = DC_NONE;
	d->loc = loc;
	d->msg = msg;
	d->suppressed = NULL;
	d->seq = seq++;
	return d;
}

static void push(struct diag_list *dl, struct diag *d)
{
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): items holds pointers */
	ARENA_PUSH(dl->a, dl->items, dl->n, dl->cap);
	dl->items[dl->n - 1] = d;
}

/* Past the cap a record is counted, not kept: the caller gets the list's
 * sink, which notes skip, so a hundred thousand dropped records cost no
 * memory and no formatting. */
static void add_cap(struct diag_list *dl, enum diag_severity sev)
{
	struct diag **cap = sev == DIAG_ERROR ? &dl->cap_error : &dl->cap_warning;
	if (!*cap) {
		*cap = arena_alloc(dl->a, sizeof(**cap));
		(*cap)->sev = sev;
		(*cap)->code = sev == DIAG_ERROR ? DC_TOO_MANY_ERRORS : DC_W_TOO_MANY;
		(*cap)->cap = true;
		(*cap)->msg = "";
		push(dl, *cap);
	}
}

static struct diag *drop(struct diag_list *dl, enum diag_severity sev)
{
	if (sev == DIAG_ERROR) {
		dl->nerrors++;
		dl->dropped_errors++;
	} else {
		dl->nwarnings++;
		dl->dropped_warnings++;
	}
	add_cap(dl, sev);
	if (!dl->sink)
		dl->sink = arena_alloc(dl->a, sizeof(*dl->sink));
	return dl->sink;
}

/* The closing records' words, once the counts are final. */
static void word_caps(struct diag_list *dl)
{
	if (dl->cap_error && dl->dropped_errors)
		dl->cap_error->msg = arena_printf(dl->a,
			"too many errors; stopping: %d more not reported (d6c reports the first %d)",
			dl->dropped_errors, DIAG_MAX_ERRORS);
	else if (dl->cap_error)
		dl->cap_error->msg = arena_printf(dl->a,
			"too many errors; stopping (d6c reports the first %d, and reads no further)",
			DIAG_MAX_ERRORS);
	if (dl->cap_warning)
		dl->cap_warning->msg = arena_printf(dl->a,
			"too many warnings: %d more not reported (d6c reports the first %d)",
			dl->dropped_warnings, DIAG_MAX_WARNINGS);
}

/* A silenced warning is kept for JSON and SARIF, apart from the cap of
 * reported ones: the first DIAG_MAX_WARNINGS of them, the rest counted. */
static struct diag *add_suppressed(struct diag_list *dl, const struct suppression *why,
				   enum diag_code code, struct loc loc, const char *fmt, va_list ap)
{
	if (dl->nsuppressed++ >= DIAG_MAX_WARNINGS) {
		if (!dl->sink)
			dl->sink = arena_alloc(dl->a, sizeof(*dl->sink));
		return dl->sink;
	}
	struct diag *d = make(dl, DIAG_WARNING, loc, fmt, ap);
	d->code = code;
	d->suppressed = why;
	push(dl, d);
	return d;
}

static struct diag *add(struct diag_list *dl, enum diag_severity sev, enum diag_code code,
			struct loc loc, const char *fmt, va_list ap)
{
	const struct suppression *why = sev == DIAG_WARNING ? suppress_match(dl, code, loc) : NULL;
	if (why)
		return add_suppressed(dl, why, code, loc, fmt, ap);
	if (sev == DIAG_ERROR ? dl->nerrors >= DIAG_MAX_ERRORS : dl->nwarnings >= DIAG_MAX_WARNINGS)
		return drop(dl, sev);
	struct diag *d = make(dl, sev, loc, fmt, ap);
	d->code = code;
	push(dl, d);
	if (sev == DIAG_ERROR)
		dl->nerrors++;
	else
		dl->nwarnings++;
	/* At the cap the scanner stops reading: say so even if nothing more
	 * is ever dropped. */
	if (sev == DIAG_ERROR && dl->nerrors == DIAG_MAX_ERRORS)
		add_cap(dl, DIAG_ERROR);
	return d;
}

struct diag *diag_error(struct diag_list *dl, enum diag_code code, struct loc loc,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = add(dl, DIAG_ERROR, code, loc, fmt, ap);
	va_end(ap);
	return d;
}

struct diag *diag_warning(struct diag_list *dl, enum diag_code code, struct loc loc,
			const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = add(dl, DIAG_WARNING, code, loc, fmt, ap);
	va_end(ap);
	return d;
}

void diag_note(struct diag_list *dl, struct diag *d, struct loc loc, const char *fmt, ...)
{
	if (d == dl->sink)
		return;
	va_list ap;
	va_start(ap, fmt);
	struct diag *n = make(dl, DIAG_NOTE, loc, fmt, ap);
	va_end(ap);
	struct diag **p = &d->notes;
	while (*p)
		p = &(*p)->next_note;
	*p = n;
}

bool diag_has_errors(const struct diag_list *dl)
{
	return dl->nerrors > 0;
}

bool diag_full(const struct diag_list *dl)
{
	return dl->nerrors >= DIAG_MAX_ERRORS;
}

/* Positions from the top file down to loc, deepest last: line, column,
 * and for an include which of its glob's files (files matched by one
 * include all stand at its place). */
static int key_of(struct loc loc, int key[][3], int max)
{
	int n = 0;
	const struct src_file *f = loc.file;
	if (!f)
		return 0;
	n = f->depth + 1;
	if (n > max)
		n = max;
	int i = n - 1;
	key[i][0] = loc.first_line;
	key[i][1] = loc.first_column;
	key[i][2] = -1;   /* the include's own place comes before its files */
	while (f->parent && i > 0) {
		i--;
		key[i][0] = f->included_at.first_line;
		key[i][1] = f->included_at.first_column;
		key[i][2] = f->match;
		f = f->parent;
	}
	/* A chain shorter than depth said: keep only the rows written. */
	if (i > 0) {
		memmove(key, key + i, sizeof(key[0]) * (size_t)(n - i));
		n -= i;
	}
	return n;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const struct diag *a = *(const struct diag *const *)pa;
	const struct diag *b = *(const struct diag *const *)pb;
	if (a->cap != b->cap)
		return a->cap ? 1 : -1;
	int ka[64][3], kb[64][3];
	int na = key_of(a->loc, ka, 64), nb = key_of(b->loc, kb, 64);
	for (int i = 0; i < na && i < nb; i++)
		for (int j = 0; j < 3; j++)
			if (ka[i][j] != kb[i][j])
				return ka[i][j] < kb[i][j] ? -1 : 1;
	if (na != nb)
		return na < nb ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void print_includes(FILE *out, const struct src_file *f)
{
	for (const struct src_file *p = f; p && p->parent; p = p->parent)
		fprintf(out, "In file included from %s:%d:%d:\n", p->parent->path,
			p->included_at.first_line, p->included_at.first_column);
}

/* The source line, or a window of it around the caret, and the marker:
 * '^' at the first column of the span, '~' to its end (cut at the window). */
static void print_caret(FILE *out, struct loc loc)
{
	size_t len;
	const char *line = src_line(loc.file, loc.first_line, &len);
	size_t col = loc.first_column > 0 ? (size_t)loc.first_column - 1 : 0;
	size_t from = 0, to = len;
	if (len > DIAG_MAX_LINE) {
		/* A third of the window before the caret, the rest after it. */
		size_t at = col < len ? col : len;
		from = at > DIAG_WINDOW / 3 ? at - DIAG_WINDOW / 3 : 0;
		to = from + DIAG_WINDOW < len ? from + DIAG_WINDOW : len;
		if (to - from < DIAG_WINDOW)
			from = to > DIAG_WINDOW ? to - DIAG_WINDOW : 0;
		/* Whole UTF-8 characters only at the cuts. */
		while (from > 0 && from < at && ((unsigned char)line[from] & 0xc0) == 0x80)
			from++;
		while (to < len && to > at + 1 && ((unsigned char)line[to] & 0xc0) == 0x80)
			to--;
	}
	const char *cut_before = from > 0 ? "..." : "", *cut_after = to < len ? "..." : "";
	fprintf(out, "    %s", cut_before);
	fwrite(line + from, 1, to - from, out);
	fprintf(out, "%s\n    %*s", cut_after, (int)strlen(cut_before), "");
	/* Spaces as wide as the text before the caret shows on a terminal:
	 * a character of several bytes is one column (two if wide). */
	for (size_t i = from, size; i < col && i < len; i += size) {
		size = 1;
		int w = line[i] == '\t' ? 1 : utf8_char_width(line + i, len - i, &size);
		for (int k = 0; k < w; k++)
			putc(line[i] == '\t' ? '\t' : ' ', out);
	}
	for (size_t i = len; i < col; i++)
		putc(' ', out);
	putc('^', out);
	/* The tildes stop at the end of the line for spans that cross it, and
	 * at the end of the window. */
	size_t end = loc.last_line == loc.first_line && loc.last_column > 0
			     ? (size_t)loc.last_column : col + 1;
	if (end > len)
		end = len > col ? len : col + 1;
	if (end > to && to > col)
		end = to;
	/* As wide as the span shows, the caret's column included. */
	int span = 0;
	for (size_t i = col, size; i < end && i < len; i += size) {
		size = 1;
		span += line[i] == '\t' ? 1 : utf8_char_width(line + i, len - i, &size);
	}
	if (end > len)
		span += (int)(end - (len > col ? len : col));
	for (int i = 1; i < span; i++)
		putc('~', out);
	putc('\n', out);
}

static void print_one(FILE *out, const struct diag *d, bool color)
{
	const char *on = color ? sev_color[d->sev] : "";
	const char *off = color ? "\033[0m" : "";
	const char *bold = color ? "\033[1m" : "";
	const struct diag_code_info *ci = diag_code_info(d->code);
	char code[32] = "";
	if (ci)
		snprintf(code, sizeof(code), " [%s]", ci->code);
	if (d->loc.file) {
		fprintf(out, "%s%s:%d:%d: %s%s:%s %s%s%s%s\n", bold, d->loc.file->path,
			d->loc.first_line, d->loc.first_column, on, sev_name[d->sev],
			off, bold, d->msg, off, code);
		print_caret(out, d->loc);
	} else {
		fprintf(out, "%sd6c: %s%s:%s %s%s\n", bold, on, sev_name[d->sev], off, d->msg,
			code);
	}
}

void diag_show(FILE *out, enum diag_severity sev, struct loc loc, const char *msg, bool color)
{
	struct diag d = { .sev = sev, .loc = loc, .msg = msg };
	FILE *b = diag_buffered(out);
	if (loc.file)
		print_includes(b, loc.file);
	print_one(b, &d, color);
	diag_buffered_end(b, out);
}

/* A fully buffered stream on out's descriptor, out flushed first so that
 * the order of what is written stays; out itself when there is none (a
 * memory stream in the tests). */
FILE *diag_buffered(FILE *out)
{
	fflush(out);
	int fd = fileno(out);
	int copy = fd >= 0 ? dup(fd) : -1;
	FILE *b = copy >= 0 ? fdopen(copy, "w") : NULL;
	if (!b) {
		if (copy >= 0)
			close(copy);
		return out;
	}
	setvbuf(b, NULL, _IOFBF, (size_t)64 * 1024);
	return b;
}

void diag_buffered_end(FILE *b, FILE *out)
{
	if (b != out)
		fclose(b);
}

void diag_sort(struct diag_list *dl)
{
	word_caps(dl);
	if (dl->n > 1)
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): items holds pointers */
		qsort(dl->items, dl->n, sizeof(*dl->items), cmp_diag);
}

void diag_print(struct diag_list *dl, FILE *out, bool color)
{
	if (dl->n == 0)
		return;
	diag_sort(dl);
	FILE *to = out;
	out = diag_buffered(to);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = dl->items[i];
		if (d->suppressed)
			continue;
		if (d->loc.file)
			print_includes(out, d->loc.file);
		print_one(out, d, color);
		for (const struct diag *n = d->notes; n; n = n->next_note) {
			if (n->loc.file && n->loc.file != d->loc.file)
				print_includes(out, n->loc.file);
			print_one(out, n, color);
		}
	}
	diag_buffered_end(out, to);
}

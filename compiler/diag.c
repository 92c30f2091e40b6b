/*
 * diag.c - printing diagnostics in file order with carets.
 *
 * Sort key: the chain of include positions from the top file down to the
 * record's own position, compared place by place.  Records without a place
 * come first.  The caret line copies the tabs of the source line so that the
 * marker sits under the offending bytes whatever the terminal's tab width.
 */
#include "diag.h"
#include "arena.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
	char *msg = arena_alloc(dl->a, (size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	d->sev = sev;
	d->code = DC_NONE;
	d->loc = loc;
	d->msg = msg;
	d->seq = seq++;
	return d;
}

static struct diag *add(struct diag_list *dl, enum diag_severity sev, enum diag_code code,
			struct loc loc, const char *fmt, va_list ap)
{
	struct diag *d = make(dl, sev, loc, fmt, ap);
	d->code = code;
	ARENA_PUSH(dl->a, dl->items, dl->n, dl->cap);
	dl->items[dl->n - 1] = d;
	if (sev == DIAG_ERROR)
		dl->nerrors++;
	else
		dl->nwarnings++;
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

/* Positions from the top file down to loc, deepest last. */
static int key_of(struct loc loc, int key[][2], int max)
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
	while (f->parent && i > 0) {
		i--;
		key[i][0] = f->included_at.first_line;
		key[i][1] = f->included_at.first_column;
		f = f->parent;
	}
	return n;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const struct diag *a = *(const struct diag *const *)pa;
	const struct diag *b = *(const struct diag *const *)pb;
	int ka[64][2], kb[64][2];
	int na = key_of(a->loc, ka, 64), nb = key_of(b->loc, kb, 64);
	for (int i = 0; i < na && i < nb; i++) {
		if (ka[i][0] != kb[i][0])
			return ka[i][0] < kb[i][0] ? -1 : 1;
		if (ka[i][1] != kb[i][1])
			return ka[i][1] < kb[i][1] ? -1 : 1;
	}
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

static void print_caret(FILE *out, struct loc loc)
{
	size_t len;
	const char *line = src_line(loc.file, loc.first_line, &len);
	fputs("    ", out);
	fwrite(line, 1, len, out);
	fputs("\n    ", out);
	size_t col = loc.first_column > 0 ? (size_t)loc.first_column - 1 : 0;
	for (size_t i = 0; i < col; i++)
		fputc(i < len && line[i] == '\t' ? '\t' : ' ', out);
	fputc('^', out);
	/* The tildes stop at the end of the line for spans that cross it. */
	size_t end = loc.last_line == loc.first_line && loc.last_column > 0
			     ? (size_t)loc.last_column : col + 1;
	if (end > len)
		end = len > col ? len : col + 1;
	for (size_t i = col + 1; i < end; i++)
		fputc('~', out);
	fputc('\n', out);
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
	if (loc.file)
		print_includes(out, loc.file);
	print_one(out, &d, color);
}

void diag_sort(struct diag_list *dl)
{
	if (dl->n > 1)
		qsort(dl->items, dl->n, sizeof(*dl->items), cmp_diag);
}

void diag_print(struct diag_list *dl, FILE *out, bool color)
{
	if (dl->n == 0)
		return;
	diag_sort(dl);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = dl->items[i];
		if (d->loc.file)
			print_includes(out, d->loc.file);
		print_one(out, d, color);
		for (const struct diag *n = d->notes; n; n = n->next_note) {
			if (n->loc.file && n->loc.file != d->loc.file)
				print_includes(out, n->loc.file);
			print_one(out, n, color);
		}
	}
}

/*
 * suppress.c - `# d6c: disable` directives and --disable (see suppress.h).
 *
 * Each code of a directive is one entry: the file and the line it silences
 * (0 for the whole file), and whether a warning used it.  The scanner reads
 * a file whole before its includes, so a file's entries arrive together and
 * in line order; they are sorted once by (file, line, code) at the first
 * warning, and each warning is then a binary search, however many
 * directives a generated policy holds.
 */
#include "suppress.h"
#include "arena.h"
#include "misspell.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct entry {
	enum diag_code code;
	const struct src_file *file;
	int line;                 /* the line silenced; 0: the whole file; -1: none */
	bool none;                /* no line of code follows the directive */
	bool used;
	struct suppression *s;    /* loc: the code as written in the directive */
};

struct suppress {
	struct entry *v;
	size_t n, cap;
	bool sorted;
	const bool *disabled;               /* --disable, indexed by code */
	struct suppression external;
	bool unjudged[DC_COUNT];
	/* The last search for the next line of code: directives in a row
	 * share it, and a file of them must not cost its length squared. */
	const struct src_file *next_file;
	int next_from, next_line;
};

static struct suppress *set_of(struct diag_list *dl)
{
	if (!dl->suppress) {
		dl->suppress = arena_alloc(dl->a, sizeof(*dl->suppress));
		memset(dl->suppress, 0, sizeof(*dl->suppress));
		dl->suppress->external.kind = SUPPRESS_EXTERNAL;
	}
	return dl->suppress;
}

/* ---- codes ---- */

enum suppress_lookup suppress_code(const char *word, size_t len, enum diag_code *code)
{
	for (int c = DC_NONE + 1; c < DC_COUNT; c++) {
		const char *full = diag_code_info((enum diag_code)c)->code;
		const char *names[] = { full, full + 4 };   /* "D6C-W011", "W011" */
		for (int k = 0; k < 2; k++)
			if (strlen(names[k]) == len && strncasecmp(word, names[k], len) == 0) {
				*code = (enum diag_code)c;
				return diag_code_info(*code)->sev == DIAG_ERROR ? SUPPRESS_ERROR
										: SUPPRESS_WARNING;
			}
	}
	return SUPPRESS_UNKNOWN;
}

const char *suppress_code_suggest(const char *word)
{
	bool full = strncasecmp(word, "D6C-", 4) == 0;
	struct misspell m;
	misspell_init(&m, word);
	for (int c = DC_NONE + 1; c < DC_COUNT; c++) {
		const struct diag_code_info *ci = diag_code_info((enum diag_code)c);
		if (ci->sev == DIAG_WARNING)
			misspell_offer(&m, full ? ci->code : ci->code + 4);
	}
	return m.best;   /* written as the word was: with D6C- or without */
}

/* ---- reading a directive ---- */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The span of len bytes at byte offset off of the comment at c. */
static struct loc at(struct loc c, size_t off, size_t len)
{
	struct loc l = c;
	l.first_column = c.first_column + (int)off;
	l.last_line = c.first_line;
	l.last_column = l.first_column + (len ? (int)len - 1 : 0);
	return l;
}

/* Whether the comment at loc follows code on its line. */
static bool after_code(struct loc loc)
{
	size_t len;
	const char *line = src_line(loc.file, loc.first_line, &len);
	for (size_t i = 0; i + 1 < (size_t)loc.first_column && i < len; i++)
		if (!blank(line[i]))
			return true;
	return false;
}

/* The first line after `from` that holds code (not blank, not a comment);
 * 0 when none does. */
static int next_code_line(struct suppress *s, const struct src_file *f, int from)
{
	if (s->next_file == f && s->next_from <= from && (s->next_line > from || !s->next_line))
		return s->next_line;
	int found = 0;
	for (int n = from + 1; n <= f->nlines && !found; n++) {
		size_t len, i = 0;
		const char *line = src_line(f, n, &len);
		while (i < len && (blank(line[i]) || line[i] == '\n'))
			i++;
		if (i < len && line[i] != '#')
			found = n;
	}
	s->next_file = f;
	s->next_from = from;
	s->next_line = found;
	return found;
}

/* The verbs of a directive, for the suggestion on a misspelled one. */
static const char *const verbs[] = { "disable", "disable-file" };

static size_t word_end(const char *text, size_t i, size_t len)
{
	while (i < len && !blank(text[i]) && text[i] != ',')
		i++;
	return i;
}

static void keep(struct diag_list *dl, enum diag_code code, struct loc where, bool whole_file,
		 int line, const char *reason)
{
	struct suppress *s = set_of(dl);
	struct suppression *why = arena_alloc(dl->a, sizeof(*why));
	*why = (struct suppression){ .kind = SUPPRESS_IN_SOURCE, .justification = reason,
				     .loc = where };
	ARENA_PUSH(dl->a, s->v, s->n, s->cap);
	s->v[s->n - 1] = (struct entry){ .code = code, .file = where.file,
					 .line = whole_file ? 0 : line ? line : -1,
					 .none = !whole_file && line == 0, .s = why };
	s->sorted = false;
}

/* directive -> '#' 'd6c:' VERB CODE {[','] CODE} ['--' REASON] */
void suppress_comment(struct diag_list *dl, struct loc loc, const char *text, size_t len)
{
	size_t i = 1;
	while (i < len && blank(text[i]))
		i++;
	if (len - i < 4 || strncmp(text + i, "d6c:", 4) != 0)
		return;
	i += 4;
	while (i < len && blank(text[i]))
		i++;
	size_t v = i;
	i = word_end(text, i, len);
	bool whole_file;
	if (i - v == 7 && strncmp(text + v, "disable", 7) == 0) {
		whole_file = false;
	} else if (i - v == 12 && strncmp(text + v, "disable-file", 12) == 0) {
		whole_file = true;
	} else if (i == v) {
		diag_warning(dl, DC_W_UNUSED_DISABLE, at(loc, 0, v),
			     "this d6c directive says nothing: write '# d6c: disable W011' "
			     "(or disable-file)");
		return;
	} else {
		char *word = arena_strndup(dl->a, text + v, i - v);
		struct misspell m;
		misspell_init(&m, word);
		for (size_t k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++)
			misspell_offer(&m, verbs[k]);
		if (m.best)
			diag_warning(dl, DC_W_UNUSED_DISABLE, at(loc, v, i - v),
				     "unknown d6c directive '%s'; did you mean '%s'?", word, m.best);
		else
			diag_warning(dl, DC_W_UNUSED_DISABLE, at(loc, v, i - v),
				     "unknown d6c directive '%s' (disable or disable-file)", word);
		return;
	}
	size_t verb_end = i;

	/* The reason first: the codes' entries carry it.  No code holds "--",
	 * so the first one after the verb starts it. */
	const char *reason = NULL;
	size_t codes_end = len;
	for (size_t k = i; k + 1 < len; k++)
		if (text[k] == '-' && text[k + 1] == '-') {
			codes_end = k;
			size_t r = k + 2, e = len;
			while (r < e && blank(text[r]))
				r++;
			while (e > r && blank(text[e - 1]))
				e--;
			if (e > r)
				reason = arena_strndup(dl->a, text + r, e - r);
			break;
		}

	int line = whole_file ? 0 : after_code(loc) ? loc.first_line
			      : next_code_line(set_of(dl), loc.file, loc.first_line);
	int ncodes = 0;
	for (;;) {
		while (i < codes_end && (blank(text[i]) || text[i] == ','))
			i++;
		if (i >= codes_end)
			break;
		size_t w = i;
		i = word_end(text, i, codes_end);
		struct loc where = at(loc, w, i - w);
		char *word = arena_strndup(dl->a, text + w, i - w);
		enum diag_code code;
		ncodes++;
		switch (suppress_code(word, i - w, &code)) {
		case SUPPRESS_WARNING:
			if (code == DC_W_UNUSED_DISABLE)
				diag_warning(dl, DC_W_UNUSED_DISABLE, where,
					     "D6C-W015 speaks of these directives and is not silenced by "
					     "one; silence it for a run with --disable W015");
			else
				keep(dl, code, where, whole_file, line, reason);
			break;
		case SUPPRESS_ERROR:
			diag_warning(dl, DC_W_UNUSED_DISABLE, where, "%s is an error, and errors "
				     "cannot be silenced: fix the policy instead",
				     diag_code_info(code)->code);
			break;
		case SUPPRESS_UNKNOWN: {
			const char *close = suppress_code_suggest(word);
			if (close)
				diag_warning(dl, DC_W_UNUSED_DISABLE, where,
					     "'%s' is not a warning code of d6c; did you mean '%s'?",
					     word, close);
			else
				diag_warning(dl, DC_W_UNUSED_DISABLE, where,
					     "'%s' is not a warning code of d6c (d6c check --list-codes "
					     "lists them; a reason goes after '--')", word);
			break;
		}
		}
	}
	if (ncodes == 0)
		diag_warning(dl, DC_W_UNUSED_DISABLE, at(loc, v, verb_end - v),
			     "'%s' names no warning to silence: write '# d6c: %s W011'",
			     whole_file ? "disable-file" : "disable",
			     whole_file ? "disable-file" : "disable");
}

/* ---- matching ---- */

void suppress_external(struct diag_list *dl, const bool *disabled)
{
	set_of(dl)->disabled = disabled;
}

void suppress_unjudged(struct diag_list *dl, enum diag_code code)
{
	set_of(dl)->unjudged[code] = true;
}

static int cmp_key(const struct src_file *fa, int la, enum diag_code ca,
		   const struct src_file *fb, int lb, enum diag_code cb)
{
	uintptr_t a = (uintptr_t)fa, b = (uintptr_t)fb;
	if (a != b)
		return a < b ? -1 : 1;
	if (la != lb)
		return la < lb ? -1 : 1;
	return ca < cb ? -1 : ca > cb;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c = cmp_key(a->file, a->line, a->code, b->file, b->line, b->code);
	/* Same key: in the order written, so that the first reason is given. */
	if (c == 0)
		c = a->s->loc.first_line != b->s->loc.first_line
			    ? (a->s->loc.first_line < b->s->loc.first_line ? -1 : 1)
			    : a->s->loc.first_column < b->s->loc.first_column ? -1
			    : a->s->loc.first_column > b->s->loc.first_column;
	return c;
}

/* The first entry at or after (f, line, code). */
static size_t lower_bound(const struct suppress *s, const struct src_file *f, int line,
			  enum diag_code code)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_key(s->v[mid].file, s->v[mid].line, s->v[mid].code, f, line, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first entry for code at (f, line), or NULL.  Every directive that
 * names it is marked used, once: the first one's mark says the rest are. */
static const struct suppression *match_at(struct suppress *s, enum diag_code code,
					  const struct src_file *f, int line)
{
	size_t i = lower_bound(s, f, line, code);
	if (i == s->n || s->v[i].file != f || s->v[i].line != line || s->v[i].code != code)
		return NULL;
	if (!s->v[i].used)
		for (size_t k = i; k < s->n && s->v[k].file == f && s->v[k].line == line &&
				   s->v[k].code == code; k++)
			s->v[k].used = true;
	return s->v[i].s;
}

const struct suppression *suppress_match(struct diag_list *dl, enum diag_code code,
					 struct loc loc)
{
	struct suppress *s = dl->suppress;
	if (!s)
		return NULL;
	const struct suppression *in_source = NULL;
	if (loc.file && code != DC_W_UNUSED_DISABLE && s->n > 0) {
		if (!s->sorted) {
			/* NOLINTNEXTLINE(bugprone-sizeof-expression): v holds entries */
			qsort(s->v, s->n, sizeof(*s->v), cmp_entry);
			s->sorted = true;
		}
		/* Both are marked used: each one said something true. */
		const struct suppression *line = match_at(s, code, loc.file, loc.first_line);
		const struct suppression *file = match_at(s, code, loc.file, 0);
		in_source = line ? line : file;
	}
	if (in_source)
		return in_source;
	if (s->disabled && s->disabled[code])
		return &s->external;
	return NULL;
}

void suppress_report_unused(struct diag_list *dl)
{
	struct suppress *s = dl->suppress;
	if (!s)
		return;
	/* diag_print() sorts them into the order of the files. */
	for (size_t i = 0; i < s->n; i++) {
		const struct entry *e = &s->v[i];
		if (e->used || s->unjudged[e->code])
			continue;
		const char *code = diag_code_info(e->code)->code;
		if (e->none)
			diag_warning(dl, DC_W_UNUSED_DISABLE, e->s->loc, "this directive silences "
				     "nothing: no line of code follows it");
		else if (e->line == 0)
			diag_warning(dl, DC_W_UNUSED_DISABLE, e->s->loc, "this directive silences "
				     "nothing: there is no %s warning in this file", code);
		else
			diag_warning(dl, DC_W_UNUSED_DISABLE, e->s->loc, "this directive silences "
				     "nothing: there is no %s warning at line %d", code, e->line);
	}
}

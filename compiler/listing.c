/*
 * listing.c - nft's listing of one table, read back (listing.h).
 *
 * The shape is nft's: `table FAMILY NAME {`, then `comment "..."`, then
 * blocks `KIND NAME {` (chain, map, set, counter, ...) each closed by a
 * `}` on a line of its own.  In a chain, a `type ... hook ...` line and a
 * `comment` line come before the rules, one rule a line.  In a map or a
 * set, `elements = { A, B,` may run over several lines up to its `}`.
 */
#include "listing.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static const char *trim(struct arena *a, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

/* The quoted string at s (s at its opening quote) as written, without
 * quotes; *end after the closing one.  nft escapes no quote in comments. */
static const char *quoted(struct arena *a, const char *s, const char **end)
{
	const char *q = strchr(s + 1, '"');
	if (!q)
		q = s + strlen(s);
	*end = *q ? q + 1 : q;
	return arena_strndup(a, s + 1, (size_t)(q - s - 1));
}

/* Removes `WORD "..." ` (or `WORD NAME `) from s, in place; returns what
 * the quotes held, or "" when WORD is not in s. */
static const char *cut(struct arena *a, char *s, const char *word, bool keep_word)
{
	char *at = strstr(s, word);
	if (!at)
		return "";
	char *v = at + strlen(word);
	const char *val, *end;
	if (*v == '"') {
		val = quoted(a, v, &end);
	} else {
		end = v + strcspn(v, " ");
		val = arena_strndup(a, v, (size_t)(end - v));
	}
	while (*end == ' ')
		end++;
	char *from = keep_word ? v : at;
	memmove(from, end, strlen(end) + 1);
	return val;
}

static void add_rule(struct arena *a, struct listing_chain *c, const char *line)
{
	char *text = arena_strdup(a, line);
	struct listing_rule r = { .where = "", .prefix = "" };
	char *cm = strstr(text, " comment \"");
	if (cm) {
		const char *end;
		r.where = quoted(a, cm + 9, &end);
		*cm = '\0';
	} else if (strncmp(text, "comment \"", 9) == 0) {
		const char *end;
		r.where = quoted(a, text + 8, &end);
		text[0] = '\0';
	}
	r.text = text;
	char *key = arena_strdup(a, text);
	r.prefix = cut(a, key, "log prefix ", true);
	/* counter names follow the chain's number, which says nothing of
	 * what the rule does; whether it counts is in "counter" */
	cut(a, key, "counter name ", false);
	r.key = key;
	ARENA_PUSH(a, c->rules, c->nrules, c->cap);
	c->rules[c->nrules - 1] = r;
}

static void add_elems(struct arena *a, struct listing_set *s, const char *list)
{
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *e = trim(a, p, n);
		if (*e) {
			ARENA_PUSH(a, s->elems, s->nelems, s->cap);
			s->elems[s->nelems - 1] = e;
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

/* The next line of *p, without its newline; NULL at the end. */
static const char *next_line(struct arena *a, const char **p)
{
	if (!**p)
		return NULL;
	size_t n = strcspn(*p, "\n");
	const char *line = trim(a, *p, n);
	*p += n + ((*p)[n] == '\n');
	return line;
}

int listing_parse(struct arena *a, const char *text, struct listing *l)
{
	*l = (struct listing){ .comment = "" };
	const char *p = text, *line;
	while ((line = next_line(a, &p)) && !*line)
		;
	size_t n;
	if (!line || strncmp(line, "table ", 6) != 0 || (n = strlen(line)) < 9 ||
	    strcmp(line + n - 2, " {") != 0)
		return -1;
	l->table = arena_strndup(a, line + 6, n - 8);
	struct listing_chain *chain = NULL;
	struct listing_set *set = NULL;
	bool elems = false;   /* in an elements list that runs over lines */
	bool closed = false;
	while ((line = next_line(a, &p))) {
		if (!*line)
			continue;
		if (closed)
			return -1;   /* one table only */
		if (elems) {
			/* nft breaks the list between elements */
			size_t k = strcspn(line, "}");
			add_elems(a, set, arena_strndup(a, line, k));
			elems = line[k] != '}';
			continue;
		}
		if (strcmp(line, "}") == 0) {
			if (chain || set)
				chain = NULL, set = NULL;
			else
				closed = true;
			continue;
		}
		if (chain) {
			if (strncmp(line, "comment \"", 9) == 0 && chain->nrules == 0) {
				const char *end;
				chain->comment = quoted(a, line + 8, &end);
			} else if (strncmp(line, "type ", 5) == 0 && strstr(line, " hook ") &&
				   chain->nrules == 0) {
				chain->hook = line;
			} else {
				add_rule(a, chain, line);
			}
			continue;
		}
		if (set) {
			if (strncmp(line, "elements = {", 12) == 0) {
				const char *rest = line + 12;
				size_t k = strcspn(rest, "}");
				add_elems(a, set, arena_strndup(a, rest, k));
				elems = rest[k] != '}';
			} else {
				set->head = *set->head ? arena_printf(a, "%s; %s", set->head, line) : line;
			}
			continue;
		}
		if (strncmp(line, "comment \"", 9) == 0) {
			const char *end;
			l->comment = quoted(a, line + 8, &end);
			continue;
		}
		/* KIND NAME { */
		const char *sp = strchr(line, ' ');
		n = strlen(line);
		if (!sp || n < 4 || strcmp(line + n - 2, " {") != 0)
			return -1;
		const char *kind = arena_strndup(a, line, (size_t)(sp - line));
		const char *name = arena_strndup(a, sp + 1, (size_t)(line + n - 2 - sp - 1));
		if (strcmp(kind, "chain") == 0) {
			ARENA_PUSH(a, l->chains, l->nchains, l->capchains);
			chain = &l->chains[l->nchains - 1];
			*chain = (struct listing_chain){ .name = name, .comment = "", .hook = "" };
		} else {
			ARENA_PUSH(a, l->sets, l->nsets, l->capsets);
			set = &l->sets[l->nsets - 1];
			*set = (struct listing_set){ .kind = kind, .name = name, .head = "" };
		}
	}
	return closed && !chain && !set && !elems ? 0 : -1;
}

const struct listing_chain *listing_chain(const struct listing *l, const char *name)
{
	for (int i = 0; i < l->nchains; i++)
		if (strcmp(l->chains[i].name, name) == 0)
			return &l->chains[i];
	return NULL;
}

const struct listing_set *listing_set(const struct listing *l, const char *kind, const char *name)
{
	for (int i = 0; i < l->nsets; i++)
		if (strcmp(l->sets[i].kind, kind) == 0 && strcmp(l->sets[i].name, name) == 0)
			return &l->sets[i];
	return NULL;
}

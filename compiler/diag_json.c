/*
 * diag_json.c - diagnostics as JSON, GitHub workflow commands and SARIF.
 *
 * The three carry what the text carries, minus the source line: the place
 * (file, first and last line and column), severity, stable code, message,
 * notes and the chain of includes.  A record with no place (an unreadable
 * file) gets no location at all.  SARIF counts its endColumn past the last
 * character (SARIF 2.1.0, 3.30.8); JSON and GitHub name the last one.  A
 * silenced warning is in JSON with a "suppressed" mark and in SARIF with
 * its "suppressions" (SARIF 2.1.0, 3.27.23), as the text leaves it out, so
 * does GitHub's.
 */
#include "diag_json.h"
#include "suppress.h"

#include <stdlib.h>
#include <string.h>

#ifndef D6C_VERSION
#define D6C_VERSION "0.0.0"
#endif

/* No public home yet: a reserved name (RFC 2606) until there is one. */
#ifndef D6C_URL
#define D6C_URL "https://d6c.invalid/"
#endif

static const char *const sev_word[] = {
	[DIAG_ERROR] = "error",
	[DIAG_WARNING] = "warning",
	[DIAG_NOTE] = "note",
};

bool diag_format_parse(const char *name, enum diag_format *f)
{
	static const char *const names[] = {
		[DIAG_FORMAT_TEXT] = "text",
		[DIAG_FORMAT_JSON] = "json",
		[DIAG_FORMAT_GITHUB] = "github",
		[DIAG_FORMAT_SARIF] = "sarif",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0) {
			*f = (enum diag_format)i;
			return true;
		}
	return false;
}

static const char *code_of(const struct diag *d)
{
	const struct diag_code_info *ci = diag_code_info(d->code);
	return ci ? ci->code : NULL;
}

/* The last line and column of a span, never before its start. */
static void end_of(struct loc l, int *line, int *col)
{
	*line = l.last_line >= l.first_line ? l.last_line : l.first_line;
	*col = l.last_column;
	if (*line == l.first_line && *col < l.first_column)
		*col = l.first_column;
}

/* ---- JSON ---- */

static void json_place(json_t *o, struct loc l, bool with_end)
{
	if (!l.file) {
		json_object_set_new(o, "file", json_null());
		json_object_set_new(o, "line", json_null());
		json_object_set_new(o, "column", json_null());
		if (with_end) {
			json_object_set_new(o, "end_line", json_null());
			json_object_set_new(o, "end_column", json_null());
		}
		return;
	}
	json_object_set_new(o, "file", json_string(l.file->path));
	json_object_set_new(o, "line", json_integer(l.first_line));
	json_object_set_new(o, "column", json_integer(l.first_column));
	if (with_end) {
		int el, ec;
		end_of(l, &el, &ec);
		json_object_set_new(o, "end_line", json_integer(el));
		json_object_set_new(o, "end_column", json_integer(ec));
	}
}

static json_t *json_includes(struct loc l)
{
	json_t *v = json_array();
	for (const struct src_file *f = l.file; f && f->parent; f = f->parent) {
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(f->parent->path));
		json_object_set_new(o, "line", json_integer(f->included_at.first_line));
		json_object_set_new(o, "column", json_integer(f->included_at.first_column));
		json_array_append_new(v, o);
	}
	return v;
}

static const char *const kind_word[] = {
	[SUPPRESS_IN_SOURCE] = "inSource",   /* SARIF's words, in both formats */
	[SUPPRESS_EXTERNAL] = "external",
};

/* {"kind", "justification"}, the part both formats share; justification
 * only when a reason was given. */
static json_t *suppression_object(const struct suppression *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(kind_word[s->kind]));
	if (s->justification)
		json_object_set_new(o, "justification", json_string(s->justification));
	return o;
}

/* With "file", "line", "column": the directive's place, for a comment. */
static json_t *json_suppressed(const struct suppression *s)
{
	json_t *o = suppression_object(s);
	if (s->kind == SUPPRESS_IN_SOURCE)
		json_place(o, s->loc, false);
	return o;
}

void diag_json_append(json_t *arr, struct diag_list *dl)
{
	diag_sort(dl);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = dl->items[i];
		json_t *o = json_object();
		json_place(o, d->loc, true);
		json_object_set_new(o, "severity", json_string(sev_word[d->sev]));
		const char *code = code_of(d);
		json_object_set_new(o, "code", code ? json_string(code) : json_null());
		json_object_set_new(o, "message", json_string(d->msg));
		json_t *notes = json_array();
		for (const struct diag *n = d->notes; n; n = n->next_note) {
			json_t *no = json_object();
			json_place(no, n->loc, true);
			json_object_set_new(no, "message", json_string(n->msg));
			json_array_append_new(notes, no);
		}
		json_object_set_new(o, "notes", notes);
		json_object_set_new(o, "included_from", json_includes(d->loc));
		if (d->suppressed)
			json_object_set_new(o, "suppressed", json_suppressed(d->suppressed));
		json_array_append_new(arr, o);
	}
}

/* ---- SARIF ---- */

/* A path as a URI reference: bytes outside RFC 3986's unreserved set and
 * '/' are percent-encoded. */
static json_t *uri_of(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *buf = malloc(3 * n + 1);
	if (!buf)
		return json_string(path);
	char *p = buf;
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~/", *s)) {
			*p++ = (char)*s;
		} else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*p = '\0';
	json_t *v = json_string(buf);
	free(buf);
	return v;
}

static json_t *sarif_location(struct loc l, const char *msg)
{
	json_t *loc = json_object();
	json_t *phys = json_object();
	json_t *art = json_object();
	json_object_set_new(art, "uri", uri_of(l.file->path));
	json_object_set_new(phys, "artifactLocation", art);
	if (l.first_line >= 1) {
		int el, ec;
		end_of(l, &el, &ec);
		json_t *r = json_object();
		json_object_set_new(r, "startLine", json_integer(l.first_line));
		json_object_set_new(r, "startColumn", json_integer(l.first_column >= 1 ? l.first_column : 1));
		json_object_set_new(r, "endLine", json_integer(el));
		json_object_set_new(r, "endColumn", json_integer(ec >= 1 ? ec + 1 : 2));
		json_object_set_new(phys, "region", r);
	}
	json_object_set_new(loc, "physicalLocation", phys);
	if (msg) {
		json_t *m = json_object();
		json_object_set_new(m, "text", json_string(msg));
		json_object_set_new(loc, "message", m);
	}
	return loc;
}

static json_t *sarif_suppressions(const struct suppression *s)
{
	json_t *o = suppression_object(s);
	if (s->kind == SUPPRESS_IN_SOURCE)
		json_object_set_new(o, "location", sarif_location(s->loc, NULL));
	json_t *v = json_array();
	json_array_append_new(v, o);
	return v;
}

void diag_sarif_append(json_t *results, struct diag_list *dl)
{
	diag_sort(dl);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = dl->items[i];
		json_t *r = json_object();
		const char *code = code_of(d);
		if (code) {
			json_object_set_new(r, "ruleId", json_string(code));
			json_object_set_new(r, "ruleIndex", json_integer((json_int_t)d->code - 1));
		}
		json_object_set_new(r, "level", json_string(sev_word[d->sev]));
		json_t *m = json_object();
		json_object_set_new(m, "text", json_string(d->msg));
		json_object_set_new(r, "message", m);
		if (d->loc.file) {
			json_t *locs = json_array();
			json_array_append_new(locs, sarif_location(d->loc, NULL));
			json_object_set_new(r, "locations", locs);
		}
		json_t *rel = json_array();
		int id = 0;
		for (const struct diag *n = d->notes; n; n = n->next_note) {
			if (!n->loc.file)
				continue;
			json_t *l = sarif_location(n->loc, n->msg);
			json_object_set_new(l, "id", json_integer(id++));
			json_array_append_new(rel, l);
		}
		/* The includes that lead to the record, as the text's "In file included from". */
		for (const struct src_file *f = d->loc.file; f && f->parent; f = f->parent) {
			json_t *l = sarif_location(f->included_at, "in the file included from here");
			json_object_set_new(l, "id", json_integer(id++));
			json_array_append_new(rel, l);
		}
		if (json_array_size(rel) > 0)
			json_object_set_new(r, "relatedLocations", rel);
		else
			json_decref(rel);
		if (d->suppressed)
			json_object_set_new(r, "suppressions", sarif_suppressions(d->suppressed));
		json_array_append_new(results, r);
	}
}

json_t *diag_sarif_log(json_t *results)
{
	json_t *rules = json_array();
	for (int c = DC_NONE + 1; c < DC_COUNT; c++) {
		const struct diag_code_info *ci = diag_code_info((enum diag_code)c);
		json_t *rule = json_object();
		json_object_set_new(rule, "id", json_string(ci->code));
		json_t *sd = json_object();
		json_object_set_new(sd, "text", json_string(ci->explanation));
		json_object_set_new(rule, "shortDescription", sd);
		json_t *dc = json_object();
		json_object_set_new(dc, "level", json_string(sev_word[ci->sev]));
		json_object_set_new(rule, "defaultConfiguration", dc);
		json_array_append_new(rules, rule);
	}
	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("d6c"));
	json_object_set_new(driver, "version", json_string(D6C_VERSION));
	json_object_set_new(driver, "informationUri", json_string(D6C_URL));
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);
	json_t *run = json_object();
	json_object_set_new(run, "tool", tool);
	json_object_set_new(run, "results", results);
	json_t *runs = json_array();
	json_array_append_new(runs, run);
	json_t *log = json_object();
	json_object_set_new(log, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(log, "version", json_string("2.1.0"));
	json_object_set_new(log, "runs", runs);
	return log;
}

/* ---- GitHub workflow commands ---- */

/* GitHub's escaping: % CR LF always; ':' and ',' too in a property value. */
static void gh_escape(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ':': property ? fputs("%3A", out) : fputc(':', out); break;
		case ',': property ? fputs("%2C", out) : fputc(',', out); break;
		default: fputc(*s, out);
		}
	}
}

void diag_github_print(FILE *to, struct diag_list *dl)
{
	diag_sort(dl);
	FILE *out = diag_buffered(to);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = dl->items[i];
		if (d->suppressed)
			continue;
		fprintf(out, "::%s", d->sev == DIAG_ERROR ? "error" : d->sev == DIAG_WARNING ? "warning" : "notice");
		const char *sep = " ";
		if (d->loc.file) {
			int el, ec;
			end_of(d->loc, &el, &ec);
			fputs(" file=", out);
			gh_escape(out, d->loc.file->path, true);
			fprintf(out, ",line=%d,col=%d,endLine=%d,endColumn=%d", d->loc.first_line,
				d->loc.first_column, el, ec);
			sep = ",";
		}
		const char *code = code_of(d);
		if (code) {
			fprintf(out, "%stitle=", sep);
			gh_escape(out, code, true);
		}
		fputs("::", out);
		gh_escape(out, d->msg, false);
		for (const struct src_file *f = d->loc.file; f && f->parent; f = f->parent) {
			char *s = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&s, &len);
			if (!m)
				continue;
			fprintf(m, "\nIn file included from %s:%d:%d", f->parent->path,
				f->included_at.first_line, f->included_at.first_column);
			fclose(m);
			gh_escape(out, s, false);
			free(s);
		}
		for (const struct diag *n = d->notes; n; n = n->next_note) {
			char *s = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&s, &len);
			if (!m)
				continue;
			if (n->loc.file)
				fprintf(m, "\n%s:%d:%d: note: %s", n->loc.file->path, n->loc.first_line,
					n->loc.first_column, n->msg);
			else
				fprintf(m, "\nnote: %s", n->msg);
			fclose(m);
			gh_escape(out, s, false);
			free(s);
		}
		fputc('\n', out);
	}
	diag_buffered_end(out, to);
}

/*
 * lookalike.h - characters that look like one of the language's ASCII
 * ones: a dash pasted from a document, a typographic quote, a no-break
 * space.  The scanner names them ("U+2013 (en dash); did you mean '-'?",
 * as rustc does) and reads on as if the ASCII one stood there, so one
 * pasted character costs one error.
 */
#ifndef D6C_LOOKALIKE_H
#define D6C_LOOKALIKE_H

struct lookalike {
	long cp;
	const char *name;   /* Unicode's name, lower case */
	char ascii;         /* what was meant; ' ' a blank, '\0' nothing (invisible) */
};

/* The entry of code point cp, or NULL when it looks like nothing of ours. */
const struct lookalike *lookalike_find(long cp);

#endif

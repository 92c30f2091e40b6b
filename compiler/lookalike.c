/*
 * lookalike.c - the table of characters mistaken for ASCII (lookalike.h).
 *
 * Only characters a word processor, a web page or a keyboard layout puts
 * in place of ours; ':' and '.' of addresses are left out, since reading
 * on with them would judge an address the administrator did not write.
 */
#include "lookalike.h"

#include <stddef.h>

static const struct lookalike table[] = {
	{ 0x00a0, "no-break space", ' ' },
	{ 0x2002, "en space", ' ' },
	{ 0x2003, "em space", ' ' },
	{ 0x2009, "thin space", ' ' },
	{ 0x200b, "zero width space", '\0' },
	{ 0x202f, "narrow no-break space", ' ' },
	{ 0x3000, "ideographic space", ' ' },
	{ 0xfeff, "byte order mark", '\0' },
	{ 0x2010, "hyphen", '-' },
	{ 0x2011, "non-breaking hyphen", '-' },
	{ 0x2012, "figure dash", '-' },
	{ 0x2013, "en dash", '-' },
	{ 0x2014, "em dash", '-' },
	{ 0x2212, "minus sign", '-' },
	{ 0x2018, "left single quotation mark", '"' },
	{ 0x2019, "right single quotation mark", '"' },
	{ 0x201c, "left double quotation mark", '"' },
	{ 0x201d, "right double quotation mark", '"' },
	{ 0x201e, "double low-9 quotation mark", '"' },
	{ 0x037e, "greek question mark", ';' },
	{ 0xff1b, "fullwidth semicolon", ';' },
	{ 0xff0c, "fullwidth comma", ',' },
	{ 0x201a, "single low-9 quotation mark", ',' },
	{ 0x2039, "single left-pointing angle quotation mark", '<' },
	{ 0x203a, "single right-pointing angle quotation mark", '>' },
	{ 0xff1c, "fullwidth less-than sign", '<' },
	{ 0xff1e, "fullwidth greater-than sign", '>' },
	{ 0x2044, "fraction slash", '/' },
	{ 0x2215, "division slash", '/' },
};

const struct lookalike *lookalike_find(long cp)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].cp == cp)
			return &table[i];
	return NULL;
}

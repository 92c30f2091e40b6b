/*
 * record.c - the line in d6c's table comment that says where it came from
 * (record.h).  Pure: text in, text out.
 */
#include "record.h"
#include "arena.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void record_format(struct table_record *r, char *out, size_t outlen)
{
	char opts[80] = "";
	size_t n = 0;
	if (r->has_priority)
		n += (size_t)snprintf(opts + n, sizeof(opts) - n, " p=%d", r->priority);
	if (r->mask)
		n += (size_t)snprintf(opts + n, sizeof(opts) - n, " m=0x%" PRIx32 "/0x%" PRIx32,
				      r->mark, r->mask);
	if (r->counters)
		snprintf(opts + n, sizeof(opts) - n, " c");
	char head[160];
	int len = snprintf(head, sizeof(head), RECORD_MAGIC " %s %s %s%s ", r->version,
			   r->applied, r->hash, opts);
	size_t room = RECORD_MAX - 1 > (size_t)len ? RECORD_MAX - 1 - (size_t)len : 0;
	size_t plen = strlen(r->policy);
	r->shortened = plen > room;
	if (r->shortened) {
		/* keep the file's name: "..." and the right end */
		char tail[RECORD_MAX];
		size_t keep = room > 3 ? room - 3 : 0;
		snprintf(tail, sizeof(tail), "...%s", r->policy + plen - keep);
		snprintf(r->policy, sizeof(r->policy), "%s", tail);
	}
	snprintf(out, outlen, "%s%s", head, r->policy);
}

/* The next space-separated word of *s into w; false at the end. */
static bool word(const char **s, char *w, size_t wlen)
{
	const char *p = *s;
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, " ");
	if (n == 0 || n >= wlen)
		return false;
	memcpy(w, p, n);
	w[n] = '\0';
	*s = p + n;
	return true;
}

static bool is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

int record_parse(const char *comment, struct table_record *r)
{
	*r = (struct table_record){ 0 };
	const char *s = comment;
	char w[RECORD_MAX];
	if (!word(&s, w, sizeof(w)) || strcmp(w, RECORD_MAGIC) != 0)
		return -1;
	if (!word(&s, r->version, sizeof(r->version)) ||
	    !word(&s, r->applied, sizeof(r->applied)) || record_time_parse(r->applied) < 0 ||
	    !word(&s, r->hash, sizeof(r->hash)) || !is_hex(r->hash, RECORD_HASH_HEX))
		return -1;
	for (;;) {
		while (*s == ' ')
			s++;
		char *end;
		if (strncmp(s, "p=", 2) == 0) {
			long v = strtol(s + 2, &end, 10);
			if (end == s + 2 || *end != ' ')
				return -1;
			r->has_priority = true;
			r->priority = (int)v;
			s = end;
		} else if (strncmp(s, "m=", 2) == 0) {
			unsigned long long mark = strtoull(s + 2, &end, 0), mask;
			if (*end != '/')
				return -1;
			const char *m = end + 1;
			mask = strtoull(m, &end, 0);
			if (end == m || *end != ' ' || mark > UINT32_MAX || mask > UINT32_MAX)
				return -1;
			r->mark = (uint32_t)mark;
			r->mask = (uint32_t)mask;
			s = end;
		} else if (strncmp(s, "c ", 2) == 0) {
			r->counters = true;
			s++;
		} else {
			break;
		}
	}
	if (!*s || strlen(s) >= sizeof(r->policy))
		return -1;
	snprintf(r->policy, sizeof(r->policy), "%s", s);
	r->shortened = strncmp(s, "...", 3) == 0;
	return 0;
}

void record_hash(const char *script, char out[RECORD_HASH_HEX + 1])
{
	const char *p = script;
	while (*p == '#' || *p == '\n') {
		const char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (!EVP_Digest(p, strlen(p), md, &mdlen, EVP_sha256(), NULL) || mdlen < 8)
		memset(md, 0, 8);   /* not reached: SHA-256 of memory cannot fail */
	for (int i = 0; i < RECORD_HASH_HEX / 2; i++)
		snprintf(out + (size_t)2 * (size_t)i, 3, "%02x", md[i]);
}

char *record_insert(const char *script, const char *table, const char *comment)
{
	char open[160];
	snprintf(open, sizeof(open), "\ntable inet %s {\n", table);
	const char *at = strstr(script, open);
	if (!at)
		return NULL;
	at += strlen(open);
	size_t head = (size_t)(at - script), tail = strlen(at);
	size_t n = head + strlen(comment) + tail + 64;
	char *out = xmalloc(n);
	snprintf(out, n, "%.*s\tchain " RECORD_CHAIN " {\n\t\treturn comment \"%s\"\n\t}\n\n%s",
		 (int)head, script, comment, at);
	return out;
}

int record_take(char *listing, char *comment, size_t len)
{
	comment[0] = '\0';
	char *at = strstr(listing, "\tchain " RECORD_CHAIN " {\n");
	if (!at)
		return -1;
	char *end = strstr(at, "\n\t}\n");
	if (!end)
		return -1;
	end += 4;
	const char *c = strstr(at, "comment \"");
	if (c && c < end) {
		c += 9;
		size_t n = strcspn(c, "\"\n");
		snprintf(comment, len, "%.*s", (int)n, c);
	}
	/* the blank line that parts it from the next block, or from the last */
	if (*end == '\n')
		end++;
	else if (at > listing + 1 && at[-1] == '\n' && at[-2] == '\n')
		at--;
	memmove(at, end, strlen(end) + 1);
	return comment[0] ? 0 : -1;
}

void record_time(long long t, char out[24])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 24, "1970-01-01T00:00:00Z");
}

long long record_time_parse(const char *s)
{
	struct tm tm = { 0 };
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return -1;
	return (long long)timegm(&tm);
}

/*
 * applied.c - the last committed script beside the table (applied.h).
 *
 * The file: one line `d6c-applied VERSION NETNS GENERATION FINGERPRINT`,
 * then the script.  NETNS is the namespace's cookie: the file is named by
 * its inode number, which a namespace made later may get again, and there
 * the generation counts commits of its own.
 * It is written to a temporary name and renamed, so a reader sees the
 * whole of one or the other.
 */
#include "applied.h"
#include "apply.h"
#include "compiler/arena.h"
#include "compiler/delta.h"
#include "compiler/source.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "d6c-applied "

/* delta_script() with DELTA_HEADER in front, and what it does or why
 * there is none in how. */
static char *named_delta(const char *from, const char *script, char *how, size_t howlen)
{
	struct delta_stats st;
	const char *why;
	char *d = delta_script(from, script, &st, &why), *out = d;
	if (d && *d) {   /* named, for nft's messages and tests/fault */
		size_t n = strlen(d) + sizeof(DELTA_HEADER);
		out = xmalloc(n);
		snprintf(out, n, DELTA_HEADER "%s", d);
		free(d);
	}
	if (out)
		delta_describe(&st, how, (int)howlen);
	else
		snprintf(how, howlen, "%s", why);
	return out;
}

char *applied_delta_listed(const char *listing, const char *script, char *how, size_t howlen)
{
	char why[256], what[256];
	snprintf(why, sizeof(why), "%s", how);
	char *out = named_delta(listing, script, what, sizeof(what));
	if (out)
		snprintf(how, howlen, "%s; from the table as listed, as %s", what, why);
	else if (strcmp(what, "a script could not be read") != 0)
		snprintf(how, howlen, "%s", what);
	return out;
}

char *applied_delta(const char *path, const char *table, const char *version, const char *script,
		    char *how, size_t howlen)
{
	/* read as policy files are: a regular file, whole, not changing */
	struct arena a;
	arena_init(&a);
	struct src_fault fault;
	struct src_file *file = src_read_file(&a, path, (size_t)1 << 31, &fault);
	const char *kept = file ? file->text : NULL;
	char *out = NULL;
	char fp[FINGERPRINT_HEX], err[512], head[160];
	const char *nl = kept ? strchr(kept, '\n') : NULL;
	const char *word = NULL, *nss = NULL, *gens = NULL, *was = NULL;
	char *save, *end = NULL;
	uint32_t now;
	if (kept && nl && (size_t)(nl - kept) < sizeof(head) &&
	    strncmp(kept, MAGIC, strlen(MAGIC)) == 0) {
		snprintf(head, sizeof(head), "%.*s", (int)(nl - kept - (long)strlen(MAGIC)),
			 kept + strlen(MAGIC));
		word = strtok_r(head, " ", &save);
		nss = word ? strtok_r(NULL, " ", &save) : NULL;
		gens = nss ? strtok_r(NULL, " ", &save) : NULL;
		was = gens ? strtok_r(NULL, " ", &save) : NULL;
	}
	char *end2 = NULL;
	unsigned long long ns = nss ? strtoull(nss, &end2, 10) : 0;
	unsigned long gen = gens ? strtoul(gens, &end, 10) : 0;
	if (!was || !end || *end || !end2 || *end2 || strlen(was) != FINGERPRINT_HEX - 1) {
		snprintf(how, howlen, "no record of d6c's last commit");
		goto out;
	}
	if (strcmp(word, version) != 0) {
		snprintf(how, howlen, "the last commit was by d6c %s", word);
		goto out;
	}
	if (fingerprint_generation(&now, err, sizeof(err)) != 0) {
		snprintf(how, howlen, "%s", err);
		goto out;
	}
	/* no commit since, in this very namespace: the table is as kept */
	uint64_t here = fingerprint_netns();
	if (now != gen || !here || here != ns) {   /* else: was ours among them? */
		switch (fingerprint_table(table, fp, err, sizeof(err))) {
		case FP_FAILED:
			snprintf(how, howlen, "%s", err);
			goto out;
		case FP_ABSENT:
			snprintf(how, howlen, "no table in force");
			goto out;
		case FP_TABLE:
			break;
		}
		if (strcmp(fp, was) != 0) {
			snprintf(how, howlen, "the table was changed since d6c's last commit");
			goto out;
		}
	}
	out = named_delta(nl + 1, script, how, howlen);
out:
	arena_free(&a);
	return out;
}

void applied_mark(struct applied_before *b)
{
	char err[512];
	b->known = fingerprint_generation(&b->gen, err, sizeof(err)) == 0;
	b->netns = fingerprint_netns();
}

void applied_keep(const char *path, const char *table, const char *version, const char *script,
		  const struct applied_before *before, bool committed)
{
	char fp[FINGERPRINT_HEX], err[512];
	uint32_t gen;
	/* the generation after the fingerprint: one more than before (the
	 * same, when nothing was committed), or the fingerprint may hold
	 * another's commit (and the next apply would think it d6c's) */
	if (!before->known || fingerprint_table(table, fp, err, sizeof(err)) != FP_TABLE ||
	    fingerprint_generation(&gen, err, sizeof(err)) != 0 ||
	    gen != before->gen + (committed ? 1 : 0)) {
		unlink(path);
		return;
	}
	size_t n = strlen(path) + 8;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.new", path);
	FILE *f = fopen(tmp, "w");
	bool ok = f && fprintf(f, MAGIC "%s %llu %lu %s\n", version,
			       (unsigned long long)before->netns, (unsigned long)gen, fp) > 0 &&
		  fputs(script, f) >= 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		unlink(path);
	}
	free(tmp);
}

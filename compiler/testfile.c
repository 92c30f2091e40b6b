/*
 * testfile.c - parsing test files and checking their expectations.
 *
 * expect := 'expect' PACKET VERDICT ';'
 *
 * Recovery is at ';' or at the next 'expect', so one mistake costs one
 * error and a forgotten ';' does not swallow the next expectation.
 */
#include "testfile.h"
#include "arena.h"
#include "explain.h"
#include "misspell.h"
#include "packet.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool verdict_of(const struct pkt_word *w, enum verdict *v)
{
	for (int i = VERDICT_ACCEPT; i <= VERDICT_REJECT; i++)
		if (pkt_word_is(w, eval_verdict_word[i])) {
			*v = (enum verdict)i;
			return true;
		}
	return false;
}

static bool ends_packet(const struct pkt_word *w)
{
	enum verdict v;
	return pkt_word_is(w, ";") || pkt_word_is(w, "expect") || verdict_of(w, &v) ||
	       pkt_word_is(w, "allow") || pkt_word_is(w, "deny");
}

/* Skips to just after the next ';', or to just before the next 'expect'. */
static void recover(struct pkt_lexer *lx)
{
	struct pkt_word w;
	while (pkt_peek(lx, &w)) {
		if (pkt_word_is(&w, "expect"))
			return;
		pkt_next(lx, &w);
		if (pkt_word_is(&w, ";"))
			return;
	}
}

static const char *word(struct arena *a, const struct pkt_word *w)
{
	return w->len <= 60 ? arena_strndup(a, w->s, w->len)
			    : arena_printf(a, "%.57s...", w->s);
}

/* What a line that does not start with 'expect' most likely meant. */
static const char *not_expect_hint(struct arena *a, const struct pkt_word *w)
{
	if (pkt_word_is(w, "ping") || pkt_word_is(w, "echo"))
		return " (a ping is: expect icmp SRC -> DST type echo-request VERDICT;)";
	struct misspell m;
	misspell_init(&m, word(a, w));
	misspell_offer(&m, "expect");
	return m.best ? "; did you mean 'expect'?" : "";
}

void testfile_parse(struct arena *a, struct diag_list *dl, const struct src_file *f,
		 struct testfile *t)
{
	struct pkt_lexer lx;
	pkt_lexer_init(&lx, f);
	size_t cap = 0, n = 0;
	struct pkt_word w;
	memset(t, 0, sizeof(*t));
	while (pkt_next(&lx, &w)) {
		if (pkt_word_is(&w, ";"))
			continue;
		if (!pkt_word_is(&w, "expect")) {
			diag_error(dl, DC_TEST_EXPECT, w.loc, "expected 'expect PACKET VERDICT;', not '%s'%s",
				   word(a, &w), not_expect_hint(a, &w));
			recover(&lx);
			continue;
		}
		struct testfile_case c;
		if (!pkt_parse(a, dl, &lx, ends_packet, &c.pkt, &c.loc)) {
			recover(&lx);
			continue;
		}
		struct loc end = c.loc;
		end.first_line = end.last_line;
		end.first_column = end.last_column = end.last_column + 1;
		/* w still holds this statement's 'expect' when the file ends here:
		 * going back to it would parse the same statement forever. */
		bool more = pkt_next(&lx, &w);
		if (!more || pkt_word_is(&w, ";") || pkt_word_is(&w, "expect")) {
			diag_error(dl, DC_TEST_VERDICT_MISSING, end, "the expected verdict is missing after the packet "
				   "(accept, drop or reject)");
			if (more && pkt_word_is(&w, "expect"))
				lx = (struct pkt_lexer){ lx.f, (size_t)(w.s - f->text), lx.end,
							 w.loc.first_line, w.loc.first_column };
			continue;
		}
		if (!verdict_of(&w, &c.want)) {
			const char *hint = pkt_word_is(&w, "allow") ? "; did you mean 'accept'?"
					   : pkt_word_is(&w, "deny") ? "; did you mean 'drop'?" : "";
			diag_error(dl, DC_TEST_VERDICT, w.loc, "'%s' is not a verdict: expected accept, drop or "
				   "reject%s", word(a, &w), hint);
			recover(&lx);
			continue;
		}
		struct pkt_word semi;
		if (!pkt_peek(&lx, &semi) || !pkt_word_is(&semi, ";")) {
			struct loc at = w.loc;
			at.first_column = at.last_column = w.loc.last_column + 1;
			if (pkt_peek(&lx, &semi) && !pkt_word_is(&semi, "expect"))
				diag_error(dl, DC_TEST_SEMICOLON, semi.loc, "';' expected after the verdict, not '%s'",
					   word(a, &semi));
			else
				diag_error(dl, DC_TEST_SEMICOLON, at, "';' expected after the verdict");
			recover(&lx);
		} else {
			pkt_next(&lx, &semi);
		}
		ARENA_PUSH(a, t->v, n, cap);
		t->v[n - 1] = c;
		t->n = (int)n;
	}
}

/* The place that decided r, for the note. */
static struct loc decided_at(const struct eval_result *r)
{
	if (r->reason == EVAL_UNPROTECTED)
		return (struct loc){ 0 };
	if (r->reason == EVAL_FORGED)
		return r->src_block->loc;
	if (r->reason == EVAL_RULE)
		return r->rule->loc;
	if (r->reason == EVAL_DEFAULT)
		return r->block->default_loc;
	return r->block->loc;
}

static void note_decider(struct arena *a, struct diag_list *dl, struct diag *d,
			 const struct eval_result *r)
{
	if (r->reason == EVAL_UNPROTECTED)
		return;
	const char *what = r->reason == EVAL_FORGED ? "the block whose source check drops it"
			 : r->reason == EVAL_RULE ? "the rule that decides it"
			 : r->reason == EVAL_INVALID ? "the block that drops it as invalid"
			 : r->block->has_default ? "the default that decides it"
			 : "the block whose default (drop) decides it";
	diag_note(dl, d, decided_at(r), "%s", what);
	(void)a;
}

int testfile_check(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
		   const struct testfile *t, int kernel)
{
	int failed = 0;
	for (int i = 0; i < t->n; i++) {
		const struct testfile_case *c = &t->v[i];
		struct eval_result r = eval_packet(pol, &c->pkt, kernel);
		if (r.verdict == c->want)
			continue;
		failed++;
		struct diag *d = diag_error(dl, DC_TEST_FAILED, c->loc, "expected %s, got %s: %s",
					    eval_verdict_word[c->want],
					    explain_verdict(a, &c->pkt, &r), explain_decider(a, &r));
		note_decider(a, dl, d, &r);
	}
	return failed;
}

int testfile_check_kernel(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
			  const struct testfile *t, const enum outcome *got,
			  const char *backend, int kernel)
{
	int failed = 0;
	for (int i = 0; i < t->n; i++) {
		const struct testfile_case *c = &t->v[i];
		enum outcome want = outcome_expected(&c->pkt, c->want);
		if (got[i] == want)
			continue;
		failed++;
		struct eval_result r = eval_packet(pol, &c->pkt, kernel);
		struct diag *d = diag_error(dl, DC_TEST_KERNEL, c->loc, "expected %s, the kernel gave %s through "
					    "the %s ruleset", outcome_name(want),
					    outcome_name(got[i]), backend);
		if (outcome_expected(&c->pkt, r.verdict) == got[i]) {
			note_decider(a, dl, d, &r);
		} else {
			/* The policy says one thing and its ruleset does another. */
			diag_note(dl, d, decided_at(&r),
				  "the policy says %s, %s; its compiled ruleset does not agree: "
				  "this is a bug in d6c, please report it",
				  explain_verdict(a, &c->pkt, &r), explain_decider(a, &r));
		}
	}
	return failed;
}

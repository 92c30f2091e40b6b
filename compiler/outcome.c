/*
 * outcome.c - verdicts as a kernel shows them: see outcome.h.
 */
#include "outcome.h"

static const char *const outcome_names[] = {
	[OUTCOME_ACCEPT] = "accept",
	[OUTCOME_DROP] = "drop",
	[OUTCOME_RESET] = "reject (tcp reset)",
	[OUTCOME_ADMIN_PROHIBITED] = "reject (admin-prohibited)",
	[OUTCOME_OTHER] = "other answer",
};

enum outcome outcome_expected(const struct pkt *p, enum verdict v)
{
	switch (v) {
	case VERDICT_ACCEPT:
		return OUTCOME_ACCEPT;
	case VERDICT_DROP:
		return OUTCOME_DROP;
	case VERDICT_REJECT:
		break;
	}
	return p->proto == PKT_TCP ? OUTCOME_RESET : OUTCOME_ADMIN_PROHIBITED;
}

const char *outcome_name(enum outcome o)
{
	return (unsigned)o < sizeof(outcome_names) / sizeof(outcome_names[0]) ? outcome_names[o]
									      : "?";
}

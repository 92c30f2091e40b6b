/*
 * sema_log.c - the options of `log`: limit, burst and group, per rule and
 * for the whole policy.
 *
 * The option words are no keywords (a define may still be called limit or
 * group): the parser hands over each word with its value as written, and
 * this file says what is wrong with them, with a suggestion for a
 * misspelled word.  A log's options are taken over the policy's (every
 * top-level `log ...;`, read before any rule, wherever it stands), and
 * those over d6c's defaults (LOG_DEFAULT_RATE a second, burst
 * LOG_DEFAULT_BURST, the kernel log).  The bounds are nftables' and the
 * kernel's (nft_limit.c): a value past them would be refused at load time,
 * or worse, accepted and not limit.
 */
#include "sema_impl.h"
#include "misspell.h"

#include <stdint.h>
#include <string.h>

const char *const sema_log_unit[] = {
	[LOG_SECOND] = "second",
	[LOG_MINUTE] = "minute",
	[LOG_HOUR] = "hour",
};

/* The plural reads better after a number above one: 10/minutes. */
static const struct {
	const char *word;
	enum log_unit unit;
} units[] = {
	{ "second", LOG_SECOND }, { "minute", LOG_MINUTE }, { "hour", LOG_HOUR },
	{ "seconds", LOG_SECOND }, { "minutes", LOG_MINUTE }, { "hours", LOG_HOUR },
};

/* The kernel charges a packet unit/rate nanoseconds, a whole number: at a
 * faster rate a packet costs nothing and the limit lets everything by. */
static const uint64_t unit_ns[] = {
	[LOG_SECOND] = 1000000000ull,
	[LOG_MINUTE] = 60ull * 1000000000ull,
	[LOG_HOUR] = 3600ull * 1000000000ull,
};

#define MAX_GROUP 65535

bool sema_log_equal(const struct log_spec *x, const struct log_spec *y)
{
	return x->rate == y->rate && x->group == y->group &&
	       (x->rate == 0 || (x->unit == y->unit && x->burst == y->burst));
}

/* One log's options, each checked; NULL where the log does not set it. */
struct log_opts {
	const struct ast_log_opt *limit, *burst, *group;
	bool none;                 /* limit none */
	uint64_t rate;
	enum log_unit unit;
	uint32_t nburst;
	int ngroup;
	bool bad;
};

static const char *const option_words[] = { "limit", "burst", "group" };

static void unknown_option(struct sema *s, struct log_opts *o, const struct ast_log_opt *opt)
{
	struct misspell m;
	misspell_init(&m, opt->word);
	for (size_t i = 0; i < sizeof(option_words) / sizeof(option_words[0]); i++)
		misspell_offer(&m, option_words[i]);
	if (m.best)
		diag_error(s->dl, DC_LOG_OPTION, opt->word_loc, "'%s' is not a log option (limit, "
			   "burst or group); did you mean '%s'?", opt->word, m.best);
	else
		diag_error(s->dl, DC_LOG_OPTION, opt->word_loc, "'%s' is not a log option: write "
			   "limit RATE [burst N], limit none, or group N", opt->word);
	o->bad = true;
}

/* Each option once in one log: a second one is an error at it. */
static bool once(struct sema *s, struct log_opts *o, const struct ast_log_opt **slot,
		 const struct ast_log_opt *opt)
{
	if (!*slot) {
		*slot = opt;
		return true;
	}
	struct diag *d = diag_error(s->dl, DC_LOG_TWICE, opt->word_loc,
				    "'%s' is given twice in this log; give it once", opt->word);
	diag_note(s->dl, d, (*slot)->word_loc, "the first '%s' is here", opt->word);
	o->bad = true;
	return false;
}

static bool read_unit(struct sema *s, const struct ast_log_opt *opt, enum log_unit *unit)
{
	struct misspell m;
	misspell_init(&m, opt->name);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(opt->name, units[i].word) == 0) {
			*unit = units[i].unit;
			return true;
		}
		misspell_offer(&m, units[i].word);
	}
	if (m.best)
		diag_error(s->dl, DC_LOG_UNIT, opt->unit_loc, "unknown unit '%s' (second, minute "
			   "or hour); did you mean '%s'?", opt->name, m.best);
	else
		diag_error(s->dl, DC_LOG_UNIT, opt->unit_loc, "unknown unit '%s': a rate is per "
			   "second, minute or hour", opt->name);
	return false;
}

/* limit N/UNIT | limit none */
static void read_limit(struct sema *s, struct log_opts *o, const struct ast_log_opt *opt)
{
	if (opt->arg == LOGARG_WORD && strcmp(opt->name, "none") == 0) {
		o->none = true;
		return;
	}
	if (opt->arg == LOGARG_NUMBER) {
		diag_error(s->dl, DC_LOG_UNIT, opt->arg_loc, "a rate needs a unit: write %lu/second, "
			   "%lu/minute or %lu/hour", opt->num, opt->num, opt->num);
		o->bad = true;
		return;
	}
	if (opt->arg == LOGARG_WORD) {
		struct misspell m;
		misspell_init(&m, opt->name);
		misspell_offer(&m, "none");
		diag_error(s->dl, DC_LOG_OPTION, opt->arg_loc, "'limit' takes a rate, e.g. limit "
			   "5/second, or none%s%s%s", m.best ? "; did you mean '" : "",
			   m.best ? m.best : "", m.best ? "'?" : "");
		o->bad = true;
		return;
	}
	if (!read_unit(s, opt, &o->unit)) {
		o->bad = true;
		return;
	}
	o->rate = opt->num;
	if (o->rate == 0) {
		diag_error(s->dl, DC_LOG_RATE, opt->arg_loc, "a rate of 0 would log nothing after "
			   "the burst; to log nothing, leave 'log' out; for no limit, write limit none");
		o->bad = true;
	} else if (o->rate > unit_ns[o->unit]) {
		diag_error(s->dl, DC_LOG_RATE, opt->arg_loc, "rate %lu/%s is more than nftables can "
			   "limit (at most 1000000000/second, 60000000000/minute or 3600000000000/hour: "
			   "the kernel charges each packet whole nanoseconds); for no limit, write "
			   "limit none", opt->num, opt->name);
		o->bad = true;
	}
}

/* burst N | group N: the value must be a number (its range is the caller's). */
static bool read_number(struct sema *s, struct log_opts *o, const struct ast_log_opt *opt,
			const char *what)
{
	if (opt->arg == LOGARG_NUMBER)
		return true;
	diag_error(s->dl, DC_LOG_OPTION, opt->arg_loc, "'%s' takes %s", opt->word, what);
	o->bad = true;
	return false;
}

static void read_option(struct sema *s, struct log_opts *o, const struct ast_log_opt *opt)
{
	if (strcmp(opt->word, "limit") == 0) {
		if (once(s, o, &o->limit, opt))
			read_limit(s, o, opt);
	} else if (strcmp(opt->word, "burst") == 0) {
		if (!once(s, o, &o->burst, opt) ||
		    !read_number(s, o, opt, "a number of packets, e.g. burst 10"))
			return;
		if (opt->num == 0 || opt->num > UINT32_MAX) {
			diag_error(s->dl, DC_LOG_BURST, opt->arg_loc, "burst %lu is out of range "
				   "(1-4294967295 packets)", opt->num);
			o->bad = true;
		}
		o->nburst = (uint32_t)opt->num;
	} else if (strcmp(opt->word, "group") == 0) {
		if (!once(s, o, &o->group, opt) ||
		    !read_number(s, o, opt, "an nflog group number 0-65535"))
			return;
		if (opt->num > MAX_GROUP) {
			diag_error(s->dl, DC_LOG_GROUP, opt->arg_loc, "nflog group %lu is out of range "
				   "(0-65535)", opt->num);
			o->bad = true;
		}
		o->ngroup = (int)(opt->num > MAX_GROUP ? 0 : opt->num);
	} else {
		unknown_option(s, o, opt);
	}
}

/* A burst belongs to a limit it can fill: one of the log's own, with a
 * rate, and small enough that the kernel's bucket (burst packets of
 * unit/rate nanoseconds each, 64 bits) holds it. */
static void check_burst(struct sema *s, struct log_opts *o)
{
	if (!o->burst || o->bad)
		return;
	if (!o->limit || o->none) {
		diag_error(s->dl, DC_LOG_OPTION, o->burst->word_loc, o->none
			   ? "'limit none' logs every packet: a burst has no meaning there"
			   : "'burst' belongs to a limit: write limit RATE burst %u", o->nburst);
		o->bad = true;
		return;
	}
	uint64_t cost = unit_ns[o->unit] / o->rate;
	uint64_t most = UINT64_MAX / cost;
	if (o->nburst > most) {
		diag_error(s->dl, DC_LOG_BURST, o->burst->arg_loc, "burst %u at %llu/%s is more than "
			   "the kernel's token bucket holds (at most %llu at this rate)", o->nburst,
			   (unsigned long long)o->rate, sema_log_unit[o->unit],
			   (unsigned long long)most);
		o->bad = true;
	}
}

static struct log_opts read_options(struct sema *s, const struct ast_log *log)
{
	struct log_opts o = { .ngroup = -1 };
	for (const struct ast_log_opt *opt = log->head; opt; opt = opt->next)
		read_option(s, &o, opt);
	check_burst(s, &o);
	return o;
}

/* The limit part of o into *out (rate 0: none). */
static void limit_of(const struct log_opts *o, struct log_spec *out)
{
	out->rate = o->none ? 0 : o->rate;
	out->unit = o->unit;
	out->burst = o->burst ? o->nburst : LOG_DEFAULT_BURST;
}

/* A policy-wide option set a second time: an error at the second. */
static bool default_once(struct sema *s, const struct ast_log_opt **first,
			 const struct ast_log_opt *opt)
{
	if (!*first) {
		*first = opt;
		return true;
	}
	struct diag *d = diag_error(s->dl, DC_LOG_DEFAULT_TWICE, opt->word_loc,
				    "the policy's log %s is already set; set it once", opt->word);
	diag_note(s->dl, d, (*first)->loc, "it is set here");
	return false;
}

/* log_default := 'log' log_opt* ';' */
static void read_default(struct sema *s, const struct ast_item *it)
{
	if (!it->log->head) {
		diag_error(s->dl, DC_LOG_OPTION, it->loc, "a 'log' statement sets the policy's log "
			   "options: write log limit RATE [burst N];, log limit none; or log group N;");
		return;
	}
	struct log_opts o = read_options(s, it->log);
	if (o.limit && default_once(s, &s->log_default_limit, o.limit) && !o.bad)
		limit_of(&o, &s->log_default);
	if (o.group && default_once(s, &s->log_default_group, o.group) && !o.bad)
		s->log_default.group = o.ngroup;
}

static void read_defaults(struct sema *s, const struct ast_item *items)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		if (it->kind == ITEM_LOG)
			read_default(s, it);
		else if (it->kind == ITEM_INCLUDE)
			read_defaults(s, it->body);
	}
}

void sema_log_defaults(struct sema *s, const struct ast_item *items)
{
	s->log_default = (struct log_spec){ .rate = LOG_DEFAULT_RATE, .unit = LOG_SECOND,
					    .burst = LOG_DEFAULT_BURST, .group = -1 };
	read_defaults(s, items);
}

bool sema_log_spec(struct sema *s, const struct ast_log *log, struct log_spec *out)
{
	*out = s->log_default;
	struct log_opts o = read_options(s, log);
	if (o.limit)
		limit_of(&o, out);
	if (o.group)
		out->group = o.ngroup;
	return !o.bad;
}

/*
 * explain.c - an eval_result in words, or as JSON.
 *
 * The text form reads top-down the way the kernel decides: the verdict,
 * the rule (or default) that gave it, the block that owns the destination
 * and, when a more specific block took the address from a broader one,
 * which.  Places are printed as notes with a caret so that they look like,
 * and can be clicked like, every other d6c diagnostic.
 */
#include "explain.h"
#include "arena.h"
#include "diag.h"
#include "names.h"
#include "packet.h"

#include <string.h>

static const char *path_of(const struct loc *l)
{
	return l->file ? l->file->path : "<policy>";
}

static const char *place(struct arena *a, const struct loc *l)
{
	return arena_printf(a, "%s:%d", path_of(l), l->first_line);
}

static const char *prefix_text(struct arena *a, const struct sema_prefix *sp)
{
	char buf[ADDR_STRLEN];
	addr_format(&sp->pfx, buf);
	return arena_strdup(a, buf);
}

const char *explain_verdict(struct arena *a, const struct pkt *p, const struct eval_result *r)
{
	const char *v = eval_verdict_word[r->verdict];
	if (r->verdict == VERDICT_REJECT)
		v = arena_printf(a, "reject (%s)", eval_reject_kind(p));
	if (!r->log)
		return v;
	const struct log_spec *ls = r->log_spec;
	const char *limit = ls->rate
		? arena_printf(a, "at most %llu/%s, burst %u", (unsigned long long)ls->rate,
			       sema_log_unit[ls->unit], ls->burst)
		: "no limit";
	if (ls->group >= 0)
		return arena_printf(a, "%s, sent to nflog group %d (%s)", v, ls->group, limit);
	return arena_printf(a, "%s, logged (%s)", v, limit);
}

/* "log": {"group": N or null, "limit": {"rate", "per", "burst"} or null} */
static json_t *log_json(const struct log_spec *ls)
{
	json_t *limit = ls->rate ? json_pack("{s:I, s:s, s:I}", "rate", (json_int_t)ls->rate, "per",
					     sema_log_unit[ls->unit], "burst", (json_int_t)ls->burst)
				 : json_null();
	return json_pack("{s:o, s:o}", "group", ls->group >= 0 ? json_integer(ls->group) : json_null(),
			 "limit", limit);
}

const char *explain_decider(struct arena *a, const struct eval_result *r)
{
	switch (r->reason) {
	case EVAL_FORGED:
		return arena_printf(a, "its source lies in the network at %s but it arrives on "
				    "%s, which does not reach it: a forged source, dropped before "
				    "anything else", place(a, &r->src_block->loc),
				    r->src_block->nvia ? "an interface its `via` does not name"
				    : "an interface the route to it does not use");
	case EVAL_UNPROTECTED:
		return "no block protects the destination";
	case EVAL_INVALID:
		return arena_printf(a, "conntrack calls it invalid (an ICMP error or reply that "
				    "answers no connection), and the block at %s drops those",
				    place(a, &r->block->loc));
	case EVAL_RULE:
		return arena_printf(a, "decided by the rule at %s", place(a, &r->rule->loc));
	case EVAL_DEFAULT:
		if (r->block->has_default)
			return arena_printf(a, "decided by the default at %s",
					    place(a, &r->block->default_loc));
		return arena_printf(a, "decided by the default of the block at %s, which sets "
				    "none: drop", place(a, &r->block->loc));
	}
	return "";
}

static const char *past(enum verdict v)
{
	static const char *const word[] = {
		[VERDICT_ACCEPT] = "accepted", [VERDICT_DROP] = "dropped",
		[VERDICT_REJECT] = "rejected",
	};
	return word[v];
}

static const char *icmp_name(struct arena *a, const struct pkt *p)
{
	const char *n = names_icmp_name(p->family, p->icmp_type);
	return n ? n : arena_printf(a, "type %d", p->icmp_type);
}

/* The source check, when the source lies in a protected network: which
 * interface the packet must arrive on, and whether it did. */
static void explain_source(struct arena *a, FILE *out, const struct pkt *p,
			   const struct eval_result *r, bool color)
{
	if (!r->src_block)
		return;
	const struct sema_block *b = r->src_block;
	char src[ADDR_STRLEN];
	addr_format_u128(p->family, p->src, src);
	const char *must;
	if (b->nvia)
		must = "one of the interfaces its `via` names";
	else if (r->route_if)
		must = arena_printf(a, "the interface of the route to it (%s)", r->route_if);
	else
		must = "the interface the router's route to it uses (fib saddr . iif)";
	const char *how;
	if (r->reason == EVAL_FORGED)
		how = arena_printf(a, "it arrives on %s: forged, dropped before any reply or "
				   "block is considered", p->iif);
	else if (!p->iif)
		how = "taken to be so here (write `in IFACE` to ask about another)";
	else if (r->route_unknown)
		how = arena_printf(a, "taken to be %s here: d6c cannot read the routing table",
				   p->iif);
	else
		how = arena_printf(a, "it arrives on %s: it passes", p->iif);
	diag_show(out, DIAG_NOTE, r->src_prefix->loc,
		  arena_printf(a, "the source %s lies in the network at %s (%s): it passes only "
			       "when it arrives on %s; %s", src, place(a, &b->loc),
			       prefix_text(a, r->src_prefix), must, how), color);
}

void explain_text(struct arena *a, FILE *out, const struct pkt *p,
		  const struct eval_result *r, bool color)
{
	char desc[PKT_STRLEN], dst[ADDR_STRLEN];
	pkt_format(p, desc);
	addr_format_u128(p->family, p->dst, dst);
	fprintf(out, "%s: %s\n", desc, explain_verdict(a, p, r));
	explain_source(a, out, p, r, color);
	if (r->reason == EVAL_FORGED)
		return;
	if (r->reason == EVAL_UNPROTECTED) {
		fprintf(out, "  no block protects %s: d6c does not touch this packet\n", dst);
		return;
	}
	const struct sema_block *b = r->block;
	if (r->reason == EVAL_RULE)
		diag_show(out, DIAG_NOTE, r->rule->loc,
			  arena_printf(a, "%s by this rule", past(r->verdict)), color);
	else if (r->reason == EVAL_DEFAULT && b->has_default)
		diag_show(out, DIAG_NOTE, b->default_loc,
			  arena_printf(a, "no rule of the block matches: %s by its default",
				       past(r->verdict)), color);

	/* The caret goes to the prefix that holds the destination: with
	 * several targets and defines, that is the part a reader looks for. */
	const char *owns = arena_printf(a, "%s belongs to the block at %s through this prefix (%s%s%s)",
					dst, place(a, &b->loc), prefix_text(a, r->prefix),
					r->prefix->docker ? ", Docker network " : "",
					r->prefix->docker ? r->prefix->docker : "");
	if (r->broader)
		owns = arena_printf(a, "%s, which takes it from the block at %s (%s): the "
				    "longest prefix wins", owns, place(a, &r->broader->loc),
				    prefix_text(a, r->broader_prefix));
	if (r->reason == EVAL_DEFAULT && !b->has_default)
		owns = arena_printf(a, "%s; no rule of the block matches and it sets no default: "
				    "dropped", owns);
	diag_show(out, DIAG_NOTE, r->prefix->loc, owns, color);
	if (r->reason == EVAL_INVALID)
		fprintf(out, "  conntrack calls an %s %s that answers no connection invalid, and "
			"d6c drops invalid packets to a protected block before its rules; one that "
			"answers an allowed connection is related and passes before any block\n",
			p->family == FAM_IP6 ? "ICMPv6" : "ICMP", icmp_name(a, p));
}

void explain_text_footer(FILE *out)
{
	fputs("(each packet is explained as the start of a new connection: replies to allowed "
	      "connections are accepted before any block)\n", out);
}

static json_t *place_json(struct arena *a, const struct loc *l)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(path_of(l)));
	json_object_set_new(o, "line", json_integer(l->first_line));
	json_object_set_new(o, "column", json_integer(l->first_column));
	json_object_set_new(o, "text", json_string(src_text(a, l)));
	return o;
}

json_t *explain_json(struct arena *a, const struct pkt *p, const struct eval_result *r)
{
	static const char *const proto[] = {
		[PKT_TCP] = "tcp", [PKT_UDP] = "udp", [PKT_ICMP] = "icmp", [PKT_OTHER] = "other",
	};
	static const char *const reason[] = {
		[EVAL_FORGED] = "forged", [EVAL_UNPROTECTED] = "unprotected", [EVAL_INVALID] = "invalid",
		[EVAL_RULE] = "rule", [EVAL_DEFAULT] = "default",
	};
	char desc[PKT_STRLEN], src[ADDR_STRLEN], dst[ADDR_STRLEN];
	pkt_format(p, desc);
	addr_format_u128(p->family, p->src, src);
	addr_format_u128(p->family, p->dst, dst);
	json_t *o = json_object();
	json_object_set_new(o, "packet", json_string(desc));
	json_object_set_new(o, "family", json_string(p->family == FAM_IP6 ? "ipv6" : "ipv4"));
	json_object_set_new(o, "protocol", json_string(proto[p->proto]));
	json_object_set_new(o, "source", json_string(src));
	json_object_set_new(o, "destination", json_string(dst));
	if (p->iif)
		json_object_set_new(o, "in", json_string(p->iif));
	if (p->proto == PKT_TCP || p->proto == PKT_UDP)
		json_object_set_new(o, "port", json_integer(p->port));
	if (p->proto == PKT_ICMP) {
		json_object_set_new(o, "icmp_type", json_integer(p->icmp_type));
		const char *n = names_icmp_name(p->family, p->icmp_type);
		if (n)
			json_object_set_new(o, "icmp_type_name", json_string(n));
	}
	json_object_set_new(o, "connection", json_string("new"));
	json_object_set_new(o, "verdict", json_string(eval_verdict_word[r->verdict]));
	if (r->verdict == VERDICT_REJECT)
		json_object_set_new(o, "reject_with", json_string(eval_reject_kind(p)));
	json_object_set_new(o, "logged", json_boolean(r->log));
	if (r->log)
		json_object_set_new(o, "log", log_json(r->log_spec));
	json_object_set_new(o, "decided_by", json_string(reason[r->reason]));
	if (r->reason == EVAL_RULE)
		json_object_set_new(o, "rule", place_json(a, &r->rule->loc));
	if (r->reason == EVAL_DEFAULT) {
		json_t *d = place_json(a, &r->block->default_loc);
		json_object_set_new(d, "explicit", json_boolean(r->block->has_default));
		json_object_set_new(o, "default", d);
	}
	if (r->block) {
		json_t *b = place_json(a, &r->block->loc);
		json_object_set_new(b, "prefix", json_string(prefix_text(a, r->prefix)));
		if (r->prefix->docker)
			json_object_set_new(b, "docker", json_string(r->prefix->docker));
		json_object_set_new(o, "block", b);
	}
	if (r->src_block) {
		json_t *b = place_json(a, &r->src_block->loc);
		json_object_set_new(b, "prefix", json_string(prefix_text(a, r->src_prefix)));
		json_t *via = json_array();
		for (int i = 0; i < r->src_block->nvia; i++)
			json_array_append_new(via, json_string(r->src_block->via[i]));
		json_object_set_new(b, "via", via);
		if (!r->src_block->nvia && r->route_if)
			json_object_set_new(b, "route", json_string(r->route_if));
		json_object_set_new(b, "forged", json_boolean(r->reason == EVAL_FORGED));
		json_object_set_new(b, "route_unknown", json_boolean(r->route_unknown));
		json_object_set_new(o, "source_block", b);
	}
	if (r->broader) {
		json_t *b = place_json(a, &r->broader->loc);
		json_object_set_new(b, "prefix", json_string(prefix_text(a, r->broader_prefix)));
		json_object_set_new(o, "taken_from", b);
	}
	return o;
}

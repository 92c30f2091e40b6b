/*
 * shrink.c - one-step simplifications of a model, enumerated by index.
 *
 * The driver keeps the first candidate that still shows the disagreement
 * and goes on from the same index, in passes until one changes nothing, so
 * the order matters for speed: cuts that remove the most come first, and
 * after a few of them the model is small enough for the fine-grained steps
 * to be cheap.  Every step only removes or simplifies, so the loop ends.
 */
#include "shrink.h"

#include <string.h>

struct walk {
	const struct gen_model *m;
	int want, at;
	struct gen_model *out;
};

/* True when this is the wanted candidate: out then holds a copy of m to edit. */
static bool here(struct walk *w)
{
	if (w->at++ != w->want)
		return false;
	*w->out = *w->m;
	return true;
}

static void drop_value(struct gen_value *v, int *n, int i)
{
	memmove(&v[i], &v[i + 1], sizeof(*v) * (size_t)(*n - i - 1));
	(*n)--;
}

/* Replaces every use of define id in a list by the define's values. */
static bool inline_in(struct gen_value *v, int *n, int cap, const struct gen_define *d)
{
	for (int i = 0; i < *n; i++) {
		if (v[i].kind != GV_NAME || v[i].ref != d->id)
			continue;
		if (*n - 1 + d->n > cap)
			return false;
		memmove(&v[i + d->n], &v[i + 1], sizeof(*v) * (size_t)(*n - i - 1));
		memcpy(&v[i], d->v, sizeof(*v) * (size_t)d->n);
		*n += d->n - 1;
		i += d->n - 1;
	}
	return true;
}

static bool inline_define(struct gen_model *m, int di)
{
	struct gen_define d = m->defines[di];
	for (int i = di + 1; i < m->ndefines; i++)
		if (!inline_in(m->defines[i].v, &m->defines[i].n, GEN_MAX_ITEMS, &d))
			return false;
	for (int b = 0; b < m->nblocks; b++) {
		struct gen_block *bl = &m->blocks[b];
		if (!inline_in(bl->targets, &bl->ntargets, GEN_MAX_TARGETS, &d))
			return false;
		for (int r = 0; r < bl->nrules; r++) {
			struct gen_rule *ru = &bl->rules[r];
			if (!inline_in(ru->ports, &ru->nports, GEN_MAX_ITEMS, &d) ||
			    !inline_in(ru->from, &ru->nfrom, GEN_MAX_ITEMS, &d))
				return false;
		}
	}
	memmove(&m->defines[di], &m->defines[di + 1],
		sizeof(m->defines[0]) * (size_t)(m->ndefines - di - 1));
	m->ndefines--;
	return true;
}

/* A rounder, shorter length for a prefix: each of a few, shortest first. */
static int round_len(int family, int k)
{
	static const int r6[] = { 32, 48, 64, 96, 112, 128 };
	static const int r4[] = { 8, 16, 24, 32 };
	if (family == FAM_IP6)
		return k < 6 ? r6[k] : -1;
	return k < 4 ? r4[k] : -1;
}

/* Every simplification of one value of m: shorter prefixes, a range's low
 * end.  out is a copy of m, so the value sits at the same offset in it. */
static bool simplify_value(struct walk *w, const struct gen_value *v)
{
	size_t off = (size_t)((const char *)v - (const char *)w->m);
	if (v->kind == GV_ADDR) {
		for (int k = 0, len; (len = round_len(v->pfx.family, k)) >= 0; k++) {
			if (len >= v->pfx.len)
				break;
			if (here(w)) {
				struct gen_value *o = (struct gen_value *)((char *)w->out + off);
				o->pfx = gen_prefix(o->pfx.family, addr_first(&o->pfx), len);
				return true;
			}
		}
	} else if (v->kind == GV_RANGE && here(w)) {
		struct gen_value *o = (struct gen_value *)((char *)w->out + off);
		o->kind = GV_PORT;
		o->hi = o->lo;
		return true;
	}
	return false;
}

/* The small steps inside rule r of block b. */
static bool rule_steps(struct walk *w, int b, int r)
{
	const struct gen_rule *ru = &w->m->blocks[b].rules[r];
	struct gen_rule *o;
	if (ru->nfrom && here(w)) {
		w->out->blocks[b].rules[r].nfrom = 0;
		return true;
	}
	for (int i = 0; ru->nfrom > 1 && i < ru->nfrom; i++)
		if (here(w)) {
			o = &w->out->blocks[b].rules[r];
			drop_value(o->from, &o->nfrom, i);
			return true;
		}
	if (ru->nports && here(w)) {
		w->out->blocks[b].rules[r].nports = 0;
		return true;
	}
	for (int i = 0; ru->nports > 1 && i < ru->nports; i++)
		if (here(w)) {
			o = &w->out->blocks[b].rules[r];
			drop_value(o->ports, &o->nports, i);
			return true;
		}
	if (ru->proto == PROTO_ICMP && ru->icmp != GI_ANY && here(w)) {
		w->out->blocks[b].rules[r].icmp = GI_ANY;
		w->out->blocks[b].rules[r].ntypes = 0;
		return true;
	}
	for (int i = 0; ru->icmp == GI_LIST && ru->ntypes > 1 && i < ru->ntypes; i++)
		if (here(w)) {
			o = &w->out->blocks[b].rules[r];
			memmove(&o->types[i], &o->types[i + 1],
				sizeof(o->types[0]) * (size_t)(o->ntypes - i - 1));
			o->ntypes--;
			return true;
		}
	if (ru->log && here(w)) {
		w->out->blocks[b].rules[r].log = false;
		return true;
	}
	for (int i = 0; i < ru->nfrom; i++)
		if (simplify_value(w, &ru->from[i]))
			return true;
	for (int i = 0; i < ru->nports; i++)
		if (simplify_value(w, &ru->ports[i]))
			return true;
	return false;
}

bool shrink_candidate(const struct gen_model *m, int i, struct gen_model *out)
{
	struct walk w = { .m = m, .want = i, .out = out };
	for (int b = 0; b < m->nblocks; b++)
		if (here(&w)) {
			memmove(&out->blocks[b], &out->blocks[b + 1],
				sizeof(out->blocks[0]) * (size_t)(out->nblocks - b - 1));
			out->nblocks--;
			return true;
		}
	for (int d = m->ndefines - 1; d >= 0; d--)
		if (here(&w)) {
			if (!inline_define(out, d))
				*out = *m;   /* no room to inline: the same model, skipped */
			return true;
		}
	for (int b = 0; b < m->nblocks; b++)
		for (int r = 0; r < m->blocks[b].nrules; r++)
			if (here(&w)) {
				struct gen_block *ob = &out->blocks[b];
				memmove(&ob->rules[r], &ob->rules[r + 1],
					sizeof(ob->rules[0]) * (size_t)(ob->nrules - r - 1));
				ob->nrules--;
				return true;
			}
	for (int b = 0; b < m->nblocks; b++)
		if (m->blocks[b].nvia && here(&w)) {
			out->blocks[b].nvia = 0;
			return true;
		}
	for (int b = 0; b < m->nblocks; b++)
		for (int v = 0; m->blocks[b].nvia > 1 && v < m->blocks[b].nvia; v++)
			if (here(&w)) {
				struct gen_block *ob = &out->blocks[b];
				memmove(&ob->via[v], &ob->via[v + 1],
					sizeof(ob->via[0]) * (size_t)(ob->nvia - v - 1));
				ob->nvia--;
				return true;
			}
	for (int b = 0; b < m->nblocks; b++)
		for (int t = 0; m->blocks[b].ntargets > 1 && t < m->blocks[b].ntargets; t++)
			if (here(&w)) {
				drop_value(out->blocks[b].targets, &out->blocks[b].ntargets, t);
				return true;
			}
	for (int d = 0; d < m->ndefines; d++)
		for (int j = 0; m->defines[d].n > 1 && j < m->defines[d].n; j++)
			if (here(&w)) {
				drop_value(out->defines[d].v, &out->defines[d].n, j);
				return true;
			}
	for (int b = 0; b < m->nblocks; b++)
		for (int r = 0; r < m->blocks[b].nrules; r++) {
			const struct gen_rule *ru = &m->blocks[b].rules[r];
			if (ru->is_default) {
				if (ru->log && here(&w)) {
					out->blocks[b].rules[r].log = false;
					return true;
				}
				continue;
			}
			if (rule_steps(&w, b, r))
				return true;
		}
	for (int b = 0; b < m->nblocks; b++)
		for (int t = 0; t < m->blocks[b].ntargets; t++)
			if (simplify_value(&w, &m->blocks[b].targets[t]))
				return true;
	for (int d = 0; d < m->ndefines; d++)
		for (int j = 0; j < m->defines[d].n; j++)
			if (simplify_value(&w, &m->defines[d].v[j]))
				return true;
	return false;
}

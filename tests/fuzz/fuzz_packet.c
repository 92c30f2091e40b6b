/*
 * fuzz_packet.c - libFuzzer target: explain's packet descriptions.
 *
 * The input is parsed as `d6c explain` parses its operands: the whole input
 * as one argument, then line by line as it reads '-' (standard input).  Each
 * packet that parses is evaluated against a fixed policy (fuzz_common.c)
 * and explained in text and JSON; and it must survive a round trip:
 * pkt_format()'s words parse back to the same packet.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_common.h"
#include "compiler/source.h"
#include "compiler/eval.h"
#include "compiler/explain.h"
#include "compiler/packet.h"

/* NOLINTNEXTLINE(readability-non-const-parameter): libFuzzer fixes this signature */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_common();
	return 0;
}

static bool same_packet(const struct pkt *x, const struct pkt *y)
{
	return x->family == y->family && x->proto == y->proto && x->src == y->src &&
	       x->dst == y->dst && x->port == y->port && x->icmp_type == y->icmp_type;
}

static void use_packet(struct arena *a, const struct pkt *p)
{
	const struct sema_policy *pol = fuzz_fixed_policy();
	struct eval_result r = eval_packet(pol, p, EVAL_KERNEL(6, 12));
	FILE *out = fuzz_devnull();
	explain_text(a, out, p, &r, false);
	explain_text(a, out, p, &r, true);
	explain_text_footer(out);
	json_t *o = explain_json(a, p, &r);
	json_dumpf(o, out, JSON_COMPACT);
	json_decref(o);
	fflush(out);
	(void)eval_conntrack(p, EVAL_KERNEL(6, 9));
	(void)eval_reject_kind(p);

	char buf[PKT_STRLEN];
	pkt_format(p, buf);
	struct diag_list dl;
	diag_init(&dl, a);
	struct src_file *f = src_from_string(a, "<formatted>", buf, strlen(buf));
	struct pkt_lexer lx;
	pkt_lexer_init(&lx, f);
	struct pkt back;
	struct loc span;
	if (!pkt_parse(a, &dl, &lx, NULL, &back, &span) || !same_packet(p, &back)) {
		fprintf(stderr, "pkt_format gives '%s', which does not parse back to the packet\n", buf);
		diag_print(&dl, stderr, false);
		abort();
	}
}

/* The whole file (line 0) or one line of it, as explain reads them. */
static void parse_one(struct arena *a, struct diag_list *dl, const struct src_file *f, int line)
{
	struct pkt p;
	bool empty;
	if (pkt_parse_line(a, dl, f, line, &p, &empty) && !empty)
		use_packet(a, &p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	struct diag_list dl;
	diag_init(&dl, &a);
	struct src_file *f = src_from_string(&a, "<packet 1>", (const char *)data, size);
	parse_one(&a, &dl, f, 0);
	for (int line = 1; line <= f->nlines; line++)
		parse_one(&a, &dl, f, line);
	fuzz_print_diags(&dl);
	arena_free(&a);
	return 0;
}

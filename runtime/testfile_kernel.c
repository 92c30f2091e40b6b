/*
 * testfile_kernel.c - test files through a real kernel: see testfile_kernel.h.
 */
#include "testfile_kernel.h"
#include "compiler/arena.h"
#include "compiler/emit_json.h"
#include "compiler/emit_text.h"
#include "output.h"
#include "kernel_release.h"
#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int testfile_kernel_run(struct arena *a, struct diag_list *dl, const struct sema_policy *pol,
		     const struct ir_policy *ir, const struct testfile *t, bool json,
		     char *err, size_t errlen)
{
	for (int i = 0; i < t->n; i++) {
		char why[120];
		if (!probe_usable(t->v[i].pkt.family, t->v[i].pkt.src, why, sizeof(why)) ||
		    !probe_usable(t->v[i].pkt.family, t->v[i].pkt.dst, why, sizeof(why))) {
			diag_error(dl, DC_TEST_UNSENDABLE, t->v[i].loc, "this packet cannot be sent through the test "
				   "namespaces: %s", why);
			return -2;
		}
		/* Every packet enters the test router through its one outside
		 * interface, which no `via` names and no route check can mind. */
		const struct sema_block *src_block;
		eval_owner(pol, t->v[i].pkt.family, t->v[i].pkt.src, NULL, 129, &src_block);
		if (t->v[i].pkt.iif || (src_block && src_block->nvia)) {
			diag_error(dl, DC_TEST_UNSENDABLE, t->v[i].loc, "this packet cannot be sent through the test "
				   "namespaces: they send every packet in through one interface of their own, "
				   "so %s", t->v[i].pkt.iif ? "'in IFACE' cannot be honoured"
				   : "a source in a network with `via` would arrive forged");
			return -2;
		}
	}
	char *text = output_string(ir, json ? emit_json : emit_text);
	if (!text) {
		snprintf(err, errlen, "cannot build the ruleset: %s", strerror(errno));
		return -1;
	}
	int failed = -1;
	enum outcome *got = xmalloc(sizeof(*got) * (size_t)(t->n ? t->n : 1));
	struct pkt *pkts = xmalloc(sizeof(*pkts) * (size_t)(t->n ? t->n : 1));
	for (int i = 0; i < t->n; i++)
		pkts[i] = t->v[i].pkt;
	struct probe *k = probe_open(err, errlen);
	if (k && probe_load(k, text, json, err, errlen) == 0 &&
	    probe_run(k, pkts, t->n, got, err, errlen) == 0)
		failed = testfile_check_kernel(a, dl, pol, t, got, json ? "json" : "text",
						  kernel_release_running());
	if (k)
		probe_close(k);
	free(pkts);
	free(got);
	free(text);
	return failed;
}

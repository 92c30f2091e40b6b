/*
 * stats.c - the named counters of a table, read through libnftables.
 *
 * JSON output (NFT_CTX_OUTPUT_JSON) read with jansson rather than nft's
 * text: its shape is libnftables-json(5)'s, {"nftables": [{"metainfo":
 * ...}, {"counter": {"name", "packets", "bytes", ...}}, ...]}.  A table
 * that is not loaded is told apart from other failures by nftables' ENOENT
 * message, as live.c's live_list() does.
 */
#include "stats.h"
#include "nftctx.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static enum stats_status parse(struct arena *a, const char *out, struct counter_value **v,
			       int *n, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *root = json_loads(out, 0, &jerr);
	json_t *list = root ? json_object_get(root, "nftables") : NULL;
	if (!json_is_array(list)) {
		snprintf(err, errlen, "cannot read nftables' list of counters: %s",
			 root ? "no \"nftables\" array" : jerr.text);
		json_decref(root);
		return STATS_FAILED;
	}
	size_t cap = 0, k = 0;
	size_t i;
	json_t *item;
	json_array_foreach(list, i, item) {
		json_t *c = json_object_get(item, "counter");
		if (!c)
			continue;   /* metainfo */
		const char *name = json_string_value(json_object_get(c, "name"));
		json_t *p = json_object_get(c, "packets"), *b = json_object_get(c, "bytes");
		if (!name || !json_is_integer(p) || !json_is_integer(b)) {
			snprintf(err, errlen, "cannot read nftables' list of counters: a counter "
				 "without a name, packets or bytes");
			json_decref(root);
			return STATS_FAILED;
		}
		ARENA_PUSH(a, *v, k, cap);
		(*v)[k - 1] = (struct counter_value){ arena_strdup(a, name),
			(uint64_t)json_integer_value(p), (uint64_t)json_integer_value(b) };
	}
	*n = (int)k;
	json_decref(root);
	return STATS_OK;
}

enum stats_status stats_read(struct arena *a, const char *table, bool reset,
			     struct counter_value **v, int *n, char *err, size_t errlen)
{
	*v = NULL;
	*n = 0;
	struct nft_ctx *nft = nftctx_open(NFT_CTX_OUTPUT_JSON);
	if (!nft) {
		snprintf(err, errlen, "cannot set up libnftables");
		return STATS_FAILED;
	}
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "%s counters table inet %s", reset ? "reset" : "list", table);
	enum stats_status st;
	if (nft_run_cmd_from_buffer(nft, cmd) != 0) {
		if (strstr(nftctx_error(nft), "No such file or directory")) {
			snprintf(err, errlen, "table inet %s is not loaded", table);
			st = STATS_NO_TABLE;
		} else {
			nftctx_errf(err, errlen, "cannot read the counters of table inet %s:\n%s", table,
				    nftctx_error(nft));
			st = STATS_FAILED;
		}
	} else {
		st = parse(a, nft_ctx_get_output_buffer(nft), v, n, err, errlen);
	}
	nft_ctx_free(nft);
	return st;
}

/*
 * apply_fault.c - makes the kernel refuse d6c's commit, for atomicity tests.
 *
 * Linked into a test build of d6c with -Wl,--wrap=nft_run_cmd_from_buffer.
 * A JSON commit (the apply path) gets one more command at its end: a rule
 * for a chain that does not exist.  libnftables sends the batch and the
 * kernel rejects it as a whole (ENOENT), after the table was already
 * deleted and re-added inside the same transaction: exactly the failure
 * that must leave the running ruleset untouched.
 */
#include <jansson.h>
#include <nftables/libnftables.h>
#include <stdlib.h>

int __real_nft_run_cmd_from_buffer(struct nft_ctx *nft, const char *buf);
int __wrap_nft_run_cmd_from_buffer(struct nft_ctx *nft, const char *buf);

int __wrap_nft_run_cmd_from_buffer(struct nft_ctx *nft, const char *buf)
{
	json_t *root = buf[0] == '{' ? json_loads(buf, 0, NULL) : NULL;
	json_t *cmds = root ? json_object_get(root, "nftables") : NULL;
	if (!cmds)
		return __real_nft_run_cmd_from_buffer(nft, buf);
	json_array_append_new(cmds, json_pack(
		"{s:{s:{s:s, s:s, s:s, s:[{s:n}]}}}", "add", "rule", "family", "inet", "table",
		"d6c", "chain", "no_such_chain_injected_fault", "expr", "accept"));
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	int rc = __real_nft_run_cmd_from_buffer(nft, text);
	free(text);
	return rc;
}

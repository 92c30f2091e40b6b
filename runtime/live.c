/*
 * live.c - listing d6c's table, and a compiled ruleset loaded where
 * nothing else runs (live.h).
 *
 * The scratch namespace is this process's for the time of one load: it
 * unshares a network namespace, loads and lists there, and goes back to
 * the one it came from.  Nothing holds the scratch namespace afterwards,
 * so the kernel frees it with its ruleset.
 */
#include "live.h"
#include "nftctx.h"
#include "compiler/arena.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum live_state list_in(struct nft_ctx *nft, const char *table, char **listing,
			       char *err, size_t errlen)
{
	char cmd[160];
	snprintf(cmd, sizeof(cmd), "list table inet %s", table);
	if (nft_run_cmd_from_buffer(nft, cmd) == 0) {
		const char *out = nft_ctx_get_output_buffer(nft);
		size_t n = strlen(out) + 1;
		*listing = memcpy(xmalloc(n), out, n);
		return LIVE_TABLE;
	}
	if (strstr(nftctx_error(nft), "No such file or directory"))
		return LIVE_ABSENT;
	nftctx_errf(err, errlen, "cannot read table inet %s:\n%s", table, nftctx_error(nft));
	return LIVE_FAILED;
}

enum live_state live_list(const char *table, int stateless, char **listing, char *err,
			  size_t errlen)
{
	*listing = NULL;
	struct nft_ctx *nft = nftctx_open(stateless ? NFT_CTX_OUTPUT_STATELESS : 0);
	if (!nft) {
		nftctx_errf(err, errlen, "cannot read table inet %s: cannot set up libnftables", table);
		return LIVE_FAILED;
	}
	enum live_state st = list_in(nft, table, listing, err, errlen);
	nft_ctx_free(nft);
	return st;
}

int live_list_scratch(const char *script, const char *table, char **listing, char *err,
		      size_t errlen)
{
	*listing = NULL;
	int orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0) {
		nftctx_errf(err, errlen, "cannot open this process's network namespace: %s", strerror(errno));
		return -1;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		nftctx_errf(err, errlen, "cannot make a scratch network namespace to load the policy "
		     "into (%s); this needs CAP_SYS_ADMIN: run it as root", strerror(errno));
		close(orig);
		return -1;
	}
	int rc = -1;
	struct nft_ctx *nft = nftctx_open(NFT_CTX_OUTPUT_STATELESS);
	if (!nft)
		nftctx_errf(err, errlen, "cannot set up libnftables");
	else if (nft_run_cmd_from_buffer(nft, script) != 0)
		nftctx_errf(err, errlen, "the kernel refused the compiled ruleset:\n%s", nftctx_error(nft));
	else if (list_in(nft, table, listing, err, errlen) == LIVE_TABLE)
		rc = 0;
	else if (!err[0])
		nftctx_errf(err, errlen, "table inet %s was not there after loading it", table);
	if (nft)
		nft_ctx_free(nft);
	if (setns(orig, CLONE_NEWNET) != 0) {
		/* not reached: our own namespace, by a descriptor we hold */
		nftctx_errf(err, errlen, "cannot return to this process's network namespace: %s",
		     strerror(errno));
		rc = -1;
	}
	close(orig);
	return rc;
}

/*
 * nftctx.c - libnftables contexts and their errors (nftctx.h).
 */
#include "nftctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct nft_ctx *nftctx_open(unsigned int output_flags)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!nft)
		return NULL;
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	if (output_flags)
		nft_ctx_output_set_flags(nft, output_flags);
	return nft;
}

const char *nftctx_error(struct nft_ctx *nft)
{
	const char *err = nft_ctx_get_error_buffer(nft);
	return err && *err ? err : "(nftables gave no reason)\n";
}

void nftctx_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	size_t n = strlen(err);
	if (n > 0 && err[n - 1] == '\n')
		err[n - 1] = '\0';
}

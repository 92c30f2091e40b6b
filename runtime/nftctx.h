/*
 * nftctx.h - what every libnftables user in runtime/ needs alike: a
 * context that keeps nftables' output and errors in memory, nftables'
 * reason for a failure, and messages written in apply.h's convention.
 */
#ifndef D6C_NFTCTX_H
#define D6C_NFTCTX_H

#include <nftables/libnftables.h>
#include <stddef.h>

/* A context with buffered output and errors, and output_flags set
 * (NFT_CTX_OUTPUT_STATELESS, NFT_CTX_OUTPUT_JSON, 0); NULL when
 * libnftables cannot set up. */
struct nft_ctx *nftctx_open(unsigned int output_flags);
/* nftables' reason for the last failure, never empty. */
const char *nftctx_error(struct nft_ctx *nft);
/* Writes a message into err (apply.h's convention).  nftables ends its
 * message with a newline; a message quoting it at its end loses that one,
 * which the caller's printing puts back. */
void nftctx_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif

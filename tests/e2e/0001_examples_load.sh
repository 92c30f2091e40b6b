#!/bin/sh
# Every example's output is accepted by the real nft (nft -c -f) in a private
# network namespace, from the text backend.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
for pol in examples/*.pol; do
	$D6C compile "$pol" >/tmp/d6c-e2e-$$.nft
	if ! unshare -rn $NFT -c -f /tmp/d6c-e2e-$$.nft; then
		echo "nft rejects the output of $pol"; rm -f /tmp/d6c-e2e-$$.nft; exit 1
	fi
done
rm -f /tmp/d6c-e2e-$$.nft

#!/bin/sh
# End-to-end: each tests/e2e/NNNN_*.sh runs against the real nft and kernel,
# in network namespaces of its own.  A script exits 0 when it passed, 77 when
# it was skipped (no namespaces here), anything else when it failed.
. "$(dirname "$0")/../lib.sh"
export D6C NFT="${NFT:-nft}"
for t in tests/e2e/[0-9]*.sh; do
	[ -f "$t" ] || continue
	out=$(sh "$t" 2>&1); rc=$?
	case $rc in
	0) ok "$t" ;;
	*) fail "$t (exit $rc):"; printf '%s\n' "$out" | tail -30 ;;
	esac
done
finish

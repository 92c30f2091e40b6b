#!/bin/sh
# Prints the words that the installed nft refuses as a table name
# ("table inet WORD { }" fails to parse), for compiler/names.c's
# nft_reserved[] list.  Candidates are the words libnftables carries (its
# keyword strings); each is tried with nft -c in a private namespace.
# Run as root (or where unshare -rn works) after an nftables upgrade.
set -eu
lib=$(ldconfig -p | awk '/libnftables.so.1 /{print $NF; exit}')
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
{ strings -n 2 "$lib" | grep -xE '[a-z][a-z0-9_]*'
  strings -n 2 "$lib" | grep -oE '"[a-z][a-z0-9_]*"' | tr -d '"'; } | sort -u >"$tmp/cand"
cat >"$tmp/try.sh" <<TRY
for w in \$(cat "$tmp/cand"); do
	printf 'table inet %s {\n}\n' "\$w" >"$tmp/t.nft"
	nft -c -f "$tmp/t.nft" >/dev/null 2>&1 || echo "\$w"
done
TRY
unshare -rn sh "$tmp/try.sh"

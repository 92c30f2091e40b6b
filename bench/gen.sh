#!/bin/sh
# Writes a policy with N network blocks to standard output: N/2 IPv6 /64s,
# each with a /128 host block inside it (nested prefixes to flatten), plus
# a handful of defines and rules per block, like a busy container host.
n=${1:-1000}
echo "define admins = 2001:db8:ffff::/48;"
echo "define web = http, https, 8000-8100;"
i=0
while [ "$i" -lt "$n" ]; do
	hi=$((i / 65536)); lo=$((i % 65536))
	if [ $((i % 2)) -eq 0 ]; then
		printf 'network 2001:db8:%x:%x::/64 < allow tcp web; allow tcp ssh from admins; allow udp 53; allow icmp basic; reject tcp 25; default drop; >\n' "$hi" "$lo"
	else
		printf 'network 2001:db8:%x:%x::10 < allow tcp 5432 from 2001:db8::/32; >\n' "$hi" "$((lo - 1))"
	fi
	i=$((i + 1))
done

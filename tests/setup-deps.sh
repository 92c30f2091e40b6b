#!/bin/sh
# Installs what building and testing d6c needs, when it is missing.
# As root it runs apt-get (Debian 12); otherwise it names the packages.
set -e
PKGS="gcc make bison flex pkg-config libcmocka-dev libnftables-dev libjansson-dev libmnl-dev libcurl4-openssl-dev docker.io busybox-static nftables iproute2 util-linux bsdutils strace iputils-ping bc time python3 python3-jsonschema scdoc man-db systemd vim debhelper dpkg-dev fakeroot lintian valgrind cppcheck clang-tidy clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq $missing >/dev/null
else
	echo "d6c needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 1
fi

#!/bin/sh
# Installs what building and testing d6c needs, when it is missing.
# As root it runs apt-get (Debian 12); otherwise it names the packages.
# As root it also fetches the newer Docker that the real-Docker suite runs
# beside Debian 12's (tests/docker/fetch-dockerd.sh: unstable's docker.io,
# unpacked into a cache, never installed).
set -e
PKGS="gcc make bison flex pkg-config libcmocka-dev libnftables-dev libjansson-dev libmnl-dev libcurl4-openssl-dev libssl-dev docker.io busybox-static nftables iptables iproute2 util-linux bsdutils strace iputils-ping tcpdump jq procps bc time python3 python3-jsonschema scdoc man-db systemd vim debhelper dpkg-dev fakeroot lintian valgrind cppcheck clang-tidy clang libclang-rt-14-dev netbase ansible-core openssh-server"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
fetch_dockerd() {
	[ "$(id -u)" = 0 ] || return 0
	# a failure is the docker suite's to report (it fails or skips its modes)
	sh "$(dirname "$0")/docker/fetch-dockerd.sh" || true
}
if [ -z "$missing" ]; then
	fetch_dockerd
	exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# openssh-server's and docker.io's scripts would start their daemons
	# on this machine: the suites start their own (tests/fleet,
	# tests/docker), so no service starts here (policy-rc.d, as in chroots)
	guard=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		guard=1
	fi
	rc=0
	apt-get install -y -qq $missing >/dev/null || rc=$?
	[ -z "$guard" ] || rm -f /usr/sbin/policy-rc.d
	[ "$rc" = 0 ] || exit "$rc"
	fetch_dockerd
else
	echo "d6c needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 1
fi

#!/bin/sh
# Fetches the newest Docker Debian has (unstable's docker.io and docker-cli)
# for the real-Docker suite (tests/docker/run.sh), which runs it beside
# Debian 12's own Docker 20.10: the two differ in where Docker filters IPv6
# (DOCKER-USER, gateway modes), and d6c's rule must be right in both.
#
# Unstable is never added to the system's apt sources: apt reads a private
# sources.list, lists and cache under $D6C_DOCKER_CACHE, with no installed
# packages (status /dev/null), and only downloads the two .debs, which are
# unpacked (dpkg -x, nothing installed) into $D6C_DOCKER_CACHE/root:
#   root/usr/sbin/dockerd, root/usr/sbin/docker-proxy, root/usr/bin/docker
# Its dockerd runs with bookworm's containerd and runc.
#
# Idempotent: when the cached copy was checked less than
# $D6C_DOCKER_FETCH_AGE seconds ago (default 3600) nothing is fetched; else
# apt's lists are updated and the .debs fetched only if unstable has another
# version than the cached one.  Offline (apt-get update fails), the cached
# copy is kept, and said so.  Exit 0 when a copy is there, 1 when none.
#
# Environment: D6C_DOCKER_CACHE (default /var/cache/d6c-tests/docker),
# D6C_DOCKER_FETCH_AGE, D6C_DOCKER_SUITE (default sid).
set -u
C=${D6C_DOCKER_CACHE:-/var/cache/d6c-tests/docker}
AGE=${D6C_DOCKER_FETCH_AGE:-3600}
SUITE=${D6C_DOCKER_SUITE:-sid}
PKGS="docker.io docker-cli"
say() { echo "fetch-dockerd: $*"; }

have() { [ -x "$C/root/usr/sbin/dockerd" ] && [ -x "$C/root/usr/bin/docker" ] && [ -s "$C/version" ]; }
cached() { have && say "using the cached $(cat "$C/version") in $C/root${1:+ ($1)}"; }

[ "$(id -u)" = 0 ] || { cached "not root: not checked for a newer one" && exit 0; say "needs root (apt-get) and has no cached copy in $C"; exit 1; }
command -v apt-get >/dev/null && command -v dpkg >/dev/null || { cached "no apt-get" && exit 0; say "no apt-get"; exit 1; }
mkdir -p "$C/lists/partial" "$C/cache/archives/partial" || exit 1

# checked recently: no network at all
if have && [ -e "$C/checked" ] && [ $(($(date +%s) - $(stat -c %Y "$C/checked"))) -lt "$AGE" ]; then
	cached "checked less than $AGE s ago"; exit 0
fi

echo "deb http://deb.debian.org/debian $SUITE main" >"$C/sources.list"
set -- -o Dir::Etc::SourceList="$C/sources.list" -o Dir::Etc::SourceParts=/dev/null \
	-o Dir::State::Lists="$C/lists" -o Dir::Cache="$C/cache" -o Dir::State::status=/dev/null \
	-o Debug::NoLocking=1 -o APT::Sandbox::User=root
if ! apt-get "$@" -qq update >"$C/update.log" 2>&1 || grep -q '^[WE]:' "$C/update.log"; then
	cached "offline or $SUITE unreachable: $(grep -m1 '^[WE]:' "$C/update.log")" && exit 0
	say "cannot reach $SUITE and no cached copy:"; sed 's/^/    /' "$C/update.log" | head -5; exit 1
fi
want=""
for p in $PKGS; do
	v=$(apt-cache "$@" policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p')
	case $v in "" | "(none)") cached "$SUITE has no $p" && exit 0; say "$SUITE has no $p"; exit 1 ;; esac
	want="$want $p=$v"
done
want=${want# }
if have && [ "$(cat "$C/version.pkgs" 2>/dev/null)" = "$want" ]; then
	touch "$C/checked"; cached "the newest in $SUITE"; exit 0
fi

say "fetching $want"
new=$C/new.$$
rm -rf "$new"; mkdir -p "$new/dl" "$new/root" || exit 1
trap 'rm -rf "$new"' EXIT
(cd "$new/dl" && apt-get "$@" -qq download $want) >"$C/download.log" 2>&1 || {
	cached "download failed: $(tail -1 "$C/download.log")" && exit 0
	say "download failed:"; tail -5 "$C/download.log"; exit 1
}
for deb in "$new"/dl/*.deb; do dpkg -x "$deb" "$new/root" || exit 1; done
for f in usr/sbin/dockerd usr/sbin/docker-proxy usr/bin/docker; do
	[ -x "$new/root/$f" ] || { say "the packages have no $f"; exit 1; }
done
# the version the daemon reports, as the suite keys it
"$new/root/usr/sbin/dockerd" --version >"$new/version" 2>&1 || { say "$new/root/usr/sbin/dockerd does not run: $(cat "$new/version")"; exit 1; }
echo "$want" >"$new/version.pkgs"
rm -rf "$C/root.old" "$C/dl"
[ -d "$C/root" ] && mv "$C/root" "$C/root.old"
mv "$new/root" "$C/root" && mv "$new/dl" "$C/dl" && mv "$new/version" "$C/version" &&
	mv "$new/version.pkgs" "$C/version.pkgs" || exit 1
rm -rf "$C/root.old"
touch "$C/checked"
say "unpacked $(cat "$C/version") ($want) into $C/root"

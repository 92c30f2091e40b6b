#!/bin/sh
# Fleet rollout: the Ansible role (contrib/ansible/roles/d6c, through the
# example playbook contrib/ansible/site.yml) run by ansible-playbook over
# real SSH against four hosts, each its own network namespace, file system
# and sshd (Debian's openssh-server).
#
# Topology (namespaces and mounts of this run only, removed on exit or
# signal):
#
#   ctl --veth-- h1 --veth-- l1       ctl: the controller (ansible-playbook)
#       --veth-- h2 --veth-- l2       hN: host N, a router; d6c runs here
#       --veth-- h3 --veth-- l3       lN: the network host N protects
#       --veth-- h4 --veth-- l4
#
#   ctl 2001:db8:ff:N::1/64 -- 2001:db8:ff:N::2/64 hN 2001:db8:N:1::1/64 -- 2001:db8:N:1::22/64 lN
#
# d6c filters the forward hook: a policy cannot cut a router's own sshd.
# So that a policy can cut the operator off, as a host firewall would, SSH
# to host N is reached at 2001:db8:N:1::22, an address the host routes to:
# systemd-socket-activate listens there in lN and hands each connection to
# `sshd -i` started in hN's network namespace and hN's mount namespace.
# Everything the SSH session runs (d6c, nft, the role's modules) runs on
# host N; only the TCP connection crosses its forward hook.
#
# Each host's file system is the machine's own under private overlays
# (/etc, /usr, /var) and a tmpfs /run, /tmp and /root (from /etc/skel), so that installing
# d6c, /etc/d6c and /run/d6c are each host's own.  The hosts start with no
# d6c: the role installs the binary under test.  Host 4 runs
# `d6c apply --follow-docker` (as d6c-docker.service would, with no Docker
# daemon: it applies the policy with no Docker network known), so the role
# reloads it instead of applying.
#
# Cases, in order (each depends on the state the one before left):
#   lint     a policy with an error: the play fails on the controller and
#            no host is touched (no d6c installed, no /etc/d6c, rulesets
#            byte-identical)
#   rollout  a good policy reaches every host: each table is what the
#            compiled policy lists as (loaded separately), status current,
#            /etc/d6c/site.pol the policy; the probes passed
#   again    the same policy again: every host unchanged, rulesets
#            byte-identical
#   check    --check --diff with a changed policy: reported, nothing changed
#   packets  probes through host 1 give the verdicts d6c explain gives
#   lockout  a policy that blocks SSH from the controller: the canary loses
#            SSH, puts back its table and files by itself within the
#            confirm window, the play fails; hosts 2-4 byte-identical
#   follow   the same on host 4 alone (--limit): the reload path rolls back
#   down     host 2's sshd stopped: the canary changes, the rollout stops at
#            host 2, hosts 3 and 4 byte-identical
#
# Environment: D6C (the binary under test), CC, D6C_FLEET_REQUIRED=1 or
# D6C_PACKET_REQUIRED=1 (fail instead of skipping without root or a tool),
# VERBOSE=1 (print every check and the plays' output), D6C_FLEET_KEEP=1
# (keep $T for a look after a failure; the namespaces still go).
. "$(dirname "$0")/../lib.sh"
DIR=tests/fleet
T0=$(date +%s)
HOSTS="1 2 3 4"
CONFIRM=20          # the rollback window the plays use, seconds
P=d6cf$$
NS_CTL=$P-ctl

skip() {
	if [ -n "${D6C_FLEET_REQUIRED:-}${D6C_PACKET_REQUIRED:-}" ]; then
		fail "fleet tests cannot run: $*"
	else
		echo "SKIP fleet tests: $*"
	fi
	finish
	exit
}
[ "$(id -u)" = 0 ] || skip "not root"
for tool in ansible-playbook /usr/sbin/sshd ssh ssh-keygen systemd-socket-activate nsenter unshare \
	flock ip nft ${CC:-cc}; do
	command -v "$tool" >/dev/null 2>&1 || skip "$tool not found (tests/setup-deps.sh installs it)"
done
# The binary under test, as a path the role can copy (D6C may be 'valgrind ./d6c').
D6C_BIN=$(readlink -f "${D6C##* }")
[ -x "$D6C_BIN" ] || skip "no d6c binary at $D6C_BIN"

T=$(mktemp -d /tmp/d6c-fleet.XXXXXX)
SERVER_PIDS=""
cleanup() {
	trap - EXIT INT TERM HUP
	for pid in $SERVER_PIDS; do kill "$pid" 2>/dev/null; done
	for ns in $NS_CTL $(for n in $HOSTS; do echo "$P-h$n $P-l$n"; done); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null || [ ! -e "/run/netns/$ns" ] ||
			echo "cannot delete network namespace $ns" >&2
	done
	for n in $HOSTS; do umount "$T/mnt/h$n" 2>/dev/null; done
	umount "$T/mnt" 2>/dev/null
	if [ -n "${D6C_FLEET_KEEP:-}" ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# in_host N CMD...: CMD on host N (its network and file system)
in_host() { n=$1; shift; nsenter --mount="$T/mnt/h$n" --net="/run/netns/$P-h$n" "$@"; }
in_ctl() { nsenter --net="/run/netns/$NS_CTL" "$@"; }
ruleset() { in_host "$1" nft list ruleset; }
# host_has N FILE: host N's /etc/d6c/site.pol is FILE (of this checkout)
host_has() { in_host "$1" cat /etc/d6c/site.pol 2>/dev/null | cmp -s - "$2"; }
now() { date +%s.%N | cut -c1-14; }

# ------------------------------------------------------------ the probe tool
PROBE=$T/probe
${CC:-cc} -O2 -Wall -Wextra -o "$PROBE" tests/packet/probe.c 2>"$T/cc.err" ||
	{ fail "cannot compile tests/packet/probe.c:"; cat "$T/cc.err"; finish; exit; }

# ------------------------------------------------------------ namespaces
setup_net() {
	ip netns add "$NS_CTL" || return 1
	in_ctl ip link set lo up
	for n in $HOSTS; do
		h=$P-h$n l=$P-l$n
		ip netns add "$h" && ip netns add "$l" || return 1
		ip link add "c$n" netns "$NS_CTL" type veth peer name uplink netns "$h" || return 1
		ip link add lan netns "$h" type veth peer name eth0 netns "$l" || return 1
		in_ctl ip -6 addr add "2001:db8:ff:$n::1/64" dev "c$n" nodad
		in_ctl ip link set "c$n" up
		in_ctl ip -6 route add "2001:db8:$n::/48" via "2001:db8:ff:$n::2"
		ip -n "$h" link set lo up
		ip -n "$h" -6 addr add "2001:db8:ff:$n::2/64" dev uplink nodad
		ip -n "$h" -6 addr add "2001:db8:$n:1::1/64" dev lan nodad
		ip -n "$h" link set uplink up
		ip -n "$h" link set lan up
		ip -n "$h" -6 route add default via "2001:db8:ff:$n::1"
		ip netns exec "$h" sysctl -qw net.ipv6.conf.all.forwarding=1
		ip -n "$l" link set lo up
		ip -n "$l" -6 addr add "2001:db8:$n:1::22/64" dev eth0 nodad
		ip -n "$l" link set eth0 up
		ip -n "$l" -6 route add default via "2001:db8:$n:1::1"
	done
}

# ------------------------------------------------------------ file systems
# $T/mnt holds each host's mount namespace (unshare --mount=FILE needs a
# private mount to bind it on).
setup_fs() {
	mkdir -p "$T/mnt" && mount --bind "$T/mnt" "$T/mnt" && mount --make-private "$T/mnt" || return 1
	ssh-keygen -q -t ed25519 -N '' -C d6c-fleet-controller -f "$T/id" || return 1
	for n in $HOSTS; do
		mkdir -p "$T/fs/h$n" && touch "$T/mnt/h$n" || return 1
		unshare --mount="$T/mnt/h$n" --propagation private sh -ec '
			fs=$1 key=$2 n=$3
			mount -t tmpfs -o mode=0755 d6c-fleet "$fs"
			for d in etc usr var; do
				mkdir "$fs/$d.up" "$fs/$d.work"
				mount -t overlay d6c-fleet -o "lowerdir=/$d,upperdir=$fs/$d.up,workdir=$fs/$d.work" "/$d"
			done
			mount -t tmpfs -o mode=0755 run /run
			mkdir -m 0755 /run/sshd
			# root'"'"'s home as a new Debian system has it, not this machine'"'"'s
			mount -t tmpfs -o mode=0700 root /root
			cp /etc/skel/.bashrc /etc/skel/.profile /root/
			# a host without d6c, whatever this machine has installed
			rm -rf /etc/d6c /usr/bin/d6c /usr/local/sbin/d6c-rollout /var/lib/d6c
			echo "d6c-fleet-h$n" >/etc/hostname
			mkdir -p -m 0700 /root/.ssh
			cp "$key.pub" /root/.ssh/authorized_keys
			chmod 0600 /root/.ssh/authorized_keys
			ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/d6c_fleet_host_key
			cat >/etc/ssh/d6c_fleet_sshd_config <<-EOF
				HostKey /etc/ssh/d6c_fleet_host_key
				PermitRootLogin prohibit-password
				PasswordAuthentication no
				KbdInteractiveAuthentication no
				UsePAM no
				PidFile none
				LogLevel ERROR
				Subsystem sftp /usr/lib/openssh/sftp-server
			EOF
			mount -t tmpfs -o mode=1777 tmp /tmp
		' sh "$T/fs/h$n" "$T/id" "$n" || return 1
	done
}

# sshd of host N, listening in lN (see the top).
start_sshd() {
	n=$1
	nsenter --net="/run/netns/$P-l$n" systemd-socket-activate -l "[2001:db8:$n:1::22]:22" -a --inetd \
		nsenter --mount="$T/mnt/h$n" --net="/run/netns/$P-h$n" /usr/sbin/sshd -i -e \
		-f /etc/ssh/d6c_fleet_sshd_config >>"$T/sshd.$n.log" 2>&1 &
	echo $! >"$T/sshd.$n.pid"
	SERVER_PIDS="$SERVER_PIDS $!"
}
stop_sshd() { kill "$(cat "$T/sshd.$1.pid")"; wait "$(cat "$T/sshd.$1.pid")" 2>/dev/null; }

SSH_OPTS="-i $T/id -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ControlPath=none"
# reach N [SECONDS]: a new SSH connection from the controller runs `true` on host N
reach() { in_ctl timeout "${2:-10}" ssh $SSH_OPTS -o ConnectTimeout="${2:-5}" "root@2001:db8:$1:1::22" true 2>/dev/null; }

if ! setup_net; then skip "cannot build the network namespaces"; fi
if ! setup_fs; then skip "cannot build the hosts' file systems (overlayfs in a mount namespace)"; fi
for n in $HOSTS; do
	start_sshd "$n"
	# what each host protects: a listener on every port the probes use
	ip netns exec "$P-l$n" "$PROBE" serve 23 80 443 >"$T/serve.$n" 2>&1 &
	SERVER_PIDS="$SERVER_PIDS $!"
done
for n in $HOSTS; do
	i=0
	until reach "$n" 2; do
		i=$((i + 1))
		[ "$i" -lt 20 ] || { fail "host $n: no SSH after 20 tries"; sed 's/^/    /' "$T/sshd.$n.log"; finish; exit; }
		sleep 0.25
	done
done
ok "4 hosts up, each reachable over SSH from the controller"
echo "fleet: hosts up after $(($(date +%s) - T0)) s"

# Host 4 follows Docker, as d6c-docker.service would (no daemon: see the
# top): d6c is installed there already.  Inside the hosts d6c is always
# /usr/bin/d6c (the binary under test, copied by the role or here): this
# checkout may be under /root or /tmp, which are the hosts' own.
in_host 4 sh -c 'mkdir -p /etc/d6c && cat >/etc/d6c/site.pol' <"$DIR/initial.pol"
in_host 4 sh -c 'cat >/usr/bin/d6c && chmod 755 /usr/bin/d6c' <"$D6C_BIN"
in_host 4 env DOCKER_HOST=unix:///run/no-docker.sock /usr/bin/d6c apply --follow-docker /etc/d6c/site.pol \
	>"$T/follow.log" 2>&1 &
SERVER_PIDS="$SERVER_PIDS $!"
i=0
until in_host 4 /usr/bin/d6c status /etc/d6c/site.pol >/dev/null 2>&1; do
	i=$((i + 1))
	[ "$i" -lt 40 ] || { fail "host 4: apply --follow-docker did not apply"; cat "$T/follow.log"; break; }
	sleep 0.25
done

# ------------------------------------------------------------ the plays
cat >"$T/inventory" <<EOF
[d6c_hosts]
h1 ansible_host=2001:db8:1:1::22 link=2001:db8:ff:1::1
h2 ansible_host=2001:db8:2:1::22 link=2001:db8:ff:2::1
h3 ansible_host=2001:db8:3:1::22 link=2001:db8:ff:3::1
h4 ansible_host=2001:db8:4:1::22 link=2001:db8:ff:4::1

[d6c_hosts:vars]
ansible_user=root
ansible_ssh_private_key_file=$T/id
ansible_python_interpreter=/usr/bin/python3
d6c_controller_bin=$D6C_BIN
d6c_binary=$D6C_BIN
d6c_confirm_seconds=$CONFIRM
d6c_ssh_timeout=3
EOF
# No ansible.cfg of this machine's or user's: the settings are the ones above.
: >"$T/ansible.cfg"
mkdir -p "$T/home"
# A probe through each host to the web server it protects, from the
# controller's address on that host's link.
PROBES="[\"$PROBE tcp {{ link }} {{ ansible_host }} 80 -w 2000 | grep -q '^accept'\"]"

# Ansible's defaults, pipelining (one SSH round trip a task; the README's
# advice), and keepalives: a connection whose packets a policy
# drops is given up in 6 s instead of TCP's minutes (the README's advice).
ANSIBLE_SSH="-o ControlMaster=auto -o ControlPersist=60s -o ServerAliveInterval=2 -o ServerAliveCountMax=3 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"

# play NAME POLICY [ansible-playbook args...]: runs the example playbook
# from the controller; output in $T/NAME.out, exit status in $T/NAME.rc,
# start and end times in $T/NAME.t0, $T/NAME.t1.
play() {
	name=$1 policy=$2; shift 2
	now >"$T/$name.t0"
	in_ctl env HOME="$T/home" ANSIBLE_LOCAL_TEMP="$T/ansible-tmp" ANSIBLE_SSH_CONTROL_PATH_DIR="$T/cp" \
		ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_SSH_ARGS="$ANSIBLE_SSH" \
		ANSIBLE_PIPELINING=True ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_CONFIG="$T/ansible.cfg" \
		ANSIBLE_DEPRECATION_WARNINGS=False ANSIBLE_ROLES_PATH=contrib/ansible/roles \
		timeout 300 ansible-playbook -i "$T/inventory" contrib/ansible/site.yml \
		-e "d6c_policy=$PWD/$policy" -e "{\"d6c_probes\": $PROBES}" "$@" >"$T/$name.out" 2>&1 &
	# in the background: a signal ends wait at once, and the cleanup runs
	wait $!
	echo $? >"$T/$name.rc"
	now >"$T/$name.t1"
	[ -z "${VERBOSE:-}" ] || sed "s/^/    $name: /" "$T/$name.out"
	echo "fleet: play $name: exit $(cat "$T/$name.rc"), $(echo "$(cat "$T/$name.t1") - $(cat "$T/$name.t0")" | bc) s"
}
show() { sed 's/^/    /' "$T/$1.out" | tail -40; }

# recap NAME HOST: the host's PLAY RECAP line
recap() { sed -n "s/^$2 *: //p" "$T/$1.out" | tr -s ' '; }

# snapshot TAG: every host's ruleset and policy file, for byte comparison
snapshot() {
	for n in $HOSTS; do
		ruleset "$n" >"$T/snap.$1.$n.nft"
		in_host "$n" cat /etc/d6c/site.pol >"$T/snap.$1.$n.pol" 2>/dev/null
	done
}
same_host() {  # same_host TAG1 TAG2 N WHAT
	if cmp -s "$T/snap.$1.$3.nft" "$T/snap.$2.$3.nft" && cmp -s "$T/snap.$1.$3.pol" "$T/snap.$2.$3.pol"; then
		ok "$4: host $3's ruleset and policy file byte-identical"
	else
		fail "$4: host $3 changed:"
		diff "$T/snap.$1.$3.nft" "$T/snap.$2.$3.nft" | head -20 | sed 's/^/    /'
		diff "$T/snap.$1.$3.pol" "$T/snap.$2.$3.pol" | head -10 | sed 's/^/    /'
	fi
}

# compiled_table N [OPTION...]: the table host N's /etc/d6c/site.pol
# compiles to (d6c compile on the host: the rules' comments name the
# file), as nft lists it, loaded into a scratch namespace by nft itself:
# independent of apply.  Chain record (apply's record of when and from
# where) is cut from both sides.
listed() { sed '/^\tchain record {/,/^\t}/d; /^$/d'; }
compiled_table() {
	n=$1; shift
	in_host "$n" /usr/bin/d6c compile "$@" /etc/d6c/site.pol >"$T/compiled.nft" || return 1
	ip netns add "$P-scratch" || return 1
	ip netns exec "$P-scratch" nft -f "$T/compiled.nft" &&
		ip netns exec "$P-scratch" nft list table inet d6c | listed
	rc=$?
	ip netns del "$P-scratch"
	return $rc
}

if [ -n "${D6C_FLEET_HOLD:-}" ]; then   # debugging: the fleet stays up
	echo "fleet: up in $T (P=$P); kill $$ to end"; sleep 3600 & wait $!
fi
. "$DIR/cases.sh"

echo "fleet: $(($(date +%s) - T0)) s in all"
finish

#!/bin/sh
# Memory hygiene: every examples/*.pol, tests/bad/*.pol and tests/warn/*.pol
# compiled under valgrind memcheck, and each other command once (check -f
# json and sarif, fmt, explain, test, --docker-state, a --docker that finds
# no daemon; as root, apply and test --kernel in a private network namespace,
# which is where libnftables runs).  One check per run: the exit status the
# command has without valgrind, and no memcheck error and no definitely or
# indirectly lost block (valgrind exits 99 then).
#
# "Still reachable" is not an error: it is memory a library keeps for the
# life of the process (a one-time init, freed by exit, not growing), not a
# leak; today every run ends with 0 bytes in use, and a run that keeps any
# is named on a NOTE line so a change shows.  tests/valgrind/d6c.supp holds
# the one suppression, in libnftables; it says why.
#
# Runs two at a time (xargs -P2) and prints the wall time.  Skips itself when
# D6C is the sanitizer build (valgrind and ASan do not mix) and when valgrind
# is missing, unless D6C_PACKET_REQUIRED=1 (CI), which makes that a failure;
# the namespace runs skip the same way when not root.
#
# Internal: run.sh --job DIR NAME runs the job DIR/NAME.job (xargs calls it).
if [ "${1:-}" = --job ]; then
	dir=$2 name=$3
	want=0 stdin=/dev/null wrap=""
	. "$dir/$name.job"   # sets want, maybe stdin and wrap, and "$@"
	# shellcheck disable=SC2086 # D6C and wrap are command words
	$wrap valgrind --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=all \
		--suppressions=tests/valgrind/d6c.supp --log-file="$dir/$name.vg" \
		$D6C "$@" <"$stdin" >"$dir/$name.out" 2>"$dir/$name.err"
	echo $? >"$dir/$name.rc"
	exit 0
fi

. "$(dirname "$0")/../lib.sh"
export D6C
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

skip() {
	if [ -n "${D6C_PACKET_REQUIRED:-}" ]; then fail "valgrind tests cannot run: $*"
	else echo "SKIP valgrind: $*"; ok "valgrind skipped"; fi
	finish; exit
}
case $D6C in
*build-san/*) echo "SKIP valgrind: $D6C is the sanitizer build (valgrind and ASan do not mix)"
	ok "valgrind skipped"; finish; exit ;;
esac
command -v valgrind >/dev/null 2>&1 || skip "valgrind not found (apt-get install valgrind)"

# job NAME WANT ARG...: d6c ARG... must exit WANT under valgrind, with
# standard input from $STDIN (default /dev/null), run through $WRAP if set
STDIN= WRAP=
job() {
	name=$(printf '%s' "$1" | tr -c 'A-Za-z0-9_.-' _); want=$2; shift 2
	{
		echo "want=$want"
		[ -z "${STDIN:-}" ] || echo "stdin='$STDIN'"
		[ -z "${WRAP:-}" ] || echo "wrap='$WRAP'"
		printf 'set --'; printf " '%s'" "$@"; echo
	} >"$tmp/$name.job"
	echo "$name" >>"$tmp/list"
}

for pol in examples/*.pol tests/warn/*.pol; do job "$pol" 0 compile "$pol"; done
for pol in tests/bad/*.pol; do job "$pol" 1 compile "$pol"; done
job check-json 1 check -f json tests/bad/host_bits.pol
job check-sarif 0 check -f sarif tests/warn/covered_block.pol
job fmt 0 fmt examples/full.pol
job fmt-diff 0 fmt --diff examples/split.pol
printf 'tcp 2001:db8:1::2 -> 2001:db8::10 port 22\nicmp 2001:db8:1::2 -> 2001:db8::10\n' >"$tmp/packets"
STDIN=$tmp/packets
job explain 0 explain --json examples/full.pol - 'udp 203.0.113.2 -> 192.0.2.10 port 53'
STDIN=
job test 0 test examples/site.pol
job docker-state 0 compile --docker-state tests/unit/data/docker-networks.json \
	examples/dualstack.pol
job docker-state-unknown 1 compile --docker-state tests/unit/data/docker-networks.json \
	tests/bad/docker_unresolved.pol
WRAP="env DOCKER_HOST=unix://$tmp/no-docker.sock"
job docker-no-daemon 2 check --docker tests/bad/docker_unresolved.pol
WRAP=
if [ "$(id -u)" = 0 ] && unshare -rn true 2>/dev/null; then
	# apply in a namespace of its own; test --kernel makes its own (and
	# needs CAP_NET_RAW in the first user namespace for its packet socket)
	WRAP="unshare -rn"
	job apply 0 apply examples/site.pol
	WRAP=
	job test-kernel 0 test --kernel examples/site.pol
elif [ -n "${D6C_PACKET_REQUIRED:-}" ]; then
	fail "apply and test --kernel under valgrind need root and user namespaces"
else
	echo "SKIP valgrind apply, test --kernel: need root and user namespaces"
fi

start=$(date +%s.%N)
xargs -P2 -n1 sh tests/valgrind/run.sh --job "$tmp" <"$tmp/list"
end=$(date +%s.%N)

while read -r name; do
	eval "$(grep '^want=' "$tmp/$name.job")"
	rc=$(cat "$tmp/$name.rc" 2>/dev/null || echo none)
	if [ "$rc" = "$want" ]; then
		ok "$name"
	elif [ "$rc" = 99 ]; then
		fail "$name: memcheck errors or leaks:"
		# the report without valgrind's banner (6 lines) and blank lines
		grep -v '^==[0-9]*== *$' "$tmp/$name.vg" | sed -n '7,70p'
	else
		fail "$name: exit $rc, expected $want:"; head -8 "$tmp/$name.err"
	fi
	grep -q 'in use at exit: 0 bytes' "$tmp/$name.vg" ||
		echo "NOTE $name: $(grep -o 'in use at exit: .*' "$tmp/$name.vg")"
done <"$tmp/list"
echo "valgrind: $(wc -l <"$tmp/list") runs in $(echo "$end - $start" | bc) s (xargs -P2)"
finish

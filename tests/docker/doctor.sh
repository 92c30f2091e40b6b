# d6c doctor against a running dockerd: group_doctor, sourced by
# tests/docker/run.sh after tests/lib.sh and tests/docker/lib.sh.  It uses
# their hns, ons, dk, run_ctr (image d6ctest:1), $SRC_OK6, $PROBE, MODE,
# $D6C, $tmp, ok and fail,
# and asks the daemon itself what it is (its major version; whether its
# ip6tables chains exist), so it holds for any mode.
#
# It makes two networks of its own, in both gateway modes whatever the
# mode's (20.10 keeps the option and ignores it):
#   doc_nat     2001:db8:d1a::/64, container docn1 (::10), publishes 8090->80
#   doc_routed  2001:db8:d1b::/64 (gateway_mode_ipv6=routed), container docr1
# and checks the doctor's verdicts, and apply's warnings, for a policy that
# protects one or the other (allow tcp 80), each beside a real probe from
# outside to port 80 of the container, which must agree:
#                       28+ ip6tables on   28+ off         20.10 on   20.10 off
#   doc_routed, rule    0 fine             0 fine          0 fine     0 fine
#   doc_nat             1 raw drop         1 docker-proxy  0 fine     1 docker-proxy
#   rule removed (on)   1 missing          -               1 missing  -
# and that a user without CAP_NET_ADMIN gets exit 2, and an unreachable
# daemon a note.  Run it last in a mode: it applies its own policies and
# ends with `d6c remove` (no d6c table, no d6c rule), then removes its
# containers and networks.
DOC_NAT6=2001:db8:d1a::/64
DOC_ROUTED6=2001:db8:d1b::/64

# doc_run NAME WANT COMMAND...: the doctor's (or apply's) stdout in
# $tmp/doc.out, stderr in $tmp/doc.err, exit status WANT; the daemon is
# $DOC_HOST when set, else this run's
doc_run() {
	doc_name=$1 doc_want=$2; shift 2
	DOCKER_HOST=${DOC_HOST:-unix://$tmp/docker.sock} "$@" >"$tmp/doc.out" 2>"$tmp/doc.err"
	doc_rc=$?
	if [ "$doc_rc" = "$doc_want" ]; then
		ok "docker [$MODE] doctor $doc_name: exit $doc_rc"
	else
		fail "docker [$MODE] doctor $doc_name: exit $doc_rc, expected $doc_want:"
		sed 's/^/    /' "$tmp/doc.out" "$tmp/doc.err" | head -20
	fi
}
# doc_has NAME FILE TEXT / doc_hasnt: a fixed string in $tmp/doc.FILE
doc_has() {
	if grep -qF -- "$3" "$tmp/doc.$2"; then ok "docker [$MODE] doctor $1: $3"; else
		fail "docker [$MODE] doctor $1: '$3' not in its $2:"; sed 's/^/    /' "$tmp/doc.$2" | head -20; fi
}
doc_hasnt() {
	if grep -qF -- "$3" "$tmp/doc.$2"; then fail "docker [$MODE] doctor $1: '$3' in its $2:"
		sed 's/^/    /' "$tmp/doc.$2" | head -20; else ok "docker [$MODE] doctor $1: no '$3'"; fi
}

# doc_probe NAME WANT DST: what really happens to tcp port 80 from outside
# ($SRC_OK6 in $P-out) to DST, beside the doctor's verdict
DOC_SPORT=33000
doc_probe() {
	DOC_SPORT=$((DOC_SPORT + 1))
	doc_got=$(ons "${PROBE:-$tmp/rootfs/bin/probe}" tcp $SRC_OK6 "$3" 80 -s $DOC_SPORT -w 800 2>&1)
	case $doc_got in
	"$2"*) ok "docker [$MODE] doctor $1: tcp $3 port 80 from outside: $2" ;;
	*) fail "docker [$MODE] doctor $1: tcp $3 port 80 from outside: $doc_got, expected $2" ;;
	esac
}

doc_setup() {
	dk network create --ipv6 --subnet $DOC_NAT6 doc_nat >/dev/null &&
		dk network create --ipv6 --subnet $DOC_ROUTED6 \
			-o com.docker.network.bridge.gateway_mode_ipv6=routed doc_routed >/dev/null &&
		run_ctr docn1 doc_nat 2001:db8:d1a::10 -p 8090:80 &&
		run_ctr docr1 doc_routed 2001:db8:d1b::10 || return 1
	printf 'network docker "doc_routed" < allow tcp 80; >\n' >"$tmp/doc_routed.pol"
	printf 'network docker "doc_nat" < allow tcp 80; >\n' >"$tmp/doc_nat.pol"
	chmod 644 "$tmp/doc_routed.pol" "$tmp/doc_nat.pol"
}

doc_teardown() {
	DOCKER_HOST=unix://$tmp/docker.sock hns $D6C remove >/dev/null 2>&1
	dk rm -f docn1 docr1 >/dev/null 2>&1
	dk network rm doc_nat doc_routed >/dev/null 2>&1
}

# The daemon's own answers: DOC_MAJOR (28, 20...) and DOC_ON (its ip6
# filter chains exist: 1, else empty)
doc_facts() {
	DOC_MAJOR=$(dk version -f '{{.Server.Version}}' 2>/dev/null | sed 's/\..*//')
	DOC_ON=""
	hns ip6tables -w -S DOCKER >/dev/null 2>&1 && DOC_ON=1
	[ -n "$DOC_MAJOR" ] || { fail "docker [$MODE] doctor: cannot ask dockerd its version"; return 1; }
}

doc_routed_fine() {
	doc_run "routed, applied" 0 hns $D6C apply --docker-accept "$tmp/doc_routed.pol"
	doc_hasnt "routed, applied" err "warning:"
	doc_run "routed" 0 hns $D6C doctor "$tmp/doc_routed.pol"
	doc_has routed out "verdict: fine: what happens is what the policy says"
	doc_probe routed accept 2001:db8:d1b::10
	doc_hasnt routed out "problem"
	if [ "$DOC_MAJOR" -ge 28 ]; then
		doc_has routed out "network doc_routed (br-"
		doc_has routed out "): IPv6 gateway mode routed: packets routed to its containers reach d6c's rules"
	else
		doc_has routed out "Docker before 28 (no gateway modes) does not drop packets routed to its containers"
	fi
	if [ -n "$DOC_ON" ]; then
		doc_has routed out "IPv6 filtering (ip6tables) on"
		if [ "$DOC_MAJOR" -ge 28 ]; then
			doc_has routed out "ok       IPv6: d6c's rule accepting 0x10000000/0x10000000 is first in ip6tables DOCKER-USER, which FORWARD jumps to first"
		else
			doc_has routed out "ok       IPv6: d6c's rule accepting 0x10000000/0x10000000 is first in ip6tables FORWARD"
		fi
	else
		doc_has routed out "IPv6 filtering (ip6tables) off"
		doc_has routed out "ok       IPv6: Docker does not filter forwarded packets"
	fi
	doc_run "routed, json" 0 hns $D6C doctor --json "$tmp/doc_routed.pol"
	doc_has "routed, json" out '"status": 0'
	doc_has "routed, json" out '"reachable": true'
	doc_has "routed, json" out '"gateway_mode_ipv6": "routed"'
}

doc_nat() {
	if [ -n "$DOC_ON" ] && [ "$DOC_MAJOR" -ge 28 ]; then
		doc_run "nat, applied" 0 hns $D6C apply --docker-accept "$tmp/doc_nat.pol"
		doc_has "nat, applied" err "d6c: warning: network doc_nat (br-"
		doc_run nat 1 hns $D6C doctor "$tmp/doc_nat.pol"
		doc_has nat out "problem  network doc_nat (br-"
		doc_has nat out "NAT gateway mode: Docker drops packets routed to its containers in raw PREROUTING (1 rule, e.g. -d 2001:db8:d1a::10/128 ! -i br-"
		doc_has nat out "d6c's allows cannot take effect. Recreate it with -o com.docker.network.bridge.gateway_mode_ipv6=routed"
		doc_has nat out "verdict: 1 problem: what happens is not what the policy says"
		doc_probe nat drop 2001:db8:d1a::10
		doc_run "nat, json" 1 hns $D6C doctor --json "$tmp/doc_nat.pol"
		doc_has "nat, json" out '"raw_drops_ipv6": 1'
	elif [ -n "$DOC_ON" ]; then
		doc_run "nat, applied" 0 hns $D6C apply --docker-accept "$tmp/doc_nat.pol"
		doc_hasnt "nat, applied" err "warning:"
		doc_run nat 0 hns $D6C doctor "$tmp/doc_nat.pol"
		doc_probe nat accept 2001:db8:d1a::10
	else
		# Docker's ip6tables off: the port published on [::] is docker-proxy's
		doc_run "nat, applied" 0 hns $D6C apply --docker-accept "$tmp/doc_nat.pol"
		doc_has "nat, applied" err "d6c: warning: container docn1 (doc_nat): [::]:8090/tcp (its port 80) is served by docker-proxy"
		doc_run nat 1 hns $D6C doctor "$tmp/doc_nat.pol"
		doc_has nat out "problem  container docn1 (doc_nat): [::]:8090/tcp (its port 80) is served by docker-proxy on the host's own addresses (input path)"
		doc_hasnt nat out "raw PREROUTING"
		# routed to the container it is d6c's (no raw drop without ip6tables)
		doc_probe nat accept 2001:db8:d1a::10
	fi
}

# d6c's IPv6 rule deleted by hand, then put back by apply
doc_rule_removed() {
	[ -n "$DOC_ON" ] || return 0
	doc_chain=DOCKER-USER
	[ "$DOC_MAJOR" -ge 28 ] || doc_chain=FORWARD
	doc_run "rule, applied" 0 hns $D6C apply --docker-accept "$tmp/doc_routed.pol"
	if ! hns ip6tables -w -D $doc_chain -m mark --mark 0x10000000/0x10000000 \
		-m comment --comment d6c-accept -j ACCEPT; then
		fail "docker [$MODE] doctor: cannot delete d6c's rule from ip6tables $doc_chain"; return
	fi
	doc_run "rule removed" 1 hns $D6C doctor "$tmp/doc_routed.pol"
	doc_has "rule removed" out "problem  IPv6: d6c's rule accepting 0x10000000/0x10000000 is missing in ip6tables $doc_chain, so Docker drops what d6c allows; run d6c apply --docker-accept"
	doc_probe "rule removed" drop 2001:db8:d1b::10
	doc_run "rule removed, no POLICY" 1 hns $D6C doctor
	doc_run "rule removed, applied" 0 hns $D6C apply "$tmp/doc_routed.pol"
	doc_has "rule removed, applied" err "d6c: warning: IPv6: Docker's ip6tables chains drop forwarded packets Docker does not publish, and d6c marks nothing"
	doc_run "rule put back" 0 hns $D6C apply --docker-accept "$tmp/doc_routed.pol"
	doc_run "rule put back" 0 hns $D6C doctor "$tmp/doc_routed.pol"
	doc_probe "rule put back" accept 2001:db8:d1b::10
}

doc_unprivileged() {
	# the table and rule are as the policy needs; without Docker: a note
	DOC_HOST=unix://$tmp/nothing.sock
	doc_run "no daemon" 0 hns $D6C doctor
	DOC_HOST=""
	doc_has "no daemon" out "note     Docker: not reachable (cannot reach the Docker daemon at unix://$tmp/nothing.sock"
	command -v setpriv >/dev/null || { echo "SKIP doctor without root: no setpriv"; return 0; }
	doc_run "not root" 2 hns setpriv --reuid 65534 --regid 65534 --clear-groups \
		--inh-caps=-all $D6C doctor
	doc_has "not root" out "run d6c doctor as root"
	doc_has "not root" out "verdict: cannot tell"
}

group_doctor() {
	if ! doc_setup; then
		fail "docker [$MODE] doctor: cannot make its networks and containers"
		doc_teardown
		return
	fi
	doc_facts && {
		doc_routed_fine
		doc_nat
		doc_rule_removed
		doc_unprivileged
	}
	doc_teardown
}

# The fleet suite's cases, in order (tests/fleet/run.sh, which sources
# this, says what each proves).  Each starts from the state the one before
# left.

# played NAME ok|fails: the play's exit status, as expected
played() {
	rc=$(cat "$T/$1.rc")
	if { [ "$2" = ok ] && [ "$rc" = 0 ]; } || { [ "$2" = fails ] && [ "$rc" != 0 ]; }; then
		ok "$1: the play $([ "$2" = ok ] && echo succeeds || echo fails)"
	else
		fail "$1: the play exited $rc:"; show "$1"
	fi
}
# recap_is NAME N PATTERN WHAT: host N's recap line matches the case PATTERN
recap_is() {
	line=$(recap "$1" "h$2")
	# shellcheck disable=SC2254
	case $line in
	$3) ok "$1: host $2 $4" ;;
	*) fail "$1: host $2 should have $4: ${line:-no recap}" ;;
	esac
}

# ------------------------------------------------------------ lint
snapshot before-lint
play lint $DIR/bad.pol
if [ "$(cat "$T/lint.rc")" != 0 ] && grep -q "bad.pol:4:16: error: unexpected name 'O'" "$T/lint.out"; then
	ok "lint: the play fails on the controller with d6c's diagnostic"
else
	fail "lint: the play should fail with bad.pol:4:16's error:"; show lint
fi
snapshot after-lint
for n in $HOSTS; do
	same_host before-lint after-lint "$n" lint
	# (host 4 has d6c already: it follows Docker)
	if { [ "$n" != 4 ] && in_host "$n" test -e /usr/bin/d6c; } ||
		in_host "$n" test -e /usr/local/sbin/d6c-rollout; then
		fail "lint: host $n: something was installed"
	else
		ok "lint: host $n: nothing installed"
	fi
done

# ------------------------------------------------------------ rollout
play rollout $DIR/good.pol
played rollout ok
for n in $HOSTS; do
	# host 4 follows Docker: apply --follow-docker marks what it accepts
	opts=""; [ "$n" != 4 ] || opts="--accept-mark 0x10000000/0x10000000"
	want=$(compiled_table "$n" $opts) || fail "rollout: cannot load host $n's compiled policy in a scratch namespace"
	got=$(in_host "$n" nft list table inet d6c | listed)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "rollout: host $n's table is the compiled policy"
	else
		fail "rollout: host $n's table is not the compiled policy:"
		printf '%s\n' "$want" >"$T/want.nft"; printf '%s\n' "$got" >"$T/got.nft"
		diff "$T/want.nft" "$T/got.nft" | head -20 | sed 's/^/    /'
	fi
	if host_has "$n" "$DIR/good.pol" && in_host "$n" /usr/bin/d6c status >/dev/null 2>&1; then
		ok "rollout: host $n: /etc/d6c/site.pol is the policy, d6c status says current"
	else
		fail "rollout: host $n: policy file or status wrong:"; in_host "$n" /usr/bin/d6c status | sed 's/^/    /'
	fi
	recap_is rollout "$n" '*changed=[1-9]* failed=0 *' "reported changed"
done
if grep -q 'Reload apply --follow-docker' "$T/rollout.out" &&
	[ "$(sed -n '/Reload apply --follow-docker/,/^$/p' "$T/rollout.out" | grep -c '^changed: \[h4\]')" = 1 ] &&
	! sed -n '/Apply, rolled back by itself/,/^$/p' "$T/rollout.out" | grep -q '^\(ok\|changed\|fatal\): \[h4\]'; then
	ok "rollout: host 4 (following Docker) was reloaded, not applied"
else
	fail "rollout: host 4 should have been reloaded:"; show rollout
fi
if grep -q '^changed: \[h1 -> localhost\] => (item=.*probe tcp' "$T/rollout.out" ||
	grep -q '^ok: \[h1 -> localhost\] => (item=.*probe tcp' "$T/rollout.out"; then
	ok "rollout: the probes ran from the controller before the confirm"
else
	fail "rollout: no probe in the play's output:"; show rollout
fi
# The canary goes alone: h1 finishes its confirm before h2 starts.
l1=$(grep -n 'Keep the policy files' "$T/rollout.out" | head -1 | cut -d: -f1)
l2=$(grep -n '^ok: \[h2\]' "$T/rollout.out" | head -1 | cut -d: -f1)
if [ -n "$l1" ] && [ -n "$l2" ] && [ "$l1" -lt "$l2" ]; then
	ok "rollout: the canary (h1) was confirmed before host 2 was touched"
else
	fail "rollout: batches not in order (canary confirm at line ${l1:-?}, h2 first at ${l2:-?})"
fi

# ------------------------------------------------------------ again
snapshot before-again
play again $DIR/good.pol
played again ok
snapshot after-again
for n in $HOSTS; do
	recap_is again "$n" '* changed=0 *failed=0 *' "reported unchanged"
	same_host before-again after-again "$n" again
done
[ "$(grep -c '"msg": "d6c: unchanged"' "$T/again.out")" = 4 ] &&
	ok "again: four hosts say 'd6c: unchanged'" || { fail "again: not four 'd6c: unchanged':"; show again; }

# ------------------------------------------------------------ check
play check $DIR/good2.pol --check --diff
played check ok
snapshot after-check
for n in $HOSTS; do
	recap_is check "$n" '*changed=[1-9]* failed=0 *' "reported a change"
	same_host after-again after-check "$n" check
done
grep -q 'allow tcp 80, 443;' "$T/check.out" &&
	ok "check: --diff shows d6c diff's lines" || { fail "check: no diff lines:"; show check; }
[ "$(sed -n '/^TASK \[d6c : Dry run (--check)\]/,/^$/p' "$T/check.out" | grep -c '^ok: \[h[1-4]\]')" = 4 ] &&
	ok "check: apply --dry-run ran" || { fail "check: no apply --dry-run:"; show check; }

# ------------------------------------------------------------ packets
# From the controller's link on host 1 to the network behind it; verdicts
# as d6c explain gives them for the policy in force.
for spec in "tcp 80" "tcp 23" "tcp 443" "icmp -"; do
	set -- $spec
	src=2001:db8:ff:1::1 dst=2001:db8:1:1::22
	if [ "$1" = icmp ]; then
		pkt="icmp $src -> $dst type echo-request"
		got=$(in_ctl "$PROBE" icmp "$src" "$dst" -w 1000 | cut -d' ' -f1)
	else
		pkt="$1 $src -> $dst port $2"
		got=$(in_ctl "$PROBE" "$1" "$src" "$dst" "$2" -w 1000 | cut -d' ' -f1)
	fi
	want=$("$D6C_BIN" explain "$DIR/good.pol" "$pkt" 2>/dev/null | sed -n '1s/.*: //p')
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "packets: $pkt through host 1: $got"
	else
		fail "packets: $pkt through host 1: $got, d6c explain says ${want:-nothing}"
	fi
done

# ------------------------------------------------------------ lockout
# Two background watchers note when host 1's table changes and when a new
# SSH connection stops and starts working: the rollback's timeline.
snapshot before-lockout
(
	prev=""
	while :; do
		t=$(ruleset 1 | md5sum | cut -c1-8)
		[ "$t" = "$prev" ] || echo "$(now) table $t"
		prev=$t
		sleep 0.1
	done
) >"$T/timeline.table" 2>&1 &
WATCH="$!"
(
	prev=""
	while :; do
		if reach 1 2; then s=up; else s=down; fi
		[ "$s" = "$prev" ] || echo "$(now) ssh $s"
		prev=$s
		sleep 0.2
	done
) >"$T/timeline.ssh" 2>&1 &
WATCH="$WATCH $!"
SERVER_PIDS="$SERVER_PIDS $WATCH"
sleep 1
play lockout $DIR/nossh.pol
sleep 1
kill $WATCH
sort "$T/timeline.table" "$T/timeline.ssh" >"$T/timeline"
snapshot after-lockout
played lockout fails
for n in $HOSTS; do
	same_host before-lockout after-lockout "$n" lockout
done
recap_is lockout 1 '*unreachable=0 failed=1 *' "failed (the canary)"
for n in 2 3 4; do
	if [ -z "$(recap lockout "h$n")" ]; then
		ok "lockout: host $n never reached"
	else
		fail "lockout: host $n was reached: $(recap lockout "h$n")"
	fi
done
grep -q 'd6c: rolled back (Stop here if it cannot be reached' "$T/lockout.out" &&
	ok "lockout: the canary reports 'rolled back', lost SSH" || { fail "lockout: no 'rolled back':"; show lockout; }
grep -q "not confirmed within $CONFIRM s" "$T/lockout.out" &&
	ok "lockout: d6c status on the canary: not confirmed within $CONFIRM s" ||
	{ fail "lockout: no 'not confirmed' in d6c status:"; show lockout; }
# The timeline, relative to the play's start.
t0=$(cat "$T/lockout.t0")
applied=$(awk '/ table /{n++} n==2{print $1; exit}' "$T/timeline")
# the first failed connection after the apply, and the first one through
# after that (a loaded machine can fail one before the apply too)
lost=$(awk -v a="${applied:-0}" '$2=="ssh" && $3=="down" && $1>=a{print $1; exit}' "$T/timeline")
restored=$(awk '/ table /{n++} n==3{print $1; exit}' "$T/timeline")
back=$(awk -v l="${lost:-0}" '$2=="ssh" && $3=="up" && $1>l{print $1; exit}' "$T/timeline")
ended=$(cat "$T/lockout.t1")
rel() { [ -n "$1" ] && echo "$1 - $t0" | bc || echo "?"; }
echo "fleet: lockout timeline (s after the play started): applied $(rel "$applied"), SSH lost $(rel "$lost"), table put back $(rel "$restored"), SSH back $(rel "$back"), play failed $(rel "$ended")"
if [ -n "$applied" ] && [ -n "$restored" ] &&
	[ "$(echo "$restored - $applied <= $CONFIRM + 2" | bc)" = 1 ] &&
	[ "$(echo "$restored - $applied >= $CONFIRM - 1" | bc)" = 1 ]; then
	ok "lockout: the canary put its table back $(echo "$restored - $applied" | bc) s after the apply (window $CONFIRM s)"
else
	fail "lockout: table changes not as expected:"; sed 's/^/    /' "$T/timeline"
fi
[ -n "$lost" ] && [ -n "$back" ] && ok "lockout: SSH was lost, then came back" ||
	{ fail "lockout: SSH was never lost, or never came back:"; sed 's/^/    /' "$T/timeline"; }

# ------------------------------------------------------------ follow
snapshot before-follow
play follow $DIR/nossh.pol --limit h4
snapshot after-follow
played follow fails
for n in 1 2 3; do
	same_host before-follow after-follow "$n" follow
done
# Host 4's rollback is a reload of its previous policy: the same ruleset,
# applied again (the record's time is new).
if [ "$(listed <"$T/snap.before-follow.4.nft")" = "$(listed <"$T/snap.after-follow.4.nft")" ] &&
	cmp -s "$T/snap.before-follow.4.pol" "$T/snap.after-follow.4.pol"; then
	ok "follow: host 4's ruleset (but its record) and policy file are back as they were"
else
	fail "follow: host 4 not back as it was:"
	diff "$T/snap.before-follow.4.nft" "$T/snap.after-follow.4.nft" | head -20 | sed 's/^/    /'
fi
grep -q 'Reload apply --follow-docker' "$T/follow.out" && grep -q 'd6c: rolled back' "$T/follow.out" &&
	ok "follow: host 4 was reloaded, lost SSH and rolled back" || { fail "follow: not reloaded and rolled back:"; show follow; }
[ "$(in_host 4 /usr/local/sbin/d6c-rollout state | cut -d: -f1)" = reverted ] &&
	ok "follow: the helper put the policy files back" || fail "follow: the helper says $(in_host 4 /usr/local/sbin/d6c-rollout state)"

# ------------------------------------------------------------ down
snapshot before-down
stop_sshd 2
play down $DIR/good2.pol
snapshot after-down
played down fails
recap_is down 2 '*unreachable=1*' "been unreachable"
if host_has 1 "$DIR/good2.pol" && in_host 1 /usr/bin/d6c status >/dev/null 2>&1; then
	ok "down: the canary took the new policy"
else
	fail "down: the canary did not take the new policy"
fi
for n in 2 3 4; do
	same_host before-down after-down "$n" down
done
start_sshd 2

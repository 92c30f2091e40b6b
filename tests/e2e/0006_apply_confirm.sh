#!/bin/sh
# apply --confirm: unconfirmed, the previous table comes back after the
# timeout (and when there was none, the table goes away); confirmed in time,
# the new table stays.  Bounded waits: timeouts of 1 to 3 s, checked 1 to 2 s later.
set -eu
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export D6C_RUNDIR="$tmp/run"
cat >"$tmp/inner.sh" <<INNER
set -u
$D6C apply examples/full.pol >/dev/null || exit 10
$NFT list ruleset >"$tmp/full"
# A caller that captures the output gets it at once, not after the timeout.
start=\$(date +%s)
out=\$($D6C apply --confirm 3 examples/site.pol 2>&1) || exit 11
echo "\$out" >"$tmp/out1"
echo \$(( \$(date +%s) - start )) >"$tmp/took"
$NFT list ruleset >"$tmp/during"
sleep 4
$NFT list ruleset >"$tmp/restored"
$D6C confirm >/dev/null 2>"$tmp/late"; echo \$? >"$tmp/rc_late"
$D6C apply --confirm 1 examples/site.pol >/dev/null || exit 12
$NFT list ruleset >"$tmp/pending"
$D6C apply examples/full.pol >/dev/null 2>"$tmp/busy"; echo \$? >"$tmp/rc_busy"
$NFT list ruleset >"$tmp/pending2"
$D6C confirm >"$tmp/confirm" || exit 13
sleep 3
$NFT list ruleset >"$tmp/kept"
$D6C confirm >/dev/null 2>"$tmp/confirm2"; echo \$? >"$tmp/rc2"
INNER
unshare -rn sh "$tmp/inner.sh"
grep -q "run 'd6c confirm' within 3 seconds" "$tmp/out1" || { cat "$tmp/out1"; exit 1; }
grep -q 'chain net_4' "$tmp/during" && { echo "site was not applied"; exit 1; }
cmp -s "$tmp/full" "$tmp/restored" || { echo "previous table not restored:"; diff "$tmp/full" "$tmp/restored" | head; exit 1; }
[ "$(cat "$tmp/took")" -le 1 ] || { echo "apply --confirm held its caller for $(cat "$tmp/took") s"; exit 1; }
[ "$(cat "$tmp/rc_late")" = 2 ] || { echo "a late confirm exited $(cat "$tmp/rc_late")"; exit 1; }
grep -q 'was put back' "$tmp/late" || { echo "a late confirm did not say what happened:"; cat "$tmp/late"; exit 1; }
grep -q 'confirmed' "$tmp/confirm" || exit 1
# while a confirmation is pending, another apply is refused and changes nothing
[ "$(cat "$tmp/rc_busy")" = 2 ] || { echo "apply during a pending confirm exited $(cat "$tmp/rc_busy")"; exit 1; }
grep -q "waiting for 'd6c confirm'" "$tmp/busy" || { cat "$tmp/busy"; exit 1; }
cmp -s "$tmp/pending" "$tmp/pending2" || { echo "refused apply changed the ruleset"; exit 1; }
grep -q 'chain net_4' "$tmp/kept" && { echo "confirmed table was rolled back"; exit 1; }
grep -q 'chain net_1' "$tmp/kept" || { echo "confirmed table missing"; exit 1; }
[ "$(cat "$tmp/rc2")" != 0 ] || { echo "a second confirm succeeded"; exit 1; }

# No table before: an unconfirmed apply leaves none.
cat >"$tmp/inner2.sh" <<INNER
set -u
$D6C apply --confirm 1 examples/site.pol >/dev/null || exit 10
$NFT list tables >"$tmp/t1"
sleep 3
$NFT list tables >"$tmp/t2"
INNER
unshare -rn sh "$tmp/inner2.sh"
grep -q 'table inet d6c' "$tmp/t1" || { echo "not applied"; exit 1; }
grep -q 'table inet d6c' "$tmp/t2" && { echo "table stayed although none existed before"; exit 1; }

# The watcher dies (killed, or the machine rebooted): confirm sees the stale
# file, signals nobody, and the table stays.
cat >"$tmp/inner3.sh" <<INNER
set -u
$D6C apply --confirm 30 examples/site.pol >/dev/null || exit 10
kill -9 \$(cut -d" " -f1 "$D6C_RUNDIR"/d6c.*.pending)   # PID DEADLINE
sleep 0.2
$D6C confirm >"$tmp/c3" 2>"$tmp/e3"; echo \$? >"$tmp/rc3"
$NFT list tables >"$tmp/t3"
INNER
unshare -rn sh "$tmp/inner3.sh"
[ "$(cat "$tmp/rc3")" = 0 ] || { echo "confirm after a dead watcher exited $(cat "$tmp/rc3")"; exit 1; }
grep -q 'no longer running' "$tmp/e3" || { cat "$tmp/e3"; exit 1; }
grep -q 'table inet d6c' "$tmp/t3" || { echo "table lost"; exit 1; }
exit 0

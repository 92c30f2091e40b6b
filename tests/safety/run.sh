#!/bin/sh
# Nothing lost, and no privilege where none is needed (LANGUAGE.md's
# promises, tested by force):
#  1. compile -o under SIGKILL at random moments: FILE is always the whole
#     old or the whole new ruleset; a killed run's temporary file goes with
#     the next successful one; normal errors (policy error, read-only or
#     unwritable directory, full disk) leave FILE as it was and no temporary.
#  2. apply under SIGINT, SIGTERM and SIGKILL at random moments: the table
#     in the namespace is always the whole old or the whole new one.
#  3. the --confirm watcher: own session, no terminal, SIGHUP ignored; it
#     outlives its caller's terminal and still rolls back; a stale pending
#     file (watcher gone, a reboot with the run directory kept) is reported
#     and removed by the next apply and by `d6c confirm`.
#  4. compile/check/fmt/explain/test open no netlink socket (strace) and
#     work as nobody.
#  5. apply refuses files (or includes, or directories) others can write.
# Mounts happen in private mount namespaces (unshare -m), tables in private
# network namespaces.  Needs root, strace, util-linux (unshare, setpriv,
# script, flock).  KILLS and APPLY_KILLS set the number of kills.
. "$(dirname "$0")/../lib.sh"
: "${NFT:=nft}" "${KILLS:=50}" "${APPLY_KILLS:=24}"
if [ "$(id -u)" != 0 ] || ! unshare -n true 2>/dev/null; then
	echo "safety: needs root and namespaces; skipped"
	finish
	exit
fi
tmp=$(mktemp -d /tmp/d6c-safety.XXXXXX) || exit 2
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
D6C_ABS=$D6C
case $D6C in ./*) D6C_ABS="$PWD/${D6C#./}" ;; esac

ms() { date +%s%N | cut -c1-13; }
# a random delay between 0 and $1 ms, as a sleep(1) argument
rdelay() { r=$(od -An -N2 -tu2 /dev/urandom | tr -d ' '); n=$((r % ($1 + 1))); printf '%d.%03d' $((n / 1000)) $((n % 1000)); }
check() { if eval "$2"; then ok "$1"; else fail "$1"; return 1; fi; }

# ---- 3 (started first, checked later: its waits overlap the kill loops) ----
export D6C_RUNDIR="$tmp/run"
cat >"$tmp/watch.sh" <<INNER
set -u
$D6C apply examples/full.pol >/dev/null || exit 10
$NFT list ruleset >"$tmp/w.full"
# its caller on a terminal that goes away: script(1) gives it a pty, whose
# session ends (SIGHUP to its foreground group) when script exits
script -qec "$D6C apply --confirm 2 examples/site.pol" /dev/null >"$tmp/w.script" 2>&1 || exit 11
pid=\$(cut -d' ' -f1 "$tmp/run"/d6c.*.pending)   # PID DEADLINE
echo "\$pid" >"$tmp/w.pid"
awk '{ print \$6, \$7 }' /proc/\$pid/stat >"$tmp/w.stat"   # session, tty_nr
sed -n 's/^SigIgn:[[:space:]]*//p' /proc/\$pid/status >"$tmp/w.sigign"
readlink /proc/\$pid/cwd >"$tmp/w.cwd"
$NFT list ruleset >"$tmp/w.during"
sleep 3.5
$NFT list ruleset >"$tmp/w.after"
# a SIGHUP sent to the caller's whole process group
setsid sh -c '$D6C apply --confirm 2 examples/site.pol >/dev/null; kill -HUP 0' >/dev/null 2>&1
sleep 0.3
pid=\$(cut -d' ' -f1 "$tmp/run"/d6c.*.pending 2>/dev/null)
kill -0 "\$pid" 2>/dev/null && echo alive >"$tmp/w.hup"
sleep 3.2
$NFT list ruleset >"$tmp/w.after2"
INNER
cat >"$tmp/stale.sh" <<INNER
set -u
# a ruleset's blocks one a line, sorted: a delta adds its chains last,
# where a fresh load has them in policy order
blocks() {
	awk '/^table / { t = \$0; next }
	     /^\t[a-z]+ .* \{\$/ { b = t "|" \$0; next }
	     b != "" { b = b "|" \$0; if (\$0 == "\t}") { print b; b = "" }; next }
	     { print t "|" \$0 }' | sort
}
# two applies of one policy differ in the time of their record only
lst() { $NFT list ruleset | sed 's/^\(\t\treturn comment "d6c\/1 [^ ]* \)[^ ]*Z /\1TIME /' | blocks; }
key=d6c.\$(stat -Lc %i /proc/self/ns/net)
$D6C apply examples/full.pol >/dev/null || exit 10
lst >"$tmp/s.full"
$D6C apply --confirm 30 examples/site.pol >/dev/null || exit 11
$NFT list ruleset >"$tmp/s.site"
kill -9 \$(cut -d' ' -f1 "$tmp/runs/\$key.pending"); sleep 0.2
$D6C apply examples/full.pol >"$tmp/s.out" 2>"$tmp/s.err"; echo \$? >"$tmp/s.rc"
lst >"$tmp/s.after"
[ -e "$tmp/runs/\$key.pending" ] && echo left >"$tmp/s.left"
# "after a reboot": a pending file naming a pid that now is someone else
sleep 30 & other=\$!
echo \$other >"$tmp/runs/\$key.pending"
$D6C confirm >"$tmp/c.out" 2>"$tmp/c.err"; echo \$? >"$tmp/c.rc"
[ -e "$tmp/runs/\$key.pending" ] && echo left >"$tmp/c.left"
kill -0 \$other 2>/dev/null && echo alive >"$tmp/c.other"
kill \$other
# the empty file of an apply --confirm killed before its watcher existed
: >"$tmp/runs/\$key.pending"
$D6C apply examples/site.pol >/dev/null 2>"$tmp/e.err"; echo \$? >"$tmp/e.rc"
[ -e "$tmp/runs/\$key.pending" ] && echo left >"$tmp/e.left"
$NFT list ruleset >"$tmp/e.after"
INNER
( unshare -rn sh "$tmp/watch.sh"; echo $? >"$tmp/watch.rc" ) &
watch_pid=$!
# not the same namespace: its own table and keys
( sleep 1; D6C_RUNDIR="$tmp/runs" unshare -rn sh "$tmp/stale.sh"; echo $? >"$tmp/stale.rc" ) &
stale_pid=$!

section() { [ -n "${VERBOSE:-}" ] && echo "safety: $1 at $(( $(date +%s) - started )) s"; return 0; }
started=$(date +%s)
# ---- 1. compile -o ----------------------------------------------------
sh bench/gen.sh 20000 >"$tmp/old.pol"
sh bench/gen.sh 20001 >"$tmp/new.pol"
$D6C compile -o "$tmp/old.nft" "$tmp/old.pol" && $D6C compile -o "$tmp/new.nft" "$tmp/new.pol" || exit 2
mkdir "$tmp/out"
cp "$tmp/old.nft" "$tmp/out/fw.nft"
t0=$(ms); $D6C compile -o "$tmp/out/fw.nft" "$tmp/new.pol"; dur=$(($(ms) - t0))
cp "$tmp/old.nft" "$tmp/out/fw.nft"
i=0 torn=0 was_old=0 was_new=0 left=0
while [ $i -lt "$KILLS" ]; do
	if cmp -s "$tmp/out/fw.nft" "$tmp/old.nft"; then src=new; else src=old; fi
	$D6C compile -o "$tmp/out/fw.nft" "$tmp/$src.pol" 2>/dev/null &
	pid=$!
	sleep "$(rdelay "$dur")"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if [ $src = new ]; then before=old; else before=new; fi
	# kept: still the whole previous file; replaced: the whole new one
	if cmp -s "$tmp/out/fw.nft" "$tmp/$before.nft"; then was_old=$((was_old + 1))
	elif cmp -s "$tmp/out/fw.nft" "$tmp/$src.nft"; then was_new=$((was_new + 1))
	else torn=$((torn + 1)); cp "$tmp/old.nft" "$tmp/out/fw.nft"
	fi
	i=$((i + 1))
done
left=$(ls -A "$tmp/out" | grep -c '^\.fw\.nft\.d6c-')
echo "compile -o, $KILLS SIGKILLs within ${dur} ms: $was_old kept the whole old file, $was_new had the whole new one, $torn torn; $left temporary files left"
check "compile -o: $KILLS SIGKILLs, FILE always whole old or whole new ($was_old kept, $was_new replaced)" '[ $torn = 0 ]'
# A stale temporary (as a SIGKILL at the wrong instant leaves) goes with
# the next successful write; one a live writer holds (flock) stays.
cp "$tmp/old.nft" "$tmp/out/.fw.nft.d6c-STALE1"
cp "$tmp/old.nft" "$tmp/out/.fw.nft.d6c-LIVE01"
cp "$tmp/old.nft" "$tmp/out/.other.d6c-STALE1"
# held until the checks are done, however slow the compile (a sanitizer
# build on a loaded machine)
flock "$tmp/out/.fw.nft.d6c-LIVE01" sleep 60 &
holder=$!
sleep 0.3
$D6C compile -o "$tmp/out/fw.nft" "$tmp/new.pol"
check "compile -o: the next successful run removes stale temporaries" \
	'[ -z "$(ls -A "$tmp/out" | grep -e STALE1 -e "d6c-[^L]" | grep -v "^\.other")" ]'
check "compile -o: a temporary still locked by its writer is kept" '[ -f "$tmp/out/.fw.nft.d6c-LIVE01" ]'
check "compile -o: another target's temporary is not touched" '[ -f "$tmp/out/.other.d6c-STALE1" ]'
pkill -P $holder sleep 2>/dev/null; kill $holder 2>/dev/null; wait $holder 2>/dev/null
rm -f "$tmp/out/.fw.nft.d6c-LIVE01" "$tmp/out/.other.d6c-STALE1"
check "compile -o: the run after the kills wrote the new ruleset" 'cmp -s "$tmp/out/fw.nft" "$tmp/new.nft"'

# Normal errors: exit status, FILE untouched, directory holds FILE only.
$D6C compile -o "$tmp/small.nft" examples/site.pol || exit 2
printf 'network 2001:db8::1/64 < allow tcp 22; >\n' >"$tmp/bad.pol"
mkdir "$tmp/e"; cp "$tmp/small.nft" "$tmp/e/fw.nft"
$D6C compile -o "$tmp/e/fw.nft" "$tmp/bad.pol" 2>/dev/null; rc=$?
check "compile -o, policy error: exit 1, FILE untouched, no temporary" \
	'[ $rc = 1 ] && cmp -s "$tmp/e/fw.nft" "$tmp/small.nft" && [ "$(ls -A "$tmp/e")" = fw.nft ]'
# as nobody, in a root-owned 755 directory: EACCES
chmod 644 "$tmp/e/fw.nft"
setpriv --reuid=nobody --regid=nogroup --clear-groups $D6C_ABS compile -o "$tmp/e/fw.nft" \
	"$tmp/new.pol" 2>"$tmp/err"; rc=$?
check "compile -o as nobody into an unwritable directory: exit 2, FILE untouched, no temporary" \
	'[ $rc = 2 ] && cmp -s "$tmp/e/fw.nft" "$tmp/small.nft" && [ "$(ls -A "$tmp/e")" = fw.nft ] && grep -q "cannot write" "$tmp/err"'
cat >"$tmp/mounts.sh" <<INNER
set -u
mkdir -p "$tmp/full" "$tmp/ro"
# a full disk: 64 KiB of tmpfs holding the old (small) ruleset
mount -t tmpfs -o size=64k d6c-full "$tmp/full" || exit 10
cp "$tmp/small.nft" "$tmp/full/fw.nft"
$D6C compile -o "$tmp/full/fw.nft" "$tmp/new.pol" 2>"$tmp/full.err"; echo \$? >"$tmp/full.rc"
cmp -s "$tmp/full/fw.nft" "$tmp/small.nft"; echo \$? >"$tmp/full.same"
ls -A "$tmp/full" >"$tmp/full.ls"
printf 'network 2001:db8::/64 <allow tcp 22;>\n' >"$tmp/full/x.pol"
cp "$tmp/full/x.pol" "$tmp/x.pol.orig"
head -c 100000 /dev/zero >"$tmp/full/fill" 2>/dev/null
$D6C fmt -w "$tmp/full/x.pol" 2>"$tmp/fmtfull.err"; echo \$? >"$tmp/fmtfull.rc"
cmp -s "$tmp/full/x.pol" "$tmp/x.pol.orig"; echo \$? >"$tmp/fmtfull.same"
rm "$tmp/full/fill"; ls -A "$tmp/full" >"$tmp/fmtfull.ls"
# a read-only file system: tmpfs remounted ro (root ignores chmod 555)
mount -t tmpfs d6c-ro "$tmp/ro" || exit 11
cp "$tmp/small.nft" "$tmp/ro/fw.nft"
mount -o remount,ro "$tmp/ro" || exit 12
$D6C compile -o "$tmp/ro/fw.nft" "$tmp/new.pol" 2>"$tmp/ro.err"; echo \$? >"$tmp/ro.rc"
cmp -s "$tmp/ro/fw.nft" "$tmp/small.nft"; echo \$? >"$tmp/ro.same"
ls -A "$tmp/ro" >"$tmp/ro.ls"
INNER
unshare -m --propagation private sh "$tmp/mounts.sh"; rc=$?
check "mount namespace for the disk tests (exit $rc)" '[ $rc = 0 ]'
check "compile -o on a full disk: exit 2, says so, FILE untouched, no temporary" \
	'[ "$(cat "$tmp/full.rc")" = 2 ] && grep -q "No space left" "$tmp/full.err" && [ "$(cat "$tmp/full.same")" = 0 ] && [ "$(cat "$tmp/full.ls")" = fw.nft ]'
check "fmt -w on a full disk: exit 2, the file untouched, no temporary" \
	'[ "$(cat "$tmp/fmtfull.rc")" = 2 ] && [ "$(cat "$tmp/fmtfull.same")" = 0 ] && [ "$(cat "$tmp/fmtfull.ls" | tr "\n" " ")" = "fw.nft x.pol " ]'
check "compile -o on a read-only file system: exit 2, says so, FILE untouched" \
	'[ "$(cat "$tmp/ro.rc")" = 2 ] && grep -q "Read-only file system" "$tmp/ro.err" && [ "$(cat "$tmp/ro.same")" = 0 ] && [ "$(cat "$tmp/ro.ls")" = fw.nft ]'
check "the test mounts stayed in their namespace" '! grep -q "d6c-full\|d6c-ro" /proc/self/mounts'

section "apply kills"
# ---- 2. apply under signals ---------------------------------------------
# unshare -n, not -rn: as real root libnftables may enlarge its socket
# buffer for a big batch (a user namespace gets "Message too long").
sh bench/gen.sh 3000 >"$tmp/a.pol"
sh bench/gen.sh 3001 >"$tmp/b.pol"
export D6C_RUNDIR="$tmp/run3"
cat >"$tmp/apply.sh" <<INNER
set -u
# a ruleset's blocks one a line, sorted: a delta adds its chains last,
# where a fresh load has them in policy order
blocks() {
	awk '/^table / { t = \$0; next }
	     /^\t[a-z]+ .* \{\$/ { b = t "|" \$0; next }
	     b != "" { b = b "|" \$0; if (\$0 == "\t}") { print b; b = "" }; next }
	     { print t "|" \$0 }' | sort
}
# the time in the table's record (chain record) is the only thing that
# differs between two applies of one policy
lst() { $NFT list ruleset | sed 's/^\(\t\treturn comment "d6c\/1 [^ ]* \)[^ ]*Z /\1TIME /' | blocks; }
$NFT -f tests/e2e/other-table.nft
$D6C apply "$tmp/b.pol" >/dev/null || exit 10
lst >"$tmp/rs.b"
t0=\$(ms); $D6C apply "$tmp/a.pol" >/dev/null || exit 11; dur=\$((\$(ms) - t0))
lst >"$tmp/rs.a"
cp "$tmp/rs.a" "$tmp/now"
i=0 ka=0 kb=0 torn=0 done=0 armed=0
for sig in INT TERM KILL; do eval "n_\$sig=0"; done
while [ \$i -lt $APPLY_KILLS ]; do
	case \$((i % 3)) in 0) sig=INT ;; 1) sig=TERM ;; 2) sig=KILL ;; esac
	if cmp -s "$tmp/now" "$tmp/rs.a"; then to=b; else to=a; fi
	# every fourth with --confirm: the watcher, if armed, is confirmed after
	conf=""; [ \$((i % 4)) = 3 ] && conf="--confirm 60"
	$D6C apply \$conf "$tmp/\$to.pol" >/dev/null 2>&1 &
	pid=\$!
	sleep "\$(rdelay "\$dur")"
	kill -\$sig \$pid 2>/dev/null
	wait \$pid; rc=\$?
	[ \$rc = 0 ] && done=\$((done + 1))
	lst >"$tmp/now"
	# ka: the whole previous table kept, kb: the whole new one in place
	if [ \$to = a ]; then from=b; else from=a; fi
	if cmp -s "$tmp/now" "$tmp/rs.\$from"; then ka=\$((ka + 1))
	elif cmp -s "$tmp/now" "$tmp/rs.\$to"; then kb=\$((kb + 1))
	else torn=\$((torn + 1)); cp "$tmp/now" "$tmp/torn.\$i"; fi
	if [ -n "\$conf" ] && ls "$tmp/run3"/d6c.*.pending >/dev/null 2>&1; then
		$D6C confirm >/dev/null 2>&1 && armed=\$((armed + 1))
	fi
	i=\$((i + 1))
done
echo "\$i \$ka \$kb \$torn \$done \$armed \$dur" >"$tmp/apply.result"
INNER
ms_def='ms() { date +%s%N | cut -c1-13; }'
rdelay_def='rdelay() { r=$(od -An -N2 -tu2 /dev/urandom | tr -d " "); n=$((r % ($1 + 1))); printf "%d.%03d" $((n / 1000)) $((n % 1000)); }'
printf '%s\n%s\n' "$ms_def" "$rdelay_def" | cat - "$tmp/apply.sh" >"$tmp/apply2.sh"
: >"$tmp/now"
unshare -n sh "$tmp/apply2.sh" 2>/dev/null; rc=$?
check "apply kill loop ran (exit $rc)" '[ $rc = 0 ] && [ -s "$tmp/apply.result" ]'
if [ -s "$tmp/apply.result" ]; then
	read n ka kb torn done armed dur <"$tmp/apply.result"
	echo "apply, $n signals (INT, TERM, KILL in turn) within ${dur} ms: $ka kept the whole old table, $kb had the whole new one, $torn torn; $done ran to the end; $armed confirm watchers armed and confirmed"
	check "apply: $n SIGINT/SIGTERM/SIGKILL at random moments, ruleset always whole old or whole new ($ka kept, $kb replaced)" '[ "$torn" = 0 ]'
	check "apply: the other table is in the last listing too" 'grep -q docker-like "$tmp/now"'
fi

section "watcher checks"
# ---- 3. the --confirm watcher -------------------------------------------
wait $watch_pid; rc=$(cat "$tmp/watch.rc")
check "watcher tests ran (exit $rc)" '[ $rc = 0 ]'
wpid=$(cat "$tmp/w.pid" 2>/dev/null)
check "watcher: its own session, no controlling terminal (session id, tty_nr: $(cat "$tmp/w.stat" 2>/dev/null))" \
	'[ "$(cat "$tmp/w.stat")" = "$wpid 0" ]'
check "watcher: SIGHUP ignored (SigIgn $(cat "$tmp/w.sigign" 2>/dev/null))" \
	'[ $(( 0x$(cat "$tmp/w.sigign") & 1 )) = 1 ]'
check "watcher: does not keep its caller's directory busy (cwd /)" '[ "$(cat "$tmp/w.cwd")" = / ]'
check "watcher: the new table was live while pending" '! cmp -s "$tmp/w.full" "$tmp/w.during"'
check "watcher: after its caller's terminal went away it still restored on timeout" 'cmp -s "$tmp/w.full" "$tmp/w.after"'
check "watcher: a SIGHUP to the caller's process group does not stop it" '[ -f "$tmp/w.hup" ]'
check "watcher: ... and it restored on timeout" 'cmp -s "$tmp/w.full" "$tmp/w.after2"'

section "stale pending"
# A stale pending file: the watcher killed, or the machine rebooted with the
# run directory kept (the pid in the file may by now be any other process).
wait $stale_pid; rc=$(cat "$tmp/stale.rc")
check "stale pending tests ran (exit $rc)" '[ $rc = 0 ]'
check "stale pending (watcher killed): the next apply reports it, clears it and applies" \
	'[ "$(cat "$tmp/s.rc")" = 0 ] && grep -q "removed a stale pending confirmation.*no longer running" "$tmp/s.err" && [ ! -f "$tmp/s.left" ] && cmp -s "$tmp/s.after" "$tmp/s.full"'
check "stale pending (after a reboot, pid reused): confirm reports and clears it, exit 0" \
	'[ "$(cat "$tmp/c.rc")" = 0 ] && grep -q "stale pending confirmation" "$tmp/c.err" && [ ! -f "$tmp/c.left" ]'
check "stale pending: confirm signals nobody (the process now owning the pid lives)" '[ -f "$tmp/c.other" ]'
check "stale pending (apply killed before arming): the next apply reports and clears it" \
	'[ "$(cat "$tmp/e.rc")" = 0 ] && grep -q "stopped before arming" "$tmp/e.err" && [ ! -f "$tmp/e.left" ]'

section "privilege"
# ---- 4. no privilege, no netlink ------------------------------------------
cp -r examples "$tmp/ex"; chmod -R a+rX "$tmp/ex"
p="$tmp/ex/site.pol"
printf 'network 2001:db8::/64 <allow tcp 22;>\n' >"$tmp/ex/fmt.pol"; chmod 666 "$tmp/ex/fmt.pol"
for cmd in "compile $p" "compile --format json $p" "check $p" "fmt $p" "fmt -w $tmp/ex/fmt.pol" \
	"explain" "test $p"; do
	name=${cmd%% *}
	# explain's packet is one argument with spaces
	[ "$cmd" = explain ] && set -- "$p" "tcp 2001:db8:1::2 -> 2001:db8::10 port 22" || set --
	# LeakSanitizer cannot run under ptrace (make test SANITIZE=1)
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=socket -o "$tmp/strace" $D6C $cmd "$@" >"$tmp/root.out" 2>&1; rc=$?
	check "$name (d6c $(echo "$cmd" | sed "s|$tmp/ex/||g")): no AF_NETLINK socket (exit $rc)" \
		'[ $rc = 0 ] && ! grep -q AF_NETLINK "$tmp/strace"'
	setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all \
		$D6C_ABS $cmd "$@" >"$tmp/nobody.out" 2>&1; rc=$?
	check "$name as nobody: exit 0, same output" '[ $rc = 0 ] && cmp -s "$tmp/root.out" "$tmp/nobody.out"'
done
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -e trace=socket -o "$tmp/strace" sh -c "unshare -rn $D6C_ABS apply --dry-run $p" >/dev/null 2>&1
check "strace sees the netlink socket that apply opens (the check above can fail)" 'grep -q AF_NETLINK "$tmp/strace"'

section "permissions"
# ---- 5. apply refuses files others can write --------------------------------
mkdir "$tmp/pol"; chmod 755 "$tmp/pol"
printf 'include "inc.pol";\nnetwork 2001:db8:1::/64 < allow tcp 22; >\n' >"$tmp/pol/main.pol"
printf 'network 2001:db8:2::/64 < allow tcp 80; >\n' >"$tmp/pol/inc.pol"
chmod 644 "$tmp/pol/main.pol" "$tmp/pol/inc.pol"
refused() {  # $1 check name, $2 file the message must name, $3 what it must say
	want_file=$2 want_fix=$3
	unshare -rn sh -c "$D6C apply '$tmp/pol/main.pol' >'$tmp/p.out' 2>'$tmp/p.err'; echo \$? >'$tmp/p.rc'; $NFT list ruleset >'$tmp/p.rs'"
	check "$1" '[ "$(cat "$tmp/p.rc")" = 2 ] && grep -qF "$want_file" "$tmp/p.err" && grep -qF "$want_fix" "$tmp/p.err" && grep -q "nothing was applied" "$tmp/p.err" && [ ! -s "$tmp/p.rs" ] && [ ! -s "$tmp/p.out" ]' ||
		{ echo "  exit $(cat "$tmp/p.rc"):"; sed 's/^/  /' "$tmp/p.err" "$tmp/p.rs" | head -5; }
}
unshare -rn sh -c "$D6C apply '$tmp/pol/main.pol' >/dev/null; echo \$? >'$tmp/p.rc'"
check "apply: root's 644 files in a root's 755 directory are applied" '[ "$(cat "$tmp/p.rc")" = 0 ]'
chmod 666 "$tmp/pol/inc.pol"
refused "apply: a world-writable include is refused, exit 2, nothing applied" "'$tmp/pol/inc.pol' (included at $tmp/pol/main.pol:1)" "chmod go-w $tmp/pol/inc.pol"
chmod 664 "$tmp/pol/inc.pol"
refused "apply: a group-writable include is refused" "$tmp/pol/inc.pol" "writable by its group"
chmod 644 "$tmp/pol/inc.pol"; chmod 646 "$tmp/pol/main.pol"
refused "apply: a world-writable policy is refused" "'$tmp/pol/main.pol' is writable by everyone (mode 0646)" "chmod go-w $tmp/pol/main.pol"
chmod 644 "$tmp/pol/main.pol"; chown nobody "$tmp/pol/inc.pol"
refused "apply: an include owned by another user (nobody) is refused" "owned by nobody" "chown root:root $tmp/pol/inc.pol"
chown root "$tmp/pol/inc.pol"; chmod 777 "$tmp/pol"
refused "apply: a world-writable directory without the sticky bit is refused" "the directory '$tmp/pol'" "chmod go-w $tmp/pol"
chmod 1777 "$tmp/pol"
unshare -rn sh -c "$D6C apply '$tmp/pol/main.pol' >/dev/null; echo \$? >'$tmp/p.rc'"
check "apply: a sticky world-writable directory (as /tmp) is accepted" '[ "$(cat "$tmp/p.rc")" = 0 ]'
chmod 755 "$tmp/pol"; mkdir "$tmp/pub"; chmod 777 "$tmp/pub"
ln -s "$tmp/pol/inc.pol" "$tmp/pub/inc.pol"
sed -i "s|\"inc.pol\"|\"$tmp/pub/inc.pol\"|" "$tmp/pol/main.pol"
refused "apply: an include through a symlink in a world-writable directory is refused" "the directory '$tmp/pub'" "chmod go-w $tmp/pub"
finish
